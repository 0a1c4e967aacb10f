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

from collections.abc import Mapping, Sequence

from apkscan.extract.code import ApiCatalog, ApiEntry, CallSite, CodeEvidence, default_catalog
from apkscan.extract.code.catalog import java_class
from apkscan.extract.code.methods import MethodFacts
from apkscan.extract.code.sdks import SdkIndex, is_library
from apkscan.model.code import SenderSite
from apkscan.model.lender import AccessReading, HarvestReading
from apkscan.model.vocab import API_ACCESS as ACCESS_ORDER
from apkscan.model.vocab import HARASSMENT_READINGS as HARASSMENT

__all__ = ["ACCESS_ORDER", "HARASSMENT", "assess_harvest", "summary"]

_LOOKUP_MARKERS = ("phone_lookup", "/filter", "lookup/")
SHOWN_CALLERS = 3


def assess_harvest(
    evidence: CodeEvidence | None,
    methods: Mapping[tuple[str, str], MethodFacts],
    senders: Sequence[SenderSite] = (),
    catalog: ApiCatalog | None = None,
) -> HarvestReading:
    """Classify the code evidence of one app: per category the most invasive access, whether data can leave (an
    upload endpoint or a sender API called outside platform libraries) and the harassment reading."""
    catalog = catalog or default_catalog()
    if evidence is None:
        return HarvestReading("unknown", False, False)
    index = _EntryIndex(catalog.apis)
    by_cat: dict[str, list[tuple[str, CallSite, bool]]] = {}
    for site in evidence.call_sites:
        if site.category == "other":
            continue
        fact = methods.get((site.dex, site.caller_descriptor))
        iterates = bool(fact is not None and fact.iterates_cursor and site.kind in ("field", "string"))
        by_cat.setdefault(site.category, []).append((index.access(site), site, iterates))
    sdk_index = SdkIndex(catalog.sdks)
    endpoints = [
        s
        for s in evidence.strings
        if s.kind == "upload_endpoint" and any(_owner(sdk_index, c) != "library" for c in s.callers)
    ]
    categories = tuple(
        AccessReading(
            category=cat,
            access=min((a for a, _, _ in group), key=ACCESS_ORDER.index),
            sites=len(group),
            sdk_only=all(site.sdk for _, site, _ in group),
            iterates=any(it for _, _, it in group),
            callers=tuple(dict.fromkeys(site.caller_descriptor for _, site, _ in group))[:SHOWN_CALLERS],
            uploads=tuple(dict.fromkeys(s.value for s in endpoints if cat in s.categories)),
        )
        for cat, group in by_cat.items()
    )
    own_senders = [s for s in senders if s.sdk != "library"]
    upload_evidence = tuple(
        dict.fromkeys([*(s.value for s in endpoints), *(f"{s.api} in {s.caller}" for s in own_senders)])
    )[:10]
    complete = evidence.complete and bool(evidence.dex_files)
    harassment = _harassment(categories, bool(upload_evidence), complete)
    return HarvestReading(harassment, complete, bool(upload_evidence), upload_evidence, categories)


def _harassment(categories: tuple[AccessReading, ...], upload: bool, complete: bool) -> str:
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
    """Call site -> the access kind of the catalog entry it matched ("read" when the entry does not say)."""

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


def summary(reading: HarvestReading) -> dict[str, str]:
    """Category -> access, for a quick look (tests, batch columns)."""
    return {c.category: c.access for c in reading.categories}
