"""Images beside a native bank travel with it into the media store; nothing else does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.banks.formats import read_bank
from quizapp.banks.native_media import MAX_MEDIA_BYTES, read_beside

BANK = """quizapp_bank: 1
decks:
  - name: D
    notes:
      - id: with-image
        format: html
        front: '<img src="diagram.png"> What does this layer compute?'
        back: A weighted sum.
      - id: missing-image
        format: html
        front: '<img src="gone.png"> And this?'
        back: Nothing.
      - id: escaping
        format: html
        front: '<img src="../secret.png"> Outside?'
        back: No.
"""


def test_images_beside_the_bank_are_read_and_missing_ones_reported(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\nimage")
    (tmp_path / "secret.png").write_bytes(b"not for the bank")
    bank = folder / "bank.yaml"
    bank.write_text(BANK, encoding="utf-8")

    batch = read_bank(bank)

    assert [(m.name, m.data) for m in batch.media] == [("diagram.png", b"\x89PNG\r\n\x1a\nimage")]
    assert [str(w) for w in batch.warnings] == [
        f"{bank}:9: image 'gone.png' is not beside the bank"
    ]
    escaping = batch.notes[2].note.content
    assert "secret" not in str(escaping)  # the sanitizer dropped the path that climbs out


def _bank_showing(folder: Path, *sources: str) -> Path:
    notes = "".join(
        f"      - id: n{index}\n        format: html\n"
        f"        front: '<img src=\"{source}\"> Question {index}?'\n        back: B.\n"
        for index, source in enumerate(sources)
    )
    bank = folder / "bank.yaml"
    bank.write_text(f"quizapp_bank: 1\ndecks:\n  - name: D\n    notes:\n{notes}", encoding="utf-8")
    return bank


def test_a_source_that_is_not_a_regular_file_is_left_out_with_a_located_warning(
    tmp_path: Path,
) -> None:
    (tmp_path / "images").mkdir()
    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    (tmp_path / "fine.png").write_bytes(b"\x89PNG\r\n\x1a\nfine")
    bank = _bank_showing(tmp_path, "images", "pipe.png", "zero.png", "fine.png")

    batch = read_bank(bank)

    assert [m.name for m in batch.media] == ["fine.png"]
    assert [str(w) for w in batch.warnings] == [
        f"{bank}:5: image 'images' is a folder, not a file; left out",
        f"{bank}:9: image 'pipe.png' is a FIFO, not a file; left out",
        f"{bank}:13: image 'zero.png' is not beside the bank",  # a link to /dev/zero
    ]


@pytest.mark.parametrize("source", ["%2e%2e/secret.png", "%2Fsecret.png", "out.png", "a%00b"])
def test_a_source_never_leads_outside_the_banks_folder(tmp_path: Path, source: str) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    (folder / "out.png").symlink_to(secret)

    batch = read_bank(_bank_showing(folder, source.replace("/secret", str(tmp_path / "secret"))))

    assert batch.media == ()
    assert all("not beside the bank" in str(warning) for warning in batch.warnings)


def test_a_file_past_the_size_limit_is_not_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as stream:
        stream.truncate(MAX_MEDIA_BYTES + 1)

    data, problem = read_beside(tmp_path, "big.png")

    assert (data, problem) == (b"", "is over 20 MB; left out")
