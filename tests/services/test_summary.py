"""The words of a session's summary, shared by the window's summary page and the terminal."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain import Rating
from quizapp.services.study import SessionSummary
from quizapp.services.summary import finished_title, summary_text, when

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time is UTC, so that "tomorrow" is the same day everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def summary(
    answered: int = 0,
    ratings: dict[Rating, int] | None = None,
    seconds: float = 0.0,
    next_due: datetime | None = None,
    beyond_limit: bool = False,
) -> SessionSummary:
    return SessionSummary(NOW, answered, ratings or {}, seconds, next_due, beyond_limit)


def test_a_session_counts_its_answers_per_grade_and_says_when_more_is_due() -> None:
    text = summary_text(
        summary(3, {Rating.AGAIN: 1, Rating.GOOD: 2}, 200, NOW + timedelta(minutes=9))
    )
    assert text.splitlines() == [
        "You answered 3 cards in about 3 min (Again 1 · Hard 0 · Good 2 · Easy 0).",
        "The next card is due in 9 minutes.",
    ]


def test_one_card_in_a_few_seconds_reads_as_one_card_in_about_a_minute() -> None:
    text = summary_text(summary(1, {Rating.EASY: 1}, 4, NOW + timedelta(seconds=30)))
    assert text.splitlines()[0] == (
        "You answered 1 card in about 1 min (Again 0 · Hard 0 · Good 0 · Easy 1)."
    )
    assert text.splitlines()[1] == "The next card is due in 1 minute."


def test_a_learner_who_stops_early_is_told_what_is_left_not_that_nothing_is_due() -> None:
    text = summary_text(summary(next_due=NOW - timedelta(hours=1)), left=12)
    assert text == "12 cards are still to study now."
    assert summary_text(summary(1, {Rating.GOOD: 1}, 10), left=1).splitlines()[1] == (
        "1 card is still to study now."
    )


def test_nothing_due_and_nothing_scheduled() -> None:
    assert summary_text(summary()) == (
        "Nothing is due in this deck right now.\nNo cards are scheduled yet."
    )


def test_the_new_card_limit_is_named_when_it_holds_cards_back() -> None:
    text = summary_text(summary(20, {Rating.GOOD: 20}, 600, beyond_limit=True))
    assert "Today's limit of new cards is reached; more new cards come tomorrow." in text
    assert "No cards are scheduled yet." not in text


@pytest.mark.usefixtures("utc_local_time")
def test_when_reads_as_a_person_says_it() -> None:
    assert when(NOW, NOW) == "now"
    assert when(NOW + timedelta(minutes=1, seconds=20), NOW) == "in 1 minute"
    assert when(NOW + timedelta(hours=3), NOW) == "in 3 hours (at 12:30)"
    assert when(NOW + timedelta(hours=1), NOW) == "in 1 hour (at 10:30)"
    assert when(NOW + timedelta(days=1), NOW) == "tomorrow at 09:30"
    assert when(NOW + timedelta(days=8), NOW) == "on 3 December"
    assert when(NOW + timedelta(days=400), NOW) == "on 30 December 2027"


def test_the_title_names_the_deck_studied() -> None:
    assert finished_title("Kinds::Rich") == "Kinds::Rich: finished for now"
    assert finished_title("") == "Finished for now"
