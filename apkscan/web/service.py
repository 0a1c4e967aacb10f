"""The server's back office: scans and complaints run in sandboxed worker processes, results go to the store.

Why sandboxes behind the batch executor seam rather than a process pool: a hostile upload must cost only itself. Each
of the ``--jobs`` dispatcher threads owns one :class:`~apkscan.batch.executor_local.LocalExecutor` with one worker
process (as each Dask worker thread does in :mod:`apkscan.batch.executor_dask`): the process is killed at the timeout,
its address space is capped, and its death is that job's ``crash``, after which the executor starts a fresh one. The
workers start from a fork server that has imported apkscan (forking the threaded server process itself is unsafe),
so a replacement is ready in milliseconds.

Jobs are queued in memory and recorded in the store before they are queued, so a server stopped mid-scan finds them
again when it starts (``queued`` or ``running`` rows are queued anew) and nothing is lost. One lock orders recording
an outcome against deleting its upload: a result that arrives for a deleted upload is dropped.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import queue
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from apkscan import __version__
from apkscan.batch.executor import Executor, Outcome, Task, load_executor
from apkscan.batch.runner import ERROR_KINDS, options_key
from apkscan.batch.store import Store, now_utc
from apkscan.complaint.document import ComplaintRequest, LoanFigures
from apkscan.knowledge.rules import RuleTable
from apkscan.model.options import ScanOptions
from apkscan.web import records
from apkscan.web.config import ServeConfig
from apkscan.web.storage import DataDir
from apkscan.web.tasks import POLICY_NAME, ComplaintJob, ScanJob, complaint_upload, init_web_worker, scan_upload

log = logging.getLogger("apkscan.web")
EXECUTOR = "web"  # scans.executor of a server run (the batch writes "local" or "dask …")
PRELOAD = ["apkscan.web.tasks"]
STOP_SECONDS = 10.0


def upload_path(upload_id: str) -> str:
    """The ``files.path`` (and ``apps.path``) of an upload: relative to the data folder, the server's ``root``."""
    return f"uploads/{upload_id}"


@dataclass(frozen=True)
class Settings:
    """Scan settings every upload shares; their digest decides whether an earlier report can be given at once."""

    version: str
    rules_sha256: str

    def key(self, options: ScanOptions) -> str:
        return options_key(options)


class Service:
    """Start with :meth:`start`, stop with :meth:`stop`; :meth:`store` gives the calling thread its connection."""

    def __init__(self, config: ServeConfig, data: DataDir, rules: RuleTable) -> None:
        self.config, self.data, self.rules = config, data, rules
        self.settings = Settings(__version__, rules.sha256)
        self.queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.scan_id = 0
        self._local = threading.local()
        self._stores: list[Store] = []
        self._threads: list[threading.Thread] = []
        self._executors: list[Executor] = []

    # -- life cycle -------------------------------------------------------------------------------------------------

    def start(self) -> None:
        self.data.prepare()
        store = self.store()
        self.scan_id = store.start_scan(
            {
                "root": str(self.data.root),
                "apkscan_version": __version__,
                "rules_name": self.rules.name,
                "rules_version": self.rules.version,
                "rules_sha256": self.rules.sha256,
                "options_key": options_key(self.config.scan_options(None)),
                "formats": "",
                "jobs": self.config.jobs,
                "timeout_s": self.config.timeout,
                "max_memory_mb": self.config.max_memory_mb,
                "resume": 1,
                "executor": f"{EXECUTOR} {self.config.host}:{self.config.port}",
            }
        )
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        for kind, ident in records.unfinished(store.conn):
            self.queue.put((kind, ident))
        for n in range(max(1, self.config.jobs)):
            self._spawn(self._work, f"apkscan-dispatch-{n}")
        self._spawn(self._sweep_loop, "apkscan-retention")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop taking jobs, kill running scans (their uploads stay queued for the next start), close the run."""
        self.stopping.set()
        for _ in self._threads:
            self.queue.put(None)
        for executor in list(self._executors):
            kill = getattr(executor, "kill_processes", None)
            if kill is not None:
                kill()
        deadline = time.monotonic() + STOP_SECONDS
        for thread in self._threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        store = self.store()
        store.finish_scan(self.scan_id, "complete", store.counts(self.scan_id))
        for s in self._stores:
            try:
                s.close()
            except Exception:  # noqa: BLE001 - a connection of another thread, closing on the way out
                pass

    def store(self) -> Store:
        """This thread's connection to the store (SQLite connections stay in the thread that made them)."""
        found: Store | None = getattr(self._local, "store", None)
        if found is None:
            found = self._local.store = Store(self.data.root)
            found.conn.execute("PRAGMA foreign_keys=ON")
            self._stores.append(found)
        return found

    # -- jobs -------------------------------------------------------------------------------------------------------

    def submit(self, kind: str, ident: str) -> None:
        self.queue.put((kind, ident))

    def _work(self) -> None:
        executor = load_executor(
            "local",
            jobs=1,
            timeout=self.config.timeout,
            max_memory_mb=self.config.max_memory_mb,
            initializer=init_web_worker,
            initargs=(self.rules,),
            start_method="forkserver",
        )
        self._executors.append(executor)
        store = self.store()
        with executor:
            while (item := self.queue.get()) is not None:
                kind, ident = item
                try:
                    if kind == "scan":
                        self._scan(store, executor, ident)
                    else:
                        self._complaint(store, executor, ident)
                except Exception as err:  # noqa: BLE001 - the job fails, the server goes on
                    log.exception("job %s %s failed", kind, ident)
                    self._fail(store, kind, ident, f"internal error: {' '.join(str(err).split())[:200]}")

    def _run(self, executor: Executor, fn: Callable, ident: str, arg: object) -> Outcome | None:
        outcome = next(iter(executor.map_unordered(fn, [Task(ident, arg)])))
        return None if self.stopping.is_set() else outcome

    def _scan(self, store: Store, executor: Executor, upload_id: str) -> None:
        with self.lock:
            if not records.mark_running(store.conn, "uploads", upload_id):
                return
            row = records.upload(store.conn, upload_id)
            assert row is not None
            path = upload_path(upload_id)
            with store.conn:
                store.conn.execute(
                    "INSERT OR REPLACE INTO files (scan_id, path, size, sha256, status) VALUES (?, ?, ?, ?, 'pending')",
                    (self.scan_id, path, row["size"], row["sha256"]),
                )
        policy = self.data.policy_path(row["policy_sha256"]) if row["policy_sha256"] else None
        options = self.config.scan_options(policy)
        job = ScanJob(str(self.data.app_path(row["sha256"])), options, str(policy) if policy else None)
        outcome = self._run(executor, scan_upload, upload_id, job)
        if outcome is None:
            return
        with self.lock:
            if records.upload(store.conn, upload_id) is None:
                return  # deleted while it was scanned
            value = outcome.value if outcome.ok and isinstance(outcome.value, dict) else {}
            if value.get("status") == "scanned":
                text = value["report"]
                store.record_app(self.scan_id, path, json.loads(text), {}, row["options_key"], outcome.seconds, text)
                records.finish_upload(store.conn, upload_id, text, outcome.seconds, self.scan_id)
            elif outcome.ok:
                reason = str(value.get("reason") or "not an APK")
                provenance = (self.settings.version, self.settings.rules_sha256)
                store.record_input_failure(self.scan_id, path, row["sha256"], "error", reason, provenance)
                records.fail_upload(store.conn, upload_id, "input", reason, outcome.seconds)
            else:
                kind = ERROR_KINDS.get(outcome.kind, outcome.kind)
                store.set_status(self.scan_id, path, "error", outcome.error, kind)
                records.fail_upload(store.conn, upload_id, kind, outcome.error, outcome.seconds)

    def _complaint(self, store: Store, executor: Executor, complaint_id: str) -> None:
        with self.lock:
            if not records.mark_running(store.conn, "complaints", complaint_id):
                return
            row = records.complaint(store.conn, complaint_id)
            assert row is not None
        folder = self.data.complaint_dir(row["upload_id"], complaint_id)
        asked = json.loads(row["request"])
        evidence = folder / "evidence"
        policy = folder / POLICY_NAME
        loan = asked.get("loan") or {}
        figures = LoanFigures(
            contract_amount=loan.get("contract_amount"),
            received=loan.get("received"),
            repay=loan.get("repay"),
            days=loan.get("days"),
            schedule=folder / "schedule.csv" if loan.get("schedule") else None,
            loan_date=_date(loan.get("loan_date")),
        )
        request = ComplaintRequest(
            lang=row["lang"],
            jurisdictions=tuple(asked.get("jurisdictions") or ()),
            channels=tuple(asked.get("channels") or ()),
            loan=figures,
            evidence_dir=evidence if evidence.is_dir() else None,
        )
        options = ScanOptions(lang=row["lang"], policy_paths=(policy,) if policy.is_file() else ())
        names = {str(folder): "complaint", str(self.data.root): "data"}
        job = ComplaintJob(str(self.data.work_dir(row["upload_id"]) / "report.json"), request, str(folder / "out"),
                           options, names=names)  # fmt: skip
        outcome = self._run(executor, complaint_upload, complaint_id, job)
        if outcome is None:
            return
        with self.lock:
            if records.complaint(store.conn, complaint_id) is None:  # deleted (or expired) while it was written
                if records.upload(store.conn, row["upload_id"]) is None:
                    self.data.remove_work(row["upload_id"])
                else:
                    shutil.rmtree(folder, ignore_errors=True)
                return
            value = outcome.value if outcome.ok and isinstance(outcome.value, dict) else {}
            if value.get("status") == "done":
                records.finish_complaint(store.conn, complaint_id, value)
            else:
                records.fail_complaint(store.conn, complaint_id, str(value.get("reason") or outcome.error))

    def _fail(self, store: Store, kind: str, ident: str, message: str) -> None:
        with self.lock:
            if kind == "scan":
                records.fail_upload(store.conn, ident, "internal", message, 0.0)
            else:
                records.fail_complaint(store.conn, ident, message)

    # -- deletion and retention -------------------------------------------------------------------------------------

    def delete(self, upload_id: str) -> bool:
        """Remove an upload: its row, report, complaints, evidence and working files, and the stored app and policy
        unless another upload still needs the same bytes. False when there is no such upload."""
        store = self.store()
        conn = store.conn
        with self.lock:
            row = records.upload(conn, upload_id)
            if row is None:
                return False
            path = upload_path(upload_id)
            with conn:
                conn.execute("DELETE FROM uploads WHERE id = ?", (upload_id,))
                conn.execute("DELETE FROM errors WHERE path = ?", (path,))
                conn.execute("DELETE FROM files WHERE path = ?", (path,))
                if conn.execute("SELECT 1 FROM uploads WHERE sha256 = ?", (row["sha256"],)).fetchone() is None:
                    web_runs = "SELECT id FROM scans WHERE executor LIKE 'web %'"
                    conn.execute(f"DELETE FROM apps WHERE sha256 = ? AND scan_id IN ({web_runs})", (row["sha256"],))
                    conn.execute(
                        f"DELETE FROM input_failures WHERE sha256 = ? AND scan_id IN ({web_runs})", (row["sha256"],)
                    )
            self._drop_files(conn, row)
        return True

    def sweep(self, now: str | None = None) -> int:
        """Delete the files, evidence and complaints of uploads past their retention; their report stays in the
        history. Returns how many uploads expired."""
        store = self.store()
        conn = store.conn
        count = 0
        for row in records.expired(conn, now or now_utc()):
            with self.lock:
                with conn:
                    conn.execute("UPDATE uploads SET expired = 1 WHERE id = ?", (row["id"],))
                    conn.execute("DELETE FROM complaints WHERE upload_id = ?", (row["id"],))
                self._drop_files(conn, row)
            count += 1
        return count

    def _drop_files(self, conn: sqlite3.Connection, row: sqlite3.Row) -> None:
        self.data.remove_work(row["id"])
        if not records.still_used(conn, "sha256", row["sha256"]):
            self.data.remove_file(self.data.app_path(row["sha256"]))
        if row["policy_sha256"] and not records.still_used(conn, "policy_sha256", row["policy_sha256"]):
            self.data.remove_file(self.data.policy_path(row["policy_sha256"]))

    def _sweep_loop(self) -> None:
        """Sweep at start and then every quarter of the retention period (at most hourly, at least every second)."""
        interval = min(3600.0, max(1.0, self.config.retention_days * 86400 / 4))
        while True:
            try:
                self.sweep()
            except Exception:  # noqa: BLE001 - retried at the next interval
                log.exception("retention sweep failed")
            if self.stopping.wait(interval):
                return


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def report_file(data: DataDir, upload_id: str, report_text: str) -> Path:
    """Write the upload's report where ``write_complaint`` reads it (the complaint path takes a JSON report)."""
    folder = data.work_dir(upload_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "report.json"
    target.write_text(report_text, encoding="utf-8")
    return target
