"""The names a search knows: field columns, note kinds, Anki's note types, card faces.

A note's texts are searched in columns named after its kind's content fields
(``front``, ``back``, ``question``, ``choices``, …) plus ``explanation``; Anki's own
field names of the notes its packages bring (``Front``, ``Back``, ``Text``, ``Back
Extra``) are names of the same columns, field names being case-insensitive as in Anki.
"""

from __future__ import annotations

import re

from quizapp.domain import NoteKind
from quizapp.search.text import Glob

# The search columns, in the order the index stores them.  A field of several texts
# (choices, answers, pairs, …) keeps them apart in its column.
SEARCH_FIELDS = (
    "front",
    "back",
    "statement",
    "question",
    "choices",
    "answers",
    "feedback",
    "unit",
    "pairs",
    "distractors",
    "text",
    "extra",
    "answer",
    "steps",
    "explanation",
)

# Other names of the columns: Anki's cloze "Back Extra", and the feedback of each pick
# of a true/false note (both kept in ``feedback``).
FIELD_ALIASES = {
    "back extra": "extra",
    "feedback_true": "feedback",
    "feedback_false": "feedback",
}

# The columns each kind of note fills (``front:*`` finds the notes that have a front).
KIND_FIELDS: dict[NoteKind, frozenset[str]] = {
    NoteKind.BASIC: frozenset({"front", "back"}),
    NoteKind.BASIC_REVERSED: frozenset({"front", "back"}),
    NoteKind.TRUE_FALSE: frozenset({"statement", "feedback"}),
    NoteKind.MULTIPLE_CHOICE: frozenset({"question", "choices", "feedback"}),
    NoteKind.MULTIPLE_RESPONSE: frozenset({"question", "choices", "feedback"}),
    NoteKind.TYPED: frozenset({"question", "answers", "feedback"}),
    NoteKind.NUMERIC: frozenset({"question", "unit", "feedback"}),
    NoteKind.MATCHING: frozenset({"question", "pairs", "distractors"}),
    NoteKind.CLOZE: frozenset({"text", "extra"}),
    NoteKind.EXERCISE: frozenset({"question", "answer", "unit", "steps", "choices", "distractors"}),
}
EVERY_KIND_FIELD = "explanation"

KIND_NAMES: dict[str, NoteKind] = {
    **{kind.value: kind for kind in NoteKind},
    "reversed": NoteKind.BASIC_REVERSED,
    "tf": NoteKind.TRUE_FALSE,
    "mc": NoteKind.MULTIPLE_CHOICE,
    "mr": NoteKind.MULTIPLE_RESPONSE,
    "num": NoteKind.NUMERIC,
    "match": NoteKind.MATCHING,
    "ex": NoteKind.EXERCISE,
}

# ``note:`` takes Anki's stock note type names (case-insensitive, as Anki's) for the
# kinds QuizApp imports them as, and QuizApp's kind names.
ANKI_NOTE_TYPES: dict[str, frozenset[NoteKind]] = {
    "basic": frozenset({NoteKind.BASIC}),
    "basic (and reversed card)": frozenset({NoteKind.BASIC_REVERSED}),
    "basic (optional reversed card)": frozenset({NoteKind.BASIC_REVERSED}),
    "basic (type in the answer)": frozenset({NoteKind.TYPED}),
    "cloze": frozenset({NoteKind.CLOZE}),
}

# What each face of a card not made by a cloze deletion is called: QuizApp's name and
# Anki's template names of its Basic note types.
FACE_NAMES = {0: ("forward", "card 1"), 1: ("reverse", "card 2")}
CLOZE_NAME = "cloze"
_CLOZE_FACE = re.compile(r"c[1-9][0-9]*\Z")


def field_columns(name: Glob) -> tuple[str, ...]:
    """The search columns a field name (``front``, ``fr*``, ``Back Extra``) names, in order.

    Empty when it names none.
    """
    wanted = name.mapped(str.lower)
    if wanted.is_literal:
        key = wanted.text
        column = FIELD_ALIASES.get(key, key)
        return (column,) if column in SEARCH_FIELDS else ()
    matches = wanted.matcher().match
    found = {column for column in SEARCH_FIELDS if matches(column)}
    found |= {column for alias, column in FIELD_ALIASES.items() if matches(alias)}
    return tuple(column for column in SEARCH_FIELDS if column in found)


def kinds_named(name: Glob, *, anki_names: bool) -> frozenset[NoteKind]:
    """The kinds a ``kind:`` (or, with ``anki_names``, a ``note:``) value names."""
    wanted = name.mapped(str.lower)
    matches = wanted.matcher().match
    found = {kind for key, kind in KIND_NAMES.items() if matches(key)}
    if anki_names:
        for key, kinds in ANKI_NOTE_TYPES.items():
            if matches(key):
                found |= kinds
    return frozenset(found)


def is_face_name(name: str) -> bool:
    """Whether ``name`` (lower case) names a face: forward, reverse, card 1, cloze, c2, …"""
    return (
        any(name in names for names in FACE_NAMES.values())
        or name == CLOZE_NAME
        or _CLOZE_FACE.match(name) is not None
    )
