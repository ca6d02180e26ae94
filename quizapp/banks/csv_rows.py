"""The rows of a CSV or TSV text, read a chunk of lines at a time into table notes.

Lines are cut from the text a megabyte at a time (:func:`lines_of`), never held as a
list of all of them.  A text without a quote is read a chunk of lines at a time, each
line a row; one with quotes line by line through a :class:`LineFeed` that counts where
each row starts, so that a quote never closed is reported at the line where it opens
while no more than a field's limit is held.  Quizlet's separators longer than a
character split each line once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Protocol

from quizapp.banks.table_notes import MAX_ROW_CHARS, RowMeta, TableNotes

SNIFFED_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}
_CHUNK_LINES = 50_000
_CHUNK_CHARS = 1 << 20


class Columns(Protocol):
    """Which columns of a row are meta columns, and how a row is split by them."""

    @property
    def meta(self) -> set[int]: ...

    def split(self, record: Sequence[str]) -> tuple[Sequence[str], RowMeta]: ...


class LineFeed:
    """Physical lines for :func:`csv.reader`: skips comments between rows, counts lines
    and where (in the text) the current row starts."""

    def __init__(self, lines: Iterable[str], first: int, offset: int) -> None:
        self._lines = lines
        self.number = first - 1
        self.row_start = first
        self.row_chars = 0
        self.offset = offset  # of the next line in the text
        self.row_offset = offset
        self.at_row_start = True
        self.exhausted = False

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.number += 1
            if self.at_row_start:
                if line.startswith("#"):
                    self.offset += len(line)
                    continue
                self.at_row_start = False
                self.row_start = self.number
                self.row_offset = self.offset
                self.row_chars = 0
            self.row_chars += len(line)
            self.offset += len(line)
            yield line
        self.exhausted = True


NEVER_CLOSED = "a quoted field opened here is never closed"


def _unclosed_quote(text: str, start: int, separator: str) -> int:
    """The offset of the quote that opens a field never closed in the row at ``start``,
    or -1 when every quoted field of the row closes (read as :mod:`csv` reads it)."""
    at = start
    while at < len(text):
        if text[at] == '"':
            closing = at + 1
            while True:
                closing = text.find('"', closing)
                if closing < 0:
                    return at
                if text.startswith('""', closing):
                    closing += 2
                    continue
                break
            at = closing + 1
        ends = [end for end in (text.find(separator, at), text.find("\n", at)) if end >= 0]
        if not ends:
            return -1
        end = min(ends)
        if text[end] == "\n":
            return -1
        at = end + 1
    return -1


def _unclosed_message(feed: LineFeed, text: str, separator: str, notes: TableNotes) -> bool:
    """Report the row's never-closed quote at the line it opens on; False if there is none."""
    opening = _unclosed_quote(text, feed.row_offset, separator)
    if opening < 0:
        return False
    notes.error(feed.row_start + text.count("\n", feed.row_offset, opening), NEVER_CLOSED)
    return True


def quoted_rows(
    feed: LineFeed,
    text: str,
    separator: str,
    columns: Columns,
    notes: TableNotes,
    lone_check: bool,
) -> None:
    """Read CSV rows (quotes, doubled quotes, line breaks in fields) into ``notes``.

    Lines are read one by one from ``text``: a quote never closed holds no more than a
    field's limit in memory before it is reported, at the line where it opens.
    """
    reader = csv.reader(feed, delimiter=separator, quotechar='"', doublequote=True)
    try:
        for record in reader:
            feed.at_row_start = True
            line = feed.row_start
            if feed.exhausted:
                if not _unclosed_message(feed, text, separator, notes):
                    notes.error(line, NEVER_CLOSED)
            elif feed.row_chars > MAX_ROW_CHARS:
                notes.error(line, "the row is longer than 1 MB")
            elif record:
                _add_record(line, record, separator, columns, notes, lone_check)
    except csv.Error as error:
        if "field larger than field limit" not in str(error):
            notes.error(feed.row_start, f"cannot read this row: {error}")
        elif not _unclosed_message(feed, text, separator, notes):
            notes.error(feed.row_start, "a field is longer than 1 MB: is a quote never closed?")


def unquoted_rows(
    lines: Iterator[str],
    first: int,
    separator: str,
    columns: Columns,
    notes: TableNotes,
    lone_check: bool,
) -> None:
    """:func:`quoted_rows` for lines that hold no quote, so that each line is a row (or a
    comment): the same rows, read without a :class:`LineFeed` counting lines in Python
    code, a chunk of lines at a time."""
    while chunk := list(islice(lines, _CHUNK_LINES)):
        _unquoted_chunk(chunk, first, separator, columns, notes, lone_check)
        first += len(chunk)


def _unquoted_chunk(
    lines: list[str],
    first: int,
    separator: str,
    columns: Columns,
    notes: TableNotes,
    lone_check: bool,
) -> None:
    if max(map(len, lines)) > MAX_ROW_CHARS:
        for number, long_line in enumerate(lines, first):
            if len(long_line) > MAX_ROW_CHARS and not long_line.startswith("#"):
                notes.error(number, "the row is longer than 1 MB")
        lines = ["#" if len(text) > MAX_ROW_CHARS else text for text in lines]
    numbers = [number for number, line in enumerate(lines, first) if not line.startswith("#")]
    rows = [line for line in lines if not line.startswith("#")]
    reader = csv.reader(rows, delimiter=separator, quotechar='"', doublequote=True)
    add, split = notes.add, columns.split
    for line, record in zip(numbers, reader, strict=True):
        if not record:
            continue
        if lone_check and len(record) == 1:
            _check_lone_field(record[0], separator, line, notes)
        if columns.meta:
            add(line, *split(record))
        else:
            add(line, record)


def _add_record(
    line: int,
    record: list[str],
    separator: str,
    columns: Columns,
    notes: TableNotes,
    lone_check: bool,
) -> None:
    """Add the note of one row read as CSV (warning of a lone field that looks mis-split)."""
    if lone_check and len(record) == 1:
        _check_lone_field(record[0], separator, line, notes)
    if columns.meta:
        notes.add(line, *columns.split(record))
    else:
        notes.add(line, record)


def _check_lone_field(value: str, separator: str, line: int, notes: TableNotes) -> None:
    """Warn of a row with no separator that holds another one (wrongly separated?)."""
    others = [name for char, name in SNIFFED_NAMES.items() if char != separator and char in value]
    if others and value.strip():
        notes.warn(
            line,
            f"only one field, so the back is empty; the row has a {others[0]} but no "
            f"{SNIFFED_NAMES.get(separator, repr(separator))}: is it separated right?",
        )


def split_rows(lines: Iterable[str], first: int, separator: str, notes: TableNotes) -> None:
    """Read rows split once at a separator longer than a character (Quizlet), unquoted."""
    for number, line in enumerate(lines, start=first):
        if line.startswith("#"):
            continue
        text = line.rstrip("\r\n")
        if len(text) > MAX_ROW_CHARS:
            notes.error(number, "the row is longer than 1 MB")
        elif text.strip():
            notes.add(number, text.split(separator, 1))


def lines_of(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line breaks (``\\n``, ``\\r\\n`` or ``\\r``), as
    ``io.StringIO(text, newline="")`` gives them, a chunk at a time: a StringIO of the
    whole text would hold four bytes a character."""
    start = 0
    while start < len(text):
        end = text.rfind("\n", start, start + _CHUNK_CHARS) + 1
        if end <= start:
            end = text.find("\n", start + _CHUNK_CHARS) + 1 or len(text)
        yield from io.StringIO(text[start:end], newline="")
        start = end
