"""The Markdown report: the same findings as the HTML report, for issue trackers, chats and wikis.

Markdown has no autoescaping, and app labels, package names and policy sentences are hostile: every value goes
through :func:`md`, which escapes Markdown's punctuation and removes line breaks and HTML, so a label cannot inject
a link, an image or a heading.
"""

from __future__ import annotations

import re

from apkscan.knowledge.rules import RuleTable
from apkscan.model import Report
from apkscan.render.formats.report_html import Citations
from apkscan.render.registry import Renderer
from apkscan.render.templating import environment, page_context

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def md(value: object) -> str:
    """One line of Markdown text showing ``value`` literally (emphasis, links, HTML and list markers escaped)."""
    text = _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def render_markdown(report: Report, rules: RuleTable, lang: str | None = None) -> str:
    lang = lang or report.lang
    citations = Citations()
    cited = {f.id: citations.cite(f.references) for f in report.findings}
    template = environment().get_template("report.md.j2")
    return template.render(
        report=report,
        app=report.app,
        app_name=report.name_in(lang),
        cited=cited,
        references_listed=citations.listed,
        md=md,
        **page_context(lang, rules),
    )


RENDERER = Renderer(
    kind="report",
    name="md",
    suffix=".md",
    media_type="text/markdown; charset=utf-8",
    render=lambda report, ctx: render_markdown(report, ctx.rules, ctx.lang).encode("utf-8"),
)
