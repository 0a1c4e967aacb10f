"""Code families: re-skins grouped whatever their names and keys; look-alikes and SDK sharers kept apart."""

from __future__ import annotations

import random
import zipfile
from functools import cache

import pytest

from apkscan.evaluate.families import (
    BINS,
    MIN_FEATURES,
    THRESHOLD,
    FamilySignature,
    family_of,
    group_families,
    similarity,
    sketch,
)
from apkscan.extract.code import default_catalog
from apkscan.extract.code.signature import minified, own_code, simple
from tests.conftest import sample
from tests.lender_common import FAMILY_SAMPLES, inputs

APKS = (*FAMILY_SAMPLES, "quickcash-bundle.xapk")


@cache
def features(name: str) -> frozenset[str]:
    return own_code(inputs(name).dex, default_catalog()).features


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)


def test_reskin_has_new_package_label_and_key_but_the_same_code() -> None:
    raider, reskin = inputs("contact-raider.apk"), inputs("reskin-raider.apk")
    assert reskin.text.package != raider.text.package and reskin.text.label != raider.text.label
    assert {s.sha256 for s in reskin.app.signers}.isdisjoint({s.sha256 for s in raider.app.signers})
    assert jaccard(features("contact-raider.apk"), features("reskin-raider.apk")) > 0.9


def test_sdk_classes_and_packer_stubs_are_not_own_code() -> None:
    assert not any("RiskCollector" in f for f in features("rupee-now.apk"))
    assert not any("Tracker" in f for f in features("contact-raider.apk"))
    packed = own_code(inputs("packed-jiagu.apk").dex, default_catalog())
    assert packed.features == frozenset() and packed.skipped_classes == 1


def test_package_renames_do_not_change_features() -> None:
    # the re-skin moved every class from com.example.quickcash to id.kilatdana.app
    assert "c|ContactsCollector|Ljava/lang/Object;||0|2" in features("reskin-raider.apk")
    assert "c|ContactsCollector|Ljava/lang/Object;||0|2" in features("contact-raider.apk")
    assert "m|Resolver|queryAll|(Landroid/content/Context;,Landroid/net/Uri;)Landroid/database/Cursor;" in features(
        "reskin-raider.apk"
    )


def test_minified_names_fold_so_two_obfuscation_mappings_compare_equal() -> None:
    assert simple("Lcom/a/b/c;") == "?" and simple("La/b$a;") == "?$?" and simple("Lcom/x/Foo$1;") == "Foo$1"
    assert minified("a") and minified("zz") and not minified("R") and not minified("run")


def test_grouping_the_samples() -> None:
    sigs = {name: sketch(features(name)) for name in APKS}
    families = group_families(sigs)
    grouped = [f.members for f in families if len(f.members) > 1]
    assert grouped == [("contact-raider.apk", "raider-v2.apk", "reskin-raider.apk")]
    fam = family_of(families)
    assert fam["rupee-now.apk"] != fam["contact-raider.apk"]  # shares only the risk-control SDK
    assert fam["backup-cleaner.apk"] != fam["contact-raider.apk"]  # same 17 permissions, other code
    assert len(set(fam.values())) == len(APKS) - 2


def test_the_threshold_separates_the_samples_with_a_margin() -> None:
    same = [
        ("contact-raider.apk", "reskin-raider.apk"),
        ("contact-raider.apk", "raider-v2.apk"),
        ("reskin-raider.apk", "raider-v2.apk"),
    ]
    for a, b in same:
        assert similarity(sketch(features(a)), sketch(features(b))) >= THRESHOLD + 0.25
    others = [(a, b) for i, a in enumerate(APKS) for b in APKS[i + 1 :] if (a, b) not in same]
    worst = max(jaccard(features(a), features(b)) for a, b in others if features(a) and features(b))
    assert worst < THRESHOLD - 0.1


def test_small_sets_compare_exactly_and_large_ones_within_the_sketch_error() -> None:
    a, b = features("bank-impostor.apk"), features("bt-volume.apk")
    assert len(a) <= BINS and similarity(sketch(a), sketch(b)) == pytest.approx(jaccard(a, b))
    rng = random.Random(12)
    base = [f"m|C{i}|f|()V" for i in range(5000)]
    for keep in (0.9, 0.7, 0.5, 0.3):
        variant = set(rng.sample(base, int(len(base) * keep))) | {f"m|New{i}|g|()V" for i in range(200)}
        exact = jaccard(frozenset(base), frozenset(variant))
        assert abs(similarity(sketch(base), sketch(variant)) - exact) < 0.15, keep


def test_signature_text_round_trip() -> None:
    for name in ("contact-raider.apk", "bt-volume.apk"):
        sig = sketch(features(name))
        assert FamilySignature.from_hex(sig.to_hex()) == sig
    with pytest.raises(ValueError):
        FamilySignature.from_hex("10:abc")


def test_tiny_or_empty_code_is_never_grouped() -> None:
    tiny = {f"app{i}": sketch({"m|MainActivity|<init>|()V", "m|MainActivity|onCreate|()V"}) for i in range(3)}
    assert all(len(f.members) == 1 for f in group_families(tiny))
    assert sketch([]).features == 0 and MIN_FEATURES > 2


def test_malformed_dex_never_crashes() -> None:
    with zipfile.ZipFile(sample("corrupt-dex.apk")) as zf:
        bad = zf.read("classes.dex")
    result = own_code(
        [("classes.dex", bad), ("junk.dex", b"dex\n035\x00" + b"\xff" * 200), ("e", b"")], default_catalog()
    )
    assert result.features == frozenset() and len(result.errors) == 3


def test_family_ids_stay_distinct_when_keys_share_a_prefix() -> None:
    base = [f"m|A{i}|f|()V" for i in range(300)]
    other = [f"m|B{i}|f|()V" for i in range(300)]
    sigs = {f"{n:064x}": sketch(base if n % 2 else other) for n in range(6)}
    families = group_families(sigs)
    assert len(families) == 2 and len({f.id for f in families}) == 2
    assert all(f.id.startswith("family-") for f in families)
