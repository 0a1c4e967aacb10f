"""Shared helpers of the lender-check tests: read each sample once per test session."""

from __future__ import annotations

from functools import cache

from apkscan.evaluate.lending import default_vocabulary
from apkscan.evaluate.promises import promise_needles
from apkscan.extract.lender_inputs import LenderInputs, collect
from tests.conftest import sample

#: The DEX needles a wired-in scan would pass: lending vocabulary, red flags and term anchors.
NEEDLES = tuple(sorted(set(default_vocabulary().needles()) | set(promise_needles())))

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
    return collect(sample(name), NEEDLES)
