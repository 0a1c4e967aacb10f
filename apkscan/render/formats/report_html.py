"""The HTML report a borrower reads and attaches to a complaint.

One self-contained file (see :mod:`apkscan.render.templating`) with print CSS so "Save as PDF" gives a clean A4
document. Each rule is cited once, in a numbered list at the end: findings point to it by number, which keeps the
printed report short without losing anything on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apkscan.complaint.channels import load_channels
from apkscan.knowledge.rules import RuleTable, load_advice
from apkscan.model import Report
from apkscan.model.code import CallSite, CodeEvidence
from apkscan.model.report import ReferenceView
from apkscan.model.text import Text
from apkscan.render.registry import RenderContext, Renderer
from apkscan.render.templating import render_page


@dataclass
class Cited:
    """One numbered entry of the report's rule list: a source and article, with every note said about it."""

    number: int
    ref: ReferenceView
    notes: list[Text] = field(default_factory=list)


@dataclass
class Citations:
    """Number each distinct rule (jurisdiction, source, article) the first time it is cited, so the report lists
    it once; the notes different findings attach to it are kept together under it."""

    entries: dict[tuple[str, str, str], Cited] = field(default_factory=dict)

    def cite(self, refs: tuple[ReferenceView, ...]) -> list[tuple[int, ReferenceView]]:
        out: list[tuple[int, ReferenceView]] = []
        for ref in refs:
            key = (ref.jurisdiction, ref.source_id or ref.rule.en, ref.article)
            entry = self.entries.setdefault(key, Cited(len(self.entries) + 1, ref))
            if ref.note and ref.note not in entry.notes:
                entry.notes.append(ref.note)
            if all(number != entry.number for number, _ in out):
                out.append((entry.number, ref))
        return out

    @property
    def listed(self) -> list[Cited]:
        return list(self.entries.values())


def render_html(report: Report, rules: RuleTable, lang: str | None = None) -> str:
    lang = lang or report.lang
    advice = load_advice()
    channels = load_channels()
    groups = [(rules.jurisdictions[j], [c for c in channels if c.jurisdiction == j]) for j in report.jurisdictions]
    citations = Citations()
    cited = {f.id: citations.cite(f.references) for f in report.findings}
    return render_page(
        "report.html.j2",
        lang,
        rules,
        report=report,
        app=report.app,
        app_name=report.name_in(lang),
        advice=advice,
        channel_groups=[(j, chans) for j, chans in groups if chans],
        situations=[s for s in advice.situations if s.jurisdiction in report.jurisdictions],
        code_groups=code_groups(report.code),
        policy_used={p.category for p in report.permissions if p.effective and p.verdict != "needed"},
        cited=cited,
        references_listed=citations.listed,
    )


def code_groups(code: CodeEvidence | None) -> list[tuple[str, list[CallSite]]]:
    """Call sites grouped by category, in the order they were found."""
    groups: dict[str, list[CallSite]] = {}
    for site in code.call_sites if code else ():
        groups.setdefault(site.category, []).append(site)
    return list(groups.items())


def _render(report: Report, ctx: RenderContext) -> bytes:
    return render_html(report, ctx.rules, ctx.lang).encode("utf-8")


RENDERER = Renderer(kind="report", name="html", suffix=".html", media_type="text/html; charset=utf-8", render=_render)
