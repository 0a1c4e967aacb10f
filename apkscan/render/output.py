"""Write report files, and only inside the output folder.

File names come from the package name, which is attacker-controlled; `report_stem`
sanitises it and this module refuses any path that would still land outside ``outdir``.
"""

from __future__ import annotations

from pathlib import Path

from apkscan.knowledge.rules import RuleTable
from apkscan.model import Report
from apkscan.render.html_report import render_html
from apkscan.render.json_report import render_json


def report_stem(report: Report) -> str:
    """``<package>-<sha256[:12]>`` with anything unsafe for a file name removed (package names are hostile input)."""
    package = report.app.package if report.app else ""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in package).strip("._")
    return f"{(safe or 'unknown')[:100]}-{report.input.sha256[:12]}"


def write_reports(report: Report, outdir: Path, formats: tuple[str, ...], rules: RuleTable) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    root = outdir.resolve()
    written = []
    for fmt in formats:
        target = (root / f"{report_stem(report)}.{fmt}").resolve()
        if target.parent != root:
            raise ValueError(f"refusing to write outside {root}: {target}")
        text = render_html(report, rules) if fmt == "html" else render_json(report)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
