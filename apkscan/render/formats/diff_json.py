"""The JSON diff (``apkscan.diff/1``, JSON Schema ``apkscan/data/schema/diff-1.schema.json``): what changed between
two versions of an app, written by ``apkscan diff``.

Like the report, sentences are written in the requested language and, language-neutral, under ``<field>_i18n``
(:mod:`apkscan.model.codec`); fields are only added within version 1.
"""

from __future__ import annotations

import json
from typing import Any

from apkscan import __version__
from apkscan.diff import ReportDiff
from apkscan.model.codec import to_plain
from apkscan.render.i18n import say
from apkscan.render.registry import Renderer

SCHEMA = "apkscan.diff/1"


def diff_dict(diff: ReportDiff, lang: str) -> dict[str, Any]:
    body = to_plain(diff, lambda words: say(words, lang))
    return {"schema": SCHEMA, "tool": {"name": "apkscan", "version": __version__}, "lang": lang, **body}


RENDERER = Renderer(
    kind="diff",
    name="json",
    suffix=".json",
    media_type="application/json",
    render=lambda diff, ctx: json.dumps(diff_dict(diff, ctx.lang), ensure_ascii=False, indent=2).encode("utf-8"),
)
