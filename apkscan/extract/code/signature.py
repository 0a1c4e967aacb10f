"""The app's own code as a set of name-independent features, to recognise re-skins (code families).

A re-skin is the same code shipped under a new package name, label and signing key once the old app
is reported. What survives a re-skin is the code's shape: its classes with their superclasses and
member counts, its methods with their prototypes and code sizes. So each feature is built from

* ``c|Class|Super|Interfaces|fields|methods`` per class, and for each method with code
* ``m|Class|method|(params)return`` and ``s|Class|method|(params)return|code units``,

where types outside the app (``android.*``, ``java.*``, SDK classes) keep their full name, and the
app's own types are reduced to their simple name (``ContactsCollector``; renaming the Java package
``com.example.quickcash`` to ``id.kilatdana.app`` changes nothing). Names that look minified (one or
two characters, as R8/ProGuard write them) become ``?``, so two builds obfuscated with different
mappings still compare equal.

Excluded: classes of known SDKs (``sdks.toml``: two apps sharing a risk-control SDK are not one
family), platform namespaces (``android.``, ``androidx.``, ``kotlin.``…), common open-source libraries
(``libraries.toml``: OkHttp, Netty, the Flutter engine…) and packer stubs (``packers.toml``: every app
packed by the same vendor shares its stub). Only the class_data of own
classes and one u32 per method body are read; no bytecode is decoded.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from apkscan.knowledge.lender_data import library_prefixes

from .catalog import ApiCatalog, java_class
from .codeitems import class_methods
from .dexfile import DexFile, DexFormatError, _ints
from .sdks import SdkIndex, is_library

NO_INDEX = 0xFFFFFFFF
MAX_FEATURES = 500_000
_U32 = struct.Struct("<I")


@dataclass(frozen=True, slots=True)
class OwnCode:
    """Features of the app's own code; ``classes`` counts the own classes they came from."""

    features: frozenset[str]
    classes: int
    skipped_classes: int = 0  # SDK, library and packer-stub classes left out
    errors: tuple[str, ...] = ()


class _Namer:
    """Normalises type descriptors: own types -> simple name (or ?), others -> full descriptor."""

    def __init__(self, sdk_index: SdkIndex, stub_prefixes: tuple[str, ...]) -> None:
        self.sdk_index = sdk_index
        self.stub_prefixes = stub_prefixes  # packer stubs and common libraries
        self._own: dict[str, bool] = {}

    def is_own(self, desc: str) -> bool:
        own = self._own.get(desc)
        if own is None:
            name = java_class(desc)
            own = not (
                is_library(name) or self.sdk_index.lookup(name) is not None or name.startswith(self.stub_prefixes)
            )
            self._own[desc] = own
        return own

    def type(self, desc: str) -> str:
        dims = len(desc) - len(desc.lstrip("["))
        base = desc[dims:]
        if not (base.startswith("L") and base.endswith(";")) or not self.is_own(base):
            return desc
        return "[" * dims + simple(base)

    def proto(self, params: Iterable[str], ret: str) -> str:
        return "(" + ",".join(self.type(p) for p in params) + ")" + self.type(ret)


def minified(name: str) -> bool:
    """One- or two-character identifiers: what R8/ProGuard produce (``a``, ``b``, ``aa``).

    Numbers stay: ``Foo$1`` is an anonymous class numbered by the compiler, not renamed."""
    return 0 < len(name) <= 2 and not name.isdigit() and name not in ("R", "ID", "UI", "Io", "IO")


def simple(desc: str) -> str:
    """``Lcom/example/quickcash/data/ContactsCollector$1;`` -> ``ContactsCollector$1``; minified parts -> ?"""
    name = desc[1:-1].rpartition("/")[2]
    return "$".join("?" if minified(p) else p for p in name.split("$"))


def own_code(
    dex_files: Sequence[tuple[str, bytes | DexFile]],
    catalog: ApiCatalog,
    candidates: Mapping[str, Sequence[int]] | None = None,
) -> OwnCode:
    """Features of every own class in the DEX files (multidex and splits); never raises on bad DEX.

    ``dex_files`` may hold the files the scan already parsed; ``candidates`` (DEX label -> class-def indices) are the
    classes the scan already found outside SDKs and platform namespaces, so only those are looked at (the scan of an
    18 MB app has 9,000 library classes and 400 of its own)."""
    excluded = tuple(c for p in catalog.packers for c in p.classes) + library_prefixes()
    namer = _Namer(SdkIndex(catalog.sdks), excluded)
    features: set[str] = set()
    classes = skipped = 0
    errors = []
    for label, data in dex_files:
        try:
            dex = data if isinstance(data, DexFile) else DexFile(data)
            wanted = candidates.get(label) if candidates is not None else None
            c, s = _dex_features(dex, namer, features, wanted)
            classes += c
            skipped += s
        except Exception as exc:  # noqa: BLE001 - hostile DEX: report it, keep the other files' features
            errors.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
        if len(features) >= MAX_FEATURES:
            errors.append(f"{label}: more than {MAX_FEATURES} features; the rest is ignored")
            break
    return OwnCode(frozenset(features), classes, skipped, tuple(errors))


def _dex_features(dex: DexFile, namer: _Namer, out: set[str], wanted: Sequence[int] | None) -> tuple[int, int]:
    cdefs = _ints("I", dex.data[dex.class_defs_off : dex.class_defs_off + 32 * dex.class_count])
    supers, ifaces = cdefs[2::8], cdefs[3::8]
    protos: dict[int, str] = {}  # proto index -> normalised prototype (shared by many methods)
    own = 0
    indices = range(dex.class_count) if wanted is None else [i for i in wanted if 0 <= i < dex.class_count]
    skipped = dex.class_count - len(indices)
    for i in indices:
        desc = dex.type_name(dex.class_type_idx[i])
        if not namer.is_own(desc):
            skipped += 1
            continue
        own += 1
        cls = simple(desc)
        sup = namer.type(dex.type_name(supers[i])) if supers[i] != NO_INDEX else ""
        interfaces = ",".join(sorted(namer.type(t) for t in _type_list(dex, ifaces[i])))
        off = dex.class_data_offs[i]
        methods = class_methods(dex, off) if off else []
        fields = _field_count(dex, off) if off else 0
        out.add(f"c|{cls}|{sup}|{interfaces}|{fields}|{len(methods)}")
        for midx, code_off in methods:
            raw_name = dex.string(dex.method_name_idx(midx))
            name = "?" if minified(raw_name) else raw_name
            pidx = dex.method_proto_idx(midx)
            proto = protos.get(pidx)
            if proto is None:
                proto = protos[pidx] = namer.proto(*dex.proto(pidx))
            out.add(f"m|{cls}|{name}|{proto}")
            if code_off and code_off + 16 <= len(dex.data):
                (units,) = _U32.unpack_from(dex.data, code_off + 12)
                out.add(f"s|{cls}|{name}|{proto}|{units}")
        if len(out) >= MAX_FEATURES:
            break
    return own, skipped


def _type_list(dex: DexFile, off: int) -> list[str]:
    if not off or off + 4 > len(dex.data):
        return []
    (count,) = _U32.unpack_from(dex.data, off)
    if off + 4 + 2 * count > len(dex.data):
        raise DexFormatError(f"type_list at 0x{off:x} runs past the end of the file")
    idx = array("H")
    idx.frombytes(dex.data[off + 4 : off + 4 + 2 * count])
    return [dex.type_name(t) for t in idx]


def _field_count(dex: DexFile, off: int) -> int:
    data = dex.data
    total = 0
    pos = off
    for _ in range(2):  # static_fields_size, instance_fields_size (uleb128)
        value = shift = 0
        for _ in range(5):
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        total += value
    return total
