"""Writing notes as a native YAML bank that imports back to the same notes and cards."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from quizapp.banks.native import FORMAT_KEY, FORMAT_VERSION
from quizapp.domain import (
    BasicContent,
    BatchNote,
    ClozeContent,
    ExerciseContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NumericContent,
    TextFormat,
    TrueFalseContent,
    TypedContent,
)


def write_native_bank(notes: Iterable[BatchNote], title: str) -> str:
    """The YAML text of a bank holding ``notes`` in their decks, in the given order."""
    decks: dict[str, list[dict[str, Any]]] = {}
    for batch_note in notes:
        decks.setdefault(batch_note.deck, []).append(note_fields(batch_note.note))
    document = {
        FORMAT_KEY: FORMAT_VERSION,
        "title": title,
        # Notes keep their full ids (bank/note), so this file updates the same notes.
        "decks": [{"name": name, "notes": items} for name, items in decks.items()],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def note_fields(note: Note) -> dict[str, Any]:
    """One note as the mapping the native format reads."""
    fields: dict[str, Any] = {"id": note.guid, "kind": note.kind.value}
    if note.text_format is TextFormat.HTML:
        fields["format"] = TextFormat.HTML.value
    fields.update(_content_fields(note))
    if note.explanation and not isinstance(note.content, ExerciseContent):
        fields["explanation"] = note.explanation
    if note.tags:
        fields["tags"] = list(note.tags)
    return fields


def _content_fields(note: Note) -> dict[str, Any]:
    content = note.content
    if isinstance(content, BasicContent):
        return {"front": content.front, "back": content.back}
    if isinstance(content, TrueFalseContent):
        return _without_empty(
            statement=content.statement,
            answer=content.answer,
            feedback_true=content.feedback_true,
            feedback_false=content.feedback_false,
        )
    if isinstance(content, MultipleChoiceContent):
        return _without_empty(
            question=content.question,
            choices=list(content.choices),
            answer=content.choices[content.correct],
            weights=list(content.weights),
            feedback=list(content.feedback),
            shuffle=False if content.fixed_order else None,
        )
    if isinstance(content, MultipleResponseContent):
        return _without_empty(
            question=content.question,
            choices=list(content.choices),
            weights=list(content.weights),
            feedback=list(content.feedback),
            shuffle=False if content.fixed_order else None,
        )
    if isinstance(content, TypedContent):
        return _without_empty(
            question=content.question,
            answer=content.answers[0],
            also_accept=list(content.answers[1:]),
            weights=list(content.weights),
            feedback=list(content.feedback),
        )
    if isinstance(content, NumericContent):
        return _numeric_fields(content)
    if isinstance(content, MatchingContent):
        return _without_empty(
            question=content.question,
            pairs=[list(pair) for pair in content.pairs],
            distractors=list(content.distractors),
        )
    if isinstance(content, ClozeContent):
        return _without_empty(text=content.text, extra=content.extra)
    return _exercise_fields(content)


def _numeric_fields(content: NumericContent) -> dict[str, Any]:
    alternatives = [
        _without_empty(low=a.low, high=a.high, weight=a.weight, feedback=a.feedback)
        for a in content.alternatives
    ]
    return _without_empty(
        question=content.question,
        answer=_plain_number(content.answer),
        tolerance=_plain_number(content.tolerance),
        unit=content.unit,
        feedback=content.feedback,
        alternatives=alternatives,
    )


def _exercise_fields(content: ExerciseContent) -> dict[str, Any]:
    template = content.template
    variables = []
    for variable in template.variables:
        item: dict[str, Any] = {"name": variable.name}
        if variable.kind.value == "boolean":
            item["boolean"] = True
        elif variable.kind.value == "choice":
            item["choice"] = list(variable.choices)
        else:
            item[variable.kind.value] = [_plain_number(variable.low), _plain_number(variable.high)]
            if variable.step != 1:
                item["step"] = _plain_number(variable.step)
            if variable.kind.value == "integer_list":
                item["length"] = [variable.length_low, variable.length_high]
        variables.append(item)
    return _without_empty(
        variables=variables,
        constraints=list(template.constraints),
        steps=[{step.name: step.formula} for step in template.steps],
        question=template.question,
        answer=template.answer,
        tolerance=_plain_number(template.tolerance),
        tolerance_kind=""
        if template.tolerance_kind.value == "absolute"
        else template.tolerance_kind.value,
        unit=template.unit,
        explanation=template.explanation,
        distractors=[{"formula": d.formula, "mistake": d.mistake} for d in template.distractors],
        multiple_choice=template.multiple_choice,
        answer_choices=list(template.answer_choices),
    )


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# Fields whose zero or false value is the default, so they are left out.
_DEFAULTS_WHEN_FALSY = {"multiple_choice", "tolerance"}


def _without_empty(**fields: Any) -> dict[str, Any]:
    """The fields that carry something (an answer of ``false`` is kept)."""
    return {
        name: value
        for name, value in fields.items()
        if value not in ("", [], None) and not (name in _DEFAULTS_WHEN_FALSY and not value)
    }
