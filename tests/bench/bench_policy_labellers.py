"""How far two careful human labellers agree on the same real policies: the ceiling any analyser is judged under.

A second labeller labels policies of the corpus blind (never seeing the first labels) into a spec file of the same
shape as ``label.py``'s, kept outside the repository because it quotes the policies. This compares, on the policies
both labelled: the second labeller against the first (the manifests), apkscan against the first and apkscan against
the second, with the scores of ``bench_policy_real.py`` (agreement, precision and recall of "collects" and
"denies"). Run by hand:

    python tests/bench/bench_policy_labellers.py SECOND_SPEC.toml [SECOND_SPEC2.toml ...]

If the labellers agree on "collects" at 0.90, an analyser cannot be shown to reach 0.93 against either of them:
the disagreements it prints (one line per policy and category) say which labelling rules need sharpening.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_policy_real import Score, apkscan  # noqa: E402

from tests.policy_corpus.real.corpus import CATEGORIES, STATUSES, load_manifests, load_text  # noqa: E402


def second_labels(specs: list[Path]) -> dict[str, dict[str, str]]:
    """Policy id -> category -> status ("silent" when the second labeller left it out)."""
    out: dict[str, dict[str, str]] = {}
    for spec in specs:
        for pid, entry in tomllib.loads(spec.read_text("utf-8")).items():
            labels = {c: "silent" for c in CATEGORIES}
            for cat in CATEGORIES:
                if cat in entry:
                    status = entry[cat][0]
                    if status not in STATUSES:
                        raise SystemExit(f"{spec}: {pid}: {cat}: status {status!r}")
                    labels[cat] = status
            out[pid] = labels
    return out


def _row(name: str, s: Score) -> str:
    def f(x: float | None) -> str:
        return "  -  " if x is None else f"{x:5.2f}"

    return (
        f"{name:34} {s.pairs:5} | {f(s.agreement())} | {f(s.precision('collects'))} {f(s.recall('collects'))} | "
        f"{f(s.precision('denies'))} {f(s.recall('denies'))}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    second = second_labels(args.specs)
    manifests = {m.id: m for m in load_manifests()}
    unknown = sorted(set(second) - set(manifests))
    if unknown:
        raise SystemExit(f"not in the corpus: {', '.join(unknown)}")
    kinds = {"lending": {}, "general": {}, "all": {}}  # kind -> pair name -> Score
    disagreements = []
    for pid, labels2 in sorted(second.items()):
        m = manifests[pid]
        text = load_text(m, args.cache)
        if text is None:
            print(f"{pid}: no cached text, skipped")
            continue
        got, _ = apkscan(text, pid)
        for kind in (m.kind, "all"):
            scores = kinds[kind]
            for cat in CATEGORIES:
                first, other, tool = m.status(cat), labels2[cat], got.get(cat, "silent")
                scores.setdefault("second vs first labeller", Score()).add(first, other)
                scores.setdefault("apkscan vs first labeller", Score()).add(first, tool)
                scores.setdefault("apkscan vs second labeller", Score()).add(other, tool)
                if kind == "all" and first != other:
                    disagreements.append(f"{pid:26} {cat:16} first={first:9} second={other:9} apkscan={tool}")
    head = f"{'':34} {'pairs':>5} | agree | coll. P  R    | den. P   R"
    for kind, scores in kinds.items():
        if scores:
            policies = sum(1 for p in second if manifests[p].kind == kind or kind == "all")
            print(f"\n[{kind}] {policies} policies (P and R of the left-hand side against the right-hand side)")
            print(head)
            print("\n".join(_row(name, s) for name, s in scores.items()))
    print("\nWhere the labellers disagree:\n" + "\n".join(disagreements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
