"""Harvesting versus looking up: what the code does with the data a permission grants.

The contact-harassment finding fires on permissions alone, so a Bluetooth caller-ID utility that holds
READ_CONTACTS, RECEIVE_SMS and INTERNET looks like loan spyware. The code tells them apart:

* **bulk** -- a query of a whole table (``ContactsContract…CONTENT_URI``, the SMS inbox, the call log,
  MediaStore, the installed-app list), usually walked with ``moveToNext`` in a loop;
* **lookup** -- one record found by a key the app already has (``PhoneLookup.CONTENT_FILTER_URI``:
  caller ID), reading one row;
* **receiver** -- one item handed to a broadcast receiver as it arrives (an incoming SMS);
* and whether the app has a way to send data out: an upload endpoint naming the data, or a call of
  an API that posts data (``apkscan/data/senders.toml``) in the app's or an SDK's code.

The access kind of each API is data (``access`` in ``apis.toml``). The capability itself stays
reported elsewhere -- Android grants the permission all the same; this says what the code does with
it. Without code evidence (packed, unreadable, not scanned) the answer is ``unknown``: keep the
cautious, permission-based reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apkscan.extract.code import ApiCatalog, ApiEntry, CallSite, CodeEvidence, default_catalog
from apkscan.extract.code.catalog import java_class
from apkscan.extract.code.methods import MethodFacts, SenderSite, find_senders, method_facts
from apkscan.extract.code.sdks import SdkIndex, is_library

ACCESS_ORDER = ("bulk", "read", "lookup", "receiver", "picker")  # most to least invasive
HARASSMENT = ("harvests", "enumerates", "looks_up", "no_contacts_code", "unknown")
_LOOKUP_MARKERS = ("phone_lookup", "/filter", "lookup/")


@dataclass(frozen=True, slots=True)
class AccessSite:
    category: str
    access: str  # bulk | read | lookup | receiver | picker
    api: str
    caller: str  # caller descriptor
    dex: str
    sdk: str | None
    iterates_cursor: bool | None = None  # None: not a cursor read, or the method could not be decoded


@dataclass(frozen=True, slots=True)
class CategoryAccess:
    category: str
    access: str  # the most invasive access of any site (app or SDK)
    sites: tuple[AccessSite, ...]
    uploads: tuple[str, ...] = ()  # upload endpoints naming this category

    @property
    def sdk_only(self) -> bool:
        return all(s.sdk for s in self.sites)


@dataclass(frozen=True, slots=True)
class HarvestAssessment:
    """Per data category what the code does, whether data can leave, and the harassment reading.

    ``harassment``: harvests (the whole address book is read and there is a way to send it out),
    enumerates (read in bulk, no way out found), looks_up (only lookups, pickers or receivers), no_contacts_code,
    unknown (code hidden or not read: judge by permissions).
    """

    categories: tuple[CategoryAccess, ...]
    upload_path: bool
    upload_evidence: tuple[str, ...]
    senders: tuple[SenderSite, ...]  # looked for only when a category is read in bulk
    code_complete: bool
    harassment: str

    def category(self, name: str) -> CategoryAccess | None:
        return next((c for c in self.categories if c.category == name), None)


def assess_harvest(
    evidence: CodeEvidence | None, dex_files: Sequence[tuple[str, bytes]], catalog: ApiCatalog | None = None
) -> HarvestAssessment:
    """Classify the code evidence of one app; ``dex_files`` are the same (label, bytes) the scan read."""
    catalog = catalog or default_catalog()
    if evidence is None:
        return HarvestAssessment((), False, (), (), False, "unknown")
    index = _EntryIndex(catalog.apis)
    sites = [s for s in evidence.call_sites if s.category != "other"]
    facts = method_facts(dex_files, {(s.dex, s.caller_descriptor) for s in sites})
    by_cat: dict[str, list[AccessSite]] = {}
    for site in sites:
        access = index.access(site)
        fact = facts.get((site.dex, site.caller_descriptor))
        iterates = fact.iterates_cursor if fact is not None and site.kind in ("field", "string") else None
        by_cat.setdefault(site.category, []).append(
            AccessSite(site.category, access, site.api, site.caller_descriptor, site.dex, site.sdk, iterates)
        )
    sdk_index = SdkIndex(catalog.sdks)
    endpoints = [
        s
        for s in evidence.strings
        if s.kind == "upload_endpoint" and any(_owner(sdk_index, c) != "library" for c in s.callers)
    ]
    categories = tuple(
        CategoryAccess(
            cat,
            min((s.access for s in group), key=ACCESS_ORDER.index),
            tuple(group),
            tuple(dict.fromkeys(s.value for s in endpoints if cat in s.categories)),
        )
        for cat, group in by_cat.items()
    )
    # a second bytecode search: only worth it when something is read in bulk (it decides "harvests")
    bulk = any(c.access == "bulk" for c in categories)
    senders = tuple(s for s in find_senders(dex_files, catalog.sdks) if s.sdk != "library") if bulk else ()
    upload_evidence = tuple(
        dict.fromkeys([*(s.value for s in endpoints), *(f"{s.api} in {s.caller}" for s in senders)])
    )
    complete = evidence.complete and bool(evidence.dex_files)
    harassment = _harassment(categories, bool(upload_evidence), complete)
    return HarvestAssessment(categories, bool(upload_evidence), upload_evidence, senders, complete, harassment)


def _harassment(categories: tuple[CategoryAccess, ...], upload: bool, complete: bool) -> str:
    contacts = next((c for c in categories if c.category == "contacts"), None)
    if contacts is not None and contacts.access == "bulk":
        return "harvests" if upload else "enumerates"
    if not complete:
        return "unknown"
    if contacts is None:
        return "no_contacts_code"
    return "looks_up"


def _owner(index: SdkIndex, caller_descriptor: str) -> str:
    name = java_class(caller_descriptor.partition("->")[0])
    sdk = index.lookup(name)
    return sdk.id if sdk else ("library" if is_library(name) else "")


class _EntryIndex:
    """Call site -> the access kind of the catalog entry it matched."""

    def __init__(self, apis: Sequence[ApiEntry]) -> None:
        self.members: dict[tuple[str, str], list[ApiEntry]] = {}
        self.strings = [a for a in apis if a.kind == "string"]
        for api in apis:
            if api.kind != "string":
                self.members.setdefault((api.class_desc, api.name), []).append(api)

    def access(self, site: CallSite) -> str:
        if site.kind == "string":
            value = site.api_descriptor
            entries = [a for a in self.strings if a.matches_string(value) and a.category == site.category]
            if entries and entries[0].category == "contacts" and any(m in value.lower() for m in _LOOKUP_MARKERS):
                return "lookup"
        else:
            cls, _, rest = site.api_descriptor.partition("->")
            name = rest.split("(", 1)[0].split(":", 1)[0]
            entries = [a for a in self.members.get((cls, name), []) if a.category == site.category]
        accesses = [a.access for a in entries if a.access]
        return min(accesses, key=ACCESS_ORDER.index) if accesses else "read"


def summary(assessment: HarvestAssessment) -> dict[str, str]:
    """Category -> access, for a quick look (tests, batch columns)."""
    return {c.category: c.access for c in assessment.categories}


__all__ = ["AccessSite", "CategoryAccess", "HarvestAssessment", "MethodFacts", "assess_harvest", "summary"]
