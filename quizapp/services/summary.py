"""The words of a session's summary, for the window's summary page and the terminal.

Pure functions of a :class:`~quizapp.services.study.SessionSummary`: what was
answered, how each grade was given, and when the next card comes due.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from quizapp.domain.cards import Rating
from quizapp.domain.numbers import format_number
from quizapp.domain.wording import count, plural

if TYPE_CHECKING:  # only for the annotation: this module loads no storage code
    from quizapp.services.study import SessionSummary


def finished_title(deck_name: str) -> str:
    """``Kinds: finished for now``, or ``Finished for now`` over every deck."""
    return f"{deck_name}: finished for now" if deck_name else "Finished for now"


def summary_text(summary: SessionSummary, left: int = 0) -> str:
    """The sentences of the summary, one a line.

    ``left`` is how many cards are still to study now, when the learner stops
    before the end (the terminal's ``q``); the window shows the summary only
    once nothing is left.
    """
    lines = []
    if summary.answered:
        minutes = max(1, round(summary.studied_seconds / 60))
        per_grade = " · ".join(
            f"{rating.label} {format_number(summary.ratings.get(rating, 0))}" for rating in Rating
        )
        lines.append(
            f"You answered {count(summary.answered, 'card')} in about "
            f"{format_number(minutes)} min ({per_grade})."
        )
    elif not left:
        lines.append("Nothing is due in this deck right now.")
    if left:
        lines.append(f"{count(left, 'card')} {plural('is', left)} still to study now.")
    elif summary.next_due is not None:
        lines.append(f"The next card is due {when(summary.next_due, summary.as_of)}.")
    elif not summary.new_left_beyond_limit:
        lines.append("No cards are scheduled yet.")
    if summary.new_left_beyond_limit and not left:
        lines.append("Today's limit of new cards is reached; more new cards come tomorrow.")
    return "\n".join(lines)


def when(moment: datetime, now: datetime) -> str:
    """``in 9 minutes``, ``in 3 hours (at 14:05)``, ``tomorrow at 08:12``, ``on 3 December``."""
    delta = moment - now
    local = moment.astimezone()
    if delta <= timedelta(0):
        return "now"
    if delta < timedelta(hours=1):
        return f"in {count(max(1, round(delta.total_seconds() / 60)), 'minute')}"
    local_now = now.astimezone()
    if local.date() == local_now.date():
        return f"in {count(round(delta.total_seconds() / 3600), 'hour')} (at {local:%H:%M})"
    if local.date() == local_now.date() + timedelta(days=1):
        return f"tomorrow at {local:%H:%M}"
    if delta < timedelta(days=300):
        return f"on {local.day} {local:%B}"
    return f"on {local.day} {local:%B %Y}"
