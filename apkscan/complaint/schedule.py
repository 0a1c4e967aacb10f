"""Read a repayment schedule: a CSV of ``date,amount`` rows, money received negative and repayments positive.

Why a strict reader: these figures end up in a complaint, so a row that is not understood must stop the run with the
line number rather than be skipped. Tolerated on purpose, because borrowers make the file in a spreadsheet or a
phone note: a header row (a first row without any digit), a UTF-8 byte-order mark, UTF-16 or GB18030
text, blank lines, ``#`` comment lines, spaces around cells, quoted cells and trailing empty cells. Rejected:
non-ISO dates, thousands separators or currency signs in amounts, zero amounts, rows out of date order, and a
schedule that does not start with money received (a fee paid before the loan belongs on the day the money came).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from apkscan.complaint.errors import LoanCostError

MAX_SCHEDULE_BYTES = 1 << 20
MAX_ROWS = 10_000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class CashFlow:
    """One row: ``amount < 0`` is money the borrower received, ``amount > 0`` a repayment or fee paid."""

    day: date
    amount: float
    line: int  # 1-based line in the CSV, kept so later checks can point at it


def _decode(raw: bytes, source: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoanCostError(f"{source}: not valid UTF-16 text (byte {exc.start})") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoanCostError(f"{source}: not a text file (expected UTF-8 CSV rows date,amount)")


def read_schedule(path: str | Path) -> tuple[CashFlow, ...]:
    """Read and parse a schedule file; every problem is a one-line :class:`LoanCostError` naming the file."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SCHEDULE_BYTES + 1)
    except OSError as exc:
        raise LoanCostError(f"{source}: cannot read the schedule: {exc.strerror or exc}") from exc
    if len(raw) > MAX_SCHEDULE_BYTES:
        raise LoanCostError(f"{source}: larger than {MAX_SCHEDULE_BYTES // 1024} KiB; a schedule is a few rows")
    return parse_schedule(_decode(raw, source), source)


def _cells(line: str, where: str) -> list[str]:
    try:
        row = next(csv.reader([line], skipinitialspace=True), [])
    except csv.Error as exc:
        raise LoanCostError(f"{where}: not a CSV row ({exc})") from None
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _parse_row(cells: list[str], where: str) -> tuple[date, float]:
    if len(cells) != 2:
        raise LoanCostError(f"{where}: expected two cells date,amount, got {len(cells)}: {','.join(cells)[:60]!r}")
    text_date, text_amount = cells
    try:
        if not _DATE.fullmatch(text_date):
            raise ValueError
        day = date.fromisoformat(text_date)
    except ValueError:
        raise LoanCostError(f"{where}: {text_date[:40]!r} is not a date of the form YYYY-MM-DD") from None
    if not _AMOUNT.fullmatch(text_amount):
        raise LoanCostError(
            f"{where}: amount {text_amount[:40]!r} is not a number (digits and a dot only, e.g. -2100 or 800.50)"
        )
    amount = float(text_amount)
    if amount == 0 or not math.isfinite(amount):
        raise LoanCostError(f"{where}: amount must not be zero (received negative, repaid positive)")
    return day, amount


def parse_schedule(text: str, source: str = "schedule") -> tuple[CashFlow, ...]:
    """Parse CSV text into cash flows in date order; ``source`` names the file in error messages."""
    flows: list[CashFlow] = []
    seen_data = False
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source} line {number}"
        cells = _cells(line, where)
        if not seen_data and cells and not any(ch.isdigit() for cell in cells for ch in cell):
            seen_data = True  # a header row such as "date,amount" or "日期,金额"
            continue
        seen_data = True
        day, amount = _parse_row(cells, where)
        if flows and day < flows[-1].day:
            raise LoanCostError(
                f"{where}: date {day} is earlier than the row before ({flows[-1].day}); list the rows in date order"
            )
        if not flows and amount > 0:
            raise LoanCostError(
                f"{where}: the schedule must start with the money you received (a negative amount); "
                "put a fee paid before the loan on the day the money arrived"
            )
        flows.append(CashFlow(day, amount, number))
        if len(flows) > MAX_ROWS:
            raise LoanCostError(f"{source}: more than {MAX_ROWS} rows")
    if not any(flow.amount < 0 for flow in flows):
        raise LoanCostError(f"{source}: no money received (no row with a negative amount)")
    if not any(flow.amount > 0 for flow in flows):
        raise LoanCostError(f"{source}: no repayment (no row with a positive amount)")
    return tuple(flows)
