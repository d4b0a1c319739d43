"""Dữ liệu: upload exports, see how each file was read, correct the header mapping, the data-quality report,
the list of imports (each removable), and the procedure catalog."""
import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.dossiers.store import StoreUnavailable
from analytics.ingest import catalog as cat
from analytics.ingest.sniff import SPREADSHEET_SUFFIXES
from analytics.model import issues as q
from analytics.outputs import formatting as fmt
from ui import access, data, imports, reimport, sidebar, tables, units

access.page_guard()
sidebar.keep_alive()
st.title("Dữ liệu")
source = data.current_source()
st.caption(source.description)
store = data.store()
analyst = access.can_change()
if source.is_sample:
    st.warning("Các trang đang hiển thị **dữ liệu mẫu** (tổng hợp, không phải số liệu thật). Khi "
               + ("bạn" if analyst else "chuyên viên phân tích") + " nhập tệp đầu tiên, các trang sẽ chuyển sang dữ "
               "liệu đã nhập.", icon=":material/warning:")

if analyst:
    st.caption(f"Kho dữ liệu: {fmt.markdown_text(store.path)}")
    st.subheader("Tải tệp xuất hồ sơ")
    generation = st.session_state.setdefault("uploads_generation", 0)  # a new key empties the uploader after import
    uploads = imports.uploader("Tệp xuất hồ sơ, một hoặc nhiều tệp (" + ", ".join(SPREADSHEET_SUFFIXES) + ")",
                               f"uploads_{generation}", SPREADSHEET_SUFFIXES, multiple=True,
                               help=f"Tệp lớn hơn {st.get_option('server.maxUploadSize')} MB: hãy tách theo quý hoặc "
                                    "đơn vị, hoặc nhập bằng dòng lệnh (python -m analytics import).")
    if uploads and st.button("Nhập các tệp đã chọn vào kho", type="primary"):
        results = st.session_state.setdefault("import_results", {})
        failures = st.session_state["import_failures"] = []
        st.session_state["import_batch"] = [upload.name for upload in uploads]
        progress = st.progress(0.0, text="Bắt đầu…")
        for n, upload in enumerate(uploads):
            progress.progress(n / len(uploads), text=f"Đang đọc {upload.name} ({n + 1}/{len(uploads)})…")
            content = upload.getvalue()
            try:
                result = store.import_file(content, name=upload.name)
            except StoreUnavailable as error:  # busy, full disk, damaged: this file is not in; the others are
                failures.append(f"{upload.name}: {error}")
                access.record(audit.IMPORT, upload.name, {"error": type(error).__name__}, audit.FAILED)
                continue
            access.record(audit.IMPORT, upload.name, audit.import_detail(result), audit.outcome_of(result))
            results[upload.name] = reimport.hold(content, result)
        progress.progress(1.0, text="Xong.")
        st.session_state["uploads_generation"] = generation + 1  # the uploader lets go of the bytes
        st.rerun()  # every part of the page, and the other screens, now show the imported data

    for failure in st.session_state.get("import_failures", []):
        st.error(f"Chưa nhập được {fmt.markdown_text(failure)}", icon=":material/error:")
    if st.session_state.get("import_batch"):
        received = st.session_state["import_batch"]
        st.caption(f"Lần tải vừa rồi máy chủ đã nhận {len(received)} tệp: {fmt.markdown_text(', '.join(received))}. "
                   "Tệp nào bạn đã chọn mà không có ở đây là chưa tải lên được (biểu tượng đỏ cạnh tên tệp lúc chọn, "
                   "thường do mất kết nối hoặc ổ đĩa tạm của máy chủ đầy): hãy chọn lại tệp đó.")
    results = st.session_state.get("import_results", {})
    for name, (kept, result) in list(results.items()):
        corrected = imports.show_result(name, result)
        if corrected is not None:
            content = reimport.read(kept)
            if content is None:
                st.error(f"Tệp {fmt.markdown_text(name)} không còn được giữ để nhập lại; hãy tải tệp lên lại.")
                continue
            overrides, value_overrides = corrected
            reimport.drop(kept)
            result = store.import_file(content, name=name, overrides=overrides, value_overrides=value_overrides,
                                       replace=True, fingerprint=kept.fingerprint)
            access.record(audit.MAPPING, name, audit.import_detail(result, len(overrides) + len(value_overrides)),
                          audit.outcome_of(result))
            results[name] = reimport.hold(content, result, kept.fingerprint)
            st.rerun()
    if (results or st.session_state.get("import_failures")) and st.button(
            "Đóng kết quả nhập (xoá bản tạm của các tệp)", key="close_results"):
        for kept, _ in results.values():
            reimport.drop(kept)
        st.session_state.pop("import_results", None)
        st.session_state.pop("import_failures", None)
        st.session_state.pop("import_batch", None)
        st.rerun()
else:
    st.info("Tài khoản người xem xem được các lần nhập và báo cáo chất lượng dữ liệu; nhập, xoá tệp và sửa danh mục "
            "dành cho chuyên viên phân tích.", icon=":material/visibility:")

st.subheader("Các lần nhập")
done = data.stored("imports") if store.exists else pd.DataFrame()
if done.empty:
    st.info("Chưa có lần nhập nào. " + ("Tải tệp xuất hồ sơ của quý lên ở trên để bắt đầu." if analyst else
                                        "Chuyên viên phân tích nhập tệp ở trang này."))
else:
    imports_view = tables.View(
        {"import_id": "Số", "imported_at": "Thời điểm", "file_name": "Tệp", "rows_read": "Dòng đọc",
         "rows_imported": "Dòng nhập", "rows_skipped": "Dòng bỏ qua", "sha256": "Dấu vân tay (sha256)"},
        counts=("rows_read", "rows_imported", "rows_skipped"), datetimes=("imported_at",),
        help={"sha256": "12 ký tự đầu của mã SHA-256 của tệp: hai tệp cùng mã là một tệp",
              "rows_skipped": "Dòng không đọc được; xem báo cáo chất lượng dữ liệu bên dưới"},
        widths={"import_id": 60, "imported_at": 130, "file_name": 320, "sha256": 125})
    tables.show(done.assign(sha256=done["sha256"].str[:12]), imports_view,
                height=tables.fitted_height(len(done), 420))
    if analyst:
        left, right = st.columns([3, 1])
        chosen = left.selectbox("Xoá một lần nhập (hồ sơ chỉ có trong lần nhập đó cũng bị xoá)",
                                done["import_id"].tolist(), key="remove_choice",
                                format_func=lambda i: f"{i} – {done.set_index('import_id').loc[i, 'file_name']}")
        sure = st.checkbox("Tôi chắc chắn muốn xoá lần nhập này", key="remove_sure")
        if right.button("Xoá lần nhập", key="remove_button", disabled=not sure):
            store.remove_import(int(chosen))
            access.record(audit.IMPORT_REMOVED, str(chosen),
                          {"file": done.set_index("import_id").loc[chosen, "file_name"]})
            st.session_state.pop("remove_sure", None)
            st.rerun()
    st.subheader("Báo cáo chất lượng dữ liệu")
    stored = data.stored("issues")
    if stored.empty:
        st.success("Không có dòng nào bị bỏ qua hay cần lưu ý trong các lần nhập.")
    else:
        shown = stored.assign(level=stored["level"].map(q.LEVEL_LABELS))
        imports.show_issues(shown, "bao-cao-chat-luong-du-lieu", "quality", {"import_id": "Lần nhập"})
    st.caption(f"Hồ sơ trùng mã giữa các dòng/tệp đã được gộp (giữ bản ghi mới nhất): "
               f"{fmt.number(data.merged_count(source))}.")

st.subheader("Danh mục thủ tục hành chính")
path = data.catalog_path(source)
st.caption(f"Đang dùng: {fmt.markdown_text(path.name) if path else 'chưa có'}. Danh mục cần các cột Mã TTHC, Tên thủ "
           "tục, Lĩnh vực, Cấp thực hiện, Thời hạn giải quyết.")
if analyst:
    catalog_upload = imports.uploader("Tải danh mục TTHC (.xlsx, .xls, .ods, .csv)", "catalog_upload",
                                      SPREADSHEET_SUFFIXES)
    if catalog_upload is not None and st.button("Dùng danh mục này", key="catalog_button"):
        try:
            checked = cat.read_catalog(catalog_upload.getvalue(), name=catalog_upload.name)
        except q.FileRejected as rejected:
            st.error(fmt.markdown_text(q.describe(rejected.issue)))
        else:
            data.save_catalog(catalog_upload.getvalue())
            access.record(audit.CATALOG, catalog_upload.name, {"procedures": len(checked.procedures)})
            st.success(f"Đã lưu danh mục: {fmt.number(len(checked.procedures))} thủ tục.")
            for issue in checked.issues:
                st.caption(fmt.markdown_text(q.describe(issue)))

units.register_section(data.store(), analyst, data.unit_names(source))
