"""The media files of an Anki package: the list that names them, and their bytes.

A legacy package lists its media as JSON, ``{"0": "foo.wav"}``: zip entry
``0`` holds ``foo.wav``.  A current one (version 3) lists them as a
zstd-compressed protobuf ``MediaEntries`` (field numbers as in Anki's
``import_export.proto``); entry *i* of the list is held, zstd-compressed, in
the zip entry named *i* (or its ``legacy_zip_filename`` when given).  Only
images and sounds recognised by their first bytes are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from quizapp.banks.apkg_archive import PackageArchive, PackageLayout
from quizapp.banks.apkg_protobuf import (
    LENGTH_DELIMITED,
    VARINT,
    ProtobufError,
    decode_utf8,
    iter_fields,
)
from quizapp.domain import BatchMedia

MAX_MEDIA_LIST_BYTES = 64 * 1024**2
MAX_NAME_BYTES = 255
KNOWN_TYPES = "png, jpeg, gif, webp, svg, mp3, ogg, wav, m4a/mp4"
_ENTRIES_FIELD = 1
_NAME_FIELD = 1
_LEGACY_ZIP_FILENAME_FIELD = 255
_FORBIDDEN_NAME_CHARACTERS = frozenset('/\\:*?"<>|\x00')


@dataclass(frozen=True, slots=True)
class MediaListEntry:
    """A media file's name, and the zip entry that holds its bytes."""

    name: str
    member: str


def read_media(
    archive: PackageArchive, layout: PackageLayout
) -> tuple[list[BatchMedia], list[str]]:
    """The package's images and sounds, and a warning for each file skipped."""
    media: list[BatchMedia] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for entry in media_list(archive, layout):
        problem = _name_problem(entry.name, seen)
        if problem is None and not archive.has(entry.member):
            problem = "is missing from the package"
        if problem is not None:
            warnings.append(f"media file {entry.name!r} {problem}; skipped")
            continue
        seen.add(entry.name)
        data = archive.read(entry.member, compressed=layout.compressed)
        if media_type(data) is None:
            warnings.append(
                f"media file {entry.name!r} is not an image or sound QuizApp knows "
                f"({KNOWN_TYPES}); skipped"
            )
            continue
        media.append(BatchMedia(name=entry.name, data=data))
    return media, warnings


def media_list(archive: PackageArchive, layout: PackageLayout) -> list[MediaListEntry]:
    """The entries of the package's ``media`` list (none if it has no list)."""
    if not archive.has("media"):
        return []
    data = archive.read("media", compressed=layout.compressed, limit=MAX_MEDIA_LIST_BYTES)
    try:
        return _current_list(data) if layout.compressed else _legacy_list(data)
    except (ProtobufError, ValueError, RecursionError) as error:
        raise archive.error(f"the package's media list is damaged: {error}") from error


def _legacy_list(data: bytes) -> list[MediaListEntry]:
    """Entries of a JSON media map ``{"0": "foo.wav"}``, in zip-entry order."""
    mapping = json.loads(data.decode("utf-8")) if data.strip() else {}
    if not isinstance(mapping, dict) or not all(isinstance(name, str) for name in mapping.values()):
        raise ValueError("it is not a map of entry numbers to file names")
    return [MediaListEntry(name=name, member=member) for member, name in mapping.items()]


def _current_list(data: bytes) -> list[MediaListEntry]:
    """Entries of a protobuf ``MediaEntries`` message."""
    entries: list[MediaListEntry] = []
    for number, wire_type, value in iter_fields(data):
        if number != _ENTRIES_FIELD:
            continue
        if wire_type != LENGTH_DELIMITED or not isinstance(value, bytes):
            raise ProtobufError("a media entry is not a message")
        entries.append(_current_entry(value, index=len(entries)))
    return entries


def _current_entry(data: bytes, index: int) -> MediaListEntry:
    name = ""
    member = str(index)
    for number, wire_type, value in iter_fields(data):
        if number == _NAME_FIELD:
            if wire_type != LENGTH_DELIMITED or not isinstance(value, bytes):
                raise ProtobufError("a media file name is not text")
            name = decode_utf8(value)
        elif number == _LEGACY_ZIP_FILENAME_FIELD:
            if wire_type != VARINT:
                raise ProtobufError("a media entry number is not a number")
            member = str(value)
    return MediaListEntry(name=name, member=member)


def _name_problem(name: str, seen: set[str]) -> str | None:
    """Why ``name`` cannot be a file in the media folder, or None if it can."""
    if not name or name in (".", "..") or len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return "has an unusable name"
    if any(character in _FORBIDDEN_NAME_CHARACTERS or ord(character) < 32 for character in name):
        return "has a name with a path or a character not allowed in file names"
    if name in seen:
        return "appears twice in the media list"
    return None


def media_type(data: bytes) -> str | None:
    """The image or sound type of ``data`` from its first bytes, or None if unknown."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if data[8:12] == b"WEBP" else "wav"
    if data.startswith(b"OggS"):
        return "ogg"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    if data[4:8] == b"ftyp":
        return "mp4"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in head:
        return "svg"
    return None
