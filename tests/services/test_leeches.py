"""A card forgotten again and again is tagged leech and suspended: 8th lapse, every 4th after."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import CardState, Rating
from quizapp.services import ManualClock, StudySession
from quizapp.services.leeches import LEECH_NOTICE, is_leech

BANK = """quizapp_bank: 1
id: leeches
decks:
  - name: Hard
    notes:
      - id: target
        front: The thing I keep forgetting
        back: its answer
      - id: filler-1
        front: Something else
        back: else
      - id: filler-2
        front: Something more
        back: more
"""


@pytest.fixture
def leech_app(tmp_path: Path, clock: ManualClock) -> App:
    bank = tmp_path / "leeches.yaml"
    bank.write_text(BANK, encoding="utf-8")
    app = open_app(tmp_path / "leeches.db", clock=clock, rng=Random(5), seed_banks=[bank])
    yield app  # type: ignore[misc]
    app.close()


def _target(app: App) -> int:
    with app.database.transaction() as store:
        (stored,) = store.notes.by_guid(["leeches/target"]).values()
        assert stored.note.id is not None
        return store.cards.faces_by_note([stored.note.id])[stored.note.id][0]


def _session(app: App, threshold: int | None) -> StudySession:
    if threshold is None:
        return app.study(None)
    return StudySession(app.database, app.clock, app.rng, None, app.undo_history, threshold)


def _until_due(app: App, clock: ManualClock, card_id: int) -> None:
    with app.database.transaction() as store:
        due = store.cards.get(card_id).memory.due
    if due > clock.now():
        clock.advance(due - clock.now() + timedelta(minutes=1))


def _to_review(app: App, clock: ManualClock, card_id: int, threshold: int | None = None) -> None:
    """Answer the target (new or relearning) Good/Easy until it is a review card again."""
    while True:
        _until_due(app, clock, card_id)
        session = _session(app, threshold)
        assert session.current is not None
        assert session.current.card.id == card_id
        if session.current.card.memory.state is CardState.REVIEW:
            return
        session.answer(Rating.EASY, 1000)
        with app.database.transaction() as store:
            if store.cards.get(card_id).memory.state is CardState.REVIEW:
                return


def _lapse(
    app: App, clock: ManualClock, card_id: int, threshold: int | None = None
) -> StudySession:
    """Let the target come due in review, and answer Again."""
    _to_review(app, clock, card_id, threshold)
    _until_due(app, clock, card_id)
    session = _session(app, threshold)
    assert session.current is not None
    assert session.current.card.id == card_id
    session.answer(Rating.AGAIN, 1000)
    return session


def _tags_and_suspended(app: App, card_id: int) -> tuple[tuple[str, ...], bool]:
    with app.database.transaction() as store:
        card = store.cards.get(card_id)
        return store.notes.get(card.note_id).tags, card.suspended


def test_the_8th_and_12th_lapses_make_a_leech(leech_app: App, clock: ManualClock) -> None:
    card_id = _target(leech_app)
    notices = {}
    for lapse in range(1, 13):
        session = _lapse(leech_app, clock, card_id)
        notices[lapse] = session.notice
        if lapse in (8, 12):
            assert session.current is not None  # the next card tells the learner
            assert session.current.notice == LEECH_NOTICE.format(lapses=lapse)
            assert _tags_and_suspended(leech_app, card_id) == (("leech",), True)
            leech_app.cards.unsuspend([card_id])  # the learner rewrote it
        else:
            assert _tags_and_suspended(leech_app, card_id)[1] is False

    assert [lapse for lapse, notice in notices.items() if notice] == [8, 12]
    assert notices[8].startswith("That card has been forgotten 8 times: it is tagged leech")
    with leech_app.database.transaction() as store:
        assert store.reviews.counts(card_id)[1] == 12


def test_undoing_the_lapse_that_made_a_leech_takes_the_tag_and_suspension_off(
    leech_app: App, clock: ManualClock
) -> None:
    card_id = _target(leech_app)
    for _ in range(7):
        _lapse(leech_app, clock, card_id)
    session = _lapse(leech_app, clock, card_id)
    assert _tags_and_suspended(leech_app, card_id) == (("leech",), True)

    shown = session.undo()

    assert shown is not None
    assert shown.card.id == card_id
    assert _tags_and_suspended(leech_app, card_id) == ((), False)
    with leech_app.database.transaction() as store:
        assert store.reviews.counts(card_id)[1] == 7
    session.answer(Rating.AGAIN, 1000)  # the same lapse again sets it aside again
    assert _tags_and_suspended(leech_app, card_id) == (("leech",), True)


def test_the_threshold_is_the_sessions_to_choose(leech_app: App, clock: ManualClock) -> None:
    card_id = _target(leech_app)
    first = _lapse(leech_app, clock, card_id, threshold=2)
    assert first.notice == ""
    second = _lapse(leech_app, clock, card_id, threshold=2)
    assert second.notice == LEECH_NOTICE.format(lapses=2)


def test_forgetting_with_counts_reset_lets_a_leech_start_afresh(
    leech_app: App, clock: ManualClock
) -> None:
    card_id = _target(leech_app)
    for _ in range(8):
        _lapse(leech_app, clock, card_id)
    leech_app.cards.forget([card_id], reset_counts=True)
    leech_app.cards.unsuspend([card_id])
    with leech_app.database.transaction() as store:
        assert store.reviews.counts(card_id) == (0, 0)
        assert len(store.reviews.history(card_id)) > 8  # the history is kept
    for _ in range(4):
        assert _lapse(leech_app, clock, card_id).notice == ""


def test_a_lapse_is_a_leech_at_the_threshold_and_every_half_threshold_after() -> None:
    assert [n for n in range(1, 25) if is_leech(n)] == [8, 12, 16, 20, 24]
    assert [n for n in range(1, 8) if is_leech(n, threshold=3)] == [3, 4, 5, 6, 7]
    assert not any(is_leech(n, threshold=0) for n in range(1, 30))
