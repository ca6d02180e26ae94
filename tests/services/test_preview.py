"""quizapp preview: a bank's exercise instances on one page, as a reviewer reads them."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from quizapp.cli.preview import run_preview
from quizapp.errors import UserError

BANK = Path(__file__).parents[2] / "data" / "ml-exercises.yaml"


def preview(tmp_path: Path, *rest: str) -> str:
    out = tmp_path / "out.html"
    arguments = argparse.Namespace(bank=BANK, rest=[*rest, str(out)])
    assert run_preview(arguments, io.StringIO()) == 0
    return out.read_text(encoding="utf-8")


def test_one_template_is_previewed_with_its_answer_mistakes_and_working(tmp_path: Path) -> None:
    page = preview(tmp_path, "lora", "--seed", "4", "--count", "2")
    assert page.count("<section>") == 2
    assert "lora · seed 4" in page
    assert "lora · seed 5" in page
    assert "Answer: <span class='answer'>" in page
    assert "counted A or B, not both" in page  # a wrong answer with its mistake
    assert "trainable parameters does it add?" in page


def test_every_template_is_previewed_by_default(tmp_path: Path) -> None:
    page = preview(tmp_path, "--count", "1")
    assert page.count("<section>") == 25
    # Multiple-choice instances list their choices, the right one marked.
    assert "<li class='right'>✓" in page


def test_the_same_seed_previews_the_same_instances(tmp_path: Path) -> None:
    assert preview(tmp_path, "kv_cache", "--seed", "9") == preview(
        tmp_path, "kv_cache", "--seed", "9"
    )


def test_an_unknown_template_is_refused_with_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no exercise template 'nope'"):
        preview(tmp_path, "nope")
