"""Markdown from the data, on every screen (issue 16, security test M2, code review §2.10 and §0 "4.7").

Exports and reported tables come from the bodies under supervision, so what they hold is hostile: a unit named
"[Bấm vào đây](http://evil.example)" must not become a link for a viewer, "![x](http://…/beacon)" must not make the
viewer's browser fetch an image, "**đậm** <b>thẻ</b>" must not be bold. Built here: one import whose unit, field,
procedure, file, sheet and header names carry such text, a reported table whose row does, a session whose title does.
Each screen runs headless (AppTest) with the hostile unit chosen in the sidebar, and every text Streamlit renders as
Markdown (the markdown, captions, alerts, titles, expander and widget labels, help texts) is checked: the hostile text
never appears as written, only escaped. tests/test_markdown_browser.py checks the same in Chromium.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from analytics.access.users import ANALYST, VIEWER
from analytics.ingest.reported_table import read_reported_table
from analytics.model.session import SupervisionSession
from tests.apps import page_app
from tests.test_reconcile_screen import reported_workbook
from tests.workbooks import ROWS, write_rows

LINK = "[Bấm vào đây](http://evil.example)"
IMAGE = "![x](http://127.0.0.1:8799/beacon)"
BOLD = "**đậm** <b>thẻ</b>"
HOSTILE = (LINK, IMAGE, BOLD)
FILE = "[tệp](http://evil.example/file) **q1**.xlsx"      # a file name as the uploader gives it
SHEET = "~~gạch~~ <b>trang<b> $x$"                         # what Excel allows in a sheet's name
FIELD = "Hộ tịch ![f](http://127.0.0.1:8799/field)"
IGNORED = "[Xem hướng dẫn](http://evil.example/header)"   # a column the reader does not know
ROW_NAME = "Phòng Nội vụ ![r](http://127.0.0.1:8799/reported) [Phiên hết hạn](http://evil.example/phish)"
TITLE = "Giám sát **[đăng nhập lại](http://evil.example/session)**"
# Written as they are, these make Markdown: a link or an image (unescaped "](" or "!["), bold, an HTML tag, or an
# address GFM turns into a link by itself ("http://", "www.").
LIVE = [re.compile(p) for p in (r"(?<!\\)\]\(", r"(?<!\\)!\[", r"(?<!\\)\*\*đậm", r"(?<!\\)<b>", r"http://",
                                r"(?<!\\)~~gạch")]
Q1 = {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1}
HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Ngày tiếp nhận",
          "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", IGNORED]  # no channel column: a caveat names the file


def hostile_rows() -> list[list]:
    rows = []
    for n, unit in enumerate(HOSTILE):
        for base in ROWS:
            row = [*base[:9], "ghi chú"]
            row[1] = f"{base[1]}-{n}"
            row[4] = unit
            row[3] = FIELD if n == 0 else base[3]
            row[2] = f"*{base[2]}* [y](http://evil.example/procedure)" if n == 1 else base[2]
            rows.append(row)
    return rows


@pytest.fixture
def hostile_store(empty_store, tmp_path):
    path = write_rows(tmp_path / "hostile.xlsx", [HEADER, *hostile_rows()], sheet=SHEET)
    result = empty_store.import_file(path.read_bytes(), name=FILE)
    assert result.status == "imported", result.issues
    table = read_reported_table(reported_workbook(tmp_path / "bieu06.xlsx", land_name=ROW_NAME).read_bytes(),
                                name=FILE.replace("q1", "bieu06"))
    empty_store.save_reported(table)
    empty_store.save_session(SupervisionSession(name="Đợt [x](http://evil.example/name)", start=dt.date(2019, 1, 1),
                                                end=dt.date(2019, 3, 31), units=(LINK, BOLD), title=TITLE))
    return empty_store, result


def as_read(markdown: str) -> str:
    """What a person reads of a Markdown text from the data, once escaped: the escapes undone, the zero-width spaces
    that break addresses dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def shows(texts, hostile: str) -> bool:
    """Whether one of the texts shows `hostile` to the reader, as written."""
    return any(hostile in as_read(t) for t in texts)


def markdown_texts(at) -> list[str]:
    """Every text the run put where Streamlit renders Markdown."""
    texts = []
    for kind in ("markdown", "caption", "warning", "info", "error", "success", "title", "subheader", "header",
                 "toast"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [e.label for e in at.expander]
    for kind in ("checkbox", "toggle", "radio", "selectbox", "multiselect", "button", "text_input", "number_input",
                 "date_input", "select_slider", "segmented_control", "download_button", "data_editor"):
        for widget in getattr(at, kind):
            texts += [t for t in (getattr(widget, "label", None), getattr(widget, "help", None)) if t]
    for radio in at.radio:  # a radio's options are Markdown too
        texts += [str(o) for o in radio.options]
    return texts


def live_markdown(texts: list[str]) -> list[str]:
    return [t for t in texts if any(p.search(t) for p in LIVE) or any(h in t for h in (*HOSTILE, FILE, SHEET))]


SCREENS = ["pages/tong-quan.py", "pages/bieu-06.py", "pages/thu-tuc.py", "pages/don-vi.py", "pages/so-sanh-ky.py",
           "pages/ho-so-tre-han.py", "pages/bao-cao.py", "pages/doi-chieu.py", "pages/du-lieu.py",
           "pages/trinh-chieu.py"]


@pytest.mark.parametrize("page, role", [(page, role) for page in SCREENS for role in (VIEWER, ANALYST)])
def test_no_screen_renders_markdown_from_the_data(hostile_store, page, role):
    at = page_app(page, {**Q1, "sel_units": [LINK, IMAGE, BOLD]}, role=role).run()
    assert not at.exception, at.exception
    texts = markdown_texts(at)
    assert live_markdown(texts) == []
    # The data did reach the screen, escaped: the header's line names the units chosen.
    if page not in ("pages/du-lieu.py", "pages/trinh-chieu.py"):
        assert any(LINK in as_read(t) and BOLD in as_read(t) for t in texts)


def test_the_file_name_of_a_missing_column_is_escaped_in_its_caveat(hostile_store):
    at = page_app("pages/tong-quan.py", Q1, role=VIEWER).run()
    caveats = [w.value for w in at.warning if "hình thức nộp" in w.value]
    assert caveats and all(FILE in as_read(w) for w in caveats)
    assert live_markdown(markdown_texts(at)) == []


def test_a_reported_row_and_the_session_are_escaped(hostile_store):
    reconcile = page_app("pages/doi-chieu.py", Q1, role=VIEWER).run()
    assert not reconcile.exception
    assert shows([w.value for w in reconcile.warning], ROW_NAME)
    assert live_markdown(markdown_texts(reconcile)) == []
    report = page_app("pages/bao-cao.py", {**Q1, "report_session": "Đợt [x](http://evil.example/name)"},
                      role=VIEWER).run()
    assert not report.exception
    assert shows([m.value for m in report.markdown], TITLE)
    assert live_markdown(markdown_texts(report)) == []


def test_the_import_results_name_the_file_sheet_and_headers_escaped(hostile_store):
    store, result = hostile_store
    state = {"import_results": {FILE: (None, result)}, "import_batch": [FILE, IMAGE],
             "import_failures": [f"{LINK}: Kho dữ liệu đang bận"]}
    at = page_app("pages/du-lieu.py", state, role=ANALYST).run()
    assert not at.exception
    texts = markdown_texts(at)
    assert live_markdown(texts) == []
    assert shows([e.label for e in at.expander], FILE)                          # the result's expander
    assert any(SHEET in as_read(t) and IGNORED in as_read(t) for t in texts)    # its sheet and unused column
    assert shows([c.value for c in at.caption], IMAGE)                          # the files received
    assert shows([e.value for e in at.error], LINK)                             # a file not imported


def test_a_link_value_that_cannot_be_used_is_quoted_escaped(hostile_store):
    at = page_app("pages/tong-quan.py", role=VIEWER)
    at.query_params["don_vi"] = "[Đăng nhập lại](https://evil.example/phish)"
    at.query_params["ky"] = IMAGE
    at = at.run()
    assert not at.exception
    notices = [w.value for w in at.warning if "Liên kết" in w.value]
    assert len(notices) == 2
    assert live_markdown(notices) == [] and not any("https://" in n for n in notices)


def test_an_analyst_removing_a_session_reads_its_name_escaped(hostile_store):
    name = "Đợt [x](http://evil.example/name)"
    at = page_app("pages/bao-cao.py", {**Q1, "report_session": name, "remove_session": name}, role=ANALYST).run()
    assert not at.exception
    [sure] = [c.label for c in at.checkbox if c.label.startswith("Tôi muốn xoá đợt")]
    assert name in as_read(sure) and live_markdown([sure]) == []
    assert live_markdown(markdown_texts(at)) == []


def test_the_presentation_quotes_a_link_it_cannot_use_escaped(hostile_store):
    at = page_app("pages/trinh-chieu.py", role=VIEWER)
    at.query_params["session"] = "[Đăng nhập lại](https://evil.example/phish)"
    at.query_params["slide"] = IMAGE
    at.query_params["don_vi"] = "**đậm** <b>không có</b>"  # not a unit of the data
    at = at.run()
    assert not at.exception
    notices = [w.value for w in at.warning if "Liên kết" in w.value]
    assert len(notices) == 3
    assert live_markdown(notices) == [] and not any("https://" in n for n in notices)
    assert shows(notices, IMAGE) and shows(notices, "**đậm** <b>không có</b>")
