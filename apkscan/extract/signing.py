"""Who signed the APK: the certificate a complaint or a takedown request names.

v1 (JAR) certificates are read from META-INF with a bounded read and parsed with asn1crypto; v2/v3 blocks
are read from the APK Signing Block by :mod:`apkscan.extract.signing_block`, without decompressing anything.
"""

from __future__ import annotations

import hashlib
import re

from asn1crypto import cms, x509

import apkscan.extract.quiet  # noqa: F401
from apkscan.extract.signing_block import SigningBlockError, certificates_in, lineage_in, signing_blocks
from apkscan.model import Signer
from apkscan.read.container import ApkPart
from apkscan.read.errors import InputError, one_line

V1_SIGNATURE = re.compile(r"^META-INF/[^/]+\.(RSA|DSA|EC)$", re.IGNORECASE)
DEBUG_SUBJECT = re.compile(r"CN=Android Debug", re.IGNORECASE)
MAX_SIGNATURE_BYTES = 1024 * 1024


def read_signing(part: ApkPart, errors: list[str]) -> tuple[list[Signer], tuple[str, ...]]:
    """The part's certificates and its key-rotation lineage, from one read of the file and of its signing block."""
    try:
        blocks: dict[int, bytes] | None = signing_blocks(part.zip.raw())
    except (SigningBlockError, OSError) as err:
        errors.append(f"{part.name}: APK signing block could not be read ({err})")
        blocks = None
    return _signers(part, errors, blocks), _lineage(part, errors, blocks)


def read_signers(part: ApkPart, errors: list[str]) -> list[Signer]:
    """All certificates of one part, each listed once with every scheme that carries it."""
    return read_signing(part, errors)[0]


def _signers(part: ApkPart, errors: list[str], blocks: dict[int, bytes] | None) -> list[Signer]:
    found: dict[str, tuple[list[str], x509.Certificate]] = {}
    for scheme, der in [*_v1_certificates(part, errors), *_v2_v3_certificates(part, errors, blocks)]:
        try:
            cert = x509.Certificate.load(der)
            digest = hashlib.sha256(cert.dump()).hexdigest()
            _signer(cert, scheme, part.name)  # asn1crypto parses lazily: read every field the report uses now
        except Exception as err:  # crafted DER fails in asn1crypto in many ways (ValueError, TypeError, ...)
            errors.append(f"{part.name}: a {scheme} certificate could not be parsed ({one_line(err)})")
            continue
        schemes, _ = found.setdefault(digest, ([], cert))
        if scheme not in schemes:
            schemes.append(scheme)
    return [_signer(cert, "+".join(schemes), part.name) for schemes, cert in found.values()]


def _lineage(part: ApkPart, errors: list[str], blocks: dict[int, bytes] | None) -> tuple[str, ...]:
    """The key-rotation lineage (certificate SHA-256s, oldest first); empty without one."""
    if not blocks:
        return ()
    try:
        return lineage_in(blocks)
    except SigningBlockError as err:
        errors.append(f"{part.name}: signing-key lineage could not be read ({err})")
        return ()


def _v1_certificates(part: ApkPart, errors: list[str]) -> list[tuple[str, bytes]]:
    out = []
    for name in part.zip.names:
        if not V1_SIGNATURE.match(name):
            continue
        try:
            content = cms.ContentInfo.load(part.zip.read(name, limit=MAX_SIGNATURE_BYTES))["content"]
            out += [("v1", c.chosen.dump()) for c in content["certificates"] if c.name == "certificate"]
        except InputError as err:
            errors.append(f"{part.name}: {err.reason}")
        except Exception as err:
            errors.append(f"{part.name}: {name} is not a valid PKCS#7 signature ({type(err).__name__})")
    return out


def _v2_v3_certificates(part: ApkPart, errors: list[str], blocks: dict[int, bytes] | None) -> list[tuple[str, bytes]]:
    if not blocks:
        return []
    try:
        v2, v3 = certificates_in(blocks)
    except SigningBlockError as err:
        errors.append(f"{part.name}: APK signing block could not be read ({err})")
        return []
    return [("v2", d) for d in v2] + [("v3", d) for d in v3]


def _signer(cert: x509.Certificate, schemes: str, source: str) -> Signer:
    der = cert.dump()
    validity = cert["tbs_certificate"]["validity"]
    subject = cert.subject.human_friendly
    return Signer(
        scheme=schemes,
        subject=subject,
        issuer=cert.issuer.human_friendly,
        sha256=hashlib.sha256(der).hexdigest(),
        sha1=hashlib.sha1(der).hexdigest(),
        serial=format(cert.serial_number, "x"),
        not_before=validity["not_before"].native.isoformat(),
        not_after=validity["not_after"].native.isoformat(),
        debug=bool(DEBUG_SUBJECT.search(_rfc_name(cert))),
        source=source,
    )


def _rfc_name(cert: x509.Certificate) -> str:
    return ", ".join(f"CN={v}" for k, v in cert.subject.native.items() if k == "common_name")
