"""Read one APK part's binary manifest into plain facts.

We use androguard's AXML parser (not its APK class) so that we decide how much of the zip is read and can report a
manifest that fails to decode as a clear error instead of a crash. The resource table is read by
:mod:`apkscan.extract.resources`, which decodes only the label's entries and the string pool.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from androguard.core.axml import AXMLPrinter
from lxml import etree

import apkscan.extract.quiet  # noqa: F401  (silences androguard before it logs)
from apkscan.extract.resources import ResourceError, ResourceTable, resolve_label
from apkscan.read.container import MANIFEST, ApkPart
from apkscan.read.errors import InputError

ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_ARSC_BYTES = 128 * 1024 * 1024
MAX_POOL_STRINGS = 200_000
COMPONENT_TAGS = ("activity", "activity-alias", "service", "receiver", "provider")
PERMISSION_TAGS = ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m")


@dataclass
class UsesPermission:
    name: str
    tag: str
    max_sdk: int | None


@dataclass
class PartManifest:
    """Raw facts of one part; :mod:`apkscan.extract.merge` combines parts."""

    source: str
    package: str = ""
    split: str = ""
    version_name: str = ""
    version_code: str = ""
    min_sdk: int | None = None
    target_sdk: int | None = None
    max_sdk: int | None = None
    label: str = ""
    label_zh: str = ""
    application_class: str = ""
    uses: list[UsesPermission] = field(default_factory=list)
    declared: list[tuple[str, str]] = field(default_factory=list)  # (name, protectionLevel)
    components: list[dict] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)  # URLs and long texts, searched for privacy policies
    pool: list[str] = field(default_factory=list)  # every string value of resources.arsc (the lender checks' texts)
    errors: list[str] = field(default_factory=list)


def read_manifest(part: ApkPart) -> PartManifest:
    """Decode the part's manifest; raise InputError only when nothing at all can be read."""
    raw = part.zip.read(MANIFEST, limit=MAX_MANIFEST_BYTES)
    root = _decode_axml(raw, part.zip.label)
    facts = PartManifest(source=part.name)
    facts.package = _attr(root, "package", ns=False)
    facts.split = _attr(root, "split", ns=False)
    facts.version_name = _attr(root, "versionName")
    facts.version_code = _attr(root, "versionCode")
    _read_sdk(root, facts)
    _read_permissions(root, facts)
    _read_application(root, facts)
    arsc = _load_resources(part, facts)
    facts.label, facts.label_zh = _resolve_label(_application_label(root), arsc, facts)
    facts.pool = _pool(arsc)
    facts.strings = [str(v) for el in root.iter() for v in el.attrib.values() if "://" in str(v)] + [
        value for value in facts.pool if "://" in value or len(value) > 200
    ]
    return facts


def _decode_axml(raw: bytes, source: str) -> etree._Element:
    try:
        printer = AXMLPrinter(raw)
        root = printer.get_xml_obj() if printer.is_valid() else None
    except Exception as err:  # androguard raises many types on crafted input
        raise InputError(source, f"AndroidManifest.xml could not be decoded ({type(err).__name__})") from None
    if root is None:
        raise InputError(source, "AndroidManifest.xml could not be decoded (not a valid binary XML document)")
    if root.tag != "manifest":
        raise InputError(source, f"AndroidManifest.xml does not start with <manifest> (found <{root.tag}>)")
    return root


def _attr(el: etree._Element, name: str, ns: bool = True) -> str:
    """Read an attribute with or without the android namespace (crafted manifests drop it)."""
    value = el.get(ANDROID_NS + name) if ns else None
    if value is None:
        value = el.get(name) if ns else (el.get(name) or el.get(ANDROID_NS + name))
    return value or ""


def _int(value: str) -> int | None:
    try:
        return int(value, 0) if value else None
    except ValueError:
        return None


def _read_sdk(root: etree._Element, facts: PartManifest) -> None:
    sdk = root.find("uses-sdk")
    if sdk is None:
        return
    facts.min_sdk = _int(_attr(sdk, "minSdkVersion"))
    facts.target_sdk = _int(_attr(sdk, "targetSdkVersion"))
    facts.max_sdk = _int(_attr(sdk, "maxSdkVersion"))
    if _attr(sdk, "minSdkVersion") and facts.min_sdk is None:
        facts.errors.append(f"{facts.source}: minSdkVersion is not a number ({_attr(sdk, 'minSdkVersion')!r})")


def _read_permissions(root: etree._Element, facts: PartManifest) -> None:
    for tag in PERMISSION_TAGS:
        for el in root.iter(tag):
            name = _attr(el, "name")
            if name:
                facts.uses.append(UsesPermission(name, tag, _int(_attr(el, "maxSdkVersion"))))
    for el in root.iter("permission"):
        if _attr(el, "name"):
            facts.declared.append((_attr(el, "name"), _attr(el, "protectionLevel") or "normal"))


def _read_application(root: etree._Element, facts: PartManifest) -> None:
    app = root.find("application")
    if app is None:
        return
    facts.application_class = _qualify(facts.package, _attr(app, "name"))
    for el in app:
        if not isinstance(el.tag, str) or el.tag not in COMPONENT_TAGS:
            continue
        actions = tuple(_attr(a, "name") for a in el.iter("action") if _attr(a, "name"))
        exported = _attr(el, "exported")
        facts.components.append(
            {
                "kind": "activity" if el.tag == "activity-alias" else el.tag,
                "name": _qualify(facts.package, _attr(el, "name") or _attr(el, "targetActivity")),
                # Before API 31 a component with an intent filter was exported unless it said otherwise.
                "exported": exported == "true" or (exported == "" and bool(actions)),
                "permission": _attr(el, "permission") or None,
                "actions": actions,
            }
        )


def _qualify(package: str, name: str) -> str:
    if name.startswith("."):
        return package + name
    if name and "." not in name and package:
        return f"{package}.{name}"
    return name


def _application_label(root: etree._Element) -> str:
    app = root.find("application")
    return _attr(app, "label") if app is not None else ""


def _load_resources(part: ApkPart, facts: PartManifest) -> ResourceTable | None:
    if not part.zip.has("resources.arsc"):
        return None
    try:
        return ResourceTable(part.zip.read("resources.arsc", limit=MAX_ARSC_BYTES))
    except InputError as err:
        facts.errors.append(f"{part.name}: resources.arsc: {err.reason}")
    except ResourceError as err:  # crafted or truncated resource tables
        facts.errors.append(f"{part.name}: resources.arsc could not be decoded ({err})")
    return None


def _resolve_label(raw: str, arsc: ResourceTable | None, facts: PartManifest) -> tuple[str, str]:
    """Return (default label, Chinese label); a literal label has no Chinese variant."""
    if not raw.startswith("@") or arsc is None:
        return raw, ""
    try:
        return resolve_label(arsc, raw)
    except ResourceError as err:
        facts.errors.append(f"{facts.source}: app label {raw} could not be resolved ({err})")
        return raw, ""


def _pool(arsc: ResourceTable | None) -> list[str]:
    """Every string value of the table, all locales (at most :data:`MAX_POOL_STRINGS`: a hostile pool can hold
    millions)."""
    if arsc is None:
        return []
    try:
        pool = arsc.strings
    except ResourceError:  # a broken pool has already been reported by the label lookup, or cannot be read
        return []
    out = []
    for i in range(min(len(pool), MAX_POOL_STRINGS)):
        try:
            out.append(pool[i])
        except ResourceError:  # one damaged string: keep the others
            continue
    return out
