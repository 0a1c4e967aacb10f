"""Write the manifests from a labeller's spec file and the cached texts (the labeller's tool, run by hand).

The spec stays outside the repository because it quotes the policies: one TOML table per policy id with ``url``,
``country``, ``kind`` and, per non-silent category, ``[status, snippet]`` where the snippet is a piece of the
justifying sentence; ``sdks = [[name, company, [categories]], ...]`` lists third-party collection. Example:

    [in_example]
    url = "https://example.org/privacy"
    country = "IN"
    kind = "lending"
    sms = ["collects", "we will request permission to access SMS"]

Run: ``python tests/policy_corpus/real/label.py SPEC.toml`` — it normalises each cached text in place, finds each
snippet's sentence, assigns the dev/test split once (stratified by language, country and kind, fixed seed; an
existing manifest keeps its split) and writes ``policies/<id>.toml``.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from apkscan.extract.policy.sentences import detect_language  # noqa: E402
from tests.policy_corpus.real.corpus import (  # noqa: E402
    CATEGORIES,
    MANIFESTS,
    SEEN,
    STATUSES,
    Anchor,
    CorpusError,
    Manifest,
    ThirdParty,
    assign_splits,
    cache_dir,
    dump_manifest,
    load_manifests,
    normalise,
    sentence_around,
    sha256,
)


def build(spec_path: Path, root: Path, round_: int = 1) -> list[Manifest]:
    spec = tomllib.loads(spec_path.read_text("utf-8"))
    drafts: list[Manifest] = []
    for pid, entry in spec.items():
        path = root / "texts" / f"{pid}.txt"
        text = normalise(path.read_text("utf-8"))
        path.write_text(text, "utf-8")
        labels = {}
        for category in CATEGORIES:
            if category not in entry:
                continue
            status, snippet = entry[category]
            if status not in STATUSES:
                raise CorpusError(f"{pid}: {category} status {status!r}")
            span = sentence_around(text, normalise(snippet))
            labels[category] = Anchor(status, span.offset, span.length, sha256(span.text))
        third = tuple(ThirdParty(name, company, tuple(cats)) for name, company, cats in entry.get("sdks", []))
        language = entry.get("language") or detect_language(text)
        all_lines = text.split("\n")
        drafts.append(
            Manifest(
                id=pid,
                url=entry["url"],
                seen=entry.get("seen", SEEN),
                country=entry["country"],
                language=language,
                kind=entry["kind"],
                split="dev",
                round=round_,
                fragment=not entry.get("complete", False),
                text_sha256=sha256(text),
                text_chars=len(text),
                first_line_sha256=sha256(all_lines[0]),
                last_line_sha256=sha256(all_lines[-1]),
                labels=labels,
                third_party=third,
            )
        )
    return drafts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="cache folder (default: see corpus.cache_dir)")
    parser.add_argument("--dry-run", action="store_true", help="check the spec and show each label's sentence")
    parser.add_argument("--round", type=int, default=1, help="labelling round (policies added by a later session)")
    args = parser.parse_args(argv)
    root = args.cache or cache_dir()
    drafts = build(args.spec, root, args.round)
    if args.dry_run:
        for m in drafts:
            text = (root / "texts" / f"{m.id}.txt").read_text("utf-8")
            print(f"{m.id} ({m.kind}, {m.language}, {m.text_chars} chars)")
            for category, a in m.labels.items():
                print(f"  {category:22} {a.status:9} {text[a.offset : a.offset + a.length][:110]!r}")
            for t in m.third_party:
                print(f"  third party {t.sdk} ({t.company}): {', '.join(t.categories)}")
        return 0
    existing = {m.id: m.split for m in load_manifests()} if MANIFESTS.exists() else {}
    fresh = [m for m in drafts if m.id not in existing]
    splits = assign_splits((m.id, f"{m.language}/{m.country}/{m.kind}") for m in fresh)
    MANIFESTS.mkdir(exist_ok=True)
    for m in drafts:
        split = existing.get(m.id) or splits[m.id]
        (MANIFESTS / f"{m.id}.toml").write_text(dump_manifest(Manifest(**{**m.__dict__, "split": split})), "utf-8")
    print(f"{len(drafts)} manifests written ({len(fresh)} new) to {MANIFESTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
