"""Damaged APKs as they come from flaky downloads and tampering: a report or one clear error, never a crash."""

from __future__ import annotations

import random
import zipfile

import pytest

from apkscan.api import ScanOptions, scan_file
from apkscan.read.errors import InputError
from tests.conftest import sample


def mutations(count: int, seed: int = 7):
    """Copies of a real APK with random bytes overwritten (seeded, so failures reproduce)."""
    source = sample("contact-raider.apk").read_bytes()
    rng = random.Random(seed)
    for i in range(count):
        data = bytearray(source)
        for _ in range(rng.choice([1, 5, 50, 500])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        yield i, bytes(data)


@pytest.mark.parametrize(("index", "data"), list(mutations(40)))
def test_corrupted_bytes_give_a_report_or_one_line_error(tmp_path, index, data):
    path = tmp_path / f"mutant-{index}.apk"
    path.write_bytes(data)
    try:
        report = scan_file(path, ScanOptions(lang="en"))
    except InputError as err:
        assert "\n" not in str(err) and str(path) in str(err)
        return
    assert report.app is not None and report.input.sha256


def test_unsupported_zip_version_and_bad_deflate_are_input_errors(tmp_path):
    good = sample("fair-lender.apk").read_bytes()
    broken = tmp_path / "bad-deflate.apk"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zout, zipfile.ZipFile(sample("fair-lender.apk")) as zin:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info), compress_type=zipfile.ZIP_DEFLATED)
    raw = bytearray(broken.read_bytes())
    offset = raw.find(b"AndroidManifest.xml") + len(b"AndroidManifest.xml")
    raw[offset + 10 : offset + 40] = b"\xff" * 30  # corrupt the start of the deflate stream
    broken.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="AndroidManifest.xml"):
        scan_file(broken, ScanOptions(lang="en"))
    version = tmp_path / "version.apk"
    data = bytearray(good)
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = 0xA6  # "version needed to extract" 16.6
    version.write_bytes(bytes(data))
    with pytest.raises(InputError, match="zip"):
        scan_file(version, ScanOptions(lang="en"))
