"""Card content as the HTML subset Qt's rich-text labels show.

Plain-text notes are escaped; HTML notes were sanitized when imported, and here
only get their media names turned into files of the collection's media folder.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

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
from quizapp.exercises.grading import DiffKind, DiffSegment, format_number

TRUE_FALSE_LABELS = ("True", "False")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")


def plain_to_html(text: str) -> str:
    """Escape ``text`` and keep its line breaks."""
    return html.escape(text).replace("\n", "<br>")


class CardRenderer:
    """Renders notes' texts for one collection (whose media folder images come from)."""

    def __init__(self, media_folder: Path | None = None, highlight: str = "#2f6fdf") -> None:
        self._media_folder = media_folder
        self._highlight = highlight  # the revealed cloze deletion, in the theme's accent

    def text(self, note: Note, text: str) -> str:
        """One of ``note``'s texts as display HTML."""
        if note.text_format is TextFormat.PLAIN:
            return plain_to_html(text)
        text = _SOUND.sub(lambda m: f"<i>(sound: {html.escape(m.group(1))})</i>", text)
        if self._media_folder is not None:
            folder = self._media_folder
            text = _IMG_SRC.sub(
                lambda m: m.group(1) + (folder / m.group(2)).as_uri() + m.group(3), text
            )
        return text

    def question(self, note: Note, face: int) -> str:
        """What the card asks (an exercise's question comes from its drawn instance)."""
        content = note.content
        if isinstance(content, BasicContent):
            return self.text(note, content.back if face == 1 else content.front)
        if isinstance(content, TrueFalseContent):
            return "True or false?<br><br>" + self.text(note, content.statement)
        if isinstance(content, ClozeContent):
            return self._cloze(note, content.text, face, reveal=False)
        if isinstance(content, ExerciseContent):
            return ""
        return self.text(note, content.question)

    def answer(self, note: Note, face: int) -> str:
        """The right answer, as shown once the card is revealed."""
        content = note.content
        if isinstance(content, BasicContent):
            return self.text(note, content.front if face == 1 else content.back)
        if isinstance(content, TrueFalseContent):
            return TRUE_FALSE_LABELS[0 if content.answer else 1]
        if isinstance(content, MultipleChoiceContent):
            return self.text(note, content.choices[content.correct])
        if isinstance(content, MultipleResponseContent):
            right = [c for c, w in zip(content.choices, content.weights, strict=True) if w > 0]
            return "<br>".join(self.text(note, choice) for choice in right)
        if isinstance(content, TypedContent):
            return self._typed_answer(note, content)
        if isinstance(content, NumericContent):
            return numeric_answer_html(content)
        if isinstance(content, MatchingContent):
            rows = (f"{self.text(note, a)} → {self.text(note, b)}" for a, b in content.pairs)
            return "<br>".join(rows)
        if isinstance(content, ClozeContent):
            extra = f"<br><br>{self.text(note, content.extra)}" if content.extra else ""
            return self._cloze(note, content.text, face, reveal=True) + extra
        return ""

    def choices(self, note: Note) -> tuple[str, ...]:
        """The choices of a multiple-choice, multiple-response or true/false card."""
        content = note.content
        if isinstance(content, MultipleChoiceContent | MultipleResponseContent):
            return tuple(self.text(note, choice) for choice in content.choices)
        if isinstance(content, TrueFalseContent):
            return TRUE_FALSE_LABELS
        return ()

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
            return f"<b>[{self.text(note, piece.hint) if piece.hint else '…'}]</b>"

        return shown(parse_cloze(text))


def numeric_answer_html(content: NumericContent) -> str:
    """The expected number with its unit and tolerance."""
    unit = f" {plain_to_html(content.unit)}" if content.unit else ""
    tolerance = f" (± {format_number(content.tolerance)})" if content.tolerance else ""
    return f"{format_number(content.answer)}{unit}{tolerance}"


def correct_choice(note: Note) -> int:
    """The index of the right choice of a multiple-choice or true/false card."""
    content = note.content
    if isinstance(content, MultipleChoiceContent):
        return content.correct
    assert isinstance(content, TrueFalseContent)
    return 0 if content.answer else 1


def diff_html(segments: tuple[DiffSegment, ...], extra_color: str, missing_color: str) -> str:
    """The learner's answer against the expected one: extra letters struck, missing underlined."""
    parts = []
    for segment in segments:
        text = plain_to_html(segment.text)
        if segment.kind is DiffKind.EXTRA:
            parts.append(f'<span style="color:{extra_color}"><s>{text}</s></span>')
        elif segment.kind is DiffKind.MISSING:
            parts.append(f'<span style="color:{missing_color}"><u>{text}</u></span>')
        else:
            parts.append(text)
    return "".join(parts)
