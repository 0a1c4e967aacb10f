"""The short, seeded fuzz run that CI does on every change, and the replay of every input that once broke a parser.

Each target gets a few seconds of structure-aware mutations of the committed samples (hypothesis, derandomized: the
same inputs on every run, so a failure reproduces). The long, coverage-guided run is done by hand with atheris; see
tests/fuzz/README.md. Every input runs under :func:`~tests.fuzz.targets.bounded` (time and address-space caps).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.mutations import mutated, repeated
from tests.fuzz.targets import TARGETS, Hang, bounded, regression_files, regression_input, seeds

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bounds use SIGALRM and /proc"),
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),  # inputs are whole APKs
]

EXAMPLES = {"zip": 300, "axml": 300, "arsc": 150, "dex": 150, "policy": 200, "signing": 200}


def _short_run(target: str):
    @settings(
        max_examples=EXAMPLES[target],
        derandomize=True,
        database=None,
        deadline=None,  # the time bound is enforced by bounded(), which also catches a real hang
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=mutated(target))
    def run(data: bytes) -> None:
        with bounded():
            TARGETS[target](data)

    return run


def _repetition_run(target: str, examples: int):
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(data=repeated(target))
    def run(data: bytes) -> None:
        with bounded(seconds=5):  # linear work on a few hundred kB is well under a second
            TARGETS[target](data)

    return run


test_zip_short = _short_run("zip")
test_axml_short = _short_run("axml")
test_arsc_short = _short_run("arsc")
test_dex_short = _short_run("dex")
test_policy_short = _short_run("policy")
test_signing_short = _short_run("signing")
test_policy_long_runs = _repetition_run("policy", 40)
test_zip_long_runs = _repetition_run("zip", 15)
test_axml_long_runs = _repetition_run("axml", 15)
test_arsc_long_runs = _repetition_run("arsc", 15)
test_dex_long_runs = _repetition_run("dex", 15)

REGRESSIONS = [(target, path) for target in TARGETS for path in regression_files(target)]


@pytest.mark.parametrize(("target", "path"), REGRESSIONS, ids=[f"{t}/{p.name}" for t, p in REGRESSIONS])
def test_regressions(target: str, path: Path) -> None:
    """Files that once broke a parser (found by fuzzing) now give a result or a one-line error."""
    with bounded():
        TARGETS[target](regression_input(path))


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_seeds(target: str) -> None:
    for _name, data in seeds(target):
        with bounded():
            TARGETS[target](data)


def test_every_target_has_regressions_folder() -> None:
    root = Path(__file__).parent / "regressions"
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == sorted(TARGETS)


def test_the_bounds_stop_a_hang_and_a_blow_up() -> None:
    """The harness must be able to fail: a busy loop and a huge allocation are both stopped."""
    with pytest.raises(Hang), bounded(seconds=0.2):
        while True:
            pass
    with pytest.raises(MemoryError), bounded(extra_mb=256):
        bytearray(1024 * 1024 * 1024)
    assert len(bytearray(300 * 1024 * 1024)) > 0  # and the limit is lifted afterwards
