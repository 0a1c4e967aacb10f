"""Result types of the code-evidence engine.

Frozen dataclasses with plain ``str``/``int``/``bool``/``tuple`` fields so that the rest of
apkscan (findings, JSON and HTML renderers) can read them without knowing anything about DEX, and
so that ``dataclasses.asdict`` / :meth:`CodeEvidence.to_dict` give JSON-ready dictionaries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from apkscan.model.vocab import CATEGORIES


@dataclass(frozen=True, slots=True)
class CallSite:
    """One use of a sensitive API: a call, a field read or a ``const-string`` of a URI.

    ``offset`` is the position of the instruction inside the caller's bytecode exactly as
    androguard reports it in its xrefs (bytes from the start of ``insns``; divide by two for
    16-bit code units), so that a reader can open the method in jadx/androguard and find it.
    """

    api: str
    api_descriptor: str
    kind: str
    category: str
    permission: str | None
    caller_class: str
    caller_method: str
    caller_descriptor: str
    dex: str
    sdk: str | None
    offset: int
    #: Other permissions that also grant this API (e.g. READ_MEDIA_IMAGES on API 33+ next to
    #: READ_EXTERNAL_STORAGE); empty when ``permission`` alone is the answer.
    alt_permissions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StringHit:
    """A supporting string: an upload endpoint, a content URI, a privacy-policy URL or a URL."""

    value: str
    kind: str
    categories: tuple[str, ...]
    callers: tuple[str, ...]
    dex: str


@dataclass(frozen=True, slots=True)
class TextHit:
    """A DEX string holding one of the text needles a caller asked for (lending vocabulary, terms).

    ``callers`` are the methods with a ``const-string`` of it (descriptors, file order) and
    ``caller_sdks`` the SDK id of each ("" for the app's own code, ``"library"`` for android.*,
    androidx.*, kotlin.* and the like); no callers means the string is only a field value, an
    annotation or unused.
    """

    value: str
    dex: str
    callers: tuple[str, ...] = ()
    caller_sdks: tuple[str, ...] = ()

    @property
    def app_callers(self) -> tuple[str, ...]:
        """The callers in the app's own code (not an SDK, not a platform library)."""
        return tuple(c for c, sdk in zip(self.callers, self.caller_sdks, strict=False) if not sdk)


@dataclass(frozen=True, slots=True)
class SenderSite:
    """A call of an API that sends data out (``senders.toml``); ``sdk`` is the SDK id, "library" or "" (the app)."""

    api: str  # "java.net.HttpURLConnection.getOutputStream"
    caller: str  # caller descriptor
    dex: str
    sdk: str


@dataclass(frozen=True, slots=True)
class SdkHit:
    """A third-party SDK found by class-name prefix."""

    id: str
    name: str
    kind: str
    harvests: tuple[str, ...]
    source: str
    classes: int
    dex: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PackerHit:
    """A packer/protector recognised by its stub classes, native libraries or asset files."""

    id: str
    name: str
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DexInfo:
    """How one DEX file was read: ``parser`` is ``fast``, ``androguard-fallback`` or ``failed``."""

    name: str
    size: int
    classes: int
    methods: int
    parser: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CodeEvidence:
    """Everything the code scan found in one APK (or bundle)."""

    call_sites: tuple[CallSite, ...] = ()
    strings: tuple[StringHit, ...] = ()
    sdks: tuple[SdkHit, ...] = ()
    packers: tuple[PackerHit, ...] = ()
    obfuscated: bool = False
    obfuscation_ratio: float = 0.0
    dex_files: tuple[DexInfo, ...] = ()
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        """False when the real code may be hidden (packed) or a DEX file could not be read."""
        if self.packers:
            return False
        return not any(d.parser == "failed" for d in self.dex_files)

    def by_category(self) -> dict[str, tuple[CallSite, ...]]:
        """Call sites grouped by data category, categories in :data:`CATEGORIES` order."""
        groups: dict[str, list[CallSite]] = {}
        for site in self.call_sites:
            groups.setdefault(site.category, []).append(site)
        order = {c: i for i, c in enumerate(CATEGORIES)}
        return {c: tuple(groups[c]) for c in sorted(groups, key=lambda c: (order.get(c, len(order)), c))}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (tuples become lists); includes ``complete``."""
        out = asdict(self)
        out["complete"] = self.complete
        return _lists(out)


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value
