"""Moodle XML question banks (Moodle's "Moodle XML format" export).

The file is parsed by defusedxml with its protections on: a document type, entity
declarations and external references are refused, not expanded.  Every element
keeps the line it starts on, so each problem names its line; all problems are
collected before any is raised.  Each ``<question>`` is read as soon as it is parsed
and then dropped, so memory holds one question's elements at a time, and a file of
more than :data:`MAX_ELEMENTS` elements is refused.  Question types live in :mod:`moodle_questions`
and :mod:`moodle_calculated`, texts and files in :mod:`moodle_reading`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from quizapp.banks import bounds
from quizapp.banks.bounds import too_many_notes
from quizapp.banks.errors import BankError
from quizapp.banks.formats import MAX_TEXT_BANK_BYTES, ParseOptions
from quizapp.banks.moodle_calculated import read_calculated
from quizapp.banks.moodle_questions import (
    Read,
    read_essay,
    read_matching,
    read_multichoice,
    read_numerical,
    read_shortanswer,
    read_truefalse,
)
from quizapp.banks.moodle_reading import MoodleReader, QuestionFields, value_of
from quizapp.domain import BatchNote, ImportBatch, ImportIssue, Note

ENTITIES_REFUSED = "the file declares XML entities, which QuizApp does not read"
DOCTYPE_REFUSED = "the file declares a document type (<!DOCTYPE>), which QuizApp does not read"
# Moodle nests a few levels; HTML written as XML inside a <text> a few more.
MAX_DEPTH = 100
# A question takes a few dozen elements; a million is thousands of questions more than
# any real export, and a file of 15 million empty elements is an attack.
MAX_ELEMENTS = 1_000_000
_READERS: dict[str, Callable[[QuestionFields], Read | None]] = {
    "multichoice": read_multichoice,
    "truefalse": read_truefalse,
    "shortanswer": read_shortanswer,
    "numerical": read_numerical,
    "matching": read_matching,
    "essay": read_essay,
    "calculated": read_calculated,
    "calculatedsimple": read_calculated,
}
_CALCULATED = {"calculated", "calculatedsimple"}
_CONTEXT = re.compile(r"\$\w*\$")
_LOCATION = re.compile(r": line \d+, column (\d+)$")


class _TooDeep(Exception):
    pass


class _TooMany(Exception):
    pass


class _LocatingBuilder(TreeBuilder):
    """A tree builder that notes the line each element starts on, by element id, and
    hands each child of the root to ``on_child`` once it is complete, then drops it."""

    def __init__(self, lines: dict[int, int], on_child: Callable[[Element], None]) -> None:
        super().__init__()
        self.lines = lines
        self.depth = 0
        self.count = 0
        self.root: Element | None = None
        self.parser: DefusedXMLParser | None = None
        self._on_child = on_child

    def start(self, tag: Any, attrs: dict[Any, Any], /) -> Element:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep
        if self.count > MAX_ELEMENTS:
            raise _TooMany
        element = super().start(tag, attrs)
        if self.root is None:
            self.root = element
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag: str, /) -> Element:
        self.depth -= 1
        element = super().end(tag)
        if self.depth == 1 and self.root is not None:
            if self.root.tag == "quiz":
                self._on_child(element)
            self.root.remove(element)
            for part in element.iter():
                del self.lines[id(part)]
        return element


def parse_moodle_xml(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse a Moodle XML file's bytes; ``source`` names the file in messages.

    Categories become decks.
    Raises :class:`BankError` listing every problem; skipped questions are warnings.
    """
    if len(data) > MAX_TEXT_BANK_BYTES:
        limit = MAX_TEXT_BANK_BYTES // 2**20
        raise BankError([ImportIssue(source, 0, f"the file is larger than {limit} MB")])
    _count_elements(data, source)
    lines: dict[int, int] = {}
    reader = MoodleReader(source, lines)
    quiz = _Quiz(reader)
    root = _load_tree(data, source, _LocatingBuilder(lines, quiz.read))
    if root.tag != "quiz":
        raise BankError(
            [ImportIssue(source, reader.line(root), f"not Moodle XML: <{root.tag}> is not <quiz>")]
        )
    notes = quiz.notes
    if reader.issues:
        raise BankError(sorted(reader.issues, key=lambda issue: issue.line))
    if not notes:
        reader.warn(root, "the file has no question QuizApp can import")
    return ImportBatch(
        source=source,
        notes=tuple(notes),
        warnings=tuple(sorted(reader.warnings, key=lambda issue: issue.line)),
        media=reader.media.batch_media(),
    )


_START_TAG = re.compile(rb"<[^/?!]")
_SKIPPED = ((b"<![CDATA[", b"]]>"), (b"<!--", b"-->"))


def _count_elements(data: bytes, source: str) -> None:
    """Refuse a file of more than :data:`MAX_ELEMENTS` elements before parsing it.

    Counted at C speed: in well-formed XML every ``<`` outside CDATA and comments opens
    a tag, and those not followed by ``/``, ``?`` or ``!`` open an element.  (The parser
    counts again, exactly, as it goes.)
    """
    starts = _starts(data, 0, len(data))
    if starts <= MAX_ELEMENTS:
        return
    skipped: list[tuple[int, int]] = []
    for opening, closing in _SKIPPED:
        at = data.find(opening)
        while at >= 0:
            end = data.find(closing, at)
            if end < 0:
                break  # the parser reports it
            skipped.append((at, end))
            starts -= data.count(b"<", at + 1, end) - data.count(b"<!", at + 1, end)
            at = data.find(opening, end)
    if starts <= MAX_ELEMENTS:
        return
    skipped.sort()
    number, next_skipped = 0, 0
    for match in _START_TAG.finditer(data):
        where = match.start()
        while next_skipped < len(skipped) and skipped[next_skipped][1] < where:
            next_skipped += 1
        if next_skipped < len(skipped) and skipped[next_skipped][0] < where:
            continue  # inside CDATA or a comment
        number += 1
        if number > MAX_ELEMENTS:
            line = data.count(b"\n", 0, where) + 1
            message = f"the file holds more than {MAX_ELEMENTS:,} XML elements: split it"
            raise BankError([ImportIssue(source, line, message)])


def _starts(data: bytes, begin: int, end: int) -> int:
    """How many ``<`` open an element in ``data[begin:end]`` (a pair may end past it)."""
    after = min(end + 1, len(data))
    return (
        data.count(b"<", begin, end)
        - data.count(b"</", begin, after)
        - data.count(b"<?", begin, after)
        - data.count(b"<!", begin, after)
    )


def _load_tree(data: bytes, source: str, builder: _LocatingBuilder) -> Element:
    """Parse ``data`` into ``builder``; the root comes back with its children dropped."""
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root: Element = parser.close()
    except ParseError as error:
        line, column = error.position
        reason = _LOCATION.sub("", str(error))
        message = f"not valid XML: {reason} (column {column + 1})"
        raise BankError([ImportIssue(source, line, message)]) from error
    except DefusedXmlException as error:
        refusal = ENTITIES_REFUSED if b"<!ENTITY" in data else DOCTYPE_REFUSED
        line = parser.parser.CurrentLineNumber
        raise BankError([ImportIssue(source, line, refusal)]) from error
    except _TooDeep as error:
        line = parser.parser.CurrentLineNumber
        message = f"elements are nested more than {MAX_DEPTH} deep"
        raise BankError([ImportIssue(source, line, message)]) from error
    except _TooMany as error:
        line = parser.parser.CurrentLineNumber
        message = f"the file holds more than {MAX_ELEMENTS:,} XML elements: split it"
        raise BankError([ImportIssue(source, line, message)]) from error
    except (LookupError, ValueError) as error:
        # An encoding that Python does not know, or one expat cannot use.
        message = f"cannot read the file's encoding: {error}"
        raise BankError([ImportIssue(source, 1, message)]) from error
    return root


class _Quiz:
    """Reads the children of ``<quiz>`` one by one, as the parser completes them."""

    def __init__(self, reader: MoodleReader) -> None:
        self.reader = reader
        self.default_deck = _file_deck(reader.source)
        self.category = ""
        self.guids: dict[str, int] = {}
        self.notes: list[BatchNote] = []
        self.questions = 0
        self.max_questions = bounds.MAX_NOTES

    def read(self, element: Element) -> None:
        """Read one child of ``<quiz>``: a category, a question, or something skipped."""
        reader = self.reader
        if element.tag != "question":
            reader.warn(element, f"<{element.tag}> is not a question; skipped")
            return
        question_type = element.get("type", "").strip()
        if question_type == "category":
            self.category = category_deck(value_of(element.find("category")))
            return
        self.questions += 1
        if self.questions > self.max_questions:
            raise too_many_notes(reader.source, reader.line(element))
        note = _read_question(reader, element, question_type, self.category, self.guids)
        if note is not None:
            deck = self.category or self.default_deck
            self.notes.append(BatchNote(note=note, deck=deck, line=reader.line(element)))


def _file_deck(source: str) -> str:
    name = re.split(r"[\\/]", source)[-1]
    if name.lower().endswith(".xml"):
        name = name[:-4]
    return name or "Moodle"


def category_deck(path: str) -> str:
    """The deck of a Moodle category path: ``$course$/top/A/B`` is ``A::B``."""
    # Moodle writes a "/" inside a category's name as "//".
    parts = [part.replace("\0", "/").strip() for part in path.replace("//", "\0").split("/")]
    parts = [part for part in parts if part and not _CONTEXT.fullmatch(part)]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "::".join(parts)


def _read_question(
    reader: MoodleReader, element: Element, question_type: str, category: str, guids: dict[str, int]
) -> Note | None:
    fields = QuestionFields(reader, element, value_of(element.find("name")))
    read = _READERS.get(question_type)
    if read is None:
        what = (
            "a description is not a question"
            if question_type == "description"
            else f"the question type '{question_type}' is not one QuizApp reads"
        )
        fields.warn(None, f"{what}; skipped")
        return None
    issues_before = len(reader.issues)
    result = read(fields)
    explanation = "" if question_type in _CALCULATED else fields.child_text("generalfeedback")
    tags = _tags(fields)
    fields.finish()
    if result is None or len(reader.issues) > issues_before:
        return None
    kind, content = result
    return Note(
        guid=_guid(fields, question_type, category, guids),
        kind=kind,
        content=content,
        explanation=explanation,
        tags=tags,
        source=reader.source,
        text_format=fields.text_format,
    )


def _tags(fields: QuestionFields) -> tuple[str, ...]:
    names = (value_of(tag) for tag in fields.element.findall("tags/tag"))
    return tuple(dict.fromkeys("_".join(name.split()) for name in names if name))


def _guid(fields: QuestionFields, question_type: str, category: str, guids: dict[str, int]) -> str:
    """The question's idnumber, else a hash of what names it; made unique in the file."""
    idnumber = fields.value("idnumber")
    payload = "\x1f".join((fields.title, question_type, category))
    base = idnumber or "m-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
    guid, number = base, 1
    while guid in guids:
        number += 1
        guid = f"{base}-{number}"
    if guid != base and idnumber:
        fields.warn(
            fields.element.find("idnumber"),
            f"the idnumber '{idnumber}' is used again (first on line {guids[base]}); "
            f"this question is imported as '{guid}'",
        )
    elif guid != base:
        fields.warn(
            None,
            f"a question of this type in this category has the same name (line {guids[base]}); "
            "they are told apart by their order, so keep that order when you import it again",
        )
    guids[guid] = fields.reader.line(fields.element)
    return guid
