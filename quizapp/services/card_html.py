"""Card content as the HTML subset a rich-text label shows: the window's view of a card.

Plain-text notes are escaped; HTML notes were sanitized when imported, and here
only get their images pointed at the collection's media folder and their
``[sound:…]`` references turned into a placeholder, each in one pass over the
text (:mod:`quizapp.banks.html`), so that no card's markup costs more than its
length.  What a card asks and answers is decided once per note kind, as in
:mod:`quizapp.services.card_text`, whose plain text the terminal prints.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, assert_never

from quizapp.banks.html import html_to_text, image_sources, plain_to_html, rename_sources
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    ExerciseContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NumericContent,
    TextFormat,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.cloze import ClozeDeletion, ClozePiece, parse_cloze
from quizapp.services.card_text import HIDDEN, TRUE_FALSE_LABELS, TRUE_OR_FALSE, numeric_answer

if TYPE_CHECKING:  # only for the annotations: this module loads no storage code
    from quizapp.services.study import StudyCard

__all__ = ["CardRenderer", "plain_to_html", "sounds_as_placeholders", "typing_prompt"]

DEFAULT_HIGHLIGHT = "#2563d0"
_SOUND_OPEN = "[sound:"


class CardRenderer:
    """Renders notes' texts for one collection (whose media folder images come from).

    ``highlight`` colours the revealed cloze deletion (the theme's accent).
    """

    def __init__(self, media_folder: Path | None = None, highlight: str = DEFAULT_HIGHLIGHT):
        self._media_folder = None if media_folder is None else media_folder.absolute()
        self._highlight = highlight

    # -- one text ------------------------------------------------------------------

    def text(self, note: Note, text: str) -> str:
        """One of ``note``'s texts as display HTML."""
        if note.text_format is TextFormat.PLAIN:
            return plain_to_html(text)
        text = sounds_as_placeholders(text)
        if self._media_folder is None:
            return text
        folder = self._media_folder
        names = image_sources(text)
        if not names:
            return text
        # One file address per name, however often a card shows the image.
        return rename_sources(text, {name: (folder / name).as_uri() for name in set(names)})

    # -- a note's faces (the import preview has no study card) ----------------------

    def question(self, note: Note, face: int) -> str:
        """What a card of ``note`` asks (an exercise's question is its drawn instance's)."""
        content = note.content
        match content:
            case BasicContent():
                return self.text(note, content.back if face == 1 else content.front)
            case TrueFalseContent():
                return f"{TRUE_OR_FALSE}<br><br>{self.text(note, content.statement)}"
            case ClozeContent():
                return self._cloze(note, content.text, face, reveal=False)
            case ExerciseContent():
                return ""
            case (
                MultipleChoiceContent()
                | MultipleResponseContent()
                | TypedContent()
                | NumericContent()
                | MatchingContent()
            ):
                return self.text(note, content.question)
            case _:
                assert_never(content)

    def answer(self, note: Note, face: int) -> str:
        """The right answer, as shown once the card is revealed."""
        content = note.content
        match content:
            case BasicContent():
                return self.text(note, content.front if face == 1 else content.back)
            case TrueFalseContent():
                return TRUE_FALSE_LABELS[0 if content.answer else 1]
            case MultipleChoiceContent():
                return self.text(note, content.choices[content.correct])
            case MultipleResponseContent():
                right = zip(content.choices, content.weights, strict=True)
                return "<br>".join(self.text(note, choice) for choice, w in right if w > 0)
            case TypedContent():
                return self._typed_answer(note, content)
            case NumericContent():
                return plain_to_html(numeric_answer(content))
            case MatchingContent():
                return "<br>".join(
                    f"{self.text(note, prompt)} → {self.text(note, answer)}"
                    for prompt, answer in content.pairs
                )
            case ClozeContent():
                extra = f"<br><br>{self.text(note, content.extra)}" if content.extra else ""
                return self._cloze(note, content.text, face, reveal=True) + extra
            case ExerciseContent():
                return ""
            case _:
                assert_never(content)

    # -- the card on screen --------------------------------------------------------

    def card_question(self, study_card: StudyCard) -> str:
        """What the card on screen asks; an exercise's question with the values drawn."""
        exercise = study_card.exercise
        if exercise is not None:
            return self.text(study_card.note, exercise.question)
        return self.question(study_card.note, study_card.card.face)

    def card_answer(self, study_card: StudyCard) -> str:
        """The card's right answer; an exercise's with its unit."""
        exercise = study_card.exercise
        if exercise is not None:
            return plain_to_html(exercise.expected)
        return self.answer(study_card.note, study_card.card.face)

    def card_explanation(self, study_card: StudyCard) -> str:
        """The note's explanation, or an exercise's worked solution with the numbers shown."""
        exercise = study_card.exercise
        explanation = study_card.note.explanation if exercise is None else exercise.explanation
        return self.text(study_card.note, explanation) if explanation else ""

    def match_prompts(self, study_card: StudyCard) -> tuple[str, ...]:
        """The rows of a matching card, in the order shown."""
        note = study_card.note
        return tuple(self.text(note, prompt) for prompt in study_card.presentation.match_prompts)

    # -- pieces ----------------------------------------------------------------------

    def _typed_answer(self, note: Note, content: TypedContent) -> str:
        """The first fully right answer, then the others that are also fully right."""
        weights = content.weights or (1.0,) * len(content.answers)
        right = [a for a, w in zip(content.answers, weights, strict=True) if w >= 1]
        first, *others = right or [content.answers[0]]
        if not others:
            return self.text(note, first)
        accepted = ", ".join(self.text(note, answer) for answer in others)
        return (
            f"{self.text(note, first)}<br>"
            f'<span style="font-size:14px; font-weight:normal">also accepted: {accepted}</span>'
        )

    def _cloze(self, note: Note, text: str, face: int, *, reveal: bool) -> str:
        """The cloze text with deletion ``face`` hidden (or highlighted when revealed).

        As in Anki, a hidden deletion hides the deletions nested in it, and the others
        show their text with the nested ones hidden or highlighted in turn.
        """

        def shown(pieces: tuple[ClozePiece, ...]) -> str:
            return "".join(map(piece_html, pieces))

        def piece_html(piece: ClozePiece) -> str:
            if not isinstance(piece, ClozeDeletion):
                return self.text(note, piece)
            if piece.number != face:
                return shown(piece.content)
            if reveal:
                return f'<b><span style="color:{self._highlight}">{shown(piece.content)}</span></b>'
            return f"<b>[{self.text(note, piece.hint) if piece.hint else HIDDEN}]</b>"

        return shown(parse_cloze(text))


def sounds_as_placeholders(text: str) -> str:
    """``text`` (sanitized HTML) with each ``[sound:name]`` shown as ``(sound: name)``.

    Read in one pass: each reference is looked at up to the first ``]`` after it,
    and past the last ``]`` nothing is looked for.
    """
    pieces: list[str] = []
    position = 0
    start = text.find(_SOUND_OPEN)
    while start >= 0:
        end = text.find("]", start + len(_SOUND_OPEN))
        if end < 0:
            break  # no reference closes from here on
        name = text[start + len(_SOUND_OPEN) : end]
        if name:
            label = html.escape(html_to_text(name))
            pieces += (text[position:start], f"<i>(sound: {label})</i>")
            position = end + 1
            start = text.find(_SOUND_OPEN, position)
        else:  # "[sound:]" names nothing; the next one starts after it
            start = text.find(_SOUND_OPEN, end)
    return "".join(pieces) + text[position:] if pieces else text


def typing_prompt(study_card: StudyCard) -> str:
    """What the answer box says before the learner types: a number, or any answer."""
    numeric = study_card.exercise is not None or isinstance(
        study_card.note.content, NumericContent | ExerciseContent
    )
    return "Type a number, then press Enter" if numeric else "Type your answer, then press Enter"
