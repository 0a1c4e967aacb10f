"""Local executor: persistent worker processes with a supervisor that replaces dead or hung ones.

Why processes that live for the whole batch: importing androguard costs about half a second, more than scanning a
typical APK, so a process per file would halve throughput. Why a hand-written supervisor rather than
``concurrent.futures.ProcessPoolExecutor``: that pool cannot kill one hung task (a stuck worker blocks it for
good) and marks the whole pool broken when one worker dies, while a batch of hostile APKs must lose only the file
that caused it.

Each worker owns a pipe. The parent sends one task at a time to an idle worker and waits on all pipes and process
sentinels at once, with a wake-up at the earliest deadline, so a task past ``timeout`` is killed (SIGKILL) and its
worker replaced. ``RLIMIT_AS`` caps each worker's address space, so a memory blow-up becomes a ``MemoryError`` in
that worker (or, at worst, its death) instead of the machine swapping.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from apkscan.batch.executor import ExecutorError, Outcome, Task, default_jobs, one_line

MAX_START_FAILURES = 3  # workers dying before they are ready, in a row, before giving up


def _start_method() -> str:
    """``fork`` where it is safe and cheap (Linux): workers inherit the imported androguard and warmed caches for free.

    They also inherit the parent's open SQLite connection, which they never touch (and multiprocessing ends a
    forked child with ``os._exit``, so nothing is flushed or closed twice).
    """
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _limit_memory(max_bytes: int | None) -> None:
    if not max_bytes:
        return
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
        pass


def _worker_main(
    conn: Connection,
    initializer: Callable[..., None] | None,
    initargs: tuple,
    max_bytes: int | None,
    fn: Callable[[Any], Any] | None = None,
) -> None:
    """Loop in the worker: run tasks until told to stop. Ctrl-C is the parent's business, so it is ignored here.

    ``fn`` is unused here: passing it at start makes a spawned or fork-server worker import its module before it
    says it is ready, so that import never counts against the first task's timeout.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.disable()  # a crash is reported by the parent in one line, not as a traceback on the terminal
    _limit_memory(max_bytes)
    try:
        if initializer is not None:
            initializer(*initargs)
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which stops the batch
        conn.send(("init-error", one_line(err)))
        return
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, key, arg = message
        start = time.perf_counter()
        kind, value, error = "ok", None, ""
        try:
            value = fn(arg)
        except MemoryError:
            kind, value, error = "memory", None, f"out of memory (over the {(max_bytes or 0) >> 20} MB limit)"
        except Exception as err:  # noqa: BLE001 - any failure of the task is that task's outcome
            kind, error = "error", one_line(err)
        seconds = time.perf_counter() - start
        # A process that hit its memory cap may be in a bad state: it says so, exits, and the parent starts another.
        last = kind == "memory"
        try:
            conn.send(("done", key, kind, value, error, seconds, last))
        except Exception as err:  # noqa: BLE001 - e.g. an unpicklable result
            conn.send(("done", key, "error", None, f"result could not be returned: {one_line(err)}", seconds, last))
        if last:
            return


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False
    closed: bool = False  # pipe hit EOF: only the sentinel still matters
    task: Task | None = None
    started: float = 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class LocalExecutor:
    """Run tasks in ``jobs`` worker processes on this machine (see the module docstring)."""

    shares_files = True  # workers see the parent's paths: they read inputs and write reports in place

    def __init__(
        self,
        jobs: int | None = None,
        timeout: float | None = None,
        max_memory_mb: int | None = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
        start_method: str | None = None,
    ) -> None:
        self.jobs = max(1, jobs or default_jobs())
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_bytes = max_memory_mb * 1024 * 1024 if max_memory_mb else None
        self._initializer, self._initargs = initializer, initargs
        self._ctx: Any = multiprocessing.get_context(start_method or _start_method())  # Fork/Spawn/ForkServer
        self._workers: list[_Worker] = []
        self._start_failures = 0

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(graceful=exc_type is None)

    def close(self, graceful: bool = True) -> None:
        """Stop every worker: idle ones are asked to exit, busy ones (or all, when not graceful) are killed."""
        for w in self._workers:
            if graceful and w.task is None and not w.closed:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
        deadline = time.monotonic() + (2.0 if graceful else 0.0)
        for w in self._workers:
            if graceful and w.task is None:
                w.process.join(max(0.0, deadline - time.monotonic()))
            w.kill()
        self._workers.clear()

    def kill_processes(self) -> None:
        """Kill every worker process, from any thread: unlike :meth:`close` it leaves the pipes and the bookkeeping to
        the thread that owns this executor, which sees the deaths (used by the Dask back end's sandboxes)."""
        for w in list(self._workers):
            try:
                if w.process.is_alive():
                    w.process.kill()
            except (OSError, ValueError, AssertionError):  # already gone, or closed meanwhile
                pass

    def _spawn(self, fn: Callable[[Any], Any]) -> _Worker:
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main,
            name="apkscan-worker",
            daemon=True,
            args=(child_end, self._initializer, self._initargs, self.max_bytes, fn),
        )
        process.start()
        child_end.close()  # so the parent sees EOF when the worker dies
        worker = _Worker(process, parent_end)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.remove(worker)

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Task]) -> Iterator[Outcome]:
        queue = deque(tasks)
        while queue or any(w.task for w in self._workers):
            busy = sum(1 for w in self._workers if w.task)
            while len(self._workers) < min(self.jobs, busy + len(queue)):
                self._spawn(fn)
            for w in self._workers:
                if queue and w.ready and w.task is None and not w.closed:
                    task = queue.popleft()
                    try:
                        w.conn.send((fn, task.key, task.arg))
                    except OSError:
                        queue.appendleft(task)  # the worker died meanwhile; its sentinel will retire it
                        w.closed = True
                        continue
                    w.task, w.started = task, time.monotonic()
            yield from self._collect()

    def _collect(self) -> Iterator[Outcome]:
        """Wait for the next message, worker death or deadline, and turn each into outcomes."""
        now = time.monotonic()
        deadlines = [w.started + self.timeout for w in self._workers if w.task and self.timeout]
        wait_for = max(0.0, min(deadlines) - now) if deadlines else None
        conns = {w.conn: w for w in self._workers if not w.closed}
        sentinels = {w.process.sentinel: w for w in self._workers}
        ready = wait([*conns, *sentinels], timeout=wait_for)
        for obj in ready:  # results first: a worker may send its last result and exit in the same instant
            if isinstance(obj, Connection) and obj in conns:
                yield from self._receive(conns[obj])
        for obj in ready:
            if isinstance(obj, int) and (worker := sentinels.get(obj)) is not None and worker in self._workers:
                yield from self._dead(worker)
        now = time.monotonic()
        for w in list(self._workers):
            if w.task and self.timeout and now - w.started >= self.timeout:
                task = w.task
                self._retire(w)
                yield Outcome(
                    task.key,
                    "timeout",
                    error=f"timed out after {self.timeout:g} s (worker killed)",
                    seconds=now - w.started,
                )

    def _receive(self, worker: _Worker) -> Iterator[Outcome]:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.closed = True  # death is handled when the sentinel fires
            return
        if message[0] == "ready":
            worker.ready, self._start_failures = True, 0
        elif message[0] == "init-error":
            raise ExecutorError(f"worker could not start: {message[1]}")
        elif message[0] == "done":
            _, key, kind, value, error, seconds, last = message
            worker.task = None
            worker.closed = worker.closed or last  # no more tasks for it; its sentinel retires it
            yield Outcome(key, kind, value, error, seconds)

    def _dead(self, worker: _Worker) -> Iterator[Outcome]:
        while not worker.closed and worker.conn.poll():
            yield from self._receive(worker)  # a last result sent just before exiting
        task, started, was_ready = worker.task, worker.started, worker.ready
        self._retire(worker)
        if task is not None:
            yield Outcome(
                task.key, "crash", error=_death_reason(worker.process.exitcode), seconds=time.monotonic() - started
            )
        elif not was_ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                raise ExecutorError(f"workers die while starting ({_death_reason(worker.process.exitcode)})")


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if name == "SIGKILL" else ""
        return f"worker crashed: killed by {name}{hint}"
    return f"worker crashed: exited with code {exitcode}"


EXECUTOR = LocalExecutor
