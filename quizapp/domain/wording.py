"""Counted nouns, written once: ``1 note``, ``2 notes``, ``1 new card``.

Every sentence that shows a count goes through :func:`count`, so that no window
or command says "1 notes" or "direction(s)".
"""

from __future__ import annotations

_IRREGULAR = {"this": "these", "is": "are", "was": "were", "has": "have"}


def plural(noun: str, number: int) -> str:
    """``noun`` as it reads after ``number``: ``card``/``cards``, ``entry``/``entries``."""
    if number == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def count(number: int, noun: str) -> str:
    """``1 note``, ``2 notes``, ``1,024 cards``: the number with thousands separators."""
    return f"{number:,} {plural(noun, number)}"
