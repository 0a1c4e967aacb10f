"""What a few chosen methods do: iterate a cursor, call an API that sends data out.

Telling an address-book harvester from a caller-ID lookup needs a look inside the methods that read the
data: does the method walk the whole cursor (``moveToNext`` in a loop) or read one row? And does the
app's own code have a way to send data out at all? Both are asked of a handful of methods, so only
those are decoded (a linear sweep of their instructions, as in :mod:`.instructions`), and the sender
APIs of ``apkscan/data/senders.toml`` are found with the same bytecode search as the sensitive APIs.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .catalog import ApiCatalog, ApiEntry, SdkEntry, java_class
from .codeitems import class_methods, insns_range
from .dexfile import DexFile, DexFormatError
from .instructions import WIDTHS, payload_width
from .scan import scan_fast
from .sdks import SdkIndex, is_library

INVOKE_OPS = frozenset([*range(0x6E, 0x73), *range(0x74, 0x79)])
CURSOR_STEPS = frozenset(["moveToNext", "moveToPosition", "moveToPrevious"])
_S16 = struct.Struct("<h")
_S32 = struct.Struct("<i")


@dataclass(frozen=True, slots=True)
class MethodFacts:
    """``iterates_cursor``: calls Cursor.moveToNext/moveToPosition and has a backward branch (a loop)."""

    iterates_cursor: bool
    steps_cursor: bool  # calls a cursor-stepping method at all
    loops: bool  # has a backward branch
    reads_one_row: bool  # moveToFirst without any stepping call


@dataclass(frozen=True, slots=True)
class SenderSite:
    api: str  # "java.net.HttpURLConnection.getOutputStream"
    caller: str  # caller descriptor
    dex: str
    sdk: str  # SDK id, "library" for platform/library code, "" for the app's own code


def method_facts(
    dex_files: Sequence[tuple[str, bytes]], wanted: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], MethodFacts]:
    """Facts of each ``(dex label, method descriptor)``; methods that cannot be found are left out."""
    by_dex: dict[str, set[str]] = {}
    for label, descriptor in wanted:
        by_dex.setdefault(label, set()).add(descriptor)
    out: dict[tuple[str, str], MethodFacts] = {}
    for label, data in dex_files:
        if label not in by_dex:
            continue
        try:
            dex = DexFile(data)
        except DexFormatError:
            continue
        for descriptor in by_dex[label]:
            try:
                facts = _facts(dex, descriptor)
            except Exception:  # noqa: BLE001 - a damaged method is just not described
                facts = None
            if facts is not None:
                out[(label, descriptor)] = facts
    return out


def _facts(dex: DexFile, descriptor: str) -> MethodFacts | None:
    cls, _, rest = descriptor.partition("->")
    name, _, proto = rest.partition("(")
    proto = "(" + proto
    tidx = dex.find_type(cls)
    if tidx is None:
        return None
    try:
        cdef = list(dex.class_type_idx).index(tidx)
    except ValueError:
        return None
    off = dex.class_data_offs[cdef]
    if not off:
        return None
    for midx, code_off in class_methods(dex, off):
        if not code_off:
            continue
        ref = dex.method_ref(midx)
        if ref.name == name and ref.proto == proto:
            start, end = insns_range(dex, code_off)
            return _sweep(dex, start, end)
    return None


def _sweep(dex: DexFile, start: int, end: int) -> MethodFacts:
    data = dex.data
    steps = first = loops = False
    pos = start
    while pos + 2 <= end:
        op = data[pos]
        high = data[pos + 1]
        if op == 0 and high:
            width = payload_width(data, pos, end, op | high << 8)
        else:
            width = WIDTHS[op]
        if not width or pos + 2 * width > end:
            break
        if op in INVOKE_OPS:
            ref = dex.method_ref(data[pos + 2] | data[pos + 3] << 8)
            if "Cursor" in ref.class_desc:
                steps = steps or ref.name in CURSOR_STEPS
                first = first or ref.name == "moveToFirst"
        elif op == 0x28:  # goto +AA (signed byte)
            loops = loops or high >= 0x80
        elif op == 0x29 or 0x32 <= op <= 0x3D:  # goto/16, if-test, if-testz: signed 16-bit offset
            loops = loops or _S16.unpack_from(data, pos + 2)[0] < 0
        elif op == 0x2A:  # goto/32
            loops = loops or _S32.unpack_from(data, pos + 2)[0] < 0
        pos += 2 * width
    return MethodFacts(
        iterates_cursor=steps and loops, steps_cursor=steps, loops=loops, reads_one_row=first and not steps
    )


@lru_cache(maxsize=1)
def sender_entries() -> tuple[ApiEntry, ...]:
    """The APIs of ``apkscan/data/senders.toml`` as catalog entries (category "network")."""
    import tomllib
    from importlib import resources

    doc = tomllib.loads(resources.files("apkscan").joinpath("data", "senders.toml").read_text(encoding="utf-8"))
    out = []
    for i, raw in enumerate(doc.get("sender", [])):
        cls, name, source = raw.get("class"), raw.get("name"), raw.get("source")
        if not (isinstance(cls, str) and cls.startswith("L") and cls.endswith(";") and name and source):
            raise ValueError(
                f"apkscan/data/senders.toml: [[sender]] #{i + 1} needs class (DEX descriptor), name, source"
            )
        out.append(
            ApiEntry(kind="method", category="network", permission=None, class_desc=cls, name=name, source=source)
        )
    return tuple(out)


def find_senders(dex_files: Sequence[tuple[str, bytes]], sdks: Iterable[SdkEntry]) -> tuple[SenderSite, ...]:
    """Call sites of the sender APIs, attributed to the app, an SDK or a library; bad DEX files are skipped."""
    catalog = ApiCatalog(apis=sender_entries(), sdks=tuple(sdks), packers=())
    index = SdkIndex(catalog.sdks)
    out = []
    for label, data in dex_files:
        try:
            result = scan_fast(label, data, catalog)
        except Exception:  # noqa: BLE001 - as scan_code: a DEX the reader refuses has no sender sites here
            continue
        for hit in result.hits:
            name = java_class(hit.caller.class_desc)
            sdk = index.lookup(name)
            owner = sdk.id if sdk else ("library" if is_library(name) else "")
            out.append(SenderSite(hit.entry.readable, hit.caller.descriptor, label, owner))
    return tuple(out)
