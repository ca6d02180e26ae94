"""The parsed search: a small tree of typed nodes, checked and resolved by the parser.

Every leaf says what to find in terms of QuizApp's data (a note kind, a face, a
field column, days back from today), so that turning it into SQL needs no more
knowledge of the syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from quizapp.domain import NoteKind
from quizapp.search.text import Glob


class StateKind(StrEnum):
    """``is:``: where a card is in its life, or what has been done to it."""

    NEW = "new"
    LEARN = "learn"  # learning and relearning, as in Anki
    REVIEW = "review"  # review and relearning, as in Anki
    DUE = "due"  # review cards due today and learning cards due now
    SUSPENDED = "suspended"
    BURIED = "buried"
    FLAGGED = "flagged"


class Comparison(StrEnum):
    """The comparisons ``prop:`` takes."""

    LESS = "<"
    LESS_OR_EQUAL = "<="
    EQUAL = "="
    NOT_EQUAL = "!="
    GREATER_OR_EQUAL = ">="
    GREATER = ">"


class Property(StrEnum):
    """``prop:``'s properties, by Anki's names."""

    INTERVAL = "ivl"  # days, whole
    DUE = "due"  # days from today, whole, negative for overdue
    REPS = "reps"  # answers
    LAPSES = "lapses"  # review cards forgotten
    STABILITY = "s"  # FSRS stability, days
    DIFFICULTY = "d"  # FSRS difficulty on Anki's 0-1 scale
    RETRIEVABILITY = "r"  # FSRS retrievability now, 0-1


@dataclass(frozen=True, slots=True)
class And:
    """Every child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The child does not match."""

    child: Node


@dataclass(frozen=True, slots=True)
class Everything:
    """The empty search: every card."""


@dataclass(frozen=True, slots=True)
class TextSearch:
    """Text anywhere in a note's fields (``dog``, ``"a dog"``, ``d*g``, ``nc:uber``)."""

    pattern: Glob
    fold_accents: bool = False


@dataclass(frozen=True, slots=True)
class FieldSearch:
    """A field's whole text matches ``pattern`` (``front:dog``, ``front:*dog*``, ``front:``).

    ``fields`` are search columns (:mod:`quizapp.search.fields`); a field that holds
    several texts (choices, answers) matches when one of them does.
    """

    fields: tuple[str, ...]
    pattern: Glob
    fold_accents: bool = False


@dataclass(frozen=True, slots=True)
class RegexSearch:
    """A regular expression found in a note's fields, or in the given ones (``re:``)."""

    pattern: str
    fields: tuple[str, ...] = ()  # empty: every field


@dataclass(frozen=True, slots=True)
class DeckSearch:
    """Cards in a deck matching ``pattern`` or in one of its subdecks."""

    pattern: Glob


@dataclass(frozen=True, slots=True)
class TagSearch:
    """Notes with a tag matching ``pattern`` or a child tag of one; None: no tag at all."""

    pattern: Glob | None


@dataclass(frozen=True, slots=True)
class StateSearch:
    """``is:…``."""

    state: StateKind


@dataclass(frozen=True, slots=True)
class FlagSearch:
    """Cards with flag ``flag`` (0: none)."""

    flag: int


@dataclass(frozen=True, slots=True)
class KindSearch:
    """Notes of these kinds (``kind:``, or ``note:`` with Anki's note type names)."""

    kinds: frozenset[NoteKind]


@dataclass(frozen=True, slots=True)
class CardSearch:
    """``card:N`` (Anki's card number: the face of a pair + 1, a cloze deletion's number)
    or ``card:NAME`` (forward, reverse, cloze, c1, c2…, Anki's "Card 1", "Card 2")."""

    ordinal: int | None = None
    name: Glob | None = None


@dataclass(frozen=True, slots=True)
class PropertySearch:
    """``prop:ivl>=10`` and the like."""

    prop: Property
    comparison: Comparison
    value: float


@dataclass(frozen=True, slots=True)
class RatedSearch:
    """Answered in the last ``days`` days (1: today), with grade ``rating`` if given."""

    days: int
    rating: int | None = None


@dataclass(frozen=True, slots=True)
class IntroducedSearch:
    """First answered in the last ``days`` days."""

    days: int


@dataclass(frozen=True, slots=True)
class AddedSearch:
    """Notes added to the collection in the last ``days`` days."""

    days: int


@dataclass(frozen=True, slots=True)
class EditedSearch:
    """Notes whose text changed in the last ``days`` days."""

    days: int


@dataclass(frozen=True, slots=True)
class NoteIdSearch:
    """``nid:1,2,3``."""

    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CardIdSearch:
    """``cid:1,2,3``."""

    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SourceSearch:
    """Notes from a bank file whose name matches ``pattern`` (``source:``, ``bank:``)."""

    pattern: Glob


Node: TypeAlias = (
    And
    | Or
    | Not
    | Everything
    | TextSearch
    | FieldSearch
    | RegexSearch
    | DeckSearch
    | TagSearch
    | StateSearch
    | FlagSearch
    | KindSearch
    | CardSearch
    | PropertySearch
    | RatedSearch
    | IntroducedSearch
    | AddedSearch
    | EditedSearch
    | NoteIdSearch
    | CardIdSearch
    | SourceSearch
)
