"""Scan one DEX with the fast reader and return parser-neutral raw results.

:class:`DexResult` is what both this fast path and the androguard fallback (:mod:`.fallback`)
produce, so that attribution, grouping and reporting (:mod:`apkscan.extract.code`) do not care
which parser read the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .catalog import ApiCatalog, ApiEntry, java_class
from .dexfile import DexFile, DexFormatError
from .locate import Locator
from .search import Targets, find_refs, resolve_targets
from .strings import classify, find_candidates


@dataclass(frozen=True, slots=True)
class Caller:
    """The method containing a hit, in DEX form."""

    class_desc: str
    name: str
    proto: str  # "(Landroid/content/Context;)V"

    @property
    def descriptor(self) -> str:
        return f"{self.class_desc}->{self.name}{self.proto}"

    @property
    def java_method(self) -> str:
        """ "collect(android.content.Context)"."""
        params = split_params(self.proto)
        return f"{self.name}({', '.join(java_class(p) for p in params)})"


@dataclass(frozen=True, slots=True)
class RawHit:
    entry: ApiEntry
    api_descriptor: str
    caller: Caller
    offset: int


@dataclass(slots=True)
class DexResult:
    label: str
    size: int
    parser: str
    classes: int = 0
    methods: int = 0
    class_names: list[str] = field(default_factory=list)  # Java names of the defined classes
    hits: list[RawHit] = field(default_factory=list)
    # supporting string value -> (kind, categories, caller descriptors in file order)
    strings: dict[str, tuple[str, tuple[str, ...], list[str]]] = field(default_factory=dict)
    # strings holding one of the caller's text needles -> caller descriptors in file order
    texts: dict[str, list[str]] = field(default_factory=dict)
    # calls of the sender APIs asked for (kept apart from ``hits``: they are not sensitive reads)
    sender_hits: list[RawHit] = field(default_factory=list)
    # the parsed file, so that what follows the scan (method facts, own-code features) does not parse it again
    dex: DexFile | None = field(default=None, repr=False)
    errors: list[str] = field(default_factory=list)


def split_params(proto: str) -> list[str]:
    """Parameter descriptors of "(I[Ljava/lang/String;J)V" -> ["I", "[Ljava/lang/String;", "J"]."""
    inner = proto[1 : proto.find(")")] if proto.startswith("(") else ""
    out = []
    i = 0
    while i < len(inner):
        j = i
        while j < len(inner) and inner[j] == "[":
            j += 1
        if j < len(inner) and inner[j] == "L":
            end = inner.find(";", j)
            j = len(inner) - 1 if end < 0 else end
        out.append(inner[i : j + 1])
        i = j + 1
    return out


def best_entry(entries: list[ApiEntry]) -> ApiEntry:
    """The most specific catalog entry when several match one id (exact string, explicit descriptor)."""
    return max(entries, key=lambda e: (e.match == "exact" if e.kind == "string" else bool(e.descriptor), len(e.value)))


@dataclass(frozen=True, slots=True)
class AlsoFind:
    """What one bytecode pass collects besides the catalog's APIs, found by the same pass so that asking for it
    costs a string-area search, not a second scan of the code.

    ``needles`` (see :func:`.strings.find_candidates`): every string holding one of them, with its ``const-string``
    callers, lands in ``DexResult.texts``; ``match`` keeps only the strings it accepts (broad needles then add few
    targets); ``scope`` skips the string search in a file holding no class it accepts (an SDK's or a library's
    words are not the app's). ``senders``: more method entries, their calls returned in ``sender_hits``."""

    needles: tuple[bytes, ...] = ()
    match: Callable[[str], bool] | None = None
    senders: tuple[ApiEntry, ...] = ()
    scope: Callable[[str], bool] | None = None


NOTHING_ELSE = AlsoFind()


def scan_fast(label: str, data: bytes, catalog: ApiCatalog, also: AlsoFind = NOTHING_ELSE) -> DexResult:
    """Read one DEX with the fast reader. Raises DexFormatError when the tables are unusable;
    per-class damage is returned in ``errors`` with the hits found elsewhere. ``also``: see :class:`AlsoFind`."""
    dex = DexFile(data)
    result = DexResult(label=label, size=len(data), parser="fast", classes=dex.class_count, dex=dex)
    locator = Locator(dex)
    result.methods = locator.defined_methods
    result.class_names = [java_class(dex.type_name(t)) for t in dex.class_type_idx]

    support: dict[int, tuple[str, str, tuple[str, ...]]] = {}
    for idx in find_candidates(dex):
        value = dex.string(idx)
        kind = classify(value, catalog.apis)
        if kind is not None:
            support[idx] = (value, *kind)
    # the string search is skipped in files of library code only
    wanted = bool(also.needles) and (also.scope is None or any(map(also.scope, result.class_names)))
    texts = {idx: dex.string(idx) for idx in find_candidates(dex, also.needles, many=True)} if wanted else {}
    if also.match is not None:
        texts = {idx: value for idx, value in texts.items() if also.match(value)}
    targets: Targets = resolve_targets(dex, (*catalog.apis, *also.senders), [*support, *texts])
    sender_set = frozenset(also.senders)
    for value, string_kind, cats in support.values():
        result.strings[value] = (string_kind, cats, [])
    for value in texts.values():
        result.texts[value] = []

    callers: dict[int, Caller] = {}
    refs = find_refs(dex, locator, targets)
    result.errors.extend(locator.errors)
    for ref in refs:
        caller = callers.get(ref.method_idx)
        if caller is None:
            m = dex.method_ref(ref.method_idx)
            caller = callers[ref.method_idx] = Caller(m.class_desc, m.name, m.proto)
        if ref.kind == "method":
            entries = targets.methods[ref.idx]
            api_descriptor = dex.method_ref(ref.idx).descriptor
        elif ref.kind == "field":
            entries = targets.fields[ref.idx]
            cls, name, ftype = dex.field_ref(ref.idx)
            api_descriptor = f"{cls}->{name}:{ftype}"
        else:
            entries = targets.strings[ref.idx]
            api_descriptor = dex.string(ref.idx)
            if ref.idx in support:
                result.strings[api_descriptor][2].append(caller.descriptor)
            if ref.idx in texts:
                result.texts[api_descriptor].append(caller.descriptor)
        if not entries:
            continue
        sending = [e for e in entries if e in sender_set]
        if sending:
            result.sender_hits.append(RawHit(sending[0], api_descriptor, caller, ref.offset))
        if len(sending) < len(entries):
            result.hits.append(
                RawHit(best_entry([e for e in entries if e not in sender_set]), api_descriptor, caller, ref.offset)
            )
    return result


__all__ = ["Caller", "DexFormatError", "DexResult", "RawHit", "best_entry", "scan_fast", "split_params"]
