"""Excel workbooks (.xlsx): one note per row of the first sheet, its columns named in row 1.

Column names are case-insensitive: Front (or Term, Question, Text), Back (or Definition,
Answer), Extra (or Back Extra, Explanation: the note's explanation), Add Reverse (or
Reverse: a non-empty cell makes a reversed note), Tags (split at spaces and commas),
Deck, Notetype (or Note type; Anki's note type names) and Guid.  Without any such name
in the first row, column A is the front and B the back, and the first row is a note
too.  Rows are the sheet's own, so messages give the row number that Excel shows.

The archive is checked before openpyxl opens it: its declared sizes bound what
:mod:`zipfile` will unpack, so a zip bomb is refused from its directory alone.
openpyxl parses the XML with defusedxml when that is installed.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions
from quizapp.banks.table_notes import (
    MAX_ROW_CHARS,
    MAX_ROWS,
    RowMeta,
    TableNotes,
    looks_like_html,
)
from quizapp.domain import ImportBatch, ImportIssue

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
# Below this, a high compression ratio cannot hurt; real workbooks never reach it anyway.
_RATIO_FLOOR_BYTES = 1024 * 1024
MAX_ENTRIES = 10_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_HEADER_ROLES = {
    "front": "front", "term": "front", "question": "front", "text": "front",
    "back": "back", "definition": "back", "answer": "back",
    "extra": "extra", "back extra": "extra", "explanation": "extra",
    "add reverse": "reverse", "reverse": "reverse",
    "tags": "tags", "deck": "deck", "notetype": "notetype", "note type": "notetype",
    "guid": "guid",
}  # fmt: skip
Cells = list[str]


def parse_xlsx(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse the first sheet of an .xlsx workbook into notes.

    Raises :class:`BankError` listing every problem found, each with its row.
    """
    _check_archive(data, source)
    rows, workbook_warnings = _read_rows(data, source)
    roles, header_row, header_issues = _header(rows)
    notes = TableNotes(
        source,
        html=any(looks_like_html(cell) for _, cells in rows for cell in cells),
        notetype="basic (optional reversed card)" if "reverse" in roles else "basic",
        unit="row",
    )
    notes.warnings.extend(ImportIssue(source, 0, message) for message in workbook_warnings)
    for line, message, is_error in header_issues:
        (notes.error if is_error else notes.warn)(line, message)
    if not notes.issues:  # without a front column, no row can be read
        for line, cells in rows:
            if line == header_row:
                continue
            if sum(len(cell) for cell in cells) > MAX_ROW_CHARS:
                notes.error(line, "the row is longer than 1 MB")
            else:
                notes.add(line, *_split_row(cells, roles))
    return notes.batch()


def _refuse(source: str, message: str) -> BankError:
    return BankError([ImportIssue(source, 0, message)])


def _check_archive(data: bytes, source: str) -> None:
    """Refuse what is not a workbook, or would unpack to too much (a zip bomb)."""
    if data.startswith(_OLE_MAGIC):
        raise _refuse(
            source,
            "this is a password-protected workbook or an old .xls file: "
            "save it in Excel as .xlsx without a password",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _refuse(source, "not an .xlsx workbook, or a damaged one") from error
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if len(entries) > MAX_ENTRIES:
        raise _refuse(source, f"the workbook holds {len(entries):,} files: refused")
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(
            source,
            f"the workbook would unpack to {unpacked / 2**20:,.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES // 2**20} MB QuizApp reads: refused",
        )
    if unpacked > _RATIO_FLOOR_BYTES and unpacked > MAX_RATIO * max(packed, 1):
        raise _refuse(
            source,
            f"the workbook is compressed {unpacked // max(packed, 1):,} to 1, more than "
            f"{MAX_RATIO} to 1 as no real workbook is: refused as a possible zip bomb",
        )


def _read_rows(data: bytes, source: str) -> tuple[list[tuple[int, Cells]], list[str]]:
    """The non-empty rows of the first sheet, with their numbers, and openpyxl's warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
        except Exception as error:  # a damaged workbook can fail anywhere inside openpyxl
            raise _refuse(source, f"cannot read the workbook: {error}") from error
        try:
            rows = list(_sheet_rows(workbook, source))
            others = [sheet.title for sheet in workbook.worksheets[1:]]
        finally:
            workbook.close()
    messages = [f"in the workbook: {warning.message}" for warning in caught]
    if others:
        names = ", ".join(f"'{name}'" for name in others)
        messages.append(f"only the first sheet is read; not {names}")
    return rows, messages


def _sheet_rows(workbook: Any, source: str) -> Iterator[tuple[int, Cells]]:
    """The non-empty rows of the first sheet, as text."""
    if not workbook.worksheets:
        raise _refuse(source, "the workbook has no sheet")
    sheet = workbook.worksheets[0]
    count = 0
    try:
        # Dimensions written by other programs may be wrong; read every row there is.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cells):
                continue
            count += 1
            if count > MAX_ROWS + 1:
                raise _refuse(source, f"the sheet has more than {MAX_ROWS:,} rows: split it")
            yield number, cells
    except BankError:
        raise
    except Exception as error:  # damaged sheet XML fails inside openpyxl's parser
        raise _refuse(source, f"cannot read the sheet '{sheet.title}': {error}") from error


def _cell_text(value: object) -> str:
    """A cell's value as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


HeaderIssue = tuple[int, str, bool]


def _header(rows: list[tuple[int, Cells]]) -> tuple[dict[str, int], int, list[HeaderIssue]]:
    """The column of each role, the header's row number (0 if none) and its problems."""
    if not rows:
        return {"front": 0, "back": 1}, 0, []
    line, cells = rows[0]
    roles: dict[str, int] = {}
    issues: list[HeaderIssue] = []
    for index, name in enumerate(cells):
        role = _HEADER_ROLES.get(" ".join(name.split()).casefold())
        column = get_column_letter(index + 1)
        if role is None or role in roles:
            if name:
                issues.append((line, f"column {column} '{name}' is not read", False))
            continue
        roles[role] = index
    if not roles:
        message = "no header row naming Front and Back: column A is the front and B the back"
        return {"front": 0, "back": 1}, 0, [(line, message, False)]
    if "front" not in roles:
        issues.append((line, "no Front column (or Term, Question, Text) in the header", True))
    return roles, line, issues


def _split_row(cells: Cells, roles: dict[str, int]) -> tuple[list[str], RowMeta]:
    """A sheet row as the note's fields and its meta values, by the roles of its columns."""

    def cell(role: str) -> str:
        index = roles.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    fields = [cell("front"), cell("back")]
    if "reverse" in roles:
        fields.append(cell("reverse"))
    return fields, RowMeta(
        notetype=cell("notetype"),
        deck=cell("deck"),
        guid=cell("guid"),
        tags=cell("tags").replace(",", " ").split(),
        explanation=cell("extra"),
    )
