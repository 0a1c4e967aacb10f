"""The command line, run for real: exit codes, error lines, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from apkscan import __version__
from apkscan.cli import main
from tests.conftest import sample


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_scan_writes_html_and_json_named_after_package_and_hash(tmp_path):
    result = run("scan", str(sample("contact-raider.apk")), "-o", str(tmp_path), "--lang", "en")
    assert result.exit_code == 0, result.output
    outputs = sorted(p.name for p in tmp_path.iterdir())
    sha = json.loads((tmp_path / outputs[1]).read_text())["input"]["sha256"]
    assert outputs == [f"com.example.quickcash-{sha[:12]}.html", f"com.example.quickcash-{sha[:12]}.json"]
    assert "critical risk" in result.output


def test_format_option_limits_outputs(tmp_path):
    result = run("scan", str(sample("fair-lender.apk")), "-o", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert [p.suffix for p in tmp_path.iterdir()] == [".json"]


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 1), ("high", 1), (None, 0)])
def test_fail_on_sets_exit_code_1_only_when_reached(tmp_path, fail_on, code):
    args = ["scan", str(sample("contact-raider.apk")), "-o", str(tmp_path)]
    result = run(*args, *(["--fail-on", fail_on] if fail_on else []))
    assert result.exit_code == code


def test_fail_on_not_reached_by_a_clean_lender(tmp_path):
    result = run("scan", str(sample("fair-lender.apk")), "-o", str(tmp_path), "--fail-on", "high")
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "key",
    [
        "truncated",
        "not a zip",
        "empty zip",
        "without AndroidManifest.xml",
        "raw DEX",
        "empty file",
        "could not be decoded",
        "<manifest>",
    ],
)
def test_bad_input_exits_3_with_one_clear_line_and_no_traceback(bad_inputs, tmp_path, key):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "apkscan", "scan", str(bad_inputs[key]), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert str(bad_inputs[key]) in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_usage_errors_exit_2(tmp_path):
    assert run("scan", str(sample("fair-lender.apk")), "--format", "docx").exit_code == 2
    assert run("scan", str(sample("fair-lender.apk")), "--jurisdiction", "mars").exit_code == 2
    assert run("scan").exit_code == 2
    bad_rules = tmp_path / "rules.toml"
    bad_rules.write_text("[meta\n")
    result = run("scan", str(sample("fair-lender.apk")), "--rules", str(bad_rules), "-o", str(tmp_path))
    assert result.exit_code == 2 and "rules.toml" in result.output


def test_rules_command_filters(tmp_path):
    result = run("rules", "--category", "contacts", "--verdict", "prohibited", "--lang", "en")
    assert result.exit_code == 0
    lines = [ln for ln in result.output.splitlines() if ln.startswith("android.permission.")]
    assert lines and all("\tcontacts\tprohibited\t" in ln for ln in lines)
    assert any(ln.startswith("android.permission.READ_CONTACTS\t") for ln in lines)
    kenya = run("rules", "--jurisdiction", "ke").output
    assert "READ_CONTACTS" in kenya and "android.permission.INTERNET\t" not in kenya


def test_never_writes_outside_outdir(tmp_path):
    outdir = tmp_path / "nested" / "out"
    result = run("scan", str(sample("legacy-caps.apk")), "-o", str(outdir))
    assert result.exit_code == 0
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert written and all(outdir in p.parents for p in written)


def test_default_lang_follows_locale(tmp_path):
    env = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    result = CliRunner(env=env).invoke(
        main, ["scan", str(sample("fair-lender.apk")), "-o", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0
    report = json.loads(next(Path(tmp_path).glob("*.json")).read_text())
    assert report["lang"] == "zh"
