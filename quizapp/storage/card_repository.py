"""Cards and the due queue: the answer-a-card path."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    String,
    cast,
    delete,
    insert,
    select,
    update,
)

from quizapp.domain import Card, CardState, MemoryState
from quizapp.storage import hot_sql
from quizapp.storage.hot_repositories import HotCards
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


class CardRepository(HotCards):
    """Cards and the due queue (the hot half in :class:`HotCards`), and the browser's writes."""

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
