"""Two teachers' banks with the same file name are two banks; a bank is never guessed."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from random import Random

import pytest

from quizapp.bootstrap import App, open_app
from quizapp.domain import Rating
from quizapp.services import ManualClock
from quizapp.services.banks import BankChoice, BankQuestion, ImportOptions

QUIZ_A = """\
quizapp_bank: 1
decks:
  - name: Teacher A
    notes:
      - {id: q1, front: What is a weight?, back: A learned scale of an input.}
      - {id: q2, front: What is a bias?, back: A learned offset.}
"""
QUIZ_B = """\
quizapp_bank: 1
decks:
  - name: Teacher B
    notes:
      - {id: q1, front: What does SGD stand for?, back: Stochastic gradient descent.}
"""
GIFT_A = "::Q1::A bias shifts the activation.{TRUE}\n\n::Q2::Dropout is learned.{FALSE}\n"
GIFT_B = "::Q1::The learning rate is learned.{FALSE}\n"


@pytest.fixture
def empty_app(db_path: Path, clock: ManualClock) -> App:
    return open_app(db_path, clock=clock, rng=Random(1), seed_banks=[])


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def fronts(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT json_extract(content, '$.front') FROM notes ORDER BY id"
        ).fetchall()
    return [front for (front,) in rows]


def test_a_second_bank_of_the_same_name_is_refused_with_both_sources(
    empty_app: App, tmp_path: Path
) -> None:
    first = write(tmp_path / "teacher-a", "quiz.yaml", QUIZ_A)
    second = write(tmp_path / "teacher-b", "quiz.yaml", QUIZ_B)
    empty_app.banks.import_file(first)
    before = fronts(empty_app.database.path)

    with pytest.raises(BankQuestion) as question:
        empty_app.banks.import_file(second)

    message = question.value.user_message
    assert str(second) in message
    assert str(first.resolve()) in message
    assert "--same-bank" in message
    assert "--new-bank" in message
    assert fronts(empty_app.database.path) == before  # nothing was written


def test_keeping_both_banks_keeps_the_first_ones_schedule_on_its_own_question(
    empty_app: App, tmp_path: Path
) -> None:
    first = write(tmp_path / "teacher-a", "quiz.yaml", QUIZ_A)
    second = write(tmp_path / "teacher-b", "quiz.yaml", QUIZ_B)
    empty_app.banks.import_file(first)
    session = empty_app.study(None)
    assert session.current is not None
    studied_front = session.current.note.content.front  # type: ignore[union-attr]
    studied_card = session.current.card.id
    session.answer(Rating.GOOD, 1000)

    report = empty_app.banks.import_file(second, options=ImportOptions(bank=BankChoice.NEW))
    assert report.added == 1
    assert report.updated == 0

    with sqlite3.connect(empty_app.database.path) as connection:
        front = connection.execute(
            "SELECT json_extract(n.content, '$.front') FROM cards c JOIN notes n "
            "ON n.id = c.note_id WHERE c.id = ?",
            (studied_card,),
        ).fetchone()[0]
        reviews = connection.execute(
            "SELECT COUNT(*) FROM reviews WHERE card_id = ?", (studied_card,)
        ).fetchone()[0]
    assert front == studied_front
    assert reviews == 1
    assert sorted(fronts(empty_app.database.path)) == sorted(
        ["What is a weight?", "What is a bias?", "What does SGD stand for?"]
    )

    # Each re-imports as itself from then on, with no question and no duplicate.
    assert empty_app.banks.import_file(first).unchanged == 2
    assert empty_app.banks.import_file(second).unchanged == 1


def test_delete_missing_never_reaches_into_another_bank_of_the_same_name(
    empty_app: App, tmp_path: Path
) -> None:
    first = write(tmp_path / "teacher-a", "quiz.yaml", QUIZ_A)
    second = write(tmp_path / "teacher-b", "quiz.yaml", QUIZ_B)
    empty_app.banks.import_file(first)
    empty_app.banks.import_file(second, options=ImportOptions(bank=BankChoice.NEW))

    report = empty_app.banks.import_file(second, delete_missing=True)

    assert report.missing == ()
    assert len(fronts(empty_app.database.path)) == 3


def test_a_moved_bank_is_updated_when_the_user_says_it_is_the_same(
    empty_app: App, tmp_path: Path
) -> None:
    first = write(tmp_path / "old-folder", "quiz.yaml", QUIZ_A)
    empty_app.banks.import_file(first)
    moved = write(tmp_path / "new-folder", "quiz.yaml", QUIZ_A.replace("offset", "shift"))
    with pytest.raises(BankQuestion):
        empty_app.banks.import_file(moved)

    report = empty_app.banks.import_file(moved, options=ImportOptions(bank=BankChoice.SAME))

    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    # Now that it is known there, it re-imports without a question.
    assert empty_app.banks.import_file(moved).unchanged == 2


def test_a_bank_that_declares_its_id_is_itself_wherever_it_comes_from(
    empty_app: App, tmp_path: Path
) -> None:
    declared = "quizapp_bank: 1\nid: course-42\n" + QUIZ_A.split("\n", 1)[1]
    empty_app.banks.import_file(write(tmp_path / "a", "quiz.yaml", declared))
    report = empty_app.banks.import_file(write(tmp_path / "b", "renamed.yaml", declared))
    assert (report.added, report.unchanged) == (0, 2)


def test_gift_files_whose_questions_share_titles_are_not_merged_silently(
    empty_app: App, tmp_path: Path
) -> None:
    first = write(tmp_path, "week1.gift", GIFT_A)
    second = write(tmp_path, "week2.gift", GIFT_B)
    empty_app.banks.import_file(first)
    with pytest.raises(BankQuestion, match=r"week1\.gift"):
        empty_app.banks.import_file(second)  # both have a question titled Q1

    report = empty_app.banks.import_file(second, options=ImportOptions(bank=BankChoice.NEW))

    assert report.added == 1
    with sqlite3.connect(empty_app.database.path) as connection:
        statements = {
            statement
            for (statement,) in connection.execute(
                "SELECT json_extract(content, '$.statement') FROM notes"
            )
        }
    assert statements == {
        "A bias shifts the activation.",
        "Dropout is learned.",
        "The learning rate is learned.",
    }


def test_reimporting_from_the_same_place_asks_nothing(empty_app: App, tmp_path: Path) -> None:
    path = write(tmp_path, "week1.gift", GIFT_A)
    empty_app.banks.import_file(path)
    path.write_text(GIFT_A.replace("shifts", "moves"), encoding="utf-8")
    report = empty_app.banks.import_file(path)
    # The title names the question: its text changed in place.
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)


def test_an_anki_export_is_known_by_its_guids_from_any_folder(
    empty_app: App, tmp_path: Path
) -> None:
    rows = "#separator:tab\n#guid column:1\nabc123\tWhat is a weight?\tA scale\n"
    empty_app.banks.import_file(write(tmp_path / "downloads", "deck.txt", rows))
    moved = write(tmp_path / "elsewhere", "deck.txt", rows.replace("A scale", "A learned scale"))
    report = empty_app.banks.import_file(moved)  # no question: the guid is the note's own
    assert (report.added, report.updated) == (0, 1)


def test_same_bank_says_which_when_several_banks_of_that_name_are_stored(
    empty_app: App, tmp_path: Path
) -> None:
    first = write(tmp_path / "a", "quiz.yaml", QUIZ_A)
    second = write(tmp_path / "b", "quiz.yaml", QUIZ_B)
    empty_app.banks.import_file(first)
    empty_app.banks.import_file(second, options=ImportOptions(bank=BankChoice.NEW))
    third = write(tmp_path / "c", "quiz.yaml", QUIZ_B.replace("Stochastic", "Plain"))

    with pytest.raises(BankQuestion, match="--same-bank ID") as question:
        empty_app.banks.import_file(third, options=ImportOptions(bank=BankChoice.SAME))
    assert len(question.value.candidates) == 2  # each bank once
    b = next(bank for bank in question.value.candidates if bank.path == str(second.resolve()))

    report = empty_app.banks.import_file(
        third, options=ImportOptions(bank=BankChoice.SAME, same_as=b.uid)
    )

    assert (report.added, report.updated) == (0, 1)
    assert "What is a weight?" in fronts(empty_app.database.path)


def test_a_question_names_each_stored_bank_once(empty_app: App, tmp_path: Path) -> None:
    first = write(tmp_path / "a", "quiz.yaml", QUIZ_A)
    empty_app.banks.import_file(first)
    with pytest.raises(BankQuestion) as question:  # same name and the same note ids
        empty_app.banks.import_file(write(tmp_path / "b", "quiz.yaml", QUIZ_A))
    assert [bank.name for bank in question.value.candidates] == ["quiz.yaml"]
