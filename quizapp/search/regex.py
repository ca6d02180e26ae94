"""``re:`` patterns that cannot hang the app: what is refused, and how much text is read.

Python's ``re`` backtracks, and has no time limit: ``(a+)+b`` takes longer than the
age of the universe on forty a's, and ``.*.*x`` twelve seconds on 3,000.  A search
runs inside a database query, where a thread cannot be stopped, so the danger is
refused before the query starts, from the parsed pattern:

* no repetition of something that itself repeats or has alternatives (``(a+)+``,
  ``(a|ab)*``), nor back-references (``\\1``): the shapes that backtrack exponentially;
* at most one open-ended repetition (``*``, ``+``, ``{n,}``): two make a polynomial
  of the text's length in the third degree;
* the optional parts and alternatives may combine in a bounded number of ways.

What is left costs at most ``n²·c`` steps on a text of ``n`` characters, ``c`` the
combinations; :attr:`SafeRegex.text_limit` is the length that keeps that under
:data:`STEP_BUDGET` (a few tenths of a second), and each field is searched in its
first ``text_limit`` characters (10,000 for most patterns).  The storage layer also
stops a whole search after :data:`SEARCH_SECONDS`.
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass
from typing import Any

from quizapp.errors import UserError

MAX_PATTERN_LENGTH = 200
STEP_BUDGET = 100_000_000
# Without an open-ended repetition, combinations up to this many; with one, up to the
# number that still leaves MIN_TEXT_LIMIT characters of each field to search.
MAX_COMBINATIONS = 10_000
MIN_TEXT_LIMIT = 1_000
SEARCH_SECONDS = 10.0

# The parser behind re.compile: private, but the only way to see a pattern's structure.
_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")
_REPEATS = {_constants.MAX_REPEAT, _constants.MIN_REPEAT}
_NO_BACKTRACK = {getattr(_constants, "POSSESSIVE_REPEAT", None)} - {None}
_GROUP_REFERENCES = {_constants.GROUPREF, _constants.GROUPREF_EXISTS}
_OPEN = _constants.MAXREPEAT
_CAP = 10**12  # combinations counted no further


@dataclass(frozen=True, slots=True)
class SafeRegex:
    """A checked pattern, compiled case-insensitive, and how much of a field it reads."""

    pattern: str
    compiled: re.Pattern[str]
    text_limit: int


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Shape:
    open_ended: int = 0
    combinations: int = 1
    has_choice: bool = False


def checked_regex(pattern: str, term: str) -> SafeRegex:
    """``pattern`` compiled, or :class:`UserError` saying why QuizApp will not run it.

    ``term`` is how the search wrote it (``re:…``, ``front:re:…``), for the message.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UserError(
            f"'{_shortened(term)}' is a regular expression of {len(pattern):,} characters; "
            f"QuizApp searches with at most {MAX_PATTERN_LENGTH}."
        )
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
        parsed = _parser.parse(pattern, re.IGNORECASE)
    except re.error as error:
        raise UserError(f"'{term}' is not a valid regular expression: {error.msg}.") from error
    except RecursionError as error:
        raise UserError(f"'{_shortened(term)}' nests too many groups.") from error
    try:
        shape = _shape(list(parsed))
    except _Refused as refused:
        raise UserError(f"'{term}' {refused.reason}") from None
    limit = _text_limit(shape, term)
    return SafeRegex(pattern, compiled, limit)


def _text_limit(shape: _Shape, term: str) -> int:
    if shape.open_ended > 1:
        raise UserError(
            f"'{term}' has {shape.open_ended} open-ended repetitions (*, + or {{n,}}); "
            "QuizApp runs regular expressions with at most one, so that a search cannot "
            "take hours. Split it into several re: terms."
        )
    if shape.open_ended:
        limit = math.isqrt(STEP_BUDGET // shape.combinations)
    else:
        limit = STEP_BUDGET // shape.combinations
    if shape.combinations > MAX_COMBINATIONS or limit < MIN_TEXT_LIMIT:
        raise UserError(
            f"'{term}' can match in {shape.combinations:,} ways at each place (its "
            "optional parts, counted repetitions and alternatives multiplied); QuizApp "
            "runs regular expressions with fewer, so that a search cannot take hours."
        )
    return limit


def _shape(items: list[tuple[Any, Any]]) -> _Shape:
    """The open-ended repetitions and combinations of a parsed (sub)pattern."""
    shape = _Shape()
    for op, value in items:
        if op in _REPEATS:
            low, high, body = value
            _add_repeat(shape, low, high, _shape(list(body)))
        elif op in _NO_BACKTRACK:
            _add(shape, _shape(list(value[2])))
        elif op is _constants.BRANCH:
            branches = [_shape(list(branch)) for branch in value[1]]
            shape.open_ended += sum(branch.open_ended for branch in branches)
            shape.combinations = _capped(
                shape.combinations * sum(branch.combinations for branch in branches)
            )
            shape.has_choice = True
        elif op is _constants.SUBPATTERN:
            _add(shape, _shape(list(value[3])))
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            _add(shape, _shape(list(value[1])))
        elif op is getattr(_constants, "ATOMIC_GROUP", None):
            _add(shape, _shape(list(value)))
        elif op in _GROUP_REFERENCES:
            raise _Refused(
                "refers back to a group (\\1, (?P=name) or (?(1)…)); QuizApp does not run "
                "such regular expressions, which can take hours on a long text."
            )
    return shape


def _add_repeat(shape: _Shape, low: int, high: int, body: _Shape) -> None:
    if high == _OPEN:
        if body.has_choice:
            raise _Refused(
                "repeats something that itself repeats or has alternatives, as (a+)+ or "
                "(a|ab)* do; Python's regular expressions can take hours on such a pattern, "
                "so QuizApp does not run it."
            )
        shape.open_ended += 1
        shape.has_choice = True
        return
    shape.open_ended += body.open_ended * high
    shape.combinations = _capped(shape.combinations * _capped_power(body.combinations, high))
    if high != low:
        shape.combinations = _capped(shape.combinations * (high - low + 1))
    shape.has_choice = shape.has_choice or body.has_choice or high != low


def _capped_power(base: int, exponent: int) -> int:
    if base == 1 or exponent == 0:
        return 1
    if exponent * math.log10(base) > 12:
        return _CAP
    return _capped(base**exponent)


def _capped(value: int) -> int:
    return min(value, _CAP)


def _add(shape: _Shape, part: _Shape) -> None:
    shape.open_ended += part.open_ended
    shape.combinations = _capped(shape.combinations * part.combinations)
    shape.has_choice = shape.has_choice or part.has_choice


def _shortened(term: str) -> str:
    return term if len(term) <= 60 else term[:57] + "…"
