"""One batch at a time per OUTDIR: an advisory lock on ``OUTDIR/.apkscan.lock`` held for the whole run.

Why: two runs writing the same store and the same per-app reports would interleave their rows and outputs (each
would regenerate index.html from a database the other is changing). SQLite alone would keep the file consistent,
but not the run bookkeeping. The lock is ``flock`` on a file inside OUTDIR, so it also holds across machines on a
shared filesystem that supports locks (NFSv4, CephFS…), and it is released by the kernel if the process dies —
no stale lock to clean up. The file keeps the holder's process id and host for the refusal message.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

LOCK_NAME = ".apkscan.lock"


class BusyError(RuntimeError):
    """Another apkscan batch is writing into this OUTDIR."""


class OutdirLock:
    """``with OutdirLock(outdir):`` — raises :class:`BusyError` at once when another run holds it."""

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutdirLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock, as before
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise BusyError(
                f"{self.path.parent} is in use by another apkscan batch ({holder}); "
                "wait for it to finish or choose another output folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None
