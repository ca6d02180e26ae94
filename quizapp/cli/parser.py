"""``quizapp``'s arguments.

Building the parser imports nothing heavy (no storage, no domain, no Qt), so that
``--help``, ``--version`` and a mistyped argument answer at once.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from quizapp import __version__
from quizapp.bootstrap import DB_ENV_VAR


class BankFormatChoices:
    """``auto`` and the bank formats, looked up only when argparse checks or lists them.

    The formats live in the domain package, whose import costs more than the rest of
    the parser: a command that never reads ``--format`` should not pay for it.
    """

    def _values(self) -> list[str]:
        from quizapp.domain import BankFormat

        return ["auto", *(bank_format.value for bank_format in BankFormat)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __contains__(self, value: object) -> bool:
        return value in self._values()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``quizapp`` command."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description=(
            "Study machine-learning parameters with spaced repetition. "
            "With no command, opens the app on the deck list."
        ),
        epilog=f"The database is chosen by --db, else ${DB_ENV_VAR}, else the user data folder.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db", type=Path, metavar="PATH", help="the collection database file to use"
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        default="system",
        help="colour scheme of the window (default: follow the system)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    study = commands.add_parser(
        "study",
        help="open the app straight into the reviewer, or study in this terminal (--terminal)",
        description="Study the cards due now: in the window's reviewer, or with --terminal "
        "in this terminal, one line per answer (so that answers can be piped in).",
    )
    study.add_argument("--deck", metavar="NAME", help="the deck to study (default: all decks)")
    study.add_argument(
        "--terminal",
        action="store_true",
        help="study here, without a window: Enter shows an answer, a number picks, "
        "'1 3' ticks, 'b a c' matches, 1-4 grade, u undoes, q quits",
    )
    stats = commands.add_parser(
        "stats",
        help="print the number of cards, answers and decks; with --json every statistic",
        description="Counts of cards, answers and decks.  With --json, also every figure "
        "of the statistics window (today, forecast, true_retention, knowledge, intervals, "
        "mistakes, ...) for a deck, a search or the whole collection.",
    )
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.add_argument("--deck", metavar="NAME", help="figures of this deck and its subdecks")
    stats.add_argument("--search", metavar="QUERY", help="figures of the cards a search finds")
    stats.add_argument(
        "--days", type=int, default=30, metavar="N", help="period in days (0: all; default 30)"
    )
    _add_search_command(commands)
    _add_bank_commands(commands)
    return parser


# The columns results can be sorted by (quizapp.search.columns; listed here so that
# building the parser imports nothing of the search).
CARD_ORDERS = (
    "card_id, note_id, note_guid, deck, kind, face, due, question, answer, tags, flag, "
    "interval, stability, difficulty, retrievability, reviews, lapses, added, modified, source"
)


def _add_search_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    search = commands.add_parser(
        "search",
        help="find cards with Anki's search syntax: deck:, tag:, is:due, prop:ivl>=10, …",
        description='Find cards as Anki\'s browser does: words and "phrases" (* and _ as '
        "wildcards), -negation, or, parentheses, field:text, deck:, tag:, is:, flag:, "
        "card:, kind:, prop:, rated:, introduced:, added:, edited:, nid:, cid:, re:, nc:, "
        "source:. Quote the query for the shell.",
    )
    search.add_argument("query", metavar="QUERY", help='the search, e.g. "deck:Physics is:due"')
    search.add_argument("--json", action="store_true", help="print a JSON list of the rows")
    search.add_argument("--notes", action="store_true", help="one row per note, not per card")
    search.add_argument(
        "--order", metavar="COLUMN", help=f"sort by this column: {CARD_ORDERS} (default: card_id)"
    )
    search.add_argument("--descending", action="store_true", help="sort from the last")
    search.add_argument(
        "--limit", type=int, default=100, metavar="N", help="rows to print (default 100; 0: all)"
    )


def _add_bank_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    formats = BankFormatChoices()
    # A metavar of its own: argparse would otherwise list the choices while building.
    format_help = "%(choices)s; default: from the file"
    importer = commands.add_parser(
        "import",
        help="import question banks (YAML, CSV/TSV, XLSX, GIFT, Moodle XML, Anki packages)",
        description="Import banks. Notes are matched by id, so importing a revised bank "
        "updates its notes in place and keeps their schedule and history.",
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument("--deck", metavar="NAME", help="put every note in this deck")
    importer.add_argument(
        "--format", choices=formats, default="auto", metavar="FORMAT", help=format_help
    )
    importer.add_argument("--separator", metavar="TEXT", help="CSV/Quizlet field separator")
    importer.add_argument(
        "--delete-missing",
        action="store_true",
        help="delete (with their history) notes the bank no longer has; default: suspend them",
    )
    same_or_new = importer.add_mutually_exclusive_group()
    same_or_new.add_argument(
        "--same-bank",
        nargs="?",
        const="",
        default=None,
        metavar="ID",
        help="the file is a new version of the bank of that name imported before (from "
        "another folder): update its notes; ID says which bank, when several could be meant",
    )
    same_or_new.add_argument(
        "--new-bank",
        action="store_true",
        help="the file is another bank than the one of that name imported before: keep both",
    )
    importer.add_argument(
        "--overwrite-edits",
        action="store_true",
        help="notes edited in QuizApp take the bank's text; default: keep the edits",
    )
    validate = commands.add_parser(
        "validate", help="check banks and report every problem; writes nothing"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument(
        "--format", choices=formats, default="auto", metavar="FORMAT", help=format_help
    )
    validate.add_argument("--separator", metavar="TEXT")
    validate.add_argument(
        "--samples",
        type=int,
        default=200,
        metavar="N",
        help="draw each exercise template N times and report what the draws show "
        "(default 200; 0: off)",
    )
    validate.add_argument(
        "--strict", action="store_true", help="exit 2 when the sampling reports anything"
    )
    export = commands.add_parser("export", help="write a bank that imports back to the same cards")
    export.add_argument("out", type=Path, metavar="OUT")
    export.add_argument("--format", choices=["yaml", "csv"], default="yaml")
    export.add_argument("--deck", metavar="NAME", help="only this deck and its subdecks")
    preview = commands.add_parser(
        "preview",
        help="write a bank's exercise instances to an HTML page, as a reviewer reads them",
        description="quizapp preview BANK [TEMPLATE_ID] [--seed N] [--count K] OUT.html: "
        "K instances (default 3) of each template, or of one, drawn from seeds N, N+1, … "
        "(default 0).",
    )
    preview.add_argument("bank", type=Path, metavar="BANK")
    # [TEMPLATE_ID] [--seed N] [--count K] OUT.html, in any order: read by cli.preview.
    preview.add_argument("rest", nargs=argparse.REMAINDER, metavar="[TEMPLATE_ID] OUT.html")
    sample = commands.add_parser("sample", help="print instances of an exercise template as JSON")
    sample.add_argument("template", metavar="TEMPLATE_ID")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--count", type=int, default=1)
    sample.add_argument("--bank", type=Path, metavar="FILE", help="default: the bundled bank")
