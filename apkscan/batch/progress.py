"""Progress of a batch: a one-line bar on a terminal, plain log lines otherwise (CI logs, ``| tee``).

The terminal line is redrawn at most a few times a second so printing never slows the scan; it shows files done /
total, failures, the rate and the time left.
"""

from __future__ import annotations

import time
from typing import TextIO

from apkscan.render.text import printable

REDRAW_SECONDS = 0.2
BAR_WIDTH = 24


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts finished scan tasks and reports them on ``stream`` (stderr)."""

    def __init__(self, total: int, stream: TextIO, tty: bool) -> None:
        self.total, self.stream, self.tty = total, stream, tty
        self.done = self.failed = 0
        self.start = self._drawn = time.monotonic()

    def log(self, message: str) -> None:
        """A message that must stay readable: clears the bar first on a terminal."""
        if self.tty:
            self.stream.write("\r\x1b[K")
        self.stream.write(f"apkscan: {message}\n")
        self.stream.flush()

    def advance(self, path: str, status: str, detail: str = "") -> None:
        self.done += 1
        self.failed += status == "error"
        if not self.tty:
            suffix = f": {printable(detail)}" if detail else ""
            self.log(f"[{self.done}/{self.total}] {status} {printable(path)}{suffix}")
            return
        if status == "error":
            self.log(f"failed {printable(path)}: {printable(detail)}")
        now = time.monotonic()
        if now - self._drawn >= REDRAW_SECONDS or self.done == self.total:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-6)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0.0
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(
            f"\r\x1b[K[{bar}] {self.done}/{self.total} files · {self.failed} failed · "
            f"{rate:.1f} files/s · ETA {_clock(eta)}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.done:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
