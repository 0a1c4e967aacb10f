"""Unit tests of the fast DEX reader's building blocks, checked against androguard or the spec."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from apkscan.extract.code import load_catalog
from apkscan.extract.code.catalog import java_class
from apkscan.extract.code.dexfile import DexFile, decode_mutf8
from apkscan.extract.code.instructions import WIDTHS, confirm
from apkscan.extract.code.packers import _lib_matches
from apkscan.extract.code.scan import split_params
from apkscan.extract.code.strings import classify, endpoint_categories

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "contact-raider.apk"


@pytest.fixture(scope="module")
def dex() -> DexFile:
    with zipfile.ZipFile(SAMPLE) as z:
        return DexFile(z.read("classes.dex"))


def test_widths_match_androguard() -> None:
    from androguard.core.dex import DALVIK_OPCODES_FORMAT

    for op in range(256):
        expected = DALVIK_OPCODES_FORMAT[op][0].length // 2
        assert WIDTHS[op] == expected, f"opcode 0x{op:02x}"


def units(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}H", *values)


def test_confirm_rejects_operands_and_payloads() -> None:
    invoke = units(0x106E, 0x0005, 0x0000)  # invoke-virtual {v0}, method@5
    # const-wide v0, #literal whose bytes spell the same invoke at an even offset
    const_wide = units(0x0018, 0x106E, 0x0005, 0x0000, 0x0000)
    packed = units(0x0100, 0x0002, 0x0000, 0x0000, 0x106E, 0x0005, 0x0000, 0x0000)  # 2 targets
    sparse = units(0x0200, 0x0001, 0x106E, 0x0005, 0x0000, 0x0000)
    fill = units(0x0300, 0x0001, 0x0006, 0x0000, 0x106E, 0x0005, 0x0000)  # 6 bytes of data
    code = const_wide + invoke + units(0x000E) + packed + sparse + fill + invoke
    start = 16
    data = b"\x00" * start + code
    positions = [start + i for i in range(0, len(code), 2) if code[i : i + 2] == b"\x6e\x10"]
    assert len(positions) == 6
    real = [start + 10, start + len(code) - 6]
    assert confirm(data, start, len(data), positions) == real
    assert confirm(data, start, len(data), [start + 1]) == [], "odd offsets are never instructions"


def test_confirm_stops_at_invalid_code() -> None:
    code = units(0x003E) + units(0x106E, 0x0005, 0x0000)  # unused opcode 0x3e first
    data = code
    assert confirm(data, 0, len(data), [2]) == []
    truncated = units(0x106E, 0x0005)  # invoke cut short by the end of insns
    assert confirm(truncated, 0, len(truncated), [0]) == []


def test_mutf8() -> None:
    assert decode_mutf8(b"abc") == "abc"
    assert decode_mutf8(b"a\xc0\x80b") == "a\x00b"
    assert decode_mutf8(b"\xed\xa0\xbd\xed\xb8\x80") == "\U0001f600"
    assert decode_mutf8("通讯录".encode()) == "通讯录"


def test_string_lookup_matches_full_decode(dex: DexFile) -> None:
    from androguard.core.dex import DEX

    with zipfile.ZipFile(SAMPLE) as z:
        reference = list(DEX(z.read("classes.dex")).get_strings())
    assert [dex.string(i) for i in range(dex.string_count)] == reference
    for i, text in enumerate(reference):
        assert dex.find_string(text) == i
    assert dex.find_string("no such string in this dex") is None
    prefixed = [i for i, t in enumerate(reference) if t.startswith("Lcom/example/quickcash/data/")]
    assert list(dex.strings_with_prefix("Lcom/example/quickcash/data/")) == prefixed


def test_member_lookup(dex: DexFile) -> None:
    hits = dex.find_methods("Landroid/content/ContentResolver;", "query")
    assert len(hits) == 1
    ref = dex.method_ref(hits[0])
    assert ref.descriptor == (
        "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;"
        "Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;"
    )
    assert dex.find_methods("Landroid/content/ContentResolver;", "insert") == []
    assert dex.find_methods("Lno/such/Class;", "query") == []
    (fidx,) = dex.find_fields("Landroid/provider/CallLog$Calls;", "CONTENT_URI")
    assert dex.field_ref(fidx) == ("Landroid/provider/CallLog$Calls;", "CONTENT_URI", "Landroid/net/Uri;")


def test_java_names() -> None:
    assert java_class("Lcom/example/Foo$Bar;") == "com.example.Foo$Bar"
    assert java_class("[[I") == "int[][]"
    assert java_class("[Ljava/lang/String;") == "java.lang.String[]"
    assert split_params("(I[Ljava/lang/String;J[[BLandroid/net/Uri;)V") == [
        "I",
        "[Ljava/lang/String;",
        "J",
        "[[B",
        "Landroid/net/Uri;",
    ]
    assert split_params("()V") == []


def test_string_classification() -> None:
    apis = load_catalog().apis
    assert classify("content://com.android.contacts/data/phones", apis) == ("content_uri", ("contacts",))
    assert classify("content://com.example.provider/items", apis) == ("content_uri", ())
    assert classify("https://lender.example/api/user/contacts", apis) == ("upload_endpoint", ("contacts",))
    assert classify("https://lender.example/api/sms/verify", apis) == ("url", ()), "an OTP check is not an upload"
    assert classify("api/v1/uploadSmsList", apis) == ("upload_endpoint", ("sms",))
    assert classify("https://lender.example/terms-and-privacy", apis) == ("policy_url", ())
    assert classify("Lcom/example/ContactsCollector;", apis) is None, "type descriptors are not paths"
    assert classify("vnd.android.cursor.dir/phone_v2", apis) is None
    assert classify("http://schemas.android.com/apk/res/android", apis) is None
    assert classify("hello world", apis) is None
    assert endpoint_categories("/v2/device/report") == ("phone_identity",)
    assert endpoint_categories("/v2/device/status") == ()


def test_versioned_packer_libs() -> None:
    assert _lib_matches("libshella-2.10.2.3.so", "libshella.so")
    assert _lib_matches("libjiagu.so", "libjiagu.so")
    assert not _lib_matches("libshellacker.so", "libshella.so")
    assert not _lib_matches("libjiagu.txt", "libjiagu.so")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_API = '[[api]]\nkind = "method"\nclass = "La/B;"\nname = "c"\ncategory = "sms"\nsource = "x"\n'
GOOD_SDK = (
    '[[sdk]]\nid = "s"\nname = "S"\nprefixes = ["a.b."]\nkind = "push"\nharvests = []\n'
    'source = "x"\nverification = "memory"\n'
)
GOOD_PACKER = '[[packer]]\nid = "p"\nname = "P"\nlibs = ["libp.so"]\nsource = "x"\nverification = "secondary"\n'


@pytest.mark.parametrize(
    ("which", "text", "message"),
    [
        ("apis", "[[api]\n", ": TOML syntax error"),
        ("apis", GOOD_API.replace('"sms"', '"gossip"'), ": api[0].category: 'gossip' is not one of contacts"),
        ("apis", GOOD_API.replace('source = "x"\n', ""), ": api[0].source: missing required key"),
        ("apis", GOOD_API.replace('"method"', '"opcode"'), ": api[0].kind: 'opcode' is not one of method, field"),
        ("apis", GOOD_API.replace('"La/B;"', '"a.B"'), ": api[0].class: 'a.B' is not a DEX class descriptor"),
        ("apis", GOOD_API + 'permission = "READ_SMS"\n', ": api[0].permission: 'READ_SMS' is not a full permission"),
        ("apis", "", ": api: missing required key"),
        ("sdks", GOOD_SDK.replace('"a.b."', '"a.b"'), ": sdk[0].prefixes[0]: 'a.b' is not a Java package prefix"),
        ("sdks", GOOD_SDK + GOOD_SDK, ": sdk[1].id: duplicate 's' (already at [0])"),
        ("sdks", GOOD_SDK.replace('"memory"', '"trust me"'), ": sdk[0].verification: 'trust me' is not one of"),
        ("packers", GOOD_PACKER.replace('libs = ["libp.so"]\n', ""), ": packer[0]: needs at least one of"),
    ],
)
def test_catalog_errors_name_the_file_and_key(tmp_path: Path, which: str, text: str, message: str) -> None:
    files = {"apis": GOOD_API, "sdks": GOOD_SDK, "packers": GOOD_PACKER, which: text}
    paths = {k: write(tmp_path, f"{k}.toml", v) for k, v in files.items()}
    with pytest.raises(ValueError) as err:
        load_catalog(**paths)
    assert str(err.value).startswith(str(paths[which]) + message)


def test_custom_catalog_is_used(tmp_path: Path) -> None:
    from apkscan.extract.code import scan_code

    paths = {
        "apis": write(
            tmp_path, "a.toml", GOOD_API.replace('"La/B;"', '"Lorg/json/JSONArray;"').replace('"c"', '"put"')
        ),
        "sdks": write(tmp_path, "s.toml", GOOD_SDK),
        "packers": write(tmp_path, "p.toml", GOOD_PACKER),
    }
    catalog = load_catalog(**paths)
    with zipfile.ZipFile(SAMPLE) as z:
        evidence = scan_code([("classes.dex", z.read("classes.dex"))], catalog=catalog)
    assert evidence.call_sites and {s.api for s in evidence.call_sites} == {"org.json.JSONArray.put"}
    assert {s.category for s in evidence.call_sites} == {"sms"}
