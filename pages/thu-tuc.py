"""Thủ tục: the few procedures that carry most dossiers, their on-time rate and processing time, unused ones."""
import pandas as pd
import streamlit as st

from analytics.analyses.bieu06 import with_processing_times
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.model.rates import RATES
from analytics.outputs import charts
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import AUDIT_LABELS, DUE_DATES_COMPUTABLE_LABEL
from ui import access, analyses, sidebar, tables

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Thủ tục hành chính", chosen)
args = (chosen.source, chosen.filters, chosen.period)
total, procedures, _ = analyses.table(*args, "procedure", chosen.rate, chosen.fold_withdrawn)
if total["received_total"] == 0:
    st.warning(f"Không có hồ sơ nào trong kỳ {chosen.period.label}. Hãy chọn kỳ khác hoặc bỏ bớt bộ lọc.")
    st.stop()
_, fields, _ = analyses.table(*args, "field", chosen.rate, chosen.fold_withdrawn)
st.plotly_chart(charts.volume_figure(procedures, "Hồ sơ theo thủ tục"), width="stretch")
st.plotly_chart(charts.volume_figure(fields, "Hồ sơ theo lĩnh vực"), width="stretch")

st.subheader("Tỷ lệ đúng hạn và thời gian giải quyết theo thủ tục")
_, times, _ = analyses.processing(*args, "procedure", chosen.fold_withdrawn)
merged = with_processing_times(procedures, times, MIN_JUDGEABLE)
merged["small"] = merged["small"].map({True: f"ít hồ sơ (< {MIN_JUDGEABLE})", False: ""})
procedure_view = tables.View(
    {"name": "Thủ tục", "received_total": "Nhận giải quyết (3)", "resolved_total": "Đã giải quyết (7)",
     "on_time_rate": "Tỷ lệ đúng hạn", "resolved_late": "Quá hạn (10)", "pending_overdue": "Đang quá hạn (13)",
     "median_days": "Trung vị (ngày)", "p90_days": "Phân vị 90 (ngày)", "small": "Ghi chú"},
    counts=("received_total", "resolved_total", "resolved_late", "pending_overdue"), rates=("on_time_rate",),
    decimals=("median_days", "p90_days"),
    help={"on_time_rate": f"{RATES[chosen.rate].label} {RATES[chosen.rate].formula}",
          "median_days": "Trung vị thời gian giải quyết, tính bằng ngày làm việc",
          "p90_days": "90% số hồ sơ giải quyết xong trong số ngày làm việc này",
          "pending_overdue": "Hồ sơ đang giải quyết đã quá hạn tại ngày cuối kỳ"},
    widths={"name": "medium"})
tables.show(merged, procedure_view, height=tables.fitted_height(len(merged), 600))
st.caption("Thời gian giải quyết tính bằng ngày làm việc, từ sau ngày tiếp nhận đến ngày có kết quả.")

st.subheader(AUDIT_LABELS["unused_procedures"])
audit = analyses.audit(*args)
if audit is None:
    st.info("Chưa có danh mục thủ tục hành chính. Tải danh mục (Mã TTHC, Tên, Lĩnh vực, Cấp, Thời hạn) lên ở trang "
            "Dữ liệu để xem thủ tục không phát sinh hồ sơ và hẹn trả dài hơn quy định.")
else:
    unused = audit["unused_procedures"]
    st.markdown(f"**{fmt.number(unused['count'])}** thủ tục đã công bố không có hồ sơ nào tiếp nhận trong kỳ: "
                + ", ".join(f"{fmt.markdown_text(level)} {fmt.number(n)}" for level, n in unused["by_level"].items())
                + ".")
    with st.expander("Danh sách thủ tục không phát sinh hồ sơ"):
        items = pd.DataFrame(unused["items"], columns=["procedure_code", "procedure_name", "level"])
        unused_view = tables.View({"procedure_code": "Mã TTHC", "procedure_name": "Tên thủ tục", "level": "Cấp"},
                                  widths={"procedure_name": "large"})
        tables.show(items, unused_view, height=tables.fitted_height(len(items), 420))
        tables.downloads(items, "thu-tuc-khong-phat-sinh-ho-so", "unused", unused_view.text)
    later, computed = audit["due_later_than_legal"], audit["due_dates_computed"]
    line = f"**{AUDIT_LABELS['due_later_than_legal']}:** {fmt.number(later['count'])} hồ sơ · "
    if chosen.due_dates_computed or not computed:  # filled (the data line says how many in all), or none to fill
        line += f"**{AUDIT_LABELS['due_dates_computed']}:** {fmt.number(computed)} hồ sơ"
        if computed != chosen.due_dates_computed:  # the audit counts the period's, the data line all the data's
            line += f" tiếp nhận trong kỳ ({fmt.number(chosen.due_dates_computed)} trong toàn bộ dữ liệu đang xem)"
    else:  # the sidebar's filling is off: the catalog would give these a due date, the figures do not use it
        line += f"**{DUE_DATES_COMPUTABLE_LABEL}:** {fmt.number(computed)} hồ sơ"
    st.markdown(line)
