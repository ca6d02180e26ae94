"""The study session checks answers itself: one verdict for every kind, numbered as shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import MultipleChoiceContent, Rating
from quizapp.domain.answers import (
    AnswerMode,
    Correctness,
    Mark,
    MatchedResponse,
    PickedResponse,
    TickedResponse,
    TypedResponse,
)
from quizapp.errors import UserError
from quizapp.services import ManualClock, StudySession
from quizapp.services.presentation import keeps_order
from tests.conftest import DATA

EVERY_KIND = DATA / "every-kind.yaml"


@pytest.fixture
def app(db_path: Path, clock: ManualClock) -> Iterator[App]:
    app = open_app(db_path, clock=clock, rng=Random(5), seed_banks=[EVERY_KIND])
    yield app
    app.close()


def go_to(session: StudySession, note_id: str) -> None:
    """Answer Easy until the note ``every-kind/<note_id>`` is on screen."""
    for _ in range(40):
        current = session.current
        assert current is not None, f"{note_id} never came up"
        if current.note.guid == f"every-kind/{note_id}":
            return
        session.answer(Rating.EASY, 1000)
    raise AssertionError(note_id)


def shown_index(session: StudySession, text: str) -> int:
    """Where the choice ``text`` is shown on the current card."""
    assert session.current is not None
    return session.current.presentation.choices.index(text)


def test_a_typo_shows_what_was_typed_with_its_wrong_letters_marked(app: App) -> None:
    session = app.study(None)
    go_to(session, "typed")
    verdict = session.check(TypedResponse("lerning rote"))
    assert verdict.correctness is Correctness.WRONG
    assert verdict.proposed is Rating.AGAIN
    # The learner's own text, not the expected one, with the differences marked.
    assert "".join(part.text for part in verdict.typed) == "lerning rote"
    assert [part.text for part in verdict.typed if part.mark is Mark.WRONG] == ["o"]
    assert "".join(part.text for part in verdict.expected_marked) == "learning rate"
    assert [p.text for p in verdict.expected_marked if p.mark is Mark.MISSING] == ["a", "a"]


def test_a_right_typed_answer_proposes_good_and_is_recorded(app: App) -> None:
    session = app.study(None)
    go_to(session, "typed")
    verdict = session.check(TypedResponse("  Learning RATE "))
    assert verdict.correct
    assert verdict.proposed is Rating.GOOD
    assert session.current is not None
    card_id = session.current.card.id
    session.answer(Rating.GOOD, 2000)
    with app.database.transaction() as store:
        assert store.reviews.history(card_id)[-1].answer == "Learning RATE"


def test_picks_are_numbered_as_shown_whatever_the_shuffle(app: App) -> None:
    session = app.study(None)
    go_to(session, "mc")
    assert session.current is not None
    assert session.current.mode is AnswerMode.PICK
    adam = shown_index(session, "Adam")
    verdict = session.check(PickedResponse(adam))
    assert verdict.correct
    assert verdict.right_choices == {adam}
    assert verdict.chosen == {adam}


def test_a_partly_right_pick_proposes_again(app: App) -> None:
    session = app.study(None)
    go_to(session, "mc")
    verdict = session.check(PickedResponse(shown_index(session, "RMSprop")))  # weight 0.5
    assert verdict.correctness is Correctness.PARTLY
    assert verdict.credit == 0.5
    assert verdict.proposed is Rating.AGAIN


def test_ticks_are_graded_with_partial_credit_proposing_again(app: App) -> None:
    session = app.study(None)
    go_to(session, "mr")
    assert session.current is not None
    assert session.current.mode is AnswerMode.TICK
    weights = shown_index(session, "weights")
    verdict = session.check(TickedResponse(frozenset({weights})))
    assert verdict.correctness is Correctness.PARTLY
    assert verdict.proposed is Rating.AGAIN
    both = frozenset({weights, shown_index(session, "biases")})
    assert session.check(TickedResponse(both)).correct


def test_matching_rows_each_get_their_verdict(app: App) -> None:
    session = app.study(None)
    go_to(session, "matching")
    current = session.current
    assert current is not None
    assert current.mode is AnswerMode.MATCH
    assert current.presentation.match_prompts == ("SGD", "ReLU", "dropout")
    verdict = session.check(MatchedResponse(("optimizer", "regularizer", "regularizer")))
    assert verdict.correctness is Correctness.PARTLY
    assert verdict.proposed is Rating.AGAIN
    assert [row.right for row in verdict.rows] == [True, False, True]
    assert verdict.rows[1].expected == "activation"


def test_a_wrong_exercise_answer_names_the_mistake(app: App) -> None:
    session = app.study(None)
    go_to(session, "dense")
    current = session.current
    assert current is not None
    assert current.exercise is not None
    weights = current.exercise.steps["weights"]
    verdict = session.check(TypedResponse(str(weights)))
    assert not verdict.correct
    assert verdict.mistake == "forgot the biases"
    assert verdict.note == ""


def test_a_number_out_of_range_says_which_way(app: App) -> None:
    session = app.study(None)
    go_to(session, "numeric")
    verdict = session.check(TypedResponse("5,000"))
    assert verdict.note == "too high"
    assert verdict.mistake == ""
    assert session.check(TypedResponse("fifty")).note == "not a number"


def test_checking_a_choice_that_is_not_there_is_refused(app: App) -> None:
    session = app.study(None)
    go_to(session, "mc")
    with pytest.raises(UserError, match="no choice 9"):
        session.check(PickedResponse(8))


def test_choices_are_shuffled_from_showing_to_showing(db_path: Path, clock: ManualClock) -> None:
    orders = set()
    for seed in range(12):
        app = open_app(
            db_path.with_name(f"{seed}.db"), clock=clock, rng=Random(seed), seed_banks=[EVERY_KIND]
        )
        session = app.study(None)
        go_to(session, "mc")
        assert session.current is not None
        orders.add(session.current.presentation.choices)
        app.close()
    assert len(orders) > 3
    # The right answer is not always in the same place.
    assert len({order.index("Adam") for order in orders}) > 1


def test_undo_shows_the_choices_in_the_order_answered(app: App) -> None:
    session = app.study(None)
    go_to(session, "mc")
    assert session.current is not None
    order = session.current.presentation.choices
    session.check(PickedResponse(shown_index(session, "Adam")))
    session.answer(Rating.GOOD, 1000)
    shown = session.undo()
    assert shown is not None
    assert shown.note.guid == "every-kind/mc"
    assert shown.presentation.choices == order


def test_choices_that_refer_to_the_others_keep_their_order() -> None:
    assert keeps_order(["Weights", "Biases", "All of the above"])
    assert keeps_order(["A", "B", "None of these"])
    assert keeps_order(["SGD", "Adam", "Both A and B"])
    assert not keeps_order(["SGD", "Adam", "RMSprop", "Adagrad"])
    assert not keeps_order(["All weights", "Biases above zero"])


def test_a_bank_that_fixes_the_order_is_shown_in_that_order(app: App) -> None:
    with app.database.transaction() as store:
        (stored,) = store.notes.by_guid(["every-kind/mc"]).values()
        note = stored.note
        assert isinstance(note.content, MultipleChoiceContent)
        fixed = MultipleChoiceContent(
            note.content.question, note.content.choices, note.content.correct, fixed_order=True
        )
        assert note.id is not None
        store.notes.update(note.id, type(note)(note.guid, note.kind, fixed), app.clock.now())
    session = app.study(None)
    go_to(session, "mc")
    assert session.current is not None
    assert session.current.presentation.choices == ("SGD", "Adam", "RMSprop", "Adagrad")
