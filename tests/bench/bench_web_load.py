"""Bounded load test of ``apkscan serve`` on loopback (run by hand).

    python tests/bench/bench_web_load.py [--uploads 20] [--polls 200] [--jobs 2] [--big 0] [--workdir DIR]

Starts the real server (uvicorn) on 127.0.0.1, sends ``--uploads`` distinct APKs at once (the committed samples
made distinct with a zip comment: same work, another SHA-256, so nothing is answered from an earlier report; with
``--big N``, N of them are variants of the 18 MB ``appium-uiautomator2-server`` APK that ``bench_code.py`` fetches,
so real-size bodies stream in too), then ``--polls`` status requests spread over them from 20 threads while they
are scanned, and polls every upload to its end. Checks that every upload gets a result and that each result is the
report of its own bytes (nothing lost or mixed up), and prints: upload and poll latency (median, p95, max), the
time until the last result, and the peak resident memory of the server process and of its worker processes
(``VmRSS`` sampled from /proc, Linux).

Target (issue 9): every upload answered, none mixed up; the server's memory stays bounded (its peak does not grow
with the number of uploads: compare ``--uploads 20`` with ``--uploads 60``).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_code import fetch_apk  # noqa: E402
from tests.test_web_api import with_comment  # noqa: E402
from tests.web_server import Server  # noqa: E402

SAMPLES = ("contact-raider.apk", "fair-lender.apk", "legacy-caps.apk", "packed-jiagu.apk", "corrupt-dex.apk")


def kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in children(c)]


class Memory:
    """Samples the RSS of the server and its descendants every 50 ms; keeps the peaks."""

    def __init__(self, pid: int) -> None:
        self.pid, self.server, self.workers, self.total = pid, 0, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            server = kib(self.pid, "VmRSS")
            workers = sum(kib(c, "VmRSS") for c in children(self.pid))
            self.server, self.workers = max(self.server, server), max(self.workers, workers)
            self.total = max(self.total, server + workers)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server = max(self.server, kib(self.pid, "VmHWM"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    spread = f"median {statistics.median(ms):7.1f} ms   p95 {pct(ms, 0.95):7.1f} ms   max {max(ms):7.1f} ms"
    return f"{name:<8} n={len(ms):<4} {spread}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--big", type=int, default=0)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="apkscan-web-load-"))
    apks = []
    big = fetch_apk().read_bytes() if args.big else b""
    for n in range(args.uploads):
        source = big if n < args.big else (ROOT / "samples" / SAMPLES[n % len(SAMPLES)]).read_bytes()
        data = with_comment(source, f"load {n}".encode())
        path = work / f"load-{n:03d}.apk"
        path.write_bytes(data)
        apks.append((path, hashlib.sha256(data).hexdigest()))

    with Server(work / "data", "--jobs", str(args.jobs)) as srv:
        assert srv.process is not None
        memory = Memory(srv.process.pid)
        idle = kib(srv.process.pid, "VmRSS")
        started = time.monotonic()

        def upload(item: tuple[Path, str]) -> tuple[str, float]:
            t0 = time.monotonic()
            answer = srv.upload(item[0])
            assert answer.status_code == 202, answer.text
            return answer.json()["id"], time.monotonic() - t0

        with ThreadPoolExecutor(args.uploads) as pool:
            sent = list(pool.map(upload, apks))
        ids = [i for i, _ in sent]

        def poll(n: int) -> float:
            t0 = time.monotonic()
            answer = srv.client.get(f"/api/scans/{ids[n % len(ids)]}")
            assert answer.status_code == 200
            return time.monotonic() - t0

        with ThreadPoolExecutor(20) as pool:
            polls = list(pool.map(poll, range(args.polls)))
        results = [srv.finished(i, timeout=600) for i in ids]
        elapsed = time.monotonic() - started
        memory.stop()

    lost = [i for i, r in zip(ids, results, strict=True) if r["status"] not in ("done", "failed")]
    mixed = [
        i
        for (i, r), (_, sha) in zip(zip(ids, results, strict=True), apks, strict=True)
        if r["sha256"] != sha or (r["status"] == "done" and r["report"]["input"]["sha256"] != sha)
    ]
    failed = [r for r in results if r["status"] == "failed"]
    print(f"{args.uploads} uploads ({args.big} of 18 MB, {len(failed)} failed as expected for unreadable samples: "
          f"{sorted({r['error']['kind'] for r in failed})}), {args.polls} polls, jobs={args.jobs}")  # fmt: skip
    print(line("upload", [s for _, s in sent]))
    print(line("poll", polls))
    print(f"last result after {elapsed:.1f} s; lost {len(lost)}, mixed up {len(mixed)}")
    print(f"memory: server idle {idle / 1024:.0f} MB, peak {memory.server / 1024:.0f} MB; workers peak "
          f"{memory.workers / 1024:.0f} MB together; server + workers peak {memory.total / 1024:.0f} MB")  # fmt: skip
    return 1 if lost or mixed else 0


if __name__ == "__main__":
    sys.exit(main())
