"""Reading the collection SQLite inside an Anki package into plain records.

sqlite3 needs a file, so the collection is unpacked into a private temporary
folder that is always removed, and opened read-only with the schema's SQL
distrusted (``trusted_schema = OFF``).  Two layouts are read: schema 11 to
14, with note types and decks as JSON in the ``col`` row (legacy packages),
and schema 15 to 18, with ``notetypes``, ``fields``, ``templates`` and
``decks`` tables whose settings are protobuf blobs (current packages).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from quizapp.banks.apkg_archive import PackageArchive, PackageLayout
from quizapp.banks.apkg_protobuf import ProtobufError, string_field, varint_field

_SQLITE_HEADER = b"SQLite format 3\x00"
_COMMON_TABLES = {
    "col": ("ver",),
    "notes": ("id", "guid", "mid", "tags", "flds"),
    "cards": ("id", "nid", "did", "odid", "ord", "queue"),
    "revlog": ("id", "cid", "ease", "time", "type"),
}
_LEGACY_TABLES = {"col": ("ver", "models", "decks")}
_TABLES_SCHEMA = {
    "notetypes": ("id", "name", "config"),
    "fields": ("ntid", "ord", "name"),
    "templates": ("ntid", "ord", "name", "config"),
    "decks": ("id", "name"),
}
_LEGACY_VERSIONS = range(11, 15)
_TABLE_VERSIONS = range(15, 19)
_CLOZE_KIND = 1  # Notetype.Config.kind in schema 18; "type" in legacy JSON
_NOTES_QUERY = """
    SELECT CAST(id AS INTEGER), IFNULL(CAST(guid AS TEXT), ''), CAST(mid AS INTEGER),
           IFNULL(CAST(tags AS TEXT), ''), IFNULL(CAST(flds AS TEXT), '')
    FROM notes ORDER BY id
"""
# {flags} is the flag (Anki's cards.flags & 7), or 0 for a table without the column.
_CARDS_QUERY = """
    SELECT CAST(id AS INTEGER), CAST(nid AS INTEGER),
           CAST(CASE WHEN IFNULL(odid, 0) != 0 THEN odid ELSE did END AS INTEGER),
           IFNULL(CAST(ord AS INTEGER), 0), IFNULL(CAST(queue AS INTEGER), 0), {flags}
    FROM cards ORDER BY nid
"""
_FLAGS = "IFNULL(CAST(flags AS INTEGER), 0) & 7"
_REVIEWS_QUERY = """
    SELECT CAST(id AS INTEGER), CAST(cid AS INTEGER), IFNULL(CAST(ease AS INTEGER), 0),
           IFNULL(CAST(time AS INTEGER), 0), IFNULL(CAST(type AS INTEGER), 0)
    FROM revlog ORDER BY id
"""


_new_tuple = tuple.__new__


class CollectionLayoutError(ValueError):
    """The collection's tables or settings are not laid out as Anki lays them out."""


@dataclass(frozen=True, slots=True)
class AnkiTemplate:
    """One card template of a note type: its question and answer formats."""

    name: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class AnkiNoteType:
    """A note type: its field names and card templates, in order."""

    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    templates: tuple[AnkiTemplate, ...]


# Rows are named tuples, not dataclasses: a package may hold hundreds of thousands.
class AnkiNote(NamedTuple):
    """A note row: Anki's guid, its type, tags and field values."""

    id: int
    guid: str
    type_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


class AnkiCard(NamedTuple):
    """A card row; ``deck_id`` is its home deck even while in a filtered deck.

    ``queue`` is -1 for a suspended card, -2 or -3 for a buried one; ``flags`` is the
    card's flag, 0 to 7.
    """

    id: int
    note_id: int
    deck_id: int
    ord: int
    queue: int
    flags: int = 0


class AnkiReview(NamedTuple):
    """A revlog row: ``id`` is the answer time in epoch milliseconds."""

    id: int
    card_id: int
    ease: int
    duration_ms: int
    kind: int


@dataclass(frozen=True, slots=True)
class AnkiCollection:
    """Everything the importer reads from a collection."""

    note_types: dict[int, AnkiNoteType]
    decks: dict[int, str]
    notes: list[AnkiNote]
    cards: list[AnkiCard]
    reviews: list[AnkiReview]


def read_collection(archive: PackageArchive, layout: PackageLayout) -> AnkiCollection:
    """Unpack and read the package's collection; the temporary copy is always removed."""
    with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as folder:
        path = Path(folder) / "collection.sqlite"
        with path.open("wb") as target:
            archive.copy_to(layout.collection, target, compressed=layout.compressed)
        _use_rollback_journal(path)
        try:
            with closing(_connect(path)) as connection:
                return _read(connection)
        except (sqlite3.Error, CollectionLayoutError, ProtobufError, UnicodeDecodeError) as error:
            raise archive.error(
                f"'{layout.collection}' in the package is not a collection QuizApp can read: "
                f"{error}"
            ) from error


def _use_rollback_journal(path: Path) -> None:
    """Mark a WAL-mode file as rollback-journal, so it opens read-only without a -wal file."""
    with path.open("r+b") as stream:
        header = stream.read(20)
        if header.startswith(_SQLITE_HEADER) and header[18:20] == b"\x02\x02":
            stream.seek(18)
            stream.write(b"\x01\x01")


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    # A hostile file's schema may hold views or triggers: never let them call functions.
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA cell_size_check = ON")
    connection.execute("PRAGMA query_only = ON")
    return connection


def _read(connection: sqlite3.Connection) -> AnkiCollection:
    _check_tables(connection, _COMMON_TABLES)
    row = connection.execute("SELECT CAST(ver AS INTEGER) FROM col LIMIT 1").fetchone()
    version = row[0] if row else None
    if version in _LEGACY_VERSIONS:
        _check_tables(connection, _LEGACY_TABLES)
        note_types, decks = _legacy_settings(connection)
    elif version in _TABLE_VERSIONS:
        _check_tables(connection, _TABLES_SCHEMA)
        note_types, decks = _table_note_types(connection), _table_decks(connection)
    else:
        raise CollectionLayoutError(f"schema version {version} is not one QuizApp reads (11 to 18)")
    return AnkiCollection(
        note_types=note_types,
        decks=decks,
        notes=_notes(connection),
        cards=[_new_tuple(AnkiCard, row) for row in connection.execute(_cards_query(connection))],
        reviews=list(map(AnkiReview._make, connection.execute(_REVIEWS_QUERY))),
    )


def _cards_query(connection: sqlite3.Connection) -> str:
    """:data:`_CARDS_QUERY` reading the flags if the table has them (Anki's always has)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info('cards')")}
    return _CARDS_QUERY.format(flags=_FLAGS if "flags" in columns else "0")


def _notes(connection: sqlite3.Connection) -> list[AnkiNote]:
    """Every note, in id order.  Notes share a few tag lists: each is split once."""
    tag_lists: dict[str, tuple[str, ...]] = {}
    notes: list[AnkiNote] = []
    append = notes.append
    for note_id, guid, type_id, tags, fields in connection.execute(_NOTES_QUERY):
        tag_list = tag_lists.get(tags)
        if tag_list is None:
            tag_list = tag_lists[tags] = tuple(tags.split())
        # tuple.__new__ skips the named tuple's __new__, Python code run 100,000 times.
        append(
            _new_tuple(AnkiNote, (note_id, guid, type_id, tag_list, tuple(fields.split("\x1f"))))
        )
    return notes


def _check_tables(connection: sqlite3.Connection, expected: Mapping[str, tuple[str, ...]]) -> None:
    """Each expected table exists, is a real table, and has the expected columns."""
    tables = {
        name: kind
        for name, kind in connection.execute("SELECT name, type FROM sqlite_master")
        if isinstance(name, str)
    }
    for table, columns in expected.items():
        if tables.get(table) != "table":
            raise CollectionLayoutError(f"it has no '{table}' table")
        present = {row[1] for row in connection.execute(f"PRAGMA table_info('{table}')")}
        missing = [column for column in columns if column not in present]
        if missing:
            raise CollectionLayoutError(f"table '{table}' lacks column '{missing[0]}'")


def _legacy_settings(
    connection: sqlite3.Connection,
) -> tuple[dict[int, AnkiNoteType], dict[int, str]]:
    """Note types and decks from the JSON of schema 11's ``col`` row."""
    models_text, decks_text = connection.execute(
        "SELECT CAST(models AS TEXT), CAST(decks AS TEXT) FROM col LIMIT 1"
    ).fetchone()
    try:
        models, decks = json.loads(models_text or "{}"), json.loads(decks_text or "{}")
    except (ValueError, RecursionError) as error:
        raise CollectionLayoutError(
            f"its note types or decks are not valid JSON: {error}"
        ) from error
    if not isinstance(models, dict) or not isinstance(decks, dict):
        raise CollectionLayoutError("its note types or decks are not JSON objects")
    note_types = {}
    for key, model in models.items():
        note_type = _legacy_note_type(key, model)
        note_types[note_type.id] = note_type
    return note_types, {_integer(key): _text(deck, "name") for key, deck in decks.items()}


def _legacy_note_type(key: str, model: Any) -> AnkiNoteType:
    fields = _objects(model, "flds")
    templates = _objects(model, "tmpls")
    return AnkiNoteType(
        id=_integer(key),
        name=_text(model, "name"),
        is_cloze=model.get("type") == _CLOZE_KIND,
        fields=tuple(_text(field, "name") for field in fields),
        templates=tuple(
            AnkiTemplate(_text(template, "name"), _text(template, "qfmt"), _text(template, "afmt"))
            for template in templates
        ),
    )


def _objects(container: Any, key: str) -> list[dict[str, Any]]:
    """The list of JSON objects at ``container[key]``, sorted by their ``ord``."""
    if not isinstance(container, dict):
        raise CollectionLayoutError("a note type is not a JSON object")
    items = container.get(key)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise CollectionLayoutError(f"a note type's '{key}' is not a list of objects")
    if all(isinstance(item.get("ord"), int) for item in items):
        items = sorted(items, key=lambda item: item["ord"])
    return items


def _text(container: Any, key: str) -> str:
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, str):
        raise CollectionLayoutError(f"a setting's '{key}' is not text")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError as error:
        raise CollectionLayoutError(f"{text!r} is not an id") from error


def _table_note_types(connection: sqlite3.Connection) -> dict[int, AnkiNoteType]:
    """Note types from schema 18's tables, their settings decoded from protobuf."""
    fields: dict[int, list[str]] = defaultdict(list)
    for type_id, name in connection.execute(
        "SELECT CAST(ntid AS INTEGER), CAST(name AS TEXT) FROM fields ORDER BY ntid, ord"
    ):
        fields[type_id].append(name or "")
    templates: dict[int, list[AnkiTemplate]] = defaultdict(list)
    for type_id, name, config in connection.execute(
        "SELECT CAST(ntid AS INTEGER), CAST(name AS TEXT), CAST(config AS BLOB) "
        "FROM templates ORDER BY ntid, ord"
    ):
        config = config or b""
        templates[type_id].append(
            AnkiTemplate(name or "", string_field(config, 1), string_field(config, 2))
        )
    return {
        type_id: AnkiNoteType(
            id=type_id,
            name=name or "",
            is_cloze=varint_field(config or b"", 1) == _CLOZE_KIND,
            fields=tuple(fields[type_id]),
            templates=tuple(templates[type_id]),
        )
        for type_id, name, config in connection.execute(
            "SELECT CAST(id AS INTEGER), CAST(name AS TEXT), CAST(config AS BLOB) FROM notetypes"
        )
    }


def _table_decks(connection: sqlite3.Connection) -> dict[int, str]:
    """Deck names from schema 18's table, whose levels are separated by ``\\x1f``."""
    return {
        deck_id: (name or "").replace("\x1f", "::")
        for deck_id, name in connection.execute(
            "SELECT CAST(id AS INTEGER), CAST(name AS TEXT) FROM decks"
        )
    }
