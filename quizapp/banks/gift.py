"""Moodle's GIFT format: plain-text quiz questions, read as Moodle's own importer reads them.

Questions are blocks separated by blank lines.  ``::title::`` names a question,
``{...}`` holds its answers (text after the ``}`` makes it a missing-word question),
``//`` lines are comments (Moodle 4 reads ``[id:...]`` and ``[tag:...]`` in them),
and ``$CATEGORY: a/b`` puts the questions after it in deck ``a::b``.  Every problem
in the file is collected, with its line, before any is reported.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from json.encoder import encode_basestring_ascii
from typing import NamedTuple

from quizapp.banks import bounds
from quizapp.banks.bounds import too_many_notes
from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions, decode_text
from quizapp.banks.gift_fast import quick_note
from quizapp.banks.gift_kinds import Draft, Found, read_answers
from quizapp.banks.gift_render import render_note
from quizapp.banks.gift_text import (
    PHP_SPACE,
    Block,
    Piece,
    has_noncharacters,
    normalize_line_breaks,
    piece_from,
    question_label,
    read_blocks,
    restore,
    strip,
    trimmed,
    visible_words,
)
from quizapp.domain import (
    BasicContent,
    BatchNote,
    ImportBatch,
    ImportIssue,
    Note,
    NoteContent,
    NoteKind,
    TextFormat,
)
from quizapp.domain.notes import content_guid

__all__ = ["category_deck", "file_deck", "parse_gift", "visible_words"]

# Moodle 4's question id and tags, in a "//" comment above the question; "\]" escapes "]".
# Bounded as Moodle bounds them (an idnumber holds 100 characters, a tag 50), so that a
# search over a long comment full of "[id:" cannot rescan it from every one.
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f]){1,255})\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f]){0,255})\]")
_CATEGORY = "$CATEGORY:"
_CONTEXT = re.compile(r"^\$[a-z]+\$/?")  # $course$/, $system$/ ... of a Moodle category path
_CATEGORY_LEVEL = re.compile(r"(?<!/)/(?!/)")  # "//" is a slash inside a category name
_BLANK = "_____"
_sha256 = hashlib.sha256


class _Question(NamedTuple):
    """A question read from its block, before it is rendered into a note.

    Named tuples, here and for drafts and pieces: a file makes one per question, and a
    tuple is made several times faster than a frozen dataclass.
    """

    draft: Draft
    general: Piece
    found: Found


def parse_gift(
    data: bytes, source: str, options: ParseOptions, *, quick: bool = True
) -> ImportBatch:
    """Parse a GIFT file's bytes; ``source`` names the file in notes and messages.

    Raises :class:`BankError` listing every problem found; skipped questions
    (descriptions, duplicates) and changed texts are listed in the batch's warnings.
    ``quick=False`` reads every question the long way (for tests: the same notes).
    """
    text = normalize_line_breaks(decode_text(data, source))
    reader = _Reader(source, quick=quick)
    placeholders = has_noncharacters(text)
    if placeholders:
        reader.warn(1, "Unicode noncharacters (U+FDD0 to U+FDD6) were replaced by U+FFFD")
    read = reader.read
    for block in read_blocks(text, placeholders):
        read(block)
    if reader.errors:
        raise BankError(sorted(reader.errors, key=lambda issue: issue.line))
    warnings = sorted(reader.warnings, key=lambda issue: issue.line)
    return ImportBatch(source=source, notes=tuple(reader.notes), warnings=tuple(warnings))


class _Reader:
    """Reads the blocks of one file in order, keeping the current category and the guids."""

    def __init__(self, source: str, *, quick: bool = True) -> None:
        self.source = source
        self.quick = quick  # read plain questions with nothing to report the short way
        self.questions = 0
        self.max_questions = bounds.MAX_NOTES
        self.file_deck = file_deck(source)
        self.category = ""
        self.errors: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []
        self.notes: list[BatchNote] = []
        self.given_ids: dict[str, int] = {}
        self.made_ids: dict[str, BatchNote] = {}

    def error(self, line: int, message: str) -> None:
        self.errors.append(ImportIssue(self.source, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ImportIssue(self.source, line, message))

    def read(self, block: Block) -> None:
        """Read one block: a category, a question, or comments alone."""
        text = block.text
        if not text:
            self._stray_comments(block)
            return
        if text.startswith(_CATEGORY):
            self._category(block)
            return
        title, at = _split_title(text)
        body = text[at:]
        if "{" in body or "}" in body:  # a question (or a broken one), not a description
            self.questions += 1
            if self.questions > self.max_questions:
                raise too_many_notes(self.source, block.line)
        if self.quick and (title or not text.startswith("::")):
            quick = quick_note(body)
            if quick is not None:
                self._add(block, title, *quick, Found(block, title, body))
                return
        question = _read_question(block, title, at)
        if question is None:
            self.warn(block.line, _description_message(block))
            return
        found, draft = question.found, question.draft
        if found.errors:
            self.errors.extend(ImportIssue(self.source, *item) for item in found.errors)
            return
        # Only an essay makes a basic note, and its general feedback is already on the back.
        general = question.general if draft.kind is not NoteKind.BASIC else _NO_TEXT
        rendered = render_note(draft, general, found)
        self._add(block, title, draft.kind, rendered, found)

    def _stray_comments(self, block: Block) -> None:
        for line, comment in block.comments:
            if _ID.search(comment) or _TAG.search(comment):
                self.warn(
                    line,
                    "this [id:] or [tag:] comment is followed by a blank line, so it belongs "
                    "to no question; put it right above its question",
                )

    def _category(self, block: Block) -> None:
        rest = block.text[len(_CATEGORY) :]
        newline = rest.find("\n")
        if newline >= 0:
            self.error(
                block.line_at(len(_CATEGORY) + newline + 1),
                "put a blank line between the $CATEGORY line and the question after it",
            )
            return
        self.category = category_deck(restore(rest))

    def _add(
        self,
        block: Block,
        title: str,
        kind: NoteKind,
        rendered: tuple[NoteContent, str, TextFormat],
        found: Found,
    ) -> None:
        """Make the note of a question read, and keep it unless its id is taken."""
        content, explanation, text_format = rendered
        given_id, tags = "", _NO_TAGS
        if block.comments:
            comments = "\n".join(text for _, text in block.comments)
            given_id, tags = _given_id(comments), _tags(comments)
        if given_id:
            guid = given_id
        elif title:
            guid = _title_guid(kind, self.category, title)
        else:
            guid = content_guid(kind, content)
        note = Note(guid, kind, content, explanation, tags, self.source, text_format)
        deck = self.category or self.file_deck
        for line, message in found.warnings:
            self.warn(line, message)
        self._keep(BatchNote(note, deck, block.line), found, given_id != "")

    def _keep(self, batch_note: BatchNote, found: Found, given: bool) -> None:
        """Add the note unless its guid is taken: twice the same [id:] is an error."""
        guid, line = batch_note.note.guid, batch_note.line
        if given:
            first = self.given_ids.get(guid) or _line_of(self.made_ids.get(guid))
            if first:
                self.error(
                    line, f"{found.label}: id '{guid}' is used twice (first on line {first})"
                )
                return
            self.given_ids[guid] = line
            self.notes.append(batch_note)
            return
        earlier = self.made_ids.get(guid)
        if earlier is None and guid not in self.given_ids:
            self.made_ids[guid] = batch_note
            self.notes.append(batch_note)
            return
        if earlier is not None and earlier.note == batch_note.note:
            self.warn(
                line, f"{found.label}: the same question as on line {earlier.line}; kept once"
            )
            return
        count = 2
        while f"{guid}-{count}" in self.made_ids or f"{guid}-{count}" in self.given_ids:
            count += 1
        self.warn(
            line,
            f"{found.label}: another question of this kind has the same title "
            f"(line {_line_of(earlier) or self.given_ids.get(guid)}); they are told apart "
            "by their order in the file, so keep that order when you import it again",
        )
        guid = f"{guid}-{count}"
        batch_note = replace(batch_note, note=replace(batch_note.note, guid=guid))
        self.made_ids[guid] = batch_note
        self.notes.append(batch_note)


_NO_TEXT = Piece("", False, 0)
_NO_TAGS: tuple[str, ...] = ()


def _line_of(batch_note: BatchNote | None) -> int:
    return 0 if batch_note is None else batch_note.line


def _read_question(block: Block, title: str, at: int) -> _Question | None:
    """The question of a block whose title is ``title`` and whose text starts at ``at``,
    or ``None`` for a description (no answer block)."""
    text = block.text
    body = text[at:]
    found = Found(block, title, body)
    if not title and text.startswith("::") and text.find("::", 2) < 0:
        found.warn(0, "the title is not closed with '::'; it is read as question text")
    braces = _braces(body, at, found)
    if braces is None:
        return _Question(_NO_DRAFT, _NO_TEXT, found)
    opening, closing = braces
    if opening < 0:
        return None
    after = body[closing + 1 :]
    # Text after the answer block makes a missing-word question, as in Moodle.
    if after:
        question = piece_from(body[:opening] + _BLANK + after, False, at)
    else:
        question = piece_from(body[:opening], False, at)
    found.default_html = question.html
    answer, answer_at = trimmed(body[opening + 1 : closing], at + opening + 1)
    separator = answer.rfind("####")
    general = _NO_TEXT
    if separator >= 0:
        general = piece_from(answer[separator + 4 :], question.html, answer_at + separator)
        answer, answer_at = trimmed(answer[:separator], answer_at)
    if not question.text:
        found.error(0, "the question has no text")
    draft = read_answers(answer, answer_at, question, general, found)
    return _Question(draft or _NO_DRAFT, general, found)


# Stands in for the draft of a question whose problems are already recorded.
_NO_DRAFT = Draft(NoteKind.BASIC, (), lambda render: BasicContent("", ""))


def _split_title(text: str) -> tuple[str, int]:
    """The title of a question's text, and the offset where the rest (trimmed) starts."""
    if not text.startswith("::"):
        return "", 0
    end = text.find("::", 2)
    if end < 0:
        rest = text[2:].lstrip(PHP_SPACE)
        return "", len(text) - len(rest)
    title = " ".join(restore(text[2:end]).split())
    rest = text[end + 2 :].lstrip(PHP_SPACE)
    return title, len(text) - len(rest)


def _braces(body: str, at: int, found: Found) -> tuple[int, int] | None:
    """Offsets in ``body`` (found at ``at``) of the answer block's ``{`` and ``}``:
    (-1, -1) if none, None on a problem."""
    opening, closing = body.find("{"), body.find("}")
    if opening < 0 and closing < 0:
        return (-1, -1)
    literal = "(write \\{ or \\} for a literal brace)"
    column = found.block.column
    if closing < 0:
        found.error(
            at + opening,
            f"the '{{' at column {column(at + opening)} is never closed with '}}'; "
            f"a blank line ends a question {literal}",
        )
        return None
    if opening < 0 or closing < opening:
        found.error(
            at + closing,
            f"the '}}' at column {column(at + closing)} has no '{{' before it {literal}",
        )
        return None
    seconds = (body.find("{", opening + 1), body.find("}", closing + 1))
    second = min((offset for offset in seconds if offset >= 0), default=-1)
    if second >= 0:
        found.error(
            at + second,
            f"a second brace at column {column(at + second)}; a question has one "
            f"answer block {literal}",
        )
        return None
    return opening, closing


def _description_message(block: Block) -> str:
    title, at = _split_title(block.text)
    return (
        f"{question_label(title, block.text[at:])}: skipped, it has no answer block {{...}}; "
        "Moodle reads it as a description, which is not a question"
    )


def _given_id(comments: str) -> str:
    match = _ID.search(comments)
    return strip(match.group(1)).replace("\\]", "]") if match else ""


def _tags(comments: str) -> tuple[str, ...]:
    tags = (strip(raw).replace("\\]", "]").replace(" ", "_") for raw in _TAG.findall(comments))
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def _title_guid(kind: NoteKind, category: str, title: str) -> str:
    # Not the answers: a re-import with edited answers updates the same note.  The
    # category tells apart the "Q1" of one Moodle export from the "Q1" of another.
    # The JSON of [kind, category, title], written out (a test holds it to json.dumps).
    payload = f'["{kind}", {encode_basestring_ascii(category)}, {encode_basestring_ascii(title)}]'
    return "t-" + _sha256(payload.encode("ascii")).hexdigest()[:20]


def category_deck(path: str) -> str:
    """The deck of a Moodle category path: ``$course$/top/a/b`` → ``a::b``."""
    path = _CONTEXT.sub("", strip(path))
    levels = [strip(level.replace("//", "/")) for level in _CATEGORY_LEVEL.split(path)]
    levels = [level for level in levels if level]
    if levels and levels[0] == "top":
        levels = levels[1:]
    return "::".join(levels)


def file_deck(source: str) -> str:
    """The deck named after the file: ``/x/questions.gift.txt`` → ``questions``."""
    name = re.split(r"[\\/]", source)[-1]
    while name.lower().endswith((".gift", ".txt")):
        name = name.rsplit(".", 1)[0]
    return name or "GIFT"
