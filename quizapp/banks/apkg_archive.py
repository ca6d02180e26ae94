"""Opening an Anki package safely: a zip archive whose every read is bounded.

A package is refused (with a :class:`BankError`) before anything is unpacked
when its directory is oversized, when an entry name could escape a folder
(``../``, absolute, backslash, drive letter), when an entry is encrypted or
appears twice, or when the sizes its headers declare add up to more than
:data:`MAX_UNPACKED_BYTES` or compress too well to be honest.  The limits are
enforced again while streaming, so a header that lies gains nothing: every
byte unpacked, from the zip or from a zstd frame inside it, is counted against
the same budget, and an entry whose output runs ahead of the packed bytes it
has read (a bomb, however it is padded) is stopped there, before the chunk
that would pass the limit is written anywhere.  Nothing is ever extracted by
name onto the disk.
"""

from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import zstandard

from quizapp.banks.apkg_protobuf import ProtobufError, varint_field
from quizapp.banks.errors import BankError
from quizapp.domain import ImportIssue

# Everything unpacked from one package (collection, media, lists) together.
MAX_UNPACKED_BYTES = 2 * 1024**3
# An entry may unpack to at most this many times its packed size ...
MAX_RATIO = 200
# ... unless it unpacks to less than this: small files cannot hurt, and silent
# audio clips or blank images are legitimately that compressible.
RATIO_FREE_BYTES = 1024**2
# While streaming, the output may run at most this far ahead of MAX_RATIO times the
# packed bytes read: packed bytes read early (padding) cannot pay for a bomb later.
MAX_AHEAD_BYTES = 64 * 1024**2
MAX_ENTRIES = 250_000
# The central directory is read into memory whole, one object per entry.
MAX_DIRECTORY_BYTES = 32 * 1024**2
MAX_ZSTD_WINDOW = 1 << 27
_CHUNK = 1024**2
_DRIVE = re.compile(r"^[A-Za-z]:")
_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_RECORD = b"PK\x06\x06"
_MAX_COMMENT = 65535
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    zstandard.ZstdError,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    struct.error,
    IndexError,
    KeyError,
    OverflowError,
)


@dataclass(frozen=True, slots=True)
class PackageLayout:
    """Where a package keeps its collection, and whether its files are zstd-compressed."""

    collection: str
    compressed: bool


class _CountedBytes(io.BytesIO):
    """The package's bytes, counting those read: what a stream has taken from the zip."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.count = 0

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self.count += len(chunk)
        return chunk


class PackageArchive:
    """An opened package: named entries, read through one shared size budget."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        _check_directory_size(data, self)
        self._file = _CountedBytes(data)
        try:
            self._zip = zipfile.ZipFile(self._file)
        except _READ_ERRORS as error:
            raise self.error(
                "not an Anki package: the file is not a zip archive, or it is damaged"
            ) from error
        self._members = _checked_members(self._zip.infolist(), self)
        self._left = MAX_UNPACKED_BYTES

    def error(self, message: str) -> BankError:
        """A :class:`BankError` about this package."""
        return BankError([ImportIssue(self.source, 0, message)])

    def has(self, name: str) -> bool:
        """Whether the package holds an entry called ``name``."""
        return name in self._members

    def read(self, name: str, *, compressed: bool, limit: int = MAX_UNPACKED_BYTES) -> bytes:
        """The bytes of entry ``name`` (zstd-decompressed if ``compressed``), at most ``limit``."""
        buffer = bytearray()
        self._stream(name, compressed, buffer.extend, limit)
        return bytes(buffer)

    def copy_to(self, name: str, target: IO[bytes], *, compressed: bool) -> None:
        """Write entry ``name`` (zstd-decompressed if ``compressed``) into ``target``."""
        self._stream(name, compressed, target.write, MAX_UNPACKED_BYTES)

    def close(self) -> None:
        """Release the archive."""
        self._zip.close()

    def _stream(
        self, name: str, compressed: bool, sink: Callable[[bytes], object], limit: int
    ) -> None:
        info = self._members[name]
        cap, reason = min(
            (self._left, f"the {MAX_UNPACKED_BYTES // 1024**3} GiB QuizApp unpacks per package"),
            (limit, "the size such an entry may have"),
            (
                max(RATIO_FREE_BYTES, MAX_RATIO * info.file_size),
                f"{MAX_RATIO} times its packed size",
            )
            if compressed
            else (info.file_size, "the size its header gives"),
        )
        produced = 0
        ahead = _Inflation(self._file)
        with self._reading(name), self._zip.open(info) as member:
            reader = _zstd_reader(member) if compressed else member
            while chunk := reader.read(_CHUNK):
                produced += len(chunk)
                if produced > cap:
                    raise self.error(
                        f"refused: '{name}' in the package unpacks to more than {cap:,} bytes, "
                        f"past {reason}"
                    )
                if not ahead.allows(len(chunk)):
                    raise self.error(
                        f"refused: '{name}' in the package unpacks to {produced:,} bytes from "
                        f"{ahead.packed:,} packed bytes, past {MAX_RATIO} times its packed size "
                        "(a zip bomb?)"
                    )
                sink(chunk)
        self._left -= produced

    @contextmanager
    def _reading(self, name: str) -> Iterator[None]:
        try:
            yield
        except BankError:
            raise
        except _READ_ERRORS as error:
            raise self.error(f"the package is damaged: cannot read '{name}' ({error})") from error


class _Inflation:
    """How far one entry's output has run ahead of the packed bytes it has read.

    Each packed byte read allows MAX_RATIO bytes out; the allowance starts at
    RATIO_FREE_BYTES and is never more than MAX_AHEAD_BYTES.
    """

    def __init__(self, counted: _CountedBytes) -> None:
        self._counted = counted
        self._start = counted.count
        self.packed = 0
        self._allowance = RATIO_FREE_BYTES

    def allows(self, size: int) -> bool:
        """Whether ``size`` more bytes out keep within the allowance (they are counted)."""
        packed = self._counted.count - self._start
        earned = MAX_RATIO * (packed - self.packed)
        self.packed = packed
        self._allowance = min(MAX_AHEAD_BYTES, self._allowance + earned) - size
        return self._allowance >= 0


def _zstd_reader(member: IO[bytes]) -> IO[bytes]:
    decompressor = zstandard.ZstdDecompressor(max_window_size=MAX_ZSTD_WINDOW)
    reader: IO[bytes] = decompressor.stream_reader(member, read_across_frames=True, closefd=False)
    return reader


def open_package(data: bytes, source: str) -> PackageArchive:
    """Open the package ``data``; raises :class:`BankError` if it is unsafe or not a zip."""
    return PackageArchive(data, source)


def package_layout(archive: PackageArchive) -> PackageLayout:
    """Which collection file to read, following Anki's rules for the ``meta`` entry.

    ``meta`` names the package version: 1 ``collection.anki2``, 2
    ``collection.anki21`` (both plain SQLite), 3 ``collection.anki21b``
    (zstd-compressed, with a protobuf media list).  Without ``meta`` the
    newest legacy file present is read.
    """
    if archive.has("meta"):
        layout = _layout_of_version(archive)
    elif archive.has("collection.anki21"):
        layout = PackageLayout("collection.anki21", compressed=False)
    elif archive.has("collection.anki2"):
        layout = PackageLayout("collection.anki2", compressed=False)
    else:
        layout = PackageLayout("collection.anki21b", compressed=True)
    if not archive.has(layout.collection):
        raise archive.error(
            f"not an Anki package: there is no collection inside (no '{layout.collection}')"
        )
    return layout


def _layout_of_version(archive: PackageArchive) -> PackageLayout:
    """The layout that the package version in the ``meta`` entry names."""
    data = archive.read("meta", compressed=False, limit=4096)
    try:
        version = varint_field(data, 1)
    except ProtobufError as error:
        raise archive.error(f"the package's 'meta' entry is damaged: {error}") from error
    layouts = {
        1: PackageLayout("collection.anki2", compressed=False),
        2: PackageLayout("collection.anki21", compressed=False),
        3: PackageLayout("collection.anki21b", compressed=True),
    }
    if version not in layouts:
        raise archive.error(
            f"the package was made by a newer Anki (package version {version}); "
            "QuizApp reads versions 1 to 3"
        )
    return layouts[version]


def _check_directory_size(data: bytes, archive: PackageArchive) -> None:
    """Refuse a central directory too large to hold in memory, found as zipfile finds it."""
    position = len(data) - 22
    if not (
        position >= 0 and data[position : position + 4] == _END_RECORD and data[-2:] == b"\x00\x00"
    ):
        position = data.rfind(_END_RECORD, max(0, len(data) - 22 - _MAX_COMMENT))
    if position < 0 or position + 22 > len(data):
        return  # zipfile refuses it as not a zip
    entries = int.from_bytes(data[position + 10 : position + 12], "little")
    size = int.from_bytes(data[position + 12 : position + 16], "little")
    locator = position - 20
    record = locator - 56
    if (
        record >= 0
        and data[locator : locator + 4] == _ZIP64_LOCATOR
        and data[record : record + 4] == _ZIP64_END_RECORD
    ):
        entries = int.from_bytes(data[record + 32 : record + 40], "little")
        size = int.from_bytes(data[record + 40 : record + 48], "little")
    if entries > MAX_ENTRIES or size > MAX_DIRECTORY_BYTES:
        raise archive.error(
            f"refused: the package lists {entries:,} entries in a {size:,}-byte directory; "
            f"QuizApp reads at most {MAX_ENTRIES:,} entries"
        )


def _checked_members(
    infos: list[zipfile.ZipInfo], archive: PackageArchive
) -> dict[str, zipfile.ZipInfo]:
    """The entries by name, once every header has been checked."""
    if len(infos) > MAX_ENTRIES:
        raise archive.error(f"refused: the package has more than {MAX_ENTRIES:,} entries")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if not _is_safe_name(name) or not _is_safe_name(info.orig_filename):
            raise archive.error(f"refused: the entry name {name!r} points outside the package")
        if name in members:
            raise archive.error(f"refused: the entry {name!r} appears twice in the package")
        if info.flag_bits & 0x1:
            raise archive.error(f"the entry {name!r} is encrypted; QuizApp cannot read it")
        if info.file_size > max(RATIO_FREE_BYTES, MAX_RATIO * info.compress_size):
            raise archive.error(
                f"refused: the entry {name!r} would unpack to {info.file_size:,} bytes from "
                f"{info.compress_size:,} (a zip bomb?)"
            )
        total += info.file_size
        members[name] = info
    if total > MAX_UNPACKED_BYTES:
        raise archive.error(
            f"refused: the package would unpack to {total / 1024**3:.1f} GiB, more than the "
            f"{MAX_UNPACKED_BYTES // 1024**3} GiB QuizApp reads"
        )
    return members


def _is_safe_name(name: str) -> bool:
    """Whether an entry name stays inside the folder it would be extracted to."""
    return bool(
        name
        and not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and not _DRIVE.match(name)
        and ".." not in name.split("/")
    )
