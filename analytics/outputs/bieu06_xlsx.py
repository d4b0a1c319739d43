"""Biểu 06/VPCP/KSTT as a formatted workbook, laid out and printed as the form is (Thông tư 01/2020/TT-VPCP).

`write_form` lays the form out on any worksheet (the session workbook's "Biểu 06" sheet uses it too): the form's
name, title and period, the grouped two-row header, the column numbers (1)…(14), the rows with their numbers in
column (1) ("I", "II" for levels, "1", "2" for units, "-" for fields) and their names in column (2), the total, the
notes, then the form's signature block ("Người lập biểu" on the left; the place and date over "Thủ trưởng cơ quan,
đơn vị" on the right). `print_form` prints it on one landscape A4 page, the signature block included.

Every row's height is set here (none is left for the office suite to guess), so the page the form takes is known in
advance: `FormPlacement.scale` is the print scale one page needs. When that would be under MIN_SCALE (a table of a
few hundred rows), the form prints one page wide at the scale its width allows instead, on as many pages as it
takes, the header rows repeated and the signature block kept on the page of the last rows.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

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
UNIT_OF_COUNT = "Đơn vị tính: số hồ sơ"
WITHDRAWN_NOTE = "Cột (14) \"Rút / dừng xử lý\" thêm vào để (3) = (7) + (11) + (14)."

# The form's signature block (Biểu 06, Thông tư 01/2020/TT-VPCP).
PLACE_DATE = "……, ngày …… tháng …… năm ……"
COMPILER, COMPILER_SIGNS = "Người lập biểu", "(Ký, ghi rõ họ tên)"
HEAD, HEAD_SIGNS = "Thủ trưởng cơ quan, đơn vị", "(Ký tên, đóng dấu)"
NAME_LINE = "……………………………………"  # where each signer's name is written, under the room to sign
LEFT_BLOCK, RIGHT_BLOCK = (0, 2), (8, LAST_COL)  # the columns each signature is centred over
SIGNING_SPACE = 60              # points left blank to sign (and stamp) in, before the scale

# Column widths (characters of the default font) and row heights (points).
WIDTHS = {0: 5, 1: 50, **{c: 11 for c in range(2, LAST_COL + 1)}, 4: 14}
LINE = 15                       # one line of Times New Roman 11
ROW = 14                        # a row of the table
HEADER_LINES = 3                # "Trong kỳ – Trực tiếp, dịch vụ bưu chính" in column (5), 14 wide
GAP = 6                         # a thin blank row between parts

# The page: A4 landscape, narrow margins, no header or footer (the form fits on one page).
PAPER_A4 = 9
MARGINS = {"left": 0.25, "right": 0.25, "top": 0.3, "bottom": 0.3}
PAGE_WIDTH, PAGE_HEIGHT = 842.0, 595.0  # A4 landscape, points
MIN_SCALE = 0.40                # under this, one page is unreadable: the form goes on several pages instead
WIDTH_SLACK = 0.94              # several pages: printed at this share of the scale the width allows


def book_options() -> dict:
    """A new workbook's options: in memory, every string as text (XLSX_OPTIONS), and Times New Roman as its default
    font: column widths are counted in the default font's digits, so with Times New Roman (whose metric twin
    Liberation Serif every LibreOffice has) a column is as wide in LibreOffice as in Excel, Calibri or not. A new
    dict each time: xlsxwriter writes into the one it is given."""
    return {"in_memory": True, **XLSX_OPTIONS, "default_format_properties": dict(BASE_FONT)}


def column_points(width: float) -> float:
    """A column's printed width in points: Excel's rule, 7 pixels a character and 5 of padding, 96 pixels an inch."""
    return math.floor(width * 7 + 5) * 0.75


def text_lines(value: str, width: float, bold: bool = False, size: float = 11) -> int:
    """Lines a text wraps to in cells `width` characters wide (Times New Roman 11 is narrower than the width's
    unit: about 1.2 characters to it, 1.05 in bold; fewer in a larger size)."""
    per_line = max(1, int(width * (1.05 if bold else 1.2) * 11 / size))
    lines, used = 1, 0
    for word in value.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1 + (len(word) - 1) // per_line, len(word) % per_line or per_line
        else:
            used += len(word) + (1 if used else 0)
    return lines


def form_formats(book: xlsxwriter.Workbook) -> dict:
    """The form's cell formats (Times New Roman 11, bordered cells, counts as #,##0)."""
    base = BASE_FONT
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 13, "align": "center", "valign": "vcenter",
                                  "text_wrap": True}),
        "form": book.add_format({**base, "italic": True, "align": "right"}),
        "form_name": book.add_format({**base, "bold": True, "align": "left"}),
        "center": book.add_format({**base, "align": "center"}),
        "head": book.add_format({**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                 "text_wrap": True, "bg_color": "#DDEBF7"}),
        "num_head": book.add_format({**base, "italic": True, "border": 1, "align": "center"}),
        "number": book.add_format({**base, "border": 1, "align": "center", "valign": "top"}),
        "total_number": book.add_format({**base, "border": 1, "bold": True, "align": "center", "valign": "top"}),
        "text": book.add_format({**base, "border": 1, "text_wrap": True, "valign": "top"}),
        "int": book.add_format({**base, "border": 1, "num_format": "#,##0", "valign": "top"}),
        "total_text": book.add_format({**base, "border": 1, "bold": True, "text_wrap": True, "valign": "top"}),
        "total_int": book.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0", "valign": "top"}),
        "field_text": book.add_format({**base, "border": 1, "text_wrap": True, "valign": "top", "indent": 2}),
        "note": book.add_format({**base, "italic": True, "text_wrap": True, "valign": "top"}),
        "sign_place": book.add_format({**base, "italic": True, "align": "center"}),
        "sign_title": book.add_format({**base, "bold": True, "align": "center"}),
        "sign_note": book.add_format({**base, "italic": True, "align": "center"}),
    }


def numbering(label: str, name: str) -> str:
    """Column (1) of an official-layout row: "I. Cấp huyện" -> "I"; "1. Phòng Tư pháp" -> "1"; "- Hộ tịch" -> "-"."""
    return label[:len(label) - len(name)].strip().rstrip(".") if label.endswith(name) else ""


@dataclass
class FormPlacement:
    """Where the form sits on its sheet: the rows to freeze and repeat, the last row (the signature's), the height
    of every row from `first_row` (points), and the print scale one page would need."""
    first_row: int
    top: int                     # the header's first row
    numbers: int                 # the column numbers' row: freeze under it, repeat down to it
    body: int                    # the first row of the table's body
    notes: int                   # the first row after the table (a gap, then the notes)
    signature: int               # the signature block's first row
    last_row: int
    heights: dict[int, float] = field(default_factory=dict)

    def height(self, start: int | None = None, end: int | None = None) -> float:
        """Points the rows start..end take (the whole form by default)."""
        start = self.first_row if start is None else start
        end = self.last_row if end is None else end
        return sum(self.heights.get(r, LINE) for r in range(start, end + 1))

    @property
    def width(self) -> float:
        return sum(column_points(w) for w in WIDTHS.values())

    def scale(self, print_from: int | None = None) -> float:
        """The print scale at which the rows from `print_from` (the form's first row by default) fit on one page."""
        room_w = PAGE_WIDTH - 72 * (MARGINS["left"] + MARGINS["right"])
        room_h = PAGE_HEIGHT - 72 * (MARGINS["top"] + MARGINS["bottom"])
        return min(1.0, room_w / self.width, room_h / self.height(print_from))


def _row(sheet, placement: FormPlacement, row: int, height: float) -> None:
    sheet.set_row(row, height)
    placement.heights[row] = height


def write_form(sheet, f: dict, table: TableCounts, first_row: int = 0, unit_name: str = "",
               notes: list[str] | None = None) -> FormPlacement:
    """Biểu 06 on `sheet` from `first_row`: form name, title, period, the two-row grouped header, column numbers,
    the rows (level and unit subtotals in bold, fields indented), the total, the rate note and `notes`, then the
    signature block. Returns where its parts are (FormPlacement)."""
    last_col = LAST_COL
    placement = FormPlacement(first_row, first_row + 4, first_row + 6, first_row + 7, 0, 0, 0)
    for col, width in WIDTHS.items():
        sheet.set_column(col, col, width)
    width_all = sum(WIDTHS.values())
    sheet.merge_range(first_row, 0, first_row, 3, FORM_NAME, f["form_name"])  # the form's name top left,
    sheet.merge_range(first_row, last_col - 3, first_row, last_col, UNIT_OF_COUNT, f["form"])  # its unit top right
    _row(sheet, placement, first_row, LINE)
    sheet.merge_range(first_row + 1, 0, first_row + 1, last_col, FORM_TITLE, f["title"])
    _row(sheet, placement, first_row + 1, 18 * text_lines(FORM_TITLE, width_all, bold=True, size=13))
    subtitle = f"Kỳ báo cáo: từ ngày {table.period.start:%d/%m/%Y} đến ngày {table.period.end:%d/%m/%Y}"
    subtitle += f" – {unit_name}" if unit_name else ""
    sheet.merge_range(first_row + 2, 0, first_row + 2, last_col, subtitle, f["center"])
    _row(sheet, placement, first_row + 2, LINE * text_lines(subtitle, width_all))
    _row(sheet, placement, first_row + 3, GAP)
    top = placement.top
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
    _row(sheet, placement, top, LINE + 3)
    _row(sheet, placement, top + 1, 13 * HEADER_LINES + 4)
    for i, label in enumerate(["(1)", "(2)", *(COLUMN_NUMBERS[k] for k in COUNT_KEYS)]):
        sheet.write(top + 2, i, label, f["num_head"])
    _row(sheet, placement, top + 2, LINE)
    row = placement.body
    nested = "depth" in table.groups
    for n, (label, values) in enumerate(table_rows(table), start=1):
        total = label == TOTAL_ROW
        # Totals and the official layout's subtotals (levels, units) in bold; fields indented under their unit.
        strong = total or (nested and values.get("depth", 2) < 2)
        name = str(values.get("name", label)) if nested and not total else label
        number = "" if total else numbering(label, name) if nested else str(n)
        name_format = f["total_text"] if strong else f["field_text"] if nested else f["text"]
        sheet.write_string(row, 0, number, f["total_number" if strong else "number"])
        sheet.write_string(row, 1, name, name_format)
        for i, key in enumerate(COUNT_KEYS):
            sheet.write_number(row, 2 + i, int(values[key]), f["total_int"] if strong else f["int"])
        indent = 0 if strong or not nested else 4
        _row(sheet, placement, row, ROW * text_lines(name, WIDTHS[1] - indent, bold=strong))
        row += 1
    placement.notes = row
    _row(sheet, placement, row, GAP)
    row += 1
    for line in [rate_note(table), WITHDRAWN_NOTE] + (notes or []):
        sheet.merge_range(row, 0, row, last_col, line, f["note"])
        _row(sheet, placement, row, LINE * text_lines(line, width_all))  # a merged cell does not grow by itself
        row += 1
    placement.signature = row
    placement.last_row = _signature(sheet, f, placement, row)
    return placement


def _signature(sheet, f: dict, placement: FormPlacement, row: int) -> int:
    """The form's signature block from `row`: the place and date over the head of the body on the right, the
    compiler on the left, each with what the signature means, room to sign and a dotted line for the name (a last
    row with text: an office suite does not print empty rows at the end of a print area). Returns its last row."""
    _row(sheet, placement, row, GAP)
    row += 1
    sheet.merge_range(row, *RIGHT_BLOCK[:1], row, RIGHT_BLOCK[1], PLACE_DATE, f["sign_place"])
    _row(sheet, placement, row, LINE)
    row += 1
    for left, right, style in ((COMPILER, HEAD, "sign_title"), (COMPILER_SIGNS, HEAD_SIGNS, "sign_note")):
        sheet.merge_range(row, LEFT_BLOCK[0], row, LEFT_BLOCK[1], left, f[style])
        sheet.merge_range(row, RIGHT_BLOCK[0], row, RIGHT_BLOCK[1], right, f[style])
        _row(sheet, placement, row, LINE)
        row += 1
    _row(sheet, placement, row, SIGNING_SPACE)  # blank: the signatures (and the seal) go here
    row += 1
    sheet.merge_range(row, LEFT_BLOCK[0], row, LEFT_BLOCK[1], NAME_LINE, f["sign_place"])
    sheet.merge_range(row, RIGHT_BLOCK[0], row, RIGHT_BLOCK[1], NAME_LINE, f["sign_place"])
    _row(sheet, placement, row, LINE)
    return row


def print_form(sheet, placement: FormPlacement, print_from: int | None = None) -> float:
    """The sheet's print setup for the form: A4 landscape, narrow margins, centred, the header rows repeated, the
    print area from `print_from` (the form's first row by default) to the signature block. One page when the scale
    that takes is MIN_SCALE or more (fit to 1 × 1); else one page wide at the width's scale, page breaks between
    table rows, the signature block on the page of the last rows. Returns the print scale it comes to."""
    start = placement.first_row if print_from is None else print_from
    sheet.set_paper(PAPER_A4)
    sheet.set_landscape()
    sheet.set_margins(**MARGINS)
    sheet.center_horizontally()
    sheet.repeat_rows(placement.top, placement.numbers)
    sheet.print_area(start, 0, placement.last_row, LAST_COL)
    scale = placement.scale(start)
    if scale >= MIN_SCALE:
        sheet.fit_to_pages(1, 1)
        return scale
    # The width's scale alone (one row is never too tall), a little under: office suites' widths differ by a few %.
    percent = max(10, int(placement.scale(placement.last_row) * WIDTH_SLACK * 100))
    sheet.set_print_scale(percent)
    sheet.set_h_pagebreaks(_breaks(placement, start, percent / 100))
    sheet.set_footer("&CTrang &P/&N")
    return percent / 100


def _breaks(placement: FormPlacement, start: int, scale: float) -> list[int]:
    """Rows a new page starts at, so that each page holds what fits at `scale` (the repeated header on every page
    after the first), and the notes and the signature block stay with the last rows."""
    room = (PAGE_HEIGHT - 72 * (MARGINS["top"] + MARGINS["bottom"] + 0.2)) / scale
    header = placement.height(placement.top, placement.numbers)
    tail = placement.height(placement.notes, placement.last_row)
    last_body = placement.notes - 1
    breaks, used = [], placement.height(start, placement.body - 1)
    for row in range(placement.body, last_body + 1):
        need = placement.heights.get(row, LINE) + (tail if row == last_body else 0)
        if used + need > room:
            breaks.append(row)
            used = header
        used += placement.heights.get(row, LINE)
    return breaks


def xlsx_bytes(table: TableCounts, unit_name: str = "", quality_lines: list[str] | None = None) -> bytes:
    """Biểu 06 as a formatted workbook that prints on one landscape page: title, the official two-row header,
    column numbers, rows, totals, notes and the signature block."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, book_options())
    f = form_formats(book)
    sheet = book.add_worksheet("Biểu 06")
    placement = write_form(sheet, f, table, 0, unit_name, quality_lines)
    sheet.freeze_panes(placement.body, 2)
    print_form(sheet, placement)
    book.close()
    return buffer.getvalue()
