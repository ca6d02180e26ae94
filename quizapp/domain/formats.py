"""The bank formats QuizApp reads and writes."""

from __future__ import annotations

from enum import StrEnum


class BankFormat(StrEnum):
    """The formats QuizApp reads, named as on the command line."""

    YAML = "yaml"
    CSV = "csv"
    XLSX = "xlsx"
    GIFT = "gift"
    MOODLE_XML = "moodle-xml"
    APKG = "apkg"
