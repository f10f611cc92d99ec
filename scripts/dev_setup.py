"""Make a running dev Home Assistant ready, through HA's own APIs. Idempotent.

    python scripts/dev_setup.py prepare URL   onboard, add the demo couple, add the dashboard
    python scripts/dev_setup.py demo URL      log a seeded 60-day history through the actions

The owner account is for development only: dev / reconnect-dev (change it with
RECONNECT_DEV_USER / RECONNECT_DEV_PASSWORD). The couple's names come from
RECONNECT_PARTNER_A / RECONNECT_PARTNER_B (default Maya and Jordan).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import itertools
import os
import random
import sys
import time
from typing import Any

import aiohttp

USER = os.environ.get("RECONNECT_DEV_USER", "dev")
PASSWORD = os.environ.get("RECONNECT_DEV_PASSWORD", "reconnect-dev")
PARTNER_A = os.environ.get("RECONNECT_PARTNER_A", "Maya")
PARTNER_B = os.environ.get("RECONNECT_PARTNER_B", "Jordan")
DASHBOARD = "reconnect-dash"
# What HA's onboarding adds (components/onboarding/views.py) but cannot work on our
# machines, which reach package registries only: Radio Browser's setup asks its
# directory servers and would stay "Failed to set up". (Met, also onboarded, is
# added only when the home has a location; the dev config sets none.)
OFFLINE = ("radio_browser",)


class HTTPError(RuntimeError):
    """An HTTP error answer from Home Assistant."""

    def __init__(self, status: int, message: str) -> None:
        """Keep the status."""
        super().__init__(message)
        self.status = status


class HA:
    """A small client for the REST and websocket APIs of one Home Assistant."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url.rstrip("/")
        self.client_id = f"{self.url}/"
        self.token = ""

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        async with self.session.request(
            method, f"{self.url}{path}", headers=headers, **kwargs
        ) as response:
            if response.status >= 400:
                text = await response.text()
                message = f"{method} {path}: HTTP {response.status}: {text[:300]}"
                raise HTTPError(response.status, message)
            return await response.json(content_type=None)

    async def exchange(self, code: str) -> None:
        tokens = await self.request(
            "POST",
            "/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        )
        self.token = tokens["access_token"]

    async def log_in(self) -> None:
        """Onboard a fresh HA (creating the owner), or log in to an onboarded one."""
        try:
            steps = {s["step"]: s["done"] for s in await self.request("GET", "/api/onboarding")}
        except HTTPError as err:
            if err.status != 404:
                raise
            steps = {}  # HA stops serving onboarding once it is complete
        if not steps.get("user", True):
            created = await self.request(
                "POST",
                "/api/onboarding/users",
                json={"client_id": self.client_id, "name": "Dev", "username": USER,
                      "password": PASSWORD, "language": "en"},
            )  # fmt: skip
            await self.exchange(created["auth_code"])
        else:
            flow = await self.request(
                "POST",
                "/auth/login_flow",
                json={"client_id": self.client_id, "handler": ["homeassistant", None],
                      "redirect_uri": self.client_id},
            )  # fmt: skip
            result = await self.request(
                "POST",
                f"/auth/login_flow/{flow['flow_id']}",
                json={"client_id": self.client_id, "username": USER, "password": PASSWORD},
            )
            if result.get("type") != "create_entry":
                raise RuntimeError("could not log in with the dev credentials")
            await self.exchange(result["result"])
        for step in ("core_config", "analytics"):
            if not steps.get(step, True):
                await self.request("POST", f"/api/onboarding/{step}")
        if not steps.get("core_config", True):
            await self.remove_offline()
        if not steps.get("integration", True):
            await self.request(
                "POST",
                "/api/onboarding/integration",
                json={"client_id": self.client_id, "redirect_uri": self.client_id},
            )

    async def remove_offline(self) -> None:
        """Remove the OFFLINE entries that onboarding has just added."""
        # Onboarding adds them in the background, after answering; an HA that no
        # longer adds one costs this wait once.
        deadline = time.monotonic() + 30
        for domain in OFFLINE:
            path = f"/api/config/config_entries/entry?domain={domain}"
            while not (entries := await self.request("GET", path)):
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            for entry in entries:
                await self.request(
                    "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
                )
                print(f"Removed {entry['title']}: it cannot work offline")

    async def ws(self, *messages: dict[str, Any]) -> list[Any]:
        """Send websocket commands and return their results."""
        results = []
        async with self.session.ws_connect(f"{self.url}/api/websocket") as socket:
            await socket.receive_json()  # auth_required
            await socket.send_json({"type": "auth", "access_token": self.token})
            if (await socket.receive_json())["type"] != "auth_ok":
                raise RuntimeError("websocket authentication failed")
            for ident, message in enumerate(messages, start=1):
                await socket.send_json({"id": ident, **message})
                while (reply := await socket.receive_json()).get("id") != ident:
                    pass
                if not reply.get("success"):
                    raise RuntimeError(f"{message['type']}: {reply.get('error')}")
                results.append(reply.get("result"))
        return results

    async def call(self, service: str, data: dict[str, Any], *, response: bool = False) -> Any:
        path = f"/api/services/reconnect/{service}" + ("?return_response" if response else "")
        return await self.request("POST", path, json=data)


async def prepare(ha: HA) -> None:
    """Onboard, add the demo couple and the Reconnect dashboard, if missing."""
    await ha.log_in()
    entries = await ha.request("GET", "/api/config/config_entries/entry?domain=reconnect")
    if not entries:
        flow = await ha.request(
            "POST", "/api/config/config_entries/flow", json={"handler": "reconnect"}
        )
        result = await ha.request(
            "POST",
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            json={"partner_a": PARTNER_A, "partner_b": PARTNER_B, "consent": True},
        )
        print(f"Added the couple {result.get('title')}")
    (dashboards,) = await ha.ws({"type": "lovelace/dashboards/list"})
    if not any(d["url_path"] == DASHBOARD for d in dashboards):
        await ha.ws(
            {"type": "lovelace/dashboards/create", "url_path": DASHBOARD, "title": "Reconnect",
             "icon": "mdi:heart-outline", "show_in_sidebar": True, "require_admin": False,
             "mode": "storage"},
            {"type": "lovelace/config/save", "url_path": DASHBOARD,
             "config": {"views": [{"title": "Reconnect", "path": "home",
                                   "cards": [{"type": "custom:reconnect-card"}]}]}},
        )  # fmt: skip
        print("Added the Reconnect dashboard")


async def demo(ha: HA, seed: int = 7, days: int = 60) -> int:
    """Log a realistic seeded history through the public actions; return the count."""
    await ha.log_in()
    summary = await ha.call("get_summary", {}, response=True)
    if summary["service_response"]["couple"]["last_check_in"] is not None:
        print("This couple already has a history; not adding demo data.")
        return 0
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    names = itertools.cycle((PARTNER_A, PARTNER_B))
    count = 0
    for back in range(days, 0, -1):
        day = now - timedelta(days=back)
        for _ in range(rng.randint(1, 5)):
            when = day.replace(hour=rng.randint(7, 20), minute=rng.randint(0, 59))
            response = rng.choices(["toward", "away", "against"], [70, 25, 5])[0]
            await ha.call("log_bid", {"bidder": next(names), "response": response,
                                      "when": when.isoformat()})  # fmt: skip
            count += 1
        if rng.random() < 0.85:
            evening = day.replace(hour=20, minute=30)
            for partner in (PARTNER_A, PARTNER_B):
                rating = max(1, min(5, round(rng.gauss(3.8, 0.8))))
                await ha.call("log_check_in", {"partner": partner, "rating": rating,
                                               "when": evening.isoformat()})  # fmt: skip
                count += 1
        if back % 23 == 0:
            await ha.call("log_rupture", {"when": day.replace(hour=19).isoformat()})
            count += 1
        if back % 23 == 21:
            await ha.call("log_repair", {"initiator": rng.choice([PARTNER_A, PARTNER_B]),
                                         "when": day.replace(hour=21).isoformat()})  # fmt: skip
            count += 1
    print(f"Logged {count} demo entries over {days} days")
    return count


async def main(command: str, url: str) -> None:
    """Run one command against the HA at `url`."""
    async with aiohttp.ClientSession() as session:
        ha = HA(session, url)
        if command == "prepare":
            await prepare(ha)
        elif command == "demo":
            await demo(ha)
        else:
            raise SystemExit(__doc__)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2]))
