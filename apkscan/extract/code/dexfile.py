"""A small, bounds-checked reader for the parts of a DEX file the code scan needs.

Why not androguard: its ``DEX`` object decodes every string, type, method and class up front and
its ``Analysis`` disassembles every method (tens of seconds and >1 GB on an 18 MB APK). This
reader validates the header and the id tables with C-speed ``array`` operations, decodes only the
strings it is asked for (binary search over the sorted ``string_ids``: ART's verifier rejects a
DEX whose string/type/field/method ids are not sorted, so the order is reliable for any DEX a
phone would run) and leaves the bytecode to :mod:`.search`.

Every read is bounds-checked; anything out of range raises :class:`DexFormatError` with a
one-line message, never ``IndexError``/``struct.error``. Every loop is bounded by a count that
has been checked against the file size first.
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from dataclasses import dataclass

import mutf8

HEADER_SIZE = 0x70
ENDIAN_CONSTANT = 0x12345678
NO_INDEX = 0xFFFFFFFF
_U32 = struct.Struct("<I")
_U16 = struct.Struct("<H")


class DexFormatError(ValueError):
    """The bytes are not a DEX file this reader can trust (message is one line)."""


def _ints(typecode: str, raw: bytes) -> array:
    """Little-endian unsigned ints from ``raw`` as an array (C speed)."""
    values = array(typecode)
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def decode_mutf8(raw: bytes) -> str:
    """MUTF-8 to ``str`` the way androguard does it, so values compare equal with the oracle."""
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        pass
    try:
        return mutf8.decode_modified_utf8(raw)
    except UnicodeDecodeError:
        return f"ANDROGUARD[INVALID_STRING] {raw!r}"


def _utf16_key(text: str) -> bytes:
    """Sort key matching the DEX string order (UTF-16 code units)."""
    return text.encode("utf-16-be", "surrogatepass")


@dataclass(frozen=True, slots=True)
class MethodRef:
    """A ``method_id_item`` resolved to text."""

    class_desc: str  # "Lcom/example/Foo;"
    name: str
    params: tuple[str, ...]  # type descriptors
    ret: str

    @property
    def proto(self) -> str:
        return "(" + "".join(self.params) + ")" + self.ret

    @property
    def descriptor(self) -> str:
        return f"{self.class_desc}->{self.name}{self.proto}"


class DexFile:
    """Header, id tables and class definitions of one DEX file (lazy, bounds-checked)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        size = len(data)
        if size < HEADER_SIZE:
            raise DexFormatError(f"file is {size} bytes, shorter than the 112-byte DEX header")
        magic = data[:8]
        if magic[:4] != b"dex\n" or magic[7] != 0 or not magic[4:7].isdigit():
            raise DexFormatError(f"bad DEX magic {magic!r}")
        self.version = int(magic[4:7])
        (endian,) = _U32.unpack_from(data, 0x28)
        if endian != ENDIAN_CONSTANT:
            raise DexFormatError(f"unsupported endian tag 0x{endian:08x}")
        (file_size,) = _U32.unpack_from(data, 0x20)
        if file_size > size:
            raise DexFormatError(f"header file_size {file_size} is larger than the {size} bytes present")
        if self.version >= 41:  # DEX 041 "container": accept it when it holds a single DEX (as smali does)
            (header_size,) = _U32.unpack_from(data, 0x24)
            if header_size >= 0x78 and _U32.unpack_from(data, 0x70)[0] != file_size:
                raise DexFormatError("DEX 041 container with several DEX files is not supported")
        fields = struct.unpack_from("<14I", data, 0x38)
        self.string_count, self.string_ids_off = self._table("string_ids", fields[0], fields[1], 4)
        self.type_count, self.type_ids_off = self._table("type_ids", fields[2], fields[3], 4)
        self.proto_count, self.proto_ids_off = self._table("proto_ids", fields[4], fields[5], 12)
        self.field_count, self.field_ids_off = self._table("field_ids", fields[6], fields[7], 8)
        self.method_count, self.method_ids_off = self._table("method_ids", fields[8], fields[9], 8)
        self.class_count, self.class_defs_off = self._table("class_defs", fields[10], fields[11], 32)
        # Everything reached through an offset (string data, class data, code) lives in the data
        # section; ART's verifier rejects offsets elsewhere, and so do we (it also stops offsets
        # that point back into the header or the id tables).
        self.data_size, self.data_off = fields[12], fields[13]
        if self.data_off < HEADER_SIZE or self.data_off + self.data_size > size:
            raise DexFormatError(f"data section ({self.data_size} bytes at 0x{self.data_off:x}) is outside the file")
        self._validate_ids()
        self._string_cache: dict[int, str] = {}
        self._type_cache: dict[int, str] = {}

    # -- validation -------------------------------------------------------------------------
    def _table(self, name: str, count: int, off: int, item: int) -> tuple[int, int]:
        if count and (off < HEADER_SIZE or off + count * item > len(self.data)):
            raise DexFormatError(
                f"{name} table ({count} items at 0x{off:x}) runs past the end of the {len(self.data)}-byte file"
            )
        return count, off

    def _slice(self, off: int, count: int, item: int) -> bytes:
        return self.data[off : off + count * item]

    def _validate_ids(self) -> None:
        """Check every index in the id tables at C speed, so later lookups cannot go astray."""
        self._str_offs = _ints("I", self._slice(self.string_ids_off, self.string_count, 4))
        if self._str_offs and not (self.in_data(min(self._str_offs)) and self.in_data(max(self._str_offs))):
            bad = max(range(self.string_count), key=lambda i: not self.in_data(self._str_offs[i]))
            raise DexFormatError(f"string_ids[{bad}] points to 0x{self._str_offs[bad]:x}, outside the data section")
        self._type_desc = _ints("I", self._slice(self.type_ids_off, self.type_count, 4))
        if self._type_desc and max(self._type_desc) >= self.string_count:
            raise DexFormatError("a type_id refers to a string index out of range")
        protos = _ints("I", self._slice(self.proto_ids_off, self.proto_count, 12))
        if protos and (max(protos[0::3]) >= self.string_count or max(protos[1::3]) >= self.type_count):
            raise DexFormatError("a proto_id refers to a string or type index out of range")
        self._proto_ret = protos[1::3]
        self._proto_params = protos[2::3]
        fids16 = _ints("H", self._slice(self.field_ids_off, self.field_count, 8))
        fids32 = _ints("I", self._slice(self.field_ids_off, self.field_count, 8))
        if fids16 and (max(fids16[0::4]) >= self.type_count or max(fids16[1::4]) >= self.type_count):
            raise DexFormatError("a field_id refers to a type index out of range")
        if fids32 and max(fids32[1::2]) >= self.string_count:
            raise DexFormatError("a field_id refers to a string index out of range")
        self._field_class, self._field_type, self._field_name = fids16[0::4], fids16[1::4], fids32[1::2]
        mids16 = _ints("H", self._slice(self.method_ids_off, self.method_count, 8))
        mids32 = _ints("I", self._slice(self.method_ids_off, self.method_count, 8))
        if mids16 and (max(mids16[0::4]) >= self.type_count or max(mids16[1::4]) >= self.proto_count):
            raise DexFormatError("a method_id refers to a type or proto index out of range")
        if mids32 and max(mids32[1::2]) >= self.string_count:
            raise DexFormatError("a method_id refers to a string index out of range")
        self._method_class, self._method_proto, self._method_name = mids16[0::4], mids16[1::4], mids32[1::2]
        cdefs = _ints("I", self._slice(self.class_defs_off, self.class_count, 32))
        self.class_type_idx = cdefs[0::8]
        self.class_data_offs = cdefs[6::8]
        if self.class_type_idx and max(self.class_type_idx) >= self.type_count:
            raise DexFormatError("a class_def refers to a type index out of range")
        for i, off in enumerate(self.class_data_offs):
            if off and not self.in_data(off):
                raise DexFormatError(f"class_defs[{i}] class_data_off 0x{off:x} is outside the data section")

    def in_data(self, off: int) -> bool:
        """True when ``off`` lies inside the data section (and so inside the file)."""
        return self.data_off <= off < self.data_off + self.data_size

    # -- strings ----------------------------------------------------------------------------
    def string_bounds(self, idx: int) -> tuple[int, int]:
        """(start, end) of the MUTF-8 bytes of string ``idx`` (without the uleb length and NUL)."""
        if not 0 <= idx < self.string_count:
            raise DexFormatError(f"string index {idx} out of range")
        data = self.data
        pos = self._str_offs[idx]
        for _ in range(5):  # skip the uleb128 utf16_size
            if pos >= len(data):
                raise DexFormatError(f"string_data for string {idx} runs past the end of the file")
            byte = data[pos]
            pos += 1
            if byte < 0x80:
                break
        end = data.find(b"\x00", pos)
        if end < 0:
            raise DexFormatError(f"string {idx} has no terminating NUL")
        return pos, end

    def string_raw(self, idx: int) -> bytes:
        start, end = self.string_bounds(idx)
        return self.data[start:end]

    def string(self, idx: int) -> str:
        cached = self._string_cache.get(idx)
        if cached is None:
            cached = self._string_cache[idx] = decode_mutf8(self.string_raw(idx))
        return cached

    def find_string(self, text: str) -> int | None:
        """Index of ``text`` in the sorted string table, or None."""
        idx = self._lower_bound(_utf16_key(text))
        if idx < self.string_count and self.string(idx) == text:
            return idx
        return None

    def strings_with_prefix(self, prefix: str) -> range:
        """Indices of all strings starting with ``prefix`` (contiguous in the sorted table)."""
        start = self._lower_bound(_utf16_key(prefix))
        end = start
        while end < self.string_count and self.string(end).startswith(prefix):
            end += 1
        return range(start, end)

    def _lower_bound(self, key: bytes) -> int:
        lo, hi = 0, self.string_count
        while lo < hi:
            mid = (lo + hi) // 2
            if _utf16_key(self.string(mid)) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def string_offsets(self) -> array:
        """``string_data_off`` of every string (used to map a byte position back to a string)."""
        return self._str_offs

    # -- types, protos, fields, methods -----------------------------------------------------
    def type_name(self, idx: int) -> str:
        cached = self._type_cache.get(idx)
        if cached is None:
            if not 0 <= idx < self.type_count:
                raise DexFormatError(f"type index {idx} out of range")
            cached = self._type_cache[idx] = self.string(self._type_desc[idx])
        return cached

    def find_type(self, descriptor: str) -> int | None:
        sidx = self.find_string(descriptor)
        if sidx is None:
            return None
        pos = bisect_left(self._type_desc, sidx)
        if pos < self.type_count and self._type_desc[pos] == sidx:
            return pos
        return None

    def proto(self, idx: int) -> tuple[tuple[str, ...], str]:
        """(parameter descriptors, return descriptor) of proto ``idx``."""
        if not 0 <= idx < self.proto_count:
            raise DexFormatError(f"proto index {idx} out of range")
        ret = self.type_name(self._proto_ret[idx])
        off = self._proto_params[idx]
        if not off:
            return (), ret
        if off + 4 > len(self.data):
            raise DexFormatError(f"proto {idx} parameter list at 0x{off:x} is past the end of the file")
        (count,) = _U32.unpack_from(self.data, off)
        if off + 4 + 2 * count > len(self.data):
            raise DexFormatError(f"proto {idx} parameter list runs past the end of the file")
        types = _ints("H", self.data[off + 4 : off + 4 + 2 * count])
        return tuple(self.type_name(t) for t in types), ret

    def method_ref(self, idx: int) -> MethodRef:
        if not 0 <= idx < self.method_count:
            raise DexFormatError(f"method index {idx} out of range")
        params, ret = self.proto(self._method_proto[idx])
        return MethodRef(self.type_name(self._method_class[idx]), self.string(self._method_name[idx]), params, ret)

    def method_name_idx(self, idx: int) -> int:
        return self._method_name[idx]

    def method_proto_idx(self, idx: int) -> int:
        if not 0 <= idx < self.method_count:
            raise DexFormatError(f"method index {idx} out of range")
        return self._method_proto[idx]

    def field_ref(self, idx: int) -> tuple[str, str, str]:
        """(class descriptor, name, type descriptor) of field ``idx``."""
        if not 0 <= idx < self.field_count:
            raise DexFormatError(f"field index {idx} out of range")
        return (
            self.type_name(self._field_class[idx]),
            self.string(self._field_name[idx]),
            self.type_name(self._field_type[idx]),
        )

    def find_methods(self, class_desc: str, name: str) -> list[int]:
        """method_id indices with this class and name (any prototype)."""
        return self._find_members(self._method_class, self._method_name, class_desc, name)

    def find_fields(self, class_desc: str, name: str) -> list[int]:
        """field_id indices with this class and name (any type)."""
        return self._find_members(self._field_class, self._field_name, class_desc, name)

    def _find_members(self, classes: array, names: array, class_desc: str, name: str) -> list[int]:
        tidx = self.find_type(class_desc)
        if tidx is None:
            return []
        sidx = self.find_string(name)
        if sidx is None:
            return []
        # Tables are sorted by (class, name, ...): the members of one class are contiguous.
        start = bisect_left(classes, tidx)
        hits = []
        for i in range(start, len(classes)):
            if classes[i] != tidx:
                break
            if names[i] == sidx:
                hits.append(i)
        return hits
