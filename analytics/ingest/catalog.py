"""The procedure catalog (danh mục TTHC) and what it lets the council check.

A catalog lists each published procedure with its code, name, field, level, legal time limit and fee. Matched to the
dossiers (by procedure code first, then by name), it gives each dossier its legal due date: the received date plus
the time limit in working days. From that: due dates promised later than the law allows, due dates an export lacks
(filled in and marked as computed), and published procedures that no dossier used.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.ingest import headers as h
from analytics.ingest.export_reader import HEADER_SCAN_ROWS, load_tables
from analytics.ingest.values import clean_text
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.workdays import add_working_days, working_days_elapsed

# Catalog columns beside the canonical procedure fields.
TIME_LIMIT_DAYS = "time_limit_days"    # working days; 0 = "Trong ngày"; NA = no limit or unreadable
TIME_LIMIT_TEXT = "time_limit_text"    # the limit as the catalog writes it
FEE = "fee"
TEXT_COLUMNS = [s.PROCEDURE_CODE, s.PROCEDURE_NAME, s.FIELD, s.LEVEL, TIME_LIMIT_TEXT, FEE]
COLUMNS = [s.PROCEDURE_CODE, s.PROCEDURE_NAME, s.FIELD, s.LEVEL, TIME_LIMIT_DAYS, TIME_LIMIT_TEXT, FEE,
           s.SOURCE_SHEET, s.SOURCE_ROW]
COLUMN_LABELS = {s.PROCEDURE_CODE: "Mã TTHC", s.PROCEDURE_NAME: "Tên thủ tục hành chính", s.FIELD: "Lĩnh vực",
                 s.LEVEL: "Cấp thực hiện", TIME_LIMIT_DAYS: "Thời hạn (ngày làm việc)",
                 TIME_LIMIT_TEXT: "Thời hạn giải quyết", FEE: "Phí, lệ phí"}

# Columns of `match_procedures` and the derived dossier columns.
CATALOG_ROW = "catalog_row"            # position of the matched procedure in `Catalog.procedures`
MATCHED_BY = "matched_by"              # "code" or "name"
CATALOG_LEVEL = "catalog_level"
LEGAL_DUE_DATE = "legal_due_date"
DUE_DATE_COMPUTED = "due_date_computed"

# Issue codes of the catalog.

# The audit's lists, as the report names them.
UNUSED_PROCEDURES = "unused_procedures"
DUE_LATER_THAN_LEGAL = "due_later_than_legal"
DUE_DATES_COMPUTED = "due_dates_computed"
AUDIT_LABELS = {
    UNUSED_PROCEDURES: "Thủ tục đã công bố nhưng không phát sinh hồ sơ",
    DUE_LATER_THAN_LEGAL: "Hẹn trả dài hơn quy định",
    DUE_DATES_COMPUTED: "Hồ sơ không có ngày hẹn trả, đã tính theo thời hạn trong danh mục",
}

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
_NUMERIC_CODE = re.compile(r"^(\d\.\d{1,5})$")


@dataclass
class Catalog:
    procedures: pd.DataFrame            # COLUMNS, one row per procedure, in the catalog's order
    issues: list[q.Issue] = field(default_factory=list)


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
    data, name = _source_bytes(source, name)
    frames, issues, near_miss = [], [], None
    for sheet, table in load_tables(data, name):
        rows = [[None if pd.isna(x) else x for x in row]
                for row in table.head(HEADER_SCAN_ROWS).itertuples(index=False, name=None)]
        found = h.find_header(rows, HEADER_SCAN_ROWS, catalog_field_for)
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
    return Catalog(procedures, issues)


def _source_bytes(source: str | Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        try:
            return Path(source).read_bytes(), name
        except OSError:
            raise q.FileRejected(q.Issue(q.NOT_A_SPREADSHEET, q.FILE, "Không mở được tệp danh mục. Hãy kiểm tra "
                                         "đường dẫn và quyền đọc tệp.", file=name)) from None
    return bytes(source), name or "danh mục tải lên"


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
    codes = _code_keys(procedures[s.PROCEDURE_CODE])
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
                   f'"Thời hạn giải quyết"…) trong {HEADER_SCAN_ROWS} dòng đầu của trang tính nào. Hãy kiểm tra đây '
                   "có phải tệp danh mục TTHC không.", file=file)


# --- Matching dossiers -------------------------------------------------------------------------------------------

def _code_keys(codes: pd.Series) -> pd.Series:
    """Codes as compared: trimmed; '2.00072' (a code typed as a number, its last zero lost) -> '2.000720'."""
    trimmed = codes.astype("string").str.strip().replace("", pd.NA)
    return trimmed.str.replace(_NUMERIC_CODE, lambda m: m.group(1).ljust(8, "0"), regex=True)


def _name_keys(names: pd.Series) -> pd.Series:
    """Names as compared: without diacritics, case or spacing (plain_key), worked out once per distinct name."""
    keys = {name: h.plain_key(name) or pd.NA for name in names.dropna().unique()}
    return names.map(keys).astype("string")


def _first_position(keys: pd.Series) -> dict[str, int]:
    """Key -> position of its first procedure."""
    positions = pd.Series(np.arange(len(keys)), index=keys.to_numpy())
    positions = positions[keys.notna().to_numpy()]
    return positions[~positions.index.duplicated()].to_dict()


def match_procedures(dossiers: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Each dossier's procedure in the catalog, by procedure code first, then by name; NA when unmatched.

    Columns: catalog_row (position in `catalog.procedures`), matched_by, time_limit_days, catalog_level.
    """
    procedures = catalog.procedures
    by_code = _code_keys(dossiers[s.PROCEDURE_CODE]).map(_first_position(_code_keys(procedures[s.PROCEDURE_CODE])))
    by_name = _name_keys(dossiers[s.PROCEDURE_NAME]).map(_first_position(_name_keys(procedures[s.PROCEDURE_NAME])))
    row = by_code.fillna(by_name).astype("Int64")
    positions = row.fillna(-1).to_numpy(dtype=int)
    return pd.DataFrame({
        CATALOG_ROW: row,
        MATCHED_BY: pd.Series(np.where(by_code.notna(), "code", np.where(by_name.notna(), "name", None)),
                              index=dossiers.index, dtype="string"),
        TIME_LIMIT_DAYS: procedures[TIME_LIMIT_DAYS].array.take(positions, allow_fill=True),
        CATALOG_LEVEL: procedures[s.LEVEL].array.take(positions, allow_fill=True),
    }, index=dossiers.index)


def _legal_due(dossiers: pd.DataFrame, limits: pd.Series) -> pd.Series:
    due = add_working_days(dossiers[s.RECEIVED_DATE], limits.to_numpy(dtype=float, na_value=np.nan))
    return pd.Series(due.astype("datetime64[s]"), index=dossiers.index, name=LEGAL_DUE_DATE)


def legal_due_dates(dossiers: pd.DataFrame, catalog: Catalog) -> pd.Series:
    """Each dossier's legal due date: the received date plus its procedure's limit in working days.

    NaT when the procedure is not in the catalog or has no limit.
    """
    return _legal_due(dossiers, match_procedures(dossiers, catalog)[TIME_LIMIT_DAYS])


def _actually_received(dossiers: pd.DataFrame) -> np.ndarray:
    """Dossiers actually received: status not 1 or 3 (a dossier refused at intake has no due date by right)."""
    return ~dossiers[s.STATUS_CODE].isin(s.STATUS_NOT_RECEIVED).to_numpy(dtype=bool, na_value=False)


def _due_date_missing(dossiers: pd.DataFrame, legal: pd.Series) -> pd.Series:
    """Received dossiers with neither due date nor original due date, whose legal due date is known."""
    no_due = dossiers[s.DUE_DATE].isna() & dossiers[s.ORIGINAL_DUE_DATE].isna()
    return no_due & legal.notna() & _actually_received(dossiers)


def fill_missing_due_dates(dossiers: pd.DataFrame, catalog: Catalog) -> tuple[pd.DataFrame, int]:
    """(a copy of the dossiers with missing due dates set to the legal due date, how many were set).

    The copy has a boolean column `due_date_computed`, True where the due date comes from the catalog.
    """
    legal = legal_due_dates(dossiers, catalog)
    computed = _due_date_missing(dossiers, legal)
    out = dossiers.copy()
    out[s.DUE_DATE] = out[s.DUE_DATE].mask(computed, legal)
    out[DUE_DATE_COMPUTED] = computed.to_numpy(dtype=bool)
    return out, int(computed.sum())


# --- The audit ---------------------------------------------------------------------------------------------------

def _iso(dates: pd.Series) -> list[str]:
    return dates.dt.strftime("%Y-%m-%d").tolist()


def _plain(value):
    return None if pd.isna(value) else value


def audit(dossiers: pd.DataFrame, catalog: Catalog, start: dt.date | str, end: dt.date | str) -> dict:
    """The catalog checks over the dossiers received in [start, end] (calendar dates, status not 1/3), JSON-ready.

    - unused_procedures: catalog procedures no such dossier used, counted by the catalog's level text;
    - due_later_than_legal: dossiers whose due date given at receipt (the original due date when exported, else the
      due date) is later than the legal due date, by working days over, most first;
    - due_dates_computed: how many of them had no due date and get one from the catalog.
    """
    received = dossiers[s.RECEIVED_DATE].to_numpy(dtype="datetime64[D]")
    period = dossiers[(received >= np.datetime64(start, "D")) & (received <= np.datetime64(end, "D"))
                      & _actually_received(dossiers)]
    matched = match_procedures(period, catalog)
    legal = _legal_due(period, matched[TIME_LIMIT_DAYS])
    return {
        UNUSED_PROCEDURES: _unused_procedures(catalog.procedures, matched[CATALOG_ROW]),
        DUE_LATER_THAN_LEGAL: _due_later_than_legal(period, legal),
        DUE_DATES_COMPUTED: int(_due_date_missing(period, legal).sum()),
    }


def _unused_procedures(procedures: pd.DataFrame, used_rows: pd.Series) -> dict:
    used = np.zeros(len(procedures), dtype=bool)
    used[used_rows.dropna().to_numpy(dtype=int)] = True
    levels = procedures[s.LEVEL].fillna(s.MISSING_GROUP)
    by_level = pd.Series(~used, index=levels.to_numpy()).groupby(level=0, sort=False).sum()
    unused = procedures[~used]
    return {
        "count": int((~used).sum()),
        "by_level": {level: int(n) for level, n in by_level.items()},
        "items": [{"procedure_code": _plain(code), "procedure_name": _plain(name), "level": _plain(level)}
                  for code, name, level in zip(unused[s.PROCEDURE_CODE], unused[s.PROCEDURE_NAME], unused[s.LEVEL])],
    }


def _due_later_than_legal(dossiers: pd.DataFrame, legal: pd.Series) -> dict:
    given = dossiers[s.ORIGINAL_DUE_DATE].fillna(dossiers[s.DUE_DATE])
    later = (given > legal).to_numpy(dtype=bool)
    items = pd.DataFrame({
        "case_id": dossiers[s.CASE_ID][later].to_numpy(dtype=object),
        "received_date": _iso(dossiers[s.RECEIVED_DATE][later]),
        "due_date": _iso(given[later]),
        "legal_due_date": _iso(legal[later]),
        "working_days_over": working_days_elapsed(legal[later], given[later]).astype(int),
    })
    # A promise on a day off right after the legal date (Saturday after Friday) gives no working day more.
    items = items[items["working_days_over"] > 0].sort_values(["working_days_over", "case_id"],
                                                              ascending=[False, True])
    return {"count": len(items), "items": items.to_dict("records")}
