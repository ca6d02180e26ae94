"""``quizapp`` and ``python -m quizapp``: the command line, or the app's window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from quizapp.cli import build_parser
from quizapp.errors import EnvironmentProblem, QuizAppError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; with no command, or ``study`` without ``--terminal``, the window."""
    arguments = build_parser().parse_args(argv)
    if arguments.command is None or (arguments.command == "study" and not arguments.terminal):
        # Imported here so that the command-line commands never load Qt.
        from quizapp.gui.app import run_gui

        return run_gui(arguments)
    try:
        return _run_command(arguments)
    except QuizAppError as error:
        print(f"quizapp: {error.user_message}", file=sys.stderr)
        return 1 if isinstance(error, EnvironmentProblem) else 2
    except BrokenPipeError:
        # The reader went away (``quizapp stats | head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run_command(arguments: argparse.Namespace) -> int:
    # Only the module of the command given is imported: ``stats`` loads no bank reader.
    if arguments.command in ("import", "validate", "export"):
        from quizapp.cli import banks

        bank_runners = {
            "import": banks.run_import,
            "validate": banks.run_validate,
            "export": banks.run_export,
        }
        return bank_runners[arguments.command](arguments)
    if arguments.command == "search":
        from quizapp.cli import search

        return search.run_search(arguments)
    if arguments.command == "preview":
        from quizapp.cli import preview

        return preview.run_preview(arguments)
    if arguments.command == "study":  # --terminal
        from quizapp.cli import terminal

        return terminal.run_study(arguments)
    from quizapp.cli import commands

    runners = {"stats": commands.run_stats, "sample": commands.run_sample}
    return runners[arguments.command](arguments)


def main_gui() -> int:
    """Entry point of the desktop launcher: the window, whatever the arguments."""
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
