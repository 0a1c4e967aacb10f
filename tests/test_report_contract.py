"""The JSON report is a contract: it matches its shipped schema, reads back into the same report, and one scan can
be written again in the other language without rescanning."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from apkscan.api import scan_file
from apkscan.model import ScanOptions
from apkscan.read.errors import InputError
from apkscan.read.report_json import load_report, report_from_dict
from apkscan.render.formats.report_html import render_html
from apkscan.render.formats.report_json import report_dict
from apkscan.render.schema_doc import markdown_table
from tests.conftest import ROOT, SAMPLES
from tests.contract import report_errors

UNREADABLE = {"broken-truncated.apk"}  # no report to check: its one-line error is tested in test_cli.py
SAMPLE_FILES = sorted(
    p.name for p in SAMPLES.iterdir() if p.suffix in (".apk", ".xapk", ".apks", ".bin") and p.name not in UNREADABLE
)


def scan_or_none(name: str, lang: str = "en"):
    try:
        return scan_file(SAMPLES / name, ScanOptions(lang=lang))
    except InputError:
        return None  # broken-truncated.apk: no report to check


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_report_matches_the_strict_schema(name: str):
    report = scan_or_none(name)
    assert report is not None, f"{name} should give a report"
    for lang in ("en", "zh"):
        assert report_errors(json.loads(json.dumps(report_dict(report, lang)))) == []


@pytest.mark.parametrize("name", ["contact-raider.apk", "legacy-caps.apk", "packed-jiagu.apk", "quickcash-bundle.xapk"])
def test_a_report_reads_back_into_the_same_report(name: str):
    report = scan_or_none(name, "zh")
    assert report is not None
    written = json.loads(json.dumps(report_dict(report)))
    again = report_from_dict(written)
    assert again == report
    assert report_dict(again) == written


def test_a_chinese_scan_is_written_again_in_english_without_rescanning(tmp_path):
    zh = scan_file(SAMPLES / "contact-raider.apk", ScanOptions(lang="zh"))
    en = scan_file(SAMPLES / "contact-raider.apk", ScanOptions(lang="en"))
    path = tmp_path / "zh.json"
    path.write_text(json.dumps(report_dict(zh), ensure_ascii=False), encoding="utf-8")
    loaded = load_report(path)
    from_zh, direct = report_dict(loaded, "en"), report_dict(en, "en")
    for key in ("summary", "permissions", "findings"):
        assert from_zh[key] == direct[key], key
    titles = " ".join(f["title"] for f in from_zh["findings"]) + from_zh["summary"]["headline"]
    assert not re.search(r"[\u4e00-\u9fff]", titles.replace("爆通讯录", ""))
    from apkscan.knowledge.rules import load_rules

    html = render_html(loaded, load_rules(), "en")
    assert "Contact-harassment capability" in html and 'lang="en"' in html


def test_a_report_from_before_the_i18n_fields_still_loads(tmp_path):
    report = scan_file(SAMPLES / "contact-raider.apk", ScanOptions(lang="zh"))
    old = report_dict(report)

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if not k.endswith("_i18n") and k not in ("source_id",)}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    legacy = strip(old)
    loaded = report_from_dict(legacy)
    assert report_dict(loaded, "zh")["summary"]["headline"] == old["summary"]["headline"]
    assert report_dict(loaded, "en")["findings"][0]["title"] == old["findings"][0]["title"]  # kept as written


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON"),
        (b'{"schema": "other/1"}', "not an apkscan.report/1"),
        (b"[1, 2]", "not an apkscan.report/1"),
        (b'{"schema": "apkscan.report/1", "tool": {}}', "invalid apkscan.report/1 report"),
        (b"\xff\xfe\x00garbage", "not JSON"),
    ],
)
def test_what_is_not_a_report_is_refused_in_one_line(tmp_path, content: bytes, message: str):
    path = tmp_path / "x.not-a-report"  # not *.json: the session-end schema check looks only at real reports
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_report(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_readme_table_is_generated_from_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table("report") in readme


def test_schema_command_prints_the_shipped_schema():
    out = subprocess.run([sys.executable, "-m", "apkscan", "schema"], capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    assert doc["title"] == "apkscan.report/1" and "findings" in doc["properties"]
    table = subprocess.run(
        [sys.executable, "-m", "apkscan", "schema", "--markdown"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^\| `findings` \|", table, re.M)
