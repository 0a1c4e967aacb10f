"""What the server's worker processes run: scan one upload, write one complaint pack. Plain data in, plain data out.

Both run behind the batch executor seam (:mod:`apkscan.batch.executor`), in sandbox processes killed at the timeout,
with their address space capped, and whose death is that job's failure; so a hostile upload (a zip bomb, a DEX that
sends a parser into a loop, a PDF layout that eats memory) costs only its own job, never the server. This module is
imported by the fork server the sandboxes start from, so it must not import the web stack.

Paths on the server never reach a report: the scanner names the file it read (``DATA/files/<sha256>``) and the policy
file it was given; those names are replaced with neutral ones before the report leaves the worker.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apkscan.api import write_complaint
from apkscan.complaint.document import ComplaintRequest
from apkscan.complaint.errors import ComplaintInputError
from apkscan.knowledge.rules import RuleTable, RuleTableError
from apkscan.model.options import ScanOptions
from apkscan.read.errors import InputError
from apkscan.render.formats.report_json import report_dict

POLICY_NAME = "privacy-policy"  # what a report calls a policy file uploaded with the app

_STATE = threading.local()


@dataclass(frozen=True)
class ScanJob:
    """One upload to scan: the stored file, the stored policy (if any) and the options every web scan uses."""

    path: str
    options: ScanOptions
    policy: str | None = None


@dataclass(frozen=True)
class ComplaintJob:
    """One complaint to write from the upload's stored JSON report into ``outdir``."""

    report: str
    request: ComplaintRequest
    outdir: str
    options: ScanOptions
    formats: tuple[str, ...] = ("pdf", "html")
    names: dict[str, str] = field(default_factory=dict)  # server path -> name shown, as for scans


def init_web_worker(rules: RuleTable) -> None:
    """Keep the parsed rule table for every job of this worker; fill the caches the first scan would fill."""
    from apkscan.batch.worker import warm_up

    _STATE.rules = rules
    warm_up()


def _rules() -> RuleTable | None:
    return getattr(_STATE, "rules", None)


def scan_upload(job: ScanJob) -> dict[str, Any]:
    """``{"status": "scanned", "report": JSON text}`` or ``{"status": "error", "reason": one line}``."""
    from apkscan.api import scan_file

    try:
        report = scan_file(job.path, job.options, _rules())
    except InputError as err:
        return {"status": "error", "reason": _line(err.reason)}
    shown = f"{report.input.sha256[:12]}.{report.input.kind}"
    names = {job.path: shown}
    if job.policy:
        names[job.policy] = POLICY_NAME
    doc = neutral_names(report_dict(report), names)
    doc["input"]["path"] = doc["input"]["name"] = shown
    return {"status": "scanned", "report": json.dumps(doc, ensure_ascii=False, separators=(",", ":"))}


def complaint_upload(job: ComplaintJob) -> dict[str, Any]:
    """``{"status": "done", "files": {fmt: name}, "manifest_sha256", "warnings"}`` or ``{"status": "error", …}``.

    Bad loan figures, a schedule that is no schedule, an evidence folder over its limits: one line each, as the
    ``complaint`` command says them.
    """
    try:
        result = write_complaint(job.report, job.request, job.outdir, job.formats, job.options, _rules())
    except (ComplaintInputError, InputError, RuleTableError) as err:
        reason = err.reason if isinstance(err, InputError) else str(err)
        return {"status": "error", "reason": _replace(_line(reason), job.names)}
    return {
        "status": "done",
        "files": {fmt: Path(path).name for fmt, path in result.files.items()},
        "manifest_sha256": result.manifest_sha256,
        "warnings": [_replace(w, job.names) for w in result.warnings],
    }


def neutral_names(value: Any, names: dict[str, str]) -> Any:
    """``value`` (JSON data) with every server path in ``names`` replaced by its neutral name, inside strings too
    (an error line quotes the path it could not read)."""
    if isinstance(value, str):
        return _replace(value, names)
    if isinstance(value, list):
        return [neutral_names(v, names) for v in value]
    if isinstance(value, dict):
        return {k: neutral_names(v, names) for k, v in value.items()}
    return value


def _line(text: str) -> str:
    return " ".join(str(text).split())[:500]


def _replace(text: str, names: dict[str, str]) -> str:
    for path, name in sorted(names.items(), key=lambda item: -len(item[0])):  # longest first: a path may prefix another
        if path in text:
            text = text.replace(path, name)
    return text
