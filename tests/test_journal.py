"""The domain on its own: validation, aggregates and insights, without Home Assistant."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
import random
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.reconnect.insights import compute
from custom_components.reconnect.journal import (
    MAX_TEXT_LENGTH,
    Couple,
    Event,
    EventKind,
    Journal,
    JournalError,
    Removal,
    Response,
    Session,
)
from custom_components.reconnect.schedule import in_quiet_hours
from custom_components.reconnect.store import (
    StorageFormatError,
    decode_event,
    decode_journal,
    encode_event,
    encode_journal,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # 21:00 in Berlin
TODAY = date(2026, 11, 20)


def at(days_ago: float = 0, hours: float = 0) -> datetime:
    """Return an instant `days_ago` days (and `hours` hours) before NOW."""
    return NOW - timedelta(days=days_ago, hours=hours)


def journal() -> Journal:
    return Journal(BERLIN)


def snapshot(j: Journal) -> list[Event]:
    return list(j.events)


@pytest.mark.parametrize(
    ("log", "key"),
    [
        (lambda j: j.log_check_in("c", 3, at=NOW, now=NOW), "unknown_partner"),
        (lambda j: j.log_check_in("a", 0, at=NOW, now=NOW), "rating_out_of_range"),
        (lambda j: j.log_check_in("a", 6, at=NOW, now=NOW), "rating_out_of_range"),
        (lambda j: j.log_check_in("a", True, at=NOW, now=NOW), "rating_out_of_range"),
        (lambda j: j.log_check_in("a", "4", at=NOW, now=NOW), "rating_out_of_range"),
        (lambda j: j.log_bid("a", "sideways", at=NOW, now=NOW), "unknown_response"),
        (lambda j: j.log_bid(None, "toward", at=NOW, now=NOW), "unknown_partner"),
        (
            lambda j: j.log_bid("a", "toward", "x" * (MAX_TEXT_LENGTH + 1), at=NOW, now=NOW),
            "text_too_long",
        ),
        (
            lambda j: j.log_check_in("a", 4, "x" * (MAX_TEXT_LENGTH + 1), at=NOW, now=NOW),
            "text_too_long",
        ),
        (lambda j: j.log_rupture("z", at=NOW, now=NOW), "unknown_partner"),
        (lambda j: j.log_repair("a", at=NOW + timedelta(seconds=1), now=NOW), "future_timestamp"),
        (lambda j: j.log_repair("a", at=datetime(2026, 1, 1), now=NOW), "naive_timestamp"),
        (lambda j: j.undo_last(None, NOW), "nothing_to_undo"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(log, key) -> None:
    j = journal()
    j.log_bid("a", "toward", at=at(1), now=NOW)
    before, next_id = snapshot(j), j.next_id
    if key == "nothing_to_undo":
        j = journal()
        before, next_id = [], j.next_id
    with pytest.raises(JournalError) as err:
        log(j)
    assert err.value.key == key
    assert snapshot(j) == before
    assert j.next_id == next_id


def test_text_is_trimmed_and_blank_text_dropped() -> None:
    j = journal()
    (event,) = j.log_repair("b", "  we talked  ", at=NOW, now=NOW)
    assert event.text == "we talked"
    (event,) = j.log_repair("b", "   ", at=NOW, now=NOW)
    assert event.text is None
    (event,) = j.log_repair("b", "x" * MAX_TEXT_LENGTH, at=NOW, now=NOW)
    assert len(event.text or "") == MAX_TEXT_LENGTH


def test_couple_resolves_names_case_insensitively() -> None:
    couple = Couple("Maya", "Jordan")
    assert couple.resolve("maya") == "a"
    assert couple.resolve(" JORDAN ") == "b"
    with pytest.raises(JournalError, match="unknown_partner"):
        couple.resolve("Sam")


def test_couple_resolves_spoken_aliases_and_still_says_the_name() -> None:
    couple = Couple("Maya", "Jordan", aliases_a=("Maia", "Mo"), aliases_b=("Jordon",))
    assert couple.resolve(" maia ") == "a"
    assert couple.resolve("MO") == "a"
    assert couple.resolve("jordon") == "b"
    assert couple.resolve("Maya") == "a"
    assert (couple.name("a"), couple.name("b")) == ("Maya", "Jordan")
    assert couple.spoken("b") == ("Jordan", "Jordon")
    with pytest.raises(JournalError, match="unknown_partner"):
        couple.resolve("Jord")
    # A rename may make one partner's name the other's alias: the name wins.
    assert Couple("Maya", "Mo", aliases_a=("Mo",)).resolve("mo") == "b"
    # Old callers build a couple from the names alone.
    assert Couple("Maya", "Jordan") == Couple("Maya", "Jordan", (), ())


def test_responsiveness_is_the_share_of_the_other_partners_bids_turned_toward() -> None:
    j = journal()
    for response in ("toward", "toward", "toward", "away"):
        j.log_bid("a", response, at=at(1), now=NOW)  # Maya reaches, Jordan responds
    j.log_bid("b", "against", at=at(2), now=NOW)
    i = compute(j, TODAY, 3)
    assert i.partners["a"].bids_made_7d == 4
    assert i.partners["b"].responsiveness_7d == 75.0
    assert i.partners["a"].responsiveness_7d == 0.0
    assert i.partners["b"].bids_made_7d == 1


def test_insufficient_data_is_none_not_zero() -> None:
    i = compute(journal(), TODAY, 3)
    assert i.partners["a"].responsiveness_7d is None
    assert i.partners["a"].connection_7d is None
    assert i.days_since_repair is None
    assert i.last_check_in is None
    assert i.check_in_streak == 0
    assert not i.checked_in_today
    assert not i.repair_overdue


def test_seven_day_window_uses_local_days() -> None:
    j = journal()
    # 23:30 Berlin on the 13th is 22:30 UTC: inside the window only as the 13th.
    j.log_check_in("a", 2, at=datetime(2026, 11, 13, 22, 30, tzinfo=UTC), now=NOW)
    j.log_check_in("a", 4, at=datetime(2026, 11, 14, 10, 0, tzinfo=UTC), now=NOW)
    j.log_check_in("a", 5, at=at(0), now=NOW)
    i = compute(j, TODAY, 3)
    # The 14th..20th are the seven days; the 13th (Berlin) falls out.
    assert i.partners["a"].connection_7d == 4.5
    assert compute(j, date(2026, 11, 19), 3).partners["a"].connection_7d == 3.0


def test_ruptures_open_until_a_repair_and_overdue_after_the_reminder_days() -> None:
    j = journal()
    j.log_rupture("a", at=at(5), now=NOW)
    j.log_rupture(at=at(2), now=NOW)
    i = compute(j, TODAY, 3)
    assert (i.open_ruptures, i.open_rupture_days, i.repair_overdue) == (2, 5, True)
    assert not compute(j, TODAY, 6).repair_overdue
    j.log_repair("b", at=at(1), now=NOW)
    i = compute(j, TODAY, 3)
    assert (i.open_ruptures, i.open_rupture_days, i.days_since_repair) == (0, None, 1)
    assert not i.repair_overdue
    j.log_rupture("b", at=at(0), now=NOW)
    assert compute(j, TODAY, 3).open_ruptures == 1


def test_backdated_repair_only_closes_earlier_ruptures() -> None:
    j = journal()
    j.log_rupture("a", at=at(3), now=NOW)
    j.log_rupture("a", at=at(1), now=NOW)
    j.log_repair("b", at=at(2), now=NOW)  # logged late, happened between them
    i = compute(j, TODAY, 3)
    assert (i.open_ruptures, i.days_since_repair, i.open_rupture_days) == (1, 2, 1)


def test_streak_tolerates_one_missed_night_but_not_two() -> None:
    j = journal()
    for days_ago in (9, 8, 6, 5, 4, 2, 1):  # missed 7 and 3: single nights
        j.log_check_in("a", 4, at=at(days_ago), now=NOW)
    assert compute(j, TODAY, 3).check_in_streak == 7
    # Two missing nights in a row (the 10th and 11th days ago) start a new streak.
    j2 = journal()
    for days_ago in (12, 9, 8):
        j2.log_check_in("b", 4, at=at(days_ago), now=NOW)
    assert compute(j2, TODAY - timedelta(days=8), 3).check_in_streak == 2
    # The streak stays alive through one missed night, then resets to 0.
    assert compute(j2, TODAY - timedelta(days=6), 3).check_in_streak == 2
    assert compute(j2, TODAY - timedelta(days=5), 3).check_in_streak == 0


def test_both_partners_on_one_night_count_once() -> None:
    j = journal()
    j.log_check_in("a", 4, at=at(0, 1), now=NOW)
    j.log_check_in("b", 5, at=at(0), now=NOW)
    i = compute(j, TODAY, 3)
    assert i.check_in_streak == 1
    assert i.checked_in_today


def test_auto_rupture_on_against_and_low_rating_only_when_none_is_open() -> None:
    j = journal()
    bid, rupture = j.log_bid("a", "against", at=at(1), now=NOW, auto_rupture=True)
    assert rupture.kind is EventKind.RUPTURE
    assert rupture.auto
    assert rupture.partner == "a"
    # One is open already: a second hurt does not pile on.
    assert len(j.log_check_in("b", 1, at=at(0), now=NOW, auto_rupture=True)) == 1
    j.log_repair("b", at=at(0), now=NOW)
    assert len(j.log_check_in("b", 2, at=at(0), now=NOW, auto_rupture=True)) == 2
    assert len(j.log_check_in("b", 3, at=at(0), now=NOW, auto_rupture=True)) == 1
    assert len(j.log_bid("a", "against", at=at(0), now=NOW, auto_rupture=False)) == 1
    assert bid.response is Response.AGAINST


def test_undo_removes_the_newest_and_the_rupture_it_opened() -> None:
    j = journal()
    j.log_repair("a", at=at(2), now=NOW)
    j.log_bid("a", "against", at=at(1), now=NOW, auto_rupture=True)
    removed = j.undo_last(None, NOW)
    assert [e.kind for e in removed] == [EventKind.BID, EventKind.RUPTURE]
    i = compute(j, TODAY, 3)
    assert i.open_ruptures == 0
    assert i.partners["a"].bids_made_7d == 0
    # Undo is by logging order: a backdated entry is the one undone.
    j.log_check_in("a", 4, at=at(0), now=NOW)
    j.log_check_in("b", 5, at=at(3), now=NOW)
    assert j.undo_last(None, NOW)[0].partner == "b"
    assert compute(j, TODAY, 3).check_in_streak == 1


def test_undo_never_walks_back_and_only_within_the_window() -> None:
    j = journal()
    j.log_bid("a", "toward", at=at(1), now=NOW)
    j.log_bid("b", "away", at=at(0), now=NOW)
    j.undo_last(None, NOW)
    # The entry before it is history now: undo does not walk back to it.
    with pytest.raises(JournalError) as err:
        j.undo_last(None, NOW)
    assert err.value.key == "nothing_to_undo"
    assert [e.partner for e in j.events] == ["a"]
    # Ten minutes after logging, an entry is no longer undone by voice or a tap.
    j.log_repair("a", at=NOW, now=NOW)
    with pytest.raises(JournalError):
        j.undo_last(None, NOW + timedelta(minutes=10, seconds=1))
    assert len(j.events) == 2
    # A saved and loaded journal has nothing to undo either.
    j.log_repair("b", at=NOW, now=NOW)
    with pytest.raises(JournalError):
        decode_journal(encode_journal(j), BERLIN).undo_last(None, NOW)


def test_undo_takes_back_only_the_speakers_own_entry() -> None:
    j = journal()
    j.log_bid("a", "against", at=NOW, now=NOW, author="b")
    for by in ("a", None):
        with pytest.raises(JournalError) as err:
            j.undo_last(by, NOW)
        assert err.value.key == "undo_not_yours"
    assert len(j.events) == 1
    assert j.removals == []
    removed = j.undo_last("b", NOW + timedelta(minutes=1))
    assert [e.author for e in removed] == ["b"]
    # Every removal leaves a trace: what, when, by whom; never the text.
    assert j.removals == [
        Removal(
            kind=EventKind.BID,
            at=NOW,
            removed_at=NOW + timedelta(minutes=1),
            removed_by="b",
            author="b",
        )
    ]
    # An entry nobody could attribute is undone only by a voice nobody can tell either.
    j.log_repair("a", at=NOW, now=NOW)
    with pytest.raises(JournalError):
        j.undo_last("a", NOW)
    j.undo_last(None, NOW)
    back = decode_journal(encode_journal(j), BERLIN)
    assert back.removals == j.removals
    assert [r.removed_by for r in back.removals] == ["b", None]


def test_an_admin_removes_any_entry_with_a_trace() -> None:
    j = journal()
    j.log_bid("a", "against", at=at(3), now=NOW, auto_rupture=True, author="a")
    j.log_bid("b", "toward", at=at(1), now=NOW, author="b")
    removed = j.remove(1, None, NOW)
    assert [(e.id, e.kind) for e in removed] == [(1, EventKind.BID), (2, EventKind.RUPTURE)]
    assert [(r.kind, r.author) for r in j.removals] == [
        (EventKind.BID, "a"),
        (EventKind.RUPTURE, "a"),
    ]
    assert compute(j, TODAY, 3).open_ruptures == 0
    with pytest.raises(JournalError) as err:
        j.remove(1, None, NOW)
    assert err.value.key == "event_not_found"


def random_journal(seed: int, count: int, tz: ZoneInfo = BERLIN, span: float = 40) -> Journal:
    """Log `count` random events over `span` days, in random order, as a couple might."""
    rng = random.Random(seed)
    j = Journal(tz)
    for _ in range(count):
        when = at(rng.uniform(0, span))
        match rng.randrange(4):
            case 0:
                j.log_check_in(
                    rng.choice("ab"), rng.randint(1, 5), at=when, now=NOW, auto_rupture=True
                )
            case 1:
                j.log_bid(
                    rng.choice("ab"),
                    rng.choice(list(Response)),
                    at=when,
                    now=NOW,
                    auto_rupture=True,
                )
            case 2:
                j.log_rupture(rng.choice(["a", "b", None]), at=when, now=NOW)
            case _:
                j.log_repair(rng.choice("ab"), at=when, now=NOW)
        if rng.random() < 0.1:
            j.undo_last(None, NOW)
    return j


@pytest.mark.parametrize("seed", range(20))
def test_incremental_aggregates_equal_a_full_rebuild(seed: int) -> None:
    j = random_journal(seed, 120)
    rebuilt = Journal(BERLIN, list(j.events), next_id=j.next_id)
    for day in (TODAY, TODAY - timedelta(days=3), TODAY - timedelta(days=20)):
        assert compute(j, day, 3) == compute(rebuilt, day, 3)


def test_time_zone_change_rebuckets_days() -> None:
    j = journal()
    j.log_check_in("a", 4, at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC), now=NOW)
    assert compute(j, TODAY, 3).checked_in_today  # 03:00 on the 20th in Berlin
    j.set_time_zone(ZoneInfo("America/Los_Angeles"))
    assert not compute(j, TODAY, 3).checked_in_today  # 18:00 on the 19th there
    assert compute(j, TODAY - timedelta(days=1), 3).checked_in_today


def test_days_never_go_negative_when_the_clock_went_back() -> None:
    j = journal()
    j.log_repair("a", at=at(0), now=NOW)
    assert compute(j, TODAY - timedelta(days=2), 3).days_since_repair == 0


@pytest.mark.parametrize("seed", range(5))
def test_storage_rows_round_trip_exactly(seed: int) -> None:
    j = random_journal(seed, 80)
    j.log_bid(
        "a", "toward", "a note with spaces,  commas | and \u00e9mojis \U0001f49b", at=NOW, now=NOW
    )
    back = decode_journal(encode_journal(j), BERLIN)
    assert list(back.events) == list(j.events)
    assert back.next_id == j.next_id
    assert compute(back, TODAY, 3) == compute(j, TODAY, 3)


def test_a_row_is_compact() -> None:
    j = journal()
    (event,) = j.log_bid("a", "toward", at=NOW, now=NOW)
    assert encode_event(event) == f"1 {int(NOW.timestamp())} bid a toward"
    assert decode_event(encode_event(event)) == event


@pytest.mark.parametrize(
    "row", ["", "1 2 3", "x 1 bid a toward", "1 1 dance a -", "1 1 bid a sideways"]
)
def test_an_unreadable_row_is_an_error_not_a_silent_drop(row: str) -> None:
    with pytest.raises(StorageFormatError):
        decode_event(row)


@pytest.mark.parametrize(
    ("moment", "start", "end", "quiet"),
    [
        ("23:00", "22:30", "08:00", True),  # wraps past midnight
        ("07:59", "22:30", "08:00", True),
        ("08:00", "22:30", "08:00", False),
        ("21:30", "22:30", "08:00", False),
        ("13:00", "12:00", "14:00", True),  # same-day window
        ("14:00", "12:00", "14:00", False),
        ("11:00", "12:00", "14:00", False),
        ("03:00", "00:00", "00:00", False),  # equal ends: no quiet hours
    ],
)
def test_quiet_hours(moment: str, start: str, end: str, quiet: bool) -> None:
    assert (
        in_quiet_hours(
            time.fromisoformat(moment), time.fromisoformat(start), time.fromisoformat(end)
        )
        is quiet
    )


def test_sessions_and_prompt_history_round_trip() -> None:
    j = journal()
    j.record_session(Session(started_at=at(1, 1), ended_at=at(1), complete=True))
    j.record_session(Session(started_at=at(0, 1), ended_at=at(0), complete=False))
    j.history.use_prompt("engaged_dream", TODAY)
    with pytest.raises(TypeError):  # read-only: only the coordinator changes it
        j.prompts_used["engaged_dream"] = TODAY  # type: ignore[index]
    back = decode_journal(encode_journal(j), BERLIN)
    assert back.sessions == j.sessions
    assert back.prompts_used == {"engaged_dream": TODAY}


@pytest.mark.parametrize(
    "data",
    [
        {"events": [], "sessions": ["1 2"]},
        {"events": [], "sessions": ["a b complete"]},
        {"events": [], "sessions": ["1 2 complete c"]},
        {"events": [], "prompts": {"x": "not a date"}},
        {"events": [], "prompts": ["x"]},
        {"events": [], "rolled": {"2020-01-01": "bids:a=many"}},
        {"events": [], "rolled": {"not a day": "bids:a=1"}},
    ],
)
def test_unreadable_sessions_or_prompts_are_errors(data: dict) -> None:
    with pytest.raises(StorageFormatError):
        decode_journal(data, BERLIN)


def test_an_appreciation_needs_words() -> None:
    j = journal()
    with pytest.raises(JournalError, match="text_empty"):
        j.log_appreciation("a", "   ", at=NOW, now=NOW)
    (event,) = j.log_appreciation(None, " the tea ", at=NOW, now=NOW)
    assert (event.kind, event.partner, event.text) == (EventKind.APPRECIATION, None, "the tea")
    assert j.day(TODAY)["appreciations", "-"] == 1


@pytest.mark.parametrize("seed", range(8))
def test_rolling_up_old_events_keeps_every_insight(seed: int) -> None:
    j = random_journal(seed, 600, span=1100)  # three years
    days = [TODAY - timedelta(days=back) for back in (0, 3, 10, 200, 500, 900)]
    before = [compute(j, day, 3) for day in days]
    events = len(j.events)
    moved = j.roll_up(TODAY - timedelta(days=365))
    assert moved > 300
    assert len(j.events) == events - moved
    assert [compute(j, day, 3) for day in days] == before
    # The day totals survive a save and a load, and a time zone rebuild keeps them.
    back = decode_journal(encode_journal(j), BERLIN)
    assert [compute(back, day, 3) for day in days] == before
    # Logging and undo keep working after a roll-up.
    back.log_repair("a", at=NOW, now=NOW)
    back.undo_last(None, NOW)
    assert compute(back, TODAY, 3) == before[0]


def test_roll_up_keeps_what_the_trackers_need() -> None:
    j = journal()
    j.log_check_in("a", 4, at=at(800), now=NOW)
    j.log_repair("b", at=at(700), now=NOW)
    j.log_rupture("a", at=at(600), now=NOW)
    j.log_bid("a", "toward", at=at(650), now=NOW)
    before = compute(j, TODAY, 3)
    assert j.roll_up(TODAY - timedelta(days=365)) == 0  # all are needed
    assert compute(j, TODAY, 3) == before
    assert before.days_since_repair == 700
    assert before.open_ruptures == 1


def _days(back: tuple[int, ...] = (0, 1, 3, 8, 20, 39)) -> list[date]:
    return [TODAY - timedelta(days=b) for b in back]


def _same_change(j: Journal) -> None:
    """Backdate a bid, undo it, then check in tonight (auto-rupture on)."""
    j.log_bid("a", "against", at=at(5), now=NOW, auto_rupture=True)
    j.undo_last(None, NOW)
    j.log_check_in("b", 2, at=NOW, now=NOW, auto_rupture=True)
    j.log_bid("b", "toward", at=at(2), now=NOW)


@pytest.mark.parametrize("seed", range(20))
def test_a_load_from_saved_aggregates_equals_a_full_read(seed: int) -> None:
    data = encode_journal(random_journal(seed, 150))
    fast = decode_journal(data, BERLIN)
    full = decode_journal(data, BERLIN, full=True)
    # The fast load read no row: every event is still its stored string.
    assert all(isinstance(row, str) for row in fast.events.stored())
    assert [compute(fast, d, 3) for d in _days()] == [compute(full, d, 3) for d in _days()]
    for j in (fast, full):
        _same_change(j)
    assert [compute(fast, d, 3) for d in _days()] == [compute(full, d, 3) for d in _days()]
    assert fast.events == full.events
    assert encode_journal(fast) == encode_journal(full)
    # Saved again and loaded fast, nothing moved.
    again = decode_journal(encode_journal(fast), BERLIN)
    assert [compute(again, d, 3) for d in _days()] == [compute(full, d, 3) for d in _days()]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["aggregates"].update(time_zone="America/New_York"),
        lambda d: d["events"].pop(),  # a row removed by hand: counts no longer match
        lambda d: d["aggregates"].update(trackers="garbage"),
        lambda d: d["aggregates"]["days"].update({"2026-11-20": 5}),
        lambda d: d["aggregates"]["days"].update({"2026-11-20": "bids:a=many"}),
        lambda d: d.update(aggregates=["not", "a", "dict"]),
        lambda d: d.pop("aggregates"),  # written by minor version 2
    ],
)
def test_aggregates_that_do_not_fit_are_rebuilt(spoil: Any) -> None:
    j = random_journal(3, 150)
    data = encode_journal(j)
    spoil(data)
    loaded = decode_journal(data, BERLIN)
    truth = Journal(BERLIN, [decode_event(row) for row in data["events"]], next_id=j.next_id)
    assert [compute(loaded, d, 3) for d in _days()] == [compute(truth, d, 3) for d in _days()]


@pytest.mark.parametrize("seed", range(10))
def test_windows_equal_a_plain_sum_whatever_changes(seed: int) -> None:
    rng = random.Random(seed)
    j = random_journal(seed, 60)
    for _ in range(200):
        day = TODAY - timedelta(days=rng.randint(0, 40))
        size = rng.choice([1, 7, 28, 30])
        plain: Counter[tuple[str, str]] = Counter()
        for back in range(size):
            plain.update(j.day(day - timedelta(days=back)))
        assert +j.window(day, size) == +plain
        if rng.random() < 0.3:
            j.log_bid(rng.choice("ab"), "toward", at=at(rng.uniform(0, 40)), now=NOW)
            if rng.random() < 0.3:
                j.undo_last(None, NOW)


def test_undo_reads_only_the_rows_it_needs() -> None:
    j = journal()
    for back in range(50):
        j.log_bid("a", "toward", at=at(back + 1), now=NOW)
    loaded = decode_journal(encode_journal(j), BERLIN)
    loaded.log_bid("b", "against", at=at(0), now=NOW, auto_rupture=True)
    removed = loaded.undo_last(None, NOW)
    assert [(e.kind, e.auto) for e in removed] == [
        (EventKind.BID, False),
        (EventKind.RUPTURE, True),
    ]
    # Only the newest stored row was read (to place the new bid in time).
    assert sum(not isinstance(row, str) for row in loaded.events.stored()) == 1
    assert loaded.trackers.open_ruptures == 0


@pytest.mark.parametrize("seed", range(10))
def test_undo_takes_back_the_last_logged_entry_once(seed: int) -> None:
    rng = random.Random(seed)
    j = journal()
    logged: list[int] = []  # ids in logging order, as a plain model
    undoable: list[int] = []  # what undo may take back now
    for _ in range(300):
        if logged and rng.random() < 0.3:
            if not undoable:
                with pytest.raises(JournalError):
                    j.undo_last(None, NOW)
                continue
            removed = j.undo_last(None, NOW)
            assert sorted(e.id for e in removed) == undoable
            for event in removed:
                logged.remove(event.id)
            undoable = []
            if rng.random() < 0.2:  # and again after a save and a load
                j = decode_journal(encode_journal(j), BERLIN)
        else:
            when = at(rng.uniform(0, 30))  # often backdated
            events = j.log_bid(rng.choice("ab"), rng.choice(list(Response)), at=when, now=NOW,
                               auto_rupture=True)  # fmt: skip
            logged += [e.id for e in events]
            undoable = [e.id for e in events]
        assert sorted(e.id for e in j.events) == sorted(logged)


@pytest.mark.parametrize("seed", range(6))
def test_a_roll_up_after_a_fast_load_equals_one_after_a_full_read(seed: int) -> None:
    data = encode_journal(random_journal(seed, 400, span=900))
    fast = decode_journal(data, BERLIN)
    full = decode_journal(data, BERLIN, full=True)
    cutoff = TODAY - timedelta(days=365)
    assert fast.roll_up(cutoff) == full.roll_up(cutoff) > 0
    assert fast.events == full.events
    assert fast.rolled == full.rolled
    assert [compute(fast, d, 3) for d in _days()] == [compute(full, d, 3) for d in _days()]
    # Nothing older left to roll: the rows after the cut-off stay unread.
    again = decode_journal(encode_journal(fast), BERLIN)
    assert again.roll_up(cutoff) == 0
    assert sum(not isinstance(row, str) for row in again.events.stored()) < 40


def test_a_repair_with_nothing_open_reads_no_old_rows() -> None:
    """Who raised what is asked of open ruptures only: no walk back through the years."""
    j = journal()
    for back in range(200):
        j.log_bid("a", "toward", at=at(back + 1), now=NOW)
    loaded = decode_journal(encode_journal(j), BERLIN)
    # Count the stored rows looked at, even those only glanced at for their kind.
    heads: list[str] = []
    read_head = loaded.events._head

    def counted(row: str) -> tuple[int, EventKind]:
        heads.append(row)
        return read_head(row)

    loaded.events._head = counted
    (repair,) = loaded.log_repair("b", at=NOW, now=NOW, author="b")
    assert repair.closes
    assert loaded.awaiting_say() == []
    assert heads == []
