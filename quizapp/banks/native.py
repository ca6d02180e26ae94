"""The native YAML bank format (see docs/bank-format.md).

The file is composed into YAML nodes with a safe loader, so every value keeps
its line number, and every problem is collected before any is reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from quizapp.banks.errors import BankError
from quizapp.banks.formats import MAX_TEXT_BANK_BYTES, ParseOptions, decode_text
from quizapp.domain import (
    BasicContent,
    BatchNote,
    ImportBatch,
    ImportIssue,
    MultipleChoiceContent,
    Note,
    NoteContent,
    NoteKind,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.notes import content_guid

FORMAT_KEY = "quizapp_bank"
FORMAT_VERSION = 1
MAX_NUMBER = 1e15
_COMMON_FIELDS = {"id", "kind", "explanation", "tags"}
_KIND_FIELDS: dict[NoteKind, set[str]] = {
    NoteKind.BASIC: {"front", "back"},
    NoteKind.BASIC_REVERSED: {"front", "back"},
    NoteKind.TRUE_FALSE: {"statement", "answer"},
    NoteKind.MULTIPLE_CHOICE: {"question", "choices", "answer"},
    NoteKind.TYPED: {"question", "answer", "also_accept"},
    NoteKind.NUMERIC: {"question", "answer", "tolerance", "unit"},
}
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A value whose YAML tag could not be constructed; the problem is already reported.
UNREADABLE = object()


class _Fields:
    """One YAML mapping, read field by field, reporting each problem with its line."""

    def __init__(self, node: yaml.MappingNode, reader: _BankReader) -> None:
        self.node = node
        self.line = node.start_mark.line + 1
        self._reader = reader
        self.values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in self.values:
                first = self.values[key].start_mark.line + 1
                reader.issue(key_node, f"field '{key}' is given twice (first on line {first})")
            self.values[key] = value_node

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        node = self.values.get(name)
        if node is None:
            if required:
                self._reader.issue(self.line, f"missing field '{name}'")
            return default
        value = self._reader.scalar(node)
        if value is UNREADABLE:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._reader.issue(node, f"'{name}' must be text")
            return default
        text = str(value).strip()
        if required and not text:
            self._reader.issue(node, f"'{name}' is empty")
        return text

    def text_list(self, name: str) -> tuple[str, ...]:
        node = self.values.get(name)
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self._reader.issue(node, f"'{name}' must be a list")
            return ()
        items = [self._reader.scalar(item) for item in node.value]
        if UNREADABLE in items:
            return ()
        if any(isinstance(i, bool) or not isinstance(i, str | int | float) for i in items):
            self._reader.issue(node, f"every item of '{name}' must be text")
            return ()
        return tuple(str(item).strip() for item in items)

    def number(self, name: str, *, required: bool = True, default: float = 0.0) -> float:
        node = self.values.get(name)
        if node is None:
            if required:
                self._reader.issue(self.line, f"missing field '{name}'")
            return default
        value = self._reader.scalar(node)
        if value is UNREADABLE:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._reader.issue(node, f"'{name}' must be a number, not {value!r}")
            return default
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self._reader.issue(node, f"'{name}' must be a finite number below 1e15, not {value}")
            return default
        return float(value)

    def boolean(self, name: str) -> bool:
        node = self.values.get(name)
        if node is None:
            self._reader.issue(self.line, f"missing field '{name}'")
            return False
        value = self._reader.scalar(node)
        if value is UNREADABLE:
            return False
        if not isinstance(value, bool):
            self._reader.issue(node, f"'{name}' must be true or false, not {value!r}")
            return False
        return value


class _BankReader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[ImportIssue] = []
        self._constructor = yaml.SafeLoader("")

    def issue(self, where: yaml.Node | int, message: str) -> None:
        line = where if isinstance(where, int) else where.start_mark.line + 1
        self.issues.append(ImportIssue(self.source, line, message))

    def scalar(self, node: yaml.Node) -> object:
        """The value of a scalar node, or :data:`UNREADABLE` (reported) if it has none."""
        if not isinstance(node, yaml.ScalarNode):
            return node
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            problem = getattr(error, "problem", None) or str(error)
            self.issue(node, f"cannot read the value {node.value!r} tagged {node.tag}: {problem}")
            return UNREADABLE

    def mapping(self, node: yaml.Node, what: str) -> _Fields | None:
        if not isinstance(node, yaml.MappingNode):
            self.issue(node, f"{what} must be a mapping of fields")
            return None
        return _Fields(node, self)


def parse_native_bank(text: str, source: str) -> ImportBatch:
    """Parse a bank's text; ``source`` names the file in messages.

    Raises :class:`BankError` listing every problem found.
    """
    reader = _BankReader(source)
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise BankError(
            [ImportIssue(source, line, f"not valid YAML: {error.problem or error}")]
        ) from error
    except yaml.YAMLError as error:
        raise BankError([ImportIssue(source, 1, f"not valid YAML: {error}")]) from error
    if root is None:
        raise BankError([ImportIssue(source, 1, "the file is empty")])
    notes = _read_root(reader, root)
    if reader.issues:
        raise BankError(sorted(reader.issues, key=lambda issue: issue.line))
    return ImportBatch(source=source, notes=tuple(notes))


def load_native_bank(path: Path) -> ImportBatch:
    """Read and parse the bank file at ``path``."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BANK_BYTES:
            raise BankError(
                [
                    ImportIssue(
                        str(path),
                        1,
                        f"the file is {size // 2**20} MB; banks are limited "
                        f"to {MAX_TEXT_BANK_BYTES // 2**20} MB",
                    )
                ]
            )
        data = path.read_bytes()
    except OSError as error:
        raise BankError([ImportIssue(str(path), 1, f"cannot read: {error.strerror}")]) from error
    return parse_native_bytes(data, str(path), ParseOptions())


def parse_native_bytes(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse a bank file's bytes; ``options.deck`` puts every note in that deck."""
    batch = parse_native_bank(decode_text(data, source), source)
    if options.deck:
        notes = tuple(replace(note, deck=options.deck) for note in batch.notes)
        batch = replace(batch, notes=notes)
    return batch


def _read_root(reader: _BankReader, root: yaml.Node) -> list[BatchNote]:
    fields = reader.mapping(root, "the bank")
    if fields is None:
        return []
    version = fields.values.get(FORMAT_KEY)
    if version is None:
        reader.issue(1, f"not a QuizApp bank: the '{FORMAT_KEY}: {FORMAT_VERSION}' line is missing")
        return []
    version_value = reader.scalar(version)
    if version_value is UNREADABLE:
        return []
    if isinstance(version_value, bool) or version_value != FORMAT_VERSION:
        reader.issue(
            version,
            f"unsupported bank version {version_value!r}; "
            f"this QuizApp reads version {FORMAT_VERSION}",
        )
        return []
    decks = fields.values.get("decks")
    if not isinstance(decks, yaml.SequenceNode):
        reader.issue(decks or fields.line, "'decks' must be a list of decks")
        return []
    notes: list[BatchNote] = []
    seen: dict[str, int] = {}
    for deck_node in decks.value:
        notes.extend(_read_deck(reader, deck_node, seen))
    return notes


def _read_deck(reader: _BankReader, node: yaml.Node, seen: dict[str, int]) -> list[BatchNote]:
    deck = reader.mapping(node, "a deck")
    if deck is None:
        return []
    name = deck.text("name")
    if any(not part.strip() for part in name.split("::")):
        reader.issue(deck.line, f"deck name '{name}' has an empty level")
    notes_node = deck.values.get("notes")
    if not isinstance(notes_node, yaml.SequenceNode):
        reader.issue(notes_node or deck.line, f"deck '{name}' needs a list of 'notes'")
        return []
    notes = []
    for note_node in notes_node.value:
        note = _read_note(reader, note_node, name)
        if note is None:
            continue
        if note.note.guid in seen:
            reader.issue(
                note.line,
                f"id '{note.note.guid}' is used twice (first on line {seen[note.note.guid]})",
            )
        seen.setdefault(note.note.guid, note.line)
        notes.append(note)
    return notes


def _read_note(reader: _BankReader, node: yaml.Node, deck: str) -> BatchNote | None:
    fields = reader.mapping(node, "a note")
    if fields is None:
        return None
    kind_name = fields.text("kind", required=False, default=NoteKind.BASIC.value)
    try:
        kind = NoteKind(kind_name)
    except ValueError:
        known = ", ".join(kind.value for kind in NoteKind)
        reader.issue(
            fields.values.get("kind", fields.line),
            f"unknown kind '{kind_name}' (known kinds: {known})",
        )
        return None
    unknown = set(fields.values) - _COMMON_FIELDS - _KIND_FIELDS[kind]
    for name in sorted(unknown):
        reader.issue(fields.values[name], f"unknown field '{name}' for a {kind.value} note")
    issues_before = len(reader.issues)
    content = _CONTENT_READERS[kind](fields, reader)
    explanation = fields.text("explanation", required=False)
    tags = fields.text_list("tags")
    if content is None or len(reader.issues) > issues_before:
        return None
    given_id = fields.text("id", required=False)
    note = Note(
        guid=given_id or content_guid(kind, content),
        kind=kind,
        content=content,
        explanation=explanation,
        tags=tuple(tag.replace(" ", "_") for tag in tags),
        source=reader.source,
    )
    return BatchNote(note=note, deck=deck, line=fields.line)


def _basic(fields: _Fields, reader: _BankReader) -> NoteContent:
    return BasicContent(front=fields.text("front"), back=fields.text("back"))


def _true_false(fields: _Fields, reader: _BankReader) -> NoteContent:
    return TrueFalseContent(statement=fields.text("statement"), answer=fields.boolean("answer"))


def _multiple_choice(fields: _Fields, reader: _BankReader) -> NoteContent | None:
    question = fields.text("question")
    choices = fields.text_list("choices")
    answer = fields.text("answer")
    if not 2 <= len(choices) <= 9:
        reader.issue(
            fields.values.get("choices", fields.line),
            f"a multiple-choice note needs 2 to 9 choices, not {len(choices)}",
        )
        return None
    if len(set(choices)) != len(choices):
        reader.issue(fields.values["choices"], "two choices have the same text")
    if answer not in choices:
        reader.issue(
            fields.values.get("answer", fields.line),
            f"the answer '{answer}' is not one of the choices",
        )
        return None
    return MultipleChoiceContent(question=question, choices=choices, correct=choices.index(answer))


def _typed(fields: _Fields, reader: _BankReader) -> NoteContent:
    answers = (fields.text("answer"), *fields.text_list("also_accept"))
    return TypedContent(question=fields.text("question"), answers=answers)


def _numeric(fields: _Fields, reader: _BankReader) -> NoteContent:
    tolerance = fields.number("tolerance", required=False)
    if tolerance < 0:
        reader.issue(fields.values["tolerance"], "'tolerance' cannot be negative")
    return NumericContent(
        question=fields.text("question"),
        answer=fields.number("answer"),
        tolerance=tolerance,
        unit=fields.text("unit", required=False),
    )


_CONTENT_READERS: dict[NoteKind, Callable[[_Fields, _BankReader], NoteContent | None]] = {
    NoteKind.BASIC: _basic,
    NoteKind.BASIC_REVERSED: _basic,
    NoteKind.TRUE_FALSE: _true_false,
    NoteKind.MULTIPLE_CHOICE: _multiple_choice,
    NoteKind.TYPED: _typed,
    NoteKind.NUMERIC: _numeric,
}
