"""The card in a real browser: Debian's Chromium, driven by Playwright.

Pages are served through Playwright's request routing, so no socket is opened.
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
import json
from pathlib import Path
import statistics
from typing import Any

from playwright.sync_api import Browser, Page, Route, sync_playwright
import pytest

ROOT = Path(__file__).parents[1]
CARD = ROOT / "custom_components" / "reconnect" / "frontend" / "reconnect-card.js"
HARNESS = Path(__file__).parent / "card" / "harness.html"
DATA = json.loads((Path(__file__).parent / "fixtures" / "card_hass.json").read_text())
ARTIFACTS = Path(__file__).parent / "artifacts"
ENTRY = "01JRECONNECT0000000000TEST"
pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]  # fmt: skip


class BrowserThread:
    """Chromium, driven from a thread of its own.

    Playwright's sync API runs an event loop of its own, which must not share
    the test thread with pytest-asyncio's per-test loops.
    """

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.playwright, self.browser = self.pool.submit(self._launch).result()

    @staticmethod
    def _launch() -> tuple[Any, Browser]:
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        return playwright, browser

    def run(self, scenario: Callable[[Page], None]) -> None:
        """Run a scenario on a fresh harness page; fail on any console error."""
        self.pool.submit(self._run, scenario).result()

    def _run(self, scenario: Callable[[Page], None]) -> None:
        page = self.browser.new_page(viewport={"width": 620, "height": 1100})
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console.append(str(e)))
        page.route("http://card.test/**", serve)
        page.goto("http://card.test/harness.html")
        page.wait_for_function("customElements.get('reconnect-card') !== undefined")
        try:
            scenario(page)
            assert console == [], console
            assert page.evaluate("window.__errors") == []
        finally:
            page.close()

    def close(self) -> None:
        """Shut the browser down in its own thread."""
        self.pool.submit(lambda: (self.browser.close(), self.playwright.stop())).result()
        self.pool.shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[BrowserThread]:
    thread = BrowserThread()
    yield thread
    thread.close()


def serve(route: Route) -> None:
    name = route.request.url.split("card.test/", 1)[1].split("?")[0]
    files = {"harness.html": (HARNESS, "text/html"), "reconnect-card.js": (CARD, "text/javascript")}
    if name not in files:
        route.fulfill(status=404, body="not found")
        return
    path, content_type = files[name]
    route.fulfill(body=path.read_text(), content_type=content_type)


def mount(page: Page, data: dict[str, Any] = DATA, config: dict[str, Any] | None = None) -> None:
    page.evaluate("([data, config]) => mountCard(data, config)", [data, config or {}])


def card_text(page: Page) -> str:
    return page.locator("reconnect-card ha-card").inner_text()


def calls(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("window.__calls")


def test_it_shows_the_couples_state(chromium: BrowserThread) -> None:
    chromium.run(_it_shows_the_couples_state)


def _it_shows_the_couples_state(page: Page) -> None:
    mount(page)
    text = card_text(page)
    assert "Maya & Jordan" in text
    assert "Start check-in" in text
    # Nights checked in of the last 14, never a streak.
    assert "Checked in on 5 of the last 14 nights. Missing a night is not failure." in text
    assert "running" not in text
    assert "Something has been open between you for a while." in text
    assert "We repaired" in text
    assert "One thing is still open between you." in text
    assert "since your last repair" not in text
    # One rate for the couple (5 of 6 bids turned toward), never one per partner.
    assert "Of 6 bids, turned toward\n83%" in text
    assert "Maya turned toward" not in text
    assert "Jordan turned toward" not in text
    assert "A reference, not a grade." in text
    assert "domestic-violence helpline" in text  # the safety note is always there
    # One line for the couple: each rated night (5) is one dot, with no names.
    assert page.locator("reconnect-card svg circle").count() == 5
    assert page.locator("reconnect-card .legend").count() == 0
    widths = page.locator("reconnect-card .fill").evaluate_all("els => els.map(e => e.style.width)")
    assert widths == ["83%"]


def test_no_rate_below_the_minimum_count(chromium: BrowserThread) -> None:
    chromium.run(_no_rate_below_the_minimum_count)


def _no_rate_below_the_minimum_count(page: Page) -> None:
    data = json.loads(json.dumps(DATA))
    states = data["states"]
    # One bid, turned away: the sensor gives no share below five bids.
    toward = states["sensor.maya_jordan_turned_toward_each_other_7_days"]
    toward["state"], toward["attributes"]["bids_7d"] = "unknown", 1
    mount(page, data)
    text = card_text(page)
    assert "%" not in text.replace("86%", "")
    assert "1 bid logged this week." in text
    assert page.locator("reconnect-card .fill").count() == 0


def test_every_button_calls_the_right_action(chromium: BrowserThread) -> None:
    chromium.run(_every_button_calls_the_right_action)


def _every_button_calls_the_right_action(page: Page) -> None:
    mount(page, config={"satellite": "assist_satellite.bedroom"})
    card = page.locator("reconnect-card")
    card.get_by_role("button", name="Start check-in").click()
    card.get_by_role("button", name="We repaired").click()
    assert "Who reached out first?" in card_text(page)
    card.get_by_role("button", name="Jordan").click()
    card.get_by_role("button", name="Turned toward").first.click()
    card.get_by_role("button", name="Turned away").last.click()
    assert calls(page) == [
        {"domain": "reconnect", "service": "start_check_in",
         "data": {"satellite": "assist_satellite.bedroom", "config_entry_id": ENTRY}},
        {"domain": "reconnect", "service": "log_repair",
         "data": {"initiator": "Jordan", "config_entry_id": ENTRY}},
        {"domain": "reconnect", "service": "log_bid",
         "data": {"bidder": "Maya", "response": "toward", "config_entry_id": ENTRY}},
        {"domain": "reconnect", "service": "log_bid",
         "data": {"bidder": "Jordan", "response": "away", "config_entry_id": ENTRY}},
    ]  # fmt: skip


def test_touch_targets_are_at_least_48px(chromium: BrowserThread) -> None:
    chromium.run(_touch_targets_are_at_least_48px)


def _touch_targets_are_at_least_48px(page: Page) -> None:
    mount(page)
    sizes = page.locator("reconnect-card button").evaluate_all(
        "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
    )
    assert sizes
    assert all(w >= 48 and h >= 48 for w, h in sizes), sizes


CYCLE_STATES = ["connected", "pursue_withdraw", "burned_out_pursuer_risk", "freeze_and_flee"]


@pytest.mark.parametrize("state", CYCLE_STATES)
def test_the_shared_card_names_and_grades_no_one(chromium: BrowserThread, state: str) -> None:
    chromium.run(lambda page: _names_and_grades_no_one(page, state))


def _names_and_grades_no_one(page: Page, state: str) -> None:
    data = json.loads(json.dumps(DATA))
    cycle = data["states"]["sensor.maya_jordan_cycle"]
    cycle["state"] = state
    cycle["attributes"]["voices"] = "both"
    mount(page, data)
    sentence = page.locator("reconnect-card .cycle").inner_text()
    assert sentence
    # The cycle is the problem, not a person: no name, and the pursuer is never pressed.
    assert "Maya" not in sentence
    assert "Jordan" not in sentence
    assert "check-in may help" not in sentence
    assert "small step from" not in sentence
    if state in ("burned_out_pursuer_risk", "freeze_and_flee"):
        # Worded as what was logged; support has its own place, said once.
        assert "Fewer bids have been logged" in sentence
        assert "couples therapist" not in sentence
        assert "pulled back a little" not in sentence


@pytest.mark.parametrize(
    ("state", "voices", "words"),
    [
        ("one_sided", "one_sided", "Most of what's here was logged by one of you."),
        ("connected", "one_sided", "logging your own part counts too"),
        ("one_sided", "unrecognised", "on your own phone or satellite"),
        ("connected", "both", "You've been turning toward each other."),
        ("insufficient_data", "one_sided", None),
    ],
)
def test_a_one_sided_picture_is_said_in_couple_words(
    chromium: BrowserThread, state: str, voices: str, words: str | None
) -> None:
    chromium.run(lambda page: _one_sided_in_couple_words(page, state, voices, words))


def _one_sided_in_couple_words(page: Page, state: str, voices: str, words: str | None) -> None:
    data = json.loads(json.dumps(DATA))
    cycle = data["states"]["sensor.maya_jordan_cycle"]
    cycle["state"], cycle["attributes"]["voices"] = state, voices
    mount(page, data)
    sentence = page.locator("reconnect-card .cycle")
    if words is None:  # not enough logged to say anything
        assert sentence.count() == 0
        return
    assert words in sentence.inner_text()
    assert "Maya" not in sentence.inner_text()
    assert "Jordan" not in sentence.inner_text()


def test_both_of_us_is_an_answer_on_the_card(chromium: BrowserThread) -> None:
    chromium.run(_both_of_us_on_the_card)


def _both_of_us_on_the_card(page: Page) -> None:
    mount(page)
    card = page.locator("reconnect-card")
    card.get_by_role("button", name="We repaired").click()
    card.get_by_role("button", name="Both of us").click()
    assert calls(page) == [
        {"domain": "reconnect", "service": "log_repair",
         "data": {"initiator": "both", "config_entry_id": ENTRY}},
    ]  # fmt: skip


def test_the_support_suggestion_shows_while_it_is_on(chromium: BrowserThread) -> None:
    chromium.run(_the_support_suggestion_shows_while_it_is_on)


def _the_support_suggestion_shows_while_it_is_on(page: Page) -> None:
    mount(page)
    assert page.locator("reconnect-card .support").count() == 0
    data = json.loads(json.dumps(DATA))
    support = data["states"]["binary_sensor.maya_jordan_support_suggested"]
    support["state"] = "on"
    support["attributes"].update({"suggestion": "couples_support", "heuristic": True})
    mount(page, data)
    words = page.locator("reconnect-card .support").inner_text()
    assert "couples therapist" in words
    assert "not a diagnosis" in words
    assert "Going on your own helps too" in words
    assert "ICEEFT directory" in words
    assert "talk with a domestic-violence helpline first" in words
    assert "If anyone is in danger now, call emergency services." in words
    # Said once on the card: the safety line stays short, and names a local
    # helpline when the couple added one.
    assert card_text(page).count("couples therapist") == 1
    support["attributes"]["helpline"] = "0808 2000 247"
    mount(page, data)
    safety = page.locator("reconnect-card .safety").inner_text()
    assert safety.endswith("Helpline: 0808 2000 247")


def test_it_asks_whether_something_is_still_open_before_support(chromium: BrowserThread) -> None:
    chromium.run(_still_open_first)


def _still_open_first(page: Page) -> None:
    data = json.loads(json.dumps(DATA))
    support = data["states"]["binary_sensor.maya_jordan_support_suggested"]
    support["attributes"]["question"] = "still_open"
    mount(page, data)
    text = card_text(page)
    assert "Is this still open between you?" in text
    assert page.locator("reconnect-card .support").count() == 0
    card = page.locator("reconnect-card")
    card.get_by_role("button", name="Still open").click()
    card.get_by_role("button", name="We repaired").click()
    card.get_by_role("button", name="Both of us").click()
    assert calls(page) == [
        {"domain": "reconnect", "service": "still_open", "data": {"config_entry_id": ENTRY}},
        {"domain": "reconnect", "service": "log_repair",
         "data": {"initiator": "both", "config_entry_id": ENTRY}},
    ]  # fmt: skip


def test_nothing_open_is_said_plainly(chromium: BrowserThread) -> None:
    chromium.run(_nothing_open)


def _nothing_open(page: Page) -> None:
    data = json.loads(json.dumps(DATA))
    data["states"]["sensor.maya_jordan_open_ruptures"]["state"] = "0"
    data["states"]["binary_sensor.maya_jordan_repair_waiting"]["state"] = "off"
    mount(page, data)
    text = card_text(page)
    assert "Nothing is open between you right now." in text
    assert "since your last repair" not in text
    assert page.locator("reconnect-card .banner").count() == 0


def test_reminders_can_be_paused_and_resumed_from_the_card(chromium: BrowserThread) -> None:
    chromium.run(_pause_and_resume)


def _pause_and_resume(page: Page) -> None:
    mount(page)
    card = page.locator("reconnect-card")
    card.get_by_role("button", name="Pause reminders for a week").click()
    data = json.loads(json.dumps(DATA))
    paused = data["states"]["binary_sensor.maya_jordan_reminders_paused"]
    paused["state"], paused["attributes"]["snoozed_until"] = "on", "2026-11-27"
    mount(page, data)
    assert "Reminders are paused until 2026-11-27." in card_text(page)
    card.get_by_role("button", name="Resume reminders").click()
    assert calls(page) == [
        {"domain": "reconnect", "service": "snooze_reminders",
         "data": {"days": 7, "config_entry_id": ENTRY}},
        {"domain": "reconnect", "service": "snooze_reminders",
         "data": {"days": 0, "config_entry_id": ENTRY}},
    ]  # fmt: skip


def test_the_card_needs_no_partners_figures(chromium: BrowserThread) -> None:
    chromium.run(_no_partner_figures)


def _no_partner_figures(page: Page) -> None:
    # The fixture is what HA's frontend lists: per-partner sensors are off by default.
    assert not [e for e in DATA["entities"] if "jordan_maya_" in e or "jordan_jordan_" in e]
    mount(page)
    assert "Of 6 bids, turned toward" in card_text(page)


def test_a_clear_message_when_reconnect_is_not_set_up(chromium: BrowserThread) -> None:
    chromium.run(_a_clear_message_when_reconnect_is_not_set_up)


def _a_clear_message_when_reconnect_is_not_set_up(page: Page) -> None:
    mount(page, {"states": {}, "entities": {}, "devices": {}})
    assert "Reconnect is not set up yet" in card_text(page)


def test_it_re_renders_only_when_its_entities_change(chromium: BrowserThread) -> None:
    chromium.run(_it_re_renders_only_when_its_entities_change)


def _it_re_renders_only_when_its_entities_change(page: Page) -> None:
    mount(page)
    timings = page.evaluate(
        """() => {
          const card = window.__card;
          let renders = 0;
          const original = card._render.bind(card);
          card._render = () => { renders += 1; original(); };
          // Another entity in the house changes: no render.
          const kitchen = { ...window.__hass.states, "light.kitchen": { state: "on" } };
          card.hass = { ...window.__hass, states: kitchen };
          const unrelated = renders;
          const times = [];
          for (let i = 0; i < 50; i += 1) {
            const states = { ...window.__hass.states };
            const id = "sensor.maya_jordan_nights_checked_in_of_14";
            states[id] = { ...states[id], state: String(5 + (i % 3)) };
            const t = performance.now();
            card.hass = { ...window.__hass, states };
            times.push(performance.now() - t);
          }
          return { unrelated, renders, times };
        }"""
    )
    assert timings["unrelated"] == 0
    assert timings["renders"] == 50
    median = statistics.median(timings["times"])
    print(f"\nCARD render per hass update: median {median:.2f} ms over 50 updates")
    (ARTIFACTS / "card-render.json").parent.mkdir(exist_ok=True)
    (ARTIFACTS / "card-render.json").write_text(json.dumps({"median_ms": median}))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots(chromium: BrowserThread, theme: str) -> None:
    chromium.run(lambda page: _screenshot(page, theme))


def _screenshot(page: Page, theme: str) -> None:
    if theme == "dark":
        page.evaluate("document.documentElement.classList.add('dark')")
    # The README's picture shows the shared-screen cycle sentence too.
    data = json.loads(json.dumps(DATA))
    data["states"]["sensor.maya_jordan_cycle"]["state"] = "pursue_withdraw"
    data["states"]["sensor.maya_jordan_cycle"]["attributes"]["voices"] = "both"
    mount(page, data)
    ARTIFACTS.mkdir(exist_ok=True)
    # Bytes, written here: Playwright would write files from a thread it starts
    # lazily, and phcc fails a test during which a thread starts.
    png = page.locator("reconnect-card").screenshot()
    (ARTIFACTS / f"card-{theme}.png").write_bytes(png)
    background = page.locator("reconnect-card ha-card").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert background == ("rgb(255, 255, 255)" if theme == "light" else "rgb(28, 28, 28)")
