"""Banks: the files notes came from, told apart from other files of the same name."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from quizapp.storage import hot_sql
from quizapp.storage.models import BankRow, NoteRow


@dataclass(frozen=True, slots=True)
class StoredBank:
    """A bank as stored (see :class:`~quizapp.storage.models.BankRow`), with its note count."""

    id: int
    uid: str
    name: str
    format: str
    declared_id: str | None
    path: str | None
    namespace: str
    notes: int
    modified_at: datetime


class BankRepository:
    """Banks and which notes belong to them."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def all(self) -> list[StoredBank]:
        """Every bank, oldest first, with how many notes it holds now."""
        counts = (
            select(NoteRow.bank_id, func.count().label("notes"))
            .group_by(NoteRow.bank_id)
            .subquery()
        )
        rows = self._connection.execute(
            select(BankRow.__table__, func.coalesce(counts.c.notes, 0).label("notes"))
            .outerjoin(counts, counts.c.bank_id == BankRow.id)
            .order_by(BankRow.id)
        )
        return [
            StoredBank(
                id=row.id,
                uid=row.uid,
                name=row.name,
                format=row.format,
                declared_id=row.declared_id,
                path=row.path,
                namespace=row.namespace,
                notes=row.notes,
                modified_at=row.modified_at,
            )
            for row in rows
        ]

    def add(
        self,
        name: str,
        bank_format: str,
        declared_id: str | None,
        path: str | None,
        namespace: str,
        now: datetime,
    ) -> int:
        """Store a new bank; its id."""
        result = self._connection.execute(
            insert(BankRow).values(
                uid=uuid.uuid4().hex,
                name=name,
                format=bank_format,
                declared_id=declared_id,
                path=path,
                namespace=namespace,
                created_at=now,
                modified_at=now,
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def record_import(
        self, bank_id: int, path: str, declared_id: str | None, now: datetime
    ) -> None:
        """Remember where a bank was imported from this time (and the id it declares)."""
        values: dict[str, object] = {"path": path, "modified_at": now}
        if declared_id:
            values["declared_id"] = declared_id
        self._connection.execute(update(BankRow).where(BankRow.id == bank_id).values(**values))

    def owners(self, guids: Sequence[str]) -> dict[int | None, int]:
        """Of the notes with these guids, how many each bank holds (None: no bank)."""
        found: dict[int | None, int] = {}
        if not guids:
            return found
        run = self._connection.exec_driver_sql
        run(hot_sql.CREATE_WANTED_GUIDS)
        run(hot_sql.CLEAR_WANTED_GUIDS)
        run(hot_sql.ADD_WANTED_GUID, [(guid,) for guid in guids])
        for bank_id, count in run(hot_sql.BANKS_OF_WANTED_GUIDS):
            found[bank_id] = int(count)
        run(hot_sql.CLEAR_WANTED_GUIDS)
        return found
