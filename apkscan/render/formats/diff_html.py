"""The HTML diff a borrower or a reviewer reads: one headline ("this update added reading your SMS"), then each kind
of change. One self-contained file, like the report (:mod:`apkscan.render.templating`)."""

from __future__ import annotations

from apkscan.diff import ReportDiff
from apkscan.render.registry import RenderContext, Renderer
from apkscan.render.templating import render_page


def render_html(diff: ReportDiff, ctx: RenderContext) -> str:
    return render_page("diff.html.j2", ctx.lang, ctx.rules, diff=diff)


RENDERER = Renderer(
    kind="diff",
    name="html",
    suffix=".html",
    media_type="text/html; charset=utf-8",
    render=lambda diff, ctx: render_html(diff, ctx).encode("utf-8"),
)
