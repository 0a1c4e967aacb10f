"""Code evidence on the sample APKs: categories, SDK attribution, packers, strings, multidex.

Expectations come from samples/README.md (what each sample's smali was written to do), not from
the scanner's own output.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from apkscan.extract.code import CATEGORIES, CodeEvidence, default_catalog, scan_code

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
QC = "Lcom/example/quickcash/"


def load(name: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """DEX entries and zip entry names of a sample (bundles: of every inner APK, label 'x.apk!...')."""
    dexes: list[tuple[str, bytes]] = []
    names: list[str] = []
    with zipfile.ZipFile(SAMPLES / name) as outer:
        for entry in outer.namelist():
            names.append(entry)
            if entry.endswith(".apk"):
                with zipfile.ZipFile(io.BytesIO(outer.read(entry))) as inner:
                    for sub in inner.namelist():
                        names.append(f"{entry}!{sub}")
                        if sub.startswith("classes") and sub.endswith(".dex"):
                            dexes.append((f"{entry}!{sub}", inner.read(sub)))
            elif entry.startswith("classes") and entry.endswith(".dex"):
                dexes.append((entry, outer.read(entry)))
    return dexes, names


def scan(name: str) -> CodeEvidence:
    dexes, names = load(name)
    return scan_code(dexes, names)


@pytest.fixture(scope="module")
def raider() -> CodeEvidence:
    return scan("contact-raider.apk")


def callers(evidence: CodeEvidence, category: str) -> set[str]:
    return {
        s.caller_descriptor.split("->")[0] + "->" + s.caller_method.split("(")[0]
        for s in evidence.by_category().get(category, ())
    }


def test_contact_raider_categories(raider: CodeEvidence) -> None:
    groups = raider.by_category()
    assert list(groups) == [c for c in CATEGORIES if c in groups], "categories come in the fixed order"
    assert callers(raider, "contacts") == {
        f"{QC}data/ContactsCollector;->collect",
        "Lcom/riskctl/sdk/RiskCollector;->collect",
    }
    assert callers(raider, "sms") == {
        f"{QC}data/SmsCollector;->collect",  # via the Resolver helper: the URI string is here
        f"{QC}receiver/SmsReceiver;->onReceive",
        "Lcom/riskctl/sdk/RiskCollector;->collect",
    }
    assert callers(raider, "call_log") == {f"{QC}data/CallLogCollector;->collect"}
    assert callers(raider, "photos_media") == {f"{QC}data/GalleryCollector;->collect"}
    assert callers(raider, "location") == {f"{QC}data/DeviceInfo;->lastLocation"}
    assert callers(raider, "accounts") == {f"{QC}data/DeviceInfo;->accounts"}
    assert callers(raider, "installed_apps") == {
        f"{QC}data/DeviceInfo;->installedApps",
        "Lcom/riskctl/sdk/RiskCollector;->collect",
    }
    ids = [s for s in groups["phone_identity"] if s.caller_class == "com.example.quickcash.data.DeviceInfo"]
    assert sorted(s.api.rsplit(".", 1)[1] for s in ids) == ["getDeviceId", "getLine1Number", "getSubscriberId"]
    assert callers(raider, "phone_identity") == {
        f"{QC}data/DeviceInfo;->phoneIds",
        "Lcom/adfake/analytics/Tracker;->deviceId",
    }
    assert "camera" not in groups
    queries = [s for s in raider.call_sites if s.api == "android.content.ContentResolver.query"]
    assert len(queries) == 6 and all(s.category == "other" for s in queries)


def test_call_site_fields(raider: CodeEvidence) -> None:
    site = next(s for s in raider.call_sites if s.caller_class.endswith("ContactsCollector") and s.kind == "field")
    assert site.api == "android.provider.ContactsContract$CommonDataKinds$Phone.CONTENT_URI"
    assert (
        site.api_descriptor
        == "Landroid/provider/ContactsContract$CommonDataKinds$Phone;->CONTENT_URI:Landroid/net/Uri;"
    )
    assert site.permission == "android.permission.READ_CONTACTS"
    assert site.caller_class == "com.example.quickcash.data.ContactsCollector"
    assert site.caller_method == "collect(android.content.Context)"
    assert (
        site.caller_descriptor == f"{QC}data/ContactsCollector;->collect(Landroid/content/Context;)Lorg/json/JSONArray;"
    )
    assert site.dex == "classes.dex" and site.sdk is None and site.offset >= 0 and site.offset % 2 == 0
    accounts = next(s for s in raider.call_sites if s.category == "accounts")
    assert accounts.kind == "method" and accounts.permission == "android.permission.GET_ACCOUNTS"
    assert accounts.api_descriptor == "Landroid/accounts/AccountManager;->getAccounts()[Landroid/accounts/Account;"
    android_id = next(s for s in raider.call_sites if s.api == "android_id")
    assert android_id.kind == "string" and android_id.permission is None
    gallery = next(s for s in raider.call_sites if s.category == "photos_media")
    assert "android.permission.READ_MEDIA_IMAGES" in gallery.alt_permissions


def test_sdk_attribution(raider: CodeEvidence) -> None:
    for site in raider.call_sites:
        if site.caller_class.startswith("com.riskctl.sdk."):
            assert site.sdk == "riskctl_fixture", site
        elif site.caller_class.startswith("com.adfake.analytics."):
            assert site.sdk == "adfake_fixture", site
        else:
            assert site.caller_class.startswith("com.example.quickcash."), site
            assert site.sdk is None, site
    sdk_sites = {s.category for s in raider.call_sites if s.sdk == "riskctl_fixture"}
    assert {"sms", "contacts", "installed_apps"} <= sdk_sites
    sdks = {s.id: s for s in raider.sdks}
    assert set(sdks) == {"riskctl_fixture", "adfake_fixture"}
    assert sdks["riskctl_fixture"].kind == "risk_control" and sdks["riskctl_fixture"].classes == 1
    assert set(sdks["riskctl_fixture"].harvests) == {"sms", "contacts", "installed_apps"}
    assert sdks["riskctl_fixture"].dex == ("classes2.dex",)
    assert sdks["adfake_fixture"].kind == "analytics"


def test_multidex(raider: CodeEvidence) -> None:
    assert {d.name for d in raider.dex_files} == {"classes.dex", "classes2.dex"}
    assert all(d.parser == "fast" and d.error is None for d in raider.dex_files)
    by_name = {d.name: d for d in raider.dex_files}
    assert by_name["classes.dex"].classes == 10 and by_name["classes2.dex"].classes == 2
    in_second = {s.caller_class for s in raider.call_sites if s.dex == "classes2.dex"}
    assert in_second == {"com.riskctl.sdk.RiskCollector", "com.adfake.analytics.Tracker"}


def test_supporting_strings(raider: CodeEvidence) -> None:
    by_value = {s.value: s for s in raider.strings}
    upload = by_value["https://api.quickcash-loan.example/v2/contacts/upload"]
    assert upload.kind == "upload_endpoint" and upload.categories == ("contacts",)
    assert upload.callers == (f"{QC}net/Uploader;->uploadAll(Landroid/content/Context;)V",)
    for path, category in [
        ("/v2/sms/upload", "sms"),
        ("/v2/calllog/upload", "call_log"),
        ("/v2/applist/upload", "installed_apps"),
        ("/v2/device/report", "phone_identity"),
    ]:
        assert by_value[path].kind == "upload_endpoint" and by_value[path].categories == (category,), path
    assert by_value["https://api.quickcash-loan.example/v2/sms/upload"].callers == (
        f"{QC}receiver/SmsReceiver;->onReceive(Landroid/content/Context;Landroid/content/Intent;)V",
    )
    uris = [s for s in raider.strings if s.kind == "content_uri"]
    assert {s.value for s in uris} == {"content://sms/inbox"} and {s.dex for s in uris} == {
        "classes.dex",
        "classes2.dex",
    }
    assert all(s.categories == ("sms",) for s in uris)
    policy = by_value["https://www.quickcash-loan.example/privacy.html"]
    assert policy.kind == "policy_url" and policy.callers == (f"{QC}ui/MainActivity;->openPrivacyPolicy()V",)
    assert by_value["https://api.quickcash-loan.example"].kind == "url"
    kinds = [s.kind for s in raider.strings]
    assert kinds == sorted(kinds, key=["upload_endpoint", "content_uri", "policy_url", "url"].index)


def test_fair_lender_is_clean() -> None:
    evidence = scan("fair-lender.apk")
    assert {s.category for s in evidence.call_sites} == {"camera"}
    camera = evidence.call_sites[0]
    assert (
        camera.caller_class == "com.example.fairlender.kyc.SelfieCamera"
        and camera.permission == "android.permission.CAMERA"
    )
    assert not evidence.sdks and not evidence.packers and evidence.complete
    assert {s.kind for s in evidence.strings} == {"url"}, "a loan-apply URL is not an upload of personal data"


def test_legacy_caps_accessibility() -> None:
    evidence = scan("legacy-caps.apk")
    groups = evidence.by_category()
    assert set(groups) == {"overlay_accessibility"}
    assert groups["overlay_accessibility"][0].caller_class == "com.example.legacycaps.AssistService"


def test_packed_app_is_incomplete() -> None:
    evidence = scan("packed-jiagu.apk")
    assert [p.id for p in evidence.packers] == ["jiagu360"]
    evidence_items = set(evidence.packers[0].evidence)
    assert "class com.stub.StubApp" in evidence_items
    assert {"file assets/libjiagu.so", "file assets/libjiagu_x86.so"} <= evidence_items
    assert evidence.complete is False
    assert not evidence.call_sites
    assert evidence.to_dict()["complete"] is False


@pytest.mark.parametrize("name", ["quickcash-bundle.xapk", "quickcash-bundle.apks", "mystery-download.bin"])
def test_bundles(name: str) -> None:
    evidence = scan(name)
    assert len(evidence.dex_files) == 1 and evidence.dex_files[0].name.endswith(".apk!classes.dex")
    contacts = evidence.by_category()["contacts"]
    assert [s.caller_class for s in contacts] == ["com.example.bundled.MainActivity"]
    assert contacts[0].dex == evidence.dex_files[0].name
    assert evidence.complete


def test_corrupt_dex_is_reported_not_raised() -> None:
    evidence = scan("corrupt-dex.apk")
    assert len(evidence.dex_files) == 1
    info = evidence.dex_files[0]
    assert info.parser == "failed" and info.error and "string_ids" in info.error
    assert not evidence.call_sites and evidence.complete is False
    assert evidence.errors and evidence.errors[0].startswith("classes.dex: ")


def test_no_dex_at_all() -> None:
    evidence = scan_code([])
    assert evidence.complete and not evidence.call_sites and evidence.obfuscation_ratio == 0.0


def test_to_dict_is_json(raider: CodeEvidence) -> None:
    data = raider.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    back = json.loads(text)
    assert back["complete"] is True
    assert len(back["call_sites"]) == len(raider.call_sites)
    assert set(back["call_sites"][0]) >= {
        "api",
        "api_descriptor",
        "kind",
        "category",
        "permission",
        "caller_class",
        "caller_method",
        "caller_descriptor",
        "dex",
        "sdk",
        "offset",
    }
    assert isinstance(back["sdks"][0]["harvests"], list)


def test_obfuscation_ratio() -> None:
    from apkscan.extract.code.sdks import obfuscation

    plain = [f"com.example.app.Screen{i}" for i in range(20)]
    assert obfuscation(plain) == (0.0, False)
    minified = [f"a.{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(30)] + ["com.example.app.MainActivity"]
    ratio, flagged = obfuscation(minified)
    assert ratio > 0.9 and flagged
    assert obfuscation(["a.a", "a.b"]) == (1.0, False), "too few classes to call it obfuscated"
    assert obfuscation([f"com.example.R${k}" for k in ("id", "layout", "string")] * 5) == (0.0, False)
    assert scan("contact-raider.apk").obfuscated is False


def test_catalog_is_consistent() -> None:
    catalog = default_catalog()
    assert {a.category for a in catalog.apis} <= set(CATEGORIES)
    assert (
        all(a.source for a in catalog.apis)
        and all(s.source for s in catalog.sdks)
        and all(p.source for p in catalog.packers)
    )
    ids = [s.id for s in catalog.sdks]
    assert len(ids) == len(set(ids))
    # coverage: every data category a dangerous or special permission guards has at least one entry
    assert set(CATEGORIES) - {"network", "other"} <= {a.category for a in catalog.apis}
    names = {(a.class_desc, a.name) for a in catalog.apis if a.kind == "method"}
    for required in [
        ("Landroid/telephony/TelephonyManager;", "getImei"),
        ("Landroid/telephony/SubscriptionManager;", "getPhoneNumber"),
        ("Landroid/os/Build;", "getSerial"),
        ("Landroid/content/pm/PackageManager;", "getInstalledApplications"),
        ("Lcom/google/android/gms/location/FusedLocationProviderClient;", "getLastLocation"),
    ]:
        assert required in names, required
    fixtures = [s for s in catalog.sdks if s.fixture]
    assert {s.prefixes[0] for s in fixtures} == {"com.riskctl.sdk.", "com.adfake.analytics.", "com.facefake.kyc."}
    assert all(s.source == "apkscan sample fixture" and "FAKE" in s.name.upper() for s in fixtures)
