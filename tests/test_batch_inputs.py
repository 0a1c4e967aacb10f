"""Inputs for the batch tests, built from the real samples, and the discovery step that classifies them by content.

The "slow" input is a real, valid split bundle (``.apks``) of :data:`BOMB_SPLITS` APKs, each contact-raider.apk with
a binary manifest that repeats one ``<uses-permission>`` element ~100 000 times (8 MB, the reader's cap; 36 KB
zipped). Every split's manifest is decoded, each legitimately slow (about 12 s on the development machine, versus
~0.2 s for a sample): minutes of real work, so a ``--timeout`` of many times a normal scan still kills it in a
worker for real, however fast or loaded the machine — no test hook or mock in apkscan. It is also realistic: a
bloated manifest is a cheap way to stall analysers.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

from apkscan.api import ScanOptions, scan_file
from apkscan.batch.discover import examine, plan, walk
from tests.conftest import sample, zip_bytes

START_ELEMENT, END_ELEMENT = 0x0102, 0x0103
BOMB_COPIES = 100_000
BOMB_SPLITS = 8


def with_comment(apk: bytes, tag: str) -> bytes:
    """The same APK with a zip comment: different SHA-256, same content for apkscan."""
    buf = io.BytesIO(apk)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.comment = tag.encode()
    return buf.getvalue()


def _axml_string(raw: bytes, index: int) -> str:
    """String ``index`` of a binary XML string pool (UTF-8 or UTF-16), enough to find an element by name."""
    count, _, flags, strings_start = struct.unpack_from("<IIII", raw, 16)
    offset = struct.unpack_from("<I", raw, 36 + 4 * index)[0]
    pos = 8 + strings_start + offset
    if flags & 0x100:  # UTF-8: char length, byte length (each 1 or 2 bytes)
        pos += 2 if raw[pos] & 0x80 else 1
        size = raw[pos]
        pos += 1
        if size & 0x80:
            size = ((size & 0x7F) << 8) | raw[pos]
            pos += 1
        return raw[pos : pos + size].decode()
    size = struct.unpack_from("<H", raw, pos)[0]
    return raw[pos + 2 : pos + 2 + 2 * size].decode("utf-16le")


def inflate_manifest(manifest: bytes, copies: int) -> bytes:
    """Repeat the first ``<uses-permission>`` start/end chunk pair ``copies`` times and fix the document size."""
    chunks, pos = [], 8
    while pos < len(manifest):
        kind, _, size = struct.unpack_from("<HHI", manifest, pos)
        chunks.append((pos, kind, size))
        pos += size
    for i, (pos, kind, _) in enumerate(chunks):
        if kind == START_ELEMENT and _axml_string(manifest, struct.unpack_from("<I", manifest, pos + 20)[0]) == (
            "uses-permission"
        ):
            end_pos, end_kind, end_size = chunks[i + 1]
            assert end_kind == END_ELEMENT
            pair = manifest[pos : end_pos + end_size]
            out = manifest[: end_pos + end_size] + pair * copies + manifest[end_pos + end_size :]
            return out[:4] + struct.pack("<I", len(out)) + out[8:]
    raise AssertionError("no <uses-permission> in the manifest")


def manifest_bomb(copies: int = BOMB_COPIES) -> bytes:
    """contact-raider.apk with an inflated (valid) manifest: slow to decode, small on disk."""
    src = sample("contact-raider.apk")
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "AndroidManifest.xml":
                data = inflate_manifest(data, copies)
            zout.writestr(info.filename, data)
    return buf.getvalue()


def bomb_bundle(splits: int = BOMB_SPLITS) -> bytes:
    """An ``.apks`` bundle whose base and splits all carry the inflated manifest (see the module docstring)."""
    bomb = manifest_bomb()
    members = {"splits/base-master.apk": bomb}
    members.update({f"splits/base-part{i}.apk": with_comment(bomb, f"split {i}") for i in range(1, splits)})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # APKs inside bundles are stored, as real ones are
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def dex_balloon(path: Path, megabytes: int = 240) -> None:
    """fair-lender.apk plus a ``classes2.dex`` of zeros: 250 KB on disk, ``megabytes`` MB once read for the code scan
    (under the reader's 256 MB cap), so a worker with a small ``--max-memory`` runs out of memory for real."""
    with zipfile.ZipFile(sample("fair-lender.apk")) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info, src.read(info.filename))
        with zf.open("classes2.dex", "w") as fh:
            for _ in range(megabytes):
                fh.write(bytes(1024 * 1024))


HOSTILE_SCRIPT = "<script>alert(1)</script>.apk"
HOSTILE_NEWLINE = "evil\nname.apk"
HOSTILE_FORMULA = "=1+2.apk"
BOMB = "zz-manifest-bomb.apk"


def build_folder(root: Path, bomb: bool = True) -> dict[str, str]:
    """Lay out the batch test folder; returns ``{relative path: expected status}``."""
    raw_dex = zipfile.ZipFile(sample("contact-raider.apk")).read("classes.dex")
    files: dict[str, tuple[bytes, str]] = {
        "fair-lender.apk": (sample("fair-lender.apk").read_bytes(), "scanned"),
        "contact-raider.apk": (sample("contact-raider.apk").read_bytes(), "scanned"),
        "legacy-caps.apk": (sample("legacy-caps.apk").read_bytes(), "scanned"),
        "corrupt-dex.apk": (sample("corrupt-dex.apk").read_bytes(), "scanned"),
        "bundles/quickcash-bundle.xapk": (sample("quickcash-bundle.xapk").read_bytes(), "scanned"),
        "bundles/quickcash-bundle.apks": (sample("quickcash-bundle.apks").read_bytes(), "scanned"),
        "downloads/mystery-download.bin": (sample("mystery-download.bin").read_bytes(), "duplicate"),
        "downloads/loanapp": (sample("packed-jiagu.apk").read_bytes(), "scanned"),
        "broken-truncated.apk": (sample("broken-truncated.apk").read_bytes(), "error"),
        "classes.apk": (raw_dex, "error"),
        "notes.txt": (b"Loan apps to check next week.\n", "skipped"),
        "docs.zip": (zip_bytes({"README.txt": b"not an app"}), "skipped"),
        HOSTILE_SCRIPT: (with_comment(sample("fair-lender.apk").read_bytes(), "script"), "scanned"),
        HOSTILE_NEWLINE: (with_comment(sample("legacy-caps.apk").read_bytes(), "newline"), "scanned"),
        HOSTILE_FORMULA: (with_comment(sample("contact-raider.apk").read_bytes(), "formula"), "scanned"),
    }
    if bomb:
        files[BOMB] = (bomb_bundle(), "error")
    for rel, (data, _) in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {rel: status for rel, (_, status) in files.items()}


def test_discovery_classifies_by_content(tmp_path: Path) -> None:
    expected = build_folder(tmp_path, bomb=False)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old-report.json").write_text("{}")
    entries = list(walk(tmp_path, exclude=tmp_path / "out"))
    for e in entries:
        examine(e)
    plan(entries)
    assert sorted(e.rel for e in entries) == sorted(expected), "every file seen once, OUTDIR excluded"
    planned = {e.rel: e.status for e in entries}
    for rel, status in expected.items():
        want = {"scanned": "scan", "duplicate": "duplicate", "skipped": "skipped"}.get(status, status)
        if rel in ("broken-truncated.apk", "docs.zip"):
            want = "scan"  # zips: only a worker can tell a broken APK from a zip of documents
        assert planned[rel] == want, rel
    dup = next(e for e in entries if e.rel == "downloads/mystery-download.bin")
    assert dup.duplicate_of == "bundles/quickcash-bundle.xapk"
    assert "raw DEX" in next(e.reason for e in entries if e.rel == "classes.apk")


def test_undecodable_file_names_fail_clearly(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xffname.apk")
    (tmp_path / name).write_bytes(sample("fair-lender.apk").read_bytes())
    [entry] = list(walk(tmp_path))
    examine(entry)
    assert entry.rel == "bad\\xffname.apk" and entry.status == "error" and "UTF-8" in entry.reason
    assert entry.sha256, "still identified by its hash"


def test_manifest_bomb_is_a_valid_apk(tmp_path: Path) -> None:
    """The slow input must be slow because it is big, not because it is broken: a small one scans cleanly."""
    path = tmp_path / "small-bomb.apk"
    path.write_bytes(manifest_bomb(copies=50))
    report = scan_file(path, ScanOptions(lang="en", code=False))
    assert report.app and report.app.package == "com.example.quickcash"
    assert not report.errors
    assert any(p.duplicates >= 50 for p in report.app.permissions)
