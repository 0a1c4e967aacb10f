"""The resource-table reader (label, string pool) against androguard's full ARSC parse as the oracle, and on
damaged tables (every truncation, flipped bytes): a ResourceError or a result, never another exception."""

from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

import pytest
from androguard.core.axml import ARSCParser, ARSCResTableConfig, AXMLPrinter

from apkscan.extract.manifest import _application_label
from apkscan.extract.resources import ResourceError, ResourceTable, resolve_label, string_pool_values
from tests.conftest import sample

BENCH = Path(os.environ.get("APKSCAN_BENCH_CACHE") or Path.home() / ".cache" / "apkscan-bench")  # bench_code.py
APKS = [sample(n) for n in ("contact-raider.apk", "fair-lender.apk", "legacy-caps.apk")]
APKS += sorted(BENCH.glob("*.apk"))  # the benchmark APKs, when a benchmark has fetched them


def oracle(data: bytes, raw: str) -> tuple[str, str]:
    """The label as apkscan resolved it with androguard before this reader existed."""
    if not raw.startswith("@"):
        return raw, ""
    arsc = ARSCParser(data)
    res_id, _ = ARSCParser.parse_id(raw)
    default = arsc.get_resolved_res_configs(res_id, ARSCResTableConfig.default_config())
    every = arsc.get_resolved_res_configs(res_id)
    label = default[0][1] if default else (every[0][1] if every else raw)
    zh = [v for c, v in every if c.get_language() == "zh"]
    zh_cn = [v for c, v in every if c.get_language() == "zh" and c.get_country() in ("CN", "")]
    return str(label), str((zh_cn or zh or [""])[0])


def androguard_strings(data: bytes) -> set[str]:
    resolved = ARSCParser(data).get_resolved_strings()
    return {v for locales in resolved.values() for s in locales.values() for v in s.values() if isinstance(v, str)}


@pytest.mark.parametrize("apk", APKS, ids=lambda p: p.name)
def test_label_and_strings_agree_with_androguard(apk: Path) -> None:
    with zipfile.ZipFile(apk) as zf:
        data = zf.read("resources.arsc")
        raw = _application_label(AXMLPrinter(zf.read("AndroidManifest.xml")).get_xml_obj())
    table = ResourceTable(data)
    assert resolve_label(table, raw) == oracle(data, raw)
    assert androguard_strings(data) <= set(string_pool_values(table)), "no string value is lost"


def test_chinese_label_and_literal_labels() -> None:
    with zipfile.ZipFile(sample("contact-raider.apk")) as zf:
        table = ResourceTable(zf.read("resources.arsc"))
    assert resolve_label(table, "@7F020000") == ("QuickCash Loan", "极速贷款")
    assert resolve_label(table, "Plain label") == ("Plain label", "")
    assert resolve_label(table, "@android:01040000") == ("@android:01040000", ""), "framework resource: unresolved"
    assert resolve_label(table, "@7F7F7F7F") == ("@7F7F7F7F", "") and resolve_label(table, "@nothex") == ("@nothex", "")


def test_damaged_tables_fail_cleanly() -> None:
    with zipfile.ZipFile(sample("contact-raider.apk")) as zf:
        data = zf.read("resources.arsc")
    rng = random.Random(7)
    cases = [data[:n] for n in range(0, len(data), max(1, len(data) // 300))]
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cases.append(bytes(damaged))
    for case in cases:
        try:
            table = ResourceTable(case)
            resolve_label(table, "@7F020000")
            string_pool_values(table)
        except ResourceError:
            pass
