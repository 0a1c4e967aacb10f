"""Reading policy files: encodings, formats, hostile HTML and bad input."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apkscan.evaluate.policy.analysis import analyse_policy
from apkscan.extract.policy.sentences import detect_language, split_sentences
from apkscan.read.policy.file import (
    MIB,
    TEXT_BUDGET,
    PolicyInputError,
    read_policy_bytes,
    read_policy_file,
)

ZH = "一、我们收集的信息\n为进行风控审核，我们会读取您的通讯录。我们不会读取您的短信。\n"


def test_empty_file_is_refused_with_its_name(tmp_path: Path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    with pytest.raises(PolicyInputError, match=r"empty\.html: empty file"):
        read_policy_file(path)


def test_whitespace_only_file_is_empty(tmp_path: Path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n")
    with pytest.raises(PolicyInputError, match="empty"):
        read_policy_file(path)


def test_binary_file_with_nul_bytes_is_refused(tmp_path: Path):
    path = tmp_path / "policy.txt"
    path.write_bytes(os.urandom(4096) + b"\x00\x00\x00" + os.urandom(4096))
    with pytest.raises(PolicyInputError, match=r"policy\.txt: binary data"):
        read_policy_file(path)


@pytest.mark.parametrize(("magic", "what"), [(b"PK\x03\x04", "ZIP"), (b"%PDF-1.7", "PDF"), (b"\x89PNG\r\n", "PNG")])
def test_known_binary_formats_are_named(magic: bytes, what: str):
    with pytest.raises(PolicyInputError, match=what):
        read_policy_bytes(magic + b"rest of file" * 10, "download.html")


def test_missing_file_and_directory_give_one_line_errors(tmp_path: Path):
    with pytest.raises(PolicyInputError, match="no such file"):
        read_policy_file(tmp_path / "nope.html")
    with pytest.raises(PolicyInputError, match="is a directory"):
        read_policy_file(tmp_path)


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "gb2312"])
def test_chinese_legacy_encodings_are_detected(codec: str):
    doc = read_policy_bytes(ZH.encode(codec), "policy.txt")
    assert doc.encoding == "gb18030"
    assert any("通讯录" in b.text for b in doc.blocks)
    assert doc.warnings == ()


def test_gb18030_four_byte_characters_decode():
    text = ZH + "生僻字：𠀀𪚥。\n"
    doc = read_policy_bytes(text.encode("gb18030"), "policy.txt")
    assert "𠀀𪚥" in "".join(b.text for b in doc.blocks)


def test_big5_traditional_chinese_is_detected():
    text = "一、我們收集的資訊\n為進行風險控制，我們會讀取您的通訊錄。\n"
    doc = read_policy_bytes(text.encode("big5"), "policy.txt")
    assert doc.encoding == "big5"
    assert "通訊錄" in doc.blocks[-1].text


def test_html_meta_charset_is_used_as_a_hint():
    html = '<html><head><meta charset="gbk"></head><body><p>我们会收集您的位置信息。</p></body></html>'
    doc = read_policy_bytes(html.encode("gbk"), "page")
    assert doc.kind == "html" and doc.encoding == "gb18030"
    assert doc.blocks[0].text == "我们会收集您的位置信息。"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_with_and_without_bom(codec: str):
    doc = read_policy_bytes(ZH.encode(codec), "policy.txt")
    assert "我们会读取您的通讯录" in "".join(b.text for b in doc.blocks)


def test_the_corpus_gb18030_file_reads_as_chinese():
    path = Path(__file__).parent / "policy_corpus" / "zh_04_gb18030.txt"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = read_policy_file(path)
    assert doc.encoding == "gb18030" and doc.kind == "text"
    assert detect_language(" ".join(b.text for b in doc.blocks)) == "zh"


def test_html_keeps_headings_lists_and_table_headers():
    html = b"""<html><body><h2>Data we collect</h2><p>We collect:</p><ul><li>your contacts</li></ul>
    <p><strong>Permissions</strong></p><table><tr><th>Permission</th><th>Purpose</th></tr>
    <tr><td>Camera</td><td>KYC</td></tr></table><script>alert('SMS')</script><style>p{}</style></body></html>"""
    doc = read_policy_bytes(html, "p.html")
    assert [(b.section, b.text, b.role) for b in doc.blocks] == [
        ("Data we collect", "We collect:", "text"),
        ("Data we collect", "your contacts", "item"),
        ("Permissions", "Permission: Camera | Purpose: KYC", "row"),
    ]


def test_html_line_wrapping_inside_chinese_text_is_joined():
    doc = read_policy_bytes("<p>我们会读取您的通\n      讯录。</p>".encode(), "p.html")
    assert doc.blocks[0].text == "我们会读取您的通讯录。"


def test_billion_laughs_does_not_expand(tmp_path: Path):
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol0 "lol">{entities}]>'
        "<html><body><p>We collect your location. &lol9;</p></body></html>"
    )
    path = tmp_path / "bomb.html"
    path.write_text(bomb)
    started = time.perf_counter()
    doc = read_policy_file(path)
    assert time.perf_counter() - started < 30  # a hang guard: expanding the entities would never finish
    text = " ".join(b.text for b in doc.blocks)
    assert "lollol" not in text and "]>" not in text
    assert "We collect your location." in text


def test_external_entity_and_dtd_are_not_loaded(tmp_path: Path):
    xxe = (
        '<!DOCTYPE html SYSTEM "http://127.0.0.1:9/evil.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<html><body><p>Policy: &xxe; end.</p></body></html>"
    )
    path = tmp_path / "xxe.html"
    path.write_text(xxe)
    text = " ".join(b.text for b in read_policy_file(path).blocks)
    assert "root:" not in text and "/bin/" not in text
    assert text == "Policy: end."


def test_fifty_megabyte_html_gets_a_quick_partial_analysis(tmp_path: Path):
    path = tmp_path / "huge.html"
    para = "<p>为进行风控审核，我们会读取您的通讯录。We never read your SMS.</p>\n".encode()
    with path.open("wb") as fh:
        fh.write(b"<html><body><h1>Privacy</h1>")
        chunk = para * (MIB // len(para))
        for _ in range(51):
            fh.write(chunk)
        fh.write(b"</body></html>")
    assert path.stat().st_size > 50 * MIB
    started = time.perf_counter()
    doc = read_policy_file(path)
    analysis = analyse_policy(doc)
    elapsed = time.perf_counter() - started
    assert elapsed < 60, elapsed  # a hang guard, not a speed target (tests/bench/bench_policy.py measures speed)
    assert doc.size == path.stat().st_size
    assert any("over the size cap" in w for w in doc.warnings)
    assert any("longer than" in w for w in doc.warnings)
    assert sum(len(b.text) for b in doc.blocks) <= TEXT_BUDGET + 200
    assert analysis.status("contacts") == "collects" and analysis.status("sms") == "denies"


def test_markdown_headings_lists_and_tables():
    md = (
        "# Policy\n\n## What we collect\n\nWe collect:\n\n- **Contacts**: for [risk](https://x.example)\n\n"
        "| Data | Collected? |\n|---|---|\n| SMS | No |\n"
    )
    doc = read_policy_bytes(md.encode(), "policy.md")
    assert doc.kind == "markdown"
    assert [(b.section, b.text, b.role) for b in doc.blocks] == [
        ("What we collect", "We collect:", "text"),
        ("What we collect", "Contacts: for risk", "item"),
        ("What we collect", "Data: SMS | Collected?: No", "row"),
    ]


def test_plain_text_headings_and_hard_wrapped_english():
    text = "1. Information We Collect\nWe collect your location when you\napply for a loan.\n"
    doc = read_policy_bytes(text.encode(), "p.txt")
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("1. Information We Collect", "We collect your location when you apply for a loan.")
    ]


def test_sentences_split_on_chinese_and_english_punctuation_but_not_abbreviations():
    doc = read_policy_bytes(
        "我们会收集通讯录。我们不会读取短信！您同意吗？通讯录；短信\n"
        "We collect data, e.g. your contacts. See No. 5 of the Act. The rate is 3.5% a month. Done".encode(),
        "p.txt",
    )
    assert [s.text for s in split_sentences(doc)] == [
        "我们会收集通讯录。",
        "我们不会读取短信！",
        "您同意吗？",
        "通讯录；",
        "短信",
        "We collect data, e.g. your contacts.",
        "See No. 5 of the Act.",
        "The rate is 3.5% a month.",
        "Done",
    ]


def test_list_items_carry_their_lead_in_and_section():
    doc = read_policy_bytes(
        "<h2>我们收集的信息</h2><p>我们会收集以下信息：</p><ul><li>通讯录</li></ul>"
        "<h2>其他</h2><ul><li>短信</li></ul>".encode(),
        "p.html",
    )
    sentences = split_sentences(doc)
    assert [(s.text, s.lead) for s in sentences] == [
        ("我们会收集以下信息：", ""),
        ("通讯录", "我们会收集以下信息："),
        ("短信", "其他"),
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("我们会收集您的通讯录信息，用于风险控制和反欺诈。", "zh"),
        ("We collect your contacts to assess your credit risk.", "en"),
        ("我们会收集您的通讯录 (contacts) and we also read your SMS messages to assess credit risk.", "mixed"),
        ("Мы собираем ваши контакты и местоположение.", "unknown"),
        ("เราเก็บรวบรวมรายชื่อผู้ติดต่อของคุณ", "unknown"),
        ("Kami mengumpulkan data kontak Anda untuk penilaian kredit.", "unknown"),
        ("12345 !!!", "unknown"),
    ],
)
def test_detect_language(text: str, language: str):
    assert detect_language(text) == language


def test_unsupported_language_gets_a_clear_warning_and_a_partial_analysis():
    text = "Политика конфиденциальности. Мы собираем ваши контакты. We collect your location."
    analysis = analyse_policy(read_policy_bytes(text.encode(), "ru.txt"))
    assert analysis.language == "unknown"
    assert any("not supported" in w and "Cyrillic" in w for w in analysis.warnings)
    assert analysis.status("location") == "collects"


def test_thai_policy_is_flagged_unsupported():
    analysis = analyse_policy(read_policy_bytes("นโยบายความเป็นส่วนตัว เราเก็บรวบรวมรายชื่อผู้ติดต่อของคุณ".encode(), "th.txt"))
    assert analysis.language == "unknown" and any("Thai" in w for w in analysis.warnings)


def test_external_dtd_and_entities_are_never_fetched(tmp_path: Path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    requests: list[str] = []

    class Spy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED">')

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Spy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = (
            f'<!DOCTYPE html SYSTEM "{base}/evil.dtd" [<!ENTITY % remote SYSTEM "{base}/param.dtd"> %remote;'
            f'<!ENTITY ext SYSTEM "{base}/ext.txt">]><html><body><p>Hello &ext; &leak;</p></body></html>'
        )
        path = tmp_path / "spy.html"
        path.write_text(page)
        text = " ".join(b.text for b in read_policy_file(path).blocks)
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
    assert "LEAKED" not in text and text == "Hello"
