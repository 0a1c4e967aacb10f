"""The complaint as PDF: the HTML of ``complaint_html`` laid out on A4 by WeasyPrint (:mod:`apkscan.render.pdf`)."""

from __future__ import annotations

from apkscan.complaint.document import Complaint
from apkscan.render.formats.complaint_html import render_complaint_html
from apkscan.render.pdf import html_to_pdf
from apkscan.render.registry import RenderContext, Renderer


def _render(c: Complaint, ctx: RenderContext) -> bytes:
    return html_to_pdf(render_complaint_html(c, ctx.rules, ctx.lang))


RENDERER = Renderer(kind="complaint", name="pdf", suffix=".pdf", media_type="application/pdf", render=_render)
