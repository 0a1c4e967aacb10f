"""Loan-cost caps and rules per jurisdiction, loaded from ``apkscan/data/loan_caps.toml``.

Why data: caps change (China's LPR moves monthly, the Philippines lowered its EIR cap for 2026, Indonesia steps
its daily cap down) and every figure must carry its source and how sure we are of it. People who read laws edit
the file; this module refuses any key it does not know and any value of the wrong kind, in one line naming the
file and key. The ``Field`` tables below use the same mechanism as the rule table
(:mod:`apkscan.knowledge.schema`) so they can move into a shared schema module unchanged.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from apkscan.complaint.datafile import packaged, read_checked
from apkscan.complaint.errors import LoanCapsError
from apkscan.knowledge.schema import (
    META,
    OPT_TEXT,
    TAG,
    TEXT,
    VERIFICATION,
    Field,
    SchemaError,
    check_named_tables,
    check_table,
    key_path,
    text_pair,
)
from apkscan.model import JURISDICTIONS
from apkscan.model.text import Text

#: Jurisdictions of the file: apkscan's own plus those the loan-cost fact sheet covers.
CAP_JURISDICTIONS = (*JURISDICTIONS, "pk", "mx")
#: What a fact limits, and the unit its ``limit`` must use (``None``: the fact carries no number).
KIND_UNITS: dict[str, tuple[str, ...] | None] = {
    "annual-rate-cap": ("percent-per-year", "times-parameter"),
    "monthly-rate-cap": ("percent-per-month",),
    "daily-rate-cap": ("percent-per-day",),
    "total-cost-cap": ("percent-of-base",),
    "short-term-ban": ("days",),
    "maximum-term": ("days",),
    "upfront-deduction": None,
    "disclosure": None,
    "no-rate-cap": None,
    "usury-ban": None,
    "other-duty": None,
}
KINDS = tuple(KIND_UNITS)
RATE_KINDS = ("annual-rate-cap", "monthly-rate-cap")
UNITS = ("percent-per-year", "percent-per-month", "percent-per-day", "percent-of-base", "days", "times-parameter")
MEASURES = ("nominal", "effective")
BASES = ("received", "contract")
#: Conditions apkscan cannot check; they travel with the result so the complaint can state them.
SCOPES = (
    "private-lenders",  # China's 4 x LPR binds private lenders, not licensed local lenders (Fa Shi [2020] No. 27)
    "bank-facilitated",  # loans facilitated for banks (NFRA 2025)
    "consumer-finance",  # consumer-finance companies
    "us",  # Google Play's rule for apps offered in the US
    "non-performing",  # Kenya's in duplum rule: loans that became non-performing
    "consumptive",  # Indonesia: consumptive (not productive) P2P loans
    "nano-loans",  # Pakistan: digital nano-loans by NBFCs
)
#: Why a numeric rule cannot be compared with the loan's figures.
NOT_COMPARABLE = ("needs-fee-breakdown", "late-fees-not-modelled", "overdue-not-modelled", "limit-not-quantified")
#: Strength of a verification tag; a comparison is as strong as its weakest input.
TAG_RANK = {tag: rank for rank, tag in enumerate(reversed(VERIFICATION))}  # memory 0, secondary 1, verified 2

_NUMBER = Field(float, required=False, minimum=0)
FACT = {
    "jurisdiction": Field(str, choices=CAP_JURISDICTIONS),
    "kind": Field(str, choices=KINDS),
    "limit": _NUMBER,
    "unit": Field(str, required=False, choices=UNITS),
    "parameter": Field(str, required=False, nonempty=True),
    "measure": Field(str, required=False, choices=MEASURES),
    "base": Field(str, required=False, choices=BASES),
    "banned_at_limit": Field(bool, required=False),
    "not_comparable": Field(str, required=False, choices=NOT_COMPARABLE),
    "max_principal": _NUMBER,
    "min_term_months": Field(int, required=False, minimum=1),
    "max_term_months": Field(int, required=False, minimum=1),
    "scope": Field(list, required=False),
    "in_force_from": Field(str, required=False, date=True),
    "in_force_until": Field(str, required=False, date=True),
    **text_pair("instrument"),
    "article": Field(str),
    "date": Field(str, date=True),
    "url": Field(str),
    "verification": TAG,
    **text_pair("note", OPT_TEXT),
}
PARAMETER_VALUE = {"value": Field(float, minimum=0), "from": Field(str, date=True), "verification": TAG, "url": TEXT}
PARAMETER = {**text_pair("name"), "unit": Field(str, choices=UNITS[:3]), "values": Field(list, items=PARAMETER_VALUE)}
CAPS_TOP = {"meta": Field(dict), "parameters": Field(dict, required=False), "facts": Field(dict)}


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


def _full_date(value: str, where: str) -> date:
    if len(value) != 10:  # the Field already checked the YYYY[-MM[-DD]] shape; a day is needed here
        raise SchemaError(where, f"{value!r} must be a full date YYYY-MM-DD")
    return date.fromisoformat(value)


def _check_fact(fid: str, fact: dict[str, Any], parameters: dict[str, Any]) -> None:
    where = key_path("facts", fid)
    units = KIND_UNITS[fact["kind"]]
    numeric_keys = ("limit", "unit", "measure", "parameter", "banned_at_limit")
    if units is None:
        extra = next((k for k in numeric_keys if k in fact), None)
        if extra:
            raise SchemaError(key_path(where, extra), f"a {fact['kind']!r} fact carries no number")
    else:
        for key in ("limit", "unit"):
            if key not in fact:
                raise SchemaError(key_path(where, key), f"required for kind {fact['kind']!r}")
        if fact["unit"] not in units:
            raise SchemaError(key_path(where, "unit"), f"must be one of {', '.join(units)} for {fact['kind']!r}")
        if not math.isfinite(fact["limit"]):
            raise SchemaError(key_path(where, "limit"), "must be a finite number")
    if fact["kind"] in RATE_KINDS and "measure" not in fact:
        raise SchemaError(key_path(where, "measure"), "required for a rate cap (nominal or effective)")
    if fact["kind"] in RATE_KINDS and fact.get("base", "received") != "received":
        raise SchemaError(key_path(where, "base"), "a rate cap is always on the amount received (the IRR's base)")
    if (fact.get("unit") == "times-parameter") != ("parameter" in fact):
        raise SchemaError(key_path(where, "parameter"), "required exactly when unit is 'times-parameter'")
    if "parameter" in fact and fact["parameter"] not in parameters:
        raise SchemaError(key_path(where, "parameter"), f"{fact['parameter']!r} is not defined in [parameters]")
    if "max_principal" in fact and not math.isfinite(fact["max_principal"]):
        raise SchemaError(key_path(where, "max_principal"), "must be a finite number")
    for i, scope in enumerate(fact.get("scope", [])):
        if scope not in SCOPES:
            raise SchemaError(key_path(where, "scope", i), f"{scope!r} is not one of {', '.join(SCOPES)}")
    start = _full_date(fact["in_force_from"], key_path(where, "in_force_from")) if "in_force_from" in fact else None
    end = _full_date(fact["in_force_until"], key_path(where, "in_force_until")) if "in_force_until" in fact else None
    if start and end and end < start:
        raise SchemaError(key_path(where, "in_force_until"), "is before in_force_from")


def check_caps_document(doc: dict[str, Any]) -> None:
    """Validate a parsed loan-caps document: structure first, then units, parameters, scopes and dates."""
    check_table(doc, CAPS_TOP, "")
    check_table(doc["meta"], META, "meta")
    parameters = doc.get("parameters", {})
    check_named_tables(parameters, PARAMETER, "parameters")
    for pid, parameter in parameters.items():
        previous = None
        for i, value in enumerate(parameter["values"]):
            where = key_path("parameters", pid, "values", i)
            start = _full_date(value["from"], key_path(where, "from"))
            if previous is not None and start <= previous:
                raise SchemaError(key_path(where, "from"), "values must be listed in increasing date order")
            if not math.isfinite(value["value"]):
                raise SchemaError(key_path(where, "value"), "must be a finite number")
            previous = start
    check_named_tables(doc["facts"], FACT, "facts")
    for fid, fact in doc["facts"].items():
        _check_fact(fid, fact, parameters)


def default_caps_path() -> Path:
    return packaged("loan_caps.toml")


def _fact(fid: str, f: dict[str, Any]) -> CapFact:
    def day(key: str) -> date | None:
        return date.fromisoformat(f[key]) if key in f else None

    return CapFact(
        id=fid,
        jurisdiction=f["jurisdiction"],
        kind=f["kind"],
        limit=float(f["limit"]) if "limit" in f else None,
        unit=f.get("unit", ""),
        parameter=f.get("parameter", ""),
        measure=f.get("measure", ""),
        base=f.get("base", "received"),
        banned_at_limit=f.get("banned_at_limit", False),
        not_comparable=f.get("not_comparable", ""),
        max_principal=float(f["max_principal"]) if "max_principal" in f else None,
        min_term_months=f.get("min_term_months"),
        max_term_months=f.get("max_term_months"),
        scope=tuple(f.get("scope", ())),
        in_force_from=day("in_force_from"),
        in_force_until=day("in_force_until"),
        instrument=Text(f["instrument_en"], f["instrument_zh"]),
        article=f["article"],
        date=f["date"],
        url=f["url"],
        verification=f["verification"],
        note=Text(f.get("note_en", ""), f.get("note_zh", "")),
    )


def load_loan_caps(path: str | Path | None = None) -> LoanCaps:
    """Load and validate the caps file (``None``: the packaged one). Raises :class:`LoanCapsError`."""
    file = default_caps_path() if path is None else Path(path)
    doc, raw = read_checked(file, check_caps_document, LoanCapsError)
    parameters = {
        pid: Parameter(
            pid,
            Text(p["name_en"], p["name_zh"]),
            p["unit"],
            tuple(
                ParameterValue(float(v["value"]), date.fromisoformat(v["from"]), v["verification"], v["url"])
                for v in p["values"]
            ),
        )
        for pid, p in doc.get("parameters", {}).items()
    }
    return LoanCaps(
        name=doc["meta"]["name"],
        version=doc["meta"]["version"],
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(file),
        facts=tuple(_fact(fid, f) for fid, f in doc["facts"].items()),
        parameters=parameters,
    )
