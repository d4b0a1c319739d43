"""Entry point: page configuration and navigation. The screens live in pages/; shared controls in ui/sidebar.py.

Each page has its own URL path (Vietnamese, unlike the file names): a URL equal to a file name in pages/ would be
served by Streamlit's legacy pages/ mode, without this frame. Streamlit serves the default page at the root and only
there (its url_path would answer "Page not found"), so the default page is a hidden one that sends `/` on to
`/tong-quan` with the link's query parameters: every screen, the overview included, answers at its own path, and a
link always names its screen.
"""
import logging

import streamlit as st

from analytics.dossiers.store import StoreUnavailable

st.set_page_config(page_title="Giám sát Bộ phận Một cửa", page_icon=":material/fact_check:", layout="wide")
OVERVIEW = st.Page("pages/overview.py", url_path="tong-quan", title="Tổng quan", icon=":material/dashboard:")


def home() -> None:
    """`/`: the overview at its own path, keeping the link's parameters."""
    st.switch_page(OVERVIEW, query_params={key: st.query_params.get_all(key) for key in st.query_params})


navigation = st.navigation([
    st.Page(home, url_path="trang-chu", title="Tổng quan", default=True, visibility="hidden"),
    OVERVIEW,
    st.Page("pages/bieu06.py", url_path="bieu-06", title="Biểu 06", icon=":material/table_chart:"),
    st.Page("pages/procedures.py", url_path="thu-tuc", title="Thủ tục", icon=":material/list_alt:"),
    st.Page("pages/units.py", url_path="don-vi", title="Đơn vị", icon=":material/account_balance:"),
    st.Page("pages/compare.py", url_path="so-sanh-ky", title="So sánh kỳ", icon=":material/compare_arrows:"),
    st.Page("pages/late.py", url_path="ho-so-tre-han", title="Hồ sơ trễ hạn", icon=":material/schedule:"),
    st.Page("pages/reconcile.py", url_path="doi-chieu", title="Đối chiếu số liệu báo cáo", icon=":material/rule:"),
    st.Page("pages/reports.py", url_path="bao-cao", title="Báo cáo", icon=":material/description:"),
    st.Page("pages/presentation.py", url_path="trinh-chieu", title="Trình chiếu", icon=":material/slideshow:"),
    st.Page("pages/data.py", url_path="du-lieu", title="Dữ liệu", icon=":material/upload_file:"),
])
try:
    navigation.run()
except StoreUnavailable as error:  # another program is writing the store, or it cannot be opened
    st.error(str(error), icon=":material/hourglass:")
except Exception:  # st.stop, st.switch_page and reruns are BaseExceptions and pass through
    logging.getLogger("dashboard").exception("Lỗi khi hiển thị trang %s", navigation.title)
    st.error("Đã có lỗi ngoài dự kiến khi hiển thị trang này; dữ liệu của bạn không bị thay đổi. Hãy tải lại trang "
             "hoặc chọn kỳ khác. Nếu lỗi lặp lại, hãy báo cho người quản trị kèm thời điểm xảy ra (chi tiết đã được "
             "ghi vào nhật ký máy chủ).", icon=":material/error:")
