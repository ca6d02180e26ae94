"""Writing notes as an Anki-style text file (tab-separated, with headers)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

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


def write_csv_bank(notes: Sequence[BatchNote]) -> tuple[str, int]:
    """The file's text, and how many notes it could not hold.

    Only the kinds of Anki's stock note types fit a text file; a typed note with
    several accepted answers would lose them, so it is left out too.
    """
    html = any(item.note.text_format is TextFormat.HTML for item in notes)
    stream = io.StringIO()
    stream.write(HEADER.format(html="true" if html else "false"))
    writer = csv.writer(stream, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    skipped = 0
    for item in notes:
        fields: tuple[str, ...] | None = _fields(item)
        if fields is None:
            skipped += 1
            continue
        if html and item.note.text_format is TextFormat.PLAIN:
            fields = tuple(plain_to_html(field) for field in fields)
        note = item.note
        writer.writerow([NOTE_TYPES[note.kind], item.deck, note.guid, *fields, " ".join(note.tags)])
    return stream.getvalue(), skipped


def _fields(item: BatchNote) -> tuple[str, str] | None:
    content = item.note.content
    if isinstance(content, BasicContent) and item.note.kind in NOTE_TYPES:
        return content.front, content.back
    if isinstance(content, TypedContent) and len(content.answers) == 1:
        return content.question, content.answers[0]
    if isinstance(content, ClozeContent):
        return content.text, content.extra
    return None
