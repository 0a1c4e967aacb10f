"""Safe, unique paths inside the evidence pack.

Why: the pack is opened by regulators and courts on any system, and the names come from a borrower's phone. A name
must never escape the extraction folder (no absolute path, no ``..``), never carry control or bidi characters that
disguise it, and must extract on Windows too (no ``<>:"|?*\\``, no ``CON``/``NUL``..., no trailing dot or space). Two
entries must not land on the same file on a case-insensitive disk, and a file must not collide with a folder of the
same name; collisions get ``-2``, ``-3``... before the extension.
"""

from __future__ import annotations

import re
import unicodedata

# "\\" too: it separates folders on Windows, and printable names use it for escapes ("\\xff" stays one segment)
_WINDOWS_BAD = set('<>:"|?*\\')
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
_MAX_SEGMENT_BYTES = 200


def _clean_char(ch: str) -> str:
    if ch in _WINDOWS_BAD or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"):
        return "_"
    return ch


def _truncate(segment: str) -> str:
    if len(segment.encode("utf-8")) <= _MAX_SEGMENT_BYTES:
        return segment
    stem, dot, ext = segment.rpartition(".")
    if not dot or len(ext.encode("utf-8")) > 20:
        stem, ext = segment, ""
    room = _MAX_SEGMENT_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
    stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{stem}.{ext}" if ext else stem


def clean_segment(segment: str) -> str:
    """One path segment made portable; never empty, ``.`` or ``..``."""
    text = "".join(_clean_char(ch) for ch in unicodedata.normalize("NFC", segment)).strip().rstrip(". ")
    if not text or set(text) <= {"."}:
        return "_"
    if _RESERVED.fullmatch(text):
        text = "_" + text
    return _truncate(text)


def sanitise(path: str) -> str:
    """A relative ``/``-separated path with only clean segments; ``..``, ``.`` and empty segments are dropped.

    Only ``/`` separates folders: callers build paths with it, and a backslash is an ordinary (replaced) character."""
    parts = [p for p in path.split("/") if p.strip() not in ("", ".", "..")]
    return "/".join(clean_segment(p) for p in parts) or "unnamed"


def _with_suffix(segment: str, n: int) -> str:
    stem, dot, ext = segment.rpartition(".")
    return f"{stem}-{n}.{ext}" if dot and stem else f"{segment}-{n}"


class NameAllocator:
    """Hands out unique sanitised paths; folders keep the spelling they were first given."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._files: set[str] = set()
        self._dirs: dict[str, str] = {}  # casefolded folder path -> spelling used
        for name in reserved:
            self._files.add(name.casefold())

    def allocate(self, requested: str) -> str:
        parts = sanitise(requested).split("/")
        folder = ""
        for segment in parts[:-1]:
            candidate, n = segment, 1
            while True:
                path = f"{folder}{candidate}"
                key = path.casefold()
                if key in self._dirs:
                    path = self._dirs[key]
                    break
                if key not in self._files:
                    self._dirs[key] = path
                    break
                n += 1
                candidate = _with_suffix(segment, n)
            folder = path + "/"
        leaf, n = parts[-1], 1
        while (folder + leaf).casefold() in self._files or (folder + leaf).casefold() in self._dirs:
            n += 1
            leaf = _with_suffix(parts[-1], n)
        self._files.add((folder + leaf).casefold())
        return folder + leaf
