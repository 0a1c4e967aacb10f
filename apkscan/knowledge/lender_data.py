"""Load the lender checks' data files, each checked against its spec (:mod:`apkscan.knowledge.lender_specs`).

One loader per file, cached for the packaged file; a user's own file (tests, a reviewer trying new words) is read
with the same checks and raises :class:`~apkscan.knowledge.schema.DataFileError` listing every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from apkscan.knowledge.lender_specs import BRANDS, CONFUSABLES, LENDING, LIBRARIES, PROMISES, SENDERS
from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import Spec, load_document
from apkscan.knowledge.terms import Term, terms_from


def _load(path: Path | None, name: str, spec: Spec) -> dict[str, Any]:
    if path is None:
        file = data_file(name)
        return load_document(file, spec, f"apkscan/data/{name}")[0]
    return load_document(Path(path), spec)[0]


@dataclass(frozen=True, eq=False)  # compared and cached by identity
class LendingVocabulary:
    terms: tuple[Term, ...]
    yes: float
    unsure: float
    places: dict[str, float]
    sdk_kinds: dict[str, float]


def load_vocabulary(path: Path | None = None) -> LendingVocabulary:
    """``lending.toml``: the words that make an app look like a lender, the place multipliers and thresholds."""
    doc = _load(path, "lending.toml", LENDING)
    return LendingVocabulary(
        terms=terms_from(doc["term"]),
        yes=float(doc["decision"]["yes"]),
        unsure=float(doc["decision"]["unsure"]),
        places={k: float(v) for k, v in doc["places"].items()},
        sdk_kinds={item["kind"]: float(item["weight"]) for item in doc.get("sdk_kind", ())},
    )


@lru_cache(maxsize=1)
def default_vocabulary() -> LendingVocabulary:
    return load_vocabulary()


@lru_cache(maxsize=2)
def red_flag_terms(path: Path | None = None) -> tuple[Term, ...]:
    """``promises.toml``: red-flag phrases; a term's ``id`` is its kind, its ``source`` where the flag comes from."""
    return terms_from(_load(path, "promises.toml", PROMISES)["flag"])


@lru_cache(maxsize=2)
def confusables(path: Path | None = None) -> dict[str, str]:
    """``confusables.toml``: a letter of another script -> the ASCII letter it looks like."""
    return dict(_load(path, "confusables.toml", CONFUSABLES)["letters"])


@dataclass(frozen=True)
class Brand:
    id: str
    name: str
    country: str
    kind: str
    acronyms: tuple[str, ...]
    names: tuple[str, ...]
    signers: tuple[str, ...]
    source: str
    verification: str


def load_brands(path: Path | None = None) -> tuple[Brand, ...]:
    """``brands.toml``: banks and wallets a loan app may pretend to be, with their known certificates."""
    return tuple(
        Brand(
            id=b["id"],
            name=b["name"],
            country=b["country"],
            kind=b["kind"],
            acronyms=tuple(b.get("acronyms", ())),
            names=tuple(b.get("names", ())),
            signers=tuple(b.get("signers", ())),
            source=b["source"],
            verification=b["verification"],
        )
        for b in _load(path, "brands.toml", BRANDS)["brand"]
    )


@lru_cache(maxsize=1)
def default_brands() -> tuple[Brand, ...]:
    return load_brands()


@lru_cache(maxsize=2)
def library_prefixes(path: Path | None = None) -> tuple[str, ...]:
    """``libraries.toml``: package prefixes of common open-source libraries (not an app's own code)."""
    return tuple(item["prefix"] for item in _load(path, "libraries.toml", LIBRARIES)["library"])


@lru_cache(maxsize=2)
def senders(path: Path | None = None) -> tuple[tuple[str, str, str], ...]:
    """``senders.toml``: (class descriptor, method name, source) of APIs that send data off the phone."""
    return tuple((s["class"], s["name"], s["source"]) for s in _load(path, "senders.toml", SENDERS)["sender"])
