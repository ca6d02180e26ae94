"""Moodle's GIFT format: plain-text quiz questions, read as Moodle's own importer reads them.

Questions are blocks separated by blank lines.  ``::title::`` names a question,
``{...}`` holds its answers (text after the ``}`` makes it a missing-word question),
``//`` lines are comments (Moodle 4 reads ``[id:...]`` and ``[tag:...]`` in them),
and ``$CATEGORY: a/b`` puts the questions after it in deck ``a::b``.  Every problem
in the file is collected, with its line, before any is reported.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, replace

from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions, decode_text
from quizapp.banks.gift_kinds import Draft, Found, read_answers
from quizapp.banks.gift_render import render_note
from quizapp.banks.gift_text import (
    Block,
    Piece,
    Span,
    has_noncharacters,
    piece_from,
    read_blocks,
    restore,
    strip,
)
from quizapp.domain import BasicContent, BatchNote, ImportBatch, ImportIssue, Note, NoteKind
from quizapp.domain.notes import content_guid

# Moodle 4's question id and tags, in a "//" comment above the question; "\]" escapes "]".
# Bounded as Moodle bounds them (an idnumber holds 100 characters, a tag 50), so that a
# search over a long comment full of "[id:" cannot rescan it from every one.
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f]){1,255})\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f]){0,255})\]")
_CATEGORY = "$CATEGORY:"
_CONTEXT = re.compile(r"^\$[a-z]+\$/?")  # $course$/, $system$/ ... of a Moodle category path
_CATEGORY_LEVEL = re.compile(r"(?<!/)/(?!/)")  # "//" is a slash inside a category name
_BLANK = "_____"
_LABEL_LENGTH = 40


@dataclass(frozen=True, slots=True)
class _Question:
    """A question read from its block, before it is rendered into a note."""

    title: str
    line: int
    draft: Draft
    general: Piece
    found: Found


def parse_gift(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse a GIFT file's bytes; ``source`` names the file in notes and messages.

    Raises :class:`BankError` listing every problem found; skipped questions
    (descriptions, duplicates) and changed texts are listed in the batch's warnings.
    """
    text = decode_text(data, source)
    reader = _Reader(source)
    if has_noncharacters(text):
        reader.warn(1, "Unicode noncharacters (U+FDD0 to U+FDD6) were replaced by U+FFFD")
    for block in read_blocks(text):
        reader.read(block)
    if reader.errors:
        raise BankError(sorted(reader.errors, key=lambda issue: issue.line))
    warnings = sorted(reader.warnings, key=lambda issue: issue.line)
    return ImportBatch(source=source, notes=tuple(reader.notes), warnings=tuple(warnings))


class _Reader:
    """Reads the blocks of one file in order, keeping the current category and the guids."""

    def __init__(self, source: str) -> None:
        self.source = source
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
        if not block.numbers:
            self._stray_comments(block)
            return
        whole = block.whole().strip()
        if whole.text.startswith(_CATEGORY):
            self._category(whole)
            return
        question = _read_question(whole)
        if question is None:
            self.warn(whole.line, _description_message(whole))
            return
        self.errors.extend(ImportIssue(self.source, *item) for item in question.found.errors)
        if not question.found.errors:
            self._add(question, block)

    def _stray_comments(self, block: Block) -> None:
        for line, comment in block.comments:
            if _ID.search(comment) or _TAG.search(comment):
                self.warn(
                    line,
                    "this [id:] or [tag:] comment is followed by a blank line, so it belongs "
                    "to no question; put it right above its question",
                )

    def _category(self, whole: Span) -> None:
        rest = whole.cut(len(_CATEGORY))
        newline = rest.find("\n")
        if newline >= 0:
            self.error(
                rest.line_at(newline + 1),
                "put a blank line between the $CATEGORY line and the question after it",
            )
            return
        self.category = category_deck(restore(rest.text))

    def _add(self, question: _Question, block: Block) -> None:
        found, draft = question.found, question.draft
        # Only an essay makes a basic note, and its general feedback is already on the back.
        general = question.general if draft.kind is not NoteKind.BASIC else _NO_TEXT
        content, explanation, text_format = render_note(draft, general, found)
        comments = "\n".join(text for _, text in block.comments)
        given_id = _given_id(comments)
        if given_id:
            guid = given_id
        elif question.title:
            guid = _title_guid(draft.kind, self.category, question.title)
        else:
            guid = content_guid(draft.kind, content)
        note = Note(
            guid=guid,
            kind=draft.kind,
            content=content,
            explanation=explanation,
            tags=_tags(comments),
            source=self.source,
            text_format=text_format,
        )
        deck = self.category or self.file_deck
        for line, message in found.warnings:
            self.warn(line, message)
        self._keep(BatchNote(note=note, deck=deck, line=question.line), found, given_id != "")

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
        if earlier is not None and earlier.note == batch_note.note:
            self.warn(
                line, f"{found.label}: the same question as on line {earlier.line}; kept once"
            )
            return
        if earlier is not None or guid in self.given_ids:
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


def _line_of(batch_note: BatchNote | None) -> int:
    return 0 if batch_note is None else batch_note.line


def _read_question(whole: Span) -> _Question | None:
    """The question of a block, or ``None`` for a description (no answer block)."""
    line = whole.line
    title, text = _split_title(whole)
    found = Found(_label(title, text), default_html=False)
    if whole.text.startswith("::") and not title and whole.cut(2).find("::") < 0:
        found.warn(line, "the title is not closed with '::'; it is read as question text")
    braces = _braces(text, found)
    if braces is None:
        return _Question(title, line, _NO_DRAFT, _NO_TEXT, found)
    opening, closing = braces
    if opening < 0:
        return None
    before, after = text.cut(0, opening).text, text.cut(closing + 1).text
    # Text after the answer block makes a missing-word question, as in Moodle.
    blank = _BLANK if after else ""
    question = piece_from(before + blank + after, False, text.line)
    found.default_html = question.html
    answer = text.cut(opening + 1, closing).strip()
    separator = answer.rfind("####")
    general = _NO_TEXT
    if separator >= 0:
        general = piece_from(
            answer.cut(separator + 4).text, question.html, answer.line_at(separator)
        )
        answer = answer.cut(0, separator).strip()
    if not question.text:
        found.error(line, "the question has no text")
    draft = read_answers(answer, question, general, found)
    return _Question(title, line, draft or _NO_DRAFT, general, found)


# Stands in for the draft of a question whose problems are already recorded.
_NO_DRAFT = Draft(NoteKind.BASIC, (), lambda render: BasicContent("", ""))


def _split_title(whole: Span) -> tuple[str, Span]:
    if not whole.text.startswith("::"):
        return "", whole
    rest = whole.cut(2)
    end = rest.find("::")
    if end < 0:
        return "", rest.strip()
    title = " ".join(restore(rest.cut(0, end).text).split())
    return title, rest.cut(end + 2).strip()


def _braces(text: Span, found: Found) -> tuple[int, int] | None:
    """Offsets of the answer block's ``{`` and ``}``: (-1, -1) if none, None on a problem."""
    opening, closing = text.find("{"), text.find("}")
    if opening < 0 and closing < 0:
        return (-1, -1)
    literal = "(write \\{ or \\} for a literal brace)"
    if closing < 0:
        found.error(
            text.line_at(opening),
            f"the '{{' at column {text.column(opening)} is never closed with '}}'; "
            f"a blank line ends a question {literal}",
        )
        return None
    if opening < 0 or closing < opening:
        found.error(
            text.line_at(closing),
            f"the '}}' at column {text.column(closing)} has no '{{' before it {literal}",
        )
        return None
    second = min(
        (at for at in (text.find("{", opening + 1), text.find("}", closing + 1)) if at >= 0),
        default=-1,
    )
    if second >= 0:
        found.error(
            text.line_at(second),
            f"a second brace at column {text.column(second)}; a question has one "
            f"answer block {literal}",
        )
        return None
    return opening, closing


def _label(title: str, text: Span) -> str:
    if title:
        return f"question '{title}'"
    words = visible_words(restore(text.text.split("{", 1)[0]))
    if len(words) > _LABEL_LENGTH:
        words = words[: _LABEL_LENGTH - 1].rstrip() + "…"
    return f"question '{words}'" if words else "question"


_LINE_TAGS = re.compile(r"<br\s*/?>|</(p|div|li|tr|h\d)>", re.IGNORECASE)


def visible_words(text: str) -> str:
    """The words of an HTML fragment, one space apart: ``html_to_text`` with its spaces
    joined, in one pass (its tag pattern rescans a text full of '<' from each one)."""
    text = _LINE_TAGS.sub("\n", text)
    kept: list[str] = []
    at = 0
    while (opening := text.find("<", at)) >= 0:
        closing = text.find(">", opening + 1)
        if closing < 0:
            break  # no tag can close after here: the rest is text
        if closing == opening + 1:  # "<>" is no tag
            kept.append(text[at : opening + 1])
            at = opening + 1
            continue
        kept.append(text[at:opening])
        at = closing + 1
    kept.append(text[at:])
    return " ".join(html.unescape("".join(kept)).split())


def _description_message(whole: Span) -> str:
    title, text = _split_title(whole)
    return (
        f"{_label(title, text)}: skipped, it has no answer block {{...}}; "
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
    payload = json.dumps([kind.value, category, title])
    return "t-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


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
