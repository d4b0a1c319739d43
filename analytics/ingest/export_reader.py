"""Reading one export: sniff the file, load every sheet as text, find the header, map it, clean the values.

`read_export` never raises for bad input: a file it cannot use comes back with `rejected` set and no records; a row
it cannot use is left out and listed in `issues`. Nothing is altered without an issue saying so.
"""
from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.ingest import headers as h
from analytics.ingest import values as v
from analytics.ingest.sheets import sheets_of
from analytics.ingest.sniff import file_kind, reject
from analytics.model import issues as q
from analytics.model import schema as s

# A mapped column where most values are unreadable is a wrong mapping, not bad rows.
BAD_COLUMN_SHARE = 0.5


@dataclass
class SheetReading:
    sheet: str
    header_row: int                      # the spreadsheet's row number of the (first) header row
    headers: list[str]                   # the header text of each column, as the user sees it
    mapping: dict[str, str]              # header text -> canonical field, for the columns used
    ignored: list[str]                   # header texts not used (unknown, or personal data not stored)
    data_rows: int = 0

    @property
    def signature(self) -> str:
        return header_signature(self.headers)


@dataclass
class FileReading:
    name: str
    sha256: str
    records: pd.DataFrame
    issues: list[q.Issue] = field(default_factory=list)
    sheets: list[SheetReading] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0
    # When no sheet maps the required columns: the header texts of the closest sheet, so a person can map them.
    header_candidates: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> q.Issue | None:
        return next((i for i in self.issues if i.level == q.FILE), None)


def header_signature(header_texts: list[str]) -> str:
    return "|".join(h.header_key(t) for t in header_texts if h.header_key(t))


def empty_records(with_import_id: bool = False) -> pd.DataFrame:
    columns = ([s.IMPORT_ID] if with_import_id else []) + s.RECORD_COLUMNS
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "string")) for c in columns})


_DTYPES = {**{c: "datetime64[s]" for c in s.DATE_FIELDS}, s.STATUS_CODE: "Int8", s.CHANNEL_CODE: "Int8",
           s.APOLOGY: "boolean", s.STATUS_INFERRED: "bool", s.SOURCE_ROW: "int64", s.IMPORT_ID: "int64"}


def read_export(source: str | Path | bytes, name: str | None = None, overrides: dict[str, str] | None = None,
                remembered: dict[str, dict[str, str]] | None = None) -> FileReading:
    """Read one export file (path or bytes). `overrides`: header text -> field ('' to ignore the column);
    `remembered`: header signature -> overrides that worked before for files with the same headers."""
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        try:
            data = Path(source).read_bytes()
        except OSError:
            return _rejected(name or str(source), "", q.Issue(
                q.NOT_A_SPREADSHEET, q.FILE, "Không mở được tệp. Hãy kiểm tra đường dẫn và quyền đọc tệp.",
                file=name or str(source)))
    else:
        data = bytes(source)
    name = name or "tệp tải lên"
    digest = hashlib.sha256(data).hexdigest()
    try:
        return _read(data, name, digest, overrides or {}, remembered or {})
    except q.FileRejected as rejection:
        return _rejected(name, digest, rejection.issue)
    except MemoryError:
        return _rejected(name, digest, q.Issue(q.TOO_LARGE, q.FILE, "Tệp quá lớn để đọc trên máy này. Hãy tách "
                                               "tệp theo quý hoặc theo đơn vị rồi tải lên từng phần.", file=name))


def _rejected(name: str, digest: str, issue: q.Issue) -> FileReading:
    return FileReading(name=name, sha256=digest, records=empty_records(), issues=[issue])


# --- From a text table to records ----------------------------------------------------------------------------

def _read(data: bytes, name: str, digest: str, overrides: dict[str, str],
          remembered: dict[str, dict[str, str]]) -> FileReading:
    kind = file_kind(data, name)
    result = FileReading(name=name, sha256=digest, records=empty_records())
    suffix = Path(name).suffix.lower()
    if kind == "csv" and suffix not in (".csv", ".txt", ""):
        result.issues.append(q.Issue(q.WRONG_EXTENSION, q.NOTICE, f"Tệp mang đuôi {suffix} nhưng thực chất là CSV; "
                                     "đã đọc như tệp CSV. Nên đổi đuôi tệp thành .csv.", file=name))
    tables = sheets_of(data, kind, name)
    if all(t.empty or t.isna().all().all() for _, t in tables):
        raise reject(q.EMPTY_FILE, "Tệp không có dữ liệu (mọi trang tính đều trống). Hãy kiểm tra lại tệp xuất.",
                      name)
    frames, near_misses = [], []
    for sheet_name, table in tables:
        located = _sheet_header(table)
        if located is None:
            continue
        top, depth, names = located
        sheet_overrides = {**remembered.get(header_signature(names), {}), **overrides}
        mapping, ignored, duplicates = _mapping(names, sheet_overrides)
        missing = [f for f in s.REQUIRED_FIELDS if f not in mapping.values()]
        if missing:
            near_misses.append((sheet_name, top, names, missing))
            continue
        sheet = SheetReading(sheet_name, top + 1, names, mapping, ignored)
        for text in duplicates:
            result.issues.append(q.Issue(q.DUPLICATE_COLUMN, q.NOTICE, f'Cột "{text}" trùng nghĩa với một cột đứng '
                                         "trước nên không được dùng. Nếu cần dùng cột này, hãy sửa ánh xạ cột.",
                                         file=name, sheet=sheet_name, row=top + 1, column=text))
        frames.append(_sheet_records(table, sheet, top + depth, name, result))
        result.sheets.append(sheet)
    if not frames:
        result.header_candidates = [t for t in near_misses[0][2] if t] if near_misses else []
        result.issues.append(_header_problem(name, near_misses, tables).issue)
        result.records = empty_records()
        return result
    result.records = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return result


def _sheet_header(table: pd.DataFrame) -> tuple[int, int, list[str]] | None:
    head = table.head(h.HEADER_SCAN_ROWS)
    rows = [[None if pd.isna(x) else x for x in row] for row in head.itertuples(index=False, name=None)]
    found = h.find_header(rows)
    if found is None:
        return None
    top, depth = found
    names = h.header_names(rows[top], rows[top + 1] if depth == 2 else None)
    return top, depth, names


def _mapping(names: list[str], overrides: dict[str, str]) -> tuple[dict[str, str], list[str], list[str]]:
    """(header text -> field for the columns used, header texts ignored, header texts that repeat a field)."""
    by_key = {h.header_key(k): f for k, f in overrides.items()}
    mapping, ignored, duplicates = {}, [], []
    for text in names:
        if not text:
            continue
        key = h.header_key(text)
        target = by_key[key] if key in by_key else h.field_for(text)
        if not target:
            ignored.append(text)
        elif target in mapping.values():
            duplicates.append(text)
        else:
            mapping[text] = target
    return mapping, ignored, duplicates


def _header_problem(name: str, near_misses: list, tables: list) -> q.FileRejected:
    if near_misses:
        sheet_name, top, names, missing = near_misses[0]
        wanted = ", ".join(f'"{s.FIELD_LABELS[f]}" ({f})' for f in missing)
        seen = ", ".join(f'"{t}"' for t in names if t)[:600]
        return reject(q.MISSING_COLUMN, f"Không tìm thấy cột {wanted}. Các cột đọc được ở dòng {top + 1}: {seen}. "
                       "Nếu tệp có cột này dưới tên khác, hãy chỉ rõ bằng ánh xạ cột (ví dụ --map \"Mã tra cứu=case_id\" "
                       "hoặc bảng ánh xạ ở trang Dữ liệu).", name, sheet=sheet_name, row=top + 1)
    return reject(q.NO_HEADER, "Không tìm thấy dòng tiêu đề của danh sách hồ sơ (các cột như \"Mã hồ sơ\", "
                   f"\"Ngày tiếp nhận\") trong {h.HEADER_SCAN_ROWS} dòng đầu của trang tính nào. Hãy kiểm tra đây có "
                   "phải tệp xuất danh sách hồ sơ không.", name, sheet=tables[0][0] if tables else "")


_NUMBER_CELL = re.compile(r"^\(?\s*\d+\s*\)?$")
_TOTAL_WORDS = ("tong cong", "tong so", "tong", "cong", "total", "cong toan bo")


def _is_numbering_row(row: list) -> bool:
    cells = [str(x).strip() for x in row if x is not None and str(x).strip()]
    if len(cells) < 3 or not all(_NUMBER_CELL.match(c) for c in cells):
        return False
    numbers = [int(re.sub(r"\D", "", c)) for c in cells]
    return any(c.startswith("(") for c in cells) or numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _is_total_row(row: list) -> bool:
    first = next((x for x in row if x is not None and str(x).strip()), None)
    key = h.plain_key(first) if first is not None else ""
    return any(key == w or key.startswith(w + " ") for w in _TOTAL_WORDS)


_PARSERS = {s.CASE_ID: v.clean_id, **{f: v.parse_dates for f in s.DATE_FIELDS},
            **{f: v.clean_text for f in s.TEXT_FIELDS}, s.LEVEL: v.parse_levels, s.STATUS: v.parse_statuses,
            s.CHANNEL: v.parse_channels,
            s.APOLOGY: v.parse_apology}
_WORKERS = min(4, os.cpu_count() or 1)


def _parsed_columns(columns: dict[str, pd.Series]) -> dict:
    """Every mapped column cleaned by its parser, columns in parallel (Arrow compute releases the GIL)."""
    with ThreadPoolExecutor(_WORKERS) as pool:
        futures = {f: pool.submit(_PARSERS[f], c) for f, c in columns.items() if f in _PARSERS}
        return {f: future.result() for f, future in futures.items()}


def _selector(mask: np.ndarray):
    """A function picking the masked rows of a Series or Index: a zero-copy slice when they are one block
    (the usual case: the data between the header and the total row), else a boolean filter."""
    positions = np.flatnonzero(mask)
    if len(positions) and positions[-1] - positions[0] + 1 == len(positions):
        first, last = positions[0], positions[-1] + 1
        return lambda values: values[first:last] if isinstance(values, pd.Index) else values.iloc[first:last]
    return lambda values: values[mask]


def _sheet_records(table: pd.DataFrame, sheet: SheetReading, first_data: int, name: str,
                   result: FileReading) -> pd.DataFrame:
    body = table.iloc[first_data:]
    columns = {field: body.iloc[:, sheet.headers.index(text)] for text, field in sheet.mapping.items()}
    parsed = _parsed_columns(columns)
    data, missing_id = _dossier_rows(body, parsed[s.CASE_ID], columns, parsed[s.RECEIVED_DATE][0].notna(), sheet,
                                     name, result)
    pick = _selector(data)
    rows = pick(body.index)
    sheet.data_rows = len(rows)
    result.rows_read += len(rows) + missing_id
    raw = {f: pick(c) for f, c in columns.items()}
    out = pd.DataFrame(index=rows)
    out[s.CASE_ID] = pick(parsed[s.CASE_ID])
    bad = pd.Series(False, index=rows)

    for f in s.TEXT_FIELDS:
        out[f] = pick(parsed[f]) if f in parsed else pd.Series(pd.NA, index=rows, dtype="string")
    for f in s.DATE_FIELDS:
        if f not in parsed:
            out[f] = pd.Series(pd.NaT, index=rows, dtype="datetime64[s]")
            continue
        dates, unreadable = (pick(x) for x in parsed[f])
        out[f] = dates
        _check_column(unreadable, raw[f], sheet, f, name)
        bad |= _row_issues(result, unreadable, raw[f], sheet, f, name, q.BAD_DATE,
                           lambda value: f'"{value}" không phải là ngày. Hãy dùng dạng 31/03/2019 (ngày/tháng/năm).')
    if s.STATUS in parsed:
        codes, unknown = (pick(x) for x in parsed[s.STATUS])
        _check_column(unknown, raw[s.STATUS], sheet, s.STATUS, name)
        bad |= _row_issues(result, unknown, raw[s.STATUS], sheet, s.STATUS, name, q.UNKNOWN_STATUS,
                           lambda value: f'Trạng thái "{value}" không có trong danh mục trạng thái (mã 1–10). Hãy '
                                         "sửa thành một trạng thái chuẩn, ví dụ \"Đã trả kết quả\" hoặc mã 10.")
    else:
        codes = pd.Series(pd.NA, index=rows, dtype="Int8")
    finished = out[s.COMPLETED_DATE].notna() | out[s.RETURNED_DATE].notna()
    out[s.STATUS_INFERRED] = codes.isna().to_numpy()
    out[s.STATUS_CODE] = codes.fillna(pd.Series(np.where(finished, 10, 4), index=rows)).astype("Int8")
    if s.CHANNEL in parsed:
        channels, levels, unknown = (pick(x) for x in parsed[s.CHANNEL])
        bad |= _row_issues(result, unknown, raw[s.CHANNEL], sheet, s.CHANNEL, name, q.UNKNOWN_CHANNEL,
                           lambda value: f'Hình thức nộp "{value}" không rõ. Hãy ghi "Trực tiếp", "Trực tuyến" hoặc '
                                         '"Bưu chính công ích" (hoặc mã 1, 2, 3).')
        out[s.CHANNEL_CODE] = channels.astype("Int8")
        out[s.ONLINE_LEVEL] = levels
    else:
        out[s.CHANNEL_CODE] = pd.Series(s.CHANNEL_IN_PERSON, index=rows, dtype="Int8")
        out[s.ONLINE_LEVEL] = pd.Series(pd.NA, index=rows, dtype="string")
    # No apology column: unknown (NA), not "no letter".
    out[s.APOLOGY] = (pick(parsed[s.APOLOGY]).astype("boolean") if s.APOLOGY in parsed
                      else pd.Series(pd.NA, index=rows, dtype="boolean"))
    out[s.SOURCE_SHEET] = sheet.sheet
    out[s.SOURCE_ROW] = (rows + 1).astype("int64")
    result.rows_skipped += int(bad.sum()) + missing_id
    return out[~bad.to_numpy()][s.RECORD_COLUMNS].reset_index(drop=True)


def _dossier_rows(body: pd.DataFrame, case_ids: pd.Series, columns: dict, dated: pd.Series, sheet: SheetReading,
                  name: str, result: FileReading) -> tuple[np.ndarray, int]:
    """(mask of the rows that are dossiers, number of rows skipped with an issue).

    A dossier row has a case id and something else in a mapped column. The data end at the first blank or
    "Tổng cộng" row below the last row with a received date: what lies below (signature block, notes) is not data.
    Blank rows, the numbering row under the header and total rows are left out silently; any other row in the data
    area that is not a dossier is skipped and listed.
    """
    others = pd.concat([c.notna() for f, c in columns.items() if f != s.CASE_ID], axis=1).any(axis=1)
    candidate = (case_ids.notna() & others).to_numpy().copy()
    for p in np.flatnonzero(candidate)[:3]:  # "(1) (2) (3) ..." under the header fills the case id column too
        if _is_numbering_row(_cells(body.iloc[p])):
            candidate[p] = False
    anchors = np.flatnonzero(candidate & dated.to_numpy())
    if not len(anchors):
        anchors = np.flatnonzero(candidate)
    end = anchors[-1] + 1 if len(anchors) else 0
    while end < len(body) and not _is_blank_or_total(_cells(body.iloc[end])):
        end += 1  # rows right below the last dossier, before a blank or total row, are still data
    dossier = candidate & (np.arange(len(body)) < end)
    skipped = 0
    for p in np.flatnonzero(~dossier[:end]):
        cells = _cells(body.iloc[p])
        if _is_blank_or_total(cells) or (p < 3 and _is_numbering_row(cells)):
            continue
        has_id = case_ids.iloc[p] is not pd.NA and pd.notna(case_ids.iloc[p])
        message = ("Dòng chỉ có mã hồ sơ, không có thông tin nào khác nên bị bỏ qua. Hãy bổ sung thông tin hoặc xoá "
                   "dòng này." if has_id else "Dòng có dữ liệu nhưng không có mã hồ sơ nên bị bỏ qua (nếu là dòng "
                   "tiêu đề nhóm thì không sao). Hãy điền mã hồ sơ hoặc xoá dòng này.")
        result.issues.append(q.Issue(q.MISSING_CASE_ID, q.ROW, message, file=name, sheet=sheet.sheet,
                                     row=int(body.index[p]) + 1, column=_header_of(sheet, s.CASE_ID),
                                     value=str(case_ids.iloc[p]) if has_id else ""))
        skipped += 1
    return dossier, skipped


def _is_blank_or_total(cells: list) -> bool:
    return all(c is None for c in cells) or _is_total_row(cells)


def _cells(row: pd.Series) -> list:
    return [None if pd.isna(x) or not str(x).strip() else x for x in row]


def _header_of(sheet: SheetReading, field_name: str) -> str:
    return next((t for t, f in sheet.mapping.items() if f == field_name), "")


def _check_column(unreadable: pd.Series, raw: pd.Series, sheet: SheetReading, field_name: str, name: str) -> None:
    """Most of a column unreadable: the mapping is wrong, so the whole file stops (nothing half-imported)."""
    filled = int(raw.notna().sum())
    if filled >= 10 and unreadable.sum() > BAD_COLUMN_SHARE * filled:
        text = _header_of(sheet, field_name)
        examples = ", ".join(f'"{x}"' for x in pd.unique(raw[unreadable])[:3])
        raise reject(q.BAD_MAPPING, f"{int(unreadable.sum())}/{filled} giá trị của cột này không đọc được như "
                      f"\"{s.FIELD_LABELS[field_name]}\" (ví dụ {examples}). Có thể cột đã bị ánh xạ nhầm: hãy sửa "
                      "ánh xạ cột rồi nhập lại.", name, sheet=sheet.sheet, column=text)


def _row_issues(result: FileReading, mask: pd.Series, raw: pd.Series, sheet: SheetReading, field_name: str,
                name: str, code: str, message) -> pd.Series:
    text = _header_of(sheet, field_name)
    for i, value in raw[mask].items():
        result.issues.append(q.Issue(code, q.ROW, message(value), file=name, sheet=sheet.sheet, row=int(i) + 1,
                                     column=text, value=str(value)))
    return mask
