"""apkscan diff: what changed between two versions (permissions, code, SDKs, endpoints, policy, findings, signer)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from apkscan.cli import main
from apkscan.diff import HEADLINES, SIGNER_RELATIONS, diff_reports
from apkscan.extract.signing_block import rotation_lineage
from apkscan.knowledge.packaged import json_schema as schema
from apkscan.model.policy import CategoryStatement, Quote
from apkscan.render.formats.diff_json import diff_dict
from apkscan.render.i18n import say
from tests.conftest import sample
from tests.contract import _strict
from tests.lender_common import report

SAMPLE_CERT = "95a87282e7c890c142a09bd2f0949cf59460e96fd22fb65c4514c7866e2f9447"


def strict(doc: dict) -> list[str]:
    validator = Draft202012Validator(_strict(copy.deepcopy(schema("diff"))))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(doc)]


def test_rotated_key_lineage_is_read_from_the_v3_block_into_the_report() -> None:
    got = rotation_lineage(sample("raider-v2.apk").read_bytes())
    assert got[0] == SAMPLE_CERT and len(got) == 2
    app = report("raider-v2.apk").app
    assert app is not None and app.signer_lineage == got
    assert {s.sha256 for s in app.signers} == set(got)  # two certificates, one signer's old and new key
    assert report("contact-raider.apk").app.signer_lineage == ()


def test_update_with_new_data_sdk_endpoint_and_rotated_key() -> None:
    d = diff_reports(report("contact-raider.apk"), report("raider-v2.apk"))
    assert (d.old.version_name, d.old.version_code, d.new.version_name, d.new.version_code) == (
        "3.1.4",
        "314",
        "3.2.0",
        "315",
    )
    assert d.signer.relation == "rotated" and d.signer.old == (SAMPLE_CERT,) and d.signer.lineage[0] == SAMPLE_CERT
    assert [p.name for p in d.permissions_added] == ["android.permission.READ_CALENDAR"]
    assert d.permissions_added[0].verdict and not d.permissions_removed
    assert d.categories_read_added == ("calendar",) and not d.categories_read_removed
    assert [s.id for s in d.sdks_added] == ["facefake_fixture"]
    assert d.endpoints_added == ("https://api.quickcash-loan.example/v2/calendar/upload",)
    assert "over-collection:calendar" in {f.id for f in d.findings_added} and not d.findings_resolved
    assert d.headline.key == "diff.reads_new_data"
    assert say(d.headline, "en") == "This update added reading your calendar."
    assert say(d.headline, "zh") == "这次更新新增读取你的日历。"


def test_without_the_lineage_the_new_key_is_a_new_signer() -> None:
    new = report("raider-v2.apk")
    stripped = replace(new, app=replace(new.app, signer_lineage=()))
    d = diff_reports(report("contact-raider.apk"), stripped)
    assert d.signer.relation == "new_key"


def test_going_back_is_reported_as_resolved_and_as_the_older_key_of_the_lineage() -> None:
    d = diff_reports(report("raider-v2.apk"), report("contact-raider.apk"))
    assert d.signer.relation == "rotated"
    assert d.categories_read_removed == ("calendar",) and [s.id for s in d.sdks_removed] == ["facefake_fixture"]
    assert d.headline.key == "diff.fewer_findings"


def test_same_report_changes_nothing() -> None:
    d = diff_reports(report("contact-raider.apk"), report("contact-raider.apk"))
    assert d.signer.relation == "same" and d.headline.key == "diff.no_privacy_change"
    assert not (d.permissions_added or d.findings_added or d.policy_changes or d.endpoints_added)


def test_a_reskin_is_another_app() -> None:
    d = diff_reports(report("contact-raider.apk"), report("reskin-raider.apk"))
    assert d.headline.key == "diff.different_apps" and d.signer.relation == "new_key"


def test_policy_status_changes_with_quotes() -> None:
    old = report("contact-raider.apk")
    analysis = old.policy.analysis
    quote = Quote("我们会读取您的短信。", "", "policy", 0)
    categories = {**analysis.categories, "sms": CategoryStatement("sms", "collects", (), (quote,))}
    new = replace(old, policy=replace(old.policy, analysis=replace(analysis, categories=categories)))
    (change,) = diff_reports(old, new).policy_changes
    assert (change.category, change.old, change.new, change.quotes) == ("sms", "denies", "collects", (quote.sentence,))


def test_unsigned_or_empty_reports_never_crash() -> None:
    old = report("contact-raider.apk")
    bare = replace(old, app=None, code=None, policy=None, findings=(), permissions=())
    d = diff_reports(bare, old)
    assert d.signer.relation == "unknown" and d.headline.key.split(".")[1] in HEADLINES


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_json_diff_matches_its_strict_schema(lang: str) -> None:
    doc = json.loads(json.dumps(diff_dict(diff_reports(report("contact-raider.apk"), report("raider-v2.apk")), lang)))
    assert strict(doc) == []
    assert doc["schema"] == "apkscan.diff/1" and doc["signer"]["relation"] in SIGNER_RELATIONS
    assert doc["headline_i18n"]["key"] == "diff.reads_new_data"


@pytest.mark.parametrize(
    ("lang", "headline", "rotated"),
    [("en", "added reading your calendar", "Key rotated"), ("zh", "新增读取你的日历", "密钥轮换")],
)
def test_cli_writes_html_and_json_in_either_language(tmp_path, lang: str, headline: str, rotated: str) -> None:
    result = CliRunner().invoke(
        main,
        ["diff", str(sample("contact-raider.apk")), str(sample("raider-v2.apk")), "-o", str(tmp_path), "--lang", lang],
    )
    assert result.exit_code == 0, result.output
    html = next(tmp_path.glob("*-diff.html")).read_text(encoding="utf-8")
    doc = json.loads(next(tmp_path.glob("*-diff.json")).read_text(encoding="utf-8"))
    assert headline in html and rotated in html and "READ_CALENDAR" in html and "calendar/upload" in html
    assert doc["lang"] == lang and strict(doc) == [] and headline in doc["headline"]
    assert doc["signer"]["lineage"][0] == SAMPLE_CERT and len(doc["signer"]["lineage"]) == 2


def test_cli_reads_json_reports_too(tmp_path) -> None:
    runner = CliRunner()
    for name in ("contact-raider.apk", "raider-v2.apk"):
        assert (
            runner.invoke(main, ["scan", str(sample(name)), "-o", str(tmp_path / "r"), "--format", "json"]).exit_code
            == 0
        )
    old, new = sorted((tmp_path / "r").glob("*.json"), key=lambda p: "2bb18621" in p.name)
    result = runner.invoke(
        main, ["diff", str(old), str(new), "-o", str(tmp_path / "d"), "--format", "json", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(next((tmp_path / "d").glob("*.json")).read_text(encoding="utf-8"))
    assert doc["signer"]["relation"] == "rotated" and doc["categories_read_added"] == ["calendar"]


def test_cli_refuses_what_is_not_an_app_in_one_line(tmp_path) -> None:
    junk = tmp_path / "x.apk"
    junk.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["diff", str(junk), str(sample("raider-v2.apk")), "-o", str(tmp_path)])
    assert result.exit_code == 3 and "error" in result.output


def test_schema_command_prints_the_diff_schema() -> None:
    result = CliRunner().invoke(main, ["schema", "diff"])
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "apkscan.diff/1"


def test_readme_table_is_generated_from_the_diff_schema() -> None:
    from apkscan.render.schema_doc import markdown_table
    from tests.conftest import ROOT

    assert markdown_table("diff") in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Key rotation: these certificates are one"), ("zh", "同一签名方的新旧密钥")]
)
def test_the_report_presents_a_rotated_key_as_one_lineage(lang: str, words: str) -> None:
    from apkscan.render.registry import RenderContext, renderer

    html = renderer("report", "html").render(report("raider-v2.apk"), RenderContext(lang)).decode("utf-8")
    assert words in html and html.index(SAMPLE_CERT, html.index(words)) > 0
    plain = renderer("report", "html").render(report("contact-raider.apk"), RenderContext(lang)).decode("utf-8")
    assert words not in plain


def test_hostile_names_are_escaped_in_the_html_diff() -> None:
    from apkscan.render.registry import RenderContext, renderer

    old = report("contact-raider.apk")
    evil = "<script>alert(1)</script>\x00\u202e"
    new = replace(report("raider-v2.apk"), app=replace(report("raider-v2.apk").app, label=evil, version_name=evil))
    html = renderer("diff", "html").render(diff_reports(old, new), RenderContext("en")).decode("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
