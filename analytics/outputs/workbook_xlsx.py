"""A supervision session's workbook: Biểu 06 as the form is printed, then late dossiers, the comparison between the
two periods, the units' funnel and the data-quality report, one sheet each.

Every sheet opens with the session, its period, its scope and whether the figures are the sample's, so that a sheet
printed or copied alone still says what it is. Counts are numbers shown `#,##0`, rates numbers shown `0.0%`, dates
real dates shown dd/mm/yyyy (the reader's Excel or LibreOffice puts the Vietnamese separators). Nothing is computed
here but the late tables' column totals: every figure is SessionFigures'. Text from the data stays text (XLSX_OPTIONS).
"""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pandas as pd
import xlsxwriter

from analytics.analyses.bieu06 import OFFICIAL
from analytics.analyses.funnel import BELOW, WATCH_BELOW
from analytics.analyses.session_figures import SessionFigures
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.model.session import Provenance
from analytics.outputs import formatting as fmt
from analytics.outputs.bieu06_xlsx import BASE_FONT, form_formats, write_form
from analytics.outputs.labels import GROUPING_LABELS, LATE_TABLE_LABELS, REASON_LABELS, TOTAL_ROW
from analytics.outputs.safe_cells import XLSX_OPTIONS
from analytics.outputs.sentences import caveat_sentence, table_notes
from analytics.outputs.slides import SAMPLE_WARNING, provenance_lines

BIEU06, LATE, COMPARISON, FUNNEL, QUALITY = "Biểu 06", "Trễ hạn", "So sánh", "Đơn vị (phễu)", "Chất lượng dữ liệu"
SHEETS = (BIEU06, LATE, COMPARISON, FUNNEL, QUALITY)
REAL_DATA = "Số liệu thật (đã nhập từ tệp của các đơn vị, không phải dữ liệu mẫu)"
NO_COMPARISON = ("Đợt giám sát này không có kỳ so sánh (khi tạo đợt, thêm --compare-from và --compare-to để so "
                 "sánh với một kỳ trước).")
BLOCK_ROWS = 5  # the session's four lines and a blank row, above every sheet's table
LATE_KEYS = [k for k in LATE_TABLE_LABELS if k != "name"]
ALL_UNITS = "tất cả đơn vị"


def workbook_xlsx(figures: SessionFigures, provenance: Provenance) -> bytes:
    """The session's workbook (sheets SHEETS, in that order) as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    book.set_properties({"title": f"Số liệu đợt giám sát: {figures.session.name}", "subject": figures.period.label,
                         "comments": SAMPLE_WARNING if provenance.is_sample else REAL_DATA,
                         "created": provenance.made_at})
    f = _formats(book)
    for name, write in ((BIEU06, _bieu06), (LATE, _late), (COMPARISON, _comparison), (FUNNEL, _funnel),
                        (QUALITY, _quality)):
        sheet = book.add_worksheet(name)
        _page(sheet)
        _session_block(sheet, f, figures, provenance)
        write(sheet, f, figures, provenance)
    book.close()
    return buffer.getvalue()


def write_workbook(figures: SessionFigures, provenance: Provenance, path: str | Path) -> None:
    Path(path).write_bytes(workbook_xlsx(figures, provenance))


# --- formats and the parts every sheet shares ---------------------------------------------------------------------

def _formats(book) -> dict:
    base = BASE_FONT
    cell = {**base, "border": 1}
    return {
        **form_formats(book),
        "session": book.add_format({**base, "bold": True, "font_size": 13}),
        "context": book.add_format(base),
        "sample": book.add_format({**base, "bold": True, "font_size": 13, "font_color": "#C00000"}),
        "real": book.add_format({**base, "italic": True}),
        "section": book.add_format({**base, "bold": True, "font_size": 12}),
        "line": book.add_format({**base, "text_wrap": True, "valign": "top"}),
        "plain_int": book.add_format({**base, "num_format": "#,##0", "align": "left"}),
        "plain_pct": book.add_format({**base, "num_format": "0.0%", "align": "left"}),
        "plain_date": book.add_format({**base, "num_format": "dd/mm/yyyy", "align": "left"}),
        "plain_time": book.add_format({**base, "num_format": "dd/mm/yyyy hh:mm", "align": "left"}),
        "key": book.add_format({**base, "bold": True}),
        "pct": book.add_format({**cell, "num_format": "0.0%"}),
        "total_pct": book.add_format({**cell, "bold": True, "num_format": "0.0%"}),
        "pp": book.add_format({**cell, "num_format": "+0.0;-0.0;0.0"}),
        "total_pp": book.add_format({**cell, "bold": True, "num_format": "+0.0;-0.0;0.0"}),
        "p": book.add_format({**cell, "num_format": "0.000"}),
        "total_p": book.add_format({**cell, "bold": True, "num_format": "0.000"}),
        "dash": book.add_format({**cell, "align": "center"}),
        "total_dash": book.add_format({**cell, "bold": True, "align": "center"}),
        "cell_text": book.add_format({**cell, "text_wrap": True, "valign": "top"}),
        "group": book.add_format({**cell, "bold": True, "italic": True, "bg_color": "#F2F2F2"}),
        "alert": book.add_format({**cell, "text_wrap": True, "valign": "top", "font_color": "#C00000",
                                  "bg_color": "#FDE9E7"}),
    }


def _page(sheet) -> None:
    """A4 landscape, one page wide, page numbers at the foot."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_footer("&CTrang &P/&N")


def _session_block(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Rows 0–3: the session, the period (and the comparison period), the scope, sample or real data."""
    session = figures.session
    period = f"Kỳ giám sát: {figures.period.label}"
    if session.comparison is not None:
        period += f"; kỳ so sánh: {session.comparison.label}"
    scope = f"Phạm vi: {provenance.scope}; đơn vị: {', '.join(session.units) if session.units else ALL_UNITS}"
    sheet.write_string(0, 0, f"Đợt giám sát: {session.name}", f["session"])
    sheet.write_string(1, 0, period, f["context"])
    sheet.write_string(2, 0, scope, f["context"])
    if provenance.is_sample:
        sheet.write_string(3, 0, SAMPLE_WARNING, f["sample"])
    else:
        sheet.write_string(3, 0, REAL_DATA, f["real"])


def _number(sheet, row: int, col: int, value, fmt_name: str, f: dict, strong: bool = False) -> None:
    """A number, or a dash when the figure is undefined (a rate without a denominator, an interval not computed)."""
    if value is None or pd.isna(value):
        sheet.write_string(row, col, fmt.DASH, f["total_dash" if strong else "dash"])
    else:
        sheet.write_number(row, col, float(value), f[("total_" if strong else "") + fmt_name])


def _lines(sheet, f: dict, row: int, lines, fmt_name: str = "line") -> int:
    """Lines of text in column A, one a row (wrapped in the wide column); returns the next free row."""
    for line in lines:
        sheet.write_string(row, 0, line, f[fmt_name])
        row += 1
    return row


def _notes(sheet, f: dict, row: int, lines, last_col: int, chars_per_line: int) -> int:
    """Notes under a table, each merged across its columns, the row as tall as its wrapped text."""
    for line in lines:
        sheet.merge_range(row, 0, row, last_col, line, f["note"])
        if len(line) > chars_per_line:  # a merged cell does not grow to its wrapped text by itself
            sheet.set_row(row, 15 * -(-len(line) // chars_per_line))
        row += 1
    return row


def _header(sheet, f: dict, row: int, columns: list[str], height: int = 45) -> None:
    for col, title in enumerate(columns):
        sheet.write_string(row, col, title, f["head"])
    sheet.set_row(row, height)


# --- the sheets ---------------------------------------------------------------------------------------------------

def _bieu06(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """The form's layout (level › unit › field with subtotals), exactly as the Biểu 06 workbook prints it."""
    table = dataclasses.replace(figures.table, by=OFFICIAL, groups=figures.official)
    top, numbers = write_form(sheet, f, table, BLOCK_ROWS, figures.session.bodies,
                              table_notes(figures.caveats, figures.left_out))
    sheet.freeze_panes(numbers + 1, 2)
    sheet.repeat_rows(top, numbers)


def _late(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Late dossiers by unit, then by field: resolved late (10), pending overdue (13), apology letters."""
    top = BLOCK_ROWS
    sheet.write_string(top, 0, "HỒ SƠ TRỄ HẠN VÀ THƯ XIN LỖI", f["section"])
    header = top + 1
    _header(sheet, f, header, ["STT", f"{GROUPING_LABELS['unit']} / {GROUPING_LABELS['field']}",
                               *(LATE_TABLE_LABELS[k] for k in LATE_KEYS)])
    row = header + 1
    last_col = 1 + len(LATE_KEYS)
    for by, table in (("unit", figures.late_by_unit), ("field", figures.late_by_field)):
        sheet.merge_range(row, 0, row, last_col, f"Theo {GROUPING_LABELS[by].lower()}", f["group"])
        row += 1
        if table.empty:
            sheet.merge_range(row, 0, row, last_col, "Không có hồ sơ trễ hạn nào trong kỳ.", f["cell_text"])
            row += 1
            continue
        for n, record in enumerate(table.to_dict("records"), start=1):
            sheet.write_number(row, 0, n, f["center"])
            sheet.write_string(row, 1, str(record["name"]), f["text"])
            for i, key in enumerate(LATE_KEYS):
                sheet.write_number(row, 2 + i, int(record[key]), f["int"])
            row += 1
        sheet.write_string(row, 0, "", f["total_text"])
        sheet.write_string(row, 1, TOTAL_ROW, f["total_text"])
        for i, key in enumerate(LATE_KEYS):  # the column's sum: every late dossier sits in exactly one group
            sheet.write_number(row, 2 + i, int(table[key].sum()), f["total_int"])
        row += 1
    _notes(sheet, f, row + 1, [
        "Trễ hạn = đã giải quyết quá hạn (cột 10 của Biểu 06) + đang giải quyết quá hạn (cột 13), trong kỳ giám sát.",
        "\"Tệp không ghi thư xin lỗi\": tệp xuất không có cột thư (phiếu) xin lỗi, nên không biết đã gửi hay chưa."],
        last_col, 120)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 45)
    sheet.set_column(2, last_col, 15)
    sheet.freeze_panes(header + 1, 2)
    sheet.repeat_rows(header)


def _comparison(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Each unit's on-time rate in the two periods, the change in points with its 95% interval, p and a note."""
    comparison, session = figures.comparison, figures.session
    top = BLOCK_ROWS
    sheet.set_column(0, 0, 42)
    if comparison is None:
        sheet.write_string(top, 0, NO_COMPARISON, f["line"])
        sheet.set_column(0, 0, 110)
        return
    earlier, rate = session.comparison, figures.rate.definition
    sheet.write_string(top, 0, "SO SÁNH TỶ LỆ ĐÚNG HẠN GIỮA HAI KỲ", f["section"])
    sheet.write_string(top + 1, 0, f"Kỳ A (kỳ so sánh): {earlier.label}; kỳ B (kỳ giám sát): {figures.period.label}; "
                                   "thay đổi = B − A, tính bằng điểm phần trăm.", f["context"])
    sheet.write_string(top + 2, 0, f"Tỷ lệ: {rate.label} {rate.formula}", f["context"])
    head = top + 4
    sheet.merge_range(head, 0, head + 1, 0, GROUPING_LABELS["unit"], f["head"])
    sheet.merge_range(head, 1, head, 3, f"Kỳ A: {earlier.name or earlier.dates}", f["head"])
    sheet.merge_range(head, 4, head, 6, f"Kỳ B: {figures.period.name or figures.period.dates}", f["head"])
    sheet.merge_range(head, 7, head, 9, "Thay đổi B − A (điểm %)", f["head"])
    sheet.merge_range(head, 10, head + 1, 10, "p (kiểm định hai tỷ lệ)", f["head"])
    sheet.merge_range(head, 11, head + 1, 11, "Ghi chú", f["head"])
    for col, title in enumerate(["Tỷ lệ đúng hạn", "Tử số", "Mẫu số", "Tỷ lệ đúng hạn", "Tử số", "Mẫu số",
                                 "Thay đổi", "KTC 95% – từ", "KTC 95% – đến"], start=1):
        sheet.write_string(head + 1, col, title, f["head"])
    sheet.set_row(head, 32)
    sheet.set_row(head + 1, 32)
    row = head + 2
    for name, change, strong in [("Toàn bộ", comparison.total, True),
                                 *((g["name"], g, False) for g in comparison.groups)]:
        sheet.write_string(row, 0, str(name), f["total_text" if strong else "text"])
        for col, side in ((1, change["rate_a"]), (4, change["rate_b"])):
            _number(sheet, row, col, side["value"], "pct", f, strong)
            sheet.write_number(row, col + 1, int(side["numerator"]), f["total_int" if strong else "int"])
            sheet.write_number(row, col + 2, int(side["denominator"]), f["total_int" if strong else "int"])
        interval = change["rate_change_ci95"] or (None, None)
        _number(sheet, row, 7, change["rate_change_pp"], "pp", f, strong)
        _number(sheet, row, 8, interval[0], "pp", f, strong)
        _number(sheet, row, 9, interval[1], "pp", f, strong)
        _number(sheet, row, 10, change["p_value"], "p", f, strong)
        sheet.write_string(row, 11, change["note"], f["total_text" if strong else "cell_text"])
        row += 1
    _notes(sheet, f, row + 1, [
        ("Khoảng tin cậy 95% của thay đổi: phương pháp Newcombe (điểm Wilson); p: kiểm định z hai tỷ lệ, hai phía. "
         "Khoảng chứa 0 (hay p ≥ 0,05): chưa đủ căn cứ nói tỷ lệ đã thay đổi."),
        f"Dưới {MIN_JUDGEABLE} hồ sơ ở mẫu số của một kỳ: quá ít hồ sơ để kết luận (ghi ở cột Ghi chú).",
        "Đơn vị có trong một kỳ mà không có trong kỳ kia được tính là 0 hồ sơ ở kỳ thiếu."], 11, 180)
    sheet.set_column(1, 9, 11)
    sheet.set_column(10, 10, 12)
    sheet.set_column(11, 11, 52)
    sheet.freeze_panes(head + 2, 1)
    sheet.repeat_rows(head, head + 1)


def _funnel(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Each unit's rate against the control limits for its volume (95% and 99.8%), and what that says."""
    rate, units = figures.rate.definition, figures.units_funnel
    top = BLOCK_ROWS
    sheet.write_string(top, 0, "SO SÁNH CÔNG BẰNG GIỮA CÁC ĐƠN VỊ (BIỂU ĐỒ PHỄU)", f["section"])
    sheet.write_string(top + 1, 0, f"Tỷ lệ: {rate.label} {rate.formula}", f["context"])
    sheet.write_string(top + 2, 1, "Tỷ lệ chung của các đơn vị (đường giữa của phễu):", f["key"])
    _number(sheet, top + 2, 4, figures.overall_rate, "pct", f, strong=True)
    head = top + 4
    sheet.merge_range(head, 0, head + 1, 0, "STT", f["head"])
    sheet.merge_range(head, 1, head + 1, 1, GROUPING_LABELS["unit"], f["head"])
    sheet.merge_range(head, 2, head + 1, 2, "Đúng hạn (tử số)", f["head"])
    sheet.merge_range(head, 3, head + 1, 3, "Mẫu số", f["head"])
    sheet.merge_range(head, 4, head + 1, 4, "Tỷ lệ đúng hạn", f["head"])
    sheet.merge_range(head, 5, head, 6, "Giới hạn 95%", f["head"])
    sheet.merge_range(head, 7, head, 8, "Giới hạn 99,8%", f["head"])
    sheet.merge_range(head, 9, head + 1, 9, "Đánh giá", f["head"])
    for col, title in enumerate(["Dưới", "Trên", "Dưới", "Trên"], start=5):
        sheet.write_string(head + 1, col, title, f["head"])
    sheet.set_row(head, 32)
    row = head + 2
    for n, unit in enumerate(units.to_dict("records"), start=1):
        sheet.write_number(row, 0, n, f["center"])
        sheet.write_string(row, 1, str(unit["name"]), f["text"])
        sheet.write_number(row, 2, int(unit["numerator"]), f["int"])
        sheet.write_number(row, 3, int(unit["denominator"]), f["int"])
        for col, key in enumerate(["rate", "lower_95", "upper_95", "lower_998", "upper_998"], start=4):
            _number(sheet, row, col, unit[key], "pct", f)
        alert = unit["flag"] in (BELOW, WATCH_BELOW)
        sheet.write_string(row, 9, str(unit["flag_label"]), f["alert" if alert else "cell_text"])
        row += 1
    if units.empty:
        sheet.merge_range(row, 0, row, 9, "Không có đơn vị nào có hồ sơ trong kỳ.", f["cell_text"])
        row += 1
    _notes(sheet, f, row + 1, [
        ("Giới hạn kiểm soát quanh tỷ lệ chung hẹp dần khi số hồ sơ tăng: đơn vị ít hồ sơ không bị xếp đầu hay cuối "
         "chỉ vì may rủi."),
        ("Ngoài giới hạn 99,8%: khác biệt rõ rệt; giữa 95% và 99,8%: cần xem thêm; trong giới hạn: khác biệt có thể "
         "do ngẫu nhiên. Đây là gợi ý để hỏi thêm, không phải kết luận.")], 9, 150)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 42)
    sheet.set_column(2, 8, 11)
    sheet.set_column(9, 9, 46)
    sheet.freeze_panes(head + 2, 2)
    sheet.repeat_rows(head, head + 1)


def _quality(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Caveats as sentences, dossiers left out by reason, the provenance lines, the files and the session's settings."""
    session = figures.session
    row = BLOCK_ROWS
    sheet.write_string(row, 0, "1. Lưu ý về số liệu", f["section"])
    row = _lines(sheet, f, row + 1, [caveat_sentence(c) for c in figures.caveats]
                 or ["Không có lưu ý nào: các tệp có đủ cột cần cho Biểu 06 và mọi cách ghi đều đã nhận ra."])
    row += 1
    sheet.write_string(row, 0, "2. Hồ sơ không tính vào Biểu 06", f["section"])
    _header(sheet, f, row + 1, ["Lý do", "Số hồ sơ"], height=18)
    row += 2
    for reason, count in figures.left_out.items():
        sheet.write_string(row, 0, REASON_LABELS[reason], f["cell_text"])
        sheet.write_number(row, 1, int(count), f["int"])
        row += 1
    row += 1
    sheet.write_string(row, 0, "3. Nguồn số liệu", f["section"])
    row = _lines(sheet, f, row + 1, provenance_lines(provenance, figures))
    row += 1
    sheet.write_string(row, 0, "4. Tệp số liệu", f["section"])
    _header(sheet, f, row + 1, ["Tệp", "Ngày nhập", "Số dòng", "sha256"], height=18)
    row += 2
    for source in provenance.files:
        sheet.write_string(row, 0, source.name, f["cell_text"])
        if source.imported_at is not None:
            sheet.write_datetime(row, 1, source.imported_at, f["plain_time"])
        else:
            sheet.write_string(row, 1, fmt.DASH, f["context"])
        sheet.write_number(row, 2, int(source.rows), f["plain_int"])
        sheet.write_string(row, 3, source.sha256, f["context"])
        row += 1
    row += 1
    sheet.write_string(row, 0, "5. Đợt giám sát", f["section"])
    row += 1
    rate = figures.rate.definition
    settings = [("Tên đợt", session.name), ("Đoàn giám sát", session.team or fmt.DASH),
                ("Cơ quan được giám sát", session.bodies or fmt.DASH),
                ("Kỳ giám sát – từ ngày", session.start), ("Kỳ giám sát – đến ngày", session.end),
                ("Kỳ so sánh – từ ngày", session.compare_start or fmt.DASH),
                ("Kỳ so sánh – đến ngày", session.compare_end or fmt.DASH),
                ("Đơn vị trong phạm vi", ", ".join(session.units) if session.units else ALL_UNITS),
                ("Bộ lọc", provenance.scope), ("Tỷ lệ", f"{rate.label} {rate.formula}"),
                ("Mục tiêu tỷ lệ đúng hạn", session.target),
                ("Danh mục TTHC", Path(session.catalog).name if session.catalog else fmt.DASH),
                ("Dữ liệu", SAMPLE_WARNING if provenance.is_sample else REAL_DATA),
                ("Lập lúc", provenance.made_at), ("Phiên bản phần mềm", provenance.version)]
    for key, value in settings:
        sheet.write_string(row, 0, key, f["key"])
        if key == "Lập lúc":
            sheet.write_datetime(row, 1, value, f["plain_time"])
        elif key == "Mục tiêu tỷ lệ đúng hạn":
            sheet.write_number(row, 1, float(value), f["plain_pct"])
        elif not isinstance(value, str):
            sheet.write_datetime(row, 1, value, f["plain_date"])
        else:
            sheet.write_string(row, 1, value, f["sample" if value == SAMPLE_WARNING else "context"])
        row += 1
    sheet.set_column(0, 0, 100)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, 3, 66)
    sheet.freeze_panes(BLOCK_ROWS, 0)
