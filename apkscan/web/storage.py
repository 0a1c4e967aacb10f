"""The server's data folder: where uploads, evidence and complaint packs live, and how they leave.

Every name on disk is chosen here, never by a client: an upload is ``files/<sha256>`` (one copy per content, however
many people bring the same APK), a policy file ``policies/<sha256>``, the per-upload working folder
``work/<upload id>/`` (ids are the server's own random tokens, checked against :data:`ID_PATTERN` before they touch a
path) and partial uploads ``tmp/<random>``, removed when the request ends however it ends. The folder is private to the
user running the server (mode 0700): it holds the most sensitive files a borrower has.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

from apkscan.batch.store import DB_NAME

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{10,40}")
SHA_PATTERN = re.compile(r"[0-9a-f]{64}")


class DataDir:
    """The layout of ``--data DIR``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.files = self.root / "files"
        self.policies = self.root / "policies"
        self.work = self.root / "work"
        self.tmp = self.root / "tmp"
        self.db = self.root / DB_NAME

    def prepare(self) -> None:
        """Create the folders (private) and drop partial uploads a killed server left in ``tmp``."""
        for folder in (self.root, self.files, self.policies, self.work, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        for leftover in self.tmp.iterdir():
            _remove(leftover)

    def app_path(self, sha256: str) -> Path:
        return self.files / _checked(sha256, SHA_PATTERN)

    def policy_path(self, sha256: str) -> Path:
        return self.policies / _checked(sha256, SHA_PATTERN)

    def work_dir(self, upload_id: str) -> Path:
        return self.work / _checked(upload_id, ID_PATTERN)

    def complaint_dir(self, upload_id: str, complaint_id: str) -> Path:
        return self.work_dir(upload_id) / f"complaint-{_checked(complaint_id, ID_PATTERN)}"

    def temp_file(self) -> Path:
        return self.tmp / secrets.token_hex(16)

    def keep(self, temp: Path, target: Path) -> None:
        """Move a finished upload into place; the same bytes may already be there (same SHA-256), then drop it."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            temp.unlink(missing_ok=True)
            return
        os.chmod(temp, 0o600)
        os.replace(temp, target)

    def remove_work(self, upload_id: str) -> None:
        _remove(self.work_dir(upload_id))

    def remove_file(self, path: Path) -> None:
        if path.parent in (self.files, self.policies):
            path.unlink(missing_ok=True)


def new_id() -> str:
    """A random, URL-safe id (96 bits): upload and complaint ids cannot be guessed."""
    return secrets.token_urlsafe(12)


def _checked(value: str, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"not a valid identifier: {value[:60]!r}")
    return value


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
