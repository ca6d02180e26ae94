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

from typing import TypeGuard, assert_never

from quizapp.search.columns import CardColumn, NoteColumn
from quizapp.search.fields import (
    SEARCH_FIELDS,
)
from quizapp.search.nodes import (
    AddedSearch,
    And,
    CardIdSearch,
    CardSearch,
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
    PropertySearch,
    RatedSearch,
    RegexSearch,
    SourceSearch,
    StateSearch,
    TagSearch,
    TextSearch,
)
from quizapp.search.regex import checked_regex
from quizapp.search.text import Wildcard, comparable
from quizapp.storage.search_facts import (
    DAY_MS,
    INDEX_COLUMNS,
    INTERVAL_SQL,
    Clause,
    FactConditions,
    SearchContext,
)
from quizapp.storage.search_fulltext import TEXTS, TextConditions

__all__ = ["DAY_MS", "INDEX_COLUMNS", "INTERVAL_SQL", "Clause", "SearchContext"]


def card_query(
    node: Node,
    context: SearchContext,
    order: CardColumn,
    descending: bool,
    *,
    paged: bool = False,
    few: bool = False,
    probe: bool = False,
) -> Clause:
    """``SELECT c.id`` of the cards ``node`` finds, sorted by ``order``.

    ``paged``: for a page of them (``LIMIT`` follows).  ``few``: the search is known to
    find few cards, so SQLite may start from the few notes or cards a term lists
    and sort them, rather than read every card in order.  ``probe``: look each card's
    note up in the word index (see ``_Writer.notes_holding``).
    """
    where = where_clause(node, context, few=few, probe=probe)
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
    if not texts or deck_driven(node):
        # Driven by the terms' lists of cards or notes (a tag's, a week of answers: ten
        # times faster than reading every card), or by the decks'.
        where = _Writer(context, clause, counting=True).write(node)
        clause.sql = f"SELECT {counted} FROM cards AS c WHERE {where}"
        return clause
    writer = _Writer(context, clause)
    conditions = [writer.text_condition(child) for child in texts]
    others = [writer.write(child) for child in children if not _is_text(child)]
    if "0" in conditions:
        clause.sql, clause.params = "SELECT 0", []
        return clause
    rest = writer.joined([*conditions, *others], "AND")
    texts_join = _texts_for(" ".join(conditions))
    clause.sql = (
        f"SELECT {counted} FROM search_fts{texts_join} "
        f"JOIN cards AS c ON c.note_id = search_fts.rowid WHERE {rest}"
    )
    return clause


def deck_driven(node: Node) -> bool:
    """Whether the search wants the cards of some decks: their cards are read first, by the
    deck index (a few thousand), and looked up in the list of the notes holding a word."""
    children = node.children if isinstance(node, And) else (node,)
    return any(
        isinstance(child, DeckSearch) and child.pattern.parts != (Wildcard.ANY_RUN,)
        for child in children
    )


def _texts_for(condition: str) -> str:
    """The join of search_texts that a condition on search_fts rows reading texts needs."""
    if f"{TEXTS}." not in condition:
        return ""
    return f" JOIN search_texts AS {TEXTS} ON {TEXTS}.note_id = search_fts.rowid"


def where_clause(
    node: Node, context: SearchContext, *, few: bool = False, probe: bool = False
) -> Clause:
    """The condition on ``cards AS c`` that ``node`` stands for (``few``, ``probe``: see
    card_query)."""
    clause = Clause("")
    clause.sql = _Writer(context, clause, few=few, probe=probe).write(node)
    return clause


class _Writer(FactConditions):
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

    def joined(self, parts: list[str], operator: str) -> str:
        """``parts`` joined by ``operator``, nested in halves: SQLite's parser limits depth."""
        if len(parts) <= 8:
            return "(" + f" {operator} ".join(parts) + ")"
        middle = len(parts) // 2
        return (
            f"({self.joined(parts[:middle], operator)} {operator} "
            f"{self.joined(parts[middle:], operator)})"
        )

    # --- note texts -------------------------------------------------------------------

    def conjunction(self, children: tuple[Node, ...]) -> str:
        """Every child; the texts a note must hold are looked up in one index query."""
        texts = [child for child in children if _is_text(child)]
        others = [self.write(child) for child in children if not _is_text(child)]
        if len(texts) > 1:
            conditions = [self.text_condition(child) for child in texts]
            if "0" in conditions:
                return "0"
            others.append(self.notes_holding(" AND ".join(conditions)))
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
        found = self.notes_holding(f"search_fts MATCH {self.param(expression)}")
        return self.joined([found, *(self.write(child) for child in others)], "OR")

    def note_text(self, node: TextSearch | FieldSearch | RegexSearch) -> str:
        if isinstance(node, FieldSearch) and node.pattern.parts == (Wildcard.ANY_RUN,):
            return self.has_field(node.fields)  # the field, empty or not
        condition = self.text_condition(node)
        if condition == "0":
            return "0"
        return self.notes_holding(condition)

    def notes_holding(self, condition: str) -> str:
        """The card's note is one of the ``search_fts`` rows ``condition`` selects.

        Those rows are listed once per query, unless ``probe``: then the card's note is
        looked up in the index (a few hundred cards, the first page of a search that
        finds most of them: the list of 70,000 notes costs more), each look-up counted
        by ``quizapp_probe()``, which stops the query past its budget.
        """
        rows = f"search_fts{_texts_for(condition)}"
        if not self.probe:
            return f"{self.text_nid} IN (SELECT search_fts.rowid FROM {rows} WHERE {condition})"
        self.clause.probed = True
        return (
            f"(quizapp_probe() AND EXISTS (SELECT 1 FROM {rows} WHERE "
            f"search_fts.rowid = c.note_id AND {condition}))"
        )

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
        columns = ", ".join(f"{TEXTS}.{name}" for name in node.fields or SEARCH_FIELDS)
        return f"quizapp_regexp({self.param(node.pattern)}, {columns})"


def _is_text(node: Node) -> TypeGuard[TextSearch | FieldSearch | RegexSearch]:
    """Whether ``node`` is a text term a note must hold (its own index query)."""
    if isinstance(node, FieldSearch):
        return node.pattern.parts != (Wildcard.ANY_RUN,)
    return isinstance(node, TextSearch | RegexSearch)


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
