"""Loan-cost caps and rules per jurisdiction as plain data (loaded from ``apkscan/data/loan_caps.toml``).

The complaint library compares a loan's computed cost with these facts, and the scan compares the loan terms an app
shows (a 7-day period, 1 % a day, a fee deducted up front) with the same facts, so they live below both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from apkscan.model.text import Text


@dataclass(frozen=True)
class ParameterValue:
    value: float  # in the parameter's unit (3.0 = 3.0%)
    start: date
    verification: str
    url: str


@dataclass(frozen=True)
class Parameter:
    """A number a cap depends on, such as China's one-year LPR, with the date each value took effect."""

    id: str
    name: Text
    unit: str
    values: tuple[ParameterValue, ...]  # ascending by start

    def at(self, day: date) -> ParameterValue | None:
        """The value in force on ``day``, or ``None`` before the first known value."""
        found = [v for v in self.values if v.start <= day]
        return found[-1] if found else None


@dataclass(frozen=True)
class CapFact:
    """One rule about the cost or terms of a loan, as the data file states it (see the file's header)."""

    id: str
    jurisdiction: str
    kind: str
    limit: float | None
    unit: str
    parameter: str
    measure: str
    base: str
    banned_at_limit: bool
    not_comparable: str
    max_principal: float | None
    min_term_months: int | None
    max_term_months: int | None
    scope: tuple[str, ...]
    in_force_from: date | None
    in_force_until: date | None
    instrument: Text
    article: str
    date: str
    url: str
    verification: str
    note: Text

    @property
    def unverified(self) -> bool:
        """A memory-tagged fact: a lead to check, never a citation."""
        return self.verification == "memory"


@dataclass(frozen=True)
class LoanCaps:
    name: str
    version: str
    sha256: str
    path: str
    facts: tuple[CapFact, ...]  # in file order
    parameters: dict[str, Parameter]

    def for_jurisdictions(self, jurisdictions: Iterable[str]) -> tuple[CapFact, ...]:
        """Facts of the given jurisdictions, grouped in the order given, file order within each."""
        return tuple(f for j in dict.fromkeys(jurisdictions) for f in self.facts if f.jurisdiction == j)
