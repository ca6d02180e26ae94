"""Services: one function or method per user action; each owns its transaction."""

from quizapp.services.clock import Clock, ManualClock, SystemClock
from quizapp.services.decks import DeckService
from quizapp.services.queue import QueueCounts
from quizapp.services.study import SessionSummary, StudyCard, StudySession

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
