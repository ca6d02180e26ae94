"""A tiny reader for the few protobuf messages inside Anki packages.

Only what the Anki importer needs: varints and length-delimited fields, with
every length checked against the buffer, so damaged or hostile bytes raise
:class:`ProtobufError` instead of reading past the end.  The messages read are
``PackageMetadata`` (the ``meta`` file), ``MediaEntries`` (the ``media`` file)
and the ``config`` blobs of note types and card templates in schema 18.
"""

from __future__ import annotations

from collections.abc import Iterator

VARINT = 0
FIXED64 = 1
LENGTH_DELIMITED = 2
FIXED32 = 5
_MAX_VARINT_BYTES = 10


class ProtobufError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def read_varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at ``position`` and the position after it."""
    value = 0
    for index in range(_MAX_VARINT_BYTES):
        if position >= len(data):
            raise ProtobufError("a number runs past the end of the message")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << (7 * index)
        if byte < 0x80:
            return value, position
    raise ProtobufError("a number is longer than ten bytes")


def iter_fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """Each field of a message: ``(number, wire type, value)``.

    A varint's value is an int; a length-delimited value is its bytes; fixed
    32- and 64-bit values are returned as little-endian ints.
    """
    position = 0
    while position < len(data):
        key, position = read_varint(data, position)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0 is not allowed")
        value: int | bytes
        if wire_type == VARINT:
            value, position = read_varint(data, position)
        elif wire_type == LENGTH_DELIMITED:
            length, position = read_varint(data, position)
            if length > len(data) - position:
                raise ProtobufError("a field runs past the end of the message")
            value, position = data[position : position + length], position + length
        elif wire_type in (FIXED64, FIXED32):
            width = 8 if wire_type == FIXED64 else 4
            if width > len(data) - position:
                raise ProtobufError("a field runs past the end of the message")
            value = int.from_bytes(data[position : position + width], "little")
            position += width
        else:
            raise ProtobufError(f"unsupported wire type {wire_type}")
        yield number, wire_type, value


def varint_field(data: bytes, number: int, default: int = 0) -> int:
    """The last value of varint field ``number`` (protobuf's rule), else ``default``."""
    found = default
    for field_number, wire_type, value in iter_fields(data):
        if field_number == number:
            if wire_type != VARINT or not isinstance(value, int):
                raise ProtobufError(f"field {number} is not a number")
            found = value
    return found


def string_field(data: bytes, number: int) -> str:
    """The last value of string field ``number``, else the empty string."""
    found = ""
    for field_number, wire_type, value in iter_fields(data):
        if field_number == number:
            if wire_type != LENGTH_DELIMITED or not isinstance(value, bytes):
                raise ProtobufError(f"field {number} is not text")
            found = decode_utf8(value)
    return found


def decode_utf8(value: bytes) -> str:
    """``value`` as UTF-8 text; invalid bytes are a :class:`ProtobufError`."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtobufError("a text field is not valid UTF-8") from error
