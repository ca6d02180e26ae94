"""The bounds every bank format keeps: on the numbers it gives, and on its notes.

A numeric answer, a tolerance, a range or a weight beyond ±1e15 is refused with a
located message: such a number is no honest answer, a float cannot tell its
neighbours apart, and a 400-digit integer would overflow on the way to a float.

A file of more than :data:`MAX_NOTES` questions is refused as soon as its reader passes
the bound, at the line where it does: nobody studies a million questions from one
file, and reading them would take a minute and gigabytes first.  Readers look the
bound up when they start (``bounds.MAX_NOTES``), so a test may lower it.
"""

from __future__ import annotations

from decimal import Decimal

from quizapp.banks.errors import BankError
from quizapp.domain import ANY_NUMBER, ImportIssue

# Twice the largest banks people share (Anki's biggest shared decks hold some 100,000
# notes), so that any honest bank fits.
MAX_NOTES = 200_000

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


def too_many_notes(source: str, line: int) -> BankError:
    """The refusal of a file that passes :data:`MAX_NOTES` questions at ``line``."""
    bound = f"{MAX_NOTES:,}"
    return BankError(
        [
            ImportIssue(
                source,
                line,
                f"the file holds more than {bound} questions; QuizApp imports at most "
                f"{bound} from one file — split it",
            )
        ]
    )
