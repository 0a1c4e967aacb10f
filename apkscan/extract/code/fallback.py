"""Fallback for a DEX the fast reader rejects: androguard's ``DEX`` + ``Analysis`` on that file.

Slow (it disassembles everything) but tolerant of some layouts the fast reader refuses. Method
and string hits come from androguard's own xrefs; field reads from its disassembly, because
androguard only creates field xrefs for fields *defined* in the DEX and the sensitive fields
(``CONTENT_URI`` ...) live in the framework.
"""

from __future__ import annotations

import re

from .catalog import ApiCatalog, java_class
from .scan import Caller, DexResult, RawHit, best_entry
from .search import FIELD_READ_OPS
from .strings import classify


def _quiet() -> None:
    try:
        from loguru import logger

        logger.disable("androguard")
    except ImportError:  # pragma: no cover - loguru is an androguard dependency
        pass


def _caller(method: object) -> Caller:
    return Caller(
        method.get_class_name(),  # type: ignore[attr-defined]
        method.get_name(),  # type: ignore[attr-defined]
        str(method.get_descriptor()).replace(" ", ""),  # type: ignore[attr-defined]
    )


def scan_androguard(label: str, data: bytes, catalog: ApiCatalog) -> DexResult:
    """Scan one DEX with androguard; raises whatever androguard raises."""
    _quiet()
    from androguard.core.analysis.analysis import Analysis, ExternalMethod
    from androguard.core.dex import DEX

    dex = DEX(data)
    dx = Analysis()
    dx.add(dex)
    dx.create_xref()
    result = DexResult(label=label, size=len(data), parser="androguard-fallback")
    classes = dex.get_classes()
    result.classes = len(classes)
    result.methods = sum(len(c.get_methods()) for c in classes)
    result.class_names = [java_class(c.get_name()) for c in classes]

    for entry in catalog.apis:
        if entry.kind == "method":
            found = dx.find_methods(
                classname=re.escape(entry.class_desc) + r"\Z", methodname=re.escape(entry.name) + r"\Z"
            )
            for ma in found:
                target = ma.get_method()
                proto = str(target.get_descriptor()).replace(" ", "")
                if entry.descriptor and proto != entry.descriptor:
                    continue
                api_descriptor = f"{entry.class_desc}->{entry.name}{proto}"
                for _cls, caller_ma, offset in ma.get_xref_from():
                    if isinstance(caller_ma.get_method(), ExternalMethod):
                        continue
                    result.hits.append(RawHit(entry, api_descriptor, _caller(caller_ma.get_method()), offset))

    field_entries = [e for e in catalog.apis if e.kind == "field"]
    string_entries = [e for e in catalog.apis if e.kind == "string"]
    for ma in dx.get_methods():
        method = ma.get_method()
        if isinstance(method, ExternalMethod) or not field_entries:
            continue
        for offset, ins in method.get_instructions_idx():
            if ins.get_op_value() not in FIELD_READ_OPS:
                continue
            cls, ftype, name = dex.get_cm_field(ins.get_ref_kind())
            matches = [
                e
                for e in field_entries
                if e.class_desc == cls and e.name == name and (not e.descriptor or e.descriptor == ftype)
            ]
            if matches:
                result.hits.append(RawHit(best_entry(matches), f"{cls}->{name}:{ftype}", _caller(method), offset))

    for value, sa in dx.strings.items():
        entries = [e for e in string_entries if e.matches_string(value)]
        kind = classify(value, catalog.apis)
        if kind is not None:
            result.strings[value] = (kind[0], kind[1], [])
        if not entries and kind is None:
            continue
        for _cls, caller_ma, offset in sorted(sa.get_xref_from(with_offset=True), key=lambda x: x[2]):
            caller = _caller(caller_ma.get_method())
            if entries:
                result.hits.append(RawHit(best_entry(entries), value, caller, offset))
            if kind is not None:
                result.strings[value][2].append(caller.descriptor)
    return result
