"""The parsers a stranger's file reaches, each wrapped as a fuzz target with the property it must keep.

A target takes raw bytes and runs them through apkscan the way a scan would. The property, the same for the short
hypothesis run in CI and the long atheris run by hand: the input gives a result, or apkscan's own one-line input
error (``InputError``, ``PolicyInputError``, ``DexFormatError`` from the fast DEX reader, or a reason recorded in the
result) -- never another exception, never a hang, never a memory blow-up. A violation raises :class:`FuzzFailure`
or lets the foreign exception through, which is what both fuzzers report as a crash.
"""

from __future__ import annotations

import atexit
import gzip
import io
import resource
import shutil
import signal
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from apkscan.evaluate.policy.analysis import analyse_policy
from apkscan.extract.code import default_catalog, scan_code
from apkscan.extract.code.dexfile import DexFormatError
from apkscan.extract.code.scan import scan_fast
from apkscan.extract.manifest import read_manifest
from apkscan.extract.policy.sentences import split_sentences
from apkscan.extract.signing import read_signing
from apkscan.extract.signing_block import SigningBlockError, rotation_lineage, signing_certificates
from apkscan.read.container import ApkPart, open_container
from apkscan.read.errors import InputError
from apkscan.read.policy.file import PolicyInputError, decode_policy_bytes, read_policy_bytes
from apkscan.read.safezip import SafeZip

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
MEMBER_LIMIT = 8 * 1024 * 1024  # per member read by the zip target: enough for every sample, small enough to be fast


class FuzzFailure(AssertionError):
    """The property was broken: a multi-line error, a memory blow-up recorded as an error, a wrong result type."""


class Hang(BaseException):
    """Raised by the time bound. A BaseException so that apkscan's ``except Exception`` boundaries cannot hide it."""


def one_line(message: str, what: str) -> None:
    if "\n" in message or "\r" in message:
        raise FuzzFailure(f"{what} is not one line: {message[:300]!r}")
    if "MemoryError" in message:
        raise FuzzFailure(f"{what} records a memory blow-up: {message[:300]!r}")


def clean_errors(errors: Iterable[str], what: str) -> None:
    for error in errors:
        if not isinstance(error, str):
            raise FuzzFailure(f"{what}: non-text error {error!r}")
        one_line(error, what)


# --------------------------------------------------------------------------------------------- bounds
def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * resource.getpagesize()


@contextmanager
def bounded(seconds: float = 10.0, extra_mb: int = 2048) -> Iterator[None]:
    """Fail an input that runs longer than ``seconds`` or grows the address space by more than ``extra_mb``.

    The memory bound lowers RLIMIT_AS for the duration of one input: an allocation past it raises MemoryError, which
    either escapes (a crash) or is recorded in the result, where :func:`one_line` catches it. Linux only (SIGALRM,
    /proc); the long atheris run uses libFuzzer's own -timeout and -rss_limit_mb instead.
    """

    def _expired(signum: int, frame: object) -> None:
        raise Hang(f"input took longer than {seconds} s")

    old_handler = signal.signal(signal.SIGALRM, _expired)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + extra_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# --------------------------------------------------------------------------------------------- helpers
_SCRATCH: Path | None = None


def scratch_file(data: bytes) -> Path:
    """One reused temporary file (open_container reads a path); removed at exit."""
    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = Path(tempfile.mkdtemp(prefix="apkscan-fuzz-"))
        atexit.register(shutil.rmtree, _SCRATCH, True)
    path = _SCRATCH / "input.apk"
    path.write_bytes(data)
    return path


def stored_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def sample_member(apk: str, name: str) -> bytes:
    with zipfile.ZipFile(SAMPLES / apk) as zf:
        return zf.read(name)


# --------------------------------------------------------------------------------------------- targets
def zip_target(data: bytes) -> None:
    """(a) Detect, open the zip or bundle, read every member of every part with SafeZip's bounded reads."""
    try:
        container = open_container(scratch_file(data))
    except InputError as err:
        one_line(str(err), "InputError")
        return
    try:
        clean_errors(container.notes, "container note")
        if not container.parts or container.kind not in ("apk", "xapk", "apks", "apkm"):
            raise FuzzFailure(f"container without parts or with kind {container.kind!r}")
        for part in container.parts:
            clean_errors(part.zip.notes, "zip note")
            for name in part.zip.names:
                try:
                    part.zip.read(name, limit=MEMBER_LIMIT)
                except InputError as err:
                    one_line(str(err), "InputError")
            part.zip.raw()
    finally:
        container.close()


def _manifest(members: dict[str, bytes]) -> None:
    part = ApkPart("fuzz.apk", "base", SafeZip(stored_zip(members), "fuzz.apk"))
    try:
        facts = read_manifest(part)
    except InputError as err:
        one_line(str(err), "InputError")
        return
    clean_errors(facts.errors, "manifest error")
    for value in (facts.package, facts.label, facts.label_zh, facts.version_name, facts.version_code):
        if not isinstance(value, str):
            raise FuzzFailure(f"manifest field is {type(value).__name__}, not str: {value!r}")
    for text in facts.strings:
        if not isinstance(text, str):
            raise FuzzFailure(f"manifest string is {type(text).__name__}: {text!r}")


def axml_target(data: bytes) -> None:
    """(b) The binary AndroidManifest.xml as read_manifest decodes it (no resource table)."""
    _manifest({"AndroidManifest.xml": data})


_LABEL_MANIFEST: bytes | None = None


def arsc_target(data: bytes) -> None:
    """(c) resources.arsc behind a real manifest whose label is a string resource: table reading + label lookup."""
    global _LABEL_MANIFEST
    if _LABEL_MANIFEST is None:
        _LABEL_MANIFEST = sample_member("contact-raider.apk", "AndroidManifest.xml")
    _manifest({"AndroidManifest.xml": _LABEL_MANIFEST, "resources.arsc": data})


def dex_target(data: bytes) -> None:
    """(d) The fast DEX reader must return or raise DexFormatError; the full code scan (with the androguard
    fallback) must always return evidence whose errors are one line each."""
    try:
        scan_fast("classes.dex", data, default_catalog())
    except DexFormatError as err:
        one_line(str(err), "DexFormatError")
    evidence = scan_code([("classes.dex", data)], ["classes.dex"])
    clean_errors(evidence.errors, "code error")
    for info in evidence.dex_files:
        if info.parser not in ("fast", "androguard-fallback", "failed"):
            raise FuzzFailure(f"unknown parser {info.parser!r}")


def signing_target(data: bytes) -> None:
    """(f) The APK Signing Block (v2/v3 certificates, rotation lineage) and the certificates in it and in META-INF,
    as read_signing reads them from an APK's raw bytes."""
    for reader in (signing_certificates, rotation_lineage):
        try:
            reader(data)
        except SigningBlockError as err:
            one_line(str(err), "SigningBlockError")
    try:
        part = ApkPart("fuzz.apk", "base", SafeZip(data, "fuzz.apk"))
    except InputError as err:
        one_line(str(err), "InputError")
        return
    errors: list[str] = []
    signers, _ = read_signing(part, errors)
    clean_errors(errors, "signing error")
    for signer in signers:
        if not isinstance(signer.subject, str) or not isinstance(signer.sha256, str):
            raise FuzzFailure(f"signer with non-text fields: {signer!r}")


_POLICY_SOURCES = ("policy.html", "policy.txt", "policy.md", "https://lender.example/privacy")
_POLICY_KINDS = (None, "html", "text", "markdown")
_POLICY_ENCODINGS = (None, "utf-8", "gbk", "big5", "utf-16", "latin-1", "no-such-codec")


def policy_target(data: bytes) -> None:
    """(e) Decoding, markup parsing, sentence splitting and the analysis, as for a policy file or fetched page.

    The first byte picks the source name, the kind and charset hints (as an HTTP Content-Type would give them).
    """
    if not data:
        return
    selector, body = data[0], data[1:]
    source = _POLICY_SOURCES[selector % 4]
    kind = _POLICY_KINDS[(selector >> 2) % 4]
    encoding = _POLICY_ENCODINGS[(selector >> 4) % len(_POLICY_ENCODINGS)]
    try:
        decode_policy_bytes(body, source)
        doc = read_policy_bytes(body, source, kind=kind, encoding=encoding)
    except PolicyInputError as err:
        one_line(str(err), "PolicyInputError")
        return
    clean_errors(doc.warnings, "policy warning")
    split_sentences(doc)
    analysis = analyse_policy(doc)
    clean_errors(analysis.warnings, "analysis warning")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "zip": zip_target,
    "axml": axml_target,
    "arsc": arsc_target,
    "dex": dex_target,
    "policy": policy_target,
    "signing": signing_target,
}


# --------------------------------------------------------------------------------------------- seeds
def seeds(target: str) -> list[tuple[str, bytes]]:
    """Seed inputs: the committed samples (or the members a target reads from them) and the small policy texts."""
    apks = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".apk", ".apks", ".xapk", ".bin"))
    if target == "zip":
        return [(p.name, p.read_bytes()) for p in apks]
    if target == "signing":  # every signed APK, the ones inside bundles too
        return [
            (name, blob)
            for path in apks
            for name, blob in [(path.name, path.read_bytes()), *_members(path.read_bytes(), path.name)]
            if name.endswith(".apk")
        ]
    if target == "policy":
        texts = sorted((ROOT / "tests" / "fuzz" / "seeds" / "policy").iterdir())
        return [(p.name, bytes([i]) + p.read_bytes()) for i, p in enumerate(texts)]
    wanted = {"axml": "AndroidManifest.xml", "arsc": "resources.arsc", "dex": ".dex"}[target]
    out: dict[bytes, str] = {}
    for path in apks:
        for name, blob in _members(path.read_bytes(), path.name):
            if name.endswith(wanted) and blob not in out:
                out[blob] = name
    return [(name, blob) for blob, name in out.items()]


def _members(data: bytes, label: str) -> Iterator[tuple[str, bytes]]:
    """Members of a zip, and of the APKs inside a bundle (one level)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    with zf:
        for info in zf.infolist():
            blob = zf.read(info)
            yield f"{label}!{info.filename}", blob
            if info.filename.endswith(".apk"):
                yield from _members(blob, f"{label}!{info.filename}")


def regression_files(target: str) -> list[Path]:
    folder = ROOT / "tests" / "fuzz" / "regressions" / target
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name != "README.md") if folder.is_dir() else []


def regression_input(path: Path) -> bytes:
    """The bytes of a regression file; ``*.gz`` files are stored compressed (large, repetitive inputs that made a
    parser slow), at most 32 MiB once expanded."""
    data = path.read_bytes()
    if path.suffix != ".gz":
        return data
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        return fh.read(32 * 1024 * 1024)


__all__ = ["TARGETS", "FuzzFailure", "Hang", "bounded", "regression_files", "regression_input", "seeds"]
