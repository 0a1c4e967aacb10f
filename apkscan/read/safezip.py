"""Zip access with limits, because hostile APKs are normal input.

A loan app sample may be a zip bomb, a truncated download or a zip tampered with to break analysers. Every
member read goes through :meth:`SafeZip.read`, which streams the decompression and stops at a size cap, so a
small file can never make the scanner allocate gigabytes.

Zips that Android's tools read but Python's zipfile does not (stray bytes before the end record, odd comments,
prepended data) are opened through :mod:`apkscan.read.ziplayout`, and what was odd about them is kept in
:attr:`SafeZip.notes` for the report.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from apkscan.read.errors import InputError, one_line, printable
from apkscan.read.ziplayout import SplicedView, find_layout, read_at_bytes, read_at_file

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
        self._view: SplicedView | None = None
        self._handle: BinaryIO | None = None
        self.notes: list[str] = []  # damage that did not stop the reading, one line each (for the report's errors)
        try:
            self._zf = zipfile.ZipFile(self._open(source))
        except zipfile.BadZipFile as err:
            self.close()
            raise InputError(label, _bad_zip_reason(source, err)) from None
        except (OSError, ValueError, EOFError, NotImplementedError) as err:
            self.close()
            raise InputError(label, f"cannot open as a zip ({one_line(err)})") from None
        infos = self._zf.infolist()
        if len(infos) > MAX_ENTRIES:
            self.close()
            raise InputError(label, f"zip has {len(infos)} entries, more than the limit of {MAX_ENTRIES}")
        self._infos = self._index(infos)
        self._read_total = 0

    def _open(self, source: str | Path | bytes) -> BinaryIO:
        """What zipfile should read: the source itself, or a view of the archive when the layout is unusual."""
        if isinstance(source, bytes):
            plain: BinaryIO = io.BytesIO(source)
            read_at, size = read_at_bytes(source), len(source)
        else:
            plain = self._handle = open(source, "rb")  # noqa: SIM115 (closed in close())
            read_at, size = read_at_file(self._handle), Path(source).stat().st_size
        layout = find_layout(read_at, size)
        self.notes += layout.notes if layout is not None else []
        if layout is None or layout.plain:
            plain.seek(0)
            return plain
        self._view = SplicedView(read_at, layout)
        return cast(BinaryIO, self._view)

    def _index(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        """Members by name: directories and nameless entries left out, the first of duplicate names kept."""
        index: dict[str, zipfile.ZipInfo] = {}
        duplicates: dict[str, int] = {}
        nameless = 0
        for info in infos:
            name = info.filename
            if not name:
                nameless += 1
            elif name.endswith("/"):
                continue
            elif name in index:
                duplicates[name] = duplicates.get(name, 1) + 1
            else:
                index[name] = info
        if nameless:
            self.notes.append(f"{nameless} zip entr{'y has' if nameless == 1 else 'ies have'} an empty name, skipped")
        if duplicates:
            shown = ", ".join(f"{printable(n)} x{c}" for n, c in list(duplicates.items())[:5])
            more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
            self.notes.append(
                f"duplicate zip entries ({shown}{more}): Android 4.4 and later refuse to install such a file (the "
                "'master key' trick); the first copy of each, which older Android ran, was read"
            )
        return index

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
        """The whole zip's bytes (signature blocks live outside any member); for a damaged layout, the archive as
        it should have been (see :class:`~apkscan.read.ziplayout.SplicedView`)."""
        if self._view is not None:
            return self._view.getvalue()
        if isinstance(self._source, bytes):
            return self._source
        return Path(self._source).read_bytes()

    def close(self) -> None:
        zf = getattr(self, "_zf", None)
        if zf is not None:
            zf.close()
        if self._handle is not None:
            self._handle.close()
            self._handle = None


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
