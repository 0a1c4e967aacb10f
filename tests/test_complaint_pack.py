"""The evidence pack on real files: atomic zip, byte-exact copies, manifest and SHA256SUMS that verify, safe names,
links not followed, nothing written outside the output folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apkscan.complaint.errors import PackError
from apkscan.complaint.evidence import inventory
from apkscan.complaint.pack import PackItem, write_pack
from apkscan.complaint.zipnames import NameAllocator, sanitise

SECRET = b"TOP-SECRET-private-key-material"
CREATED = datetime(2026, 12, 1, 9, 30, 0, tzinfo=UTC)


def tree(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every entry under ``root`` with its size, mtime and content (links as their target)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            if path.is_symlink():
                out[str(path)] = (0, 0, os.readlink(path).encode())
            elif path.is_file():
                st = path.stat()
                out[str(path)] = (st.st_size, st.st_mtime_ns, path.read_bytes())
    return out


@pytest.fixture()
def case(tmp_path: Path) -> dict[str, Path]:
    """An evidence folder with a link to a secret outside it, and an empty output folder."""
    evidence = tmp_path / "evidence"
    (evidence / "截图").mkdir(parents=True)
    (evidence / "截图" / "threat.png").write_bytes(b"\x89PNG fake image " * 50)
    (evidence / "合同").mkdir()
    (evidence / "合同" / "loan.txt").write_text("contract 3000, received 2100\n" * 20, encoding="utf-8")
    (evidence / b"odd\nname\xff.txt".decode("utf-8", "surrogateescape")).write_bytes(b"hostile name")
    secret_dir = tmp_path / "private"
    secret_dir.mkdir()
    (secret_dir / "secret.txt").write_bytes(SECRET)
    os.symlink(secret_dir / "secret.txt", evidence / "截图" / "innocent.png")
    os.symlink(secret_dir, evidence / "more")
    out = tmp_path / "out"
    out.mkdir()
    return {"root": tmp_path, "evidence": evidence, "out": out}


def pack_items(evidence: Path) -> list[PackItem]:
    inv = inventory(evidence)
    items = [
        PackItem("complaint.html", "<html><body>投诉</body></html>".encode(), "complaint-html", "apkscan"),
        PackItem("report/app.json", b'{"note": "stands in for the scan report"}', "report-json", "apkscan"),
    ]
    items += [PackItem(f"evidence/{f.path}", f.source, f.kind, "borrower", f.sha256) for f in inv.files]
    return items


def check_extracted(folder: Path, manifest_sha: str) -> None:
    """Every hash in manifest.json and SHA256SUMS matches the extracted bytes."""
    manifest_bytes = (folder / "manifest.json").read_bytes()
    assert hashlib.sha256(manifest_bytes).hexdigest() == manifest_sha
    manifest = json.loads(manifest_bytes)
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert len(data) == entry["size"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == len(manifest["files"]) + 1
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_pack_verifies_with_zipfile_unzip_and_sha256sum(case: dict[str, Path], tmp_path: Path) -> None:
    before = tree(case["root"])
    target = case["out"] / "complaint-pack.zip"
    result = write_pack(target, pack_items(case["evidence"]), created=CREATED)
    assert result.path == target
    # nothing else was written anywhere: the output folder holds only the pack, the rest is unchanged
    assert os.listdir(case["out"]) == ["complaint-pack.zip"]
    after = tree(case["root"])
    assert {k: v for k, v in after.items() if k != str(target)} == before
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert names[-2:] == ["manifest.json", "SHA256SUMS"]
        for name in names:
            assert SECRET not in zf.read(name)
        manifest = json.loads(zf.read("manifest.json"))
        extracted = tmp_path / "py"
        zf.extractall(extracted)
    assert manifest["schema"] == "apkscan.evidence-pack/1" and manifest["created"] == "2026-12-01T09:30:00Z"
    paths = [e["path"] for e in manifest["files"]]
    assert paths == ["complaint.html", "report/app.json", "evidence/odd_u000aname_xff.txt", "evidence/合同/loan.txt",
                     "evidence/截图/threat.png"]  # fmt: skip
    assert not any("innocent" in p or "more" in p for p in names)  # the links were not followed
    odd = manifest["files"][2]
    assert odd["requested_path"] == "evidence/odd\\u000aname\\xff.txt" and odd["origin"] == "borrower"
    assert manifest["files"][0]["modified"] == "2026-12-01T09:30:00Z"
    check_extracted(extracted, result.manifest_sha256)
    if shutil.which("unzip"):
        by_unzip = tmp_path / "unzip"
        subprocess.run(["unzip", "-q", str(target), "-d", str(by_unzip)], check=True)
        check_extracted(by_unzip, result.manifest_sha256)
        if shutil.which("sha256sum"):
            run = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=by_unzip, capture_output=True, text=True)
            assert run.returncode == 0, run.stdout + run.stderr
            assert run.stdout.count(": OK") == len(manifest["files"]) + 1


def test_compressed_formats_are_stored_and_bytes_are_copied_exactly(case: dict[str, Path]) -> None:
    target = case["out"] / "p.zip"
    result = write_pack(target, pack_items(case["evidence"]), created=CREATED)
    with zipfile.ZipFile(target) as zf:
        info = {i.filename: i for i in zf.infolist()}
        assert info["evidence/截图/threat.png"].compress_type == zipfile.ZIP_STORED
        assert info["evidence/合同/loan.txt"].compress_type == zipfile.ZIP_DEFLATED
        assert zf.read("evidence/截图/threat.png") == (case["evidence"] / "截图" / "threat.png").read_bytes()
    stored = {f.path: f.stored for f in result.files}
    assert stored["evidence/截图/threat.png"] and not stored["complaint.html"]


def test_paths_are_sanitised_and_collisions_resolved() -> None:
    assert sanitise("/etc/passwd") == "etc/passwd"
    assert sanitise("../../a/./b/../c") == "a/b/c"
    assert sanitise("C:\\Users\\x\\a.png") == "C__Users_x_a.png"
    assert sanitise("evil\u202egnp.exe") == "evil_gnp.exe"
    assert sanitise('a<b>:"|?*.txt') == "a_b______.txt"
    assert sanitise("CON.txt/nul") == "_CON.txt/_nul"
    assert sanitise("trailing. . ") == "trailing"
    assert sanitise("..") == "unnamed"
    assert len(sanitise("长" * 300 + ".png").encode()) <= 200 and sanitise("长" * 300 + ".png").endswith(".png")
    names = NameAllocator(reserved=("manifest.json", "SHA256SUMS"))
    got = [names.allocate(p) for p in ("manifest.json", "a/x.png", "A/X.PNG", "a/x.png", "a", "a/x-2.png", "f",
                                       "F/g.txt")]  # fmt: skip
    assert got == ["manifest-2.json", "a/x.png", "a/X-2.PNG", "a/x-3.png", "a-2", "a/x-2-2.png", "f", "F-2/g.txt"]


def test_zip_written_with_hostile_requested_names_stays_inside(case: dict[str, Path], tmp_path: Path) -> None:
    items = [
        ("../../escape.txt", b"1", "other", "apkscan"),
        ("/abs/path.txt", b"2", "other", "apkscan"),
        ("SHA256SUMS", b"3", "other", "apkscan"),
        ("a\nb\x00c.txt", b"4", "other", "apkscan"),
    ]
    target = case["out"] / "p.zip"
    write_pack(target, items, created=CREATED)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "x")
    assert names == ["escape.txt", "abs/path.txt", "SHA256SUMS-2", "a_b_c.txt", "manifest.json", "SHA256SUMS"]
    assert not (case["root"] / "escape.txt").exists() and not (tmp_path / "escape.txt").exists()


def test_failure_leaves_no_zip_and_no_temporary_file(case: dict[str, Path]) -> None:
    target = case["out"] / "p.zip"
    target.write_bytes(b"previous pack")
    link = case["evidence"] / "截图" / "innocent.png"
    cases = [
        ([("a.txt", b"x", "other", "apkscan"), ("e/link.png", link, "screenshot", "borrower")],
         "e/link.png: not a regular file (symlink); not packed"),
        ([("gone.txt", case["root"] / "missing.txt", "other", "borrower")], "gone.txt: cannot read"),
        ([("e/threat.png", case["evidence"] / "截图" / "threat.png", "screenshot", "borrower", "0" * 64)],
         "e/threat.png: the file changed since it was listed"),
    ]  # fmt: skip
    for items, fragment in cases:
        with pytest.raises(PackError) as err:
            write_pack(target, [PackItem(*item) for item in items])
        assert fragment in str(err.value)
        assert os.listdir(case["out"]) == ["p.zip"]
        assert target.read_bytes() == b"previous pack"


def test_output_folder_must_exist_and_target_must_not_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="the output folder does not exist"):
        write_pack(tmp_path / "missing" / "p.zip", [])
    (tmp_path / "p.zip").mkdir()
    with pytest.raises(PackError, match="is a folder"):
        write_pack(tmp_path / "p.zip", [])
    assert not (tmp_path / "missing").exists()


def test_manifest_digest_is_returned_and_empty_pack_is_valid(tmp_path: Path) -> None:
    result = write_pack(tmp_path / "empty.zip", [], created=CREATED)
    with zipfile.ZipFile(tmp_path / "empty.zip") as zf:
        manifest = zf.read("manifest.json")
        assert zf.read("SHA256SUMS").decode() == f"{hashlib.sha256(manifest).hexdigest()}  manifest.json\n"
    assert result.manifest_sha256 == hashlib.sha256(manifest).hexdigest()
    assert json.loads(manifest)["files"] == []
    assert (tmp_path / "empty.zip").stat().st_mode & 0o077 == 0  # private evidence: owner-only


def test_a_fifo_given_as_source_fails_at_once_instead_of_blocking(tmp_path: Path) -> None:
    """Opening a named pipe for reading blocks until a writer comes; the pack must refuse it without waiting."""
    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            write_pack(tmp_path / "p.zip", [("e/pipe.mp3", fifo, "recording", "borrower")])
            outcome.append(None)
        except BaseException as exc:  # handed to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # release the blocked open so the thread can end, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("write_pack blocked on a fifo")
    assert isinstance(outcome[0], PackError) and "not a regular file (fifo)" in str(outcome[0])
    assert sorted(os.listdir(tmp_path)) == ["pipe.mp3"]
