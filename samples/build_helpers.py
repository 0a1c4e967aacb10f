"""Zip-level steps of samples/build.sh that the Android tools cannot do.

Kept apart from the apkscan package: it only produces test fixtures. Every step writes
entries in a fixed order with a fixed timestamp, so rebuilding gives the same content
(and, with the same tool versions, the same bytes).
"""

from __future__ import annotations

import hashlib
import struct
import sys
import zipfile
import zlib
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Entries Android wants uncompressed (resources.arsc for targetSdk 30+, native libs with
# extractNativeLibs="false"); everything else keeps the compression the builder chose.
STORED_SUFFIXES = ("resources.arsc", ".so", ".apk")
# string_ids_off is a u32 at 0x3C in the DEX header; this value is far past any sample's end.
BAD_STRING_IDS_OFF = 0x00FFFFF0
TYPE_STRING_ID_ITEM = 0x0001  # map_list item type of the string_ids section


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = compress
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _compression(name: str, original: int) -> int:
    if name.endswith(STORED_SUFFIXES):
        return zipfile.ZIP_STORED
    return original


def rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None) -> None:
    """Copy a zip entry by entry with fixed timestamps, optionally replacing some entries."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            if item.is_dir():
                continue
            data = replace.get(item.filename, zin.read(item.filename))
            zout.writestr(_info(item.filename, _compression(item.filename, item.compress_type)), data)


def corrupt_dex(dex: bytes) -> bytes:
    """Point string_ids out of range (header and map_list); fix checksum and signature.

    Everything else in the header stays valid-looking. The magic is set to version 035
    (smali writes 037 for minSdk 24+; the code uses nothing newer).
    """
    if dex[:4] != b"dex\n" or dex[7:8] != b"\x00":
        raise SystemExit(f"unexpected DEX magic {dex[:8]!r}")
    buf = bytearray(dex)
    buf[0:8] = b"dex\n035\x00"
    struct.pack_into("<I", buf, 0x3C, BAD_STRING_IDS_OFF)
    # Parsers that walk the map_list instead of the header (androguard does) must see it too.
    (map_off,) = struct.unpack_from("<I", buf, 0x34)
    (map_size,) = struct.unpack_from("<I", buf, map_off)
    for i in range(map_size):
        item = map_off + 4 + 12 * i
        if struct.unpack_from("<H", buf, item)[0] == TYPE_STRING_ID_ITEM:
            struct.pack_into("<I", buf, item + 8, BAD_STRING_IDS_OFF)
    buf[12:32] = hashlib.sha1(bytes(buf[32:])).digest()
    struct.pack_into("<I", buf, 8, zlib.adler32(bytes(buf[12:])))
    return bytes(buf)


def pack(dst: Path, members: list[tuple[str, Path]]) -> None:
    """Write a bundle container: APKs stored, other members deflated, in the given order."""
    with zipfile.ZipFile(dst, "w") as zout:
        for arcname, path in members:
            compress = zipfile.ZIP_STORED if arcname.endswith(".apk") else zipfile.ZIP_DEFLATED
            zout.writestr(_info(arcname, compress), path.read_bytes())


def truncate(src: Path, dst: Path, fraction: float) -> None:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])


def main(argv: list[str]) -> None:
    cmd, *args = argv
    if cmd == "normalize":  # normalize IN OUT
        rewrite(Path(args[0]), Path(args[1]))
    elif cmd == "corrupt-dex":  # corrupt-dex IN OUT
        with zipfile.ZipFile(args[0]) as z:
            bad = corrupt_dex(z.read("classes.dex"))
        rewrite(Path(args[0]), Path(args[1]), {"classes.dex": bad})
    elif cmd == "pack":  # pack OUT ARCNAME=PATH...
        members = [(m.split("=", 1)[0], Path(m.split("=", 1)[1])) for m in args[1:]]
        pack(Path(args[0]), members)
    elif cmd == "truncate":  # truncate IN OUT FRACTION
        truncate(Path(args[0]), Path(args[1]), float(args[2]))
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv[1:])
