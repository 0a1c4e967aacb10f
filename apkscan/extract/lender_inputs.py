"""Gather, from what the scan already read, the inputs of the lender checks: the app's texts and a few code facts.

The checks of issue 12 (is it a lender, what it promises, impersonation, families, harvesting) look at the app's own
words and code rather than its permissions. Nothing here reads the APK again: the manifests give the label, package,
activities and every resource string (the global string pool of each part), the one code pass gives the DEX strings
that hold a vocabulary word and the calls that send data out; only the handful of methods that read a data category
are decoded (cursor loops), and the class tables give the own-code features of the family sketch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apkscan.extract.code import ApiCatalog, CodeScan
from apkscan.extract.code.methods import MethodFacts, method_facts
from apkscan.extract.code.signature import OwnCode, own_code
from apkscan.extract.manifest import PartManifest
from apkscan.model import AppFacts
from apkscan.model.lender import AppText

MAX_RESOURCE_STRINGS = 200_000


@dataclass(frozen=True)
class CodeFacts:
    """Cursor facts of the methods that read a data category, and the own-code features."""

    methods: dict[tuple[str, str], MethodFacts]
    own: OwnCode


def app_text(app: AppFacts, manifests: Sequence[PartManifest], scan: CodeScan | None) -> AppText:
    """Where the app describes itself, from the merged facts, the manifests of every part and the code scan."""
    evidence = scan.evidence if scan is not None else None
    pool = [value for m in manifests for value in m.pool][:MAX_RESOURCE_STRINGS]
    return AppText(
        package=app.package,
        label=app.label,
        label_zh=app.label_zh,
        activities=tuple(dict.fromkeys(c.name for c in app.components if c.kind == "activity")),
        resource_strings=tuple(pool),
        dex_texts=scan.texts if scan is not None else (),
        sdks=tuple((s.id, s.kind) for s in evidence.sdks) if evidence else (),
        code_read=bool(evidence and evidence.complete and any(d.parser == "fast" for d in evidence.dex_files)),
    )


def code_facts(scan: CodeScan, dex_files: Sequence[tuple[str, bytes]], catalog: ApiCatalog) -> CodeFacts:
    """Decode only the methods that read a data category; collect the own-code features (never raises). The files
    the fast reader parsed are reused, and only the classes it found outside SDKs and platform namespaces are read;
    a file it refused (read by androguard, or not at all) is looked at whole."""
    wanted = {(s.dex, s.caller_descriptor) for s in scan.evidence.call_sites if s.category != "other"}
    parsed = dict(scan.parsed)
    files = [(label, parsed.get(label, data)) for label, data in dex_files]
    candidates = {label: scan.own_classes[label] for label in parsed if label in scan.own_classes}
    return CodeFacts(method_facts(files, wanted), own_code(files, catalog, candidates))
