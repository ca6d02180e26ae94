"""A study session's answers as steps of the collection's undo history.

Undoing an answer restores the card's state stored before it, brings back the
siblings it buried, takes a leech's tag and suspension off again, and removes
its review, in one transaction.  Only committed answers become steps.  The
session that gave the answer (if it is still open) is told, so that it shows
the card again with the same choices and exercise values.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from quizapp.domain import Card, Rating, ReviewLog
from quizapp.errors import UserError
from quizapp.services.undo import Undone, UndoRefused

if TYPE_CHECKING:  # the full repositories load SQLAlchemy: undoing needs them, studying not
    from quizapp.storage import Store
    from quizapp.storage.snapshots import RecordedChange

STUDIED_ELSEWHERE = (
    "That card was studied again in another QuizApp window since; its answer cannot be undone here."
)
BEING_CHANGED = "That card is being changed by another program; try again."
LEECH_CHANGED = (
    "That card was changed in another QuizApp window or program since it was set aside "
    "as a leech; its answer cannot be undone here."
)


class AnswerOwner(Protocol):
    """The session an answer was given in: told when the answer is undone or gone."""

    def prepare_undone(
        self, entry: AnswerEntry, store: Store, card: Card, log: ReviewLog, now: datetime
    ) -> Any:
        """Inside the undo's transaction: what to show once it commits."""
        ...

    def apply_undone(self, entry: AnswerEntry, prepared: Any) -> None:
        """After the undo committed: show what :meth:`prepare_undone` made."""
        ...

    def answer_gone(self, entry: AnswerEntry) -> None:
        """The answer's card was deleted: it leaves the session's answers."""
        ...


@dataclass(eq=False)
class AnswerEntry:
    """One committed answer: its review, card, grade, and what it changed beside."""

    review_id: int
    card_id: int
    rating: Rating
    duration_ms: int
    buried: tuple[int, ...]
    leech: RecordedChange | None = None
    owner: weakref.ref[AnswerOwner] | None = None
    _prepared: Any = field(default=None, repr=False)

    @property
    def description(self) -> str:
        """As the Undo menu names it."""
        return "answer"

    def given_in(self, owner: AnswerOwner) -> bool:
        """Whether the answer was given in the session ``owner``."""
        return self.owner is not None and self.owner() is owner

    def undo(self, store: Store, now: datetime) -> Undone | None:
        """Restore the card as it was before the answer; None when its card is gone."""
        log = store.reviews.find(self.review_id)
        card = store.cards.find(self.card_id) if log is not None else None
        if log is None or card is None:
            return None
        if card.memory.due != log.after.due or card.memory.state is not log.after.state:
            raise UndoRefused(STUDIED_ELSEWHERE)
        if self.leech is not None:
            if store.snapshots.changed_since(self.leech):
                raise UndoRefused(LEECH_CHANGED)
            store.snapshots.restore(self.leech, now)
            card = store.cards.get(self.card_id)
        if not store.cards.set_memory(card, log.before):
            raise UserError(BEING_CHANGED)
        store.cards.unbury(self.buried)
        store.reviews.delete(self.review_id, now)
        owner = self.owner() if self.owner is not None else None
        if owner is not None:
            self._prepared = owner.prepare_undone(
                self, store, store.cards.get(self.card_id), log, now
            )
        note_ids = self.leech.ids("notes") if self.leech is not None else set()
        return Undone("answer", frozenset({self.card_id, *self.buried}), frozenset(note_ids))

    def committed(self) -> None:
        """Tell the session, now that the undo is saved."""
        owner = self.owner() if self.owner is not None else None
        if owner is not None:
            owner.apply_undone(self, self._prepared)
        self._prepared = None

    def gone(self) -> None:
        """Tell the session its answer's card was deleted."""
        owner = self.owner() if self.owner is not None else None
        if owner is not None:
            owner.answer_gone(self)
