"""v2/v3 certificates from the APK Signing Block, against androguard's ``APK`` as the oracle, on the samples and the
cached benchmark APKs, and on damaged blocks (a SigningBlockError or a result, never another exception)."""

from __future__ import annotations

import os
import random
import struct
from pathlib import Path

import pytest
from androguard.core.apk import APK

from apkscan.extract.signing_block import MAGIC, SigningBlockError, signing_certificates
from tests.conftest import sample

BENCH = Path(os.environ.get("APKSCAN_BENCH_CACHE") or Path.home() / ".cache" / "apkscan-bench")  # bench_code.py
APKS = [sample(n) for n in ("contact-raider.apk", "fair-lender.apk", "legacy-caps.apk", "corrupt-dex.apk")]
APKS += [sample("packed-jiagu.apk"), *sorted(BENCH.glob("*.apk"))]


@pytest.mark.parametrize("apk", APKS, ids=lambda p: p.name)
def test_same_certificates_as_androguard(apk: Path) -> None:
    raw = apk.read_bytes()
    oracle = APK(raw, raw=True, skip_analysis=True)
    v2, v3 = signing_certificates(raw)
    assert v2 == oracle.get_certificates_der_v2() and v3 == oracle.get_certificates_der_v3()


def test_samples_carry_v2_signatures() -> None:
    v2, _ = signing_certificates(sample("contact-raider.apk").read_bytes())
    assert v2, "the samples are signed with apksigner (v2), so the check above compares something"


def test_no_block_and_damaged_blocks() -> None:
    assert signing_certificates(b"") == ([], [])
    assert signing_certificates(b"not a zip at all" * 10) == ([], [])
    raw = sample("contact-raider.apk").read_bytes()
    magic_at = raw.rfind(MAGIC)
    size = struct.unpack_from("<Q", raw, magic_at - 8)[0]
    block = range(magic_at + 16 - size - 8, magic_at + 16)
    rng = random.Random(3)
    for _ in range(500):
        damaged = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.choice(block)] = rng.randrange(256)
        try:
            signing_certificates(bytes(damaged))
        except SigningBlockError:
            pass
    for cut in range(block.start, block.stop, 97):  # a block whose end was cut off
        try:
            signing_certificates(raw[:cut] + raw[block.stop :])
        except SigningBlockError:
            pass
