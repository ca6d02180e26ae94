"""Benchmark importing a large Anki text file and Anki package, against Anki's own importer.

Generates, in a temporary folder, an Anki text file (tab-separated, with ``#separator``,
``#html:false``, ``#notetype column``, ``#deck column`` and ``#tags column`` headers) and an
``.apkg`` in the current format written by Anki's own library, each of 100,000 Basic notes
with unique fronts in two decks (a quarter of the package's backs hold a little HTML).
Then measures, each import in a fresh process on a fresh, empty collection:

* ``quizapp_csv_100k`` / ``quizapp_apkg_100k``: ``App.banks.import_file`` (read, parse,
  checks, one transaction) on a new database opened with no bundled banks; median of 3;
* ``quizapp_*_peak_memory``: peak RSS (VmHWM) of that process;
* ``anki_csv_100k`` / ``anki_apkg_100k``: Anki's current importers on the same files
  (``Collection.get_csv_metadata`` + ``import_csv``; ``import_anki_package``) in a new
  collection; median of 3.

Every run checks afterwards, in the database file, that it holds exactly one note and one
card per row; anything else stops the benchmark.

Run by hand from the repository root (a few minutes; the ``anki`` package is a test-only
dependency)::

    python benchmarks/import_bench.py [--rows 100000] [--runs 3]

Prints ``name: value unit`` lines on stdout (MB are MiB); progress goes to stderr.
Targets: QuizApp at least as fast as Anki on each file, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.decks import DeckId

# QuizApp and anki are imported inside the functions that use them, so that each measuring
# process loads only what its importer needs and its peak memory is that importer's.

SEED = 20240612
DECKS = ("Bench::Machine learning", "Bench::Statistics")
CSV_HEADERS = (
    "#separator:tab",
    "#html:false",
    "#notetype column:1",
    "#deck column:2",
    "#tags column:5",
)
HTML_SHARE = 4  # every fourth package note has some markup in its back
ADD_CHUNK = 10_000
_WORDS = (
    "learning", "rate", "weight", "decay", "dropout", "batch", "momentum", "embedding",
    "attention", "layer", "norm", "residual", "gradient", "optimizer", "warmup", "token",
    "vocabulary", "bias", "kernel", "stride", "channel", "activation", "softmax", "logit",
    "loss", "epoch", "tensor", "matrix", "variance", "prior", "posterior", "likelihood",
    "sample", "estimator", "median", "quantile", "regression", "bootstrap", "outlier",
)  # fmt: skip


class BenchmarkError(Exception):
    """The benchmark could not measure what it set out to."""


@dataclass(frozen=True)
class GeneratedNote:
    """One generated Basic note: plain front and back, the back's HTML form, deck, tags."""

    front: str
    back: str
    back_html: str
    deck: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ImportRun:
    """One import in a fresh process: seconds, peak RSS, and what the database holds after."""

    seconds: float
    max_rss_kb: int
    notes: int
    cards: int


def log(message: str) -> None:
    """Progress, on stderr."""
    print(f"[import_bench] {message}", file=sys.stderr, flush=True)


def emit(name: str, value: float, unit: str, digits: int = 3) -> None:
    """One result line on stdout."""
    print(f"{name}: {value:.{digits}f} {unit}", flush=True)


def peak_rss_kb() -> int:
    """This process's peak resident set size, in KiB (VmHWM: see study_bench)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def size_label(rows: int) -> str:
    """``100k`` for 100,000 rows, ``2500`` for 2,500: the suffix of the result names."""
    return f"{rows // 1000}k" if rows % 1000 == 0 else str(rows)


# -- generating the files --------------------------------------------------------------------


def generated_notes(rows: int, rng: Random) -> Iterator[GeneratedNote]:
    """``rows`` short question-and-answer notes with unique fronts, over :data:`DECKS`."""
    for index in range(rows):
        subject = " ".join(rng.choices(_WORDS, k=2))
        context = rng.choice(_WORDS)
        key = " ".join(rng.choices(_WORDS, k=rng.randint(1, 3)))
        rest = " ".join(rng.choices(_WORDS, k=rng.randint(2, 8)))
        marked = index % HTML_SHARE == 0
        yield GeneratedNote(
            front=f"{index + 1}. What does the {subject} control in the {context}?",
            back=f"It sets the {key} of the {rest}.",
            back_html=f"It sets the <b>{key}</b> of the<br>{rest}." if marked else "",
            deck=DECKS[index % len(DECKS)],
            tags=("bench", rng.choice(_WORDS)),
        )


def write_csv(path: Path, notes: Sequence[GeneratedNote]) -> None:
    """An Anki text file: headers, then note type, deck, front, back, tags per row."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("\n".join(CSV_HEADERS) + "\n")
        for note in notes:
            stream.write(f"Basic\t{note.deck}\t{note.front}\t{note.back}\t{' '.join(note.tags)}\n")


def add_notes(collection: Collection, notes: Sequence[GeneratedNote]) -> None:
    """Add ``notes`` to an Anki collection as Basic notes, in bulk."""
    from anki.collection import AddNoteRequest

    basic = collection.models.by_name("Basic")
    if basic is None:
        raise BenchmarkError("a new Anki collection has no Basic note type")
    deck_ids: dict[str, DeckId] = {}
    for name in DECKS:
        deck_id = collection.decks.id(name)
        if deck_id is None:
            raise BenchmarkError(f"Anki made no deck {name}")
        deck_ids[name] = deck_id
    for start in range(0, len(notes), ADD_CHUNK):
        requests = []
        for item in notes[start : start + ADD_CHUNK]:
            note = collection.new_note(basic)
            note.fields[0], note.fields[1] = item.front, item.back_html or item.back
            note.tags = list(item.tags)
            requests.append(AddNoteRequest(note, deck_ids[item.deck]))
        collection.add_notes(requests)


def write_apkg(path: Path, notes: Sequence[GeneratedNote], folder: Path) -> None:
    """An ``.apkg`` in the current format, written by Anki's library from a new collection."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    collection = Collection(str(folder / "collection.anki2"))
    try:
        add_notes(collection, notes)
        options = ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        )
        exported = collection.export_anki_package(out_path=str(path), options=options, limit=None)
    finally:
        collection.close()
    if exported != len(notes):
        raise BenchmarkError(f"Anki exported {exported} notes, not {len(notes)}")


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    """Generate the text file and the package in ``folder``; their paths."""
    notes = list(generated_notes(rows, Random(SEED)))
    csv_path, apkg_path = folder / "bench.txt", folder / "bench.apkg"
    started = time.perf_counter()
    write_csv(csv_path, notes)
    log(f"wrote {csv_path.name} in {time.perf_counter() - started:.1f} s")
    source = folder / "anki-source"
    source.mkdir()
    started = time.perf_counter()
    write_apkg(apkg_path, notes, source)
    log(f"wrote {apkg_path.name} in {time.perf_counter() - started:.1f} s")
    for path in (csv_path, apkg_path):
        log(f"{path.name}: {path.stat().st_size / 2**20:.1f} MB")
    return csv_path, apkg_path


# -- importing, each in a fresh process ------------------------------------------------------


def stored_counts(database: Path) -> tuple[int, int]:
    """How many notes and cards the (closed) SQLite file ``database`` holds."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        notes = connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
        cards = connection.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    finally:
        connection.close()
    return int(notes), int(cards)


def quizapp_import(folder: Path, bank: Path) -> ImportRun:
    """In a fresh process: import ``bank`` into a new QuizApp database in ``folder``."""
    from quizapp.bootstrap import open_app
    from quizapp.errors import QuizAppError

    database = folder / "quizapp.db"
    app = open_app(database, seed_banks=[])
    try:
        started = time.perf_counter()
        report = app.banks.import_file(bank)
        seconds = time.perf_counter() - started
    except QuizAppError as error:
        raise BenchmarkError(f"QuizApp refused {bank.name}: {error.user_message}") from None
    finally:
        app.close()
    if report.warnings:
        raise BenchmarkError(f"QuizApp warned about {bank.name}: {report.warnings[0].message}")
    return ImportRun(seconds, peak_rss_kb(), *stored_counts(database))


def anki_import_csv(folder: Path, bank: Path) -> ImportRun:
    """In a fresh process: Anki's CSV import of ``bank`` into a new collection."""
    from anki.collection import Collection, ImportCsvRequest

    database = folder / "collection.anki2"
    collection = Collection(str(database))
    try:
        started = time.perf_counter()
        metadata = collection.get_csv_metadata(str(bank), None)
        collection.import_csv(ImportCsvRequest(path=str(bank), metadata=metadata))
        seconds = time.perf_counter() - started
    finally:
        collection.close()
    return ImportRun(seconds, peak_rss_kb(), *stored_counts(database))


def anki_import_apkg(folder: Path, bank: Path) -> ImportRun:
    """In a fresh process: Anki's package import of ``bank`` into a new collection."""
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    database = folder / "collection.anki2"
    collection = Collection(str(database))
    try:
        started = time.perf_counter()
        request = ImportAnkiPackageRequest(
            package_path=str(bank), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
        collection.import_anki_package(request)
        seconds = time.perf_counter() - started
    finally:
        collection.close()
    return ImportRun(seconds, peak_rss_kb(), *stored_counts(database))


Importer = Callable[[Path, Path], ImportRun]


def measure(importer: Importer, bank: Path, rows: int, runs: int) -> list[ImportRun]:
    """Run ``importer`` on ``bank`` ``runs`` times, each in a fresh process and collection."""
    results = []
    for attempt in range(1, runs + 1):
        # A new process each time, so that its peak RSS is this one import's alone.
        with (
            tempfile.TemporaryDirectory(prefix="quizapp-import-bench-") as directory,
            multiprocessing.get_context("spawn").Pool(1) as pool,
        ):
            run = pool.apply(importer, (Path(directory), bank))
        if (run.notes, run.cards) != (rows, rows):
            raise BenchmarkError(
                f"{importer.__name__} left {run.notes} notes and {run.cards} cards, "
                f"not {rows} of each"
            )
        peak = run.max_rss_kb / 1024
        log(f"{importer.__name__} {bank.name} #{attempt}: {run.seconds:.2f} s, {peak:.0f} MB peak")
        results.append(run)
    return results


def report(name: str, runs: Sequence[ImportRun]) -> None:
    """The median time and peak memory lines of ``name``, and the fastest run."""
    emit(name, statistics.median(run.seconds for run in runs), "s")
    emit(f"{name}_min", min(run.seconds for run in runs), "s")
    emit(f"{name}_peak_memory", statistics.median(run.max_rss_kb for run in runs) / 1024, "MB", 1)


# -- main ------------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="notes in each file")
    parser.add_argument("--runs", type=int, default=3, help="imports timed per importer and file")
    options = parser.parse_args(argv)
    if options.rows < 1 or options.runs < 1:
        parser.error("--rows and --runs must be at least 1")
    return options


def run_benchmark(folder: Path, rows: int, runs: int) -> None:
    """Generate the files in ``folder``, then time every importer on each."""
    log(f"generating {rows} notes as an Anki text file and an Anki package in {folder}")
    csv_path, apkg_path = write_files(folder, rows)
    label = size_label(rows)
    importers: list[tuple[str, Importer, Path]] = [
        (f"quizapp_csv_{label}", quizapp_import, csv_path),
        (f"anki_csv_{label}", anki_import_csv, csv_path),
        (f"quizapp_apkg_{label}", quizapp_import, apkg_path),
        (f"anki_apkg_{label}", anki_import_apkg, apkg_path),
    ]
    for name, importer, bank in importers:
        report(name, measure(importer, bank, rows, runs))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 1 when it could not measure."""
    options = parse_arguments(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="quizapp-import-bench-") as directory:
            run_benchmark(Path(directory), options.rows, options.runs)
    except BenchmarkError as error:
        log(f"failed: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
