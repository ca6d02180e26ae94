"""Cards and the due queue: the answer-a-card path."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    TextClause,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from quizapp.domain import Card, CardState
from quizapp.storage.mapping import (
    CARD_COLUMNS,
    card_from_row,
    memory_params,
)
from quizapp.storage.models import (
    CardRow,
    to_millis,
)

_LEARNING_STATES = (int(CardState.LEARNING), int(CardState.RELEARNING))

# The answer-a-card path: fixed SQL (no user text is ever formatted in), bound by name.
_STUDYABLE = "suspended = 0 AND buried = 0"
# SQLite reads (deck, state, due) in due order only for one deck and one state at a
# time; with IN lists it would sort every match.  So the next card is the first of
# one LIMIT 1 seek per (deck, state), which never reads more than a row per seek.
_MAX_SEEKS = 400
_NEXT_CARD = text(
    f"SELECT {CARD_COLUMNS} FROM cards WHERE deck_id IN :deck_ids AND state IN :states "
    f"AND due <= :before AND {_STUDYABLE} ORDER BY due, id LIMIT 1"
).bindparams(bindparam("deck_ids", expanding=True), bindparam("states", expanding=True))


@lru_cache(maxsize=64)
def _next_card_by_seeks(decks: int, states: int) -> TextClause:
    seeks = [
        f"SELECT * FROM (SELECT {CARD_COLUMNS} FROM cards WHERE deck_id = :d{d} "
        f"AND state = :s{s} AND due <= :before AND {_STUDYABLE} ORDER BY due, id LIMIT 1)"
        for d in range(decks)
        for s in range(states)
    ]
    return text(" UNION ALL ".join(seeks) + " ORDER BY due, id LIMIT 1")


_COUNT_UP_TO = text(
    "SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE deck_id IN :deck_ids "
    f"AND state IN :states AND due <= :before AND {_STUDYABLE} LIMIT :limit)"
).bindparams(bindparam("deck_ids", expanding=True), bindparam("states", expanding=True))
_GET_CARD = text(f"SELECT {CARD_COLUMNS} FROM cards WHERE id = :id")
_SET_MEMORY = text(
    "UPDATE cards SET state = :state, step = :step, stability = :stability, "
    "difficulty = :difficulty, due = :due, last_review = :last_review WHERE id = :id"
)


class CardRepository:
    """Cards and the due queue."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, card_id: int) -> Card:
        """The card with id ``card_id``."""
        return card_from_row(self._connection.execute(_GET_CARD, {"id": card_id}).one())

    def insert_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert cards in bulk; each dict has note_id, face, deck_id and a memory state."""
        if rows:
            self._connection.execute(insert(CardRow), list(rows))

    def faces_by_note(self, note_ids: Sequence[int]) -> dict[int, dict[int, int]]:
        """For each note, its cards' ids by face."""
        found: dict[int, dict[int, int]] = {}
        for start in range(0, len(note_ids), 900):
            rows = self._connection.execute(
                select(CardRow.note_id, CardRow.face, CardRow.id).where(
                    CardRow.note_id.in_(note_ids[start : start + 900])
                )
            )
            for note_id, face, card_id in rows:
                found.setdefault(note_id, {})[face] = card_id
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

    def set_suspended(self, card_ids: Sequence[int], suspended: bool) -> None:
        """Suspend (or bring back) these cards."""
        for start in range(0, len(card_ids), 900):
            self._connection.execute(
                update(CardRow)
                .where(CardRow.id.in_(card_ids[start : start + 900]))
                .values(suspended=suspended)
            )

    def set_memory(self, card: Card, memory: Any) -> None:
        """Store a new scheduling state for ``card``."""
        self._connection.execute(_SET_MEMORY, {"id": card.id, **memory_params(memory)})

    def next_due(
        self, deck_ids: Sequence[int], states: Sequence[CardState], before: datetime
    ) -> Card | None:
        """The earliest-due studiable card in these decks and states, due by ``before``."""
        if len(deck_ids) * len(states) > _MAX_SEEKS:
            statement = _NEXT_CARD
            params: dict[str, Any] = {
                "deck_ids": list(deck_ids),
                "states": [int(state) for state in states],
            }
        else:
            statement = _next_card_by_seeks(len(deck_ids), len(states))
            params = {f"d{index}": deck_id for index, deck_id in enumerate(deck_ids)}
            params.update({f"s{index}": int(state) for index, state in enumerate(states)})
        params["before"] = to_millis(before)
        row = self._connection.execute(statement, params).first()
        return None if row is None else card_from_row(row)

    def count_due(
        self, deck_ids: Sequence[int], states: Sequence[CardState], before: datetime, limit: int
    ) -> int:
        """How many studiable cards are due by ``before``, counting no further than ``limit``."""
        if limit <= 0:
            return 0
        return int(
            self._connection.execute(
                _COUNT_UP_TO,
                {
                    "deck_ids": list(deck_ids),
                    "states": [int(state) for state in states],
                    "before": to_millis(before),
                    "limit": limit,
                },
            ).scalar_one()
        )

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
