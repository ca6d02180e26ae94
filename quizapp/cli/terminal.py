"""``quizapp study --terminal``: the window's study session, in a terminal.

The session (:class:`~quizapp.services.study.StudySession`) shows, checks, grades
and undoes; :mod:`quizapp.services.card_text` words the cards and verdicts.  This
module only prints them and reads one line at a time, so that piped input works
as typing does.  It never imports Qt.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from typing import TextIO

from quizapp.cli.terminal_input import (
    CardShape,
    Command,
    command,
    letter,
    read_answer,
    read_grade,
)
from quizapp.domain import Rating
from quizapp.domain.answers import AnswerMode, Correctness, Mark, Marked, Verdict
from quizapp.domain.numbers import format_number
from quizapp.errors import UserError
from quizapp.services import StudyCard, StudySession
from quizapp.services import card_text as text
from quizapp.services.summary import finished_title, summary_text

RULE_WIDTH = 60
_SYMBOLS = "✓◐✗…·–→←─"  # what the output needs its encoding to hold
_RIGHT, _WRONG, _PARTLY, _BOLD, _DIM = "32", "31", "33", "1", "2"
_VERDICT_COLOURS = {
    Correctness.RIGHT: _RIGHT,
    Correctness.PARTLY: _PARTLY,
    Correctness.WRONG: _WRONG,
}


def run_study(arguments: argparse.Namespace) -> int:
    """``quizapp study --terminal [--deck NAME]``: study until nothing is left, ``q`` or EOF."""
    from quizapp.bootstrap import open_app

    console = Console.standard()
    app = open_app(arguments.db)
    try:
        deck = app.decks.find(arguments.deck) if arguments.deck else None
        TerminalStudy(app.study(deck), console).run()
    finally:
        app.close()
    return 0


class Console:
    """Lines out, lines in: a prompt, then the learner's line (None at the end of input)."""

    def __init__(
        self,
        source: TextIO,
        out: TextIO,
        *,
        colour: bool = False,
        echo: bool = False,
        editing: bool = False,
    ) -> None:
        self._source = source
        self._out = out
        self.colour = colour
        self._echo = echo  # piped input is written out, so the output reads as a session
        self._editing = editing  # a person at a terminal: read through input() and readline

    @classmethod
    def standard(cls) -> Console:
        """The console of this process: UTF-8 out, colour on a terminal unless NO_COLOR."""
        if isinstance(sys.stdout, io.TextIOWrapper) and not _holds_symbols(sys.stdout.encoding):
            sys.stdout.reconfigure(encoding="utf-8")
        if isinstance(sys.stdin, io.TextIOWrapper):
            sys.stdin.reconfigure(errors="replace")  # a stray byte is not worth a traceback
        typing = sys.stdin.isatty()
        tty = sys.stdout.isatty()
        colour = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        if typing and tty:
            import readline  # noqa: F401  (input() then edits the line: arrows, history)
        return cls(sys.stdin, sys.stdout, colour=colour, echo=not typing, editing=typing and tty)

    def write(self, line: str = "") -> None:
        """Print one line (or several, apart by ``\\n``)."""
        self._out.write(line + "\n")

    def ask(self, prompt: str) -> str | None:
        """Show ``prompt`` and read one line, without its line end; None at the end of input."""
        try:
            line = self._read(prompt)
        except KeyboardInterrupt:  # Ctrl+C stops the session as q does
            line = ""
        if not line:
            self._out.write("\n")
            return None
        line = line.rstrip("\r\n")
        if self._echo:
            self._out.write(line + "\n")
        return line

    def _read(self, prompt: str) -> str:
        if self._editing:
            try:
                return input(prompt) + "\n"
            except EOFError:
                return ""
        self._out.write(prompt)
        self._out.flush()
        return self._source.readline()

    def paint(self, words: str, code: str) -> str:
        """``words`` in an ANSI style (``"31"`` red…) when colour is on."""
        return f"\x1b[{code}m{words}\x1b[0m" if self.colour and words else words


class TerminalStudy:
    """Runs a :class:`StudySession` card by card on a :class:`Console`."""

    def __init__(
        self, session: StudySession, console: Console, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self._session = session
        self._console = console
        self._timer = timer

    def run(self) -> None:
        """Study until nothing is left or the learner quits, then print the summary."""
        while (study_card := self._session.current) is not None:
            if not self._study(study_card):
                break
        self._show_summary()

    def _study(self, study_card: StudyCard) -> bool:
        """Show, check and grade one card; False when the learner quits."""
        self._show_card(study_card)
        started = self._timer()
        outcome = self._check(study_card)
        if isinstance(outcome, Command):
            return outcome is Command.UNDO
        self._show_result(study_card, outcome)
        return self._grade(study_card, outcome, started)

    # -- reading -------------------------------------------------------------------

    def _check(self, study_card: StudyCard) -> Command | Verdict | None:
        """Read lines until one answers the card: its verdict, or None for a revealed card."""
        shape = CardShape(
            study_card.mode,
            choices=len(study_card.presentation.choices),
            rows=len(study_card.presentation.match_prompts),
            answers=study_card.presentation.match_answers,
        )
        while True:
            line = self._console.ask(self._prompt(study_card))
            given = Command.QUIT if line is None else command(line)
            if given is Command.QUIT or (given is Command.UNDO and self._undo()):
                return given
            if given is not None or line is None:
                continue  # nothing to undo: the card stays
            try:
                response = read_answer(shape, line)
                return None if response is None else self._session.check(response)
            except UserError as error:
                self._console.write(error.user_message)

    def _grade(self, study_card: StudyCard, verdict: Verdict | None, started: float) -> bool:
        """Read the grade and record it; False when the learner quits."""
        default = verdict.proposed if verdict is not None else Rating.GOOD
        self._console.write(
            " · ".join(
                f"{rating.value} {rating.label} {study_card.interval_label(rating)}"
                for rating in Rating
            )
        )
        proposed = " (proposed)" if verdict is not None else ""
        prompt = f"Grade 1–4, Enter for {default.label}{proposed}{self._commands()} > "
        while True:
            line = self._console.ask(prompt)
            given = Command.QUIT if line is None else command(line)
            if given is Command.QUIT:
                return False
            if given is Command.UNDO:
                if self._undo():
                    return True
                continue
            assert line is not None
            try:
                rating = read_grade(line, default)
            except UserError as error:
                self._console.write(error.user_message)
                continue
            elapsed_ms = round((self._timer() - started) * 1000)
            self._session.answer(rating, elapsed_ms)
            return True

    def _undo(self) -> bool:
        if not self._session.can_undo:
            self._console.write("There is nothing to undo yet.")
            return False
        try:
            self._session.undo()
        except UserError as error:
            self._console.write(error.user_message)
            return False
        self._console.write("The last answer was taken back.")
        return True

    def _prompt(self, study_card: StudyCard) -> str:
        choices = format_number(len(study_card.presentation.choices))
        lead = {
            AnswerMode.REVEAL: "Enter shows the answer",
            AnswerMode.TYPE: "Your answer",
            AnswerMode.PICK: f"Pick 1–{choices}",
            AnswerMode.TICK: f"Tick the right ones (1–{choices}, e.g. 1 3)",
            AnswerMode.MATCH: "One letter per row (e.g. b a c)",
        }[study_card.mode]
        return f"{lead}{self._commands()} > "

    def _commands(self) -> str:
        return " · u undo · q quit" if self._session.can_undo else " · q quit"

    # -- showing ---------------------------------------------------------------------

    def _show_card(self, study_card: StudyCard) -> None:
        console = self._console
        console.write()
        if study_card.notice:
            console.write(console.paint(study_card.notice, _PARTLY))
        console.write(console.paint("─" * RULE_WIDTH, _DIM))
        counts = study_card.counts
        console.write(
            f"{study_card.deck_name} · {format_number(counts.new)} new · "
            f"{format_number(counts.learning)} learning · {format_number(counts.due)} due"
        )
        console.write()
        console.write(console.paint(text.question_text(study_card), _BOLD))
        choices = text.choice_texts(study_card)
        if choices:
            console.write()
            for number, choice in enumerate(choices, start=1):
                console.write(_item(f"  {number}. ", choice))
        if study_card.mode is AnswerMode.MATCH:
            console.write()
            for number, prompt in enumerate(text.match_prompt_texts(study_card), start=1):
                console.write(_item(f"  {number}. ", prompt))
            console.write()
            console.write("  Answers:")
            for index, answer in enumerate(study_card.presentation.match_answers):
                console.write(_item(f"    {letter(index)}. ", answer))
        console.write()

    def _show_result(self, study_card: StudyCard, verdict: Verdict | None) -> None:
        console = self._console
        if verdict is not None:
            title = text.verdict_title(verdict)
            console.write(console.paint(title, _VERDICT_COLOURS[verdict.correctness]))
            self._show_verdict_details(study_card, verdict)
            for line in (text.mistake_sentence(verdict), verdict.feedback):
                if line:
                    console.write(_item("  ", line))
        if study_card.mode in (AnswerMode.REVEAL, AnswerMode.TYPE) or study_card.exercise:
            console.write(_item("Answer: ", text.answer_text(study_card)))
        explanation = text.explanation_text(study_card)
        if explanation:
            label = "Worked solution: " if study_card.exercise else "Explanation: "
            console.write(_item(label, explanation))
        console.write()

    def _show_verdict_details(self, study_card: StudyCard, verdict: Verdict) -> None:
        mode = study_card.mode
        if mode in (AnswerMode.PICK, AnswerMode.TICK):
            self._show_marked_choices(study_card, verdict)
        elif mode is AnswerMode.MATCH:
            self._show_rows(study_card, verdict)
        elif verdict.typed and not verdict.correct:
            self._show_typo(verdict)
        elif not verdict.correct:
            self._console.write(_item("  You answered: ", text.given_text(verdict)))

    def _show_typo(self, verdict: Verdict) -> None:
        """What was typed over what was expected, a caret under each letter that differs."""
        paint = self._console.paint
        for label, parts, mark, code in (
            ("  You typed: ", verdict.typed, Mark.WRONG, _WRONG),
            ("  Expected:  ", verdict.expected_marked, Mark.MISSING, _RIGHT),
        ):
            line = "".join(paint(p.text, code) if p.mark is mark else p.text for p in parts)
            self._console.write(label + line)
            carets = _carets(parts, mark)
            if carets:
                self._console.write(" " * len(label) + paint(carets, code))

    def _show_marked_choices(self, study_card: StudyCard, verdict: Verdict) -> None:
        """The choices again: ✓ before the right ones, ✗ before a wrong pick, ← at each pick."""
        picked = "← your pick" if study_card.mode is AnswerMode.PICK else "← ticked"
        choices = text.choice_texts(study_card)
        width = max(_text_width(choice) for choice in choices)
        for index, choice in enumerate(choices):
            right, chosen = index in verdict.right_choices, index in verdict.chosen
            mark = "✓" if right else "✗" if chosen else " "
            line = _item(f"  {mark} {index + 1}. ", choice)
            if chosen:
                line += " " * (width - _text_width(choice)) + f"   {picked}"
            code = _RIGHT if right else _WRONG if chosen else ""
            self._console.write(self._console.paint(line, code) if code else line)

    def _show_rows(self, study_card: StudyCard, verdict: Verdict) -> None:
        prompts = text.match_prompt_texts(study_card)
        for number, (prompt, row) in enumerate(zip(prompts, verdict.rows, strict=True), start=1):
            picked = row.picked if row.picked is not None else "—"
            line = f"  {'✓' if row.right else '✗'} {number}. {prompt} → {picked}"
            if not row.right:
                line += f"   (right: {row.expected})"
            self._console.write(self._console.paint(line, _RIGHT if row.right else _WRONG))

    def _show_summary(self) -> None:
        console = self._console
        session = self._session
        left = session.current
        console.write()
        console.write(console.paint("─" * RULE_WIDTH, _DIM))
        if left is None:
            console.write(
                console.paint(finished_title(session.deck.name if session.deck else ""), _BOLD)
            )
        console.write(
            summary_text(session.summary(), 0 if left is None else max(1, left.counts.total))
        )


def _item(lead: str, words: str) -> str:
    """``words`` after ``lead``, later lines indented under the first."""
    return lead + words.replace("\n", "\n" + " " * len(lead))


def _carets(parts: Sequence[Marked], mark: Mark) -> str:
    """A line with ``^`` under each character marked ``mark``, as wide as it shows."""
    line = []
    for part in parts:
        for character in part.text:
            line.append(("^" if part.mark is mark else " ") * _width(character))
    return "".join(line).rstrip()


def _text_width(words: str) -> int:
    """How many columns the last line of ``words`` takes."""
    return sum(map(_width, words.rsplit("\n", 1)[-1]))


def _width(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def _holds_symbols(encoding: str | None) -> bool:
    try:
        _SYMBOLS.encode(encoding or "ascii")
    except (LookupError, UnicodeEncodeError):
        return False
    return True
