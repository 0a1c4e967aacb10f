"""Gather what the lender checks read from one APK or bundle: texts, code evidence, DEX bytes, signers.

The checks of issue 12 (is it a lender, what it promises, impersonation, families, harvesting) look at
the app's own words and code rather than its permissions. This module reads those inputs once, with
the same bounded readers as the scan: the manifest (label, package, activities), the global string
pool of every ``resources.arsc`` (not the full resource table), the code evidence with the DEX strings
that hold a vocabulary word (one pass, see ``scan_code(text_needles=...)``) and the signers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from apkscan.extract.arsc_strings import read_string_pool
from apkscan.extract.code import CodeEvidence, TextHit, scan_code
from apkscan.extract.code_input import dex_blobs
from apkscan.extract.manifest import read_manifest
from apkscan.extract.signing import read_signers
from apkscan.model import Signer
from apkscan.read.container import open_container
from apkscan.read.errors import InputError

MAX_ARSC_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class AppText:
    """Where an app describes itself: the inputs of the lending and promise detectors."""

    package: str = ""
    label: str = ""
    label_zh: str = ""
    activities: tuple[str, ...] = ()
    #: every string value of every locale (global string pool of each part), pool order
    resource_strings: tuple[str, ...] = ()
    #: DEX strings holding a vocabulary needle, with their callers
    dex_texts: tuple[TextHit, ...] = ()
    #: third-party SDKs found in the code: (id, kind)
    sdks: tuple[tuple[str, str], ...] = ()
    #: False when the code was not read (``--no-code``) or could not be
    code_read: bool = True


@dataclass(slots=True)
class LenderInputs:
    text: AppText
    code: CodeEvidence | None
    dex: list[tuple[str, bytes]] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def collect(
    path: str | Path,
    needles: tuple[bytes, ...] = (),
    code: bool = True,
    match: Callable[[str], bool] | None = None,
) -> LenderInputs:
    """Read the inputs of the lender checks; InputError only when the file is no APK at all.

    ``needles``/``match`` select the DEX strings kept (see :mod:`apkscan.evaluate.dex_text`)."""
    container = open_container(Path(path))
    errors: list[str] = list(container.notes)
    try:
        package = label = label_zh = ""
        activities: list[str] = []
        pool: list[str] = []
        signers: list[Signer] = []
        for part in container.parts:
            try:
                manifest = read_manifest(part)
            except InputError as err:
                if part.role == "base":
                    raise
                errors.append(f"{part.name}: {err.reason}")
                continue
            if part.role == "base" or not package:
                package, label, label_zh = manifest.package, manifest.label, manifest.label_zh
            activities += [c["name"] for c in manifest.components if c["kind"] == "activity"]
            signers += read_signers(part, errors)
            if part.zip.has("resources.arsc"):
                try:
                    strings = read_string_pool(part.zip.read("resources.arsc", limit=MAX_ARSC_BYTES))
                    pool += strings.strings
                    errors += [f"{part.name}: resources.arsc: {e}" for e in strings.errors]
                except InputError as err:
                    errors.append(f"{part.name}: resources.arsc: {err.reason}")
        evidence = None
        blobs: list[tuple[str, bytes]] = []
        if code:
            blobs, names = dex_blobs(container, errors)
            evidence = scan_code(blobs, names, text_needles=needles, text_match=match)
            errors += [f"code: {e}" for e in evidence.errors]
        text = AppText(
            package=package,
            label=label,
            label_zh=label_zh,
            activities=tuple(dict.fromkeys(activities)),
            resource_strings=tuple(pool),
            dex_texts=evidence.texts if evidence else (),
            sdks=tuple((s.id, s.kind) for s in evidence.sdks) if evidence else (),
            code_read=bool(evidence and evidence.complete and any(d.parser == "fast" for d in evidence.dex_files)),
        )
        unique = {s.sha256: s for s in signers}
        return LenderInputs(text=text, code=evidence, dex=blobs, signers=list(unique.values()), errors=errors)
    finally:
        container.close()
