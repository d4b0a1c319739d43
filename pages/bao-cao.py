"""Báo cáo: supervision sessions (save the sidebar's choices in one click, edit, choose, remove) and, for the chosen
one, the written report, the slides and the workbook, built from the session object like the presentation."""
import streamlit as st

from analytics.access import audit
from analytics.outputs import formatting as fmt
from analytics.outputs.sentences import session_description
from ui import access, data, recommendations, sessions, sidebar

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Đợt giám sát và báo cáo", chosen)
source, store = chosen.source, data.store()
stored = data.stored("sessions")
SIDEBAR = "(theo lựa chọn ở thanh bên)"

st.subheader("Đợt giám sát")
names = [x.name for x in stored]
NEXT = "report_session_next"  # a session just saved, chosen before the choice box is drawn again
if st.session_state.get(NEXT) in names:
    st.session_state["report_session"] = st.session_state.pop(NEXT)
choice = st.selectbox("Chọn đợt giám sát", [SIDEBAR, *names], key="report_session",
                      help="Một đợt giám sát lưu mọi thứ quyết định con số: kỳ giám sát, kỳ so sánh, bộ lọc, cách "
                           "tính tỷ lệ và mục tiêu, cách tính hồ sơ rút/dừng, cách chia tháng, danh mục TTHC. Bản "
                           "trình chiếu và mọi tài liệu của đợt in cùng con số.")
session = next((x for x in stored if x.name == choice), None) or sessions.from_selection(chosen)
st.markdown(f"**{fmt.markdown_text(session.heading)}**")  # a title and unit names as stored: Markdown escaped
st.caption(fmt.markdown_text(session_description(session))
           + (f" · Ngày báo cáo: {fmt.date(session.report_date)}" if session.report_date else ""))

if not access.can_change():
    st.info("Tài khoản người xem đọc được mọi số liệu trên các trang và bản trình chiếu; lập tài liệu và sửa đợt giám "
            "sát dành cho chuyên viên phân tích.", icon=":material/visibility:")
    st.stop()



def save_selection() -> None:
    """The one-click save: the sidebar's session under a name of its own, then chosen (a callback, so that the
    choice box can be set before it is drawn again)."""
    name = sessions.unique_name(session.name, names)
    store.save_session(sessions.renamed(session, name))
    access.record(audit.SESSION_SAVED, name, {"replaced": False})
    st.session_state["report_session"] = name


if choice == SIDEBAR:
    st.button("Lưu lựa chọn ở thanh bên thành một đợt giám sát", icon=":material/bookmark_add:", key="save_selection",
              on_click=save_selection,
              help="Lưu ngay kỳ, kỳ so sánh, bộ lọc, cách tính tỷ lệ và mục tiêu đang chọn; sửa tên đợt, đoàn giám "
                   "sát, người ký ở mục bên dưới.")

st.subheader("Tài liệu cho đợt này")
if source.is_sample:
    st.warning("Đang dùng DỮ LIỆU MẪU: mọi tài liệu lập ra ghi rõ ở trang đầu rằng đây là dữ liệu mẫu.",
               icon=":material/warning:")
sessions.downloads(session)

with st.expander("Thêm hoặc sửa một đợt giám sát", expanded=False):
    units = data.filter_choices(source).get("units", [])
    new = sessions.session_form(units, session)
    if new is not None:
        store.save_session(new)
        access.record(audit.SESSION_SAVED, new.name, {"replaced": new.name in names})
        st.session_state[NEXT] = new.name
        st.rerun()

if stored:
    with st.expander("Xoá một đợt giám sát"):
        removed = st.selectbox("Đợt giám sát", names, key="remove_session")
        sure = st.checkbox(f'Tôi muốn xoá đợt "{fmt.markdown_text(removed)}" (số liệu đã nhập không bị xoá)',
                           key="remove_session_sure")
        if st.button("Xoá đợt giám sát", disabled=not sure, key="remove_session_button"):
            store.remove_session(removed)
            access.record(audit.SESSION_REMOVED, removed)
            st.session_state.pop("report_session", None)
            st.rerun()

recommendations.session_recommendations(store, session, saved=choice != SIDEBAR)
recommendations.follow_up(store)
