"""Batch outputs are rewritten when anything they show changed, and left alone on an unchanged resume."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from apkscan.cli import main
from tests.conftest import sample


def run(folder, out):
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(out), "--jobs", "1", "--lang", "en"])
    assert result.exit_code == 0, result.output
    return result


def test_unchanged_resume_keeps_outputs_and_a_new_file_refreshes_them(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(sample("fair-lender.apk"), folder)
    run(folder, out)
    index = out / "index.html"
    first = index.stat().st_mtime_ns
    assert "already scanned" in run(folder, out).output.splitlines()[-1]
    assert index.stat().st_mtime_ns == first
    shutil.copy(sample("contact-raider.apk"), folder)
    run(folder, out)
    assert "com.example.quickcash" in index.read_text(encoding="utf-8")
    (folder / "fair-lender.apk").unlink()
    run(folder, out)
    assert "com.example.fairlender" not in (out / "summary.csv").read_text(encoding="utf-8")


def test_deleted_output_is_rebuilt_on_resume(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(sample("fair-lender.apk"), folder)
    run(folder, out)
    (out / "summary.csv").unlink()
    run(folder, out)
    assert "com.example.fairlender" in (out / "summary.csv").read_text(encoding="utf-8")


def test_broken_rule_table_is_a_usage_error_even_though_rules_load_lazily(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(sample("fair-lender.apk"), folder)
    bad = tmp_path / "rules.toml"
    bad.write_text("[meta]\nname = 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(out), "--rules", str(bad)])
    assert result.exit_code == 2 and "rules.toml" in result.output


def test_resume_with_a_user_rule_table_rescans_when_the_table_changes(tmp_path):
    from apkscan.knowledge.rules import default_rules_path

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(sample("fair-lender.apk"), folder)
    rules = tmp_path / "rules.toml"
    rules.write_bytes(default_rules_path().read_bytes())
    args = ["batch", str(folder), "-o", str(out), "--rules", str(rules), "--jobs", "1"]
    assert "1 scanned" in CliRunner().invoke(main, args).output
    assert "0 scanned" in CliRunner().invoke(main, args).output
    rules.write_bytes(rules.read_bytes() + b"\n# edited\n")
    assert "1 scanned" in CliRunner().invoke(main, args).output
