"""Card HTML from other apps, cut down to a safe subset that Qt's rich text shows.

Scripts, styles, event handlers, forms and frames go; links and images may
only point at files in the collection's media store (no scheme, no host), so
nothing is ever fetched from the network.  Sanitizing is done by ``nh3``
(Ammonia), a maintained sanitizer, not by hand.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from urllib.parse import SplitResult, unquote, urlsplit

import nh3

ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}
# Every pattern here reads text in linear time: no two quantifiers can take the same
# characters, and a pattern that could try each start to the end of the text (a tag
# that never closes) is applied only up to the last character that can end a match.
_TAG = re.compile(r"<[^>]+>")
_LINE_END_TAG = re.compile(r"<br\s*/?>|</(p|div|li|tr|h\d)>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
# An image's source is what ``<img\b[^>]*?\bsrc="([^"]*)"`` finds, read in one pass
# by :func:`_source_spans` from these two.
_IMG = re.compile(r"<img\b", re.IGNORECASE)
_SRC = re.compile(r'\bsrc="', re.IGNORECASE)
_REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# [^<>] keeps the search linear on text full of "<".
_HANDLER = re.compile(r"<[^<>]+\son[a-z]+\s*=")
# Text, line breaks, the four entities that come back as written, and attribute-free
# inline tags closed at the same level: what the sanitizer returns unchanged (a
# property test holds it to that).  Most markup in real cards is no more than this.
_PLAIN_RUN = r"(?:[^<>&\r\x00\xa0\ufeff]++|<br>|&(?:amp|lt|gt|nbsp);)"
_ALREADY_CLEAN = re.compile(
    rf"(?:{_PLAIN_RUN}|<(b|i|u|s|em|strong|sub|sup|small|code|span)>{_PLAIN_RUN}*+</\1>)*+"
)


def _local_only(tag: str, attribute: str, value: str) -> str | None:
    """Keep ``src`` only for a plain file name or relative path: no scheme, no host."""
    if attribute != "src":
        return value
    parts = _split(value)
    if parts is None or parts.scheme or parts.netloc:
        return None
    if value.startswith(("/", "\\")) or ".." in value:
        return None
    return value


def _split(address: str) -> SplitResult | None:
    """The parts of an address, or None for one Python cannot read (``http://[x``)."""
    try:
        return urlsplit(address)
    except ValueError:
        return None


# Built once: building a sanitizer costs several times more than using it.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_local_only,
    url_schemes=set(),
    link_rel=None,
    strip_comments=True,
)


def sanitize_html(text: str) -> str:
    """``text`` with everything outside the safe subset removed.

    Remote images and links lose their address (the tag stays, empty); a caller
    that wants to warn about them can compare :func:`remote_references` first.
    """
    return text if is_clean_html(text) else _CLEANER.clean(text)


def is_clean_html(text: str) -> bool:
    """Whether ``text`` is simple markup the sanitizer would return as it is.

    False says nothing: the text may or may not need cleaning.
    """
    return _ALREADY_CLEAN.fullmatch(text) is not None


def remote_references(text: str) -> list[str]:
    """Addresses on other hosts that ``text`` would load (images, frames, scripts)."""
    found = []
    for match in _REFERENCE.finditer(text):
        parts = _split(match.group(1))
        # An address that cannot even be read is not trusted to stay local.
        if parts is None or parts.scheme in ("http", "https", "ftp") or parts.netloc:
            found.append(match.group(1))
    return found


def has_script(text: str) -> bool:
    """Whether ``text`` carries a script, an event handler or a ``javascript:`` address."""
    lowered = text.lower()
    return "<script" in lowered or "javascript:" in lowered or _HANDLER.search(lowered) is not None


def image_sources(text: str) -> list[str]:
    """The local file names that ``<img src>`` in sanitized ``text`` refers to."""
    return [unquote(text[start:end]) for _, start, end in _source_spans(text) if end > start]


def _source_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """Where each ``<img src="...">`` is: (tag start, value start, value end).

    Each tag's source is the first ``src="`` before the tag's first ``>``, up to the
    next quote.  The next ``>`` and the next ``src="`` are looked for only once past
    the previous ones, so the text is read once however many tags never close.
    """
    position = 0
    tag_end = -1  # the first ">" from the last tag looked at (len(text): none)
    source: re.Match[str] | None = _SRC.search(text)
    while source is not None and (image := _IMG.search(text, position)) is not None:
        after = image.end()
        if tag_end < after:
            found = text.find(">", after)
            tag_end = len(text) if found < 0 else found
        if source.start() < after:
            source = _SRC.search(text, after)
            if source is None:
                return
        if source.start() >= tag_end:  # this tag has no source: try the next
            position = after
            continue
        value_end = text.find('"', source.end())
        if value_end < 0:  # no quote closes it, nor any later source
            return
        yield image.start(), source.end(), value_end
        position = value_end + 1


def _up_to_last(text: str, last: str, replace: Callable[[str], str]) -> str:
    """``replace(text)`` applied only up to the last ``last``, which every match ends with.

    Past it no match can end, so a pattern need not try every start to the end.
    """
    end = text.rfind(last) + 1
    return replace(text[:end]) + text[end:] if end else text


def html_to_text(text: str) -> str:
    """Readable plain text of an HTML fragment (for previews, guids and comparisons)."""
    text = _LINE_END_TAG.sub("\n", text)
    text = html.unescape(_up_to_last(text, ">", lambda head: _TAG.sub("", head)))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def plain_to_html(text: str) -> str:
    """Escape plain ``text`` for HTML, keeping its line breaks."""
    return html.escape(text).replace("\n", "<br>")


def rename_sources(text: str, renames: dict[str, str]) -> str:
    """``text`` with ``<img src>`` and ``[sound:]`` names replaced as ``renames`` says."""

    if not renames:
        return text
    pieces: list[str] = []
    position = 0
    for _, start, end in _source_spans(text):
        value = text[start:end]
        pieces += (text[position:start], renames.get(unquote(value), value))
        position = end
    text = "".join(pieces) + text[position:] if pieces else text

    def sound(match: re.Match[str]) -> str:
        return f"[sound:{renames.get(match.group(1), match.group(1))}]"

    return _up_to_last(text, "]", lambda head: _SOUND.sub(sound, head))
