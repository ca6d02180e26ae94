"""Benchmark the study loop on a large collection (100,000 generated cards by default).

Measures, on a collection with a realistic mix of new, learning and review cards:

* ``first_card``: wall time from launching ``quizapp --db DB study`` (Qt offscreen) to the
  first card painted in the real window; median of 5 launches, ``first_card_min`` the fastest;
* ``bare_window``: the same for a process that only creates a QApplication and a QMainWindow
  with one QLabel and shows it, timed the same way (offscreen, to the label's first paint),
  launched in turn with the app; ``first_card_vs_bare_window`` is the ratio of the medians,
  what QuizApp adds to the least a Qt window costs;
* ``answer_next_p50`` / ``answer_next_p99``: one ``StudySession.answer`` call, which commits
  the answer and fetches and prepares the next card, as the reviewer does; between two
  answers the loop does what the reviewer does while the learner thinks (untimed there):
  reveals the answer with the interval of each grade (``reveal_p99``: that reveal, when
  the four outcomes are worked out) and, after a pause of 3 s or more, checkpoints the WAL;
  ``answer_next_cpu_p50`` / ``_p99``: the same answers' CPU time on their thread, which
  a busy machine (other processes, a noisy neighbour) does not inflate as it does wall time;
* ``peak_memory``: peak RSS of the app process showing its first card (median of the launches);
  ``peak_memory_answer_loop``: peak RSS of a fresh process running the answer loop.

The launched processes cache their bytecode as an installed app does (whatever
``PYTHONDONTWRITEBYTECODE`` says), and one launch of each kind runs first, uncounted.

Run by hand from the repository root (it takes a couple of minutes)::

    python benchmarks/study_bench.py [--cards 100000] [--answers 2000] [--keep-db PATH | --db PATH]

Prints ``name: value unit`` lines on stdout (MB are MiB); progress goes to stderr.
Targets: first card < 0.5 s, at most 2.5 times the bare window, p99 < 1 ms, peak memory < 150 MB.
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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench_collection import SEED, build_collection, describe_collection, draw_rating  # noqa: E402

from quizapp.bootstrap import App, open_app  # noqa: E402
from quizapp.domain import Rating  # noqa: E402
from quizapp.errors import QuizAppError  # noqa: E402
from quizapp.services import ManualClock, SystemClock  # noqa: E402

FIRST_CARD_RUNS = 5
# The reviewer checkpoints the WAL once the learner has paused this long
# (quizapp.gui.review_view.IDLE_CHECKPOINT_MS; not imported, to keep Qt out).
REVIEWER_IDLE_CHECKPOINT_MS = 3000
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

# Run in the child as `python -c`: the least a Qt window costs, timed as the app is: a
# QApplication and a QMainWindow (the app's size) with one QLabel, shown offscreen; once
# the label gets its first paint event, the report runs on the next turn and quits.
BARE_WINDOW_CHILD = """
import time
stamps = {"start": time.time()}
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
stamps["imported"] = time.time()

def peak_rss_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

def report_painted():
    stamps["painted"] = time.time()
    print("@MARKER@", json.dumps({**stamps, "card_id": 0, "max_rss_kb": peak_rss_kb()}), flush=True)
    QApplication.quit()

class FirstPaint(QObject):
    seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, report_painted)
        return False

application = QApplication(sys.argv[:1])
window = QMainWindow()
label = QLabel("What does the learning rate control?")
window.setCentralWidget(label)
window.resize(1040, 720)
first_paint = FirstPaint()
label.installEventFilter(first_paint)
window.show()
sys.exit(application.exec())
""".replace("@MARKER@", FIRST_CARD_MARKER)


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
    """The answer loop: each answer's and reveal's duration, the process's peak RSS, study
    days used."""

    durations_ns: list[int]
    cpu_ns: list[int]
    reveals_ns: list[int]
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


# -- first card ----------------------------------------------------------------------------


def child_environment() -> dict[str, str]:
    """Offscreen Qt, and bytecode cached as an installed app's is."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["QT_QPA_PLATFORM"] = "offscreen"
    return environment


def launch(code: str, arguments: list[str], what: str) -> tuple[dict[str, Any], float]:
    """Run ``python -c CODE ARGUMENTS`` until it prints its marker line.

    Returns the stamps of that line and the time the process was launched.
    """
    command = [sys.executable, "-c", code, *arguments]
    with tempfile.TemporaryFile(mode="w+") as child_errors:
        launched = time.time()
        child = subprocess.Popen(
            command, cwd=REPO_ROOT, env=child_environment(), stdout=subprocess.PIPE,
            stderr=child_errors, text=True,
        )  # fmt: skip
        try:
            output, _ = child.communicate(timeout=FIRST_CARD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise BenchmarkError(f"{what} showed nothing in time") from None
        child_errors.seek(0)
        errors = child_errors.read()
    for line in output.splitlines():
        if line.startswith(FIRST_CARD_MARKER):
            return json.loads(line.removeprefix(FIRST_CARD_MARKER)), launched
    raise BenchmarkError(f"{what} exited ({child.returncode}) without painting:\n{errors}")


def launch_first_card(db_path: Path) -> FirstCardRun:
    """Start ``quizapp --db DB study`` offscreen; time it until the first card is painted."""
    stamps, launched = launch(FIRST_CARD_CHILD, ["--db", str(db_path), "study"], "the app")
    return parse_first_card(stamps, launched)


def launch_bare_window() -> FirstCardRun:
    """Start the bare Qt window offscreen; time it until its label is painted."""
    stamps, launched = launch(BARE_WINDOW_CHILD, [], "the bare window")
    phases = {
        "interpreter start": stamps["start"] - launched,
        "imports": stamps["imported"] - stamps["start"],
        "window + first paint": stamps["painted"] - stamps["imported"],
    }
    return FirstCardRun(stamps["painted"] - launched, int(stamps["max_rss_kb"]), phases)


def parse_first_card(stamps: dict[str, Any], launched: float) -> FirstCardRun:
    """The run reported by the child's marker line, timed from ``launched``."""
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


def _describe(run: FirstCardRun) -> str:
    phases = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in run.phases.items())
    return f"{run.seconds:.3f} s ({phases} ms)"


def measure_start_up(db_path: Path, runs: int) -> tuple[list[FirstCardRun], list[FirstCardRun]]:
    """Launch the app and the bare window in turn, ``runs`` times each, after one of each
    uncounted (it writes the bytecode caches and warms the files); log every launch."""
    launch_first_card(db_path)
    launch_bare_window()
    app_runs, bare_runs = [], []
    for attempt in range(1, runs + 1):
        app_runs.append(launch_first_card(db_path))
        log(f"launch {attempt}: {_describe(app_runs[-1])}")
        bare_runs.append(launch_bare_window())
        log(f"bare window {attempt}: {_describe(bare_runs[-1])}")
    return app_runs, bare_runs


# -- answering -----------------------------------------------------------------------------


def answer_cards(
    app: App, clock: ManualClock, rng: Random, answers: int
) -> tuple[list[int], list[int], list[int], int]:
    """Answer ``answers`` cards, a few seconds apart; a new study day when the queue is empty.

    Returns the time each answer took (with the next card), the CPU time it took on
    its thread, the time each reveal took, and the days.
    """
    durations: list[int] = []
    cpu: list[int] = []
    reveals: list[int] = []
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
        # As the reviewer does while the learner thinks: the answer revealed, with the
        # interval each grade button shows, and the WAL checkpointed after a pause.
        started = time.perf_counter_ns()
        for each in Rating:
            session.current.interval_label(each)
        reveals.append(time.perf_counter_ns() - started)
        if thinking_ms >= REVIEWER_IDLE_CHECKPOINT_MS:
            session.checkpoint()
        started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
        session.answer(rating, thinking_ms)
        durations.append(time.perf_counter_ns() - started)
        cpu.append(time.thread_time_ns() - started_cpu)
        clock.advance(timedelta(milliseconds=thinking_ms))
    return durations, cpu, reveals, days


def run_answer_loop(db_path: Path, answers: int) -> AnswerLoopResult:
    """In a fresh process: answer cards through StudySession, as the reviewer does."""
    clock = ManualClock(datetime.now(UTC), SystemClock().local_zone())
    app = open_app(db_path, clock=clock, rng=Random(SEED))
    try:
        durations, cpu, reveals, days = answer_cards(app, clock, Random(SEED), answers)
    finally:
        app.close()
    return AnswerLoopResult(durations, cpu, reveals, peak_rss_kb(), days)


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
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep-db", type=Path, metavar="PATH", help="build the database here")
    where.add_argument(
        "--db", type=Path, metavar="PATH", help="measure this collection (built by --keep-db)"
    )
    options = parser.parse_args(argv)
    if options.keep_db is not None and options.keep_db.exists():
        parser.error(f"{options.keep_db} exists; remove it or choose another path")
    if options.db is not None and not options.db.is_file():
        parser.error(f"{options.db} is not a file")
    return options


def report_first_card(runs: list[FirstCardRun], bare_runs: list[FirstCardRun]) -> None:
    """The start-up and start-up memory lines, and the app's start against a bare window's."""
    first_card = statistics.median(run.seconds for run in runs)
    bare_window = statistics.median(run.seconds for run in bare_runs)
    emit("first_card", first_card, "s")
    emit("first_card_min", min(run.seconds for run in runs), "s")
    emit("bare_window", bare_window, "s")
    print(f"first_card_vs_bare_window: {first_card / bare_window:.2f}", flush=True)
    emit("peak_memory", statistics.median(run.max_rss_kb for run in runs) / 1024, "MB", 1)


def report_answer_loop(result: AnswerLoopResult) -> None:
    """The answer latency and answer-loop memory lines."""
    durations = sorted(result.durations_ns)
    log(f"answered {len(durations)} cards over {result.days} study day(s)")
    emit("answer_next_p50", percentile(durations, 0.50) / 1e6, "ms")
    emit("answer_next_p99", percentile(durations, 0.99) / 1e6, "ms")
    cpu = sorted(result.cpu_ns)
    emit("answer_next_cpu_p50", percentile(cpu, 0.50) / 1e6, "ms")
    emit("answer_next_cpu_p99", percentile(cpu, 0.99) / 1e6, "ms")
    reveals = sorted(result.reveals_ns)
    emit("reveal_p99", percentile(reveals, 0.99) / 1e6, "ms")
    emit("peak_memory_answer_loop", result.max_rss_kb / 1024, "MB", 1)


def run_benchmark(db_path: Path, cards: int, answers: int, build: bool = True) -> None:
    """Build the collection at ``db_path`` (unless told not to), then measure the start and
    the answer loop."""
    if build:
        log(f"building a collection with {cards} generated cards at {db_path}")
        started = time.perf_counter()
        build_collection(db_path, cards, log)
        emit("build_db", time.perf_counter() - started, "s", 1)
    describe_collection(db_path, log)
    report_first_card(*measure_start_up(db_path, FIRST_CARD_RUNS))
    log(f"answering {answers} cards in a fresh process")
    # A fresh process, so that its peak RSS is the answer loop's and not the build's.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        report_answer_loop(pool.apply(run_answer_loop, (db_path, answers)))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 1 when it could not measure."""
    options = parse_arguments(argv)
    try:
        if options.db is not None:
            run_benchmark(options.db, options.cards, options.answers, build=False)
        elif options.keep_db is not None:
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
