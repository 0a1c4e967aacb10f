"""Inventory of a borrower's evidence folder: every regular file with its kind, size, SHA-256 and time.

Why so careful: the folder is whatever a frightened borrower gathered from phones and chat exports, and the hashes
printed in the complaint must match the files handed to a regulator or court. So symbolic links are never followed
(not to files, not to folders: no loop can hang the walk and nothing outside the folder is read), anything that is
not a regular file is skipped and listed with the reason, names with newlines, control characters or invalid UTF-8
are carried safely, and limits on the number of files, total bytes and depth skip-and-list what is over them rather
than fail, so the borrower still gets a complaint and sees exactly what was left out.

How a kind is decided (first match wins; ``kind_from`` records which): the folder's index file (see
:mod:`apkscan.complaint.evidence_index`), then the first-level subfolder's name (synonyms in
``apkscan/data/evidence_kinds.toml``), then the file extension, else ``other``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from apkscan.complaint.errors import EvidenceError
from apkscan.complaint.evidence_data import EvidenceKinds, load_evidence_kinds
from apkscan.complaint.evidence_index import MAX_INDEX_BYTES, IndexRow, parse_index
from apkscan.complaint.fsutil import NotRegularFile, copy_hashed, entry_type, open_regular, printable, utc_iso

MAX_FILES = 2000
MAX_TOTAL_BYTES = 4 << 30
MAX_DEPTH = 16
#: Files operating systems leave behind; never evidence.
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "__macosx"})
#: Values of ``SkippedEntry.reason``.
SKIP_REASONS = (
    "symlink", "fifo", "socket", "block-device", "char-device", "other-type", "unreadable", "system-file",
    "excluded", "too-many-files", "too-large", "too-deep",
)  # fmt: skip


@dataclass(frozen=True)
class EvidenceFile:
    """One file of the evidence folder."""

    path: str  # relative to the folder, "/"-separated, printable (see fsutil.printable)
    source: Path  # the file on disk, for reading (may hold surrogate escapes)
    kind: str
    kind_from: str  # index | folder | extension | default
    size: int
    sha256: str
    modified: str  # UTC ISO 8601, "" when the file system gives an impossible time
    description: str = ""  # from the index file
    date: str = ""  # from the index file, YYYY-MM-DD


@dataclass(frozen=True)
class SkippedEntry:
    path: str  # printable relative path
    reason: str  # one of SKIP_REASONS


@dataclass(frozen=True)
class EvidenceInventory:
    root: Path
    files: tuple[EvidenceFile, ...]  # sorted by path
    skipped: tuple[SkippedEntry, ...]
    index: str  # name of the index file used, "" when there is none
    index_missing: tuple[str, ...]  # index rows naming a file that is not in the folder (printable paths)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Kinds present, each once, in order of first appearance."""
        return tuple(dict.fromkeys(f.kind for f in self.files))


@dataclass
class _Walk:
    root: Path
    kinds: EvidenceKinds
    index: dict[str, IndexRow]
    index_name: str
    exclude: frozenset[tuple[int, int]]
    max_files: int
    max_bytes: int
    files: list[EvidenceFile]
    skipped: list[SkippedEntry]
    total: int = 0

    def skip(self, rel: str, reason: str) -> None:
        self.skipped.append(SkippedEntry(printable(rel), reason))

    def classify(self, rel: str) -> tuple[str, str, IndexRow | None]:
        row = self.index.get(rel)
        if row is not None and row.kind:
            return row.kind, "index", row
        parts = rel.split("/")
        kind = self.kinds.kind_for_folder(parts[0]) if len(parts) > 1 else None
        if kind:
            return kind, "folder", row
        kind = self.kinds.kind_for_name(parts[-1])
        return (kind, "extension", row) if kind else ("other", "default", row)

    def add_file(self, path: Path, rel: str, size: int) -> None:
        if len(self.files) >= self.max_files:
            return self.skip(rel, "too-many-files")
        if self.total + size > self.max_bytes:
            return self.skip(rel, "too-large")
        try:
            digest, real_size, info = copy_hashed(path)
        except NotRegularFile as exc:
            return self.skip(rel, exc.kind)
        except OSError:
            return self.skip(rel, "unreadable")
        kind, kind_from, row = self.classify(rel)
        self.total += real_size
        self.files.append(EvidenceFile(
            printable(rel), path, kind, kind_from, real_size, digest, utc_iso(info.st_mtime),
            row.description if row else "", row.date if row else "",
        ))  # fmt: skip

    def walk(self, folder: Path, prefix: str, depth: int) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: os.fsencode(e.name))
        except OSError:
            return self.skip(prefix.rstrip("/") or ".", "unreadable")
        for entry in entries:
            rel = prefix + entry.name
            if not prefix and entry.name == self.index_name:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                self.skip(rel, "unreadable")
                continue
            what = entry_type(info.st_mode)
            if entry.name.casefold() in SYSTEM_FILES or entry.name.startswith("._"):
                self.skip(rel, "system-file")
            elif what == "directory":
                if (info.st_dev, info.st_ino) in self.exclude:
                    self.skip(rel, "excluded")
                elif depth >= MAX_DEPTH:
                    self.skip(rel, "too-deep")
                else:
                    self.walk(Path(entry.path), rel + "/", depth + 1)
            elif what == "file":
                self.add_file(Path(entry.path), rel, info.st_size)
            else:
                self.skip(rel, what)


def _load_index(root: Path, kinds: EvidenceKinds) -> tuple[str, dict[str, IndexRow]]:
    present = [name for name in kinds.index_names if os.path.lexists(root / name)]
    if len(present) > 1:
        raise EvidenceError(f"{root}: both {present[0]} and {present[1]} found; keep one index file")
    if not present:
        return "", {}
    name = present[0]
    try:
        fd, _ = open_regular(root / name)
    except NotRegularFile:
        return "", {}  # a linked or special index is ignored; the walk lists it as skipped
    except OSError as exc:
        raise EvidenceError(f"{root / name}: cannot read the index file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_INDEX_BYTES + 1)
    return name, parse_index(raw, str(root / name), kinds)


def inventory(
    folder: str | Path,
    kinds: EvidenceKinds | None = None,
    *,
    exclude: Iterable[str | Path] = (),
    max_files: int = MAX_FILES,
    max_bytes: int = MAX_TOTAL_BYTES,
) -> EvidenceInventory:
    """Inventory ``folder``. ``exclude`` names folders not to walk (e.g. the output folder when it lies inside).

    Raises :class:`EvidenceError` (one line) when the folder does not exist, is not a folder, or its index file is
    malformed. The folder itself may be reached through a symbolic link; nothing inside it is.
    """
    root = Path(folder)
    try:
        info = root.stat()
    except OSError as exc:
        raise EvidenceError(f"{printable(str(root))}: evidence folder not found ({exc.strerror or exc})") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise EvidenceError(f"{printable(str(root))}: the evidence path is not a folder")
    kinds = kinds or load_evidence_kinds()
    index_name, index = _load_index(root, kinds)
    excluded = set()
    for path in exclude:
        try:
            st = os.stat(path)
            excluded.add((st.st_dev, st.st_ino))
        except OSError:
            continue
    walk = _Walk(root, kinds, index, index_name, frozenset(excluded), max_files, max_bytes, [], [])
    walk.walk(root, "", 0)
    found = {f.source.relative_to(root).as_posix() for f in walk.files}
    missing = tuple(printable(p) for p in index if p not in found)
    return EvidenceInventory(
        root, tuple(sorted(walk.files, key=lambda f: f.path)), tuple(walk.skipped), index_name, missing
    )
