"""Per-app cost in a warm worker: what one more APK costs a batch (and a cluster) once workers are started.

    python tests/bench/bench_app.py [--repeat 7] [APK ...]

Without APK arguments it measures the two benchmark APKs from the npm registry (fetched once with ``npm pack`` into
the benchmark cache, see ``bench_code.py``): the mid-size ``io.appium.settings@8.0.10`` settings APK (3.1 MB, 7 MB
of DEX, a 160 KB resource table) and the 18 MB ``appium-uiautomator2-server@10.6.6`` APK (14.5 MB of DEX).

Each APK is measured in a fresh process that does what a batch worker does: set up (imports, rule table, caches),
scan the file once to warm up, then run ``scan_task`` (scan, render HTML and JSON, serialise the report)
``--repeat`` times. It prints the CPU time of the worker process per app (best and median): that is what a cluster
bills (core-seconds), and unlike wall time it barely moves when other programs share the machine; the best wall
time is printed beside it. Run it from another checkout (``PYTHONPATH=...``) to compare two versions of apkscan.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_code import cache_dir, fetch_apk  # noqa: E402

SETTINGS = ("io.appium.settings@8.0.10", "package/apks/settings_apk-debug.apk", "settings_apk-debug-8.0.10.apk")


def fetch_settings_apk() -> Path:
    """The mid-size benchmark APK, downloaded with ``npm pack`` on first use."""
    package, member, name = SETTINGS
    apk = cache_dir() / name
    if apk.is_file():
        return apk
    cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", package, "--silent"], cwd=tmp, check=True, capture_output=True, text=True)
        with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tar:
            source = tar.extractfile(tar.getmember(member))
            assert source is not None
            apk.write_bytes(source.read())
    return apk


def measure(apk: Path, repeat: int) -> dict[str, float]:
    from apkscan.batch.worker import WorkerConfig, init_worker, scan_task
    from apkscan.knowledge.rules import load_rules
    from apkscan.model.options import ScanOptions

    with tempfile.TemporaryDirectory() as out:
        init_worker(WorkerConfig(ScanOptions(lang="en"), out, ("html", "json"), load_rules()))
        scan_task(str(apk))
        cpu, wall = [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            scan_task(str(apk))
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start)
    return {"best": min(cpu), "median": statistics.median(cpu), "wall": min(wall)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("apks", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.repeat)))
        return
    apks = args.apks or [fetch_settings_apk(), fetch_apk()]
    for apk in apks:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(apk), "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        size = apk.stat().st_size / 1e6
        print(
            f"{apk.name} ({size:.1f} MB): CPU {result['best']:.3f} s best, {result['median']:.3f} s median per app "
            f"(wall {result['wall']:.3f} s best)"
        )


if __name__ == "__main__":
    main()
