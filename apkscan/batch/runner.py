"""Run a batch: discover files, skip what is known, scan the rest in workers, record, regenerate the outputs.

The parent process is the only one that touches the database; workers return plain data through the executor.
Every file gets its ``files`` row before any scan starts (``pending`` when queued), so however the run ends —
finished, Ctrl-C, a crash of the parent — each file seen is accounted for exactly once. One run at a time may use
an OUTDIR (:mod:`apkscan.batch.lock`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from apkscan import __version__
from apkscan.batch.atomic import write_atomic
from apkscan.batch.discover import Entry, examine, plan, walk
from apkscan.batch.executor import Executor, Outcome, Task, default_jobs, executor_class, load_executor, one_line
from apkscan.batch.families import group_run
from apkscan.batch.lock import OutdirLock
from apkscan.batch.progress import Progress
from apkscan.batch.store import INDEX, RESULTS, SUMMARY, Store
from apkscan.knowledge.rules import RuleTable, default_rules_path, load_rules
from apkscan.model.options import ScanOptions

FINGERPRINT = ".outputs-fingerprint"

# Executor outcome kinds recorded as they are; an exception inside the scan is an internal error.
ERROR_KINDS = {"error": "internal", "timeout": "timeout", "crash": "crash", "memory": "memory"}


@dataclass
class BatchConfig:
    """What one run was asked to do; ``executor`` names the back end (see :func:`load_executor`)."""

    root: Path
    outdir: Path
    options: ScanOptions
    rules: RuleTable | None = None  # None: parsed from ``rules_path`` (or the packaged table) only when needed
    rules_path: Path | None = None
    formats: tuple[str, ...] = ("html", "json")
    jobs: int | None = None
    timeout: float | None = 300.0
    max_memory_mb: int | None = 4096
    resume: bool = True
    executor: str = "local"
    executor_options: dict[str, Any] = field(default_factory=dict)  # back-end specific, e.g. {"scheduler": "tcp://…"}


@dataclass
class BatchResult:
    """How the run ended: file counts by status (``FILE_STATUSES``) and the batch-wide files written."""

    scan_id: int
    counts: dict[str, int]
    interrupted: bool = False
    elapsed: float = 0.0
    outputs: list[Path] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary_line(self) -> str:
        """The closing line: how many files were scanned, skipped (and why) and failed."""
        c = self.counts
        skipped = c["duplicate"] + c["resumed"] + c["skipped"]
        line = (
            f"{self.total} files: {c['scanned']} scanned, {skipped} skipped ({c['duplicate']} duplicate, "
            f"{c['resumed']} already scanned, {c['skipped']} not an APK), {c['error']} failed"
        )
        if c["pending"]:
            line += f", {c['pending']} not reached (interrupted)"
        return line


def options_key(options: ScanOptions) -> str:
    """The scan options that change a report, as canonical JSON (the rule table counts through its digest)."""
    values = {k: v for k, v in asdict(options).items() if k != "rules_path"}
    if isinstance(values.get("jurisdictions"), (list, tuple)):
        values["jurisdictions"] = sorted(set(values["jurisdictions"]) - {"all"})
    return json.dumps(values, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))


def run_batch(config: BatchConfig, progress: Callable[[int], Progress], say: Callable[[str], None]) -> BatchResult:
    """Run the whole batch. ``progress(total)`` makes the progress display; ``say`` prints a message line."""
    started = time.monotonic()
    config.outdir.mkdir(parents=True, exist_ok=True)
    with OutdirLock(config.outdir):
        store = Store(config.outdir)
        try:
            return _run(config, store, progress, say, started)
        finally:
            store.close()


class RulesOnDemand:
    """The run's rule table: its digest from the file's bytes at once, the parsed table on first use.

    Parsing and validating the TOML costs ~0.13 s, which is half of a resumed run over an unchanged folder;
    such a run needs only the digest (the resume key). A broken table still fails, with ``RuleTableError``,
    as soon as anything has to be scanned or rendered, and its new digest guarantees that something has.
    """

    def __init__(self, table: RuleTable | None, path: Path | None) -> None:
        self._table, self._path = table, path

    @cached_property
    def sha256(self) -> str:
        if self._table is not None:
            return self._table.sha256
        return hashlib.sha256((self._path or default_rules_path()).read_bytes()).hexdigest()

    def table(self) -> RuleTable:
        if self._table is None:
            self._table = load_rules(self._path)
        return self._table

    def label(self, store: Store) -> tuple[str, str]:
        """(name, version) for the run row: from an earlier run with the same digest, else from the table."""
        known = store.rules_label(self.sha256)
        if known is not None and self._table is None:
            return known
        return self.table().name, self.table().version


def _run(
    config: BatchConfig, store: Store, progress: Callable[[int], Progress], say: Callable[[str], None], started: float
) -> BatchResult:
    key = options_key(config.options)
    rules = RulesOnDemand(config.rules, config.rules_path)
    root = str(config.root)
    name, version = rules.label(store)
    scan_id = store.start_scan(
        {
            "root": root,
            "apkscan_version": __version__,
            "rules_name": name,
            "rules_version": version,
            "rules_sha256": rules.sha256,
            "options_key": key,
            "formats": ",".join(config.formats),
            "jobs": config.jobs or default_jobs(),
            "timeout_s": config.timeout,
            "max_memory_mb": config.max_memory_mb,
            "resume": int(config.resume),
            "executor": " ".join([config.executor, *(str(v) for v in config.executor_options.values() if v)]),
        }
    )
    try:
        return _scan(config, rules, store, scan_id, key, progress, say, started)
    except BaseException as err:  # the run row must not stay "running"
        store.finish_scan(
            scan_id, "interrupted" if isinstance(err, KeyboardInterrupt) else "failed", store.counts(scan_id)
        )
        raise


def _executor(config: BatchConfig, rules: RuleTable, shares_files: bool) -> Executor:
    """Workers are made only when there is something to scan: importing the scanner (androguard) costs ~0.5 s,
    which would dominate a resumed run over an unchanged folder."""
    from apkscan.batch.worker import WorkerConfig, init_worker

    worker_config = WorkerConfig(
        config.options, str(config.outdir), config.formats, rules, return_files=not shares_files
    )
    return load_executor(
        config.executor,
        jobs=config.jobs,
        timeout=config.timeout,
        max_memory_mb=config.max_memory_mb,
        initializer=init_worker,
        initargs=(worker_config,),
        **config.executor_options,
    )


def _scan(
    config: BatchConfig,
    rules: RulesOnDemand,
    store: Store,
    scan_id: int,
    key: str,
    progress: Callable[[int], Progress],
    say: Callable[[str], None],
    started: float,
) -> BatchResult:
    root = str(config.root)
    entries = _discover(config, store, root)
    resumable = _resumable(config, rules.sha256, store, key) if config.resume else set()
    known = store.known_failures(__version__, rules.sha256) if config.resume else {}
    for e in entries:
        if e.status == "scan" and e.sha256 in resumable:
            e.status, e.reason = "resumed", "already scanned with this apkscan version, rule table and options"
        elif e.status == "scan" and e.sha256 in known:  # cannot have changed: same bytes, same apkscan and rules
            e.status, e.reason = known[e.sha256]
    store.add_files(scan_id, entries)
    queue = sorted((e for e in entries if e.status == "scan"), key=lambda e: -(e.size or 0))  # biggest first
    planned = Counter(e.status for e in entries)
    say(
        f"{len(entries)} files in {root}: {len(queue)} to scan, {planned['resumed']} already scanned, "
        f"{planned['duplicate']} duplicate, {planned['skipped']} not an APK, {planned['error']} cannot be scanned"
    )
    interrupted = False
    shown = progress(len(queue))
    try:
        if queue:
            interrupted = _run_queue(config, rules.table(), store, scan_id, (key, rules.sha256), queue, shown)
    finally:
        shown.close()
    if interrupted:
        say("interrupted: finished files are kept; run the same command again to continue")
    counts = store.counts(scan_id)
    store.finish_scan(scan_id, "interrupted" if interrupted else "complete", counts)
    _refresh_outputs(config, rules, store, scan_id, key, entries, fresh=bool(queue) or interrupted)
    return BatchResult(
        scan_id, counts, interrupted, time.monotonic() - started, [config.outdir / n for n in (INDEX, SUMMARY, RESULTS)]
    )


def _refresh_outputs(
    config: BatchConfig, rules: RulesOnDemand, store: Store, scan_id: int, key: str, entries: list[Entry], fresh: bool
) -> None:
    """Group the run's apps into code families (once, in the parent), then rewrite index.html, summary.csv and
    results.jsonl unless nothing they show can have changed.

    A resumed run over an unchanged folder would otherwise spend most of its time importing Jinja and
    re-rendering identical pages. The fingerprint covers the files, their hashes and outcomes, apkscan's
    version, the rule digest, the options and the language; it is kept next to the outputs.
    """
    names = (INDEX, SUMMARY, RESULTS)
    group_run(store.conn, scan_id)  # every run has its families in the store, even when the files stay as they are
    print_ = json.dumps(
        [
            __version__,
            rules.sha256,
            key,
            config.formats,
            sorted((e.rel, e.sha256 or "", "app" if e.status in ("scan", "resumed") else e.status) for e in entries),
        ]
    )
    fingerprint = hashlib.sha256(print_.encode("utf-8", "surrogatepass")).hexdigest()
    stamp = config.outdir / FINGERPRINT
    unchanged = not fresh and stamp.is_file() and stamp.read_text().strip() == fingerprint
    if unchanged and all((config.outdir / n).is_file() for n in names):
        return
    from apkscan.batch.outputs import write_outputs  # Jinja and the templates load only when needed

    write_outputs(store.conn, scan_id, config.outdir, rules.table(), config.options.lang)
    write_atomic(config.outdir, FINGERPRINT, fingerprint + "\n")


def _run_queue(
    config: BatchConfig,
    rules: RuleTable,
    store: Store,
    scan_id: int,
    keys: tuple[str, str],
    queue: list[Entry],
    shown: Progress,
) -> bool:
    """Scan every queued file; returns True when the user interrupted the run.

    Files go to workers by path first. A worker that cannot see a path (a cluster without a shared filesystem)
    answers "need bytes"; those files are sent again with their content, in a second pass over the same workers.
    """
    from apkscan.batch.worker import NEED_BYTES, ScanInput, scan_task, warm_up

    shares_files = bool(getattr(executor_class(config.executor), "shares_files", False))
    if shares_files:
        warm_up()  # forked local workers inherit the warm caches
    by_key = {e.rel: e for e in queue}
    remote: list[Entry] = []

    def handle(outcome: Outcome) -> None:
        entry = by_key[outcome.key]
        if outcome.ok and isinstance(outcome.value, dict) and outcome.value.get("status") == NEED_BYTES:
            remote.append(entry)
            return
        status, detail = _record(store, scan_id, keys, entry, outcome, config.outdir)
        shown.advance(outcome.key, status, detail)

    def with_bytes() -> Iterator[Task]:
        for e in remote:
            try:
                data = e.path.read_bytes()
            except OSError as err:
                handle(Outcome(e.rel, "ok", {"status": "error", "reason": f"cannot read file ({err.strerror})"}))
                continue
            yield Task(e.rel, ScanInput(str(e.path), e.sha256, e.size, data))

    try:
        with _executor(config, rules, shares_files) as executor:
            by_path = (Task(e.rel, ScanInput(str(e.path), e.sha256, e.size)) for e in queue)
            for outcome in executor.map_unordered(scan_task, by_path):
                handle(outcome)
            if remote:
                for outcome in executor.map_unordered(scan_task, with_bytes()):
                    handle(outcome)
    except KeyboardInterrupt:
        return True
    return False


def _discover(config: BatchConfig, store: Store, root: str) -> list[Entry]:
    cache = store.hash_cache(root)
    entries = list(walk(config.root, exclude=config.outdir))
    # hashlib releases the GIL on large buffers, so threads hash files in parallel (the parent's serial part)
    with ThreadPoolExecutor(max_workers=config.jobs or default_jobs()) as pool:
        list(pool.map(lambda e: examine(e, lambda path, size, mtime: cache.get((path, size, mtime))), entries))
    plan(entries)
    return entries


def _resumable(config: BatchConfig, rules_sha256: str, store: Store, key: str) -> set[str]:
    """SHA-256 of apps scanned with these settings whose report files for the requested formats still exist."""
    done = store.done_keys(__version__, rules_sha256, key)
    return {
        sha
        for sha, files in done.items()
        if all(files.get(fmt) and (config.outdir / files[fmt]).is_file() for fmt in config.formats)
    }


def _record(
    store: Store, scan_id: int, keys: tuple[str, str], entry: Entry, outcome: Outcome, outdir: Path
) -> tuple[str, str]:
    """Store one outcome; returns (status, detail) for the progress display.

    Report files sent back by a worker that does not share OUTDIR are written here, each atomically, before the
    database says they exist.
    """
    key, rules_sha256 = keys
    value: dict[str, Any] = outcome.value if outcome.ok and isinstance(outcome.value, dict) else {}
    if value.get("status") == "scanned":
        try:
            for name, content in (value.get("contents") or {}).items():
                write_atomic(outdir, name, content)
            report = json.loads(value["report"])
            store.record_app(
                scan_id, entry.rel, report, value.get("files", {}), key, outcome.seconds, text=value["report"]
            )
            return "scanned", f"{report['summary']['risk']} risk" if report.get("summary") else ""
        except (sqlite3.Error, KeyError, TypeError, ValueError, AttributeError) as err:  # a report we cannot hold
            outcome = Outcome(outcome.key, "error", error=f"could not store the report: {one_line(err)}")
        except OSError as err:
            outcome = Outcome(outcome.key, "error", error=f"could not write the report: {one_line(err)}")
    if outcome.ok and value.get("status") in ("skipped", "error"):
        status, reason = value["status"], str(value.get("reason") or "not an APK")
        store.record_input_failure(scan_id, entry.rel, entry.sha256, status, reason, (__version__, rules_sha256))
        return status, reason
    if outcome.ok:
        status, kind, reason = "error", "internal", f"unexpected result from the worker: {str(value)[:200]}"
    else:
        status, kind, reason = "error", ERROR_KINDS.get(outcome.kind, outcome.kind), outcome.error
    store.set_status(scan_id, entry.rel, status, reason, kind)
    return status, reason
