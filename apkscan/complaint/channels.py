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

from apkscan.complaint.errors import ComplaintInputError
from apkscan.knowledge.complaint_specs import CHANNELS
from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import RuleTableError, load_document
from apkscan.model.text import Text
from apkscan.model.vocab import CHANNEL_KINDS as KINDS
from apkscan.model.vocab import JURISDICTIONS

#: Kinds chosen by default, in letter order; ``police`` only with the contact-harassment capability.
DEFAULT_KINDS = ("platform", "financial_regulator", "pi_regulator", "police", "app_store")

__all__ = ["DEFAULT_KINDS", "KINDS", "Channel", "ChannelDataError", "choose_channels", "load_channels"]


class ChannelDataError(RuleTableError):
    """``channels.toml`` is malformed (spec: ``CHANNELS`` in apkscan.knowledge.complaint_specs); a line a problem."""


@dataclass(frozen=True)
class Channel:
    id: str
    jurisdiction: str
    kind: str
    name: Text
    contact: str
    purpose: Text
    verification: str


@cache
def load_channels(path: Path | None = None) -> tuple[Channel, ...]:
    """All channels, in file order (within a jurisdiction: the order a borrower should try them)."""
    doc, _ = load_document(path or data_file("channels.toml"), CHANNELS, error=ChannelDataError)
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
