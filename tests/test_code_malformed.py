"""Malformed DEX files, generated from a real sample DEX: a clear partial result, never a crash or hang.

Each mutation damages one structure the reader depends on (header, id tables, class data, code).
The scan must return a CodeEvidence whose DexInfo says what went wrong (androguard fallback or
failed), within a few seconds, and leave the other DEX files of the APK unaffected.
"""

from __future__ import annotations

import hashlib
import random
import signal
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from apkscan.extract.code import CodeEvidence, scan_code
from apkscan.extract.code.dexfile import DexFile, DexFormatError

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "contact-raider.apk"


@pytest.fixture(scope="module")
def dex() -> bytes:
    with zipfile.ZipFile(SAMPLE) as z:
        return z.read("classes.dex")


@pytest.fixture(scope="module")
def dex2() -> bytes:
    with zipfile.ZipFile(SAMPLE) as z:
        return z.read("classes2.dex")


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (SIGALRM; the tests run on Linux)."""

    def _timeout(signum: int, frame: object) -> None:
        raise TimeoutError(f"scan did not finish within {seconds}s")

    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def header(data: bytes) -> dict[str, int]:
    names = [
        "string_ids_size",
        "string_ids_off",
        "type_ids_size",
        "type_ids_off",
        "proto_ids_size",
        "proto_ids_off",
        "field_ids_size",
        "field_ids_off",
        "method_ids_size",
        "method_ids_off",
        "class_defs_size",
        "class_defs_off",
    ]
    return dict(zip(names, struct.unpack_from("<12I", data, 0x38), strict=True))


def u32(data: bytes, off: int, value: int) -> bytes:
    buf = bytearray(data)
    struct.pack_into("<I", buf, off, value & 0xFFFFFFFF)
    return bytes(buf)


def first_code_item(data: bytes) -> tuple[int, int]:
    """(code_off, insns_size) of the first method with code, found with androguard (independent parser)."""
    from androguard.core.dex import DEX
    from loguru import logger

    logger.disable("androguard")

    for cls in DEX(data).get_classes():
        for method in cls.get_methods():
            if method.get_code_off():
                off = method.get_code_off()
                return off, struct.unpack_from("<I", data, off + 12)[0]
    raise AssertionError("sample has no code")


def resign(data: bytes) -> bytes:
    """Recompute the SHA-1 signature and Adler-32 checksum, so androguard (which checks them)
    really gets to parse the damaged structure in the fallback."""
    if len(data) < 0x20:
        return data
    buf = bytearray(data)
    buf[12:32] = hashlib.sha1(bytes(buf[32:])).digest()
    struct.pack_into("<I", buf, 8, zlib.adler32(bytes(buf[12:])))
    return bytes(buf)


def mutations(data: bytes) -> dict[str, Callable[[], bytes]]:
    table = _raw_mutations(data)
    return {name: (lambda make=make: resign(make())) for name, make in table.items()}


def _raw_mutations(data: bytes) -> dict[str, Callable[[], bytes]]:
    h = header(data)
    code_off, insns = first_code_item(data)
    class_data_off = struct.unpack_from("<I", data, h["class_defs_off"] + 24)[0]
    size = len(data)
    return {
        "bad magic": lambda: b"dey\n035\x00" + data[8:],
        "non-digit version": lambda: b"dex\n0x5\x00" + data[8:],
        "wrong endian tag": lambda: u32(data, 0x28, 0x78563412),
        "truncated in header": lambda: data[:50],
        "truncated in string_ids": lambda: data[: h["string_ids_off"] + 6],
        "truncated in method_ids": lambda: data[: h["method_ids_off"] + 4],
        "truncated in code (file_size says more)": lambda: data[: code_off + 20],
        "truncated in code (file_size patched)": lambda: u32(data[: code_off + 20], 0x20, code_off + 20),
        "string_id out of range": lambda: u32(data, h["string_ids_off"] + 4 * 3, size + 100),
        "type_id string index out of range": lambda: u32(data, h["type_ids_off"], 0x00FFFFFF),
        "method_id name index out of range": lambda: u32(data, h["method_ids_off"] + 4, 0x7FFFFFFF),
        "method_id class index out of range": lambda: u32(
            data, h["method_ids_off"], 0xFFFF0000 | h["proto_ids_size"] - 1
        ),
        "field_id type index out of range": lambda: u32(data, h["field_ids_off"], 0xFFFFFFFF),
        "class_def type index out of range": lambda: u32(data, h["class_defs_off"], 0xFFFFFF),
        "class_data_off past the end": lambda: u32(data, h["class_defs_off"] + 24, size + 1000),
        "huge string_ids_size": lambda: u32(data, 0x38, 0x7FFFFFFF),
        "huge method_ids_size": lambda: u32(data, 0x58, 0x7FFFFFFF),
        "huge insns_size": lambda: u32(data, code_off + 12, 0x7FFFFFFF),
        "class_data pointing at the header": lambda: u32(data, h["class_defs_off"] + 24, 0x08),
        "all class_data at one offset": lambda: _all_class_data(data, h, class_data_off),
        "class_data pointing into class_defs": lambda: u32(data, h["class_defs_off"] + 24, h["class_defs_off"]),
        "string data pointing into string_ids": lambda: u32(data, h["string_ids_off"], h["string_ids_off"]),
        "code filled with unused opcodes": lambda: _fill(data, code_off + 16, 2 * insns, b"\x3e\x00"),
        "code filled with 0xff": lambda: _fill(data, code_off + 16, 2 * insns, b"\xff\xff"),
    }


def _all_class_data(data: bytes, h: dict[str, int], target: int) -> bytes:
    for i in range(h["class_defs_size"]):
        data = u32(data, h["class_defs_off"] + 32 * i + 24, target)
    return data


def _fill(data: bytes, off: int, length: int, unit: bytes) -> bytes:
    return data[:off] + (unit * (length // 2 + 1))[:length] + data[off + length :]


MUTATIONS = [
    "bad magic",
    "non-digit version",
    "wrong endian tag",
    "truncated in header",
    "truncated in string_ids",
    "truncated in method_ids",
    "truncated in code (file_size says more)",
    "truncated in code (file_size patched)",
    "string_id out of range",
    "type_id string index out of range",
    "method_id name index out of range",
    "method_id class index out of range",
    "field_id type index out of range",
    "class_def type index out of range",
    "class_data_off past the end",
    "huge string_ids_size",
    "huge method_ids_size",
    "huge insns_size",
    "class_data pointing at the header",
    "all class_data at one offset",
    "class_data pointing into class_defs",
    "string data pointing into string_ids",
    "code filled with unused opcodes",
    "code filled with 0xff",
]
# Damage the fast reader cannot miss: it must say so (fallback or failed), never return "fast" silently.
DETECTED = set(MUTATIONS) - {"all class_data at one offset", "code filled with unused opcodes", "code filled with 0xff"}


def test_mutation_list_is_complete(dex: bytes) -> None:
    assert sorted(mutations(dex)) == sorted(MUTATIONS)


@pytest.mark.parametrize("name", MUTATIONS)
def test_malformed_dex(dex: bytes, dex2: bytes, name: str) -> None:
    bad = mutations(dex)[name]()
    start = time.monotonic()
    with deadline(60):
        evidence = scan_code([("classes.dex", bad), ("classes2.dex", dex2)])
    assert time.monotonic() - start < 60
    assert isinstance(evidence, CodeEvidence)
    info, other = evidence.dex_files
    assert other.parser == "fast" and other.error is None
    assert any(s.dex == "classes2.dex" for s in evidence.call_sites), "the healthy DEX still reports its hits"
    assert info.name == "classes.dex" and info.parser in ("fast", "androguard-fallback", "failed")
    if name in DETECTED:
        assert info.parser in ("androguard-fallback", "failed"), info
        assert info.error and "\n" not in info.error
        assert any(e.startswith("classes.dex: ") for e in evidence.errors)
    if info.parser == "failed":
        assert evidence.complete is False
    evidence.to_dict()


@pytest.mark.parametrize(
    "name",
    [
        "bad magic",
        "truncated in header",
        "string_id out of range",
        "huge string_ids_size",
        "class_data_off past the end",
        "method_id class index out of range",
    ],
)
def test_fast_reader_rejects_with_one_line(dex: bytes, name: str) -> None:
    with pytest.raises(DexFormatError) as err:
        DexFile(mutations(dex)[name]())
    assert "\n" not in str(err.value) and str(err.value)


def test_fallback_reads_what_the_fast_reader_refuses(dex: bytes) -> None:
    """A bad magic stops the fast reader; androguard reads the rest and finds the same call sites."""
    good = scan_code([("classes.dex", dex)])
    evidence = scan_code([("classes.dex", mutations(dex)["bad magic"]())])
    info = evidence.dex_files[0]
    assert info.parser == "androguard-fallback" and "bad DEX magic" in (info.error or "")
    assert evidence.complete, "a DEX read by the fallback is complete"
    assert set(evidence.call_sites) == set(good.call_sites)
    assert {(s.value, s.callers) for s in evidence.strings} == {(s.value, s.callers) for s in good.strings}
    assert (info.classes, info.methods) == (good.dex_files[0].classes, good.dex_files[0].methods)


def test_unused_opcodes_stop_the_sweep_without_hits(dex: bytes) -> None:
    """A method whose bytecode is garbage yields no hits from it, and the rest still scans."""
    code_off, insns = first_code_item(dex)
    bad = _fill(dex, code_off + 16, 2 * insns, b"\x3e\x00")
    evidence = scan_code([("classes.dex", bad)])
    assert evidence.dex_files[0].parser in ("fast", "androguard-fallback")
    assert evidence.by_category().get("contacts"), "other methods of the DEX are still scanned"


def test_random_corruption_never_raises(dex: bytes) -> None:
    rng = random.Random(20261128)
    with deadline(240):
        for _ in range(60):
            buf = bytearray(dex)
            for _ in range(rng.randint(1, 12)):
                buf[rng.randrange(0x08, len(buf))] = rng.randrange(256)
            if rng.random() < 0.3:
                buf = buf[: rng.randrange(len(buf))]
            evidence = scan_code([("classes.dex", bytes(buf))])
            assert isinstance(evidence, CodeEvidence)
            assert evidence.dex_files[0].parser in ("fast", "androguard-fallback", "failed")


def test_empty_and_tiny_inputs() -> None:
    for blob in (b"", b"dex\n035\x00", b"\x00" * 0x70, b"dex\n035\x00" + b"\xff" * 0x68):
        evidence = scan_code([("classes.dex", blob)])
        assert evidence.dex_files[0].parser == "failed" and evidence.dex_files[0].error
        assert evidence.complete is False
