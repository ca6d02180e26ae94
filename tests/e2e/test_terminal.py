"""``quizapp study --terminal``: the real command, in its own process, answered through a pipe.

Most tests answer prompt by prompt, reading each card as a learner does (choices are
shuffled at each showing, so the number to press is read off the screen); the others
pipe all their lines at once.  The collection is seeded from ``every-kind.yaml``.
"""

from __future__ import annotations

import codecs
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import open_app
from tests.conftest import DATA

EVERY_KIND = DATA / "every-kind.yaml"
# A generous bound against a hang: a prompt comes within a fraction of a second.
HANG_GUARD_SECONDS = 60.0
HEADER = re.compile(r"^(.+) · (\d+) new · (\d+) learning · (\d+) due$", re.MULTILINE)
CHOICE = re.compile(r"^  (\d+)\. (.+)$", re.MULTILINE)
ANSWER_LETTER = re.compile(r"^    ([a-z]+)\. (.+)$", re.MULTILINE)
PROMPT_END = " > "

NOTE_IDS = ("basic", "reversed", "tf", "mc", "mr", "typed", "numeric", "matching", "cloze")
NOTE_IDS += ("html-note", "dense")

pytestmark = pytest.mark.slow


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A collection holding one note of every kind, none studied yet."""
    path = tmp_path / "collection.db"
    open_app(path, rng=Random(1), seed_banks=[EVERY_KIND]).close()
    return path


def environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("QUIZAPP_DB", "NO_COLOR")}
    environment["PYTHONIOENCODING"] = "utf-8"
    return environment


def run_terminal(db_path: Path, lines: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``quizapp --db DB study --terminal ARGS`` with ``lines`` piped in, to its end."""
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(db_path), "study", "--terminal", *args],
        input=lines,
        capture_output=True,
        encoding="utf-8",
        timeout=HANG_GUARD_SECONDS,
        env=environment(),
        check=False,
    )


class Terminal:
    """A running ``study --terminal``: read a screen up to its prompt, send a line."""

    def __init__(self, db_path: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "quizapp", "--db", str(db_path), "study", "--terminal", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(),
        )
        self.output = ""
        self._read_to = 0
        self._ended = False
        self._chunks: queue.Queue[bytes] = queue.Queue()
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 65536):
            self._chunks.put(chunk)
        self._chunks.put(b"")

    def screen(self) -> str:
        """What was printed since the last line sent, up to the next prompt or the end."""
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while not self._ended and not self.output[self._read_to :].endswith(PROMPT_END):
            chunk = self._chunks.get(timeout=max(0.0, deadline - time.monotonic()))
            self._ended = chunk == b""
            self.output += self._decoder.decode(chunk, final=self._ended)
        shown, self._read_to = self.output[self._read_to :], len(self.output)
        return shown

    def send(self, line: str) -> str:
        """Type ``line`` and Enter; the screen that follows."""
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode("utf-8") + b"\n")
        self.process.stdin.flush()
        return self.screen()

    def close(self) -> tuple[int, str]:
        """End the input; the exit status and everything printed after the last screen."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        rest = ""
        while not self._ended:
            rest += self.screen()
        return self.process.wait(timeout=HANG_GUARD_SECONDS), rest

    def stop(self) -> None:
        """Make sure the process is gone and its pipes closed (after a failed test too)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=HANG_GUARD_SECONDS)
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def start(collection: Path) -> Iterator[Callable[..., Terminal]]:
    """Start ``study --terminal`` on the collection; each one is stopped after the test."""
    started: list[Terminal] = []

    def start_terminal(*args: str) -> Terminal:
        started.append(Terminal(collection, *args))
        return started[-1]

    yield start_terminal
    for terminal in started:
        terminal.stop()


def choices(screen: str) -> dict[str, int]:
    """The numbered choices or rows of a card, text → number."""
    return {text: int(number) for number, text in CHOICE.findall(screen)}


def answer_letters(screen: str) -> dict[str, str]:
    """The answers a matching card offers, text → letter."""
    return {text: letter for letter, text in ANSWER_LETTER.findall(screen)}


def card_of(screen: str) -> str:
    """Which note of every-kind.yaml the screen shows, by its question."""
    questions = {
        "What is a parameter?": "basic",
        "\nBias\n": "reversed",
        "Dropout has learnable parameters.": "tf",
        "two moment estimates": "mc",
        "Which of these are learned?": "mr",
        "scales each gradient step": "typed",
        "nn.Linear(10, 5)?": "numeric",
        "Match each name": "matching",
        "scales an input": "cloze",
        "Bold question": "html-note",
        "bias=": "dense",
    }
    found = [note for question, note in questions.items() if question in screen]
    assert len(found) == 1, screen
    return found[0]


def dense_answer(screen: str) -> int:
    match = re.search(r"nn\.Linear\((\d+), (\d+), bias=(True|False)\)", screen)
    assert match is not None, screen
    inputs, outputs = int(match[1]), int(match[2])
    return inputs * outputs + (outputs if match[3] == "True" else 0)


def answer(note: str, screen: str, right: bool) -> tuple[str, list[str]]:
    """The line to type on the card of ``note``, and lines the verdict must show."""
    shown = choices(screen)
    if note == "basic":
        return "", [
            "Answer: A value learned from data.",
            "Explanation: Weights and biases are parameters.",
        ]
    if note == "reversed":
        return "", ["Answer: A learned offset added to a unit's weighted sum."]
    if note == "tf":
        if right:
            return str(shown["False"]), ["✓ Correct", "  Right, dropout has nothing to learn."]
        return str(shown["True"]), [
            "✗ Not quite",
            f"  ✓ {shown['False']}. False",
            "  No: dropout only zeroes activations at random.",
        ]
    if note == "mc":
        adam = shown["Adam"]
        if right:
            return str(adam), ["✓ Correct", f"  ✓ {adam}. Adam   ← your pick"]
        rmsprop = shown["RMSprop"]
        return str(rmsprop), [
            "◐ Partly right (50%)",
            f"  ✗ {rmsprop}. RMSprop   ← your pick",
            f"  ✓ {adam}. Adam",
            "  RMSprop keeps one.",
        ]
    if note == "mr":
        if right:
            return f"{shown['weights']} {shown['biases']}", ["✓ Correct"]
        wrong = shown["learning rate"]
        return f"{wrong}", ["✗ Not quite", f"  ✓ {shown['weights']}. weights"]
    if note == "typed":
        if right:
            return "Learning rate", ["✓ Correct", "Answer: learning rate"]
        return "lerning rote", [
            "✗ Not quite",
            "  You typed: lerning rote",
            " " * 22 + "^",
            "  Expected:  learning rate",
            " " * 15 + "^" + " " * 7 + "^",
        ]
    if note == "numeric":
        if right:
            return "55", ["✓ Correct", "  Fifty weights and five biases."]
        return "5,000", ["✗ Not quite", "  You answered: 5,000 — too high", "Answer: 55 parameters"]
    if note == "matching":
        letters = answer_letters(screen)
        if right:
            line = " ".join(letters[a] for a in ("optimizer", "activation", "regularizer"))
            return line, ["✓ Correct", "  ✓ 1. SGD → optimizer"]
        line = " ".join([letters["loss function"]] * 3)
        return line, ["✗ Not quite", "  ✗ 2. ReLU → loss function   (right: activation)"]
    if note == "cloze":
        assert "A […] scales an input; a bias shifts the sum." in screen
        return "", [
            "Answer: A [weight] scales an input; a bias shifts the sum.",
            "        Both are learned.",
        ]
    if note == "html-note":
        assert "<b>" not in screen
        return "", ["Answer: [image] answer"]
    assert note == "dense"
    expected = dense_answer(screen)
    by_value = {int(text.replace(",", "")): number for text, number in shown.items()}
    if right:
        return str(by_value[expected]), ["✓ Correct", f"Answer: {expected:,} parameters"]
    wrong = next(number for value, number in by_value.items() if value != expected)
    return str(wrong), ["✗ Not quite", "  That is what you get if you forgot the biases."]


def shows(screen: str, expected: str) -> bool:
    """Whether ``expected`` is a line of ``screen`` (a pick's arrow may be further right)."""

    def arrow_at_one_space(line: str) -> str:
        return re.sub(r" +←", " ←", line)

    return arrow_at_one_space(expected) in map(arrow_at_one_space, screen.splitlines())


def reviews(db_path: Path) -> list[tuple[str, int, str | None]]:
    """Every answer recorded: the note's id in the bank, the grade, the answer given."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT notes.guid, reviews.rating, reviews.answer FROM reviews "
            "JOIN cards ON cards.id = reviews.card_id JOIN notes ON notes.id = cards.note_id "
            "ORDER BY reviews.id"
        ).fetchall()
    return [(guid.removeprefix("every-kind/"), rating, given) for guid, rating, given in rows]


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
def test_a_session_through_every_kind_of_card(
    start: Callable[..., Terminal], collection: Path, right: bool
) -> None:
    terminal = start()
    # Chosen grades: Enter takes the proposed one (Good for cards answered by thinking).
    chosen = {"basic": "4", "typed": "2"} if right else {"basic": "1", "reversed": "1"}
    chosen |= {"cloze": "1", "html-note": "1"} if not right else {}
    seen: list[str] = []
    screen = terminal.screen()
    for _ in range(11):
        assert HEADER.search(screen), screen
        note = card_of(screen)
        seen.append(note)
        line, verdict = answer(note, screen, right)
        result = terminal.send(line)
        for expected in verdict:
            assert shows(result, expected), f"{expected!r} not in\n{result}"
        assert re.search(r"^1 Again \w+ · 2 Hard \w+ · 3 Good \w+ · 4 Easy \w+$", result, re.M)
        screen = terminal.send(chosen.get(note, ""))
    assert sorted(seen) == sorted(NOTE_IDS)
    summary = terminal.send("q")
    status, _ = terminal.close()
    assert status == 0
    assert "You answered 11 cards in about" in summary
    recorded = reviews(collection)
    assert [note for note, _, _ in recorded] == seen
    grades = {note: rating for note, rating, _ in recorded}
    if right:
        assert grades == {note: {"basic": 4, "typed": 2}.get(note, 3) for note in seen}
    else:
        assert grades == dict.fromkeys(seen, 1)  # every wrong answer proposed Again
        given = {note: answer for note, _, answer in recorded}
        assert given["typed"] == "lerning rote"
        assert given["numeric"] == "5,000"


def test_undo_takes_the_answer_back_and_shows_the_card_again_as_it_was(
    start: Callable[..., Terminal], collection: Path
) -> None:
    terminal = start()
    screen = terminal.screen()
    for _ in range(3):  # basic, reversed, true/false: answered, then graded
        terminal.send("1" if choices(screen) else "")
        screen = terminal.send("")
    assert card_of(screen) == "mc"
    order = choices(screen)
    terminal.send("1")
    after = terminal.send("")
    assert card_of(after) == "mr"
    again = terminal.send("u")
    assert again.startswith("u\nThe last answer was taken back.")
    assert card_of(again) == "mc"
    assert choices(again) == order
    assert [note for note, _, _ in reviews(collection)] == ["basic", "reversed", "tf"]
    # Undo also works from the grade prompt, taking back the card before.
    terminal.send("1")
    back = terminal.send("u")
    assert card_of(back) == "tf"
    assert [note for note, _, _ in reviews(collection)] == ["basic", "reversed"]
    status, _ = terminal.close()
    assert status == 0


def test_q_quits_with_the_summary(collection: Path) -> None:
    result = run_terminal(collection, "\n\nq\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    tail = result.stdout.rsplit("─" * 60, 1)[1].strip().splitlines()
    assert tail == [
        "You answered 1 card in about 1 min (Again 0 · Hard 0 · Good 1 · Easy 0).",
        "13 cards are still to study now.",  # 12 new, and the one answered, back in 10 min
    ]
    assert [note for note, _, _ in reviews(collection)] == ["basic"]


def test_the_end_of_input_quits_with_the_summary_even_mid_card(collection: Path) -> None:
    result = run_terminal(collection, "\n\n\n")  # the second card's answer shown, not graded
    assert result.returncode == 0, result.stderr
    assert "Answer: A learned offset added to a unit's weighted sum." in result.stdout
    assert result.stdout.rstrip().endswith("cards are still to study now.")
    assert "You answered 1 card in about 1 min" in result.stdout
    assert [note for note, _, _ in reviews(collection)] == ["basic"]


def test_a_line_that_does_not_fit_gets_one_sentence_and_the_same_prompt(
    start: Callable[..., Terminal], collection: Path
) -> None:
    terminal = start()
    screen = terminal.screen()
    prompt = screen.splitlines()[-1]
    assert terminal.send("I think it is a weight") == (
        "I think it is a weight\nThink of the answer, then press Enter to see it.\n" + prompt
    )
    terminal.send("")
    refused_grade = terminal.send("7").splitlines()
    assert refused_grade[1] == "Grade with 1, 2, 3 or 4, or press Enter for Good."
    terminal.send("")  # graded Good: the reversed pair's card
    terminal.send("")
    screen = terminal.send("")
    assert card_of(screen) == "tf"
    prompt = screen.splitlines()[-1]
    assert terminal.send("3") == "3\nChoose a number from 1 to 2.\n" + prompt
    assert terminal.send("false").splitlines()[1:] == ["Choose a number from 1 to 2.", prompt]
    terminal.send("1")
    screen = terminal.send("")
    assert card_of(screen) == "mc"
    terminal.send(str(choices(screen)["Adam"]))
    screen = terminal.send("")
    assert card_of(screen) == "mr"
    prompt = screen.splitlines()[-1]
    refused = terminal.send("weights, biases").splitlines()
    assert refused[1].startswith("Tick with the numbers of the choices")
    assert refused[2:] == [prompt]
    assert len(reviews(collection)) == 4
    status, _ = terminal.close()
    assert status == 0


def test_deck_restricts_the_session_to_that_deck(collection: Path) -> None:
    result = run_terminal(collection, "", "--deck", "Kinds::Rich")
    assert result.returncode == 0, result.stderr
    headers = HEADER.findall(result.stdout)
    assert headers == [("Kinds::Rich", "8", "0", "0")]
    assert "Which of these are learned?" in result.stdout


def test_a_deck_that_does_not_exist_exits_2_with_the_sentence(collection: Path) -> None:
    result = run_terminal(collection, "", "--deck", "Kinds::Nope")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "quizapp: There is no deck called 'Kinds::Nope'. Decks: 'Kinds', 'Kinds::Rich', "
        "'Kinds::Simple'."
    ]


def test_a_file_that_is_not_a_database_exits_1(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("shopping list\n" * 200)
    result = run_terminal(not_a_database, "")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "not a QuizApp database" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_card_deleted_meanwhile_is_said_before_the_next_one(
    start: Callable[..., Terminal], collection: Path, tmp_path: Path
) -> None:
    terminal = start()
    terminal.screen()
    terminal.send("")  # the answer of "What is a parameter?"
    bank = EVERY_KIND.read_text(encoding="utf-8")
    without_basic = re.sub(r"      - id: basic\n(?:        .*\n)+", "", bank)
    assert "id: basic" not in without_basic
    (tmp_path / "every-kind.yaml").write_text(without_basic, encoding="utf-8")
    imported = subprocess.run(
        [
            *(sys.executable, "-m", "quizapp", "--db", str(collection), "import"),
            *(str(tmp_path / "every-kind.yaml"), "--same-bank", "--delete-missing"),
        ],
        capture_output=True,
        encoding="utf-8",
        timeout=HANG_GUARD_SECONDS,
        env=environment(),
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    screen = terminal.send("")  # graded Good, but the card is gone
    lines = screen.splitlines()
    assert lines[2].startswith("The card you answered was deleted meanwhile")
    assert lines[3] == "─" * 60
    assert card_of(screen) == "reversed"
    assert reviews(collection) == []
    terminal.close()


def test_piped_output_has_no_colour_codes(collection: Path) -> None:
    result = run_terminal(collection, "\n\n\n\n1\n\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "✗ Not quite" in result.stdout or "✓ Correct" in result.stdout


def test_a_terminal_session_never_loads_qt(collection: Path) -> None:
    # Through every kind of card once (the first choice, the first letters), then to the end.
    answers = ["", "", "", "", "1", "", "1", "", "1", "", "x", "", "1", "", "a a a", ""]
    lines = "\n".join([*answers, "", "", "", "", "1", ""])  # cloze, html, the exercise
    code = (
        "import sys\n"
        "from quizapp.__main__ import main\n"
        f"status = main(['--db', {str(collection)!r}, 'study', '--terminal'])\n"
        "loaded = any(m.split('.')[0] == 'PySide6' for m in sys.modules)\n"
        "print('QT LOADED' if loaded else 'NO QT', status, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=lines + "\n",
        capture_output=True,
        encoding="utf-8",
        timeout=HANG_GUARD_SECONDS,
        env=environment(),
        check=False,
    )
    assert result.stderr.strip().splitlines()[-1] == "NO QT 0", result.stderr
    assert "Worked solution:" in result.stdout  # the exercise was reached


def test_help_names_the_terminal_session() -> None:
    top = subprocess.run(
        [sys.executable, "-m", "quizapp", "--help"],
        capture_output=True,
        encoding="utf-8",
        timeout=HANG_GUARD_SECONDS,
        env=environment(),
        check=False,
    )
    assert "study in this terminal (--terminal)" in " ".join(top.stdout.split())
    study = subprocess.run(
        [sys.executable, "-m", "quizapp", "study", "--help"],
        capture_output=True,
        encoding="utf-8",
        timeout=HANG_GUARD_SECONDS,
        env=environment(),
        check=False,
    )
    assert "--terminal" in study.stdout
