"""Loan-cost caps and rules per jurisdiction, loaded from ``apkscan/data/loan_caps.toml``.

Why data: caps change (China's LPR moves monthly, the Philippines lowered its EIR cap for 2026, Indonesia steps
its daily cap down) and every figure must carry its source and how sure we are of it. People who read laws edit
the file; it is checked against :data:`apkscan.knowledge.complaint_specs.LOAN_CAPS` (unknown keys, wrong kinds of
value, a unit that does not fit the kind...), and every problem of the file is reported at once, one line each
naming the file and key.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from apkscan.complaint.errors import LoanCapsError
from apkscan.knowledge.complaint_specs import LOAN_CAPS
from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import load_document
from apkscan.model.caps import CapFact, LoanCaps, Parameter, ParameterValue
from apkscan.model.text import Text
from apkscan.model.vocab import CAP_BASES as BASES
from apkscan.model.vocab import CAP_JURISDICTIONS, VERIFICATION
from apkscan.model.vocab import CAP_KIND_UNITS as KIND_UNITS
from apkscan.model.vocab import CAP_MEASURES as MEASURES
from apkscan.model.vocab import CAP_NOT_COMPARABLE as NOT_COMPARABLE
from apkscan.model.vocab import CAP_RATE_KINDS as RATE_KINDS
from apkscan.model.vocab import CAP_SCOPES as SCOPES
from apkscan.model.vocab import CAP_UNITS as UNITS

__all__ = [
    "BASES",
    "CAP_JURISDICTIONS",
    "KINDS",
    "KIND_UNITS",
    "MEASURES",
    "NOT_COMPARABLE",
    "RATE_KINDS",
    "SCOPES",
    "TAG_RANK",
    "UNITS",
    "CapFact",
    "LoanCaps",
    "Parameter",
    "ParameterValue",
    "default_caps_path",
    "load_loan_caps",
]

KINDS = tuple(KIND_UNITS)
#: Strength of a verification tag; a comparison is as strong as its weakest input.
TAG_RANK = {tag: rank for rank, tag in enumerate(reversed(VERIFICATION))}  # memory 0, secondary 1, verified 2


def default_caps_path() -> Path:
    return data_file("loan_caps.toml")


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
    """Load and validate the caps file (``None``: the packaged one). Raises :class:`LoanCapsError` listing every
    problem of the file."""
    file = default_caps_path() if path is None else Path(path)
    doc, raw = load_document(file, LOAN_CAPS, error=LoanCapsError)
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
