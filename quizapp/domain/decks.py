"""Decks and the scheduling settings they share through a preset."""

from __future__ import annotations

from dataclasses import dataclass

DECK_SEPARATOR = "::"


@dataclass(frozen=True, slots=True)
class SchedulingPreset:
    """Scheduling settings shared by decks.  Steps are in seconds."""

    name: str = "Default"
    desired_retention: float = 0.90
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval_days: int = 36500
    new_per_day: int = 20
    reviews_per_day: int = 200
    fuzz: bool = True
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Deck:
    """A named deck; ``::`` separates levels as in Anki and Moodle categories."""

    id: int
    name: str
    preset_id: int

    @property
    def depth(self) -> int:
        """How many levels the deck sits below the top."""
        return self.name.count(DECK_SEPARATOR)

    @property
    def leaf_name(self) -> str:
        """The last level of the name, as shown in an indented list."""
        return self.name.rsplit(DECK_SEPARATOR, 1)[-1]


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """What a deck (with its subdecks) has to study now, after daily limits."""

    deck: Deck
    cards: int
    new: int
    learning: int
    due: int

    @property
    def total_now(self) -> int:
        """Every card that would be shown in a session started now."""
        return self.new + self.learning + self.due
