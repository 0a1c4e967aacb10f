"""Write rendered files, only inside the output folder, and never half-written.

File names come from the package name, which is attacker-controlled; :func:`report_stem` sanitises it and
:func:`safe_target` refuses any path that would still land outside ``outdir``. Every file is written to a temporary
name in the same folder and renamed into place, so a killed process (a batch worker past its timeout, a server
stopped mid-write) leaves either the old file or the new one, never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from apkscan.diff import ReportDiff
from apkscan.knowledge.rules import RuleTable
from apkscan.model import Report
from apkscan.render.registry import RenderContext, renderer


def safe_name(text: str, fallback: str = "unknown", limit: int = 100) -> str:
    """Letters, digits and ``._-`` only (package names and client file names are hostile input)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in text).strip("._")
    return (safe or fallback)[:limit]


def report_stem(report: Report) -> str:
    """``<package>-<sha256[:12]>``: the name every file about one scanned APK starts with."""
    return f"{safe_name(report.app.package if report.app else '')}-{report.input.sha256[:12]}"


def safe_target(outdir: Path, name: str) -> Path:
    """``outdir/name``, refusing anything that would resolve outside ``outdir``."""
    root = outdir.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise ValueError(f"refusing to write outside {root}: {target}")
    return target


def write_atomic(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temporary file in the same folder and an atomic rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_reports(
    report: Report,
    outdir: Path,
    formats: Sequence[str],
    rules: RuleTable | None = None,
    lang: str | None = None,
    skipped: Callable[[str], None] | None = None,
) -> list[Path]:
    """Render ``report`` in each format and write ``OUTDIR/<stem><suffix>``; returns the paths written.

    A format this machine cannot make (PDF without WeasyPrint) raises, unless ``skipped`` is given: it is then told
    the one-line reason and the other formats are still written.
    """
    from apkscan.render.pdf import PdfUnavailable

    outdir.mkdir(parents=True, exist_ok=True)
    ctx = RenderContext(lang or report.lang, rules)
    written = []
    for fmt in formats:
        fmt_renderer = renderer("report", fmt)
        target = safe_target(outdir, report_stem(report) + fmt_renderer.suffix)
        try:
            data = fmt_renderer.render(report, ctx)
        except PdfUnavailable as err:
            if skipped is None:
                raise
            skipped(str(err))
            continue
        written.append(write_atomic(target, data))
    return written


def diff_stem(diff: ReportDiff) -> str:
    """``<package>-<old sha256[:12]>-<new sha256[:12]>-diff``: one name per pair of files compared."""
    return f"{safe_name(diff.new.package or diff.old.package)}-{diff.old.sha256[:12]}-{diff.new.sha256[:12]}-diff"


def write_diff(
    diff: ReportDiff, outdir: Path, formats: Sequence[str], lang: str, rules: RuleTable | None = None
) -> list[Path]:
    """Render ``diff`` in each format (html, json) and write ``OUTDIR/<diff stem><suffix>``."""
    outdir.mkdir(parents=True, exist_ok=True)
    ctx = RenderContext(lang, rules)
    return [
        write_atomic(
            safe_target(outdir, diff_stem(diff) + renderer("diff", fmt).suffix), renderer("diff", fmt).render(diff, ctx)
        )
        for fmt in formats
    ]
