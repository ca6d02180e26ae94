"""SQL from a parsed search: a WHERE clause over ``cards AS c``, and the ordered queries.

Every value of the search goes in as a ``?`` parameter; the SQL text holds only
column names, operators and placeholders.  Note-level terms read the search index
(``search_fts``, ``search_notes``, ``search_tags``) through ``c.note_id IN (…)``
subqueries, which SQLite runs once per query, so that a card-level search never
touches the wide ``notes`` rows.  See migration 0004 for the index's tables.
"""

# The SQL is built from module constants and column names only; values are parameters.
# ruff: noqa: S608

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeGuard, assert_never

from quizapp.search.columns import CardColumn, NoteColumn
from quizapp.search.fields import (
    CLOZE_NAME,
    EVERY_KIND_FIELD,
    FACE_NAMES,
    KIND_FIELDS,
    SEARCH_FIELDS,
)
from quizapp.search.nodes import (
    AddedSearch,
    And,
    CardIdSearch,
    CardSearch,
    Comparison,
    DeckSearch,
    EditedSearch,
    Everything,
    FieldSearch,
    FlagSearch,
    IntroducedSearch,
    KindSearch,
    Node,
    Not,
    NoteIdSearch,
    Or,
    Property,
    PropertySearch,
    RatedSearch,
    RegexSearch,
    SourceSearch,
    StateKind,
    StateSearch,
    TagSearch,
    TextSearch,
)
from quizapp.search.regex import SafeRegex, checked_regex
from quizapp.search.retrievability import elapsed_ratio
from quizapp.search.text import Glob, Wildcard, comparable
from quizapp.storage.search_fulltext import TextConditions, Vocabulary

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
    """SQL text with its parameters, and the regular expressions it calls."""

    sql: str
    params: list[object] = field(default_factory=list)
    regexes: dict[str, SafeRegex] = field(default_factory=dict)


def card_query(
    node: Node,
    context: SearchContext,
    order: CardColumn,
    descending: bool,
    *,
    paged: bool = False,
    few: bool = False,
) -> Clause:
    """``SELECT c.id`` of the cards ``node`` finds, sorted by ``order``.

    ``paged``: for a page of them (``LIMIT`` follows).  ``few``: the search is known to
    find few cards, so SQLite may start from the few notes or cards a term lists
    and sort them, rather than read every card in order.
    """
    where = where_clause(node, context, few=few)
    keys, joins = _card_order(order, context)
    direction = " DESC" if descending else ""
    ordering = ", ".join(f"{key}{direction}" for key in (*keys, "c.id"))
    where.sql = f"SELECT c.id FROM cards AS c{joins} WHERE {where.sql} ORDER BY {ordering}"
    return where


def note_query(
    node: Node,
    context: SearchContext,
    order: NoteColumn,
    descending: bool,
) -> Clause:
    """``SELECT s.note_id`` of the notes with a card ``node`` finds, sorted by ``order``."""
    where = where_clause(node, context)
    keys, joins = _note_order(order)
    direction = " DESC" if descending else ""
    ordering = ", ".join(f"{key}{direction}" for key in (*keys, "s.note_id"))
    where.sql = (
        f"SELECT s.note_id FROM search_notes AS s{joins} WHERE s.note_id IN "
        f"(SELECT c.note_id FROM cards AS c WHERE {where.sql}) ORDER BY {ordering}"
    )
    return where


def count_query(node: Node, context: SearchContext, *, notes: bool = False) -> Clause:
    """How many cards (or notes) ``node`` finds.

    When the notes must hold some text, the count is driven by the word index, each
    note found joined to its cards: counting 70,000 cards of a common word that way
    takes half the time of looking each card up in the list of the notes found.
    """
    counted = "count(DISTINCT c.note_id)" if notes else "count(*)"
    children = node.children if isinstance(node, And) else (node,)
    texts = [child for child in children if _is_text(child)]
    clause = Clause("")
    if not texts:
        clause.sql = (
            f"SELECT {counted} FROM cards AS c WHERE {_Writer(context, clause).write(node)}"
        )
        return clause
    writer = _Writer(context, clause)
    conditions = [writer.text_condition(child) for child in texts]
    others = [writer.write(child) for child in children if not _is_text(child)]
    if "0" in conditions:
        clause.sql, clause.params = "SELECT 0", []
        return clause
    rest = writer.joined([*conditions, *others], "AND")
    clause.sql = (
        f"SELECT {counted} FROM search_fts JOIN cards AS c ON c.note_id = search_fts.rowid "
        f"WHERE {rest}"
    )
    return clause


def where_clause(node: Node, context: SearchContext, *, few: bool = False) -> Clause:
    """The condition on ``cards AS c`` that ``node`` stands for (``few``: see card_query)."""
    clause = Clause("")
    clause.sql = _Writer(context, clause, few=few).write(node)
    return clause


class _Writer:
    def __init__(self, context: SearchContext, clause: Clause, *, few: bool = False) -> None:
        self.context = context
        self.clause = clause
        # "+" keeps SQLite from driving a query by the rows of an IN list (a week of
        # answers, the notes holding a common word: ten times slower on 100,000 cards):
        # it reads the cards once, in order (a page stops early), and looks each up in
        # the lists, built once.  A short list costs that one read of the cards.  Decks
        # are few: their cards are read by the deck index.
        # Unless the search is known to find few cards: then the lists are short too.
        self.nid, self.cid, self.did = "+c.note_id", "+c.id", "c.deck_id"
        if few:
            self.nid, self.cid = "c.note_id", "c.id"

    def param(self, value: object) -> str:
        self.clause.params.append(value)
        return "?"

    def ids(self, values: Sequence[object]) -> str:
        """A subquery of the values, passed as one JSON parameter (any number of them)."""
        return f"SELECT value FROM json_each({self.param(json.dumps(list(values)))})"

    def write(self, node: Node) -> str:
        match node:
            case And(children):
                return self.conjunction(children)
            case Or(children):
                return self.disjunction(children)
            case Not(child):
                return f"NOT ({self.write(child)})"
            case Everything():
                return "1"
            case TextSearch() | FieldSearch() | RegexSearch():
                return self.note_text(node)
            case DeckSearch(pattern):
                return self.deck(pattern)
            case TagSearch(pattern):
                return self.tag(pattern)
            case StateSearch(state):
                return self.state(state)
            case FlagSearch(flag):
                return f"c.flag = {self.param(flag)}"
            case KindSearch(kinds):
                return self.kinds({kind.value for kind in kinds})
            case CardSearch(ordinal, name):
                return self.card(ordinal, name)
            case PropertySearch(prop, comparison, value):
                return self.prop(prop, comparison, value)
            case RatedSearch(days, rating):
                since = self.param(self.cutoff(days))
                grade = "" if rating is None else f" AND rating = {self.param(rating)}"
                return (
                    f"{self.cid} IN (SELECT card_id FROM reviews WHERE reviewed_at >= "
                    f"{since}{grade})"
                )
            case IntroducedSearch(days):
                return (
                    f"{self.cid} IN (SELECT card_id FROM search_card_stats WHERE first_review >= "
                    f"{self.param(self.cutoff(days))})"
                )
            case AddedSearch(days) | EditedSearch(days):
                column = "created_at" if isinstance(node, AddedSearch) else "modified_at"
                return (
                    f"{self.nid} IN (SELECT note_id FROM search_notes WHERE {column} >= "
                    f"{self.param(self.cutoff(days))})"
                )
            case NoteIdSearch(ids):
                return f"{self.nid} IN ({self.ids(ids)})"
            case CardIdSearch(ids):
                return f"{self.cid} IN ({self.ids(ids)})"
            case SourceSearch(pattern):
                like = pattern.mapped(comparable).to_like()
                return (
                    f"{self.nid} IN (SELECT note_id FROM search_notes WHERE source LIKE "
                    f"{self.param(like)} ESCAPE '\\')"
                )
            case _:
                assert_never(node)

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

    def joined(self, parts: list[str], operator: str) -> str:
        """``parts`` joined by ``operator``, nested in halves: SQLite's parser limits depth."""
        if len(parts) <= 8:
            return "(" + f" {operator} ".join(parts) + ")"
        middle = len(parts) // 2
        return (
            f"({self.joined(parts[:middle], operator)} {operator} "
            f"{self.joined(parts[middle:], operator)})"
        )

    def cutoff(self, days: int) -> int:
        """The start of the study day ``days - 1`` days before today's (``1``: today)."""
        return self.context.day_start_ms - (days - 1) * DAY_MS

    # --- note texts -------------------------------------------------------------------

    def conjunction(self, children: tuple[Node, ...]) -> str:
        """Every child; the texts a note must hold are looked up in one index query."""
        texts = [child for child in children if _is_text(child)]
        others = [self.write(child) for child in children if not _is_text(child)]
        if len(texts) > 1:
            conditions = [self.text_condition(child) for child in texts]
            if "0" in conditions:
                return "0"
            others.append(
                f"{self.nid} IN (SELECT rowid FROM search_fts WHERE {' AND '.join(conditions)})"
            )
        else:
            others += [self.write(child) for child in texts]
        return self.joined(others, "AND")

    def disjunction(self, children: tuple[Node, ...]) -> str:
        """One child at least; one-word texts or'ed in one index query."""
        conditions = TextConditions(self.param, self.context.vocabulary)
        words: list[str] = []
        others: list[Node] = []
        for child in children:
            match = (
                conditions.word_match(child.pattern, child.fold_accents)
                if isinstance(child, TextSearch)
                else None
            )
            if match is None:
                others.append(child)
            elif match:
                words.append(match)
        if len(words) < 2:
            return self.joined([self.write(child) for child in children], "OR")
        expression = " OR ".join(f"({word})" for word in words)
        found = (
            f"{self.nid} IN (SELECT rowid FROM search_fts WHERE search_fts MATCH "
            f"{self.param(expression)})"
        )
        return self.joined([found, *(self.write(child) for child in others)], "OR")

    def note_text(self, node: TextSearch | FieldSearch | RegexSearch) -> str:
        if isinstance(node, FieldSearch) and node.pattern.parts == (Wildcard.ANY_RUN,):
            return self.has_field(node.fields)  # the field, empty or not
        condition = self.text_condition(node)
        if condition == "0":
            return "0"
        return f"{self.nid} IN (SELECT rowid FROM search_fts WHERE {condition})"

    def text_condition(self, node: TextSearch | FieldSearch | RegexSearch) -> str:
        """The condition on a ``search_fts`` row; ``"0"`` when no note can match."""
        conditions = TextConditions(self.param, self.context.vocabulary)
        if isinstance(node, TextSearch):
            return conditions.text(node.pattern, node.fold_accents)
        if isinstance(node, FieldSearch):
            return conditions.field(node.pattern, node.fields, node.fold_accents)
        return self.regex(node)

    def regex(self, node: RegexSearch) -> str:
        checked = checked_regex(node.pattern, f"re:{node.pattern}")
        self.clause.regexes[node.pattern] = checked
        columns = ", ".join(node.fields or SEARCH_FIELDS)
        return f"quizapp_regexp({self.param(node.pattern)}, {columns})"

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


def _is_text(node: Node) -> TypeGuard[TextSearch | FieldSearch | RegexSearch]:
    """Whether ``node`` is a text term a note must hold (its own index query)."""
    if isinstance(node, FieldSearch):
        return node.pattern.parts != (Wildcard.ANY_RUN,)
    return isinstance(node, TextSearch | RegexSearch)


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


# --- ordering -------------------------------------------------------------------------

# Questions and answers sort by the fields that hold them (their texts in search_texts,
# past the item separator each starts with); the answers of the kinds that have no such
# field by the key kept in search_notes.
_REVERSE = "s.kind = 'basic_reversed' AND {face} = 1"
_QUESTION_KEY = (
    "CASE WHEN " + _REVERSE + " THEN substr(t.back, 2) "
    "WHEN s.kind IN ('basic', 'basic_reversed') THEN substr(t.front, 2) "
    "WHEN s.kind = 'true_false' THEN substr(t.statement, 2) "
    "WHEN s.question IS NOT NULL THEN s.question ELSE substr(t.question, 2) END"
)
_ANSWER_KEY = (
    "CASE WHEN " + _REVERSE + " THEN substr(t.front, 2) "
    "WHEN s.answer IS NOT NULL THEN s.answer "
    "WHEN s.kind IN ('basic', 'basic_reversed') THEN substr(t.back, 2) "
    "WHEN s.kind = 'cloze' THEN substr(t.extra, 2) "
    "WHEN s.kind = 'exercise' THEN substr(t.answer, 2) ELSE substr(t.answers, 2) END"
)
_WITH_NOTE = " JOIN search_notes AS s ON s.note_id = c.note_id"
_WITH_TEXTS = _WITH_NOTE + " JOIN search_texts AS t ON t.note_id = c.note_id"
_WITH_STATS = " LEFT JOIN search_card_stats AS st ON st.card_id = c.id"


def _card_order(order: CardColumn, context: SearchContext) -> tuple[tuple[str, ...], str]:
    """The sort keys of a card column, and the joins they need."""
    simple: dict[CardColumn, tuple[tuple[str, ...], str]] = {
        CardColumn.CARD_ID: ((), ""),
        CardColumn.NOTE_ID: (("c.note_id", "c.face"), ""),
        CardColumn.NOTE_GUID: (("n.guid", "c.face"), " JOIN notes AS n ON n.id = c.note_id"),
        CardColumn.DECK: (("d.name COLLATE NOCASE",), " JOIN decks AS d ON d.id = c.deck_id"),
        CardColumn.KIND: (("s.kind",), _WITH_NOTE),
        CardColumn.FACE: (("c.face",), ""),
        CardColumn.DUE: (("c.state = 0", "c.due"), ""),
        CardColumn.QUESTION: ((_QUESTION_KEY.format(face="c.face"),), _WITH_TEXTS),
        CardColumn.ANSWER: ((_ANSWER_KEY.format(face="c.face"),), _WITH_TEXTS),
        CardColumn.TAGS: (("s.tags",), _WITH_NOTE),
        CardColumn.FLAG: (("c.flag",), ""),
        CardColumn.INTERVAL: ((INTERVAL_SQL,), ""),
        CardColumn.STABILITY: (("c.stability",), ""),
        CardColumn.DIFFICULTY: (("c.difficulty",), ""),
        CardColumn.REVIEWS: (("coalesce(st.reviews, 0)",), _WITH_STATS),
        CardColumn.LAPSES: (("coalesce(st.lapses, 0)",), _WITH_STATS),
        CardColumn.ADDED: (("s.created_at",), _WITH_NOTE),
        CardColumn.MODIFIED: (("s.modified_at",), _WITH_NOTE),
        CardColumn.SOURCE: (("s.source",), _WITH_NOTE),
    }
    if order is CardColumn.RETRIEVABILITY:
        # R falls as the time since the last answer grows against the stability; the
        # literal is a number of ours (the clock), not user text.
        elapsed = f"(({int(context.now_ms)} - c.last_review) * 1.0 / c.stability)"
        return (f"-{elapsed}",), ""
    return simple[order]


def _note_order(order: NoteColumn) -> tuple[tuple[str, ...], str]:
    cards = "(SELECT {} FROM cards AS c2{} WHERE c2.note_id = s.note_id)"
    simple: dict[NoteColumn, tuple[tuple[str, ...], str]] = {
        NoteColumn.NOTE_ID: ((), ""),
        NoteColumn.NOTE_GUID: (("n.guid",), " JOIN notes AS n ON n.id = s.note_id"),
        NoteColumn.KIND: (("s.kind",), ""),
        NoteColumn.QUESTION: ((_QUESTION_KEY.format(face="0"),), _NOTE_TEXTS),
        NoteColumn.ANSWER: ((_ANSWER_KEY.format(face="0"),), _NOTE_TEXTS),
        NoteColumn.DECK: (
            (cards.format("min(d.name COLLATE NOCASE)", " JOIN decks AS d ON d.id = c2.deck_id"),),
            "",
        ),
        NoteColumn.CARDS: ((cards.format("count(*)", ""),), ""),
        NoteColumn.TAGS: (("s.tags",), ""),
        NoteColumn.REVIEWS: (
            (cards.format("coalesce(sum(st.reviews), 0)", _STATS_OF_C2),),
            "",
        ),
        NoteColumn.LAPSES: ((cards.format("coalesce(sum(st.lapses), 0)", _STATS_OF_C2),), ""),
        NoteColumn.ADDED: (("s.created_at",), ""),
        NoteColumn.MODIFIED: (("s.modified_at",), ""),
        NoteColumn.SOURCE: (("s.source",), ""),
    }
    return simple[order]


_NOTE_TEXTS = " JOIN search_texts AS t ON t.note_id = s.note_id"
_STATS_OF_C2 = " LEFT JOIN search_card_stats AS st ON st.card_id = c2.id"
