"""Signing-key rotation: the proof-of-rotation lineage in an APK's v3 / v3.1 signature block.

A new signing key on an update means either a legitimate key rotation (Android's v3 scheme carries a
lineage: each old certificate signs its successor) or a different signer -- what a re-skin after a
takedown or a repackaged fake looks like. The signer list of the report cannot tell the two apart;
the lineage can.

Format (Android source, ``apksig``: ``ApkSigningBlockUtils``, ``V3SchemeSigner``,
``V3SigningCertificateLineage``), all integers little-endian, "lp" = u32 length prefix:
the APK Signing Block sits just before the zip central directory and ends with its u64 size and the
magic ``APK Sig Block 42``; it holds (u64 length, u32 id, value) pairs, v3 = 0xf05368c0 and
v3.1 = 0x1b93ad61. A v3 value is lp(sequence of lp(signer)); a signer is lp(signed data), u32 minSdk,
u32 maxSdk, lp(signatures), lp(public key); signed data is lp(digests), lp(certificates),
u32 minSdk, u32 maxSdk, lp(additional attributes: lp(u32 id, value)). Attribute 0x3ba06f8c is the
lineage: u32 version, then lp(node): lp(signed data: lp(certificate), u32 algorithm), u32 flags,
u32 algorithm, lp(signature). Nothing here verifies signatures (apksigner does): this only reads
which certificates the lineage names, oldest first.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

APK_SIG_BLOCK_MAGIC = b"APK Sig Block 42"
V3_ID = 0xF05368C0
V31_ID = 0x1B93AD61
PROOF_OF_ROTATION_ID = 0x3BA06F8C
EOCD_MAGIC = b"PK\x05\x06"
MAX_BLOCK = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SignerLineage:
    """Certificates (SHA-256 of the DER, hex) of the lineage, oldest first; empty when there is none."""

    certificates: tuple[str, ...] = ()
    scheme: str = ""  # "v3" or "v3.1": the block the lineage was read from
    error: str = ""


class _Reader:
    def __init__(self, data: bytes, start: int = 0, end: int | None = None) -> None:
        self.data, self.pos, self.end = data, start, len(data) if end is None else end

    def u32(self) -> int:
        if self.pos + 4 > self.end:
            raise ValueError("truncated signature block")
        (value,) = struct.unpack_from("<I", self.data, self.pos)
        self.pos += 4
        return value

    def lp(self) -> _Reader:
        size = self.u32()
        if self.pos + size > self.end:
            raise ValueError("length prefix runs past its container")
        sub = _Reader(self.data, self.pos, self.pos + size)
        self.pos += size
        return sub

    def bytes_(self) -> bytes:
        sub = self.lp()
        return self.data[sub.pos : sub.end]

    @property
    def left(self) -> int:
        return self.end - self.pos


def signing_block(apk: bytes) -> dict[int, bytes]:
    """The id -> value pairs of the APK Signing Block; {} when the APK has none (v1 only)."""
    eocd = apk.rfind(EOCD_MAGIC, max(0, len(apk) - 65_557))
    if eocd < 0 or eocd + 20 > len(apk):
        return {}
    (cd_offset,) = struct.unpack_from("<I", apk, eocd + 16)
    if cd_offset < 32 or cd_offset > len(apk) or apk[cd_offset - 16 : cd_offset] != APK_SIG_BLOCK_MAGIC:
        return {}
    (size,) = struct.unpack_from("<Q", apk, cd_offset - 24)
    start = cd_offset - size - 8
    if size > MAX_BLOCK or start < 0 or struct.unpack_from("<Q", apk, start)[0] != size:
        return {}
    pairs: dict[int, bytes] = {}
    pos, end = start + 8, cd_offset - 24
    while pos + 12 <= end:
        (length,) = struct.unpack_from("<Q", apk, pos)
        if length < 4 or pos + 8 + length > end:
            break
        (pair_id,) = struct.unpack_from("<I", apk, pos + 8)
        pairs[pair_id] = apk[pos + 12 : pos + 8 + length]
        pos += 8 + length
    return pairs


def read_lineage(apk: bytes) -> SignerLineage:
    """The rotation lineage of the newest v3 block (v3.1 before v3); never raises on bad input."""
    try:
        pairs = signing_block(apk)
    except struct.error:
        return SignerLineage(error="APK signing block could not be read")
    for block_id, scheme in ((V31_ID, "v3.1"), (V3_ID, "v3")):
        if block_id not in pairs:
            continue
        try:
            certs = _lineage_from_v3(pairs[block_id])
        except (ValueError, struct.error) as exc:
            return SignerLineage(scheme=scheme, error=f"{scheme} block: {exc}")
        if certs:
            return SignerLineage(certs, scheme)
    return SignerLineage()


def _lineage_from_v3(value: bytes) -> tuple[str, ...]:
    signers = _Reader(value).lp()
    while signers.left:
        signer = signers.lp()
        signed = signer.lp()
        signed.lp()  # digests
        signed.lp()  # certificates
        signed.u32()  # min sdk
        signed.u32()  # max sdk
        attributes = signed.lp()
        while attributes.left:
            attr = attributes.lp()
            if attr.u32() == PROOF_OF_ROTATION_ID:
                return _nodes(attr)
    return ()


def _nodes(attr: _Reader) -> tuple[str, ...]:
    attr.u32()  # version
    certs = []
    while attr.left:
        node = attr.lp()
        signed = node.lp()
        certs.append(hashlib.sha256(signed.bytes_()).hexdigest())
    return tuple(certs)
