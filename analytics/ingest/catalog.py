"""Reading a procedure catalog (danh mục TTHC) workbook: its header, the procedures and their time limits.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analytics.ingest import headers as h
from analytics.ingest.sheets import load_tables, source_bytes
from analytics.ingest.values import clean_text, masked_issue
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.procedure_catalog import (
    COLUMN_LABELS,
    COLUMNS,
    FEE,
    TEXT_COLUMNS,
    TIME_LIMIT_DAYS,
    TIME_LIMIT_TEXT,
    Catalog,
    code_keys,
)

_HEADER_RULES = [
    (s.PROCEDURE_CODE, r"ma (tthc|thu tuc( hanh chinh)?|so( tthc| thu tuc)?)"),
    (s.PROCEDURE_NAME, r"(ten )?(tthc|thu tuc( hanh chinh)?)"),
    (s.FIELD, r"(ten )?linh vuc"),
    (s.LEVEL, r"cap( thuc hien| giai quyet| co tham quyen)?"),
    (TIME_LIMIT_TEXT, r"thoi (han|gian)( giai quyet| xu ly| thuc hien)?"),
    (FEE, r"(muc )?(phi( le phi)?|le phi)"),
]
_HEADER_PATTERNS = [(name, re.compile(pattern)) for name, pattern in _HEADER_RULES]

# Time limits, matched against the text without diacritics (plain_key).
_NO_LIMIT = re.compile(r"khong quy dinh( .*)?")
_SAME_DAY = re.compile(r"(ngay )?trong ngay( .*)?")
_DAYS = re.compile(r"((khong qua|toi da|trong( vong| thoi han)?) )?(?P<days>\d+)( ngay( lam viec)?( .*)?)?")
_WHOLE_NUMBER = re.compile(r"\s*(?P<days>\d+)[.,]0*\s*")  # "15.0" from a numeric cell
_NUMBER_CELL = re.compile(r"\(?\s*\d+\s*\)?")


def catalog_field_for(text) -> str | None:
    """The catalog column a header names ("Mã TTHC" -> procedure_code), or None."""
    key = h.header_key(text)
    return next((name for name, pattern in _HEADER_PATTERNS if pattern.fullmatch(key)), None)


def time_limit_days(text: str) -> int | None:
    """'15 ngày làm việc' -> 15, 'Trong ngày' -> 0, 'Không quy định' -> None; ValueError when unreadable."""
    key = h.plain_key(text)
    if _NO_LIMIT.fullmatch(key):
        return None
    if _SAME_DAY.fullmatch(key):
        return 0
    match = _WHOLE_NUMBER.fullmatch(str(text)) or _DAYS.fullmatch(key)
    if match is None:
        raise ValueError(text)
    return int(match.group("days"))


# --- Reading ---------------------------------------------------------------------------------------------------

def read_catalog(source: str | Path | bytes, name: str | None = None) -> Catalog:
    """Read a catalog workbook (path or bytes); every sheet with a catalog header is read, in order.

    Raises `quality.FileRejected` with a Vietnamese message when the file cannot be used.
    """
    data, name = source_bytes(source, name, "danh mục")
    frames, issues, near_miss = [], [], None
    for sheet, table in load_tables(data, name):
        rows = [[None if pd.isna(x) else x for x in row]
                for row in table.head(h.HEADER_SCAN_ROWS).itertuples(index=False, name=None)]
        found = h.find_header(rows, h.HEADER_SCAN_ROWS, catalog_field_for)
        if found is None:
            continue
        top, depth = found
        names = h.header_names(rows[top], rows[top + 1] if depth == 2 else None, catalog_field_for)
        columns = _columns(names)
        if s.PROCEDURE_CODE not in columns and s.PROCEDURE_NAME not in columns:
            near_miss = near_miss or (sheet, top, names)
            continue
        procedures = _sheet_procedures(table.iloc[top + depth:], columns, sheet)
        issues += _limit_issues(procedures, columns, names, sheet, name)
        frames.append(procedures)
    if not frames:
        raise q.FileRejected(_no_catalog_issue(name, near_miss))
    procedures = pd.concat(frames, ignore_index=True)
    issues += _duplicate_issues(procedures, name)
    return Catalog(procedures, [masked_issue(i) for i in issues])


def _columns(names: list[str]) -> dict[str, int]:
    """Catalog column -> position of the first header naming it."""
    columns = {}
    for i, text in enumerate(names):
        column = catalog_field_for(text)
        if column and column not in columns:
            columns[column] = i
    return columns


def _sheet_procedures(body: pd.DataFrame, columns: dict[str, int], sheet: str) -> pd.DataFrame:
    """The procedure rows below the header.

    A procedure row fills at least two catalog columns: a row with a single filled cell is a group heading
    ("I. LĨNH VỰC ĐẤT ĐAI") or a note, and the numbering row "(1) (2) …" holds only numbers; both are left out.
    """
    cells = pd.DataFrame({c: clean_text(body.iloc[:, i]) for c, i in columns.items()}, index=body.index)
    numbering = cells.apply(lambda c: c.str.fullmatch(_NUMBER_CELL).fillna(True)).all(axis=1)
    rows = cells[(cells.notna().sum(axis=1) >= 2) & ~numbering]
    out = pd.DataFrame({c: rows[c] if c in rows else pd.Series(pd.NA, index=rows.index, dtype="string")
                        for c in TEXT_COLUMNS})
    out[TIME_LIMIT_DAYS] = out[TIME_LIMIT_TEXT].map(_readable_limits(out[TIME_LIMIT_TEXT])).astype("Int64")
    out[s.SOURCE_SHEET] = sheet
    out[s.SOURCE_ROW] = (rows.index + 1).astype("int64")
    return out[COLUMNS]


def _readable_limits(texts: pd.Series) -> dict[str, int | None]:
    """Each distinct limit text that can be read -> its working days (None: no limit)."""
    out = {}
    for text in texts.dropna().unique():
        try:
            out[text] = time_limit_days(text)
        except ValueError:
            pass
    return out


def _limit_issues(procedures: pd.DataFrame, columns: dict[str, int], names: list[str], sheet: str,
                  file: str) -> list[q.Issue]:
    """A notice for a missing limit column, or for each procedure whose limit is blank or unreadable."""
    how = 'Hãy ghi số ngày làm việc (ví dụ "15 ngày làm việc"), "Trong ngày" hoặc "Không quy định".'
    if TIME_LIMIT_TEXT not in columns:
        return [q.Issue(q.MISSING_COLUMN, q.NOTICE, 'Danh mục không có cột "Thời hạn giải quyết" nên không kiểm tra '
                        f"được ngày hẹn trả và không tính được ngày hẹn trả còn thiếu. Hãy thêm cột này. {how}",
                        file=file, sheet=sheet)]
    header = names[columns[TIME_LIMIT_TEXT]]
    texts = procedures[TIME_LIMIT_TEXT]
    unreadable = ~texts.isin(list(_readable_limits(texts))).to_numpy(dtype=bool, na_value=False)
    issues = []
    for row, text in zip(procedures.loc[unreadable, s.SOURCE_ROW], texts[unreadable]):
        what = "Chưa ghi thời hạn giải quyết" if pd.isna(text) else f'Không đọc được thời hạn giải quyết "{text}"'
        issues.append(q.Issue(q.BAD_TIME_LIMIT, q.NOTICE, f"{what}: hạn trả của hồ sơ thuộc thủ tục này sẽ không được "
                              f"kiểm tra. {how}", file=file, sheet=sheet, row=int(row), column=header,
                              value="" if pd.isna(text) else text))
    return issues


def _duplicate_issues(procedures: pd.DataFrame, file: str) -> list[q.Issue]:
    codes = code_keys(procedures[s.PROCEDURE_CODE])
    first_row = procedures.groupby(codes, sort=False)[s.SOURCE_ROW].transform("first")
    repeated = codes.notna() & codes.duplicated()
    return [q.Issue(q.DUPLICATE_PROCEDURE, q.NOTICE, f'Mã TTHC "{code}" đã có ở dòng {first}; khi đối chiếu hồ sơ chỉ '
                    "dùng dòng đó, dòng này luôn bị tính là không phát sinh hồ sơ. Hãy xoá dòng trùng hoặc sửa mã.",
                    file=file, sheet=sheet, row=int(row), column=COLUMN_LABELS[s.PROCEDURE_CODE], value=code)
            for code, first, sheet, row in zip(procedures.loc[repeated, s.PROCEDURE_CODE], first_row[repeated],
                                               procedures.loc[repeated, s.SOURCE_SHEET],
                                               procedures.loc[repeated, s.SOURCE_ROW])]


def _no_catalog_issue(file: str, near_miss: tuple[str, int, list[str]] | None) -> q.Issue:
    wanted = 'cột mã thủ tục ("Mã TTHC") hoặc tên thủ tục ("Tên thủ tục hành chính")'
    if near_miss:
        sheet, top, names = near_miss
        seen = ", ".join(f'"{t}"' for t in names if t)[:600]
        return q.Issue(q.MISSING_COLUMN, q.FILE, f"Không tìm thấy {wanted}. Các cột đọc được ở dòng {top + 1}: "
                       f"{seen}. Hãy đặt tên cột mã hoặc tên thủ tục đúng như trên rồi tải lên lại.", file=file,
                       sheet=sheet, row=top + 1)
    return q.Issue(q.NO_HEADER, q.FILE, f"Không tìm thấy dòng tiêu đề của danh mục thủ tục hành chính ({wanted}, "
                   f'"Thời hạn giải quyết"…) trong {h.HEADER_SCAN_ROWS} dòng đầu của trang tính nào. Hãy kiểm tra đây '
                   "có phải tệp danh mục TTHC không.", file=file)
