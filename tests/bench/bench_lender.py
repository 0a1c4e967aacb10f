"""Benchmark: lending-app detection on a labelled set, and what the lender checks cost per APK.

Run by hand:

    python tests/bench/bench_lender.py            # fetches the real corpus on first use (tests/bench/corpus.py)
    python tests/bench/bench_lender.py --repeat 5

Labelled set: the lending samples of ``samples/`` (the project's own builds: real loan apps cannot be
obtained here), the non-lending samples, and the real non-lending APKs of the corpus. A prediction
counts as positive only when the decision is "yes"; "unsure" is reported apart.

Costs, on the corpus and the samples: ``scan_code`` alone; the same pass with the lender text needles
and the sender APIs (what a scan runs); the own-code features and their sketch (families); the harvest
assessment (decoding the methods that read a category). The whole scan's cost is bench_app.py's.
"""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from corpus import corpus  # noqa: E402

from apkscan.api import scan_file  # noqa: E402
from apkscan.evaluate.dex_text import dex_text_filter  # noqa: E402
from apkscan.evaluate.families import sketch  # noqa: E402
from apkscan.evaluate.harvest import assess_harvest  # noqa: E402
from apkscan.extract.code import default_catalog, scan_code, scan_code_full  # noqa: E402
from apkscan.extract.code.methods import method_facts, sender_entries  # noqa: E402
from apkscan.extract.code.signature import own_code  # noqa: E402
from apkscan.model.options import ScanOptions  # noqa: E402
from tests.lender_common import LENDERS, LOAN_TALK, NON_LENDERS  # noqa: E402

LENDING = LENDERS
NOT_LENDING = (*NON_LENDERS, LOAN_TALK)


def labelled() -> list[tuple[Path, bool]]:
    samples = ROOT / "samples"
    rows = [(samples / n, True) for n in LENDING] + [(samples / n, False) for n in NOT_LENDING]
    return rows + [(p, False) for p in corpus()]


def detection() -> None:
    tp = fp = fn = tn = unsure = 0
    print(f"{'file':48s} {'truth':6s} {'decision':8s} {'score':>6s}  top evidence")
    for path, truth in labelled():
        verdict = scan_file(path, ScanOptions(lang="en")).lending
        assert verdict is not None
        yes = verdict.decision == "yes"
        unsure += verdict.decision == "unsure"
        tp += yes and truth
        fp += yes and not truth
        fn += (not yes) and truth
        tn += (not yes) and not truth
        top = ", ".join(f"{e.term}@{e.where}" for e in verdict.evidence[:3])
        print(f"{path.name:48s} {'lender' if truth else '-':6s} {verdict.decision:8s} {verdict.score:6.1f}  {top}")
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    print(f"\n{tp + fn} lending, {fp + tn} not lending: TP {tp} FP {fp} FN {fn} TN {tn}; unsure {unsure}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  (positive = 'yes')")


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def costs(repeat: int) -> None:
    print(f"\n{'file':48s} {'scan':>7s} {'+needles':>9s} {'families':>9s} {'harvest':>8s}  (seconds, best of {repeat})")
    for path in sorted(corpus(), key=lambda p: -p.stat().st_size) + [ROOT / "samples" / "contact-raider.apk"]:
        plain, extra, families, harvest = _costs(path, repeat)
        print(f"{path.name:48s} {plain:7.3f} {extra:+9.3f} {families:9.3f} {harvest:8.3f}")


def _costs(path: Path, repeat: int) -> tuple[float, float, float, float]:
    catalog = default_catalog()
    needles, keep = dex_text_filter()
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        blobs = [(n, zf.read(n)) for n in sorted(names) if n.startswith("classes") and n.endswith(".dex")]
    senders = sender_entries()
    plain = _best(lambda: scan_code(blobs, names, catalog), repeat)
    searched = _best(lambda: scan_code_full(blobs, names, catalog, needles, keep, senders), repeat)
    scan = scan_code_full(blobs, names, catalog, needles, keep, senders)
    parsed = dict(scan.parsed)
    files = [(label, parsed.get(label, data)) for label, data in blobs]  # as the scan does: files already parsed,
    families = _best(lambda: sketch(own_code(files, catalog, scan.own_classes).features), repeat)  # own classes only
    wanted = {(s.dex, s.caller_descriptor) for s in scan.evidence.call_sites if s.category != "other"}

    def harvest_step() -> None:
        assess_harvest(scan.evidence, method_facts(blobs, wanted), scan.senders, catalog)

    harvest = _best(harvest_step, repeat)
    return plain, searched - plain, families, harvest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    detection()
    costs(args.repeat)


if __name__ == "__main__":
    main()
