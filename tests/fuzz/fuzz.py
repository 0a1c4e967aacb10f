"""Coverage-guided fuzzing of one target with atheris (libFuzzer), run by hand; see tests/fuzz/README.md.

    python -m tests.fuzz.fuzz TARGET [CORPUS_DIR] [libFuzzer flags...]

The committed seeds (samples, policy texts) are written into CORPUS_DIR before the run; crashes, timeouts and
out-of-memory inputs land where libFuzzer puts them (-artifact_prefix=...). Every Python function loaded (apkscan,
androguard, zipfile...) is instrumented for coverage; lxml and zlib are C and are not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

from tests.fuzz.targets import TARGETS, regression_files, regression_input, seeds  # noqa: E402 (after atheris)

atheris.instrument_all()  # every Python function loaded so far: apkscan, androguard, zipfile, the codecs...


def _prepare_corpus(target: str, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for name, blob in [*seeds(target), *((p.name, regression_input(p)) for p in regression_files(target))]:
        path = corpus / ("seed-" + name.replace("/", "_").replace("!", "_"))
        if not path.exists():
            path.write_bytes(blob)


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: python -m tests.fuzz.fuzz {{{','.join(TARGETS)}}} [CORPUS_DIR] [libFuzzer flags]")
    target = argv[1]
    rest = argv[2:]
    if rest and not rest[0].startswith("-"):
        _prepare_corpus(target, Path(rest[0]))
    run = TARGETS[target]

    def one_input(data: bytes) -> None:
        run(data)

    atheris.Setup([argv[0], *rest], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
