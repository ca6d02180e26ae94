"""Buried cards come back when a new study day begins, as in Anki."""

from __future__ import annotations

from datetime import datetime

from quizapp.storage import HotStore
from quizapp.storage.times import from_millis, to_millis

UNBURIED_KEY = "unburied_on"


def unbury_for_new_day(store: HotStore, day_start: datetime) -> int:
    """Unbury every card once per study day (the day that began at ``day_start``).

    Siblings buried after an answer, and cards the learner buried, wait until the
    next day; the first time anything looks at the queue on a new day, they are
    back.  Returns how many came back.
    """
    stored = store.meta.get(UNBURIED_KEY)
    if stored is not None and from_millis(int(stored)) >= day_start:
        return 0
    count = store.cards.unbury_all()
    store.meta.set(UNBURIED_KEY, str(to_millis(day_start)))
    return count
