"""A batch of a mixed folder knows its lenders: lending column and filter, figures over lenders, code families with
the signing keys they span, and "what changed" entries for apps that share a package across versions."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from apkscan.batch.families import group_run
from apkscan.cli import main
from tests.conftest import sample

FOLDER = (
    "contact-raider.apk",
    "reskin-raider.apk",
    "raider-v2.apk",
    "rupee-now.apk",
    "backup-cleaner.apk",
    "bt-caller-id.apk",
    "bt-volume.apk",
    "notes-app.apk",
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src, out = tmp_path_factory.mktemp("in"), tmp_path_factory.mktemp("out")
    for name in FOLDER:
        shutil.copy(sample(name), src / name)
    result = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--lang", "en", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return out


def rows(out: Path) -> dict[str, dict[str, str]]:
    text = (out / "summary.csv").read_text(encoding="utf-8")
    return {r["path"]: r for r in csv.DictReader(io.StringIO(text))}


def test_summary_csv_has_the_lending_harvest_and_family_columns(out: Path) -> None:
    got = rows(out)
    assert {p: r["lending"] for p, r in got.items()} == {
        "contact-raider.apk": "yes",
        "reskin-raider.apk": "yes",
        "raider-v2.apk": "yes",
        "rupee-now.apk": "yes",
        "backup-cleaner.apk": "no",
        "bt-caller-id.apk": "no",
        "bt-volume.apk": "no",
        "notes-app.apk": "no",
    }
    assert got["bt-caller-id.apk"]["harvest"] == "looks_up" and got["contact-raider.apk"]["harvest"] == "harvests"
    family = {p: r["family"] for p, r in got.items()}
    assert family["contact-raider.apk"] == family["reskin-raider.apk"] == family["raider-v2.apk"]
    others = [family[p] for p in FOLDER[3:]]
    assert len(set(others)) == len(others) and family["contact-raider.apk"] not in others  # SDK sharer stays apart


def test_the_store_keeps_each_runs_families(out: Path) -> None:
    with sqlite3.connect(out / "apkscan.sqlite") as conn:
        families = dict(conn.execute("SELECT app_sha256, family FROM families"))
        assert len(families) == len(FOLDER) and len(set(families.values())) == len(FOLDER) - 2
        again = group_run(conn, 1)
        assert again == families, "grouping is deterministic"
        lending = dict(conn.execute("SELECT package, lending FROM apps"))
        assert lending["com.example.bluetalk"] == "no"
    conn.close()


def test_results_jsonl_carries_the_family_id(out: Path) -> None:
    import json

    lines = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    by_path = rows(out)
    for doc in lines:
        path = next(p for p, r in by_path.items() if r["sha256"] == doc["input"]["sha256"])
        assert doc["family"]["id"] == by_path[path]["family"]


def test_index_shows_lenders_families_and_what_changed(out: Path) -> None:
    html = (out / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert 'id="lending-filter"' in html and 'data-lending="no"' in html and 'data-lending="yes"' in html
    assert "4 apps look like lending apps" in text
    assert "The figures count the 4 lending apps only" in text
    families = html[html.index('<section id="families">') : html.index('<section id="changes">')]
    assert "spans 2 signing keys" in families  # the re-skin's key, and sample's key rotated into v2's: one lineage
    for package in ("com.example.quickcash", "id.kilatdana.app"):
        assert package in families
    assert "Kilat Dana" in families and "com.example.rupeenow" not in families
    changes = html[html.index('<section id="changes">') : html.index('<section id="groups">')]
    assert "This update added reading your calendar." in changes and "Key rotated" in changes
    assert "READ_CALENDAR" in changes


def test_figures_count_lenders_only(out: Path) -> None:
    html = (out / "index.html").read_text(encoding="utf-8")
    figure = re.search(r'data-category="contacts">.*?<span class="n">(\d+)</span>', html, re.S)
    assert figure is not None and figure.group(1) == "4"  # seven apps of the folder ask for contacts; four of them lend


def test_the_family_id_goes_into_the_report_block_whatever_the_app_writes() -> None:
    import json

    from apkscan.batch.view import with_family

    hostile = '"family":{"features":1}, \x00 </script>'
    doc = {"app": {"label": hostile}, "family": {"features": 3, "classes": 1, "sketch": "3::"}, "errors": [hostile]}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    got = json.loads(with_family(text, "family-0123456789ab"))
    assert got["family"] == {"id": "family-0123456789ab", "features": 3, "classes": 1, "sketch": "3::"}
    assert got["app"]["label"] == hostile and got["errors"] == [hostile]
    assert with_family(text, "") == text and with_family('{"family":null}', "family-x") == '{"family":null}'
