"""Studying through the service the GUI uses: scheduling, the review log, undo, limits."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from pathlib import Path

import fsrs
import pytest
from sqlalchemy import update

from quizapp.bootstrap import App, open_app
from quizapp.domain import CardState, Rating, ReviewKind
from quizapp.errors import UserError
from quizapp.services import ManualClock, StudySession
from quizapp.storage.models import PresetRow
from tests.conftest import DATA, SMALL_BANK


def _review_rows(db_path: Path) -> list[tuple[int, int, int, int]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT card_id, rating, state_before, state_after FROM reviews ORDER BY id"
        ).fetchall()


def _fsrs_after(session: StudySession, rating: Rating, seed: int, now: object) -> fsrs.Card:
    """What the fsrs package itself schedules for the current card (same time, same draw)."""
    current = session.current
    assert current is not None
    random.seed(seed)
    scheduler = fsrs.Scheduler(enable_fuzzing=True)
    card = fsrs.Card(card_id=1, due=current.card.memory.due)
    after, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), now)  # type: ignore[arg-type]
    return after


@pytest.mark.parametrize("rating", list(Rating))
def test_each_grade_schedules_what_fsrs_gives(
    db_path: Path, clock: ManualClock, rating: Rating
) -> None:
    rng = random.Random(11)
    app = open_app(db_path, clock=clock, rng=rng, seed_banks=[SMALL_BANK])
    seed = random.Random(11).getrandbits(64)  # the session draws one seed per card shown
    session = app.study(None)
    card_id = session.current.card.id  # type: ignore[union-attr]
    expected = _fsrs_after(session, rating, seed, clock.now())

    session.answer(rating, duration_ms=4200)

    with app.database.transaction() as store:
        stored = store.cards.get(card_id).memory
    app.close()
    assert int(stored.state) == int(expected.state)
    assert stored.step == expected.step
    assert stored.stability == pytest.approx(expected.stability)
    assert stored.difficulty == pytest.approx(expected.difficulty)
    assert stored.due == expected.due
    assert stored.last_review == clock.now()


def test_grade_buttons_show_what_the_answer_then_schedules(small_app: App) -> None:
    session = small_app.study(None)
    for _ in range(6):
        current = session.current
        assert current is not None
        promised = current.outcomes[Rating.EASY].memory.due
        session.answer(Rating.EASY, 1000)
        with small_app.database.transaction() as store:
            assert store.cards.get(current.card.id).memory.due == promised


def test_every_answer_is_logged_with_state_before_and_after(
    small_app: App, db_path: Path, clock: ManualClock
) -> None:
    session = small_app.study(None)
    first = session.current
    assert first is not None
    session.answer(Rating.GOOD, 3500, given_answer="a value learned from data")
    with sqlite3.connect(db_path) as connection:
        row = connection.execute(
            "SELECT card_id, rating, duration_ms, kind, state_before, state_after, answer, "
            "reviewed_at FROM reviews"
        ).fetchone()
    assert row == (
        first.card.id,
        int(Rating.GOOD),
        3500,
        int(ReviewKind.LEARNING),
        int(CardState.NEW),
        int(CardState.LEARNING),
        "a value learned from data",
        int(clock.now().timestamp() * 1000),
    )


def test_undo_restores_the_card_and_removes_its_review(small_app: App, db_path: Path) -> None:
    session = small_app.study(None)
    first = session.current
    assert first is not None
    session.answer(Rating.AGAIN, 900)
    second = session.current
    assert second is not None
    assert second.card.id != first.card.id

    shown = session.undo()

    assert shown is not None
    assert shown.card.id == first.card.id
    assert shown.card.memory == first.card.memory
    assert _review_rows(db_path) == []
    with small_app.database.transaction() as store:
        assert store.cards.get(first.card.id).memory == first.card.memory
    assert not session.can_undo
    with pytest.raises(UserError):
        session.undo()


def test_learning_cards_come_back_after_their_step(small_app: App, clock: ManualClock) -> None:
    session = small_app.study(None)
    first = session.current
    assert first is not None
    session.answer(Rating.AGAIN, 1000)  # due again in one minute
    seen = set()
    while session.current is not None and session.current.card.id != first.card.id:
        seen.add(session.current.card.id)
        session.answer(Rating.EASY, 1000)
        clock.advance(timedelta(seconds=20))
    assert session.current is not None
    assert session.current.card.id == first.card.id
    assert session.current.card.memory.state is CardState.LEARNING


def test_finishing_tells_when_the_next_card_is_due(small_app: App, clock: ManualClock) -> None:
    session = small_app.study(None)
    answered = 0
    while session.current is not None:
        session.answer(Rating.EASY, 2000)
        answered += 1
    summary = session.summary()
    # Seven cards, but the reversed note's second card waits for tomorrow (buried sibling).
    assert answered == 6
    assert summary.answered == 6
    assert summary.ratings == {Rating.EASY: 6}
    assert summary.next_due is not None
    assert summary.next_due > clock.now() + timedelta(days=1)
    assert summary.studied_seconds == pytest.approx(12.0)


def test_daily_new_card_limit_is_honoured(small_app: App) -> None:
    with small_app.database.transaction() as store:
        store.connection.execute(update(PresetRow).values(new_per_day=3))
    session = small_app.study(None)
    assert session.current is not None
    assert session.current.counts.new == 3
    for _ in range(3):
        session.answer(Rating.EASY, 1000)
    assert session.current is None
    assert session.summary().new_left_beyond_limit
    again = small_app.study(None)  # a new session the same day sees the same limit
    assert again.current is None


def test_a_deck_session_stays_inside_its_subtree(small_app: App) -> None:
    deck = small_app.decks.find("Test::Counting")
    session = small_app.study(deck)
    kinds = []
    while session.current is not None:
        assert session.current.deck_name == "Test::Counting"
        kinds.append(session.current.note.kind.value)
        session.answer(Rating.EASY, 1000)
    assert sorted(kinds) == ["multiple_choice", "numeric", "typed"]


def test_unknown_deck_names_the_decks_there_are(small_app: App) -> None:
    with pytest.raises(UserError, match=r"no deck called 'Nope'.*'Test::Counting'"):
        small_app.decks.find("Nope")


def test_deck_overview_counts_subdecks(small_app: App) -> None:
    counts = {c.deck.name: c for c in small_app.decks.overview()}
    assert (counts["Test"].new, counts["Test"].cards) == (7, 7)
    assert (counts["Test::Concepts"].new, counts["Test::Counting"].new) == (4, 3)
    session = small_app.study(small_app.decks.find("Test::Counting"))
    session.answer(Rating.AGAIN, 1000)
    counts = {c.deck.name: c for c in small_app.decks.overview()}
    assert (counts["Test::Counting"].new, counts["Test::Counting"].learning) == (2, 1)
    assert (counts["Test"].new, counts["Test"].learning) == (6, 1)


def test_exercise_templates_are_prepared_before_their_first_showing(
    db_path: Path, clock: ManualClock
) -> None:
    from quizapp.exercises.instances import compile_template

    app = open_app(db_path, clock=clock, seed_banks=[DATA / "every-kind.yaml"])
    compile_template.cache_clear()
    session = app.study(None)
    assert session.prepare_exercises() == 1
    assert compile_template.cache_info().currsize == 1  # the one template, compiled ahead
    app.close()


def test_a_checkpoint_moves_answers_into_the_database_file(
    small_app: App, db_path: Path, tmp_path: Path
) -> None:
    session = small_app.study(None)
    session.answer(Rating.GOOD, 1000)
    main_file_only = tmp_path / "copy.db"
    main_file_only.write_bytes(db_path.read_bytes())
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _review_rows(main_file_only)  # everything is still in the write-ahead log
    session.checkpoint()
    main_file_only.write_bytes(db_path.read_bytes())
    assert [row[1] for row in _review_rows(main_file_only)] == [int(Rating.GOOD)]


def _cards_of(app: App, guid: str) -> list[int]:
    with app.database.transaction() as store:
        (stored,) = store.notes.by_guid([guid]).values()
        assert stored.note.id is not None
        faces = store.cards.faces_by_note([stored.note.id])[stored.note.id]
    return [faces[face] for face in sorted(faces)]


def test_a_reversed_pairs_twin_waits_for_the_next_day(small_app: App, clock: ManualClock) -> None:
    forward, reverse = _cards_of(small_app, "small-bank/reversed-weight")
    session = small_app.study(None)
    shown: list[int] = []
    while session.current is not None:
        shown.append(session.current.card.id)
        session.answer(Rating.EASY, 1000)
    assert (forward in shown) != (reverse in shown)  # one of the twins, not both
    waiting = reverse if forward in shown else forward

    clock.advance(timedelta(days=1))
    tomorrow = small_app.study(None)
    seen = []
    while tomorrow.current is not None:
        seen.append(tomorrow.current.card.id)
        tomorrow.answer(Rating.EASY, 1000)
    assert waiting in seen


def test_undo_brings_back_the_twin_its_answer_buried(small_app: App) -> None:
    forward, reverse = _cards_of(small_app, "small-bank/reversed-weight")
    session = small_app.study(None)
    while session.current is not None and session.current.card.id not in (forward, reverse):
        session.answer(Rating.EASY, 1000)
    assert session.current is not None
    twin = reverse if session.current.card.id == forward else forward
    session.answer(Rating.EASY, 1000)
    with small_app.database.transaction() as store:
        assert store.cards.get(twin).buried
    session.undo()
    with small_app.database.transaction() as store:
        assert not store.cards.get(twin).buried


def test_cloze_deletions_of_one_note_are_spread_over_days(
    db_path: Path, clock: ManualClock
) -> None:
    bank = db_path.parent / "cloze.yaml"
    bank.write_text(
        "quizapp_bank: 1\nid: cloze\ndecks:\n  - name: Cloze\n    notes:\n"
        "      - id: adam\n        kind: cloze\n"
        "        text: '{{c1::Adam}} keeps {{c2::two}} moments with decay {{c3::0.9}}.'\n",
        encoding="utf-8",
    )
    app = open_app(db_path, clock=clock, seed_banks=[bank])
    try:
        per_day = []
        for _ in range(3):
            session = app.study(None)
            answered = 0
            while session.current is not None:
                session.answer(Rating.EASY, 1000)
                answered += 1
            per_day.append(answered)
            clock.advance(timedelta(days=1))
    finally:
        app.close()
    assert per_day[0] == 1  # c2 and c3 wait: they are not shown back to back with c1


def test_the_state_committed_is_the_one_its_button_showed(
    small_app: App, clock: ManualClock
) -> None:
    session = small_app.study(None)
    current = session.current
    assert current is not None
    previewed = current.outcomes[Rating.GOOD].memory
    clock.advance(timedelta(seconds=40))  # the learner thinks before grading
    session.answer(Rating.GOOD, 40_000)
    with small_app.database.transaction() as store:
        assert store.cards.get(current.card.id).memory == previewed


def test_intervals_are_those_of_the_showing_however_late_the_answer_is_revealed(
    tmp_path: Path, clock: ManualClock
) -> None:
    # The same collection and seeds three times: the answer revealed at once, revealed
    # (and graded) an hour after the card was shown, and graded without a reveal.
    results = []
    for late in (timedelta(0), timedelta(hours=1), None):
        own_clock = ManualClock(clock.now())
        app = open_app(
            tmp_path / f"{late}.db", clock=own_clock, rng=random.Random(5), seed_banks=[SMALL_BANK]
        )
        session = app.study(None)
        current = session.current
        assert current is not None
        labels = None
        if late is not None:
            own_clock.advance(late)
            labels = [current.interval_label(rating) for rating in Rating]
        session.answer(Rating.HARD, 5000)
        with app.database.transaction() as store:
            results.append((labels, store.cards.get(current.card.id).memory))
        app.close()
    (at_once, at_once_memory), (late_labels, late_memory), (_, unrevealed_memory) = results
    assert at_once == late_labels
    assert at_once_memory == late_memory == unrevealed_memory
    assert late_memory.due < clock.now() + timedelta(hours=1)  # from the showing, not the reveal


def test_a_card_left_on_screen_counts_a_minute_at_most(small_app: App) -> None:
    session = small_app.study(None)
    assert session.current is not None
    card_id = session.current.card.id
    session.answer(Rating.GOOD, 3_600_000)  # the learner went for lunch
    with small_app.database.transaction() as store:
        assert store.reviews.history(card_id)[-1].duration_ms == 60_000
    assert session.summary().studied_seconds == 60
