"""The executor seam: run one function over many items, each isolated, outcomes as they finish.

The batch runner talks only to :class:`Executor`. The local implementation
(:mod:`apkscan.batch.executor_local`) keeps a pool of persistent worker processes; another back end (Dask, a job
queue) is one more module named ``apkscan/batch/executor_<name>.py`` that defines ``EXECUTOR``, a class with the
same constructor keywords and the two methods below. :func:`load_executor` finds it by that name, so adding a back
end touches no existing file. A class attribute ``shares_files`` says whether its workers see the parent's files
under the same paths (the local executor) — if not, workers send report files back instead of writing them.

The contract every back end keeps, because the runner's bookkeeping depends on it:

- every submitted :class:`Task` yields exactly one :class:`Outcome`, in any order;
- an exception raised by the function becomes ``kind="error"`` with a one-line message; ``MemoryError`` becomes
  ``"memory"``; the worker dying (segfault, ``os._exit``, OOM killer) becomes ``"crash"``; running past the
  timeout becomes ``"timeout"``. None of these stop the other tasks;
- only a failure of the executor itself (workers that cannot even start) raises :class:`ExecutorError`.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from apkscan.read.errors import one_line

__all__ = [
    "Executor",
    "ExecutorError",
    "OUTCOME_KINDS",
    "Outcome",
    "Task",
    "available_executors",
    "default_jobs",
    "load_executor",
    "one_line",
]

OUTCOME_KINDS = ("ok", "error", "timeout", "crash", "memory")


class ExecutorError(RuntimeError):
    """The executor cannot run tasks at all (as opposed to one task failing)."""


@dataclass(frozen=True)
class Task:
    """One unit of work: ``key`` names it in the outcome; ``arg`` must be picklable."""

    key: str
    arg: Any


@dataclass(frozen=True)
class Outcome:
    """What became of one task. ``value`` is the function's return value when ``kind == "ok"``."""

    key: str
    kind: str
    value: Any = None
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


class Executor(Protocol):
    """Runs ``fn(task.arg)`` for every task; ``fn`` must be a module-level (picklable) function."""

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Task]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def default_jobs() -> int:
    """Cores this process may use (respects CPU affinity in containers), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def available_executors() -> tuple[str, ...]:
    """Names of the back ends shipped with apkscan: the ``executor_<name>.py`` modules beside this one."""
    import apkscan.batch

    modules = (m.name for m in pkgutil.iter_modules(apkscan.batch.__path__))
    return tuple(sorted(m.removeprefix("executor_") for m in modules if m.startswith("executor_")))


def executor_class(name: str) -> type:
    """The class behind back end ``name`` (``local``, or any ``apkscan.batch.executor_<name>`` module).

    A back end whose module imports an optional dependency that is missing (``dask`` without ``apkscan[dask]``)
    raises :class:`ExecutorError` with one line saying what to install.
    """
    if not name.isidentifier():
        raise ExecutorError(f"invalid executor name {name!r}")
    try:
        module = importlib.import_module(f"apkscan.batch.executor_{name}")
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith(f"apkscan.batch.executor_{name}"):
            raise ExecutorError(f"no executor named {name!r}") from None
        raise ExecutorError(
            f"the {name} executor needs {err.name}, which is not installed: pip install 'apkscan[{name}]'"
        ) from None
    return module.EXECUTOR


def load_executor(name: str, **kwargs: Any) -> Executor:
    """Build the executor called ``name`` with the shared keywords (``jobs``, ``timeout``, ``max_memory_mb``,
    ``initializer``, ``initargs``) and any of its own (``scheduler`` for Dask)."""
    return executor_class(name)(**kwargs)
