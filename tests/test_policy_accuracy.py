"""Accuracy of the policy analysis on the hand-labelled corpus in tests/policy_corpus/.

Precision and recall are computed per category for the two statuses that matter in findings ("collects" feeds
admitted over-collection, "denies" feeds contradictions), over all sixteen policies. Run with ``pytest -s`` to see
the table. The sixteen were used while building the lexicon, so their figures flatter it; the four in
``policy_corpus/holdout/`` were written afterwards and are reported separately, with a looser floor.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from apkscan.evaluate.policy.analysis import PolicyAnalysis, analyse_policy
from apkscan.knowledge.lexicon import CATEGORY_IDS
from apkscan.read.policy.file import read_policy_file

CORPUS = Path(__file__).parent / "policy_corpus"
HOLDOUT = CORPUS / "holdout"
THRESHOLD = 0.9
HOLDOUT_FLOOR = 0.75  # micro-averaged, a regression guard rather than a target
STATUSES = ("collects", "denies")


def corpus_files(root: Path = CORPUS) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.suffix in (".html", ".txt", ".md") and p.name != "README.md")


def labels_for(path: Path) -> dict:
    return tomllib.loads((path.parent / f"{path.stem}.labels.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def analysed() -> list[tuple[Path, dict, PolicyAnalysis]]:
    return [(p, labels_for(p), analyse_policy(read_policy_file(p))) for p in corpus_files()]


@pytest.fixture(scope="module")
def holdout() -> list[tuple[Path, dict, PolicyAnalysis]]:
    return [(p, labels_for(p), analyse_policy(read_policy_file(p))) for p in corpus_files(HOLDOUT)]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def score(analysed) -> dict[tuple[str, str], Counts]:
    table = {(cat, st): Counts() for cat in CATEGORY_IDS for st in STATUSES}
    for path, labels, analysis in analysed:
        expected = labels.get("categories", {})
        for cat in CATEGORY_IDS:
            want, got = expected.get(cat, "silent"), analysis.status(cat)
            for st in STATUSES:
                c = table[(cat, st)]
                if got == st and want == st:
                    c.tp += 1
                elif got == st:
                    c.fp += 1
                    c.errors.append(f"{path.name}: {cat} expected {want}, got {got}")
                elif want == st:
                    c.fn += 1
                    c.errors.append(f"{path.name}: {cat} expected {want}, got {got}")
    return table


def _fmt(x: float | None) -> str:
    return "  —  " if x is None else f"{x:5.2f}"


def print_table(table: dict[tuple[str, str], Counts], title: str = "") -> dict[str, Counts]:
    print(f"\n{title}\n{'category':24} {'status':9} {'tp':>3} {'fp':>3} {'fn':>3}  precision  recall")
    totals = {st: Counts() for st in STATUSES}
    for (cat, st), c in table.items():
        if c.tp + c.fp + c.fn:
            print(f"{cat:24} {st:9} {c.tp:3} {c.fp:3} {c.fn:3}    {_fmt(c.precision)}   {_fmt(c.recall)}")
        totals[st].tp += c.tp
        totals[st].fp += c.fp
        totals[st].fn += c.fn
    for st, c in totals.items():
        print(f"{'ALL (micro)':24} {st:9} {c.tp:3} {c.fp:3} {c.fn:3}    {_fmt(c.precision)}   {_fmt(c.recall)}")
    return totals


def test_corpus_has_sixteen_policies_in_both_languages(analysed):
    languages = [a.language for _, _, a in analysed]
    assert len(analysed) >= 16
    assert languages.count("zh") >= 8 and languages.count("en") >= 8


def test_per_category_precision_and_recall_reach_threshold(analysed):
    table = score(analysed)
    print_table(table, f"Labelled corpus ({len(analysed)} policies)")
    low = [
        f"{cat}/{st}: precision={_fmt(c.precision)} recall={_fmt(c.recall)}; " + "; ".join(c.errors)
        for (cat, st), c in table.items()
        if (c.precision is not None and c.precision < THRESHOLD) or (c.recall is not None and c.recall < THRESHOLD)
    ]
    assert not low, "\n".join(low)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_flags_match_labels(path):
    labels = labels_for(path)
    analysis = analyse_policy(read_policy_file(path))
    flags = labels.get("flags", {})
    got = {
        "sharing": bool(analysis.sharing),
        "contacts_contacted": bool(analysis.contacts_contacted),
        "debt_collection_contact": analysis.debt_collection_contact,
        "pre_consent": bool(analysis.pre_consent_collection),
        "refusal_allowed": analysis.refusal_allowed,
    }
    want = {key: flags.get(key, None if key == "refusal_allowed" else False) for key in got}
    assert got == want
    assert set(flags.get("shared_with", ())) <= set(analysis.shared_with)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_stated_purposes_are_found(path):
    analysis = analyse_policy(read_policy_file(path))
    for cat, purposes in labels_for(path).get("purposes", {}).items():
        assert set(purposes) <= set(analysis.categories[cat].purposes), cat


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_non_silent_statement_quotes_its_sentence(path):
    analysis = analyse_policy(read_policy_file(path))
    for statement in analysis.categories.values():
        assert (statement.status == "silent") == (not statement.quotes)
        for quote in statement.quotes:
            assert quote.sentence and quote.source == str(path)


def test_holdout_policies_stay_above_the_floor(holdout):
    totals = print_table(score(holdout), f"Held-out policies ({len(holdout)}, written after the lexicon)")
    for status, c in totals.items():
        assert (c.precision or 1.0) >= HOLDOUT_FLOOR and (c.recall or 1.0) >= HOLDOUT_FLOOR, status
