"""Anki's search syntax, read into :mod:`quizapp.search.nodes`.

Terms are separated by spaces and all must match; ``or`` between two terms makes
either do (``and`` binds tighter, as in Anki), ``-`` before a term or a group negates
it, parentheses group, ``"…"`` keeps spaces and parentheses in a term, and
``key:"…"`` quotes a value only.  Backslash escapes ``\\" \\: \\( \\) \\-`` for the
parser and ``\\* \\_ \\\\`` for the pattern.  Anything malformed raises
:class:`~quizapp.errors.UserError` with one sentence saying what and where.
"""

from __future__ import annotations

from quizapp.errors import UserError
from quizapp.search import terms
from quizapp.search.nodes import And, Everything, Node, Not, Or

WHITESPACE = " \u3000\t\n\r"
_ENDS_UNQUOTED = WHITESPACE + '"()'
MAX_DEPTH = 100
MAX_TERMS = 500


class _Operator:
    """``and`` or ``or`` as written, where it was written (1-based)."""

    def __init__(self, word: str, position: int) -> None:
        self.word = word
        self.position = position


_Item = Node | _Operator


def parse_search(query: str) -> Node:
    """The search ``query`` as a tree; the empty query finds every card.

    Raises :class:`UserError` with a sentence saying what is wrong, and where.
    """
    if not query.strip(WHITESPACE):
        return Everything()
    parser = _Parser(query)
    node = parser.group_inner(depth=0)
    if parser.position < len(query):  # only an unopened ')' stops a top-level group
        raise UserError(
            f"The ')' at character {parser.position + 1} closes no parenthesis: "
            "remove it, or write \\) to search for one."
        )
    return node


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.position = 0
        self.terms = 0

    def group_inner(self, depth: int) -> Node:
        """Nodes up to the end or an unmatched ``)``, combined (``and`` before ``or``)."""
        items: list[_Item] = []
        while True:
            self._skip_whitespace()
            if self.position >= len(self.query) or self.query[self.position] == ")":
                break
            item = self._node(depth)
            if isinstance(item, _Operator):
                if not items or isinstance(items[-1], _Operator):
                    raise _misplaced(item)
            elif items and not isinstance(items[-1], _Operator):
                items.append(_Operator("and", 0))
            items.append(item)
        if items and isinstance(items[-1], _Operator):
            raise _misplaced(items[-1])
        return _combined(items)

    def _skip_whitespace(self) -> None:
        while self.position < len(self.query) and self.query[self.position] in WHITESPACE:
            self.position += 1

    def _node(self, depth: int) -> _Item:
        char = self.query[self.position]
        if char == "-":
            following = self.query[self.position + 1 : self.position + 2]
            if following and following not in WHITESPACE + ")":
                self.position += 1
                negated = self._group(depth) if following == "(" else self._text()
                if isinstance(negated, _Operator):  # "-or" searches for the text "-or"
                    return self._term_node("-" + negated.word, negated.position - 1)
                return Not(negated)
        if char == "(":
            return self._group(depth)
        return self._text()

    def _group(self, depth: int) -> Node:
        opened = self.position
        if depth >= MAX_DEPTH:
            raise UserError(f"The search nests parentheses more than {MAX_DEPTH} deep.")
        self.position += 1
        inner = self.group_inner(depth + 1)
        if self.position >= len(self.query):
            raise UserError(
                f"A parenthesis opened at character {opened + 1} is never closed: "
                "add a ')', or write \\( to search for one."
            )
        self.position += 1  # the ')'
        if isinstance(inner, Everything):
            raise UserError(f"The parentheses at character {opened + 1} hold nothing.")
        return inner

    def _text(self) -> _Item:
        start = self.position
        if self.query[start] == '"':
            return self._term_node(self._quoted(), start + 1)
        raw = self._unquoted()
        if self.position < len(self.query) and self.query[self.position] == '"':
            key = _unescaped_key(raw)
            if key is not None:  # key:"quoted value"
                return self._term_node(raw + self._quoted(), start + 1)
        if raw.lower() in ("and", "or"):
            return _Operator(raw.lower(), start + 1)
        return self._term_node(raw, start + 1)

    def _quoted(self) -> str:
        """The text between the quotes at the current position, escapes kept."""
        opened = self.position
        index = opened + 1
        while index < len(self.query):
            char = self.query[index]
            if char == "\\":
                index += 2
                continue
            if char == '"':
                break
            index += 1
        if index >= len(self.query):
            raise UserError(
                f"A quote opened at character {opened + 1} is never closed."
                if self.query[opened + 1 :]
                else f"The quote at character {opened + 1} is never closed."
            )
        inner = self.query[opened + 1 : index]
        if not inner:
            raise UserError(
                f"The quotes at character {opened + 1} hold nothing: put what to search "
                "for between them."
            )
        self.position = index + 1
        return inner

    def _unquoted(self) -> str:
        """Text up to a space, a quote or a parenthesis, escapes kept."""
        start = index = self.position
        while index < len(self.query) and self.query[index] not in _ENDS_UNQUOTED:
            if self.query[index] == "\\":
                if index + 1 >= len(self.query):
                    raise UserError(
                        "The search ends in a lone '\\': write \\\\ to search for a backslash."
                    )
                index += 1
            index += 1
        self.position = index
        return self.query[start:index]

    def _term_node(self, raw: str, position: int) -> Node:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise UserError(f"A search may hold at most {MAX_TERMS} terms.")
        return terms.term_node(raw, position)


def _unescaped_key(raw: str) -> str | None:
    """``raw`` without its last character, if ``raw`` is ``key:`` with no other colon."""
    if not raw.endswith(":") or len(raw) < 2:
        return None
    return None if terms.first_colon(raw[:-1]) is not None else raw[:-1]


def _misplaced(operator: _Operator) -> UserError:
    return UserError(
        f"'{operator.word}' at character {operator.position} needs a search term on each "
        f'side; write "{operator.word}" to search for the word.'
    )


def _combined(items: list[_Item]) -> Node:
    """The items of a group, ``and`` binding tighter than ``or``; nothing: everything."""
    alternatives: list[Node] = []
    conjunction: list[Node] = []
    for item in items:
        if isinstance(item, _Operator):
            if item.word == "or":
                alternatives.append(_joined(conjunction, And))
                conjunction = []
            continue
        conjunction.append(item)
    if not conjunction:
        return Everything()
    alternatives.append(_joined(conjunction, And))
    return _joined(alternatives, Or)


def _joined(nodes: list[Node], kind: type[And] | type[Or]) -> Node:
    """One node for ``nodes`` under ``kind``, nested nodes of the same kind flattened."""
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, kind):
            flat.extend(node.children)
        else:
            flat.append(node)
    return flat[0] if len(flat) == 1 else kind(tuple(flat))
