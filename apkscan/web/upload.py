"""Read a multipart upload as it streams in: files go to the data folder's ``tmp`` (hashed on the way), fields to
memory, and the request is refused the moment it grows past the cap.

Why not the framework's form parser: it spools files to the system's temporary folder and learns their size only
after they are complete, while here the cap must hold *while streaming* (a 5 GB "APK" must cost nothing) and the
SHA-256 that names the stored file is computed in the same pass. python-multipart's push parser (the one Starlette
uses) does the parsing; this module only decides where each byte goes. The client's file name is read for display
only and never reaches the filesystem.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import parse_qsl

import anyio
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from apkscan.web.storage import DataDir

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 100
MAX_FILES = 200
SLACK_BYTES = 1 << 20  # room for the other fields and the multipart framing around a file of the full size
DRAIN_BYTES = 64 << 20  # how much of an oversized body is read and dropped, so that a browser sees the 413 page
DRAIN_SECONDS = 10.0


class FormError(Exception):
    """The request is not a form this server accepts: ``str()`` is one line for programs, ``status`` the HTTP status
    to answer with and ``key`` the ui.toml message a page shows (by default one per status)."""

    def __init__(self, message: str, status: int = 400, key: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.key = key or {413: "web.error.too_large", 403: "web.error.expired", 404: "web.error.no_scan"}.get(
            status, "web.error.form"
        )


@dataclass
class FilePart:
    """One uploaded file, in ``tmp`` until kept: its SHA-256, size and the name the client gave (display only)."""

    field: str
    path: Path
    size: int
    sha256: str
    client_name: str


@dataclass
class Form:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[FilePart]] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> str:
        values = self.fields.get(name)
        return values[0].strip() if values else default

    def values(self, name: str) -> list[str]:
        return [v.strip() for v in self.fields.get(name, []) if v.strip()]

    def file(self, name: str) -> FilePart | None:
        found = self.files.get(name)
        return found[0] if found else None

    def discard(self) -> None:
        """Remove every temporary file not moved into place (call when the request ends, whatever happened)."""
        for parts in self.files.values():
            for part in parts:
                part.path.unlink(missing_ok=True)


class _Receiver:
    """The parser's callbacks: route each part to a temporary file or a field buffer."""

    def __init__(self, data: DataDir, file_fields: Collection[str], max_file: int) -> None:
        self.data, self.file_fields, self.max_file = data, set(file_fields), max_file
        self.form = Form()
        self._header_name, self._header_value = b"", b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._client_name: str | None = None
        self._buffer = bytearray()
        self._handle: BinaryIO | None = None
        self._digest: Any = None
        self._size = 0
        self._skip = False
        self._fields = 0

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._add("_header_name", data[start:end]),
            "on_header_value": lambda data, start, end: self._add("_header_value", data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _add(self, attr: str, chunk: bytes) -> None:
        value = getattr(self, attr) + chunk
        if len(value) > 8192:
            raise FormError("a part header is too long")
        setattr(self, attr, value)

    def _part_begin(self) -> None:
        self._headers, self._buffer, self._size, self._skip = {}, bytearray(), 0, False
        self._fields += 1
        if self._fields > MAX_FIELDS + MAX_FILES:
            raise FormError("too many parts in this form")

    def _header_end(self) -> None:
        self._headers[self._header_name.strip().lower()] = self._header_value.strip()
        self._header_name, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        self._client_name = None if filename is None else display_name(filename.decode("utf-8", "replace"))
        if self._client_name is not None:
            if self._name not in self.file_fields:
                self._skip = True  # a file in a field that takes none: dropped unread
                return
            if sum(len(v) for v in self.form.files.values()) >= MAX_FILES:
                raise FormError(f"too many files (at most {MAX_FILES})")
            path = self.data.temp_file()
            self._handle = path.open("xb")
            self._digest = hashlib.sha256()
            self.form.files.setdefault(self._name, []).append(FilePart(self._name, path, 0, "", self._client_name))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._skip:
            return
        chunk = data[start:end]
        self._size += len(chunk)
        if self._handle is not None:
            if self._size > self.max_file:
                raise FormError("file too large", 413)
            self._handle.write(chunk)
            self._digest.update(chunk)
        else:
            if self._size > MAX_FIELD_BYTES:
                raise FormError("a form field is too long")
            self._buffer += chunk

    def _part_end(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            part = self.form.files[self._name][-1]
            part.size, part.sha256 = self._size, self._digest.hexdigest()
        elif not self._skip and self._name:
            if sum(len(v) for v in self.form.fields.values()) >= MAX_FIELDS:
                raise FormError("too many form fields")
            self.form.fields.setdefault(self._name, []).append(self._buffer.decode("utf-8", "replace"))

    def abort(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self.form.discard()


def display_name(name: str) -> str:
    """The client's file name as it may be shown (never stored as a path): last path segment, printable, short."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:120] or "upload"


async def read_form(
    stream: AsyncIterator[bytes],
    content_type: str | None,
    content_length: str | None,
    data: DataDir,
    file_fields: Collection[str],
    max_bytes: int,
) -> Form:
    """Parse the whole body; :class:`FormError` (400, or 413 over the cap, nothing kept) when it is not acceptable."""
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind == b"application/x-www-form-urlencoded":  # fields only (``curl -d``): small, read whole
        return await _fields_only(stream)
    if kind != b"multipart/form-data" or not boundary:
        raise FormError("send the file as multipart/form-data (a form with a file field)", 415)
    limit = max_bytes + SLACK_BYTES
    if content_length and content_length.isdigit() and int(content_length) > limit + DRAIN_BYTES:
        raise FormError("file too large", 413)
    receiver = _Receiver(data, file_fields, max_bytes)
    parser = MultipartParser(boundary, cast("MultipartCallbacks", receiver.callbacks()), max_size=limit + 1)
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > limit:
                raise FormError("file too large", 413)
            if chunk:
                await anyio.to_thread.run_sync(parser.write, chunk)
        await anyio.to_thread.run_sync(parser.finalize)
    except FormError as err:
        receiver.abort()
        if err.status == 413:
            await _drain(stream, total, limit + DRAIN_BYTES)
        raise
    except MultipartParseError as err:
        receiver.abort()
        raise FormError(f"not a valid multipart form ({' '.join(str(err).split())[:120]})") from None
    except BaseException:
        receiver.abort()
        raise
    return receiver.form


async def _fields_only(stream: AsyncIterator[bytes]) -> Form:
    body = bytearray()
    async for chunk in stream:
        body += chunk
        if len(body) > MAX_FIELD_BYTES * 4:
            raise FormError("form too large for fields without files", 413)
    form = Form()
    try:
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise FormError("too many form fields") from None
    for name, value in pairs:
        form.fields.setdefault(name, []).append(value)
    return form


async def _drain(stream: AsyncIterator[bytes], seen: int, most: int) -> None:
    """Read (and drop) the rest of an oversized body, within bounds, so the client is still listening for the 413."""
    deadline = time.monotonic() + DRAIN_SECONDS
    try:
        async for chunk in stream:
            seen += len(chunk)
            if seen > most or time.monotonic() > deadline:
                return
    except Exception:  # noqa: BLE001 - the client went away: nothing left to drain
        return
