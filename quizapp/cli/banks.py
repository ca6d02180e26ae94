"""``quizapp import``, ``validate`` and ``export``."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from quizapp.bootstrap import open_app
from quizapp.domain import ImportIssue
from quizapp.domain.wording import count
from quizapp.services.banks import (
    BankChoice,
    BankError,
    BankFormat,
    BankQuestion,
    ImportOptions,
    ParseOptions,
    read_and_check,
)
from quizapp.services.importing import ImportReport
from quizapp.services.validation import sampling_issues

EXIT_INVALID = 2


def _format(arguments: argparse.Namespace) -> BankFormat | None:
    return None if arguments.format == "auto" else BankFormat(arguments.format)


def _options(arguments: argparse.Namespace) -> ParseOptions:
    return ParseOptions(deck=getattr(arguments, "deck", None), separator=arguments.separator)


def run_import(arguments: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Import every file; a bad file is reported and skipped, the others still import."""
    app = open_app(arguments.db)
    status = 0
    choice = (
        BankChoice.SAME
        if arguments.same_bank is not None
        else BankChoice.NEW
        if arguments.new_bank
        else BankChoice.AUTO
    )
    options = ImportOptions(
        delete_missing=arguments.delete_missing,
        overwrite_edits=arguments.overwrite_edits,
        bank=choice,
        same_as=arguments.same_bank or None,
    )
    try:
        for path in arguments.files:
            try:
                report = app.banks.import_file(
                    path, _format(arguments), _options(arguments), options=options
                )
            except BankError as error:
                _print_issues(error.issues, sys.stderr)
                print(f"{path}: not imported; nothing was changed.", file=sys.stderr)
                status = EXIT_INVALID
                continue
            except BankQuestion as question:
                print(question.user_message, file=sys.stderr)
                print(f"{path}: not imported; nothing was changed.", file=sys.stderr)
                status = EXIT_INVALID
                continue
            _print_report(report, out)
    finally:
        app.close()
    return status


def run_validate(arguments: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Check every file and write nothing; sample each exercise template ``--samples`` times."""
    status = 0
    for path in arguments.files:
        try:
            batch = read_and_check(path, _format(arguments), _options(arguments))
        except BankError as error:
            _print_issues(error.issues, sys.stderr)
            status = EXIT_INVALID
            continue
        found = sampling_issues(batch, arguments.samples)
        warnings = (*batch.warnings, *found)
        _print_issues(warnings, out, prefix="warning: ")
        decks = len(batch.deck_names)
        out.write(
            f"{path}: OK, {len(batch.notes)} notes in {decks} deck{'s' * (decks != 1)}"
            f"{_count(len(warnings), 'warning')}\n"
        )
        if found and arguments.strict:
            status = EXIT_INVALID
    return status


def run_export(arguments: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Write the collection (or one deck) as a bank."""
    app = open_app(arguments.db)
    try:
        report = app.banks.export(arguments.out, BankFormat(arguments.format), arguments.deck)
    finally:
        app.close()
    out.write(f"Wrote {count(report.notes, 'note')} to {report.path}.\n")
    if report.left_out:
        out.write(f"Left out {count(len(report.left_out), 'note')} the file cannot hold:\n")
        for note in report.left_out:
            out.write(f"  {note}\n")
    return 0


def _print_report(report: ImportReport, out: TextIO) -> None:
    _print_issues(report.warnings, out, prefix="warning: ")
    parts = [f"{report.added} added", f"{report.updated} updated", f"{report.unchanged} unchanged"]
    if report.warnings:
        parts.append(f"{len(report.warnings)} skipped or changed (see warnings)")
    out.write(f"{report.source}: {', '.join(parts)}; {count(report.cards_added, 'new card')}")
    if report.reviews_added:
        out.write(f", {count(report.reviews_added, 'past answer')}")
    if report.media_added:
        out.write(f", {count(report.media_added, 'media file')}")
    out.write(".\n")
    if report.kept_edits:
        out.write(
            f"{count(len(report.kept_edits), 'note')} edited in QuizApp kept your edits "
            f"(--overwrite-edits takes the bank's text): {_listed(report.kept_edits)}\n"
        )
    if report.missing:
        action = "deleted with their history" if report.missing_deleted else "suspended"
        out.write(
            f"{count(len(report.missing), 'note')} no longer in the bank "
            f"{'was' if len(report.missing) == 1 else 'were'} {action}: "
            f"{_listed(report.missing)}\n"
        )


def _listed(guids: tuple[str, ...]) -> str:
    return ", ".join(guids[:10]) + (" …" if len(guids) > 10 else "")


def _print_issues(issues: tuple[ImportIssue, ...], out: TextIO, prefix: str = "") -> None:
    for issue in issues:
        out.write(f"{prefix}{issue}\n")


def _count(number: int, noun: str) -> str:
    return f", {number} {noun}{'s' * (number != 1)}" if number else ""
