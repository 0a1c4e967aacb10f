"""The certificates of an APK's v2 and v3 signature schemes, read from the APK Signing Block alone.

Why not androguard's ``APK``: building one re-parses the whole zip (every local header, through apkInspector) just to
reach a block that sits right before the central directory — about 0.05 s of a 0.35 s scan on an 18 MB app, for
a few kilobytes of data. This reader finds the end-of-central-directory record, steps back to the signing block and
walks its id-value pairs, following androguard's rules (the last end-of-central-directory record in the file; the
block's two sizes must agree; signers read in order, certificates of every signer kept in order), so the
certificates are the same; ``tests/test_signing_block.py`` checks that against androguard.

Layout (Android "APK Signature Scheme v2/v3"): ``size:u64, (len:u64, id:u32, value)*, size:u64, "APK Sig Block 42"``
immediately before the central directory; a v2/v3 value is a length-prefixed sequence of length-prefixed signers,
each starting with its length-prefixed signed data: digests, then the certificates (length-prefixed DER each).
"""

from __future__ import annotations

import hashlib
import struct

EOCD = b"PK\x05\x06"
CENTRAL_DIR = b"PK\x01\x02"
MAGIC = b"APK Sig Block 42"
V2_ID, V3_ID, V31_ID = 0x7109871A, 0xF05368C0, 0x1B93AD61
PROOF_OF_ROTATION_ID = 0x3BA06F8C


class SigningBlockError(ValueError):
    """The signing block is present but malformed (the message says where)."""


def signing_certificates(raw: bytes) -> tuple[list[bytes], list[bytes]]:
    """DER certificates of the v2 and of the v3 scheme (empty lists when the APK has no such signature)."""
    return certificates_in(signing_blocks(raw))


def certificates_in(blocks: dict[int, bytes]) -> tuple[list[bytes], list[bytes]]:
    """The v2 and v3 certificates of an already parsed signing block (see :func:`signing_blocks`)."""
    return _certificates(blocks.get(V2_ID)), _certificates(blocks.get(V3_ID))


def rotation_lineage(raw: bytes) -> tuple[str, ...]:
    """The key-rotation lineage of an APK's bytes (see :func:`lineage_in`)."""
    return lineage_in(signing_blocks(raw))


def lineage_in(blocks: dict[int, bytes]) -> tuple[str, ...]:
    """The v3 proof-of-rotation lineage (v3.1 block first, then v3): SHA-256 of each certificate, oldest first.

    A rotated key makes an APK carry two certificates (the old one in v1/v2, the new one in v3); the lineage, signed
    by each old key for its successor, is what says they are one signer. Layout (apksig ``V3SchemeSigner``,
    ``V3SigningCertificateLineage``): a v3 signer's signed data ends with length-prefixed additional attributes;
    attribute 0x3ba06f8c holds a version, then length-prefixed nodes, each starting with length-prefixed signed data
    whose first field is the length-prefixed certificate. Signatures are not verified here (apksigner does that).
    Empty when there is no lineage; :class:`SigningBlockError` when the block is malformed.
    """
    for block_id in (V31_ID, V3_ID):
        value = blocks.get(block_id)
        if value is not None:
            found = _lineage(value)
            if found:
                return found
    return ()


def _lineage(value: bytes) -> tuple[str, ...]:
    (sequence,) = _u32(value, 0)
    signers = _slice(value, 4, sequence)
    pos = 0
    while pos < len(signers):
        (size,) = _u32(signers, pos)
        signer = _slice(signers, pos + 4, size)
        (signed_size,) = _u32(signer, 0)
        signed = _slice(signer, 4, signed_size)
        at = 0
        for _ in range(2):  # digests, certificates
            (skip,) = _u32(signed, at)
            at += 4 + skip
        at += 8  # min and max SDK
        (attrs_size,) = _u32(signed, at)
        attrs = _slice(signed, at + 4, attrs_size)
        apos = 0
        while apos < len(attrs):
            (attr_size,) = _u32(attrs, apos)
            attr = _slice(attrs, apos + 4, attr_size)
            if _u32(attr, 0)[0] == PROOF_OF_ROTATION_ID:
                return _nodes(attr[8:])  # after the id and the lineage version
            apos += 4 + attr_size
        pos += 4 + size
    return ()


def _nodes(data: bytes) -> tuple[str, ...]:
    certs = []
    pos = 0
    while pos < len(data):
        (node_size,) = _u32(data, pos)
        node = _slice(data, pos + 4, node_size)
        (signed_size,) = _u32(node, 0)
        signed = _slice(node, 4, signed_size)
        (cert_size,) = _u32(signed, 0)
        certs.append(hashlib.sha256(_slice(signed, 4, cert_size)).hexdigest())
        pos += 4 + node_size
    return tuple(certs)


def signing_blocks(raw: bytes) -> dict[int, bytes]:
    """The id → value pairs of the signing block (first value of a repeated id), or {} without a block."""
    eocd = raw.rfind(EOCD, 0, max(0, len(raw) - 18))
    if eocd < 0 or eocd + 20 > len(raw):
        return {}
    offset_central = struct.unpack_from("<I", raw, eocd + 16)[0]
    if not offset_central:
        return {}
    if raw[offset_central : offset_central + 4] != CENTRAL_DIR:
        raise SigningBlockError("no central directory at the offset the zip declares")
    if offset_central < 24:
        return {}
    size, magic = struct.unpack_from("<Q16s", raw, offset_central - 24)
    if magic != MAGIC:
        return {}
    start = offset_central - size  # the pairs begin after the leading size field; ``size`` counts the rest
    if start < 8 or size < 24 or struct.unpack_from("<Q", raw, start - 8)[0] != size:
        raise SigningBlockError("sizes at the beginning and end of the signing block do not match")
    blocks: dict[int, bytes] = {}
    pos, end = start, offset_central - 24
    while pos < end:
        if pos + 12 > end:
            raise SigningBlockError("truncated id-value pair")
        length, key = struct.unpack_from("<QI", raw, pos)
        if length < 4 or pos + 8 + length > end:
            raise SigningBlockError("id-value pair out of bounds")
        blocks.setdefault(key, raw[pos + 12 : pos + 8 + length])
        pos += 8 + length
    return blocks


def _certificates(value: bytes | None) -> list[bytes]:
    """Certificates of every signer; v2 and v3 signed data both start with digests, then certificates."""
    if value is None:
        return []
    (sequence,) = _u32(value, 0)
    if sequence + 4 != len(value):
        raise SigningBlockError("size of the signer sequence and of the block do not match")
    certs: list[bytes] = []
    pos = 4
    while pos < len(value):
        (signer_size,) = _u32(value, pos)
        signer = _slice(value, pos + 4, signer_size)
        (signed_size,) = _u32(signer, 0)
        signed = _slice(signer, 4, signed_size)
        (digests_size,) = _u32(signed, 0)
        at = 4 + digests_size
        (certs_size,) = _u32(signed, at)
        at += 4
        stop = at + certs_size
        if stop > len(signed):
            raise SigningBlockError("certificate list out of bounds")
        while at < stop:
            (cert_size,) = _u32(signed, at)
            certs.append(_slice(signed, at + 4, cert_size))
            at += 4 + cert_size
        pos += 4 + signer_size
    return certs


def _u32(data: bytes, pos: int) -> tuple[int]:
    if pos < 0 or pos + 4 > len(data):
        raise SigningBlockError("length field out of bounds")
    return struct.unpack_from("<I", data, pos)


def _slice(data: bytes, pos: int, size: int) -> bytes:
    if pos + size > len(data):
        raise SigningBlockError("field out of bounds")
    return data[pos : pos + size]
