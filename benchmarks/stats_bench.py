"""Statistics on 100,000 cards and 1,000,000 answers: the window and ``stats --json``.

Prints ``stats_window: … s`` (from opening the window to every chart drawn, on the
default period of a month; goal ≤ 0.5 s) and ``stats_json: … s`` (the command,
as a new process).  The collection is built once by bench_collection.py
(``reviews=1_000_000``, a few minutes) and kept in ``--dir``.

    .venv/bin/python benchmarks/stats_bench.py [--dir /tmp/quizapp-bench] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
sys.path.insert(0, str(REPO_ROOT))

CARDS = 100_000
REVIEWS = 1_000_000


def emit(name: str, value: float, unit: str) -> None:
    """One result line."""
    print(f"{name}: {value:.3f} {unit}", flush=True)


def window_seconds(db_path: Path, runs: int) -> float:
    """Median time from a new StatsWindow to its ``drawn`` signal and a painted frame."""
    from PySide6.QtWidgets import QApplication

    from quizapp.bootstrap import open_app
    from quizapp.gui.stats_window import StatsWindow
    from quizapp.gui.theme import apply_theme

    qt_app = QApplication.instance() or QApplication([])
    apply_theme(qt_app, "light")  # type: ignore[arg-type]
    app = open_app(db_path)
    times = []
    try:
        for _ in range(runs):
            started = time.perf_counter()
            window = StatsWindow(app)
            window.show()
            done: list[float] = []
            window.drawn.connect(lambda done=done: done.append(time.perf_counter()))
            while not done:
                qt_app.processEvents()
            window.content.grab()  # every chart painted once
            times.append(time.perf_counter() - started)
            window.close()
            window.deleteLater()
            qt_app.processEvents()
    finally:
        app.close()
    return statistics.median(times)


def json_seconds(db_path: Path, runs: int) -> float:
    """Median wall time of ``python -m quizapp --db DB stats --json``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "quizapp", "--db", str(db_path), "stats", "--json"],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/quizapp-bench"))
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    options.dir.mkdir(parents=True, exist_ok=True)
    db_path = options.dir / f"stats-{CARDS}-{REVIEWS}.db"
    if not db_path.exists():
        from bench_collection import build_collection

        build_collection(db_path, CARDS, lambda line: print(f"# {line}"), reviews=REVIEWS)
    emit("stats_window", window_seconds(db_path, options.runs), "s")
    emit("stats_json", json_seconds(db_path, options.runs), "s")


if __name__ == "__main__":
    main()
