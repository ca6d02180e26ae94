"""The native YAML bank format (see docs/bank-format.md).

The file is composed into YAML nodes with a safe loader, so every value keeps
its line number, and every problem is collected before any is reported.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from quizapp.banks import bounds
from quizapp.banks.bounds import too_many_notes
from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions, decode_text
from quizapp.banks.html import sanitize_html
from quizapp.banks.native_kinds import CONTENT_READERS, KIND_FIELDS
from quizapp.banks.yaml_nodes import UNREADABLE, BankLoader, BankReader, Fields, refuse_aliases
from quizapp.domain import (
    BankFormat,
    BatchNote,
    ImportBatch,
    ImportIssue,
    Note,
    NoteKind,
    TextFormat,
)
from quizapp.domain.notes import content_guid, map_texts

FORMAT_KEY = "quizapp_bank"
FORMAT_VERSION = 1
_COMMON_FIELDS = {"id", "kind", "explanation", "tags", "format"}
_BANK_FIELDS = {FORMAT_KEY, "id", "title", "decks"}


def parse_native_bank(text: str, source: str) -> ImportBatch:
    """Parse a bank's text; ``source`` names the file in messages.

    Raises :class:`BankError` listing every problem found.
    """
    reader = BankReader(source)
    refuse_aliases(text, source)
    try:
        root = yaml.compose(text, Loader=BankLoader)
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
    return ImportBatch(
        source=source,
        notes=tuple(notes),
        field_lines=reader.field_lines,
        identity=reader.declared_id,
    )


def load_native_bank(path: Path) -> ImportBatch:
    """Read and parse the bank file at ``path`` (with the images beside it)."""
    from quizapp.banks.formats import read_bank

    return read_bank(path, BankFormat.YAML)


def parse_native_bytes(data: bytes, source: str, options: ParseOptions) -> ImportBatch:
    """Parse a bank file's bytes (the options do not apply to this format)."""
    return parse_native_bank(decode_text(data, source), source)


def _read_root(reader: BankReader, root: yaml.Node) -> list[BatchNote]:
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
    for name in sorted(set(fields.values) - _BANK_FIELDS):
        reader.issue(fields.values[name], f"unknown field '{name}' for a bank")
    bank_id = fields.text("id", required=False)
    if "/" in bank_id:
        reader.issue(fields.where("id"), "a bank's 'id' cannot contain '/'")
    reader.bank_id = bank_id or Path(reader.source).stem
    reader.declared_id = bank_id
    decks = fields.values.get("decks")
    if not isinstance(decks, yaml.SequenceNode):
        reader.issue(decks or fields.line, "'decks' must be a list of decks")
        return []
    notes: list[BatchNote] = []
    seen: dict[str, int] = {}
    for deck_node in decks.value:
        notes.extend(_read_deck(reader, deck_node, seen, len(notes)))
    return notes


def _read_deck(
    reader: BankReader, node: yaml.Node, seen: dict[str, int], before: int
) -> list[BatchNote]:
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
    room = bounds.MAX_NOTES - before  # notes the file may still hold
    for index, note_node in enumerate(notes_node.value):
        if index == room:
            raise too_many_notes(reader.source, note_node.start_mark.line + 1)
        note = _read_note(reader, note_node, name)
        if note is None:
            continue
        if note.note.guid in seen:
            reader.issue(
                note.line,
                f"id '{note.note.guid.removeprefix(reader.bank_id + '/')}' is used twice "
                f"(first on line {seen[note.note.guid]})",
            )
        seen.setdefault(note.note.guid, note.line)
        notes.append(note)
    return notes


def _read_note(reader: BankReader, node: yaml.Node, deck: str) -> BatchNote | None:
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
    unknown = set(fields.values) - _COMMON_FIELDS - KIND_FIELDS[kind]
    for name in sorted(unknown):
        reader.issue(fields.values[name], f"unknown field '{name}' for a {kind.value} note")
    issues_before = len(reader.issues)
    content = CONTENT_READERS[kind](fields, reader)
    explanation = fields.text("explanation", required=False)
    tags = fields.text_list("tags")
    text_format = _text_format(fields, reader)
    if content is None or len(reader.issues) > issues_before:
        return None
    if text_format is TextFormat.HTML:
        content = map_texts(content, sanitize_html)
        explanation = sanitize_html(explanation)
    note = Note(
        guid=_guid(reader, fields.text("id", required=False)) or content_guid(kind, content),
        kind=kind,
        content=content,
        explanation=explanation,
        tags=tuple(tag.replace(" ", "_") for tag in tags),
        source=reader.source,
        text_format=text_format,
    )
    if kind is NoteKind.EXERCISE:  # its template is checked after parsing
        reader.remember_lines(note.guid, fields)
    return BatchNote(note=note, deck=deck, line=fields.line)


def _guid(reader: BankReader, given_id: str) -> str:
    """A note's id scoped by its bank (``bank/note``), so two banks' ``q1`` never meet.

    An id that already holds a ``/`` is a full id, as ``quizapp export`` writes them.
    """
    if not given_id or "/" in given_id:
        return given_id
    return f"{reader.bank_id}/{given_id}"


def _text_format(fields: Fields, reader: BankReader) -> TextFormat:
    name = fields.text("format", required=False, default=TextFormat.PLAIN.value)
    try:
        return TextFormat(name)
    except ValueError:
        reader.issue(fields.where("format"), f"'format' is plain or html, not '{name}'")
        return TextFormat.PLAIN
