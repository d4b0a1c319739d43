"""Citizens' experience in a workbook: the measures by group with their total (counts as numbers, shares as
percentages, "không có dữ liệu" where the data cannot say), the caveats and prompts, the dossiers behind each number
of the inspection team's checklist, and the national index beside its estimates. `experience_sheet` writes the
table part into any workbook (the session's carries it as a sheet of its own). Text from the data stays text
(XLSX_OPTIONS: no formula, no link)."""
from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

from analytics.analyses.classification import DUE as EFFECTIVE_DUE, FINISH
from analytics.analyses.experience import dossiers_behind
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.outputs import experience_words as words
from analytics.outputs.bieu06_xlsx import BASE_FONT, book_options
from analytics.outputs.formatting import date, decimal
from analytics.model.national_index import GROUPS, TOTAL_POINTS

SECTIONS = [("Trực tuyến toàn trình / một phần (hồ sơ nhận mới trong kỳ)", words.ONLINE_COLUMNS),
            ("Văn bản xin lỗi của hồ sơ trễ hạn", words.LETTER_COLUMNS),
            ("Đánh giá mức độ hài lòng (hồ sơ đã giải quyết trong kỳ)", words.RATING_COLUMNS),
            ("Nơi tiếp nhận và đơn vị giải quyết", words.RECEIVING_COLUMNS)]
BY_LABELS = {"unit": "Đơn vị", "field": "Lĩnh vực", "level": "Cấp", "procedure": "Thủ tục", None: "Phạm vi"}
TOTAL = "Tổng cộng"
DETAIL_HEADERS = {s.CASE_ID: "Mã hồ sơ", s.UNIT: "Cơ quan giải quyết", s.RECEIVING_UNIT: "Nơi tiếp nhận",
                  s.PROCEDURE_NAME: "Thủ tục", s.RECEIVED_DATE: "Ngày tiếp nhận",
                  EFFECTIVE_DUE: "Ngày hẹn trả (ban đầu)", s.DUE_DATE: "Ngày hẹn trả (mới nhất)",
                  FINISH: "Ngày có kết quả", s.APOLOGY_DATE: "Ngày văn bản xin lỗi", s.EXTENSIONS: "Số lần hẹn lại",
                  s.RATING: "Đánh giá"}


def formats(book) -> dict:
    cell = {**BASE_FONT, "border": 1, "valign": "top"}
    return {"title": book.add_format({**BASE_FONT, "bold": True, "font_size": 13}),
            "section": book.add_format({**BASE_FONT, "bold": True, "font_size": 12}),
            "head": book.add_format({**cell, "bold": True, "text_wrap": True, "align": "center",
                                     "bg_color": "#F2F2F2"}),
            "text": book.add_format({**cell, "text_wrap": True}),
            "int": book.add_format({**cell, "num_format": "#,##0"}),
            "pct": book.add_format({**cell, "num_format": "0.0%"}),
            "none": book.add_format({**cell, "italic": True, "font_color": "#595959", "align": "center"}),
            "total_text": book.add_format({**cell, "bold": True}),
            "total_int": book.add_format({**cell, "bold": True, "num_format": "#,##0"}),
            "total_pct": book.add_format({**cell, "bold": True, "num_format": "0.0%"}),
            "date": book.add_format({**cell, "num_format": "dd/mm/yyyy"}),
            "score": book.add_format({**cell, "num_format": "0.00"}),
            "line": book.add_format({**BASE_FONT, "text_wrap": True, "valign": "top"}),
            "note": book.add_format({**BASE_FONT, "italic": True, "valign": "top"})}


def _value(sheet, row: int, col: int, record: dict, key: str, f: dict, total: bool) -> None:
    value = record.get(key)
    prefix = "total_" if total else ""
    if value is None:
        sheet.write_string(row, col, words.NO_DATA if not key.endswith("_share") else "—", f["none"])
    elif key.endswith("_share"):
        sheet.write_number(row, col, float(value), f[prefix + "pct"])
    else:
        sheet.write_number(row, col, int(value), f[prefix + "int"])


def experience_sheet(sheet, f: dict, doc: dict, top: int, width: int = 12) -> int:
    """The measures' tables, caveats and prompts from row `top`; returns the next free row."""
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, max(width, len(INDEX_HEADERS) - 1), 14)
    row = top
    records = [*doc["groups"], {"name": TOTAL, **doc["total"]}]
    for title, keys in SECTIONS:
        sheet.write_string(row, 0, title, f["section"])
        row += 1
        for col, label in enumerate([BY_LABELS.get(doc["by"], "Phạm vi")] + [words.LABELS[k] for k in keys]):
            sheet.write_string(row, col, label, f["head"])
        sheet.set_row(row, 45)
        row += 1
        for record in records:
            total = record["name"] == TOTAL
            sheet.write_string(row, 0, str(record["name"]), f["total_text" if total else "text"])
            for col, key in enumerate(keys, start=1):
                _value(sheet, row, col, record, key, f, total)
            row += 1
        row += 1
    for line in ([f"Lưu ý: {c['message']}" for c in doc["caveats"]] +
                 [f"Gợi ý cho Đoàn giám sát: {p}" for p in doc["prompts"]]):
        sheet.write_string(row, 0, line, f["note"])
        row += 1
    return row


INDEX_HEADERS = ["Cơ quan (Bộ chỉ số) — nhóm", "Đơn vị trong dữ liệu", "Điểm chính thức", "Điểm tối đa",
                 "Ước tính từ hồ sơ", "Số hồ sơ của ước tính", "Khoảng tin cậy 95%", "Chênh", "Cần làm rõ"]


def index_table(sheet, f: dict, index: dict, top: int) -> int:
    """The national index beside its estimates from row `top`: one row per matched body and group (numbers as
    numbers), then the prompts and notes; returns the next free row."""
    sheet.write_string(top, 0, f"Bộ chỉ số phục vụ người dân (QĐ 766) tháng {index['month'][5:]}/{index['month'][:4]}: "
                                "điểm chính thức và ước tính từ hồ sơ", f["section"])
    for col, label in enumerate(INDEX_HEADERS):
        sheet.write_string(top + 1, col, label, f["head"])
    sheet.set_row(top + 1, 45)
    row = top + 2
    for body in index["bodies"]:
        unit = "Toàn bộ dữ liệu" if body["whole_data"] else body["unit"]
        for group in GROUPS:
            estimate = body["estimates"].get(group.key)
            sheet.write_string(row, 0, f"{body['name']} — {group.label}", f["text"])
            sheet.write_string(row, 1, unit, f["text"])
            _score(sheet, row, 2, body["official"][group.key], f)
            sheet.write_number(row, 3, group.points, f["int"])
            if estimate is None:
                sheet.write_string(row, 4, "không ước tính từ hồ sơ", f["none"])
            elif estimate["points"] is None:
                sheet.write_string(row, 4, words.MISSING_ESTIMATE[estimate["missing"]], f["none"])
            else:
                _score(sheet, row, 4, estimate["points"], f)
                sheet.write_number(row, 5, estimate["base"], f["int"])
                if estimate["low"] is not None:
                    sheet.write_string(row, 6, f"{decimal(estimate['low'], 2)}–{decimal(estimate['high'], 2)}",
                                       f["text"])
                if body["official"][group.key] is not None:
                    _score(sheet, row, 7, body["official"][group.key] - estimate["points"], f)
            sheet.write_string(row, 8, "Có" if group.key in body["parts"] else "", f["text"])
            row += 1
        sheet.write_string(row, 0, f"{body['name']} — Tổng điểm", f["total_text"])
        sheet.write_string(row, 1, unit, f["total_text"])
        _score(sheet, row, 2, body["official"]["total"], f)
        sheet.write_number(row, 3, TOTAL_POINTS, f["total_int"])
        row += 1
    for line in [*index["prompts"], *index["notes"]]:
        sheet.write_string(row, 0, line, f["note"])
        row += 1
    return row


def _score(sheet, row: int, col: int, value, f: dict) -> None:
    if value is None:
        sheet.write_string(row, col, "—", f["none"])
    else:
        sheet.write_number(row, col, float(value), f["score"])


def index_sheet(sheet, f: dict, index: dict | None) -> None:
    """The national index's own sheet (experience --format xlsx)."""
    sheet.set_column(0, 0, 56)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 8, 14)
    if index is None:
        sheet.write_string(0, 0, "Chưa có điểm Bộ chỉ số (QĐ 766) của tháng nào trong kỳ: nhập tệp điểm bằng "
                                 "\"index import\" hoặc ở trang Trải nghiệm người dân.", f["note"])
        return
    index_table(sheet, f, index, 0)


def checklist_sheet(sheet, f: dict, classified: pd.DataFrame, period: Period, doc: dict) -> None:
    """The dossiers behind each number of the checklist, one block per number."""
    columns = list(DETAIL_HEADERS)
    for col, width in enumerate([24, 36, 30, 50, 14, 14, 14, 14, 14, 10, 14]):
        sheet.set_column(col, col, width)
    row = 0
    for key in words.CHECKLIST:
        count = doc["total"].get(key)
        sheet.write_string(row, 0, f"{words.LABELS[key]}: {words.value_text(doc['total'], key)}", f["section"])
        row += 1
        if not count:
            row += 1
            continue
        behind = dossiers_behind(classified, period, key)
        for col, c in enumerate(columns):
            sheet.write_string(row, col, DETAIL_HEADERS[c], f["head"])
        row += 1
        for record in behind.to_dict("records"):
            for col, c in enumerate(columns):
                value = record.get(c)
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    sheet.write_blank(row, col, None, f["text"])
                elif c == s.RATING:
                    sheet.write_string(row, col, s.RATING_LABELS.get(int(value), "Ghi khác"), f["text"])
                elif isinstance(value, pd.Timestamp):
                    sheet.write_datetime(row, col, value.to_pydatetime(), f["date"])
                elif c == s.EXTENSIONS:
                    sheet.write_number(row, col, int(value), f["int"])
                else:
                    sheet.write_string(row, col, str(value), f["text"])
            row += 1
        row += 1


def experience_xlsx(doc: dict, classified: pd.DataFrame, period: Period) -> bytes:
    """`experience --format xlsx`: the measures, the checklist's dossiers, the national index."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, book_options())
    f = formats(book)
    sheet = book.add_worksheet("Trải nghiệm người dân")
    sheet.write_string(0, 0, f"TRẢI NGHIỆM NGƯỜI DÂN {date(period.start)} – {date(period.end)}", f["title"])
    sheet.write_string(1, 0, doc.get("source", ""), f["line"])
    experience_sheet(sheet, f, doc, 3)
    checklist_sheet(book.add_worksheet("Hồ sơ cần xem"), f, classified, period, doc)
    index_sheet(book.add_worksheet("Bộ chỉ số QĐ 766"), f, doc.get("national_index"))
    book.close()
    return buffer.getvalue()
