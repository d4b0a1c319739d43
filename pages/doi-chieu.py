"""Đối chiếu số liệu báo cáo: the table a body reported, its own arithmetic, and each reported figure beside the one
recomputed from the dossiers for the sidebar's period and filters, with the likely causes of the differences.

The story comes first: how many of the table's own sums break (its total, its subtotals) and how many reported
figures the dossiers do not confirm, each listed with its gap and likely cause; then the table's structure as read
(subtotals, total) and the matches, which an analyst corrects; then the side-by-side grid. Removing a stored table sits above everything computed from it, so nothing that goes
wrong there can hide it."""
import streamlit as st

from analytics.access import audit
from analytics.ingest.sniff import SPREADSHEET_SUFFIXES
from analytics.outputs import formatting as fmt
from analytics.outputs.causes import cause_sentence, cause_title
from analytics.outputs.reconciliation_outputs import (
    reconciliation_document,
    reconciliation_xlsx,
)
from analytics.outputs.reported_words import ON_SCREEN, reconciliation_notes, unmatched_reason
from analytics.outputs.sentences import filters_words
from ui import access, data, imports, reconciling, sidebar

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Đối chiếu số liệu báo cáo", chosen)
st.caption("Tải lên biểu số liệu mà cơ quan đã báo cáo (Biểu 06 hoặc báo cáo kết quả giải quyết TTHC của phần mềm): "
           "chương trình kiểm tra các phép cộng trong chính biểu đó, rồi đặt từng số báo cáo cạnh số tính lại từ hồ "
           "sơ của kỳ đang chọn ở thanh bên, và nêu nguyên nhân có thể của chênh lệch khi dữ liệu cho thấy.")
store = data.store()

analyst = access.can_change()
REPORTED_SUFFIXES = [s for s in SPREADSHEET_SUFFIXES if s in (".xlsx", ".xls", ".ods", ".csv")]
upload = imports.uploader(f"Biểu số liệu đã báo cáo ({', '.join(REPORTED_SUFFIXES)})", "reported_upload",
                          REPORTED_SUFFIXES) if analyst else None
if upload is not None and st.button("Đọc và lưu biểu này", type="primary", key="reported_read"):
    stored_id, message = reconciling.read_and_store(store, upload.getvalue(), upload.name)
    (st.success if stored_id else st.error)(message)
    if stored_id:
        st.session_state["reported_choice"] = stored_id

choices = data.stored("reported_tables")
if choices.empty:
    st.info("Chưa có biểu báo cáo nào. Tải lên biểu mà cơ quan đã gửi để đối chiếu.", icon=":material/upload_file:")
    st.stop()
labels = {int(r.reported_id): f"{r.reported_id} – {r.file_name} ({r.imported_at:%d/%m/%Y %H:%M})"
          for r in choices.itertuples()}
if st.session_state.get("reported_choice") not in labels:  # a table removed (here or elsewhere) is no choice
    st.session_state.pop("reported_choice", None)
reported_id = st.selectbox("Biểu đối chiếu", list(labels), format_func=labels.get, key="reported_choice")
if analyst:  # before anything is computed from the table: whatever fails below, the table can always be removed
    with st.expander("Xoá biểu báo cáo này"):
        sure = st.checkbox("Tôi muốn xoá biểu này (hồ sơ đã nhập không bị xoá)",
                           key=f"reported_remove_sure_{reported_id}")
        if st.button("Xoá biểu", disabled=not sure, key=f"reported_remove_{reported_id}"):
            store.remove_reported(reported_id)
            access.record(audit.REPORTED_REMOVED, labels[reported_id], {"reported_id": reported_id})
            st.session_state.pop("reported_choice", None)
            st.rerun()

table = store.reported(reported_id)
left, middle, right = st.columns(3)
by = left.segmented_control("Đối chiếu theo", ["unit", "field", "level"], default="unit", key="reconcile_by",
                            format_func={"unit": "Cơ quan", "field": "Lĩnh vực", "level": "Cấp"}.get) or "unit"
tolerance = middle.number_input("Ngưỡng chênh lệch chấp nhận (hồ sơ)", 0, 10_000, 0, key="reconcile_tolerance",
                                help="0: phải khớp đúng từng hồ sơ.")
said = data.row_corrections(table.layout, by)
rec = reconciling.reconciliation(chosen.source, chosen.filters, chosen.period, table, reported_id, by, tolerance,
                                 said, chosen.rate, chosen.fold_withdrawn)

# The story first: what differs from the dossiers, which of the table's own sums break, each with its gap.
st.subheader("1. Kết quả đối chiếu")
st.caption(f"Kỳ tính lại: {rec.period.label} · {fmt.markdown_text(filters_words(chosen.filters))} · chênh lệch = báo "
           "cáo − tính lại")
sums = rec.sum_breaks
(st.error if sums else st.success)(
    f"**{fmt.number(len(sums))}** phép cộng của chính biểu không khớp (dòng tổng cộng hoặc dòng cộng khác tổng các "
    "dòng đơn vị của nó)." if sums else "Dòng tổng cộng và các dòng cộng của biểu bằng tổng các dòng đơn vị của chúng.",
    icon=":material/calculate:" if sums else ":material/check_circle:")
if sums:
    breaks = reconciling.sum_breaks_table(rec)
    st.dataframe(reconciling.styled(breaks, shade=False), hide_index=True, width="stretch",
                 column_config=reconciling.column_config(breaks), height=min(35 * (len(breaks) + 1) + 3, 320))
if rec.differences:
    st.warning(f"**{fmt.number(rec.differences)}** số liệu báo cáo khác số tính lại từ hồ sơ"
               + (f" (chênh quá {fmt.number(rec.tolerance)} hồ sơ)" if rec.tolerance else "")
               + "; xếp từ chênh lệch lớn nhất, kèm nguyên nhân có thể."
               + (f" Chênh lệch ở dòng tổng, dòng cộng chỉ do các dòng đơn vị bên dưới ({fmt.number(rec.explained)} "
                  "số) không tính lại." if rec.explained else ""), icon=":material/difference:")
    differing = reconciling.differing_table(rec)
    st.dataframe(reconciling.styled(differing, shade=False), hide_index=True, width="stretch",
                 column_config=reconciling.column_config(differing), height=min(35 * (len(differing) + 1) + 3, 560))
elif rec.compared:
    st.success(f"Cả {fmt.number(rec.compared)} số liệu báo cáo khớp với số tính lại từ hồ sơ"
               + (f" (chênh lệch ở dòng tổng, dòng cộng chỉ do các dòng bên dưới: {fmt.number(rec.explained)})"
                  if rec.explained else "") + ".", icon=":material/check_circle:")
for item in rec.unmatched_reported:
    st.warning(fmt.markdown_text(f'Dòng "{item.name}" của biểu' + (f" (dòng {item.sheet_row})" if item.sheet_row
                                                                     else "")
                                   + f" chưa khớp với đơn vị nào trong dữ liệu: {unmatched_reason(item, ON_SCREEN)}"),
               icon=":material/link_off:")
if rec.unmatched_recomputed:
    st.caption(fmt.markdown_text("Có trong dữ liệu nhưng biểu không báo cáo: " + "; ".join(
        f"{u.name} ({fmt.number(u.received_total)} hồ sơ)" for u in rec.unmatched_recomputed)))

st.subheader("2. Cấu trúc biểu và cách khớp dòng")
for note in reconciliation_notes(rec, ON_SCREEN):
    st.info(fmt.markdown_text(note), icon=":material/account_tree:")
with st.expander("Xem và sửa loại dòng, cách khớp dòng với đơn vị trong dữ liệu",
                 expanded=bool(rec.unmatched_reported)):
    reconciling.corrections_editor(store, table, rec, said, editable=analyst)
others = [b for b in rec.breaks if b not in sums]
if others:
    st.warning(f"Trong từng dòng của biểu, {fmt.number(len(others))} đẳng thức hoặc tỉ lệ không khớp (một tổng số "
               "khác tổng các phần của nó):", icon=":material/calculate:")
    rest = reconciling.other_breaks_table(rec)
    st.dataframe(reconciling.styled(rest), hide_index=True, width="stretch",
                 column_config=reconciling.column_config(rest), height=min(35 * (len(rest) + 1) + 3, 400))
shown = reconciling.side_by_side(rec)
if len(shown):
    with st.expander(f"Toàn bộ {fmt.number(len(shown))} số liệu đã đặt cạnh nhau (số không khớp ở trên cùng)",
                     expanded=not rec.differences):
        st.dataframe(reconciling.styled(shown), hide_index=True, width="stretch",
                     column_config=reconciling.column_config(shown), height=min(35 * (len(shown) + 1) + 3, 640))

st.subheader("3. Nguyên nhân có thể")
if not rec.causes:
    st.caption("Dữ liệu không cho thấy nguyên nhân nào trong các nguyên nhân thường gặp.")
for cause in rec.causes:
    rows = fmt.markdown_text(", ".join(cause.rows) or "toàn biểu")
    st.markdown(f"- **{cause_title(cause)}** ({rows}): {fmt.markdown_text(cause_sentence(cause))}")

if not analyst:  # a viewer reads the screen; outputs and changes are an analyst's
    st.stop()
name = f"doi-chieu_{rec.period.start:%Y%m%d}_{rec.period.end:%Y%m%d}"
left, right = st.columns(2)
left.download_button("Tải kết quả đối chiếu (XLSX)", lambda: reconciliation_xlsx(rec), f"{name}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     on_click=access.export_recorder("reconcile xlsx", f"{name}.xlsx"), width="stretch")
right.download_button("Tải kết quả đối chiếu (JSON)", lambda: reconciling.json_bytes(reconciliation_document(rec)),
                      f"{name}.json", "application/json", on_click=access.export_recorder("reconcile json",
                                                                                          f"{name}.json"),
                      width="stretch")
