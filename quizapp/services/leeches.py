"""Leeches: cards forgotten again and again are tagged and set aside, as Anki does.

A lapse is an Again on a card in review.  At the threshold's lapse (8 by default)
and every half threshold after (12, 16, …) the card is tagged ``leech`` and
suspended, in the answer's own transaction, so that the learner rewrites it
instead of failing it for ever.  Lapses are counted from the review log, since
its counts were last reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.domain import Card, CardState, Rating
from quizapp.domain.tags import has_tag, with_tags

if TYPE_CHECKING:  # the full repositories load SQLAlchemy: only a new leech needs them
    from quizapp.storage import HotStore, Store
    from quizapp.storage.snapshots import RecordedChange

LEECH_THRESHOLD = 8
LEECH_TAG = "leech"
LEECH_NOTICE = (
    "That card has been forgotten {lapses} times: it is tagged leech and suspended. "
    "Edit or rewrite it, then unsuspend it in the browser."
)


def is_leech(lapses: int, threshold: int = LEECH_THRESHOLD) -> bool:
    """Whether a card that just lapsed for the ``lapses``-th time becomes a leech now."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(threshold // 2, 1) == 0


def will_be_leech(
    store: HotStore, card: Card, rating: Rating, threshold: int = LEECH_THRESHOLD
) -> bool:
    """Whether answering ``card`` (as it is now) ``rating`` makes it a leech."""
    if rating is not Rating.AGAIN or card.memory.state is not CardState.REVIEW or threshold <= 0:
        return False
    return is_leech(store.reviews.lapses(card.id) + 1, threshold)


@dataclass(frozen=True, slots=True)
class Leech:
    """A card that just became a leech: its lapses, and the change that set it aside."""

    lapses: int
    change: RecordedChange

    @property
    def notice(self) -> str:
        """The sentence the learner reads with the next card."""
        return LEECH_NOTICE.format(lapses=self.lapses)


def set_aside_if_leech(
    store: Store, card: Card, rating: Rating, now: datetime, threshold: int = LEECH_THRESHOLD
) -> Leech | None:
    """After ``card`` (as it was before the answer) was answered ``rating`` and its
    review logged: tag and suspend it if this lapse makes it a leech."""
    if rating is not Rating.AGAIN or card.memory.state is not CardState.REVIEW or threshold <= 0:
        return None
    _, lapses = store.reviews.counts(card.id)
    if not is_leech(lapses, threshold):
        return None
    watch = store.snapshots.watch()
    watch.watch("cards", [card.id])
    watch.watch("notes", [card.note_id])
    tags = store.notes.tags_of([card.note_id]).get(card.note_id, ())
    if not has_tag(tags, LEECH_TAG):
        store.notes.set_tags({card.note_id: with_tags(tags, [LEECH_TAG])}, now)
    store.cards.set_suspended([card.id], True, store.stamp(now))
    return Leech(lapses, watch.finish())
