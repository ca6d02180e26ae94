"""What the learner types in Set Due Date, read as Anki reads it: ``0``, ``3``, ``3-7``, ``5!``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.errors import UserError

MAX_DAYS = 36_500  # a hundred years, FSRS's longest interval
_SPEC = re.compile(r"\s*([0-9]{1,6})\s*(?:-\s*([0-9]{1,6})\s*)?(!?)\s*")
_HOW = (
    "Give the due date in days from today: 0 is today, 3 in three days, 3-7 a random day "
    "from 3 to 7 days on; add ! to set the interval too (5!)"
)


@dataclass(frozen=True, slots=True)
class DueDateSpec:
    """Days from today, ``first`` to ``last`` (one day when equal), and whether ``!`` was given."""

    first: int
    last: int
    sets_interval: bool = False


def parse_due_date(text: str) -> DueDateSpec:
    """Read a due date as typed; raises :class:`UserError` saying how to write one."""
    match = _SPEC.fullmatch(text)
    if match is None:
        raise UserError(f"{_HOW}, not '{text.strip()}'.")
    first = int(match[1])
    last = int(match[2]) if match[2] is not None else first
    if last < first:
        raise UserError(f"The range {first}-{last} runs backwards; write {last}-{first}.")
    if last > MAX_DAYS:
        raise UserError(f"A due date is at most {MAX_DAYS:,} days away, not {last:,}.")
    return DueDateSpec(first, last, match[3] == "!")
