"""Cut policy blocks into sentences and tell which language the policy is written in.

A finding quotes one sentence, so the cut decides what the borrower reads as evidence: Chinese policies end clauses
with 。！？；, English ones with . ! ? — but "e.g.", "No. 18", "3.5%" and "Co., Ltd." must not cut a sentence.
List items often have no verb of their own ("通讯录：用于风控"), so each sentence also carries its *lead*: the lead-in
line ending with a colon, or for list items and table rows the section heading, that gives it its verb.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from apkscan.read.policy.file import PolicyDocument

MAX_SENTENCE = 1500  # a run-on "sentence" longer than this is cut at a space or comma to bound matching cost


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str
    index: int
    lead: str = ""


_ABBREVIATIONS = frozenset(
    "e.g i.e etc no nos vs mr mrs ms dr inc ltd co corp art para sec fig approx incl cf al st jan feb mar apr jun "
    "jul aug sep sept oct nov dec u.s u.k p.r.c p.r a.m p.m pvt pte plc llp bhd sdn".split()
)
_CLOSERS = "”’\"'」』）)]】"
_END_RE = re.compile(rf"[。！？；!?]+[{re.escape(_CLOSERS)}]*|\.+[{re.escape(_CLOSERS)}]*(?=\s|$|[^\x00-\x7f])")
_COLONS = (":", "：")
_ENUMERATOR = re.compile(r"(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})(?:\.\d{1,3})*")


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
_NON_SPACE = re.compile(r"\S")
_MAX_ENUMERATOR = 24  # "12.3.4" numbers a list item; a longer run before a dot is not a list number


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at ``dot`` closes an abbreviation, an initial or a number like "No." rather than a sentence.

    The word is found by walking back from the dot (not by searching the text before it, which made a long line
    with many dots quadratic -- minutes for a 200 kB one-paragraph policy).
    """
    start = dot
    while start > 0 and text[start - 1] in _WORD_CHARS:
        start -= 1
    if start == dot:
        return False
    token = text[start:dot].lower()
    return token in _ABBREVIATIONS or len(token) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", token))


def _split_line(line: str) -> list[str]:
    """Cut one line at sentence ends. Linear in the line: every look around a dot is bounded or starts at the dot."""
    pieces: list[str] = []
    start = 0
    first = _first_non_space(line, 0)  # where the current piece's text begins
    for m in _END_RE.finditer(line):
        dot = m.group(0).startswith(".")
        if dot and (
            _is_abbreviation(line, m.start())
            or (m.start() - first <= _MAX_ENUMERATOR and _ENUMERATOR.fullmatch(line[first : m.start()].rstrip()))
        ):
            continue  # "e.g.", "No. 5", or the "1." / "2.3." / "a." that numbers a list item
        nxt = _NON_SPACE.search(line, m.end())
        if dot and nxt is not None and nxt.group(0).islower():
            continue  # "see section 3. below" — an English sentence starts with a capital, digit or CJK
        pieces.append(line[start : m.end()])
        start = m.end()
        first = nxt.start() if nxt is not None else len(line)
    pieces.append(line[start:])
    return [p for piece in pieces for p in _cap(piece.strip()) if p]


def _first_non_space(text: str, pos: int) -> int:
    found = _NON_SPACE.search(text, pos)
    return found.start() if found is not None else len(text)


def _cap(piece: str) -> list[str]:
    """Cut a run-on piece into chunks of at most MAX_SENTENCE characters, at a space or comma when there is one."""
    out: list[str] = []
    pos = 0
    while len(piece) - pos > MAX_SENTENCE:
        end = pos + MAX_SENTENCE
        cut = max(piece.rfind(" ", pos, end), piece.rfind("，", pos, end), piece.rfind(",", pos, end))
        cut = cut + 1 if cut > pos + MAX_SENTENCE // 2 else end
        out.append(piece[pos:cut].strip())
        pos = cut
    out.append(piece[pos:].strip())
    return out


# A labelled line ("Loan application details: …", "Device information - …", "通讯录：用于风控") or a short verb-less
# line ("Location", "定位权限") is a list item even when the page did not mark it up as one.
_LABEL_LINE = re.compile(r"^[^\s:：|][^:：|。!?！？]{0,40}?(?:[:：]|\s[-–—]\s)\s*\S")
_SHORT_ITEM = 30
_PRONOUN_LEAD = re.compile(r"^(?:these|this|they|it|such|which|that)\b.{0,30}$|^(?:其中|具体|这些|上述)", re.IGNORECASE)
_TERMINALS = tuple("。！？；.!?;")


# the numbering a heading, list item or SDK entry starts with: "2.1.2", "(3)", "四、", "b)"
NUMBERING = re.compile(
    r"^\s*(?:[(（]?\d{1,3}(?:\.\d{1,3})*[)）.、]?|[一二三四五六七八九十]{1,3}[、.]|[(（]?[a-zA-Z][)）.](?=\S))\s*"
)


def without_numbering(text: str) -> str:
    """A line without the numbering it starts with ("2.1 Device Data" -> "Device Data")."""
    return NUMBERING.sub("", text)


def is_pipe_row(line: str) -> bool:
    """A table row flattened to text: "相机 | 拍摄照片 | 扫码" (two or more cells)."""
    return line.count("|") >= 2 and sum(1 for cell in line.split("|") if cell.strip()) >= 2


def _item_like(text: str) -> bool:
    if text.endswith(_COLONS):
        return False  # a lead-in, not an item
    return bool(_LABEL_LINE.match(text)) or (len(text) <= _SHORT_ITEM and not text.endswith(_TERMINALS))


def split_sentences(doc: PolicyDocument, lead_in: Callable[[str], bool] | None = None) -> tuple[Sentence, ...]:
    """Sentences of the document in reading order, each with its section and lead-in.

    ``lead_in`` tells whether a sentence without a final colon still introduces a list ("… includes but is not
    limited to"); the analyser passes its lexicon's test so that the vocabulary stays in the data file.
    """
    out: list[Sentence] = []
    section: str | None = None
    block_lead = ""  # set by a paragraph ending in a colon; governs the list items and rows that follow it
    table_lead = ""  # the header of a table flattened to "a | b | c" lines; governs the rows below it
    for block in doc.blocks:
        if block.section != section:
            section, block_lead, table_lead = block.section, "", ""
        first_line = block.text.split("\n", 1)[0]
        row_like = block.role == "text" and is_pipe_row(first_line)
        item_like = block.role == "text" and (row_like or _item_like(first_line))
        if block.role == "text" and not item_like:
            block_lead = table_lead = ""
        inner_lead = ""  # set inside a block by "我们会收集以下信息：通讯录；短信；…"
        lines = block.text.split("\n")
        # A table row is one statement ("Data: SMS | Collected?: No"); cutting it at "?" would lose its meaning.
        whole = block.role == "row" or row_like
        pieces = [p for line in lines for p in (_cap(line) if whole else _split_line(line)) if p]
        for piece in pieces:
            lead = inner_lead or block_lead or table_lead or (section if block.role != "text" or item_like else "")
            out.append(Sentence(piece, section or "", len(out), lead))
            if piece.endswith(_COLONS):
                inner_lead = piece
            elif piece.endswith(("；", ";")):
                colon = max(piece.rfind(":"), piece.rfind("："))
                inner_lead = piece[: colon + 1] if colon > 0 and not inner_lead else inner_lead
            else:
                inner_lead = ""
        if row_like and not table_lead and pieces:
            table_lead = pieces[0]
        elif block.role == "item" and pieces and pieces[-1].endswith(_COLONS):
            # an item that ends in a lead-in opens a list of its own, as the reader's items after it say
            # ("**Local only**: … We do NOT:", "本应用不会收集以下敏感信息：" inside a list)
            block_lead = pieces[-1]
        elif block.role == "text" and pieces:
            last = pieces[-1]
            # a short line can be a lead-in too ("Information we do not collect" above its list); so can a labelled
            # line that goes on to end in one
            ends_in_lead = last.endswith(_COLONS) and (not item_like or len(pieces) > 1)
            if ends_in_lead or (lead_in is not None and lead_in(last)):
                # "These may include:" says nothing alone: the sentence before it says what "these" are (a
                # definition of personal data lists examples, not practices)
                block_lead = f"{pieces[-2]} {last}" if len(pieces) > 1 and _PRONOUN_LEAD.match(last) else last
    return tuple(out)


# --------------------------------------------------------------------------------------------- language
_SCRIPTS = {
    "Han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
    "Kana": "\u3040-\u30ff",
    "Hangul": "\uac00-\ud7af",
    "Latin": "A-Za-z\u00c0-\u024f\u1e00-\u1eff",
    "Cyrillic": "\u0400-\u04ff",
    "Greek": "\u0370-\u03ff",
    "Arabic": "\u0600-\u06ff",
    "Hebrew": "\u0590-\u05ff",
    "Devanagari": "\u0900-\u097f",
    "Thai": "\u0e00-\u0e7f",
    "Khmer": "\u1780-\u17ff",
    "Myanmar": "\u1000-\u109f",
    "Bengali": "\u0980-\u09ff",
    "Tamil": "\u0b80-\u0bff",
}
_SCRIPT_RES = {name: re.compile(f"[{chars}]") for name, chars in _SCRIPTS.items()}
_LETTER = re.compile(r"[^\W\d_]")
_EN_WORDS = frozenset(
    "the and of to we you your will not is are in for with this that or by may our us be any it as on if when "
    "from can such do does have has which who use used".split()
)
_SAMPLE = 60_000  # characters; plenty to tell scripts apart


def script_profile(text: str) -> tuple[str, dict[str, float]]:
    """(verdict, weights per script). Alphabetic scripts are weighted per ~5 letters so that they compare with hanzi,
    one of which is roughly one word. The verdict is "zh", "en", "mixed" or "unknown:<script>"."""
    sample = text[:_SAMPLE]
    counts = {name: float(len(pattern.findall(sample))) for name, pattern in _SCRIPT_RES.items()}
    counts["Other"] = max(0.0, len(_LETTER.findall(sample)) - sum(counts.values()))
    counts = {k: (v if k in ("Han", "Kana", "Hangul") else v * 0.2) for k, v in counts.items() if v}
    han, latin = counts.get("Han", 0.0), counts.get("Latin", 0.0)
    others = {k: v for k, v in counts.items() if k not in ("Han", "Latin")}
    top_other = max(others, key=others.__getitem__, default="")
    if han + latin == 0:
        return ("unknown:" + (top_other or "none")), counts
    if others.get(top_other, 0) > han + latin or counts.get("Kana", 0) > 0.15 * max(han, 1):
        return "unknown:" + ("Japanese" if counts.get("Kana", 0) > 0.15 * max(han, 1) else top_other), counts
    share = han / (han + latin)
    if share < 0.8:
        words = re.findall(r"[A-Za-z]+", sample)
        if words and sum(w.lower() in _EN_WORDS for w in words) / len(words) < 0.15 and share < 0.2:
            return "unknown:Latin (not English)", counts
    return ("zh" if share >= 0.8 else "en" if share <= 0.2 else "mixed"), counts


def detect_language(text: str) -> str:
    """ "zh", "en", "mixed" (both substantial) or "unknown" (no letters, or another language dominates)."""
    verdict = script_profile(text)[0]
    return "unknown" if verdict.startswith("unknown") else verdict
