"""What a line typed in ``quizapp study --terminal`` means on each kind of card."""

from __future__ import annotations

import pytest

from quizapp.cli.terminal_input import CardShape, Command, command, letter, read_answer, read_grade
from quizapp.domain import Rating
from quizapp.domain.answers import (
    AnswerMode,
    MatchedResponse,
    PickedResponse,
    TickedResponse,
    TypedResponse,
)
from quizapp.errors import UserError

PICK = CardShape(AnswerMode.PICK, choices=4)
TICK = CardShape(AnswerMode.TICK, choices=4)
MATCH = CardShape(
    AnswerMode.MATCH, rows=3, answers=("activation", "loss function", "optimizer", "regularizer")
)


def test_u_and_q_alone_on_a_line_are_commands_and_nothing_else_is() -> None:
    assert command(" u ") is Command.UNDO
    assert command("q") is Command.QUIT
    assert command("quit now") is None
    assert command("") is None


def test_a_card_answered_by_thinking_shows_its_answer_on_an_empty_line() -> None:
    reveal = CardShape(AnswerMode.REVEAL)
    assert read_answer(reveal, "") is None
    assert read_answer(reveal, "  ") is None
    with pytest.raises(UserError, match="press Enter"):
        read_answer(reveal, "a value")


def test_a_typed_card_takes_the_line_as_it_is() -> None:
    typed = CardShape(AnswerMode.TYPE)
    assert read_answer(typed, " learning rate ") == TypedResponse("learning rate")
    assert read_answer(typed, "") == TypedResponse("")


def test_a_pick_is_a_number_counted_from_one() -> None:
    assert read_answer(PICK, "3") == PickedResponse(2)
    for line in ("0", "5", "", "Adam", "1 2", "9" * 5000):
        with pytest.raises(UserError, match="from 1 to 4"):
            read_answer(PICK, line)


def test_ticks_are_numbers_apart_by_spaces_or_commas() -> None:
    assert read_answer(TICK, "1 3") == TickedResponse(frozenset({0, 2}))
    assert read_answer(TICK, "4,1, 1") == TickedResponse(frozenset({0, 3}))
    assert read_answer(TICK, "") == TickedResponse(frozenset())
    with pytest.raises(UserError, match="numbers of the choices"):
        read_answer(TICK, "weights biases")
    with pytest.raises(UserError, match="no choice 7"):
        read_answer(TICK, "1 7")


def test_matching_takes_one_letter_per_row_in_order() -> None:
    assert read_answer(MATCH, "c a d") == MatchedResponse(
        ("optimizer", "activation", "regularizer")
    )
    assert read_answer(MATCH, "C,A,-") == MatchedResponse(("optimizer", "activation", None))
    assert read_answer(MATCH, "cad") == MatchedResponse(("optimizer", "activation", "regularizer"))
    with pytest.raises(UserError, match="each of the 3 rows"):
        read_answer(MATCH, "c a")
    with pytest.raises(UserError, match="no answer z; the answers are a to d"):
        read_answer(MATCH, "c a z")


def test_answers_beyond_z_are_lettered_on() -> None:
    assert [letter(i) for i in (0, 25, 26, 27, 51, 52)] == ["a", "z", "aa", "ab", "az", "ba"]


def test_a_grade_is_1_to_4_and_enter_takes_the_proposed_one() -> None:
    assert read_grade("", Rating.AGAIN) is Rating.AGAIN
    assert read_grade(" 4 ", Rating.AGAIN) is Rating.EASY
    with pytest.raises(UserError, match="press Enter for Good"):
        read_grade("5", Rating.GOOD)
