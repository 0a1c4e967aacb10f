"""Code evidence: what an app's DEX code actually reads, who calls it, and whether it is hidden.

For every ``classes*.dex`` (multidex and bundle splits included) this finds call sites of the
sensitive APIs, reads of the sensitive fields and uses of sensitive URI strings listed in
``apkscan/data/apis.toml``; attributes each to the app or to a third-party SDK
(``sdks.toml``); finds supporting strings (upload endpoints, content URIs, policy URLs);
recognises packers (``packers.toml``) and heavy name obfuscation.

The fast reader (:mod:`.dexfile`, :mod:`.search`) parses the DEX format directly; androguard's
``Analysis`` is the oracle in the tests and the fallback for a DEX the fast reader refuses. This
function never raises for bad input: problems end up in ``DexInfo.error`` / ``errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from apkscan.knowledge.lender_data import library_prefixes
from apkscan.model.code import CallSite, CodeEvidence, DexInfo, PackerHit, SdkHit, SenderSite, StringHit, TextHit
from apkscan.model.vocab import CATEGORIES

from .catalog import ApiCatalog, ApiEntry, PackerEntry, SdkEntry, java_class, load_catalog
from .dexfile import DexFile
from .packers import detect_packers
from .scan import AlsoFind, DexResult, scan_fast
from .sdks import SdkIndex, is_library, obfuscation

__all__ = [
    "ApiCatalog",
    "ApiEntry",
    "CATEGORIES",
    "CallSite",
    "CodeEvidence",
    "CodeScan",
    "DexInfo",
    "PackerEntry",
    "PackerHit",
    "SdkEntry",
    "SdkHit",
    "StringHit",
    "TextHit",
    "default_catalog",
    "load_catalog",
    "scan_code",
    "scan_code_full",
]

_STRING_KIND_ORDER = {"upload_endpoint": 0, "content_uri": 1, "policy_url": 2, "url": 3}


@lru_cache(maxsize=1)
def default_catalog() -> ApiCatalog:
    """The packaged tables, parsed once per process."""
    return load_catalog()


def _scan_one(label: str, data: bytes, catalog: ApiCatalog, also: AlsoFind) -> DexResult:
    """Fast reader first; androguard for a DEX it refuses; a 'failed' result if both fail."""
    fast: DexResult | None = None
    try:
        fast = scan_fast(label, data, catalog, also)
        if not fast.errors:
            return fast
        reason = "; ".join(fast.errors[:3]) + (f" (+{len(fast.errors) - 3} more)" if len(fast.errors) > 3 else "")
    except Exception as exc:  # noqa: BLE001 - any reader failure means "try the fallback"
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
    try:
        from .fallback import scan_androguard

        result = scan_androguard(label, data, catalog)
        result.errors = [f"fast reader: {reason}; read with androguard instead"]
        return result
    except Exception as exc:  # noqa: BLE001 - androguard raises many types on bad input
        error = f"fast reader: {reason}; androguard: {type(exc).__name__}: {str(exc)[:200]}"
    partial = fast or DexResult(label=label, size=len(data), parser="failed")
    partial.parser = "failed"
    partial.errors = [error]
    return partial


def scan_code(
    dex_files: Sequence[tuple[str, bytes]], file_names: Sequence[str] = (), catalog: ApiCatalog | None = None
) -> CodeEvidence:
    """Scan DEX files ``(label, bytes)`` of one APK or bundle; ``file_names`` are its zip entries."""
    return scan_code_full(dex_files, file_names, catalog).evidence


@dataclass(frozen=True, slots=True)
class CodeScan:
    """The code evidence (what the report shows) and what the lender checks asked the same pass for."""

    evidence: CodeEvidence
    texts: tuple[TextHit, ...] = ()  # DEX strings holding a text needle, with their callers
    senders: tuple[SenderSite, ...] = ()  # calls of APIs that send data out
    parsed: tuple[tuple[str, DexFile], ...] = ()  # the files the fast reader parsed, for what follows the scan
    own_classes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # label -> class defs outside SDKs


def scan_code_full(
    dex_files: Sequence[tuple[str, bytes]],
    file_names: Sequence[str] = (),
    catalog: ApiCatalog | None = None,
    text_needles: tuple[bytes, ...] = (),
    text_match: Callable[[str], bool] | None = None,
    senders: tuple[ApiEntry, ...] = (),
) -> CodeScan:
    """:func:`scan_code`, also collecting in the same pass the strings holding a text needle (lower-case ASCII or
    UTF-8) that ``text_match`` accepts, and the calls of the ``senders`` entries (the androguard fallback collects
    neither). See :mod:`apkscan.evaluate.dex_text`."""
    catalog = catalog or default_catalog()
    sdk_index = SdkIndex(catalog.sdks)
    owned: dict[str, bool] = {}  # class name -> the app's own (asked once per name)
    libraries = library_prefixes()

    def app_class(name: str) -> bool:
        """Outside SDKs, platform namespaces and common open-source libraries (libraries.toml)."""
        found = owned.get(name)
        if found is None:
            found = owned[name] = not (sdk_index.lookup(name) or is_library(name) or name.startswith(libraries))
        return found

    also = AlsoFind(text_needles, text_match, senders, app_class)
    results = [_scan_one(label, data, catalog, also) for label, data in dex_files]

    call_sites: list[CallSite] = []
    seen: set[tuple[str, str, int, str]] = set()
    for res in results:
        for hit in res.hits:
            caller_class = java_class(hit.caller.class_desc)
            key = (hit.api_descriptor, hit.caller.descriptor, hit.offset, res.label)
            if key in seen:
                continue
            seen.add(key)
            sdk = sdk_index.lookup(caller_class)
            entry = hit.entry
            call_sites.append(
                CallSite(
                    api=hit.api_descriptor if entry.kind == "string" else entry.readable,
                    api_descriptor=hit.api_descriptor,
                    kind=entry.kind,
                    category=entry.category,
                    permission=entry.permission,
                    caller_class=caller_class,
                    caller_method=hit.caller.java_method,
                    caller_descriptor=hit.caller.descriptor,
                    dex=res.label,
                    sdk=sdk.id if sdk else None,
                    offset=hit.offset,
                    alt_permissions=entry.alt_permissions,
                )
            )
    order = {c: i for i, c in enumerate(CATEGORIES)}
    call_sites.sort(key=lambda s: (order.get(s.category, 99), s.sdk is not None, s.dex, s.caller_descriptor, s.offset))

    strings = [
        StringHit(value=value, kind=kind, categories=cats, callers=tuple(dict.fromkeys(callers)), dex=res.label)
        for res in results
        for value, (kind, cats, callers) in res.strings.items()
    ]
    strings.sort(key=lambda s: (_STRING_KIND_ORDER.get(s.kind, 9), not s.callers, s.value, s.dex))
    texts = tuple(
        TextHit(
            value=value,
            dex=res.label,
            callers=tuple(callers),
            caller_sdks=tuple(_sdk_of(sdk_index, c) for c in callers),
        )
        for res in results
        for value, callers in sorted(res.texts.items())
    )

    sdk_classes: dict[str, int] = {}
    sdk_dex: dict[str, list[str]] = {}
    app_classes: list[str] = []
    all_classes: list[str] = []
    own_classes: dict[str, list[int]] = {}
    for res in results:
        all_classes.extend(res.class_names)
        own = own_classes.setdefault(res.label, [])
        for index, name in enumerate(res.class_names):
            sdk = sdk_index.lookup(name)
            if sdk is not None:
                sdk_classes[sdk.id] = sdk_classes.get(sdk.id, 0) + 1
                sdk_dex.setdefault(sdk.id, [])
                if res.label not in sdk_dex[sdk.id]:
                    sdk_dex[sdk.id].append(res.label)
            elif not is_library(name):
                app_classes.append(name)
                own.append(index)
    sdks = tuple(
        SdkHit(
            id=s.id,
            name=s.name,
            kind=s.kind,
            harvests=s.harvests,
            source=s.source,
            classes=sdk_classes[s.id],
            dex=tuple(sdk_dex[s.id]),
        )
        for s in catalog.sdks
        if s.id in sdk_classes
    )
    packers = detect_packers(catalog.packers, all_classes, file_names)
    ratio, obfuscated = obfuscation(app_classes)

    infos = tuple(
        DexInfo(
            name=r.label,
            size=r.size,
            classes=r.classes,
            methods=r.methods,
            parser=r.parser,
            error="; ".join(r.errors) or None,
        )
        for r in results
    )
    errors = tuple(f"{i.name}: {i.error}" for i in infos if i.error)
    sender_sites = tuple(
        dict.fromkeys(
            SenderSite(hit.entry.readable, hit.caller.descriptor, res.label, _sdk_of(sdk_index, hit.caller.descriptor))
            for res in results
            for hit in res.sender_hits
        )
    )
    evidence = CodeEvidence(
        call_sites=tuple(call_sites),
        strings=tuple(strings),
        sdks=sdks,
        packers=packers,
        obfuscated=obfuscated,
        obfuscation_ratio=ratio,
        dex_files=infos,
        errors=errors,
    )
    parsed = tuple((r.label, r.dex) for r in results if r.dex is not None)
    return CodeScan(evidence, texts, sender_sites, parsed, {k: tuple(v) for k, v in own_classes.items()})


def _sdk_of(index: SdkIndex, caller_descriptor: str) -> str:
    """SDK id of the caller's class, ``"library"`` for platform/library namespaces, "" for app code."""
    name = java_class(caller_descriptor.partition("->")[0])
    sdk = index.lookup(name)
    if sdk is not None:
        return sdk.id
    return "library" if is_library(name) else ""
