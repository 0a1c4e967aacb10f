"""Find the privacy policies that belong to a scan: files the user gave, texts inside the APK, and URLs.

The strongest complaint evidence is the app's own words, so apkscan looks for them everywhere it can without
going online: ``--policy`` files, HTML/text in ``assets/`` and ``res/raw/``, and long string resources. Policy
URLs (manifest, resources, DEX strings) are listed; fetching them happens only with ``--fetch-policy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from apkscan.extract.policy.embedded import find_embedded_policies, find_policy_urls
from apkscan.read.container import Container
from apkscan.read.errors import InputError
from apkscan.read.policy.fetch import fetch_policy
from apkscan.read.policy.file import PolicyDocument, PolicyInputError, read_policy_file

POLICY_DIRS = ("assets/", "res/raw/")
POLICY_SUFFIXES = (".html", ".htm", ".txt", ".md", "")
MAX_EMBEDDED_BYTES = 5 * 1024 * 1024
MAX_FETCHED = 3


def given_policies(paths: Sequence[Path], errors: list[str]) -> list[PolicyDocument]:
    docs = []
    for path in paths:
        try:
            docs.append(read_policy_file(path))
        except PolicyInputError as err:
            errors.append(f"policy: {err}")
    return docs


def embedded_policies(container: Container, strings: Iterable[str], errors: list[str]) -> list[PolicyDocument]:
    """Policy texts packed in the APK parts (bounded reads; unreadable members are noted, not fatal)."""
    files = []
    for part in container.parts:
        for name in part.zip.names:
            info = part.zip.info(name)
            if not _candidate(name) or info is None or info.size > MAX_EMBEDDED_BYTES:
                continue
            try:
                files.append((name, part.zip.read(name, limit=MAX_EMBEDDED_BYTES)))
            except InputError as err:
                errors.append(f"policy: {err.reason}")
    return list(find_embedded_policies(files, strings))


def _candidate(name: str) -> bool:
    return name.startswith(POLICY_DIRS) and PurePosixPath(name).suffix.lower() in POLICY_SUFFIXES


def policy_urls(strings: Iterable[str]) -> list[str]:
    return list(find_policy_urls(strings))


def fetched_policies(urls: Sequence[str], errors: list[str]) -> list[PolicyDocument]:
    """Opt-in network access: http(s) only, short timeout, size cap (see :mod:`apkscan.read.policy.fetch`)."""
    docs = []
    for url in urls[:MAX_FETCHED]:
        try:
            docs.append(fetch_policy(url))
        except PolicyInputError as err:
            errors.append(f"policy: {err}")
    return docs
