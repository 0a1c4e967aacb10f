"""Read just what a report needs from ``resources.arsc``: the global string pool and single resource lookups.

Why not androguard's ``ARSCParser``: answering "what is the app's label?" made it decode every entry of every type
of every configuration (about 0.2 s on a 25 MB app, as much as a third of its whole scan), and listing the string
values walked all of it again. This reader indexes the chunks once (a few hundred headers), decodes the global
string pool lazily (one string at a time) and, for one resource id, reads only the type chunks of that id's type
(one per configuration) and one entry in each.

What it gives:

- :func:`string_pool_values` — every string value of the table (all locales, string arrays and plurals included;
  also the file paths of file resources such as ``res/layout/main.xml``), the cheap way to search an app's
  resource texts (policy URLs, whole policy texts, lending vocabulary);
- :func:`resolve_label` — an ``@7F0F001B``-style reference resolved the way androguard resolves it (the default
  configuration's value, else the only or the first one; Chinese from ``zh-CN``/``zh`` variants), references to
  other resources followed a few levels deep.

Malformed tables raise :class:`ResourceError` with a short reason; callers report it as a partial-read error.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import cached_property

RES_STRING_POOL_TYPE = 0x0001
RES_TABLE_TYPE = 0x0002
RES_TABLE_PACKAGE_TYPE = 0x0200
RES_TABLE_TYPE_TYPE = 0x0201
UTF8_FLAG = 0x100
FLAG_SPARSE, FLAG_OFFSET16 = 0x01, 0x02
ENTRY_COMPLEX, ENTRY_COMPACT = 0x0001, 0x0008
TYPE_REFERENCE, TYPE_STRING = 0x01, 0x03
NO_ENTRY32, NO_ENTRY16 = 0xFFFFFFFF, 0xFFFF
MAX_REFERENCE_DEPTH = 5
MAX_CHUNKS = 1_000_000


class ResourceError(ValueError):
    """``resources.arsc`` is not a resource table this reader can follow (the message says where it broke)."""


@dataclass(frozen=True)
class Config:
    """The parts of a ``ResTable_config`` a label lookup needs; ``default`` = every qualifier unset."""

    language: str
    country: str
    default: bool


@dataclass
class _Package:
    id: int
    types: dict[int, list[int]] = field(default_factory=dict)  # type id -> offsets of its RES_TABLE_TYPE chunks


class StringPool:
    """A ``ResStringPool`` read on demand: ``pool[i]`` decodes one string."""

    def __init__(self, data: bytes, start: int) -> None:
        _, header, size = _chunk(data, start)
        if header < 28 or start + size > len(data):
            raise ResourceError("string pool header out of bounds")
        count, _styles, flags, strings_start, _ = struct.unpack_from("<IIIII", data, start + 8)
        if start + header + 4 * count > start + size:
            raise ResourceError("string pool index out of bounds")
        self._data, self._end = data, start + size
        self._offsets = struct.unpack_from(f"<{count}I", data, start + header)
        self._base = start + strings_start
        self._utf8 = bool(flags & UTF8_FLAG)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._offsets):
            raise ResourceError(f"string {index} not in the pool")
        pos = self._base + self._offsets[index]
        try:
            if self._utf8:
                _, pos = _len8(self._data, pos)  # length in characters, then in bytes
                size, pos = _len8(self._data, pos)
                raw = self._data[pos : pos + size]
                text = raw.decode("utf-8", "replace")
            else:
                size, pos = _len16(self._data, pos)
                raw = self._data[pos : pos + 2 * size]
                text = raw.decode("utf-16-le", "replace")
        except (struct.error, IndexError):
            raise ResourceError(f"string {index} out of bounds") from None
        if pos + len(raw) > self._end:
            raise ResourceError(f"string {index} out of bounds")
        return text

    def values(self) -> list[str]:
        return [self[i] for i in range(len(self))]


class ResourceTable:
    """Index of one ``resources.arsc``: chunk offsets only; strings and entries are decoded when asked for."""

    def __init__(self, data: bytes) -> None:
        kind, header, size = _chunk(data, 0)
        if kind != RES_TABLE_TYPE:
            raise ResourceError(f"not a resource table (chunk type 0x{kind:04x})")
        self._data = data
        self._pool_at: int | None = None
        self._packages: dict[int, _Package] = {}
        end = min(size, len(data))
        pos = header
        try:
            while pos + 8 <= end:
                kind, chunk_header, chunk_size = _chunk(data, pos)
                if kind == RES_STRING_POOL_TYPE and self._pool_at is None:
                    self._pool_at = pos
                elif kind == RES_TABLE_PACKAGE_TYPE:
                    self._index_package(pos, chunk_header, chunk_size)
                pos += chunk_size
        except (struct.error, IndexError):
            raise ResourceError(f"truncated chunk at {pos}") from None
        if self._pool_at is None:
            raise ResourceError("no global string pool")

    def _index_package(self, start: int, header: int, size: int) -> None:
        data = self._data
        package = _Package(struct.unpack_from("<I", data, start + 8)[0])
        self._packages.setdefault(package.id, package)
        end = min(start + size, len(data))
        pos, seen = start + header, 0
        while pos + 8 <= end:
            kind, _, chunk_size = _chunk(data, pos)
            if kind == RES_TABLE_TYPE_TYPE:
                package.types.setdefault(data[pos + 8], []).append(pos)
            pos += chunk_size
            seen += 1
            if seen > MAX_CHUNKS:
                raise ResourceError("too many chunks")

    @cached_property
    def strings(self) -> StringPool:
        """The global string pool (every string value of the table)."""
        assert self._pool_at is not None
        return StringPool(self._data, self._pool_at)

    def values(self, res_id: int) -> list[tuple[Config, int, int]]:
        """``(config, data type, data)`` of every simple value of ``res_id``, in table order (bags are skipped)."""
        package = self._packages.get(res_id >> 24)
        if package is None:
            return []
        type_id, entry = (res_id >> 16) & 0xFF, res_id & 0xFFFF
        found = []
        for start in package.types.get(type_id, ()):
            try:
                value = self._entry(start, entry)
            except (struct.error, IndexError):
                raise ResourceError(f"type chunk at {start} is truncated") from None
            if value is not None:
                found.append(value)
        return found

    def _entry(self, start: int, index: int) -> tuple[Config, int, int] | None:
        data = self._data
        _, header, size = _chunk(data, start)
        if header < 20:
            raise ResourceError("type chunk header too short")
        flags = data[start + 9]
        count, entries_start = struct.unpack_from("<II", data, start + 12)
        config = _config(data, start + 20, start + header)
        table = start + header
        offset = None
        if flags & FLAG_SPARSE:
            for i in range(count):
                idx, off = struct.unpack_from("<HH", data, table + 4 * i)
                if idx == index:
                    offset = off * 4
                    break
        elif index < count:
            if flags & FLAG_OFFSET16:
                raw = struct.unpack_from("<H", data, table + 2 * index)[0]
                offset = None if raw == NO_ENTRY16 else raw * 4
            else:
                raw = struct.unpack_from("<I", data, table + 4 * index)[0]
                offset = None if raw == NO_ENTRY32 else raw
        if offset is None:
            return None
        pos = start + entries_start + offset
        if pos + 8 > start + size:
            raise ResourceError("entry out of bounds")
        entry_size, entry_flags = struct.unpack_from("<HH", data, pos)
        if entry_flags & ENTRY_COMPACT:
            return config, entry_flags >> 8, struct.unpack_from("<I", data, pos + 4)[0]
        if entry_flags & ENTRY_COMPLEX:
            return None
        if pos + entry_size + 8 > start + size:
            raise ResourceError("value out of bounds")
        _, _, data_type, value = struct.unpack_from("<HBBI", data, pos + entry_size)
        return config, data_type, value

    def resolve(self, res_id: int, default_only: bool, depth: int = 0) -> list[tuple[Config, str]]:
        """String values of ``res_id``: every configuration, or (``default_only``) the one a default device sees,
        as androguard picks it: the default configuration's value, else the only one, else the first."""
        options = self.values(res_id)
        if default_only and len(options) > 1:
            defaults = [o for o in options if o[0].default]
            options = defaults[:1] or options[:1]
        out: list[tuple[Config, str]] = []
        for config, data_type, value in options:
            if data_type == TYPE_STRING:
                out.append((config, self.strings[value]))
            elif data_type == TYPE_REFERENCE and value and depth < MAX_REFERENCE_DEPTH:
                out += [(config, text) for _, text in self.resolve(value, True, depth + 1)]
        return out


def resolve_label(table: ResourceTable, raw: str) -> tuple[str, str]:
    """(label, Chinese label) for the manifest's ``android:label`` value; a literal label is returned as it is.

    A reference that cannot be resolved (a framework resource, a missing id) comes back unchanged, as androguard's
    did, so the report still shows something.
    """
    if not raw.startswith("@"):
        return raw, ""
    name = raw[1:].split(":", 1)[-1]
    try:
        res_id = int(name, 16)
    except ValueError:
        return raw, ""
    default = table.resolve(res_id, default_only=True)
    every = table.resolve(res_id, default_only=False)
    label = default[0][1] if default else (every[0][1] if every else raw)
    zh = [text for config, text in every if config.language == "zh"]
    zh_cn = [text for config, text in every if config.language == "zh" and config.country in ("CN", "")]
    return label, (zh_cn or zh or [""])[0]


def string_pool_values(table: ResourceTable) -> list[str]:
    """Every string of the table's global pool: all string values in all locales, cheap (no entry is decoded)."""
    return table.strings.values()


def _chunk(data: bytes, pos: int) -> tuple[int, int, int]:
    if pos < 0 or pos + 8 > len(data):
        raise ResourceError(f"chunk header at {pos} out of bounds")
    kind, header, size = struct.unpack_from("<HHI", data, pos)
    if header < 8 or size < header:
        raise ResourceError(f"malformed chunk at {pos}")
    return kind, header, size


def _config(data: bytes, pos: int, end: int) -> Config:
    """Language and country of a ``ResTable_config``; default when every byte after its size field is zero."""
    size = struct.unpack_from("<I", data, pos)[0] if pos + 4 <= end else 0
    raw = bytes(data[pos + 4 : min(pos + max(size, 4), end)])
    locale = raw[4:8] if len(raw) >= 8 else b"\0\0\0\0"
    return Config(_code(locale[0:2], "a"), _code(locale[2:4], "0"), not any(raw))


def _code(two: bytes, base: str) -> str:
    """A language or country code: two ASCII letters, or three packed into two bytes (high bit set)."""
    if not two or two[0] == 0:
        return ""
    if two[0] & 0x80:
        first, second = two[1] & 0x1F, ((two[1] & 0xE0) >> 5) | ((two[0] & 0x03) << 3)
        third = (two[0] & 0x7C) >> 2
        return "".join(chr(ord(base) + c) for c in (first, second, third))
    return two.decode("ascii", "replace").rstrip("\0")


def _len8(data: bytes, pos: int) -> tuple[int, int]:
    value = data[pos]
    if value & 0x80:
        return ((value & 0x7F) << 8) | data[pos + 1], pos + 2
    return value, pos + 1


def _len16(data: bytes, pos: int) -> tuple[int, int]:
    value = struct.unpack_from("<H", data, pos)[0]
    if value & 0x8000:
        return ((value & 0x7FFF) << 16) | struct.unpack_from("<H", data, pos + 2)[0], pos + 4
    return value, pos + 2
