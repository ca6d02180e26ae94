"""Benchmark how fast the command line answers: whole processes, start-up included.

Measures, each the median of several runs (``--runs``, 7 by default) after one that is
not counted (it writes the bytecode caches and warms the files):

* ``cli_version``: ``python -m quizapp --version``;
* ``cli_help``: ``python -m quizapp --help``;
* ``cli_stats_100k``: ``python -m quizapp --db DB stats`` on a collection of 100,000
  generated cards with 120 days of history (``bench_collection.py``, as ``study_bench.py``
  builds it), an up-to-date schema, so that no migration is due;

and, for information, what any such process costs before QuizApp's own work:
``python_bare`` (``python -c pass``) and ``python_import_sqlalchemy`` (``python -c "import
sqlalchemy"``), the floor under every command that opens the collection.

Each process is timed from just before it is started to just after it is reaped. They
cache their bytecode as an installed app does (whatever ``PYTHONDONTWRITEBYTECODE`` says).

Run by hand from the repository root (about a minute, most of it building the collection)::

    python benchmarks/cli_bench.py [--cards 100000] [--runs 7] [--keep-db PATH | --db PATH]

Prints ``name: value unit`` lines on stdout; progress goes to stderr.
Targets: ``cli_version`` ≤ 0.15 s, ``cli_stats_100k`` ≤ 0.4 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120.0


class BenchmarkError(Exception):
    """The benchmark could not measure what it set out to."""


def log(message: str) -> None:
    """Progress, on stderr."""
    print(f"[cli_bench] {message}", file=sys.stderr, flush=True)


def emit(name: str, value: float, unit: str, digits: int = 3) -> None:
    """One result line on stdout."""
    print(f"{name}: {value:.{digits}f} {unit}", flush=True)


def child_environment() -> dict[str, str]:
    """This environment, with bytecode cached and no database chosen by the environment."""
    skipped = {"PYTHONDONTWRITEBYTECODE", "QUIZAPP_DB"}
    return {name: value for name, value in os.environ.items() if name not in skipped}


def run_once(arguments: list[str]) -> float:
    """Seconds from starting ``python ARGUMENTS`` to reaping it; it must succeed."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *arguments],
        cwd=REPO_ROOT,
        env=child_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        stderr = result.stderr.decode(errors="replace")
        raise BenchmarkError(
            f"python {' '.join(arguments)} failed ({result.returncode}):\n{stderr}"
        )
    return seconds


def median_seconds(name: str, arguments: list[str], runs: int) -> float:
    """The median of ``runs`` timed runs after one warm-up run; logs the spread."""
    run_once(arguments)
    times = sorted(run_once(arguments) for _ in range(runs))
    median = statistics.median(times)
    log(f"{name}: min {times[0]:.3f}, median {median:.3f}, max {times[-1]:.3f} s")
    return median


def build(db_path: Path, cards: int) -> None:
    """Build the benchmark collection at ``db_path``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_collection import build_collection

    log(f"building a collection with {cards} generated cards at {db_path}")
    started = time.perf_counter()
    build_collection(db_path, cards, log)
    log(f"built in {time.perf_counter() - started:.1f} s")


def measure(db_path: Path, runs: int) -> None:
    """Every line of the benchmark, on the collection at ``db_path``."""
    emit("python_bare", median_seconds("python_bare", ["-c", "pass"], runs), "s")
    sqlalchemy = ["-c", "import sqlalchemy"]
    emit("python_import_sqlalchemy", median_seconds("import sqlalchemy", sqlalchemy, runs), "s")
    emit("cli_version", median_seconds("--version", ["-m", "quizapp", "--version"], runs), "s")
    emit("cli_help", median_seconds("--help", ["-m", "quizapp", "--help"], runs), "s")
    stats = ["-m", "quizapp", "--db", str(db_path), "stats"]
    emit("cli_stats_100k", median_seconds("stats", stats, runs), "s")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=100_000, help="generated cards to add")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each command")
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
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    return options


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 1 when it could not measure."""
    options = parse_arguments(argv)
    try:
        if options.db is not None:
            measure(options.db, options.runs)
        elif options.keep_db is not None:
            build(options.keep_db, options.cards)
            measure(options.keep_db, options.runs)
        else:
            with tempfile.TemporaryDirectory(prefix="quizapp-cli-bench-") as directory:
                db_path = Path(directory) / "bench.db"
                build(db_path, options.cards)
                measure(db_path, options.runs)
    except BenchmarkError as error:
        log(f"failed: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
