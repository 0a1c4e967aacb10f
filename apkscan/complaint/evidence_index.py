"""The optional index file of an evidence folder: ``path,kind,description,date`` rows written by the borrower.

Why CSV: a borrower (or a helper) can fill it in any spreadsheet or on a phone, and it wins over every guess, so a
screenshot of a transfer can be filed as ``transfer`` and described. Rules: an optional header row (first cell
``path``, ``file``, ``文件``, ``路径`` or ``文件名``); ``path`` relative to the folder with ``/`` (``\\`` accepted);
``kind`` a kind id or any folder synonym (``截图``) or empty to let the folder and extension decide; ``description``
free text; ``date`` ``YYYY-MM-DD`` or empty. A bad row stops the inventory with the line number; a row naming a
file that is not in the folder is only reported (the borrower may have removed it).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from apkscan.complaint.errors import EvidenceError
from apkscan.complaint.evidence_data import EvidenceKinds
from apkscan.complaint.fsutil import printable

MAX_INDEX_BYTES = 1 << 20
_HEADER_WORDS = ("path", "file", "文件", "路径", "文件名")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class IndexRow:
    path: str  # normalised relative path, "/"-separated
    kind: str  # a kind id, or "" to let the folder and extension decide
    description: str
    date: str  # YYYY-MM-DD or ""
    line: int


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EvidenceError(f"{name}: not a text file (save it as CSV, UTF-8)")


def normalise_path(text: str) -> str | None:
    """``a\\b/./c`` -> ``a/b/c``; None when the path leaves the folder, is absolute or empty."""
    text = text.replace("\\", "/")
    if text.startswith("/") or re.match(r"[A-Za-z]:", text):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _row(cells: list[str], where: str, kinds: EvidenceKinds, line: int) -> IndexRow:
    cells = [c.strip() for c in cells] + ["", "", ""]
    path_text, kind_text, description, day = cells[:4]
    if any(c for c in cells[4:]):
        raise EvidenceError(f"{where}: expected at most four cells: path,kind,description,date")
    path = normalise_path(path_text)
    if path is None:
        raise EvidenceError(f"{where}: path '{printable(path_text)[:80]}' must be relative and stay inside the folder")
    kind = ""
    if kind_text:
        kind = kinds.resolve(kind_text) or ""
        if not kind:
            raise EvidenceError(
                f"{where}: kind '{printable(kind_text)[:40]}' is not known (use one of: {', '.join(kinds.kinds)})"
            )
    if day:
        try:
            if not _DATE.fullmatch(day):
                raise ValueError
            date.fromisoformat(day)
        except ValueError:
            raise EvidenceError(f"{where}: date '{printable(day)[:40]}' is not a date of the form YYYY-MM-DD") from None
    return IndexRow(path, kind, " ".join(description.split()), day, line)


def parse_index(raw: bytes, name: str, kinds: EvidenceKinds) -> dict[str, IndexRow]:
    """Parse index bytes into rows keyed by path; ``name`` is used in one-line :class:`EvidenceError` messages."""
    if len(raw) > MAX_INDEX_BYTES:
        raise EvidenceError(f"{name}: larger than {MAX_INDEX_BYTES // 1024} KiB")
    reader = csv.reader(io.StringIO(_decode(raw, name), newline=""))
    rows: dict[str, IndexRow] = {}
    seen_first, previous = False, 0
    while True:
        line = previous + 1  # a quoted cell may span lines: a record starts after the previous one ended
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise EvidenceError(f"{name} line {line}: not a CSV row ({exc})") from None
        previous = reader.line_num
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        first, seen_first = not seen_first, True
        if first and cells[0].strip().casefold() in _HEADER_WORDS:
            continue
        row = _row(cells, f"{name} line {line}", kinds, line)
        if row.path in rows:
            raise EvidenceError(f"{name} line {line}: '{printable(row.path)[:80]}' is listed twice")
        rows[row.path] = row
    return rows
