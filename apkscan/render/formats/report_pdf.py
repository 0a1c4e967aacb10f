"""The full scan report as PDF: the HTML report laid out on A4 by WeasyPrint (:mod:`apkscan.render.pdf`)."""

from __future__ import annotations

from apkscan.model import Report
from apkscan.render.formats.report_html import render_html
from apkscan.render.pdf import html_to_pdf
from apkscan.render.registry import RenderContext, Renderer


def _render(report: Report, ctx: RenderContext) -> bytes:
    return html_to_pdf(render_html(report, ctx.rules, ctx.lang))


RENDERER = Renderer(kind="report", name="pdf", suffix=".pdf", media_type="application/pdf", render=_render)
