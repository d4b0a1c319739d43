"""Biểu 06/VPCP/KSTT as a formatted workbook, laid out as the form is printed.

`write_form` lays the form out on any worksheet (the session workbook's "Biểu 06" sheet uses it too)."""
from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter

from analytics.analyses.bieu06 import COUNT_KEYS, TableCounts
from analytics.outputs.labels import (
    COLUMN_GROUPS,
    COLUMN_HEADERS,
    COLUMN_NUMBERS,
    FORM_NAME,
    FORM_TITLE,
    ROW_HEADER,
    TOTAL_ROW,
)
from analytics.outputs.safe_cells import XLSX_OPTIONS
from analytics.outputs.text_tables import rate_note, table_rows

BASE_FONT = {"font_name": "Times New Roman", "font_size": 11}
LAST_COL = 2 + len(COUNT_KEYS) - 1  # STT, the row label, then (3)..(14)
FORM_LINE_CHARS = 160  # characters of a note that fit on one line across the form's 14 columns
WITHDRAWN_NOTE = "Cột (14) \"Rút / dừng xử lý\" thêm vào để (3) = (7) + (11) + (14)."


def form_formats(book: xlsxwriter.Workbook) -> dict:
    """The form's cell formats (Times New Roman 11, bordered cells, counts as #,##0)."""
    base = BASE_FONT
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 13, "align": "center", "text_wrap": True}),
        "form": book.add_format({**base, "italic": True, "align": "right"}),
        "center": book.add_format({**base, "align": "center"}),
        "head": book.add_format({**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                 "text_wrap": True, "bg_color": "#DDEBF7"}),
        "num_head": book.add_format({**base, "italic": True, "border": 1, "align": "center"}),
        "text": book.add_format({**base, "border": 1, "text_wrap": True, "valign": "top"}),
        "int": book.add_format({**base, "border": 1, "num_format": "#,##0"}),
        "total_text": book.add_format({**base, "border": 1, "bold": True}),
        "total_int": book.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0"}),
        "field_text": book.add_format({**base, "border": 1, "text_wrap": True, "valign": "top", "indent": 2}),
        "note": book.add_format({**base, "italic": True, "text_wrap": True, "valign": "top"}),
    }


def write_form(sheet, f: dict, table: TableCounts, first_row: int = 0, unit_name: str = "",
               notes: list[str] | None = None) -> tuple[int, int]:
    """Biểu 06 on `sheet` from `first_row`: form name, title, period, the two-row grouped header, column numbers,
    the rows (level and unit subtotals in bold, fields indented), the total, the rate note and `notes`.
    Returns (the header's first row, the column numbers' row): what to freeze and repeat on each printed page."""
    last_col = LAST_COL
    sheet.merge_range(first_row, 0, first_row, last_col, FORM_NAME, f["form"])
    sheet.merge_range(first_row + 1, 0, first_row + 1, last_col, FORM_TITLE, f["title"])
    sheet.set_row(first_row + 1, 36)
    subtitle = f"Kỳ báo cáo: từ ngày {table.period.start:%d/%m/%Y} đến ngày {table.period.end:%d/%m/%Y}"
    sheet.merge_range(first_row + 2, 0, first_row + 2, last_col, subtitle + (f" – {unit_name}" if unit_name else ""),
                      f["center"])
    sheet.merge_range(first_row + 3, 0, first_row + 3, last_col, "Đơn vị tính: số hồ sơ", f["form"])
    top = first_row + 5
    sheet.merge_range(top, 0, top + 1, 0, "STT", f["head"])
    sheet.merge_range(top, 1, top + 1, 1, ROW_HEADER, f["head"])
    col = 2
    for title, span in COLUMN_GROUPS:
        if span == 1:
            sheet.merge_range(top, col, top + 1, col, title, f["head"])
        else:
            sheet.merge_range(top, col, top, col + span - 1, title, f["head"])
        col += span
    for i, key in enumerate(COUNT_KEYS):
        if key != "withdrawn":
            sheet.write(top + 1, 2 + i, COLUMN_HEADERS[key], f["head"])
    sheet.set_row(top + 1, 48)
    for i, label in enumerate(["(1)", "(2)", *(COLUMN_NUMBERS[k] for k in COUNT_KEYS)]):
        sheet.write(top + 2, i, label, f["num_head"])
    row = top + 3
    rows = table_rows(table)
    nested = "depth" in table.groups
    for n, (name, values) in enumerate(rows, start=1):
        # Totals and the official layout's subtotals (levels, units) in bold; fields indented under their unit.
        strong = name == TOTAL_ROW or (nested and values.get("depth", 2) < 2)
        number = "" if name == TOTAL_ROW or nested else n
        label_format = f["total_text"] if strong else f["field_text"] if nested else f["text"]
        sheet.write(row, 0, number, f["total_text"] if strong else f["center"])
        sheet.write(row, 1, name, label_format)
        for i, key in enumerate(COUNT_KEYS):
            sheet.write_number(row, 2 + i, int(values[key]), f["total_int"] if strong else f["int"])
        row += 1
    for line in [rate_note(table), WITHDRAWN_NOTE] + (notes or []):
        row += 1
        sheet.merge_range(row, 0, row, last_col, line, f["note"])
        if len(line) > FORM_LINE_CHARS:  # a merged cell does not grow to its wrapped text by itself
            sheet.set_row(row, 15 * -(-len(line) // FORM_LINE_CHARS))
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 42)
    sheet.set_column(2, last_col, 11)
    return top, top + 2


def xlsx_bytes(table: TableCounts, unit_name: str = "", quality_lines: list[str] | None = None) -> bytes:
    """Biểu 06 as a formatted workbook: title, the official two-row header, column numbers, rows, totals."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    f = form_formats(book)
    sheet = book.add_worksheet("Biểu 06")
    top, numbers = write_form(sheet, f, table, 0, unit_name, quality_lines)
    sheet.freeze_panes(numbers + 1, 2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top, numbers)
    book.close()
    return buffer.getvalue()

