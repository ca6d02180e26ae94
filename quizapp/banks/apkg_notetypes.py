"""Recognising Anki note types by what their templates do, not by their names.

Users rename note types, fields and templates, so a type is recognised from
its cloze flag and the field references in its templates:

* one template, question ``{{F}}``, answer adds ``{{B}}``: Basic;
* the same with ``{{type:B}}`` on the question: Basic (type in the answer);
* two templates, the second asking ``{{B}}`` and answering ``{{F}}``: Basic
  (and reversed card); when the second question is wrapped in ``{{#R}}`` of a
  third field, Basic (optional reversed card), reversed only where R is filled;
* the cloze flag with ``{{cloze:T}}``: Cloze, the answer's other fields as extra.

Any other type with one template is *adapted*: imported as basic notes, the
question's fields as the front and the fields the answer adds as the back (or
its first two fields).  Types with more templates, image occlusion, and
one-field types are not supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.banks.apkg_collection import AnkiNoteType
from quizapp.domain import NoteKind

_REFERENCE = re.compile(r"\{\{([#^/]?)([^{}]*)\}\}")
_FRONT_SIDE = "FrontSide"


@dataclass(frozen=True, slots=True)
class TemplateFields:
    """The fields a template refers to, by how it uses them, in order of appearance."""

    shown: tuple[str, ...] = ()
    typed: tuple[str, ...] = ()
    cloze: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NoteTypeMapping:
    """How the notes of one Anki note type become QuizApp notes.

    ``front`` and ``back`` are field indexes (question or cloze text; answer
    or extra).  ``reverse_if`` is the field that turns on the reverse card of
    an optional-reversed type.  ``kind`` is None for an unsupported type, and
    ``adapted`` says that the type is not a stock one and was fitted to basic.
    """

    kind: NoteKind | None
    front: tuple[int, ...] = ()
    back: tuple[int, ...] = ()
    reverse_if: int | None = None
    adapted: bool = False
    reason: str = ""


def template_fields(template: str, field_names: tuple[str, ...]) -> TemplateFields:
    """The note fields ``template`` refers to; special names like ``{{FrontSide}}`` are left out."""
    known = set(field_names)
    shown: list[str] = []
    typed: list[str] = []
    cloze: list[str] = []
    conditions: list[str] = []
    for sigil, reference in _REFERENCE.findall(template):
        *filters, name = (part.strip() for part in reference.split(":"))
        if name not in known:
            continue
        if sigil in ("#", "^"):
            conditions.append(name)
        elif sigil == "/":
            continue
        elif "type" in filters:
            typed.append(name)
        elif "cloze" in filters:
            cloze.append(name)
        else:
            shown.append(name)
    return TemplateFields(
        tuple(dict.fromkeys(shown)),
        tuple(dict.fromkeys(typed)),
        tuple(dict.fromkeys(cloze)),
        tuple(dict.fromkeys(conditions)),
    )


def classify(note_type: AnkiNoteType) -> NoteTypeMapping:
    """How notes of ``note_type`` are imported (see the module's docstring)."""
    if note_type.is_cloze:
        return _cloze(note_type)
    if len(note_type.templates) == 2:
        mapping = _reversed(note_type)
        if mapping is not None:
            return mapping
    if len(note_type.templates) == 1:
        return _one_card(note_type)
    return NoteTypeMapping(None, reason=f"it has {len(note_type.templates)} card templates")


def _indexes(note_type: AnkiNoteType, names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(note_type.fields.index(name) for name in names)


def _sides(note_type: AnkiNoteType, ord_: int) -> tuple[TemplateFields, TemplateFields]:
    template = note_type.templates[ord_]
    return (
        template_fields(template.question, note_type.fields),
        template_fields(template.answer, note_type.fields),
    )


def _added(question: TemplateFields, answer: TemplateFields) -> tuple[str, ...]:
    """The fields the answer shows that the question did not."""
    return tuple(name for name in answer.shown if name not in question.shown)


def _cloze(note_type: AnkiNoteType) -> NoteTypeMapping:
    if len(note_type.templates) != 1:
        return NoteTypeMapping(None, reason="it is a cloze type without exactly one template")
    template = note_type.templates[0]
    if "image-occlusion" in template.question:
        return NoteTypeMapping(None, reason="image occlusion cards cannot be shown")
    question, answer = _sides(note_type, 0)
    if not question.cloze:
        return NoteTypeMapping(None, reason="its template has no {{cloze:…}} field")
    text = question.cloze[0]
    extra = tuple(name for name in answer.shown if name != text and name not in question.shown)
    return NoteTypeMapping(
        NoteKind.CLOZE, front=_indexes(note_type, (text,)), back=_indexes(note_type, extra)
    )


def _one_card(note_type: AnkiNoteType) -> NoteTypeMapping:
    question, answer = _sides(note_type, 0)
    if question.cloze:
        return NoteTypeMapping(None, reason="it uses cloze deletions but is not a cloze type")
    if len(question.typed) == 1 and question.shown:
        return NoteTypeMapping(
            NoteKind.TYPED,
            front=_indexes(note_type, question.shown),
            back=_indexes(note_type, question.typed),
            adapted=len(question.shown) != 1,
        )
    back = _added(question, answer)
    if len(question.shown) == 1 and len(back) == 1 and not question.typed:
        return NoteTypeMapping(
            NoteKind.BASIC,
            front=_indexes(note_type, question.shown),
            back=_indexes(note_type, back),
        )
    if question.shown and back:
        return NoteTypeMapping(
            NoteKind.BASIC,
            front=_indexes(note_type, question.shown),
            back=_indexes(note_type, back),
            adapted=True,
        )
    if len(note_type.fields) >= 2:
        return NoteTypeMapping(NoteKind.BASIC, front=(0,), back=(1,), adapted=True)
    return NoteTypeMapping(None, reason="it has a single field")


def _reversed(note_type: AnkiNoteType) -> NoteTypeMapping | None:
    """Basic (and reversed card) or Basic (optional reversed card), else None."""
    forward_question, forward_answer = _sides(note_type, 0)
    reverse_question, reverse_answer = _sides(note_type, 1)
    front = forward_question.shown
    back = _added(forward_question, forward_answer)
    if not (
        len(front) == 1
        and len(back) == 1
        and reverse_question.shown == back
        and _added(reverse_question, reverse_answer) == front
        and not (forward_question.typed or reverse_question.typed)
    ):
        return None
    switches = [name for name in reverse_question.conditions if name not in front + back]
    if len(switches) > 1:
        return None
    return NoteTypeMapping(
        NoteKind.BASIC_REVERSED,
        front=_indexes(note_type, front),
        back=_indexes(note_type, back),
        reverse_if=_indexes(note_type, tuple(switches))[0] if switches else None,
    )


def describe(note_type: AnkiNoteType, mapping: NoteTypeMapping) -> str:
    """The fields an adapted type's notes are built from, for the warning."""
    front = ", ".join(note_type.fields[index] for index in mapping.front)
    back = ", ".join(note_type.fields[index] for index in mapping.back)
    return f"question: {front}; answer: {back}"
