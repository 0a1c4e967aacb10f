"""Zip access with limits, because hostile APKs are normal input.

A loan app sample may be a zip bomb, a truncated download or a zip tampered with to break analysers. Every
member read goes through :meth:`SafeZip.read`, which streams the decompression and stops at a size cap, so a
small file can never make the scanner allocate gigabytes.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from apkscan.read.errors import InputError, one_line

MAX_ENTRIES = 200_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed beyond this, with a large member, is a bomb


@dataclass(frozen=True)
class MemberInfo:
    name: str
    size: int
    compressed: int


class SafeZip:
    """A read-only zip whose member reads are bounded in size and total volume."""

    def __init__(self, source: str | Path | bytes, label: str) -> None:
        self.label = label
        self._source = source
        data = source if isinstance(source, bytes) else None
        try:
            self._zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else source)
        except zipfile.BadZipFile as err:
            raise InputError(label, _bad_zip_reason(source, err)) from None
        except (OSError, ValueError, EOFError, NotImplementedError) as err:
            raise InputError(label, f"cannot open as a zip ({one_line(err)})") from None
        infos = self._zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InputError(label, f"zip has {len(infos)} entries, more than the limit of {MAX_ENTRIES}")
        self._infos = {i.filename: i for i in infos if not i.is_dir()}
        self._read_total = 0

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def info(self, name: str) -> MemberInfo | None:
        i = self._infos.get(name)
        return MemberInfo(i.filename, i.file_size, i.compress_size) if i else None

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """Read one member, refusing more than ``limit`` bytes (whatever the header claims)."""
        info = self._infos.get(name)
        if info is None:
            raise InputError(self.label, f"{name} is missing")
        if info.file_size > limit:
            raise InputError(self.label, f"{name} declares {info.file_size} bytes, over the {limit}-byte limit")
        budget = min(limit, MAX_TOTAL_BYTES - self._read_total)
        try:
            with self._zf.open(info) as member:
                data = member.read(budget + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error) as err:
            raise InputError(self.label, f"{name} cannot be decompressed ({one_line(err)})") from None
        except NotImplementedError as err:
            raise InputError(self.label, f"{name} uses an unsupported zip feature ({one_line(err)})") from None
        except RuntimeError as err:  # encrypted members
            raise InputError(self.label, f"{name} cannot be read ({one_line(err)})") from None
        if len(data) > budget:
            raise InputError(self.label, f"{name} expands beyond the size limit (possible zip bomb)")
        self._read_total += len(data)
        return data

    def raw(self) -> bytes:
        """The whole zip's bytes (signature blocks live outside any member)."""
        if isinstance(self._source, bytes):
            return self._source
        return Path(self._source).read_bytes()

    def close(self) -> None:
        self._zf.close()


def _bad_zip_reason(source: str | Path | bytes, err: Exception) -> str:
    """Turn zipfile's terse error into a reason a user can act on."""
    head = source[:4] if isinstance(source, bytes) else _head(Path(source))
    if head.startswith(b"PK\x03\x04"):
        return "truncated or damaged zip: the central directory is missing (incomplete download?)"
    return f"not a zip file ({err})"


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(4)
    except OSError:
        return b""
