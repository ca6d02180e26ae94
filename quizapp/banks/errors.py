"""The error every bank parser raises: all the problems found, each with file and line."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain import ImportIssue
from quizapp.errors import UserError


class BankError(UserError):
    """A bank that cannot be imported; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))
