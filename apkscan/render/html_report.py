"""The HTML report a borrower reads and attaches to a complaint.

One self-contained file: CSS inlined, no remote script, font or image, every value autoescaped (an app label
can be ``<script>``), and print CSS so "Save as PDF" gives a clean A4 document.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from apkscan.i18n import name_of, t
from apkscan.knowledge.rules import RuleTable, load_advice
from apkscan.model import VERDICT_RANK, Report, severity_rank


def safe_url(url: str) -> bool:
    """Only http(s) links become clickable; a user rule table could carry ``javascript:`` URLs."""
    return isinstance(url, str) and urlsplit(url).scheme in ("http", "https")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("apkscan", "render/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.globals.update(verdict_rank=VERDICT_RANK, severity_rank=severity_rank)
    return env


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return files("apkscan").joinpath("render/templates/style.css").read_text(encoding="utf-8")


def page_context(lang: str, rules: RuleTable) -> dict:
    """What every page needs: translated text, names of categories and jurisdictions, the CSS."""
    return {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "named": lambda section, ident: name_of(section, ident, lang),
        "css": stylesheet(),
        "cname": lambda c: rules.categories[c].name.get(lang) if c in rules.categories else c,
        "jname": lambda j: rules.jurisdictions[j].name.get(lang) if j in rules.jurisdictions else j,
    }


def render_html(report: Report, rules: RuleTable) -> str:
    lang = report.lang
    advice = load_advice()
    chosen = [rules.jurisdictions[j] for j in report.jurisdictions if j in rules.jurisdictions]
    app = report.app
    name = (app.label_zh if lang == "zh" and app and app.label_zh else app.label if app else "") or (
        app.package if app else report.input.name
    )
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            app=app,
            app_name=name,
            advice=advice,
            channel_jurisdictions=chosen,
            situations=[s for s in advice.situations if s.jurisdiction in report.jurisdictions],
            code_groups=_code_groups(report.code),
            policy_used={p.category for p in report.permissions if p.effective and p.verdict != "needed"},
            **page_context(lang, rules),
        )
    )


def _code_groups(code: dict | None) -> list[tuple[str, list[dict]]]:
    """Call sites grouped by category, in the order they were found."""
    groups: dict[str, list[dict]] = {}
    for site in (code or {}).get("call_sites", []):
        groups.setdefault(site["category"], []).append(site)
    return list(groups.items())
