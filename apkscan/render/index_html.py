"""``index.html``: one self-contained page for a whole batch, in the look of the per-app report.

Built from :class:`apkscan.batch.view.BatchView` (read back from the database), with the same Jinja environment,
CSS and macros as the per-app report. Everything is autoescaped; file names additionally have their control
characters shown as escapes. Links are relative file names inside OUTDIR, so the folder can be moved or zipped. The
page is complete without JavaScript; a few lines add column sorting and a filter box.
"""

from __future__ import annotations

from apkscan.knowledge.rules import RuleTable
from apkscan.model import VERDICT_RANK, risk_rank
from apkscan.model.batch import FILE_STATUSES, BatchView
from apkscan.render.templating import environment, page_context
from apkscan.render.text import printable

MARKS = {"prohibited": "✖", "unrelated": "!", "conditional": "◐", "needed": "✓", "unknown": "?"}


def matrix_columns(view: BatchView, rules: RuleTable) -> list[str]:
    """Data categories any app requests, in the rule table's order (unknown ones last, alphabetically)."""
    present = {c for a in view.apps for c in a.categories} | {c for a in view.apps for c in a.reads}
    known = [c for c in rules.categories if c in present]
    return known + sorted(present - set(known))


def render_index(view: BatchView, rules: RuleTable, lang: str, db_name: str) -> str:
    """The page; the matrix lists the worst apps first, the table keeps path order (as the CSV and JSONL do)."""
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            view=view,
            matrix_apps=sorted(view.apps, key=lambda a: (-risk_rank(a.risk), -a.prohibited, a.path)),
            columns=matrix_columns(view, rules),
            verdicts=sorted(MARKS, key=lambda v: -VERDICT_RANK.get(v, 0)),
            marks=MARKS,
            status_counts=[(s, view.counts[s]) for s in FILE_STATUSES if view.counts.get(s)],
            risk_rank=risk_rank,
            shown=printable,
            db_name=db_name,
            **page_context(lang, rules),
        )
    )
