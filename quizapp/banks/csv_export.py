"""Writing notes as an Anki-style text file (tab-separated, with headers)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.banks.html import plain_to_html
from quizapp.domain import BasicContent, BatchNote, ClozeContent, NoteKind, TextFormat, TypedContent

# Anki's stock note types, which every program that reads Anki text files knows.
NOTE_TYPES = {
    NoteKind.BASIC: "Basic",
    NoteKind.BASIC_REVERSED: "Basic (and reversed card)",
    NoteKind.TYPED: "Basic (type in the answer)",
    NoteKind.CLOZE: "Cloze",
}
HEADER = (
    "#separator:tab\n"
    "#html:{html}\n"
    "#notetype column:1\n"
    "#deck column:2\n"
    "#guid column:3\n"
    "#tags column:6\n"
    "#columns:Notetype\tDeck\tGUID\tFront\tBack\tTags\n"
)


# Why a note of each kind has no place in an Anki text file.
NO_NOTE_TYPE = {
    NoteKind.TRUE_FALSE: "true/false questions",
    NoteKind.MULTIPLE_CHOICE: "multiple-choice questions",
    NoteKind.MULTIPLE_RESPONSE: "several-answers questions",
    NoteKind.NUMERIC: "numeric answers with a tolerance",
    NoteKind.MATCHING: "matching questions",
    NoteKind.EXERCISE: "exercise templates",
}


@dataclass(frozen=True, slots=True)
class LeftOutNote:
    """A note an export could not write, and why, in words for the user."""

    guid: str
    kind: NoteKind
    deck: str
    reason: str  # what an Anki text file has: "no note type for exercise templates"

    def __str__(self) -> str:
        return (
            f"{self.guid} ({self.kind.value}): an Anki text file has {self.reason}; "
            "export as yaml to keep it"
        )


def write_csv_bank(notes: Sequence[BatchNote]) -> tuple[str, tuple[LeftOutNote, ...]]:
    """The file's text, and every note it could not hold with the reason.

    Only the kinds of Anki's stock note types fit a text file; a typed note with
    several accepted answers would lose them, so it is left out too.
    """
    html = any(item.note.text_format is TextFormat.HTML for item in notes)
    stream = io.StringIO()
    stream.write(HEADER.format(html="true" if html else "false"))
    writer = csv.writer(stream, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    left_out: list[LeftOutNote] = []
    for item in notes:
        fields: tuple[str, ...] | None = _fields(item)
        if fields is None:
            left_out.append(_left_out(item))
            continue
        if html and item.note.text_format is TextFormat.PLAIN:
            fields = tuple(plain_to_html(field) for field in fields)
        note = item.note
        writer.writerow([NOTE_TYPES[note.kind], item.deck, note.guid, *fields, " ".join(note.tags)])
    return stream.getvalue(), tuple(left_out)


def _fields(item: BatchNote) -> tuple[str, str] | None:
    content = item.note.content
    if isinstance(content, BasicContent) and item.note.kind in NOTE_TYPES:
        return content.front, content.back
    if isinstance(content, TypedContent) and len(content.answers) == 1:
        return content.question, content.answers[0]
    if isinstance(content, ClozeContent):
        return content.text, content.extra
    return None


def _left_out(item: BatchNote) -> LeftOutNote:
    note = item.note
    content = note.content
    if isinstance(content, TypedContent):
        reason = f"one answer per note (this one accepts {len(content.answers)})"
    else:
        what = NO_NOTE_TYPE.get(note.kind, f"{note.kind.value.replace('_', ' ')} notes")
        reason = f"no note type for {what}"
    return LeftOutNote(note.guid, note.kind, item.deck, reason)
