"""Trình chiếu: the supervision results for a projector, one message per slide (1920×1080 and 1280×720).

The figures are a stored supervision session's when the store has any (chosen at the top, ?session=NAME), else the
period, comparison, units, rate and target chosen on the other screens (the sidebar's values, which a link's
parameters set too). The slide shown is in the address bar (?slide=3), so a link opens the meeting at that slide.
Previous and next: the buttons, or a presentation clicker's keys (PageDown/PageUp, Space, the arrows; B blanks the
screen), which a small script (ui/presentation.py) turns into clicks on the buttons. The same script gives the
window's size, to which every slide is scaled.
"""
import streamlit as st

# Before anything else is imported: no sidebar, no header. A bookmarked /trinh-chieu opened right after the server
# starts runs this file in Streamlit's legacy pages/ mode, which first lists the pages/ files in a sidebar; hidden
# at once, the room never sees that list (access.page_guard below then runs dashboard.py's navigation).
st.html("<style>[data-testid='stSidebar'], header[data-testid='stHeader'] { display: none !important; }</style>")

from streamlit.errors import StreamlitAPIException  # noqa: E402

from analytics.outputs import formatting as fmt  # noqa: E402
from analytics.outputs.slides import deck, source_line  # noqa: E402
from ui import access, data, presentation, sessions, sidebar  # noqa: E402

access.page_guard()
st.html(presentation.STYLE)
chosen = sidebar.selection()  # drawn in the hidden sidebar: the view's choices, and a link's values
stored = {s.name: s for s in data.stored("sessions")}
# The sidebar's notices quote a link's values escaped (ui/links.py); the presentation's quote them as written.
notices = list(chosen.notices) + [fmt.markdown_text(n) for n in presentation.open_link(list(stored))]

bar = st.columns([2, 5, 1.4, 1.3, 1.4], vertical_alignment="center", wrap=False)
try:
    bar[0].page_link("pages/tong-quan.py", label="Thoát trình chiếu", icon=":material/close:")
except StreamlitAPIException:  # the page run alone (tests): no navigation to go back to
    pass
if stored:
    options = [*stored, presentation.CURRENT_VIEW]
    if st.session_state.get(presentation.STATE_SESSION) not in options:
        st.session_state[presentation.STATE_SESSION] = options[0]
    name = bar[1].selectbox(
        "Đợt giám sát", options, key=presentation.STATE_SESSION, on_change=presentation.first_slide,
        label_visibility="collapsed",
        format_func=lambda n: f"Đợt giám sát: {n}" if n in stored else f"Kỳ đang chọn: {chosen.period.label}")
else:
    name = None
    bar[1].caption(f"Kỳ đang chọn: {chosen.period.label}",
                   help="Chưa có đợt giám sát nào được lưu; lưu một đợt ở trang Báo cáo để trình chiếu đợt đó.")

if name in stored:
    session = stored[name]
else:
    try:
        session = sessions.from_selection(chosen)
    except ValueError as error:  # e.g. a target of 0%
        st.warning(f"Chưa trình chiếu được kỳ đang chọn: {fmt.markdown_text(error)}", icon=":material/warning:")
        st.stop()

figures = sessions.figures(session)
# The data's description on the last slide only for imported data: the sample's says so already, and tells to upload.
provenance = sessions.provenance(session, () if chosen.source.is_sample else (chosen.source.description,))
slides = deck(figures, provenance)
number = presentation.slide_number(len(slides))
presentation.write_link(number, name)

# No `shortcut=` on the buttons: the keyboard script clicks them for every clicker key, and a shortcut badge
# beside the arrow icon drew each arrow twice.
bar[2].button("Trước", icon=":material/arrow_back:", on_click=presentation.step, args=(-1,), disabled=number <= 1,
              width="stretch", key=presentation.PREVIOUS_KEY, help=presentation.KEYS_HELP[-1])
with bar[3]:  # the page number, and the script (it takes no room)
    st.html(presentation.counter_html(number, len(slides)))
    scale = presentation.viewport_scale()
bar[4].button("Sau", icon=":material/arrow_forward:", on_click=presentation.step, args=(1,),
              disabled=number >= len(slides), width="stretch", key=presentation.NEXT_KEY,
              help=presentation.KEYS_HELP[1])
for notice in notices:
    st.warning(notice, icon=":material/link_off:")
if figures.total["received_total"] == 0:
    words = session.period.label
    st.warning(f"Không có hồ sơ nào trong {words[:1].lower() + words[1:]}. Hãy chọn kỳ khác ở trang Tổng quan.")
presentation.show(slides[number - 1], figures, chosen.source.is_sample, source_line(figures, provenance), scale)
