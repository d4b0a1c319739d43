"""Analyses as plain text tables for a terminal (the command line's --format table): Biểu 06/VPCP/KSTT and every
other analysis."""
from __future__ import annotations

import pandas as pd

from analytics.analyses.bieu06 import COUNT_KEYS, TableCounts
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import (
    AUDIT_LABELS,
    COLUMN_NUMBERS,
    COLUMN_SHORT,
    FORM_NAME,
    FORM_TITLE,
    GROUPING_LABELS,
    LATE_TABLE_LABELS,
    TOTAL_ROW,
)


def table_rows(table: TableCounts) -> list[tuple[str, dict]]:
    """(row label, row) for each group, then the total. The official layout's rows carry their numbered label."""
    column = "label" if "label" in table.groups else "name"
    rows = [(str(g[column]), g) for g in table.groups.to_dict("records")]
    return rows + [(TOTAL_ROW, table.total)]


def rate_note(table: TableCounts) -> str:
    rate = table.rate
    note = f"{rate.definition.label} {rate.definition.formula}: {fmt.rate_sentence(rate)}"
    if table.fold_withdrawn:
        note += ". Hồ sơ rút/dừng xử lý được tính vào cột (9) \"Đúng hạn\" theo cách của một số tỉnh."
    return note


def text_table(table: TableCounts, notes: list[str] | None = None) -> str:
    """Biểu 06 for a terminal: column numbers with short headers, Vietnamese number format, totals last; then the
    rate note and `notes` (caveats, left-out dossiers)."""
    headers = [GROUPING_LABELS.get(table.by, "Toàn bộ")] + [f"{COLUMN_NUMBERS[k]} {COLUMN_SHORT[k]}" for k in COUNT_KEYS]
    rows = [[name, *(fmt.number(r[k]) for k in COUNT_KEYS)] for name, r in table_rows(table)]
    return "\n".join([FORM_NAME, FORM_TITLE, f"Kỳ báo cáo: {table.period.label}", "", grid(headers, rows), "",
                      rate_note(table), *(f"Lưu ý: {line}" for line in notes or [])])


def grid(headers: list[str], rows: list[list], first_width: int = 40) -> str:
    """A plain text table: the first column left-aligned (cut at first_width), the others right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    widths[0] = min(widths[0], first_width)

    def line(row):
        return "  ".join(c[:w].ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))

    return "\n".join([line(headers), "-" * (sum(widths) + 2 * (len(widths) - 1))] + [line(r) for r in cells])


def _points(x) -> str:
    return fmt.DASH if x is None else fmt.decimal(x, 1) + " điểm %"


def comparison_text(doc: dict) -> str:
    a, b = doc["a"], doc["b"]
    out = [f"So sánh kỳ A ({a['from']} → {a['to']}) và kỳ B ({b['from']} → {b['to']}); thay đổi = B − A",
           f"Tỷ lệ: {a['rate']['label']} {a['rate']['formula']}", ""]
    rows = []
    for name, ch in [("Toàn bộ", doc["change"]["total"])] + [(g["name"], g) for g in doc["change"]["groups"]]:
        ci = ch["rate_change_ci95"]
        rows.append([name, fmt.percent(ch["rate_a"]["value"]), fmt.percent(ch["rate_b"]["value"]),
                     _points(ch["rate_change_pp"]), f"[{_points(ci[0])}; {_points(ci[1])}]" if ci else fmt.DASH,
                     fmt.decimal(ch["p_value"], 3) if ch["p_value"] is not None else fmt.DASH,
                     "không so sánh được (đơn vị hợp nhất)" if ch.get("not_comparable") else
                     "" if ch["judgeable"] else "quá ít hồ sơ",
                     fmt.DASH if ch["resolved_total"] is None else f"{ch['resolved_total']:+d}"])
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
