"""The import's question in words, for the window's import dialog.

When a file could be a bank imported before (:class:`BankQuestion`), the
learner is asked which it is; the command line asks with ``--same-bank`` and
``--new-bank``, the window with buttons, in these words.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.domain.wording import count
from quizapp.services.bank_identity import BankQuestion

UPDATE_THAT_BANK = "Update that bank"
KEEP_BOTH = "Keep both"
WHAT_EACH_DOES = (
    f"{UPDATE_THAT_BANK}: its notes take this file's text and keep their progress. "
    f"{KEEP_BOTH}: this file is imported as a bank of its own, beside it."
)


def bank_question_text(question: BankQuestion) -> str:
    """``quiz.yaml could be a new version of quiz.yaml imported from /a/quiz.yaml
    (12 notes), or another bank with the same name.``"""
    name = Path(question.path).name
    banks = list({bank.id: bank for bank in question.candidates}.values())
    versions = " or of ".join(
        f"{bank.name} imported from {bank.path or 'a place not recorded'} "
        f"({count(bank.notes, 'note')})"
        for bank in banks
    )
    alike = (
        "another bank with the same name"
        if any(bank.name == name for bank in banks)
        else "another bank whose questions have the same titles or ids"
    )
    return f"{name} could be a new version of {versions}, or {alike}."
