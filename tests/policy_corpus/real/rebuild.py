"""Rebuild the cached texts of the real-policy corpus from the public pages (run by hand, needs the network).

    python tests/policy_corpus/real/rebuild.py --check            # which cached texts are present and match
    python tests/policy_corpus/real/rebuild.py                    # fetch the missing ones
    python tests/policy_corpus/real/rebuild.py --from-dir SAVED   # use pages saved by hand (SAVED/<id>.html|.txt)
    python tests/policy_corpus/real/rebuild.py --reanchor         # accept changed pages: rewrite the manifests

A page is read the way apkscan reads a policy (apkscan.read.policy_file: encoding sniffing, safe HTML parsing),
its blocks are written one per line under their headings and normalised (corpus.normalise). Most labels were made
on an excerpt of the page (``fragment = true``): the rebuilt page is then cut between the excerpt's first and last
lines, found by their SHA-256. When the result differs from the labelled text (the site changed), every justifying
sentence is looked up by its SHA-256; with ``--reanchor`` the manifest is rewritten with the new offsets and text
hash when all of them are found, otherwise the policy is reported and left out. The cache folder is
$APKSCAN_POLICY_CORPUS or ~/.cache/apkscan-policy-corpus (texts in its ``texts/``).
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from apkscan.read.policy.file import PolicyDocument, read_policy_bytes  # noqa: E402
from tests.policy_corpus.real.corpus import (  # noqa: E402
    MANIFESTS,
    CorpusError,
    Manifest,
    cache_dir,
    check_text,
    clip_fragment,
    dump_manifest,
    lines,
    load_manifests,
    normalise,
    reanchor,
    sha256,
    text_path,
)

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 20


def page_text(doc: PolicyDocument) -> str:
    """One line per block, each section heading on its own line before its first block."""
    out, section = [], None
    for block in doc.blocks:
        if block.section and block.section != section:
            out.append(block.section)
        section = block.section
        out.append(block.text)
    return normalise("\n".join(out))


def fetch(url: str) -> PolicyDocument:
    request = urllib.request.Request(url, headers={"User-Agent": "apkscan-policy-corpus/1 (+rebuild.py)"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http/https from manifests)
        data = response.read(MAX_BYTES + 1)
        ctype = response.headers.get_content_type()
        charset = response.headers.get_content_charset()
    kind = "html" if "html" in ctype else None
    return read_policy_bytes(data[:MAX_BYTES], url, kind=kind, encoding=charset)


def saved(folder: Path, m: Manifest) -> list[str] | None:
    """Candidate page texts of a page saved by hand: as apkscan reads it and, for plain text, as written.

    Plain text is the form the stored excerpts came in (one block per line, list markers kept), so a ``.txt`` is
    tried as written first and through the policy reader second."""
    for suffix in (".html", ".htm", ".txt", ".md"):
        path = folder / f"{m.id}{suffix}"
        if path.exists():
            read = page_text(read_policy_bytes(path.read_bytes(), str(path)))
            if suffix == ".txt":
                return [normalise(path.read_text("utf-8", errors="replace")), read]
            return [read]
    return None


def diagnose(m: Manifest, texts: list[str]) -> str:
    """Which anchors a saved page holds: the excerpt's first and last lines and each justifying sentence."""
    out = []
    for i, text in enumerate(texts):
        hashes = {sha256(line.text) for line in lines(text)}
        anchors, missing = reanchor(m, text)
        out.append(
            f"  reading {i}: first line {'found' if m.first_line_sha256 in hashes else 'MISSING'}, "
            f"last line {'found' if m.last_line_sha256 in hashes else 'MISSING'}, "
            f"sentences found {sorted(anchors)}, missing {missing}"
        )
    return "\n".join(out)


_QUOTE_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def recover(m: Manifest, texts: list[str]) -> str | None:
    """The labelled excerpt found by its own hash where the line boundaries do not give it: an excerpt that was
    cut inside a line (and closed with a full stop), or had its curly quotes made straight when it was labelled.

    The hash of the whole labelled text is the proof, so nothing here can yield a text other than the labelled one."""
    for text in dict.fromkeys([*texts, *(t.translate(_QUOTE_FOLD) for t in texts)]):
        for line in lines(text):
            for length, tail in ((m.text_chars, ""), (m.text_chars - 1, "."), (m.text_chars - 1, "。")):
                candidate = text[line.offset : line.offset + length] + tail
                if len(candidate) == m.text_chars and not check_text(m, candidate):
                    return candidate
    return None


def rebuild_one(m: Manifest, texts: list[str], root: Path, accept: bool) -> str:
    """Cut, check and cache the first candidate text that yields the labelled one (or re-anchors)."""
    text = texts[0]
    if m.fragment and (found := recover(m, texts)) is not None:
        text_path(m, root).write_text(found, "utf-8")
        return "ok"
    if m.fragment:
        clips = [c for c in (clip_fragment(m, t) for t in texts) if c is not None]
        if not clips:
            return "excerpt boundaries not found in the page; left out\n" + diagnose(m, texts)
        text = next((c for c in clips if not check_text(m, c)), clips[0])
    if not check_text(m, text):
        text_path(m, root).write_text(text, "utf-8")
        return "ok"
    anchors, missing = reanchor(m, text)
    if missing:
        return f"page changed; sentences not found for {', '.join(missing)}; left out\n" + diagnose(m, [text])
    if not accept:
        return "page changed but every label re-anchors; run with --reanchor to accept"
    text_path(m, root).write_text(text, "utf-8")
    first, last = lines(text)[0], lines(text)[-1]
    updated = Manifest(
        **{
            **m.__dict__,
            "labels": anchors,
            "text_sha256": sha256(text),
            "text_chars": len(text),
            "first_line_sha256": sha256(first.text),
            "last_line_sha256": sha256(last.text),
        }
    )
    (MANIFESTS / f"{m.id}.toml").write_text(dump_manifest(updated), "utf-8")
    return "re-anchored; manifest rewritten"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report the state of the cache")
    parser.add_argument("--from-dir", type=Path, help="read pages saved by hand instead of fetching")
    parser.add_argument("--reanchor", action="store_true", help="rewrite manifests of changed pages")
    parser.add_argument("--force", action="store_true", help="rebuild texts that are already cached and valid")
    parser.add_argument("--cache", type=Path, help="cache folder")
    parser.add_argument("ids", nargs="*", help="only these policy ids")
    args = parser.parse_args(argv)
    root = args.cache or cache_dir()
    (root / "texts").mkdir(parents=True, exist_ok=True)
    bad = 0
    for m in load_manifests():
        if args.ids and m.id not in args.ids:
            continue
        path = text_path(m, root)
        state = "missing" if not path.exists() else ("ok" if not check_text(m, path.read_text("utf-8")) else "stale")
        if args.check or (state == "ok" and not args.force):
            print(f"{m.id:28} {state}")
            bad += state != "ok"
            continue
        try:
            texts = saved(args.from_dir, m) if args.from_dir else [page_text(fetch(m.url))]
            result = "no saved page" if texts is None else rebuild_one(m, texts, root, args.reanchor)
        except (OSError, CorpusError, ValueError) as err:
            result = f"failed: {err}"
        print(f"{m.id:28} {result}")
        bad += not result.startswith(("ok", "re-anchored"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
