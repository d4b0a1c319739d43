"""One session, one set of figures (issue 15, item 1): the presentation screen, the written report (DOCX), the deck
(PPTX) and the workbook (XLSX) of the same session give the same totals, with a field filter, withdrawn dossiers
folded into (9) and a cut-off quarter; and the sidebar's choices saved in one click make that same session.

The documents are made as the command line's `export` makes them (from the sample's files), the screen as the
dashboard draws it (the sample, due dates filled from its catalog): both paths must meet on the same numbers."""
from __future__ import annotations

import dataclasses
import io

import docx
import openpyxl
import pptx
import pytest

from analytics import cli
from analytics.model import periods
from analytics.model.session import SupervisionSession
from analytics.outputs import formatting as fmt
from tests.apps import page_app
from tests.session_fixtures import ROOT, SAMPLE_SESSION, session_of

Q1_CUTOFF, Q4_CUTOFF = periods.quarter(2019, 1, cutoff=True), periods.quarter(2018, 4, cutoff=True)
SESSION = dataclasses.replace(
    SAMPLE_SESSION, name="GS-HT-Q1-2019", start=Q1_CUTOFF.start, end=Q1_CUTOFF.end, compare_start=Q4_CUTOFF.start,
    compare_end=Q4_CUTOFF.end, fields=("Hộ tịch",), fold_withdrawn=True, cutoff=True)
# Biểu 06's columns (3)–(13) and the extra "Rút / dừng xử lý", in the form's order.
KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
        "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time", "pending_overdue",
        "withdrawn"]


@pytest.fixture(scope="module")
def figures():
    return session_of(SESSION)[0]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The three documents of SESSION, made by `python -m analytics export` from the sample's files."""
    folder = tmp_path_factory.mktemp("export")
    data_dir = folder / "data"
    from analytics.dossiers.store import Store
    Store(data_dir).save_session(SESSION)
    out = {}
    for kind in ("docx", "pptx", "xlsx"):
        path = folder / f"dot.{kind}"
        assert cli.main(["--data-dir", str(data_dir), "export", "--session", SESSION.name, "--format", kind,
                         "--out", str(path), str(ROOT / "sample_data" / "exports")]) == 0
        out[kind] = path.read_bytes()
    return out


def test_the_session_is_what_its_choices_say(figures):
    """A check that the session really is filtered and folded: only Hộ tịch, nothing left in "withdrawn", three
    cut-off months, the comparison quarter covered by the data."""
    assert set(figures.by_field["name"]) == {"Hộ tịch"}
    assert figures.total["withdrawn"] == 0 and figures.session.fold_withdrawn
    assert list(figures.trend["label"]) == ["Tháng 1/2019", "Tháng 2/2019", "Tháng 3/2019"]
    assert figures.comparison is not None
    assert figures.total["received_total"] == sum(figures.total[k] for k in ("resolved_total", "pending_total",
                                                                             "withdrawn"))


def bieu06_total_of_docx(content: bytes) -> list[int]:
    document = docx.Document(io.BytesIO(content))
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) == 14 and cells[1] == "Tổng cộng":
                return [int(c.replace(".", "")) for c in cells[2:]]
    raise AssertionError("no Biểu 06 total row in the report")


def bieu06_total_of_xlsx(content: bytes) -> list[int]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Biểu 06"]
    for row in sheet.iter_rows(values_only=True):
        if len(row) > 13 and row[1] == "Tổng cộng":
            return [int(v) for v in row[2:14]]
    raise AssertionError("no Biểu 06 total row in the workbook")


def headline_text_of_pptx(content: bytes) -> str:
    deck = pptx.Presentation(io.BytesIO(content))
    for slide in deck.slides:
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        if "Kết quả chung" in text:
            return " ".join(text.split())
    raise AssertionError("no headline slide in the deck")


def test_the_report_and_the_workbook_print_the_sessions_biểu_06(figures, exported):
    expected = [figures.total[k] for k in KEYS]
    assert bieu06_total_of_docx(exported["docx"]) == expected
    assert bieu06_total_of_xlsx(exported["xlsx"]) == expected


def test_the_deck_prints_the_sessions_headline_figures(figures, exported):
    text = headline_text_of_pptx(exported["pptx"])
    rate, total = figures.rate, figures.total
    assert f"{fmt.number(rate.numerator)}/{fmt.number(rate.denominator)}" in text
    assert f"Nhận giải quyết (3): {fmt.number(total['received_total'])} hồ sơ" in text
    assert f"đã giải quyết (7): {fmt.number(total['resolved_total'])}" in text
    assert fmt.percent(rate.value) in text


def shown(at) -> str:
    return " ".join(" ".join(str(h.value).split()) for h in at.get("html"))


def test_the_presentation_screen_shows_the_same_figures_as_the_documents(figures, empty_store):
    empty_store.save_session(SESSION)
    at = page_app("pages/trinh-chieu.py")
    at.query_params.update({"session": SESSION.name, "slide": "1"})
    at.run()
    assert not at.exception
    text = shown(at)
    rate, total = figures.rate, figures.total
    assert f"{fmt.number(rate.numerator)}/{fmt.number(rate.denominator)}" in text
    assert fmt.number(total["received_total"]) in text and fmt.number(total["resolved_total"]) in text
    assert f"Nhận giải quyết (3): {fmt.number(total['received_total'])} hồ sơ" in text


def test_the_sidebars_choices_saved_in_one_click_are_that_session(figures, empty_store):
    """Báo cáo: with the sidebar on the cut-off Q1/2019, Hộ tịch, withdrawn folded and the previous quarter, the
    one-click save stores a session whose figures are the documents' figures."""
    state = {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1, "sel_cutoff": True, "sel_compare": "previous",
             "sel_fields": ["Hộ tịch"], "sel_fold": True}
    at = page_app("pages/bao-cao.py", state)
    at.run()
    assert not at.exception
    at.button(key="save_selection").click().run()
    assert not at.exception
    saved = empty_store.sessions()
    assert len(saved) == 1
    session = saved[0]
    assert (session.start, session.end) == (Q1_CUTOFF.start, Q1_CUTOFF.end)
    assert (session.compare_start, session.compare_end) == (Q4_CUTOFF.start, Q4_CUTOFF.end)
    assert session.fields == ("Hộ tịch",) and session.fold_withdrawn and session.follows_cutoff
    assert session.fill_due_dates and session.catalog and session.catalog.endswith("procedures.xlsx")
    assert session.heading and session.heading != session.name
    mine = session_of(dataclasses.replace(session, catalog=SESSION.catalog, name=SESSION.name))[0]
    assert mine.total == figures.total
    assert isinstance(session, SupervisionSession)


def test_the_session_form_saves_a_title_and_a_signer_and_chooses_the_session(empty_store):
    at = page_app("pages/bao-cao.py")
    at.run()
    assert not at.exception
    inputs = {w.label: w for w in at.text_input}
    inputs["Mã đợt (ngắn)"].set_value("GS-2019")
    inputs["Tên đợt giám sát (in trên báo cáo và trang đầu bản trình chiếu)"].set_value("Giám sát chuyên đề TTHC")
    inputs["Người ký (Trưởng đoàn)"].set_value("Vũ Văn Quang")
    inputs["Cơ quan chủ quản (dòng trên tên Đoàn)"].set_value("HĐND tỉnh Lạng Sơn")
    at.button[[b.label for b in at.button].index("Lưu đợt giám sát")].click().run()
    assert not at.exception
    saved = empty_store.session("GS-2019")
    assert saved.title == "Giám sát chuyên đề TTHC" and saved.signer == "Vũ Văn Quang"
    assert saved.parent_body == "HĐND tỉnh Lạng Sơn"
    assert at.selectbox(key="report_session").value == "GS-2019"
    assert "Giám sát chuyên đề TTHC" in " ".join(m.value for m in at.markdown)
