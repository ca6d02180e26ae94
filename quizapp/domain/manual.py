"""Changes the learner made to a card's schedule by hand, logged beside its answers.

Forgetting a card and setting its due date are not answers, but the review log
records them (as Anki's "manual" entries do), so that a card's history tells why
its schedule changed, a replay of the history knows where the card started over,
and the counts of reviews and lapses know where they were reset.  They carry no
grade; readers of answers leave them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from quizapp.domain.cards import MemoryState


class ManualAction(StrEnum):
    """What the learner did to the card."""

    FORGET = "forget"  # back to new; reviews and lapses keep counting
    FORGET_RESET_COUNTS = "forget, reset counts"  # back to new, counted from zero again
    SET_DUE_DATE = "set due date"

    @property
    def starts_over(self) -> bool:
        """Whether the card's memory starts again from here (a replay restarts here)."""
        return self is not ManualAction.SET_DUE_DATE

    @property
    def resets_counts(self) -> bool:
        """Whether reviews and lapses are counted from here on."""
        return self is ManualAction.FORGET_RESET_COUNTS


@dataclass(frozen=True, slots=True)
class ManualEntry:
    """One manual change of a card's schedule: its state before and after."""

    card_id: int
    changed_at: datetime
    action: ManualAction
    before: MemoryState
    after: MemoryState
    uid: str | None = None
    id: int | None = None
