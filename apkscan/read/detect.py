"""Recognise what a file is from its bytes, not its name.

Loan apps arrive as ``.apk`` links, ``.xapk``/``.apks``/``.apkm`` bundles from download sites, and files
renamed by messengers (``x.bin``). Content decides; the extension is only a hint in messages. A zip is found by its
first bytes or, when something was put in front of it, by its end record.
"""

from __future__ import annotations

from pathlib import Path

from apkscan.read.errors import InputError
from apkscan.read.ziplayout import find_layout, read_at_file

MAGIC_REASONS: tuple[tuple[bytes, str], ...] = (
    (b"dex\n", "a raw DEX file (classes.dex) renamed, not an APK: it has no manifest or signature"),
    (b"\x7fELF", "a native ELF library or program, not an APK"),
    (b"%PDF", "a PDF document, not an APK"),
    (b"\x1f\x8b", "a gzip archive, not an APK"),
    (b"Rar!", "a RAR archive, not an APK"),
    (b"7z\xbc\xaf", "a 7-Zip archive, not an APK"),
)
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def sniff_file(path: Path) -> None:
    """Raise :class:`InputError` with a precise reason unless ``path`` looks like a zip."""
    label = str(path)
    if not path.exists():
        raise InputError(label, "no such file")
    if not path.is_file():
        raise InputError(label, "not a regular file")
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError as err:
        raise InputError(label, f"cannot read file ({err.strerror})") from None
    if not head:
        raise InputError(label, "empty file (0 bytes)")
    if head.startswith(ZIP_MAGICS) or _ends_with_zip(path):
        return
    for magic, reason in MAGIC_REASONS:
        if head.startswith(magic):
            raise InputError(label, reason)
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        raise InputError(label, "an HTML page (a download link that returned a web page?), not an APK")
    raise InputError(label, "not a zip file, so not an APK or APK bundle")


def _ends_with_zip(path: Path) -> bool:
    """A zip after other data (a self-extractor stub, a DEX prepended as in the Janus trick): the end record leads
    to a central directory. SafeZip reads such a file and notes what came before the archive."""
    try:
        with path.open("rb") as fh:
            return find_layout(read_at_file(fh), path.stat().st_size) is not None
    except OSError:
        return False


def bundle_kind(names: list[str]) -> str | None:
    """Name the bundle flavour from its member list, or None when it holds no APKs."""
    apks = [n for n in names if n.lower().endswith(".apk")]
    if not apks:
        return None
    if "manifest.json" in names:
        return "xapk"
    if "info.json" in names:
        return "apkm"
    return "apks"
