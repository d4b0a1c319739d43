"""Every label Vietnamese (issue 15, review 2026-12-07 defect 10 and 12): the file uploader's own texts, the
multiselects' placeholders, the target written 95,0% and the period said once."""
import pytest

from tests.apps import page_app
from ui import imports

# The screens these tests look at, and the state that opens each with its widgets.
PAGES = ["pages/tong-quan.py", "pages/bieu-06.py", "pages/thu-tuc.py", "pages/don-vi.py", "pages/so-sanh-ky.py",
         "pages/ho-so-tre-han.py", "pages/du-lieu.py"]


@pytest.fixture(autouse=True)
def fresh_store(empty_store):
    return empty_store


def test_the_uploader_css_writes_its_texts_in_vietnamese_and_whole_file_names():
    css = imports.uploader_css(200)
    for testid in ("stFileUploaderDropzone", "stFileUploaderDropzoneInstructions", "stFileChipName"):
        assert f'[data-testid="{testid}"]' in css  # scoped to the uploader's own elements
    assert 'content: "Chọn tệp"' in css and "tối đa 200 MB mỗi tệp" in css and 'content: "Thả tệp vào đây"' in css
    assert "content: attr(title)" in css  # the chip's whole name, which Streamlit keeps in its title
    assert not [word for word in ('"Upload', "Browse", "per file", "Drag") if word in css]


def test_the_data_screen_draws_its_uploaders_with_the_vietnamese_texts():
    at = page_app("pages/du-lieu.py").run()
    assert not at.exception
    uploaders = at.get("file_uploader")
    assert len(uploaders) == 3   # dossier exports, the procedure catalog, the unit register
    styles = [str(h.proto.body) for h in at.get("html")]
    assert any('content: "Chọn tệp"' in s for s in styles)
    assert all("MB" not in u.proto.label or "tối đa" not in u.proto.label for u in uploaders)  # said once, below


def test_the_target_is_a_vietnamese_percentage():
    at = page_app("pages/tong-quan.py").run()
    target = at.select_slider(key="sel_target")
    assert target.value == 95.0 and "95,0%" in target.options and "95.00" not in target.options
    assert target.options[0] == "50,0%" and target.options[-1] == "100,0%"
    target.set_value(97.5).run()
    assert not at.exception and at.select_slider(key="sel_target").value == 97.5


def test_a_target_off_the_grid_from_a_link_is_kept():
    at = page_app("pages/tong-quan.py")
    at.query_params.update({"muc_tieu": "42,3"})
    at.run()
    assert not at.exception and at.select_slider(key="sel_target").value == 42.3
    assert "42,3%" in at.select_slider(key="sel_target").options


@pytest.mark.parametrize("page", PAGES)
def test_no_multiselect_says_choose_options(page):
    at = page_app(page).run()
    assert not at.exception
    assert all(m.placeholder and "Choose" not in m.placeholder for m in at.multiselect), \
        [(m.label, m.placeholder) for m in at.multiselect]


def test_the_overview_says_its_period_once_in_words():
    at = page_app("pages/tong-quan.py").run()
    assert [s.value for s in at.subheader][:1] == ["Năm 2018 và quý I/2019"]
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "31/03/2019 (01/01/2018" not in shown  # never "Từ 01/01/2018 đến 31/03/2019 (01/01/2018 – 31/03/2019)"
