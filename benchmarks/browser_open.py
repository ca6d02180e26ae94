"""Benchmark opening the browser window on a large collection, offscreen.

``browser_open``: from constructing the window to its first rows painted (the search
index brought up to date off the UI thread, the count and first page of the search
read, the table painted); ``browser_all_ids``: until the ids of every row are known
(read from another thread while the first rows are on screen); ``browser_scroll``:
a jump to the middle of the table and its rows painted.

Run by hand from the repository root, on a collection built by ``bench_collection.py``
(``browser_bench.py --keep-db PATH`` keeps one)::

    python benchmarks/browser_open.py --db PATH [--runs 5]

Prints ``name: value unit`` lines on stdout (medians of ``--runs`` openings); the
first opening of a collection never searched also indexes it (``browser_first_open``).
Goal: ``browser_open`` ≤ 0.3 s on 100,000 cards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from PySide6.QtCore import QEvent, QObject, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from quizapp.bootstrap import open_app  # noqa: E402
from quizapp.gui.app import application  # noqa: E402
from quizapp.gui.browser import BrowserWindow  # noqa: E402
from quizapp.gui.theme import current_colors  # noqa: E402


class PaintWatch(QObject):
    """Notes the time of the first paint of the table's viewport after ``armed``."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's)
        if self.armed and event.type() == QEvent.Type.Paint and self.painted_at is None:
            self.painted_at = time.perf_counter()
        return False


def wait(condition: object, timeout_s: float = 120.0) -> None:
    """Run the event loop until ``condition()`` holds."""
    assert callable(condition)
    deadline = time.perf_counter() + timeout_s
    while not condition():
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the browser did not get there in time")
        time.sleep(0.001)


def open_once(app: object, qt_app: QApplication, settings: QSettings) -> tuple[float, float, float]:
    """One opening: (first rows painted, every id known, a jump painted) in seconds."""
    watch = PaintWatch()
    started = time.perf_counter()
    browser = BrowserWindow(app, current_colors(qt_app), settings)  # type: ignore[arg-type]
    browser.table.viewport().installEventFilter(watch)
    browser.rows_shown.connect(lambda: setattr(watch, "armed", True))
    browser.open_with("")
    wait(lambda: watch.painted_at is not None)
    assert watch.painted_at is not None
    first_rows = watch.painted_at - started
    wait(lambda: browser.model.complete)
    all_ids = time.perf_counter() - started
    watch.painted_at = None
    jumped = time.perf_counter()
    browser.table.scrollToBottom()
    browser.table.verticalScrollBar().setValue(browser.table.verticalScrollBar().maximum() // 2)
    wait(lambda: watch.painted_at is not None)
    scroll = (watch.painted_at or jumped) - jumped
    rows = browser.model.rowCount()
    browser.close()
    browser.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    print(f"opened on {rows:,} rows", file=sys.stderr)
    return first_rows, all_ids, scroll


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the collection to open")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args(argv)
    qt_app = application("light")
    settings = QSettings(
        str(Path(arguments.db).with_suffix(".bench.ini")), QSettings.Format.IniFormat
    )
    app = open_app(arguments.db)
    try:
        first = open_once(app, qt_app, settings)
        print(f"browser_first_open: {first[0]:.3f} s")
        runs = [open_once(app, qt_app, settings) for _ in range(arguments.runs)]
    finally:
        app.close()
    print(f"browser_open: {statistics.median(r[0] for r in runs):.3f} s")
    print(f"browser_all_ids: {statistics.median(r[1] for r in runs):.3f} s")
    print(f"browser_scroll: {statistics.median(r[2] for r in runs) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
