"""The check-in dialogue as a pure state machine, without Home Assistant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from custom_components.reconnect.checkin import (
    PROMPT_REST_DAYS,
    Appreciation,
    CheckIn,
    Rating,
    Say,
    Stage,
    parse_rating,
    pick_prompt,
)

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("four", 4),
        ("a 4", 4),
        ("I'd say four out of five", 4),
        ("FIVE", 5),
        ("seven", 7),
        ("12", 12),
        ("I don't know", None),
        ("", None),
    ],
)
def test_parse_rating(text: str, rating: int | None) -> None:
    assert parse_rating(text) == rating


def test_a_whole_dialogue() -> None:
    checkin = CheckIn(prompt="What made you smile?", started_at=NOW)
    turn = checkin.start()
    assert turn.ack == [Say("greet")]
    assert turn.ask == [Say("ask_rating", {"partner": "a"})]
    turn = checkin.answer_rating("four")
    assert turn.records == [Rating("a", 4)]
    assert turn.ask == [Say("ask_rating_next", {"partner": "b"})]
    turn = checkin.answer_rating("two")
    assert turn.ack[-1] == Say("question", {"prompt": "What made you smile?"})
    assert not turn.listen  # the couple talks the question over together
    assert checkin.stage is Stage.APPRECIATION
    turn = checkin.answer_appreciation(" the tea ", "b")
    assert turn.records == [Appreciation("b", "the tea")]
    turn = checkin.skip()
    assert turn.finished
    assert checkin.complete


def test_answers_out_of_turn_are_turned_away_kindly() -> None:
    checkin = CheckIn(prompt="Q?", started_at=NOW)
    checkin.start()
    turn = checkin.answer_appreciation("the tea", None)
    assert turn.ack == [Say("not_now")]
    assert turn.ask == [Say("ask_rating", {"partner": "a"})]
    assert not turn.records
    checkin.skip()
    checkin.skip()
    turn = checkin.answer_rating("four")
    assert turn.ack == [Say("not_now")]
    assert not turn.records
    assert checkin.answer_appreciation("   ", "a").ack == [Say("not_now")]
    assert checkin.resume().ask[0] == Say("question", {"prompt": "Q?"})
    assert not checkin.complete  # nobody rated


def test_stopping_early_is_partial() -> None:
    checkin = CheckIn(prompt="Q?", started_at=NOW)
    checkin.start()
    checkin.answer_rating("5")
    assert checkin.stop().finished
    assert not checkin.complete


def test_prompts_rotate_least_recently_asked_first() -> None:
    deck = ["p1", "p2", "p3"]
    today = date(2026, 11, 20)
    assert pick_prompt(deck, {}, today) == "p1"
    used = {"p1": today - timedelta(days=1)}
    assert pick_prompt(deck, used, today) == "p2"
    rested = today - timedelta(days=PROMPT_REST_DAYS)
    used = {"p1": rested, "p2": today - timedelta(days=3), "p3": today - timedelta(days=2)}
    assert pick_prompt(deck, used, today) == "p1"
    # A deck smaller than the rest period still answers, with the oldest.
    used = {"p1": today - timedelta(days=5), "p2": today - timedelta(days=3), "p3": today}
    assert pick_prompt(deck, used, today) == "p1"
