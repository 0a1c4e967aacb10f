"""Benchmark: code-family grouping errors and the time to group 1,000 apps.

Run by hand:

    python tests/bench/bench_families.py            # samples + the real corpus (tests/bench/corpus.py)
    python tests/bench/bench_families.py --apps 1000 --seed 7

1. **Samples and real APKs**: the one true family is contact-raider, its re-skin and its v2; every
   other app is alone (the corpus has two real cases of partial code reuse: Yosemite embeds STF's
   agent, PocoService embeds the Appium UiAutomator2 server). Errors are counted over pairs.
2. **Synthetic variants** of each real app with 500+ own-code features: a share of its classes
   replaced by new ones (an update), measured against the original; and an "obfuscated rebuild"
   (every own class and method name minified) against the unobfuscated original.
3. **1,000 apps**: a synthetic population of families (sizes 1-8) of random own-code sets (50 to
   20,000 features, log-uniform); each member differs from the family's first app by up to 10, 20
   or 30 % of its classes, and every app adds features all apps share (boilerplate) and up to 5 %
   from a pool of unlisted libraries. Reports the time
   to sketch every app (done in the scan workers in a batch) and to group them (done once, centrally),
   and the pair errors against the truth.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from corpus import corpus  # noqa: E402

from apkscan.evaluate.families import THRESHOLD, group_families, similarity, sketch  # noqa: E402
from apkscan.extract.code import default_catalog  # noqa: E402
from apkscan.extract.code.signature import own_code  # noqa: E402
from tests.lender_common import FAMILY_SAMPLES, TRUE_FAMILY  # noqa: E402

SAMPLES = FAMILY_SAMPLES


def features_of(path: Path) -> frozenset[str]:
    with zipfile.ZipFile(path) as zf:
        blobs = [(n, zf.read(n)) for n in sorted(zf.namelist()) if n.startswith("classes") and n.endswith(".dex")]
    return own_code(blobs, default_catalog()).features


def pair_errors(groups: list[tuple[str, ...]], truth: dict[str, str]) -> tuple[int, int, int]:
    """(false merges, false splits, true pairs) counted over unordered pairs of apps."""
    predicted = {m: i for i, g in enumerate(groups) for m in g}
    by_truth: dict[str, list[str]] = defaultdict(list)
    for key, fam in truth.items():
        by_truth[fam].append(key)
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_truth.values())
    together = sum(len(g) * (len(g) - 1) // 2 for g in groups)
    correct = 0
    for members in by_truth.values():
        counts: dict[int, int] = defaultdict(int)
        for m in members:
            counts[predicted[m]] += 1
        correct += sum(c * (c - 1) // 2 for c in counts.values())
    return together - correct, true_pairs - correct, true_pairs


def real_apps() -> dict[str, frozenset[str]]:
    apps = {name: features_of(ROOT / "samples" / name) for name in SAMPLES}
    apps.update({p.name: features_of(p) for p in corpus()})
    return apps


def part1(apps: dict[str, frozenset[str]]) -> None:
    sigs = {k: sketch(v) for k, v in apps.items()}
    families = group_families(sigs)
    truth = {k: ("raider" if k in TRUE_FAMILY else k) for k in apps}
    merges, splits, pairs = pair_errors([f.members for f in families], truth)
    print(f"1. {len(apps)} real apps: {merges} false merges, {splits} false splits (of {pairs} true pairs)")
    ranked = sorted(((similarity(sigs[a], sigs[b]), a, b) for a in apps for b in apps if a < b), reverse=True)
    for sim, a, b in ranked[:6]:
        print(f"   {sim:.3f}  {a} ~ {b}")


def classes_of(features: frozenset[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for f in features:
        out[f.split("|")[1]].append(f)
    return out


def variant(features: frozenset[str], change: float, rng: random.Random, tag: str) -> frozenset[str]:
    """Replace ``change`` of the classes by new ones with as many features."""
    classes = classes_of(features)
    names = sorted(classes)
    replaced = set(rng.sample(names, int(len(names) * change)))
    kept = {f for n in names if n not in replaced for f in classes[n]}
    new = {f"{f.split('|')[0]}|{tag}{n}|x{i}" for n in replaced for i, f in enumerate(classes[n])}
    return frozenset(kept | new)


def obfuscated(features: frozenset[str]) -> frozenset[str]:
    out = set()
    for f in features:
        parts = f.split("|")
        parts[1] = "?"
        if parts[0] in ("m", "s"):
            parts[2] = "?" if parts[2] not in ("<init>", "<clinit>") and not parts[2].startswith("on") else parts[2]
        out.add("|".join(parts))
    return frozenset(out)


def part2(apps: dict[str, frozenset[str]], rng: random.Random) -> None:
    print(f"2. synthetic variants (grouped = similarity >= threshold {THRESHOLD})")
    print(f"   {'app':42s} " + " ".join(f"{c:>5.0%}" for c in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)) + "  obfuscated")
    for name, feats in sorted(apps.items()):
        if len(feats) < 500 and name != "contact-raider.apk":
            continue
        base = sketch(feats)
        cells = []
        for change in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
            sim = similarity(base, sketch(variant(feats, change, rng, "v")))
            cells.append(f"{sim:.2f}{'+' if sim >= THRESHOLD else '-'}")
        obf = similarity(base, sketch(obfuscated(feats)))
        print(f"   {name:42s} " + " ".join(cells) + f"  {obf:.2f}{'+' if obf >= THRESHOLD else '-'}")


def population(n: int, rng: random.Random, max_change: float) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    boilerplate = [f"m|MainActivity|{m}|()V" for m in ("<init>", "onCreate", "onResume", "onPause")] + [
        f"c|App{i}|Landroid/app/Application;||0|{i}" for i in range(20)
    ]
    libs = [f"m|Lib{i // 20}|f{i}|()V" for i in range(2000)]
    apps: dict[str, frozenset[str]] = {}
    truth: dict[str, str] = {}
    fam = 0
    while len(apps) < n:
        fam += 1
        size = int(math.exp(rng.uniform(math.log(50), math.log(20000))))
        base = frozenset(f"m|F{fam}C{i // 8}|m{i}|()V" for i in range(size))
        for member in range(min(rng.randint(1, 8), n - len(apps))):
            feats = variant(base, rng.uniform(0, max_change), rng, f"f{fam}m{member}") if member else base
            extra = rng.sample(boilerplate, rng.randint(0, len(boilerplate)))
            extra += rng.sample(libs, min(len(libs), int(size * rng.uniform(0, 0.05))))  # unlisted libraries
            key = f"app{len(apps):04d}"
            apps[key] = feats | frozenset(extra)
            truth[key] = f"F{fam}"
    return apps, truth


def part3(n: int, rng: random.Random, max_change: float) -> None:
    apps, truth = population(n, rng, max_change)
    total = sum(len(v) for v in apps.values())
    start = time.perf_counter()
    sigs = {k: sketch(v) for k, v in apps.items()}
    sketched = time.perf_counter() - start
    start = time.perf_counter()
    families = group_families(sigs)
    grouped = time.perf_counter() - start
    merges, splits, pairs = pair_errors([f.members for f in families], truth)
    print(
        f"3. {n} apps in {len(set(truth.values()))} families, {total} features; members differ from the first"
        f" by up to {max_change:.0%} of its classes"
    )
    print(f"   sketch: {sketched:.2f} s in all ({sketched / n * 1000:.1f} ms per app, in the scan workers)")
    print(f"   group:  {grouped:.3f} s (central)")
    print(f"   errors: {merges} false merges, {splits} false splits of {pairs} true pairs; {len(families)} groups")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    apps = real_apps()
    part1(apps)
    part2(apps, rng)
    for max_change in (0.1, 0.2, 0.3):
        part3(args.apps, rng, max_change)


if __name__ == "__main__":
    main()
