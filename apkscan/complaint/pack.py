"""The evidence pack: one zip with the complaint, the scan report, the policy text and the borrower's evidence.

Why this shape: whoever receives the pack must be able to check that nothing was altered. Every file is copied
byte for byte and listed in ``manifest.json`` (path, kind, size, SHA-256, modification time, origin) and in
``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` after unzipping verifies it, ``manifest.json`` included); the complaint
prints the manifest's own SHA-256, which pins the whole pack. A document cannot print a digest that covers itself,
so the complaint files are *attachments*: rendered once the manifest's digest is known, added after it, and listed
in ``SHA256SUMS`` only. The zip is written to a temporary file beside the
target and renamed into place, so a crash never leaves a half-written pack and nothing is written outside the
target's folder. Sources are opened without following symbolic links. Files already compressed (photos, audio,
video, PDF, office documents, archives) are stored as they are; the rest is deflated, which changes nothing in
the extracted bytes. The zip keeps the temporary file's owner-only permissions: it holds private evidence.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from apkscan import __version__
from apkscan.complaint.errors import PackError
from apkscan.complaint.fsutil import CHUNK, NotRegularFile, open_regular, printable, utc_iso
from apkscan.complaint.zipnames import NameAllocator

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SCHEMA = "apkscan.evidence-pack/1"
_ZIP64_FROM = 1 << 30  # a file that may pass 2 GiB while it is copied needs ZIP64 headers from the start
STORED_EXTENSIONS = frozenset(
    "jpg jpeg png gif webp heic heif mp3 m4a aac amr awb ogg opus flac wma mp4 mov 3gp mkv webm m4v avi "
    "zip gz xz bz2 7z rar apk xapk apks apkm docx xlsx pptx odt ods pdf".split()
)


@dataclass(frozen=True)
class PackItem:
    """One file to pack: ``source`` is a path to copy or the bytes themselves (a rendered report)."""

    path: str  # requested path inside the zip; sanitised and made unique when packed
    source: str | os.PathLike[str] | bytes
    kind: str  # e.g. "complaint-pdf", "report-json", "policy-text", or an evidence kind
    origin: str  # e.g. "apkscan" (generated), "borrower" (evidence), "app" (text taken from the APK)
    expected_sha256: str = ""  # when given (from the inventory), the copied bytes must still have this hash


@dataclass(frozen=True)
class PackedFile:
    path: str  # path inside the zip
    requested: str  # the path asked for, printable
    kind: str
    origin: str
    size: int
    sha256: str
    modified: str  # UTC ISO 8601
    stored: bool  # True: not recompressed


@dataclass(frozen=True)
class PackResult:
    path: Path
    manifest_sha256: str
    files: tuple[PackedFile, ...]  # listed in manifest.json
    attachments: tuple[PackedFile, ...] = ()  # documents that print the manifest's digest (SHA256SUMS only)


def _zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    """Zip headers hold local-style times from 1980 to 2107; the exact UTC time is in the manifest."""
    if not iso:
        return (1980, 1, 1, 0, 0, 0)
    t = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return min(max((t.year, t.month, t.day, t.hour, t.minute, t.second), (1980, 1, 1, 0, 0, 0)),
               (2107, 12, 31, 23, 59, 58))  # fmt: skip


def _entry(name: str, modified: str, stored: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _zip_time(modified))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _add(zf: zipfile.ZipFile, name: str, item: PackItem, now: str) -> PackedFile:
    ext = name.rpartition(".")[2].lower() if "." in name.rsplit("/", 1)[-1] else ""
    stored = ext in STORED_EXTENSIONS
    digest, size = hashlib.sha256(), 0
    label = printable(str(item.path))
    if isinstance(item.source, bytes):
        modified = now
        with zf.open(_entry(name, modified, stored), "w", force_zip64=len(item.source) > _ZIP64_FROM) as out:
            out.write(item.source)
        digest.update(item.source)
        size = len(item.source)
    else:
        try:
            fd, st = open_regular(Path(item.source))
        except NotRegularFile as exc:
            raise PackError(f"{label}: not a regular file ({exc.kind}); not packed") from exc
        except OSError as exc:
            raise PackError(f"{label}: cannot read {printable(str(item.source))}: {exc.strerror or exc}") from exc
        modified = utc_iso(st.st_mtime) or now
        info = _entry(name, modified, stored)
        with os.fdopen(fd, "rb") as handle, zf.open(info, "w", force_zip64=st.st_size > _ZIP64_FROM) as out:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    sha = digest.hexdigest()
    if item.expected_sha256 and sha != item.expected_sha256.lower():
        raise PackError(f"{label}: the file changed since it was listed (SHA-256 differs); run the complaint again")
    return PackedFile(name, label, item.kind, item.origin, size, sha, modified, stored)


def _manifest(files: list[PackedFile], now: str) -> bytes:
    doc = {
        "schema": SCHEMA,
        "created": now,
        "tool": {"name": "apkscan", "version": __version__},
        "files": [
            {
                "path": f.path,
                "kind": f.kind,
                "size": f.size,
                "sha256": f.sha256,
                "modified": f.modified,
                "origin": f.origin,
                **({"requested_path": f.requested} if f.requested != f.path else {}),
            }
            for f in files
        ],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _check_target(target: Path) -> None:
    parent = target.parent
    if not parent.is_dir():
        raise PackError(f"{printable(str(parent))}: the output folder does not exist")
    if target.is_dir():
        raise PackError(f"{printable(str(target))}: is a folder, not a zip file name")


def write_pack(
    target_zip: str | os.PathLike[str],
    items: Iterable[PackItem | tuple[str, str | os.PathLike[str] | bytes, str, str]],
    *,
    created: datetime | None = None,
    attachments: Callable[[str], Iterable[PackItem]] | None = None,
) -> PackResult:
    """Write the pack atomically to ``target_zip`` (its folder must exist) and return the manifest's SHA-256.

    ``items`` are :class:`PackItem` or ``(path_in_zip, source, kind, origin)`` tuples. ``attachments``, called with
    the manifest's SHA-256 once it is known, returns the documents that print it (the complaint); they are packed
    after the manifest and listed in ``SHA256SUMS`` only. Raises :class:`PackError` (one line) for a missing output
    folder or a source that cannot be read; the target is then left untouched.
    """
    target = Path(target_zip)
    _check_target(target)
    now = utc_iso((created or datetime.now(UTC)).timestamp())
    names = NameAllocator(reserved=(MANIFEST, SUMS))
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            packed = []
            for item in items:
                item = item if isinstance(item, PackItem) else PackItem(*item)
                packed.append(_add(zf, names.allocate(str(item.path)), item, now))
            manifest = _manifest(packed, now)
            manifest_sha = hashlib.sha256(manifest).hexdigest()
            zf.writestr(zipfile.ZipInfo(MANIFEST, _zip_time(now)), manifest, zipfile.ZIP_DEFLATED)
            attached = [_add(zf, names.allocate(str(a.path)), a, now) for a in (attachments or _none)(manifest_sha)]
            sums = "".join(f"{f.sha256}  {f.path}\n" for f in packed) + f"{manifest_sha}  {MANIFEST}\n"
            sums += "".join(f"{f.sha256}  {f.path}\n" for f in attached)
            zf.writestr(zipfile.ZipInfo(SUMS, _zip_time(now)), sums.encode("utf-8"), zipfile.ZIP_DEFLATED)
            zf.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return PackResult(target, manifest_sha, tuple(packed), tuple(attached))


def _none(manifest_sha: str) -> Iterable[PackItem]:
    return ()
