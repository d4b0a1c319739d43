"""Reading one export: sniff the file, load every sheet as text, find the header, map it, clean the values.

`read_export` never raises for bad input: a file it cannot use comes back with `rejected` set and no records; a row
it cannot use is left out and listed in `issues`. Nothing is altered without an issue saying so: a header or a value
read by a phrase inside longer wording, a status or channel wording that could not be read (the row stays), a column
the figures need that the file lacks.

Personal data (Nghị định 13/2023/NĐ-CP): columns read as applicants' names, phones, addresses or ID numbers, or as
officials' names, are dropped; a mapping by hand cannot turn such a column into another field; every run of 9–12
digits (a phone or an ID number) in an issue's value or message is masked.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.ingest import headers as h
from analytics.ingest import personal
from analytics.ingest import values as v
from analytics.ingest.sheets import sheets_of
from analytics.ingest.sniff import check_size, file_kind, reject
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.levels import LEVEL_BY_KEY, LEVELS

# A mapped column where most values are unreadable is a wrong mapping, not bad rows.
BAD_COLUMN_SHARE = 0.5


@dataclass
class SheetReading:
    sheet: str
    header_row: int                      # the spreadsheet's row number of the (first) header row
    headers: list[str]                   # the header text of each column, as the user sees it
    mapping: dict[str, str]              # header text -> canonical field, for the columns used
    ignored: list[str]                   # header texts not used (unknown, ambiguous, or personal data not stored)
    data_rows: int = 0
    read_by: dict[str, str] = field(default_factory=dict)  # header text -> "exact", "phrase" or "override"
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # header text -> the fields its phrases name

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
    # For each of status/channel/level read: every distinct wording with "value", "count" (records), "read_as"
    # (the code or level, None when not read), "how" (exact, phrase, override, unrecognised, ambiguous) and
    # "candidates" (the codes an ambiguous wording names), most frequent first.
    value_counts: dict[str, list[dict]] = field(default_factory=dict)
    # Of schema.CAVEAT_FIELDS (channel, due_date, finish_date, status): those a sheet read has no column for.
    missing_fields: list[str] = field(default_factory=list)
    # Applicants' data, masked (ingest/personal.py), only when read_export was asked to keep it.
    personal: pd.DataFrame | None = None

    @property
    def rejected(self) -> q.Issue | None:
        return next((i for i in self.issues if i.level == q.FILE), None)


def header_signature(header_texts: list[str]) -> str:
    return "|".join(h.header_key(t) for t in header_texts if h.header_key(t))


def empty_records(with_import_id: bool = False) -> pd.DataFrame:
    columns = ([s.IMPORT_ID] if with_import_id else []) + s.RECORD_COLUMNS
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "string")) for c in columns})


_DTYPES = {**{c: "datetime64[s]" for c in s.DATE_FIELDS}, s.STATUS_CODE: "Int8", s.CHANNEL_CODE: "Int8",
           s.APOLOGY: "boolean", s.EXTENSIONS: "Int8", s.RATING: "Int8", s.STATUS_INFERRED: "bool", s.SOURCE_ROW: "int64", s.IMPORT_ID: "int64",
           # Nullable, never missing in what the reader or the store gives: records built elsewhere without these
           # columns read as "not marked".
           s.STATUS_UNRECOGNISED: "boolean", s.CHANNEL_UNRECOGNISED: "boolean", s.DUE_DATE_UNREADABLE: "boolean",
           s.FINISH_DATE_UNREADABLE: "boolean"}
VALUE_FIELDS = (s.STATUS, s.CHANNEL, s.LEVEL)  # fields whose wording a user may map to a code


def read_export(source: str | Path | bytes, name: str | None = None, overrides: dict[str, str] | None = None,
                remembered: dict[str, dict[str, str]] | None = None,
                value_overrides: dict[str, dict[str, int | str]] | None = None,
                remembered_values: dict[str, dict[str, dict[str, int | str]]] | None = None,
                keep_personal: bool = False) -> FileReading:
    """Read one export file (path or bytes).

    `overrides`: header text -> field ('' to ignore the column); `remembered`: header signature -> overrides that
    worked before for files with the same headers. `value_overrides`: field ("status", "channel", "level") ->
    {wording: code} (status 1–10, channel 1–3, level a key of `levels.LEVELS`), wording compared without
    diacritics, case or spacing; they win over every other reading. `remembered_values`: header signature -> value
    overrides used before for files with the same headers (the given ones win). `keep_personal`: also return the
    applicants' data, masked (`personal.masked`), in the reading's `personal`; otherwise it is dropped unread."""
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        try:
            check_size(Path(source).stat().st_size, name)  # before a byte is read
            data = Path(source).read_bytes()
        except q.FileRejected as rejection:
            return _rejected(name, "", rejection.issue)
        except OSError:
            return _rejected(name or str(source), "", q.Issue(
                q.NOT_A_SPREADSHEET, q.FILE, "Không mở được tệp. Hãy kiểm tra đường dẫn và quyền đọc tệp.",
                file=name or str(source)))
    else:
        data = source if isinstance(source, bytes) else bytes(source)
    name = name or "tệp tải lên"
    digest = hashlib.sha256(data).hexdigest()
    try:
        reading = _read(data, name, digest, overrides or {}, remembered or {}, value_overrides or {},
                        remembered_values or {}, keep_personal)
    except q.FileRejected as rejection:
        reading = _rejected(name, digest, rejection.issue)
    except csv.Error:
        reading = _rejected(name, digest, q.Issue(q.CORRUPT_FILE, q.FILE, "Tệp CSV sai cấu trúc nên không đọc được. "
                                                  "Hãy mở tệp bằng Excel rồi lưu lại dạng .xlsx hoặc 'CSV UTF-8'.",
                                                  file=name))
    except MemoryError:
        reading = _rejected(name, digest, q.Issue(q.TOO_LARGE, q.FILE, "Tệp quá lớn để đọc trên máy này. Hãy tách "
                                                  "tệp theo quý hoặc theo đơn vị rồi tải lên từng phần.", file=name))
    reading.issues = [v.masked_issue(i) for i in reading.issues]
    return reading


def _rejected(name: str, digest: str, issue: q.Issue) -> FileReading:
    return FileReading(name=name, sha256=digest, records=empty_records(), issues=[issue])


# --- From a text table to records ----------------------------------------------------------------------------

def _read(data: bytes, name: str, digest: str, overrides: dict[str, str], remembered: dict[str, dict[str, str]],
          value_overrides: dict, remembered_values: dict, keep_personal: bool = False) -> FileReading:
    kind = file_kind(data, name)
    result = FileReading(name=name, sha256=digest, records=empty_records())
    suffix = Path(name).suffix.lower()
    if kind == "csv" and suffix not in (".csv", ".txt", ""):
        result.issues.append(q.Issue(q.WRONG_EXTENSION, q.NOTICE, f"Tệp mang đuôi {suffix} nhưng thực chất là CSV; "
                                     "đã đọc như tệp CSV. Nên đổi đuôi tệp thành .csv.", file=name))
    given_values = _checked_value_overrides(value_overrides, name, result.issues)
    tables = sheets_of(data, kind, name, wanted=_has_header)
    if all(t.empty or t.isna().all().all() for _, t in tables):
        raise reject(q.EMPTY_FILE, "Tệp không có dữ liệu (mọi trang tính đều trống). Hãy kiểm tra lại tệp xuất.",
                      name)
    frames, near_misses = [], []
    applicants: list[pd.DataFrame] | None = [] if keep_personal else None  # masked, one frame per sheet
    values_seen: dict[str, dict[str, dict]] = {}
    header_notices: dict[tuple, q.Issue] = {}
    for sheet_name, table in tables:
        located = _sheet_header(table)
        if located is None:
            continue
        top, depth, names = located
        signature = header_signature(names)
        sheet_overrides = {**remembered.get(signature, {}), **overrides}
        chosen = _mapping(names, sheet_overrides)
        looks_personal = _personal_values(chosen, names, table, top + depth)
        notices = _header_notices(chosen, name, sheet_name, top + 1) + [
            _personal_values_notice(text, seen, chosen.mapping.get(text), name, sheet_name, top + 1)
            for text, seen in looks_personal]
        missing = [f for f in s.REQUIRED_FIELDS if f not in chosen.mapping.values()]
        if missing:
            near_misses.append((sheet_name, top, names, missing, notices))
            continue
        for notice in notices:  # one notice per distinct header text and reading, whichever sheet shows it first
            header_notices.setdefault((notice.code, notice.column, notice.value), notice)
        sheet = SheetReading(sheet_name, top + 1, names, chosen.mapping, chosen.ignored, read_by=chosen.read_by,
                             ambiguous=chosen.ambiguous)
        sheet_values = _merged_values(_checked_value_overrides(remembered_values.get(signature, {}), name, []),
                                      given_values)
        frames.append(_sheet_records(table, sheet, top + depth, name, result, sheet_values, values_seen,
                                     applicants))
        result.sheets.append(sheet)
    if not frames:
        result.header_candidates = [t for t in near_misses[0][2] if t] if near_misses else []
        if near_misses:
            result.issues += [i for i in near_misses[0][4] if i.code in (q.AMBIGUOUS_HEADER, q.PERSONAL_COLUMN)]
        result.issues.append(_header_problem(name, near_misses, tables).issue)
        result.records = empty_records()
        return result
    result.issues[:0] = list(header_notices.values())
    result.missing_fields = _missing_fields(result, name)
    result.value_counts = {f: sorted(seen.values(), key=lambda d: (-d["count"], str(d["value"])))
                           for f, seen in values_seen.items()}
    result.records = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if applicants:
        result.personal = pd.concat(applicants, ignore_index=True)
    return result


def _has_header(first_rows: list[list]) -> bool:
    """Whether a sheet's first rows hold a header: the others are never read further (`sheets.sheets_of`)."""
    return h.find_header(first_rows) is not None


def _sheet_header(table: pd.DataFrame) -> tuple[int, int, list[str]] | None:
    head = table.head(h.HEADER_SCAN_ROWS)
    rows = [[None if pd.isna(x) else x for x in row] for row in head.itertuples(index=False, name=None)]
    found = h.find_header(rows)
    if found is None:
        return None
    top, depth = found
    names = h.header_names(rows[top], rows[top + 1] if depth == 2 else None)
    return top, depth, names


@dataclass
class _Chosen:
    mapping: dict[str, str]                  # header text -> field, for the columns used
    ignored: list[str]                       # header texts not used
    duplicates: list[tuple[str, str]]        # (header text, header text used instead for the same field)
    read_by: dict[str, str]                  # header text -> how it was read, for the columns used
    ambiguous: dict[str, list[str]]          # header text -> the fields its phrases name
    refused: list[tuple[str, str]] = field(default_factory=list)  # (personal column, the field a mapping named)


def _mapping(names: list[str], overrides: dict[str, str]) -> _Chosen:
    """Which column stands for which field. A user's mapping first; else exact wording, else the phrases inside it.

    A column read as personal data (`headers.is_personal`) keeps its reading, and so is dropped, whatever a mapping
    says: a mapping naming another field for it is refused (`refused`); ignoring it is fine.

    When several columns name one field, a column the user mapped is used; else the one naming it best
    (`headers.preference`: "Ngày tiếp nhận" before "Ngày nộp", a channel column naming the submission before one that
    does not), then exact wording before a phrase, then the first column; the others are duplicates.
    """
    by_key = {h.header_key(k): f for k, f in overrides.items()}
    candidates, ignored, ambiguous, refused = [], [], {}, []
    for position, text in enumerate(names):
        if not text:
            continue
        key = h.header_key(text)
        if key in by_key and by_key[key] and personal.names_personal_data(text) \
                and by_key[key] not in s.PERSONAL_FIELDS:
            refused.append((text, by_key[key]))
            match = h.match_key(key)
            target, how = match.field, match.how
        elif key in by_key:
            target, how = by_key[key], h.OVERRIDE
        else:
            match = h.match_key(key)
            target, how = match.field, match.how
            if how == h.AMBIGUOUS:
                ambiguous[text] = list(match.candidates)
        if target:
            rank = (how == h.OVERRIDE, h.preference(target, key), how == h.EXACT, -position)
            candidates.append((rank, text, target, how))
        else:
            ignored.append(text)
    best: dict[str, tuple] = {}
    for candidate in candidates:
        target = candidate[2]
        if target not in best or candidate[0] > best[target][0]:
            best[target] = candidate
    mapping, read_by, duplicates = {}, {}, []
    for rank, text, target, how in candidates:
        winner = best[target]
        if winner[1] == text and text not in mapping:
            mapping[text], read_by[text] = target, how
        else:
            duplicates.append((text, winner[1]))
    return _Chosen(mapping, ignored, duplicates, read_by, ambiguous, refused)


PERSONAL_SAMPLE_ROWS = 4000  # the rows of a column mapped by hand that are looked at for personal data


def _personal_values(chosen: _Chosen, names: list[str], table: pd.DataFrame, first: int) -> list[tuple]:
    """The columns mapped by hand whose values look like personal data (personal.looks): a column whose look is
    refused (phone numbers, e-mail addresses, ID numbers, names that differ row to row) is taken out of the mapping
    and ignored; one only warned about stays. [(header text, Looks)]."""
    found = []
    for text, how in list(chosen.read_by.items()):
        if how != h.OVERRIDE or chosen.mapping.get(text) in s.PERSONAL_FIELDS or text not in names:
            continue
        seen = personal.looks(table.iloc[first:first + PERSONAL_SAMPLE_ROWS, names.index(text)])
        if seen is None:
            continue
        if seen.refused:
            chosen.mapping.pop(text)
            chosen.read_by.pop(text)
            chosen.ignored.append(text)
        found.append((text, seen))
    return found


def _personal_values_notice(text: str, seen, kept: str | None, name: str, sheet: str, row: int) -> q.Issue:
    """What became of a column mapped by hand that looks like personal data: refused (`kept` None), or kept with a
    warning."""
    if kept is None:
        return q.Issue(q.PERSONAL_COLUMN, q.NOTICE, f'Cột "{text}" được ánh xạ bằng tay nhưng các giá trị {seen.words}: '
                       "dữ liệu cá nhân không được lưu (Nghị định 13/2023/NĐ-CP), nên cột này bị bỏ qua. Nếu cột "
                       "thực ra không chứa dữ liệu cá nhân, hãy kiểm tra lại tệp.", file=name, sheet=sheet, row=row,
                       column=text)
    return q.Issue(q.PERSONAL_COLUMN, q.NOTICE, f'Cột "{text}" được ánh xạ bằng tay thành "{s.FIELD_LABELS.get(kept, kept)}" '
                   f"và các giá trị {seen.words}. Nếu đó là họ tên người nộp, hãy bỏ ánh xạ này: dữ liệu cá nhân không "
                   "được lưu.", file=name, sheet=sheet, row=row, column=text, value=kept)


def _header_notices(chosen: _Chosen, name: str, sheet: str, row: int) -> list[q.Issue]:
    out = []
    for text, how in chosen.read_by.items():
        if how == h.PHRASE:
            target = chosen.mapping[text]
            out.append(q.Issue(q.MATCHED_BY_PHRASE, q.NOTICE, f'Cột "{text}" được đọc là "{s.FIELD_LABELS[target]}" '
                               f"({target}) theo cụm từ quen thuộc nằm trong tên cột. Nếu sai, hãy sửa ánh xạ cột "
                               "(--map hoặc bảng ánh xạ cột ở trang Dữ liệu).", file=name, sheet=sheet, row=row,
                               column=text, value=target))
    for text, fields in chosen.ambiguous.items():
        named = " hoặc ".join(f'"{s.FIELD_LABELS[f]}" ({f})' for f in fields)
        out.append(q.Issue(q.AMBIGUOUS_HEADER, q.NOTICE, f'Tên cột "{text}" có thể là {named} nên cột chưa được '
                           f'dùng. Nếu cần dùng, hãy chỉ rõ bằng ánh xạ cột (ví dụ --map "{text}={fields[0]}" hoặc '
                           "bảng ánh xạ cột ở trang Dữ liệu).", file=name, sheet=sheet, row=row, column=text,
                           value=", ".join(fields)))
    for text, target in chosen.refused:
        personal_field = h.field_for(text)
        personal = s.FIELD_LABELS.get(personal_field, "dữ liệu cá nhân") if personal_field else "dữ liệu cá nhân"
        wanted = f'"{s.FIELD_LABELS[target]}" ({target})' if target in s.FIELD_LABELS else f'"{target}"'
        out.append(q.Issue(q.PERSONAL_COLUMN, q.NOTICE, f'Cột "{text}" là dữ liệu cá nhân ({personal}) nên không '
                           f"được ánh xạ thành {wanted}: dữ liệu cá nhân không được lưu (Nghị định 13/2023/NĐ-CP), "
                           "cột này bị bỏ qua. Nếu cột thực ra không chứa dữ liệu cá nhân, hãy đổi tên cột trong tệp "
                           "cho đúng nội dung rồi nhập lại.", file=name, sheet=sheet, row=row, column=text,
                           value=target))
    for text, used in chosen.duplicates:
        out.append(q.Issue(q.DUPLICATE_COLUMN, q.NOTICE, f'Cột "{text}" trùng nghĩa với cột "{used}" nên không được '
                           "dùng. Nếu cần dùng cột này, hãy sửa ánh xạ cột.", file=name, sheet=sheet, row=row,
                           column=text))
    return out


def _checked_value_overrides(given: dict, name: str, issues: list) -> dict[str, dict[str, object]]:
    """The user's value mappings that name a code (status 1–10, channel 1–3, a level); the others are listed."""
    out: dict[str, dict[str, object]] = {}
    for field_name, mapping in (given or {}).items():
        for wording, code in (mapping or {}).items():
            read = _value_code(field_name, code)
            if read is None:
                issues.append(q.Issue(q.BAD_VALUE_MAPPING, q.NOTICE, f'Ánh xạ giá trị "{field_name}:{wording}='
                                      f'{code}" không dùng được: trạng thái là mã 1–10, hình thức nộp là mã 1–3, cấp '
                                      'là "Cấp tỉnh", "Cấp huyện" hoặc "Cấp xã".', file=name, value=str(wording)))
            else:
                out.setdefault(field_name, {})[str(wording)] = read
    return out


def _value_code(field_name: str, code) -> int | str | None:
    if field_name == s.LEVEL:
        text = str(code).strip()
        if text in LEVELS:
            return text
        return LEVEL_BY_KEY.get(h.plain_key(text))
    limit = {s.STATUS: 10, s.CHANNEL: 3}.get(field_name)
    try:
        number = float(str(code).strip())
    except ValueError:
        return None
    return int(number) if limit and number.is_integer() and 1 <= number <= limit else None


def _merged_values(first: dict, then: dict) -> dict:
    return {f: {**first.get(f, {}), **then.get(f, {})} for f in set(first) | set(then)}


_MISSING_MESSAGES = {
    s.CHANNEL: ("Không tách được trực tuyến / trực tiếp: tệp {file} không có cột hình thức nộp; mọi hồ sơ đang tính "
                "vào cột (5) \"Trực tiếp, dịch vụ bưu chính\", cột (4) \"Trực tuyến\" bằng 0. Nếu tệp có cột này "
                "dưới tên khác, hãy chỉ rõ bằng ánh xạ cột (--map \"Tên cột=channel\")."),
    s.DUE_DATE: ("Không phân biệt được trước hạn / đúng hạn / quá hạn: tệp {file} không có cột ngày hẹn trả; hồ sơ "
                 "đã giải quyết được tính là đúng hạn, hồ sơ đang giải quyết là trong hạn. Nếu tệp có cột này dưới "
                 "tên khác, hãy chỉ rõ bằng ánh xạ cột (--map \"Tên cột=due_date\"), hoặc dùng danh mục thủ tục "
                 "(--catalog) để tính ngày hẹn trả."),
    s.FINISH_DATES: ("Không biết hồ sơ nào đã giải quyết xong: tệp {file} không có cột ngày có kết quả hay ngày trả kết "
               "quả; mọi hồ sơ được tính là đang giải quyết, hồ sơ có trạng thái đã kết thúc không xếp được vào cột "
               "nào. Nếu tệp có cột này dưới tên khác, hãy chỉ rõ bằng ánh xạ cột (--map \"Tên cột=completed_date\")."),
    s.STATUS: ("Trạng thái suy ra từ ngày tháng: tệp {file} không có cột trạng thái; hồ sơ có ngày có kết quả hoặc "
               "ngày trả là đã trả kết quả (10), còn lại là đang xử lý (4); không nhận ra hồ sơ rút, dừng xử lý hay "
               "không được tiếp nhận. Nếu tệp có cột này dưới tên khác, hãy chỉ rõ bằng ánh xạ cột "
               "(--map \"Tên cột=status\")."),
}


def _missing_fields(result: FileReading, name: str) -> list[str]:
    """The caveat fields some sheet read has no column for, each with a notice saying what it prevents."""
    missing = []
    for sheet in result.sheets:
        fields = set(sheet.mapping.values())
        lacking = {s.CHANNEL: s.CHANNEL not in fields,
                   s.DUE_DATE: not fields & {s.DUE_DATE, s.ORIGINAL_DUE_DATE},
                   s.FINISH_DATES: not fields & {s.COMPLETED_DATE, s.RETURNED_DATE},
                   s.STATUS: s.STATUS not in fields}
        for f in s.CAVEAT_FIELDS:
            if lacking[f]:
                result.issues.append(q.Issue(q.MISSING_FIELD, q.NOTICE, _MISSING_MESSAGES[f].format(file=name),
                                             file=name, sheet=sheet.sheet, value=f))
                if f not in missing:
                    missing.append(f)
    return [f for f in s.CAVEAT_FIELDS if f in missing]


def _header_problem(name: str, near_misses: list, tables: list) -> q.FileRejected:
    if near_misses:
        sheet_name, top, names, missing, _ = near_misses[0]
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
# What may follow the total words in a total row's first cell: "Tổng cộng: 1.365 hồ sơ", "Tổng số hồ sơ". Any other
# word makes it a name ("Công an thành phố", "Công chứng", "Tổng cục Thuế"), not a total.
_AFTER_TOTAL = {"so", "ho", "hs", "ca", "toan", "bo", "cong"}


def _is_numbering_row(row: list) -> bool:
    cells = [str(x).strip() for x in row if x is not None and str(x).strip()]
    if len(cells) < 3 or not all(_NUMBER_CELL.match(c) for c in cells):
        return False
    numbers = [int(re.sub(r"\D", "", c)) for c in cells]
    return any(c.startswith("(") for c in cells) or numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _is_total_row(row: list) -> bool:
    """The first filled cell says "Tổng cộng", "Tổng số", "Tổng", "Cộng" or "Total", followed by nothing but a number
    and words such as "hồ sơ"."""
    first = next((x for x in row if x is not None and str(x).strip()), None)
    key = h.plain_key(first) if first is not None else ""
    return any(key == w or (key.startswith(w + " ") and all(word.isdigit() or word in _AFTER_TOTAL
                                                             for word in key[len(w) + 1:].split()))
               for w in _TOTAL_WORDS)


_DUE_FIELDS = (s.DUE_DATE, s.ORIGINAL_DUE_DATE)  # "Trong ngày", "Không quy định" are read there (values.due_word)
_PARSERS = {s.CASE_ID: v.clean_id, **{f: v.parse_due_dates if f in _DUE_FIELDS else v.parse_dates
                                      for f in s.DATE_FIELDS},
            **{f: v.clean_text for f in s.TEXT_FIELDS}, s.LEVEL: v.level_column, s.STATUS: v.status_column,
            s.CHANNEL: v.channel_column, s.APOLOGY: v.parse_apology, s.EXTENSIONS: v.parse_extensions,
            s.EARLIER_DUE_DATES: v.parse_earlier_due_dates, s.ONLINE_LEVEL_COLUMN: v.parse_online_levels,
            s.RATING: v.parse_ratings}
_WORKERS = min(4, os.cpu_count() or 1)


def _parsed_columns(columns: dict[str, pd.Series], value_overrides: dict) -> dict:
    """Every mapped column cleaned by its parser, columns in parallel (Arrow compute releases the GIL)."""
    parsers = {**_PARSERS, **{f: partial(_PARSERS[f], overrides=value_overrides.get(f)) for f in VALUE_FIELDS}}
    with ThreadPoolExecutor(_WORKERS) as pool:
        futures = {f: pool.submit(parsers[f], c) for f, c in columns.items() if f in parsers}
        return {f: future.result() for f, future in futures.items()}


def _selector(mask: np.ndarray):
    """A function picking the masked rows of a Series or Index: a zero-copy slice when they are one block
    (the usual case: the data between the header and the total row), else a boolean filter."""
    positions = np.flatnonzero(mask)
    if len(positions) and positions[-1] - positions[0] + 1 == len(positions):
        first, last = positions[0], positions[-1] + 1
        return lambda values: values[first:last] if isinstance(values, pd.Index) else values.iloc[first:last]
    return lambda values: values[mask]


def _sheet_records(table: pd.DataFrame, sheet: SheetReading, first_data: int, name: str, result: FileReading,
                   value_overrides: dict, values_seen: dict, applicants: list | None = None) -> pd.DataFrame:
    body = table.iloc[first_data:]
    columns = {field: body.iloc[:, sheet.headers.index(text)] for text, field in sheet.mapping.items()}
    parsed = _parsed_columns(columns, value_overrides)
    data, missing_id = _dossier_rows(body, parsed[s.CASE_ID], columns, parsed[s.RECEIVED_DATE][0].notna(), sheet,
                                     name, result)
    pick = _selector(data)
    rows = pick(body.index)
    sheet.data_rows = len(rows)
    result.rows_read += len(rows) + missing_id
    raw = {f: pick(c) for f, c in columns.items()}
    coded = {f: v.ValueColumn(pick(pd.Series(parsed[f].index, index=body.index)).to_numpy(), parsed[f].texts,
                              parsed[f].wordings) for f in VALUE_FIELDS if f in parsed}
    out = pd.DataFrame(index=rows)
    out[s.CASE_ID] = pick(parsed[s.CASE_ID])
    bad = pd.Series(False, index=rows)

    for f in s.TEXT_FIELDS:
        if f == s.LEVEL and f in coded:
            out[f] = v.named_levels(coded[f], rows)
        else:
            out[f] = pick(parsed[f]) if f in parsed else pd.Series(pd.NA, index=rows, dtype="string")
    # Dates: only an unreadable received date skips the row; any other unreadable date is left missing and marked
    # (the dossier stays in the counts); a due date in words reads as its rule says.
    unreadable_of, words_of = {}, {}
    for f in s.DATE_FIELDS:
        if f not in parsed:
            out[f] = pd.Series(pd.NaT, index=rows, dtype="datetime64[s]")
            continue
        dates, unreadable, *words = (pick(x) for x in parsed[f])
        if words:
            words_of[f] = words[0].to_numpy()
            dates = dates.mask(words_of[f] == v.SAME_DAY, out[s.RECEIVED_DATE])
        out[f] = dates
        if f == s.RECEIVED_DATE:
            _check_column(unreadable, raw[f], sheet, f, name)
            bad |= _row_issues(result, unreadable, raw[f], sheet, f, name, q.BAD_DATE,
                               lambda value: f'"{value}" không phải là ngày: hồ sơ không có ngày tiếp nhận thì không '
                                             "thuộc kỳ nào nên dòng bị bỏ qua. Hãy dùng dạng 31/03/2019 "
                                             "(ngày/tháng/năm).")
        else:
            unreadable_of[f] = unreadable.to_numpy()
    no_cells = np.zeros(len(rows), dtype=bool)
    for flag, fields in ((s.DUE_DATE_UNREADABLE, _DUE_FIELDS), (s.FINISH_DATE_UNREADABLE,
                                                                  (s.COMPLETED_DATE, s.RETURNED_DATE))):
        out[flag] = pd.array(np.logical_or.reduce([unreadable_of.get(f, no_cells) for f in fields]), dtype="boolean")
    # Statuses: a wording not read keeps its row; the status is then inferred from the dates, as for a blank one.
    no_code = np.full(len(rows), -1, dtype=np.int16)
    unread = {f: (coded[f].unreadable() if f in coded else np.zeros(len(rows), dtype=bool))
              for f in (s.STATUS, s.CHANNEL)}
    for f in (s.STATUS, s.CHANNEL):
        if f in coded:
            _check_column(pd.Series(unread[f], index=rows), raw[f], sheet, f, name)
    code = _codes(coded[s.STATUS], -1) if s.STATUS in coded else no_code
    finished = (out[s.COMPLETED_DATE].notna() | out[s.RETURNED_DATE].notna()).to_numpy()
    out[s.STATUS_INFERRED] = code <= 0
    out[s.STATUS_CODE] = pd.array(np.where(code > 0, code, np.where(finished, 10, 4)), dtype="Int8")
    out[s.STATUS_UNRECOGNISED] = pd.array(unread[s.STATUS], dtype="boolean")
    # Channels: blank or a wording not read = in person (column (5)), the latter marked.
    if s.CHANNEL in coded:
        out[s.CHANNEL_CODE] = pd.array(_codes(coded[s.CHANNEL], s.CHANNEL_IN_PERSON), dtype="Int8")
        out[s.ONLINE_LEVEL] = pd.Series(coded[s.CHANNEL].per_cell([w.online_level for w in
                                                                   coded[s.CHANNEL].wordings], None),
                                        index=rows, dtype="string")
    else:
        out[s.CHANNEL_CODE] = pd.Series(s.CHANNEL_IN_PERSON, index=rows, dtype="Int8")
        out[s.ONLINE_LEVEL] = pd.Series(pd.NA, index=rows, dtype="string")
    out[s.CHANNEL_UNRECOGNISED] = pd.array(unread[s.CHANNEL], dtype="boolean")
    _experience_columns(out, parsed, pick, rows, raw, sheet, name, result)
    out[s.SOURCE_SHEET] = sheet.sheet
    out[s.SOURCE_ROW] = (rows + 1).astype("int64")
    kept = ~bad.to_numpy()
    result.rows_skipped += int(bad.sum()) + missing_id
    row_numbers = (rows + 1).to_numpy()
    for f, unreadable in unreadable_of.items():
        _unreadable_date_notices(f, unreadable & kept, raw[f], kept, row_numbers, sheet, name, result)
    for f, words in words_of.items():
        _due_word_notices(f, words, raw[f], kept, row_numbers, sheet, name, result)
    for f, column in coded.items():
        _wording_notices(f, column, kept, row_numbers, sheet, name, result, values_seen)
    if applicants is not None and any(f in raw for f in personal.MASKS):  # asked for: masked before it is kept
        found = pd.DataFrame({s.CASE_ID: out[s.CASE_ID], **{f: raw[f] for f in personal.MASKS if f in raw}})
        applicants.append(personal.masked(found[kept]))
    return out[kept][s.RECORD_COLUMNS].reset_index(drop=True)


def _experience_columns(out: pd.DataFrame, parsed: dict, pick, rows: pd.Index, raw: dict, sheet: SheetReading,
                        name: str, result: FileReading) -> None:
    """What citizens' experience is measured on (DOMAIN.md): the letter, the moved due dates, the rating, the online
    level of a column of its own. A column the file lacks leaves its values missing (unknown), never "no"/0."""
    letter_date = out[s.APOLOGY_DATE]
    if s.APOLOGY in parsed:   # "Có" / "x" / a number, or the letter's date written there
        flag = pick(parsed[s.APOLOGY]).astype("boolean")
        written = v.letter_dates(raw[s.APOLOGY])
        out[s.APOLOGY_DATE] = letter_date.fillna(written)
        out[s.APOLOGY] = flag | out[s.APOLOGY_DATE].notna()
    elif s.APOLOGY_DATE in parsed:   # a letter date column alone: a date = a letter, blank = none
        out[s.APOLOGY] = letter_date.notna().astype("boolean")
    else:
        out[s.APOLOGY] = pd.Series(pd.NA, index=rows, dtype="boolean")
    count = None
    if s.EXTENSIONS in parsed:
        count, unread = (pick(x) for x in parsed[s.EXTENSIONS])
        _value_notices(result, unread, raw[s.EXTENSIONS], sheet, s.EXTENSIONS, name,
                       "không phải số lần gia hạn; coi như chưa rõ số lần gia hạn của hồ sơ này. Hãy ghi một số "
                       "(0, 1, 2 …)")
    if s.EARLIER_DUE_DATES in parsed:
        listed, earliest, unread = (pick(x) for x in parsed[s.EARLIER_DUE_DATES])
        _value_notices(result, unread, raw[s.EARLIER_DUE_DATES], sheet, s.EARLIER_DUE_DATES, name,
                       "có phần không phải ngày; chỉ các ngày đọc được được tính. Hãy ghi các ngày dạng 31/03/2019, "
                       "cách nhau bằng dấu chấm phẩy")
        count = listed if count is None else count.fillna(listed).combine(listed, max)
        if s.ORIGINAL_DUE_DATE not in parsed:   # the first due date listed is the original one (lateness)
            out[s.ORIGINAL_DUE_DATE] = earliest
            if earliest.notna().any():
                result.issues.append(q.Issue(
                    q.ORIGINAL_DUE_FROM_LIST, q.NOTICE, f'Tệp không có cột ngày hẹn trả ban đầu: ngày sớm nhất ở cột '
                    f'"{_header_of(sheet, s.EARLIER_DUE_DATES)}" được dùng làm ngày hẹn trả ban đầu (trước hạn / '
                    "đúng hạn / quá hạn tính theo ngày đó).", file=name, sheet=sheet.sheet,
                    column=_header_of(sheet, s.EARLIER_DUE_DATES)))
    out[s.EXTENSIONS] = count if count is not None else pd.Series(pd.NA, index=rows, dtype="Int8")
    if s.RATING in parsed:
        codes, unread_words = parsed[s.RATING]
        out[s.RATING] = pick(codes)
        header = _header_of(sheet, s.RATING)
        for text, n in unread_words:
            result.issues.append(q.Issue(
                q.VALUE_UNREAD, q.NOTICE, f'Đánh giá "{text}" ở cột "{header}" không phải "Rất hài lòng", '
                f'"Hài lòng" hay "Không hài lòng" ({n} hồ sơ): được tính là chưa đánh giá. Nếu là một mức hài lòng, '
                "hãy sửa trong tệp cho đúng một trong ba mức rồi nhập lại.", file=name, sheet=sheet.sheet,
                column=header, value=text))
    else:
        out[s.RATING] = pd.Series(pd.NA, index=rows, dtype="Int8")
    if s.ONLINE_LEVEL_COLUMN in parsed:   # its own column wins over what the channel's wording says
        out[s.ONLINE_LEVEL] = pick(parsed[s.ONLINE_LEVEL_COLUMN]).fillna(out[s.ONLINE_LEVEL])


def _value_notices(result: FileReading, unread: pd.Series, raw: pd.Series, sheet: SheetReading, field_name: str,
                   name: str, effect: str) -> None:
    """One notice per distinct value not read (its rows kept)."""
    header = _header_of(sheet, field_name)
    mask = unread.to_numpy(dtype=bool)
    for text, n, row in _by_value(mask, raw, (raw.index + 1).to_numpy())[:MAX_VALUE_NOTICES]:
        result.issues.append(q.Issue(q.VALUE_UNREAD, q.NOTICE, f'"{text}" ở cột "{header}" {effect} ({n} hồ sơ, '
                                     f"dòng đầu tiên {row}).", file=name, sheet=sheet.sheet, row=row, column=header,
                                     value=text))


def _codes(column: v.ValueColumn, unread) -> np.ndarray:
    """Each cell's code; `unread` for cells whose wording was not read (and for blank cells)."""
    per_text = [w.read_as if w.read_as is not None else unread for w in column.wordings]
    return column.per_cell(per_text, unread, dtype=np.int16)


def _describe(field_name: str, read_as) -> str:
    if field_name == s.STATUS:
        return f'trạng thái {read_as} "{s.STATUS_LABELS[read_as]}"'
    if field_name == s.CHANNEL:
        return f'hình thức nộp {read_as} "{s.CHANNEL_LABELS[read_as]}"'
    return f'"{read_as}"'


_HOW_TO_MAP = {
    s.STATUS: '--map-value "status:{value}=<mã 1–10>"',
    s.CHANNEL: '--map-value "channel:{value}=<mã: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích>"',
    s.LEVEL: '--map-value "level:{value}=Cấp huyện"',
}
_UNREAD_CODES = {s.STATUS: q.STATUS_UNRECOGNISED, s.CHANNEL: q.CHANNEL_UNRECOGNISED}


def _wording_notices(field_name: str, column: v.ValueColumn, kept: np.ndarray, row_numbers: np.ndarray,
                     sheet: SheetReading, name: str, result: FileReading, values_seen: dict) -> None:
    """Count each distinct wording of the rows kept (for `value_counts`) and give one notice per wording read by a
    phrase or not read at all, with its number of rows and its first row. Works on distinct values, not rows."""
    index = column.index[kept]
    counts = np.bincount(index[index >= 0], minlength=len(column.texts))
    seen = values_seen.setdefault(field_name, {})
    noted = [k for k, w in enumerate(column.wordings) if counts[k] and (
        w.how == v.PHRASE or (w.how not in v.READABLE and field_name in _UNREAD_CODES))]
    first_row = {}
    if noted:
        present, first = np.unique(index, return_index=True)
        first_row = {int(k): int(row_numbers[kept][p]) for k, p in zip(present, first) if k >= 0}
    for k, (text, wording) in enumerate(zip(column.texts, column.wordings)):
        if not counts[k]:
            continue
        entry = seen.setdefault(text, {"value": text, "count": 0, "read_as": wording.read_as, "how": wording.how,
                                       "candidates": list(wording.candidates)})
        entry["count"] += int(counts[k])
    header = _header_of(sheet, field_name)
    how_to = _HOW_TO_MAP[field_name]
    for k in noted:
        text, wording, n, row = column.texts[k], column.wordings[k], int(counts[k]), first_row[k]
        mapping = how_to.format(value=text)
        if wording.how == v.PHRASE:
            result.issues.append(q.Issue(
                q.MATCHED_BY_PHRASE, q.NOTICE, f'"{text}" ở cột "{header}" được đọc là '
                f"{_describe(field_name, wording.read_as)} theo cụm từ quen thuộc nằm bên trong ({n} hồ sơ, dòng đầu "
                f"tiên {row}). Nếu sai, hãy chỉ đúng bằng {mapping} hoặc bảng ánh xạ giá trị ở trang Dữ liệu.",
                file=name, sheet=sheet.sheet, row=row, column=header, value=text))
            continue
        if wording.how == v.AMBIGUOUS:
            named = " hoặc ".join(_describe(field_name, c) for c in wording.candidates)
            what = f'"{text}" ở cột "{header}" có thể là {named} nên không đoán'
        elif field_name == s.STATUS:
            what = f'Trạng thái "{text}" không có trong danh mục trạng thái (mã 1–10) nên chưa đọc được'
        else:
            what = f'Hình thức nộp "{text}" không rõ'
        effect = ("các hồ sơ này vẫn được tính, trạng thái suy ra từ ngày tháng như khi để trống (có ngày có kết quả "
                  "hoặc ngày trả: đã trả kết quả (10), còn lại: đang xử lý (4))" if field_name == s.STATUS else
                  'các hồ sơ này được tính như nộp trực tiếp, vào cột (5) "Trực tiếp, dịch vụ bưu chính"')
        result.issues.append(q.Issue(
            _UNREAD_CODES[field_name], q.NOTICE, f"{what} ({n} hồ sơ, dòng đầu tiên {row}); {effect}. Để đọc đúng, "
            f"hãy chỉ mã cho cách ghi này: {mapping} hoặc bảng ánh xạ giá trị ở trang Dữ liệu.",
            file=name, sheet=sheet.sheet, row=row, column=header, value=text))


# What a date that cannot be read does to its dossier (the row is kept), by field.
_UNREADABLE_EFFECT = {
    s.DUE_DATE: "hồ sơ vẫn được tính, coi như không có ngày hẹn trả (đúng hạn nếu đã giải quyết, trong hạn nếu đang "
                "giải quyết)",
    s.ORIGINAL_DUE_DATE: "hồ sơ vẫn được tính, trước hạn / đúng hạn / quá hạn tính theo ngày hẹn trả",
    s.COMPLETED_DATE: "hồ sơ vẫn được tính, coi như chưa có ngày có kết quả (dùng ngày trả kết quả nếu có)",
    s.RETURNED_DATE: "hồ sơ vẫn được tính, coi như chưa có ngày trả kết quả",
    s.APOLOGY_DATE: "hồ sơ vẫn được tính, coi như không rõ ngày văn bản xin lỗi",
}
MAX_VALUE_NOTICES = 20  # per column: the other unreadable values are said together in one more notice


def _by_value(mask: np.ndarray, raw: pd.Series, row_numbers: np.ndarray) -> list[tuple[str, int, int]]:
    """(text, number of cells, first row) of each distinct text of the masked cells, first seen first."""
    if not mask.any():
        return []
    frame = pd.DataFrame({"text": raw[mask].astype(str).str.strip().to_numpy(), "row": row_numbers[mask]})
    grouped = frame.groupby("text", sort=False)["row"].agg(["size", "min"]).sort_values("min", kind="stable")
    return [(text, int(n), int(row)) for text, n, row in zip(grouped.index, grouped["size"], grouped["min"])]


def _unreadable_date_notices(field_name: str, unreadable: np.ndarray, raw: pd.Series, kept: np.ndarray,
                             row_numbers: np.ndarray, sheet: SheetReading, name: str, result: FileReading) -> None:
    """A notice per distinct value of a date column (not the received date) that is not a date: the rows stay.
    When most of the column is so, one more notice says the column may be mapped wrongly."""
    header, effect = _header_of(sheet, field_name), _UNREADABLE_EFFECT[field_name]
    found = _by_value(unreadable, raw, row_numbers)
    for text, n, row in found[:MAX_VALUE_NOTICES]:
        result.issues.append(q.Issue(
            q.DATE_UNREADABLE, q.NOTICE, f'"{text}" không phải là ngày ({n} hồ sơ, dòng đầu tiên {row}); {effect}. '
            "Hãy sửa thành dạng 31/03/2019 (ngày/tháng/năm) trong phần mềm một cửa hoặc trong tệp rồi nhập lại.",
            file=name, sheet=sheet.sheet, row=row, column=header, value=text))
    if len(found) > MAX_VALUE_NOTICES:
        rest = found[MAX_VALUE_NOTICES:]
        cells, first = sum(n for _, n, _ in rest), min(r for _, _, r in rest)
        result.issues.append(q.Issue(
            q.DATE_UNREADABLE, q.NOTICE, f"Còn {len(rest)} cách ghi khác không phải là ngày ({cells} hồ sơ, dòng đầu "
            f"tiên {first}); {effect}. Hãy sửa thành dạng 31/03/2019 rồi nhập lại.", file=name, sheet=sheet.sheet,
            row=first, column=header))
    filled = int(raw[kept].notna().sum())
    count = int(unreadable.sum())
    if filled >= 10 and count > BAD_COLUMN_SHARE * filled:
        examples = ", ".join(f'"{text}"' for text, _, _ in found[:3])
        result.issues.append(q.Issue(
            q.DATE_COLUMN_UNREADABLE, q.NOTICE, f"{count}/{filled} giá trị của cột này không đọc được như "
            f'"{s.FIELD_LABELS[field_name]}" (ví dụ {examples}). Có thể cột đã bị ánh xạ nhầm: hãy kiểm tra ánh xạ '
            f"cột rồi nhập lại. Cho đến khi đó, {effect}.", file=name, sheet=sheet.sheet, column=header))


def _due_word_notices(field_name: str, words: np.ndarray, raw: pd.Series, kept: np.ndarray,
                      row_numbers: np.ndarray, sheet: SheetReading, name: str, result: FileReading) -> None:
    """A notice per distinct wording of a due-date column read by its rule ("Trong ngày", "Không quy định")."""
    header, what = _header_of(sheet, field_name), s.FIELD_LABELS[field_name].lower()
    found = sorted([(text, n, row, word) for word in (v.SAME_DAY, v.NO_DUE)
                    for text, n, row in _by_value(kept & (words == word), raw, row_numbers)], key=lambda x: x[2])
    for text, n, row, word in found:
        reading = (f"{what} là chính ngày tiếp nhận của hồ sơ (giải quyết trong ngày)" if word == v.SAME_DAY else
                   f"không có {what}: như ô để trống, hồ sơ được tính là đúng hạn (đã giải quyết) hoặc trong hạn "
                   "(đang giải quyết)")
        result.issues.append(q.Issue(
            q.DATE_IN_WORDS, q.NOTICE, f'"{text}" được đọc là {reading} ({n} hồ sơ, dòng đầu tiên {row}). Nếu sai, '
            "hãy sửa trong tệp rồi nhập lại.", file=name, sheet=sheet.sheet, row=row, column=header, value=text))


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
