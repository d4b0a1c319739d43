"""Citizens' experience in every output (issue 19): the screen, the report's section, the slide, the session
workbook's sheet and `experience --format xlsx` repeat the core's numbers, read back from each; a national index month
inside the session's period reaches them too. The core's numbers are `analyses.experience` over the same dossiers
(their hand-worked check is tests/test_experience.py)."""
import datetime as dt
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from pptx import Presentation

from analytics.analyses.bieu06 import official_table
from analytics.analyses.experience import carried, experience
from analytics.cli import main
from analytics.dossiers.store import Store
from analytics.model.periods import Period
from analytics.outputs import formatting as fmt
from tests.experience_workbooks import experience_export

PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
REAL_766 = Path(__file__).resolve().parent / "fixtures" / "real" / "dvcqg_766_scores_2025_10.xlsx"


def run(data_dir, capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A store with a Q1/2026 export and a session over it."""
    folder = tmp_path_factory.mktemp("experience")
    export = experience_export(folder / "q1_2026.xlsx", 300)
    data_dir = folder / "data"
    assert main(["--data-dir", str(data_dir), "import", str(export)]) == 0
    assert main(["--data-dir", str(data_dir), "session", "add", "Q1-2026", "--from", "2026-01-01", "--to",
                 "2026-03-31", "--team", "Đoàn giám sát HĐND tỉnh", "--bodies", "UBND thành phố"]) == 0
    store = Store(data_dir)
    dossiers = store.dossiers()[0]
    core = experience(official_table(dossiers, PERIOD).classified, PERIOD, "unit", carried(dossiers))
    return data_dir, core


def test_the_command_gives_the_cores_numbers(stored, capsys):
    data_dir, core = stored
    code, out = run(data_dir, capsys, "experience", "--session", "Q1-2026", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["total"] == pytest.approx(core.total) and doc["by"] == "unit"
    assert [g["name"] for g in doc["groups"]] == [g["name"] for g in core.groups]
    assert doc["total"]["late_with_letter"] + doc["total"]["late_without_letter"] == doc["total"]["late_total"]
    assert doc["total"]["rated"] + doc["total"]["unrated"] == doc["total"]["resolved_total"]


def test_the_report_section_and_the_slide_repeat_the_counts(stored, capsys, tmp_path):
    data_dir, core = stored
    report, deck = tmp_path / "r.docx", tmp_path / "d.pptx"
    assert run(data_dir, capsys, "export", "--session", "Q1-2026", "--format", "docx", "--out", report)[0] == 0
    assert run(data_dir, capsys, "export", "--session", "Q1-2026", "--format", "pptx", "--out", deck)[0] == 0
    document = docx.Document(str(report))
    texts = [p.text for p in document.paragraphs]
    assert "8. Trải nghiệm của người dân, tổ chức" in texts
    [summary] = [t for t in document.tables if t.rows[0].cells[0].text == "Chỉ tiêu"]
    shown = {row.cells[0].text: row.cells[1].text for row in summary.rows[1:]}
    t = core.total
    for label, key in (("Trễ hạn có văn bản xin lỗi", "late_with_letter"), ("Trực tuyến toàn trình", "online_full"),
                       ("Không hài lòng", "dissatisfied"), ("Hẹn lại hơn một lần", "rescheduled_more_than_once"),
                       ("Trễ cả ngày hẹn mới", "new_date_missed")):
        assert shown[label] == fmt.number(t[key])
    assert any(p.lstrip("- ").startswith(f"{fmt.number(t['late_without_letter'])} hồ sơ trễ hạn không có văn bản "
                                         "xin lỗi") for p in texts)
    slides = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
              for s in Presentation(str(deck)).slides]
    slide = " ".join(s for s in slides if "Trải nghiệm của người dân" in s)   # it may go on to a second slide
    assert (f"{fmt.number(t['late_with_letter'])}/{fmt.number(t['late_total'])} hồ sơ trễ hạn có văn bản "
            "xin lỗi") in slide
    assert f"{fmt.number(t['rescheduled_more_than_once'])} hồ sơ trễ hạn bị hẹn lại hơn một lần" in slide
    assert (f"{fmt.number(t['late_without_letter'])}/{fmt.number(t['late_total'])} hồ sơ trễ hạn không có văn bản "
            "xin lỗi") in slide


def test_the_session_workbook_and_the_commands_workbook_carry_the_tables(stored, capsys, tmp_path):
    data_dir, core = stored
    book_path, own = tmp_path / "s.xlsx", tmp_path / "e.xlsx"
    assert run(data_dir, capsys, "export", "--session", "Q1-2026", "--format", "xlsx", "--out", book_path)[0] == 0
    assert run(data_dir, capsys, "experience", "--session", "Q1-2026", "--format", "xlsx", "--out", own)[0] == 0
    for path, sheet in ((book_path, "Trải nghiệm người dân"), (own, "Trải nghiệm người dân")):
        rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
        headers = [r for r in rows if r[0] == "Đơn vị"]
        totals = [r for r in rows if r[0] == "Tổng cộng"]
        assert len(headers) == len(totals) == 4
        letters = dict(zip(headers[1], totals[1]))
        assert letters["Trễ hạn có văn bản xin lỗi"] == core.total["late_with_letter"]
        assert letters["Xin lỗi sau ngày hẹn trả ban đầu"] == core.total["letter_after_original_due"]
        ratings = dict(zip(headers[2], totals[2]))
        assert ratings["Rất hài lòng"] == core.total["very_satisfied"]
        assert ratings["Chưa đánh giá / đã giải quyết"] == pytest.approx(core.total["unrated_share"])
    checklist = list(openpyxl.load_workbook(own)["Hồ sơ cần xem"].iter_rows(values_only=True))
    ids = [r[0] for r in checklist if r[0] and str(r[0]).startswith("HS-")]
    listed = sum(core.total[k] for k in ("late_without_letter", "letter_after_original_due",
                                         "rescheduled_more_than_once", "new_date_missed", "dissatisfied"))
    assert len(ids) == listed


def test_the_screen_shows_the_cores_numbers_and_the_dossiers_behind_them(stored, monkeypatch):
    import streamlit as st

    from tests.apps import page_app
    data_dir, core = stored
    monkeypatch.setenv("ONESTOP_DATA_DIR", str(data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = page_app("pages/trai-nghiem.py", {"sel_kind": "quarter", "sel_year": 2026, "sel_number": 1}).run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    t = core.total
    assert shown["Trễ hạn có văn bản xin lỗi"] == f"{fmt.number(t['late_with_letter'])}/{fmt.number(t['late_total'])}"
    assert shown["Trực tuyến toàn trình"] == f"{fmt.number(t['online_full'])}/{fmt.number(t['received_online'])}"
    letters = [d.value for d in at.dataframe if "Trễ hạn có văn bản xin lỗi" in d.value.columns]
    assert letters and letters[0]["Trễ hạn có văn bản xin lỗi"].tolist() == [
        *(g["late_with_letter"] for g in core.groups), t["late_with_letter"]]   # the units, then "Tổng cộng"
    behind = [d.value for d in at.dataframe if "Ngày văn bản xin lỗi" in d.value.columns]
    assert sorted(len(b) for b in behind) == sorted(
        t[k] for k in ("late_without_letter", "letter_after_original_due", "rescheduled_more_than_once",
                       "new_date_missed", "dissatisfied") if t[k])
    assert any(f"{fmt.number(t['late_without_letter'])} hồ sơ trễ hạn không có văn bản xin lỗi" in m.value
               for m in at.markdown)


def test_an_index_month_inside_the_period_reaches_the_report(tmp_path, capsys):
    """October 2025 dossiers of "Sở Tư pháp" beside the real file's "Sở Tư pháp - tỉnh An Giang"."""
    export = experience_export(tmp_path / "t10.xlsx", 200, seed=7, start=dt.date(2025, 10, 1), days=30)
    data_dir = tmp_path / "data"
    assert run(data_dir, capsys, "import", export)[0] == 0
    assert run(data_dir, capsys, "index", "import", REAL_766)[0] == 0
    assert run(data_dir, capsys, "session", "add", "T10", "--from", "2025-10-01", "--to", "2025-10-31")[0] == 0
    code, out = run(data_dir, capsys, "experience", "--session", "T10", "--format", "json")
    index = json.loads(out)["national_index"]
    [body] = index["bodies"]
    assert (body["name"], body["unit"], body["official"]["progress"]) == ("Sở Tư pháp - tỉnh An Giang", "Sở Tư pháp",
                                                                          14.1)
    report = tmp_path / "t10.docx"
    assert run(data_dir, capsys, "export", "--session", "T10", "--format", "docx", "--out", report)[0] == 0
    document = docx.Document(str(report))
    assert "Sở Tư pháp - tỉnh An Giang (số liệu hồ sơ: Sở Tư pháp)" in [p.text for p in document.paragraphs]
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Nhóm"]
    progress = [r for r in table.rows if r.cells[0].text == "Tiến độ giải quyết"][0]
    assert progress.cells[1].text == "14,10/20"
    assert progress.cells[2].text.startswith(fmt.decimal(body["estimates"]["progress"]["points"], 2) + "/20")


def test_the_screen_sets_the_official_score_beside_the_estimate(tmp_path, capsys, monkeypatch):
    import streamlit as st

    from tests.apps import page_app
    export = experience_export(tmp_path / "t10.xlsx", 200, seed=7, start=dt.date(2025, 10, 1), days=30)
    data_dir = tmp_path / "data"
    assert run(data_dir, capsys, "import", export)[0] == 0
    assert run(data_dir, capsys, "index", "import", REAL_766)[0] == 0
    monkeypatch.setenv("ONESTOP_DATA_DIR", str(data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = page_app("pages/trai-nghiem.py", {"sel_kind": "month", "sel_year": 2025, "sel_number": 10}).run()
    assert not at.exception, at.exception
    [scores] = [d.value for d in at.dataframe if "Điểm chính thức" in d.value.columns]
    progress = scores[scores["Nhóm"] == "Tiến độ giải quyết"].iloc[0]
    assert (progress["Cơ quan (Bộ chỉ số)"], progress["Điểm chính thức"]) == ("Sở Tư pháp - tỉnh An Giang", "14,10/20")
    code, out = run(data_dir, capsys, "experience", "--from", "2025-10-01", "--to", "2025-10-31", "--format", "json")
    estimate = json.loads(out)["national_index"]["bodies"][0]["estimates"]["progress"]
    assert progress["Ước tính từ hồ sơ"].startswith(f"{fmt.decimal(estimate['points'], 2)}/20 "
                                                     f"({fmt.number(estimate['base'])} hồ sơ; khoảng tin cậy 95%")
    assert any("chính thức 14,10/20" in w.value for w in at.warning) == (progress["Cần làm rõ"] == "Có")
