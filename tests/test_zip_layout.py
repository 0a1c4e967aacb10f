"""Zips Android's tools read (or refuse) although they are not plain zips: each is scanned, and the damage noted.

Every case is built here from a committed sample APK. Decisions, per case (Android = libziparchive, the installer's
zip reader; "scan" = a report whose errors name the damage):

- stray bytes between the central directory and its end record: aapt, unzip and Android read it -> scan
- bytes after the end record (beyond its comment), a comment declared longer than the file: Android refuses -> scan
- data before the archive (self-extractor stub; a DEX, as in the Janus trick), offsets adjusted or not: Android 8.1+
  refuses, older Android ran the DEX -> scan the archive, note what came before it
- an end-record signature in the comment (a partial one fools Python's zipfile; a whole fake points nowhere) -> scan
- duplicate entry names: Android 4.4+ refuses ("master key") -> scan the first copy; nameless entries -> skip them
- an end record numbering the file as one disk of a split archive (zipfile reads it anyway) -> scan
- no end record that leads to a central directory -> refuse (one-line InputError), as before
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from apkscan.api import ScanOptions, scan_file
from apkscan.read.container import open_container
from apkscan.read.errors import InputError
from apkscan.read.safezip import SafeZip
from tests.conftest import sample

EOCD = struct.Struct("<4sHHHHIIH")


def _eocd(data: bytes) -> tuple[int, int, int]:
    """(EOCD offset, central directory offset, central directory size) of a plain zip."""
    at = data.rfind(b"PK\x05\x06")
    _sig, _d, _cd, _n, _total, cd_size, cd_offset, _comment = EOCD.unpack_from(data, at)
    assert at + 22 == len(data) and cd_offset + cd_size == at, "the sample must be a plain zip"
    return at, cd_offset, cd_size


def _scan(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return scan_file(path, ScanOptions(lang="en"))


@pytest.fixture(scope="module")
def apk() -> bytes:
    return sample("contact-raider.apk").read_bytes()


@pytest.fixture(scope="module")
def clean(apk: bytes, tmp_path_factory: pytest.TempPathFactory):
    return _scan(tmp_path_factory.mktemp("clean"), "clean.apk", apk)


def _same_app(report, clean) -> None:
    assert report.app.package == clean.app.package
    assert [p.name for p in report.permissions] == [p.name for p in clean.permissions]
    assert [s.sha256 for s in report.app.signers] == [s.sha256 for s in clean.app.signers]
    assert report.code is not None and clean.code is not None
    assert report.code.call_sites == clean.code.call_sites and report.code.call_sites


def test_samples_have_no_zip_notes() -> None:
    for path in sorted(sample("").glob("*")):
        if path.suffix in (".apk", ".apks", ".xapk", ".bin") and path.name != "broken-truncated.apk":
            assert open_container(path).notes == [], path.name


def test_stray_bytes_before_the_end_record_are_read_like_aapt_and_unzip(tmp_path, apk, clean) -> None:
    eocd, cd_offset, cd_size = _eocd(apk)
    damaged = apk[:eocd] + b"\x00STRAY" * 7 + apk[eocd:]
    with pytest.raises(zipfile.BadZipFile):  # what made apkscan say "central directory missing" before
        zipfile.ZipFile(io.BytesIO(damaged))
    report = _scan(tmp_path, "stray.apk", damaged)
    _same_app(report, clean)
    note = next(e for e in report.errors if "stray" in e)
    assert note.startswith(f"42 stray bytes between the central directory (ends at offset {cd_offset + cd_size})")
    assert f"end-of-central-directory record (offset {eocd + 42})" in note


def test_stray_bytes_inside_a_bundle_member_name_the_member(tmp_path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(sample("quickcash-bundle.xapk")) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".apk") and "config" in info.filename:
                at = data.rfind(b"PK\x05\x06")
                data = data[:at] + b"\xff" * 9 + data[at:]
            out.writestr(info, data)
    report = _scan(tmp_path, "bundle.xapk", buf.getvalue())
    assert report.input.kind == "xapk" and len(report.input.members) == 3
    notes = [e for e in report.errors if "9 stray bytes" in e]
    assert len(notes) == 2 and all(n.split(": ", 1)[0].startswith("config.") for n in notes)


def test_bytes_after_the_end_record_are_ignored_with_a_note(tmp_path, apk, clean) -> None:
    report = _scan(tmp_path, "trailing.apk", apk + b"\x00" * 284)
    _same_app(report, clean)
    assert report.errors == (
        f"284 bytes after the end of the zip (offset {len(apk)}): not part of the archive, ignored "
        "(Android's installer refuses such a file)",
    )


def test_a_comment_longer_than_the_file_is_noted(tmp_path, apk, clean) -> None:
    eocd, _, _ = _eocd(apk)
    report = _scan(tmp_path, "comment.apk", apk[: eocd + 20] + struct.pack("<H", 500) + b"cut short")
    _same_app(report, clean)
    assert any("declared 500 bytes long but only 9 are present" in e for e in report.errors)


def test_a_partial_end_signature_in_the_comment_does_not_hide_the_archive(tmp_path, apk, clean) -> None:
    eocd, _, _ = _eocd(apk)
    comment = b"hello PK\x05\x06\x00\x00\x00"  # fewer than 22 bytes after it: Android skips it, zipfile does not
    tricked = apk[: eocd + 20] + struct.pack("<H", len(comment)) + comment
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(tricked))
    report = _scan(tmp_path, "trick.apk", tricked)
    _same_app(report, clean)
    assert report.errors == (
        "the zip comment contains an end-of-central-directory signature (a trick against zip readers)",
    )


def test_a_fake_end_record_in_the_comment_is_passed_over(tmp_path, apk, clean) -> None:
    eocd, _, _ = _eocd(apk)
    fake = EOCD.pack(b"PK\x05\x06", 0, 0, 1, 1, 46, 3, 0)  # a directory of one entry at offset 3: nothing there
    report = _scan(tmp_path, "fake.apk", apk[: eocd + 20] + struct.pack("<H", len(fake)) + fake)
    _same_app(report, clean)
    assert any("lead nowhere" in e and "Android refuses such a file" in e for e in report.errors)


def _prepend(apk: bytes, prefix: bytes, adjust: bool) -> bytes:
    """``prefix`` + ``apk``; with ``adjust`` the offsets are moved as `zip -A` does (so they are file offsets)."""
    if not adjust:
        return prefix + apk
    eocd, cd_offset, cd_size = _eocd(apk)
    data = bytearray(prefix + apk)
    shift = len(prefix)
    pos = cd_offset + shift
    while pos < cd_offset + cd_size + shift:
        (local,) = struct.unpack_from("<I", data, pos + 42)
        struct.pack_into("<I", data, pos + 42, local + shift)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + name_len + extra_len + comment_len
    struct.pack_into("<I", data, eocd + shift + 16, cd_offset + shift)
    return bytes(data)


@pytest.mark.parametrize("adjust", [False, True], ids=["offsets-as-is", "offsets-adjusted"])
def test_a_self_extractor_stub_is_skipped_and_named(tmp_path, apk, clean, adjust) -> None:
    report = _scan(tmp_path, "stub.exe", _prepend(apk, b"MZ" + b"\x90" * 1022, adjust))
    _same_app(report, clean)
    assert report.errors == (
        "1024 bytes before the first zip entry: a Windows program (a self-extractor stub?); the archive after them "
        "was read (Android 8.1 and later refuse to install such a file)",
    )


def test_a_prepended_dex_is_named_as_the_janus_trick(tmp_path, apk, clean) -> None:
    with zipfile.ZipFile(sample("fair-lender.apk")) as zf:
        dex = zf.read("classes.dex")
    report = _scan(tmp_path, "janus.apk", dex + apk)
    _same_app(report, clean)
    assert len(report.errors) == 1 and report.errors[0].startswith(
        f"{len(dex)} bytes before the first zip entry: a DEX"
    )
    assert "Janus" in report.errors[0] and "not analysed" in report.errors[0]
    with pytest.raises(InputError, match="raw DEX"):  # a DEX with no zip after it is still refused
        _scan(tmp_path, "raw.apk", dex)


def _with_duplicate(apk: bytes, name: str, second: bytes) -> bytes:
    buf = io.BytesIO(apk)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr(name, second)  # zipfile warns about the duplicate name but writes it
    return buf.getvalue()


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_entries_read_the_first_copy_and_are_noted(tmp_path, apk, clean) -> None:
    with zipfile.ZipFile(sample("fair-lender.apk")) as zf:
        other_manifest, other_dex = zf.read("AndroidManifest.xml"), zf.read("classes.dex")
    data = _with_duplicate(_with_duplicate(apk, "AndroidManifest.xml", other_manifest), "classes.dex", other_dex)
    report = _scan(tmp_path, "dupes.apk", data)
    _same_app(report, clean)
    note = next(e for e in report.errors if "duplicate" in e)
    assert "AndroidManifest.xml x2, classes.dex x2" in note and "master key" in note and "first copy" in note


def test_nameless_entries_are_skipped(tmp_path, apk, clean) -> None:
    buf = io.BytesIO(apk)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr(zipfile.ZipInfo("x"), b"nameless")
    data = bytearray(buf.getvalue())
    eocd, cd_offset, cd_size = _eocd(bytes(data))
    last = data.rfind(b"PK\x01\x02")
    assert data[last + 46 : last + 47] == b"x"
    # Rename "x" to "" by shrinking the name in both headers is fiddly; instead give it a zero-length name in the
    # central directory and pad the freed byte into the comment field, which zipfile reads as the entry comment.
    struct.pack_into("<HHH", data, last + 28, 0, 0, 1)
    report = _scan(tmp_path, "nameless.apk", bytes(data))
    _same_app(report, clean)
    assert report.errors == ("1 zip entry has an empty name, skipped",)


def test_size_caps_hold_for_a_repaired_zip(apk) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.bin", b"\x00" * (4 * 1024 * 1024))
    data = buf.getvalue()
    at = data.rfind(b"PK\x05\x06")
    z = SafeZip(data[:at] + b"stray" + data[at:], "bomb.zip")
    assert z.notes and "5 stray bytes" in z.notes[0]
    with pytest.raises(InputError, match="over the 1048576-byte limit"):
        z.read("big.bin", limit=1024 * 1024)
    assert len(z.read("big.bin")) == 4 * 1024 * 1024


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"notes: PK\x05\x06 is the end record signature" + b"." * 40, "not a zip file"),
        (b"PK\x03\x04" + b"\x00" * 100, "central directory is missing"),
    ],
)
def test_no_archive_is_still_refused(tmp_path, data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        _scan(tmp_path, "x.apk", data)


def test_a_split_archive_disk_number_is_noted(tmp_path, apk, clean) -> None:
    eocd, _, _ = _eocd(apk)
    data = bytearray(apk)
    struct.pack_into("<HH", data, eocd + 4, 1, 1)
    report = _scan(tmp_path, "disk2.apk", bytes(data))
    _same_app(report, clean)
    assert report.errors == ("the end record calls this file disk 1 of a split archive; it was read as one whole zip",)


def test_hostile_member_names_stay_on_one_line(tmp_path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(sample("quickcash-bundle.xapk")) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr("evil\x1b[2J\n.apk", b"not an apk")
    report = _scan(tmp_path, "names.xapk", buf.getvalue())
    assert any(e.startswith("evil\\x1b[2J\\n.apk: ") for e in report.errors)
    assert all("\n" not in e and "\x1b" not in e for e in report.errors)
