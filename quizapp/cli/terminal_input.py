"""What a line typed in ``quizapp study --terminal`` means on the card shown.

One line is one answer: nothing (or spaces) to show the answer of a card answered
by thinking, the text itself for a typed card, a number to pick, numbers to tick
(``1 3``), one letter per row to match (``b a c``).  A line that does not fit
raises :class:`~quizapp.errors.UserError` with the sentence to show before
asking again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import assert_never

from quizapp.domain import Rating
from quizapp.domain.answers import (
    AnswerMode,
    MatchedResponse,
    PickedResponse,
    Response,
    TickedResponse,
    TypedResponse,
)
from quizapp.domain.numbers import format_number
from quizapp.domain.wording import count
from quizapp.errors import UserError

_SEPARATORS = re.compile(r"[\s,;]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
NO_PICK = "-"  # a matching row left without an answer
_MAX_DIGITS = 6  # no choice number is longer; int() of a long run of digits is refused


class Command(Enum):
    """A line that is not an answer."""

    UNDO = "u"
    QUIT = "q"


@dataclass(frozen=True, slots=True)
class CardShape:
    """What a line is read against: how the card is answered, its choices and rows."""

    mode: AnswerMode
    choices: int = 0
    rows: int = 0
    answers: tuple[str, ...] = ()  # what a matching card offers each row, lettered a, b, …


def command(line: str) -> Command | None:
    """``u`` or ``q`` alone on the line (spaces aside), else None."""
    text = line.strip()
    return next((c for c in Command if c.value == text), None)


def letter(index: int) -> str:
    """``a`` … ``z``, then ``aa``, ``ab`` …: the label of a matching card's answer."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(_LETTERS))
        label = _LETTERS[rest] + label
    return label


def read_answer(shape: CardShape, line: str) -> Response | None:
    """The response ``line`` gives on a card of ``shape``; None shows the answer of a
    card answered by thinking.  Raises :class:`UserError` when the line does not fit."""
    mode = shape.mode
    match mode:
        case AnswerMode.REVEAL:
            if line.strip():
                raise UserError("Think of the answer, then press Enter to see it.")
            return None
        case AnswerMode.TYPE:
            return TypedResponse(line.strip())
        case AnswerMode.PICK:
            return _pick(shape.choices, line)
        case AnswerMode.TICK:
            return _ticks(shape.choices, line)
        case AnswerMode.MATCH:
            return _matches(shape, line)
        case _:
            assert_never(mode)


def read_grade(line: str, default: Rating) -> Rating:
    """The grade of ``line``: 1–4, or ``default`` for an empty line."""
    text = line.strip()
    if not text:
        return default
    if text in {str(rating.value) for rating in Rating}:
        return Rating(int(text))
    raise UserError(f"Grade with 1, 2, 3 or 4, or press Enter for {default.label}.")


def _pick(choices: int, line: str) -> PickedResponse:
    number = _number(line.strip())
    if number is None or not 1 <= number <= choices:
        raise UserError(f"Choose a number from 1 to {format_number(choices)}.")
    return PickedResponse(number - 1)


def _ticks(choices: int, line: str) -> TickedResponse:
    ticked = set()
    for token in _tokens(line):
        number = _number(token)
        if number is None:
            raise UserError(
                "Tick with the numbers of the choices, separated by spaces: 1 3 "
                "(or press Enter to tick none)."
            )
        if not 1 <= number <= choices:
            raise UserError(
                f"There is no choice {token}; the choices are 1 to {format_number(choices)}."
            )
        ticked.add(number - 1)
    return TickedResponse(frozenset(ticked))


def _matches(shape: CardShape, line: str) -> MatchedResponse:
    lettered = {letter(index): answer for index, answer in enumerate(shape.answers)}
    last = letter(max(0, len(shape.answers) - 1))
    tokens = [token.lower() for token in _tokens(line)]
    if len(tokens) == 1 < shape.rows == len(tokens[0]) and len(last) == 1:
        tokens = list(tokens[0])  # "bac" for "b a c"
    if len(tokens) != shape.rows:
        raise UserError(
            f"Give one letter for each of the {count(shape.rows, 'row')}, in order "
            f"(a to {last}, or {NO_PICK} to leave a row out), separated by spaces."
        )
    picks: list[str | None] = []
    for token in tokens:
        if token != NO_PICK and token not in lettered:
            shown = token if len(token) <= _MAX_DIGITS else token[:_MAX_DIGITS] + "…"
            raise UserError(f"There is no answer {shown}; the answers are a to {last}.")
        picks.append(lettered.get(token))
    return MatchedResponse(tuple(picks))


def _tokens(line: str) -> list[str]:
    return [token for token in _SEPARATORS.split(line.strip()) if token]


def _number(token: str) -> int | None:
    if not token.isdecimal() or len(token) > _MAX_DIGITS:
        return None
    return int(token)
