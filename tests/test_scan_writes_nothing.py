"""A scan of a hostile file writes nothing, starts nothing and talks to no one (the web front end relies on it).

``scan_file`` runs on every sample and on every input that once broke a parser (tests/fuzz/regressions, members
wrapped into an APK where needed), with a read-only directory as working directory, HOME and TMPDIR. A read-only
directory does not stop root (CI often runs as root), so the test also listens to Python's audit events: any open
for writing, file-system change, process start or socket connection during the scans fails it.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from apkscan.api import ScanOptions, scan_file
from apkscan.read.errors import InputError
from tests.conftest import SAMPLES, sample
from tests.fuzz.targets import regression_files, regression_input

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_FORBIDDEN = {
    "os.mkdir",
    "os.remove",
    "os.rename",
    "os.rmdir",
    "os.symlink",
    "os.link",
    "os.truncate",
    "os.chmod",
    "os.chown",
    "os.utime",
    "shutil.copyfile",
    "shutil.move",
    "shutil.rmtree",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.fork",
    "socket.connect",
    "socket.sendto",
    "socket.getaddrinfo",
}


class _Recorder:
    """An audit hook (they cannot be removed, so this one is switched on and off)."""

    def __init__(self) -> None:
        self.active = False
        self.events: list[str] = []

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            path, mode, flags = (args + (None, None))[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing:
                self.events.append(f"open for writing: {path!r} ({mode or flags})")
        elif event == "sqlite3.connect" and args and str(args[0]) != ":memory:":
            self.events.append(f"sqlite3.connect {args[0]!r}")
        elif event in _FORBIDDEN:
            self.events.append(f"{event} {args!r}"[:300])


_RECORDER = _Recorder()
sys.addaudithook(_RECORDER)


@pytest.fixture()
def locked_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "read-only"
    home.mkdir()
    (home / "keep.txt").write_text("unchanged")
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.chdir(home)
    for var in ("HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(var, str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(home))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # the interpreter's own .pyc cache is not apkscan's doing
    yield home
    home.chmod(stat.S_IRWXU)
    assert sorted(p.name for p in home.iterdir()) == ["keep.txt"]
    assert (home / "keep.txt").read_text() == "unchanged"


def _inputs(tmp_path: Path) -> list[Path]:
    """Every sample, every zip regression, and the other regressions packed into an APK as a scan would meet them."""
    out = sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.suffix in (".apk", ".apks", ".xapk", ".bin"))
    out += [p for target in ("zip", "signing") for p in regression_files(target) if p.suffix != ".gz"]
    with zipfile.ZipFile(sample("contact-raider.apk")) as zf:
        base = {i.filename: zf.read(i) for i in zf.infolist() if not i.filename.startswith("META-INF/")}
    member = {"axml": "AndroidManifest.xml", "arsc": "resources.arsc", "dex": "classes.dex"}
    packed = tmp_path / "packed"
    packed.mkdir()
    for target in ("axml", "arsc", "dex", "policy"):
        for path in regression_files(target):
            name = member.get(target, "assets/privacy_policy.html")
            data = regression_input(path)[1:] if target == "policy" else regression_input(path)
            apk = packed / f"{target}-{path.stem}.apk"
            with zipfile.ZipFile(apk, "w") as zf:
                for key, value in {**base, name: data}.items():
                    zf.writestr(key, value)
            out.append(apk)
    return out


def test_scans_write_nothing_anywhere(tmp_path: Path, locked_down: Path) -> None:
    inputs = _inputs(tmp_path)
    assert len(inputs) > len(list(SAMPLES.glob("*.apk")))
    reports = 0
    _RECORDER.events.clear()
    _RECORDER.active = True
    try:
        for path in inputs:
            try:
                scan_file(path, ScanOptions(lang="en"))
                reports += 1
            except InputError:
                pass
    finally:
        _RECORDER.active = False
    assert _RECORDER.events == []
    assert reports >= len(list(SAMPLES.glob("*.apk"))) - 2  # broken-truncated and corrupt inputs may be refused


def test_the_recorder_sees_a_write(locked_down: Path) -> None:
    """The check above can fail: a write during a recorded section is seen (root ignores the read-only mode)."""
    _RECORDER.events.clear()
    _RECORDER.active = True
    try:
        try:
            with open(locked_down / "new.txt", "w") as fh:
                fh.write("x")
        except PermissionError:
            pass  # not root: the directory itself refused, and the audit event came first all the same
    finally:
        _RECORDER.active = False
        (locked_down / "new.txt").unlink(missing_ok=True)
    assert any("open for writing" in e for e in _RECORDER.events)
