"""Damaged DEX files, resource tables and signing blocks must never crash the lender checks."""

from __future__ import annotations

import random
import zipfile

from apkscan.evaluate.dex_text import dex_text_filter
from apkscan.evaluate.harvest import assess_harvest
from apkscan.extract.code import default_catalog, scan_code_full
from apkscan.extract.code.methods import method_facts, sender_entries
from apkscan.extract.code.signature import own_code
from apkscan.extract.resources import ResourceError, ResourceTable, string_pool_values
from apkscan.extract.signing_block import SigningBlockError, rotation_lineage
from tests.conftest import sample

MUTATIONS = 60


def mutated(data: bytes, rng: random.Random, start: int = 0) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(start, len(buf))
        buf[pos : pos + 4] = rng.choice(
            [b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", rng.randbytes(4), b"\x7f\xff\xff\xff"]
        )
    return bytes(buf[: rng.choice([len(buf), len(buf), rng.randrange(1, len(buf))])])


def test_damaged_dex_files() -> None:
    rng = random.Random(2026)
    catalog = default_catalog()
    needles, keep = dex_text_filter()
    for name in ("contact-raider.apk", "bt-caller-id.apk", "promo-lender.apk"):
        with zipfile.ZipFile(sample(name)) as zf:
            dex = zf.read("classes.dex")
        for _ in range(MUTATIONS):
            blobs = [("classes.dex", mutated(dex, rng, 0x70))]
            scan = scan_code_full(blobs, (), catalog, needles, keep, sender_entries())
            own_code(blobs, catalog)
            facts = method_facts(blobs, {("classes.dex", s.caller_descriptor) for s in scan.evidence.call_sites})
            assess_harvest(scan.evidence, facts, scan.senders, catalog)


def test_damaged_resource_tables_and_signing_blocks() -> None:
    rng = random.Random(7)
    with zipfile.ZipFile(sample("promo-lender.apk")) as zf:
        arsc = zf.read("resources.arsc")
    for _ in range(MUTATIONS * 3):
        try:
            string_pool_values(ResourceTable(mutated(arsc, rng)))
        except ResourceError:
            pass
    apk = sample("raider-v2.apk").read_bytes()
    block = apk.find(b"APK Sig Block 42")
    for _ in range(MUTATIONS * 3):
        buf = bytearray(apk)
        pos = rng.randrange(max(0, block - 6000), block + 16)
        buf[pos : pos + 4] = rng.randbytes(4)
        try:
            rotation_lineage(bytes(buf))
        except SigningBlockError:
            pass
