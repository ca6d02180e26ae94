"""YAML nodes read field by field, each problem reported with its line.

The bank is composed into nodes (not loaded into plain objects) so that every
value keeps its line number; readers collect all problems before any is raised.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from quizapp.domain import ImportIssue

MAX_NUMBER = 1e15
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A value whose YAML tag could not be constructed; the problem is already reported.
UNREADABLE = object()


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
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self._reader.issue(node, f"'{name}' must be a finite number below 1e15, not {value}")
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
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                self._reader.issue(item, f"'{name}' holds a number out of range: {value}")
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
        self.issues: list[ImportIssue] = []
        self.field_lines: dict[tuple[str, str], int] = {}
        self._constructor = yaml.SafeLoader("")

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
            self.issue(node, f"cannot read the value {node.value!r} tagged {node.tag}: {problem}")
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
