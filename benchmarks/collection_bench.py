"""Benchmark the browser's actions on a large collection, and undoing them.

On a collection of 100,000 generated cards with 120 days of history
(``bench_collection.py``), measures the wall time of:

* ``suspend_10k`` / ``undo_suspend_10k``: suspending 10,000 cards, then undoing it;
* ``set_due_date_1k``: ``3-7!`` on 1,000 cards (a manual log entry each);
* ``reposition_new_front``: 100 new cards to the front of the new queue;
* ``delete_deck`` / ``undo_delete_deck``: a deck of 5,000 cards with their history;
* ``answer_with_history``: one answer through the study session (shared undo history);
* ``card_info``: Card Info of a card with a long history.

Run by hand from the repository root::

    python benchmarks/collection_bench.py [--cards 100000] [--keep-db PATH | --db PATH]

Prints ``name: value unit`` lines on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks.bench_collection import build_collection  # noqa: E402
from quizapp.bootstrap import App, open_app  # noqa: E402
from quizapp.domain import Rating  # noqa: E402

T = TypeVar("T")


def log(message: str) -> None:
    """Progress, on stderr."""
    print(f"[collection_bench] {message}", file=sys.stderr, flush=True)


def emit(name: str, seconds: float) -> None:
    """One result line on stdout."""
    print(f"{name}: {seconds * 1000:.1f} ms", flush=True)


def timed(name: str, work: Callable[[], T]) -> T:
    """Run ``work`` once, print how long it took, return what it gave."""
    started = time.perf_counter()
    result = work()
    emit(name, time.perf_counter() - started)
    return result


def _ids(app: App, sql: str) -> list[int]:
    with app.database.transaction() as store:
        return [row[0] for row in store.connection.execute(text(sql))]


def measure(app: App) -> None:
    """Every measurement, on the open collection."""
    cards = _ids(app, "SELECT id FROM cards ORDER BY id LIMIT 10000")
    timed("suspend_10k", lambda: app.cards.suspend(cards))
    timed("undo_suspend_10k", app.undo_history.undo)
    reviewed = _ids(app, "SELECT id FROM cards WHERE state = 2 ORDER BY id LIMIT 1000")
    timed("set_due_date_1k", lambda: app.cards.set_due_date(reviewed, "3-7!"))
    new = _ids(app, "SELECT id FROM cards WHERE state = 0 ORDER BY due DESC, id DESC LIMIT 100")
    timed("reposition_new_front", lambda: app.cards.reposition(new, 0))
    deck = _ids(
        app,
        "SELECT deck_id FROM cards GROUP BY deck_id HAVING COUNT(*) >= 5000 "
        "ORDER BY COUNT(*) LIMIT 1",
    )
    if deck:
        counts = timed("delete_deck", lambda: app.deck_editor.delete(deck[0]))
        log(f"the deck deleted held {counts}")
        timed("undo_delete_deck", app.undo_history.undo)
    session = app.study(None)
    if session.current is not None:
        timed("answer_with_history", lambda: session.answer(Rating.GOOD, 1000))
    longest = _ids(
        app, "SELECT card_id FROM reviews GROUP BY card_id ORDER BY COUNT(*) DESC LIMIT 1"
    )
    timed("card_info", lambda: app.cards.card_info(longest[0]))


def main() -> None:
    """Build (or take) the collection, measure on a copy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--keep-db", type=Path, help="build the collection here and keep it")
    parser.add_argument("--db", type=Path, help="measure on a copy of this collection")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "collection.db"
        if options.db is not None:
            shutil.copyfile(options.db, work)
        else:
            built = options.keep_db or Path(folder) / "built.db"
            log(f"building {options.cards} cards")
            build_collection(built, options.cards, log)
            shutil.copyfile(built, work)
        app = open_app(work, seed_banks=[])
        try:
            measure(app)
        finally:
            app.close()


if __name__ == "__main__":
    main()
