"""One format for every text of a GIFT note: plain, or sanitized HTML.

GIFT marks formats text by text (``[html]``, ``[plain]``...), but a QuizApp note has
one format.  A note with any HTML text becomes an HTML note: its HTML texts are
sanitized and its plain texts escaped.  What sanitizing removes, and images that
refer to files the GIFT file cannot carry, are reported as warnings.
"""

from __future__ import annotations

import re
from operator import attrgetter
from urllib.parse import unquote

from quizapp.banks.gift_kinds import Draft, Found
from quizapp.banks.gift_text import Piece
from quizapp.banks.html import (
    has_script,
    html_to_text,
    is_clean_html,
    plain_to_html,
    remote_references,
    sanitize_html,
)
from quizapp.domain import NoteContent, TextFormat

# Moodle exports embedded files as "@@PLUGINFILE@@/name"; GIFT has no room for the files.
_PLUGINFILE = "@@PLUGINFILE@@/"
_PLUGINFILE_NAME = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>]*)")
_LISTED = 3  # addresses named in a warning before "and N more"
_IS_HTML = attrgetter("html")


class HtmlRenderer:
    """Renders pieces as HTML and remembers what it had to change."""

    def __init__(self) -> None:
        self.scripts = False
        self.remote: list[str] = []
        self.images: list[str] = []

    def __call__(self, piece: Piece) -> str:
        return self.render(piece.text, piece.html)

    def render(self, text: str, is_html: bool) -> str:
        """``text`` as HTML: sanitized when ``is_html``, else escaped."""
        if not is_html:
            return plain_to_html(text)
        if _PLUGINFILE in text:
            for name in _PLUGINFILE_NAME.findall(text):
                self.images.append(unquote(name))
            text = text.replace(_PLUGINFILE, "")
        if _no_markup(text):
            clean = text  # no tag, entity, address or script: nothing to sanitize
        else:
            self.scripts = self.scripts or has_script(text)
            if "=" in text:  # an address is given as src= or href=
                self.remote.extend(remote_references(text))
            clean = sanitize_html(text)
        # Moodle's editor leaves "<p><br></p>" in empty fields; that is no text at all.
        if not _shows_text(clean) and not html_to_text(clean) and "<img" not in clean:
            return ""
        return clean

    def report(self, found: Found, at: int) -> None:
        if self.scripts:
            found.warn(at, "scripts and event handlers were removed from its HTML")
        if self.remote:
            found.warn(
                at,
                f"links and images on other hosts were removed: {_listed(self.remote)}",
            )
        if self.images:
            found.warn(
                at,
                f"image {_listed(self.images)} is not in the GIFT file "
                "(GIFT carries no media); add it to the collection's media to see it",
            )


# Whole tags and spaces at the start of a fragment: the character after them, unless it
# is "&" (an entity may be a space) or "<" (a tag that never closes), is text shown.
_TAGS_AND_SPACES = re.compile(r"(?:<[^<>]*+>|\s++)*+")


def _no_markup(text: str) -> bool:
    """Whether ``text`` holds nothing the sanitizer would change or a warning would name:
    scripts need "<" or "javascript:", an address "=", an entity "&"."""
    if "<" in text or "&" in text or "=" in text or ":" in text:
        return False
    return is_clean_html(text)


def _shows_text(html: str) -> bool:
    """A quick ``bool(html_to_text(html))`` for the commonest case, text after the first
    tags; False says only that :func:`html_to_text` must be asked."""
    end = _TAGS_AND_SPACES.match(html).end()  # type: ignore[union-attr]
    return end < len(html) and html[end] not in "&<"


def _listed(items: list[str]) -> str:
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:_LISTED])
    more = len(unique) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def render_note(
    draft: Draft, explanation: Piece, found: Found
) -> tuple[NoteContent, str, TextFormat]:
    """The note's content, its explanation and the one format they share."""
    if not explanation.html and not any(map(_IS_HTML, draft.pieces)):
        return draft.make(_plain), explanation.text, TextFormat.PLAIN
    renderer = HtmlRenderer()
    content = draft.make(renderer)
    text = renderer(explanation)
    renderer.report(found, draft.pieces[0].at)
    return content, text, TextFormat.HTML


def _plain(piece: Piece) -> str:
    return piece.text
