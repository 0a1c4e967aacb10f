"""Find a zip's central directory the way Android does, and describe how the file departs from a plain zip.

Python's zipfile assumes the end-of-central-directory record (EOCD) directly follows the central directory and takes
any gap as data *prepended* to the archive, so a zip with stray bytes between the two -- which aapt, unzip and
Android's own libziparchive all read -- fails with "bad magic number for central directory". It also takes the last
"PK\\5\\6" in the file even when fewer than 22 bytes follow it, where Android keeps looking.

So the reader here locates the EOCD as libziparchive does (the last signature with a whole record after it),
then finds the central directory at its declared offset (plain, stray bytes before the EOCD) or just before the
EOCD (data prepended without adjusting offsets). :class:`Layout` says where everything is and lists the damage in
plain words, including whether Android would refuse the file; :class:`SplicedView` presents the archive to
zipfile as the plain zip it should have been (prefix, stray bytes, comment and trailing bytes cut away).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

EOCD_SIG = b"PK\x05\x06"
CD_SIG = b"PK\x01\x02"
LFH_SIG = b"PK\x03\x04"
EOCD_SIZE = 22
MAX_COMMENT = 0xFFFF
_EOCD = struct.Struct("<4sHHHHIIH")
MAX_CANDIDATES = 32  # EOCD signatures tried, newest first; a comment stuffed with fakes cannot make us loop long

ReadAt = Callable[[int, int], bytes]


@dataclass
class Layout:
    """Where the archive lives in the file; offsets are file offsets."""

    size: int
    eocd: int
    cd_offset: int  # where the first central directory record really is
    cd_size: int
    entries: int
    base: int  # file offset of the archive's own offset 0 (> 0 when data was prepended without adjusting offsets)
    zip64: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def cd_end(self) -> int:
        return self.cd_offset + self.cd_size

    @property
    def plain(self) -> bool:
        """True when zipfile reads the file as it is and finds this same directory."""
        return self.zip64 or (self.base == 0 and self.cd_end == self.eocd and self.eocd + EOCD_SIZE == self.size)


def read_at_bytes(data: bytes) -> ReadAt:
    return lambda offset, length: data[offset : offset + length]


def read_at_file(fh: BinaryIO) -> ReadAt:
    def read_at(offset: int, length: int) -> bytes:
        fh.seek(offset)
        return fh.read(length)

    return read_at


def find_layout(read_at: ReadAt, size: int) -> Layout | None:
    """The archive's layout, or None when no end record leads to a central directory (not a zip, or truncated)."""
    if size < EOCD_SIZE:
        return None
    start = max(0, size - EOCD_SIZE - MAX_COMMENT)
    tail = read_at(start, size - start)
    skipped: list[int] = []
    pos = len(tail) - EOCD_SIZE  # libziparchive: a candidate needs a whole 22-byte record after it
    for _ in range(MAX_CANDIDATES):
        pos = tail.rfind(EOCD_SIG, 0, pos + len(EOCD_SIG))
        if pos < 0:
            return None
        layout = _candidate(read_at, size, start + pos, tail[pos : pos + EOCD_SIZE])
        if layout is not None:
            _describe(layout, read_at, skipped, tail[pos + EOCD_SIZE :])
            return layout
        skipped.append(start + pos)
        pos -= 1
    return None


def _candidate(read_at: ReadAt, size: int, eocd: int, record: bytes) -> Layout | None:
    _sig, _disk, _cd_disk, _on_disk, entries, cd_size, cd_offset, _comment = _EOCD.unpack(record)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        return Layout(size, eocd, cd_offset, cd_size, entries, 0, zip64=True)  # zipfile handles zip64 itself
    if cd_size > eocd:
        return None
    if entries == 0 and cd_size == 0:
        return Layout(size, eocd, min(cd_offset, eocd), 0, 0, 0)
    if cd_offset + cd_size <= eocd and read_at(cd_offset, 4) == CD_SIG:
        return Layout(size, eocd, cd_offset, cd_size, entries, 0)
    shifted = eocd - cd_size
    if shifted > cd_offset and read_at(shifted, 4) == CD_SIG:
        return Layout(size, eocd, shifted, cd_size, entries, shifted - cd_offset)
    return None


_PREFIX_KINDS = (
    (
        b"dex\n",
        "a DEX file, not analysed (the 'Janus' trick, CVE-2017-13156: Android before 8.1 could run it instead of "
        "the APK's code)",
    ),
    (b"MZ", "a Windows program (a self-extractor stub?)"),
    (b"\x7fELF", "an ELF program (a self-extractor stub?)"),
    (b"#!", "a script (a self-extractor stub?)"),
)


def _describe(layout: Layout, read_at: ReadAt, skipped: list[int], after: bytes) -> None:
    notes = layout.notes
    if skipped:
        notes.append(
            f"{len(skipped)} end-of-central-directory signature(s) after offset {layout.eocd} lead nowhere (a fake "
            "in the zip comment?); read the directory the earlier end record names (Android refuses such a file)"
        )
    if layout.zip64:
        return
    _sig, disk, cd_disk, _on_disk, _entries, _size, _offset, comment_len = _EOCD.unpack(read_at(layout.eocd, EOCD_SIZE))
    if disk or cd_disk:
        notes.append(f"the end record calls this file disk {disk} of a split archive; it was read as one whole zip")
    trailing = layout.size - (layout.eocd + EOCD_SIZE + comment_len)
    if trailing > 0:
        notes.append(
            f"{trailing} bytes after the end of the zip (offset {layout.size - trailing}): not part of the archive, "
            "ignored (Android's installer refuses such a file)"
        )
    elif trailing < 0:
        notes.append(
            f"the zip comment is declared {comment_len} bytes long but only {comment_len + trailing} are present "
            "(Android's installer refuses such a file)"
        )
    if EOCD_SIG in after[: max(0, comment_len)]:
        notes.append("the zip comment contains an end-of-central-directory signature (a trick against zip readers)")
    stray = layout.eocd - layout.cd_end
    if stray > 0 and layout.base == 0:
        notes.append(
            f"{stray} stray bytes between the central directory (ends at offset {layout.cd_end}) and the "
            f"end-of-central-directory record (offset {layout.eocd}): read as aapt and unzip do; Android's "
            "v2/v3 signature check does not find the signature of such a file"
        )
    head = read_at(0, 4)
    if head != LFH_SIG and layout.entries:
        what = next((kind for magic, kind in _PREFIX_KINDS if head.startswith(magic)), "unknown data")
        (first_entry,) = struct.unpack("<I", read_at(layout.cd_offset + 42, 4).ljust(4, b"\0"))
        notes.append(
            f"{layout.base + first_entry} bytes before the first zip entry: {what}; the archive after them was read "
            "(Android 8.1 and later refuse to install such a file)"
        )


class SplicedView(io.RawIOBase):
    """A read-only file showing only the archive: [base, end of central directory) + the EOCD, comment removed.

    Local headers and the central directory keep their offsets relative to ``base``; the EOCD is rewritten to point
    at the directory's position in the view with an empty comment, so zipfile finds it at the very end.
    """

    def __init__(self, read_at: ReadAt, layout: Layout) -> None:
        super().__init__()
        self._read_at = read_at
        self._base = layout.base
        self._body = layout.cd_end - layout.base  # bytes taken from the file
        self._eocd = _EOCD.pack(
            EOCD_SIG, 0, 0, layout.entries, layout.entries, layout.cd_size, layout.cd_offset - layout.base, 0
        )
        self._size = self._body + EOCD_SIZE
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise OSError(22, "negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        want = min(len(buffer), max(0, self._size - self._pos))
        out = b""
        if want and self._pos < self._body:
            take = min(want, self._body - self._pos)
            out = self._read_at(self._base + self._pos, take)
        if len(out) < want and self._pos + len(out) >= self._body:
            start = self._pos + len(out) - self._body
            out += self._eocd[start : start + want - len(out)]
        buffer[: len(out)] = out
        self._pos += len(out)
        return len(out)

    def getvalue(self) -> bytes:
        return self._read_at(self._base, self._body) + self._eocd
