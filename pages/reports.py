"""Báo cáo: supervision sessions (create, choose, remove) and, for the chosen one, the written report, the slides
and the workbook, built from the same figures as every screen."""
import streamlit as st

from analytics.access import audit
from ui import access, data, sessions, sidebar

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Đợt giám sát và báo cáo", chosen)
source, store = chosen.source, data.store()
stored = data.stored("sessions")

st.subheader("Đợt giám sát")
names = [x.name for x in stored]
choice = st.selectbox("Chọn đợt giám sát", ["(theo lựa chọn ở thanh bên)", *names], key="report_session",
                      help="Một đợt giám sát lưu phạm vi: kỳ giám sát, kỳ so sánh, đơn vị, cách tính tỷ lệ, mục "
                           "tiêu, đoàn giám sát. Mọi tài liệu ghi rõ lập cho đợt nào.")
session = next((x for x in stored if x.name == choice), None) or sessions.from_selection(chosen)
st.caption(f"Kỳ giám sát: {session.period.label}"
           + (f" · So sánh với: {session.comparison.label}" if session.comparison else " · Không so sánh")
           + " · Đơn vị: " + (", ".join(session.units) or "tất cả")
           + f" · Mục tiêu {session.target:.0%}".replace(".", ","))

st.subheader("Tài liệu cho đợt này")
if source.is_sample:
    st.warning("Đang dùng DỮ LIỆU MẪU: mọi tài liệu lập ra ghi rõ ở trang đầu rằng đây là dữ liệu mẫu.",
               icon=":material/warning:")
if not access.can_change():
    st.info("Tài khoản người xem đọc được mọi số liệu trên các trang và bản trình chiếu; lập tài liệu và sửa đợt giám "
            "sát dành cho chuyên viên phân tích.", icon=":material/visibility:")
    st.stop()
sessions.downloads(source, session)

with st.expander("Thêm hoặc sửa một đợt giám sát", expanded=not stored):
    units = data.filter_choices(source).get("units", [])
    new = sessions.session_form(source, units, session)
    if new is not None:
        store.save_session(new)
        access.record(audit.SESSION_SAVED, new.name, {"replaced": new.name in names})
        st.success(f'Đã lưu đợt giám sát "{new.name}".')
        st.session_state["report_session"] = new.name
        st.rerun()

if stored:
    with st.expander("Xoá một đợt giám sát"):
        removed = st.selectbox("Đợt giám sát", names, key="remove_session")
        sure = st.checkbox(f'Tôi muốn xoá đợt "{removed}" (số liệu đã nhập không bị xoá)', key="remove_session_sure")
        if st.button("Xoá đợt giám sát", disabled=not sure, key="remove_session_button"):
            store.remove_session(removed)
            access.record(audit.SESSION_REMOVED, removed)
            st.session_state.pop("report_session", None)
            st.rerun()
