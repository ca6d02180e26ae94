"""Note tags: words without spaces, ``::`` separating levels (``ml::optimizers``), as in Anki.

Tags compare without regard to case; removing a tag removes the tags below it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

TAG_SEPARATOR = "::"


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` cannot be a tag, or None when it can."""
    if not tag:
        return "a tag cannot be empty"
    if any(character.isspace() for character in tag):
        return f"the tag '{tag}' has a space in it; tags are single words (use _ or ::)"
    if any(not level for level in tag.split(TAG_SEPARATOR)):
        return f"the tag '{tag}' has an empty level"
    return None


def has_tag(tags: Iterable[str], tag: str) -> bool:
    """Whether ``tag`` is among ``tags`` (case ignored)."""
    wanted = tag.casefold()
    return any(existing.casefold() == wanted for existing in tags)


def with_tags(tags: Sequence[str], added: Iterable[str]) -> tuple[str, ...]:
    """``tags`` with ``added`` at the end, each tag once (case ignored)."""
    result = list(tags)
    for tag in added:
        if not has_tag(result, tag):
            result.append(tag)
    return tuple(result)


def without_tags(tags: Sequence[str], removed: Iterable[str]) -> tuple[str, ...]:
    """``tags`` without ``removed`` and the tags below them (``a`` takes ``a::b``)."""
    gone = [tag.casefold() for tag in removed]

    def dropped(tag: str) -> bool:
        folded = tag.casefold()
        return any(folded == g or folded.startswith(g + TAG_SEPARATOR) for g in gone)

    return tuple(tag for tag in tags if not dropped(tag))
