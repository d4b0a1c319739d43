"""A supervision session's workbook: Biểu 06 as the form is printed, then late dossiers, the comparison between the
two periods, the units' funnel, the published procedures without dossiers, the data-quality report and where the
figures come from, one sheet each.

Every sheet opens with the session's title, its period, its scope and whether the figures are the sample's, so that
a sheet printed or copied alone still says what it is. Counts are numbers shown `#,##0`, rates numbers shown
`0.0%`, dates real dates shown dd/mm/yyyy (the reader's Excel or LibreOffice puts the Vietnamese separators); the
sentences are worded in Vietnamese by `formatting` and `judged`. Nothing is computed here but the late tables'
column totals: every figure is SessionFigures'. Text from the data stays text (XLSX_OPTIONS: no formula, no link).
"""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pandas as pd
import xlsxwriter

from analytics.analyses import catalog_audit, judgements
from analytics.analyses.bieu06 import OFFICIAL
from analytics.analyses.funnel import BELOW, WATCH_BELOW
from analytics.analyses.late import late_totals
from analytics.analyses.session_figures import SessionFigures
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.model.periods import in_words
from analytics.model.session import Provenance
from analytics.outputs import formatting as fmt
from analytics.outputs import experience_words as lived
from analytics.outputs import judged
from analytics.outputs.experience_xlsx import experience_sheet, index_table
from analytics.outputs.experience_xlsx import formats as experience_formats
from analytics.outputs.bieu06_xlsx import BASE_FONT, book_options, form_formats, print_form, text_lines, write_form
from analytics.outputs.bieu06_xlsx import WIDTHS as FORM_WIDTHS
from analytics.outputs.labels import (
    AUDIT_LABELS,
    COLUMN_LABELS,
    FLAG_LABELS,
    GROUPING_LABELS,
    LATE_TABLE_LABELS,
    REASON_LABELS,
    TOTAL_ROW,
)
from analytics.outputs.sentences import caveat_sentence, table_notes
from analytics.outputs.slides import SAMPLE_WARNING, comparison_note, provenance_details, provenance_lines

BIEU06, LATE, COMPARISON, FUNNEL, UNUSED, QUALITY, PROVENANCE = (
    "Biểu 06", "Trễ hạn", "So sánh", "Đơn vị (phễu)", "TTHC không phát sinh hồ sơ", "Chất lượng dữ liệu",
    "Nguồn số liệu")
EXPERIENCE = "Trải nghiệm người dân"
SHEETS = (BIEU06, LATE, EXPERIENCE, COMPARISON, FUNNEL, UNUSED, QUALITY, PROVENANCE)
REAL_DATA = "Số liệu thật (đã nhập từ tệp của các đơn vị, không phải dữ liệu mẫu)"
NO_COMPARISON = "Đợt giám sát này không có kỳ so sánh, nên không có thay đổi nào giữa hai kỳ để nêu."
NO_CATALOG = "Đợt giám sát không có danh mục thủ tục hành chính, nên không đối chiếu được thủ tục nào chưa có hồ sơ."
ALL_USED = "Mọi thủ tục trong danh mục đều có hồ sơ tiếp nhận trong kỳ."
BLOCK_ROWS = 5  # the session's four lines and a blank row, above every sheet's table
LATE_KEYS = [k for k in LATE_TABLE_LABELS if k != "name"]
ALL_UNITS = "tất cả đơn vị"
COUNTS_COMPARED = ("received_total", "resolved_total", "resolved_late", "pending_overdue")

# Each sheet's column widths (characters): the session block is merged across them and wrapped to them.
WIDTHS = {
    BIEU06: FORM_WIDTHS,
    LATE: {0: 5, 1: 45, **{c: 15 for c in range(2, 2 + len(LATE_KEYS))}},
    EXPERIENCE: {0: 42, **{c: 14 for c in range(1, 9)}},
    COMPARISON: {0: 42, **{c: 11 for c in range(1, 10)}, 10: 12, 11: 52},
    FUNNEL: {0: 5, 1: 42, **{c: 11 for c in range(2, 9)}, 9: 46},
    UNUSED: {0: 6, 1: 14, 2: 80, 3: 28, 4: 14},
    QUALITY: {0: 100, 1: 14},
    PROVENANCE: {0: 60, 1: 18, 2: 10, 3: 68},
}
ONE_COLUMN = {0: 120}  # a sheet that only says why it has no table


def _widths(name: str, figures: SessionFigures) -> dict:
    if name == COMPARISON and figures.comparison is None:
        return ONE_COLUMN
    return WIDTHS[name]


def workbook_xlsx(figures: SessionFigures, provenance: Provenance) -> bytes:
    """The session's workbook (sheets SHEETS, in that order) as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, book_options())
    book.set_properties({"title": f"Số liệu đợt giám sát: {figures.session.heading}", "subject": figures.period.label,
                         "comments": SAMPLE_WARNING if provenance.is_sample else REAL_DATA,
                         "created": provenance.made_at})
    f = _formats(book)
    f["experience"] = experience_formats(book)
    for name, write in ((BIEU06, _bieu06), (LATE, _late), (EXPERIENCE, _experience), (COMPARISON, _comparison),
                        (FUNNEL, _funnel),
                        (UNUSED, _unused), (QUALITY, _quality), (PROVENANCE, _provenance)):
        sheet, widths = book.add_worksheet(name), _widths(name, figures)
        for col, width in widths.items():
            sheet.set_column(col, col, width)
        if name != BIEU06:  # Biểu 06 prints on one page of its own (bieu06_xlsx.print_form)
            _page(sheet)
        _session_block(sheet, f, figures, provenance, widths)
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
        "session": book.add_format({**base, "bold": True, "font_size": 13, "text_wrap": True, "valign": "top"}),
        "context": book.add_format({**base, "text_wrap": True, "valign": "top"}),
        "sample": book.add_format({**base, "bold": True, "font_size": 13, "font_color": "#C00000"}),
        "real": book.add_format({**base, "italic": True}),
        "section": book.add_format({**base, "bold": True, "font_size": 12}),
        "line": book.add_format({**base, "text_wrap": True, "valign": "top"}),
        "plain_int": book.add_format({**base, "num_format": "#,##0", "align": "left", "valign": "top"}),
        "plain_pct": book.add_format({**base, "num_format": "0.0%", "align": "left"}),
        "plain_date": book.add_format({**base, "num_format": "dd/mm/yyyy", "align": "left"}),
        "plain_time": book.add_format({**base, "num_format": "dd/mm/yyyy hh:mm", "align": "left", "valign": "top"}),
        "key": book.add_format({**base, "bold": True, "valign": "top"}),
        "pct": book.add_format({**cell, "num_format": "0.0%"}),
        "total_pct": book.add_format({**cell, "bold": True, "num_format": "0.0%"}),
        "pp": book.add_format({**cell, "num_format": "+0.0;-0.0;0.0"}),
        "total_pp": book.add_format({**cell, "bold": True, "num_format": "+0.0;-0.0;0.0"}),
        "signed_int": book.add_format({**cell, "num_format": "+#,##0;-#,##0;0"}),
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


def _wide_line(sheet, row: int, widths: dict, value: str, style, size: float = 11) -> None:
    """A line of text merged across the sheet's columns, wrapped, its row as tall as the wrapped text (`size`: the
    style's font size)."""
    last = max(widths)
    if last:
        sheet.merge_range(row, 0, row, last, value, style)
    else:
        sheet.write_string(row, 0, value, style)
    sheet.set_row(row, size * 1.4 * text_lines(value, sum(widths.values()), bold=size > 11, size=size))


def _session_block(sheet, f: dict, figures: SessionFigures, provenance: Provenance, widths: dict) -> None:
    """Rows 0–3: the session's title, the period (and the comparison period asked), the scope, sample or real."""
    session = figures.session
    period = f"Kỳ giám sát: {figures.period.label}"
    if figures.comparison_asked is not None:
        period += f"; kỳ so sánh: {figures.comparison_asked.label}"
    scope = f"Phạm vi: {provenance.scope}; đơn vị: {', '.join(session.units) if session.units else ALL_UNITS}"
    _wide_line(sheet, 0, widths, session.heading, f["session"], 13)
    _wide_line(sheet, 1, widths, period, f["context"])
    _wide_line(sheet, 2, widths, scope, f["context"])
    if provenance.is_sample:
        sheet.write_string(3, 0, SAMPLE_WARNING, f["sample"])
    else:
        sheet.write_string(3, 0, REAL_DATA, f["real"])
    sheet.set_row(3, 18)
    sheet.set_row(4, 6)


def _number(sheet, row: int, col: int, value, fmt_name: str, f: dict, strong: bool = False) -> None:
    """A number, or a dash when the figure is undefined (a rate without a denominator, an interval not computed)."""
    if value is None or pd.isna(value):
        sheet.write_string(row, col, fmt.DASH, f["total_dash" if strong else "dash"])
    else:
        sheet.write_number(row, col, float(value), f[("total_" if strong else "") + fmt_name])


def _lines(sheet, f: dict, row: int, lines, widths: dict | None = None, fmt_name: str = "line") -> int:
    """Lines of text in column A, one a row (wrapped in the wide column, or across `widths`' columns); returns the
    next free row."""
    for line in lines:
        if widths is None:
            sheet.write_string(row, 0, line, f[fmt_name])
        else:
            _wide_line(sheet, row, widths, line, f[fmt_name])
        row += 1
    return row


def _notes(sheet, f: dict, row: int, lines, widths: dict) -> int:
    """Notes under a table, each merged across its columns, the row as tall as its wrapped text."""
    for line in lines:
        _wide_line(sheet, row, widths, line, f["note"])
        row += 1
    return row


def _header(sheet, f: dict, row: int, columns: list[str], height: int = 45) -> None:
    for col, title in enumerate(columns):
        sheet.write_string(row, col, title, f["head"])
    sheet.set_row(row, height)


# --- the sheets ---------------------------------------------------------------------------------------------------

def _bieu06(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """The form's layout (level › unit › field with subtotals), exactly as the Biểu 06 workbook prints it: on one
    landscape page with its signature block, the sample warning above it when the figures are the sample's."""
    table = dataclasses.replace(figures.table, by=OFFICIAL, groups=figures.official)
    placement = write_form(sheet, f, table, BLOCK_ROWS, figures.session.bodies,
                           table_notes(figures.caveats, figures.left_out))
    sheet.freeze_panes(placement.body, 2)
    print_form(sheet, placement, print_from=3 if provenance.is_sample else BLOCK_ROWS)


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
        totals = late_totals(table)  # every late dossier sits in exactly one group
        for i, key in enumerate(LATE_KEYS):
            sheet.write_number(row, 2 + i, totals[key], f["total_int"])
        row += 1
    _notes(sheet, f, row + 1, [
        "Trễ hạn = đã giải quyết quá hạn (cột 10 của Biểu 06) + đang giải quyết quá hạn (cột 13), trong kỳ giám sát.",
        "\"Tệp không ghi thư xin lỗi\": tệp xuất không có cột thư (phiếu) xin lỗi, nên không biết đã gửi hay chưa."],
        WIDTHS[LATE])
    sheet.freeze_panes(header + 1, 2)
    sheet.repeat_rows(header)


def _experience(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Citizens' experience by unit (the tables of `experience --format xlsx`), the national index beside it."""
    doc = lived.experience_document(figures.experience, "", figures.index)
    row = experience_sheet(sheet, f["experience"], doc, BLOCK_ROWS, width=7)
    sheet.freeze_panes(0, 1)  # the names stay in view when the tables scroll sideways
    if doc.get("national_index"):
        index_table(sheet, f["experience"], doc["national_index"], row + 1)


def _comparison(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """The on-time rate of the whole and of each unit in the two periods, the change in points with its 95%
    interval and p, and what may be said of it (judged: a rise or a fall only when the interval excludes zero);
    the counts side by side only when the two periods are of the same length. No comparison, or one the data do not
    cover: said in words."""
    comparison, widths = figures.comparison, _widths(COMPARISON, figures)
    top = BLOCK_ROWS
    sheet.write_string(top, 0, "SO SÁNH TỶ LỆ ĐÚNG HẠN GIỮA HAI KỲ", f["section"])
    if comparison is None:
        _wide_line(sheet, top + 1, widths, comparison_note(figures) or NO_COMPARISON, f["line"])
        return
    earlier, rate, now = figures.comparison_asked, figures.rate.definition, figures.period
    row = _lines(sheet, f, top + 1, [
        f"Kỳ A (kỳ so sánh): {earlier.label}; kỳ B (kỳ giám sát): {now.label}; thay đổi = B − A, "
        "tính bằng điểm phần trăm.",
        f"Tỷ lệ: {rate.label} {rate.formula}",
        f"Toàn bộ: tỷ lệ đúng hạn {judged.change_with_evidence(figures.rate_change)}."], widths)
    overdue = judged.overdue_sentence(figures.overdue_change, earlier, now, comparison.a.total, comparison.b.total)
    row = _lines(sheet, f, row, [overdue] if overdue else [], widths)
    head = row + 1
    sheet.merge_range(head, 0, head + 1, 0, GROUPING_LABELS["unit"], f["head"])
    sheet.merge_range(head, 1, head, 3, f"Kỳ A: {earlier.label}", f["head"])
    sheet.merge_range(head, 4, head, 6, f"Kỳ B: {now.label}", f["head"])
    sheet.merge_range(head, 7, head, 9, "Thay đổi B − A (điểm %)", f["head"])
    sheet.merge_range(head, 10, head + 1, 10, "p (kiểm định hai tỷ lệ)", f["head"])
    sheet.merge_range(head, 11, head + 1, 11, "Đánh giá", f["head"])
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
        sheet.write_string(row, 11, judged.change_words(judgements.rate_change(change)),
                           f["total_text" if strong else "cell_text"])
        row += 1
    row = _counts(sheet, f, figures, row + 1)
    _notes(sheet, f, row + 1, [
        ("Khoảng tin cậy 95% của thay đổi: phương pháp Newcombe (điểm Wilson); p: kiểm định z hai tỷ lệ, hai phía. "
         f"Khoảng chứa 0: {judged.NO_SIGNIFICANT_CHANGE}, chưa đủ căn cứ nói tỷ lệ đã tăng hay giảm."),
        f"Mẫu số của một kỳ dưới {MIN_JUDGEABLE} hồ sơ: quá ít hồ sơ để kết luận tỷ lệ tăng hay giảm.",
        "Đơn vị có trong một kỳ mà không có trong kỳ kia được tính là 0 hồ sơ ở kỳ thiếu."], widths)
    sheet.freeze_panes(head + 2, 1)
    sheet.repeat_rows(head, head + 1)


def _counts(sheet, f: dict, figures: SessionFigures, row: int) -> int:
    """The counts of the two periods side by side, only when the periods are of the same length; else why not."""
    comparison = figures.comparison
    if not figures.counts_comparable:
        _wide_line(sheet, row, WIDTHS[COMPARISON], (
            f"Số hồ sơ không đặt cạnh nhau: {in_words(figures.comparison_asked)} và {in_words(figures.period)} dài "
            "khác nhau, nên chỉ so sánh tỷ lệ."), f["line"])
        return row + 1
    _header(sheet, f, row, ["Số hồ sơ", "Kỳ A", "Kỳ B", "Thay đổi B − A"], height=18)
    row += 1
    for key in COUNTS_COMPARED:
        sheet.write_string(row, 0, COLUMN_LABELS[key], f["text"])
        sheet.write_number(row, 1, int(comparison.a.total[key]), f["int"])
        sheet.write_number(row, 2, int(comparison.b.total[key]), f["int"])
        sheet.write_number(row, 3, int(comparison.total[key]), f["signed_int"])
        row += 1
    return row


def _funnel(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Each unit's rate against the control limits for its volume (95% and 99.8%), and what that says."""
    rate, units = figures.rate.definition, figures.units_funnel
    top = BLOCK_ROWS
    sheet.write_string(top, 0, "SO SÁNH CÔNG BẰNG GIỮA CÁC ĐƠN VỊ (BIỂU ĐỒ PHỄU)", f["section"])
    sheet.write_string(top + 1, 0, f"Tỷ lệ: {rate.label} {rate.formula}", f["real"])
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
        sheet.write_string(row, 9, FLAG_LABELS[unit["flag"]], f["alert" if alert else "cell_text"])
        row += 1
    if units.empty:
        sheet.merge_range(row, 0, row, 9, "Không có đơn vị nào có hồ sơ trong kỳ.", f["cell_text"])
        row += 1
    _notes(sheet, f, row + 1, [
        ("Giới hạn kiểm soát quanh tỷ lệ chung hẹp dần khi số hồ sơ tăng: đơn vị ít hồ sơ không bị xếp đầu hay cuối "
         "chỉ vì may rủi."),
        ("Ngoài giới hạn 99,8%: khác biệt rõ rệt; giữa 95% và 99,8%: cần xem thêm; trong giới hạn: khác biệt có thể "
         "do ngẫu nhiên. Đây là gợi ý để hỏi thêm, không phải kết luận."),
        f"Đơn vị có dưới {MIN_JUDGEABLE} hồ sơ ở mẫu số: quá ít để đánh giá, không nêu tên trong báo cáo và bản trình "
        "chiếu."], WIDTHS[FUNNEL])
    sheet.freeze_panes(head + 2, 2)
    sheet.repeat_rows(head, head + 1)


def _unused(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """The catalog's procedures that no dossier received in the period used, every one (the written report gives
    their count by field): code, name, field when the catalog has it, level."""
    widths = WIDTHS[UNUSED]
    top = BLOCK_ROWS
    sheet.write_string(top, 0, AUDIT_LABELS[catalog_audit.UNUSED_PROCEDURES].upper(), f["section"])
    if figures.audit is None:
        _wide_line(sheet, top + 1, widths, NO_CATALOG, f["line"])
        return
    unused = figures.audit[catalog_audit.UNUSED_PROCEDURES]
    by_level = "; ".join(f"{level}: {fmt.number(n)}" for level, n in unused["by_level"].items() if n)
    _wide_line(sheet, top + 1, widths, f"Đối chiếu danh mục thủ tục hành chính với hồ sơ tiếp nhận trong "
                                       f"{in_words(figures.period)} ({figures.period.dates}): "
                                       f"{fmt.number(unused['count'])} thủ tục chưa có hồ sơ nào"
                                       + (f" ({by_level})." if by_level else "."), f["line"])
    items = unused["items"]
    if not items:
        _wide_line(sheet, top + 2, widths, ALL_USED, f["line"])
        return
    has_field = any(item.get("field") for item in items)  # the catalog's field, when the audit gives it
    columns = [("Mã thủ tục", "procedure_code"), ("Tên thủ tục hành chính", "procedure_name"),
               *([("Lĩnh vực", "field")] if has_field else []), ("Cấp thực hiện", "level")]
    head = top + 3
    _header(sheet, f, head, ["STT", *(title for title, _ in columns)], height=18)
    row = head + 1
    for n, item in enumerate(items, start=1):
        sheet.write_number(row, 0, n, f["number"])
        lines = 1
        for col, (_, key) in enumerate(columns, start=1):
            value = str(item.get(key) or "")
            sheet.write_string(row, col, value, f["cell_text"])
            lines = max(lines, text_lines(value, widths[col]))
        sheet.set_row(row, 15 * lines)
        row += 1
    sheet.freeze_panes(head + 1, 0)
    sheet.repeat_rows(head)


def _quality(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Caveats as sentences and the dossiers left out, by reason."""
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
    sheet.freeze_panes(BLOCK_ROWS, 0)


def _provenance(sheet, f: dict, figures: SessionFigures, provenance: Provenance) -> None:
    """Where the figures come from: in words, then the details to check them by (each file's SHA-256, when the
    workbook was made, the software's version), the files, and the session's settings."""
    session, widths = figures.session, WIDTHS[PROVENANCE]
    row = BLOCK_ROWS
    sheet.write_string(row, 0, "1. Nguồn số liệu", f["section"])
    row = _lines(sheet, f, row + 1, provenance_lines(provenance, figures), widths)
    row += 1
    sheet.write_string(row, 0, "2. Chi tiết để đối chiếu (dấu vân tay SHA-256 của tệp, thời điểm lập, phiên bản "
                               "phần mềm)", f["section"])
    row = _lines(sheet, f, row + 1, provenance_details(provenance), widths)
    row += 1
    sheet.write_string(row, 0, "3. Tệp số liệu", f["section"])
    _header(sheet, f, row + 1, ["Tệp", "Ngày nhập", "Số dòng", "SHA-256"], height=18)
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
    sheet.write_string(row, 0, "4. Đợt giám sát", f["section"])
    row += 1
    rate = figures.rate.definition
    settings = [("Tên đợt giám sát", session.heading), ("Mã đợt", session.name),
                ("Cơ quan chủ trì", session.parent_body or fmt.DASH), ("Đoàn giám sát", session.team or fmt.DASH),
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
            sheet.merge_range(row, 1, row, 3, value, f["sample" if value == SAMPLE_WARNING else "context"])
            sheet.set_row(row, 15 * text_lines(value, widths[1] + widths[2] + widths[3]))
        row += 1
    sheet.freeze_panes(BLOCK_ROWS, 0)
