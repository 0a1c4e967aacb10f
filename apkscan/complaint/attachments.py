"""The files an evidence pack carries besides the borrower's own: the scan report and the policy texts analysed.

Policy texts are copied byte for byte from where apkscan read them: the files given with ``--policy``, and the pages
packed in the APK (``assets/``, ``res/raw/``), read again from the APK with the same bounded reader. A policy that
came from a string resource or a URL has no file of its own; the report's SHA-256 of it stays the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from apkscan.complaint.pack import PackItem
from apkscan.model import Report
from apkscan.read.container import open_container
from apkscan.read.errors import InputError

MAX_POLICY_BYTES = 5 * 1024 * 1024


def policy_items(report: Report, app_path: Path | None, policy_paths: Sequence[Path]) -> list[PackItem]:
    """Pack items for every analysed policy text that exists as a file (given, or inside the APK)."""
    items = [PackItem(f"policy/{p.name}", p, "policy-text", "borrower") for p in policy_paths]
    sources = report.policy.sources if report.policy else ()
    inside = [s.source for s in sources if s.source.startswith(("assets/", "res/raw/"))]
    if not inside or app_path is None:
        return items
    try:
        container = open_container(app_path)
    except InputError:
        return items
    try:
        for part in container.parts:
            for name in inside:
                if part.zip.has(name):
                    data = part.zip.read(name, limit=MAX_POLICY_BYTES)
                    items.append(PackItem(f"policy/{PurePosixPath(name).name}", data, "policy-text", "app"))
    except InputError:
        pass
    finally:
        container.close()
    return items
