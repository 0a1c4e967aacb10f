"""Shared fixtures: the committed sample APKs and bad inputs generated from them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def sample(name: str) -> Path:
    path = SAMPLES / name
    assert path.exists(), f"missing sample {path}; run samples/build.sh"
    return path


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture()
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    """Malformed inputs built in the test from real samples, keyed by what the error line must mention."""
    raider = sample("contact-raider.apk").read_bytes()
    with zipfile.ZipFile(sample("contact-raider.apk")) as zf:
        dex = zf.read("classes.dex")
        manifest = zf.read("AndroidManifest.xml")
    files = {
        "truncated": raider[: len(raider) // 2],
        "not a zip": b"This is a text file, not an APK.\n" * 10,
        "empty zip": zip_bytes({}),
        "without AndroidManifest.xml": zip_bytes({"classes.dex": dex}),
        "raw DEX": dex,
        "empty file": b"",
        "could not be decoded": zip_bytes({"AndroidManifest.xml": b"\x03\x00\x08\x00" + b"\xff" * 64}),
        "<manifest>": zip_bytes({"AndroidManifest.xml": manifest[:40]}),
    }
    out = {}
    for key, data in files.items():
        path = tmp_path / f"{key.replace(' ', '_').strip('<>.')}.apk"
        path.write_bytes(data)
        out[key] = path
    return out


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Hold every JSON report any test wrote (CLI runs, batches, the web server) to the strict report schema."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None or exitstatus not in (0, 1):
        return
    try:
        base = factory.getbasetemp()
    except (OSError, ValueError):
        return
    from tests.contract import report_errors, written_reports

    bad = [(where, err) for where, doc in written_reports(base) for err in report_errors(doc)[:3]]
    if bad:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = [f"{where}: {err}" for where, err in bad[:20]]
        if reporter is not None:
            reporter.write_line(
                "JSON reports that break the apkscan.report/1 schema:\n  " + "\n  ".join(lines), red=True
            )
        session.exitstatus = 1
