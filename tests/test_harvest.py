"""Harvesting versus looking up: the code decides, not the permission list."""

from __future__ import annotations

from apkscan.evaluate.harvest import ACCESS_ORDER, assess_harvest, summary
from apkscan.extract.code import default_catalog
from apkscan.extract.code.methods import method_facts
from tests.lender_common import inputs


def assess(name: str):
    got = inputs(name)
    return assess_harvest(got.scan.evidence, got.facts.methods, got.scan.senders)


def test_caller_id_utility_only_looks_up_and_receives() -> None:
    got = inputs("bt-caller-id.apk")
    # the same dangerous permissions as the harassment finding looks for
    result = assess("bt-caller-id.apk")
    assert summary(result) == {"contacts": "lookup", "sms": "receiver"}
    lookup = result.category("contacts")
    assert lookup.callers[0].startswith("Lcom/example/bluetalk/CallerId;->lookupName") and not lookup.iterates
    assert not result.upload_path and result.harassment == "looks_up"
    facts = method_facts(got.dex, [("classes.dex", lookup.callers[0])])
    assert facts[("classes.dex", lookup.callers[0])].reads_one_row


def test_loan_spyware_enumerates_and_uploads() -> None:
    result = assess("contact-raider.apk")
    assert result.harassment == "harvests"
    for cat in ("contacts", "sms", "call_log", "photos_media", "installed_apps"):
        assert result.category(cat).access == "bulk", cat
    contacts = result.category("contacts")
    assert any(c.startswith("Lcom/example/quickcash/data/ContactsCollector;->collect") for c in contacts.callers)
    assert contacts.iterates and not contacts.sdk_only
    assert contacts.uploads == ("https://api.quickcash-loan.example/v2/contacts/upload",)
    senders = inputs("contact-raider.apk").scan.senders
    assert {s.api for s in senders if not s.sdk} == {
        "java.net.HttpURLConnection.getOutputStream",
        "java.net.HttpURLConnection.setDoOutput",
    }
    assert result.category("sms").access == "bulk"  # the inbox read wins over the live receiver


def test_bulk_reading_without_a_way_out_is_enumeration() -> None:
    result = assess("backup-cleaner.apk")
    assert result.harassment == "enumerates" and not result.upload_path
    assert result.category("contacts").access == "bulk"


def test_sdk_only_bulk_reading_still_counts() -> None:
    result = assess("rupee-now.apk")
    assert result.category("contacts").sdk_only and result.category("contacts").access == "bulk"


def test_no_code_evidence_keeps_the_cautious_reading() -> None:
    assert assess("packed-jiagu.apk").harassment == "unknown"
    assert assess("corrupt-dex.apk").harassment == "unknown"
    assert assess_harvest(None, {}).harassment == "unknown"


def test_apps_without_contacts_code() -> None:
    assert assess("bt-volume.apk").harassment == "no_contacts_code"  # READ_CONTACTS declared, never used


def test_every_access_value_in_the_catalog_is_known() -> None:
    accesses = {a.access for a in default_catalog().apis}
    assert accesses <= {"", *ACCESS_ORDER}
    lookups = {(a.class_desc, a.name) for a in default_catalog().apis if a.access == "lookup"}
    assert ("Landroid/provider/ContactsContract$PhoneLookup;", "CONTENT_FILTER_URI") in lookups
