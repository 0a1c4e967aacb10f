"""What runs inside a worker: scan one file, render its per-app reports, return plain data.

Workers render the per-app reports themselves (that work then runs in parallel) but never touch the database: they
return the JSON report and the report files, and the parent is the single writer. Where the worker shares OUTDIR
with the parent (the local executor) it writes the files there itself, through ``write_reports``; elsewhere (a Dask
worker on another machine) it renders them into a private folder with the same ``write_reports`` and sends their
bytes back, and the parent writes them into OUTDIR. Either way the report file names are those ``scan`` would use.

The input travels as a :class:`ScanInput`: a path (a shared filesystem, the usual cluster set-up) and, when the
worker cannot see that path, the file's bytes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import threading
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
    return_files: bool = False  # True: send the report files back instead of writing them into ``outdir``


@dataclass(frozen=True)
class ScanInput:
    """One file to scan. ``path`` is the file as the parent sees it (it is what the report names); ``sha256`` and
    ``size`` come from discovery, so a worker can tell whether the file it finds under that path is the same one;
    ``data`` carries the bytes when the worker cannot see the path."""

    path: str
    sha256: str | None = None
    size: int | None = None
    data: bytes | None = None


NEED_BYTES = "need-bytes"  # status of a result meaning "send me the bytes": the path is not visible here


# Per thread, because a Dask worker may run tasks of two batches (two clients) on different threads at once.
_STATE = threading.local()


def init_worker(config: WorkerConfig) -> None:
    """Keep the configuration for every task this worker thread runs; fill the caches on first use."""
    _STATE.config = config
    warm_up()


_WARM: list[bool] = []


def warm_up() -> None:
    """Fill, once in the parent, the caches every scan fills on first use, so forked workers inherit them.

    The report template, the API catalog and the policy lexicon take ~0.3-0.45 s to build; without this each worker
    (and each replacement of a killed one) pays that again. Best effort: a cache that moved elsewhere only costs time.
    Cheap once done (every cache is already full), so workers that were not forked from a warm parent call it too.
    """
    if _WARM:
        return
    _WARM.append(True)
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


def scan_task(arg: ScanInput | str) -> dict[str, Any]:
    """Scan one file: ``{"status": "scanned", "report": JSON text, "files": {fmt: name}[, "contents": {name: bytes}]}``,
    ``{"status": "skipped" | "error", "reason": …}`` when it is no APK, or ``{"status": "need-bytes"}`` when the path
    does not show this worker the file the parent meant.

    The report travels as compact JSON text, the form the database stores: serialising it here, in parallel, keeps
    that work off the single parent process.
    """
    item = arg if isinstance(arg, ScanInput) else ScanInput(str(arg))
    if item.data is not None:
        with tempfile.TemporaryDirectory(prefix="apkscan-input-") as tmp:
            local = Path(tmp) / _safe_name(item.path)
            local.write_bytes(item.data)
            return _scan(local, item)
    local = Path(item.path)
    try:
        seen = local.stat().st_size if local.is_file() else None
    except OSError:
        seen = None
    if seen is None or (item.size is not None and seen != item.size):
        return {"status": NEED_BYTES, "reason": f"{item.path} is not visible to this worker"}
    return _scan(local, item)


def _scan(local: Path, item: ScanInput) -> dict[str, Any]:
    config: WorkerConfig = _STATE.config
    rules = config.rules
    try:
        report = scan_file(local, config.options, rules)
    except InputError as err:
        status = "skipped" if _zip_but_not_apk(local) else "error"
        return {"status": status, "reason": err.reason}
    if item.data is None and item.sha256 and report.input.sha256 != item.sha256:
        return {"status": NEED_BYTES, "reason": f"{item.path} holds other bytes on this worker"}
    if str(local) != item.path:  # scanned from a private copy: the report names the file the user gave
        report = dataclasses.replace(report, input=dataclasses.replace(report.input, path=item.path))
    result: dict[str, Any] = {
        "status": "scanned",
        "report": json.dumps(report_dict(report), ensure_ascii=False, separators=(",", ":")),
    }
    if not config.return_files:
        written = write_reports(report, Path(config.outdir), config.formats, rules)
        result["files"] = _by_format(config.formats, written)
        return result
    with tempfile.TemporaryDirectory(prefix="apkscan-reports-") as tmp:
        written = write_reports(report, Path(tmp), config.formats, rules)
        result["files"] = _by_format(config.formats, written)
        result["contents"] = {p.name: p.read_bytes() for p in written}
    return result


def _by_format(formats: tuple[str, ...], written: list[Path]) -> dict[str, str]:
    """Format → file name. ``write_reports`` writes one file per requested format, in order; a file extension need
    not equal its format's name (a ``markdown`` renderer may write ``.md``), so the order is what pairs them."""
    if len(written) == len(formats):
        return {fmt: p.name for fmt, p in zip(formats, written, strict=True)}
    return {p.suffix.lstrip("."): p.name for p in written}


def _safe_name(path: str) -> str:
    """The input's own file name for the private copy (the report shows it), or a neutral one if it is unusable."""
    name = os.path.basename(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "input"
    return name if name not in ("", ".", "..") and "\0" not in name else "input"


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
