"""Notes, matched by guid on re-import."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from quizapp.domain import Note
from quizapp.storage.mapping import (
    note_from_row,
    note_values,
)
from quizapp.storage.models import (
    NoteRow,
)


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
