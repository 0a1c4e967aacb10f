"""Find the files of a batch and decide, from their bytes, which ones to scan.

Samples arrive renamed (``x.bin``, no extension, a bundle called ``.zip``), so names decide nothing: every regular
file under DIR is hashed and sniffed. Each file ends up with exactly one planned status, so the batch can account
for every file it saw: ``scan`` (queued), ``duplicate`` (same SHA-256 as an earlier path), ``skipped`` (not an
APK), ``error`` (an APK fragment that cannot be scanned: a raw DEX) — and the runner later turns ``scan`` into
``scanned``, ``resumed``, ``skipped`` or ``error``.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from apkscan.read.detect import sniff_file
from apkscan.read.errors import InputError

CHUNK = 1024 * 1024
HEAD = 64
# Magic numbers of APK fragments: a file someone meant as an app, so it fails loudly instead of being skipped.
FRAGMENT_MAGICS = (b"dex\n",)

HashCache = Callable[[str, int, int], str | None]  # (path, size, mtime_ns) -> sha256 already known


@dataclass
class Entry:
    """One file seen in DIR. ``rel`` is its path relative to DIR, as shown and stored."""

    path: Path
    rel: str
    size: int | None = None
    mtime_ns: int | None = None
    sha256: str | None = None
    status: str = "scan"  # scan | duplicate | skipped | error
    duplicate_of: str | None = None
    reason: str = ""


def display_path(path: Path, root: Path) -> str:
    """Relative POSIX path; undecodable bytes (surrogate escapes) become ``\\xNN`` so SQLite and UTF-8 accept it."""
    rel = path.relative_to(root).as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def walk(root: Path, exclude: Path | None = None) -> Iterator[Entry]:
    """Every non-directory under ``root`` (symbolic links not followed), sorted, minus the ``exclude`` tree."""
    excluded = exclude.resolve() if exclude else None
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if excluded is None or (here / d).resolve() != excluded)
        for name in sorted(filenames):
            path = here / name
            yield Entry(path, display_path(path, root))


def examine(entry: Entry, cached: HashCache | None = None) -> None:
    """Fill size, SHA-256 and a first status for one file (errors end up in the entry, never raised)."""
    try:
        info = entry.path.lstat()
    except OSError as err:
        entry.status, entry.reason = "error", f"cannot read file ({err.strerror})"
        return
    entry.size, entry.mtime_ns = info.st_size, info.st_mtime_ns
    if stat.S_ISLNK(info.st_mode):
        entry.status, entry.reason = "skipped", "symbolic link (not followed)"
        return
    if not stat.S_ISREG(info.st_mode):
        entry.status, entry.reason = "skipped", "not a regular file"
        return
    known = cached(entry.rel, entry.size, entry.mtime_ns) if cached else None
    try:
        entry.sha256, head = known or _sha256(entry.path), _head(entry.path)
    except OSError as err:
        entry.status, entry.reason = "error", f"cannot read file ({err.strerror})"
        return
    try:
        str(entry.path).encode("utf-8")
    except UnicodeEncodeError:  # reports are UTF-8 and name the file: it cannot be named
        entry.status, entry.reason = "error", "the file name is not valid UTF-8 (shown with \\x escapes): rename it"
        return
    try:
        sniff_file(entry.path)
    except InputError as err:
        fragment = head.startswith(FRAGMENT_MAGICS)
        entry.status = "error" if fragment else "skipped"
        entry.reason = err.reason


def plan(entries: list[Entry]) -> None:
    """Mark later copies of the same bytes as duplicates of the first path (entries are in path order)."""
    first: dict[str, str] = {}
    for e in entries:
        if e.sha256 is None:
            continue
        if e.sha256 in first:
            e.status, e.duplicate_of, e.reason = "duplicate", first[e.sha256], f"same SHA-256 as {first[e.sha256]}"
        else:
            first[e.sha256] = e.rel


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(HEAD)
