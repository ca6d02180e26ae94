"""The search index's tables, and running a compiled search over them.

Triggers (migration 0004) put every note added, changed or deleted into
``search_pending``; :meth:`SearchIndex.write` replaces those notes' rows, which the
search service computes.  :meth:`SearchIndex.run` executes a
:class:`~quizapp.storage.search_sql.Clause` with the SQL functions it calls.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.errors import UserError
from quizapp.search.regex import SEARCH_SECONDS, SafeRegex
from quizapp.search.text import Glob, folded
from quizapp.storage.driver import DriverConnection, Runner
from quizapp.storage.search_facts import INDEX_COLUMNS, Clause
from quizapp.storage.search_fulltext import ITEM, MAX_WORDS, WORD, Fit

# The SQL is built from module constants and column names only; values are parameters.
# ruff: noqa: S608

_IDS = "SELECT value FROM json_each(?)"
PENDING = "SELECT note_id FROM search_pending ORDER BY note_id LIMIT ?"
COUNT_PENDING = "SELECT count(*) FROM search_pending"
NOTES_TO_INDEX = (
    "SELECT id, kind, content, explanation, tags, source, text_format, created_at, modified_at "
    f"FROM notes WHERE id IN ({_IDS})"
)
_COLUMNS = ", ".join(INDEX_COLUMNS)
# search_fts keeps no copy of the texts (external content, schema 0005): a note's words
# leave the index by its old texts, read back from search_texts before they go.
UNINDEX_TEXTS = (
    f"INSERT INTO search_fts (search_fts, rowid, {_COLUMNS}) "
    f"SELECT 'delete', note_id, {_COLUMNS} FROM search_texts WHERE note_id IN ({_IDS})"
)
INDEX_TEXTS = (
    f"INSERT INTO search_fts (rowid, {_COLUMNS}) "
    f"SELECT note_id, {_COLUMNS} FROM search_texts WHERE note_id IN ({_IDS})"
)
OLD_TAGS = f"SELECT note_id, tags FROM search_notes WHERE note_id IN ({_IDS}) AND tags != ''"
DELETE_TEXTS = f"DELETE FROM search_texts WHERE note_id IN ({_IDS})"
DELETE_NOTES = f"DELETE FROM search_notes WHERE note_id IN ({_IDS})"
DELETE_TAG = "DELETE FROM search_tags WHERE tag = ? AND note_id = ?"
DELETE_PENDING = f"DELETE FROM search_pending WHERE note_id IN ({_IDS})"
INSERT_TEXTS = (
    f"INSERT INTO search_texts (note_id, {_COLUMNS}) "
    f"VALUES (?, {', '.join('?' * len(INDEX_COLUMNS))})"
)
INSERT_NOTE = (
    "INSERT INTO search_notes (note_id, kind, tags, source, created_at, modified_at, "
    "question, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_TAG = "INSERT OR IGNORE INTO search_tags (tag, note_id) VALUES (?, ?)"
# The vocabulary, and the trigram index of its words' forms without accents.
ADD_WORD = "INSERT OR IGNORE INTO search_words (word, folded) VALUES (?, ?)"
LAST_WORD = "SELECT coalesce(max(id), 0) FROM search_words"
# Many notes at once: their words are taken into the vocabulary later, from the word
# index itself (one pass of SQLite over it, instead of Python over every text); until
# then the meta row says the vocabulary lags behind the index.
LAGGING = "search_vocabulary_lags"
MARK_LAGGING = f"INSERT OR REPLACE INTO meta (key, value) VALUES ('{LAGGING}', '1')"
IS_LAGGING = f"SELECT 1 FROM meta WHERE key = '{LAGGING}'"
UNMARK_LAGGING = f"DELETE FROM meta WHERE key = '{LAGGING}'"
INDEX_TERMS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms "
    "USING fts5vocab(main, 'search_fts', 'row')"
)
ADD_INDEX_TERMS = (
    "INSERT INTO search_words (word, folded) SELECT term, quizapp_fold(term) "
    "FROM temp.search_terms WHERE NOT EXISTS (SELECT 1 FROM search_words WHERE word = term)"
)
BULK_WORDS = 2_000  # notes written at once whose words the vocabulary takes later
# The words added get ids after the last one (the vocabulary never forgets a word).
ADD_VOCAB = (
    "INSERT INTO search_vocab (rowid, folded) SELECT id, folded FROM search_words WHERE id > ?"
)
# Words whose accent-free form holds a text of three characters or more, by trigrams;
# shorter texts are looked for in every word; whole and starting forms by the index.
WORDS_BY_TRIGRAMS = (
    "SELECT w.word, w.folded FROM search_vocab AS v JOIN search_words AS w ON w.id = v.rowid "
    "WHERE search_vocab MATCH ? LIMIT ?"
)
WORDS_HOLDING = "SELECT word, folded FROM search_words WHERE folded LIKE ? ESCAPE '\\' LIMIT ?"
WORDS_FOLDED_TO = "SELECT word, folded FROM search_words WHERE folded = ? LIMIT ?"
WORDS_FOLDED_FROM = "SELECT word, folded FROM search_words WHERE folded GLOB ? LIMIT ?"
# Words looked at before deciding a term's word stands for too many to narrow by.
_CANDIDATES = 20 * MAX_WORDS
# A page of cards, in the order of the ids asked for.
CARD_ROWS = (
    "SELECT c.id, c.note_id, n.guid, d.name, n.kind, c.face, c.state, c.due, c.last_review, "
    "c.stability, c.difficulty, c.suspended, c.buried, c.flag, coalesce(st.reviews, 0), "
    "coalesce(st.lapses, 0), n.content, n.explanation, n.tags, n.source, n.text_format, "
    "n.created_at, n.modified_at "
    "FROM json_each(?) AS wanted CROSS JOIN cards AS c ON c.id = wanted.value "
    "JOIN notes AS n ON n.id = c.note_id JOIN decks AS d ON d.id = c.deck_id "
    "LEFT JOIN search_card_stats AS st ON st.card_id = c.id ORDER BY wanted.key"
)
# A page of notes, in the order asked for: the deck of each note's first card, its
# number of cards, answers and lapses.
NOTE_ROWS = (
    "SELECT n.id, n.guid, n.kind, n.content, n.explanation, n.tags, n.source, n.text_format, "
    "n.created_at, n.modified_at, "
    "(SELECT d.name FROM cards AS c JOIN decks AS d ON d.id = c.deck_id "
    " WHERE c.note_id = n.id ORDER BY c.face LIMIT 1), "
    "(SELECT count(*) FROM cards AS c WHERE c.note_id = n.id), "
    "(SELECT coalesce(sum(st.reviews), 0) FROM cards AS c JOIN search_card_stats AS st "
    " ON st.card_id = c.id WHERE c.note_id = n.id), "
    "(SELECT coalesce(sum(st.lapses), 0) FROM cards AS c JOIN search_card_stats AS st "
    " ON st.card_id = c.id WHERE c.note_id = n.id) "
    "FROM json_each(?) AS wanted CROSS JOIN notes AS n ON n.id = wanted.value "
    "ORDER BY wanted.key"
)
ALL_DECKS = "SELECT id, name FROM decks"
KIND_COUNTS = "SELECT kind, count(*) FROM search_notes GROUP BY kind"


@dataclass(frozen=True, slots=True)
class NoteToIndex:
    """A note's row as the indexer reads it (times in epoch milliseconds)."""

    id: int
    kind: str
    content: dict[str, Any]
    explanation: str
    tags: str
    source: str
    text_format: str
    created_at: int
    modified_at: int


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the index holds of one note.

    ``columns`` has one value per search field (:data:`INDEX_COLUMNS`),
    each field's texts in comparable form, as :func:`column_value` joins them;
    ``question`` and ``answer`` are sort keys where no text field holds them as shown.
    """

    note_id: int
    kind: str
    tags: tuple[str, ...]
    source: str
    created_at: int
    modified_at: int
    question: str | None
    answer: str | None
    columns: tuple[str, ...]


def column_value(texts: Sequence[str]) -> str:
    """A search column's value: each text between item separators; no text: empty."""
    return ITEM + ITEM.join(texts) + ITEM if texts else ""


class SearchTimeout(Exception):
    """A regular expression ran past the time a search may take."""


class SearchIndex:
    """The search index of one transaction."""

    def __init__(self, connection: Runner) -> None:
        self._connection = connection
        self._driver = driver_of(connection)
        self._words_current = False
        self._kind_counts: dict[str, int] | None = None

    def pending(self, limit: int) -> list[int]:
        """Up to ``limit`` notes to (re)index, by id."""
        rows = self._connection.exec_driver_sql(PENDING, (limit,))
        return [note_id for (note_id,) in rows]

    def pending_count(self) -> int:
        """How many notes wait to be (re)indexed."""
        return int(self._connection.exec_driver_sql(COUNT_PENDING).scalar_one())

    def notes(self, note_ids: Sequence[int]) -> list[NoteToIndex]:
        """Those of these notes that still exist."""
        rows = self._connection.exec_driver_sql(NOTES_TO_INDEX, (json.dumps(list(note_ids)),))
        return [NoteToIndex(row[0], row[1], json.loads(row[2]), *row[3:]) for row in rows.all()]

    def write(self, note_ids: Sequence[int], entries: Sequence[IndexEntry]) -> None:
        """Replace the rows of ``note_ids`` by ``entries`` (deleted notes have none)."""
        self._kind_counts = None
        ids = (json.dumps(list(note_ids)),)
        run = self._connection.exec_driver_sql
        old_tags = [
            (tag, note_id) for note_id, tags in run(OLD_TAGS, ids).all() for tag in tags.split()
        ]
        if old_tags:
            run(DELETE_TAG, old_tags)
        for statement in (UNINDEX_TEXTS, DELETE_TEXTS, DELETE_NOTES):
            run(statement, ids)
        if entries:
            run(INSERT_TEXTS, [_fts_row(entry) for entry in entries])
            run(INDEX_TEXTS, ids)
            run(
                INSERT_NOTE,
                [
                    (
                        entry.note_id,
                        entry.kind,
                        " ".join(entry.tags),
                        entry.source,
                        entry.created_at,
                        entry.modified_at,
                        entry.question,
                        entry.answer,
                    )
                    for entry in entries
                ],
            )
            tags = [(tag, entry.note_id) for entry in entries for tag in entry.tags]
            if tags:
                run(INSERT_TAG, tags)
            self._add_words(entries)
        run(DELETE_PENDING, ids)

    def catch_up_words(self) -> None:
        """Give the vocabulary the words of notes written in bulk since (see LAGGING)."""
        if self._words_current:
            return
        self._words_current = True
        if self._connection.exec_driver_sql(IS_LAGGING).first() is None:
            return
        cursor = self._driver.cursor()
        try:
            (last,) = cursor.execute(LAST_WORD).fetchone()
            self._driver.create_function("quizapp_fold", 1, _fold, deterministic=True)
            cursor.execute(INDEX_TERMS)
            cursor.execute(ADD_INDEX_TERMS)
            cursor.execute(ADD_VOCAB, (last,))
            cursor.execute(UNMARK_LAGGING)
        finally:
            cursor.close()

    def _add_words(self, entries: Sequence[IndexEntry]) -> None:
        """Put the entries' words the vocabulary lacks into it (it never forgets one).

        The texts are split at spaces first (fast) and only their distinct pieces
        cut into words, which the vocabulary takes in one statement.  Many entries
        leave that to :meth:`catch_up_words`.
        """
        if len(entries) >= BULK_WORDS:
            self._connection.exec_driver_sql(MARK_LAGGING)
            self._words_current = False
            return
        texts = " ".join(text for entry in entries for text in entry.columns)
        words = {word for piece in set(texts.split()) for word in WORD.findall(piece)}
        cursor = self._driver.cursor()
        try:
            (last,) = cursor.execute(LAST_WORD).fetchone()
            cursor.executemany(ADD_WORD, [(word, folded(word)) for word in words])
            cursor.execute(ADD_VOCAB, (last,))
        finally:
            cursor.close()

    def kind_counts(self) -> dict[str, int]:
        """How many notes of each kind the index holds (:class:`Vocabulary`)."""
        if self._kind_counts is None:
            rows = self._connection.exec_driver_sql(KIND_COUNTS)
            self._kind_counts = {kind: count for kind, count in rows}
        return self._kind_counts

    def words(self, word: str, fit: Fit, fold_accents: bool) -> list[str] | None:
        """The indexed words that hold ``word`` as ``fit`` says (:class:`Vocabulary`)."""
        self.catch_up_words()
        key = folded(word)
        run = self._connection.exec_driver_sql
        if fit is Fit.EXACT:
            rows = run(WORDS_FOLDED_TO, (key, _CANDIDATES)).all()
        elif fit is Fit.PREFIX:
            rows = run(WORDS_FOLDED_FROM, (_glob_prefix(key), _CANDIDATES)).all()
        elif len(key) >= 3:
            phrase = '"' + key.replace('"', '""') + '"'
            rows = run(WORDS_BY_TRIGRAMS, (phrase, _CANDIDATES)).all()
        else:
            like = f"%{Glob.literal(key).to_like()}%"
            rows = run(WORDS_HOLDING, (like, _CANDIDATES)).all()
        if len(rows) >= _CANDIDATES:
            return None
        holds = _HOLDS[fit]
        if fold_accents:
            found = [found_word for found_word, found_folded in rows if holds(found_folded, key)]
        else:
            found = [found_word for found_word, _folded in rows if holds(found_word, word)]
        return None if len(found) > MAX_WORDS else found

    def decks(self) -> list[tuple[int, str]]:
        """Every deck's id and name."""
        return [(deck_id, name) for deck_id, name in self._connection.exec_driver_sql(ALL_DECKS)]

    def ids(self, clause: Clause) -> list[int]:
        """The ids a compiled search selects, in its order."""
        return [row_id for (row_id,) in self._run(clause)]

    def page(self, clause: Clause, offset: int, limit: int) -> list[int]:
        """The ids a search selects from ``offset`` on, at most ``limit`` of them."""
        clause.sql += " LIMIT ? OFFSET ?"
        clause.params += [max(0, limit), max(0, offset)]
        return [row_id for (row_id,) in self._run(clause)]

    def probed_page(self, clause: Clause, limit: int, budget: int) -> list[int] | None:
        """The first ``limit`` ids of a probing search (``Clause.probed``), or None when
        finding them took more than ``budget`` look-ups in the word index."""
        clause.sql += " LIMIT ?"
        clause.params.append(max(0, limit))
        probes = _Probes(budget)
        self._driver.create_function("quizapp_probe", 0, probes)
        try:
            return [row_id for (row_id,) in self._run(clause)]
        except sqlite3.Error:
            if probes.spent:
                return None
            raise
        finally:
            self._driver.create_function("quizapp_probe", 0, None)

    def scalar(self, clause: Clause) -> int:
        """The one number a compiled search counts."""
        return int(self._run(clause)[0][0])

    def card_rows(self, card_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """The rows of these cards (:data:`CARD_ROWS`), in the order given; gone ones left out."""
        rows = self._connection.exec_driver_sql(CARD_ROWS, (json.dumps(list(card_ids)),))
        return [tuple(row) for row in rows]

    def note_rows(self, note_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """The rows of these notes (:data:`NOTE_ROWS`), in the order given."""
        rows = self._connection.exec_driver_sql(NOTE_ROWS, (json.dumps(list(note_ids)),))
        return [tuple(row) for row in rows]

    def _run(self, clause: Clause) -> list[Any]:
        """The rows of ``clause``, with the SQL functions it calls registered meanwhile.

        Run on the driver's cursor: SQLAlchemy's rows cost ten times SQLite's own when a
        search returns every id of 100,000 cards.  The driver's errors are given back as
        SQLAlchemy's, which the transaction turns into sentences.
        """
        raw = self._driver
        regexp = _Regexp(clause.regexes, time.monotonic() + SEARCH_SECONDS)
        raw.create_function("quizapp_fold", 1, _fold, deterministic=True)
        raw.create_function("quizapp_regexp", -1, regexp)
        cursor = raw.cursor()
        try:
            return cursor.execute(clause.sql, tuple(clause.params)).fetchall()
        except sqlite3.Error as error:
            if regexp.timed_out:
                raise UserError(
                    f"The regular expression{_patterns(clause)} took longer than "
                    f"{SEARCH_SECONDS:g} seconds over the collection; make it more precise, "
                    "or add other terms to the search."
                ) from error
            if isinstance(self._connection, DriverConnection):
                raise
            # On SQLAlchemy's connection, as SQLAlchemy's error: the transaction turns it
            # into a sentence.
            from sqlalchemy.exc import DBAPIError

            raise DBAPIError.instance(clause.sql, clause.params, error, sqlite3.Error) from error
        finally:
            cursor.close()
            raw.create_function("quizapp_regexp", -1, None)
            raw.create_function("quizapp_fold", 1, None)


def driver_of(connection: Runner) -> sqlite3.Connection:
    """The sqlite3 connection under a driver connection or a SQLAlchemy one."""
    if isinstance(connection, DriverConnection):
        return connection.dbapi
    raw = connection.connection.driver_connection  # type: ignore[attr-defined]
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _fts_row(entry: IndexEntry) -> tuple[object, ...]:
    return (entry.note_id, *entry.columns)


def _glob_prefix(text: str) -> str:
    """A GLOB pattern for the texts starting with ``text``."""
    escaped = "".join(f"[{char}]" if char in "*?[" else char for char in text)
    return escaped + "*"


_HOLDS: dict[Fit, Callable[[str, str], bool]] = {
    Fit.EXACT: lambda found, wanted: found == wanted,
    Fit.PREFIX: lambda found, wanted: found.startswith(wanted),
    Fit.SUFFIX: lambda found, wanted: found.endswith(wanted),
    Fit.INFIX: lambda found, wanted: wanted in found,
}


def _fold(value: str | None) -> str | None:
    return None if value is None else folded(value)


class _Probes:
    """``quizapp_probe()``: 1, until called more than ``budget`` times: then it raises."""

    def __init__(self, budget: int) -> None:
        self.left = budget
        self.spent = False

    def __call__(self) -> int:
        self.left -= 1
        if self.left < 0:
            self.spent = True
            raise SearchTimeout("probes")
        return 1


class _Regexp:
    """``quizapp_regexp(pattern, column, …)``: 1 if a text of one of the columns matches.

    Each text is searched in its first :attr:`SafeRegex.text_limit` characters; past
    the deadline every call raises, which stops the query.
    """

    def __init__(self, regexes: dict[str, SafeRegex], deadline: float) -> None:
        self.regexes = regexes
        self.deadline = deadline
        self.timed_out = False

    def __call__(self, pattern: str, *columns: str | None) -> int:
        if self.timed_out or time.monotonic() > self.deadline:
            self.timed_out = True
            raise SearchTimeout(pattern)
        checked = self.regexes[pattern]
        search, limit = checked.compiled.search, checked.text_limit
        for value in columns:
            if value:
                for text in value[1:-1].split(ITEM):
                    if search(text[:limit]) is not None:
                        return 1
        return 0


def _patterns(clause: Clause) -> str:
    names = [f"re:{pattern}" for pattern in clause.regexes]
    return " '" + "', '".join(names) + "'" if names else ""
