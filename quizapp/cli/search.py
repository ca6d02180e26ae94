"""``quizapp search QUERY``: the collection's search (Anki's syntax) from the command line.

A table of the cards (or, with ``--notes``, the notes) found, or with ``--json`` a
list of objects, one per row.  A malformed search exits 2 with its sentence.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

if TYPE_CHECKING:
    from quizapp.services.search import CardRow, NoteRow

QUESTION_WIDTH = 60
_Column = TypeVar("_Column", bound=StrEnum)


def run_search(arguments: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """``quizapp search QUERY [--json] [--notes] [--order COLUMN] [--descending] [--limit N]``."""
    from quizapp.bootstrap import open_app
    from quizapp.services.search import CardColumn, NoteColumn, SearchService

    app = open_app(arguments.db)
    try:
        search = SearchService(app.database, app.clock)
        limit = arguments.limit if arguments.limit > 0 else sys.maxsize
        if arguments.notes:
            order = _column(NoteColumn, arguments.order or NoteColumn.NOTE_ID.value)
            notes = search.note_page(arguments.query, order, arguments.descending, 0, limit)
            total, shown = notes.total, len(notes.rows)
            _write(arguments, [row.to_json() for row in notes.rows], _note_table(notes.rows), out)
        else:
            column = _column(CardColumn, arguments.order or CardColumn.CARD_ID.value)
            cards = search.page(arguments.query, column, arguments.descending, 0, limit)
            total, shown = cards.total, len(cards.rows)
            _write(arguments, [row.to_json() for row in cards.rows], _card_table(cards.rows), out)
    finally:
        app.close()
    what = "notes" if arguments.notes else "cards"
    if shown < total:
        print(f"{shown:,} of {total:,} {what} shown; --limit 0 shows all.", file=sys.stderr)
    elif not arguments.json:
        out.write(f"{total:,} {what}\n" if total != 1 else f"1 {what[:-1]}\n")
    return 0


def _column(columns: type[_Column], name: str) -> _Column:
    """The column called ``name``, or a sentence naming those there are."""
    from quizapp.errors import UserError

    try:
        return columns(name)
    except ValueError:
        names = ", ".join(column.value for column in columns)
        raise UserError(f"--order takes one of {names}; not '{name}'.") from None


def _write(
    arguments: argparse.Namespace, objects: Sequence[Mapping[str, Any]], table: str, out: TextIO
) -> None:
    if arguments.json:
        json.dump(objects, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(table)


def _card_table(rows: Sequence[CardRow]) -> str:
    table = [
        (str(row.card_id), row.deck, row.face_name, _due(row), _cut(row.question)) for row in rows
    ]
    return _table(("Card", "Deck", "Face", "Due", "Question"), table)


def _note_table(rows: Sequence[NoteRow]) -> str:
    table = [
        (str(row.note_id), row.deck, row.kind.value, str(row.cards), _cut(row.question))
        for row in rows
    ]
    return _table(("Note", "Deck", "Kind", "Cards", "Question"), table)


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """Columns padded to their widest cell; the last one (the question) left free."""
    if not rows:
        return ""
    widths = [max(len(header[index]), *(len(row[index]) for row in rows)) for index in range(4)]
    lines = []
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    return "\n".join(lines) + "\n"


def _due(row: CardRow) -> str:
    if row.suspended:
        return "suspended"
    if row.buried:
        return "buried"
    return "new" if row.due is None else f"{row.due:%Y-%m-%d}"


def _cut(text: str) -> str:
    return text if len(text) <= QUESTION_WIDTH else text[: QUESTION_WIDTH - 1] + "…"
