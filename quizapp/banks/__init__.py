"""Bank formats: each module parses text or bytes into a domain ImportBatch.  No DB, no Qt.

Parsers are loaded on first use: the app starts without reading YAML or XML code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.banks.errors import BankError

if TYPE_CHECKING:
    from quizapp.banks.native import load_native_bank, parse_native_bank

__all__ = ["BankError", "load_native_bank", "parse_native_bank"]


def __getattr__(name: str) -> Any:
    if name in ("load_native_bank", "parse_native_bank"):
        from quizapp.banks import native

        return getattr(native, name)
    raise AttributeError(f"module 'quizapp.banks' has no attribute {name!r}")
