"""Errors that carry a sentence fit to show the user, split from bugs.

Anything raised that is not a :class:`QuizAppError` is a bug: it is logged with
its traceback and reported once.  A ``QuizAppError`` is expected and its
``user_message`` is what the learner or teacher sees, on stderr or in a dialog.
"""

from __future__ import annotations


class QuizAppError(Exception):
    """An expected failure with a message for the user."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class UserError(QuizAppError):
    """Bad input from the user: a bank file, an argument, an unknown deck."""


class EnvironmentProblem(QuizAppError):
    """The world is not as we need it: disk, permissions, a locked or corrupt database."""
