"""Conditions on a card's and its note's facts (deck, tags, state, properties, history).

:class:`FactConditions` writes them over ``cards AS c``; :mod:`~quizapp.storage.search_sql`
adds the note texts and the boolean structure.  Every value goes in as a ``?`` parameter.
"""

# The SQL is built from module constants and column names only; values are parameters.
# ruff: noqa: S608

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from quizapp.search.fields import (
    CLOZE_NAME,
    EVERY_KIND_FIELD,
    FACE_NAMES,
    KIND_FIELDS,
    SEARCH_FIELDS,
)
from quizapp.search.nodes import (
    Comparison,
    Property,
    StateKind,
)
from quizapp.search.regex import SafeRegex
from quizapp.search.retrievability import elapsed_ratio
from quizapp.search.text import Glob, Wildcard, comparable
from quizapp.storage.search_fulltext import Vocabulary

DAY_MS = 86_400_000
INDEX_COLUMNS = SEARCH_FIELDS
_CLOZE_NOTES = "SELECT note_id FROM search_notes WHERE kind = 'cloze'"
_STUDIED = "c.state != 0 AND c.suspended = 0 AND c.buried = 0"
INTERVAL_SQL = (
    "(CASE WHEN c.state = 2 AND c.last_review IS NOT NULL "
    f"THEN (c.due - c.last_review + {DAY_MS // 2}) / {DAY_MS} ELSE 0 END)"
)
_OPERATORS = {comparison: comparison.value for comparison in Comparison}
_OPERATORS[Comparison.EQUAL] = "="
_FLIPPED = {
    Comparison.LESS: Comparison.GREATER,
    Comparison.LESS_OR_EQUAL: Comparison.GREATER_OR_EQUAL,
    Comparison.GREATER: Comparison.LESS,
    Comparison.GREATER_OR_EQUAL: Comparison.LESS_OR_EQUAL,
    Comparison.EQUAL: Comparison.EQUAL,
    Comparison.NOT_EQUAL: Comparison.NOT_EQUAL,
}


@dataclass(frozen=True, slots=True)
class SearchContext:
    """What a search needs to know of the moment and the collection.

    ``decks`` are (id, name) of every deck; ``decay`` is FSRS's, for ``prop:r``;
    ``vocabulary`` the index's words, for text terms.
    """

    now_ms: int
    day_start_ms: int
    learn_ahead_ms: int
    decay: float
    decks: Sequence[tuple[int, str]]
    vocabulary: Vocabulary


@dataclass
class Clause:
    """SQL text with its parameters, and the regular expressions it calls.

    ``probed``: it looks a card's note up in the word index (``quizapp_probe()``).
    """

    sql: str
    params: list[object] = field(default_factory=list)
    regexes: dict[str, SafeRegex] = field(default_factory=dict)
    probed: bool = False


class FactConditions:
    """The conditions of the terms that are no text, written into ``clause``."""

    def __init__(
        self,
        context: SearchContext,
        clause: Clause,
        *,
        few: bool = False,
        counting: bool = False,
        probe: bool = False,
    ) -> None:
        self.context = context
        self.clause = clause
        # "+" keeps SQLite from driving a query by the rows of an IN list (a week of
        # answers, the notes holding a common word: ten times slower on 100,000 cards):
        # it reads the cards once, in order (a page stops early), and looks each up in
        # the lists, built once.  A short list costs that one read of the cards.  Decks
        # are few: their cards are read by the deck index.
        # Unless the search is known to find few cards: then the lists are short too.
        # A count reads every card found, in no order: the lists of the terms that are
        # no text (tags, answers, kinds: thousands at most, usually) may drive it; the
        # notes holding a word (tens of thousands) do not.
        self.nid, self.cid, self.did = "+c.note_id", "+c.id", "c.deck_id"
        self.text_nid = "c.note_id" if few else "+c.note_id"
        self.probe = probe
        if few or counting:
            self.nid, self.cid = "c.note_id", "c.id"

    def param(self, value: object) -> str:
        self.clause.params.append(value)
        return "?"

    def ids(self, values: Sequence[object]) -> str:
        """A subquery of the values, passed as one JSON parameter (any number of them)."""
        return f"SELECT value FROM json_each({self.param(json.dumps(list(values)))})"

    def kinds(self, wanted: set[str]) -> str:
        """Notes of these kinds, listed by whichever is fewer: them, or the others."""
        counts = self.context.vocabulary.kind_counts()
        found = sum(count for kind, count in counts.items() if kind in wanted)
        others = sorted(kind for kind in counts if kind not in wanted)
        if not found:
            return "0"
        if not others:
            return "1"
        listed = others if found > sum(counts[kind] for kind in others) else sorted(wanted)
        condition = (
            f"{self.nid} IN (SELECT note_id FROM search_notes WHERE kind IN ({self.ids(listed)}))"
        )
        return f"NOT ({condition})" if listed is others else condition

    def cutoff(self, days: int) -> int:
        """The start of the study day ``days - 1`` days before today's (``1``: today)."""
        return self.context.day_start_ms - (days - 1) * DAY_MS

    def has_field(self, fields: Sequence[str]) -> str:
        if EVERY_KIND_FIELD in fields:
            return "1"
        kinds = sorted(kind.value for kind, names in KIND_FIELDS.items() if names & set(fields))
        return f"{self.nid} IN (SELECT note_id FROM search_notes WHERE kind IN ({self.ids(kinds)}))"

    # --- card and note facts ------------------------------------------------------------

    def deck(self, pattern: Glob) -> str:
        if pattern.parts == (Wildcard.ANY_RUN,):
            return "1"
        # As Anki: the pattern matches a deck's whole name, case-insensitive, or a
        # parent of it; levels are compared in Anki's form, with \x1f between them.
        native = pattern.mapped(_native).to_regex()
        matches = re.compile(f"(?:{native})(?:\\Z|\x1f)", re.IGNORECASE).match
        ids = [deck_id for deck_id, name in self.context.decks if matches(_native(name))]
        if not ids:
            return "0"
        return f"{self.did} IN ({self.ids(ids)})"

    def tag(self, pattern: Glob | None) -> str:
        if pattern is None:
            return f"{self.nid} NOT IN (SELECT note_id FROM search_tags)"
        if pattern.parts == (Wildcard.ANY_RUN,):
            return "1"  # Anki's tag:* finds every note, tagged or not
        glob = _to_glob(pattern.mapped(comparable))
        return (
            f"{self.nid} IN (SELECT note_id FROM search_tags WHERE tag GLOB "
            f"{self.param(glob)} OR tag GLOB {self.param(glob + '::*')})"
        )

    def state(self, state: StateKind) -> str:
        if state is StateKind.NEW:
            return "c.state = 0"
        if state is StateKind.LEARN:
            return "c.state IN (1, 3)"
        if state is StateKind.REVIEW:
            return "c.state IN (2, 3)"
        if state is StateKind.SUSPENDED:
            return "c.suspended = 1"
        if state is StateKind.BURIED:
            return "c.buried = 1"
        if state is StateKind.FLAGGED:
            return "c.flag != 0"
        next_day = self.context.day_start_ms + DAY_MS
        learn_by = self.context.now_ms + self.context.learn_ahead_ms
        return (
            "(c.suspended = 0 AND c.buried = 0 AND ((c.state = 2 AND c.due < "
            f"{self.param(next_day)}) OR (c.state IN (1, 3) AND c.due <= {self.param(learn_by)})))"
        )

    def card(self, ordinal: int | None, name: Glob | None) -> str:
        if ordinal is not None:
            # Anki's card number: a cloze deletion's number, else the face + 1.
            return (
                f"c.face = CASE WHEN {self.nid} IN ({_CLOZE_NOTES}) THEN {self.param(ordinal)} "
                f"ELSE {self.param(ordinal - 1)} END"
            )
        assert name is not None
        matches = name.matcher().match
        faces = [face for face, names in FACE_NAMES.items() if any(map(matches, names))]
        other = f"c.face IN ({', '.join(str(face) for face in faces)})" if faces else "0"
        glob = _to_glob(name)
        cloze = "1" if matches(CLOZE_NAME) else f"('c' || c.face) GLOB {self.param(glob)}"
        return (
            f"(({self.nid} IN ({_CLOZE_NOTES}) AND {cloze}) OR "
            f"({self.nid} NOT IN ({_CLOZE_NOTES}) AND {other}))"
        )

    def prop(self, prop: Property, comparison: Comparison, value: float) -> str:
        operator = _OPERATORS[comparison]
        if prop is Property.INTERVAL:
            return f"{INTERVAL_SQL} {operator} {self.param(int(value))}"
        if prop is Property.DUE:
            return f"({_STUDIED} AND {self.due_days(comparison, int(value))})"
        if prop in (Property.REPS, Property.LAPSES):
            return self.count(prop, comparison, int(value))
        if prop is Property.STABILITY:
            return f"c.stability {operator} {self.param(value)}"
        if prop is Property.DIFFICULTY:  # Anki's 0-1 scale on FSRS's 1-10
            return f"c.difficulty {operator} {self.param(value * 9 + 1)}"
        return self.retrievability(comparison, value)

    def due_days(self, comparison: Comparison, days: int) -> str:
        """The card falls due ``days`` study days from today (compared as asked)."""
        start = self.context.day_start_ms + days * DAY_MS
        end = start + DAY_MS
        if comparison is Comparison.LESS:
            return f"c.due < {self.param(start)}"
        if comparison is Comparison.LESS_OR_EQUAL:
            return f"c.due < {self.param(end)}"
        if comparison is Comparison.GREATER:
            return f"c.due >= {self.param(end)}"
        if comparison is Comparison.GREATER_OR_EQUAL:
            return f"c.due >= {self.param(start)}"
        within = f"c.due >= {self.param(start)} AND c.due < {self.param(end)}"
        return f"({within})" if comparison is Comparison.EQUAL else f"NOT ({within})"

    def count(self, prop: Property, comparison: Comparison, value: int) -> str:
        """Answers or lapses, a card without answers counting 0 (it has no stats row)."""
        column = "reviews" if prop is Property.REPS else "lapses"
        operator = _OPERATORS[comparison]
        if _holds(comparison, 0, value):
            return (
                f"{self.cid} NOT IN (SELECT card_id FROM search_card_stats WHERE NOT "
                f"({column} {operator} {self.param(value)}))"
            )
        return (
            f"{self.cid} IN (SELECT card_id FROM search_card_stats WHERE "
            f"{column} {operator} {self.param(value)})"
        )

    def retrievability(self, comparison: Comparison, value: float) -> str:
        """FSRS's R = (1 + F·t/S)^-decay falls as t/S grows: compare t with S·x instead.

        No power function is needed in SQL (SQLite's math functions are optional).
        """
        studied = "c.stability > 0 AND c.last_review IS NOT NULL"
        elapsed = f"({self.param(self.context.now_ms)} - c.last_review)"
        if value >= 1 or value <= 0:
            # R is within (0, 1]: R = 1 only at t = 0; never at or below 0.
            always = _holds(comparison, 0.5, value)
            if value >= 1 and comparison in (Comparison.EQUAL, Comparison.GREATER_OR_EQUAL):
                return f"({studied} AND {elapsed} <= 0)" if value == 1 else "0"
            if value >= 1 and comparison in (Comparison.NOT_EQUAL, Comparison.LESS):
                return f"({studied} AND {elapsed} > 0)" if value == 1 else f"({studied})"
            return f"({studied})" if always else "0"
        ratio = elapsed_ratio(value, self.context.decay)  # t/S where R = value
        threshold = f"c.stability * {self.param(ratio * DAY_MS)}"
        operator = _OPERATORS[_FLIPPED[comparison]]
        return f"({studied} AND {elapsed} {operator} {threshold})"


def _holds(comparison: Comparison, left: float, right: float) -> bool:
    """Whether ``left comparison right`` is true."""
    return {
        Comparison.LESS: left < right,
        Comparison.LESS_OR_EQUAL: left <= right,
        Comparison.EQUAL: left == right,
        Comparison.NOT_EQUAL: left != right,
        Comparison.GREATER_OR_EQUAL: left >= right,
        Comparison.GREATER: left > right,
    }[comparison]


def _to_glob(pattern: Glob) -> str:
    """The pattern for SQLite's ``GLOB`` (case-sensitive: give it lower-case text)."""
    pieces = []
    for part in pattern.parts:
        if part is Wildcard.ANY_RUN:
            pieces.append("*")
        elif part is Wildcard.ANY_ONE:
            pieces.append("?")
        else:
            assert isinstance(part, str)
            pieces.append(re.sub(r"([*?\[])", r"[\1]", part))
    return "".join(pieces)


def _native(name: str) -> str:
    """A deck name with Anki's level separator, so that ``_`` never matches one level's ``::``."""
    return name.replace("::", "\x1f")
