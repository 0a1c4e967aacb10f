"""Oracle agreement: the fast DEX reader must find exactly what androguard's Analysis finds.

For every sample APK (and every inner APK of a bundle) the set of
``(api_descriptor, caller_descriptor, offset)`` from :func:`scan_code` is compared with the same
set computed by androguard (``AnalyzeAPK``):

* methods: ``dx.find_methods(...)`` + ``get_xref_from()``;
* strings: ``dx.find_strings(...)`` + ``get_xref_from(with_offset=True)``;
* fields: androguard only creates field xrefs for fields *defined* in the app
  (``get_encoded_field_descriptor`` returns None for ``ContactsContract...CONTENT_URI``), so
  ``find_fields`` is empty for framework fields. Their reads are taken from androguard's own
  disassembly instead (``get_instructions_idx`` + ``get_cm_field``, the very loop ``_create_xref``
  runs), and ``find_fields``/``get_xref_read`` results, when there are any, must be included.

The real third-party APK of the benchmark is checked too when it has been downloaded
(``python tests/bench/bench_code.py`` caches it); otherwise that case is skipped.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from apkscan.extract.code import ApiCatalog, default_catalog, scan_code
from apkscan.extract.code.catalog import ApiEntry

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIELD_READ_OPS = {*range(0x52, 0x59), *range(0x60, 0x67)}
BENCH_APK_NAME = "appium-uiautomator2-server-v10.6.6.apk"


def bench_apk() -> Path | None:
    """The npm benchmark APK if it is on disk (env APKSCAN_BENCH_APK or the bench cache)."""
    candidates = [os.environ.get("APKSCAN_BENCH_APK", "")]
    cache = os.environ.get("APKSCAN_BENCH_CACHE") or str(Path.home() / ".cache" / "apkscan-bench")
    candidates.append(str(Path(cache) / BENCH_APK_NAME))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def apk_units(path: Path) -> list[tuple[str, bytes]]:
    """(label prefix, APK bytes) for an APK, or for each inner APK of a bundle."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        inner = [n for n in names if n.endswith(".apk")]
        if inner and not any(n.startswith("classes") for n in names):
            return [(n + "!", z.read(n)) for n in inner]
    return [("", data)]


def dex_entries(apk: bytes, prefix: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    with zipfile.ZipFile(io.BytesIO(apk)) as z:
        names = z.namelist()
        dexes = [(prefix + n, z.read(n)) for n in names if re.fullmatch(r"classes\d*\.dex", n)]
    return dexes, [prefix + n for n in names]


def _desc(method: object) -> str:
    return "{}->{}{}".format(
        method.get_class_name(),
        method.get_name(),
        str(method.get_descriptor()).replace(" ", ""),  # type: ignore[attr-defined]
    )


def analyze(apk: bytes) -> object:
    """androguard's Analysis of an APK (bytes)."""
    from loguru import logger

    logger.disable("androguard")
    from androguard.misc import AnalyzeAPK

    return AnalyzeAPK(apk, raw=True)[2]


def oracle(apk: bytes, catalog: ApiCatalog | None = None, dx: object = None) -> set[tuple[str, str, int]]:
    """What androguard's Analysis finds for the catalog entries."""
    from androguard.core.analysis.analysis import ExternalMethod

    dx = dx or analyze(apk)
    catalog = catalog or default_catalog()
    found: set[tuple[str, str, int]] = set()
    for entry in catalog.apis:
        if entry.kind == "method":
            for ma in dx.find_methods(  # type: ignore[attr-defined]
                classname=re.escape(entry.class_desc) + r"\Z", methodname=re.escape(entry.name) + r"\Z"
            ):
                target = _desc(ma.get_method())
                if entry.descriptor and not target.endswith(entry.name + entry.descriptor):
                    continue
                for _cls, caller, offset in ma.get_xref_from():
                    found.add((target, _desc(caller.get_method()), offset))
        elif entry.kind == "string":
            pattern = re.escape(entry.value) + ("" if entry.match == "prefix" else r"\Z")
            for sa in dx.find_strings(pattern):  # type: ignore[attr-defined]
                for _cls, caller, offset in sa.get_xref_from(with_offset=True):
                    found.add((sa.get_value(), _desc(caller.get_method()), offset))
        else:
            for fa in dx.find_fields(  # type: ignore[attr-defined]
                classname=re.escape(entry.class_desc) + r"\Z", fieldname=re.escape(entry.name) + r"\Z"
            ):
                field = fa.get_field()
                api = f"{field.get_class_name()}->{field.get_name()}:{field.get_descriptor()}"
                for _cls, caller, offset in fa.get_xref_read():
                    found.add((api, _desc(caller.get_method()), offset))
    fields = [e for e in catalog.apis if e.kind == "field"]
    for ma in dx.get_methods():  # type: ignore[attr-defined]
        method = ma.get_method()
        if isinstance(method, ExternalMethod) or not fields:
            continue
        for offset, ins in method.get_instructions_idx():
            if ins.get_op_value() not in FIELD_READ_OPS:
                continue
            cls, ftype, name = ins.cm.vm.get_cm_field(ins.get_ref_kind())
            if any(e.class_desc == cls and e.name == name and e.descriptor in ("", ftype) for e in fields):
                found.add((f"{cls}->{name}:{ftype}", _desc(method), offset))
    return found


def oracle_strings(apk: bytes, values: set[str]) -> dict[str, set[str]]:
    """Callers androguard records for the given string values."""
    from androguard.misc import AnalyzeAPK

    _, _, dx = AnalyzeAPK(apk, raw=True)
    out: dict[str, set[str]] = {}
    for value in values:
        sa = dx.strings.get(value)
        out[value] = {_desc(m.get_method()) for _c, m in sa.get_xref_from()} if sa else set()
    return out


def fast(apk: bytes, prefix: str, catalog: ApiCatalog | None = None) -> tuple[set[tuple[str, str, int]], object]:
    dexes, names = dex_entries(apk, prefix)
    evidence = scan_code(dexes, names, catalog)
    sites = {(s.api_descriptor, s.caller_descriptor, s.offset) for s in evidence.call_sites}
    return sites, evidence


SAMPLE_UNITS = [
    pytest.param(path, prefix, apk, id=f"{path.name}:{prefix or 'apk'}")
    for path in sorted(SAMPLES.glob("*.apk")) + sorted(SAMPLES.glob("*.xapk")) + sorted(SAMPLES.glob("*.apks"))
    if zipfile.is_zipfile(path) and "corrupt" not in path.name
    for prefix, apk in apk_units(path)
    if dex_entries(apk, prefix)[0]
]


@pytest.mark.parametrize(("path", "prefix", "apk"), SAMPLE_UNITS)
def test_samples_agree_with_androguard(path: Path, prefix: str, apk: bytes) -> None:
    sites, evidence = fast(apk, prefix)
    assert all(d.parser == "fast" for d in evidence.dex_files)
    expected = oracle(apk)
    assert sites == expected, f"only fast: {sorted(sites - expected)}; only androguard: {sorted(expected - sites)}"


def test_samples_exercise_every_kind() -> None:
    """The agreement above is only meaningful if the samples contain method, field and string hits."""
    apk = (SAMPLES / "contact-raider.apk").read_bytes()
    _, evidence = fast(apk, "")
    assert {s.kind for s in evidence.call_sites} == {"method", "field", "string"}
    assert len(SAMPLE_UNITS) >= 5


def test_supporting_string_callers_agree_with_androguard() -> None:
    apk = (SAMPLES / "contact-raider.apk").read_bytes()
    _, evidence = fast(apk, "")
    ours: dict[str, set[str]] = {}
    for hit in evidence.strings:
        ours.setdefault(hit.value, set()).update(hit.callers)
    assert ours
    assert ours == oracle_strings(apk, set(ours))


# A stress catalog for the real APK: APIs used thousands of times (app-defined Kotlin fields go
# through androguard's own field xrefs, framework fields through its disassembly).
STRESS = [
    ApiEntry(kind="method", category="other", permission=None, class_desc="Ljava/lang/StringBuilder;", name="append"),
    ApiEntry(kind="method", category="other", permission=None, class_desc="Ljava/lang/Object;", name="<init>"),
    ApiEntry(
        kind="method",
        category="other",
        permission=None,
        class_desc="Landroid/util/Log;",
        name="d",
        descriptor="(Ljava/lang/String;Ljava/lang/String;)I",
    ),
    ApiEntry(
        kind="method",
        category="other",
        permission=None,
        class_desc="Lkotlin/jvm/internal/Intrinsics;",
        name="checkNotNullParameter",
    ),
    ApiEntry(kind="field", category="other", permission=None, class_desc="Landroid/os/Build$VERSION;", name="SDK_INT"),
    ApiEntry(kind="field", category="other", permission=None, class_desc="Ljava/lang/System;", name="out"),
    ApiEntry(kind="field", category="other", permission=None, class_desc="Lkotlin/Unit;", name="INSTANCE"),
    ApiEntry(kind="string", category="other", permission=None, value="http", match="prefix"),
    ApiEntry(kind="string", category="other", permission=None, value="UTF-8"),
]


def test_real_apk_agrees_with_androguard() -> None:
    path = bench_apk()
    if path is None:
        pytest.skip(f"{BENCH_APK_NAME} not downloaded (run tests/bench/bench_code.py once)")
    apk = path.read_bytes()
    dx = analyze(apk)
    sites, evidence = fast(apk, "")
    assert len(evidence.dex_files) > 1 and all(d.parser == "fast" for d in evidence.dex_files)
    expected = oracle(apk, dx=dx)
    assert expected, "the real APK should contain some catalog hits"
    assert sites == expected, (
        f"only fast: {sorted(sites - expected)[:20]}; only androguard: {sorted(expected - sites)[:20]}"
    )
    stress = ApiCatalog(apis=tuple(STRESS), sdks=default_catalog().sdks, packers=())
    stress_sites, _ = fast(apk, "", stress)
    stress_expected = oracle(apk, stress, dx)
    kinds = {api.split("->")[0] if "->" in api else "string" for api, _, _ in stress_expected}
    assert len(stress_expected) > 5000 and {"Landroid/os/Build$VERSION;", "Lkotlin/Unit;", "string"} <= kinds
    assert stress_sites == stress_expected, (
        f"only fast: {sorted(stress_sites - stress_expected)[:20]}; "
        f"only androguard: {sorted(stress_expected - stress_sites)[:20]}"
    )


def _locator_agrees(data: bytes, positions: int, seed: int) -> int:
    """Lazy locator vs the full class_data walk, at random even positions of the code section."""
    import random

    from apkscan.extract.code.codeitems import build_code_map
    from apkscan.extract.code.dexfile import DexFile
    from apkscan.extract.code.locate import Locator

    dex = DexFile(data)
    locator = Locator(dex)
    cmap = build_code_map(dex)
    start, end = locator.span
    if end <= start:
        return 0
    rng = random.Random(seed)
    checked = 0
    for _ in range(positions):
        pos = rng.randrange(start, end) & ~1
        lazy = sorted(locator.containing(pos))
        full = sorted((cmap.starts[i], cmap.ends[i], cmap.methods[i]) for i in cmap.containing(pos))
        assert lazy == full, f"position 0x{pos:x}"
        checked += 1
    assert locator.defined_methods == cmap.defined_methods
    return checked


def test_lazy_locator_matches_full_map_on_samples() -> None:
    checked = 0
    for path in (SAMPLES / "contact-raider.apk", SAMPLES / "fair-lender.apk"):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if re.fullmatch(r"classes\d*\.dex", name):
                    checked += _locator_agrees(z.read(name), 500, 1)
    assert checked >= 1000


def test_lazy_locator_matches_full_map_on_real_apk() -> None:
    path = bench_apk()
    if path is None:
        pytest.skip(f"{BENCH_APK_NAME} not downloaded (run tests/bench/bench_code.py once)")
    with zipfile.ZipFile(path) as z:
        big = max((i for i in z.infolist() if i.filename.endswith(".dex")), key=lambda i: i.file_size)
        assert _locator_agrees(z.read(big.filename), 3000, 2) == 3000
