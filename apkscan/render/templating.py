"""The Jinja environment every HTML page shares: autoescaping, strict variables, the CSS and the words.

Every page apkscan writes (report, complaint, batch index, web pages) is one self-contained file: CSS inlined, no
remote script, font or image, every value autoescaped (an app label can be ``<script>``). Pages get their words
through ``say`` (messages and bilingual text) and ``t`` (fixed interface text), both bound to one language.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from apkscan.knowledge.rules import RuleTable
from apkscan.model import VERDICT_RANK, severity_rank
from apkscan.render.i18n import name_of, say, t


def safe_url(url: str) -> bool:
    """Only http(s) links become clickable; a user rule table or an APK could carry ``javascript:`` URLs."""
    return isinstance(url, str) and urlsplit(url).scheme in ("http", "https")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("apkscan", "render/templates"),
        autoescape=lambda name: not (name or "").endswith(".md.j2"),  # Markdown escapes with md()
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.globals.update(verdict_rank=VERDICT_RANK, severity_rank=severity_rank)
    return env


@lru_cache(maxsize=4)
def stylesheet(name: str = "style.css") -> str:
    return files("apkscan").joinpath(f"render/templates/{name}").read_text(encoding="utf-8")


def page_context(lang: str, rules: RuleTable) -> dict[str, Any]:
    """What every page needs: words in ``lang``, names of categories and jurisdictions, the CSS."""
    return {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "say": lambda words: say(words, lang),
        "named": lambda section, ident: name_of(section, ident, lang),
        "css": stylesheet(),
        "cname": lambda c: rules.categories[c].name.get(lang) if c in rules.categories else c,
        "jname": lambda j: rules.jurisdictions[j].name.get(lang) if j in rules.jurisdictions else j,
    }


def render_page(template: str, lang: str, rules: RuleTable, **values: Any) -> str:
    """Render one template with the shared context."""
    return environment().get_template(template).render(**values, **page_context(lang, rules))
