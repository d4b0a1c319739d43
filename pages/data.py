"""Dữ liệu: upload exports, see how each file was read, correct the header mapping, the data-quality report,
the list of imports (each removable), and the procedure catalog."""
import pandas as pd
import streamlit as st

from analytics.ingest import catalog as cat
from analytics.ingest.headers import field_for
from analytics.ingest.sniff import SPREADSHEET_SUFFIXES
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.outputs import formatting as fmt
from ui import data, sidebar, tables

sidebar.keep_alive()
st.title("Dữ liệu")
source = data.current_source()
st.caption(source.description)
store = data.store()
if source.is_sample:
    st.warning("Các trang đang hiển thị **dữ liệu mẫu** (tổng hợp, không phải số liệu thật). Khi bạn nhập tệp đầu "
               "tiên, các trang sẽ chuyển sang dữ liệu đã nhập.", icon=":material/warning:")

IGNORE = "(bỏ qua cột này)"
FIELD_CHOICES = [IGNORE] + [f"{s.FIELD_LABELS[f]} ({f})" for f in s.FIELDS]
FIELD_BY_CHOICE = {f"{s.FIELD_LABELS[f]} ({f})": f for f in s.FIELDS} | {IGNORE: ""}
STATUS_TEXT = {"imported": "Đã nhập", "already_imported": "Đã nhập trước đó, không thay đổi",
               "rejected": "Không nhập được"}

st.subheader("1. Tải tệp xuất hồ sơ")
uploads = st.file_uploader("Chọn một hoặc nhiều tệp (.xlsx, .xlsm, .xls, .ods, .csv)", accept_multiple_files=True,
                           type=[x.lstrip(".") for x in SPREADSHEET_SUFFIXES], key="uploads")
if uploads and st.button("Nhập các tệp đã chọn vào kho", type="primary"):
    results = st.session_state.setdefault("import_results", {})
    progress = st.progress(0.0, text="Bắt đầu…")
    for n, upload in enumerate(uploads):
        progress.progress(n / len(uploads), text=f"Đang đọc {upload.name} ({n + 1}/{len(uploads)})…")
        content = upload.getvalue()
        results[upload.name] = (content, store.import_file(content, name=upload.name))
    progress.progress(1.0, text="Xong.")
    data.clear()
    st.rerun()  # every part of the page, and the other screens, now show the imported data

results = st.session_state.get("import_results", {})
for name, (content, result) in list(results.items()):
    icon = {"imported": ":material/check_circle:", "already_imported": ":material/info:",
            "rejected": ":material/error:"}[result.status]
    summary = (f"{icon} **{name}** — {STATUS_TEXT[result.status]}: {fmt.number(result.rows_imported)} dòng hồ sơ, "
               f"bỏ qua {fmt.number(result.rows_skipped)} dòng")
    with st.expander(summary, expanded=result.status == "rejected"):
        reading = result.reading
        if result.rejected:
            st.error(q.describe(result.rejected))
        for sheet in reading.sheets:
            st.markdown(f"Trang **{sheet.sheet}**: dòng tiêu đề ở dòng {sheet.header_row}, "
                        f"{fmt.number(sheet.data_rows)} dòng hồ sơ. Cột không dùng: "
                        + (", ".join(f'"{t}"' for t in sheet.ignored) or "không có") + ".")
        if not reading.records.empty:
            st.caption("Năm dòng đầu đã đọc (sau khi làm sạch; không có dữ liệu cá nhân):")
            preview = reading.records.head(5)[[s.CASE_ID, s.PROCEDURE_NAME, s.UNIT, s.RECEIVED_DATE, s.DUE_DATE,
                                               s.COMPLETED_DATE, s.STATUS_CODE, s.CHANNEL_CODE]]
            st.dataframe(tables.formatted(preview, {
                s.CASE_ID: "Mã hồ sơ", s.PROCEDURE_NAME: "Thủ tục", s.UNIT: "Cơ quan", s.RECEIVED_DATE: "Tiếp nhận",
                s.DUE_DATE: "Hẹn trả", s.COMPLETED_DATE: "Có kết quả", s.STATUS_CODE: "Mã trạng thái",
                s.CHANNEL_CODE: "Kênh (1/2/3)"}, dates=(s.RECEIVED_DATE, s.DUE_DATE, s.COMPLETED_DATE)),
                hide_index=True, width="stretch")
        headers = [t for sheet in reading.sheets for t in sheet.headers if t] or reading.header_candidates
        if headers:
            # The mapping used, or for a file that stopped at its header, what each header would map to.
            mapping = {t: f for sheet in reading.sheets for t, f in sheet.mapping.items()} or \
                {t: field_for(t) or "" for t in headers}
            st.markdown("**Ánh xạ cột** — sửa cột nào đọc sai rồi bấm *Nhập lại* (ánh xạ được nhớ cho các tệp có "
                        "cùng dòng tiêu đề):")
            editor = pd.DataFrame({"Tiêu đề trong tệp": list(dict.fromkeys(headers)),
                                   "Trường": [next((c for c, f in FIELD_BY_CHOICE.items()
                                                    if f == mapping.get(t, "") and f), IGNORE)
                                              for t in dict.fromkeys(headers)]})
            edited = st.data_editor(editor, hide_index=True, width="stretch", key=f"mapping_{name}",
                                    disabled=["Tiêu đề trong tệp"],
                                    column_config={"Trường": st.column_config.SelectboxColumn(
                                        "Trường", options=FIELD_CHOICES, required=True)})
            if st.button("Nhập lại với ánh xạ này", key=f"reimport_{name}"):
                overrides = {row["Tiêu đề trong tệp"]: FIELD_BY_CHOICE[row["Trường"]]
                             for row in edited.to_dict("records")}
                results[name] = (content, store.import_file(content, name=name, overrides=overrides, replace=True))
                data.clear()
                st.rerun()
        row_issues = [i for i in result.issues if i.level != q.FILE]
        if row_issues:
            st.markdown(f"**{fmt.number(len(row_issues))} vấn đề** (dòng bị bỏ qua được liệt kê đầy đủ):")
            issues = q.issues_table(row_issues).assign(level=lambda f: f["level"].map(q.LEVEL_LABELS))
            shown = issues.rename(columns=q.COLUMN_LABELS)
            st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 2), 300))
            tables.downloads(shown, f"van-de_{name}", f"issues_{name}")

st.subheader("2. Các lần nhập")
imports = store.imports() if store.exists else pd.DataFrame()
if imports.empty:
    st.info("Chưa có lần nhập nào. Tải tệp xuất hồ sơ của quý lên ở mục 1 để bắt đầu.")
else:
    shown = imports.assign(imported_at=imports["imported_at"].dt.strftime("%d/%m/%Y %H:%M"),
                           sha256=imports["sha256"].str[:12])
    st.dataframe(tables.formatted(shown, {
        "import_id": "Số", "imported_at": "Thời điểm", "file_name": "Tệp", "rows_read": "Dòng đọc",
        "rows_imported": "Dòng nhập", "rows_skipped": "Dòng bỏ qua", "sha256": "Dấu vân tay (sha256)"},
        numbers=("rows_read", "rows_imported", "rows_skipped")), hide_index=True, width="stretch")
    left, right = st.columns([3, 1])
    chosen = left.selectbox("Xoá một lần nhập (hồ sơ chỉ có trong lần nhập đó cũng bị xoá)",
                            imports["import_id"].tolist(), key="remove_choice",
                            format_func=lambda i: f"{i} – {imports.set_index('import_id').loc[i, 'file_name']}")
    if right.button("Xoá lần nhập", key="remove_button"):
        store.remove_import(int(chosen))
        data.clear()
        st.rerun()
    st.subheader("Báo cáo chất lượng dữ liệu")
    stored = store.issues()
    if stored.empty:
        st.success("Không có dòng nào bị bỏ qua hay cần lưu ý trong các lần nhập.")
    else:
        shown = stored.assign(level=stored["level"].map(q.LEVEL_LABELS)).rename(
            columns={"import_id": "Lần nhập", **q.COLUMN_LABELS})
        st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 2), 400))
        tables.downloads(shown, "bao-cao-chat-luong-du-lieu", "quality")
    st.caption(f"Hồ sơ trùng mã giữa các dòng/tệp đã được gộp (giữ bản ghi mới nhất): "
               f"{fmt.number(data.merged_count(source))}.")

st.subheader("3. Danh mục thủ tục hành chính")
path = data.catalog_path(source)
st.caption(f"Đang dùng: {path.name if path else 'chưa có'}. Danh mục cần các cột Mã TTHC, Tên thủ tục, Lĩnh vực, "
           "Cấp thực hiện, Thời hạn giải quyết.")
catalog_upload = st.file_uploader("Tải danh mục TTHC (.xlsx, .xls, .ods, .csv)", key="catalog_upload",
                                  type=[x.lstrip(".") for x in SPREADSHEET_SUFFIXES])
if catalog_upload is not None and st.button("Dùng danh mục này", key="catalog_button"):
    try:
        checked = cat.read_catalog(catalog_upload.getvalue(), name=catalog_upload.name)
    except q.FileRejected as rejected:
        st.error(q.describe(rejected.issue))
    else:
        store.data_dir.mkdir(parents=True, exist_ok=True)
        (store.data_dir / data.CATALOG_FILE).write_bytes(catalog_upload.getvalue())
        st.success(f"Đã lưu danh mục: {fmt.number(len(checked.procedures))} thủ tục.")
        for issue in checked.issues:
            st.caption(q.describe(issue))
        data.clear()
