"""Evidence inventory on real folders: kinds, hashes, times, links, special files, hostile names, limits, index."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
from pathlib import Path

import pytest

from apkscan.complaint.checklist import checklist
from apkscan.complaint.errors import EvidenceDataError, EvidenceError
from apkscan.complaint.evidence import MAX_DEPTH, inventory
from apkscan.complaint.evidence_data import default_evidence_kinds_path, load_evidence_kinds

# 2026-01-02T03:04:05Z
STAMP = 1767323045


def put(root: Path, rel: str | bytes, data: bytes = b"x", mtime: int | None = None) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(root), os.fsencode(rel))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def files_by_path(folder: Path, **kwargs) -> dict:
    return {f.path: f for f in inventory(folder, **kwargs).files}


def test_kind_from_folder_synonyms_extension_and_default(tmp_path: Path) -> None:
    put(tmp_path, "录音/call 1.m4a")
    put(tmp_path, "Call_Recordings/2.amr")
    put(tmp_path, "ＳＭＳ/export.xml")  # full-width folder name
    put(tmp_path, "聊天记录/wechat.txt")  # a .txt that is a chat export because of its folder
    put(tmp_path, "亲友收到的消息/mum.jpg")
    put(tmp_path, "转账记录/bank.pdf")
    put(tmp_path, "Repayments/sub/deep/receipt.png")  # the first-level folder decides
    put(tmp_path, "misc/photo.JPEG")  # unknown folder: extension
    put(tmp_path, "scan.pdf")
    put(tmp_path, "notes.xyz")
    found = {p: (f.kind, f.kind_from) for p, f in files_by_path(tmp_path).items()}
    assert found == {
        "录音/call 1.m4a": ("recording", "folder"),
        "Call_Recordings/2.amr": ("recording", "folder"),
        "ＳＭＳ/export.xml": ("sms", "folder"),
        "聊天记录/wechat.txt": ("chat", "folder"),
        "亲友收到的消息/mum.jpg": ("contacts-message", "folder"),
        "转账记录/bank.pdf": ("transfer", "folder"),
        "Repayments/sub/deep/receipt.png": ("repayment", "folder"),
        "misc/photo.JPEG": ("screenshot", "extension"),
        "scan.pdf": ("document", "extension"),
        "notes.xyz": ("other", "default"),
    }


def test_size_hash_and_utc_time_of_each_file(tmp_path: Path) -> None:
    data = b"transfer of 2100 on 1 March\n"
    source = put(tmp_path, "transfers/receipt.txt", data, mtime=STAMP)
    item = files_by_path(tmp_path)["transfers/receipt.txt"]
    assert item.size == len(data)
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.modified == "2026-01-02T03:04:05Z"
    assert item.source == source


def test_index_file_wins_and_carries_description_and_date(tmp_path: Path) -> None:
    put(tmp_path, "screenshots/transfer.png")
    put(tmp_path, "screenshots/threat.png")
    put(tmp_path, "a.pdf")
    index = (
        "\ufeff路径,类型,说明,日期\n"
        'screenshots\\transfer.png,转账记录,"Bank app: 2,100 received",2026-03-01\n'
        './a.pdf,contract,"loan\ncontract",\n'
        "screenshots/threat.png,,message from the collector,2026-03-09\n"
        "# a comment row\n"
        "gone.jpg,screenshot,deleted since,\n"
    )
    (tmp_path / "index.csv").write_text(index, encoding="utf-8")
    inv = inventory(tmp_path)
    files = {f.path: f for f in inv.files}
    assert inv.index == "index.csv" and "index.csv" not in files
    transfer = files["screenshots/transfer.png"]
    assert (transfer.kind, transfer.kind_from) == ("transfer", "index")
    assert (transfer.description, transfer.date) == ("Bank app: 2,100 received", "2026-03-01")
    assert (files["a.pdf"].kind, files["a.pdf"].description) == ("contract", "loan contract")
    threat = files["screenshots/threat.png"]  # empty kind: the folder decides, the description is kept
    assert (threat.kind, threat.kind_from, threat.date) == ("screenshot", "folder", "2026-03-09")
    assert inv.index_missing == ("gone.jpg",)


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("a.png,selfie,,", "index.csv line 2: kind 'selfie' is not known (use one of: screenshot,"),
        ("a.png,screenshot,,1/3/2026", "index.csv line 2: date '1/3/2026' is not a date"),
        ("../outside.png,screenshot,,", "index.csv line 2: path '../outside.png' must be relative and stay inside"),
        ("/etc/passwd,screenshot,,", "must be relative"),
        ("C:\\x.png,screenshot,,", "must be relative"),
        ("a.png,screenshot,,\na.png,contract,,", "index.csv line 3: 'a.png' is listed twice"),
        ("a.png,screenshot,x,2026-01-01,extra", "index.csv line 2: expected at most four cells"),
        ("bad\u202ename.png,wat\nx,y", "kind 'wat' is not known"),
    ],
)
def test_index_mistakes_stop_with_the_line(tmp_path: Path, row: str, fragment: str) -> None:
    put(tmp_path, "a.png")
    (tmp_path / "index.csv").write_text("path,kind,description,date\n" + row + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as err:
        inventory(tmp_path)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_two_index_files_are_ambiguous(tmp_path: Path) -> None:
    (tmp_path / "index.csv").write_text("", encoding="utf-8")
    (tmp_path / "证据清单.csv").write_text("", encoding="utf-8")
    with pytest.raises(EvidenceError, match="keep one index file"):
        inventory(tmp_path)


def test_symbolic_links_are_never_followed_and_loops_do_not_hang(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    secret = put(outside, "secret.txt", b"TOP SECRET: not evidence")
    root = tmp_path / "evidence"
    put(root, "screenshots/a.png", b"png")
    os.symlink(secret, root / "screenshots" / "link-to-secret.png")
    os.symlink(outside, root / "linked-folder")
    os.symlink(root, root / "screenshots" / "loop")
    os.symlink(root / "missing", root / "dangling")
    os.symlink(secret, root / "index.csv")  # a linked index file is ignored, not read
    inv = inventory(root)
    assert [f.path for f in inv.files] == ["screenshots/a.png"]
    assert {(s.path, s.reason) for s in inv.skipped} == {
        ("dangling", "symlink"),
        ("index.csv", "symlink"),
        ("linked-folder", "symlink"),
        ("screenshots/link-to-secret.png", "symlink"),
        ("screenshots/loop", "symlink"),
    }
    assert inv.index == ""
    assert hashlib.sha256(secret.read_bytes()).hexdigest() not in {f.sha256 for f in inv.files}


def test_fifos_and_sockets_are_skipped_and_listed(tmp_path: Path) -> None:
    root = Path(tempfile.mkdtemp(prefix="ev"))  # short path: socket names are limited to ~100 bytes
    try:
        put(root, "a.txt")
        os.mkfifo(root / "pipe")
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(root / "sock"))
        try:
            inv = inventory(root)  # must not block on the fifo
        finally:
            sock.close()
        assert [f.path for f in inv.files] == ["a.txt"]
        assert {(s.path, s.reason) for s in inv.skipped} == {("pipe", "fifo"), ("sock", "socket")}
    finally:
        for name in ("a.txt", "pipe", "sock"):
            (root / name).unlink(missing_ok=True)
        root.rmdir()


def test_hostile_names_are_carried_printably(tmp_path: Path) -> None:
    put(tmp_path, b"new\nline.png", b"1")
    put(tmp_path, b"bell\x07.png", b"2")
    put(tmp_path, b"latin1-caf\xe9.png", b"3")
    put(tmp_path, "evil\u202egnp.exe", b"4")  # right-to-left override disguising an extension
    put(tmp_path, "screenshots/-leading dash and spaces .png", b"5")
    inv = inventory(tmp_path)
    paths = {f.path for f in inv.files}
    assert paths == {
        "new\\u000aline.png",
        "bell\\u0007.png",
        "latin1-caf\\xe9.png",
        "evil\\u202egnp.exe",
        "screenshots/-leading dash and spaces .png",
    }
    for item in inv.files:
        assert hashlib.sha256(item.source.read_bytes()).hexdigest() == item.sha256
    json.dumps([f.path for f in inv.files], ensure_ascii=False).encode("utf-8")  # valid UTF-8 throughout


def test_limits_skip_and_list_instead_of_failing(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        put(tmp_path, name, b"12345")
    inv = inventory(tmp_path, max_files=2)
    assert [f.path for f in inv.files] == ["a.txt", "b.txt"]
    assert [(s.path, s.reason) for s in inv.skipped] == [("c.txt", "too-many-files")]
    inv = inventory(tmp_path, max_bytes=12)
    assert [f.path for f in inv.files] == ["a.txt", "b.txt"] and inv.total_bytes == 10
    assert [(s.path, s.reason) for s in inv.skipped] == [("c.txt", "too-large")]
    deep = "/".join(f"d{i}" for i in range(MAX_DEPTH + 2))
    put(tmp_path, deep + "/x.txt")
    inv = inventory(tmp_path)
    assert ("/".join(f"d{i}" for i in range(MAX_DEPTH + 1)), "too-deep") in {(s.path, s.reason) for s in inv.skipped}


def test_system_files_excluded_output_folder_and_unreadable_files(tmp_path: Path) -> None:
    put(tmp_path, ".DS_Store")
    put(tmp_path, "screenshots/Thumbs.db")
    put(tmp_path, "screenshots/._a.png")
    put(tmp_path, "screenshots/a.png")
    out = tmp_path / "reports"
    put(out, "old-pack.zip")
    secret = put(tmp_path, "locked.txt")
    secret.chmod(0)
    try:
        inv = inventory(tmp_path, exclude=[out, tmp_path / "does-not-exist"])
    finally:
        secret.chmod(0o600)
    skipped = {(s.path, s.reason) for s in inv.skipped}
    assert {(".DS_Store", "system-file"), ("screenshots/Thumbs.db", "system-file"),
            ("screenshots/._a.png", "system-file"), ("reports", "excluded")} <= skipped  # fmt: skip
    if os.geteuid() != 0:  # root reads anything
        assert ("locked.txt", "unreadable") in skipped
    assert "reports/old-pack.zip" not in {f.path for f in inv.files}


def test_missing_folder_or_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="evidence folder not found"):
        inventory(tmp_path / "nope")
    put(tmp_path, "file.txt")
    with pytest.raises(EvidenceError, match="the evidence path is not a folder"):
        inventory(tmp_path / "file.txt")


def test_root_reached_through_a_link_is_accepted(tmp_path: Path) -> None:
    put(tmp_path, "real/screenshots/a.png")
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert [f.path for f in inventory(tmp_path / "alias").files] == ["screenshots/a.png"]


def test_checklist_shows_present_and_missing_requirements(tmp_path: Path) -> None:
    put(tmp_path, "合同/loan.pdf")
    put(tmp_path, "截图/threat.png")
    put(tmp_path, "录音/call.mp3")
    result = {s.id: s for s in checklist(inventory(tmp_path))}
    assert list(result) == [
        "contacts-without-consent", "harassment-threats", "disclosure-to-others", "usury-upfront-deduction",
    ]  # fmt: skip
    assert result["usury-upfront-deduction"].present == ("contract",)
    assert result["usury-upfront-deduction"].missing == ("transfer-records", "repayment-records")
    assert result["harassment-threats"].present == ("recording", "screenshot")
    assert result["harassment-threats"].missing == ("witness-statements",)
    assert result["contacts-without-consent"].missing == ("authorisation-agreement", "call-records")
    assert not result["disclosure-to-others"].complete
    everything = ["authorisation", "call-log", "sms", "recording", "screenshot", "witness", "contacts-message",
                  "contract", "transfer", "repayment"]  # fmt: skip
    assert all(s.complete for s in checklist(everything))
    only = checklist([], situations=["disclosure-to-others"])
    assert [(s.id, s.missing) for s in only] == [("disclosure-to-others", ("messages-received-by-others",))]


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("[kinds.video]\n", '[kinds.video]\ncolour = "red"\n', "kinds.video.colour: unknown key"),
        ('"videos", "video"', '"videos", "Recordings"', "kinds.video.folders[1]: 'Recordings' is already listed"),
        ('"mp4", "mov"', '"mp4", "MOV"', "kinds.video.extensions[1]: 'MOV' is not lower-case letters or digits"),
        ('"mp4", "mov"', '"mp4", "mp3"', "'mp3' is already listed under kind 'recording'"),
        ('kinds = ["transfer"]', 'kinds = ["bank"]', "requirements[1].kinds[0]: 'bank' is not a kind defined"),
        ("[kinds.other]\n", "", "kinds.other: missing required kind"),
        (
            'jurisdiction = "cn"\nrequirements = [\n  { id = "recordings"',
            'jurisdiction = "xx"\nrequirements = [\n  { id = "recordings"',
            "situations.harassment-threats.jurisdiction",
        ),
    ],
)
def test_broken_evidence_kinds_fail_in_one_line(tmp_path: Path, old: str, new: str, fragment: str) -> None:
    text = default_evidence_kinds_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "evidence_kinds.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(EvidenceDataError) as err:
        load_evidence_kinds(path)
    assert str(err.value).startswith(f"{path}: ") and fragment in str(err.value)
