"""The complaint document as HTML: the page a borrower prints, sends, or turns into the PDF.

Letters are filled here, in the chosen language, from the templates of ``letters.toml``: facts the scan established
are written in, blocks (the points, the loan sentence) are expanded, and what only the borrower knows becomes a
visible blank (``[ your name ]``) that cannot be mistaken for a fact. Every value from the APK, the policy or the
borrower's folder is escaped; the templates are ours.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from apkscan.complaint.document import Complaint, Letter, Point, instrument_key
from apkscan.complaint.letters import BLANKS, load_letters
from apkscan.complaint.loan_cost import LoanCost
from apkscan.knowledge.rules import RuleTable
from apkscan.model.report import ReferenceView
from apkscan.model.text import Message, Text
from apkscan.render.i18n import say, t
from apkscan.render.registry import RenderContext, Renderer
from apkscan.render.templating import environment, page_context, stylesheet


@dataclass(frozen=True)
class Numbers:
    """Section and appendix numbers, which depend on what the complaint holds."""

    evidence: int
    letters: int
    limits: int


def appendix_numbers(c: Complaint) -> dict[str, int]:
    """Letters first (one appendix each, so each prints on its own pages), then the supporting material."""
    n = len(c.letters)
    out: dict[str, int] = {}
    for name, present in (("code", True), ("policy", True), ("evidence", c.evidence is not None), ("rules", True),
                          ("others", bool(c.other_findings)), ("loan", c.loan is not None)):  # fmt: skip
        if present:
            n += 1
            out[name] = n
    return out


class Words:
    """Formatting helpers bound to one language, handed to the template."""

    def __init__(self, c: Complaint, lang: str) -> None:
        self.c = c
        self.lang = lang
        self.cited = {instrument_key(r): i for i, r in enumerate(c.cited, start=1)}
        self._values: dict[Letter, dict[str, Any]] = {}

    def blank(self, name: str) -> Markup:
        label = t(f"blank.{name}", self.lang)
        return Markup('<span class="blank">[ {} ]</span>').format(label)

    def cite(self, refs: tuple[ReferenceView, ...]) -> Markup:
        """A point's rules: each instrument's number (listed once under section 2) with the articles cited."""
        articles: dict[int, list[str]] = {}
        for ref in refs:
            articles.setdefault(self.cited.get(instrument_key(ref), 0), [])
            if ref.article and ref.article not in articles[self.cited.get(instrument_key(ref), 0)]:
                articles[self.cited.get(instrument_key(ref), 0)].append(ref.article)
        parts = [
            Markup('<a href="#ref-{0}">[{0}]</a>{1}').format(n, (" " + ", ".join(a)) if a else "")
            for n, a in sorted(articles.items())
        ]
        return Markup("; ").join(parts)

    def instrument(self, ref: ReferenceView) -> Markup:
        """An instrument as the body lists it: title, date and (unless verified) its tag."""
        short = getattr(ref, "short", None)
        title = say(short, self.lang) if short else say(ref.rule, self.lang)
        tag = Markup(' <span class="tag">{}</span>').format(ref.verification) if ref.verification != "verified" else ""
        return Markup("{}{}{}").format(title, f" ({ref.date})" if ref.date else "", tag)

    def money(self, value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:,.2f}"

    def pct(self, value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return "—"
        return f"{value * 100:,.1f}%" if abs(value) < 100 else f"{value * 100:,.0f}%"

    def effective(self, loan: LoanCost) -> str:
        """A compounded rate can be astronomically large: past a million percent it is written as a power of ten."""
        if loan.effective_apr is not None and loan.effective_apr < 1e4:
            return self.pct(loan.effective_apr)
        exponent = loan.effective_log10 + 2  # percent; 1 + rate ≈ rate at this size
        whole = math.floor(exponent)
        return t("complaint.loan_astronomical", self.lang, mantissa=f"{10 ** (exponent - whole):.2f}", digits=whole)

    def cap_figure(self, value: float | None, unit: str) -> str:
        if value is None:
            return "—"
        if unit == "days":
            return t("complaint.loan_term", self.lang, days=int(value))
        if unit == "money":
            return self.money(value)
        suffix = {"per-year": "complaint.per_year", "per-month": "complaint.per_month", "per-day": "complaint.per_day"}
        text = self.pct(value)
        return text + (t(suffix[unit], self.lang) if unit in suffix else "")

    # ------------------------------------------------------------------ letters
    def letter_values(self, letter: Letter) -> dict[str, Any]:
        """What a letter's placeholders stand for, worked out once per letter (every paragraph asks)."""
        if letter not in self._values:
            self._values[letter] = self._letter_values(letter)
        return self._values[letter]

    def _letter_values(self, letter: Letter) -> dict[str, Any]:
        r = self.c.report
        app = r.app
        signer = app.signers[0].sha256 if app and app.signers else t("html.no_signer", self.lang)
        values: dict[str, Any] = {
            "app": r.name_in(self.lang),
            "package": app.package if app else "",
            "version": f"{app.version_name} ({app.version_code})" if app else "",
            "sha256": r.input.sha256,
            "signer": signer,
            "size": f"{r.input.size:,}",
            "scanned_at": r.scanned_at,
            "tool": f"apkscan {r.tool_version}",
            "rules": self.rules_sentence(),
            "manifest": self.c.manifest_sha256 or "—",
            "recipient": say(letter.channel.name, self.lang),
            "contact": letter.channel.contact,
            "loan": self.loan_sentence(),
            "points": "",
        }
        values.update({name: self.blank(name) for name in BLANKS})
        return values

    def rules_sentence(self) -> str:
        seen: dict[str, None] = {}
        for ref in self.c.cited:
            short = getattr(ref, "short", None)
            title = say(short, self.lang) if short else say(ref.rule, self.lang)
            seen.setdefault(title + (f" {ref.article}" if ref.article else ""), None)
        return t("headline.join", self.lang).join(seen) if seen else t("complaint.rules_none", self.lang)

    def loan_sentence(self) -> str:
        loan = self.c.loan
        if loan is None:
            return ""
        broken = [k for k in self.c.caps if k.exceeded and not k.fact.unverified]
        return t(
            "complaint.loan_sentence",
            self.lang,
            received=self.money(loan.received),
            repaid=self.money(loan.repaid),
            days=loan.term_days,
            apr=self.pct(loan.nominal_apr),
            broken=len(broken),
        )

    def letter_text(self, letter: Letter, text: Text) -> Markup:
        return _fill(text.get(self.lang), self.letter_values(letter))

    def letter_paragraph(self, letter: Letter, text: Text) -> Markup:
        template = text.get(self.lang)
        if template.strip() == "{points}":
            items = Markup("").join(Markup("<li>{}</li>").format(self.point_line(p)) for p in self.c.points)
            return Markup('<ol class="letter-points">{}</ol>').format(items) if items else Markup("")
        filled = _fill(template, self.letter_values(letter))
        return Markup("<p>{}</p>").format(filled) if str(filled).strip() else Markup("")

    def point_line(self, p: Point) -> Markup:
        line = Markup("{}").format(say(p.claim, self.lang))
        evidence = []
        if p.readers:
            evidence.append(t("complaint.letter_code", self.lang, code=p.readers[0]))
        if p.uploads:
            evidence.append(t("complaint.letter_upload", self.lang, url=p.uploads[0]))
        if p.quotes:
            evidence.append(t("complaint.letter_quote", self.lang, quote=p.quotes[0].sentence))
        if evidence:
            line += Markup(" <span class='sub'>({})</span>").format("; ".join(evidence))
        return line


def _fill(template: str, values: dict[str, Any]) -> Markup:
    """``str.format`` with every value escaped unless it is already Markup (the blanks)."""
    out = Markup("")
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out += escape(literal)
        if name is not None:
            value = values.get(name, "")
            out += value if isinstance(value, Markup) else escape(str(value))
    return out


def render_complaint_html(c: Complaint, rules: RuleTable, lang: str | None = None) -> str:
    lang = lang or c.lang
    words = Words(c, lang)
    appendix = appendix_numbers(c)
    sec = Numbers(evidence=4 if c.loan else 3, letters=5 if c.loan else 4, limits=6 if c.loan else 5)
    return (
        environment()
        .get_template("complaint.html.j2")
        .render(
            c=c,
            app_name=c.report.name_in(lang),
            appendix=appendix,
            sec=sec,
            letter_templates=load_letters(),
            complaint_css=stylesheet("complaint.css"),
            blank=words.blank,
            cite=words.cite,
            instrument=words.instrument,
            money=words.money,
            pct=words.pct,
            effective=words.effective,
            cap_figure=words.cap_figure,
            letter_text=words.letter_text,
            letter_paragraph=words.letter_paragraph,
            situation_name=lambda sid: Message(f"situation.{sid}"),
            **page_context(lang, rules),
        )
    )


def _render(c: Complaint, ctx: RenderContext) -> bytes:
    return render_complaint_html(c, ctx.rules, ctx.lang).encode("utf-8")


RENDERER = Renderer(
    kind="complaint", name="html", suffix=".html", media_type="text/html; charset=utf-8", render=_render
)
