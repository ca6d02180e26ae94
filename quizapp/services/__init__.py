"""Services: one function or method per user action; each owns its transaction.

The names below load their module on first use (PEP 562), so that importing one
service (``quizapp.services.stats``) does not import every other one with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.services.clock import Clock, ManualClock, SystemClock
    from quizapp.services.decks import DeckService
    from quizapp.services.queue import QueueCounts
    from quizapp.services.study import SessionSummary, StudyCard, StudySession

_MODULES = {
    "Clock": "quizapp.services.clock",
    "DeckService": "quizapp.services.decks",
    "ManualClock": "quizapp.services.clock",
    "QueueCounts": "quizapp.services.queue",
    "SessionSummary": "quizapp.services.study",
    "StudyCard": "quizapp.services.study",
    "StudySession": "quizapp.services.study",
    "SystemClock": "quizapp.services.clock",
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Clock",
    "DeckService",
    "ManualClock",
    "QueueCounts",
    "SessionSummary",
    "StudyCard",
    "StudySession",
    "SystemClock",
]
