"""Media of a native bank: files beside the bank that its HTML notes show."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from quizapp.banks.html import image_sources
from quizapp.domain import BatchMedia, ImportBatch, ImportIssue, TextFormat
from quizapp.domain.notes import texts_of

MAX_MEDIA_BYTES = 20 * 1024 * 1024


def attach_media(batch: ImportBatch, folder: Path) -> ImportBatch:
    """``batch`` with the files its notes' ``<img src>`` name, read from ``folder``.

    Sanitized HTML keeps only plain relative names (no scheme, no ``..``), so a
    bank can never reach outside its own folder.  A missing file is a warning.
    """
    wanted: dict[str, int] = {}
    for item in batch.notes:
        if item.note.text_format is TextFormat.HTML:
            for text in (*texts_of(item.note.content), item.note.explanation):
                for name in image_sources(text):
                    wanted.setdefault(name, item.line)
    media, warnings = [], []
    for name, line in wanted.items():
        path = folder / name
        try:
            inside = path.resolve().is_relative_to(folder.resolve())
            size = path.stat().st_size if inside else 0
        except OSError:
            inside, size = True, -1
        if not inside or size < 0:
            warnings.append(
                ImportIssue(batch.source, line, f"image '{name}' is not beside the bank")
            )
        elif size > MAX_MEDIA_BYTES:
            warnings.append(
                ImportIssue(batch.source, line, f"image '{name}' is over 20 MB; left out")
            )
        else:
            media.append(BatchMedia(name, path.read_bytes()))
    return replace(
        batch, media=batch.media + tuple(media), warnings=batch.warnings + tuple(warnings)
    )
