"""The texts a search looks at, and those the card list shows, per note kind.

:func:`index_entry` turns a stored note into its row of the search index: each field's
texts (HTML read as text, in comparable form) in the column of that field, and the
sort keys of its question and answer.  :func:`card_question` and :func:`card_answer`
are one line of text for the list, the first 200 characters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from quizapp.banks.html import html_to_text
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    ExerciseContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NoteKind,
    NumericContent,
    TextFormat,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.numbers import format_number
from quizapp.search.fields import SEARCH_FIELDS
from quizapp.search.text import comparable
from quizapp.services.card_text import TRUE_FALSE_LABELS, cloze_text, note_text, numeric_answer
from quizapp.storage.search_fulltext import ITEM
from quizapp.storage.search_index import IndexEntry, NoteToIndex, column_value

# The kinds whose answer is no text field: their answer's sort key is kept in the index,
# as a cloze's question (with its gaps); the others sort by their fields (search_sql).
_ANSWER_KEPT = frozenset(
    kind.value
    for kind in (
        NoteKind.TRUE_FALSE,
        NoteKind.MULTIPLE_CHOICE,
        NoteKind.MULTIPLE_RESPONSE,
        NoteKind.NUMERIC,
        NoteKind.MATCHING,
    )
)
LIST_TEXT_LENGTH = 200  # characters of a question or answer the list shows
SORT_KEY_LENGTH = 100
_Fields = dict[str, list[str]]


def index_entry(row: NoteToIndex) -> IndexEntry:
    """The search index's row of one stored note."""
    html = row.text_format == TextFormat.HTML.value
    content = row.content

    def readable(value: object) -> str:
        text = value if isinstance(value, str) else ""
        if html and ("<" in text or "&" in text):
            text = html_to_text(text)
        return comparable(text)

    if row.kind in _PAIR_KINDS:
        return _pair_entry(row, readable)
    fields: _Fields = defaultdict(list)
    question, answer = _FIELD_READERS.get(row.kind, _read_question)(content, fields, readable)
    fields["explanation"].append(readable(row.explanation))
    columns = tuple(column_value(fields.get(name, ())) for name in SEARCH_FIELDS)
    return IndexEntry(
        note_id=row.id,
        kind=row.kind,
        tags=tuple(dict.fromkeys(comparable(tag) for tag in row.tags.split())),
        source=comparable(row.source),
        created_at=row.created_at,
        modified_at=row.modified_at,
        question=_sort_key(question) if row.kind == NoteKind.CLOZE.value else None,
        answer=_sort_key(answer) if row.kind in _ANSWER_KEPT else None,
        columns=columns,
    )


Readable = Callable[[object], str]
_PAIR_KINDS = frozenset({NoteKind.BASIC.value, NoteKind.BASIC_REVERSED.value})
# The columns between a pair's back and the explanation, which a pair leaves empty.
_UNUSED_BY_PAIRS = ("",) * (SEARCH_FIELDS.index("explanation") - SEARCH_FIELDS.index("back") - 1)


def _pair_entry(row: NoteToIndex, readable: Readable) -> IndexEntry:
    """:func:`index_entry` of a front/back note, most of a large collection, in one go."""
    content = row.content
    front, back = readable(content.get("front")), readable(content.get("back"))
    return IndexEntry(
        note_id=row.id,
        kind=row.kind,
        tags=tuple(dict.fromkeys(comparable(tag) for tag in row.tags.split())),
        source=comparable(row.source),
        created_at=row.created_at,
        modified_at=row.modified_at,
        question=None,
        answer=None,
        columns=(
            f"{ITEM}{front}{ITEM}",
            f"{ITEM}{back}{ITEM}",
            *_UNUSED_BY_PAIRS,
            f"{ITEM}{readable(row.explanation)}{ITEM}",
        ),
    )


def _items(value: object) -> Sequence[Any]:
    return value if isinstance(value, list) else []


def _read_basic(content: dict[str, Any], fields: _Fields, text: Readable) -> tuple[str, str]:
    front, back = text(content.get("front")), text(content.get("back"))
    fields["front"].append(front)
    fields["back"].append(back)
    return front, back


def _read_true_false(content: dict[str, Any], fields: _Fields, text: Readable) -> tuple[str, str]:
    statement = text(content.get("statement"))
    fields["statement"].append(statement)
    fields["feedback"] += [text(content.get("feedback_true")), text(content.get("feedback_false"))]
    return statement, TRUE_FALSE_LABELS[0 if content.get("answer") else 1].lower()


def _read_question(content: dict[str, Any], fields: _Fields, text: Readable) -> tuple[str, str]:
    """Choice, typed, numeric and matching notes: a question and what answers it."""
    question = text(content.get("question"))
    fields["question"].append(question)
    choices = [text(choice) for choice in _items(content.get("choices"))]
    fields["choices"] += choices
    answers = [text(item) for item in _items(content.get("answers"))]
    fields["answers"] += answers
    feedback = content.get("feedback")
    fields["feedback"] += [text(item) for item in _items(feedback)] or (
        [text(feedback)] if isinstance(feedback, str) else []
    )
    for alternative in _items(content.get("alternatives")):
        parts = _items(alternative)
        if len(parts) > 3:  # low, high, weight, feedback
            fields["feedback"].append(text(parts[3]))
    if "unit" in content:
        fields["unit"].append(text(content.get("unit")))
    for pair in _items(content.get("pairs")):
        fields["pairs"] += [text(part) for part in _items(pair)]
    fields["distractors"] += [text(item) for item in _items(content.get("distractors"))]
    return question, _first_answer(content, choices, answers)


def _first_answer(content: dict[str, Any], choices: list[str], answers: list[str]) -> str:
    correct = content.get("correct")
    if isinstance(correct, int) and 0 <= correct < len(choices):
        return choices[correct]
    weights = _items(content.get("weights"))
    right = [choice for choice, weight in zip(choices, weights, strict=False) if weight > 0]
    if right:
        return right[0]
    if answers:
        return answers[0]
    number = content.get("answer")
    if isinstance(number, int | float) and not isinstance(number, bool):
        return format_number(number)
    pairs = [_items(pair) for pair in _items(content.get("pairs"))]
    return comparable(str(pairs[0][1])) if pairs and len(pairs[0]) > 1 else ""


def _read_cloze(content: dict[str, Any], fields: _Fields, text: Readable) -> tuple[str, str]:
    cloze, extra = text(content.get("text")), text(content.get("extra"))
    fields["text"].append(cloze)
    fields["extra"].append(extra)
    return cloze_text(cloze, 0, reveal=False), extra


def _read_exercise(content: dict[str, Any], fields: _Fields, text: Readable) -> tuple[str, str]:
    question, answer = text(content.get("question")), text(content.get("answer"))
    fields["question"].append(question)
    fields["answer"].append(answer)
    fields["explanation"].append(text(content.get("explanation")))
    fields["unit"].append(text(content.get("unit")))
    fields["steps"] += [
        text(f"{step.get('name', '')} = {step.get('formula', '')}")
        for step in _items(content.get("steps"))
        if isinstance(step, dict)
    ]
    fields["choices"] += [text(choice) for choice in _items(content.get("answer_choices"))]
    fields["distractors"] += [
        text(item.get("mistake", ""))
        for item in _items(content.get("distractors"))
        if isinstance(item, dict)
    ]
    return question, answer


_FIELD_READERS: dict[str, Callable[[dict[str, Any], _Fields, Readable], tuple[str, str]]] = {
    NoteKind.BASIC.value: _read_basic,
    NoteKind.BASIC_REVERSED.value: _read_basic,
    NoteKind.TRUE_FALSE.value: _read_true_false,
    NoteKind.CLOZE.value: _read_cloze,
    NoteKind.EXERCISE.value: _read_exercise,
}


def _sort_key(text: str) -> str:
    return " ".join(text.split())[:SORT_KEY_LENGTH]


# --- the list's texts ---------------------------------------------------------------


def card_question(note: Note, face: int) -> str:
    """What a card asks, on one line: a face of a pair, a statement, a cloze with its gap."""
    content = note.content
    match content:
        case BasicContent():
            text = note_text(note, content.back if face == 1 else content.front)
        case TrueFalseContent():
            text = note_text(note, content.statement)
        case ClozeContent():
            text = cloze_text(note_text(note, content.text), face, reveal=False)
        case ExerciseContent():
            text = note_text(note, content.template.question)
        case _:
            text = note_text(note, content.question)
    return one_line(text)


def card_answer(note: Note, face: int) -> str:
    """The right answer of a card, on one line (an exercise's as its formula)."""
    content = note.content
    match content:
        case BasicContent():
            text = note_text(note, content.front if face == 1 else content.back)
        case TrueFalseContent():
            text = TRUE_FALSE_LABELS[0 if content.answer else 1]
        case MultipleChoiceContent():
            text = note_text(note, content.choices[content.correct])
        case MultipleResponseContent():
            right = zip(content.choices, content.weights, strict=True)
            text = "; ".join(note_text(note, choice) for choice, weight in right if weight > 0)
        case TypedContent():
            text = "; ".join(note_text(note, answer) for answer in content.answers[:3])
        case NumericContent():
            text = numeric_answer(content)
        case MatchingContent():
            text = "; ".join(
                f"{note_text(note, prompt)} → {note_text(note, answer)}"
                for prompt, answer in content.pairs
            )
        case ClozeContent():
            text = cloze_text(note_text(note, content.text), face, reveal=True)
        case ExerciseContent():
            text = content.template.answer
    return one_line(text)


def one_line(text: str) -> str:
    """``text`` on one line (runs of spaces and line breaks as one space), cut to length."""
    joined = " ".join(text.split())
    if len(joined) <= LIST_TEXT_LENGTH:
        return joined
    return joined[: LIST_TEXT_LENGTH - 1] + "…"


def face_name(kind: NoteKind, face: int) -> str:
    """``forward``, ``reverse`` or a cloze deletion's ``c1``, ``c2``, … (``card:`` takes them)."""
    if kind is NoteKind.CLOZE:
        return f"c{face}"
    return "reverse" if face == 1 else "forward"
