"""What the APK says about itself: the file, its manifests merged over base and splits, and its signers.

These facts are read, not judged: the evaluation stage turns them into verdicts and findings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputFacts:
    """What a complaint needs to identify the exact file that was examined."""

    path: str
    name: str
    kind: str  # apk | xapk | apks | apkm
    size: int
    sha256: str
    sha1: str
    md5: str
    members: tuple[str, ...] = ()  # APK files inside a bundle, base first


@dataclass(frozen=True)
class Signer:
    scheme: str  # v1 | v2 | v3 | v3.1
    subject: str
    issuer: str
    sha256: str
    sha1: str
    serial: str
    not_before: str
    not_after: str
    debug: bool
    source: str  # file the signature was read from


@dataclass(frozen=True)
class PermissionRequest:
    """One requested permission after merging base and splits and collapsing duplicates."""

    name: str
    tags: tuple[str, ...]  # uses-permission | uses-permission-sdk-23 | implied
    max_sdk: int | None
    sources: tuple[str, ...]  # files that declared it
    duplicates: int = 0  # extra declarations collapsed into this one


@dataclass(frozen=True)
class Component:
    kind: str  # activity | service | receiver | provider
    name: str
    exported: bool
    permission: str | None
    actions: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class DeclaredPermission:
    name: str
    protection: str
    source: str


@dataclass(frozen=True)
class AppFacts:
    """What the manifests and signatures say, merged over base and split APKs."""

    package: str
    label: str
    label_zh: str
    version_name: str
    version_code: str
    min_sdk: int | None
    target_sdk: int | None
    max_sdk: int | None
    permissions: tuple[PermissionRequest, ...]
    declared_permissions: tuple[DeclaredPermission, ...]
    components: tuple[Component, ...]
    signers: tuple[Signer, ...]
    application_class: str = ""
    splits: tuple[str, ...] = ()
    #: The v3 proof-of-rotation lineage: certificate SHA-256s, oldest first (empty without key rotation). A
    #: rotated key lists two signers; the lineage says they are one signer's old and new key.
    signer_lineage: tuple[str, ...] = ()
