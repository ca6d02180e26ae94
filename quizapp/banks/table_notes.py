"""Rows of a table bank (CSV, TSV, Quizlet, a spreadsheet) made into notes.

Shared by :mod:`quizapp.banks.csv_text` and :mod:`quizapp.banks.xlsx`: each reads its
file row by row into :meth:`TableNotes.add`, which maps Anki's stock note types to ours,
sanitizes HTML, picks decks and guids, and collects every problem with its line.

* Basic → basic; Basic (and reversed card) → reversed (plain basic when the back is
  empty, as Anki makes no such card); Basic (optional reversed card) → reversed when its
  third field is filled; Basic (type in the answer) → typed, the answer as plain text;
  Cloze → cloze (text, extra), which needs a ``{{cN::`` deletion.  Any other name is
  read as Basic, with a warning at its first row.
* The deck is the row's, else the file's, else its name (a deck chosen for the import
  is applied by :func:`quizapp.banks.formats.read_bank`).
* The guid is the row's, else a hash of the content.  A given guid twice is an error
  naming both lines; the same content twice (no guid) is skipped with a warning.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring_ascii
from pathlib import PurePath
from typing import NamedTuple

from quizapp.banks import bounds
from quizapp.banks.bounds import too_many_notes
from quizapp.banks.errors import BankError
from quizapp.banks.html import has_script, html_to_text, remote_references, sanitize_html
from quizapp.domain import (
    BasicContent,
    BatchNote,
    ClozeContent,
    ImportBatch,
    ImportIssue,
    Note,
    NoteContent,
    NoteKind,
    TextFormat,
    TypedContent,
    cloze_numbers,
)
from quizapp.domain.notes import content_guid

MAX_ROW_CHARS = 1 << 20
# Anki's stock note types, and how many fields each has.
_NOTE_TYPES = {
    "Basic": 2,
    "Basic (and reversed card)": 2,
    "Basic (optional reversed card)": 3,
    "Basic (type in the answer)": 2,
    "Cloze": 2,
}
# By case-folded name, as looked up.
NOTE_TYPE_FIELDS = {name.casefold(): size for name, size in _NOTE_TYPES.items()}
_DISPLAY_NAMES = {name.casefold(): name for name in _NOTE_TYPES}
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_sha256 = hashlib.sha256


def looks_like_html(text: str, start: int = 0) -> bool:
    """Whether ``text`` (from ``start``) holds an HTML tag (Anki's test for a file without
    ``#html``)."""
    return _HTML_TAG.search(text, start) is not None


class RowMeta(NamedTuple):
    """A row's values beside the note's fields: what its meta columns hold."""

    notetype: str = ""
    deck: str = ""
    guid: str = ""
    tags: Sequence[str] = ()
    explanation: str = ""


_NO_META = RowMeta()


class TableNotes:
    """Turns table rows into notes, collecting every problem with its line (or row)."""

    def __init__(
        self,
        source: str,
        *,
        html: bool,
        notetype: str = "basic",
        deck: str = "",
        tags: Sequence[str] = (),
        extra_column_tags: bool = False,
        unit: str = "line",
        max_notes: int | None = None,
    ) -> None:
        self.source = source
        self.issues: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []
        self._notes: list[BatchNote] = []
        self._seen: dict[str, int] = {}
        self._made_guids = False  # a row without a guid of its own was read
        # Caches by a meta column's raw value: a large file repeats a few of them.
        self._decks: dict[str, tuple[str, str | None]] = {}
        self._types: dict[str, str] = {}
        self._unknown_types: set[str] = set()
        self._html = html
        self._format = TextFormat.HTML if html else TextFormat.PLAIN
        self._notetype = notetype.casefold() or "basic"
        self._deck = deck or PurePath(source).stem or "Imported"
        self._tags = tuple(dict.fromkeys(tags))
        # A row's tags (with no extra column) → the note's: the same few sets, over and over.
        self._row_tag_sets: dict[tuple[str, ...], tuple[str, ...]] = {(): self._tags}
        self._extra_column_tags = extra_column_tags
        self._unit = unit
        self._rows = 0
        self._max_notes = bounds.MAX_NOTES if max_notes is None else max_notes

    def _issue(self, line: int, message: str) -> ImportIssue:
        prefix = f"row {line}: " if self._unit == "row" else ""
        return ImportIssue(self.source, line, prefix + message)

    def error(self, line: int, message: str) -> None:
        """Record a problem that stops the import."""
        self.issues.append(self._issue(line, message))

    def warn(self, line: int, message: str) -> None:
        """Record something skipped or changed that the user should know of."""
        self.warnings.append(self._issue(line, message))

    def add(self, line: int, fields: Sequence[str], meta: RowMeta = _NO_META) -> None:
        """Make a note of the row on ``line``; a blank row is skipped, a bad one reported.

        ``fields`` are the note's fields in order; ``meta`` what the other columns hold.
        """
        if not "".join(fields).strip() and _blank(meta):
            return
        self._rows += 1
        if self._rows > self._max_notes:
            raise too_many_notes(self.source, line)
        name = self._types.get(meta.notetype) or self._note_type(line, meta.notetype)
        size = NOTE_TYPE_FIELDS[name]
        tags = self._row_tag_sets.get(tuple(meta.tags)) if len(fields) <= size else None
        if tags is None:
            tags = self._row_tags(line, fields, meta.tags, name, size)
        if name == "basic" and not self._html:
            # What _texts and _content make of a plain Basic row, without the lists: the
            # commonest row, 100,000 times in a large file.
            made = _plain_basic(fields)
        else:
            made = _content(name, self._texts(fields[:size], line), self._html)
        if isinstance(made, str):
            self.error(line, made)
            return
        deck = (self._decks.get(meta.deck) or self._deck_of(meta.deck))[1]
        if deck is None:
            self.error(line, f"deck name '{self._decks[meta.deck][0]}' has an empty level")
            return
        given_guid = meta.guid.strip()
        self._made_guids = self._made_guids or not given_guid
        guid = given_guid or _guid(*made)
        if self._seen.setdefault(guid, line) != line:
            self._used_twice(guid, line, bool(given_guid))
            return
        explanation = self._texts((meta.explanation,), line)[0] if meta.explanation else ""
        note = Note(guid, made[0], made[1], explanation, tags, self.source, self._format)
        self._notes.append(BatchNote(note, deck, line))

    def batch(self) -> ImportBatch:
        """The notes read, or :class:`BankError` with every problem found."""
        if self.issues:
            raise BankError(sorted(self.issues, key=lambda issue: issue.line))
        warnings = sorted(self.warnings, key=lambda issue: issue.line)
        return ImportBatch(
            source=self.source,
            notes=tuple(self._notes),
            warnings=tuple(warnings),
            # Rows that all carry a guid (an Anki export) name notes of their own.
            global_guids=bool(self._notes) and not self._made_guids,
        )

    def _note_type(self, line: int, notetype: str) -> str:
        """The note type a row's value names (warning once of an unknown one), cached."""
        name = notetype.strip()
        if not name:
            key = self._notetype
        elif name.casefold() in NOTE_TYPE_FIELDS:
            key = name.casefold()
        else:
            key = "basic"
            if name.casefold() not in self._unknown_types:
                self._unknown_types.add(name.casefold())
                self.warn(line, f"unknown note type '{name}': its notes are read as Basic")
        self._types[notetype] = key
        return key

    def _row_tags(
        self, line: int, fields: Sequence[str], row_tags: Sequence[str], name: str, size: int
    ) -> tuple[str, ...]:
        if len(fields) <= size:
            key = tuple(row_tags)
            found = self._row_tag_sets[key] = tuple(dict.fromkeys((*self._tags, *key)))
            return found
        extra = list(fields[size:])
        tags = [*self._tags, *row_tags]
        if extra and self._extra_column_tags:
            tags.extend(extra.pop(0).split())
        ignored = [value.strip() for value in extra if value.strip()]
        if ignored:
            shown = ignored[0] if len(ignored[0]) <= 40 else ignored[0][:40] + "…"
            self.warn(
                line,
                f"{len(ignored)} field(s) ignored, first '{shown}': "
                f"a {_DISPLAY_NAMES[name]} note has {size} fields",
            )
        return tuple(dict.fromkeys(tags))

    def _texts(self, fields: Iterable[str], line: int) -> list[str]:
        if not self._html:
            return list(map(str.strip, fields))
        removed: set[str] = set()
        texts = []
        for value in fields:
            if has_script(value):
                removed.add("scripts")
            remote = remote_references(value)
            if remote:
                removed.add("addresses on other hosts (" + ", ".join(remote[:3]) + ")")
            texts.append(sanitize_html(value).strip())
        if removed:
            self.warn(
                line,
                "removed " + " and ".join(sorted(removed)) + ": QuizApp runs no scripts "
                "and loads nothing from the network",
            )
        return texts

    def _deck_of(self, row_deck: str) -> tuple[str, str | None]:
        """The deck name for a row's value, and the deck (None if a level is empty), cached."""
        name = row_deck.strip() or self._deck
        parts = [part.strip() for part in name.split("::")]
        found = self._decks[row_deck] = (name, "::".join(parts) if all(parts) else None)
        return found

    def _used_twice(self, guid: str, line: int, given: bool) -> None:
        """Report a guid seen before: an error if the file gave it, else a skipped duplicate."""
        first = self._seen[guid]
        if given:
            self.error(line, f"guid '{guid}' is used twice: {self._unit}s {first} and {line}")
        else:
            self.warn(line, f"the same note as on {self._unit} {first}: skipped")


def _blank(meta: RowMeta) -> bool:
    """Whether the meta columns are empty too, so the row is blank."""
    return not "".join((meta.notetype, meta.deck, meta.guid, *meta.tags, meta.explanation)).strip()


def _plain_basic(fields: Sequence[str]) -> tuple[NoteKind, NoteContent] | str:
    """``_content("basic", …)`` of plain-text fields, stripped as :meth:`TableNotes._texts`
    strips them: a test compares the two on varied rows."""
    front = fields[0].strip() if fields else ""
    if not front:
        return "the first field (the front) is empty"
    return NoteKind.BASIC, BasicContent(front, fields[1].strip() if len(fields) > 1 else "")


def _content(name: str, texts: list[str], html: bool) -> tuple[NoteKind, NoteContent] | str:
    """The note kind and content of an Anki note type's fields, or what is wrong."""
    front = texts[0] if texts else ""
    back = texts[1] if len(texts) > 1 else ""
    if not front:
        return "the first field (the front) is empty"
    if name == "cloze":
        if not any(number > 0 for number in cloze_numbers(front)):
            return "a Cloze note needs a deletion like {{c1::answer}} in its first field"
        return NoteKind.CLOZE, ClozeContent(text=front, extra=back)
    if name == "basic (type in the answer)":
        answer = html_to_text(back) if html else back
        if not answer:
            return "a 'Basic (type in the answer)' note needs the answer in its second field"
        return NoteKind.TYPED, TypedContent(question=front, answers=(answer,))
    reverse = name == "basic (and reversed card)" or (
        name == "basic (optional reversed card)" and len(texts) > 2 and bool(texts[2])
    )
    # Anki makes no reverse card from an empty back; neither do we.
    kind = NoteKind.BASIC_REVERSED if reverse and back else NoteKind.BASIC
    return kind, BasicContent(front=front, back=back)


def _guid(kind: NoteKind, content: NoteContent) -> str:
    """:func:`content_guid`, computed directly for basic notes (100,000 rows, quickly)."""
    if not isinstance(content, BasicContent):
        return content_guid(kind, content)
    # The JSON that content_guid hashes, written out: a test checks they agree.
    # NoteKind is a StrEnum: joined, it is its value (kind.value goes through Python code).
    back, front = encode_basestring_ascii(content.back), encode_basestring_ascii(content.front)
    payload = "".join(('["', kind, '", {"back": ', back, ', "front": ', front, "}]"))
    return "h-" + _sha256(payload.encode("ascii")).hexdigest()[:20]
