"""Row snapshots for undo: what an action changed, taken in the action's own transaction.

An action watches the rows it is about to write (:meth:`SnapshotRepository.watch`),
writes them, then :meth:`ChangeWatch.finish` records the change: the watched rows as
they were before (as stored, every column), a digest of each row as the action left
it, the rows it created (any row of a watched table with an id above the highest one
before) and the graves it left.

Undoing (:meth:`SnapshotRepository.restore`) first checks that every one of those
rows is still as the action left it, comparing digests of every column but the
version and the change stamps: those move when the app itself undoes a later entry
(the reviewer's answer) on the same row, the row's content does not.  Then it puts
the rows back: rows the action deleted are inserted again with their ids, rows it
changed get their old values, rows it made are deleted (leaving graves, as any
deletion does), and the graves it left are removed.  A restored card's ``version``
and every restored row's change stamp move forward: undoing is a write, and other
windows and devices must see it as one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from quizapp.storage.stamps import device_stamps

# Parents before children: the order rows are inserted in (deletions go the other way).
TABLES = ("decks", "notes", "cards", "reviews")
_STAMPED = frozenset({"decks", "notes", "cards"})
_NOT_COMPARED = frozenset({"version", "modified_hlc", "modified_by"})
_CHUNK = 500


class RowConflict(Exception):
    """The rows to restore were changed (or taken) by another program since."""


@dataclass(frozen=True, slots=True)
class TableRows:
    """Some rows of one table, as stored, by id; ``columns`` names their values."""

    columns: tuple[str, ...]
    rows: Mapping[int, tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class RecordedChange:
    """What one action did to the collection, enough to put it back.

    ``before`` holds the watched rows that existed before the action; ``after`` a
    digest of every watched or created row as the action left it (a row it
    deleted is absent); ``graves`` the ids of the graves it left.
    """

    before: Mapping[str, TableRows]
    after: Mapping[str, Mapping[int, bytes]]
    graves: tuple[int, ...]

    def ids(self, table: str) -> set[int]:
        """Every row of ``table`` the change touched (changed, made or deleted)."""
        before = self.before.get(table)
        return set(before.rows if before else ()) | set(self.after.get(table, {}))

    def rows_before(self, table: str) -> int:
        """How many rows of ``table`` existed before the change, among those it touched."""
        before = self.before.get(table)
        return len(before.rows) if before else 0


@dataclass
class ChangeWatch:
    """An action's change being recorded: rows are watched before they are written."""

    _connection: Connection
    _highest: dict[str, int]
    _highest_grave: int
    _before: dict[str, dict[int, tuple[Any, ...]]] = field(default_factory=dict)
    _columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def watch(self, table: str, ids: Iterable[int]) -> None:
        """Remember these rows of ``table`` as they are now, before the action writes them."""
        seen = self._before.setdefault(table, {})
        wanted = [row_id for row_id in dict.fromkeys(ids) if row_id not in seen]
        columns, rows = _read(self._connection, table, "id", wanted)
        self._columns[table] = columns
        seen.update((row[0], row) for row in rows)

    def watch_reviews_of(self, card_ids: Sequence[int]) -> None:
        """Remember every review of these cards (before deleting the cards)."""
        columns, rows = _read(self._connection, "reviews", "card_id", card_ids)
        self._columns["reviews"] = columns
        self._before.setdefault("reviews", {}).update((row[0], row) for row in rows)

    def finish(self) -> RecordedChange:
        """The change, once the action has written everything (same transaction)."""
        after: dict[str, dict[int, bytes]] = {}
        for table in TABLES:
            watched = list(self._before.get(table, {}))
            columns, rows = _read(self._connection, table, "id", watched)
            _, created = _read_above(self._connection, table, self._highest[table])
            digests = {row[0]: _digest(columns, row) for row in (*rows, *created)}
            if digests or watched:
                after[table] = digests
                self._columns.setdefault(table, columns)
        graves = self._connection.exec_driver_sql(
            "SELECT id FROM graves WHERE id > ?", (self._highest_grave,)
        ).all()
        before = {
            table: TableRows(self._columns[table], dict(rows))
            for table, rows in self._before.items()
            if rows
        }
        return RecordedChange(before, after, tuple(grave_id for (grave_id,) in graves))


class SnapshotRepository:
    """Recording actions' changes, and putting them back."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def watch(self) -> ChangeWatch:
        """Start recording an action's change: call before its first write."""
        run = self._connection.exec_driver_sql
        highest = {
            table: int(run(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar_one())  # noqa: S608
            for table in TABLES
        }
        grave = int(run("SELECT COALESCE(MAX(id), 0) FROM graves").scalar_one())
        return ChangeWatch(self._connection, highest, grave)

    def changed_since(self, change: RecordedChange) -> list[str]:
        """The tables whose rows are no longer as ``change`` left them (empty: none)."""
        changed = []
        for table in TABLES:
            expected = change.after.get(table, {})
            ids = change.ids(table)
            if not ids:
                continue
            columns, rows = _read(self._connection, table, "id", sorted(ids))
            current = {row[0]: _digest(columns, row) for row in rows}
            if any(current.get(row_id) != expected.get(row_id) for row_id in ids):
                changed.append(table)
        return changed

    def restore(self, change: RecordedChange, now: datetime) -> None:
        """Put back what ``change`` did (check :meth:`changed_since` first).

        Raises :class:`RowConflict` when a row cannot go back because another one
        took its place (a note of the same guid, a deck of the same name).
        """
        stamps = device_stamps(self._connection)
        stamp = (stamps.stamp(now), stamps.device)
        try:
            for table in TABLES:  # parents first
                before = change.before.get(table)
                if before is not None:
                    self._put_back(table, before, stamp)
            for table in reversed(TABLES):  # children first
                self._delete_created(table, change, stamp)
        except IntegrityError as error:
            raise RowConflict(str(error.orig)) from error
        for start in range(0, len(change.graves), _CHUNK):
            chunk = change.graves[start : start + _CHUNK]
            self._connection.exec_driver_sql(
                f"DELETE FROM graves WHERE id IN ({_marks(len(chunk))})",  # noqa: S608
                tuple(chunk),
            )

    def _put_back(self, table: str, before: TableRows, stamp: tuple[int, str]) -> None:
        """Insert the rows of ``before`` that are gone; give the others their old values."""
        _, rows = _read(self._connection, table, "id", list(before.rows), columns="id")
        present = {row[0] for row in rows}
        missing = [row for row_id, row in before.rows.items() if row_id not in present]
        if missing:
            names = ", ".join(before.columns)
            self._connection.exec_driver_sql(
                f"INSERT INTO {table} ({names}) VALUES ({_marks(len(before.columns))})",  # noqa: S608
                [_restamped(table, before.columns, row, stamp) for row in missing],
            )
        if table == "reviews" or not present:  # reviews are never updated
            return
        kept = [i for i, name in enumerate(before.columns) if name not in ("id", "version")]
        assignments = ", ".join(
            "version = version + 1" if name == "version" else f"{name} = ?"
            for name in before.columns
            if name != "id"
        )
        values = []
        for row_id in present:
            row = _restamped(table, before.columns, before.rows[row_id], stamp, bump=False)
            values.append((*(row[index] for index in kept), row_id))
        self._connection.exec_driver_sql(
            f"UPDATE {table} SET {assignments} WHERE id = ?",  # noqa: S608
            values,
        )

    def _delete_created(self, table: str, change: RecordedChange, stamp: tuple[int, str]) -> None:
        """Delete the rows of ``table`` the change made, leaving graves."""
        before = change.before.get(table)
        created = sorted(set(change.after.get(table, {})) - set(before.rows if before else ()))
        if not created:
            return
        graves = _grave_uids(self._connection, table, created)
        if graves:
            self._connection.exec_driver_sql(
                "INSERT INTO graves (kind, uid, modified_hlc, modified_by) VALUES (?, ?, ?, ?)",
                [(kind, uid, *stamp) for kind, uid in graves],
            )
        for start in range(0, len(created), _CHUNK):
            chunk = created[start : start + _CHUNK]
            self._connection.exec_driver_sql(
                f"DELETE FROM {table} WHERE id IN ({_marks(len(chunk))})",  # noqa: S608
                tuple(chunk),
            )


_GRAVE_UIDS = {
    "decks": ("deck", "SELECT uid FROM decks WHERE id IN ({marks})"),
    "notes": ("note", "SELECT guid FROM notes WHERE id IN ({marks})"),
    "cards": (
        "card",
        "SELECT notes.guid || '/' || cards.face FROM cards JOIN notes ON notes.id = cards.note_id "
        "WHERE cards.id IN ({marks})",
    ),
    "reviews": ("review", "SELECT uid FROM reviews WHERE id IN ({marks})"),
}


def _grave_uids(connection: Connection, table: str, ids: Sequence[int]) -> list[tuple[str, str]]:
    kind, sql = _GRAVE_UIDS[table]
    found: list[tuple[str, str]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = connection.exec_driver_sql(sql.format(marks=_marks(len(chunk))), tuple(chunk))
        found.extend((kind, str(uid)) for (uid,) in rows if uid)
    return found


def _restamped(
    table: str,
    columns: Sequence[str],
    row: tuple[Any, ...],
    stamp: tuple[int, str],
    *,
    bump: bool = True,
) -> tuple[Any, ...]:
    """``row`` with a new change stamp (and, for a card inserted again, its version moved on)."""
    if table not in _STAMPED:
        return row
    values = list(row)
    for index, name in enumerate(columns):
        if name == "modified_hlc":
            values[index] = stamp[0]
        elif name == "modified_by":
            values[index] = stamp[1]
        elif name == "version" and bump:
            values[index] = int(values[index]) + 1
    return tuple(values)


def _digest(columns: Sequence[str], row: tuple[Any, ...]) -> bytes:
    """A digest of every compared column (``repr`` tells -1 from -2; ``hash`` does not)."""
    kept = _compared(tuple(columns))(row)
    return hashlib.blake2b(repr(kept).encode("utf-8"), digest_size=16).digest()


@lru_cache(maxsize=16)
def _compared(columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], Any]:
    """What of a row is compared: every column but the version and the change stamps."""
    return itemgetter(*(i for i, name in enumerate(columns) if name not in _NOT_COMPARED))


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _read(
    connection: Connection, table: str, key: str, ids: Sequence[int], columns: str = "*"
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Rows of ``table`` whose ``key`` is one of ``ids``, as stored, and their column names.

    The ids go in as one JSON array: one statement however many there are.  Read
    through the driver's own cursor (in the same transaction): rows come as tuples.
    """
    where = f"WHERE {key} IN (SELECT value FROM json_each(?))" if ids else "LIMIT 0"  # noqa: S608
    return _raw(
        connection,
        f"SELECT {columns} FROM {table} {where}",  # noqa: S608
        (json.dumps(list(ids)),) if ids else (),
    )


def _read_above(
    connection: Connection, table: str, highest: int
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    return _raw(connection, f"SELECT * FROM {table} WHERE id > ?", (highest,))  # noqa: S608


def _raw(
    connection: Connection, sql: str, params: tuple[Any, ...]
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    driver = connection.connection.driver_connection
    assert driver is not None
    cursor = driver.execute(sql, params)
    try:
        names = tuple(column[0] for column in cursor.description)
        return names, cursor.fetchall()
    finally:
        cursor.close()
