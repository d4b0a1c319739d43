"""Analyses as documents for people: Biểu 06/VPCP/KSTT as a terminal table and a formatted workbook, and plain
text tables of every other analysis (the command line's --format table)."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import xlsxwriter

from analytics.analyses.classification import COUNT_KEYS, GROUPING_LABELS, OfficialTable
from analytics.analyses.screening import LATE_TABLE_LABELS
from analytics.ingest.catalog import AUDIT_LABELS
from analytics.outputs import formatting as fmt

FORM_NAME = "Biểu số 06/VPCP/KSTT"
FORM_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
# The official columns (3)..(13) and the extra withdrawn column, with their headers.
COLUMN_HEADERS = {
    "received_total": "Tổng số", "received_online": "Trong kỳ – Trực tuyến",
    "received_direct_postal": "Trong kỳ – Trực tiếp, dịch vụ bưu chính", "carried_over": "Từ kỳ trước",
    "resolved_total": "Tổng số", "resolved_early": "Trước hạn", "resolved_on_time": "Đúng hạn",
    "resolved_late": "Quá hạn", "pending_total": "Tổng số", "pending_in_time": "Trong hạn",
    "pending_overdue": "Quá hạn", "withdrawn": "Rút / dừng xử lý",
}
COLUMN_GROUPS = [("Số hồ sơ nhận giải quyết", 4), ("Số hồ sơ đã giải quyết", 4), ("Số hồ sơ đang giải quyết", 3),
                 ("Rút / dừng xử lý", 1)]
ROW_HEADER = "Lĩnh vực, công việc giải quyết theo cấp"


def _rows(table: OfficialTable) -> list[tuple[str, dict]]:
    """(row label, row) for each group, then the total. The official layout's rows carry their numbered label."""
    column = "label" if "label" in table.groups else "name"
    rows = [(str(g[column]), g) for g in table.groups.to_dict("records")]
    return rows + [("Tổng cộng", table.total)]


def rate_note(table: OfficialTable) -> str:
    rate = table.rate
    note = f"{rate.definition.label} {rate.definition.formula}: {fmt.rate_sentence(rate)}"
    if table.fold_withdrawn:
        note += ". Hồ sơ rút/dừng xử lý được tính vào cột (9) \"Đúng hạn\" theo cách của một số tỉnh."
    return note


def text_table(table: OfficialTable) -> str:
    """Biểu 06 for a terminal: column numbers with short headers, Vietnamese number format, totals last."""
    short = ["Tổng", "T.tuyến", "T.tiếp", "Kỳ trước", "Đã GQ", "Tr.hạn", "Đ.hạn", "Q.hạn", "Đang GQ", "Tr.hạn",
             "Q.hạn", "Rút/dừng"]
    headers = [GROUPING_LABELS.get(table.by, "Toàn bộ")] + [f"{n} {h}" for n, h in zip(
        [f"({i})" for i in range(3, 14)] + ["(14)"], short)]
    rows = [[name, *(fmt.number(r[k]) for k in COUNT_KEYS)] for name, r in _rows(table)]
    return "\n".join([FORM_NAME, FORM_TITLE, f"Kỳ báo cáo: {table.period.label}", "", grid(headers, rows), "",
                      rate_note(table)])


def xlsx_bytes(table: OfficialTable, unit_name: str = "", quality_lines: list[str] | None = None) -> bytes:
    """Biểu 06 as a formatted workbook: title, the official two-row header, column numbers, rows, totals."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    base = {"font_name": "Times New Roman", "font_size": 11}
    f = {
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
    sheet = book.add_worksheet("Biểu 06")
    last_col = 2 + len(COUNT_KEYS) - 1
    sheet.merge_range(0, 0, 0, last_col, FORM_NAME, f["form"])
    sheet.merge_range(1, 0, 1, last_col, FORM_TITLE, f["title"])
    sheet.set_row(1, 36)
    subtitle = f"Kỳ báo cáo: từ ngày {table.period.start:%d/%m/%Y} đến ngày {table.period.end:%d/%m/%Y}"
    sheet.merge_range(2, 0, 2, last_col, subtitle + (f" – {unit_name}" if unit_name else ""), f["center"])
    sheet.merge_range(3, 0, 3, last_col, "Đơn vị tính: số hồ sơ", f["form"])
    top = 5
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
    for i, label in enumerate([f"({n})" for n in range(1, 14)] + ["(14)"]):
        sheet.write(top + 2, i, label, f["num_head"])
    row = top + 3
    rows = _rows(table)
    nested = "depth" in table.groups
    for n, (name, values) in enumerate(rows, start=1):
        # Totals and the official layout's subtotals (levels, units) in bold; fields indented under their unit.
        strong = name == "Tổng cộng" or (nested and values.get("depth", 2) < 2)
        number = "" if name == "Tổng cộng" or nested else n
        label_format = f["total_text"] if strong else f["field_text"] if nested else f["text"]
        sheet.write(row, 0, number, f["total_text"] if strong else f["center"])
        sheet.write(row, 1, name, label_format)
        for i, key in enumerate(COUNT_KEYS):
            sheet.write_number(row, 2 + i, int(values[key]), f["total_int"] if strong else f["int"])
        row += 1
    notes = [rate_note(table), "Cột (14) \"Rút / dừng xử lý\" thêm vào để (3) = (7) + (11) + (14)."]
    for line in notes + (quality_lines or []):
        row += 1
        sheet.merge_range(row, 0, row, last_col, line, f["note"])
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 42)
    sheet.set_column(2, last_col, 11)
    sheet.freeze_panes(top + 3, 2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top, top + 2)
    book.close()
    return buffer.getvalue()


def write_xlsx(table: OfficialTable, path: str | Path, **kwargs) -> None:
    Path(path).write_bytes(xlsx_bytes(table, **kwargs))


def grid(headers: list[str], rows: list[list], first_width: int = 40) -> str:
    """A plain text table: the first column left-aligned (cut at first_width), the others right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    widths[0] = min(widths[0], first_width)

    def line(row):
        return "  ".join(c[:w].ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))

    return "\n".join([line(headers), "-" * (sum(widths) + 2 * (len(widths) - 1))] + [line(r) for r in cells])


def _pp(x) -> str:
    return fmt.DASH if x is None else fmt.decimal(x, 1) + " điểm %"


def comparison_text(doc: dict) -> str:
    a, b = doc["a"], doc["b"]
    out = [f"So sánh kỳ A ({a['from']} → {a['to']}) và kỳ B ({b['from']} → {b['to']}); thay đổi = B − A",
           f"Tỷ lệ: {a['rate']['label']} {a['rate']['formula']}", ""]
    rows = []
    for name, ch in [("Toàn bộ", doc["change"]["total"])] + [(g["name"], g) for g in doc["change"]["groups"]]:
        ci = ch["rate_change_ci95"]
        rows.append([name, fmt.percent(ch["rate_a"]["value"]), fmt.percent(ch["rate_b"]["value"]),
                     _pp(ch["rate_change_pp"]), f"[{_pp(ci[0])}; {_pp(ci[1])}]" if ci else fmt.DASH,
                     fmt.decimal(ch["p_value"], 3) if ch["p_value"] is not None else fmt.DASH,
                     "" if ch["judgeable"] else "quá ít hồ sơ", f"{ch['resolved_total']:+d}"])
    return "\n".join(out) + grid(["Nhóm", "Tỷ lệ A", "Tỷ lệ B", "Thay đổi", "KTC 95%", "p", "Ghi chú",
                                  "Δ (7)"], rows)


def timeliness_text(doc: dict) -> str:
    def row(name, x):
        return [name, fmt.number(x["resolved"]), fmt.decimal(x["median_days"], 1), fmt.decimal(x["p90_days"], 1),
                fmt.number(x["received_in_period"]), fmt.number(x["ended"]), fmt.percent(x["clearance_rate"])]

    rows = [row("Toàn bộ", doc["total"])] + [row(g["name"], g) for g in doc["groups"]]
    pending = doc["pending"]
    lines = [f"Thời gian giải quyết (ngày làm việc), kỳ {doc['label']}", "",
             grid(["Nhóm", "Đã giải quyết", "Trung vị", "Phân vị 90", "Tiếp nhận trong kỳ", "Đã kết thúc",
                   "Tỷ lệ giải quyết hết"], rows), "",
             f"Hồ sơ đang giải quyết tại ngày chốt: {fmt.number(pending['pending'])} "
             f"(tuổi trung vị {fmt.decimal(pending['median_age_days'], 1)} ngày làm việc)"]
    lines += [f"  {b['bucket']}: {fmt.number(b['count'])}" for b in pending["age_buckets"]]
    lines.append(f"Hồ sơ đang quá hạn: {fmt.number(pending['overdue'])}, số ngày làm việc đã quá hạn:")
    lines += [f"  {b['bucket']}: {fmt.number(b['count'])}" for b in pending["overdue_buckets"]]
    return "\n".join(lines)


def funnel_text(doc: dict) -> str:
    rows = [[u["name"], f"{fmt.number(u['numerator'])}/{fmt.number(u['denominator'])}", fmt.percent(u["rate"]),
             f"{fmt.percent(u['lower_95'])} – {fmt.percent(u['upper_95'])}",
             f"{fmt.percent(u['lower_998'])} – {fmt.percent(u['upper_998'])}", u["flag_label"]] for u in doc["units"]]
    return "\n".join([f"So sánh công bằng giữa các đơn vị, kỳ {doc['label']}",
                      f"Tỷ lệ chung: {fmt.percent(doc['overall_rate'])} ({doc['rate']['label']})", "",
                      grid(["Đơn vị", "Tử/mẫu", "Tỷ lệ", "Giới hạn 95%", "Giới hạn 99,8%", "Đánh giá"], rows)])


def screening_text(doc: dict) -> str:
    lines = [f"Gợi ý câu hỏi cho Đoàn giám sát, kỳ {doc['label']}", ""]
    for sc in doc["screens"]:
        lines.append(f"- {sc['title']}: {fmt.number(sc['count'])} hồ sơ"
                     + (f" ({', '.join(sc['units'])})" if sc["units"] else ""))
        lines.append(f"  {sc['reason']}")
    return "\n".join(lines)


def late_text(doc: dict) -> str:
    keys = list(LATE_TABLE_LABELS)[1:]
    lines = [f"Hồ sơ trễ hạn, kỳ {doc['label']}"]
    for by in ("unit", "field"):
        rows = [[r["name"], *(fmt.number(r[k]) for k in keys)] for r in doc[by]]
        lines += ["", grid([GROUPING_LABELS[by], *(LATE_TABLE_LABELS[k] for k in keys)], rows)]
    return "\n".join(lines)


def trend_text(doc: dict) -> str:
    rows = [[p["label"], fmt.number(p["received_total"]), fmt.number(p["resolved_total"]),
             fmt.percent(p["on_time_rate"]), fmt.number(p["pending_overdue"])] for p in doc["points"]]
    return grid(["Kỳ", "Nhận (3)", "Đã giải quyết (7)", "Tỷ lệ đúng hạn", "Đang quá hạn (13)"], rows, first_width=60)


def audit_text(doc: dict, period) -> str:
    unused, later = doc["unused_procedures"], doc["due_later_than_legal"]
    lines = [f"Đối chiếu với danh mục TTHC, hồ sơ tiếp nhận trong kỳ {period.label}", "",
             f"{AUDIT_LABELS['unused_procedures']}: {fmt.number(unused['count'])}"]
    lines += [f"  {level}: {fmt.number(n)}" for level, n in unused["by_level"].items()]
    lines += ["", f"{AUDIT_LABELS['due_later_than_legal']}: {fmt.number(later['count'])} hồ sơ"]
    if later["items"]:
        rows = [[i["case_id"], fmt.date(pd.Timestamp(i["received_date"])), fmt.date(pd.Timestamp(i["due_date"])),
                 fmt.date(pd.Timestamp(i["legal_due_date"])), fmt.number(i["working_days_over"])]
                for i in later["items"]]
        lines.append(grid(["Mã hồ sơ", "Ngày tiếp nhận", "Hẹn trả", "Hạn theo quy định", "Số ngày làm việc quá"],
                          rows))
    lines += ["", f"{AUDIT_LABELS['due_dates_computed']}: {fmt.number(doc['due_dates_computed'])}"]
    return "\n".join(lines)
