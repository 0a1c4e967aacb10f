"""What a privacy policy admits, per data category, with the sentences that say so.

Every statement keeps its quotes (sentence, section, source, index) because the borrower's strongest evidence is the
lender's own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Quote:
    sentence: str
    section: str
    source: str
    index: int  # sentence number within its source, from 0

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "section": self.section, "source": self.source, "index": self.index}


@dataclass(frozen=True)
class CategoryStatement:
    category: str
    status: str  # "collects" | "denies" | "silent"
    purposes: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "purposes": list(self.purposes), "quotes": [q.to_dict() for q in self.quotes]}


@dataclass(frozen=True)
class ThirdPartyCollection:
    """A third party the policy names with the data it collects (an entry of a "第三方SDK目录"/SDK list).

    Kept apart from ``categories``: it is the SDK's collection, disclosed by naming it, not the app's own.
    ``sdk_ids`` are the ``apkscan/data/sdks.toml`` ids the name matches, to set against the SDKs found in the code.
    """

    name: str
    company: str
    categories: tuple[str, ...]
    sdk_ids: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "company": self.company,
            "categories": list(self.categories),
            "sdk_ids": list(self.sdk_ids),
            "quotes": [q.to_dict() for q in self.quotes],
        }


def _quotes(quotes: Sequence[Quote]) -> list[dict[str, Any]]:
    return [q.to_dict() for q in quotes]


@dataclass(frozen=True)
class PolicyAnalysis:
    source: str
    language: str
    sha256: str
    sentences_analysed: int
    categories: dict[str, CategoryStatement]
    sharing: tuple[Quote, ...] = ()
    shared_with: tuple[str, ...] = ()
    contacts_contacted: tuple[Quote, ...] = ()
    debt_collection_contact: bool = False
    pre_consent_collection: tuple[Quote, ...] = ()
    refusal_allowed: bool | None = None
    refusal_quotes: tuple[Quote, ...] = ()
    warnings: tuple[str, ...] = ()
    third_party: tuple[ThirdPartyCollection, ...] = ()  # SDK list entries: collection by named third parties
    sdks_named: tuple[str, ...] = ()  # sdks.toml ids the policy names anywhere (in a list or in prose)

    def status(self, category: str) -> str:
        statement = self.categories.get(category)
        return statement.status if statement else "silent"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "language": self.language,
            "sha256": self.sha256,
            "sentences_analysed": self.sentences_analysed,
            "categories": {cat: st.to_dict() for cat, st in self.categories.items()},
            "sharing": _quotes(self.sharing),
            "shared_with": list(self.shared_with),
            "contacts_contacted": _quotes(self.contacts_contacted),
            "debt_collection_contact": self.debt_collection_contact,
            "pre_consent_collection": _quotes(self.pre_consent_collection),
            "refusal_allowed": self.refusal_allowed,
            "refusal_quotes": _quotes(self.refusal_quotes),
            "warnings": list(self.warnings),
            "third_party": [t.to_dict() for t in self.third_party],
            "sdks_named": list(self.sdks_named),
        }


@dataclass(frozen=True)
class PolicySource:
    """One policy text that was read: a ``--policy`` file, a page inside the APK, or a fetched URL."""

    source: str
    kind: str
    encoding: str
    sha256: str
    size: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyReport:
    """The policy part of a report: URLs the app names, the texts read, and (when any text was read) the analysis."""

    urls: tuple[str, ...] = ()
    sources: tuple[PolicySource, ...] = ()
    analysis: PolicyAnalysis | None = None
