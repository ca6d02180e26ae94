"""Bank actions: validate, import and export files."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.banks import formats
from quizapp.banks.errors import BankError
from quizapp.banks.formats import ParseOptions, read_bank
from quizapp.domain import BankFormat, BatchNote, ImportBatch
from quizapp.errors import EnvironmentProblem, UserError
from quizapp.services.bank_identity import BankChoice, BankQuestion
from quizapp.services.clock import Clock
from quizapp.services.decks import subtree_ids
from quizapp.services.importing import ImportOptions, ImportReport, Progress, insert_batch
from quizapp.services.validation import exercise_issues
from quizapp.storage import Database
from quizapp.storage.media import MediaStore

if TYPE_CHECKING:  # the export code loads when an export runs
    from quizapp.banks.csv_export import LeftOutNote

# What the command line and the window need of the bank formats, through this service.
__all__ = [
    "BankChoice",
    "BankError",
    "BankFormat",
    "BankQuestion",
    "BankService",
    "BatchSummary",
    "ExportReport",
    "ImportOptions",
    "ParseOptions",
    "read_and_check",
    "summarize",
    "with_deck",
]


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote, and every note the format could not hold, with why."""

    path: Path
    notes: int
    left_out: tuple[LeftOutNote, ...] = ()

    @property
    def skipped(self) -> int:
        """How many notes were left out."""
        return len(self.left_out)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a bank is read or written.

    An import makes hundreds of thousands of small objects and no cycles; the
    collector would walk them again and again for nothing (a fifth of the time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_and_check(
    path: Path, bank_format: BankFormat | None = None, options: ParseOptions | None = None
) -> ImportBatch:
    """Parse a bank and run every check, writing nothing; raises :class:`BankError`."""
    with collector_paused():
        batch = read_bank(path, bank_format, options)
    issues = exercise_issues(batch)
    if issues:
        raise BankError(issues)
    return batch


class BankService:
    """Reading, importing and exporting banks for one collection."""

    def __init__(self, database: Database, clock: Clock, media: MediaStore) -> None:
        self._database = database
        self._clock = clock
        self._media = media

    def import_batch(
        self,
        batch: ImportBatch,
        *,
        delete_missing: bool = False,
        progress: Progress | None = None,
        options: ImportOptions | None = None,
    ) -> ImportReport:
        """Write a parsed bank in one transaction: all of it, or nothing.

        Its media files are staged while the transaction runs and moved into the
        collection's media folder only once it has committed.
        """
        if options is None:
            options = ImportOptions(delete_missing=delete_missing)
        with collector_paused(), self._media.staged() as staging:
            with self._database.transaction() as store:
                staging.attach(store.connection)
                report = insert_batch(store, batch, self._clock.now(), staging, options, progress)
                staging.record()
            with self._database.transaction() as store:
                staging.publish(store.connection)
        return report

    def import_file(
        self,
        path: Path,
        bank_format: BankFormat | None = None,
        parse_options: ParseOptions | None = None,
        *,
        delete_missing: bool = False,
        options: ImportOptions | None = None,
    ) -> ImportReport:
        """Read ``path`` and import it."""
        with collector_paused():
            batch = read_and_check(path, bank_format, parse_options)
            report = self.import_batch(batch, delete_missing=delete_missing, options=options)
            # Freed while the collector still sleeps, so that it wakes to no backlog.
            del batch
        return report

    def export(
        self,
        path: Path,
        bank_format: BankFormat,
        deck_name: str | None,
        progress: Progress | None = None,
    ) -> ExportReport:
        """Write the notes of ``deck_name`` (with subdecks), or of every deck, to ``path``.

        The report lists each note the format cannot hold, with the reason.
        """
        report_progress = progress or (lambda _stage, _fraction: None)
        report_progress("reading notes", 0.0)
        with self._database.transaction() as store:
            decks = store.decks.all()
            names = {deck.id: deck.name for deck in decks}
            if deck_name is None:
                deck_ids = tuple(names)
            else:
                deck = store.decks.by_name(deck_name)
                if deck is None:
                    raise UserError(f"There is no deck called '{deck_name}'.")
                deck_ids = subtree_ids(deck, decks)
            notes = [
                BatchNote(note, names[deck_id]) for note, deck_id in store.notes.in_decks(deck_ids)
            ]
        report_progress("writing the file", 0.4)
        left_out: tuple[LeftOutNote, ...] = ()
        if bank_format is BankFormat.YAML:
            # Loaded here: importing other formats has no need of the YAML code.
            from quizapp.banks.native_export import write_native_bank

            text = write_native_bank(notes, deck_name or "QuizApp export")
        elif bank_format is BankFormat.CSV:
            from quizapp.banks.csv_export import write_csv_bank

            text, left_out = write_csv_bank(notes)
        else:
            raise UserError(f"QuizApp exports yaml or csv, not {bank_format.value}.")
        report_progress("saving", 0.9)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise EnvironmentProblem(f"Cannot write {path}: {error.strerror}.") from error
        report_progress("done", 1.0)
        return ExportReport(path, len(notes) - len(left_out), left_out)


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What an import would bring: notes and cards per deck and kind."""

    rows: tuple[tuple[str, str, int, int], ...]  # deck, kind, notes, cards
    notes: int
    cards: int


def summarize(batch: ImportBatch) -> BatchSummary:
    """Count a parsed bank's notes and cards by deck and kind, for the import preview."""
    counts: dict[tuple[str, str], list[int]] = {}
    for item in batch.notes:
        row = counts.setdefault((item.deck, item.note.kind.value.replace("_", " ")), [0, 0])
        row[0] += 1
        row[1] += len(item.note.faces)
    rows = tuple(
        (deck, kind, notes, cards) for (deck, kind), (notes, cards) in sorted(counts.items())
    )
    return BatchSummary(rows, sum(r[2] for r in rows), sum(r[3] for r in rows))


def with_deck(batch: ImportBatch, deck: str) -> ImportBatch:
    """``batch`` with every note going to ``deck`` (as ``ParseOptions.deck`` does)."""
    return formats.with_deck(batch, deck)
