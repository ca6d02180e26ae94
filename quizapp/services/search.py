"""The collection's search: Anki's syntax over QuizApp's cards and notes, for the browser.

A table model over 100,000 cards asks :meth:`SearchService.page` for what it shows
first (how many cards the search finds, and the first rows), then pages further on
as it scrolls, or keeps :meth:`SearchService.card_ids` (every id found, in the order
shown, one query) and asks :meth:`SearchService.rows_of` for the rows on screen.  The
notes mode (one row per note; a note is found when one of its cards is) has the same
calls.  Every column of :class:`CardColumn` and :class:`NoteColumn` sorts.

The index is kept current as notes are written: an import or an edit indexes its
notes in its own transaction (:func:`index_written`).  What is left (a bank of more
than :data:`INDEX_AT_WRITE` notes, deletions, undone steps, a collection upgraded from
before) is indexed before searching (:meth:`SearchService.refresh`), in chunks
committed one by one: 100,000 notes in seconds, after which a search costs
milliseconds.
A malformed search raises :class:`~quizapp.errors.UserError` with a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.domain import CardState, Note, NoteKind, TextFormat
from quizapp.domain.notes import content_from_fields
from quizapp.scheduling.days import study_day_start
from quizapp.search import CardColumn, NoteColumn, parse_search
from quizapp.search.nodes import Node
from quizapp.search.retrievability import retrievability
from quizapp.services.clock import Clock
from quizapp.services.queue import LEARN_AHEAD
from quizapp.services.search_text import card_answer, card_question, face_name, index_entry
from quizapp.storage import Database
from quizapp.storage.driver import Runner
from quizapp.storage.search_index import SearchIndex
from quizapp.storage.search_sql import (
    SearchContext,
    card_query,
    count_query,
    deck_driven,
    note_query,
)
from quizapp.storage.times import from_millis, to_millis

# FSRS-6's default decay (its last parameter), which QuizApp's scheduler uses.
DEFAULT_DECAY = float(DEFAULT_PARAMETERS[20])
INDEX_AT_WRITE = 5_000  # notes an import or an edit indexes in its own transaction
INDEX_CHUNK = 10_000  # notes indexed per transaction (about a second on a slow machine)
# A search that finds no more cards than this (the count comes first) has its page
# found from the terms' short lists, then sorted: reading every card in order to find
# them costs ten times more on 100,000 cards.
FEW_CARDS = 3_000
# The first page of a search finding more, in card order, is found by looking each card's
# note up in the word index, while that takes at most PROBES look-ups (a few ms); past
# them the query starts again from the list of the notes found.
PROBED_ROWS = 500
PROBES = 1_000
_DAY = timedelta(days=1)
_T = TypeVar("_T")
_Row = TypeVar("_Row", "CardRow", "NoteRow")
Progress = Callable[[int, int], None]  # notes indexed so far, notes to index


@dataclass(frozen=True, slots=True)
class CardRow:
    """One card as the list shows it.

    ``due`` is None for a new card; ``interval`` is in days (0 until the card is a
    review card); ``difficulty`` is on Anki's 0-1 scale (``prop:d``), and
    ``retrievability`` the chance of recalling it now, None before its first answer.
    """

    card_id: int
    note_id: int
    note_guid: str
    deck: str
    kind: NoteKind
    face: int
    face_name: str
    state: CardState
    due: datetime | None
    question: str
    answer: str
    tags: tuple[str, ...]
    flag: int
    suspended: bool
    buried: bool
    interval: int
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    reviews: int
    lapses: int
    added: datetime
    modified: datetime
    source: str

    def to_json(self) -> dict[str, Any]:
        """The row as JSON-ready values (times in ISO 8601, UTC)."""
        return {
            "card_id": self.card_id,
            "note_id": self.note_id,
            "note_guid": self.note_guid,
            "deck": self.deck,
            "kind": self.kind.value,
            "face": self.face,
            "face_name": self.face_name,
            "state": self.state.name.lower(),
            "due": None if self.due is None else self.due.isoformat(),
            "question": self.question,
            "answer": self.answer,
            "tags": list(self.tags),
            "flag": self.flag,
            "suspended": self.suspended,
            "buried": self.buried,
            "interval": self.interval,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "retrievability": self.retrievability,
            "reviews": self.reviews,
            "lapses": self.lapses,
            "added": self.added.isoformat(),
            "modified": self.modified.isoformat(),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One note as the list's notes mode shows it; ``deck`` is its first card's."""

    note_id: int
    note_guid: str
    kind: NoteKind
    question: str
    answer: str
    deck: str
    cards: int
    tags: tuple[str, ...]
    reviews: int
    lapses: int
    added: datetime
    modified: datetime
    source: str

    def to_json(self) -> dict[str, Any]:
        """The row as JSON-ready values (times in ISO 8601, UTC)."""
        return {
            "note_id": self.note_id,
            "note_guid": self.note_guid,
            "kind": self.kind.value,
            "question": self.question,
            "answer": self.answer,
            "deck": self.deck,
            "cards": self.cards,
            "tags": list(self.tags),
            "reviews": self.reviews,
            "lapses": self.lapses,
            "added": self.added.isoformat(),
            "modified": self.modified.isoformat(),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Page(Generic[_Row]):
    """Some rows of a search's results, and how many results there are in all."""

    total: int
    rows: list[_Row]


class SearchService:
    """Searching the collection's cards and notes."""

    def __init__(self, database: Database, clock: Clock, decay: float = DEFAULT_DECAY) -> None:
        self._database = database
        self._clock = clock
        self._decay = decay

    # --- cards ------------------------------------------------------------------------

    def count(self, query: str, *, notes: bool = False) -> int:
        """How many cards (or, with ``notes``, notes) ``query`` finds."""
        node = parse_search(query)
        return self._search(
            lambda index, context: index.scalar(count_query(node, context, notes=notes))
        )

    def card_ids(
        self, query: str, order: CardColumn = CardColumn.CARD_ID, descending: bool = False
    ) -> list[int]:
        """The ids of every card ``query`` finds, sorted by ``order`` (ties by card id)."""
        node = parse_search(query)
        return self._search(
            lambda index, context: index.ids(card_query(node, context, order, descending))
        )

    def page(
        self,
        query: str,
        order: CardColumn = CardColumn.CARD_ID,
        descending: bool = False,
        offset: int = 0,
        limit: int = 100,
    ) -> Page[CardRow]:
        """Rows ``offset`` to ``offset + limit`` of the cards ``query`` finds, sorted, and
        how many it finds (one transaction: the two agree)."""
        node = parse_search(query)

        def page(index: SearchIndex, context: SearchContext) -> Page[CardRow]:
            total = index.scalar(count_query(node, context))
            if total <= offset or limit <= 0:
                return Page(total, [])
            few = total <= FEW_CARDS
            ids = None
            if (
                not few
                and order is CardColumn.CARD_ID
                and offset + limit <= PROBED_ROWS
                and not deck_driven(node)
            ):
                probing = card_query(node, context, order, descending, paged=True, probe=True)
                if probing.probed:
                    found = index.probed_page(probing, offset + limit, PROBES)
                    ids = None if found is None else found[offset:]
            if ids is None:
                clause = card_query(node, context, order, descending, paged=True, few=few)
                ids = index.page(clause, offset, limit)
            return Page(total, self._card_rows(index, ids))

        return self._search(page)

    def rows(
        self,
        query: str,
        order: CardColumn = CardColumn.CARD_ID,
        descending: bool = False,
        offset: int = 0,
        limit: int = 100,
    ) -> list[CardRow]:
        """The rows ``offset`` to ``offset + limit`` of the cards ``query`` finds, sorted."""
        return self.page(query, order, descending, offset, limit).rows

    def rows_of(self, card_ids: Sequence[int]) -> list[CardRow]:
        """The rows of these cards, in the order given (cards deleted meanwhile left out)."""
        return self._search(lambda index, _context: self._card_rows(index, card_ids))

    # --- notes ------------------------------------------------------------------------

    def note_ids(
        self, query: str, order: NoteColumn = NoteColumn.NOTE_ID, descending: bool = False
    ) -> list[int]:
        """The ids of the notes with a card ``query`` finds, sorted by ``order``."""
        node = parse_search(query)
        return self._search(
            lambda index, context: index.ids(note_query(node, context, order, descending))
        )

    def note_page(
        self,
        query: str,
        order: NoteColumn = NoteColumn.NOTE_ID,
        descending: bool = False,
        offset: int = 0,
        limit: int = 100,
    ) -> Page[NoteRow]:
        """A page of the notes ``query`` finds, sorted, and how many it finds."""
        node = parse_search(query)

        def page(index: SearchIndex, context: SearchContext) -> Page[NoteRow]:
            total = index.scalar(count_query(node, context, notes=True))
            if total <= offset or limit <= 0:
                return Page(total, [])
            clause = note_query(node, context, order, descending)
            return Page(total, _note_rows(index, index.page(clause, offset, limit)))

        return self._search(page)

    def note_rows(
        self,
        query: str,
        order: NoteColumn = NoteColumn.NOTE_ID,
        descending: bool = False,
        offset: int = 0,
        limit: int = 100,
    ) -> list[NoteRow]:
        """A page of the notes ``query`` finds, sorted."""
        return self.note_page(query, order, descending, offset, limit).rows

    def note_rows_of(self, note_ids: Sequence[int]) -> list[NoteRow]:
        """The rows of these notes, in the order given."""
        return self._search(lambda index, _context: _note_rows(index, note_ids))

    def parse(self, query: str) -> Node:
        """The parsed ``query``; raises :class:`UserError` for a malformed one."""
        return parse_search(query)

    # --- the index --------------------------------------------------------------------

    def refresh(self, progress: Progress | None = None) -> int:
        """Index the notes added, edited or deleted since the last search; how many.

        Each chunk of notes is committed on its own, so that indexing a large
        collection never holds the database for long.
        """
        done = 0
        while True:
            with self._database.quick() as store:
                index = SearchIndex(store.connection)
                if progress is not None and done == 0:
                    total = index.pending_count()
                    if total:
                        progress(0, total)
                indexed = _index_pending(index, INDEX_CHUNK)
            if not indexed:
                if done:
                    with self._database.quick() as store:
                        SearchIndex(store.connection).catch_up_words()
                return done
            done += indexed
            if progress is not None:
                progress(done, done + self._pending())

    def _pending(self) -> int:
        with self._database.quick() as store:
            return SearchIndex(store.connection).pending_count()

    def _search(self, work: Callable[[SearchIndex, SearchContext], _T]) -> _T:
        """``work`` in one transaction over an up-to-date index."""
        self.refresh()
        with self._database.quick() as store:
            index = SearchIndex(store.connection)
            _index_pending(index, INDEX_CHUNK)  # what changed since, if anything
            return work(index, self._context(index))

    def _context(self, index: SearchIndex) -> SearchContext:
        now = self._clock.now()
        day_start = study_day_start(now, self._clock.local_zone())
        return SearchContext(
            now_ms=to_millis(now),
            day_start_ms=to_millis(day_start),
            learn_ahead_ms=int(LEARN_AHEAD / timedelta(milliseconds=1)),
            decay=self._decay,
            decks=index.decks(),
            vocabulary=index,
        )

    def _card_rows(self, index: SearchIndex, card_ids: Sequence[int]) -> list[CardRow]:
        now = self._clock.now()
        return [self._card_row(row, now) for row in index.card_rows(card_ids)]

    def _card_row(self, row: tuple[Any, ...], now: datetime) -> CardRow:
        (card_id, note_id, guid, deck, kind, face, state, due, last_review, stability) = row[:10]
        (difficulty, suspended, buried, flag, reviews, lapses) = row[10:16]
        note = _note(note_id, guid, kind, *row[16:21])
        card_state = CardState(state)
        last = None if last_review is None else from_millis(last_review)
        interval = 0
        if card_state is CardState.REVIEW and last is not None:
            interval = round((from_millis(due) - last) / _DAY)
        elapsed = 0.0 if last is None else (now - last) / _DAY
        return CardRow(
            card_id=card_id,
            note_id=note_id,
            note_guid=guid,
            deck=deck,
            kind=note.kind,
            face=face,
            face_name=face_name(note.kind, face),
            state=card_state,
            due=None if card_state is CardState.NEW else from_millis(due),
            question=card_question(note, face),
            answer=card_answer(note, face),
            tags=note.tags,
            flag=flag,
            suspended=bool(suspended),
            buried=bool(buried),
            interval=interval,
            stability=stability,
            difficulty=None if difficulty is None else (difficulty - 1) / 9,
            retrievability=None
            if last is None
            else retrievability(stability, elapsed, self._decay),
            reviews=reviews,
            lapses=lapses,
            added=from_millis(row[21]),
            modified=from_millis(row[22]),
            source=note.source,
        )


def index_written(connection: Runner, limit: int = INDEX_AT_WRITE) -> int:
    """Index the notes written in the open transaction (and any still pending); how many.

    Called by the import and the note editor before they commit, so that the next
    search finds the index current.  More than ``limit`` notes (a large bank) are
    left to :meth:`SearchService.refresh`, which the browser runs off the UI thread.
    """
    index = SearchIndex(connection)
    note_ids = index.pending(limit + 1)
    if not note_ids or len(note_ids) > limit:
        return 0
    index.write(note_ids, [index_entry(row) for row in index.notes(note_ids)])
    return len(note_ids)


def _index_pending(index: SearchIndex, limit: int) -> int:
    """Index up to ``limit`` pending notes in the open transaction; how many."""
    note_ids = index.pending(limit)
    if note_ids:
        index.write(note_ids, [index_entry(row) for row in index.notes(note_ids)])
    return len(note_ids)


def _note(
    note_id: int,
    guid: str,
    kind: str,
    content: str,
    explanation: str,
    tags: str,
    source: str,
    text_format: str,
) -> Note:
    note_kind = NoteKind(kind)
    return Note(
        guid=guid,
        kind=note_kind,
        content=content_from_fields(note_kind, json.loads(content)),
        explanation=explanation,
        tags=tuple(tags.split()),
        source=source,
        text_format=TextFormat(text_format),
        id=note_id,
    )


def _note_rows(index: SearchIndex, note_ids: Sequence[int]) -> list[NoteRow]:
    rows = []
    for row in index.note_rows(note_ids):
        note = _note(*row[:8])
        first_face = note.faces[0] if note.faces else 0
        rows.append(
            NoteRow(
                note_id=row[0],
                note_guid=row[1],
                kind=note.kind,
                question=card_question(note, first_face),
                answer=card_answer(note, first_face),
                deck=row[10] or "",
                cards=row[11],
                tags=note.tags,
                reviews=row[12],
                lapses=row[13],
                added=from_millis(row[8]),
                modified=from_millis(row[9]),
                source=note.source,
            )
        )
    return rows


__all__ = [
    "DEFAULT_DECAY",
    "CardColumn",
    "CardRow",
    "NoteColumn",
    "NoteRow",
    "Page",
    "SearchService",
    "index_written",
]
