"""Text terms as conditions on ``search_fts``: the word index first, LIKE to make sure.

Anki's search finds text anywhere (``dog`` in ``underdog``), the index words.  A
term is cut into words; a word the term may extend on its left or right becomes the
indexed words that contain it, end or start with it, looked up in the vocabulary
(:class:`Vocabulary`).  Those narrow the notes to a few through the index; a LIKE
over their texts then keeps exactly those the term is in.  A term that is one word
needs no LIKE: the notes holding a word that contains it are the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Protocol

from quizapp.search.fields import SEARCH_FIELDS
from quizapp.search.text import Glob, comparable, folded

# The item separator of a search column: a field's texts are stored "\x1fa\x1fb\x1f".
ITEM = "\x1f"
# A word, as the index is told the texts' words: letters and digits.
WORD = re.compile(r"[^\W_]+")
_WHITESPACE_ONLY = re.compile(r"\s+\Z")
MAX_WORDS = 300  # indexed words one term's word may stand for; more: not used to narrow
# LIKE and regular expressions read the texts from search_texts (as ``t``), joined to the
# index rows by note id: a B-tree look-up, where search_fts's own columns would cost a
# query of its content table per row.
TEXTS = "t"
ALL_TEXT = " || ".join(f"{TEXTS}.{name}" for name in SEARCH_FIELDS)


class Fit(Enum):
    """How an indexed word must hold a word of the term."""

    EXACT = "exact"  # the same word
    PREFIX = "prefix"  # the indexed word starts with it
    SUFFIX = "suffix"  # … ends with it
    INFIX = "infix"  # … contains it


class Vocabulary(Protocol):
    """The words of the index, and how many notes of each kind it holds."""

    def words(self, word: str, fit: Fit, fold_accents: bool) -> list[str] | None:
        """The indexed words that hold ``word`` as ``fit`` says (compared without accents
        if ``fold_accents``); None when there are more than :data:`MAX_WORDS`."""
        ...

    def kind_counts(self) -> dict[str, int]:
        """How many notes of each kind the index holds."""
        ...


class _Nothing(Exception):
    """A word of the term is in no note: the term matches nothing."""


class TextConditions:
    """Conditions on ``search_fts`` rows, their values added through ``param``."""

    def __init__(self, param: Callable[[object], str], vocabulary: Vocabulary) -> None:
        self.param = param
        self.vocabulary = vocabulary

    def word_match(self, pattern: Glob, fold_accents: bool) -> str | None:
        """The MATCH expression that alone finds a one-word term (``""``: no note can),
        or None for another term: ``or`` between such terms is one index query."""
        pattern = pattern.mapped(folded if fold_accents else comparable)
        if not (pattern.is_literal and WORD.fullmatch(pattern.text)):
            return None
        try:
            return self.expression(pattern, (), open_ends=True, fold_accents=fold_accents)
        except _Nothing:
            return ""

    def text(self, pattern: Glob, fold_accents: bool) -> str:
        """Notes with ``pattern`` anywhere in their texts."""
        pattern = pattern.mapped(folded if fold_accents else comparable)
        try:
            narrowed = self.narrowed(pattern, (), open_ends=True, fold_accents=fold_accents)
        except _Nothing:
            return "0"
        # A one-word term is in a text just when it is in one of the text's words: the
        # words found in the vocabulary (their accent-free forms for nc:) are the answer.
        one_word = pattern.is_literal and WORD.fullmatch(pattern.text) is not None
        if narrowed and one_word:
            return narrowed
        like = f"%{pattern.to_like()}%"
        checked = f"quizapp_fold({ALL_TEXT})" if fold_accents else f"({ALL_TEXT})"
        check = f"{checked} LIKE {self.param(like)} ESCAPE '\\'"
        return f"{narrowed} AND {check}" if narrowed else check

    def field(self, pattern: Glob, fields: Sequence[str], fold_accents: bool) -> str:
        """Notes with one text of one of ``fields`` matching ``pattern`` whole."""
        pattern = pattern.mapped(folded if fold_accents else comparable)
        try:
            narrowed = self.narrowed(pattern, fields, open_ends=False, fold_accents=fold_accents)
        except _Nothing:
            return "0"
        like = f"%{ITEM}{pattern.to_like()}{ITEM}%"
        checks = []
        for name in fields:
            column = f"{TEXTS}.{name}"
            checked = f"quizapp_fold({column})" if fold_accents else column
            checks.append(f"{checked} LIKE {self.param(like)} ESCAPE '\\'")
        check = "(" + " OR ".join(checks) + ")"
        return f"{narrowed} AND {check}" if narrowed else check

    def narrowed(
        self, pattern: Glob, fields: Sequence[str], *, open_ends: bool, fold_accents: bool
    ) -> str:
        """A MATCH for the notes that hold the words the pattern needs, or ``""``."""
        expression = self.expression(
            pattern, fields, open_ends=open_ends, fold_accents=fold_accents
        )
        return f"search_fts MATCH {self.param(expression)}" if expression else ""

    def expression(
        self, pattern: Glob, fields: Sequence[str], *, open_ends: bool, fold_accents: bool
    ) -> str:
        """The FTS5 query of the words the pattern needs, or ``""`` if it needs none."""
        groups: list[str] = []
        for index, part in enumerate(pattern.parts):
            if not isinstance(part, str):
                continue
            left_open = index > 0 or open_ends
            right_open = index < len(pattern.parts) - 1 or open_ends
            groups += self.groups(part, left_open, right_open, fold_accents)
        if not groups:
            return ""
        expression = " AND ".join(groups)
        if fields:
            expression = "{" + " ".join(fields) + "} : (" + expression + ")"
        return expression

    def groups(self, run: str, left_open: bool, right_open: bool, fold: bool) -> list[str]:
        """The FTS5 groups of one literal run of the pattern, one per word (or a phrase)."""
        found = [
            (
                match.group(),
                _fit(left_open and match.start() == 0, right_open and match.end() == len(run)),
            )
            for match in WORD.finditer(run)
        ]
        if len(found) > 1 and not fold and _spaced(run, found):
            phrase = self.phrase(found)
            if phrase is not None:
                return [phrase]
        groups = []
        for word, fit in found:
            group = self.group(word, fit, fold)
            if group is not None:
                groups.append(group)
        return groups

    def group(self, word: str, fit: Fit, fold: bool) -> str | None:
        """``word`` as FTS5 query text, or None when it stands for too many words."""
        if not fold and fit is Fit.EXACT:
            return _quoted(word)
        if not fold and fit is Fit.PREFIX:
            return _quoted(word) + "*"
        words = self.vocabulary.words(word, fit, fold)
        if words is None:
            return None
        if not words:
            raise _Nothing(word)
        return "(" + " OR ".join(map(_quoted, words)) + ")"

    def phrase(self, found: list[tuple[str, Fit]]) -> str | None:
        """Words apart by spaces only, as FTS5 phrases (the first word's forms or'ed)."""
        (first, first_fit), *rest = found
        last_word, last_fit = rest[-1]
        middle = [word for word, _fit_of in rest[:-1]]
        if first_fit is Fit.SUFFIX:
            firsts = self.vocabulary.words(first, Fit.SUFFIX, False)
            if firsts is None:
                return None
            if not firsts:
                raise _Nothing(first)
        else:
            firsts = [first]
        star = "*" if last_fit is Fit.PREFIX else ""
        tail = " ".join([*middle, last_word])
        return "(" + " OR ".join(f'"{word} {tail}"{star}' for word in firsts) + ")"


def _fit(left_open: bool, right_open: bool) -> Fit:
    if left_open and right_open:
        return Fit.INFIX
    if left_open:
        return Fit.SUFFIX
    return Fit.PREFIX if right_open else Fit.EXACT


def _spaced(run: str, found: list[tuple[str, Fit]]) -> bool:
    """Whether the run is its words apart by whitespace only (nothing before or after)."""
    words = WORD.findall(run)
    gaps = WORD.split(run)
    return (
        len(words) == len(found)
        and gaps[0] == ""
        and gaps[-1] == ""
        and all(_WHITESPACE_ONLY.match(gap) for gap in gaps[1:-1])
    )


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'
