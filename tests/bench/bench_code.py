"""Benchmark: apkscan's code scan vs androguard AnalyzeAPK + the same xref queries.

Run by hand (not part of the test run):

    /tmp/venv/bin/python tests/bench/bench_code.py [--apk PATH] [--repeat N]

Downloads ``appium-uiautomator2-server@10.6.6`` from the npm registry with ``npm pack`` into a cache
directory (``$APKSCAN_BENCH_CACHE`` or ``~/.cache/apkscan-bench``) unless ``--apk`` is given, then
measures, each in a fresh subprocess so imports, caches and peak memory are not shared:

  androguard  AnalyzeAPK + the catalog's xref queries (the oracle of tests/test_code_oracle.py)
  scan_code   apkscan.extract.code.scan_code over the APK's DEX files (zip reading included)
  cli         python -m apkscan scan --format json (the whole scan, with code evidence), if it runs

Wall time is measured around the subprocess (interpreter start-up included); peak memory is the
child's maximum resident set size (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` read by a small
wrapper process that runs nothing else, so one measurement never masks another).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "appium-uiautomator2-server@10.6.6"
APK_NAME = "appium-uiautomator2-server-v10.6.6.apk"
TARGET_SPEEDUP = 20.0
TARGET_MEMORY = 0.25


def cache_dir() -> Path:
    return Path(os.environ.get("APKSCAN_BENCH_CACHE") or Path.home() / ".cache" / "apkscan-bench")


def fetch_apk() -> Path:
    """The benchmark APK, downloaded with ``npm pack`` on first use."""
    cache = cache_dir()
    apk = cache / APK_NAME
    if apk.is_file():
        return apk
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(f"npm not found: install Node.js, or download {PACKAGE} yourself and pass --apk")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True, text=True)
        tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            member = tar.getmember(f"package/apks/{APK_NAME}")
            source = tar.extractfile(member)
            assert source is not None
            apk.write_bytes(source.read())
    return apk


# -- workers (run in their own process) ------------------------------------------------------
def work_androguard(apk: Path) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_code_oracle import oracle  # the same queries the oracle test runs

    start = time.perf_counter()
    found = oracle(apk.read_bytes())
    return {"seconds_inside": time.perf_counter() - start, "call_sites": len(found)}


def work_scan_code(apk: Path) -> dict[str, object]:
    start = time.perf_counter()
    from apkscan.extract.code import scan_code

    with zipfile.ZipFile(apk) as z:
        names = z.namelist()
        dexes = [(n, z.read(n)) for n in names if n.startswith("classes") and n.endswith(".dex")]
    evidence = scan_code(dexes, names)
    return {
        "seconds_inside": time.perf_counter() - start,
        "call_sites": len(evidence.call_sites),
        "dex_files": len(evidence.dex_files),
        "parsers": sorted({d.parser for d in evidence.dex_files}),
    }


WORKERS = {"androguard": work_androguard, "scan_code": work_scan_code}


# -- measurement -----------------------------------------------------------------------------
def measure(command: list[str]) -> dict[str, object]:
    """Run ``command`` through a wrapper process; wall seconds, peak RSS (MiB) and the worker's JSON."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'wall': wall, 'rss_kib': rss, 'rc': p.returncode,"
        " 'stdout': p.stdout[-4000:], 'stderr': p.stderr[-2000:]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KiB on Linux, bytes on macOS
    result["rss_mib"] = result.pop("rss_kib") * 1024 / scale / 1024
    result["worker"] = None
    for line in reversed(str(result["stdout"]).splitlines()):
        if line.startswith("{"):
            result["worker"] = json.loads(line)
            break
    return result


def run(apk: Path, repeat: int) -> int:
    me = [sys.executable, str(Path(__file__).resolve())]
    env_note = f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    print(f"APK: {apk} ({apk.stat().st_size / 1e6:.1f} MB), {env_note}")
    with zipfile.ZipFile(apk) as z:
        dex = [i for i in z.infolist() if i.filename.endswith(".dex")]
        print(f"DEX files: {len(dex)}, {sum(i.file_size for i in dex) / 1e6:.1f} MB uncompressed")

    results: dict[str, dict[str, object]] = {}
    for name in ("androguard", "scan_code"):
        runs = [measure([*me, "--worker", name, str(apk)]) for _ in range(repeat if name != "androguard" else 1)]
        for r in runs:
            if r["rc"] != 0:
                print(f"{name} failed:\n{r['stderr']}")
                return 1
        results[name] = min(runs, key=lambda r: r["wall"])  # type: ignore[arg-type, return-value]
    with tempfile.TemporaryDirectory() as outdir:
        cli = [sys.executable, "-m", "apkscan", "scan", "--format", "json", "-o", outdir, str(apk)]
        runs = [measure(cli) for _ in range(repeat)]
        ok = [r for r in runs if r["rc"] in (0, 1)]  # 1 = findings above --fail-on; still a full scan
        if ok:
            results["cli"] = min(ok, key=lambda r: r["wall"])  # type: ignore[arg-type, return-value]
        else:
            print(
                f"cli: `{' '.join(cli[1:4])} ...` did not run (rc {runs[0]['rc']}): "
                f"{str(runs[0]['stderr']).strip().splitlines()[-1:] or ''}"
            )

    base = results["androguard"]
    print(f"\n{'measurement':<12} {'wall s':>8} {'peak MiB':>9} {'speed-up':>9} {'memory':>7}  call sites")
    for name, r in results.items():
        worker = r.get("worker") or {}
        speed = float(base["wall"]) / float(r["wall"])  # type: ignore[arg-type]
        mem = float(r["rss_mib"]) / float(base["rss_mib"])  # type: ignore[arg-type]
        sites = worker.get("call_sites", "-") if isinstance(worker, dict) else "-"
        print(f"{name:<12} {float(r['wall']):8.2f} {float(r['rss_mib']):9.0f} {speed:8.1f}x {mem:7.1%}  {sites}")
    agree = results["androguard"]["worker"]["call_sites"] == results["scan_code"]["worker"]["call_sites"]  # type: ignore[index]
    print(f"\ncall-site count agrees with androguard: {agree}")
    final = results.get("cli", results["scan_code"])
    label = "cli (full apkscan scan)" if "cli" in results else "scan_code"
    speed = float(base["wall"]) / float(final["wall"])  # type: ignore[arg-type]
    mem = float(final["rss_mib"]) / float(base["rss_mib"])  # type: ignore[arg-type]
    verdict = "MET" if speed >= TARGET_SPEEDUP and mem <= TARGET_MEMORY else "NOT MET"
    print(
        f"targets (>= {TARGET_SPEEDUP:.0f}x faster, <= {TARGET_MEMORY:.0%} peak memory) for {label}: "
        f"{speed:.1f}x, {mem:.1%} -> {verdict}"
    )
    return 0 if agree else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apk", type=Path, help="benchmark this APK instead of the npm one")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the fast measurements (best is kept)")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("worker_apk", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.worker_apk)))
        return 0
    apk = args.apk or fetch_apk()
    return run(apk, max(1, args.repeat))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
