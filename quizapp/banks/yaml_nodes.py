"""YAML nodes read field by field, each problem reported with its line.

The bank is composed into nodes (not loaded into plain objects) so that every
value keeps its line number; readers collect all problems before any is raised.

Plain values are read by the rules of YAML 1.2's core schema, not PyYAML's YAML 1.1:
``true``/``false`` are the only booleans (``yes``, ``no``, ``on``, ``off`` are text),
numbers are decimal (``010`` is ten, ``1e3`` a thousand; ``0o17``, ``0x1F``, ``1_000``
and ``1:30`` are text), and dates are text.  Aliases (``*name``) are refused.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

import yaml

from quizapp.banks.bounds import MAX_NUMBER, out_of_range, within_bound
from quizapp.banks.errors import BankError
from quizapp.domain import ImportIssue

__all__ = ["MAX_NUMBER", "UNREADABLE", "BankLoader", "BankReader", "Fields", "refuse_aliases"]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A value whose YAML tag could not be constructed; the problem is already reported.
UNREADABLE = object()
ALIASES_REFUSED = "YAML aliases (*name) are not allowed in a bank"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
# YAML 1.2 core schema; each pattern is anchored and has no nested quantifier.
_RESOLVERS = (
    (_BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"), "tTfF"),
    (_INT, re.compile(r"[-+]?[0-9]+\Z"), "-+0123456789"),
    (
        _FLOAT,
        re.compile(
            r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z"
            r"|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z"
        ),
        "-+0123456789.",
    ),
    (_NULL, re.compile(r"(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""]),
)
# Python's int() refuses longer digit strings; any such number is out of range anyway.
_MAX_DIGITS = 4000


class BankLoader(_BaseLoader):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's when installed) reading YAML 1.2 core values."""

    # Empty here, so that add_implicit_resolver does not start from PyYAML's 1.1 rules.
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


for _tag, _pattern, _first in _RESOLVERS:
    BankLoader.add_implicit_resolver(_tag, _pattern, list(_first))


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int | float:
    text = loader.construct_scalar(node)
    if len(text) > _MAX_DIGITS and re.fullmatch(r"[-+]?[0-9]+", text):
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node)
    special = text.lstrip("+").lower()
    if special in (".inf", "-.inf", ".nan"):
        return float(special.replace(".", ""))
    return float(text)


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    text = str(loader.construct_scalar(node)).lower()
    if text not in ("true", "false"):
        raise ValueError(f"{text!r} is not true or false")
    return text == "true"


BankLoader.add_constructor(_INT, _construct_int)
BankLoader.add_constructor(_FLOAT, _construct_float)
BankLoader.add_constructor(_BOOL, _construct_bool)


def refuse_aliases(text: str, source: str) -> None:
    """Raise :class:`BankError` at the first alias, before anything can expand it.

    A bank has no need of anchors and aliases, and a few kilobytes of nested aliases
    stand for millions of nodes.  Text without a ``*`` holds no alias: no events
    are read for it.
    """
    if "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=BankLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise BankError([ImportIssue(source, line, ALIASES_REFUSED)])
    except yaml.YAMLError:
        return  # composing the text reports it, with its line


class Fields:
    """One YAML mapping, read field by field, reporting each problem with its line."""

    # Methods return a harmless default after reporting, so reading goes on and
    # every problem of the bank is found in one pass.

    def __init__(self, node: yaml.MappingNode, reader: BankReader) -> None:
        self.node = node
        self.line = node.start_mark.line + 1
        self._reader = reader
        self.values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in self.values:
                first = self.values[key].start_mark.line + 1
                reader.issue(key_node, f"field '{key}' is given twice (first on line {first})")
            self.values[key] = value_node

    def _scalar(self, name: str, required: bool) -> tuple[yaml.Node | None, object]:
        """The node of field ``name`` and its value; (None, UNREADABLE) when absent."""
        node = self.values.get(name)
        if node is None:
            if required:
                self._reader.issue(self.line, f"missing field '{name}'")
            return None, UNREADABLE
        return node, self._reader.scalar(node)

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        node, value = self._scalar(name, required)
        if node is None or value is UNREADABLE:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._reader.issue(node, f"'{name}' must be text")
            return default
        text = str(value).strip()
        if required and not text:
            self._reader.issue(node, f"'{name}' is empty")
        return text

    def text_list(self, name: str) -> tuple[str, ...]:
        node = self.values.get(name)
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self._reader.issue(node, f"'{name}' must be a list")
            return ()
        items = [self._reader.scalar(item) for item in node.value]
        if UNREADABLE in items:
            return ()
        if any(isinstance(i, bool) or not isinstance(i, str | int | float) for i in items):
            self._reader.issue(node, f"every item of '{name}' must be text")
            return ()
        return tuple(str(item).strip() for item in items)

    def number(self, name: str, *, required: bool = True, default: float = 0.0) -> float:
        node, value = self._scalar(name, required)
        if node is None or value is UNREADABLE:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._reader.issue(node, f"'{name}' must be a number, not {value!r}")
            return default
        if not within_bound(value):
            self._reader.issue(node, out_of_range(f"'{name}'", str(node.value)))
            return default
        return float(value)

    def boolean(self, name: str, *, required: bool = True, default: bool = False) -> bool:
        node, value = self._scalar(name, required)
        if node is None or value is UNREADABLE:
            return default
        if not isinstance(value, bool):
            self._reader.issue(node, f"'{name}' must be true or false, not {value!r}")
            return default
        return value

    def number_list(self, name: str) -> tuple[float, ...]:
        """A list of finite numbers, or () when absent."""
        numbers = []
        for item in self.nodes(name):
            value = self._reader.scalar(item)
            if value is UNREADABLE:
                return ()
            if isinstance(value, bool) or not isinstance(value, int | float):
                self._reader.issue(item, f"every item of '{name}' must be a number")
                return ()
            if not within_bound(value):
                self._reader.issue(item, out_of_range(f"'{name}' holds the number", item.value))
                return ()
            numbers.append(float(value))
        return tuple(numbers)

    def nodes(self, name: str) -> list[yaml.Node]:
        """The items of the list ``name``, or [] when absent (a non-list is reported)."""
        node = self.values.get(name)
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self._reader.issue(node, f"'{name}' must be a list")
            return []
        return list(node.value)

    def where(self, name: str) -> yaml.Node | int:
        """The node of ``name`` for a message, or the mapping's own line."""
        return self.values.get(name, self.line)


class BankReader:
    """Collects the problems found in one bank."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.bank_id = ""
        self.declared_id = ""  # the id the bank gives itself, if it does
        self.issues: list[ImportIssue] = []
        self.field_lines: dict[tuple[str, str], int] = {}
        self._constructor = BankLoader("")

    def issue(self, where: yaml.Node | int, message: str) -> None:
        line = where if isinstance(where, int) else where.start_mark.line + 1
        self.issues.append(ImportIssue(self.source, line, message))

    def scalar(self, node: yaml.Node) -> object:
        """The value of a scalar node, or :data:`UNREADABLE` (reported) if it has none."""
        if not isinstance(node, yaml.ScalarNode):
            return node
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            problem = getattr(error, "problem", None) or str(error)
            shown = node.value if len(node.value) <= 40 else node.value[:39] + "…"
            self.issue(node, f"cannot read the value {shown!r} tagged {node.tag}: {problem}")
            return UNREADABLE

    def remember_lines(self, guid: str, fields: Fields) -> None:
        """Note where each field of note ``guid`` (and each item of a list field) is."""
        for name, node in fields.values.items():
            self.field_lines[(guid, name)] = node.start_mark.line + 1
            if isinstance(node, yaml.SequenceNode):
                for index, item in enumerate(node.value):
                    self.field_lines[(guid, f"{name}[{index}]")] = item.start_mark.line + 1

    def mapping(self, node: yaml.Node, what: str) -> Fields | None:
        if not isinstance(node, yaml.MappingNode):
            self.issue(node, f"{what} must be a mapping of fields")
            return None
        return Fields(node, self)
