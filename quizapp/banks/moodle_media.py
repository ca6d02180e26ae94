"""Files embedded in Moodle XML (``<file encoding="base64">``) and the references to them.

Moodle writes ``@@PLUGINFILE@@/name`` where the HTML uses a file; QuizApp keeps the
file in the batch's media under a flat name and points the HTML at that name.
Only images and sounds are kept, recognised by their first bytes, not by their name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from quizapp.domain import BatchMedia

MAX_MEDIA_BYTES = 20 * 1024 * 1024
# The longest base64 text that can decode to MAX_MEDIA_BYTES, so a huge file is
# refused before it is decoded.
_MAX_ENCODED_CHARS = 4 * -(-MAX_MEDIA_BYTES // 3)
_WHITESPACE = re.compile(rb"\s+")
_REFERENCE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]*)(?:[?#][^\"'\s<>]*)?")
# Elements that show one file: replaced as a whole (a sound becomes ``[sound:name]``).
# Written so that no attempt scans past the next tag of its kind: linear on any input.
_ELEMENT = re.compile(
    r"<(audio|video|a)\b[^<>]*>[^<]*(?:<(?!/?(?:audio|video|a)\b)[^<]*)*</\1\s*>"
    r"|<(?:img|source|embed)\b[^<>]*>",
    re.IGNORECASE,
)


class MediaKind(StrEnum):
    """What QuizApp can do with a file."""

    IMAGE = "image"
    SOUND = "sound"


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file of the batch: the name the notes use for it, and what it is."""

    name: str
    kind: MediaKind


class MediaProblem(Exception):
    """A file that cannot be read; the message is fit for the user."""


def media_kind(data: bytes) -> MediaKind | None:
    """Image or sound, from the file's first bytes; ``None`` for anything else."""
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return MediaKind.IMAGE
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE"):
        return MediaKind.IMAGE if data[8:12] == b"WEBP" else MediaKind.SOUND
    if data.startswith((b"ID3", b"OggS")) or _is_mpeg_frame(data):
        return MediaKind.SOUND
    if _is_svg(data):
        return MediaKind.IMAGE
    return None


def _is_mpeg_frame(data: bytes) -> bool:
    # An MP3 without an ID3 tag starts with a frame: 11 sync bits, then a layer that is not 0.
    return len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0 and data[1] & 0x06 != 0


def _is_svg(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    head = text[:4096]
    return head.lstrip().startswith("<") and "<svg" in head.lower()


def decode_base64(text: str) -> bytes:
    """The bytes of a base64 file body; raises :class:`MediaProblem` if bad or too big."""
    compact = _WHITESPACE.sub(b"", text.encode("ascii", errors="replace"))
    if len(compact) > _MAX_ENCODED_CHARS:
        raise MediaProblem(f"is more than {MAX_MEDIA_BYTES // 2**20} MB")
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MediaProblem(f"is not valid base64 ({error})") from error
    if len(data) > MAX_MEDIA_BYTES:
        raise MediaProblem(f"is more than {MAX_MEDIA_BYTES // 2**20} MB")
    return data


def file_key(path: str, name: str) -> str:
    """How ``@@PLUGINFILE@@/...`` refers to the file ``name`` in folder ``path``."""
    return f"{path.strip('/')}/{name}".lstrip("/")


class MediaStore:
    """The batch's files, by flat name; a name taken by other bytes gets a hash suffix."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def add(self, name: str, data: bytes) -> str:
        """Keep ``data`` and return the name the notes must use for it."""
        base = PurePosixPath(name.replace("\\", "/")).name or "file"
        if self._files.get(base, data) == data:
            self._files[base] = data
            return base
        path = PurePosixPath(base)
        renamed = f"{path.stem}-{hashlib.sha256(data).hexdigest()[:8]}{path.suffix}"
        self._files[renamed] = data
        return renamed

    def batch_media(self) -> tuple[BatchMedia, ...]:
        """The files, in the order first added."""
        return tuple(BatchMedia(name, data) for name, data in self._files.items())


def rewrite_references(text: str, files: dict[str, StoredFile | None]) -> tuple[str, list[str]]:
    """``text`` with its ``@@PLUGINFILE@@`` references pointed at the stored files.

    ``files`` maps each reference key to its stored file, or to ``None`` for a file
    that was skipped.  An element showing a skipped or missing file is removed (a
    link keeps its words); a sound becomes ``[sound:name]``.  Also returns the
    references to files that the question does not carry at all.
    """
    missing: list[str] = []

    def target(reference: str) -> StoredFile | None:
        key = unquote(reference)
        if key not in files and key not in missing:
            missing.append(key)
        return files.get(key)

    def element(match: re.Match[str]) -> str:
        references = _REFERENCE.findall(match.group(0))
        if not references:
            return match.group(0)
        stored = target(references[0])
        if stored is not None and stored.kind is MediaKind.SOUND:
            return f"[sound:{stored.name}]"
        if stored is None:
            if (match.group(1) or "").lower() == "a":
                return re.sub(r"<[^>]*>", "", match.group(0))
            return ""
        return _REFERENCE.sub(loose, match.group(0))

    def loose(match: re.Match[str]) -> str:
        stored = target(match.group(1))
        return quote(stored.name) if stored is not None else ""

    if "@@PLUGINFILE@@" not in text:
        return text, missing
    rewritten = _REFERENCE.sub(loose, _ELEMENT.sub(element, text))
    return rewritten, missing
