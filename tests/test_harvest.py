"""Harvesting versus looking up: the code decides, not the permission list."""

from __future__ import annotations

from apkscan.evaluate.harvest import assess_harvest, summary
from apkscan.extract.code import default_catalog
from apkscan.extract.code.methods import method_facts
from tests.lender_common import inputs


def assess(name: str):
    got = inputs(name)
    return assess_harvest(got.code, got.dex)


def test_caller_id_utility_only_looks_up_and_receives() -> None:
    got = inputs("bt-caller-id.apk")
    # the same dangerous permissions as the harassment finding looks for
    result = assess("bt-caller-id.apk")
    assert summary(result) == {"contacts": "lookup", "sms": "receiver"}
    lookup = result.category("contacts").sites[0]
    assert lookup.api == "android.provider.ContactsContract$PhoneLookup.CONTENT_FILTER_URI"
    assert lookup.caller.startswith("Lcom/example/bluetalk/CallerId;->lookupName") and lookup.iterates_cursor is False
    assert not result.upload_path and result.harassment == "looks_up"
    facts = method_facts(got.dex, [("classes.dex", lookup.caller)])
    assert facts[("classes.dex", lookup.caller)].reads_one_row


def test_loan_spyware_enumerates_and_uploads() -> None:
    result = assess("contact-raider.apk")
    assert result.harassment == "harvests"
    for cat in ("contacts", "sms", "call_log", "photos_media", "installed_apps"):
        assert result.category(cat).access == "bulk", cat
    contacts = result.category("contacts")
    own = next(s for s in contacts.sites if s.sdk is None)
    assert own.caller.startswith("Lcom/example/quickcash/data/ContactsCollector;->collect") and own.iterates_cursor
    assert any(s.sdk == "riskctl_fixture" for s in contacts.sites)
    assert contacts.uploads == ("https://api.quickcash-loan.example/v2/contacts/upload",)
    assert {s.api for s in result.senders} == {
        "java.net.HttpURLConnection.getOutputStream",
        "java.net.HttpURLConnection.setDoOutput",
    }
    sms = result.category("sms")
    assert {s.access for s in sms.sites} == {"bulk", "receiver"}  # inbox read and the live receiver


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
    assert assess_harvest(None, []).harassment == "unknown"


def test_apps_without_contacts_code() -> None:
    assert assess("bt-volume.apk").harassment == "no_contacts_code"  # READ_CONTACTS declared, never used


def test_every_access_value_in_the_catalog_is_known() -> None:
    accesses = {a.access for a in default_catalog().apis}
    assert accesses <= {"", "bulk", "lookup", "receiver", "picker"}
    lookups = {(a.class_desc, a.name) for a in default_catalog().apis if a.access == "lookup"}
    assert ("Landroid/provider/ContactsContract$PhoneLookup;", "CONTENT_FILTER_URI") in lookups
