"""Notes, matched by guid on re-import."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update

from quizapp.domain import Note
from quizapp.storage import hot_sql
from quizapp.storage.mapping import note_from_row, note_from_values, note_params, note_values
from quizapp.storage.models import CardRow, NoteRow, to_millis

# Rows per executemany: bounds the memory a large import holds at once.
_CHUNK = 10_000


class NoteRepository:
    """Notes, matched by guid on re-import."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, note_id: int) -> Note:
        """The note with id ``note_id``."""
        return note_from_values(
            self._connection.exec_driver_sql(hot_sql.GET_NOTE, (note_id,)).one()
        )

    def by_guid(self, guids: Sequence[str]) -> dict[str, Note]:
        """The stored notes with these guids, where they exist.

        The guids go into a temporary table joined with the notes' guid index: one
        statement for a bank of any size, instead of one per few hundred guids.  When
        fewer notes are stored than guids asked for, the stored guids are read instead
        and only those asked for are looked up.
        """
        if not guids:
            return {}
        run = self._connection.exec_driver_sql
        stored = int(run(hot_sql.COUNT_NOTES).scalar_one())
        if stored < len(guids):
            asked = set(guids)
            guids = [guid for (guid,) in run(hot_sql.ALL_GUIDS) if guid in asked]
            if not guids:
                return {}
        run(hot_sql.CREATE_WANTED_GUIDS)
        run(hot_sql.CLEAR_WANTED_GUIDS)
        run(hot_sql.ADD_WANTED_GUID, [(guid,) for guid in guids])
        rows = run(hot_sql.NOTES_OF_WANTED_GUIDS).all()
        run(hot_sql.CLEAR_WANTED_GUIDS)
        return {note.guid: note for note in map(note_from_values, rows)}

    def insert_many(self, notes: Sequence[Note], source: str, now: datetime) -> int:
        """Store new notes from the bank ``source`` in bulk; returns the first one's id.

        The notes get consecutive ids in their order, after the highest one, so that
        no read-back is needed.
        """
        first = int(self._connection.exec_driver_sql(hot_sql.NEXT_NOTE_ID).scalar_one())
        stamp = to_millis(now)
        for start in range(0, len(notes), _CHUNK):
            rows = note_params(notes[start : start + _CHUNK], first + start, source, stamp)
            self._connection.exec_driver_sql(hot_sql.INSERT_NOTE, rows)
        return first

    def update(self, note_id: int, note: Note, now: datetime) -> None:
        """Replace a note's content in place (its cards and history stay)."""
        self._connection.execute(
            update(NoteRow)
            .where(NoteRow.id == note_id)
            .values(**note_values(note), modified_at=now)
        )

    def guids_from_source(self, source: str) -> dict[str, int]:
        """Every note a bank of this name brought, by guid."""
        rows = self._connection.execute(
            select(NoteRow.guid, NoteRow.id).where(NoteRow.source == source)
        )
        return {guid: note_id for guid, note_id in rows}

    def in_decks(self, deck_ids: Sequence[int]) -> list[tuple[Note, int]]:
        """Notes with a card in these decks, each with the deck of its first card."""
        first_cards = (
            select(CardRow.note_id, func.min(CardRow.deck_id).label("deck_id"))
            .where(CardRow.deck_id.in_(deck_ids))
            .group_by(CardRow.note_id)
            .subquery()
        )
        rows = self._connection.execute(
            select(NoteRow.__table__, first_cards.c.deck_id)
            .join(first_cards, first_cards.c.note_id == NoteRow.id)
            .order_by(NoteRow.id)
        )
        return [(note_from_row(row._mapping), row.deck_id) for row in rows]

    def exercises_in_decks(self, deck_ids: Sequence[int]) -> list[Note]:
        """The exercise notes with a card in these decks."""
        with_cards = select(CardRow.note_id).where(CardRow.deck_id.in_(deck_ids))
        rows = self._connection.execute(
            select(NoteRow.__table__).where(NoteRow.kind == "exercise", NoteRow.id.in_(with_cards))
        )
        return [note_from_row(row._mapping) for row in rows]

    def delete(self, note_ids: Sequence[int]) -> None:
        """Delete these notes (their cards must be deleted first)."""
        for start in range(0, len(note_ids), 900):
            self._connection.execute(
                delete(NoteRow).where(NoteRow.id.in_(note_ids[start : start + 900]))
            )

    def count(self) -> int:
        """How many notes there are."""
        return int(self._connection.execute(select(func.count()).select_from(NoteRow)).scalar_one())
