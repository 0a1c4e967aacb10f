"""Dask back end: the batch's scans as tasks on a Dask distributed cluster (``apkscan[dask]``).

Past one machine, the batch runs on an existing distributed engine rather than a home-made one. With a scheduler
address it submits to a running cluster; without one it starts a ``LocalCluster`` of ``jobs`` single-threaded
workers on 127.0.0.1. The client (this process) keeps the store; tasks return the report and the report files'
bytes, never paths on a worker's disk. Tasks are submitted in a window of about twice the cluster's threads, so
the scheduler never holds a million tasks, and progress is fed by task completion.

How the executor contract (see :mod:`apkscan.batch.executor`) maps onto Dask:

- **One outcome per task.** Each task is one Dask future with a unique key; its outcome is produced when the
  future completes, once. Dask, not apkscan, decides where tasks run, balances them and moves work off lost workers.
- **A worker that dies** (a lost machine, a pre-empted node, the OOM killer): its nanny starts a fresh one and the
  scheduler reschedules the worker's tasks elsewhere (task retries: ``distributed.scheduler.allowed-failures``, 1
  for the local cluster, the cluster's own setting otherwise, 3 by default). A task counts only once it completes,
  so nothing is lost or counted twice.
- **Timeout, memory cap, crash of one file.** Dask cannot stop a running task, and a worker killed to stop one
  would take the tasks queued on it along (each charged a "suspicious" death, so an innocent file could end in
  ``KilledWorker``). So each worker thread scans in a sandbox: a persistent child process from
  :class:`~apkscan.batch.executor_local.LocalExecutor`, started through a fork server (safe from a threaded
  worker, and cheap: the fork server has apkscan imported). The child is killed at the timeout (``timeout``), has
  its address space capped (``memory``, a ``MemoryError``), and its death is that file's ``crash``; the Dask worker
  itself survives all three, so a bad file costs only itself and is not retried. Dask's worker memory limit and
  nanny stay the outer net for the worker process.
- **ExecutorError** only when the batch cannot run at all: no scheduler at that address, no worker within
  ``workers_timeout`` seconds, or workers whose set-up fails (another apkscan version, say).

Workers are prepared by a worker plugin registered with the scheduler (so workers that join or restart mid-batch get
it too) holding the initializer and its arguments; it is removed, and its sandboxes stopped, when the batch ends.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import pickle
import queue
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import dask
from dask.utils import parse_timedelta
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker

from apkscan import __version__
from apkscan.batch.executor import ExecutorError, Outcome, Task, default_jobs, one_line
from apkscan.batch.executor_local import LocalExecutor

LOCAL_CONFIG = {
    # A task whose worker dies is tried once more elsewhere: a lost worker costs nothing, and since files are scanned
    # in sandboxes a file cannot kill its Dask worker.
    "distributed.scheduler.allowed-failures": 1,
    # Workers hold no data between tasks (results go straight to the client), so spilling and pausing would only
    # stall the batch.
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
    "distributed.worker.daemon": False,  # workers start sandbox processes
}
WINDOW_PER_THREAD = 2
WINDOW_REFRESH_SECONDS = 5.0
POLL_SECONDS = 1.0
SANDBOX_PRELOAD = ["apkscan.batch.worker"]


class _Setup(WorkerPlugin):
    """Installed on every worker (present and future) for one batch, identified by ``token``."""

    def __init__(
        self,
        token: str,
        initializer: Callable[..., None] | None,
        initargs: tuple,
        timeout: float | None,
        max_memory_mb: int | None,
        version: str,
    ) -> None:
        self.token, self.initializer, self.initargs = token, initializer, initargs
        self.timeout, self.max_memory_mb, self.version = timeout, max_memory_mb, version
        self._sandboxes: list[LocalExecutor] = []
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_sandboxes"), state.pop("_lock")
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._sandboxes, self._lock = [], threading.Lock()

    def setup(self, worker: Any) -> None:
        _PLUGINS[self.token] = self

    def teardown(self, worker: Any) -> None:
        _PLUGINS.pop(self.token, None)
        with self._lock:
            sandboxes, self._sandboxes = self._sandboxes, []
        for sandbox in sandboxes:  # a task thread may be using it: only kill the processes, it notices
            sandbox.kill_processes()

    def sandbox(self) -> LocalExecutor:
        """This thread's sandbox for this batch (one child process, replaced when it dies or times out)."""
        if self.version != __version__:
            raise ExecutorError(
                f"the Dask worker runs apkscan {__version__}, this client {self.version}: install the same version"
            )
        mine = getattr(_THREAD, "sandboxes", None)
        if mine is None:
            mine = _THREAD.sandboxes = {}
        if self.token not in mine:
            _prepare_fork_server()
            sandbox = LocalExecutor(
                jobs=1,
                timeout=self.timeout,
                max_memory_mb=self.max_memory_mb,
                initializer=self.initializer,
                initargs=self.initargs,
                start_method="forkserver",
            )
            with self._lock:
                self._sandboxes.append(sandbox)
            mine[self.token] = sandbox
        return mine[self.token]


_PLUGINS: dict[str, _Setup] = {}
_THREAD = threading.local()
_FORK_SERVER: list[bool] = []


def _prepare_fork_server() -> None:
    """Have the fork server import apkscan once, so each sandbox starts in milliseconds, not seconds.

    ``dask worker`` runs its worker as a daemonic process by default, and multiprocessing refuses children to
    daemonic processes (they could be orphaned). Sandboxes are not orphaned: each waits on a pipe to this worker and
    exits when it closes, so the flag is lifted for this process (as ``dask worker --no-daemon`` would).
    """
    if not _FORK_SERVER:
        import multiprocessing

        multiprocessing.current_process()._config["daemon"] = False  # type: ignore[attr-defined]
        multiprocessing.get_context("forkserver").set_forkserver_preload(SANDBOX_PRELOAD)
        _FORK_SERVER.append(True)


def _run(fn: Callable[[Any], Any], token: str, key: str, arg: Any) -> tuple[str, Any, float]:
    """The Dask task: run ``fn(arg)`` in this thread's sandbox; return ``(kind, pickled value or error, seconds)``.

    The value travels pickled with the standard pickle, as through the local executor's pipe, so a result that
    cannot travel is this task's error rather than a failure somewhere in Dask's machinery.
    """
    plugin = _PLUGINS.get(token)
    if plugin is None:
        return "init-error", "the apkscan worker plugin is missing on this worker", 0.0
    try:
        outcome = next(iter(plugin.sandbox().map_unordered(fn, [Task(key, arg)])))
    except ExecutorError as err:
        return "init-error", str(err), 0.0
    if not outcome.ok:
        return outcome.kind, outcome.error, outcome.seconds
    try:
        return "ok", pickle.dumps(outcome.value, protocol=pickle.HIGHEST_PROTOCOL), outcome.seconds
    except Exception as err:  # noqa: BLE001 - e.g. an unpicklable result
        return "error", f"result could not be returned: {one_line(err)}", outcome.seconds


class DaskExecutor:
    """Run tasks on a Dask cluster: ``scheduler`` (``tcp://host:port``) or a ``LocalCluster`` of ``jobs`` workers."""

    shares_files = False  # workers may be other machines: inputs may come as bytes, reports come back as bytes

    def __init__(
        self,
        jobs: int | None = None,
        timeout: float | None = None,
        max_memory_mb: int | None = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
        scheduler: str | None = None,
        connect_timeout: float | None = None,
        workers_timeout: float = 120.0,
    ) -> None:
        self.jobs = max(1, jobs or default_jobs())
        timeout = timeout if timeout and timeout > 0 else None
        self.scheduler = scheduler
        # Dask's own setting (distributed.comm.timeouts.connect, 30 s by default) unless given
        self.connect_timeout = connect_timeout or parse_timedelta(
            dask.config.get("distributed.comm.timeouts.connect"), default="seconds"
        )
        self.workers_timeout = workers_timeout
        self.token = uuid.uuid4().hex[:12]
        self._plugin = _Setup(self.token, initializer, initargs, timeout, max_memory_mb or None, __version__)
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None
        self._done: queue.Queue[str] = queue.Queue()
        self._counter = itertools.count()
        self._window, self._window_at = 0, 0.0
        self._quiet = _Quiet()

    # -- life cycle -------------------------------------------------------------------------------------------------

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> Client:
        if self._client is not None:
            return self._client
        self._quiet.enter()
        try:
            if self.scheduler:
                self._client = self._connect()
            else:
                with dask.config.set(LOCAL_CONFIG), _sigint_ignored():
                    self._cluster = LocalCluster(
                        n_workers=self.jobs,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                self._client = Client(self._cluster, set_as_default=False)
            try:
                self._client.wait_for_workers(1, timeout=self.workers_timeout)
            except TimeoutError:
                raise ExecutorError(
                    f"no Dask worker joined the scheduler at {self.scheduler} within {self.workers_timeout:g} s"
                ) from None
            self._client.register_plugin(self._plugin, name=f"apkscan-{self.token}")
        except ExecutorError:
            self.close()
            raise
        except Exception as err:  # noqa: BLE001 - whatever Dask raises here, the batch cannot run
            self.close()
            raise ExecutorError(f"cannot start the Dask executor: {one_line(err)}") from None
        return self._client

    def _connect(self) -> Client:
        try:
            return Client(self.scheduler, timeout=self.connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as err:
            raise ExecutorError(f"cannot reach the Dask scheduler at {self.scheduler}: {one_line(err)}") from None

    def close(self) -> None:
        """Forget this batch on the cluster (its plugin stops the sandboxes), and stop a cluster this executor made."""
        client, self._client = self._client, None
        if client is not None:
            try:
                client.unregister_worker_plugin(f"apkscan-{self.token}")
            except Exception:  # noqa: BLE001 - the cluster may be gone already
                pass
            try:
                client.close(timeout=10)
            except Exception:  # noqa: BLE001
                pass
        if self._cluster is not None:
            try:
                self._cluster.close(timeout=20)
            except Exception:  # noqa: BLE001
                pass
            self._cluster = None
        self._quiet.exit()

    # -- running ----------------------------------------------------------------------------------------------------

    def _window_size(self, client: Client) -> int:
        now = time.monotonic()
        if now - self._window_at > WINDOW_REFRESH_SECONDS:
            try:
                threads = sum(client.nthreads().values())
            except Exception:  # noqa: BLE001 - keep the last size
                threads = 0
            self._window = max(4, WINDOW_PER_THREAD * threads) if threads else max(self._window, 4)
            self._window_at = now
        return self._window

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Task]) -> Iterator[Outcome]:
        feed = iter(tasks)
        first = next(feed, None)
        if first is None:
            return
        client = self._start()
        feed = itertools.chain([first], feed)
        pending: dict[str, tuple[Task, Any]] = {}  # Dask key -> (task, future)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self._window_size(client):
                task = next(feed, None)
                if task is None:
                    exhausted = True
                    break
                key = f"apkscan-{self.token}-{next(self._counter)}"
                future = client.submit(_run, fn, self.token, task.key, task.arg, key=key, pure=False, retries=0)
                future.add_done_callback(lambda f: self._done.put(f.key))
                pending[key] = (task, future)
            if not pending:
                return
            try:
                key = self._done.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if key in pending:
                task, future = pending.pop(key)
                yield self._outcome(task, future)

    def _outcome(self, task: Task, future: Any) -> Outcome:
        status = future.status
        if status == "finished":
            try:
                kind, payload, seconds = future.result()
            except Exception as err:  # noqa: BLE001 - the result could not be fetched
                return Outcome(task.key, "error", error=f"result could not be returned: {one_line(err)}")
            if kind == "init-error":
                raise ExecutorError(f"worker could not start: {payload}")
            if kind == "ok":
                try:
                    return Outcome(task.key, "ok", pickle.loads(payload), seconds=seconds)
                except Exception as err:  # noqa: BLE001
                    return Outcome(task.key, "error", error=f"result could not be returned: {one_line(err)}")
            return Outcome(task.key, kind, error=str(payload), seconds=seconds)
        if status == "error":
            failure = future.exception()
            if isinstance(failure, KilledWorker):
                tries = failure.allowed_failures + 1
                return Outcome(task.key, "crash", error=f"worker crashed: {tries} Dask workers died while scanning it")
            return Outcome(task.key, "error", error=one_line(failure))
        raise ExecutorError(f"the Dask scheduler dropped the batch's tasks (status {status}); run the batch again")


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Start the local cluster's processes with Ctrl-C ignored: the terminal sends SIGINT to the whole process group,
    and the batch (this process) is the one that stops them, cleanly; they would otherwise print tracebacks. A
    process started with SIGINT ignored keeps it ignored (Python and asyncio install their handler only over the
    default one)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _Quiet:
    """Dask logs warnings about workers it restarts and tasks it reschedules; the batch reports those itself."""

    def __init__(self) -> None:
        self._levels: dict[str, int] = {}

    def enter(self) -> None:
        for name in ("distributed", "distributed.client", "distributed.scheduler", "distributed.nanny"):
            logger = logging.getLogger(name)
            self._levels.setdefault(name, logger.level)
            logger.setLevel(logging.ERROR)

    def exit(self) -> None:
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
        self._levels.clear()


EXECUTOR = DaskExecutor
