"""Attribute classes to third-party SDKs by package prefix, and measure name obfuscation.

SDK prefixes come from ``sdks.toml``. A class belongs to the SDK with the longest matching
prefix, so a specific entry (``com.google.firebase.analytics.``) wins over a general one.

Obfuscation: R8/ProGuard rename every class they are not told to keep to ``a``, ``b``, ... ``aa``;
hand-written code almost never uses one- or two-letter class names. So the share of *app* classes
(outside known SDKs and platform/library namespaces) whose simple name has one or two characters
measures renaming. Only manifest components and reflection targets keep their names in a
minified build, so there the share is typically well over one half; unminified code sits near 0
(``R`` is excluded; the unminified benchmark APK scores 0.002). :data:`OBFUSCATION_THRESHOLD` = 0.3
leaves a wide margin on both sides. Below :data:`MIN_APP_CLASSES` app classes the ratio is
reported but never called obfuscated: a handful of classes says nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalog import SdkEntry

OBFUSCATION_THRESHOLD = 0.3
MIN_APP_CLASSES = 10
#: Platform and ubiquitous library namespaces: neither app code nor a data-harvesting SDK.
LIBRARY_PREFIXES = (
    "android.",
    "androidx.",
    "java.",
    "javax.",
    "kotlin.",
    "kotlinx.",
    "dalvik.",
    "org.intellij.",
    "org.jetbrains.",
    "com.google.android.material.",
    "org.json.",
    "org.xmlpull.",
    "org.w3c.",
    "org.xml.",
    "junit.",
    "org.junit.",
    "org.hamcrest.",
    "_COROUTINE.",
)


class SdkIndex:
    """Prefix lookup: Java class name -> SdkEntry (longest prefix wins)."""

    def __init__(self, sdks: Iterable[SdkEntry]) -> None:
        self.by_prefix: dict[str, SdkEntry] = {}
        for sdk in sdks:
            for prefix in sdk.prefixes:
                self.by_prefix.setdefault(prefix, sdk)
        self._cache: dict[str, SdkEntry | None] = {}

    def lookup(self, java_name: str) -> SdkEntry | None:
        package, _, _ = java_name.rpartition(".")
        if package in self._cache:
            return self._cache[package]
        found = None
        parts = package.split(".") if package else []
        for depth in range(len(parts), 0, -1):
            found = self.by_prefix.get(".".join(parts[:depth]) + ".")
            if found is not None:
                break
        self._cache[package] = found
        return found


def is_library(java_name: str) -> bool:
    return java_name.startswith(LIBRARY_PREFIXES)


def looks_obfuscated(java_name: str) -> bool:
    """``a.b.c``, ``com.foo.a``, ``a$b``: the outer simple name has one or two characters."""
    simple = java_name.rpartition(".")[2].split("$", 1)[0]
    return 0 < len(simple) <= 2 and simple != "R"


def obfuscation(app_classes: Iterable[str]) -> tuple[float, bool]:
    """(ratio of short-named app classes, obfuscated?)."""
    total = short = 0
    for name in app_classes:
        total += 1
        short += looks_obfuscated(name)
    if not total:
        return 0.0, False
    ratio = round(short / total, 4)
    return ratio, total >= MIN_APP_CLASSES and ratio >= OBFUSCATION_THRESHOLD
