"""A reconciliation (analyses.reconciliation) as a JSON document (issue 10's contract), a text table for a terminal and
a workbook: the reported figures beside the recomputed ones, the table's own arithmetic, the likely causes.

Nothing is computed here: every figure is the Reconciliation's; the causes are worded by outputs.causes, the
table's arithmetic and the rows that matched nothing by outputs.reported_words.
"""
from __future__ import annotations

import io

import xlsxwriter

from analytics.analyses.reconciliation import LEVEL_MATCH, TOTAL, ReconciledRow, ReconciledSubtotal, Reconciliation
from analytics.analyses.report_arithmetic import Break
from analytics.model.reported import DERIVED
from analytics.outputs import formatting as fmt
from analytics.outputs.causes import cause_sentence, cause_title
from analytics.outputs.documents import caveats_block
from analytics.outputs.labels import COLUMN_LABELS, GROUPING_LABELS, REASON_LABELS
from analytics.outputs.reported_words import (
    break_cells,
    break_identity,
    figure,
    how_label,
    key_label,
    key_short,
    plain_number,
    reconciliation_notes,
    term,
    unmatched_reason,
)
from analytics.outputs.safe_cells import XLSX_OPTIONS
from analytics.outputs.sentences import table_notes

TITLE = "ĐỐI CHIẾU SỐ LIỆU BÁO CÁO VỚI SỐ TÍNH LẠI TỪ HỒ SƠ"
MARK = "*"  # beside a difference outside the tolerance
BELOW_MARK = "↓"  # beside a total's or subtotal's difference its rows below account for


def _json_ready(value):
    """numpy and pandas values as plain JSON values, in nested dicts and lists too."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    return plain_number(value)


def _break(b: Break) -> dict:
    return {"row": b.row, "sheet_row": _json_ready(b.sheet_row), "identity": break_identity(b), "cells": _json_ready(b.cells),
            "gap": _json_ready(b.gap)}


def _not_compared(rec: Reconciliation) -> list[str]:
    """The table's known columns that have no recomputed figure (returned, supplements, cancelled …)."""
    return [k for k in rec.table.keys if k not in rec.keys]


def _row(r: ReconciledRow) -> dict:
    return {"name": r.name, "matched_to": r.matched_to, "how": r.how, "is_total": r.is_total,
            "sheet_row": r.sheet_row,
            "cells": {k: {"reported": _json_ready(c.reported), "recomputed": _json_ready(c.recomputed),
                          "difference": _json_ready(c.difference), "within_tolerance": c.within_tolerance,
                          **({"rows_below_difference": _json_ready(c.rows_below),
                              "explained_by_rows": c.explained} if c.rows_below is not None else {})}
                      for k, c in r.cells.items()}}


def _subtotal(t: ReconciledSubtotal) -> dict:
    """A subtotal: its row, what it stands for, its own sum check and its comparison with the recomputed level."""
    return {"name": t.name, "sheet_row": t.sheet_row, "read_as": t.how, "rows": t.direction,
            "stands_for": {"units": t.members, "level": t.level},
            "sum_check": {"adds_up": not t.breaks, "breaks": [_break(b) for b in t.breaks]},
            "comparison": _row(t.compared) if t.compared is not None else None}


def reconciliation_document(rec: Reconciliation) -> dict:
    """Issue 10's JSON: from, to, by, rows (the unit rows: name, matched_to, cells: key -> reported, recomputed,
    difference, within_tolerance), arithmetic_breaks, unmatched_reported, unmatched_recomputed; issue 17's subtotals
    (each with its row, what it stands for, its own sum check and its comparison) and total; then tolerance, causes
    and the context (file, period label, rate, left-out dossiers, caveats, columns not compared)."""
    total = next((r for r in rec.rows if r.is_total), None)
    return {
        "from": rec.period.start.isoformat(),
        "to": rec.period.end.isoformat(),
        "by": rec.by,
        "rows": [_row(r) for r in rec.rows if not r.is_total],
        "total": _row(total) if total is not None else None,
        "subtotals": [_subtotal(t) for t in rec.subtotals],
        "arithmetic_breaks": [_break(b) for b in rec.breaks],
        "unmatched_reported": [{"name": u.name, "sheet_row": u.sheet_row, "reason": unmatched_reason(u),
                                **({"suggestions": u.evidence["suggestions"]} if "suggestions" in u.evidence else {})}
                               for u in rec.unmatched_reported],
        "unmatched_recomputed": [{"name": u.name, "received_total": u.received_total}
                                 for u in rec.unmatched_recomputed],
        "tolerance": _json_ready(float(rec.tolerance)),
        "causes": [{"code": c.code, "title": cause_title(c), "message": cause_sentence(c),
                    "rows": c.rows, "keys": c.keys, "evidence": _json_ready(c.evidence)} for c in rec.causes],
        "differences": rec.differences,
        "differences_explained_by_rows": rec.explained,
        "sum_breaks": len(rec.sum_breaks),
        "keys": rec.keys,
        "period_label": rec.period.label,
        "reported_file": {"file": rec.table.file, "sha256": rec.table.sha256, "sheet": rec.table.sheet,
                          "header_row": rec.table.header_row},
        "rate": rec.rate,
        "withdrawn_folded_into_on_time": rec.fold_withdrawn,
        "latest_date": rec.latest_date.isoformat() if rec.latest_date else None,
        "left_out_of_counts": rec.left_out,
        "caveats": caveats_block(rec.caveats),
        "not_compared": _not_compared(rec) + list(rec.table.kept),
        "notes": reconciliation_notes(rec),
    }


# --- Text --------------------------------------------------------------------------------------------------------

def _difference_text(cell) -> str:
    if cell.difference is None:
        return fmt.DASH
    if cell.difference == 0:
        return "0"
    text = fmt.signed_number(cell.difference) if isinstance(cell.difference, int) else fmt.decimal(cell.difference)
    return text + (f" {MARK}" if cell.differs else f" {BELOW_MARK}" if cell.explained else "")


def _row_lines(row: ReconciledRow, keys: list[str]) -> list[list[str]]:
    label = row.name or fmt.DASH
    below = "" if row.is_total or row.matched_to == row.name else f"→ {row.matched_to}"
    cells = [row.cells[k] for k in keys]
    return [[label, "Báo cáo", *(fmt.DASH if c.reported is None else fmt.number(c.reported) for c in cells)],
            [below, "Tính lại", *(fmt.number(c.recomputed) for c in cells)],
            ["", "Chênh lệch", *(_difference_text(c) for c in cells)]]


def context_lines(rec: Reconciliation, mark: str = MARK) -> list[str]:
    """What was compared with what: the file, the period, the grouping, the tolerance; `mark` says how a difference
    outside the tolerance is shown."""
    tolerance = fmt.number(rec.tolerance) if float(rec.tolerance).is_integer() else fmt.decimal(rec.tolerance)
    return [f"Bảng báo cáo: {rec.table.file}, trang \"{rec.table.sheet}\"",
            f"Kỳ: {rec.period.label}; nhóm theo: {GROUPING_LABELS.get(rec.by, rec.by)}; "
            f"ngưỡng chênh lệch: {tolerance} hồ sơ" + (" (phải khớp đúng)" if not rec.tolerance else ""),
            f"Chênh lệch = báo cáo − tính lại; {mark} = vượt ngưỡng ({fmt.number(rec.differences)} ô)"
            + (f"; {BELOW_MARK} = chênh lệch của dòng tổng hoặc dòng cộng chỉ do các dòng bên dưới "
               f"({fmt.number(rec.explained)} ô, không tính lại)" if rec.explained else "") + "."]


def subtotal_line(t: ReconciledSubtotal) -> str:
    """"II. CẤP XÃ (dòng 14): cộng của 6 dòng đơn vị, ứng với cấp xã; lệch tổng các dòng ở 1 cột"."""
    where = f" (dòng {t.sheet_row})" if t.sheet_row else ""
    level = f", ứng với {t.level.lower()}" if t.level else ""
    check = (f"không bằng tổng các dòng ở {fmt.number(len(t.breaks))} cột ("
             + "; ".join(f"{term(b.terms[0])}: lệch {figure(b.gap)}" for b in t.breaks) + ")") if t.breaks \
        else "bằng tổng các dòng"
    return f"{t.name}{where}: cộng của {fmt.number(len(t.members))} dòng đơn vị{level}; {check}"


def summary_lines(rec: Reconciliation) -> list[str]:
    """The story first (issue 17): how many reported cells differ from the dossiers, how many of the table's own sums
    break, and the rows left unmatched."""
    differing = rec.differing()
    out = [f"{fmt.number(rec.differences)} số liệu báo cáo khác số tính lại từ hồ sơ"
           + (f" ({fmt.number(rec.explained)} chênh lệch khác ở dòng tổng, dòng cộng chỉ do các dòng bên dưới)"
              if rec.explained else "") + "; "
           + f"{fmt.number(len(rec.sum_breaks))} phép cộng của chính biểu không khớp"
           + (f"; {fmt.number(len(rec.unmatched_reported))} dòng chưa ghép được với số liệu"
              if rec.unmatched_reported else "") + "."]
    out += [f"  - {b.row}: {break_identity(b)}, lệch {figure(b.gap)}" for b in rec.sum_breaks]
    out += [f"  - {difference_line(rec, row, key, cell)}" for row, key, cell in differing]
    return out


UNKNOWN_CAUSE = "chưa rõ trong dữ liệu: cần hỏi đơn vị báo cáo"


def known_causes(rec: Reconciliation, row: ReconciledRow, key: str) -> list[str]:
    """The causes the data show on a differing cell's row and column."""
    return [cause_title(c) for c in rec.causes if key in c.keys and (row.name in c.rows or not c.rows)]


def likely_cause(rec: Reconciliation, row: ReconciledRow, key: str) -> str:
    """The likely cause of one differing cell: a cause the data show on its row and column, else a question."""
    return "; ".join(known_causes(rec, row, key)) or UNKNOWN_CAUSE


def difference_line(rec: Reconciliation, row: ReconciledRow, key: str, cell, unknown: bool = True) -> str:
    """'Phòng TN&MT — Đã giải quyết trước hạn (8): báo cáo 4, tính lại 6, chênh −2 (nguyên nhân có thể: …)';
    without `unknown`, a cause the data do not show is left unsaid (a slide says it once)."""
    found = likely_cause(rec, row, key) if unknown else "; ".join(known_causes(rec, row, key))
    return (f"{row.name} — {key_label(key)}: báo cáo {figure(cell.reported)}, tính lại {figure(cell.recomputed)}, "
            f"chênh {fmt.signed_number(cell.difference) if isinstance(cell.difference, int) else figure(cell.difference)}"
            + (f" (nguyên nhân có thể: {found})" if found else ""))


def _break_text(b: Break) -> str:
    where = f" (dòng {b.sheet_row} trên trang)" if b.sheet_row else ""
    return f"  - {b.row}{where}: {break_identity(b)}; lệch {figure(b.gap)} ({break_cells(b)})"


def reconciliation_text(rec: Reconciliation) -> str:
    """For a terminal: each row's reported, recomputed and difference lines under the keys, then the table's own
    arithmetic, the rows that matched nothing and the likely causes."""
    from analytics.outputs.text_tables import grid

    headers = ["Dòng báo cáo → nhóm trong số liệu", "Số liệu", *(key_short(k) for k in rec.keys)]
    lines = []
    for row in rec.compared_rows():
        lines += _row_lines(row, rec.keys)
    out = [TITLE, *context_lines(rec), "", *summary_lines(rec), ""]
    out += [grid(headers, lines) if rec.rows else "Không có dòng nào của bảng báo cáo ghép được với số liệu hồ sơ.",
            ""]
    if rec.subtotals:
        out.append("Dòng cộng của bảng (không khớp với đơn vị nào, không cộng vào tổng cộng):")
        out += [f"  - {subtotal_line(t)}" for t in rec.subtotals]
        out.append("")
    out.append("Số học của chính bảng báo cáo:")
    out += [_break_text(b) for b in rec.breaks] or ["  Mọi dòng khớp các đẳng thức của bảng."]
    if rec.unmatched_reported:
        out += ["", ("Dòng báo cáo không ghép được với nhóm nào trong số liệu (ghép bằng --map-row \"Tên trong báo "
                     "cáo=Tên trong số liệu\"):")]
        out += [f"  - {u.name or fmt.DASH}" + (f" (dòng {u.sheet_row})" if u.sheet_row else "")
                + f": {unmatched_reason(u)}" for u in rec.unmatched_reported]
    if rec.unmatched_recomputed:
        out += ["", "Nhóm trong số liệu không có trong bảng báo cáo:"]
        out += [f"  - {u.name}: {fmt.number(u.received_total)} hồ sơ nhận giải quyết" for u in rec.unmatched_recomputed]
    out += ["", "Nguyên nhân có thể của chênh lệch:"]
    out += [f"  - {cause_title(c)}: {cause_sentence(c)}" for c in rec.causes] or \
        ["  Số liệu không cho thấy nguyên nhân nào đã biết" + (" (không có chênh lệch)." if not rec.differences
                                                               else "; cần hỏi đơn vị báo cáo.")]
    notes = table_notes(rec.caveats, rec.left_out) + reconciliation_notes(rec)
    not_compared = _not_compared(rec) + list(rec.table.kept)
    if not_compared:
        notes.append("Cột của bảng báo cáo không có trong Biểu 06, không đối chiếu: "
                     + ", ".join(term(c) for c in not_compared) + ".")
    if notes:
        out += ["", *(f"Lưu ý: {n}" for n in notes)]
    return "\n".join(out)


# --- Workbook ----------------------------------------------------------------------------------------------------

SIDE_BY_SIDE, BREAKS, CAUSES = "Đối chiếu", "Số học của bảng", "Nguyên nhân"


def reconciliation_xlsx(rec: Reconciliation) -> bytes:
    """The workbook: the rows side by side (differences outside the tolerance highlighted, then the rows that
    matched nothing), the table's arithmetic breaks, the likely causes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    book.set_properties({"title": TITLE, "subject": rec.period.label})
    f = _formats(book)
    _side_by_side(book.add_worksheet(SIDE_BY_SIDE), f, rec)
    _breaks_sheet(book.add_worksheet(BREAKS), f, rec)
    _causes_sheet(book.add_worksheet(CAUSES), f, rec)
    book.close()
    return buffer.getvalue()


def _formats(book) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 11}
    cell = {**base, "border": 1, "valign": "top"}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 13}),
        "context": book.add_format(base),
        "header": book.add_format({**cell, "bold": True, "align": "center", "text_wrap": True,
                                   "bg_color": "#F2F2F2"}),
        "text": book.add_format({**cell, "text_wrap": True}),
        "total_text": book.add_format({**cell, "bold": True, "text_wrap": True}),
        "int": book.add_format({**cell, "num_format": "#,##0"}),
        "total_int": book.add_format({**cell, "bold": True, "num_format": "#,##0"}),
        "diff": book.add_format({**cell, "num_format": "+#,##0;-#,##0;0", "font_color": "#006100",
                                 "bg_color": "#E2EFDA"}),
        "diff_out": book.add_format({**cell, "bold": True, "num_format": "+#,##0;-#,##0;0", "font_color": "#9C0006",
                                     "bg_color": "#FFC7CE"}),
        "diff_below": book.add_format({**cell, "num_format": "+#,##0;-#,##0;0", "font_color": "#595959",
                                       "bg_color": "#EDEDED", "italic": True}),
        "dash": book.add_format({**cell, "align": "center"}),
        "gap": book.add_format({**cell, "num_format": "+#,##0.##;-#,##0.##;0"}),
        "section": book.add_format({**base, "bold": True, "font_size": 12}),
        "line": book.add_format({**base, "text_wrap": True, "valign": "top"}),
    }


def _number(sheet, row: int, col: int, value, style) -> None:
    if value is None:
        sheet.write_string(row, col, fmt.DASH, style)
    else:
        sheet.write_number(row, col, float(value), style)


def _head(sheet, f: dict, rec: Reconciliation) -> int:
    sheet.write_string(0, 0, TITLE, f["title"])
    lines = context_lines(rec, "ô chênh lệch tô đỏ").copy()
    lines[-1] = lines[-1].replace(BELOW_MARK, "ô in nghiêng nền xám")
    for n, line in enumerate(lines, start=1):
        sheet.write_string(n, 0, line, f["context"])
    return len(lines) + 2


def _page(sheet, one_page_wide: bool = True) -> None:
    """A4 landscape, page numbers at the foot; one page wide unless the table is too wide to read so."""
    sheet.set_paper(9)
    sheet.set_landscape()
    if one_page_wide:
        sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&CTrang &P/&N")


FIRST_KEY_COLUMN = 3  # name, group, how it was matched, then three columns per key


def _side_by_side(sheet, f: dict, rec: Reconciliation) -> None:
    _page(sheet, one_page_wide=len(rec.keys) <= 5)
    top = _head(sheet, f, rec)
    sheet.repeat_columns(0, 1)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 32)
    sheet.set_column(2, 2, 21)
    sheet.set_column(FIRST_KEY_COLUMN, FIRST_KEY_COLUMN - 1 + 3 * len(rec.keys), 9)
    for col, text in ((0, "Dòng trong bảng báo cáo"), (1, "Nhóm trong số liệu hồ sơ"), (2, "Cách ghép")):
        sheet.merge_range(top, col, top + 1, col, text, f["header"])
    for n, key in enumerate(rec.keys):
        first = FIRST_KEY_COLUMN + 3 * n
        sheet.merge_range(top, first, top, first + 2, key_label(key), f["header"])
        for i, sub in enumerate(("Báo cáo", "Tính lại", "Chênh lệch")):
            sheet.write_string(top + 1, first + i, sub, f["header"])
    sheet.set_row(top, 45)
    sheet.repeat_rows(top, top + 1)
    row = top + 2
    for r in rec.compared_rows():
        strong = "total_" if r.is_total or r.how == LEVEL_MATCH else ""
        sheet.write_string(row, 0, r.name, f[strong + "text"])
        sheet.write_string(row, 1, TOTAL if r.is_total else r.matched_to, f[strong + "text"])
        sheet.write_string(row, 2, how_label(r.how), f[strong + "text"])
        for n, key in enumerate(rec.keys):
            cell, first = r.cells[key], FIRST_KEY_COLUMN + 3 * n
            _number(sheet, row, first, cell.reported, f[strong + "int"] if cell.reported is not None else f["dash"])
            _number(sheet, row, first + 1, cell.recomputed, f[strong + "int"])
            style = f["dash"] if cell.difference is None else f["diff_out" if cell.differs else "diff_below"
                                                                 if cell.explained else "diff"]
            _number(sheet, row, first + 2, cell.difference, style)
        row += 1
    sheet.freeze_panes(top + 2, FIRST_KEY_COLUMN)
    row += 1
    if rec.unmatched_reported:
        sheet.write_string(row, 0, "Dòng báo cáo không ghép được (ghép bằng --map-row \"Tên trong báo cáo=Tên trong "
                                   "số liệu\")", f["section"])
        row += 1
        for u in rec.unmatched_reported:
            sheet.write_string(row, 0, u.name or fmt.DASH, f["text"])
            sheet.write_string(row, 1, unmatched_reason(u), f["text"])
            row += 1
        row += 1
    if rec.unmatched_recomputed:
        sheet.write_string(row, 0, "Nhóm trong số liệu không có trong bảng báo cáo (số nhận giải quyết)", f["section"])
        row += 1
        for u in rec.unmatched_recomputed:
            sheet.write_string(row, 0, u.name, f["text"])
            sheet.write_number(row, 1, u.received_total, f["int"])
            row += 1
        row += 1
    notes = table_notes(rec.caveats, rec.left_out) + reconciliation_notes(rec)
    for line in notes:
        sheet.write_string(row, 0, f"Lưu ý: {line}", f["context"])
        row += 1


def _breaks_sheet(sheet, f: dict, rec: Reconciliation) -> None:
    _page(sheet)
    top = _head(sheet, f, rec)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 40)
    sheet.set_column(3, 3, 50)
    sheet.set_column(4, 4, 12)
    for col, text in enumerate(("Dòng", "Dòng trên trang", "Đẳng thức", "Các ô", "Độ lệch")):
        sheet.write_string(top, col, text, f["header"])
    if not rec.breaks:
        sheet.write_string(top + 1, 0, "Mọi dòng khớp các đẳng thức của bảng.", f["context"])
    for n, b in enumerate(rec.breaks, start=top + 1):
        sheet.write_string(n, 0, b.row, f["text"])
        _number(sheet, n, 1, b.sheet_row, f["int"] if b.sheet_row is not None else f["dash"])
        sheet.write_string(n, 2, break_identity(b), f["text"])
        sheet.write_string(n, 3, break_cells(b), f["text"])
        _number(sheet, n, 4, b.gap, f["gap"])


def _causes_sheet(sheet, f: dict, rec: Reconciliation) -> None:
    _page(sheet)
    top = _head(sheet, f, rec)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 90)
    sheet.set_column(2, 3, 30)
    for col, text in enumerate(("Nguyên nhân có thể", "Số liệu cho thấy", "Dòng", "Cột")):
        sheet.write_string(top, col, text, f["header"])
    if not rec.causes:
        sheet.write_string(top + 1, 0, "Số liệu không cho thấy nguyên nhân nào đã biết.", f["context"])
    for n, cause in enumerate(rec.causes, start=top + 1):
        sheet.write_string(n, 0, cause_title(cause), f["text"])
        sheet.write_string(n, 1, cause_sentence(cause), f["text"])
        sheet.write_string(n, 2, ", ".join(cause.rows), f["text"])
        sheet.write_string(n, 3, ", ".join(cause_keys(cause.keys)), f["text"])
    row = top + 2 + len(rec.causes)
    if any(rec.left_out.values()):
        sheet.write_string(row, 0, "Hồ sơ không được tính lại", f["section"])
        for n, (reason, count) in enumerate(((r, c) for r, c in rec.left_out.items() if c), start=row + 1):
            sheet.write_string(n, 0, REASON_LABELS.get(reason, reason), f["text"])
            sheet.write_number(n, 1, count, f["int"])


def cause_keys(keys: list[str]) -> list[str]:
    """A cause's columns as labels; a column Biểu 06 does not have (waiting for supplements) under its key."""
    return [key_label(k) if k in COLUMN_LABELS or k in DERIVED else k for k in keys]
