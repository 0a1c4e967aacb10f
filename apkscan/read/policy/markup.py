"""Turn policy text (HTML, plain text or Markdown) into blocks that remember their heading.

HTML is parsed with lxml with network access, DTD loading and entity expansion off (entity bombs and external DTDs
are normal in hostile input); scripts and styles are dropped; headings, list items and table rows are kept apart
because list items often borrow their verb from the line that introduces them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

TEXT_BUDGET = 400_000  # characters (~130 dense pages); real policies are far shorter, a bloated page is cut


@dataclass(frozen=True)
class Block:
    """One paragraph, list item or table row, with the heading it sits under.

    ``role`` is "text", "item" (list item) or "row" (table row): items and rows often carry no verb of their own
    ("通讯录：用于风控") and borrow it from their heading or lead-in, so the analyser needs to know which is which.
    """

    section: str
    text: str
    role: str = "text"


# --------------------------------------------------------------------------------------------- classifying
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|ul|ol|table|br)\b", re.I)
_MD_SNIFF = re.compile(r"^(?:#{1,6} \S|\|.*\|\s*$|\s*[-*+] \S|\*\*[^*\n]+\*\*\s*$)", re.M)


def classify(text: str, source: str, kind: str | None) -> str:
    suffix = Path(source.split("?", 1)[0]).suffix.lower()
    if kind in ("html", "text", "markdown"):
        return kind
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    head = text[:8192]
    if _HTML_SNIFF.search(head):
        return "html"
    if suffix != ".txt" and len(_MD_SNIFF.findall(head)) >= 3:
        return "markdown"
    return "text"


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\x00(?=[{_CJK}])")
_WRAP = re.compile(r"[ \t]*\r?\n\s*")


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", text.replace("\u200b", "")).strip()


def _unwrap(text: str) -> str:
    """Join source line-wrapping: nothing between two Chinese characters, a space elsewhere."""
    return _CJK_GAP.sub("", _WRAP.sub("\x00", text)).replace("\x00", " ") if "\n" in text else text


# --------------------------------------------------------------------------------------------- HTML
_DROP = ("script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "button", "select")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = frozenset(
    "p div ul ol dl section article header footer main aside nav blockquote pre form fieldset address figure "
    "figcaption details summary body html center caption hr".split()
)
_ITEM_TAGS = {"li", "dt", "dd"}
_LEFTOVER_ENTITY = re.compile(r"&[A-Za-z][\w.-]{0,30};")  # references to entities we refused to define
# A DOCTYPE with an internal subset is where entity bombs live; the HTML parser ignores it but leaks "]>" as text.
# Only the prologue is looked at: searching the whole text for "<!DOCTYPE [" made it quadratic (a 350 kB page of
# them took 80 s), and a DOCTYPE further down is just text that lxml does not expand either.
_PROLOGUE_RE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)?", re.I | re.S)


def _html_parser() -> etree.HTMLParser:
    """A parser that can neither fetch nor expand: no network, no DTD, no entity resolution, no huge trees."""
    return lxml_html.HTMLParser(  # type: ignore[call-arg]  # lxml-stubs lack default_doctype
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        recover=True,
        default_doctype=False,
    )


def _text_of(el: etree._Element) -> str:
    return _clean(_unwrap("".join(t for t in el.itertext() if isinstance(t, str))))


def _is_bold_heading(el: etree._Element) -> bool:
    """<p><strong>Title</strong></p> is how many CMS editors write headings."""
    kids = [k for k in el if isinstance(k.tag, str)]
    return (
        len(kids) == 1
        and kids[0].tag in ("strong", "b")
        and not (el.text or "").strip()
        and not (kids[0].tail or "").strip()
        and 0 < len(_text_of(kids[0])) <= 80
    )


def _table_rows(table: etree._Element) -> Iterator[str]:
    """Each row becomes "header: cell | header: cell" so that a cell keeps the meaning its column gives it."""
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    header: list[str] = []
    for tr in rows:
        cells = [c for c in tr if c.tag in ("td", "th")]
        texts = [_text_of(c) for c in cells]
        if not header and cells and all(c.tag == "th" for c in cells):
            header = texts
            continue
        if header and len(header) == len(texts):
            parts = [f"{h}: {t}" if h else t for h, t in zip(header, texts, strict=True) if t]
        else:
            parts = [t for t in texts if t]
        if parts:
            yield " | ".join(parts)
    if header and len(rows) == 1:
        yield " | ".join(header)


class _Blocks:
    """Collects blocks up to the text budget, so a bloated page cannot make the analysis slow."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.section = ""
        self.size = 0

    @property
    def full(self) -> bool:
        return self.size >= TEXT_BUDGET

    def add(self, text: str, role: str) -> None:
        if text and not self.full:
            text = text[: TEXT_BUDGET - self.size]  # one giant paragraph must not carry the whole file downstream
            self.blocks.append(Block(self.section, text, role))
            self.size += len(text)


class _HtmlWalker(_Blocks):
    """Iterative walk (deep nesting must not hit Python's recursion limit) that flushes text at block edges."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer: list[str] = []

    def flush(self, role: str = "text") -> None:
        text = _LEFTOVER_ENTITY.sub("", "".join(self.buffer))
        self.buffer.clear()
        self.add("\n".join(_clean(line) for line in text.split("\n")).strip(), role)

    def walk(self, root: etree._Element) -> None:
        stack: list[tuple[etree._Element, bool]] = [(root, False)]
        while stack and not self.full:
            el, done = stack.pop()
            tag = el.tag if isinstance(el.tag, str) else ""
            if done:
                if tag in _ITEM_TAGS or tag in _BLOCK_TAGS or tag in ("td", "th", "tr"):
                    self.flush("item" if tag in _ITEM_TAGS else "text")
                self.buffer.append(_unwrap(el.tail or ""))
                continue
            if tag in _HEADINGS or (tag == "p" and _is_bold_heading(el)):
                self.flush()
                self.section = _text_of(el)
                stack.append((el, True))
                continue
            if tag == "table":
                self.flush()
                for row in _table_rows(el):
                    self.add(row, "row")
                stack.append((el, True))
                continue
            if tag in _BLOCK_TAGS or tag in _ITEM_TAGS:
                self.flush()
            elif tag == "br":
                self.buffer.append("\n")
            if tag:
                self.buffer.append(_unwrap(el.text or ""))
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        self.flush()


def parse_html(text: str) -> _Blocks:
    text = _PROLOGUE_RE.sub("", text, count=1)
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), _html_parser())
    except etree.LxmlError:
        return _Blocks()
    walker = _HtmlWalker()
    if root is not None:
        # Removed inside libxml2, keeping each element's tail: lxml's drop_tree() re-sets the parent's text from
        # Python, which refuses the control characters the parser itself accepted (a crash found by fuzzing).
        etree.strip_elements(root, *_DROP, with_tail=False)
        walker.walk(root)
    return walker


# --------------------------------------------------------------------------------------------- text & Markdown
_ITEM_RE = re.compile(r"^\s*(?:[-*+•·▪●◆■]|\(?\d{1,3}[.)、]|（\d{1,3}）|[①-⑳]|[a-z][.)])\s*(?=\S)")
_ZH_HEADING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零\d]+[章条节部分]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"
)
_OUTLINE_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s|[^\d.])")


def outline_depth(heading: str) -> int:
    """How deep a numbered heading sits in its outline ("1.6.1 收集的信息": 3, "2.Data we collect": 1); 0 when it
    is not numbered."""
    number = _OUTLINE_RE.match(heading)
    return number.group(1).count(".") + 1 if number else 0


_MD_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_INLINE = (
    # Link and image text may not hold brackets, nor their target parentheses: each attempt then stops at the next
    # bracket or parenthesis, where "[[[[…" used to rescan the rest of the line from every "[" (quadratic).
    (re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),
    (re.compile(r"(\*\*|__|`)"), ""),
    (re.compile(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)"), r"\1"),
    (re.compile(r"<[^>]{1,200}>"), ""),
)
_TERMINAL = tuple("。！？；.!?;:：")
_HAN = re.compile("[\u3400-\u9fff]")


def _looks_like_heading(line: str) -> bool:
    if len(line) > 40 or line.endswith(_TERMINAL) or line.endswith(("，", ",")) or line.count("|") >= 2:
        return False  # a sentence, or a table row flattened to "a | b | c"
    if _ZH_HEADING_RE.match(line):
        return True
    words = line.split()
    if re.search(r"[:：]\s*\S\S", line):
        return False  # "1. **基本信息**：包括您的姓名…": a labelled list item, not a numbered heading
    if re.match(r"^\d+(\.\d+)*\.?\s+\S", line) and len(words) <= 8:
        return True
    # ALL-CAPS English headings; "收集信息：设备标识符（OAID）" is upper-case only by its few Latin letters
    return line.isupper() and len(words) <= 8 and not _HAN.search(line) and not re.search("[:：]", line[:-1])


def _md_inline(line: str) -> str:
    for pattern, repl in _MD_INLINE:
        line = pattern.sub(repl, line)
    return line


def _join(a: str, b: str) -> str:
    return a + b if (a[-1:] and ord(a[-1]) > 0x2E7F) or (b[:1] and ord(b[0]) > 0x2E7F) else f"{a} {b}"


def _md_table_row(line: str, header: list[str]) -> str:
    cells = [_clean(_md_inline(c)) for c in line.strip().strip("|").split("|")]
    pairs = zip(header, cells, strict=True) if len(header) == len(cells) else (("", c) for c in cells)
    return " | ".join(f"{h}: {c}" if h else c for h, c in pairs if c)


class LineParser(_Blocks):
    """Paragraphs, list items, headings and (Markdown) pipe tables from a line-oriented document."""

    def __init__(self, markdown: bool) -> None:
        super().__init__()
        self.markdown = markdown
        self.para = ""
        self.role = "text"
        self.header: list[str] = []
        self.after_colon = False  # lines after "我们会收集以下信息：" are items of that list
        self.list_marked: bool | None = None  # whether that list uses bullets/numbers
        self.outline: list[tuple[int, str]] = []  # the numbered headings above this line: (depth, text)
        self.unnumbered = ""  # the last heading without a number, parent of the top numbered ones
        self.bodiless: tuple[int, str, str] | None = None  # a numbered heading nothing was written under yet

    def add(self, text: str, role: str) -> None:
        if text:
            self.bodiless = None
        super().add(text, role)

    def flush(self) -> None:
        self.add(_clean(self.para), self.role)
        self.para = ""

    def heading(self, text: str) -> None:
        """A new section. A numbered heading with nothing under it, followed by a sibling or a shallower heading,
        was a list item all along ("1.6.1 收集的信息 / 1.6.1.1 设备型号 / 1.6.1.2 设备唯一标识符 / 1.6.2 使用目的"):
        it is kept as an item of the heading above it instead of vanishing into the section title."""
        self.flush()
        depth = outline_depth(text)
        if self.bodiless and depth and depth <= self.bodiless[0]:
            self.leaf()
        if depth:
            while self.outline and self.outline[-1][0] >= depth:
                self.outline.pop()
            parent = self.outline[-1][1] if self.outline else self.unnumbered
            self.outline.append((depth, text))
            self.bodiless = (depth, text, parent)
        else:
            self.outline, self.bodiless, self.unnumbered = [], None, text
        self.section, self.after_colon = text, False

    def leaf(self) -> None:
        """Write the bodiless numbered heading as an item under its parent heading."""
        if self.bodiless:
            _, text, parent = self.bodiless
            self.section = parent
            self.add(text, "item")

    def markdown_line(self, raw: str, line: str, nxt: str) -> str | None:
        """Handle Markdown-only syntax; return the line with inline markup removed, or None when consumed."""
        if m := _MD_HEADING_RE.match(raw):
            self.heading(_clean(_md_inline(m.group(2))))
            return None
        if len(nxt) >= 3 and (set(nxt) <= {"="} or set(nxt) <= {"-"}) and not _ITEM_RE.match(line):
            self.heading(_clean(_md_inline(line)))
            return None
        if set(line) <= {"=", "-"} or _MD_TABLE_SEP.match(line):
            return None
        if line.startswith("|"):
            if not self.header and _MD_TABLE_SEP.match(nxt):
                self.header = [_clean(_md_inline(c)) for c in line.strip("|").split("|")]
            elif row := _md_table_row(line, self.header):
                self.flush()
                self.add(row, "row")
            return None
        if re.fullmatch(r"\*\*[^*]+\*\*|__[^_]+__", line) and len(line) <= 84:
            self.heading(_clean(_md_inline(line)))
            return None
        return _clean(_md_inline(line.lstrip("> ")))

    def feed(self, raw: str, nxt: str) -> None:
        line = _clean(raw)
        if not line:
            self.flush()
            self.after_colon, self.header = False, []
            return
        if self.markdown:
            marked = self.markdown_line(raw, line, nxt)
            if marked is None:
                return
            line = marked
        elif _looks_like_heading(line) and not self.after_colon:
            self.heading(line)
            return
        item = _ITEM_RE.match(line)
        if self.after_colon:
            self.list_marked = bool(item) if self.list_marked is None else self.list_marked
            self.after_colon = bool(item) or not self.list_marked and len(line) <= 80
        if item or self.after_colon:
            self.flush()
            bullet = item.group(0).strip() if item else ""
            marked_item = item is not None and bullet and not bullet[0].isalnum()
            self.para, self.role = (line[item.end() :] if item is not None and marked_item else line), "item"
        elif self.para and not self.para.endswith(_TERMINAL) and re.match(r"[a-z(]", line):
            self.para = _join(self.para, line)  # a hard-wrapped English line continues its paragraph
            if len(self.para) >= TEXT_BUDGET - self.size:
                self.flush()  # the budget is reached inside one paragraph: stop here, not at the end of the file
        else:
            self.flush()
            self.para, self.role = line, "text"
        if line.endswith((":", "：")):
            self.after_colon, self.list_marked = True, None

    def parse(self, text: str) -> LineParser:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for i, raw in enumerate(lines):
            if self.full:
                break
            self.feed(raw, lines[i + 1].strip() if i + 1 < len(lines) else "")
        self.flush()
        self.leaf()  # the last line ("5. 读取/写入SD卡中的内容"), where a copy of a policy was cut
        return self
