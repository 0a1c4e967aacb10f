"""Where a borrower can complain (``apkscan/data/channels.toml``), and which channels a complaint writes to.

Each channel has a stable id (for ``--channel``), a jurisdiction and a kind that decides its letter. Without
``--channel`` the complaint picks what fits: the written demand to the platform (always the first step), then per
jurisdiction its financial regulator, its personal-information regulator and its app store; the police letter only
when the app can reach the address book, since that is what harassment of a borrower's contacts needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from apkscan.complaint.datafile import packaged, read_checked
from apkscan.complaint.errors import ComplaintInputError
from apkscan.knowledge.schema import TAG, TEXT, Field, RuleTableError, check_table, text_pair
from apkscan.model.text import Text
from apkscan.model.vocab import JURISDICTIONS

KINDS = (
    "platform",
    "financial_regulator",
    "pi_regulator",
    "telecom",
    "industry_body",
    "consumer",
    "police",
    "app_store",
    "legal",
)
#: Kinds chosen by default, in letter order; ``police`` only with the contact-harassment capability.
DEFAULT_KINDS = ("platform", "financial_regulator", "pi_regulator", "police", "app_store")

CHANNEL = {
    "id": TEXT,
    "jurisdiction": Field(str, choices=JURISDICTIONS),
    "kind": Field(str, choices=KINDS),
    **text_pair("name"),
    "contact": Field(str, required=False),
    **text_pair("purpose"),
    "verification": TAG,
}
CHANNELS_TOP = {"channels": Field(list, items=CHANNEL)}


class ChannelDataError(RuleTableError):
    """``channels.toml`` is malformed; one line naming the file and key."""


@dataclass(frozen=True)
class Channel:
    id: str
    jurisdiction: str
    kind: str
    name: Text
    contact: str
    purpose: Text
    verification: str


def _check(doc: dict[str, Any]) -> None:
    check_table(doc, CHANNELS_TOP, "")
    seen: set[str] = set()
    from apkscan.knowledge.schema import SchemaError, key_path

    for i, channel in enumerate(doc["channels"]):
        if channel["id"] in seen:
            raise SchemaError(key_path("channels", i, "id"), f"{channel['id']!r} is used twice")
        seen.add(channel["id"])


@cache
def load_channels(path: Path | None = None) -> tuple[Channel, ...]:
    """All channels, in file order (within a jurisdiction: the order a borrower should try them)."""
    doc, _ = read_checked(path or packaged("channels.toml"), _check, ChannelDataError)
    return tuple(
        Channel(
            c["id"],
            c["jurisdiction"],
            c["kind"],
            Text(c["name_en"], c["name_zh"]),
            c.get("contact", ""),
            Text(c["purpose_en"], c["purpose_zh"]),
            c["verification"],
        )
        for c in doc["channels"]
    )


def choose_channels(
    asked: Sequence[str], jurisdictions: Iterable[str], can_reach_contacts: bool, channels: Sequence[Channel] = ()
) -> tuple[Channel, ...]:
    """The channels to write to: the ids asked for, or the default set for the jurisdictions."""
    every = tuple(channels) or load_channels()
    by_id = {c.id: c for c in every}
    if asked:
        unknown = [a for a in asked if a not in by_id]
        if unknown:
            raise ComplaintInputError(f"--channel: unknown channel {unknown[0]!r} (known: {', '.join(sorted(by_id))})")
        return tuple(by_id[a] for a in dict.fromkeys(asked))
    chosen: list[Channel] = []
    wanted = set(jurisdictions)
    for kind in DEFAULT_KINDS:
        if kind == "police" and not can_reach_contacts:
            continue
        for jurisdiction in (j for j in JURISDICTIONS if j in wanted):
            first = next((c for c in every if c.jurisdiction == jurisdiction and c.kind == kind), None)
            if first is not None:
                chosen.append(first)
    if not any(c.kind == "platform" for c in chosen):
        platform = next((c for c in every if c.kind == "platform"), None)
        if platform is not None:
            chosen.insert(0, platform)
    return tuple(chosen)
