"""One vocabulary across the data files, citations a user can check from what apkscan ships, and a data README
that says what the loaders accept.

The packaged files are read as shipped: a category, id or interface key spelled differently in two places, a
citation nobody uses, or a reference to a document outside the repository fails here.
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from apkscan.knowledge import datadoc
from apkscan.knowledge.rules import load_rules, policy_finding_rules
from apkscan.knowledge.ui import load_ui
from apkscan.model import vocab
from apkscan.model.vocab import CATEGORIES, POLICY_FINDING_KINDS, SEVERITY_ORDER, VERIFICATION
from tests.conftest import ROOT

DATA = ROOT / "apkscan" / "data"
RANK = {tag: i for i, tag in enumerate(reversed(VERIFICATION))}  # memory < secondary < verified


def rules_doc() -> dict:
    return tomllib.loads((DATA / "rules.toml").read_text("utf-8"))


# ------------------------------------------------------------------------------------------------ citations


def test_every_note_is_written_once() -> None:
    doc = rules_doc()
    texts = [c["note_en"] for c in doc["citations"].values() if "note_en" in c]
    texts += [n["en"] for n in doc["notes"].values()]
    repeated = {t for t in texts if texts.count(t) > 1}
    assert not repeated


def test_every_citation_note_and_source_is_used() -> None:
    doc = rules_doc()
    cited = [i for p in doc["permissions"].values() for i in p.get("references", []) if isinstance(i, str)]
    cited += [i for f in doc["policy_findings"].values() for i in f["references"]]
    assert set(doc["citations"]) == set(cited)
    assert set(doc["notes"]) == {c["note"] for c in doc["citations"].values() if "note" in c}
    unused = set(doc["sources"]) - {c["source"] for c in doc["citations"].values()}
    assert unused == {"ng-deon-2025"}  # listed for reference: no permission rests on it yet


def test_policy_findings_cite_data_with_severities() -> None:
    findings = policy_finding_rules()
    assert tuple(findings) == POLICY_FINDING_KINDS
    table = load_rules()
    for kind, finding in findings.items():
        assert finding.severity in SEVERITY_ORDER and finding.references, kind
        for ref in finding.references:
            source = table.sources[ref.source_id]
            assert ref.title == source.title and ref.note.en and ref.note.zh
            assert RANK[ref.verification] <= RANK[source.verification], (kind, ref.source_id)
    undisclosed = findings["undisclosed"]
    assert undisclosed.severity_for("prohibited") == "high" and undisclosed.severity_for("needed") == "info"
    assert findings["contradiction"].severity_for() == "critical"
    debt = {ref.source_id: ref.verification for ref in findings["contacts_debt_collection"].references}
    assert debt == {
        "cn-gbt-45251-2025": "verified",
        "ke-dcp-2022": "secondary",
        "ph-sec-mc18-2019": "secondary",
        "ng-cbn-cp-2024": "secondary",
    }


def test_a_user_table_without_policy_findings_gets_the_packaged_ones(tmp_path) -> None:
    text = (DATA / "rules.toml").read_text("utf-8")
    start = text.index("# ------------------------------ policy findings")
    end = text.index("[citations.play-user-data-disclosure]")
    path = tmp_path / "rules.toml"
    path.write_text(text[:start] + text[end:], "utf-8")
    table = load_rules(path)
    assert table.policy_findings == {}
    assert policy_finding_rules(table) == policy_finding_rules()


def test_every_source_says_where_and_when_it_can_be_checked() -> None:
    for source in load_rules().sources.values():
        assert source.title.en and source.title.zh and source.verification in VERIFICATION
        assert source.url.startswith("https://") or not source.url
        assert source.cite_as().en and source.cite_as().zh


@pytest.mark.parametrize("folder", ["apkscan", "tests"])
def test_nothing_cites_a_document_apkscan_does_not_ship(folder: str) -> None:
    banned = re.compile(r"fact[ -]sheet|regulations\.md|\.\./shared|shared/reference", re.I)
    for path in sorted((ROOT / folder).rglob("*")):
        if path.suffix in {".py", ".toml", ".md", ".j2"} and path.name != "test_data_vocabulary.py":
            assert not banned.search(path.read_text("utf-8")), path


# ------------------------------------------------------------------------------------------------ one vocabulary


def test_category_names_live_in_the_rule_table_only() -> None:
    lexicon = tomllib.loads((DATA / "policy_lexicon.toml").read_text("utf-8"))
    assert not any(k.startswith("label") for c in lexicon["categories"].values() for k in c)
    table = load_rules()
    assert tuple(table.categories) == CATEGORIES


def test_ui_names_cover_the_ids_of_the_lexicon() -> None:
    ui = load_ui()
    lexicon = tomllib.loads((DATA / "policy_lexicon.toml").read_text("utf-8"))
    assert set(ui["purpose"]) == set(lexicon["purposes"])
    assert set(ui["recipient"]) == set(lexicon["recipients"])
    assert set(ui["noun"]) == set(CATEGORIES)


def test_one_spelling_of_verification_tags_in_every_data_file() -> None:
    tags = set()
    for name in ("rules.toml", "sdks.toml", "packers.toml"):
        tags |= set(re.findall(r'^verification = "([^"]*)"', (DATA / name).read_text("utf-8"), re.M))
    assert tags <= set(VERIFICATION) and "verified" in tags
    assert not re.search(r"^tag = ", (DATA / "policy_lexicon.toml").read_text("utf-8"), re.M)


REPORT_ENUMS = {  # the JSON Schema of the report restates these vocabularies; they must stay equal
    "/properties/lang": vocab.LANGUAGES,
    "/properties/summary/properties/risk": vocab.RISK_ORDER,
    "/properties/summary/properties/categories/additionalProperties": tuple(vocab.VERDICT_RANK),
    "/properties/permissions/items/properties/verdict": tuple(vocab.VERDICT_RANK),
    "/properties/permissions/items/properties/severity": SEVERITY_ORDER,
    "/properties/permissions/items/properties/code_status": ("", *vocab.CODE_STATUSES),
    "/properties/findings/items/properties/severity": SEVERITY_ORDER,
    "/properties/code/anyOf/1/properties/strings/items/properties/kind": vocab.STRING_KINDS,
    "/properties/code/anyOf/1/properties/dex_files/items/properties/parser": vocab.DEX_PARSERS,
    "/properties/policy/anyOf/1/properties/categories/additionalProperties/properties/status": vocab.POLICY_STATUSES,
    "/$defs/reference/properties/verification": VERIFICATION,
}


@pytest.mark.parametrize("pointer", sorted(REPORT_ENUMS))
def test_report_schema_enums_are_the_shared_vocabularies(pointer: str) -> None:
    node = json.loads((DATA / "schema" / "report-1.schema.json").read_text("utf-8"))
    for part in pointer.strip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    assert set(node["enum"]) == set(REPORT_ENUMS[pointer])


_UI_KEY = re.compile(r"""\b(?:t|Message)\(\s*["']([a-z_]+(?:\.[a-z0-9_-]+)+)["']""")
_UI_SECTION = re.compile(r"""\b(?:name_of|named)\(\s*["']([a-z_]+)["']""")


def _has(catalogue: dict, key: str) -> bool:
    node = catalogue
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return isinstance(node, dict) and "en" in node


def test_every_interface_key_the_code_uses_exists() -> None:
    ui = load_ui()
    used, sections = set(), set()
    for path in sorted((ROOT / "apkscan").rglob("*")):
        if path.suffix in {".py", ".j2"}:
            text = path.read_text("utf-8")
            used |= set(_UI_KEY.findall(text))
            sections |= set(_UI_SECTION.findall(text))
    assert len(used) > 50
    # a key ending in "_" or "." is the start of a key built in code ('batch.status_' ~ status): not checked here
    missing = sorted(key for key in used if not key.endswith(("_", ".")) and not _has(ui, key))
    assert not missing
    assert sections <= set(ui)


# ------------------------------------------------------------------------------------------------ the data README


def test_data_readme_matches_the_specs_and_the_sources() -> None:
    text = datadoc.README.read_text("utf-8")
    assert "<!-- generated:schema -->" in text and "<!-- generated:sources -->" in text
    assert datadoc.render(text) == text, "run: python -m apkscan.knowledge.datadoc"


def test_data_readme_documents_every_key_of_every_file() -> None:
    text = datadoc.README.read_text("utf-8")
    for name in ("rules.toml", "advice.toml", "apis.toml", "sdks.toml", "packers.toml", "policy_lexicon.toml"):
        assert f"#### `{name}`" in text
    for key in ("`severity_by_verdict`", "`harvests`", "`fixture`", "`non_necessary`", "`short_en`"):
        assert key in text
