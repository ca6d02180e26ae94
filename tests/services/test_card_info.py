"""Card info: a card's whole history, its numbers checked against a computation by hand."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import CardState, NoteKind, Rating
from quizapp.domain.manual import ManualAction
from quizapp.services import ManualClock
from quizapp.services.card_info import CardInfo
from tests.conftest import DATA, START

BANK = """quizapp_bank: 1
id: info
decks:
  - name: Info
    notes:
      - id: one
        front: One card
        back: with a history
"""
# FSRS-6's default decay, written out: the hand computation must not borrow the app's.
W20 = 0.1542
FACTOR = 0.9 ** (-1 / W20) - 1


def by_hand(stability: float, days: int) -> float:
    """FSRS-6's forgetting curve."""
    return (1 + FACTOR * days / stability) ** -W20


@pytest.fixture
def info_app(tmp_path: Path, clock: ManualClock) -> Iterator[App]:
    bank = tmp_path / "info.yaml"
    bank.write_text(BANK, encoding="utf-8")
    app = open_app(tmp_path / "info.db", clock=clock, rng=Random(2), seed_banks=[bank])
    yield app
    app.close()


def _answer(app: App, rating: Rating, duration_ms: int) -> int:
    session = app.study(None)
    assert session.current is not None
    card_id = session.current.card.id
    session.answer(rating, duration_ms)
    return card_id


def _logged(db_path: Path) -> list[tuple[int, float, float, int, float | None, int | None]]:
    """(reviewed_at, stability_after, difficulty_after, due_after, stability_before,
    last_review_before) of each answer, in ms and as stored."""
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT reviewed_at, stability_after, difficulty_after, due_after, stability_before, "
            "last_review_before FROM reviews WHERE rating > 0 ORDER BY reviewed_at"
        ).fetchall()


def _history(app: App, clock: ManualClock) -> tuple[int, list[datetime]]:
    """Good, Good ten minutes later, Hard five days on, Again 20 days after that."""
    times = [clock.now()]
    card_id = _answer(app, Rating.GOOD, 4000)
    for delay, rating, took in (
        (timedelta(minutes=10), Rating.GOOD, 3000),
        (timedelta(days=5), Rating.HARD, 7000),
        (timedelta(days=20, hours=6), Rating.AGAIN, 12000),
    ):
        clock.advance(delay)
        times.append(clock.now())
        assert _answer(app, rating, took) == card_id
    return card_id, times


def test_card_info_numbers_agree_with_a_computation_by_hand(
    info_app: App, clock: ManualClock, tmp_path: Path
) -> None:
    card_id, times = _history(info_app, clock)
    clock.advance(timedelta(days=2, hours=3))

    info = info_app.cards.card_info(card_id)

    logged = _logged(tmp_path / "info.db")
    assert [line.at for line in info.history] == times
    assert [line.rating for line in info.history] == [
        Rating.GOOD,
        Rating.GOOD,
        Rating.HARD,
        Rating.AGAIN,
    ]
    assert [line.duration_ms for line in info.history] == [4000, 3000, 7000, 12000]
    assert [line.kind for line in info.history] == ["Learning", "Learning", "Review", "Review"]
    for line, (at, stability, difficulty, due, _, _) in zip(info.history, logged, strict=True):
        assert line.interval_days == pytest.approx((due - at) / 86_400_000)
        assert line.stability == pytest.approx(stability)
        assert line.difficulty == pytest.approx(difficulty)
    assert info.history[0].retrievability is None  # a new card has no memory yet
    for line, (at, _, _, _, stability_before, last_before) in zip(
        info.history[1:], logged[1:], strict=True
    ):
        assert stability_before is not None
        assert last_before is not None
        whole_days = (at - last_before) // 86_400_000
        assert line.retrievability == pytest.approx(by_hand(stability_before, whole_days))
    assert info.history[2].retrievability == pytest.approx(by_hand(logged[2][4], 5))  # type: ignore[arg-type]
    _check_now(info, logged, clock)


def _check_now(info: CardInfo, logged: list, clock: ManualClock) -> None:  # type: ignore[type-arg]
    last_at, last_stability = logged[-1][0], logged[-1][1]
    assert info.state is CardState.RELEARNING
    assert info.retrievability == pytest.approx(
        by_hand(last_stability, (round(clock.now().timestamp() * 1000) - last_at) // 86_400_000)
    )
    assert (info.reviews, info.lapses) == (4, 1)
    assert info.added == START
    assert info.first_review == START
    assert info.latest_review == datetime.fromtimestamp(last_at / 1000, tz=UTC)
    assert info.due == datetime.fromtimestamp(logged[-1][3] / 1000, tz=UTC)
    assert info.note_kind is NoteKind.BASIC
    assert info.deck_name == "Info"
    assert info.new_position is None
    assert info.source is not None
    assert (info.source.name, info.source.format) == ("info.yaml", "yaml")


def test_manual_changes_are_lines_of_the_history(info_app: App, clock: ManualClock) -> None:
    card_id, _ = _history(info_app, clock)
    clock.advance(timedelta(hours=1))
    info_app.cards.set_due_date([card_id], "4")
    clock.advance(timedelta(hours=1))
    info_app.cards.forget([card_id], restore_position=False)

    info = info_app.cards.card_info(card_id)

    manual = [line for line in info.history if line.rating is None]
    assert [line.action for line in manual] == [ManualAction.SET_DUE_DATE, ManualAction.FORGET]
    assert [line.kind for line in manual] == ["Manual", "Manual"]
    assert manual[1].stability is None
    assert (info.reviews, info.lapses) == (4, 1)  # a plain forget keeps the counts
    assert info.state is CardState.NEW
    assert info.new_position == 1
    assert info.retrievability is None


def test_an_exercise_shows_the_values_each_showing_drew_and_the_answer_given(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = open_app(
        tmp_path / "kinds.db", clock=clock, rng=Random(4), seed_banks=[DATA / "every-kind.yaml"]
    )
    try:
        session = app.study(None)
        while session.current is not None and session.current.exercise is None:
            session.answer(Rating.EASY, 1000)
        assert session.current is not None
        assert session.current.exercise is not None
        card_id = session.current.card.id
        drawn = dict(session.current.exercise.stored_values())
        session.answer(Rating.GOOD, 2500, given_answer="1234")
        info = app.cards.card_info(card_id)
    finally:
        app.close()
    (line,) = info.history
    assert line.shown == drawn
    assert line.answer == "1234"
    assert info.note_kind is NoteKind.EXERCISE
