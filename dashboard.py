"""Entry point: page configuration and navigation. The screens live in pages/; shared controls in ui/sidebar.py.

Each screen's file in pages/ is named after its URL path (pages/bieu-06.py answers /bieu-06): the very first request
after the server starts is looked up among pages/ before this script declares the navigation, and a URL with no
file of that name drew Streamlit's English "Page not found" box over the screen. Streamlit serves the default page
at the root and only there, so the default page is a hidden one that sends `/` on to `/tong-quan` with the link's
query parameters: every screen, the overview included, answers at its own path, and a link always names its screen.

Before any page, ui/access.py decides who is using the dashboard: until a person is let in, the only page is the
sign-in form (or, on a network address with no account, the notice saying how to add one).
"""
import logging
from pathlib import Path

import streamlit as st

import edge
from analytics.dossiers.store import StoreUnavailable
from analytics.outputs.formatting import markdown_text
from ui import access
from ui import reimport  # noqa: F401  (at a server's start, removes the copies a stopped server left)

# The icon is a file of the project: a :material/…: icon would be fetched by the browser from fonts.gstatic.com.
st.set_page_config(page_title="Giám sát Bộ phận Một cửa", page_icon=str(Path(__file__).parent / "ui" / "favicon.png"),
                   layout="wide")
edge.refuse_without_edge()  # `streamlit run dashboard.py`: no page, only how to start the server (server.py)
# (URL path = file in pages/, title, icon, the role that sees it)
SCREENS = [
    ("tong-quan", "Tổng quan", "dashboard", access.VIEWER),
    ("bieu-06", "Biểu 06", "table_chart", access.VIEWER),
    ("thu-tuc", "Thủ tục", "list_alt", access.VIEWER),
    ("don-vi", "Đơn vị", "account_balance", access.VIEWER),
    ("so-sanh-ky", "So sánh kỳ", "compare_arrows", access.VIEWER),
    ("ho-so-tre-han", "Hồ sơ trễ hạn", "schedule", access.VIEWER),
    ("trai-nghiem", "Trải nghiệm người dân", "sentiment_satisfied", access.VIEWER),
    ("doi-chieu", "Đối chiếu số liệu báo cáo", "rule", access.VIEWER),
    ("bao-cao", "Báo cáo", "description", access.VIEWER),
    ("trinh-chieu", "Trình chiếu", "slideshow", access.VIEWER),
    ("du-lieu", "Dữ liệu", "upload_file", access.VIEWER),
    ("quan-tri", "Quản trị", "admin_panel_settings", access.ADMIN),
]


def screens(person: access.Person | None) -> list:
    """The pages this person may open. Before sign-in every address shows the sign-in form and only it (the
    address is kept, so the page asked for opens once the person is let in)."""
    if person is None:
        return [st.Page(access.show_gate, url_path="dang-nhap", title="Đăng nhập", default=True)] + [
            st.Page(access.show_gate, url_path=path, title="Đăng nhập", visibility="hidden")
            for path, *_ in SCREENS]
    overview = st.Page("pages/tong-quan.py", url_path="tong-quan", title="Tổng quan", icon=":material/dashboard:")

    def home() -> None:
        """`/`: the overview at its own path, keeping the link's parameters."""
        st.switch_page(overview, query_params={key: st.query_params.get_all(key) for key in st.query_params})

    return [st.Page(home, url_path="trang-chu", title="Tổng quan", default=True, visibility="hidden"), overview] + [
        st.Page(f"pages/{path}.py", url_path=path, title=title, icon=f":material/{icon}:")
        for path, title, icon, role in SCREENS[1:] if person.may(role)]


def menu(pages: list) -> None:
    """The screens' links at the top of the sidebar. Streamlit's own sidebar menu is off (.streamlit/config.toml,
    showSidebarNavigation): on the first request after a start it listed the raw file names of pages/ before this
    script ran."""
    with st.sidebar.container(key="menu"):
        for page in pages:
            if page.visibility != "hidden":
                st.page_link(page)


try:
    person = access.signed_in()
    pages = screens(person)
    navigation = st.navigation(pages, position="hidden")
    if person is not None:
        menu(pages)
    try:
        with access.framed(person):
            navigation.run()
    finally:  # at the foot of the sidebar, below the page's own controls, also when the page stops early
        if person is not None:
            access.sidebar_badge(person)
except StoreUnavailable as error:  # another program is writing the store, or it cannot be opened
    st.error(markdown_text(str(error)), icon=":material/hourglass:")
except Exception:  # st.stop, st.switch_page and reruns are BaseExceptions and pass through
    logging.getLogger("dashboard").exception("Lỗi khi hiển thị trang")
    st.error("Đã có lỗi ngoài dự kiến khi hiển thị trang này; dữ liệu của bạn không bị thay đổi. Hãy tải lại trang "
             "hoặc chọn kỳ khác. Nếu lỗi lặp lại, hãy báo cho người quản trị kèm thời điểm xảy ra (chi tiết đã được "
             "ghi vào nhật ký máy chủ).", icon=":material/error:")
