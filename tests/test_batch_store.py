"""The batch database and the pure pieces around it: report → rows, resume key, groups, CSV and name safety.

Reports here are real (a scan of a sample) with, where a section is not produced yet by the scanner, a policy section
added in the documented shape, so the flattening is tested on both "present" and "None".
"""

from __future__ import annotations

import copy
import gzip
import sqlite3
from pathlib import Path

import pytest

from apkscan.api import ScanOptions, scan_file
from apkscan.batch.discover import Entry
from apkscan.batch.facts import CHILD_TABLES, app_row, child_rows
from apkscan.batch.lock import BusyError, OutdirLock
from apkscan.batch.migrate import V4_APP_COLUMNS
from apkscan.batch.runner import options_key
from apkscan.batch.store import SCHEMA_VERSION, Store, StoreError
from apkscan.batch.view import load_view, package_stem, signer_groups, stem_groups
from apkscan.model.batch import AppRow, Signer
from apkscan.render.formats.report_json import report_dict
from apkscan.render.summary_csv import render_summary_csv, safe_cell
from apkscan.render.text import printable
from tests.conftest import sample

DATA = Path(__file__).parent / "data"
POLICY = {
    "categories": {
        "sms": {"status": "denies", "quotes": ["我们不会读取您的短信。"]},
        "contacts": {"status": "collects"},
        "call_log": "silent",  # a bare status is accepted too
    }
}


@pytest.fixture(scope="module")
def raider() -> dict:
    """A real report of contact-raider.apk, which denies reading SMS in its privacy policy."""
    report = report_dict(scan_file(sample("contact-raider.apk"), ScanOptions(lang="en")))
    if not report.get("policy"):  # the policy analysis is not part of every build: give it the documented shape
        report["policy"] = POLICY
        report["findings"] = [
            *report["findings"],
            {
                "id": "policy-contradiction:sms",
                "category": "sms",
                "severity": "high",
                "title": "says no SMS",
                "evidence": ["x"],
            },
        ]
    return report


def test_report_becomes_one_row_per_fact(raider: dict) -> None:
    row = app_row(raider, scan_id=1, path="p", options_key="{}", seconds=0.1, report="{}")
    assert row["package"] == "com.example.quickcash" and row["harassment"] == 1
    assert row["policy_contradictions"] == 1 and row["code_sites"] == len(raider["code"]["call_sites"]) > 0
    assert not any(k.endswith("_report") for k in row), "report files are rows of report_files, not columns"
    rows = {t: list(child_rows(t, raider, "abc")) for t in CHILD_TABLES}
    policy = {r["category"]: r["status"] for r in rows["policy_categories"]}
    assert policy["sms"] == "denies" and policy["contacts"] == "collects"
    assert len(rows["permissions"]) == 17 and len(rows["signers"]) == 1
    assert {r["sdk_id"] for r in rows["sdks"]} and all(r["app_sha256"] == "abc" for r in rows["code_sites"])


def test_policy_entries_are_read_defensively() -> None:
    rows = list(child_rows("policy_categories", {"policy": POLICY}, "x"))
    assert [(r["category"], r["status"]) for r in rows] == [
        ("sms", "denies"),
        ("contacts", "collects"),
        ("call_log", "silent"),
    ]
    assert '"quotes"' in rows[0]["detail"] and rows[1]["detail"] is None
    assert list(child_rows("policy_categories", {"policy": {"categories": None}}, "x")) == []


def test_missing_code_and_policy_sections_are_fine(raider: dict) -> None:
    bare = copy.deepcopy(raider)
    bare["code"] = bare["policy"] = None
    assert app_row(bare)["code_sites"] is None
    for table in ("code_sites", "sdks", "policy_categories"):
        assert list(child_rows(table, bare, "x")) == []


def _store_with(tmp_path: Path, report: dict, times: int = 2, reports: dict[str, str] | None = None) -> Store:
    store = Store(tmp_path)
    scan_id = store.start_scan(
        {
            "root": "r",
            "apkscan_version": "v",
            "rules_name": "n",
            "rules_version": "1",
            "rules_sha256": "d",
            "options_key": "{}",
            "formats": "json",
            "jobs": 1,
            "timeout_s": 1,
            "max_memory_mb": 1,
            "resume": 1,
        }
    )
    store.add_files(scan_id, [Entry(Path("x"), "x.apk", 1, 1, report["input"]["sha256"])])
    for _ in range(times):
        store.record_app(scan_id, "x.apk", report, reports or {"json": "x.json"}, "{}", 0.5)
    store.finish_scan(scan_id, "complete", {"scanned": 1})
    return store


def test_rescanning_replaces_an_app_and_its_facts(tmp_path: Path, raider: dict) -> None:
    store = _store_with(tmp_path, raider, times=2)
    conn = store.conn
    assert conn.execute("SELECT count(*) FROM apps").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM permissions").fetchone()[0] == 17
    assert conn.execute("SELECT count(*) FROM errors").fetchone()[0] == len(raider["errors"])
    view = load_view(conn, 1)
    assert [a.package for a in view.apps] == ["com.example.quickcash"]
    assert view.contradictions == 1 and view.harassment == 1
    assert {f.category: f.requests for f in view.figures}["sms"] == 1
    tool = raider["tool"]
    done = store.done_keys(tool["version"], tool["rules"]["sha256"], "{}")
    assert done == {raider["input"]["sha256"]: {"json": "x.json"}}, "provenance comes from the report itself"
    assert not store.done_keys(tool["version"], "another rule table", "{}")
    assert not store.done_keys(tool["version"], tool["rules"]["sha256"], '{"lang":"zh"}')
    store.close()


def test_foreign_or_newer_databases_are_refused(tmp_path: Path) -> None:
    (tmp_path / "apkscan.sqlite").write_bytes(b"not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot use the database"):
        Store(tmp_path)
    newer = tmp_path / "newer"
    newer.mkdir()
    with sqlite3.connect(newer / "apkscan.sqlite") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="schema version"):
        Store(newer)


def test_resume_key_covers_options_that_change_reports() -> None:
    base = options_key(ScanOptions(lang="en", jurisdictions=("cn", "in")))
    assert base == options_key(ScanOptions(lang="en", jurisdictions=("in", "cn", "in")))
    assert options_key(ScanOptions(lang="en", jurisdictions=("all",))) == options_key(ScanOptions(lang="en"))
    assert base != options_key(ScanOptions(lang="zh", jurisdictions=("cn", "in")))
    assert options_key(ScanOptions(code=False)) != options_key(ScanOptions())
    assert options_key(ScanOptions(rules_path=Path("x.toml"))) == options_key(ScanOptions()), "digest covers rules"


def _app(package: str, cert: str = "c1", path: str = "a.apk") -> AppRow:
    return AppRow(
        sha256=package + path,
        path=path,
        status="scanned",
        package=package,
        label="",
        label_zh="",
        version_name="",
        version_code="",
        kind="apk",
        risk="low",
        harassment=False,
        permissions=0,
        prohibited=0,
        unrelated=0,
        conditional=0,
        findings=0,
        contradictions=0,
        code_sites=None,
        read_errors=0,
        scanned_at="",
        signers=(Signer(cert, "CN=x", False),),
    )


def test_operator_groups() -> None:
    assert package_stem("com.acme.cash7") == "com.acme" and package_stem("com.acme") is None
    apps = (
        _app("com.acme.cash1"),
        _app("com.acme.cash2", "c2"),
        _app("com.acme.cash2", "c2", "b.apk"),
        _app("org.other.loan", "c3"),
    )
    assert [(g.key, len(g.apps)) for g in stem_groups(apps)] == [("com.acme", 3)]
    assert [(g.key, len(g.apps)) for g in signer_groups(apps)] == [("c2", 2)]
    assert stem_groups((_app("com.acme.cash1"), _app("com.acme.cash1", path="b.apk"))) == (), "versions, not a group"


def test_csv_and_display_safety(tmp_path: Path, raider: dict) -> None:
    assert [safe_cell(v) for v in ("=SUM(A1)", "+1", "-1", "@x", "ok", 3, "")] == [
        "'=SUM(A1)",
        "'+1",
        "'-1",
        "'@x",
        "ok",
        3,
        "",
    ]
    assert printable("a\nb\x1b[31m\u202e.apk") == "a\\nb\\x1b[31m\\u202e.apk"
    hostile = copy.deepcopy(raider)
    hostile["app"]["label"] = '=HYPERLINK("http://evil")'
    store = _store_with(tmp_path, hostile, times=1)
    text = render_summary_csv(load_view(store.conn, 1))
    store.close()
    assert '\'=HYPERLINK(""http://evil"")' in text


def test_any_report_format_is_a_row_of_report_files(tmp_path: Path, raider: dict) -> None:
    """Formats are rows, not columns: a renderer added later (sarif, markdown…) needs no schema change."""
    files = {"html": "a.html", "json": "a.json", "sarif": "a.sarif", "markdown": "a.md"}
    store = _store_with(tmp_path, raider, times=2, reports=files)
    tool = raider["tool"]
    assert store.done_keys(tool["version"], tool["rules"]["sha256"], "{}") == {raider["input"]["sha256"]: files}
    [app] = load_view(store.conn, 1).apps
    assert (app.html_report, app.json_report) == ("a.html", "a.json")
    store.conn.execute("DELETE FROM apps")
    assert store.conn.execute("SELECT count(*) FROM report_files").fetchone()[0] == 0, "deleted with the app"
    store.close()


def test_input_failures_are_remembered_per_version_and_rules(tmp_path: Path, raider: dict) -> None:
    store = _store_with(tmp_path, raider, times=1)
    store.record_input_failure(1, "x.apk", "f" * 64, "error", "truncated zip", ("1.0", "rules-a"))
    assert store.known_failures("1.0", "rules-a") == {"f" * 64: ("error", "truncated zip")}
    assert store.known_failures("1.1", "rules-a") == {} and store.known_failures("1.0", "rules-b") == {}
    store.record_app(1, "x.apk", {**raider, "input": {**raider["input"], "sha256": "f" * 64}}, {}, "{}", 0.1)
    assert store.known_failures("1.0", "rules-a") == {}, "scanned after all (e.g. a fixed reader): forgotten"
    store.close()


def test_a_version_1_store_is_migrated_in_place(tmp_path: Path) -> None:
    """tests/data/store-v1.sqlite.gz was written by apkscan before report_files existed (schema version 1): one app
    with HTML and JSON reports, a skipped file and a failed one."""
    (tmp_path / "apkscan.sqlite").write_bytes(gzip.decompress((DATA / "store-v1.sqlite.gz").read_bytes()))
    with sqlite3.connect(tmp_path / "apkscan.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        old = conn.execute(
            "SELECT sha256, html_report, json_report, apkscan_version, rules_sha256, options_key FROM apps"
        )
        [(sha, html, json_name, version, rules, key)] = old.fetchall()
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("files", "permissions", "scans")}
    conn.close()
    store = Store(tmp_path)
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    columns = {r["name"] for r in conn.execute("PRAGMA table_info(apps)")}
    assert "html_report" not in columns and "json_report" not in columns
    assert "executor" in {r["name"] for r in conn.execute("PRAGMA table_info(scans)")}
    assert store.done_keys(version, rules, key) == {sha: {"html": html, "json": json_name}}
    assert {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in counts} == counts, "history kept"
    [app] = load_view(conn, 1).apps
    assert (app.html_report, app.json_report) == (html, json_name)
    store.close()
    Store(tmp_path).close()  # opening a migrated store again changes nothing


def test_a_version_2_store_gains_the_web_tables_and_keeps_everything(tmp_path: Path) -> None:
    """tests/data/store-v2.sqlite.gz was written by ``apkscan batch`` before ``apkscan serve`` existed (schema
    version 2): one scanned app and one truncated zip. Version 3 adds ``uploads`` and ``complaints``, version 4
    the lender columns of ``apps`` and ``families``."""
    (tmp_path / "apkscan.sqlite").write_bytes(gzip.decompress((DATA / "store-v2.sqlite.gz").read_bytes()))
    tables = ("scans", "files", "apps", "report_files", "permissions", "findings", "errors", "input_failures")
    with sqlite3.connect(tmp_path / "apkscan.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in tables}
        before = {t: conn.execute(f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
        assert "uploads" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    store = Store(tmp_path)
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    after = {
        t: [tuple(r) for r in conn.execute(f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY 1, 2")] for t in tables
    }
    assert after == before, "every column a version-2 store had keeps its values"
    uploads = {r["name"] for r in conn.execute("PRAGMA table_info(uploads)")}
    assert {"id", "sha256", "status", "expires_at", "report", "options_key"} <= uploads
    assert {"id", "upload_id", "status", "files"} <= {r["name"] for r in conn.execute("PRAGMA table_info(complaints)")}
    sha = before["apps"][0][0]
    conn.execute(
        "INSERT INTO uploads (id, sha256, size, status, apkscan_version, rules_sha256, options_key, created_at,"
        " expires_at) VALUES ('u1', ?, 1, 'queued', 'v', 'r', '{}', 't', 't')",
        (sha,),
    )
    conn.execute(
        "INSERT INTO complaints (id, upload_id, status, lang, request, created_at) VALUES ('c1', 'u1', 'queued',"
        " 'en', '{}', 't')"
    )
    conn.execute("DELETE FROM uploads WHERE id = 'u1'")
    assert conn.execute("SELECT count(*) FROM complaints").fetchone()[0] == 0, "a deleted upload takes its complaints"
    store.close()
    Store(tmp_path).close()  # opening a migrated store again changes nothing


def test_a_version_3_store_gains_the_lender_columns_and_families(tmp_path: Path, raider: dict) -> None:
    """A version-3 store is this schema without what version 4 added (apps.lending…, families); it is made here by
    taking those away from a fresh store holding one app."""
    _store_with(tmp_path, raider).close()
    scan = 1
    with sqlite3.connect(tmp_path / "apkscan.sqlite") as conn:
        for name, _ in V4_APP_COLUMNS:
            conn.execute(f"ALTER TABLE apps DROP COLUMN {name}")
        conn.execute("DROP TABLE families")
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    store = Store(tmp_path)
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert {n for n, _ in V4_APP_COLUMNS} <= {r["name"] for r in conn.execute("PRAGMA table_info(apps)")}
    [(lending, sketch)] = conn.execute("SELECT lending, family_sketch FROM apps").fetchall()
    assert lending is None and sketch is None, "apps scanned before keep NULL: their rows were not rescanned"
    conn.execute(
        "INSERT INTO families (scan_id, app_sha256, family) VALUES (?, ?, 'family-x')",
        (scan, raider["input"]["sha256"]),
    )
    [app] = load_view(conn, scan).apps
    assert app.package == raider["app"]["package"] and app.family == "family-x"
    store.close()
    Store(tmp_path).close()


def test_a_failed_migration_leaves_the_old_store(tmp_path: Path) -> None:
    (tmp_path / "apkscan.sqlite").write_bytes(gzip.decompress((DATA / "store-v1.sqlite.gz").read_bytes()))
    with sqlite3.connect(tmp_path / "apkscan.sqlite") as conn:
        conn.execute("CREATE TABLE report_files (x)")  # in the way of the migration
    conn.close()
    with pytest.raises(StoreError):
        Store(tmp_path)
    with sqlite3.connect(tmp_path / "apkscan.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "html_report" in {r[1] for r in conn.execute("PRAGMA table_info(apps)")}
    conn.close()


def test_one_batch_at_a_time_per_outdir(tmp_path: Path) -> None:
    with OutdirLock(tmp_path):
        with pytest.raises(BusyError, match="in use by another apkscan batch"):
            with OutdirLock(tmp_path):
                pass
    with OutdirLock(tmp_path):  # released when the first run ends
        pass
