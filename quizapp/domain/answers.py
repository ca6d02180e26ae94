"""What a learner answers with, and the verdict on it: pure values the reviewer renders.

The reviewer (or the terminal) hands a :data:`Response` to the study session and
gets one :class:`Verdict` back; nothing that decides what an answer is worth
lives in a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from quizapp.domain.cards import Rating


class AnswerMode(Enum):
    """How a card is answered."""

    REVEAL = "reveal"  # think of the answer, show it, grade yourself
    TYPE = "type"  # type a text or a number
    PICK = "pick"  # pick one choice
    TICK = "tick"  # tick every right choice
    MATCH = "match"  # pick an answer for each row


@dataclass(frozen=True, slots=True)
class TypedResponse:
    """Text typed into the answer box."""

    text: str


@dataclass(frozen=True, slots=True)
class PickedResponse:
    """The choice picked, numbered from 0 in the order shown."""

    index: int


@dataclass(frozen=True, slots=True)
class TickedResponse:
    """The choices ticked, numbered from 0 in the order shown."""

    indices: frozenset[int]


@dataclass(frozen=True, slots=True)
class MatchedResponse:
    """For each row in the order shown, the answer picked (its text), or None."""

    picks: tuple[str | None, ...]


Response = TypedResponse | PickedResponse | TickedResponse | MatchedResponse


class Correctness(Enum):
    """Right, partly right (some credit) or wrong."""

    RIGHT = "right"
    PARTLY = "partly"
    WRONG = "wrong"


class Mark(Enum):
    """How a run of characters compares with the other answer."""

    SAME = "same"
    WRONG = "wrong"  # typed, but not what was expected there
    MISSING = "missing"  # expected, but not typed


@dataclass(frozen=True, slots=True)
class Marked:
    """A run of text and how it compares."""

    text: str
    mark: Mark


@dataclass(frozen=True, slots=True)
class RowVerdict:
    """One row of a matching card: its prompt, what was picked and what is right."""

    prompt: str
    picked: str | None
    expected: str
    right: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    """What an answer is worth and what to show about it.

    ``typed`` is the learner's text with the characters that differ marked
    :attr:`Mark.WRONG`; ``expected_marked`` is the expected answer with the
    characters the learner left out marked :attr:`Mark.MISSING`; both are empty
    when the two texts are too different for a letter-by-letter comparison to help.
    ``right_choices`` and ``chosen`` are numbered in the order shown.
    """

    correctness: Correctness
    proposed: Rating
    given: str
    expected: str
    typed: tuple[Marked, ...] = ()
    expected_marked: tuple[Marked, ...] = ()
    mistake: str = ""  # a known mistake that gives this wrong answer ("forgot the biases")
    note: str = ""  # "too high", "too low", "not a number"
    feedback: str = ""  # what the author wrote for this answer
    credit: float | None = None  # 0..1 where the author gave weights, or for picks
    right_choices: frozenset[int] = frozenset()
    chosen: frozenset[int] = frozenset()
    rows: tuple[RowVerdict, ...] = field(default=())

    @property
    def correct(self) -> bool:
        """Whether the answer is fully right."""
        return self.correctness is Correctness.RIGHT
