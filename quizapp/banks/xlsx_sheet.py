"""The rows of a workbook's first sheet, read by expat handlers as openpyxl reads them.

openpyxl opens the workbook (its shared strings, styles and sheet list); the sheet's
XML is then read here in one streaming pass of expat with handlers for the few
elements a value is in, each cell made into the text a person sees in it as soon as
it ends: no element objects, no dictionary of cells, and a row is a tuple of texts.
Its ``iter_rows`` would make every missing row and pad every row to the widest, so that
one cell in column XFD costs 16,384 and a row numbered a billion a billion.
"""

from __future__ import annotations

import pyexpat
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.reader.excel import ReadOnlyWorksheet  # type: ignore[import-untyped]
from openpyxl.utils import (  # type: ignore[import-untyped]
    column_index_from_string,
    range_boundaries,
)
from openpyxl.utils.datetime import from_excel, from_ISO8601  # type: ignore[import-untyped]
from openpyxl.worksheet._reader import _cast_number  # type: ignore[import-untyped]

from quizapp.banks.table_notes import looks_like_html

# Excel's own bounds: no sheet it writes is larger.
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
Row = tuple[int, tuple[str, ...]]  # a row's number and its cells' texts
_DIGITS = "0123456789"
_TEXT_KINDS = ("inlineStr", "str", "e")  # a value that is its text


class SheetProblem(Exception):
    """The sheet cannot be read; the message says why, fit for the user."""


def sheet_rows(workbook: Any) -> Iterator[Row]:
    """The non-empty rows of the first sheet, as text, cut to the first row's width.

    Raises :class:`SheetProblem` for a sheet beyond Excel's rows, or one that cannot be
    read; a damaged sheet's own exception (from expat or openpyxl) is left to the caller.
    """
    if not workbook.worksheets:
        raise SheetProblem("the workbook has no sheet")
    sheet = workbook.worksheets[0]
    declared = sheet.max_row  # from the sheet's <dimension>, which may be wrong
    if declared is not None and declared > MAX_SHEET_ROWS:
        raise SheetProblem(too_many_rows(declared))
    handler = _RowHandler(_CellReader(workbook, sheet))
    with sheet._get_source() as stream:
        yield from _parsed_rows(stream, handler)


def rows_hold_html(rows: list[Row]) -> bool:
    """Whether any cell of ``rows`` holds an HTML tag (Anki's test for a file without
    ``#html``); only the rows where the reader saw a '<' are looked at."""
    return any(looks_like_html(cell) for _, cells in rows for cell in cells if "<" in cell)


def too_many_rows(rows: int) -> str:
    """The refusal of a sheet that declares row ``rows``."""
    return (
        f"the sheet declares row {rows:,}, beyond the {MAX_SHEET_ROWS:,} rows a sheet "
        "can have: refused"
    )


class _CellReader:
    """A cell's value as openpyxl's sheet parser reads it (with ``data_only``: formulas
    give their cached value), without building its dictionary of every cell."""

    def __init__(self, workbook: Any, sheet: Any) -> None:
        self.shared_strings = sheet._shared_strings
        self.epoch = workbook.epoch
        self.date_formats = workbook._date_formats
        self.timedelta_formats = workbook._timedelta_formats
        self.columns: dict[str, int] = {}

    def column(self, reference: str | None, previous: int) -> int:
        """The 1-based column of a cell ``r="B7"`` (the next one when it has none)."""
        letters = reference.rstrip(_DIGITS) if reference else ""
        if not letters:
            return previous + 1
        found = self.columns.get(letters)
        if found is None:
            found = self.columns[letters] = int(column_index_from_string(letters))
        return found

    def text(self, kind: str, style: str | None, text: str) -> str:
        """The text a person sees in a cell of type ``kind`` whose value is ``text``."""
        if kind == "s":
            shared = self.shared_strings[int(text)]
            return shared.strip() if type(shared) is str else cell_text(shared)
        if kind in _TEXT_KINDS:
            return text.strip()
        return cell_text(self.value(kind, style, text))

    def value(self, kind: str, style: str | None, text: str) -> object:
        """The value of a cell of type ``kind`` and ``style`` whose ``<v>`` holds ``text``."""
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
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # inlineStr, "str" (a formula's text), "e" (an error such as #N/A)


def cell_text(value: object) -> str:
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


_NAME = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_ROW, _CELL, _VALUE = f"{_NAME}row", f"{_NAME}c", f"{_NAME}v"
_INLINE, _TEXT, _PHONETIC = f"{_NAME}is", f"{_NAME}t", f"{_NAME}rPh"


class _RowHandler:
    """expat's handlers for a sheet: each ``<row>`` becomes its number and its texts,
    up to the first non-empty row's width (the last empty ones left out)."""

    def __init__(self, reader: _CellReader) -> None:
        self.reader = reader
        self.rows: list[Row] = []
        self.width = MAX_SHEET_COLUMNS  # until the first row says how many are read
        self.sized = False
        self.number = 0
        self.given: str | None = None
        self.cells: list[str] = []
        self.column = 0
        self.reference: str | None = None
        self.kind = "n"
        self.style: str | None = None
        self.texts: list[str] = []
        self.inline = False
        self.phonetic = False
        self.collecting = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == _CELL:
            get = attributes.get
            self.reference, self.kind, self.style = get("r"), get("t", "n"), get("s")
            self.texts = []
            self.inline = False
        elif name == _VALUE:
            self.collecting = self.kind != "inlineStr"
        elif name == _TEXT:
            self.collecting = self.inline and not self.phonetic
        elif name == _ROW:
            self.given = attributes.get("r")
            self.cells = []
            self.column = 0
        elif name == _INLINE:
            self.inline = True
        elif name == _PHONETIC:
            self.phonetic = True

    def end(self, name: str) -> None:
        if name in (_VALUE, _TEXT):
            self.collecting = False
        elif name == _CELL:
            self._cell()
        elif name == _ROW:
            self._row()
        elif name == _PHONETIC:
            self.phonetic = False

    def text(self, data: str) -> None:
        if self.collecting:
            self.texts.append(data)

    def _cell(self) -> None:
        column = self.column = self.reader.column(self.reference, self.column)
        if column > self.width:
            return
        texts = self.texts
        text = "".join(texts) if len(texts) != 1 else texts[0]
        shown = self.reader.text(self.kind, self.style, text) if text else ""
        cells = self.cells
        size = len(cells)
        if column > size:
            if column > size + 1:
                cells.extend([""] * (column - size - 1))
            cells.append(shown)
        else:
            cells[column - 1] = shown  # a column given twice: the last one counts

    def _row(self) -> None:
        given = self.given
        number = self.number = int(float(given)) if given else self.number + 1
        if number > MAX_SHEET_ROWS:
            raise SheetProblem(too_many_rows(number))
        cells = self.cells
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            return
        if not self.sized:
            self.width, self.sized = max(2, len(cells)), True
        self.rows.append((number, tuple(cells)))


def _refuse_doctype(*_: object) -> None:
    raise ValueError("it declares a document type, which QuizApp does not read")


def _parsed_rows(stream: Any, handler: _RowHandler) -> Iterator[Row]:
    """Each non-empty ``<row>`` of the sheet as its number and texts.

    A document type (hence entities) is refused, as defusedxml refuses it.
    """
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    rows = handler.rows
    while chunk := stream.read(1 << 16):
        parser.Parse(chunk, False)
        yield from rows
        rows.clear()
    parser.Parse(b"", True)
    yield from rows


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
