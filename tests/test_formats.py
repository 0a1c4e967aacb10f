"""Report formats behind the registry: each is one module, found by name, written atomically inside OUTDIR."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sarif import loader

from apkscan.api import scan_file
from apkscan.model import ScanOptions
from apkscan.render.formats.report_md import md
from apkscan.render.i18n import say
from apkscan.render.output import safe_target, write_reports
from apkscan.render.registry import FormatError, formats, renderer
from tests.conftest import sample


@pytest.fixture(scope="module")
def raider():
    return scan_file(sample("contact-raider.apk"), ScanOptions(lang="en"))


def test_the_registry_finds_every_report_format_by_module_name():
    assert {"html", "json", "md", "sarif"} <= set(formats("report"))
    assert renderer("report", "md").suffix == ".md"
    with pytest.raises(FormatError, match="no 'docx' format"):
        renderer("report", "docx")


def test_unknown_format_on_the_command_line_is_a_usage_error(tmp_path: Path):
    cmd = [
        sys.executable,
        "-m",
        "apkscan",
        "scan",
        str(sample("fair-lender.apk")),
        "-o",
        str(tmp_path),
        "--format",
        "docx",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 2 and "docx" in proc.stderr and not list(tmp_path.iterdir())


def test_every_format_is_written_atomically_inside_outdir(tmp_path: Path, raider):
    written = write_reports(raider, tmp_path, formats("report"))
    assert sorted(p.suffix for p in written) == sorted(renderer("report", f).suffix for f in formats("report"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)  # no temporary files left
    with pytest.raises(ValueError, match="outside"):
        safe_target(tmp_path, "../escape.html")


def test_markdown_escapes_hostile_labels_and_keeps_the_findings(tmp_path: Path):
    report = scan_file(sample("legacy-caps.apk"), ScanOptions(lang="en"))
    text = renderer("report", "md").render(report, _ctx("en")).decode()
    assert "<script>" not in text and r"\<script\>" in text
    for finding in report.findings:
        assert md(say(finding.title, "en")) in text
    zh = renderer("report", "md").render(report, _ctx("zh")).decode()
    assert "调试证书" in zh


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("[click](javascript:x)", r"\[click\](javascript:x)"),
        ("# title", r"\# title"),
        ("1. item", r"1\. item"),
        ("a\nb", "a b"),
        ("- x", r"\- x"),
        ("`code`", r"\`code\`"),
    ],
)
def test_md_shows_values_literally(value: str, shown: str):
    assert md(value) == shown


def test_sarif_is_read_by_a_sarif_consumer(tmp_path: Path, raider):
    path = write_reports(raider, tmp_path, ("sarif",))[0]
    sarif = loader.load_sarif_file(str(path))
    assert sarif.get_distinct_tool_names() == ["apkscan"]
    assert sarif.get_result_count() == len(raider.findings)
    records = sarif.get_records()
    assert {r["Code"] for r in records} == {f.id.split(":")[0] for f in raider.findings}
    doc = json.loads(path.read_text(encoding="utf-8"))
    results = doc["runs"][0]["results"]
    harassment = next(r for r in results if r["ruleId"] == "contact-harassment")
    assert harassment["level"] == "error"
    callers = {loc["fullyQualifiedName"] for loc in harassment["locations"][0]["logicalLocations"]}
    assert any("ContactsCollector.collect" in c for c in callers)
    rule_ids = {r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rule_ids


def _ctx(lang: str):
    from apkscan.render.registry import RenderContext

    return RenderContext(lang)
