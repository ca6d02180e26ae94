"""Cards and the due queue: the answer-a-card path."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    String,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)

from quizapp.domain import Card, CardState, MemoryState
from quizapp.storage import hot_sql
from quizapp.storage.mapping import card_from_row
from quizapp.storage.models import (
    CardRow,
    GraveRow,
    NoteRow,
    to_millis,
)

_LEARNING_STATES = (int(CardState.LEARNING), int(CardState.RELEARNING))
# New cards as an import brings them: suspended, buried or flagged in the other app.
_INSERT_NEW_CARD = (
    "INSERT INTO cards (note_id, face, deck_id, state, due, suspended, buried, flag) "
    "VALUES (?, ?, ?, 0, ?, ?, ?, ?)"
)
# A state set by hand (forget, reposition, set due date): params end with the stamp, id.
_SET_MEMORY_BY_HAND = (
    "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
    "last_review = ?, version = version + 1, modified_hlc = ?, modified_by = ? WHERE id = ?"
)
# What the browser's simple actions may set (column names: never user text).
_SETTABLE = frozenset({"suspended", "buried", "flag", "deck_id"})
# The cards whose ids are in a JSON array.
_CARDS_BY_ID = (
    f"SELECT {hot_sql.CARD_COLUMNS} FROM cards "  # noqa: S608
    "WHERE id IN (SELECT value FROM json_each(?))"
)


class CardMarks(NamedTuple):
    """What the browser's simple actions read of a card: its deck and its marks."""

    id: int
    deck_id: int
    suspended: bool
    buried: bool
    flag: int


@dataclass(frozen=True, slots=True)
class NewCard:
    """A card to make for a stored note."""

    note_id: int
    face: int
    deck_id: int
    suspended: bool = False
    flag: int = 0
    buried: bool = False


class CardRepository:
    """Cards and the due queue."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, card_id: int) -> Card:
        """The card with id ``card_id``."""
        return card_from_row(self._connection.exec_driver_sql(hot_sql.GET_CARD, (card_id,)).one())

    def find(self, card_id: int) -> Card | None:
        """The card with id ``card_id``, or None if it was deleted."""
        row = self._connection.exec_driver_sql(hot_sql.GET_CARD, (card_id,)).first()
        return None if row is None else card_from_row(row)

    def insert_new(self, cards: Sequence[NewCard], due: datetime) -> None:
        """Insert new cards in bulk, introduced from ``due`` on."""
        due_ms = to_millis(due)
        rows = [
            (c.note_id, c.face, c.deck_id, due_ms, int(c.suspended), int(c.buried), c.flag)
            for c in cards
        ]
        for start in range(0, len(rows), 10_000):
            self._connection.exec_driver_sql(_INSERT_NEW_CARD, rows[start : start + 10_000])

    def insert_new_of_notes(
        self, notes: range, faces: Sequence[int], deck_id: int, due: datetime
    ) -> None:
        """Insert new, unsuspended cards with these ``faces`` for each note of an id range.

        In note order, then face order; one statement instead of a row per card.
        """
        if faces and notes:
            self._connection.exec_driver_sql(
                hot_sql.INSERT_NEW_CARDS_OF_NOTES,
                (deck_id, to_millis(due), json.dumps(list(faces)), notes[0], notes[-1]),
            )

    def faces_by_note(self, note_ids: Sequence[int]) -> dict[int, dict[int, int]]:
        """For each note, its cards' ids by face (one statement for any number of notes)."""
        found: dict[int, dict[int, int]] = {}
        if not note_ids:
            return found
        rows = self._connection.exec_driver_sql(
            hot_sql.CARDS_OF_NOTES, (json.dumps(list(note_ids)),)
        )
        for note_id, face, card_id in rows:
            faces = found.get(note_id)
            if faces is None:
                faces = found[note_id] = {}
            faces[face] = card_id
        return found

    def delete_of_notes(self, note_ids: Sequence[int]) -> list[int]:
        """Delete every card of these notes; returns the ids deleted."""
        card_ids = [
            card_id for faces in self.faces_by_note(note_ids).values() for card_id in faces.values()
        ]
        for start in range(0, len(card_ids), 900):
            self._connection.execute(
                delete(CardRow).where(CardRow.id.in_(card_ids[start : start + 900]))
            )
        return card_ids

    def set_suspended(
        self, card_ids: Sequence[int], suspended: bool, stamp: tuple[int, str] = (0, "")
    ) -> None:
        """Suspend (or bring back) these cards; ``stamp`` is the change's (hlc, device)."""
        hlc, device = stamp
        for start in range(0, len(card_ids), 900):
            self._connection.execute(
                update(CardRow)
                .where(CardRow.id.in_(card_ids[start : start + 900]))
                .values(
                    suspended=suspended,
                    version=CardRow.version + 1,
                    modified_hlc=hlc,
                    modified_by=device,
                )
            )

    def set_memory(self, card: Card, memory: MemoryState) -> bool:
        """Store a new scheduling state for ``card``, if its row is still as ``card`` was read.

        Returns False, changing nothing, when another program wrote the card (or
        deleted it) since: the caller reads it again instead of overwriting that.
        """
        last_review = None if memory.last_review is None else to_millis(memory.last_review)
        result = self._connection.exec_driver_sql(
            hot_sql.SET_MEMORY,
            (
                int(memory.state),
                memory.step,
                memory.stability,
                memory.difficulty,
                to_millis(memory.due),
                last_review,
                card.id,
                card.version,
            ),
        )
        return bool(result.rowcount == 1)

    def bury_siblings(self, card: Card) -> list[int]:
        """Bury the new and review cards of ``card``'s note but ``card``; their ids."""
        rows = self._connection.exec_driver_sql(hot_sql.BURY_SIBLINGS, (card.note_id, card.id))
        return [card_id for (card_id,) in rows]

    def unbury(self, card_ids: Sequence[int]) -> None:
        """Bring these buried cards back (undo of an answer that buried them)."""
        for start in range(0, len(card_ids), 900):
            self._connection.execute(
                update(CardRow)
                .where(CardRow.id.in_(card_ids[start : start + 900]), CardRow.buried.is_(True))
                .values(buried=False, version=CardRow.version + 1)
            )

    def unbury_all(self) -> int:
        """Bring back every buried card (a new study day began); how many."""
        result = self._connection.execute(
            update(CardRow)
            .where(CardRow.buried.is_(True))
            .values(buried=False, version=CardRow.version + 1)
        )
        return int(result.rowcount)

    def next_due(
        self, deck_ids: Sequence[int], states: Sequence[CardState], before: datetime
    ) -> Card | None:
        """The earliest-due studiable card in these decks and states, due by ``before``."""
        row = self._connection.exec_driver_sql(
            hot_sql.next_card(len(deck_ids), len(states)),
            (*deck_ids, *(int(state) for state in states), to_millis(before)),
        ).first()
        return None if row is None else card_from_row(row)

    def count_due(
        self, deck_ids: Sequence[int], states: Sequence[CardState], before: datetime, limit: int
    ) -> int:
        """How many studiable cards are due by ``before``, counting no further than ``limit``."""
        if limit <= 0:
            return 0
        return int(
            self._connection.exec_driver_sql(
                hot_sql.count_due(len(deck_ids), len(states)),
                (*deck_ids, *(int(state) for state in states), to_millis(before), limit),
            ).scalar_one()
        )

    def queue_counts(
        self,
        deck_ids: Sequence[int],
        new_limit: int,
        learning_until: datetime,
        review_until: datetime,
        review_limit: int,
        learning_limit: int = 9999,
    ) -> tuple[int, int, int]:
        """New (up to ``new_limit``), learning and review cards due, in one query."""
        new, learning, review = self._connection.exec_driver_sql(
            hot_sql.queue_counts(len(deck_ids)),
            (
                *deck_ids,
                max(0, new_limit),
                *deck_ids,
                to_millis(learning_until),
                learning_limit,
                *deck_ids,
                to_millis(review_until),
                max(0, review_limit),
            ),
        ).one()
        return int(new), int(learning), int(review)

    def next_due_time(self, deck_ids: Sequence[int]) -> datetime | None:
        """When the earliest studied (not new) card in these decks comes due."""
        due = self._connection.execute(
            select(func.min(CardRow.due)).where(
                CardRow.deck_id.in_(deck_ids),
                CardRow.state.in_([*_LEARNING_STATES, int(CardState.REVIEW)]),
                CardRow.suspended.is_(False),
                CardRow.buried.is_(False),
            )
        ).scalar()
        return due

    def totals_by_deck(self) -> dict[int, int]:
        """How many cards each deck holds itself (not counting subdecks)."""
        rows = self._connection.execute(
            select(CardRow.deck_id, func.count()).group_by(CardRow.deck_id)
        )
        return {deck_id: total for deck_id, total in rows}

    def count(self) -> int:
        """How many cards there are."""
        return int(self._connection.execute(select(func.count()).select_from(CardRow)).scalar_one())

    # -- the browser's actions ----------------------------------------------------

    def many(self, card_ids: Sequence[int]) -> list[Card]:
        """The cards with these ids that exist, in id order."""
        rows = self._connection.exec_driver_sql(_CARDS_BY_ID, (json.dumps(list(card_ids)),))
        return sorted({card.id: card for card in map(card_from_row, rows)}.values(), key=_card_id)

    def marks(self, card_ids: Sequence[int]) -> list[CardMarks]:
        """The deck and marks of the cards with these ids that exist, in id order."""
        rows = self._connection.exec_driver_sql(
            "SELECT id, deck_id, suspended, buried, flag FROM cards "
            "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(list(card_ids)),),
        ).all()
        return [CardMarks(row[0], row[1], bool(row[2]), bool(row[3]), row[4]) for row in rows]

    def set_values(
        self, card_ids: Sequence[int], stamp: tuple[int, str], **values: int | bool
    ) -> None:
        """Set columns (``flag``, ``buried``, ``deck_id``…) of these cards, as one change."""
        if not card_ids:
            return
        unknown = set(values) - _SETTABLE
        if unknown:
            raise ValueError(f"cards have no settable column {sorted(unknown)}")
        names = list(values)
        assignments = "".join(f"{name} = ?, " for name in names)
        self._connection.exec_driver_sql(
            f"UPDATE cards SET {assignments}version = version + 1, "  # noqa: S608
            "modified_hlc = ?, modified_by = ? WHERE id IN (SELECT value FROM json_each(?))",
            (*(int(values[name]) for name in names), *stamp, json.dumps(list(card_ids))),
        )

    def set_memories(
        self, memories: Sequence[tuple[int, MemoryState]], stamp: tuple[int, str]
    ) -> None:
        """Give each card its scheduling state by hand (forget, reposition, set due date)."""
        hlc, device = stamp
        rows = [
            (
                int(memory.state),
                memory.step,
                memory.stability,
                memory.difficulty,
                to_millis(memory.due),
                None if memory.last_review is None else to_millis(memory.last_review),
                hlc,
                device,
                card_id,
            )
            for card_id, memory in memories
        ]
        if rows:
            self._connection.exec_driver_sql(_SET_MEMORY_BY_HAND, rows)

    def new_queue(self) -> list[tuple[int, datetime]]:
        """Every new card's id and due, in the order they are introduced."""
        rows = self._connection.execute(
            select(CardRow.id, CardRow.due)
            .where(CardRow.state == int(CardState.NEW))
            .order_by(CardRow.due, CardRow.id)
        )
        return [(card_id, due) for card_id, due in rows]

    def ids_in_decks(self, deck_ids: Sequence[int]) -> list[int]:
        """The ids of every card in these decks."""
        found: list[int] = []
        for start in range(0, len(deck_ids), 900):
            found.extend(
                self._connection.execute(
                    select(CardRow.id).where(CardRow.deck_id.in_(deck_ids[start : start + 900]))
                ).scalars()
            )
        return found

    def delete(self, card_ids: Sequence[int], stamp: tuple[int, str]) -> None:
        """Delete these cards (their reviews must go first), leaving a grave for each.

        A card's grave stands for its reviews too: another device deletes them with it.
        """
        hlc, device = stamp
        for start in range(0, len(card_ids), 900):
            chunk = card_ids[start : start + 900]
            graves = self._connection.execute(
                select(NoteRow.guid + "/" + cast(CardRow.face, String))
                .select_from(CardRow)
                .join(NoteRow, NoteRow.id == CardRow.note_id)
                .where(CardRow.id.in_(chunk))
            ).scalars()
            rows = [
                {"kind": "card", "uid": uid, "modified_hlc": hlc, "modified_by": device}
                for uid in graves
            ]
            if rows:
                self._connection.execute(insert(GraveRow), rows)
            self._connection.execute(delete(CardRow).where(CardRow.id.in_(chunk)))


def _card_id(card: Card) -> int:
    return card.id
