"""The error every bank parser raises: all the problems found, each with file and line."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain import ImportIssue
from quizapp.errors import UserError

# A hostile file can hold millions of problems; nobody reads past the first screenful,
# and printing them all takes longer than reading the file.
MAX_LISTED_ISSUES = 100


def bounded_issues(issues: Sequence[ImportIssue], noun: str) -> tuple[ImportIssue, ...]:
    """The first :data:`MAX_LISTED_ISSUES` of ``issues``, then one line counting the rest.

    ``noun`` names them in that line ("warnings", "problems").
    """
    if len(issues) <= MAX_LISTED_ISSUES:
        return tuple(issues)
    rest = issues[MAX_LISTED_ISSUES]
    more = len(issues) - MAX_LISTED_ISSUES
    summary = ImportIssue(rest.file, rest.line, f"… and {more:,} more {noun} like these")
    return (*issues[:MAX_LISTED_ISSUES], summary)


class BankError(UserError):
    """A bank that cannot be imported; ``issues`` lists the problems found (the first
    :data:`MAX_LISTED_ISSUES`, then a line counting the others)."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        self.issues = bounded_issues(issues, "problems")
        super().__init__("\n".join(str(issue) for issue in self.issues))
