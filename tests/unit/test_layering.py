"""The house rules on imports: Qt only in gui/, SQLAlchemy only in storage/, one direction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "quizapp"

# What each layer may import of ours; the layers not listed here (bootstrap,
# __main__) are the composition root and may import anything.
ALLOWED = {
    "domain": {"domain", "errors"},
    "scheduling": {"scheduling", "domain", "errors"},
    "exercises": {"exercises", "domain", "errors"},
    "banks": {"banks", "domain", "errors"},
    "search": {"search", "domain", "errors"},
    "storage": {"storage", "search", "domain", "errors"},
    "services": {
        "services",
        "scheduling",
        "exercises",
        "banks",
        "search",
        "storage",
        "domain",
        "errors",
    },
    "cli": {"cli", "services", "bootstrap", "domain", "errors", "__init__"},
    "gui": {"gui", "services", "bootstrap", "domain", "errors", "__init__"},
}
FOREIGN_ONLY_IN = {"PySide6": "gui", "sqlalchemy": "storage", "alembic": "storage"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_follow_the_layers(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    layer = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    for name in _imports(path):
        top = name.split(".")[0]
        if top in FOREIGN_ONLY_IN:
            assert layer == FOREIGN_ONLY_IN[top], f"{relative} imports {name}"
        if top == "quizapp" and layer in ALLOWED:
            parts = name.split(".")
            target = parts[1] if len(parts) > 1 else "__init__"
            assert target in ALLOWED[layer], f"{relative} ({layer}) imports {name}"


def test_the_rule_sees_every_layer() -> None:
    layers = {p.relative_to(PACKAGE).parts[0] for p in _modules() if p.parent != PACKAGE}
    assert set(ALLOWED) == layers
