"""One search term (``dog``, ``deck:"A::B"``, ``prop:ivl>=10``) into its node.

A term with an unescaped colon is ``key:value``; the keys below are Anki's (and
``kind:``, ``source:`` of QuizApp's), and any other key is a field name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from quizapp.errors import UserError
from quizapp.search.fields import SEARCH_FIELDS, field_columns, is_face_name, kinds_named
from quizapp.search.nodes import (
    AddedSearch,
    CardIdSearch,
    CardSearch,
    Comparison,
    DeckSearch,
    EditedSearch,
    FieldSearch,
    FlagSearch,
    IntroducedSearch,
    KindSearch,
    Node,
    NoteIdSearch,
    Property,
    PropertySearch,
    RatedSearch,
    RegexSearch,
    SourceSearch,
    StateKind,
    StateSearch,
    TagSearch,
    TextSearch,
)
from quizapp.search.regex import checked_regex
from quizapp.search.text import Glob

# After a backslash: what the parser takes (a quote, colon, parenthesis or dash) and
# what a pattern takes (a backslash, star or underscore).
_PARSER_ESCAPES = '":()-'
_PATTERN_ESCAPES = "\\*_"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")
_WHOLE = re.compile(r"[-+]?\d+\Z")
_ID_LIST = re.compile(r"\d+(?:,\d+)*\Z")
_PROPERTY = re.compile(r"([a-z]*)(<=|>=|!=|=|<|>)?(.*)\Z", re.DOTALL)
_STATES = {state.value: state for state in StateKind} | {
    "buried-manually": StateKind.BURIED,
    "buried-sibling": StateKind.BURIED,
}
_KEYS = (
    "deck, tag, is, flag, card, kind, note, prop, rated, introduced, added, edited, nid, cid, "
    "re, nc, w, source"
)
MAX_FLAG = 7
MAX_DAYS = 36_500  # a hundred years back is every answer there is


def first_colon(raw: str) -> int | None:
    """The index of the first colon of ``raw`` not escaped by a backslash."""
    index = 0
    while index < len(raw):
        if raw[index] == "\\":
            index += 2
            continue
        if raw[index] == ":":
            return index
        index += 1
    return None


def term_node(raw: str, position: int) -> Node:
    """The node of one term as written (escapes kept); ``position`` is where it starts."""
    colon = first_colon(raw)
    if colon is None:
        return TextSearch(Glob.parse(_unescaped(raw, raw)))
    if colon == 0:
        raise UserError(
            f"'{raw}' at character {position} has nothing before its colon: write \\: "
            "to search for a colon, or put a key before it (deck:, tag:, front:, …)."
        )
    key, value = _unescaped(raw[:colon], raw), raw[colon + 1 :]
    handler = _HANDLERS.get(key.lower())
    if handler is not None:
        return handler(value, raw)
    return _field_node(key, value, raw)


def _unescaped(text: str, term: str) -> str:
    """``text`` with the parser's escapes resolved; the pattern's kept for :class:`Glob`."""
    if "\\" not in text:
        return text
    pieces = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            pieces.append(char)
            index += 1
            continue
        following = text[index + 1 : index + 2]
        if following in _PARSER_ESCAPES and following:
            pieces.append(following)
        elif following in _PATTERN_ESCAPES and following:
            pieces.append(char + following)
        else:
            raise UserError(
                f"'\\{following}' in '{term}' is not an escape QuizApp knows: \\\\ \\\" \\: "
                "\\( \\) \\- \\* and \\_ are; write \\\\ for a backslash."
            )
        index += 2
    return "".join(pieces)


def _pattern(value: str, term: str) -> Glob:
    return Glob.parse(_unescaped(value, term))


def _unknown(term: str, explanation: str) -> UserError:
    return UserError(f"Unknown search term '{term}': {explanation}")


def _field_node(key: str, value: str, term: str) -> Node:
    columns = field_columns(Glob.parse(key))
    if not columns:
        raise _unknown(
            term,
            f"'{key}' is neither a search key ({_KEYS}) nor a field "
            f"({', '.join(SEARCH_FIELDS)}); write \\: to search for a colon.",
        )
    if value.startswith("re:"):
        pattern = _regex_text(value[3:])
        checked_regex(pattern, term)
        return RegexSearch(pattern, columns)
    if value.startswith("nc:"):
        return FieldSearch(columns, _pattern(value[3:], term), fold_accents=True)
    return FieldSearch(columns, _pattern(value, term))


def _regex_text(value: str) -> str:
    """A ``re:`` value: only ``\\"`` is the parser's; every other escape is the regex's."""
    return value.replace('\\"', '"')


def _regex(value: str, term: str) -> Node:
    pattern = _regex_text(value)
    checked_regex(pattern, term)
    return RegexSearch(pattern)


def _word(value: str, term: str) -> Node:
    glob = _pattern(value, term)
    pattern = rf"\b{glob.to_regex()}\b"
    checked_regex(pattern, term)
    return RegexSearch(pattern)


def _deck(value: str, term: str) -> Node:
    return DeckSearch(_pattern(value, term))


def _tag(value: str, term: str) -> Node:
    if value.lower() == "none":
        return TagSearch(None)
    if value.startswith("re:"):
        raise _unknown(term, "QuizApp matches tags with * and _, not regular expressions.")
    return TagSearch(_pattern(value, term))


def _state(value: str, term: str) -> Node:
    state = _STATES.get(value.lower())
    if state is None:
        raise _unknown(term, "is: takes new, learn, review, due, suspended, buried or flagged.")
    return StateSearch(state)


def _flag(value: str, term: str) -> Node:
    if not value.isdigit() or not value.isascii() or int(value) > MAX_FLAG:
        raise _unknown(term, f"flag: takes 0 (no flag) to {MAX_FLAG}.")
    return FlagSearch(int(value))


def _card(value: str, term: str) -> Node:
    if value.isdigit() and value.isascii():
        return CardSearch(ordinal=max(1, int(value)))
    name = _pattern(value, term).mapped(str.lower)
    if not value or (name.is_literal and not is_face_name(name.text)):
        raise _unknown(
            term,
            "card: takes a card's number (1 for a note's first card, 2 for a reversed "
            "pair's reverse or the second cloze deletion) or a name: forward, reverse, "
            "cloze, c1, c2 and so on.",
        )
    return CardSearch(name=name)


def _kind(value: str, term: str, *, anki_names: bool = False) -> Node:
    kinds = kinds_named(_pattern(value, term), anki_names=anki_names)
    if not kinds:
        extra = " or one of Anki's note types (Basic, Cloze, …)" if anki_names else ""
        raise _unknown(
            term,
            "kind: takes basic, basic_reversed (reversed), true_false (tf), "
            "multiple_choice (mc), multiple_response (mr), typed, numeric (num), "
            f"matching (match), cloze or exercise (ex){extra}.",
        )
    return KindSearch(kinds)


def _note(value: str, term: str) -> Node:
    return _kind(value, term, anki_names=True)


def _property(value: str, term: str) -> Node:
    match = _PROPERTY.match(value.lower())
    assert match is not None  # every text matches
    name, operator, number = match.groups()
    try:
        prop = Property(name)
    except ValueError:
        raise _unknown(
            term,
            "prop: takes ivl, due, reps, lapses, s, d or r, then <, <=, =, !=, >= or >, "
            "then a number, as in prop:ivl>=10.",
        ) from None
    if operator is None:
        raise _unknown(
            term, f"prop:{name} needs a comparison (<, <=, =, !=, >= or >) before its number."
        )
    return PropertySearch(prop, Comparison(operator), _property_value(prop, number, term))


def _property_value(prop: Property, number: str, term: str) -> float:
    if not _NUMBER.match(number):
        raise _unknown(term, f"{number or 'nothing'} is not a number.")
    if prop in (Property.STABILITY, Property.DIFFICULTY, Property.RETRIEVABILITY):
        return float(number)
    if not _WHOLE.match(number):
        raise _unknown(term, f"prop:{prop.value} takes a whole number, not {number}.")
    whole = int(number)
    if whole < 0 and prop is not Property.DUE:
        raise _unknown(term, f"prop:{prop.value} takes a whole number from 0 up, not {number}.")
    return float(whole)


def _days(value: str, term: str, key: str) -> int:
    if not value.isdigit() or not value.isascii():
        raise _unknown(term, f"{key}: takes a number of days, as in {key}:7 (1 is today).")
    return min(max(1, int(value)), MAX_DAYS)


def _rated(value: str, term: str) -> Node:
    days, separator, grade = value.partition(":")
    count = _days(days, term, "rated")
    if not separator:
        return RatedSearch(count)
    if grade not in ("1", "2", "3", "4"):
        raise _unknown(
            term,
            "the grade after rated:DAYS: must be 1 (again), 2 (hard), 3 (good) or 4 (easy).",
        )
    return RatedSearch(count, int(grade))


def _introduced(value: str, term: str) -> Node:
    return IntroducedSearch(_days(value, term, "introduced"))


def _added(value: str, term: str) -> Node:
    return AddedSearch(_days(value, term, "added"))


def _edited(value: str, term: str) -> Node:
    return EditedSearch(_days(value, term, "edited"))


def _ids(value: str, term: str, key: str) -> tuple[int, ...]:
    if not _ID_LIST.match(value) or not value.isascii():
        raise _unknown(term, f"{key}: takes ids separated by commas, as in {key}:12,15.")
    return tuple(int(part) for part in value.split(","))


def _note_ids(value: str, term: str) -> Node:
    return NoteIdSearch(_ids(value, term, "nid"))


def _card_ids(value: str, term: str) -> Node:
    return CardIdSearch(_ids(value, term, "cid"))


def _no_combining(value: str, term: str) -> Node:
    return TextSearch(_pattern(value, term), fold_accents=True)


def _source(value: str, term: str) -> Node:
    return SourceSearch(_pattern(value, term))


_HANDLERS: dict[str, Callable[[str, str], Node]] = {
    "deck": _deck,
    "tag": _tag,
    "is": _state,
    "flag": _flag,
    "card": _card,
    "kind": _kind,
    "note": _note,
    "prop": _property,
    "rated": _rated,
    "introduced": _introduced,
    "added": _added,
    "edited": _edited,
    "nid": _note_ids,
    "cid": _card_ids,
    "re": _regex,
    "nc": _no_combining,
    "w": _word,
    "source": _source,
    "bank": _source,
}
