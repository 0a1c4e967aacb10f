"""Load the lending-app rule table and the borrower advice into small frozen objects.

Why this module exists: the knowledge of what a lending app may ask for lives in data (``apkscan/data/rules.toml``),
each verdict tied to the law or store policy behind it and to how sure we are of that source. The rest of apkscan
should never touch raw TOML: it asks this module for a ``RuleTable`` and gets validated, immutable objects whose
fields always exist, so a bad user table fails here with one clear line instead of halfway through a report.
The schema itself (allowed keys and values) is in :mod:`apkscan.knowledge.schema`.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from apkscan.knowledge.schema import (
    CATEGORY_IDS,
    JURISDICTION_IDS,
    PROTECTIONS,
    SEVERITIES,
    VERDICTS,
    VERIFICATION,
    RuleTableError,
    SchemaError,
    check_advice_document,
    check_rules_document,
)
from apkscan.model.text import Text

__all__ = [
    "CATEGORY_IDS",
    "JURISDICTION_IDS",
    "PROTECTIONS",
    "SEVERITIES",
    "VERDICTS",
    "VERIFICATION",
    "Advice",
    "Category",
    "Channel",
    "Contrast",
    "Jurisdiction",
    "PermissionRule",
    "Reference",
    "RuleTable",
    "RuleTableError",
    "Situation",
    "Source",
    "Text",
    "default_advice_path",
    "default_rules_path",
    "load_advice",
    "load_rules",
]

ANDROID_PREFIX = "android.permission."


@dataclass(frozen=True)
class Source:
    """One law, standard or store policy, with how sure we are of its title, date and address."""

    id: str
    jurisdiction: str
    title: Text
    date: str
    url: str
    verification: str


@dataclass(frozen=True)
class Reference:
    """One citation behind a permission rule: the source, the article, and what it says about this permission.

    ``verification`` is the citation's own tag, which can be weaker than its source's (e.g. an article number
    recalled from memory in a verified document).
    """

    source_id: str
    jurisdiction: str
    title: Text
    article: str
    date: str
    url: str
    verification: str
    note: Text


@dataclass(frozen=True)
class PermissionRule:
    """What a lending app may do with one Android permission, and why."""

    name: str
    category: str
    protection: str
    verdict: str
    severity: str
    reason: Text
    alternative: Text
    condition: Text
    references: tuple[Reference, ...]
    no_effect_from_target_sdk: int | None
    api_added: int | None

    def references_for(self, jurisdictions: Collection[str] | str | None) -> tuple[Reference, ...]:
        """The references from the given jurisdictions; ``None`` or ``"all"`` gives every reference."""
        if jurisdictions is None:
            return self.references
        wanted = {jurisdictions} if isinstance(jurisdictions, str) else set(jurisdictions)
        if "all" in wanted:
            return self.references
        return tuple(ref for ref in self.references if ref.jurisdiction in wanted)


@dataclass(frozen=True)
class Category:
    """A kind of personal data (contacts, SMS...); ``sensitive`` marks data a lender could abuse."""

    id: str
    name: Text
    what: Text
    sensitive: bool


@dataclass(frozen=True)
class Channel:
    """Somewhere a borrower can complain, with a phone number, address or site when one is known."""

    name: Text
    contact: str
    purpose: Text
    verification: str


@dataclass(frozen=True)
class Jurisdiction:
    """A country or store whose rules the table cites, with its complaint channels."""

    id: str
    name: Text
    channels: tuple[Channel, ...]


@dataclass(frozen=True)
class RuleTable:
    """The whole validated table. ``sha256`` identifies the exact file a report was made with."""

    name: str
    version: str
    sha256: str
    path: str
    categories: dict[str, Category]
    jurisdictions: dict[str, Jurisdiction]
    permissions: dict[str, PermissionRule]
    sources: dict[str, Source] = field(default_factory=dict)
    updated: str = ""
    description: Text = Text("", "")
    _short_names: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Short names ("AD_ID") for permissions outside android.permission.*, kept only where unambiguous.
        counts: dict[str, list[str]] = {}
        for name in self.permissions:
            counts.setdefault(name.rsplit(".", 1)[-1], []).append(name)
        short = {key: names[0] for key, names in counts.items() if len(names) == 1}
        object.__setattr__(self, "_short_names", short)

    def lookup(self, permission: str) -> PermissionRule | None:
        """The rule for a permission, by full name or by short name ("READ_SMS"); ``None`` when not in the table."""
        name = permission.strip()
        if name in self.permissions:
            return self.permissions[name]
        if "." in name:
            return None
        rule = self.permissions.get(ANDROID_PREFIX + name)
        return rule or self.permissions.get(self._short_names.get(name, ""))


@dataclass(frozen=True)
class Situation:
    """One problem a borrower may face, the laws that may apply, where to go and what to keep."""

    problem: Text
    laws: Text
    where: Text
    keep: Text
    jurisdiction: str


@dataclass(frozen=True)
class Contrast:
    """Lawful versus unlawful practice on one topic (e.g. contacting emergency contacts)."""

    topic: Text
    lawful: Text
    unlawful: Text


@dataclass(frozen=True)
class Advice:
    """The report's "what you can do" section, in both languages."""

    red_flags: tuple[Text, ...]
    evidence_to_keep: tuple[Text, ...]
    steps: tuple[Text, ...]
    situations: tuple[Situation, ...]
    lawful_vs_unlawful: tuple[Contrast, ...] = ()
    background: tuple[Text, ...] = ()


def default_rules_path() -> Path:
    """The rule table shipped inside the package."""
    return Path(str(resources.files("apkscan").joinpath("data", "rules.toml")))


def default_advice_path() -> Path:
    """The advice file shipped inside the package."""
    return Path(str(resources.files("apkscan").joinpath("data", "advice.toml")))


def _read_toml(path: Path, label: str, check: Callable[[dict[str, Any]], None]) -> tuple[dict[str, Any], bytes]:
    """Read, parse and validate one file, turning every failure into a one-line ``RuleTableError``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleTableError(f"{label}: cannot read file: {exc.strerror or exc}") from exc
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleTableError(f"{label}: not UTF-8 text (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RuleTableError(f"{label}: TOML syntax error: {_one_line(str(exc))}") from exc
    try:
        check(doc)
    except SchemaError as exc:
        raise RuleTableError(f"{label}: {_one_line(str(exc))}") from exc
    return doc, raw


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _pair(table: dict[str, Any], prefix: str) -> Text:
    return Text(table.get(f"{prefix}_en", ""), table.get(f"{prefix}_zh", ""))


def _source(sid: str, data: dict[str, Any]) -> Source:
    return Source(
        sid, data["jurisdiction"], _pair(data, "title"), data["date"], data.get("url", ""), data["verification"]
    )


def _reference(data: dict[str, Any], sources: dict[str, Source]) -> Reference:
    src = sources[data["source"]]
    return Reference(
        src.id,
        src.jurisdiction,
        src.title,
        data.get("article", ""),
        src.date,
        src.url,
        data["verification"],
        _pair(data, "note"),
    )


def _permission(name: str, data: dict[str, Any], sources: dict[str, Source]) -> PermissionRule:
    return PermissionRule(
        name=name,
        category=data["category"],
        protection=data["protection"],
        verdict=data["verdict"],
        severity=data["severity"],
        reason=_pair(data, "reason"),
        alternative=_pair(data, "alternative"),
        condition=_pair(data, "condition"),
        references=tuple(_reference(ref, sources) for ref in data.get("references", [])),
        no_effect_from_target_sdk=data.get("no_effect_from_target_sdk"),
        api_added=data.get("api_added"),
    )


def _jurisdiction(jid: str, data: dict[str, Any]) -> Jurisdiction:
    channels = tuple(
        Channel(_pair(c, "name"), c.get("contact", ""), _pair(c, "purpose"), c["verification"])
        for c in data.get("channels", [])
    )
    return Jurisdiction(jid, _pair(data, "name"), channels)


def load_rules(path: str | Path | None = None) -> RuleTable:
    """Load and validate a rule table; ``None`` loads the packaged one. Raises ``RuleTableError`` on any problem."""
    file = default_rules_path() if path is None else Path(path)
    doc, raw = _read_toml(file, str(path) if path is not None else str(file), check_rules_document)
    sources = {sid: _source(sid, data) for sid, data in doc.get("sources", {}).items()}
    meta = doc["meta"]
    return RuleTable(
        name=meta["name"],
        version=meta["version"],
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(file),
        categories={
            cid: Category(cid, Text(c["en"], c["zh"]), _pair(c, "what"), c["sensitive"])
            for cid, c in doc["categories"].items()
        },
        jurisdictions={jid: _jurisdiction(jid, j) for jid, j in doc.get("jurisdictions", {}).items()},
        permissions={name: _permission(name, p, sources) for name, p in doc["permissions"].items()},
        sources=sources,
        updated=meta["updated"],
        description=_pair(meta, "description"),
    )


def _texts(items: list[dict[str, str]]) -> tuple[Text, ...]:
    return tuple(Text(item["en"], item["zh"]) for item in items)


def load_advice(path: str | Path | None = None) -> Advice:
    """Load and validate the borrower advice; ``None`` loads the packaged file."""
    file = default_advice_path() if path is None else Path(path)
    doc, _ = _read_toml(file, str(path) if path is not None else str(file), check_advice_document)
    return Advice(
        red_flags=_texts(doc["red_flags"]),
        evidence_to_keep=_texts(doc["evidence_to_keep"]),
        steps=_texts(doc["steps"]),
        situations=tuple(
            Situation(_pair(s, "problem"), _pair(s, "laws"), _pair(s, "where"), _pair(s, "keep"), s["jurisdiction"])
            for s in doc["situations"]
        ),
        lawful_vs_unlawful=tuple(
            Contrast(_pair(c, "topic"), _pair(c, "lawful"), _pair(c, "unlawful"))
            for c in doc.get("lawful_vs_unlawful", [])
        ),
        background=_texts(doc.get("background", [])),
    )
