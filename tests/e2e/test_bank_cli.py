"""quizapp import, validate, export and sample, run as a teacher runs them."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.e2e.test_cli import run_quizapp

GIFT = DATA / "gift" / "fuhrmanator-options1.gift"
MOODLE = DATA / "moodle-xml" / "moodle-tools-multiple-choiceRef.xml"


def test_import_reports_added_then_unchanged(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    first = run_quizapp("--db", db, "import", str(DATA / "every-kind.yaml"))
    assert first.returncode == 0, first.stderr
    assert "every-kind.yaml: 11 added, 0 updated, 0 unchanged" in first.stdout
    again = run_quizapp("--db", db, "import", str(DATA / "every-kind.yaml"))
    assert "0 added, 0 updated, 11 unchanged; 0 new cards" in again.stdout


def test_import_of_several_formats_into_one_deck(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result = run_quizapp("--db", str(db), "import", str(GIFT), str(MOODLE), "--deck", "Course")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        decks = connection.execute(
            "SELECT DISTINCT d.name FROM cards c JOIN notes n ON n.id = c.note_id "
            "JOIN decks d ON d.id = c.deck_id WHERE n.source != 'ml-parameters.yaml' "
            "AND n.source != 'ml-exercises.yaml'"
        ).fetchall()
    assert decks == [("Course",)]


def test_a_bad_file_exits_2_with_every_problem_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run_quizapp("--db", str(db), "stats").returncode == 0
    with sqlite3.connect(db) as connection:
        counts = connection.execute("SELECT COUNT(*) FROM notes").fetchone()
    bad = tmp_path / "bad.gift"
    bad.write_text("::Q1:: What is 2+2? {#four}\n\n::Q2:: Unclosed {=a ~b\n", encoding="utf-8")
    result = run_quizapp("--db", str(db), "import", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{bad}:1:")
    assert lines[1].startswith(f"{bad}:3:")
    assert "nothing was changed" in lines[-1]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM notes").fetchone() == counts


def test_validate_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    ok = run_quizapp("--db", str(db), "validate", str(GIFT), str(DATA / "every-kind.yaml"))
    assert ok.returncode == 0, ok.stderr
    assert "every-kind.yaml: OK, 11 notes in 2 decks" in ok.stdout
    assert not db.exists()


def test_validate_reports_each_template_problem_at_the_line_of_its_part(tmp_path: Path) -> None:
    bank = tmp_path / "t.yaml"
    lines = [
        "quizapp_bank: 1",
        "decks:",
        "  - name: E",
        "    notes:",
        "      - id: t",
        "        kind: exercise",
        "        variables:",
        "          - {name: n, integer: [1, 3]}",
        "        steps:",
        "          - {a: 'n * 2'}",
        "          - {b: 'a + m'}",  # line 11: no 'm'
        "        question: 'n = {n}?'",
        "        answer: 'b'",
        "        explanation: 'It is {answer}.'",
        "        distractors:",
        "          - {formula: 'n +', mistake: 'typo'}",  # line 16: not a formula
    ]
    bank.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_quizapp("validate", str(bank))
    assert result.returncode == 2
    reported = result.stderr.splitlines()
    assert reported[0].startswith(f"{bank}:11: template 't': steps[1]:")
    assert "'m'" in reported[0]
    assert reported[1].startswith(f"{bank}:16: template 't': distractors[0]:")


def test_export_yaml_imports_back_to_the_same_cards(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    out = tmp_path / "out.yaml"
    run_quizapp("--db", db, "import", str(DATA / "every-kind.yaml"))
    result = run_quizapp("--db", db, "export", "--format", "yaml", "--deck", "Kinds", str(out))
    assert result.returncode == 0, result.stderr
    assert "Wrote 11 notes" in result.stdout
    second = str(tmp_path / "second.db")
    imported = run_quizapp("--db", second, "import", str(out))
    assert "11 added" in imported.stdout
    query = (
        "SELECT n.guid, n.kind, n.content, c.face FROM cards c JOIN notes n ON n.id = c.note_id "
        "WHERE n.guid LIKE 'every-kind/%' ORDER BY n.guid, c.face"
    )
    with sqlite3.connect(db) as a, sqlite3.connect(second) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()


def test_sample_prints_reproducible_instances() -> None:
    first = run_quizapp("sample", "dense", "--seed", "5", "--count", "3")
    assert first.returncode == 0, first.stderr
    instances = json.loads(first.stdout)
    assert [i["seed"] for i in instances] == [5, 6, 7]
    for instance in instances:
        assert set(instance) >= {
            "template",
            "seed",
            "variables",
            "question",
            "answer",
            "explanation",
        }
        values = instance["variables"]
        bias = values["out_features"] if values["bias"] else 0
        assert instance["answer"] == values["in_features"] * values["out_features"] + bias
    again = json.loads(run_quizapp("sample", "dense", "--seed", "6").stdout)
    assert again == instances[1:2]


def test_sample_of_a_choice_template_lists_choices() -> None:
    result = run_quizapp("sample", "classify", "--seed", "2")
    (instance,) = json.loads(result.stdout)
    labels = [choice["label"] for choice in instance["choices"]]
    assert labels == ["parameter", "buffer", "hyperparameter"]
    assert instance["answer"] in labels


def test_moodle_calculated_questions_become_exercises_with_fresh_values() -> None:
    calculated = DATA / "moodle-xml" / "calculated.xml"
    assert run_quizapp("validate", str(calculated)).returncode == 0
    result = run_quizapp(
        "sample", "area-of-a-ring", "--bank", str(calculated), "--seed", "1", "--count", "4"
    )
    assert result.returncode == 0, result.stderr
    instances = json.loads(result.stdout)
    for instance in instances:
        outer, inner = instance["variables"]["R"], instance["variables"]["r"]
        assert instance["answer"] == pytest.approx(math.pi * (outer**2 - inner**2))
        assert instance["unit"] == "cm²"
    assert len({json.dumps(i["variables"], sort_keys=True) for i in instances}) > 1


def test_two_teachers_banks_of_one_name_need_the_user_to_say_which(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    bank = (
        "quizapp_bank: 1\ndecks:\n  - name: {deck}\n    notes:\n"
        "      - {{id: q1, front: {front}, back: b}}\n"
    )
    first = tmp_path / "teacher-a" / "quiz.yaml"
    second = tmp_path / "teacher-b" / "quiz.yaml"
    for path, deck, front in ((first, "A", "Weight?"), (second, "B", "Bias?")):
        path.parent.mkdir()
        path.write_text(bank.format(deck=deck, front=front), encoding="utf-8")
    assert run_quizapp("--db", db, "import", str(first)).returncode == 0

    refused = run_quizapp("--db", db, "import", str(second))

    assert refused.returncode == 2
    assert str(first) in refused.stderr
    assert str(second) in refused.stderr
    assert "--same-bank" in refused.stderr
    assert "--new-bank" in refused.stderr
    assert "nothing was changed" in refused.stderr
    kept = run_quizapp("--db", db, "import", str(second), "--new-bank")
    assert kept.returncode == 0, kept.stderr
    assert "1 added, 0 updated, 0 unchanged; 1 new card." in kept.stdout
    with sqlite3.connect(db) as connection:
        fronts = connection.execute(
            "SELECT json_extract(content, '$.front') FROM notes WHERE source = 'quiz.yaml'"
        ).fetchall()
    assert sorted(fronts) == [("Bias?",), ("Weight?",)]
