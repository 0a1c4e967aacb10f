"""Load the lending-app rule table and the borrower advice into small frozen objects.

Why this module exists: the knowledge of what a lending app may ask for lives in data (``apkscan/data/rules.toml``),
each verdict tied to the law or store policy behind it and to how sure we are of that source. The rest of apkscan
should never touch raw TOML: it asks this module for a ``RuleTable`` and gets validated, immutable objects whose
fields always exist, so a bad user table fails here with one clear line instead of halfway through a report.
The file's shape is :data:`apkscan.knowledge.specs.RULES`; every mistake of a file is reported at once.

A reference is written once, as a citation (``[citations.<id>]``: source, article, note, verification), and cited by
id from each permission and policy finding that relies on it; a note that several sources share (RBI's 2022 and 2025
texts say the same) is written once in ``[notes]``. The loader resolves all of that, so a :class:`Reference` always
carries its full texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import RuleTableError, Spec, load_document
from apkscan.knowledge.specs import ADVICE, RULES
from apkscan.model.text import Text
from apkscan.model.vocab import CATEGORIES as CATEGORY_IDS
from apkscan.model.vocab import JURISDICTIONS as JURISDICTION_IDS
from apkscan.model.vocab import PROTECTIONS, VERIFICATION
from apkscan.model.vocab import RULE_VERDICTS as VERDICTS
from apkscan.model.vocab import SEVERITY_ORDER as SEVERITIES

__all__ = [
    "CATEGORY_IDS",
    "JURISDICTION_IDS",
    "PROTECTIONS",
    "SEVERITIES",
    "VERDICTS",
    "VERIFICATION",
    "Advice",
    "Category",
    "Contrast",
    "Jurisdiction",
    "PermissionRule",
    "PolicyFindingRule",
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
    "packaged_rules",
    "policy_finding_rules",
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
    short: Text = Text("", "")  # short form for running text ("PIPL"); empty when only the title is given

    def cite_as(self) -> Text:
        """The short form where there is one, else the title."""
        return Text(self.short.en or self.title.en, self.short.zh or self.title.zh)


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
    short: Text = Text("", "")  # the source's short name for running text; empty when it has none


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
class PolicyFindingRule:
    """What one kind of privacy-policy finding cites and how severe it is (``[policy_findings.<kind>]``).

    ``severity_by_verdict`` refines the severity by the worst verdict of the data category concerned (an undisclosed
    prohibited category is worse than an undisclosed needed one).
    """

    kind: str
    severity: str
    references: tuple[Reference, ...]
    severity_by_verdict: Mapping[str, str] = field(default_factory=dict)

    def severity_for(self, verdict: str | None = None) -> str:
        """The severity for a category whose worst verdict is ``verdict`` (the plain severity when not refined)."""
        return self.severity_by_verdict.get(verdict or "", self.severity)


@dataclass(frozen=True)
class Category:
    """A kind of personal data (contacts, SMS...); ``sensitive`` marks data a lender could abuse."""

    id: str
    name: Text
    what: Text
    sensitive: bool


@dataclass(frozen=True)
class Jurisdiction:
    """A country or store whose rules the table cites (its complaint channels are in ``channels.toml``)."""

    id: str
    name: Text


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
    citations: dict[str, Reference] = field(default_factory=dict)
    policy_findings: dict[str, PolicyFindingRule] = field(default_factory=dict)
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
    return data_file("rules.toml")


def default_advice_path() -> Path:
    """The advice file shipped inside the package."""
    return data_file("advice.toml")


def _read(path: str | Path | None, default: Path, spec: Spec) -> tuple[dict[str, Any], bytes, Path]:
    """Read and check one file; errors name the path as the user gave it (the packaged file by its full path)."""
    file = default if path is None else Path(path)
    doc, raw = load_document(file, spec, str(file) if path is None else str(path), RuleTableError)
    return doc, raw, file


def _pair(table: Mapping[str, Any], prefix: str) -> Text:
    return Text(table.get(f"{prefix}_en", ""), table.get(f"{prefix}_zh", ""))


def _source(sid: str, data: dict[str, Any]) -> Source:
    return Source(
        sid,
        data["jurisdiction"],
        _pair(data, "title"),
        data["date"],
        data.get("url", ""),
        data["verification"],
        _pair(data, "short"),
    )


class _Citations:
    """Turns citation ids and written-out citations into :class:`Reference` objects, each id built once."""

    def __init__(self, doc: dict[str, Any], sources: dict[str, Source]) -> None:
        self.sources = sources
        self.notes = {nid: Text(n["en"], n["zh"]) for nid, n in doc.get("notes", {}).items()}
        self.by_id = {cid: self.build(c) for cid, c in doc.get("citations", {}).items()}

    def build(self, data: dict[str, Any]) -> Reference:
        src = self.sources[data["source"]]
        note = self.notes[data["note"]] if "note" in data else _pair(data, "note")
        article = data.get("article", "")
        return Reference(
            src.id, src.jurisdiction, src.title, article, src.date, src.url, data["verification"], note, src.short
        )

    def resolve(self, items: list[str | dict[str, Any]]) -> tuple[Reference, ...]:
        return tuple(self.by_id[item] if isinstance(item, str) else self.build(item) for item in items)


def _permission(name: str, data: dict[str, Any], cite: _Citations) -> PermissionRule:
    return PermissionRule(
        name=name,
        category=data["category"],
        protection=data["protection"],
        verdict=data["verdict"],
        severity=data["severity"],
        reason=_pair(data, "reason"),
        alternative=_pair(data, "alternative"),
        condition=_pair(data, "condition"),
        references=cite.resolve(data.get("references", [])),
        no_effect_from_target_sdk=data.get("no_effect_from_target_sdk"),
        api_added=data.get("api_added"),
    )


def _jurisdiction(jid: str, data: dict[str, Any]) -> Jurisdiction:
    return Jurisdiction(jid, _pair(data, "name"))


def load_rules(path: str | Path | None = None) -> RuleTable:
    """Load and validate a rule table; ``None`` loads the packaged one. Raises ``RuleTableError`` listing every
    problem of the file."""
    doc, raw, file = _read(path, default_rules_path(), RULES)
    sources = {sid: _source(sid, data) for sid, data in doc.get("sources", {}).items()}
    cite = _Citations(doc, sources)
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
        permissions={name: _permission(name, p, cite) for name, p in doc["permissions"].items()},
        sources=sources,
        updated=meta["updated"],
        description=_pair(meta, "description"),
        citations=cite.by_id,
        policy_findings={
            kind: PolicyFindingRule(
                kind, f["severity"], cite.resolve(f.get("references", [])), dict(f.get("severity_by_verdict", {}))
            )
            for kind, f in doc.get("policy_findings", {}).items()
        },
    )


@lru_cache(maxsize=1)
def packaged_rules() -> RuleTable:
    """The packaged rule table, parsed once per process (for callers that only need its shared data)."""
    return load_rules()


def policy_finding_rules(rules: RuleTable | None = None) -> Mapping[str, PolicyFindingRule]:
    """What each kind of privacy-policy finding cites and its severity, keyed by kind (see
    :data:`apkscan.model.vocab.POLICY_FINDING_KINDS`). Taken from ``rules`` when that table defines
    ``[policy_findings]``, else from the packaged table (a user table need not repeat them)."""
    if rules is not None and rules.policy_findings:
        return rules.policy_findings
    return packaged_rules().policy_findings


def _texts(items: list[dict[str, str]]) -> tuple[Text, ...]:
    return tuple(Text(item["en"], item["zh"]) for item in items)


def load_advice(path: str | Path | None = None) -> Advice:
    """Load and validate the borrower advice; ``None`` loads the packaged file."""
    doc, _, _ = _read(path, default_advice_path(), ADVICE)
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
