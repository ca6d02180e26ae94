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
import pyexpat
import re
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.reader.excel import ReadOnlyWorksheet  # type: ignore[import-untyped]
from openpyxl.utils import (  # type: ignore[import-untyped]
    column_index_from_string,
    get_column_letter,
    range_boundaries,
)
from openpyxl.utils.datetime import from_excel, from_ISO8601  # type: ignore[import-untyped]
from openpyxl.worksheet._reader import _cast_number  # type: ignore[import-untyped]

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
# Excel's own bounds: no sheet it writes is larger.
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
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
    """The non-empty rows of the first sheet, as text, cut to the first row's width.

    The rows are read from openpyxl's sheet parser itself, as they are in the file:
    its ``iter_rows`` would make every missing row and pad every row to the widest, so
    that one cell in column XFD costs 16,384 and a row numbered a billion a billion.
    """
    if not workbook.worksheets:
        raise _refuse(source, "the workbook has no sheet")
    sheet = workbook.worksheets[0]
    declared = sheet.max_row  # from the sheet's <dimension>, which may be wrong
    if declared is not None and declared > MAX_SHEET_ROWS:
        raise _refuse(source, _too_many_rows(declared))
    count = 0
    width = MAX_SHEET_COLUMNS  # until the first row says how many columns are read
    try:
        with sheet._get_source() as stream:
            for number, parsed in _parsed_rows(stream, _CellReader(workbook, sheet)):
                if number > MAX_SHEET_ROWS:
                    raise _refuse(source, _too_many_rows(number))
                cells = _row_cells(parsed, width)
                if not any(cells):
                    continue
                if count == 0:
                    width = max(2, len(cells))
                count += 1
                if count > MAX_ROWS + 1:
                    raise _refuse(source, f"the sheet has more than {MAX_ROWS:,} rows: split it")
                yield number, cells
    except BankError:
        raise
    except Exception as error:  # damaged sheet XML fails inside openpyxl's parser
        raise _refuse(source, f"cannot read the sheet '{sheet.title}': {error}") from error


def _too_many_rows(rows: int) -> str:
    return (
        f"the sheet declares row {rows:,}, beyond the {MAX_SHEET_ROWS:,} rows a sheet "
        "can have: refused"
    )


_DIGITS = "0123456789"


class _CellReader:
    """A cell's value as openpyxl's sheet parser reads it (with ``data_only``: formulas
    give their cached value), without building its dictionary of every cell."""

    def __init__(self, workbook: Any, sheet: Any) -> None:
        self.shared_strings = sheet._shared_strings
        self.epoch = workbook.epoch
        self.date_formats = workbook._date_formats
        self.timedelta_formats = workbook._timedelta_formats
        self.columns: dict[str, int] = {}

    def column(self, reference: str, previous: int) -> int:
        letters = reference.rstrip(_DIGITS)
        if not letters:
            return previous + 1
        found = self.columns.get(letters)
        if found is None:
            found = self.columns[letters] = column_index_from_string(letters)
        return int(found)

    def value(self, kind: str, style: str | None, text: str | None) -> object:
        """The value of a cell of type ``kind`` and ``style`` whose ``<v>`` holds ``text``."""
        if text is None or (not text and kind != "inlineStr"):
            return None
        if kind == "n":
            number = _cast_number(text)
            style_id = int(style or 0)
            if style_id and style_id in self.date_formats:
                timedelta = style_id in self.timedelta_formats
                try:
                    return from_excel(number, self.epoch, timedelta=timedelta)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.shared_strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # inlineStr, "str" (a formula's text), "e" (an error such as #N/A)


ParsedRow = tuple[int, list[tuple[int, object]]]
_NAME = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_ROW, _CELL, _VALUE = f"{_NAME}row", f"{_NAME}c", f"{_NAME}v"
_INLINE, _TEXT, _PHONETIC = f"{_NAME}is", f"{_NAME}t", f"{_NAME}rPh"


class _RowHandler:
    """expat's handlers for a sheet: each ``<row>`` becomes its number and its cells."""

    def __init__(self, reader: _CellReader) -> None:
        self.reader = reader
        self.rows: list[ParsedRow] = []
        self.number = 0
        self.given: str | None = None
        self.cells: list[tuple[int, object]] = []
        self.column = 0
        self.cell: tuple[str | None, str, str | None] = (None, "n", None)
        self.texts: list[str] = []
        self.inline = False
        self.phonetic = False
        self.collecting = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == _CELL:
            self.cell = (attributes.get("r"), attributes.get("t", "n"), attributes.get("s"))
            self.texts = []
            self.inline = False
        elif name == _VALUE:
            self.collecting = self.cell[1] != "inlineStr"
        elif name == _TEXT:
            self.collecting = self.inline and not self.phonetic
        elif name == _INLINE:
            self.inline = True
        elif name == _PHONETIC:
            self.phonetic = True
        elif name == _ROW:
            self.given = attributes.get("r")
            self.cells = []
            self.column = 0

    def end(self, name: str) -> None:
        if name in (_VALUE, _TEXT):
            self.collecting = False
        elif name == _CELL:
            reference, kind, style = self.cell
            self.column = self.reader.column(reference or "", self.column)
            text = "".join(self.texts) if self.texts or self.inline else None
            self.cells.append((self.column, self.reader.value(kind, style, text)))
        elif name == _PHONETIC:
            self.phonetic = False
        elif name == _ROW:
            given = self.given
            self.number = int(float(given)) if given else self.number + 1
            self.rows.append((self.number, self.cells))

    def text(self, data: str) -> None:
        if self.collecting:
            self.texts.append(data)


def _refuse_doctype(*_: object) -> None:
    raise ValueError("it declares a document type, which QuizApp does not read")


def _parsed_rows(stream: Any, reader: _CellReader) -> Iterator[ParsedRow]:
    """Each ``<row>`` of the sheet as its number and its (column, value) cells.

    One streaming pass of expat with handlers for the few elements a value is in: no
    element objects are made, and a row is gone once read.  A document type (hence
    entities) is refused, as defusedxml refuses it.
    """
    handler = _RowHandler(reader)
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    while chunk := stream.read(1 << 16):
        parser.Parse(chunk, False)
        yield from handler.rows
        handler.rows.clear()
    parser.Parse(b"", True)
    yield from handler.rows


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^<>]*?\bref="([^"<>]*)"')
_SHEET_DATA_TAG = re.compile(rb"<(?:\w+:)?sheetData\b")


class _QuicklySizedSheet(ReadOnlyWorksheet):  # type: ignore[misc]
    """openpyxl's read-only sheet, its ``<dimension>`` found by a byte search.

    openpyxl looks for it with its Python-level XML parser and, when a sheet has none,
    parses the whole sheet to learn so, before any row is read: minutes for a million
    rows.  The dimension comes before ``<sheetData>``, so the bytes up to there suffice.
    """

    def _get_size(self) -> None:
        head = b""
        with self._get_source() as stream:
            while (chunk := stream.read(1 << 16)) and not _SHEET_DATA_TAG.search(head):
                head += chunk
        start = _SHEET_DATA_TAG.search(head)
        found = _DIMENSION.search(head, 0, start.start() if start else len(head))
        if found is None:
            return
        try:
            bounds = range_boundaries(found.group(1).decode("ascii"))
        except (ValueError, TypeError):
            return  # openpyxl too would fail: the sheet is read without dimensions
        self._min_column, self._min_row, self._max_column, self._max_row = bounds


# openpyxl's reader makes its read-only sheets through this name.
openpyxl.reader.excel.ReadOnlyWorksheet = _QuicklySizedSheet


def _row_cells(parsed: list[tuple[int, object]], width: int) -> Cells:
    """A row's cells as text, up to column ``width`` (the last empty ones left out)."""
    used = [(column, value) for column, value in parsed if column <= width]
    if not used:
        return []
    cells = [""] * max(column for column, _ in used)
    for column, value in used:
        cells[column - 1] = _cell_text(value)
    while cells and not cells[-1]:
        cells.pop()
    return cells


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
