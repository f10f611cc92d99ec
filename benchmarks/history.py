"""A seeded, realistic history: what a couple logs over years of use.

Per day: bids from each partner (the pursuer reaches more; most bids are met),
a check-in on most nights (both partners rate), and about one rupture and one
repair a month. It averages about 27 events a day, so 100,000 events is about
ten years, the span the issue asks for.
Pure Python, no HA: the same journal Reconnect keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import random
from zoneinfo import ZoneInfo

from custom_components.reconnect.journal import Event, EventKind, Journal, Response

ZONE = ZoneInfo("America/Los_Angeles")
SIZES = (1_000, 10_000, 100_000)


def generate(events: int, *, end: datetime, seed: int = 7) -> list[Event]:
    """Return `events` events ending before `end`, oldest first, the same for a seed."""
    rng = random.Random(seed)
    days: list[list[tuple[datetime, EventKind, str | None, int | None, Response | None]]] = []
    count = 0
    day = 0
    while count < events:
        evening = (end - timedelta(days=day + 1)).replace(hour=4, minute=0, second=0)
        todays: list[tuple[datetime, EventKind, str | None, int | None, Response | None]] = []
        for partner, rate in (("a", 14), ("b", 10)):
            for _ in range(rng.randint(0, 2 * rate)):
                at = evening - timedelta(minutes=rng.randint(60, 14 * 60))
                response = rng.choices(list(Response), weights=(7, 2, 1))[0]
                todays.append((at, EventKind.BID, partner, None, response))
        if rng.random() < 0.85:
            todays += [(evening, EventKind.CHECK_IN, p, rng.randint(2, 5), None) for p in "ab"]
        if rng.random() < 1 / 30:
            at = evening - timedelta(hours=rng.randint(1, 6))
            todays.append((at, EventKind.RUPTURE, rng.choice("ab"), None, None))
            todays.append((at + timedelta(hours=1), EventKind.REPAIR, rng.choice("ab"), None, None))
        days.append(todays)
        count += len(todays)
        day += 1
    flat = sorted((e for todays in days for e in todays), key=lambda e: e[0])[-events:]
    return [
        Event(id=i, kind=kind, at=at.replace(microsecond=0), partner=partner, rating=rating,
              response=response)
        for i, (at, kind, partner, rating, response) in enumerate(flat, start=1)
    ]  # fmt: skip


def journal(events: int, *, end: datetime) -> Journal:
    """Return a journal holding a generated history."""
    return Journal(ZONE, generate(events, end=end))


if __name__ == "__main__":  # pragma: no cover - a quick look
    import time

    from custom_components.reconnect.store import decode_journal, encode_journal

    now = datetime(2026, 11, 20, 22, tzinfo=UTC)
    for n in SIZES:
        j = journal(n, end=now)
        data = encode_journal(j)
        t = time.perf_counter()
        decode_journal(data, ZONE)
        took = time.perf_counter() - t
        first, last = j.events[0].at, j.events[-1].at
        print(
            f"{n:>7} events, {(last - first).days / 365.25:.1f} years, decode {took * 1000:.0f} ms"
        )
