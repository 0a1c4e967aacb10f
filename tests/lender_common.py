"""Shared helpers of the lender-check tests: read each sample once per test session."""

from __future__ import annotations

from functools import cache

from apkscan.evaluate.dex_text import dex_text_filter
from apkscan.extract.lender_inputs import LenderInputs, collect
from tests.conftest import sample

#: What a wired-in scan passes to the code reader: the anchors and the exact test of the lender checks.
NEEDLES, KEEP = dex_text_filter()

LENDERS = (
    "fair-lender.apk",
    "contact-raider.apk",
    "legacy-caps.apk",
    "packed-jiagu.apk",
    "quickcash-bundle.xapk",
    "reskin-raider.apk",
    "raider-v2.apk",
    "rupee-now.apk",
    "promo-lender.apk",
    "bank-impostor.apk",
)
NON_LENDERS = ("bt-caller-id.apk", "backup-cleaner.apk", "notes-app.apk", "bt-volume.apk")


@cache
def inputs(name: str) -> LenderInputs:
    return collect(sample(name), NEEDLES, match=KEEP)
