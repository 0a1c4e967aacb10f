"""Reading real sample APKs and bundles: what the manifest, resources and signatures say."""

from __future__ import annotations

import pytest

from apkscan.extract.manifest import read_manifest
from apkscan.extract.merge import merge_parts
from apkscan.extract.signing import read_signers
from apkscan.read.container import open_container
from apkscan.read.errors import InputError
from tests.conftest import sample

P = "android.permission."


def app_facts(name: str):
    container = open_container(sample(name))
    errors: list[str] = []
    manifests = [read_manifest(p) for p in container.parts]
    signers = [s for p in container.parts for s in read_signers(p, errors)]
    return container, merge_parts(manifests, signers), errors


def perms(app) -> dict:
    return {p.name: p for p in app.permissions}


def test_labels_resolve_from_resources_in_both_languages():
    _, app, errors = app_facts("contact-raider.apk")
    assert (app.package, app.label, app.label_zh) == ("com.example.quickcash", "QuickCash Loan", "极速贷款")
    assert (app.version_name, app.version_code, app.min_sdk, app.target_sdk) == ("3.1.4", "314", 21, 30)
    assert errors == []


def test_duplicate_permissions_are_collapsed_and_counted():
    _, app, _ = app_facts("contact-raider.apk")
    names = [p.name for p in app.permissions]
    assert len(names) == len(set(names))
    assert perms(app)[P + "READ_CONTACTS"].duplicates == 1


def test_sdk23_and_max_sdk_and_custom_permissions_are_kept():
    _, app, _ = app_facts("legacy-caps.apk")
    by_name = perms(app)
    assert by_name[P + "READ_CONTACTS"].tags == ("uses-permission-sdk-23",)
    assert by_name[P + "WRITE_EXTERNAL_STORAGE"].max_sdk == 28
    assert by_name[P + "READ_EXTERNAL_STORAGE"].max_sdk == 32
    assert "com.vendor.push.permission.RECEIVE" in by_name
    assert "com.example.legacycaps.permission.C2D" in {d.name for d in app.declared_permissions}


def test_hostile_label_is_returned_verbatim_for_later_escaping():
    _, app, _ = app_facts("legacy-caps.apk")
    assert app.label.startswith("<script>")


def test_debug_certificate_is_flagged_and_release_key_is_not():
    _, debug_app, _ = app_facts("legacy-caps.apk")
    _, release_app, _ = app_facts("fair-lender.apk")
    assert [s.debug for s in debug_app.signers] == [True]
    assert [s.debug for s in release_app.signers] == [False]
    signer = release_app.signers[0]
    assert set(signer.scheme.split("+")) >= {"v1", "v2"}
    assert len(signer.sha256) == 64 and "apkscan sample" in signer.subject


@pytest.mark.parametrize("name", ["quickcash-bundle.xapk", "quickcash-bundle.apks", "mystery-download.bin"])
def test_bundles_are_detected_by_content_and_splits_merged(name):
    container, app, _ = app_facts(name)
    assert container.kind in ("xapk", "apks")
    assert container.parts[0].role == "base" and len(container.parts) == 3
    assert app.package == "com.example.bundled"
    sms = perms(app)[P + "READ_SMS"]
    assert sms.sources != perms(app)[P + "INTERNET"].sources  # READ_SMS comes from a split only
    assert "arm64" in sms.sources[0]


def test_exported_components_are_listed():
    _, app, _ = app_facts("contact-raider.apk")
    exported = [c for c in app.components if c.exported]
    assert any("android.provider.Telephony.SMS_RECEIVED" in c.actions for c in exported)


@pytest.mark.parametrize(
    "key",
    ["truncated", "not a zip", "empty zip", "without AndroidManifest.xml", "raw DEX", "empty file"],
)
def test_unreadable_inputs_raise_one_line_reasons(bad_inputs, key):
    with pytest.raises(InputError) as info:
        open_container(bad_inputs[key])
    message = str(info.value)
    assert "\n" not in message and str(bad_inputs[key]) in message
    assert key.lower().split()[-1] in message.lower()


def test_broken_sample_reports_truncation():
    with pytest.raises(InputError, match="central directory"):
        open_container(sample("broken-truncated.apk"))


def test_zip_bomb_member_is_refused(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.apk"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("AndroidManifest.xml", b"\0" * (20 * 1024 * 1024))
    container = open_container(bomb)
    with pytest.raises(InputError, match="limit"):
        read_manifest(container.parts[0])
