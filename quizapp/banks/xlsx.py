"""Excel workbooks (.xlsx): one note per row of the first sheet, its columns named in row 1.

Column names are case-insensitive: Front (or Term, Question, Text), Back (or Definition,
Answer), Extra (or Back Extra, Explanation: the note's explanation), Add Reverse (or
Reverse: a non-empty cell makes a reversed note), Tags (split at spaces and commas),
Deck, Notetype (or Note type; Anki's note type names) and Guid.  Without any such name
in the first row, column A is the front and B the back, and the first row is a note
too.  Rows are the sheet's own, so messages give the row number that Excel shows.

The archive is checked before openpyxl opens it: its declared sizes bound what
:mod:`zipfile` will unpack, so a zip bomb is refused from its directory alone.
openpyxl parses the workbook's XML with defusedxml when that is installed; the sheet's
rows are read by :mod:`quizapp.banks.xlsx_sheet`, and a sheet of more than
:data:`~quizapp.banks.bounds.MAX_NOTES` notes is refused at the row that passes it.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from operator import itemgetter
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from quizapp.banks import bounds
from quizapp.banks.bounds import too_many_notes
from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions
from quizapp.banks.table_notes import MAX_ROW_CHARS, RowMeta, TableNotes
from quizapp.banks.xlsx_sheet import Row, SheetProblem, rows_hold_html, sheet_rows
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
_NO_HEADER = {"front": 0, "back": 1}
HeaderIssue = tuple[int, str, bool]


def parse_xlsx(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse the first sheet of an .xlsx workbook into notes.

    Raises :class:`BankError` listing every problem found, each with its row.
    """
    _check_archive(data, source)
    sheet = _read_sheet(data, source)
    roles = sheet.roles
    notes = TableNotes(
        source,
        html=rows_hold_html(sheet.rows),
        notetype="basic (optional reversed card)" if "reverse" in roles else "basic",
        unit="row",
    )
    notes.warnings.extend(ImportIssue(source, 0, message) for message in sheet.warnings)
    for line, message, is_error in sheet.header_issues:
        (notes.error if is_error else notes.warn)(line, message)
    if not notes.issues:  # without a front column, no row can be read
        split = _RowSplitter(roles)
        add = notes.add
        for line, cells in sheet.rows:
            if line == sheet.header_row:
                continue
            if sum(map(len, cells)) > MAX_ROW_CHARS:
                notes.error(line, "the row is longer than 1 MB")
            else:
                add(line, *split(cells))
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


class _Sheet:
    """The rows of the first sheet, its header, and what openpyxl warned of."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.roles: dict[str, int] = _NO_HEADER
        self.header_row = 0
        self.header_issues: list[HeaderIssue] = []
        self.warnings: list[str] = []


def _read_sheet(data: bytes, source: str) -> _Sheet:
    """The non-empty rows of the first sheet, refused once they pass the bound on notes."""
    sheet = _Sheet()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
        except Exception as error:  # a damaged workbook can fail anywhere inside openpyxl
            raise _refuse(source, f"cannot read the workbook: {error}") from error
        try:
            _read_rows(workbook, sheet, source)
            others = [each.title for each in workbook.worksheets[1:]]
        finally:
            workbook.close()
    sheet.warnings = [f"in the workbook: {warning.message}" for warning in caught]
    if others:
        names = ", ".join(f"'{name}'" for name in others)
        sheet.warnings.append(f"only the first sheet is read; not {names}")
    return sheet


def _read_rows(workbook: Any, sheet: _Sheet, source: str) -> None:
    """Read the rows into ``sheet``: the first is the header, if it names columns."""
    rows = sheet.rows
    limit = bounds.MAX_NOTES
    try:
        for row in sheet_rows(workbook):
            if not rows:
                sheet.roles, sheet.header_row, sheet.header_issues = _header(*row)
                limit += 1 if sheet.header_row else 0
            if len(rows) == limit:
                raise too_many_notes(source, row[0])
            rows.append(row)
    except BankError:
        raise
    except SheetProblem as problem:
        raise _refuse(source, str(problem)) from problem
    except Exception as error:  # damaged sheet XML fails inside expat or openpyxl
        title = workbook.worksheets[0].title
        raise _refuse(source, f"cannot read the sheet '{title}': {error}") from error


def _header(line: int, cells: tuple[str, ...]) -> tuple[dict[str, int], int, list[HeaderIssue]]:
    """The column of each role, the header's row number (0 if none) and its problems, of a
    sheet whose first row is ``cells`` on row ``line``."""
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
        return _NO_HEADER, 0, [(line, message, False)]
    if "front" not in roles:
        issues.append((line, "no Front column (or Term, Question, Text) in the header", True))
    return roles, line, issues


_META_ROLES = ("notetype", "deck", "guid", "tags", "extra")


class _RowSplitter:
    """A sheet row as the note's fields and its meta values, by the roles of its columns:
    one ``itemgetter`` over the row padded with empty cells, a missing role reading one
    of the padding."""

    def __init__(self, roles: dict[str, int]) -> None:
        self.reverse = "reverse" in roles
        self.width = max(roles.values()) + 1
        names = ("front", "back", *(("reverse",) if self.reverse else ()), *_META_ROLES)
        self.pick = itemgetter(*(roles.get(name, self.width) for name in names))
        self.padding = ("",) * (self.width + 1)

    def __call__(self, cells: tuple[str, ...]) -> tuple[list[str], RowMeta]:
        width = self.width
        # Exactly width + 1 cells, the last one empty: where a missing role reads.
        if len(cells) < width:
            cells += self.padding[len(cells) :]
        else:
            cells = cells[:width] + self.padding[width:]
        values = self.pick(cells)
        if self.reverse:
            front, back, reverse, notetype, deck, guid, tags, extra = values
            fields = [front, back, reverse]
        else:
            front, back, notetype, deck, guid, tags, extra = values
            fields = [front, back]
        return fields, RowMeta(notetype, deck, guid, tags.replace(",", " ").split(), extra)
