"""Load the code-evidence tables: sensitive APIs, third-party SDKs and packers.

The tables are TOML data files (``apkscan/data/apis.toml``, ``sdks.toml``, ``packers.toml``) so that users can extend
them without touching code; every entry carries its source. Each file is checked against its spec in
:mod:`apkscan.knowledge.specs` before anything is built, so a typo (``harvest`` for ``harvests``) is an error, not an
SDK that silently harvests nothing; bad data raises :class:`~apkscan.knowledge.schema.DataFileError` (a
``ValueError``) with one line per problem naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import DataFileError, Spec, load_document
from apkscan.knowledge.specs import APIS, PACKERS, SDKS
from apkscan.model.vocab import API_KINDS

__all__ = [
    "API_KINDS",
    "ApiCatalog",
    "ApiEntry",
    "DataFileError",
    "PackerEntry",
    "SdkEntry",
    "java_class",
    "load_catalog",
]


@dataclass(frozen=True, slots=True)
class ApiEntry:
    """One sensitive method, field or string (``descriptor``/``value`` as in the TOML)."""

    kind: str
    category: str
    permission: str | None
    alt_permissions: tuple[str, ...] = ()
    class_desc: str = ""  # "Landroid/content/ContentResolver;" (method/field)
    name: str = ""  # method or field name
    descriptor: str = ""  # method proto "(...)R" or field type; "" = any
    value: str = ""  # string kind
    match: str = "exact"  # string kind: "exact" | "prefix"
    note: str = ""
    source: str = ""
    access: str = ""  # one of API_ACCESS (model.vocab), "" = not classified

    @property
    def readable(self) -> str:
        """ "android.content.ContentResolver.query" / the string value."""
        if self.kind == "string":
            return self.value
        return java_class(self.class_desc) + "." + self.name

    def matches_string(self, text: str) -> bool:
        return text.startswith(self.value) if self.match == "prefix" else text == self.value


@dataclass(frozen=True, slots=True)
class SdkEntry:
    id: str
    name: str
    prefixes: tuple[str, ...]  # Java package prefixes ending with "."
    kind: str
    harvests: tuple[str, ...]
    source: str
    verification: str
    fixture: bool = False  # a fake SDK of the sample APKs


@dataclass(frozen=True, slots=True)
class PackerEntry:
    id: str
    name: str
    classes: tuple[str, ...]  # Java class names, or package prefixes ending with "."
    libs: tuple[str, ...]  # native library / asset file base names
    files: tuple[str, ...]  # other zip entry names (exact paths)
    source: str
    verification: str
    fixture: bool = False


@dataclass(frozen=True, slots=True)
class ApiCatalog:
    apis: tuple[ApiEntry, ...]
    sdks: tuple[SdkEntry, ...]
    packers: tuple[PackerEntry, ...]


def java_class(desc: str) -> str:
    """ "Lcom/example/Foo$Bar;" -> "com.example.Foo$Bar"; other descriptors -> Java type names."""
    dims = len(desc) - len(desc.lstrip("["))
    base = desc[dims:]
    if base.startswith("L") and base.endswith(";"):
        name = base[1:-1].replace("/", ".")
    else:
        name = _PRIMITIVES.get(base, base)
    return name + "[]" * dims


_PRIMITIVES = {
    "V": "void",
    "Z": "boolean",
    "B": "byte",
    "S": "short",
    "C": "char",
    "I": "int",
    "J": "long",
    "F": "float",
    "D": "double",
}


def _load(path: Path | None, default: str, spec: Spec) -> dict[str, Any]:
    """Read and check one table; the packaged file is named ``apkscan/data/<name>`` in errors."""
    if path is None:
        file = data_file(default)
        return load_document(file, spec, f"apkscan/data/{default}")[0]
    return load_document(Path(path), spec)[0]


def _api(raw: dict[str, Any]) -> ApiEntry:
    common = {
        "kind": raw["kind"],
        "category": raw["category"],
        "permission": raw.get("permission") or None,
        "alt_permissions": tuple(raw.get("alt_permissions", ())),
        "note": raw.get("note", ""),
        "source": raw["source"],
        "access": raw.get("access", ""),
    }
    if raw["kind"] == "string":
        return ApiEntry(value=raw["value"], match=raw.get("match", "exact"), **common)
    return ApiEntry(class_desc=raw["class"], name=raw["name"], descriptor=raw.get("descriptor", ""), **common)


def _sdk(raw: dict[str, Any]) -> SdkEntry:
    return SdkEntry(
        id=raw["id"],
        name=raw["name"],
        prefixes=tuple(raw["prefixes"]),
        kind=raw["kind"],
        harvests=tuple(raw.get("harvests", ())),
        source=raw["source"],
        verification=raw["verification"],
        fixture=raw.get("fixture", False),
    )


def _packer(raw: dict[str, Any]) -> PackerEntry:
    return PackerEntry(
        id=raw["id"],
        name=raw["name"],
        classes=tuple(raw.get("classes", ())),
        libs=tuple(raw.get("libs", ())),
        files=tuple(raw.get("files", ())),
        source=raw["source"],
        verification=raw["verification"],
        fixture=raw.get("fixture", False),
    )


def load_catalog(apis: Path | None = None, sdks: Path | None = None, packers: Path | None = None) -> ApiCatalog:
    """Load the three tables (the packaged ones by default); :class:`DataFileError` (a ValueError) on bad data."""
    return ApiCatalog(
        apis=tuple(_api(raw) for raw in _load(apis, "apis.toml", APIS)["api"]),
        sdks=tuple(_sdk(raw) for raw in _load(sdks, "sdks.toml", SDKS)["sdk"]),
        packers=tuple(_packer(raw) for raw in _load(packers, "packers.toml", PACKERS)["packer"]),
    )
