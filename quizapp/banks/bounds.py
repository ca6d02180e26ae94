"""The one bound on the numbers a bank gives, shared by every format.

A numeric answer, a tolerance, a range or a weight beyond ±1e15 is refused with a
located message: such a number is no honest answer, a float cannot tell its
neighbours apart, and a 400-digit integer would overflow on the way to a float.
"""

from __future__ import annotations

from decimal import Decimal

from quizapp.domain import ANY_NUMBER

# The bound the native format has always kept, and the one the catch-all range uses.
MAX_NUMBER = ANY_NUMBER
_SHOWN_CHARS = 24


def within_bound(value: int | float | Decimal) -> bool:
    """Whether ``value`` is a number within ±:data:`MAX_NUMBER` (not NaN, not infinite).

    Compared exactly, so a huge integer or Decimal never goes through a float.
    """
    return -MAX_NUMBER <= value <= MAX_NUMBER


def out_of_range(what: str, written: str) -> str:
    """The message for ``what`` (such as "the tolerance") written as ``written``."""
    text, length = " ".join(written.split()), ""
    if len(text) > _SHOWN_CHARS:
        text, length = f"{text[: _SHOWN_CHARS - 10]}…{text[-9:]}", f" ({len(text):,} characters)"
    return f"{what} '{text}'{length} is out of range: QuizApp holds numbers within ±1e15"
