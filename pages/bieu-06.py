"""Biểu 06: the official table by level, unit, field, procedure or channel, with totals and the XLSX download.

The table is drawn as the form is printed (grouped two-row header, column numbers, subtotals in bold), all fourteen
columns on one screen; the same rows stay available as a sortable grid under it."""
import streamlit as st

from analytics.analyses.bieu06 import OFFICIAL, TableCounts
from analytics.model.rates import RATES
from analytics.outputs import bieu06_xlsx, text_tables
from analytics.outputs import formatting as fmt
from analytics.outputs.bieu06_html import bieu06_html
from analytics.outputs.labels import GROUPING_LABELS, RATE_HEADER, REASON_LABELS
from analytics.outputs.sentences import filters_words, table_notes
from ui import access, analyses, sidebar, tables

MAX_FORM_ROWS = 400  # more rows than a person reads on a screen: the rest are in the grid and the workbook

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Biểu 06/VPCP/KSTT", chosen)
st.caption("Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC (Thông tư "
           "01/2020/TT-VPCP). Cột (14) \"Rút / dừng xử lý\" thêm vào để (3) = (7) + (11) + (14).")
by = st.segmented_control("Nhóm theo", [OFFICIAL, "level", "unit", "field", "procedure", "channel"],
                          default=OFFICIAL, key="bieu06_by", format_func=GROUPING_LABELS.get) or OFFICIAL
total, groups, left_out = analyses.table(chosen.source, chosen.filters, chosen.period, by,
                                         chosen.rate, chosen.fold_withdrawn)
if total["received_total"] == 0:
    st.warning(f"Không có hồ sơ nào trong kỳ {chosen.period.label}. Hãy chọn kỳ khác hoặc bỏ bớt bộ lọc.")
    st.stop()
table = TableCounts(chosen.period, by, total, groups, chosen.fold_withdrawn, RATES[chosen.rate])
shown = groups.head(MAX_FORM_ROWS)
st.html(bieu06_html(shown, total, by, rate_header=RATE_HEADER))
if len(groups) > len(shown):
    st.caption(f"Biểu hiện {fmt.number(len(shown))} dòng đầu trong {fmt.number(len(groups))}; bảng dạng lưới bên dưới "
               "và tệp XLSX có đủ mọi dòng. Dòng Tổng cộng là của cả kỳ.")
with st.expander("Bảng dạng lưới (sắp xếp, tìm, chép ra)"):
    grid, view = tables.bieu06(groups, total, by)
    st.caption("Bấm vào tiêu đề cột để sắp xếp theo số; dòng Tổng cộng và các dòng cấp (I, II…) được sắp xếp cùng "
               "các dòng khác.")
    tables.show(grid, view, height=tables.fitted_height(len(grid), 640))
st.markdown(text_tables.rate_note(table))
if any(left_out.values()):
    st.caption("Không tính vào biểu: " + "; ".join(f"{REASON_LABELS[r]}: {fmt.number(n)}"
                                                    for r, n in left_out.items() if n))
name = f"bieu06_{chosen.period.start:%Y%m%d}_{chosen.period.end:%Y%m%d}_{by}.xlsx"
notes = table_notes(analyses.caveats(chosen.source, chosen.filters, chosen.period, chosen.fold_withdrawn), left_out)
lines = [chosen.source.description, f"Phạm vi: {filters_words(chosen.filters)}", *notes]
if access.can_change():
    st.download_button("Tải Biểu 06 (XLSX, đúng mẫu)", lambda: bieu06_xlsx.xlsx_bytes(table, quality_lines=lines), name,
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary",
                       on_click=access.export_recorder("bieu06 xlsx", name))
