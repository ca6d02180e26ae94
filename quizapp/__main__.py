"""``quizapp`` and ``python -m quizapp``: the command line, or the app's window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from quizapp.cli import build_parser
from quizapp.errors import EnvironmentProblem, QuizAppError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; with no command, or ``study``, open the window."""
    arguments = build_parser().parse_args(argv)
    if arguments.command in (None, "study"):
        # Imported here so that the command-line commands never load Qt.
        from quizapp.gui.app import run_gui

        return run_gui(arguments)
    try:
        from quizapp.cli.commands import run_stats

        return run_stats(arguments)
    except QuizAppError as error:
        print(f"quizapp: {error.user_message}", file=sys.stderr)
        return 1 if isinstance(error, EnvironmentProblem) else 2


def main_gui() -> int:
    """Entry point of the desktop launcher: the window, whatever the arguments."""
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
