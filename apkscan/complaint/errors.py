"""Exceptions of the complaint library, each carrying ONE line a borrower can act on.

Why: the CLI prints the message and exits 2 without writing anything, so a message must name what is wrong (the
option, the file and line, the key) in a single line, and nothing else may be raised for bad input. Problems in
the data files are ``RuleTableError`` subclasses (one line per problem of the file, all of them at once) so the
existing data-file handling catches them too.
"""

from __future__ import annotations

from apkscan.knowledge.schema import RuleTableError


def one_line(text: str) -> str:
    """Collapse whitespace (including newlines a hostile file name might carry) so a message stays on one line."""
    return " ".join(str(text).split())


class ComplaintInputError(ValueError):
    """Bad input given to the complaint command; ``str(err)`` is a single line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class LoanCostError(ComplaintInputError):
    """Loan figures or a repayment schedule that cannot describe a loan (zero amounts, dates out of order, ...)."""


class EvidenceError(ComplaintInputError):
    """An evidence folder (or its index file) that cannot be inventoried."""


class PackError(ComplaintInputError):
    """The evidence pack cannot be written (missing output folder, unreadable source, bad item)."""


class LoanCapsError(RuleTableError):
    """``loan_caps.toml`` (or a copy passed in) is malformed; one line per problem naming the file and key."""


class EvidenceDataError(RuleTableError):
    """``evidence_kinds.toml`` (or a copy passed in) is malformed; one line per problem naming the file and key."""
