"""Careful file access shared by the evidence inventory and the pack writer.

Why: evidence folders come from phones and chat exports and may hold symbolic links, named pipes or names with
newlines and invalid bytes. Opening with ``O_NOFOLLOW | O_NONBLOCK`` and checking the opened descriptor means a link
is never followed and a pipe never blocks, even when an entry changes between listing and opening. Names are kept as
``str`` with Python's surrogate escapes for reading, and turned into printable text only for display.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

CHUNK = 1 << 20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def entry_type(mode: int) -> str:
    """A reason id for what an ``lstat`` mode is: ``file``, ``directory``, ``symlink``, ``fifo``, ``socket``..."""
    checks = (
        (stat.S_ISREG, "file"),
        (stat.S_ISDIR, "directory"),
        (stat.S_ISLNK, "symlink"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISBLK, "block-device"),
        (stat.S_ISCHR, "char-device"),
    )
    return next((name for test, name in checks if test(mode)), "other-type")


class NotRegularFile(OSError):
    """The path is not (or no longer) a regular file; ``kind`` says what it is."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def open_regular(path: str | Path) -> tuple[int, os.stat_result]:
    """Open a regular file for reading without following a symbolic link or blocking on a pipe."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError as exc:
        if os.path.islink(path):
            raise NotRegularFile("symlink") from exc
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegularFile(entry_type(info.st_mode))
    return fd, info


def copy_hashed(path: str | Path, sink: Callable[[bytes], object] | None = None) -> tuple[str, int, os.stat_result]:
    """Stream a regular file into ``sink`` (or nowhere); return its SHA-256, byte count and stat."""
    fd, info = open_regular(path)
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if sink is not None:
                sink(chunk)
    return digest.hexdigest(), size, info


def utc_iso(timestamp: float) -> str:
    """``2026-11-28T10:00:00Z``; an out-of-range time (hostile or broken file system) gives ``""``."""
    try:
        return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return ""


def printable(name: str) -> str:
    """A name safe to show and to write as UTF-8: undecodable bytes as ``\\xNN``, control and format characters
    (newline, bidi overrides...) as ``\\uXXXX``."""
    out = []
    for ch in name:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by the surrogateescape handler
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)
