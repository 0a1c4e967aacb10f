"""``apkscan batch --executor dask`` for real: a ``dask scheduler`` and ``dask worker`` processes started here on
127.0.0.1 (and a ``LocalCluster``), compared file for file with the local executor on the same folder.

Each cluster is started by :class:`Cluster` with a bounded wait and stopped (process groups killed) even when a test
fails. Workers run in their own folder, so relative paths given to the batch do not resolve there: that is how the
"no shared filesystem" case (inputs sent as bytes, reports sent back as bytes) is exercised for real.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, sample
from tests.test_batch_cli import counts_line, db, latest_files, report_file
from tests.test_batch_inputs import BOMB, build_folder, with_comment

distributed = pytest.importorskip("distributed", reason="apkscan[dask] is not installed")

START_SECONDS = 90


class Cluster:
    """A Dask scheduler and ``workers`` single-threaded worker processes (each with its nanny) on 127.0.0.1."""

    def __init__(self, home: Path, workers: int = 2) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.file = home / "scheduler.json"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
        self.procs: list[subprocess.Popen] = []
        self.scheduler = self._start(
            "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(self.file),
        )  # fmt: skip
        try:
            self.workers = [self._worker() for _ in range(workers)]
            self.address = self._address()
            assert self.address.startswith("tcp://127.0.0.1:"), self.address
            with distributed.Client(self.address, timeout=START_SECONDS) as client:
                client.wait_for_workers(workers, timeout=START_SECONDS)
        except BaseException:
            self.close()  # never leave processes behind, whatever failed
            raise

    def _address(self) -> str:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                return json.loads(self.file.read_text())["address"]
            except (OSError, ValueError, KeyError):  # not written yet, or half written
                time.sleep(0.2)
        raise TimeoutError(f"the Dask scheduler did not start within {START_SECONDS} s")

    def _start(self, module: str, *args: str) -> subprocess.Popen:
        log = (self.home / f"{module.rsplit('.', 1)[-1]}-{len(self.procs)}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=self.home,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group per command: nanny and worker are stopped together
        )
        self.procs.append(proc)
        return proc

    def _worker(self) -> subprocess.Popen:
        return self._start(
            "distributed.cli.dask_worker", "--scheduler-file", str(self.file), "--host", "127.0.0.1",
            "--nthreads", "1", "--no-dashboard", "--memory-limit", "4GiB",
        )  # fmt: skip

    def kill(self, proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def close(self) -> None:
        for proc in reversed(self.procs):
            self.kill(proc)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("dask-cluster")
    c = Cluster(home)
    try:
        yield c
    finally:
        c.close()


def run_batch(cwd: Path, src: str, out: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "apkscan", "batch", src, "-o", out, "--lang", "en", *args]
    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def last_line(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout.strip().splitlines()[-1]


def outputs(out: Path) -> dict[str, object]:
    """What a batch produced, minus what legitimately differs between two runs (times, durations, run ids)."""

    def clean(report: dict) -> dict:
        return {k: v for k, v in report.items() if k != "scanned_at"}

    with db(out) as conn:
        scan = conn.execute("SELECT max(id) FROM scans").fetchone()[0]
        files = {r["path"]: (r["status"], r["sha256"], r["reason"]) for r in latest_files(out).values()}
        apps = {}
        for row in conn.execute("SELECT * FROM apps"):
            verdicts = conn.execute(
                "SELECT name, verdict, code_status FROM permissions WHERE app_sha256 = ? ORDER BY name",
                (row["sha256"],),
            ).fetchall()
            findings = conn.execute(
                "SELECT id, severity FROM findings WHERE app_sha256 = ? ORDER BY id", (row["sha256"],)
            ).fetchall()
            reports = {fmt: report_file(conn, row["sha256"], fmt) for fmt in ("html", "json")}
            on_disk = json.loads((out / reports["json"]).read_text(encoding="utf-8"))
            html = (out / reports["html"]).read_text(encoding="utf-8")
            apps[row["sha256"]] = {
                "package": row["package"],
                "risk": row["risk"],
                "verdicts": [tuple(v) for v in verdicts],
                "findings": [tuple(f) for f in findings],
                "reports": reports,
                "json file": clean(on_disk),
                "stored": clean(json.loads(row["report"])),
                "html": re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "T", html),
            }
        errors = sorted(
            (r["path"], r["kind"], r["message"])
            for r in conn.execute("SELECT * FROM errors WHERE scan_id = ? AND app_sha256 IS NULL", (scan,))
        )
    jsonl = [clean(json.loads(line)) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    with (out / "summary.csv").open(newline="", encoding="utf-8") as fh:
        summary = [{k: v for k, v in row.items() if k != "scanned_at"} for row in csv.DictReader(fh)]
    return {"files": files, "apps": apps, "errors": errors, "jsonl": jsonl, "csv": summary}


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], subprocess.CompletedProcess]:
    """The reference: the local executor over the batch test folder (no slow file), DIR given relative."""
    work = tmp_path_factory.mktemp("dask-vs-local")
    expected = build_folder(work / "in", bomb=False)
    proc = run_batch(work, "in", "out-local", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    return work, expected, proc


def test_cluster_results_equal_local_results_file_for_file(cluster: Cluster, local_run) -> None:
    work, expected, local = local_run
    proc = run_batch(work, "in", "out-dask", "--executor", "dask", "--scheduler", cluster.address)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert last_line(proc) == last_line(local) == counts_line(scanned=10, duplicate=1, resumed=0, skipped=2, failed=2)
    assert {p: s for p, (s, _, _) in outputs(work / "out-dask")["files"].items()} == expected
    assert outputs(work / "out-dask") == outputs(work / "out-local")
    assert not (cluster.home / "out-dask").exists() and not (cluster.home / "in").exists(), (
        "workers could not see the relative paths: inputs came as bytes, reports went back as bytes"
    )
    again = run_batch(work, "in", "out-dask", "--executor", "dask", "--scheduler", cluster.address)
    assert last_line(again) == counts_line(scanned=0, duplicate=1, resumed=10, skipped=2, failed=2)
    assert "2 cannot be scanned" in again.stderr or "0 to scan" in again.stderr
    assert "0 to scan" in again.stderr, "files that cannot be APKs are not sent to workers again"


def test_shared_paths_are_read_in_place(cluster: Cluster, local_run) -> None:
    """With absolute paths (a shared filesystem) workers read the inputs themselves; same results."""
    work, _, local = local_run
    proc = run_batch(
        work, str(work / "in"), str(work / "out-shared"), "--executor", "dask", "--scheduler", cluster.address
    )
    assert proc.returncode == 0, proc.stderr
    assert last_line(proc) == last_line(local)
    ours, theirs = outputs(work / "out-shared"), outputs(work / "out-local")
    assert ours["files"] == theirs["files"] and ours["errors"] == theirs["errors"]
    assert {k: v["verdicts"] for k, v in ours["apps"].items()} == {k: v["verdicts"] for k, v in theirs["apps"].items()}


def test_local_cluster_equals_local_executor(local_run) -> None:
    work, _, local = local_run
    proc = run_batch(work, "in", "out-localcluster", "--executor", "dask", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert last_line(proc) == last_line(local)
    assert outputs(work / "out-localcluster") == outputs(work / "out-local")


def test_a_worker_killed_mid_batch_loses_nothing(tmp_path: Path) -> None:
    """Kill one of two workers (nanny and all: a lost machine) while the batch runs: its file is rescanned on the
    other worker, and every file is accounted for exactly once."""
    src = tmp_path / "in"
    src.mkdir()
    names = []
    for i in range(30):
        name = ("contact-raider.apk", "fair-lender.apk", "legacy-caps.apk")[i % 3]
        (src / f"{i:02d}-{name}").write_bytes(with_comment(sample(name).read_bytes(), f"copy {i}"))
        names.append(f"{i:02d}-{name}")
    with Cluster(tmp_path / "cluster") as cluster:
        cmd = [sys.executable, "-m", "apkscan", "batch", str(src), "-o", str(tmp_path / "out"), "--lang", "en",
               "--executor", "dask", "--scheduler", cluster.address]  # fmt: skip
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        assert proc.stderr is not None
        done = 0
        try:
            for line in proc.stderr:
                done += bool(re.match(r"apkscan: \[\d+/\d+\]", line))
                if done == 5:
                    cluster.kill(cluster.workers[0])
                    break
            stdout, stderr = proc.communicate(timeout=300)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert done == 5, "the batch ended before a worker could be killed"
    assert proc.returncode == 0, stderr
    assert stdout.strip().splitlines()[-1] == counts_line(scanned=30, duplicate=0, resumed=0, skipped=0, failed=0)
    files = latest_files(tmp_path / "out")
    assert sorted(files) == sorted(names) and {r["status"] for r in files.values()} == {"scanned"}
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len({json.loads(line)["input"]["sha256"] for line in lines}) == 30, "each file once"
    with db(tmp_path / "out") as conn:
        assert conn.execute("SELECT count(*) FROM apps").fetchone()[0] == 30
        assert conn.execute("SELECT count(*) FROM errors").fetchone()[0] == 0


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.apk").write_bytes(sample("fair-lender.apk").read_bytes())
    cmd = [sys.executable, "-m", "apkscan", "batch", str(src), "-o", str(tmp_path / "out"), "--executor", "dask",
           "--scheduler", "tcp://127.0.0.1:9"]  # fmt: skip
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 1, proc.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stderr and "Traceback" not in proc.stderr


def test_without_the_dask_extra_one_clear_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.apk").write_bytes(sample("fair-lender.apk").read_bytes())
    code = "import sys; sys.modules['dask'] = sys.modules['distributed'] = None; from apkscan.cli import main; main()"
    cmd = [sys.executable, "-c", code, "batch", str(src), "-o", str(tmp_path / "out"), "--executor", "dask"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    [line] = proc.stderr.strip().splitlines()[-1:]
    assert "pip install 'apkscan[dask]'" in line and "Traceback" not in proc.stderr


def test_scheduler_without_dask_executor_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    proc = run_batch(tmp_path, "in", "out", "--scheduler", "tcp://127.0.0.1:1")
    assert proc.returncode == 2 and "--executor dask" in proc.stderr


def test_ctrl_c_with_a_local_cluster_stops_cleanly(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group (the batch, its Dask workers and their sandboxes): the batch keeps what
    finished and exits 130 with no traceback from any worker, and no process it started is left behind."""
    import psutil

    expected = build_folder(tmp_path / "in")
    cmd = [sys.executable, "-m", "apkscan", "batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--lang",
           "en", "--executor", "dask", "--jobs", "2", "--timeout", "120"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    children: list = []
    try:
        assert proc.stderr is not None
        done = 0
        for line in proc.stderr:  # the bomb holds one worker; wait until the other has done everything else
            done += bool(re.match(r"apkscan: \[\d+/\d+\]", line))
            if done == len(expected) - 4:  # all but the bomb, the raw DEX and the two non-APKs found by discovery
                break
        children = psutil.Process(proc.pid).children(recursive=True)
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "ERROR" not in stderr, stderr
    assert stdout.strip().splitlines()[-1].endswith("2 failed, 1 not reached (interrupted)")
    assert latest_files(tmp_path / "out")[BOMB]["status"] == "pending"
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, f"left behind: {[p.pid for p in alive]}"
