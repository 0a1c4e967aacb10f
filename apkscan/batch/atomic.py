"""Write a file in OUTDIR all at once: a temporary file in the same folder, then an atomic rename.

Why: a reader (a browser on index.html, a spreadsheet on summary.csv, the next run checking that a report exists)
must never see half a file, and a run killed mid-write must leave the previous complete version, not a truncated
one. The temporary file gets the permissions an ordinary ``open()`` would give (``mkstemp`` makes it private).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(_UMASK)
    return _UMASK


def write_atomic(outdir: Path, name: str, content: str | bytes | Iterable[str], newline: str | None = None) -> Path:
    """Write ``OUTDIR/name`` (a plain file name, never a path) via a temporary file and ``os.replace``."""
    if not name or name != Path(name).name or name in (".", ".."):
        raise ValueError(f"refusing to write {name!r}: not a plain file name inside {outdir}")
    target = outdir / name
    fd, tmp = tempfile.mkstemp(prefix=f".{name[:80]}.", suffix=".tmp", dir=outdir)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        if isinstance(content, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
                for chunk in [content] if isinstance(content, str) else content:
                    fh.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
