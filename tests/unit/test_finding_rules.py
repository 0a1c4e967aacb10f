"""The finding rules as a table: permissions in, findings, risk and headline out (no APK needed)."""

from __future__ import annotations

import pytest

from apkscan.render.i18n import say
from tests.factories import app, report, signer


@pytest.mark.parametrize(
    ("permissions", "present", "absent", "risk"),
    [
        (("INTERNET",), set(), {"contact-harassment"}, "low"),
        (("INTERNET", "READ_CONTACTS"), {"over-collection:contacts"}, {"contact-harassment"}, "critical"),
        (("INTERNET", "READ_CONTACTS", "READ_SMS"), {"contact-harassment", "over-collection:sms"}, set(), "critical"),
        (("INTERNET", "READ_CONTACTS", "READ_CALL_LOG"), {"contact-harassment"}, set(), "critical"),
        (("READ_CONTACTS", "READ_SMS"), {"over-collection:contacts"}, {"contact-harassment"}, "critical"),
        (("INTERNET", "CAMERA"), {"conditional:camera"}, {"over-collection:camera"}, "low"),
        (("INTERNET", "com.vendor.push.permission.X"), {"unknown-permissions"}, set(), "low"),
    ],
)
def test_findings_follow_the_permissions(permissions, present, absent, risk):
    r = report(permissions)
    ids = {f.id for f in r.findings}
    assert present <= ids and not (absent & ids), ids
    assert r.summary.risk == risk or (risk == "critical" and r.summary.risk in ("high", "critical"))


def test_harassment_needs_contacts_with_sms_or_call_log_and_the_network():
    assert report(("INTERNET", "READ_CONTACTS", "READ_SMS")).summary.harassment_risk
    assert not report(("READ_CONTACTS", "READ_SMS")).summary.harassment_risk


@pytest.mark.parametrize(
    ("signers", "finding"),
    [((), "unsigned"), ((signer(debug=True),), "debug-certificate")],
)
def test_signature_findings(signers, finding):
    r = report(app=app(("INTERNET",), signers=signers))
    assert finding in {f.id for f in r.findings}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_headline_names_the_worst_data_first_in_either_language(lang):
    r = report(("INTERNET", "ACCESS_FINE_LOCATION", "READ_CONTACTS", "READ_SMS"))
    headline = say(r.summary.headline, lang)
    first, second = ("address book", "SMS") if lang == "en" else ("通讯录", "短信")
    assert headline.index(first) < headline.index(second)
