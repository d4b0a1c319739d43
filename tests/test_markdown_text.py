"""The one function every screen uses to put text from the data into Markdown (issue 16, security test M2, code
review §2.10): outputs.formatting.markdown_text. What a person reads is the text as written; nothing in it becomes
a link, an image, emphasis, HTML, a formula, a list or a heading. The escaped forms were checked in Chromium against
Streamlit 1.67's renderer (tests/test_markdown_browser.py does it on the real screens)."""
from __future__ import annotations

import re

import pytest

from analytics.outputs import formatting as fmt
from ui import imports, links


def as_read(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


HOSTILE = [
    "[Bấm vào đây](http://evil.example)", "![x](http://127.0.0.1:8799/beacon)", "**đậm** <b>thẻ</b>",
    "<http://evil.example/auto>", "www.evil.example", "lua@evil.example", "$\\href{http://evil.example}{x}$",
    ":red[đỏ] :material/home: :smile:", "[a]: http://evil.example/ref", "&#91;x&#93;(http://evil.example)",
    "_nghiêng_ ~~gạch~~ `mã` | cột |", "# Tiêu đề", "- mục", "1. mục", "---", "dòng một\ndòng hai\r\n- mục",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_read_as_written_and_makes_no_markdown(text):
    escaped = fmt.markdown_text(text)
    assert as_read(escaped) == " ".join(text.split("\n")).replace("\r", " ")  # one line, every character kept
    assert not re.search(r"(?<!\\)[\[\]<>*`|~$#]", escaped)      # every special character escaped
    assert not re.search(r"(?i)https?://|www\.|@[a-z]", escaped)   # no address GFM would link by itself
    assert not re.search(r"(?<!\\):[a-z]", escaped)                # no Streamlit directive, emoji or icon
    assert not re.match(r"\s*([-+]|\d+[.)])(\s|$)", escaped)       # no list


@pytest.mark.parametrize("text", ["Phòng TN&MT", "UBND P. Chi Lăng", "Phòng LĐ-TB&XH", "2018_Q1_xuat-file.xlsx",
                                  "Hoàng T. M.", "1.365 hồ sơ", "(4)/(5): 95,2%", "Sở TT&TT (cấp tỉnh)",
                                  "Quý I/2019 (01/01/2019 – 31/03/2019)", "Dòng 14, cột \"Ngày hẹn trả\": lỗi"])
def test_ordinary_names_and_sentences_are_left_as_they_are(text):
    assert fmt.markdown_text(text) == text


def test_nothing_and_numbers_become_text():
    assert fmt.markdown_text(None) == "" and fmt.markdown_text(12) == "12"


def test_a_link_value_that_cannot_be_used_is_quoted_escaped():
    _, warnings = links.read({"don_vi": ["[Đăng nhập lại](https://evil.example)"], "ky": "![b](http://x.example/b)"},
                             {"units": ["Phòng Tư pháp"], "levels": [], "fields": [], "channels": [1, 2, 3]})
    assert len(warnings) == 2
    assert all("https://" not in w and "http://" not in w and not re.search(r"(?<!\\)\]\(", w) for w in warnings)
    assert "[Đăng nhập lại](https://evil.example)" in as_read(warnings[1])


def test_the_import_result_names_its_file_escaped():
    class Result:
        status, rows_imported, rows_skipped = "imported", 3, 0
    label = imports._summary("![x](http://127.0.0.1:8799/beacon) **q1**.xlsx", Result())
    assert "http://" not in label and "![x](" not in label
    assert "![x](http://127.0.0.1:8799/beacon) **q1**.xlsx" in as_read(label)
