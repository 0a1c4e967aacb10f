"""Recognise Android packers/protectors from stub classes and packaged files.

A packed app ships a small stub DEX; the real code is decrypted at run time by a native library.
The stub's class names (``com.stub.StubApp``) and the library or asset names (``libjiagu.so``)
are stable per vendor (APKiD's rules are built on the same markers), so names are enough and
no bytes need to be read. A hit makes the evidence *incomplete*: absence of API use proves
nothing about a packed app.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from apkscan.model.code import PackerHit

from .catalog import PackerEntry


def _basename(name: str) -> str:
    return name.rstrip("/").rpartition("/")[2].rpartition("!")[2]


def _lib_matches(base: str, lib: str) -> bool:
    """Exact name, or a versioned/ABI variant of a ``.so``: libshella-2.10.2.3.so, libsecexe.x86.so."""
    if base == lib:
        return True
    if not (lib.endswith(".so") and base.endswith(".so")):
        return False
    stem = lib[:-3]
    return base.startswith((stem + "-", stem + ".", stem + "_"))


def detect_packers(
    packers: Iterable[PackerEntry], class_names: Iterable[str], file_names: Iterable[str]
) -> tuple[PackerHit, ...]:
    """Packers whose marker classes (Java names) or files occur; evidence lists what matched."""
    classes = set(class_names)
    files = [n for n in file_names if n and not n.endswith("/")]
    # "base.apk!lib/x86/libjiagu.so" (bundles) -> "lib/x86/libjiagu.so"
    paths = {n.rpartition("!")[2] for n in files}
    bases: dict[str, list[str]] = {}
    for name in sorted(paths):
        bases.setdefault(_basename(name), []).append(name)
    so_bases = sorted(b for b in bases if b.endswith(".so"))
    hits = []
    for packer in packers:
        evidence: list[str] = []
        for marker in packer.classes:
            if marker.endswith("."):
                evidence.extend(f"class {c}" for c in sorted(c for c in classes if c.startswith(marker))[:3])
            elif marker in classes:
                evidence.append(f"class {marker}")
        for lib in packer.libs:
            matched = {lib} if lib in bases else set()
            if lib.endswith(".so"):
                stem = lib[:-3]
                start = bisect_left(so_bases, stem)
                for base in so_bases[start:]:
                    if not base.startswith(stem):
                        break
                    if _lib_matches(base, lib):
                        matched.add(base)
            for base in sorted(matched):
                evidence.extend(f"file {path}" for path in bases[base])
        for path in packer.files:
            if path in paths:
                evidence.append(f"file {path}")
        if evidence:
            hits.append(PackerHit(id=packer.id, name=packer.name, evidence=tuple(dict.fromkeys(evidence))))
    return tuple(hits)
