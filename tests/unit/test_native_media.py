"""Images beside a native bank travel with it into the media store."""

from __future__ import annotations

from pathlib import Path

from quizapp.banks.formats import read_bank

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
