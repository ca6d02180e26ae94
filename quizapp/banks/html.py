"""Card HTML from other apps, cut down to a safe subset that Qt's rich text shows.

Scripts, styles, event handlers, forms and frames go; links and images may
only point at files in the collection's media store (no scheme, no host), so
nothing is ever fetched from the network.  Sanitizing is done by ``nh3``
(Ammonia), a maintained sanitizer, not by hand.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

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
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_IMG_SRC = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"', re.IGNORECASE)
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
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("/", "\\")) or ".." in value:
        return None
    return value


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
    for match in re.finditer(r'\b(?:src|href)\s*=\s*["\']?([^"\'\s>]+)', text, re.IGNORECASE):
        parts = urlsplit(match.group(1))
        if parts.scheme in ("http", "https", "ftp") or parts.netloc:
            found.append(match.group(1))
    return found


def has_script(text: str) -> bool:
    """Whether ``text`` carries a script, an event handler or a ``javascript:`` address."""
    lowered = text.lower()
    return (
        "<script" in lowered
        or "javascript:" in lowered
        # [^<>] keeps the search linear on text full of "<".
        or re.search(r"<[^<>]+\son[a-z]+\s*=", lowered) is not None
    )


def image_sources(text: str) -> list[str]:
    """The local file names that ``<img src>`` in sanitized ``text`` refers to."""
    return [unquote(source) for source in _IMG_SRC.findall(text) if source]


def html_to_text(text: str) -> str:
    """Readable plain text of an HTML fragment (for previews, guids and comparisons)."""
    text = re.sub(r"<br\s*/?>|</(p|div|li|tr|h\d)>", "\n", text, flags=re.IGNORECASE)
    text = html.unescape(_TAG.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def plain_to_html(text: str) -> str:
    """Escape plain ``text`` for HTML, keeping its line breaks."""
    return html.escape(text).replace("\n", "<br>")


def rename_sources(text: str, renames: dict[str, str]) -> str:
    """``text`` with ``<img src>`` and ``[sound:]`` names replaced as ``renames`` says."""

    def image(match: re.Match[str]) -> str:
        name = unquote(match.group(2))
        return match.group(1) + renames.get(name, match.group(2)) + match.group(3)

    text = re.sub(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', image, text, flags=re.IGNORECASE)
    return re.sub(
        r"\[sound:([^\]]+)\]", lambda m: f"[sound:{renames.get(m.group(1), m.group(1))}]", text
    )
