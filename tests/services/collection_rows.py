"""Reading a collection's rows straight from its file, to compare before and after undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

# Columns that move with every write, undo included: the rest must come back exactly.
MOVING = frozenset({"version", "modified_hlc", "modified_by"})
TABLES = ("decks", "notes", "cards", "reviews")


def content_rows(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables that undo restores, without version and change stamps."""
    found = {}
    with sqlite3.connect(db_path) as connection:
        for table in TABLES:
            cursor = connection.execute(f"SELECT * FROM {table} ORDER BY id")
            names = [column[0] for column in cursor.description]
            keep = [index for index, name in enumerate(names) if name not in MOVING]
            found[table] = [tuple(row[index] for index in keep) for row in cursor.fetchall()]
    return found


def graves(db_path: Path) -> list[tuple[str, str]]:
    """The graves, as (kind, uid)."""
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT kind, uid FROM graves ORDER BY id").fetchall()


def card_column(db_path: Path, card_id: int, column: str) -> Any:
    """One column of one card."""
    with sqlite3.connect(db_path) as connection:
        row = connection.execute(f"SELECT {column} FROM cards WHERE id = ?", (card_id,)).fetchone()
    return None if row is None else row[0]


def all_card_ids(db_path: Path) -> list[int]:
    """Every card's id, in id order."""
    with sqlite3.connect(db_path) as connection:
        return [row[0] for row in connection.execute("SELECT id FROM cards ORDER BY id")]


def note_id_of(db_path: Path, guid: str) -> int:
    """The id of the note ``guid``."""
    with sqlite3.connect(db_path) as connection:
        return int(connection.execute("SELECT id FROM notes WHERE guid = ?", (guid,)).fetchone()[0])


def cards_of_note(db_path: Path, guid: str) -> list[int]:
    """The cards of the note ``guid``, in face order."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = ? "
            "ORDER BY c.face",
            (guid,),
        ).fetchall()
    return [row[0] for row in rows]
