"""Bank formats: each module parses text or bytes into a domain ImportBatch.  No DB, no Qt."""

from quizapp.banks.errors import BankError
from quizapp.banks.native import load_native_bank, parse_native_bank

__all__ = ["BankError", "load_native_bank", "parse_native_bank"]
