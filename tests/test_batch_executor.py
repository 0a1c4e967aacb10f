"""The executor contract, run against every back end (``available_executors()``), with task functions that
misbehave for real: sleep, exit, segfault, hog memory, raise, return what cannot travel.

These are the isolation guarantees the batch relies on: one outcome per task whatever happens, a bad task costs only
itself, and only workers that cannot start at all stop the executor. Back ends whose optional dependency is missing
are skipped (``pip install -e '.[test]'`` installs them all). Local-only details (persistent workers, no work → no
processes) are at the end.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator

import pytest

from apkscan.batch.executor import Executor, ExecutorError, Outcome, Task, available_executors, load_executor
from apkscan.batch.executor_local import LocalExecutor


def behave(arg: str) -> object:
    """A task that does what its argument says."""
    if arg == "sleep":
        time.sleep(60)
    elif arg == "exit":
        os._exit(3)
    elif arg == "segfault":
        ctypes.string_at(0)
    elif arg == "hog":  # touches every page, so both an address-space cap and a resident-memory cap see it
        block = bytearray(64 * 1024**2)
        chunks = [bytes(block) + bytes([i]) for i in range(48)]  # 3 GB, written
        return len(chunks)
    elif arg == "raise":
        raise ValueError("bad\ninput")
    elif arg == "unpicklable":
        return threading.Lock()
    return (arg, os.getpid())


def fail_to_start() -> None:
    raise RuntimeError("no rule table")


def _dask_ready() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


BACK_ENDS = [
    pytest.param(name, marks=pytest.mark.skipif(name == "dask" and not _dask_ready(), reason="apkscan[dask] missing"))
    for name in available_executors()
]


def run(executor: Executor, args: list[str]) -> dict[str, Outcome]:
    with executor:
        outcomes = list(executor.map_unordered(behave, [Task(f"{i}:{a}", a) for i, a in enumerate(args)]))
    keys = [o.key for o in outcomes]
    assert sorted(keys) == sorted(f"{i}:{a}" for i, a in enumerate(args)), "exactly one outcome per task"
    assert all(o.kind in ("ok", "error", "timeout", "crash", "memory") for o in outcomes)
    return {o.key: o for o in outcomes}


@pytest.fixture(params=BACK_ENDS)
def back_end(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param


def make(name: str, **kwargs: object) -> Executor:
    return load_executor(name, **kwargs)


def test_every_task_yields_one_result(back_end: str) -> None:
    outcomes = run(make(back_end, jobs=2), [f"x{i}" for i in range(20)])
    assert all(o.ok for o in outcomes.values())
    assert {o.value[0] for o in outcomes.values()} == {f"x{i}" for i in range(20)}


def test_hang_past_timeout_costs_only_that_task(back_end: str) -> None:
    start = time.monotonic()
    outcomes = run(make(back_end, jobs=2, timeout=2.0), ["a", "sleep", "b", "c", "sleep", "d"])
    assert time.monotonic() - start < 45
    kinds = {k: o.kind for k, o in outcomes.items()}
    assert kinds == {"0:a": "ok", "1:sleep": "timeout", "2:b": "ok", "3:c": "ok", "4:sleep": "timeout", "5:d": "ok"}
    assert "timed out after 2 s" in outcomes["1:sleep"].error


def test_crashing_worker_loses_only_its_own_task(back_end: str) -> None:
    outcomes = run(make(back_end, jobs=1), ["a", "exit", "b", "segfault", "c"])
    assert [outcomes[k].kind for k in ("0:a", "2:b", "4:c")] == ["ok"] * 3
    assert outcomes["1:exit"].kind == "crash" and outcomes["3:segfault"].kind == "crash"
    assert outcomes["1:exit"].error.startswith("worker crashed")


def test_memory_cap_turns_a_blow_up_into_an_outcome(back_end: str) -> None:
    outcomes = run(make(back_end, jobs=1, max_memory_mb=1024), ["a", "hog", "b"])
    assert outcomes["1:hog"].kind == "memory" and "1024 MB" in outcomes["1:hog"].error
    assert outcomes["0:a"].ok and outcomes["2:b"].ok


def test_exceptions_and_unpicklable_results_are_one_line_errors(back_end: str) -> None:
    outcomes = run(make(back_end, jobs=1), ["raise", "unpicklable", "a"])
    assert outcomes["0:raise"].kind == "error" and outcomes["0:raise"].error == "ValueError: bad input"
    assert outcomes["1:unpicklable"].kind == "error" and "could not be returned" in outcomes["1:unpicklable"].error
    assert outcomes["2:a"].ok


def test_workers_that_cannot_start_stop_the_executor(back_end: str) -> None:
    with pytest.raises(ExecutorError, match="no rule table"):
        run(make(back_end, jobs=2, initializer=fail_to_start), ["a"])


def test_no_tasks_no_outcomes(back_end: str) -> None:
    with make(back_end, jobs=2) as executor:
        assert list(executor.map_unordered(behave, [])) == []


def test_back_ends_are_found_by_module_name() -> None:
    assert {"local", "dask"} <= set(available_executors())
    assert isinstance(load_executor("local", jobs=1), LocalExecutor)
    with pytest.raises(ExecutorError, match="no executor named 'nope'"):
        load_executor("nope")
    with pytest.raises(ExecutorError):
        load_executor("../evil")


def test_local_workers_persist() -> None:
    """androguard is imported once per worker, not once per file: two workers serve twenty tasks."""
    outcomes = run(LocalExecutor(jobs=2), [f"x{i}" for i in range(20)])
    assert len({o.value[1] for o in outcomes.values()}) <= 2


def test_local_crash_messages_name_the_cause() -> None:
    outcomes = run(LocalExecutor(jobs=1), ["exit", "segfault", "a"])
    assert "exited with code 3" in outcomes["0:exit"].error and "SIGSEGV" in outcomes["1:segfault"].error
    assert outcomes["2:a"].value[1] != os.getpid()


def test_no_tasks_starts_no_local_workers() -> None:
    executor = LocalExecutor(jobs=4)
    assert list(executor.map_unordered(behave, [])) == []
    assert executor._workers == []
