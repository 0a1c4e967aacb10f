"""Turn what the lender checks found into findings, and let the code decide the contact-harassment finding.

Finding ids (README lists them): ``promise:<kind>`` (a marketing red flag, quoted with where it was found),
``term:<fact-id>`` (a loan term the app shows that a fact of ``loan_caps.toml`` forbids, the fact cited),
``impersonation:<kind>`` (``mixed_script``, ``hidden_characters``, ``brand_claim``). Words are messages of
``ui.toml``; quoted strings stay as the app wrote them.

Harvesting: the contact-harassment capability is read from the permissions (address book plus SMS or call log, and
network); when the code evidence is complete the finding stays only if the code harvests (reads the address book in
bulk and has a way to send data out: an upload endpoint or a sender API outside platform libraries). Otherwise the
capability stays reported by the over-collection findings, with a line saying what the code really does (looks
single numbers up, only receives incoming SMS...). Packed or unread code: unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from apkscan.evaluate.impersonation import ImpersonationHit
from apkscan.evaluate.loan_terms import TermBreach
from apkscan.evaluate.promises import Found, Promises
from apkscan.model import Finding, ReferenceView
from apkscan.model.lender import HarvestReading
from apkscan.model.text import Message, Param, Words

SHOWN = 5
_SEVERITY_BY_TAG = {"verified": "high", "secondary": "medium"}


def _unique(lines: Iterable[Words]) -> tuple[Words, ...]:
    """Lines in order, each once (messages hold dicts, so they are compared by their written form)."""
    seen: dict[str, Words] = {}
    for line in lines:
        seen.setdefault(repr(line), line)
    return tuple(seen.values())


def where_line(found: Found) -> Message:
    """ "“…text…” (resource string)" / "(in the code: classes.dex Lcom/x/Promo;->banner()…)"."""
    if found.where == "dex":
        return Message("lender.found_dex", {"text": found.text, "where": found.detail})
    return Message(f"lender.found_{found.where}", {"text": found.text})


def promise_findings(promises: Promises) -> list[Finding]:
    by_kind: dict[str, list[Words]] = {}
    for flag in promises.red_flags:
        by_kind.setdefault(flag.kind, []).append(where_line(flag.found))
    return [
        Finding(
            id=f"promise:{kind}",
            category="other",
            severity="medium",
            title=Message(f"promise.{kind}"),
            evidence=_unique(lines)[:SHOWN],
            detail=Message("promise.detail"),
        )
        for kind, lines in by_kind.items()
    ]


def term_findings(breaches: Iterable[TermBreach]) -> list[Finding]:
    by_fact: dict[str, list[TermBreach]] = {}
    for breach in breaches:
        by_fact.setdefault(breach.fact.id, []).append(breach)
    out = []
    for fact_id, group in by_fact.items():
        first, fact = group[0], group[0].fact
        params: dict[str, Param] = {
            "value": _number(first.term.value),
            "compared": _number(first.value),
            "limit": _number(first.limit),
            "rule": fact.instrument,
        }
        out.append(
            Finding(
                id=f"term:{fact_id}",
                category="other",
                severity=_SEVERITY_BY_TAG.get(fact.verification, "low"),
                title=Message(f"term.{first.term.kind}_{fact.kind.replace('-', '_')}", params),
                evidence=_unique(where_line(b.term.found) for b in group)[:SHOWN],
                detail=fact.note or None,
                references=(
                    ReferenceView(
                        jurisdiction=fact.jurisdiction,
                        rule=fact.instrument,
                        article=fact.article,
                        date=fact.date,
                        url=fact.url,
                        verification=fact.verification,
                        note=fact.note,
                        source_id=fact.id,
                    ),
                ),
            )
        )
    return out


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def impersonation_findings(hits: Iterable[ImpersonationHit]) -> list[Finding]:
    out: dict[str, Finding] = {}
    for hit in hits:
        if hit.kind == "brand_claim":
            key = "brand_claim_known" if hit.signer_known else "brand_claim"
            title = Message(f"impersonation.{key}", {"brand": hit.brand_name, "word": hit.word})
            lines: tuple[Words, ...] = (Message("impersonation.label", {"label": hit.label}),)
        else:
            title = Message(f"impersonation.{hit.kind}", {"word": hit.word or hit.label, "skeleton": hit.skeleton})
            lines = (Message("impersonation.label", {"label": hit.label}),) + tuple(
                Message(
                    "impersonation.letter",
                    {"codepoint": letter.codepoint, "script": letter.script, "looks_like": letter.looks_like or "?"},
                )
                for letter in hit.letters
            )
        finding_id = f"impersonation:{hit.kind}"
        if finding_id in out:  # a second label or brand: one finding, more evidence
            old = out[finding_id]
            out[finding_id] = replace(old, evidence=_unique((*old.evidence, title, *lines)))
            continue
        out[finding_id] = Finding(
            id=finding_id,
            category="other",
            severity="high" if hit.kind == "mixed_script" else "medium",
            title=title,
            evidence=lines,
            detail=Message(f"impersonation.{hit.kind}_detail"),
        )
    return list(out.values())


def harassment_proven(reading: HarvestReading) -> bool:
    """The code reads the whole address book and has a way to send data out (the SMS or call-log half of the
    capability is the permission finding's own condition)."""
    return reading.harassment == "harvests"


def apply_harvest(findings: list[Finding], reading: HarvestReading | None) -> list[Finding]:
    """Keep the contact-harassment finding only when the code harvests (complete code evidence); say on the
    permission findings what the code really does with each category."""
    if reading is None or not reading.code_complete:
        return findings
    out = []
    for finding in findings:
        if finding.id == "contact-harassment":
            if harassment_proven(reading):
                out.append(replace(finding, evidence=finding.evidence + (Message("harvest.proven"),)))
            continue
        out.append(_with_access(finding, reading))
    return out


def _with_access(finding: Finding, reading: HarvestReading) -> Finding:
    if not finding.id.startswith(("over-collection:", "conditional:")):
        return finding
    category = finding.category
    access = reading.category(category)
    if access is None:
        line = Message("harvest.contacts_no_code") if category == "contacts" else None
    elif access.access in ("lookup", "receiver", "picker"):
        line = Message(f"harvest.only_{access.access}")
    elif category == "contacts" and reading.harassment == "enumerates":
        line = Message("harvest.enumerates")
    else:
        line = None
    return replace(finding, evidence=finding.evidence + (line,)) if line is not None else finding
