"""End to end: a real Home Assistant process, its HTTP APIs, and a real Chromium.

Run by tests/e2e/test_stack.py, or by hand:
    scripts/ha-env current -- python tests/e2e/driver.py
It copies the dev config to a temporary folder, starts `hass` on a free port
bound to 127.0.0.1, prepares it the way `make run` does, talks to Assist, reads
the entities over REST and the websocket, opens the dashboard in Chromium,
restarts HA, kills it with SIGKILL right after a check-in, and finally holds a
check-in on a test voice satellite with HA's built-in agent and no wake word
between turns (tests/testing_config/custom_components/reconnect_test_satellite,
copied into the config). After every start each config entry must be loaded,
and HA's log must hold no ERROR line.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp
from playwright.async_api import async_playwright

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from dev_setup import HA, prepare  # noqa: E402

ARTIFACTS = ROOT / "tests" / "artifacts"
# The test-only satellite integration (scripted STT, recording TTS, built-in agent).
TEST_SATELLITE = ROOT / "tests/testing_config/custom_components/reconnect_test_satellite"
SATELLITE_DOMAIN = TEST_SATELLITE.name
SATELLITE_TIMEOUT = 30
# The HA that `make run` starts (the current lane's /opt/run, a newer release than
# the tests' own), else the one beside this Python.
HASS = os.environ.get("RECONNECT_HASS") or next(
    p for p in ("/opt/run/bin/hass", str(Path(sys.executable).parent / "hass")) if Path(p).exists()
)
# A record of level ERROR or CRITICAL in home-assistant.log (not a traceback line).
ERROR_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \S+ (ERROR|CRITICAL) ")
# A record in which HA reports a deprecation by Reconnect (report_usage and the
# deprecation helpers): HA 2026.12 turned one of these into an error.
DEPRECATION_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \S+ \w+ .*reconnect.*(stop working in|deprecated|report_usage)",
    re.IGNORECASE,
)
START_TIMEOUT = 180
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]  # fmt: skip
STEPS: list[tuple[str, float]] = []


def step(name: str, started: float) -> None:
    """Record how long a step took."""
    STEPS.append((name, time.monotonic() - started))
    print(f"  {name}: {STEPS[-1][1]:.1f} s", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One `hass` process on a copy of the dev config."""

    def __init__(self, config: Path, port: int) -> None:
        self.config = config
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def log_tail(self, lines: int = 60) -> str:
        log = self.config / "home-assistant.log"
        if not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    async def start(self) -> None:
        started = time.monotonic()
        output = (self.config / "stdout.log").open("ab")
        self.process = subprocess.Popen(  # noqa: ASYNC220 - the process outlives this call
            [HASS, "-c", str(self.config), "--skip-pip"], stdout=output, stderr=output
        )
        async with aiohttp.ClientSession() as session:
            while time.monotonic() - started < START_TIMEOUT:
                if self.process.poll() is not None:
                    raise AssertionError(f"hass exited while starting:\n{self.log_tail()}")
                try:
                    async with session.get(f"{self.url}/api/") as response:
                        if response.status == 401:  # up, and asking for a token
                            step("hass started", started)
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.5)
        raise AssertionError(f"hass did not answer in {START_TIMEOUT} s:\n{self.log_tail()}")

    def errors(self) -> list[str]:
        """The log's ERROR records and Reconnect's deprecations since this run started.

        HA rolls the log over at each start.
        """
        log = (self.config / "home-assistant.log").read_text(errors="replace")
        return [
            line
            for line in log.splitlines()
            if ERROR_RECORD.match(line) or DEPRECATION_RECORD.match(line)
        ]

    def assert_clean_log(self) -> None:
        errors = self.errors()
        assert not errors, "\n".join(["ERROR or deprecation records in home-assistant.log:",
                                       *errors,
                                       "--- the log's end:", self.log_tail(200)])  # fmt: skip

    def stop(self, sig: int = signal.SIGINT) -> None:
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"hass did not stop in 120 s:\n{self.log_tail()}") from None
        finally:
            self.process = None
        print(f"  hass stopped ({signal.Signals(sig).name}): {time.monotonic() - started:.1f} s")

    def journal(self) -> dict[str, Any]:
        """Read the couple's journal file, as stored."""
        (path,) = (self.config / ".storage").glob("reconnect.*")
        return json.loads(path.read_text())["data"]


async def running(ha: HA) -> None:
    """Wait until HA has finished starting (the API answers earlier than that)."""
    started = time.monotonic()
    while (await ha.request("GET", "/api/config"))["state"] != "RUNNING":
        assert time.monotonic() - started < START_TIMEOUT, "HA never reached RUNNING"
        await asyncio.sleep(0.5)


async def healthy(ha: HA, server: Server) -> None:
    """Every config entry is loaded, and the log has no ERROR record."""
    started = time.monotonic()
    # Entries onboarding has just added may still be setting up: give them time.
    while True:
        entries = await ha.request("GET", "/api/config/config_entries/entry")
        failed = {
            e["title"]: (e["state"], e.get("reason")) for e in entries if e["state"] != "loaded"
        }
        if not failed or time.monotonic() - started > 30:
            break
        await asyncio.sleep(0.5)
    assert not failed, f"config entries not loaded: {failed}\n{server.log_tail()}"
    server.assert_clean_log()


async def converse(ha: HA, text: str, conversation_id: str | None = None) -> tuple[str, str]:
    body = {"text": text, "language": "en"}
    if conversation_id:
        body["conversation_id"] = conversation_id
    result = await ha.request("POST", "/api/conversation/process", json=body)
    return result["response"]["speech"]["plain"]["speech"], result["conversation_id"]


async def hold_check_in(ha: HA, ratings: tuple[str, str]) -> None:
    reply, conversation = await converse(ha, "start our check-in")
    assert reply.endswith("Maya, how connected did you feel today, from one to five?"), reply
    reply, _ = await converse(ha, ratings[0], conversation)
    assert reply == "Thank you, Maya. Jordan, how about you, from one to five?", reply
    reply, _ = await converse(ha, ratings[1], conversation)
    assert "Tonight's question, for you to ask each other:" in reply, reply
    reply, _ = await converse(ha, "done", conversation)
    assert reply.startswith("Thanks for checking in together."), reply


async def add_test_satellite(ha: HA, name: str) -> str:
    """Add one test satellite through its config flow; return its entity id."""
    flow = await ha.request(
        "POST", "/api/config/config_entries/flow", json={"handler": SATELLITE_DOMAIN}
    )
    assert flow["type"] == "form", flow
    result = await ha.request(
        "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", json={"satellites": name}
    )
    assert result["type"] == "create_entry", result
    started = time.monotonic()
    while True:
        found = [
            s["entity_id"]
            for s in await ha.request("GET", "/api/states")
            if s["entity_id"].startswith("assist_satellite.")
            and s["attributes"].get("friendly_name") == name
        ]
        if found:
            return str(found[0])
        assert time.monotonic() - started < SATELLITE_TIMEOUT, f"no satellite {name}"
        await asyncio.sleep(0.2)


async def satellite_recordings(ha: HA, entity_id: str) -> dict[str, Any]:
    """What the satellite played, heard, and has still to hear."""
    result = await ha.request(
        "POST", f"/api/services/{SATELLITE_DOMAIN}/recordings?return_response", json={}
    )
    return dict(result["service_response"]["satellites"].get(entity_id, {}))


async def export(ha: HA) -> dict[str, Any]:
    return dict((await ha.call("export", {}, response=True))["service_response"])


async def hold_check_in_on_satellite(ha: HA, entity_id: str) -> None:
    """A check-in held by the satellite alone: a rating, then "stop" at the next question.

    The satellite's pipeline uses HA's built-in agent, so each question goes through
    assist_satellite.ask_question: no wake word, no agent, between the turns.
    """
    before = await export(ha)
    await ha.request(
        "POST",
        f"/api/services/{SATELLITE_DOMAIN}/say",
        json={"entity_id": entity_id, "transcripts": ["four", "let's stop here"]},
    )
    started = await ha.call("start_check_in", {"satellite": entity_id}, response=True)
    assert started["service_response"] == {"started_on": [entity_id]}, started
    # The dialogue runs in the background: wait for the stop to be stored.
    began = time.monotonic()
    while True:
        after = await export(ha)
        if len(after["sessions"]) > len(before["sessions"]):
            break
        assert time.monotonic() - began < SATELLITE_TIMEOUT, (
            f"the check-in never ended: {await satellite_recordings(ha, entity_id)}"
        )
        await asyncio.sleep(0.2)
    new = after["events"][len(before["events"]) :]
    assert [(e["kind"], e["partner"], e["rating"]) for e in new] == [("check_in", "a", 4)], new
    assert [s["complete"] for s in after["sessions"][len(before["sessions"]) :]] == [False]
    # Let the last announcement play, then read what the satellite played and heard.
    while True:
        seen = await satellite_recordings(ha, entity_id)
        played = seen.get("played", [])
        said = [p["message"] for p in played if p["kind"] == "announcement"]
        if said or time.monotonic() - began > SATELLITE_TIMEOUT:
            break
        await asyncio.sleep(0.2)
    questions = [p["message"] for p in played if p["kind"] == "question"]
    assert questions == [
        "Welcome to your check-in. Maya, how connected did you feel today, from one to five?",
        "Thank you, Maya. Jordan, how about you, from one to five?",
    ], played
    assert [p["preannounce"] for p in played if p["kind"] == "question"] == [True, False], played
    assert said, played
    assert said[-1].startswith("Okay, we'll stop here."), played
    assert seen["heard"] == ["four", "let's stop here"], seen
    assert seen["unheard"] == [], seen


async def states(ha: HA) -> dict[str, str]:
    """Reconnect's entity states over REST."""
    return {
        s["entity_id"]: s["state"]
        for s in await ha.request("GET", "/api/states")
        if s["entity_id"].split(".")[1].startswith("maya_jordan")
    }


async def dashboard(ha: HA, refresh_token: str) -> str:
    """Open the Reconnect dashboard in Chromium, logged in; return the card's text."""
    tokens = {
        "access_token": ha.token, "refresh_token": refresh_token, "token_type": "Bearer",
        "expires_in": 1800, "hassUrl": ha.url, "clientId": ha.client_id,
        "expires": int(time.time() * 1000) + 1_800_000,
    }  # fmt: skip
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1100, "height": 1300})
        errors: list[str] = []
        modules: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "response",
            lambda r: modules.append(f"{r.status} {r.url}")
            if "reconnect_static" in r.url
            else None,
        )
        await page.add_init_script(
            f"localStorage.setItem('hassTokens', JSON.stringify({json.dumps(tokens)}));"
        )
        await page.goto(f"{ha.url}/reconnect-dash/home")
        card = page.locator("reconnect-card ha-card")
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            await card.wait_for(timeout=60_000)
        except Exception:
            # Keep what the browser showed, for whoever reads the failure.
            (ARTIFACTS / "e2e-failure.png").write_bytes(await page.screenshot())
            html = await page.content()
            print("page errors:", errors, "url:", page.url, "module responses:", modules)
            print("module url in page:", "reconnect_static" in html)
            print("defined:", await page.evaluate("!!customElements.get('reconnect-card')"))
            print("customCards:", await page.evaluate("JSON.stringify(window.customCards || null)"))
            raise
        await page.wait_for_function(
            "() => document.querySelector('home-assistant') !== null", timeout=10_000
        )
        text = await card.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        png = await page.screenshot()
        (ARTIFACTS / "e2e-dashboard.png").write_bytes(png)
        await browser.close()
    assert not [e for e in errors if "reconnect" in e.lower()], errors
    return text


async def main() -> None:
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reconnect-e2e-") as folder:
        config = Path(folder)
        port = free_port()
        text = (ROOT / "config" / "configuration.yaml").read_text()
        (config / "configuration.yaml").write_text(
            text.replace("server_port: 8123", f"server_port: {port}")
        )
        (config / "custom_components").mkdir()
        (config / "custom_components" / "reconnect").symlink_to(
            ROOT / "custom_components" / "reconnect"
        )
        shutil.copytree(
            TEST_SATELLITE,
            config / "custom_components" / SATELLITE_DOMAIN,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        server = Server(config, port)
        await server.start()
        try:
            async with aiohttp.ClientSession() as session:
                ha = HA(session, server.url)
                started = time.monotonic()
                await prepare(ha)  # onboarding, the demo couple, the dashboard
                await running(ha)
                refresh = ha.token
                step("onboarded through HA's APIs", started)
                await healthy(ha, server)
                print(f"  {HASS}: HA {(await ha.request('GET', '/api/config'))['version']}")

                started = time.monotonic()
                await hold_check_in(ha, ("four", "three"))
                reply, _ = await converse(ha, "Jordan turned toward me")
                assert reply == "Noted: Jordan turned toward Maya.", reply
                reply, _ = await converse(ha, "Maya apologized")
                assert reply == "Noted: Maya led a repair. That matters.", reply
                step("check-in, bid and repair by speech", started)

                started = time.monotonic()
                rest = await states(ha)
                assert rest["sensor.maya_jordan_nights_checked_in_of_14"] == "1", rest
                assert rest["binary_sensor.maya_jordan_checked_in_today"] == "on", rest
                # One bid: no share from so few.
                assert rest["sensor.maya_jordan_turned_toward_each_other_7_days"] == "unknown", rest
                assert rest["sensor.maya_jordan_open_ruptures"] == "0", rest
                # Each partner's figures are off by default: not on a shared screen.
                assert "sensor.maya_jordan_maya_bids_made_7_days" not in rest, rest
                assert "sensor.maya_jordan_check_in_streak" not in rest, rest
                assert "sensor.maya_jordan_days_since_last_repair" not in rest, rest
                (ws_states,) = await ha.ws({"type": "get_states"})
                over_ws = {s["entity_id"]: s["state"] for s in ws_states if s["entity_id"] in rest}
                assert over_ws == rest
                step("entities over REST and websocket", started)

                started = time.monotonic()
                card = await dashboard(ha, refresh)
                assert "You checked in tonight. Checked in on 1 of the last 14 nights." in card
                assert "Nothing is open between you right now." in card, card
                # One bid: the card shows no rate below five (too few to mean anything).
                assert "1 bid logged this week." in card, card
                step("dashboard in Chromium", started)

            started = time.monotonic()
            server.stop()
            server.assert_clean_log()  # the whole first run, its shutdown included
            before = server.journal()
            await server.start()
            async with aiohttp.ClientSession() as session:
                ha = HA(session, server.url)
                await ha.log_in()
                await running(ha)
                await healthy(ha, server)
                assert await states(ha) == rest
                step("restart keeps every entity", started)

                started = time.monotonic()
                await hold_check_in(ha, ("five", "two"))
            server.stop(signal.SIGKILL)  # right after the check-in completed
            server.assert_clean_log()
            await server.start()
            after = server.journal()
            assert after["events"][: len(before["events"])] == before["events"]
            new = [row.split(" ")[2:5] for row in after["events"][len(before["events"]) :]]
            # The kind, with who logged it: each rating is the partner's own.
            assert new[:2] == [["check_in@a", "a", "5"], ["check_in@b", "b", "2"]], new
            assert [s.split(" ")[2] for s in after["sessions"]] == ["complete", "complete"]
            async with aiohttp.ClientSession() as session:
                ha = HA(session, server.url)
                await ha.log_in()
                await running(ha)
                await healthy(ha, server)
                step("SIGKILL after a check-in loses nothing", started)

                started = time.monotonic()
                bedroom = await add_test_satellite(ha, "Bedroom")
                await healthy(ha, server)
                await hold_check_in_on_satellite(ha, bedroom)
                step("check-in on a satellite, no wake word", started)
            server.stop()
            server.assert_clean_log()
        finally:
            if server.process is not None:
                server.stop()
    total = time.monotonic() - began
    print(f"E2E total: {total:.1f} s")
    (ARTIFACTS / "e2e-timing.json").write_text(
        json.dumps({"total_s": round(total, 1), "steps": {n: round(s, 1) for n, s in STEPS}})
    )


if __name__ == "__main__":
    asyncio.run(main())
