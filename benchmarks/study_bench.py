"""Benchmark the study loop on a large collection (100,000 generated cards by default).

Measures, on a collection with a realistic mix of new, learning and review cards:

* ``first_card``: wall time from launching ``quizapp --db DB study`` (Qt offscreen) to the
  first card painted in the real window; median of 5 launches, ``first_card_min`` the fastest;
* ``answer_next_p50`` / ``answer_next_p99``: one ``StudySession.answer`` call, which commits
  the answer and fetches and prepares the next card, as the reviewer does;
* ``peak_memory``: peak RSS of the app process showing its first card (median of the launches);
  ``peak_memory_answer_loop``: peak RSS of a fresh process running the answer loop.

Run by hand from the repository root (it takes a couple of minutes)::

    python benchmarks/study_bench.py [--cards 100000] [--answers 2000] [--keep-db PATH]

Prints ``name: value unit`` lines on stdout (MB are MiB); progress goes to stderr.
Targets: first card < 0.5 s, p99 < 1 ms, peak memory < 150 MB.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import text  # noqa: E402

from quizapp.bootstrap import App, open_app  # noqa: E402
from quizapp.domain import (  # noqa: E402
    BasicContent,
    BatchNote,
    CardState,
    ImportBatch,
    MemoryState,
    Note,
    NoteKind,
    Rating,
    ReviewKind,
    ReviewLog,
)
from quizapp.errors import QuizAppError  # noqa: E402
from quizapp.scheduling import FsrsScheduler  # noqa: E402
from quizapp.scheduling.days import study_day_start  # noqa: E402
from quizapp.services import ManualClock, SystemClock  # noqa: E402
from quizapp.services.importing import insert_batch  # noqa: E402
from quizapp.storage import Store  # noqa: E402

SEED = 20240611
GENERATED_GUID_PREFIX = "bench-"
GENERATED_DECKS = 20
HISTORY_DAYS = 120
# The first cards of the import (in import order, as a learner meets them) have a history.
STUDIED_SHARE = 0.30
# Of those, the share the learner failed in their last session and left in (re)learning.
LAPSED_SHARE = 0.01
MAX_REVIEWS_PER_CARD = 30
RATING_WEIGHTS = {Rating.AGAIN: 10, Rating.HARD: 12, Rating.GOOD: 70, Rating.EASY: 8}

FIRST_CARD_RUNS = 5
FIRST_CARD_TIMEOUT_S = 120.0
FIRST_CARD_MARKER = "QUIZAPP_BENCH_FIRST_CARD"
# Run in the child as `python -c`: the real entry point (quizapp.__main__.main, which runs
# run_gui), with build_main_window and open_app wrapped to time the phases and to watch the
# question label: once it gets its first paint event, the report runs on the next turn of
# the event loop, after the paint, and quits.
FIRST_CARD_CHILD = """
import time
stamps = {"start": time.time()}
import json, os, resource, sys
from quizapp.__main__ import main
import quizapp.gui.app as gui_app
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
stamps["imported"] = time.time()

def peak_rss_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def report(**extra):
    print("@MARKER@", json.dumps({**stamps, **extra}), flush=True)

def report_painted(window):
    stamps["painted"] = time.time()
    study_card = window.reviewer.current
    report(card_id=-1 if study_card is None else study_card.card.id, max_rss_kb=peak_rss_kb())
    QApplication.quit()

class FirstPaint(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, lambda: report_painted(self.window))
        return False

def timed(name, function):
    def wrapper(*args, **kwargs):
        stamps[name + "_start"] = time.time()
        result = function(*args, **kwargs)
        stamps[name + "_end"] = time.time()
        return result
    return wrapper

original_build_main_window = gui_app.build_main_window

def build_main_window(*args):
    # A failure here would open a modal error box and wait for a click: report it and stop.
    try:
        window = original_build_main_window(*args)
        label = window.findChild(QWidget, "questionLabel")
        if label is None:
            raise LookupError("no widget named questionLabel in the main window")
        label.installEventFilter(FirstPaint(window))
    except BaseException as error:
        report(error=repr(error))
        os._exit(3)
    return window

gui_app.open_app = timed("open_app", gui_app.open_app)
gui_app.build_main_window = timed("build_window", build_main_window)
sys.exit(main(sys.argv[1:]))
""".replace("@MARKER@", FIRST_CARD_MARKER)

_WORDS = (
    "learning",
    "rate",
    "weight",
    "decay",
    "dropout",
    "batch",
    "size",
    "momentum",
    "embedding",
    "attention",
    "head",
    "layer",
    "norm",
    "residual",
    "gradient",
    "optimizer",
    "warmup",
    "schedule",
    "token",
    "vocabulary",
    "parameter",
    "bias",
    "kernel",
    "stride",
    "padding",
    "channel",
    "activation",
    "softmax",
    "logit",
    "loss",
    "regularization",
    "epoch",
    "checkpoint",
    "tensor",
    "matrix",
    "rank",
    "adapter",
    "quantization",
    "precision",
    "inference",
    "latency",
    "throughput",
)


class BenchmarkError(Exception):
    """The benchmark could not measure what it set out to."""


@dataclass(frozen=True)
class FirstCardRun:
    """One launch of the app: seconds to the first painted card, peak RSS, phase stamps."""

    seconds: float
    max_rss_kb: int
    phases: dict[str, float]


@dataclass(frozen=True)
class AnswerLoopResult:
    """The answer loop: each answer's duration, the process's peak RSS, study days used."""

    durations_ns: list[int]
    max_rss_kb: int
    days: int


def log(message: str) -> None:
    """Progress, on stderr."""
    print(f"[study_bench] {message}", file=sys.stderr, flush=True)


def peak_rss_kb() -> int:
    """This process's peak resident set size, in KiB.

    VmHWM rather than ``ru_maxrss``: Linux carries ``ru_maxrss`` over ``exec`` from the
    parent, so a child started by a large parent would report the parent's peak.
    """
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def emit(name: str, value: float, unit: str, digits: int = 3) -> None:
    """One result line on stdout."""
    print(f"{name}: {value:.{digits}f} {unit}", flush=True)


# -- building the collection ---------------------------------------------------------------


def phrase(rng: Random, words: int) -> str:
    """Some words of the benchmark's vocabulary."""
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def generated_batch(cards: int, rng: Random) -> ImportBatch:
    """``cards`` BASIC notes with unique guids, spread over subdecks of ``Generated``."""
    notes = []
    for index in range(cards):
        note = Note(
            guid=f"{GENERATED_GUID_PREFIX}{index:07d}",
            kind=NoteKind.BASIC,
            content=BasicContent(
                front=f"Q{index}: what does the {phrase(rng, 3)} control in a {phrase(rng, 2)}?",
                back=f"It sets the {phrase(rng, rng.randint(10, 25))}.",
            ),
            explanation=phrase(rng, rng.randint(15, 40)).capitalize() + ".",
            tags=("generated", rng.choice(_WORDS)),
            source="study_bench",
        )
        deck = f"Generated::Subject {index % GENERATED_DECKS:02d}"
        notes.append(BatchNote(note=note, deck=deck, line=index + 1))
    return ImportBatch(source="study_bench", notes=tuple(notes))


def draw_rating(rng: Random) -> Rating:
    """A grade: mostly Good, some Again, Hard and Easy."""
    return rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]


def generated_card_ids(store: Store) -> list[int]:
    """The ids of the generated cards, in import order."""
    rows = store.connection.execute(
        text(
            "SELECT cards.id FROM cards JOIN notes ON notes.id = cards.note_id "
            "WHERE notes.guid LIKE :prefix ORDER BY cards.id"
        ),
        {"prefix": f"{GENERATED_GUID_PREFIX}%"},
    )
    return [row[0] for row in rows]


@dataclass
class History:
    """Past answers, scheduled one by one and written in bulk at the end."""

    scheduler: FsrsScheduler
    rng: Random
    logs: list[ReviewLog] = field(default_factory=list)

    def answer(
        self, card_id: int, memory: MemoryState, when: datetime, rating: Rating | None = None
    ) -> MemoryState:
        """Schedule one answer given at ``when`` and log it; the card's new state."""
        rating = rating or draw_rating(self.rng)
        after = self.scheduler.review(memory, rating, when, self.rng)
        log_entry = ReviewLog(
            card_id=card_id,
            reviewed_at=when,
            rating=rating,
            duration_ms=self.rng.randint(2_000, 15_000),
            kind=ReviewKind.of(memory.state),
            before=memory,
            after=after,
        )
        self.logs.append(log_entry)
        return after

    def write(self, store: Store) -> None:
        """Insert the logged answers in bulk (``append`` builds a new INSERT per answer)."""
        for start in range(0, len(self.logs), 10_000):
            store.reviews.insert_many(self.logs[start : start + 10_000])


def review_until(
    history: History, memory: MemoryState, card_id: int, first: datetime, cutoff: datetime
) -> tuple[MemoryState, datetime]:
    """Answer a card whenever it comes due, from ``first`` until ``cutoff``.

    Returns its final state and the time of its last answer.
    """
    when, last, answers = first, first, 0
    while when < cutoff and answers < MAX_REVIEWS_PER_CARD:
        memory = history.answer(card_id, memory, when)
        last, answers = when, answers + 1
        # Learning steps are answered within the session; reviews some hours after due.
        if memory.state is CardState.REVIEW:
            lag = timedelta(hours=history.rng.uniform(0, 12))
        else:
            lag = timedelta(seconds=history.rng.uniform(5, 90))
        when = max(memory.due, when + timedelta(seconds=30)) + lag
    return memory, last


def simulate_history(store: Store, now: datetime, rng: Random) -> int:
    """Give the first cards of the import a review history ending before today.

    The learner met them in order over :data:`HISTORY_DAYS` days and answered each one
    whenever it came due, until an hour before today's study day began; a few were failed
    in that last session and left in (re)learning.  Returns the number of answers made.
    """
    history = History(FsrsScheduler(store.decks.preset(store.decks.default_preset_id())), rng)
    cutoff = study_day_start(now, SystemClock().local_zone()) - timedelta(hours=1)
    start = now - timedelta(days=HISTORY_DAYS)
    card_ids = generated_card_ids(store)
    studied = card_ids[: int(len(card_ids) * STUDIED_SHARE)]
    for position, card_id in enumerate(studied):
        card = store.cards.get(card_id)
        first = start + (cutoff - start) * (position / len(studied))
        memory, last = review_until(history, card.memory, card_id, first, cutoff)
        if rng.random() < LAPSED_SHARE:
            when = max(last + timedelta(minutes=1), cutoff - timedelta(minutes=30))
            memory = history.answer(card_id, memory, when, Rating.AGAIN)
        store.cards.set_memory(card, memory)
    history.write(store)
    return len(history.logs)


def build_collection(path: Path, cards: int) -> None:
    """Create the collection at ``path``: the bundled bank, ``cards`` generated cards, history."""
    now = datetime.now(UTC)
    rng = Random(SEED)
    history_start = now - timedelta(days=HISTORY_DAYS)
    app = open_app(path, clock=ManualClock(history_start), rng=Random(SEED))
    try:
        batch = generated_batch(cards, rng)
        started = time.perf_counter()
        with app.database.transaction() as store:
            insert_batch(store, batch, history_start)
        log(f"imported {len(batch.notes)} notes in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with app.database.transaction() as store:
            answers = simulate_history(store, now, rng)
        log(f"simulated {answers} past answers in {time.perf_counter() - started:.1f} s")
    finally:
        app.close()


def describe_collection(path: Path) -> None:
    """Log how many cards are in each state, and what a session started now would show."""
    app = open_app(path)
    try:
        with app.database.transaction() as store:
            rows = store.connection.execute(
                text("SELECT state, COUNT(*) FROM cards GROUP BY state ORDER BY state")
            )
            states = {CardState(state).name.lower(): count for state, count in rows}
            reviews = store.reviews.count()
        current = app.study(None).current
        counts = "nothing due" if current is None else str(current.counts)
    finally:
        app.close()
    log(f"collection: {states}, {reviews} reviews; a session now shows {counts}")


# -- first card ----------------------------------------------------------------------------


def launch_first_card(db_path: Path) -> FirstCardRun:
    """Start ``quizapp --db DB study`` offscreen; time it until the first card is painted."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-c", FIRST_CARD_CHILD, "--db", str(db_path), "study"]
    with tempfile.TemporaryFile(mode="w+") as child_errors:
        launched = time.time()
        child = subprocess.Popen(
            command, cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE,
            stderr=child_errors, text=True,
        )  # fmt: skip
        try:
            output, _ = child.communicate(timeout=FIRST_CARD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise BenchmarkError("the app showed no card in time") from None
        child_errors.seek(0)
        errors = child_errors.read()
    for line in output.splitlines():
        if line.startswith(FIRST_CARD_MARKER):
            return parse_first_card(line, launched)
    raise BenchmarkError(f"the app exited ({child.returncode}) without a card:\n{errors}")


def parse_first_card(line: str, launched: float) -> FirstCardRun:
    """The run reported by the child's marker line, timed from ``launched``."""
    stamps = json.loads(line.removeprefix(FIRST_CARD_MARKER))
    if "error" in stamps:
        raise BenchmarkError(f"the app failed to start: {stamps['error']}")
    if stamps["card_id"] < 0:
        raise BenchmarkError("the app painted the reviewer with no card to study")
    phases = {
        "interpreter start": stamps["start"] - launched,
        "imports": stamps["imported"] - stamps["start"],
        "QApplication, theme": stamps["open_app_start"] - stamps["imported"],
        "open_app": stamps["open_app_end"] - stamps["open_app_start"],
        "main window + session": stamps["build_window_end"] - stamps["build_window_start"],
        "show + first paint": stamps["painted"] - stamps["build_window_end"],
    }
    return FirstCardRun(stamps["painted"] - launched, int(stamps["max_rss_kb"]), phases)


def measure_first_card(db_path: Path, runs: int) -> list[FirstCardRun]:
    """Launch the app ``runs`` times, logging each launch's phases."""
    results = []
    for attempt in range(1, runs + 1):
        run = launch_first_card(db_path)
        phases = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in run.phases.items())
        log(f"launch {attempt}: {run.seconds:.3f} s ({phases} ms)")
        results.append(run)
    return results


# -- answering -----------------------------------------------------------------------------


def answer_cards(app: App, clock: ManualClock, rng: Random, answers: int) -> tuple[list[int], int]:
    """Answer ``answers`` cards, a few seconds apart; a new study day when the queue is empty."""
    durations: list[int] = []
    session = app.study(None)
    session.prepare_exercises()  # as the reviewer does, off the UI thread, after the first card
    days = 1
    while len(durations) < answers:
        if session.current is None:
            if days > answers:
                raise BenchmarkError("the collection ran out of cards to study")
            clock.advance(timedelta(days=1))
            session = app.study(None)
            days += 1
            continue
        rating = draw_rating(rng)
        thinking_ms = rng.randint(2_000, 12_000)
        started = time.perf_counter_ns()
        session.answer(rating, thinking_ms)
        durations.append(time.perf_counter_ns() - started)
        clock.advance(timedelta(milliseconds=thinking_ms))
    return durations, days


def run_answer_loop(db_path: Path, answers: int) -> AnswerLoopResult:
    """In a fresh process: answer cards through StudySession, as the reviewer does."""
    clock = ManualClock(datetime.now(UTC), SystemClock().local_zone())
    app = open_app(db_path, clock=clock, rng=Random(SEED))
    try:
        durations, days = answer_cards(app, clock, Random(SEED), answers)
    finally:
        app.close()
    return AnswerLoopResult(durations, peak_rss_kb(), days)


def percentile(sorted_values: list[int], fraction: float) -> int:
    """The nearest-rank percentile of already sorted values."""
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


# -- main ----------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=100_000, help="generated cards to add")
    parser.add_argument("--answers", type=int, default=2_000, help="answers to time")
    parser.add_argument("--keep-db", type=Path, metavar="PATH", help="build the database here")
    options = parser.parse_args(argv)
    if options.keep_db is not None and options.keep_db.exists():
        parser.error(f"{options.keep_db} exists; remove it or choose another path")
    return options


def report_first_card(runs: list[FirstCardRun]) -> None:
    """The start-up and start-up memory lines."""
    emit("first_card", statistics.median(run.seconds for run in runs), "s")
    emit("first_card_min", min(run.seconds for run in runs), "s")
    emit("peak_memory", statistics.median(run.max_rss_kb for run in runs) / 1024, "MB", 1)


def report_answer_loop(result: AnswerLoopResult) -> None:
    """The answer latency and answer-loop memory lines."""
    durations = sorted(result.durations_ns)
    log(f"answered {len(durations)} cards over {result.days} study day(s)")
    emit("answer_next_p50", percentile(durations, 0.50) / 1e6, "ms")
    emit("answer_next_p99", percentile(durations, 0.99) / 1e6, "ms")
    emit("peak_memory_answer_loop", result.max_rss_kb / 1024, "MB", 1)


def run_benchmark(db_path: Path, cards: int, answers: int) -> None:
    """Build the collection at ``db_path``, then measure the start and the answer loop."""
    log(f"building a collection with {cards} generated cards at {db_path}")
    started = time.perf_counter()
    build_collection(db_path, cards)
    emit("build_db", time.perf_counter() - started, "s", 1)
    describe_collection(db_path)
    report_first_card(measure_first_card(db_path, FIRST_CARD_RUNS))
    log(f"answering {answers} cards in a fresh process")
    # A fresh process, so that its peak RSS is the answer loop's and not the build's.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        report_answer_loop(pool.apply(run_answer_loop, (db_path, answers)))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 1 when it could not measure."""
    options = parse_arguments(argv)
    try:
        if options.keep_db is not None:
            run_benchmark(options.keep_db, options.cards, options.answers)
        else:
            with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as directory:
                run_benchmark(Path(directory) / "bench.db", options.cards, options.answers)
    except BenchmarkError as error:
        log(f"failed: {error}")
        return 1
    except QuizAppError as error:
        log(f"failed: {error.user_message}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
