"""Reading a unit register (issue 18): the spreadsheet an analyst keeps of how units changed in the 2025
reorganisation, as a `UnitRegister`.

Its header names three columns, in any order and wording close to these: the new unit ("Tên đơn vị sau sắp xếp",
"Đơn vị mới"), the old units ("Các đơn vị trước sắp xếp", "Hình thành từ", "Đơn vị cũ") and the date ("Ngày hiệu
lực"). Old units come one per row under a merged new-unit cell (a workbook exports the merged text in its first row
only: a row with neither a new unit nor a date continues the one above), or several in one cell separated by ";",
"," + line breaks or new lines. A row with an old unit, a date and no new unit is a unit that stopped with no
successor. A row that cannot be read is skipped and listed; a file without the header is refused, nothing kept.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from analytics.ingest.sheets import load_tables, source_bytes
from analytics.ingest.sniff import reject
from analytics.ingest.values import parse_dates
from analytics.model import issues as q
from analytics.model.text_keys import plain_key
from analytics.model.unit_register import Succession, UnitRegister

SCAN_ROWS = 30
NEW, OLD, DATE = "new", "old", "date"
_HEADERS = {
    NEW: ("ten don vi sau sap xep", "don vi sau sap xep", "don vi moi", "ten don vi moi", "don vi hinh thanh",
          "don vi ke tiep", "don vi tiep nhan"),
    OLD: ("cac don vi truoc sap xep", "don vi truoc sap xep", "hinh thanh tu", "don vi cu", "ten don vi cu",
          "cac don vi cu", "sap xep tu", "hop nhat tu", "sap nhap tu"),
    DATE: ("ngay hieu luc", "hieu luc tu ngay", "hieu luc", "ngay co hieu luc", "tu ngay"),
}
_SPLIT = re.compile(r"\s*(?:;|\n|\r|,\s*\n)\s*")
_NO_SUCCESSOR = {"", "-", "–", "khong co", "khong", "cham dut", "cham dut hoat dong", "giai the", "x"}


def _text(cell) -> str | None:
    """A cell's text, None when empty."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return None
    return str(cell).strip() or None


def _column_of(text) -> str | None:
    key = plain_key(text)
    for column, phrases in _HEADERS.items():
        if any(key == p or key.startswith(p + " ") or f" {p}" in f" {key}" for p in phrases):
            return column
    return None


def _find_header(frame: pd.DataFrame) -> tuple[int, dict[str, int]] | None:
    for i in range(min(SCAN_ROWS, len(frame))):
        found: dict[str, int] = {}
        for j, cell in enumerate(frame.iloc[i].tolist()):
            column = _column_of(cell) if cell is not None else None
            if column and column not in found:
                found[column] = j
        if NEW in found and OLD in found:
            return i, found
    return None


def read_unit_register(source: str | Path | bytes, name: str | None = None) -> UnitRegister:
    """Read a unit register (path or bytes; .xlsx, .xls, .ods or .csv, judged by content). Raises FileRejected with
    a Vietnamese message when no sheet has the columns of a register."""
    data, name = source_bytes(source, name, "sổ theo dõi sắp xếp đơn vị")
    for sheet, frame in load_tables(data, name):
        header = _find_header(frame)
        if header is not None:
            successions, issues = _rows(frame, *header, sheet, name)
            if not successions:
                raise reject(q.NO_HEADER, f'Trang "{sheet}" có tiêu đề của sổ đơn vị nhưng không có dòng nào ghi đơn '
                             "vị cũ và đơn vị mới bên dưới. Hãy điền các dòng rồi tải lên lại.", name, sheet=sheet)
            return UnitRegister(name, hashlib.sha256(data).hexdigest(), successions, issues)
    raise reject(q.NO_HEADER, "Không tìm thấy sổ theo dõi sắp xếp đơn vị: không trang nào có dòng tiêu đề nêu cột đơn "
                 'vị mới ("Tên đơn vị sau sắp xếp" hoặc "Đơn vị mới") và cột đơn vị cũ ("Các đơn vị trước sắp xếp" '
                 'hoặc "Hình thành từ"), kèm cột "Ngày hiệu lực". Hãy thêm dòng tiêu đề đó rồi tải lên lại.', name)


def _rows(frame: pd.DataFrame, top: int, columns: dict[str, int], sheet: str, name: str
          ) -> tuple[list[Succession], list[q.Issue]]:
    body = frame.iloc[top + 1:]

    def cells(column: str) -> list:
        j = columns.get(column)
        return [None] * len(body) if j is None else body.iloc[:, j].tolist()

    news, olds, dates_text = ([_text(c) for c in cells(k)] for k in (NEW, OLD, DATE))
    dates, bad = parse_dates(pd.Series(dates_text, dtype=object))
    out: list[Succession] = []
    issues: list[q.Issue] = []
    current_new: str | None = None
    current_date = None
    for n, (new, old, date_text) in enumerate(zip(news, olds, dates_text)):
        row = top + n + 2
        new = new or ""
        date = dates.iloc[n].date() if not pd.isna(dates.iloc[n]) else None
        if bad.iloc[n]:
            issues.append(q.Issue(q.BAD_DATE, q.ROW, f'Ngày hiệu lực "{date_text}" không phải là ngày nên dòng này bị '
                                  "bỏ qua. Hãy ghi dạng 01/07/2025 rồi tải lên lại.", file=name, sheet=sheet, row=row,
                                  column="Ngày hiệu lực", value=str(date_text)))
            continue
        if not old:
            if new:
                current_new, current_date = new, date
            continue
        if new:
            current_new, current_date = new, date
        elif date is None and current_new is not None:
            date = current_date       # under a merged new-unit cell: the unit above
        else:
            current_new, current_date = None, date
        successor = None if plain_key(current_new or "") in _NO_SUCCESSOR else current_new
        for part in _SPLIT.split(str(old).strip()):
            if part.strip():
                out.append(Succession(part.strip(), successor, date, row))
    return out, issues
