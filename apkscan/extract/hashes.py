"""File digests for the evidence block: a complaint must pin the exact file that was examined."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1024 * 1024


def file_digests(path: Path) -> dict[str, str]:
    """SHA-256, SHA-1 and MD5 in one streamed pass (MD5/SHA-1 because regulators and VirusTotal still use them)."""
    digests = {"sha256": hashlib.sha256(), "sha1": hashlib.sha1(), "md5": hashlib.md5()}
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            for d in digests.values():
                d.update(chunk)
    return {name: d.hexdigest() for name, d in digests.items()}
