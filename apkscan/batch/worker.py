"""What runs inside a worker process: scan one file, write its HTML/JSON reports, return plain data.

Workers render the per-app reports themselves (that work then runs in parallel) but never touch the database:
they return the JSON report and the names of the files they wrote, and the parent is the single writer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apkscan.api import ScanOptions, scan_file
from apkscan.knowledge.rules import RuleTable
from apkscan.read.container import MANIFEST
from apkscan.read.detect import bundle_kind
from apkscan.read.errors import InputError
from apkscan.read.safezip import SafeZip
from apkscan.render.formats.report_json import report_dict
from apkscan.render.output import write_reports


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs, picklable so any executor back end can ship it.

    The parsed rule table travels with it: parsing the TOML costs ~0.1 s, pickling it a tenth of that, and a
    forked worker gets it for nothing.
    """

    options: ScanOptions
    outdir: str
    formats: tuple[str, ...]
    rules: RuleTable


_STATE: dict[str, Any] = {}


def init_worker(config: WorkerConfig) -> None:
    """Keep the configuration for every task this worker runs."""
    _STATE["config"] = config


def warm_up() -> None:
    """Fill, once in the parent, the caches every scan fills on first use, so forked workers inherit them.

    The report template, the API catalog and the policy lexicon take ~0.3-0.45 s to build; without this each worker
    (and each replacement of a killed one) pays that again. Best effort: a cache that moved elsewhere only costs time.
    """
    for warm in (_warm_template, _warm_catalog, _warm_lexicon):
        try:
            warm()
        except Exception:  # noqa: BLE001 - an optimisation must never stop the batch
            pass


def _warm_template() -> None:
    from apkscan.render.templating import environment

    environment().get_template("report.html.j2")


def _warm_catalog() -> None:
    from apkscan.extract.code import default_catalog

    default_catalog()


def _warm_lexicon() -> None:
    from apkscan.knowledge.lexicon import load_lexicon

    load_lexicon()


def scan_task(path: str) -> dict[str, Any]:
    """Scan ``path``: ``{"status": "scanned", "report": JSON text, "files": {fmt: name}}``, or a skip/error reason.

    The report travels as compact JSON text, the form the database stores: serialising it here, in parallel, keeps
    that work off the single parent process.
    """
    config: WorkerConfig = _STATE["config"]
    rules = config.rules
    try:
        report = scan_file(path, config.options, rules)
    except InputError as err:
        status = "skipped" if _zip_but_not_apk(Path(path)) else "error"
        return {"status": status, "reason": err.reason}
    written = write_reports(report, Path(config.outdir), config.formats, rules)
    return {
        "status": "scanned",
        "report": json.dumps(report_dict(report), ensure_ascii=False, separators=(",", ":")),
        "files": {fmt: p.name for fmt, p in zip(config.formats, written, strict=True)},
    }


def _zip_but_not_apk(path: Path) -> bool:
    """A readable zip with neither a manifest nor APKs inside (a folder of documents, say) is skipped, not failed."""
    try:
        archive = SafeZip(path, str(path))
    except InputError:
        return False
    try:
        names = archive.names
        return bool(names) and not archive.has(MANIFEST) and bundle_kind(names) is None
    finally:
        archive.close()
