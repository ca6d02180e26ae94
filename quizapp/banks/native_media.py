"""Media of a native bank: files beside the bank that its HTML notes show."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

from quizapp.banks.html import image_sources
from quizapp.domain import BatchMedia, ImportBatch, ImportIssue, TextFormat
from quizapp.domain.notes import texts_of

MAX_MEDIA_BYTES = 20 * 1024 * 1024
_NOT_BESIDE = "is not beside the bank"
# Opened without waiting: a FIFO named as an image must not hang the import.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def attach_media(batch: ImportBatch, folder: Path) -> ImportBatch:
    """``batch`` with the files its notes' ``<img src>`` name, read from ``folder``.

    Sanitized HTML keeps only plain relative names (no scheme, no ``..``), and a
    name that still leads outside ``folder`` (through a link, or once unquoted) is
    not read, so a bank can never reach outside its own folder.  Only regular
    files are read; anything else, or a missing file, is a warning at the line of
    the first note that shows it.
    """
    wanted: dict[str, int] = {}
    for item in batch.notes:
        if item.note.text_format is TextFormat.HTML:
            for text in (*texts_of(item.note.content), item.note.explanation):
                for name in image_sources(text):
                    wanted.setdefault(name, item.line)
    media, warnings = [], []
    for name, line in wanted.items():
        data, problem = read_beside(folder, name)
        if problem:
            warnings.append(ImportIssue(batch.source, line, f"image '{name}' {problem}"))
        else:
            media.append(BatchMedia(name, data))
    return replace(
        batch, media=batch.media + tuple(media), warnings=batch.warnings + tuple(warnings)
    )


def read_beside(folder: Path, name: str) -> tuple[bytes, str]:
    """The bytes of the regular file ``name`` inside ``folder``, or why it is not read.

    The file is opened once and checked through its open descriptor, so it cannot
    be swapped for a folder or a device between the check and the read, and no
    more than the size limit is ever read.
    """
    try:
        path = (folder / name).resolve()
        if not path.is_relative_to(folder.resolve()):
            return b"", _NOT_BESIDE
        descriptor = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):  # missing, unreadable, a loop of links, a NUL in the name
        if (folder / name).is_dir():  # where a folder cannot be opened (Windows)
            return b"", f"is {_KINDS[stat.S_IFDIR]}, not a file; left out"
        return b"", _NOT_BESIDE
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
            return b"", f"is {kind}, not a file; left out"
        data = _read_at_most(descriptor, MAX_MEDIA_BYTES + 1)
    except OSError as error:
        return b"", f"cannot be read ({error.strerror or error}); left out"
    finally:
        os.close(descriptor)
    if len(data) > MAX_MEDIA_BYTES:
        return b"", f"is over {MAX_MEDIA_BYTES // 2**20} MB; left out"
    return data, ""


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0 and (chunk := os.read(descriptor, min(left, 1024**2))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
