"""What a scan was asked to do; a light module so the CLI and the batch runner need not import the scanner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ScanOptions:
    lang: str = "en"
    jurisdictions: tuple[str, ...] = ()  # empty = all
    rules_path: Path | None = None
    policy_paths: tuple[Path, ...] = ()
    fetch_policy: bool = False
    code: bool = True
