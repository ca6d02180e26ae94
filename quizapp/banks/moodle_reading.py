"""Reading the parts of one Moodle ``<question>``: values, numbers, texts and their files.

Every problem is recorded with the line of the element it is about; the parser
raises them together at the end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.etree.ElementTree import Element, tostring

from quizapp.banks.bounds import out_of_range, within_bound
from quizapp.banks.html import has_script, plain_to_html, remote_references, sanitize_html
from quizapp.banks.moodle_media import (
    MediaProblem,
    MediaStore,
    StoredFile,
    decode_base64,
    file_key,
    media_kind,
    rewrite_references,
)
from quizapp.domain import ImportIssue, TextFormat

_TRUE_VALUES = {"1", "true", "yes"}
_FALSE_VALUES = {"0", "false", "no", ""}


class MoodleReader:
    """What reading one file gathers: problems, warnings and media, located by line."""

    def __init__(self, source: str, lines: Mapping[int, int]) -> None:
        self.source = source
        self.lines = lines
        self.issues: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []
        self.media = MediaStore()
        self.template_ids: set[str] = set()

    def line(self, where: Element | int) -> int:
        """The source line of an element (or a line given as is)."""
        return where if isinstance(where, int) else self.lines.get(id(where), 0)

    def error(self, where: Element | int, message: str) -> None:
        """Record a problem that stops the import."""
        self.issues.append(ImportIssue(self.source, self.line(where), message))

    def warn(self, where: Element | int, message: str) -> None:
        """Record something skipped or changed; the import goes on."""
        self.warnings.append(ImportIssue(self.source, self.line(where), message))


def inner_xml(element: Element) -> str:
    """The text of ``element`` with any child elements written back as markup."""
    parts = [element.text or ""]
    parts.extend(tostring(child, encoding="unicode") for child in element)
    return "".join(parts)


def value_of(element: Element | None) -> str:
    """The trimmed value of ``<x>value</x>`` or ``<x><text>value</text></x>``."""
    if element is None:
        return ""
    return _raw_text(element).strip()


def _raw_text(element: Element) -> str:
    """The ``<text>`` of a part, markup kept; a part with no ``<text>`` holds its value."""
    text_element = element.find("text")
    return inner_xml(text_element) if text_element is not None else element.text or ""


def _note_format(question: Element) -> TextFormat:
    for element in question.iter():
        if element.get("format") == "html" and value_of(element):
            return TextFormat.HTML
    return TextFormat.PLAIN


class QuestionFields:
    """One ``<question>``, read part by part; all its texts share one format."""

    def __init__(self, reader: MoodleReader, element: Element, title: str) -> None:
        self.reader = reader
        self.element = element
        self.title = title
        self.text_format = _note_format(element)
        self._unsafe: list[str] = []

    @property
    def label(self) -> str:
        """How messages name the question."""
        return f"question '{self.title}'" if self.title else "a question"

    def error(self, where: Element | None, message: str) -> None:
        """Record a problem with this question, at ``where`` or else at the question."""
        self.reader.error(self.element if where is None else where, f"{self.label}: {message}")

    def warn(self, where: Element | None, message: str) -> None:
        """Record a warning about this question."""
        self.reader.warn(self.element if where is None else where, f"{self.label}: {message}")

    def value(self, tag: str, parent: Element | None = None) -> str:
        """The trimmed value of the child ``tag`` (of the question, or of ``parent``)."""
        return value_of((self.element if parent is None else parent).find(tag))

    def flag(self, tag: str, default: bool, parent: Element | None = None) -> bool:
        """A yes/no value such as ``<single>`` or ``<shuffleanswers>``; padding is trimmed."""
        element = (self.element if parent is None else parent).find(tag)
        if element is None:
            return default
        value = value_of(element).lower()
        if value not in _TRUE_VALUES | _FALSE_VALUES:
            self.error(element, f"<{tag}> must be 1 or 0 (true or false), not '{value}'")
            return default
        return value in _TRUE_VALUES

    def number(self, text: str, where: Element, what: str) -> float | None:
        """``text`` as a number within ±1e15, or ``None`` (reported) if it is not one."""
        try:
            number = float(text.strip())
        except ValueError:
            self.error(where, f"{what} must be a number, not '{short(text.strip())}'")
            return None
        if not within_bound(number):
            self.error(where, out_of_range(what, text))
            return None
        return number

    def fraction(self, answer: Element) -> float | None:
        """An answer's credit, Moodle's percentage as -1..1."""
        number = self.number(answer.get("fraction", "0"), answer, "the answer's fraction")
        if number is not None and not -100 <= number <= 100:
            self.error(answer, f"the answer's fraction {number:g} is outside -100..100")
            return None
        return None if number is None else number / 100

    def plain(self, text: str) -> str:
        """Plain ``text`` in the question's format."""
        return plain_to_html(text) if self.text_format is TextFormat.HTML else text

    def text(self, element: Element | None) -> str:
        """A text part (question, answer, feedback…) in the question's format, files kept."""
        if element is None:
            return ""
        files = self._files(element)
        raw = _raw_text(element).strip()
        if element.get("format") != "html":
            return self.plain(raw)
        if has_script(raw):
            self._unsafe.append("a script")
        self._unsafe.extend(f"the address {address}" for address in remote_references(raw))
        rewritten, missing = rewrite_references(raw, files)
        for name in missing:
            self.warn(element, f"refers to the file '{name}', which it does not carry; removed")
        return sanitize_html(rewritten).strip()

    def child_text(self, tag: str, parent: Element | None = None) -> str:
        """The text part ``tag`` of the question (or of ``parent``)."""
        return self.text((self.element if parent is None else parent).find(tag))

    def _files(self, element: Element) -> dict[str, StoredFile | None]:
        files: dict[str, StoredFile | None] = {}
        for file_element in element.findall("file"):
            name = (file_element.get("name") or "").strip()
            key = file_key(file_element.get("path", "/"), name)
            files[key] = self._read_file(file_element, name)
        return files

    def _read_file(self, element: Element, name: str) -> StoredFile | None:
        if not name:
            self.error(element, "a <file> has no name")
            return None
        encoding = element.get("encoding", "base64").strip().lower()
        if encoding != "base64":
            self.error(element, f"file '{name}' is encoded as '{encoding}', not base64")
            return None
        try:
            data = decode_base64(element.text or "")
        except MediaProblem as problem:
            self.error(element, f"file '{name}' {problem}")
            return None
        kind = media_kind(data)
        if kind is None:
            self.warn(element, f"file '{name}' is not an image or sound QuizApp shows; skipped")
            return None
        return StoredFile(self.reader.media.add(name, data), kind)

    def finish(self) -> None:
        """Warn once if scripts or remote addresses were removed from the texts."""
        if self._unsafe:
            found = ", ".join(dict.fromkeys(self._unsafe))
            self.warn(None, f"removed {found} (QuizApp shows no scripts or remote files)")


def short(text: str, length: int = 40) -> str:
    """``text`` cut to ``length`` characters for a message."""
    return text if len(text) <= length else text[: length - 1] + "…"


def slug(text: str) -> str:
    """A lower-case, dash-separated form of ``text`` for ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
