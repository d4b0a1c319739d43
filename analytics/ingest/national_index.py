"""Reading the national service index's score file (QĐ 766) as the portal publishes it: every sheet whose header
names the body and the total score ("TEN_COQUAN" … "TONG_SCORE", or the same in Vietnamese), figures stored as text
("19.05", or "19,05"), names with the province attached. The month comes from the caller or the file's name
("bao_cao_T10_2025.xlsx", "..._2025_10.xlsx"). Each row's identity (total = the sum of the six groups) is checked
here; a row that breaks it is kept and listed. A file without such a sheet is refused, nothing kept.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from analytics.ingest.sheets import load_tables, source_bytes
from analytics.ingest.sniff import reject
from analytics.model import issues as q
from analytics.model.national_index import GROUPS, MONTH, TOTAL_COLUMN, UNSTATED, YEAR, IndexFile, Score
from analytics.model.text_keys import plain_key

SCAN_ROWS = 15
# Header words per column: the portal's own, then Vietnamese wording an analyst's copy may carry.
_NAME = ("ten coquan", "ten co quan", "ten don vi", "co quan", "don vi", "ten")
_CODE = ("ma coquan", "ma co quan", "ma don vi")
_KIND = ("loai coquan", "loai co quan")
_TOTAL = ("tong score", "tong diem", "tong", "diem tong")
_GROUP_WORDS = {g.key: (plain_key(g.column), plain_key(g.label)) for g in GROUPS}
_MONTH_IN_NAME = (re.compile(r"(?i)T(?:hang)?[ _-]?(\d{1,2})[ _-](20\d\d)"),
                  re.compile(r"(20\d\d)[ _-](\d{1,2})(?!\d)"))


def _key(cell) -> str:
    return plain_key(str(cell).replace("_", " ")) if cell is not None and not pd.isna(cell) else ""


def _header(frame: pd.DataFrame) -> tuple[int, dict[str, int]] | None:
    for i in range(min(SCAN_ROWS, len(frame))):
        keys = [_key(c) for c in frame.iloc[i].tolist()]
        found: dict[str, int] = {}
        for j, key in enumerate(keys):
            for column, words in (("name", _NAME), ("code", _CODE), ("kind", _KIND), ("total", _TOTAL),
                                  *((g, w) for g, w in _GROUP_WORDS.items())):
                if key in words and column not in found:
                    found[column] = j
                    break
        if "name" in found and "total" in found and sum(g in found for g in _GROUP_WORDS) >= 3:
            return i, found
    return None


def _number(cell) -> float | None:
    text = "" if cell is None or pd.isna(cell) else str(cell).strip()
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def parse_month(text: str) -> tuple[int, int] | None:
    """(year, month) of "2025-10" (YYYY-MM), else None."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not found or not 1 <= int(found.group(2)) <= 12:
        return None
    return int(found.group(1)), int(found.group(2))


def month_of(name: str) -> tuple[int, int] | None:
    """(year, month) written in a file's name: "bao_cao_T10_2025.xlsx", "dvcqg_766_scores_2025_10.xlsx"."""
    first = _MONTH_IN_NAME[0].search(name)
    if first and 1 <= int(first.group(1)) <= 12:
        return int(first.group(2)), int(first.group(1))
    second = _MONTH_IN_NAME[1].search(name)
    if second and 1 <= int(second.group(2)) <= 12:
        return int(second.group(1)), int(second.group(2))
    return None


def read_index(source: str | Path | bytes, name: str | None = None,
               month: tuple[int, int] | None = None) -> IndexFile:
    """The official scores of a portal file. `month`: (year, month) the file is for, else read from its name.
    Raises FileRejected (in Vietnamese) when no sheet has the scores' header or the month is not known."""
    data, name = source_bytes(source, name, "điểm Bộ chỉ số phục vụ (QĐ 766)")
    month = month or month_of(name)
    if month is None:
        raise reject(q.NO_HEADER, "Không biết tệp điểm này của tháng nào: tên tệp không ghi tháng (ví dụ "
                     "bao_cao_T10_2025.xlsx). Hãy chỉ rõ tháng (--month 2025-10 hoặc ô Tháng trên màn hình).", name)
    scores, issues = [], []
    for sheet, frame in load_tables(data, name):
        header = _header(frame)
        if header is None:
            continue
        top, columns = header
        words = plain_key(sheet).split()
        scope = YEAR if "nam" in words else MONTH if "thang" in words else UNSTATED
        for n, row in enumerate(frame.iloc[top + 1:].itertuples(index=False, name=None)):
            where = top + n + 2
            body = row[columns["name"]]
            if body is None or pd.isna(body) or not str(body).strip():
                continue
            kind = _number(row[columns["kind"]]) if "kind" in columns else None
            groups = {g: _number(row[j]) for g, j in columns.items() if g in _GROUP_WORDS}
            groups.update({g.key: groups.get(g.key) for g in GROUPS})
            score = Score(str(body).strip(), str(row[columns["code"]] or "").strip() if "code" in columns else "",
                          int(kind) if kind else None, sheet, scope, groups, _number(row[columns["total"]]), where)
            scores.append(score)
            if score.adds_up is False:
                groups_sum = score.total - score.identity_gap
                issues.append(q.Issue(q.SCORE_SUM_BREAK, q.NOTICE, f'"{score.name}": tổng điểm {score.total:g} khác '
                                      f"tổng sáu nhóm {groups_sum:g} (chênh {score.identity_gap:+g}).",
                                      file=name, sheet=sheet, row=where, column=TOTAL_COLUMN))
            elif score.total is None or any(v is None for v in groups.values()):
                issues.append(q.Issue(q.BAD_NUMBER, q.NOTICE, f'"{score.name}": thiếu hoặc không đọc được điểm của '
                                      "một nhóm hoặc tổng điểm; không kiểm tra được tổng.", file=name, sheet=sheet,
                                      row=where))
    if not scores:
        raise reject(q.NO_HEADER, "Không tìm thấy bảng điểm Bộ chỉ số: không trang nào có dòng tiêu đề nêu tên cơ "
                     "quan (TEN_COQUAN), các nhóm điểm (TDGQ, MDHL, MDSH, TTTT, CLGQ, CKMB) và tổng điểm "
                     "(TONG_SCORE). Hãy tải tệp điểm xuất từ Cổng Dịch vụ công quốc gia.", name)
    year, number = month
    return IndexFile(name, hashlib.sha256(data).hexdigest(), year, number, scores, issues)
