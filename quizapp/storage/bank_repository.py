"""Banks: the files notes came from, told apart from other files of the same name."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from quizapp.storage import hot_sql
from quizapp.storage.models import BankRow, NoteRow


@dataclass(frozen=True, slots=True)
class StoredBank:
    """A bank as stored (see :class:`~quizapp.storage.models.BankRow`) and its note count."""

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
        """Every bank, oldest first (``notes`` left at 0: see :meth:`with_counts`)."""
        rows = self._connection.execute(select(BankRow.__table__).order_by(BankRow.id))
        return [
            StoredBank(
                id=row.id,
                uid=row.uid,
                name=row.name,
                format=row.format,
                declared_id=row.declared_id,
                path=row.path,
                namespace=row.namespace,
                notes=0,
                modified_at=row.modified_at,
            )
            for row in rows
        ]

    def with_counts(self, banks: Sequence[StoredBank]) -> list[StoredBank]:
        """These banks with how many notes each holds now."""
        counted = []
        for bank in banks:
            notes = self._connection.execute(
                select(func.count()).select_from(NoteRow).where(NoteRow.bank_id == bank.id)
            ).scalar_one()
            counted.append(replace(bank, notes=int(notes)))
        return counted

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
        """Of the notes with these guids, how many each bank holds (None: no bank).

        As :meth:`NoteRepository.by_guid`: a temporary table of the guids joined with
        the notes, or, when fewer notes are stored than guids asked for, the stored
        ones read and looked up.
        """
        found: dict[int | None, int] = {}
        if not guids:
            return found
        run = self._connection.exec_driver_sql
        stored = int(run(hot_sql.COUNT_NOTES).scalar_one())
        if stored < len(guids):
            asked = set(guids)
            for guid, bank_id in run(hot_sql.ALL_GUIDS_AND_BANKS):
                if guid in asked:
                    found[bank_id] = found.get(bank_id, 0) + 1
            return found
        run(hot_sql.CREATE_WANTED_GUIDS)
        run(hot_sql.CLEAR_WANTED_GUIDS)
        run(hot_sql.ADD_WANTED_GUID, [(guid,) for guid in guids])
        for bank_id, count in run(hot_sql.BANKS_OF_WANTED_GUIDS):
            found[bank_id] = int(count)
        run(hot_sql.CLEAR_WANTED_GUIDS)
        return found
