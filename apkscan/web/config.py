"""What ``apkscan serve`` was asked to do, and what follows from it (which hosts are loopback, the token)."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path

from apkscan.model.options import ScanOptions

LOOPBACK_NAMES = ("localhost",)
SCAN_LANG = "en"  # reports carry both languages (the ``_i18n`` twins); pages choose at render time


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    data: Path = Path("apkscan-data")
    jobs: int = 2
    max_upload_mb: int = 200
    retention_days: float = 30.0
    token: str | None = None
    fetch_policy: bool = False
    timeout: float = 300.0
    max_memory_mb: int = 4096
    rules_path: Path | None = None

    @property
    def max_upload(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def scan_options(self, policy: Path | None) -> ScanOptions:
        """The options of every web scan: same language and rules for all, so equal bytes give equal reports."""
        return ScanOptions(
            lang=SCAN_LANG,
            rules_path=self.rules_path,
            policy_paths=(policy,) if policy else (),
            fetch_policy=self.fetch_policy,
        )


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: only this machine can connect."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def access_token(host: str, given: str | None) -> tuple[str | None, bool]:
    """The token requests must carry, and whether it was generated: any address but loopback needs one."""
    if given is not None or is_loopback(host):
        return given, False
    return new_token(), True
