"""The executor seam, driven directly with task functions that misbehave for real: sleep, exit, segfault, hog memory.

These are the isolation guarantees the batch relies on: one outcome per task whatever happens, a bad task costs only
itself, and workers persist (androguard is imported once per worker, not once per file).
"""

from __future__ import annotations

import ctypes
import os
import time

import pytest

from apkscan.batch.executor import ExecutorError, Task, load_executor
from apkscan.batch.executor_local import LocalExecutor


def behave(arg: str) -> object:
    """A task that does what its argument says."""
    if arg == "sleep":
        time.sleep(60)
    elif arg == "exit":
        os._exit(3)
    elif arg == "segfault":
        ctypes.string_at(0)
    elif arg == "hog":
        return len(bytearray(2 * 1024**3))
    elif arg == "raise":
        raise ValueError("bad\ninput")
    elif arg == "unpicklable":
        return lambda: None
    return (arg, os.getpid())


def fail_to_start() -> None:
    raise RuntimeError("no rule table")


def run(executor: LocalExecutor, args: list[str]) -> dict[str, object]:
    with executor:
        outcomes = list(executor.map_unordered(behave, [Task(f"{i}:{a}", a) for i, a in enumerate(args)]))
    keys = [o.key for o in outcomes]
    assert sorted(keys) == sorted(f"{i}:{a}" for i, a in enumerate(args)), "exactly one outcome per task"
    return {o.key: o for o in outcomes}


def test_results_come_back_from_persistent_workers() -> None:
    outcomes = run(LocalExecutor(jobs=2), [f"x{i}" for i in range(20)])
    assert all(o.ok for o in outcomes.values())
    assert {o.value[0] for o in outcomes.values()} == {f"x{i}" for i in range(20)}
    assert len({o.value[1] for o in outcomes.values()}) <= 2, "two workers served all twenty tasks"


def test_hang_past_timeout_is_killed_and_others_finish() -> None:
    start = time.monotonic()
    outcomes = run(LocalExecutor(jobs=2, timeout=1.0), ["a", "sleep", "b", "c", "sleep", "d"])
    assert time.monotonic() - start < 15
    kinds = {k: o.kind for k, o in outcomes.items()}
    assert kinds == {"0:a": "ok", "1:sleep": "timeout", "2:b": "ok", "3:c": "ok", "4:sleep": "timeout", "5:d": "ok"}
    assert "timed out after 1 s" in outcomes["1:sleep"].error


def test_crashing_worker_loses_only_its_own_task() -> None:
    outcomes = run(LocalExecutor(jobs=1), ["a", "exit", "b", "segfault", "c"])
    assert [outcomes[k].kind for k in ("0:a", "2:b", "4:c")] == ["ok"] * 3
    assert outcomes["1:exit"].kind == "crash" and "exited with code 3" in outcomes["1:exit"].error
    assert outcomes["3:segfault"].kind == "crash" and "SIGSEGV" in outcomes["3:segfault"].error
    pids = {outcomes[k].value[1] for k in ("0:a", "2:b", "4:c")}
    assert len(pids) == 3, "a fresh worker replaced each dead one"


def test_memory_cap_turns_a_blow_up_into_an_outcome() -> None:
    outcomes = run(LocalExecutor(jobs=1, max_memory_mb=1024), ["a", "hog", "b"])
    assert outcomes["1:hog"].kind == "memory" and "1024 MB" in outcomes["1:hog"].error
    assert outcomes["0:a"].ok and outcomes["2:b"].ok


def test_exceptions_and_unpicklable_results_are_one_line_errors() -> None:
    outcomes = run(LocalExecutor(jobs=1), ["raise", "unpicklable", "a"])
    assert outcomes["0:raise"].kind == "error" and outcomes["0:raise"].error == "ValueError: bad input"
    assert outcomes["1:unpicklable"].kind == "error" and "could not be returned" in outcomes["1:unpicklable"].error
    assert outcomes["2:a"].ok


def test_workers_that_cannot_start_stop_the_executor() -> None:
    with pytest.raises(ExecutorError, match="no rule table"):
        run(LocalExecutor(jobs=2, initializer=fail_to_start), ["a"])


def test_back_ends_are_found_by_module_name() -> None:
    assert isinstance(load_executor("local", jobs=1), LocalExecutor)
    with pytest.raises(ExecutorError, match="no executor named 'dask'"):
        load_executor("dask")
    with pytest.raises(ExecutorError):
        load_executor("../evil")


def test_no_tasks_starts_no_workers() -> None:
    executor = LocalExecutor(jobs=4)
    assert list(executor.map_unordered(behave, [])) == []
    assert executor._workers == []
