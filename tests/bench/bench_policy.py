"""Timing of the policy analysis on a 100-page policy (not a unit test).

Run either way:
    python tests/bench/bench_policy.py            # prints the timings
    pytest tests/bench/bench_policy.py --bench    # asserts the generous bound as well

The 100-page policies are built from the long corpus policies, repeated under new headings until they reach about
100 pages (1 500 characters a page in Chinese, 3 000 in English). Times are CPU seconds, best of five runs, for
reading (HTML parse) plus analysis; the lexicon is loaded once beforehand, as a scan would.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from apkscan.evaluate.policy.analysis import analyse_policy, load_lexicon
from apkscan.knowledge.lexicon import _default_lexicon
from apkscan.read.policy.file import read_policy_bytes, read_policy_file

CORPUS = Path(__file__).resolve().parents[1] / "policy_corpus"
BOUND_SECONDS = 3.0  # generous: a laptop does it in about half a second
PAGES = 100


def hundred_pages(name: str, chars_per_page: int) -> bytes:
    doc = read_policy_file(CORPUS / name)
    paragraphs = "".join(f"<p>{b.text}</p>" for b in doc.blocks)
    size = sum(len(b.text) for b in doc.blocks)
    copies = PAGES * chars_per_page // size + 1
    body = "\n".join(f"<h2>Part {i}</h2>{paragraphs}" for i in range(copies))
    return f"<html><body>{body}</body></html>".encode()


def measure(data: bytes, runs: int = 5) -> tuple[float, int]:
    load_lexicon()
    best, sentences = float("inf"), 0
    for _ in range(runs):
        started = time.process_time()
        analysis = analyse_policy(read_policy_bytes(data, "100-pages.html"))
        best = min(best, time.process_time() - started)
        sentences = analysis.sentences_analysed
    return best, sentences


CASES = {"zh": ("zh_07_long.html", 1500), "en": ("en_07_long.txt", 3000)}


@pytest.mark.bench
@pytest.mark.parametrize("language", sorted(CASES))
def test_hundred_page_policy_is_analysed_quickly(language: str):
    seconds, sentences = measure(hundred_pages(*CASES[language]))
    print(f"\n{language}: {sentences} sentences in {seconds:.3f} s")
    assert seconds < BOUND_SECONDS


def main() -> int:
    _default_lexicon.cache_clear()  # time the cold compile, which a scan pays once per process
    started = time.process_time()
    load_lexicon()
    print(f"lexicon load and compile: {time.process_time() - started:.3f} s")
    for language, (name, per_page) in sorted(CASES.items()):
        data = hundred_pages(name, per_page)
        seconds, sentences = measure(data)
        print(
            f"{language}: {len(data) / 1024:.0f} KiB, {sentences} sentences, read + analyse {seconds:.3f} s "
            f"({seconds / sentences * 1e6:.0f} µs per sentence)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
