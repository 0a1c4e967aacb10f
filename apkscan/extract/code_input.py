"""Collect the DEX files of an APK or bundle for the code scan, with bounded reads.

Every ``classes*.dex`` of the base and of each split counts (multidex; feature splits carry code too). Labels
say where each DEX came from, e.g. ``config.arm64_v8a.apk!classes.dex``, so a call site can be located.
"""

from __future__ import annotations

import re

from apkscan.read.container import Container
from apkscan.read.errors import InputError

DEX_NAME = re.compile(r"^classes\d*\.dex$")
MAX_DEX_BYTES = 256 * 1024 * 1024


def dex_blobs(container: Container, errors: list[str]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(label, bytes) of every DEX, and every zip entry name (packer libraries are found by name)."""
    blobs: list[tuple[str, bytes]] = []
    names: list[str] = []
    bundle = container.kind != "apk"
    for part in container.parts:
        names += part.zip.names
        for name in sorted(n for n in part.zip.names if DEX_NAME.match(n)):
            label = f"{part.name}!{name}" if bundle else name
            try:
                blobs.append((label, part.zip.read(name, limit=MAX_DEX_BYTES)))
            except InputError as err:
                errors.append(f"{label}: {err.reason}")
    return blobs, names
