"""The JSON report: a stable interface (``apkscan.report/1``, JSON Schema in ``apkscan/data/schema/``).

Field names only ever get added within schema version 1; anything renamed or removed bumps the version. Sentences
are written in the requested language under their historical names and, language-neutral, under ``<field>_i18n``
(see :mod:`apkscan.model.codec`), so :func:`apkscan.read.report_json.load_report` can bring a report back and
render it again in another language.
"""

from __future__ import annotations

import json
from typing import Any

from apkscan.model import Report
from apkscan.model.codec import to_plain
from apkscan.model.policy import PolicyReport
from apkscan.render.i18n import say
from apkscan.render.registry import Renderer

SCHEMA = "apkscan.report/1"


def report_dict(report: Report, lang: str | None = None) -> dict[str, Any]:
    """The report as JSON values, sentences in ``lang`` (default: the language the scan asked for)."""
    lang = lang or report.lang

    def plain(obj: Any) -> Any:
        return to_plain(obj, lambda words: say(words, lang))

    code = plain(report.code) if report.code is not None else None
    if code is not None and report.code is not None:
        code["complete"] = report.code.complete
    app = plain(report.app)
    if app is not None and report.lending is not None:
        app["lending"] = plain(report.lending)
    return {
        "schema": SCHEMA,
        "tool": {"name": "apkscan", "version": report.tool_version, "rules": plain(report.rules)},
        "scanned_at": report.scanned_at,
        "lang": lang,
        "jurisdictions": list(report.jurisdictions),
        "input": plain(report.input),
        "app": app,
        "summary": plain(report.summary),
        "permissions": plain(report.permissions),
        "findings": plain(report.findings),
        "code": code,
        "policy": policy_dict(report.policy, plain),
        "harvest": plain(report.harvest),
        "family": plain(report.family),
        "errors": list(report.errors),
    }


def policy_dict(policy: PolicyReport | None, plain: Any) -> dict[str, Any] | None:
    """The ``policy`` block: the analysis flattened next to ``urls`` and ``sources`` (its shape since 0.1)."""
    if policy is None:
        return None
    analysis = plain(policy.analysis) if policy.analysis is not None else {}
    return {**analysis, "urls": list(policy.urls), "sources": plain(policy.sources)}


def render_json(report: Report, lang: str | None = None) -> str:
    return json.dumps(report_dict(report, lang), ensure_ascii=False, indent=2, sort_keys=False)


RENDERER = Renderer(
    kind="report",
    name="json",
    suffix=".json",
    media_type="application/json",
    render=lambda report, ctx: render_json(report, ctx.lang).encode("utf-8"),
)
