"""``apkscan batch`` end to end, as a user runs it (a real subprocess, real workers, real APKs, no mocks).

One folder (see :func:`tests.test_batch_inputs.build_folder`) holds good APKs, bundles, a duplicate, a truncated
zip, a raw DEX, non-APK files, an APK without extension, hostile file names and a manifest bomb that times out.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html

from tests.conftest import sample, zip_bytes
from tests.test_batch_inputs import (
    BOMB,
    BOMB_SPLITS,
    HOSTILE_FORMULA,
    HOSTILE_NEWLINE,
    HOSTILE_SCRIPT,
    bomb_bundle,
    build_folder,
    dex_balloon,
)


def sample_bytes(name: str) -> bytes:
    return sample(name).read_bytes()


# Samples take ~0.2-0.6 s (a few seconds on a loaded machine); the bomb bundle minutes (eight ~12 s manifests), so
# it times out for real whatever the machine's speed or load, and no normal file comes near the limit.
TIMEOUT = 20.0


@dataclass
class Run:
    src: Path
    out: Path
    expected: dict[str, str]
    proc: subprocess.CompletedProcess
    seconds: float

    @property
    def last_line(self) -> str:
        return self.proc.stdout.strip().splitlines()[-1]


def run_cli(src: Path, out: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "apkscan", "batch", str(src), "-o", str(out), "--lang", "en", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "LANG": "C.UTF-8"})


def timed_run(src: Path, out: Path, expected: dict[str, str], *args: str) -> Run:
    start = time.monotonic()
    proc = run_cli(src, out, *args)
    return Run(src, out, expected, proc, time.monotonic() - start)


def db(out: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(out / "apkscan.sqlite")
    conn.row_factory = sqlite3.Row
    return conn


def report_file(conn: sqlite3.Connection, sha256: str, fmt: str) -> str:
    row = conn.execute("SELECT file FROM report_files WHERE app_sha256 = ? AND format = ?", (sha256, fmt)).fetchone()
    assert row is not None, f"no {fmt} report recorded for {sha256}"
    return row[0]


def latest_files(out: Path) -> dict[str, sqlite3.Row]:
    with db(out) as conn:
        scan = conn.execute("SELECT max(id) FROM scans").fetchone()[0]
        return {r["path"]: r for r in conn.execute("SELECT * FROM files WHERE scan_id = ?", (scan,))}


def counts_line(scanned: int, duplicate: int, resumed: int, skipped: int, failed: int) -> str:
    total = scanned + duplicate + resumed + skipped + failed
    return (
        f"{total} files: {scanned} scanned, {duplicate + resumed + skipped} skipped ({duplicate} duplicate, "
        f"{resumed} already scanned, {skipped} not an APK), {failed} failed"
    )


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("batch")
    expected = build_folder(root / "in")
    return timed_run(root / "in", root / "out", expected, "--jobs", "2", "--timeout", str(TIMEOUT))


def test_batch_runs_and_says_what_happened(first: Run) -> None:
    assert first.proc.returncode == 0, first.proc.stderr
    assert first.last_line == counts_line(scanned=10, duplicate=1, resumed=0, skipped=2, failed=3)
    assert "Traceback" not in first.proc.stderr
    assert "timed out" in first.proc.stderr, "not a terminal: one plain log line per file"


def test_every_file_is_accounted_for_exactly_once(first: Run) -> None:
    files = latest_files(first.out)
    assert {p: r["status"] for p, r in files.items()} == first.expected
    assert files["downloads/mystery-download.bin"]["duplicate_of"] == "bundles/quickcash-bundle.xapk"
    with db(first.out) as conn:
        errors = {
            r["path"]: (r["kind"], r["message"]) for r in conn.execute("SELECT * FROM errors WHERE app_sha256 IS NULL")
        }
    assert set(errors) == {p for p, s in first.expected.items() if s == "error"}
    assert errors[BOMB][0] == "timeout" and f"after {TIMEOUT:g} s" in errors[BOMB][1]
    assert errors["classes.apk"][0] == "input" and "raw DEX" in errors["classes.apk"][1]
    assert "central directory" in errors["broken-truncated.apk"][1]
    assert first.seconds < 75, "the bomb was killed at the timeout, not scanned to the end"


def _outputs(out: Path) -> dict[str, set[str]]:
    with db(out) as conn:
        scan = conn.execute("SELECT max(id) FROM scans").fetchone()[0]
        in_db = {
            r["sha256"]
            for r in conn.execute(
                "SELECT sha256 FROM files WHERE scan_id = ? AND status IN ('scanned', 'resumed')", (scan,)
            )
        }
        apps = {
            r["sha256"]
            for r in conn.execute(
                "SELECT sha256 FROM apps WHERE sha256 IN (SELECT sha256 FROM files WHERE scan_id = ?)", (scan,)
            )
        }
    with (out / "summary.csv").open(newline="", encoding="utf-8") as fh:
        in_csv = {row["sha256"] for row in csv.DictReader(fh)}
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    in_jsonl = {json.loads(line)["input"]["sha256"] for line in lines}
    page = html.parse(str(out / "index.html")).getroot()
    in_index = {tr.get("data-sha256") for tr in page.iter("tr") if tr.get("data-sha256")}
    return {
        "db files": in_db,
        "db apps": apps,
        "csv": in_csv,
        "jsonl": in_jsonl,
        "index": in_index,
        "jsonl lines": {str(len(lines))},
    }


def test_database_csv_jsonl_and_index_agree(first: Run) -> None:
    found = _outputs(first.out)
    assert len(found["db files"]) == 10
    for name in ("db apps", "csv", "jsonl", "index"):
        assert found[name] == found["db files"], name
    assert found["jsonl lines"] == {"10"}
    for line in (first.out / "results.jsonl").read_text(encoding="utf-8").splitlines():
        report = json.loads(line)
        with db(first.out) as conn:
            row = conn.execute("SELECT * FROM apps WHERE sha256 = ?", (report["input"]["sha256"],)).fetchone()
            name = report_file(conn, row["sha256"], "json")
        assert row["package"] == report["app"]["package"] and row["risk"] == report["summary"]["risk"]
        on_disk = json.loads((first.out / name).read_text(encoding="utf-8"))
        family = report["family"].pop("id") if report.get("family") else None
        assert on_disk == report, "the per-app JSON file and the database hold the same report"
        if report.get("family"):  # results.jsonl adds the run's code family to each report
            with db(first.out) as conn:
                stored = conn.execute("SELECT family FROM families WHERE app_sha256 = ?", (row["sha256"],)).fetchone()
            assert family == stored[0] and family.startswith("family-")


def test_one_row_per_fact_tables_are_filled(first: Run) -> None:
    with db(first.out) as conn:
        raider = conn.execute("SELECT * FROM apps WHERE path = 'contact-raider.apk'").fetchone()
        sha = raider["sha256"]
        assert raider["harassment"] == 1 and raider["risk"] == "critical"
        perms = {r["name"] for r in conn.execute("SELECT name FROM permissions WHERE app_sha256 = ?", (sha,))}
        assert "android.permission.READ_SMS" in perms and len(perms) == raider["permissions"] == 17
        cats = dict(conn.execute("SELECT category, verdict FROM categories WHERE app_sha256 = ?", (sha,)).fetchall())
        assert cats["contacts"] == "prohibited"
        sites = conn.execute("SELECT count(*) FROM code_sites WHERE app_sha256 = ?", (sha,)).fetchone()[0]
        assert sites == raider["code_sites"] > 0
        sdks = {r[0] for r in conn.execute("SELECT sdk_id FROM sdks WHERE app_sha256 = ?", (sha,))}
        assert len(sdks) >= 1
        certs = {r[0] for r in conn.execute("SELECT cert_sha256 FROM signers WHERE app_sha256 = ?", (sha,))}
        assert certs == {"95a87282e7c890c142a09bd2f0949cf59460e96fd22fb65c4514c7866e2f9447"}
        corrupt = conn.execute("SELECT * FROM apps WHERE path = 'corrupt-dex.apk'").fetchone()
        partial = conn.execute(
            "SELECT count(*) FROM errors WHERE kind = 'partial' AND app_sha256 = ?", (corrupt["sha256"],)
        ).fetchone()[0]
        assert partial == corrupt["read_errors"] > 0


def test_index_parses_links_resolve_and_names_are_escaped(first: Run) -> None:
    text = (first.out / "index.html").read_text(encoding="utf-8")
    page = html.fromstring(text)
    hrefs = [a.get("href") for a in page.iter("a")]
    assert hrefs
    for href in hrefs:
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc, f"only relative links: {href}"
        assert (first.out / unquote(parts.path)).is_file(), f"broken link {href}"
    assert not page.xpath("//*[@src]") and not page.xpath("//link"), "nothing loaded from elsewhere"
    scripts = page.xpath("//script")
    assert all("alert(1)" not in (s.text or "") for s in scripts)
    cells = [td.text_content() for td in page.iter("td")]
    assert HOSTILE_SCRIPT in cells, "the hostile name is shown as text"
    assert HOSTILE_NEWLINE.replace("\n", "\\n") in " ".join(cells), "control characters are shown as escapes"
    assert "<script>alert(1)" not in text
    matrix = page.get_element_by_id("matrix")
    assert matrix.xpath(".//td[contains(@class, 'm-prohibited')]"), "the matrix is coloured by verdict"
    figures = {d.get("data-category"): d.text_content() for d in page.xpath("//div[@data-category]")}
    assert set(figures) == {"contacts", "sms", "call_log", "photos_media", "location", "installed_apps"}
    errors = page.get_element_by_id("errors").text_content()
    assert BOMB in errors and "classes.apk" in errors and "broken-truncated.apk" in errors
    groups = page.get_element_by_id("groups").text_content()
    assert "95a87282e7c890c142a09bd2f0949cf59460e96fd22fb65c4514c7866e2f9447" in groups
    assert "com.example" in groups


def test_csv_is_safe_for_spreadsheets(first: Run) -> None:
    with (first.out / "summary.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    paths = {r["path"] for r in rows}
    assert "'" + HOSTILE_FORMULA in paths and HOSTILE_NEWLINE in paths and HOSTILE_SCRIPT in paths
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_nothing_is_written_outside_outdir(first: Run) -> None:
    assert sorted(p.name for p in first.src.parent.iterdir()) == ["in", "out"]
    written = {p.relative_to(first.src).as_posix() for p in first.src.rglob("*") if p.is_file()}
    assert written == set(first.expected)
    leftovers = [p.name for p in first.out.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


@pytest.fixture()
def small(tmp_path: Path) -> Run:
    expected = build_folder(tmp_path / "in", bomb=False)
    return timed_run(tmp_path / "in", tmp_path / "out", expected, "--jobs", "2")


def test_resume_skips_what_was_scanned_and_no_resume_rescans(small: Run) -> None:
    assert small.proc.returncode == 0, small.proc.stderr
    assert small.last_line == counts_line(scanned=10, duplicate=1, resumed=0, skipped=2, failed=2)
    again = timed_run(small.src, small.out, small.expected, "--jobs", "2")
    assert again.last_line == counts_line(scanned=0, duplicate=1, resumed=10, skipped=2, failed=2)
    statuses = {p: r["status"] for p, r in latest_files(small.out).items()}
    assert statuses == {p: "resumed" if s == "scanned" else s for p, s in small.expected.items()}
    outputs = _outputs(small.out)
    assert len(outputs["index"]) == 10 and all(
        v == outputs["db files"] for k, v in outputs.items() if k != "jsonl lines"
    )

    with db(small.out) as conn:
        sha = conn.execute("SELECT sha256 FROM apps WHERE path = ?", ("fair-lender.apk",)).fetchone()[0]
        stem = report_file(conn, sha, "html")
    (small.out / stem).unlink()  # a missing report makes that file due again
    (small.src / "zz-copy-of-legacy.apk").write_bytes((small.src / "legacy-caps.apk").read_bytes())
    third = timed_run(small.src, small.out, small.expected, "--jobs", "2")
    assert third.last_line == counts_line(scanned=1, duplicate=2, resumed=9, skipped=2, failed=2)
    assert (small.out / stem).is_file()

    rescan = timed_run(small.src, small.out, small.expected, "--jobs", "2", "--no-resume")
    assert rescan.last_line == counts_line(scanned=10, duplicate=2, resumed=0, skipped=2, failed=2)
    chinese = timed_run(small.src, small.out, small.expected, "--jobs", "2", "--lang", "zh")
    assert chinese.last_line == counts_line(scanned=10, duplicate=2, resumed=0, skipped=2, failed=2), (
        "another report language changes the reports, so nothing is resumed"
    )
    with db(small.out) as conn:
        assert [r[0] for r in conn.execute("SELECT status FROM scans ORDER BY id")] == ["complete"] * 5
        assert conn.execute("SELECT count(*) FROM apps").fetchone()[0] == 10, "one row per distinct file"


def test_ctrl_c_keeps_finished_results(tmp_path: Path) -> None:
    expected = build_folder(tmp_path / "in")
    cmd = [
        sys.executable,
        "-m",
        "apkscan",
        "batch",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "out"),
        "--lang",
        "en",
        "--jobs",
        "2",
        "--timeout",
        "120",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    scan_lines = 0
    assert proc.stderr is not None
    for line in proc.stderr:  # the bomb holds one worker; wait until the other has done everything else
        scan_lines += bool(re.match(r"apkscan: \[\d+/\d+\]", line))
        if scan_lines == 12:
            break
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole process group
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stdout.strip().splitlines()[-1].endswith("2 failed, 1 not reached (interrupted)")
    files = latest_files(tmp_path / "out")
    assert files[BOMB]["status"] == "pending"
    assert sum(r["status"] == "scanned" for r in files.values()) == 10
    assert set(files) == set(expected)
    outputs = _outputs(tmp_path / "out")
    assert len(outputs["index"]) == 10 and outputs["csv"] == outputs["jsonl"] == outputs["index"]
    with db(tmp_path / "out") as conn:
        assert conn.execute("SELECT status FROM scans").fetchone()[0] == "interrupted"


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    src = tmp_path / "in"
    src.mkdir()
    for name in ("fair-lender.apk", "legacy-caps.apk"):
        (src / name).write_bytes((Path(__file__).parents[1] / "samples" / name).read_bytes())
    primary, secondary = pty.openpty()
    cmd = [sys.executable, "-m", "apkscan", "batch", str(src), "-o", str(tmp_path / "out"), "--lang", "en"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=secondary, text=True, timeout=120)
    os.close(secondary)
    terminal = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(primary)
    assert proc.returncode == 0
    assert b"2/2 files" in terminal and b"files/s" in terminal and b"ETA" in terminal
    assert proc.stdout.strip().splitlines()[-1] == counts_line(scanned=2, duplicate=0, resumed=0, skipped=0, failed=0)


@pytest.mark.parametrize("case", ["missing dir", "outdir is dir", "jobs zero", "file as dir", "bad database"])
def test_usage_errors_exit_2(tmp_path: Path, case: str) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    args: list[str] = []
    if case == "missing dir":
        src = tmp_path / "nope"
    elif case == "outdir is dir":
        out = src
    elif case == "jobs zero":
        args = ["--jobs", "0"]
    elif case == "file as dir":
        src = tmp_path / "x.apk"
        src.write_bytes(b"PK")
    else:
        out.mkdir()
        (out / "apkscan.sqlite").write_text("not a database\n" * 100)
    proc = run_cli(src, out, *args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr


def test_memory_blow_up_fails_only_that_file(tmp_path: Path) -> None:
    """A DEX that inflates to 240 MB needs more than --max-memory 300 allows once a worker's own ~70 MB are counted;
    the other files are scanned, and the same file scans fine under the default limit."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("fair-lender.apk", "contact-raider.apk"):
        (src / name).write_bytes((Path(__file__).parents[1] / "samples" / name).read_bytes())
    dex_balloon(src / "dex-balloon.apk")
    proc = run_cli(src, tmp_path / "out", "--max-memory", "300", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == counts_line(scanned=2, duplicate=0, resumed=0, skipped=0, failed=1)
    with db(tmp_path / "out") as conn:
        [(path, kind, message)] = conn.execute("SELECT path, kind, message FROM errors").fetchall()
    assert (path, kind) == ("dex-balloon.apk", "memory") and "300 MB" in message
    again = run_cli(src, tmp_path / "out")  # default 4096 MB: the failed file is retried and now fits
    assert again.stdout.strip().splitlines()[-1] == counts_line(scanned=1, duplicate=0, resumed=2, skipped=0, failed=0)


def test_files_that_cannot_be_apks_are_not_sent_to_workers_again(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "fair-lender.apk").write_bytes(sample_bytes("fair-lender.apk"))
    (src / "broken-truncated.apk").write_bytes(sample_bytes("broken-truncated.apk"))
    (src / "docs.zip").write_bytes(zip_bytes({"README.txt": b"not an app"}))
    first = run_cli(src, tmp_path / "out", "--jobs", "1")
    assert "3 to scan" in first.stderr
    assert first.stdout.strip().splitlines()[-1] == counts_line(scanned=1, duplicate=0, resumed=0, skipped=1, failed=1)
    again = run_cli(src, tmp_path / "out", "--jobs", "1")
    assert "0 to scan" in again.stderr, "a truncated zip and a zip of documents stay what they are"
    assert again.stdout.strip().splitlines()[-1] == counts_line(scanned=0, duplicate=0, resumed=1, skipped=1, failed=1)
    errors = {p: (r["status"], r["reason"]) for p, r in latest_files(tmp_path / "out").items()}
    assert errors["broken-truncated.apk"][0] == "error" and "central directory" in errors["broken-truncated.apk"][1]
    assert errors["docs.zip"][0] == "skipped"
    rescan = run_cli(src, tmp_path / "out", "--jobs", "1", "--no-resume")
    assert "3 to scan" in rescan.stderr


def test_a_second_batch_into_the_same_outdir_refuses(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    # keeps the first batch busy for about two minutes (one bundle of 8 splits takes ~30 s), so that a loaded CI
    # machine cannot finish it before the second batch has been refused and the first interrupted
    (src / BOMB).write_bytes(bomb_bundle(BOMB_SPLITS * 4))
    cmd = [sys.executable, "-m", "apkscan", "batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "1"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert first.stderr is not None
        for line in first.stderr:  # the run has its lock once it has listed the folder
            if "to scan" in line:
                break
        second = run_cli(src, tmp_path / "out", "--jobs", "1")
        assert second.returncode == 1
        assert "in use by another apkscan batch" in second.stderr and "Traceback" not in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
    finally:
        os.killpg(first.pid, signal.SIGINT)
        first.communicate(timeout=60)
    assert first.returncode == 130
    with db(tmp_path / "out") as conn:
        assert [r[0] for r in conn.execute("SELECT status FROM scans")] == ["interrupted"], "the second wrote nothing"


def test_every_report_format_is_linked_from_the_index_and_the_csv(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "contact-raider.apk").write_bytes(sample("contact-raider.apk").read_bytes())
    out = tmp_path / "out"
    proc = run_cli(src, out, "--jobs", "1", "--format", "html,md,json,sarif")
    assert proc.returncode == 0, proc.stderr
    page = html.parse(str(out / "index.html")).getroot()
    row = next(tr for tr in page.iter("tr") if tr.get("data-sha256"))
    links = {a.text: unquote(a.get("href")) for a in row.iter("a") if a.text in ("HTML", "MD", "JSON", "SARIF")}
    assert list(links) == ["HTML", "MD", "JSON", "SARIF"], "each written format, in the index's order"
    for name in links.values():
        assert (out / name).is_file(), name
    assert links["SARIF"].endswith(".sarif") and links["MD"].endswith(".md")
    with (out / "summary.csv").open(newline="", encoding="utf-8") as fh:
        (csv_row,) = list(csv.DictReader(fh))
    assert [csv_row[f"{fmt}_report"] for fmt in ("html", "md", "json", "sarif")] == list(links.values())
    assert csv_row["pdf_report"] == ""
