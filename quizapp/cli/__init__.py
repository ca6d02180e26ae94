"""The command line: calls services only, never imports Qt."""

from quizapp.cli.parser import build_parser

__all__ = ["build_parser"]
