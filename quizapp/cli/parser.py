"""``quizapp``'s arguments."""

from __future__ import annotations

import argparse
from pathlib import Path

from quizapp import __version__
from quizapp.bootstrap import DB_ENV_VAR


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
    study = commands.add_parser("study", help="open the app straight into the reviewer")
    study.add_argument("--deck", metavar="NAME", help="the deck to study (default: all decks)")
    stats = commands.add_parser("stats", help="print the number of cards, answers and decks")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    return parser
