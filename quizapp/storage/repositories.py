"""Narrow repositories over one connection; :class:`Store` groups them for one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, TextClause, bindparam, delete, func, insert, select, text

from quizapp.domain import Card, CardState, Deck, Note, ReviewLog, SchedulingPreset
from quizapp.domain.decks import DECK_SEPARATOR
from quizapp.storage.mapping import (
    CARD_COLUMNS,
    card_from_row,
    deck_from_row,
    memory_params,
    note_from_row,
    note_values,
    preset_from_row,
    review_from_row,
)
from quizapp.storage.models import (
    CardRow,
    DeckRow,
    MetaRow,
    NoteRow,
    PresetRow,
    ReviewRow,
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


class DeckRepository:
    """Decks and their presets."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def all(self) -> list[Deck]:
        """Every deck, sorted by name (so parents come before their children)."""
        rows = self._connection.execute(select(DeckRow.__table__).order_by(DeckRow.name))
        return [deck_from_row(row._mapping) for row in rows]

    def by_name(self, name: str) -> Deck | None:
        """The deck called exactly ``name``."""
        row = self._connection.execute(
            select(DeckRow.__table__).where(DeckRow.name == name)
        ).first()
        return None if row is None else deck_from_row(row._mapping)

    def get(self, deck_id: int) -> Deck:
        """The deck with id ``deck_id``."""
        row = self._connection.execute(select(DeckRow.__table__).where(DeckRow.id == deck_id)).one()
        return deck_from_row(row._mapping)

    def ensure(self, name: str, preset_id: int) -> Deck:
        """The deck ``name``, created with its missing parents if need be."""
        parts = name.split(DECK_SEPARATOR)
        deck: Deck | None = None
        for depth in range(1, len(parts) + 1):
            level_name = DECK_SEPARATOR.join(parts[:depth])
            deck = self.by_name(level_name)
            if deck is None:
                deck_id = self._connection.execute(
                    insert(DeckRow).values(name=level_name, preset_id=preset_id)
                ).inserted_primary_key
                assert deck_id is not None
                deck = Deck(id=deck_id[0], name=level_name, preset_id=preset_id)
        assert deck is not None
        return deck

    def subtree_ids(self, deck: Deck) -> list[int]:
        """The ids of ``deck`` and every deck below it."""
        rows = self._connection.execute(
            select(DeckRow.id).where(
                (DeckRow.name == deck.name)
                | DeckRow.name.startswith(deck.name + DECK_SEPARATOR, autoescape=True)
            )
        )
        return [row[0] for row in rows]

    def preset(self, preset_id: int) -> SchedulingPreset:
        """The preset with id ``preset_id``."""
        row = self._connection.execute(
            select(PresetRow.__table__).where(PresetRow.id == preset_id)
        ).one()
        return preset_from_row(row._mapping)

    def default_preset_id(self) -> int:
        """The id of the first preset, made with default settings when there is none."""
        found = self._connection.execute(select(func.min(PresetRow.id))).scalar()
        if found is not None:
            return int(found)
        default = SchedulingPreset()
        result = self._connection.execute(
            insert(PresetRow).values(
                name=default.name,
                desired_retention=default.desired_retention,
                learning_steps=list(default.learning_steps),
                relearning_steps=list(default.relearning_steps),
                maximum_interval_days=default.maximum_interval_days,
                new_per_day=default.new_per_day,
                reviews_per_day=default.reviews_per_day,
                fuzz=default.fuzz,
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])


class NoteRepository:
    """Notes, matched by guid on re-import."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, note_id: int) -> Note:
        """The note with id ``note_id``."""
        row = self._connection.execute(select(NoteRow.__table__).where(NoteRow.id == note_id)).one()
        return note_from_row(row._mapping)

    def ids_by_guid(self, guids: Iterable[str]) -> dict[str, int]:
        """The ids of the notes with these guids, where they exist."""
        guid_list = list(guids)
        found: dict[str, int] = {}
        for start in range(0, len(guid_list), 500):
            chunk = guid_list[start : start + 500]
            rows = self._connection.execute(
                select(NoteRow.guid, NoteRow.id).where(NoteRow.guid.in_(chunk))
            )
            found.update({guid: note_id for guid, note_id in rows})
        return found

    def insert(self, note: Note, now: datetime) -> int:
        """Store a new note and return its id."""
        result = self._connection.execute(
            insert(NoteRow).values(**note_values(note), created_at=now, modified_at=now)
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def count(self) -> int:
        """How many notes there are."""
        return int(self._connection.execute(select(func.count()).select_from(NoteRow)).scalar_one())


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


class ReviewRepository:
    """The review log: appended, and shortened only by undo."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def append(self, log: ReviewLog) -> int:
        """Store one answer and return its id."""
        values = {
            "card_id": log.card_id,
            "reviewed_at": log.reviewed_at,
            "rating": int(log.rating),
            "duration_ms": log.duration_ms,
            "kind": int(log.kind),
            "state_before": int(log.before.state),
            "step_before": log.before.step,
            "stability_before": log.before.stability,
            "difficulty_before": log.before.difficulty,
            "due_before": log.before.due,
            "last_review_before": log.before.last_review,
            "state_after": int(log.after.state),
            "step_after": log.after.step,
            "stability_after": log.after.stability,
            "difficulty_after": log.after.difficulty,
            "due_after": log.after.due,
            "answer": log.answer,
            "imported": log.imported,
        }
        result = self._connection.execute(insert(ReviewRow).values(**values))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def get(self, review_id: int) -> ReviewLog:
        """The answer with id ``review_id``."""
        row = self._connection.execute(
            select(ReviewRow.__table__).where(ReviewRow.id == review_id)
        ).one()
        return review_from_row(row._mapping)

    def latest(self) -> ReviewLog | None:
        """The most recent answer given in this app (not imported), if any."""
        row = self._connection.execute(
            select(ReviewRow.__table__)
            .where(ReviewRow.imported.is_(False))
            .order_by(ReviewRow.id.desc())
            .limit(1)
        ).first()
        return None if row is None else review_from_row(row._mapping)

    def delete(self, review_id: int) -> None:
        """Remove one answer (undo)."""
        self._connection.execute(delete(ReviewRow).where(ReviewRow.id == review_id))

    def count(self) -> int:
        """How many answers are recorded."""
        return int(
            self._connection.execute(select(func.count()).select_from(ReviewRow)).scalar_one()
        )

    def count_since(
        self, deck_ids: Sequence[int], since: datetime, state_before: Sequence[CardState]
    ) -> int:
        """Answers since ``since`` in these decks to cards that were in ``state_before``."""
        return int(
            self._connection.execute(
                select(func.count())
                .select_from(ReviewRow)
                .join(CardRow, CardRow.id == ReviewRow.card_id)
                .where(
                    ReviewRow.reviewed_at >= since,
                    CardRow.deck_id.in_(deck_ids),
                    ReviewRow.state_before.in_([int(state) for state in state_before]),
                    ReviewRow.imported.is_(False),
                )
            ).scalar_one()
        )

    def for_card(self, card_id: int) -> list[tuple[datetime, int]]:
        """(time, rating) of every answer to ``card_id``, oldest first."""
        rows = self._connection.execute(
            select(ReviewRow.reviewed_at, ReviewRow.rating)
            .where(ReviewRow.card_id == card_id)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        return [(reviewed_at, rating) for reviewed_at, rating in rows]


class MetaRepository:
    """Small facts about the collection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, key: str) -> str | None:
        """The value stored under ``key``."""
        return self._connection.execute(select(MetaRow.value).where(MetaRow.key == key)).scalar()

    def set(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        self._connection.execute(delete(MetaRow).where(MetaRow.key == key))
        self._connection.execute(insert(MetaRow).values(key=key, value=value))


class Store:
    """The repositories of one transaction, all on the same connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.decks = DeckRepository(connection)
        self.notes = NoteRepository(connection)
        self.cards = CardRepository(connection)
        self.reviews = ReviewRepository(connection)
        self.meta = MetaRepository(connection)
