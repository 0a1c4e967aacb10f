"""Load and validate the rule tables: sensitive APIs, third-party SDKs and packers.

The tables are TOML data files (``apkscan/data/apis.toml``, ``sdks.toml``, ``packers.toml``) so
that users can extend them without touching code; every entry carries its source. Bad data is
reported as ``ValueError`` with a one-line message naming the file and entry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from apkscan.model.vocab import CATEGORIES, SDK_KINDS

API_KINDS = ("method", "field", "string")
VERIFICATIONS = ("secondary", "memory", "fixture")


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


@dataclass(frozen=True, slots=True)
class PackerEntry:
    id: str
    name: str
    classes: tuple[str, ...]  # Java class names, or package prefixes ending with "."
    libs: tuple[str, ...]  # native library / asset file base names
    files: tuple[str, ...]  # other zip entry names (exact paths)
    source: str
    verification: str


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


def _load(path: Path | None, default: str) -> tuple[str, dict[str, Any]]:
    if path is None:
        ref = resources.files("apkscan").joinpath("data", default)
        label, text = f"apkscan/data/{default}", ref.read_text(encoding="utf-8")
    else:
        label = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"{label}: cannot read: {exc.strerror or exc}") from None
    try:
        return label, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{label}: invalid TOML: {exc}") from None


class _Entry:
    """Typed access to one TOML table with one-line errors."""

    def __init__(self, label: str, table: str, index: int, raw: Any) -> None:
        self.where = f"{label}: [[{table}]] #{index + 1}"
        if not isinstance(raw, dict):
            raise ValueError(f"{self.where}: not a table")
        self.raw = raw

    def text(self, key: str, default: str | None = None, choices: tuple[str, ...] = ()) -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str) or (default is None and not value):
            raise ValueError(f"{self.where}: '{key}' must be a non-empty string")
        if choices and value not in choices:
            raise ValueError(f"{self.where}: '{key}' = {value!r} is not one of {', '.join(choices)}")
        return value

    def texts(self, key: str, choices: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"{self.where}: '{key}' must be a list of non-empty strings")
        for item in value:
            if choices and item not in choices:
                raise ValueError(f"{self.where}: '{key}' has {item!r}, not one of {', '.join(choices)}")
        return tuple(value)


def _is_permission(value: object) -> bool:
    """ "android.permission.READ_SMS", "com.google.android.gms.permission.AD_ID": dotted, upper-case name."""
    if not isinstance(value, str) or "." not in value:
        return False
    name = value.rpartition(".")[2]
    return bool(name) and name.replace("_", "").isalnum() and name.upper() == name


def _api(entry: _Entry) -> ApiEntry:
    kind = entry.text("kind", choices=API_KINDS)
    perm = entry.raw.get("permission")
    if perm is not None and not _is_permission(perm):
        raise ValueError(f"{entry.where}: 'permission' must be a full name like android.permission.READ_SMS")
    if not all(_is_permission(p) for p in entry.texts("alt_permissions")):
        raise ValueError(f"{entry.where}: 'alt_permissions' must be full names like android.permission.READ_SMS")
    common = {
        "kind": kind,
        "category": entry.text("category", choices=CATEGORIES),
        "permission": perm or None,
        "alt_permissions": entry.texts("alt_permissions"),
        "note": entry.text("note", ""),
        "source": entry.text("source"),
    }
    if kind == "string":
        return ApiEntry(value=entry.text("value"), match=entry.text("match", "exact", ("exact", "prefix")), **common)
    cls = entry.text("class")
    if not (cls.startswith("L") and cls.endswith(";")):
        raise ValueError(f"{entry.where}: 'class' must be a DEX descriptor like Landroid/telephony/TelephonyManager;")
    descriptor = entry.text("descriptor", "")
    if kind == "method" and descriptor and not descriptor.startswith("("):
        raise ValueError(f"{entry.where}: method 'descriptor' must look like (Ljava/lang/String;)V")
    return ApiEntry(class_desc=cls, name=entry.text("name"), descriptor=descriptor, **common)


def _sdk(entry: _Entry) -> SdkEntry:
    prefixes = entry.texts("prefixes")
    if not prefixes or not all(p.endswith(".") for p in prefixes):
        raise ValueError(f"{entry.where}: 'prefixes' must be package prefixes ending with '.'")
    return SdkEntry(
        id=entry.text("id"),
        name=entry.text("name"),
        prefixes=prefixes,
        kind=entry.text("kind", choices=SDK_KINDS),
        harvests=entry.texts("harvests", CATEGORIES),
        source=entry.text("source"),
        verification=entry.text("verification", choices=VERIFICATIONS),
    )


def _packer(entry: _Entry) -> PackerEntry:
    packer = PackerEntry(
        id=entry.text("id"),
        name=entry.text("name"),
        classes=entry.texts("classes"),
        libs=entry.texts("libs"),
        files=entry.texts("files"),
        source=entry.text("source"),
        verification=entry.text("verification", choices=VERIFICATIONS),
    )
    if not (packer.classes or packer.libs or packer.files):
        raise ValueError(f"{entry.where}: needs at least one of 'classes', 'libs', 'files'")
    return packer


def _entries(label: str, doc: dict[str, Any], table: str, build: Any) -> tuple[Any, ...]:
    raw = doc.get(table)
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{label}: expected one or more [[{table}]] tables")
    items = tuple(build(_Entry(label, table, i, item)) for i, item in enumerate(raw))
    ids = [getattr(item, "id", None) for item in items]
    dupes = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{label}: duplicate id {dupes[0]!r}")
    return items


def load_catalog(apis: Path | None = None, sdks: Path | None = None, packers: Path | None = None) -> ApiCatalog:
    """Load the three tables (the packaged ones by default); ValueError on bad data."""
    api_label, api_doc = _load(apis, "apis.toml")
    sdk_label, sdk_doc = _load(sdks, "sdks.toml")
    packer_label, packer_doc = _load(packers, "packers.toml")
    return ApiCatalog(
        apis=_entries(api_label, api_doc, "api", _api),
        sdks=_entries(sdk_label, sdk_doc, "sdk", _sdk),
        packers=_entries(packer_label, packer_doc, "packer", _packer),
    )
