"""``summary.csv``: one row per app of a batch, for spreadsheets.

File names, labels and package names are attacker-controlled, and spreadsheets run cells that start with ``=``,
``+``, ``-`` or ``@`` as formulas (CSV injection), so such cells get a leading apostrophe. Newlines and quotes are
left to the csv module's quoting.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from apkscan.model.batch import HEADLINE_CATEGORIES, REPORT_LINK_ORDER, AppRow, BatchView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "path",
    "sha256",
    "kind",
    "package",
    "label",
    "label_zh",
    "version_name",
    "version_code",
    "risk",
    "harassment",
    "lending",
    "lending_score",
    "harvest",
    "family",
    "permissions",
    "prohibited",
    "unrelated",
    "conditional",
    "findings",
    "policy_contradictions",
    "code_sites",
    *HEADLINE_CATEGORIES,
    "signer_sha256",
    "read_errors",
    *(f"{fmt}_report" for fmt in REPORT_LINK_ORDER),
    "scanned_at",
    "status",
)


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would evaluate; numbers and empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _row(app: AppRow) -> list[Any]:
    values = {
        "path": app.path,
        "sha256": app.sha256,
        "kind": app.kind,
        "package": app.package,
        "label": app.label,
        "label_zh": app.label_zh,
        "version_name": app.version_name,
        "version_code": app.version_code,
        "risk": app.risk,
        "harassment": int(app.harassment),
        "lending": app.lending,
        "lending_score": "" if app.lending_score is None else app.lending_score,
        "harvest": app.harvest,
        "family": app.family,
        "permissions": app.permissions,
        "prohibited": app.prohibited,
        "unrelated": app.unrelated,
        "conditional": app.conditional,
        "findings": app.findings,
        "policy_contradictions": app.contradictions,
        "code_sites": "" if app.code_sites is None else app.code_sites,
        **{c: app.categories.get(c, "") for c in HEADLINE_CATEGORIES},
        "signer_sha256": " ".join(s.sha256 for s in app.signers),
        "read_errors": app.read_errors,
        **{f"{fmt}_report": app.reports.get(fmt, "") for fmt in REPORT_LINK_ORDER},
        "scanned_at": app.scanned_at,
        "status": app.status,
    }
    return [safe_cell(values[c]) for c in COLUMNS]


def render_summary_csv(view: BatchView) -> str:
    """The whole CSV text (header + one row per app); the category columns hold the worst verdict requested."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(a) for a in view.apps)
    return buf.getvalue()
