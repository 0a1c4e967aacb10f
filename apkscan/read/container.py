"""Open an APK or split bundle as a list of APK parts, base first.

Download sites ship ``.xapk`` (base + splits + manifest.json), ``.apks`` (splits/base-master.apk …, toc.pb)
and ``.apkm`` (base.apk + splits + info.json). Facts are later merged over the parts, and each fact keeps the
name of the part it came from, so a complaint can say exactly where a permission was declared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from apkscan.read.detect import bundle_kind, sniff_file
from apkscan.read.errors import InputError, one_line, printable
from apkscan.read.safezip import SafeZip

MANIFEST = "AndroidManifest.xml"
BASE_NAMES = ("base.apk", "splits/base-master.apk", "base-master.apk")


@dataclass
class ApkPart:
    name: str  # member name inside a bundle, or the file name for a plain APK
    role: str  # base | split
    zip: SafeZip


@dataclass
class Container:
    path: Path
    kind: str  # apk | xapk | apks | apkm
    parts: list[ApkPart]
    zip: SafeZip  # the outer zip (same object as the only part for a plain APK)
    notes: list[str]

    def close(self) -> None:
        self.zip.close()


def open_container(path: Path) -> Container:
    """Open ``path`` by content; raise :class:`InputError` with the reason when it is no APK."""
    sniff_file(path)
    outer = SafeZip(path, str(path))
    names = outer.names
    if not names:
        raise InputError(str(path), "empty zip: it contains no files")
    if outer.has(MANIFEST):
        return Container(path, "apk", [ApkPart(path.name, "base", outer)], outer, list(outer.notes))
    kind = bundle_kind(names)
    if kind is None:
        raise InputError(str(path), "zip without AndroidManifest.xml: not an APK (and no APKs inside)")
    return _open_bundle(path, kind, outer)


def _open_bundle(path: Path, kind: str, outer: SafeZip) -> Container:
    notes: list[str] = list(outer.notes)
    members = [n for n in outer.names if n.lower().endswith(".apk")]
    base_name = _declared_base(outer, kind, notes) or next((n for n in BASE_NAMES if n in members), None)
    parts: list[ApkPart] = []
    for name in members:
        shown = printable(name)  # member names are chosen by whoever built the bundle
        try:
            inner = SafeZip(outer.read(name), f"{path}!{name}")
        except InputError as err:
            notes.append(f"{shown}: {err.reason}")
            continue
        if not inner.has(MANIFEST):
            notes.append(f"{shown}: no AndroidManifest.xml, skipped")
            continue
        notes += [f"{shown}: {note}" for note in inner.notes]
        parts.append(ApkPart(name, "split", inner))
    if not parts:
        raise InputError(str(path), f"{kind} bundle holds no readable APK ({'; '.join(notes) or 'none'})")
    base_index = next((i for i, p in enumerate(parts) if p.name == base_name), None)
    if base_index is None:
        base_index = max(range(len(parts)), key=lambda i: getattr(outer.info(parts[i].name), "size", 0))
        notes.append(f"no declared base APK; took the largest, {printable(parts[base_index].name)}")
    base = parts.pop(base_index)
    base.role = "base"
    return Container(path, kind, [base, *parts], outer, notes)


def _declared_base(outer: SafeZip, kind: str, notes: list[str]) -> str | None:
    """The base APK named by an XAPK's manifest.json, when it names one."""
    if kind != "xapk":
        return None
    try:
        meta = json.loads(outer.read("manifest.json", limit=4 * 1024 * 1024).decode("utf-8", "replace"))
    except (InputError, ValueError, RecursionError) as err:  # RecursionError: JSON nested thousands deep
        notes.append(f"manifest.json unreadable ({one_line(err)})")
        return None
    splits = meta.get("split_apks") if isinstance(meta, dict) else None
    for entry in splits if isinstance(splits, list) else []:
        if isinstance(entry, dict) and entry.get("id") == "base" and isinstance(entry.get("file"), str):
            return entry["file"]
    package = meta.get("package_name") if isinstance(meta, dict) else None
    return f"{package}.apk" if isinstance(package, str) else None
