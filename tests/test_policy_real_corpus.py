"""The real-policy corpus: manifests are well-formed and balanced, anchors are consistent, the tooling re-anchors.

Texts are not in the repository (copyright); the checks that need them run only where the local cache has them
(see tests/policy_corpus/real/README.md). Accuracy itself is measured by tests/bench/bench_policy_real.py.
"""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest

from tests.policy_corpus.real.corpus import (
    CATEGORIES,
    MANIFESTS,
    Anchor,
    CorpusError,
    Manifest,
    assign_splits,
    check_text,
    clip_fragment,
    load_manifests,
    load_text,
    normalise,
    parse_manifest,
    provenance_of,
    reanchor,
    sentence_around,
    sentences,
    sha256,
    text_path,
)

MANIFEST_LIST = load_manifests()


def test_corpus_size_and_both_halves():
    assert len(MANIFEST_LIST) >= 80
    # each labelling round is split on its own (an odd round gives its extra policy to dev)
    splits = Counter((m.round, m.split) for m in MANIFEST_LIST)
    for round_ in {m.round for m in MANIFEST_LIST}:
        assert abs(splits[(round_, "dev")] - splits[(round_, "test")]) <= 1, round_
    kinds = Counter((m.kind, m.split) for m in MANIFEST_LIST)
    for kind in ("lending", "general"):
        assert kinds[(kind, "dev")] >= 10 and kinds[(kind, "test")] >= 10


def test_manifests_are_self_consistent():
    for m in MANIFEST_LIST:
        raw = tomllib.loads(m.path.read_text("utf-8"))
        assert raw["provenance"] == provenance_of(m.url, m.seen)
        assert m.url.startswith(("http://", "https://"))
        assert len(m.text_sha256) == 64 and m.text_chars > 0
        for category, a in m.labels.items():
            assert category in CATEGORIES
            assert a.offset + a.length <= m.text_chars, (m.id, category)
        for t in m.third_party:
            assert t.sdk and set(t.categories) <= set(CATEGORIES)


def test_manifest_errors_name_the_key():
    base = tomllib.loads(next(MANIFESTS.glob("*.toml")).read_text("utf-8"))
    with pytest.raises(CorpusError, match="labels.telepathy"):
        parse_manifest({**base, "labels": {"telepathy": {"status": "collects"}}}, "x.toml")
    with pytest.raises(CorpusError, match="status"):
        parse_manifest(
            {**base, "labels": {"sms": {"status": "silent", "offset": 0, "length": 1, "sentence_sha256": "0"}}},
            "x.toml",
        )
    with pytest.raises(CorpusError, match="split"):
        parse_manifest({**base, "split": "train"}, "x.toml")


@pytest.mark.parametrize("m", MANIFEST_LIST, ids=lambda m: m.id)
def test_cached_text_matches_its_labels(m: Manifest):
    if not text_path(m).exists():
        pytest.skip("text not in the local cache (rebuild.py fetches it)")
    text = load_text(m)
    assert text is not None and text == normalise(text)


# --------------------------------------------------------------------------------------------- tooling
TEXT = normalise("""Information   we collect
We read your SMS messages to score credit.  We never read your call log!
Camera: used for the selfie. 我们会收集您的位置信息。我们不会读取通讯录。
""")


def _manifest(text: str, labels: dict[str, Anchor]) -> Manifest:
    rows = text.split("\n")
    return Manifest(
        "t",
        "https://example.org/p",
        "2026-12-02",
        "IN",
        "en",
        "lending",
        "dev",
        True,
        sha256(text),
        len(text),
        sha256(rows[0]),
        sha256(rows[-1]),
        labels,
    )


def test_normalise_and_sentences():
    assert TEXT.split("\n")[0] == "Information we collect"
    texts = [s.text for s in sentences(TEXT)]
    assert "We never read your call log!" in texts and "我们不会读取通讯录。" in texts
    assert all(TEXT[s.offset : s.end] == s.text for s in sentences(TEXT))


def test_labels_reanchor_after_the_page_changes():
    sms = sentence_around(TEXT, "read your SMS")
    loc = sentence_around(TEXT, "位置信息")
    m = _manifest(
        TEXT,
        {
            "sms": Anchor("collects", sms.offset, sms.length, sha256(sms.text)),
            "location": Anchor("collects", loc.offset, loc.length, sha256(loc.text)),
        },
    )
    assert check_text(m, TEXT) == []
    changed = "Cookie banner\n" + TEXT.replace("Camera: used", "Camera: only used")
    assert check_text(m, changed)  # offsets moved and the hash differs
    anchors, missing = reanchor(m, changed)
    assert missing == []
    assert changed[anchors["sms"].offset :].startswith("We read your SMS")
    assert changed[anchors["location"].offset :].startswith("我们会收集您的位置信息")


def test_fragment_is_clipped_from_the_full_page():
    m = _manifest(TEXT, {})
    page = "Home | Loans\n" + TEXT + "\nCopyright 2026"
    assert clip_fragment(m, page) == TEXT
    assert clip_fragment(m, "Home\nnothing of it") is None


def test_split_is_stratified_and_fixed():
    items = [(f"p{i}", ["en/IN/lending", "zh/CN/general", "en/NG/lending"][i % 3]) for i in range(30)]
    first, again = assign_splits(items), assign_splits(reversed(items))
    assert first == again
    per_stratum = Counter((items[i][1], first[f"p{i}"]) for i in range(30))
    assert all(count == 5 for count in per_stratum.values())
