"""One module per kind of page, as Datasette's ``views/``: upload (:mod:`.home`), a scan and its report
(:mod:`.scans`), the complaint form and pack (:mod:`.complaints`), the history (:mod:`.history`) and the JSON API
(:mod:`.api`). Each exports ``routes``; :mod:`apkscan.web.app` mounts them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from starlette.requests import Request

from apkscan.knowledge.rules import RuleTable
from apkscan.model import Report
from apkscan.read.report_json import report_from_dict
from apkscan.web.config import ServeConfig
from apkscan.web.service import Service


@dataclass
class WebState:
    """What every view needs, kept on ``app.state.web``."""

    config: ServeConfig
    rules: RuleTable
    service: Service


def state(request: Request) -> WebState:
    found: WebState = request.app.state.web
    return found


def stored_report(row: sqlite3.Row) -> Report:
    """The upload's report, rebuilt from its stored JSON (no rescan: words are chosen when it is rendered)."""
    return report_from_dict(json.loads(row["report"]))
