"""Benchmark the card browser: its search, on 100,000 cards, against Anki's on the same.

Search part (the window part, ``browser_open``, comes with the browser window):

* ``search_index_build``: indexing the collection's notes for search the first time
  (once per collection; afterwards only notes added or edited are indexed);
* ``search_p95`` (and ``search_p50``): for each of 20 queries, the median of
  ``--runs`` runs of what the browser does to show a search, the count of cards found
  and the first page of 100 rows (``SearchService.page``); the 95th percentile of those
  20 medians (nearest rank: the second slowest);
* ``anki_search_p95`` (and ``anki_search_p50``): the same queries through Anki's library
  (``Collection.find_cards``, which returns every card id found) on an Anki collection
  of the same 100,000 generated cards, built in the same run from the QuizApp one: the
  same texts (front, back, explanation), decks, tags, flags, card states, memory states
  and review history (the bundled banks' hundred notes are left out);
* ``search_db_growth``: what the search index adds to the database file.

Each query's medians are logged on stderr.  The collection is built by
``bench_collection.py``, as ``study_bench.py`` and ``cli_bench.py`` build theirs.

Run by hand from the repository root (several minutes, most of it building)::

    python benchmarks/browser_bench.py [--cards 100000] [--runs 5] [--keep-db PATH | --db PATH]

Prints ``name: value unit`` lines on stdout; progress goes to stderr.
Target: ``search_p95`` ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench_collection import build_collection  # noqa: E402

PAGE = 100
DECAY = 0.1542  # FSRS-6's default, as QuizApp's scheduler has it
ANKI_CHUNK = 5_000
# What a learner looks for in a large collection: words (one common to most notes,
# rare ones), a phrase, decks, tags, states, properties, history, and combinations.
QUERIES = (
    "dropout",
    '"sets the bias"',
    "q4242",
    'momentum "deck:Generated::Subject 03"',
    "tag:dropout",
    "is:due",
    'is:new "deck:Generated::Subject 1*"',
    "is:review prop:ivl>=30",
    "prop:r<0.8",
    "rated:1",
    "rated:7:1",
    "introduced:7",
    "prop:lapses>=2",
    "flag:0 is:learn",
    "front:q12*",
    "nc:regularization stride",
    "attention -tag:attention",
    "deck:Generated::* -is:suspended prop:due<=1",
    "(softmax or logit) is:review",
    "kind:basic prop:reps>=10",
)


# Anki has no kind: search; its note type of the generated notes says the same.
ANKI_EQUIVALENTS = {"kind:basic prop:reps>=10": '"note:QuizApp Basic" prop:reps>=10'}


class BenchmarkError(Exception):
    """The benchmark could not measure what it set out to."""


def log(message: str) -> None:
    """Progress, on stderr."""
    print(f"[browser_bench] {message}", file=sys.stderr, flush=True)


def emit(name: str, value: float, unit: str, digits: int = 1) -> None:
    """One result line on stdout."""
    print(f"{name}: {value:.{digits}f} {unit}", flush=True)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed_median(action: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls of ``action`` after one uncounted, in ms."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_quizapp(path: Path, runs: int) -> tuple[float, dict[str, float]]:
    """Index the collection at ``path`` for search; each query's median time (ms)."""
    from quizapp.services import SystemClock
    from quizapp.services.search import SearchService
    from quizapp.storage import Database

    size_before = path.stat().st_size
    database = Database.open(path)
    try:
        search = SearchService(database, SystemClock())
        started = time.perf_counter()
        indexed = search.refresh()
        build = time.perf_counter() - started
        log(f"indexed {indexed:,} notes in {build:.1f} s")
        database.checkpoint()
        emit("search_db_growth", (path.stat().st_size - size_before) / 2**20, "MB")
        medians = {}
        for query in QUERIES:
            medians[query] = timed_median(lambda query=query: search.page(query, limit=PAGE), runs)
            found = search.count(query)
            log(f"quizapp {medians[query]:7.1f} ms  {found:7,} cards  {query}")
    finally:
        database.close()
    return build, medians


def build_anki(quizapp_path: Path, anki_path: Path) -> Any:
    """An Anki collection of the same notes, cards and history as the QuizApp one."""
    import sqlite3

    from anki.collection import AddNoteRequest, Collection

    source = sqlite3.connect(quizapp_path)
    col = Collection(str(anki_path))
    models = col.models
    note_type = models.copy(models.by_name("Basic"))
    note_type["name"] = "QuizApp Basic"
    models.add_field(note_type, models.new_field("Explanation"))
    models.update_dict(note_type)
    note_type = models.by_name("QuizApp Basic")
    decks: dict[str, Any] = {}
    rows = source.execute(
        "SELECT n.id, n.content, n.explanation, n.tags, d.name, c.id FROM notes n "
        "JOIN cards c ON c.note_id = n.id JOIN decks d ON d.id = c.deck_id "
        "WHERE n.kind = 'basic' ORDER BY c.id"
    ).fetchall()
    anki_note_of: dict[int, int] = {}  # QuizApp card id → Anki note id
    for start in range(0, len(rows), ANKI_CHUNK):
        requests, chunk = [], rows[start : start + ANKI_CHUNK]
        for _note_id, content, explanation, tags, deck, _card_id in chunk:
            fields = json.loads(content)
            note = col.new_note(note_type)
            note.fields[0], note.fields[1], note.fields[2] = (
                fields["front"],
                fields["back"],
                explanation,
            )
            note.tags = tags.split()
            if deck not in decks:
                decks[deck] = col.decks.id(deck)
            requests.append(AddNoteRequest(note, decks[deck]))
        col.add_notes(requests)  # gives each note its id
        for row, request in zip(chunk, requests, strict=True):
            anki_note_of[row[5]] = request.note.id
    anki_card_of_note = dict(col.db.all("SELECT nid, id FROM cards"))
    anki_card_of = {card: anki_card_of_note[note] for card, note in anki_note_of.items()}
    _copy_schedules(source, col, anki_card_of)
    source.close()
    return col


def _copy_schedules(source: Any, col: Any, anki_card_of: dict[int, int]) -> None:
    """Card states, flags and the review log, as Anki would hold them."""
    day_start = col.sched.day_cutoff - 86_400
    today = col.sched.today
    updates = []
    for row in source.execute(
        "SELECT c.id, c.state, c.due, c.last_review, c.suspended, c.buried, c.flag, "
        "coalesce(st.reviews, 0), coalesce(st.lapses, 0), c.stability, c.difficulty "
        "FROM cards c LEFT JOIN search_card_stats st ON st.card_id = c.id"
    ):
        card_id, state, due, last, suspended, buried, flag, reps, lapses = row[:9]
        stability, difficulty = row[9:]
        anki_id = anki_card_of.get(card_id)
        if anki_id is None:
            continue
        queue = {0: 0, 1: 1, 2: 2, 3: 1}[state]
        if state == 2:
            anki_due = today + int((due / 1000 - day_start) // 86_400)
            interval = round((due - last) / 86_400_000) if last else 0
        else:
            anki_due, interval = (int(due / 1000) if state else 0), 0
        queue = -1 if suspended else -3 if buried else queue
        memory = ""
        if stability is not None and last is not None:
            memory = json.dumps(
                {"s": stability, "d": difficulty, "dr": 0.9, "decay": DECAY, "lrt": last // 1000}
            )
        updates.append((state, queue, anki_due, interval, flag, reps, lapses, memory, anki_id))
    col.db.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, flags = ?, reps = ?, "
        "lapses = ?, data = ? WHERE id = ?",
        updates,
    )
    revlog = [
        (reviewed_at + index % 1000, anki_card_of[card_id], rating, 5000, kind)
        for index, (reviewed_at, card_id, rating, kind) in enumerate(
            source.execute("SELECT reviewed_at, card_id, rating, kind FROM reviews")
        )
        if card_id in anki_card_of
    ]
    col.db.executemany(
        "INSERT OR IGNORE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "VALUES (?, ?, -1, ?, 0, 0, 0, ?, ?)",
        revlog,
    )


def measure_anki(col: Any, runs: int) -> dict[str, float]:
    """Each query's median time through Anki's ``find_cards`` (ms)."""
    medians = {}
    for query in QUERIES:
        anki_query = ANKI_EQUIVALENTS.get(query, query)
        medians[query] = timed_median(
            lambda anki_query=anki_query: col.find_cards(anki_query), runs
        )
        found = len(col.find_cards(anki_query))
        log(f"anki    {medians[query]:7.1f} ms  {found:7,} cards  {anki_query}")
    return medians


def run(path: Path, folder: Path, runs: int, with_anki: bool) -> None:
    """Measure the collection at ``path`` (and an Anki copy made in ``folder``)."""
    build, medians = measure_quizapp(path, runs)
    emit("search_index_build", build, "s")
    emit("search_p50", percentile(list(medians.values()), 0.50), "ms")
    emit("search_p95", percentile(list(medians.values()), 0.95), "ms")
    if with_anki:
        started = time.perf_counter()
        col = build_anki(path, folder / "anki" / "collection.anki2")
        log(f"built the Anki collection in {time.perf_counter() - started:.1f} s")
        try:
            anki = measure_anki(col, runs)
        finally:
            col.close()
        emit("anki_search_p50", percentile(list(anki.values()), 0.50), "ms")
        emit("anki_search_p95", percentile(list(anki.values()), 0.95), "ms")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-anki", action="store_true", help="measure QuizApp's search only")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep-db", type=Path, help="build the collection here and keep it")
    where.add_argument("--db", type=Path, help="measure a copy of this collection")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    with tempfile.TemporaryDirectory(prefix="browser-bench-") as temporary:
        folder = Path(temporary)
        (folder / "anki").mkdir()
        path = folder / "collection.db"
        if arguments.db is not None:
            shutil.copyfile(arguments.db, path)  # the index is built in the copy
        else:
            started = time.perf_counter()
            build_collection(path, arguments.cards, log)
            log(f"built the collection in {time.perf_counter() - started:.1f} s")
            if arguments.keep_db is not None:
                shutil.copyfile(path, arguments.keep_db)
        os.environ.pop("QUIZAPP_DB", None)
        run(path, folder, arguments.runs, not arguments.no_anki)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"browser_bench: {error}", file=sys.stderr)
        sys.exit(1)
