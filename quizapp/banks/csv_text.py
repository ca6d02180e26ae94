"""Anki text files (CSV or TSV, with Anki's ``#`` headers) and Quizlet exports.

The rules are Anki's (docs.ankiweb.net/importing/text-files.html):

* Header lines open the file: ``#separator:`` (tab, comma, semicolon, space, pipe, colon
  or one character), ``#html:``, ``#tags:``, ``#columns:``, ``#notetype:``, ``#deck:``,
  ``#notetype column:``, ``#deck column:``, ``#tags column:``, ``#guid column:``
  (columns count from 1).  Other ``#`` lines are comments, there and between rows; a
  first line ``tags:a b`` (Anki's old form) tags every note.
* The separator is ``options.separator``, else ``#separator``, else guessed from the
  first rows among tab, comma, semicolon and pipe: tab when every line has one, else the
  one every line has (a comma followed by a space is prose, not a separator), else what
  :class:`csv.Sniffer` finds, else the one most lines hold, else tab.  Fields may be
  quoted, with doubled quotes and line breaks inside; a row is numbered by the line it
  starts on.  A row over 1 MB, or more than 200,000 rows (``bounds.MAX_NOTES``), is an
  error, the rows read by :mod:`quizapp.banks.csv_rows`.
* A note's fields are the columns left once the guid, note type, deck and tags columns
  (numbered, or named in ``#columns``) are taken out, in order.  A column beyond the note
  type's fields holds tags when the file has headers and names no tags column (Anki's
  rule); in a file without headers it is ignored with a warning.
* ``#html:true`` reads fields as HTML and sanitizes them; ``#html:false`` reads plain
  text; without the header the file is HTML when any row holds a tag, as in Anki.
* The file is UTF-8 (a byte-order mark is dropped), or UTF-16 with its byte-order mark
  as Excel saves "Unicode text".
* Quizlet's export is a headerless TSV: term TAB definition, one per line.  Its custom
  term/definition separator is given as ``options.separator``; one longer than a
  character splits each line once, at its first occurrence, with no quoting.  Rows must
  be one per line (Quizlet's "new line" setting): ParseOptions has no row separator.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

from quizapp.banks.csv_rows import (
    LineFeed,
    lines_of,
    quoted_rows,
    split_rows,
    unquoted_rows,
)
from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions, decode_text
from quizapp.banks.table_notes import (
    MAX_ROW_CHARS,
    NOTE_TYPE_FIELDS,
    RowMeta,
    TableNotes,
    looks_like_html,
)
from quizapp.domain import ImportBatch, ImportIssue

SEPARATOR_NAMES = {
    "tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":",
}  # fmt: skip
_SNIFFED = "\t,;|"
_SAMPLE_CHARS = 64 * 1024
_SNIFFER_CHARS = 4 * 1024
_COLUMN_HEADERS = {
    "notetype column": "notetype", "deck column": "deck", "tags column": "tags",
    "guid column": "guid",
}  # fmt: skip
_COLUMN_LABELS = {
    "tags": "tags", "deck": "deck", "notetype": "notetype", "note type": "notetype",
    "guid": "guid",
}  # fmt: skip
# Python's csv module refuses fields over 128 KB; our own limit is per row, and larger.
csv.field_size_limit(max(csv.field_size_limit(), MAX_ROW_CHARS + 1))


@dataclass(slots=True)
class _Headers:
    """What the ``#`` lines at the top of a file said, and what was wrong with them."""

    separator: str | None = None
    html: bool | None = None
    tags: list[str] = field(default_factory=list)
    columns: str = ""
    notetype: str = "basic"
    deck: str = ""
    roles: dict[str, int] = field(default_factory=dict)
    found: bool = False
    count: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)


def _read_headers(lines: Sequence[str]) -> _Headers:
    """Read the header lines at the top of ``lines``."""
    headers = _Headers()
    for line in lines:
        if headers.count == 0 and line.startswith("tags:"):
            headers.tags.extend(line[5:].split())
        elif not line.startswith("#"):
            break
        else:
            key, colon, value = line[1:].partition(":")
            if colon:
                _apply_header(headers, key.strip().lower(), value.rstrip("\r\n"))
        headers.count += 1
    return headers


def _apply_header(headers: _Headers, key: str, value: str) -> None:
    """Take one ``#key:value`` header; any other ``#`` line is a comment."""
    plain, line = value.strip(), headers.count + 1
    if key == "separator":
        separator = SEPARATOR_NAMES.get(plain.lower(), value if len(value) == 1 else None)
        if separator is None or separator in '"\r\n':
            headers.warnings.append((line, f"unknown separator '{value}': guessed from the rows"))
        else:
            headers.separator = separator
    elif key == "html":
        if plain.lower() in ("true", "false"):
            headers.html = plain.lower() == "true"
        else:
            headers.warnings.append((line, f"'#html' must be true or false, not '{plain}'"))
    elif key == "tags":
        headers.tags.extend(value.split())
    elif key == "columns":
        headers.columns = value
    elif key == "notetype":
        headers.notetype = plain.casefold()
        if headers.notetype not in NOTE_TYPE_FIELDS:
            headers.warnings.append((line, f"unknown note type '{plain}': notes read as Basic"))
            headers.notetype = "basic"
    elif key == "deck":
        headers.deck = plain
    elif key in _COLUMN_HEADERS:
        if plain.isascii() and plain.isdigit() and int(plain) > 0:
            headers.roles[_COLUMN_HEADERS[key]] = int(plain)
        else:
            headers.warnings.append((line, f"'#{key}' needs a column number from 1, not '{plain}'"))
    else:
        return
    headers.found = True


def _separator(options: ParseOptions, headers: _Headers, body: str) -> str:
    """The field separator: the user's, the file's, or a guess from the first rows."""
    if options.separator:
        given = options.separator.replace("\\t", "\t")
        return SEPARATOR_NAMES.get(given.strip().lower(), given)
    if headers.separator:
        return headers.separator
    sample = body[:_SAMPLE_CHARS]
    if len(body) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    lines = [line for line in sample.splitlines() if line.strip() and not line.startswith("#")]
    return _guess_separator(lines) if lines else "\t"


def _guess_separator(lines: list[str]) -> str:
    """Tab if every line has one; else the one candidate every line has, a comma
    followed by a space counting as prose; else :class:`csv.Sniffer`'s pick."""
    everywhere = [candidate for candidate in _SNIFFED if all(candidate in line for line in lines)]
    if "\t" in everywhere:
        return "\t"
    sample = "\n".join(lines)
    if len(everywhere) > 1:
        tight = [c for c in everywhere if sample.count(c) != sample.count(c + " ")]
        everywhere = tight or everywhere
    if len(everywhere) == 1:
        return everywhere[0]
    try:
        # The Sniffer's regular expressions take quadratic time: give it a short sample.
        return csv.Sniffer().sniff(sample[:_SNIFFER_CHARS], delimiters=_SNIFFED).delimiter
    except csv.Error:
        counts = {candidate: sum(candidate in line for line in lines) for candidate in _SNIFFED}
        best = max(_SNIFFED, key=counts.__getitem__)
        return best if counts[best] else "\t"


class _Columns:
    """Which columns of a row are meta columns (guid, note type, deck, tags)."""

    def __init__(self, headers: _Headers, separator: str) -> None:
        self.roles = dict(headers.roles)
        for index, label in enumerate(_labels(headers.columns, separator), start=1):
            role = _COLUMN_LABELS.get(label.strip().casefold())
            if role is not None:
                self.roles.setdefault(role, index)
        self.meta = set(self.roles.values())
        self._meta_order = [
            self.roles.get(role, 0) for role in ("notetype", "deck", "guid", "tags")
        ]
        self._pickers: dict[int, tuple[_Picker, _Picker, bool]] = {}

    def split(self, record: Sequence[str]) -> tuple[Sequence[str], RowMeta]:
        """``record`` split into the note's fields and the meta columns' values."""
        width = len(record)
        pick_fields, pick_meta, padded = self._pickers.get(width) or self._picker(width)
        notetype, deck, guid, tags = pick_meta((*record, "") if padded else record)
        return pick_fields(record), RowMeta(notetype, deck, guid, tags.split())

    def _picker(self, width: int) -> tuple[_Picker, _Picker, bool]:
        """What :meth:`split` takes from a row of ``width`` columns: the fields, the meta
        values (a missing column being the ``""`` padded on), and whether to pad."""
        fields = [index for index in range(width) if index + 1 not in self.meta]
        meta = [index - 1 if 0 < index <= width else width for index in self._meta_order]
        picked = (_pick(fields), _pick(meta), width in meta)
        self._pickers[width] = picked
        return picked


_Picker = Callable[[Sequence[str]], Sequence[str]]


def _pick(indexes: list[int]) -> _Picker:
    """A function taking a tuple of the values at ``indexes`` (itemgetter returns a lone
    value bare, and refuses no indexes)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    if indexes:
        (only,) = indexes
        return lambda record: (record[only],)
    return lambda record: ()


def _labels(columns: str, separator: str) -> list[str]:
    """The ``#columns`` labels, split like a row (or at spaces, as people also write them)."""
    if not columns.strip():
        return []
    if not _is_csv_separator(separator):
        return columns.split()
    labels = next(csv.reader([columns], delimiter=separator), [])
    if len(labels) == 1 and separator != " ":
        labels = columns.split()
    return labels


def _is_csv_separator(separator: str) -> bool:
    """Whether rows are read as CSV with ``separator``, else split once at it (Quizlet)."""
    return len(separator) == 1 and separator not in '"\r\n'


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text, or UTF-16 with its byte-order mark (Excel's "Unicode text")."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, source)
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as error:
        line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
        raise BankError(
            [
                ImportIssue(
                    source, line, "not valid UTF-16: save the file as UTF-8 and import it again"
                )
            ]
        ) from error


def _headerlines_of(stream: Iterator[str]) -> tuple[list[str], list[str]]:
    """The lines at the top that :func:`_read_headers` reads, and the first line after."""
    lines: list[str] = []
    for line in stream:
        if line.startswith("#") or (not lines and line.startswith("tags:")):
            lines.append(line)
        else:
            return lines, [line]
    return lines, []


def parse_csv(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse an Anki text file (CSV/TSV with optional headers) or a Quizlet export.

    Raises :class:`BankError` listing every problem found, each with its line.  The text
    is read line by line, never held as a list of all its lines.
    """
    text = _decode(data, source)
    stream = lines_of(text)
    header_lines, first_body_line = _headerlines_of(stream)
    headers = _read_headers(header_lines)
    body_start = sum(map(len, header_lines))
    body_lines = chain(first_body_line, stream)
    separator = _separator(options, headers, text[body_start : body_start + 2 * _SAMPLE_CHARS])
    columns = _Columns(headers, separator)
    notes = TableNotes(
        source,
        html=headers.html if headers.html is not None else looks_like_html(text, body_start),
        notetype=headers.notetype,
        deck=headers.deck,
        tags=headers.tags,
        extra_column_tags=headers.found and "tags" not in columns.roles,
    )
    for line, message in headers.warnings:
        notes.warn(line, message)
    lone_check = headers.notetype != "cloze"
    if not _is_csv_separator(separator):
        split_rows(body_lines, headers.count + 1, separator, notes)
    elif text.find('"', body_start) < 0:
        unquoted_rows(body_lines, headers.count + 1, separator, columns, notes, lone_check)
    else:
        feed = LineFeed(body_lines, headers.count + 1, body_start)
        quoted_rows(feed, text, separator, columns, notes, lone_check)
    return notes.batch()
