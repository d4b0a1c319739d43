"""Today's law in the report (issue 18, item 4): the bases a report cites come from one table of texts with their
dates (analytics/model/legal_texts.csv, or an analyst's corrected copy in the data folder); the supervision law in
force on the report's date, the one-stop, forms and statistics texts in force during the period reviewed."""
import datetime as dt
import io

import docx

from analytics.cli import main
from analytics.ingest.legal_texts import CORRECTED, legal_texts_path, read_legal_texts
from analytics.model.legal_bases import cited
from analytics.model.periods import Period
from tests.session_fixtures import ROOT

TEXTS, _ = read_legal_texts()
REPLAY = Period(dt.date(2018, 1, 1), dt.date(2019, 3, 31))


def numbers(day, period) -> list[str]:
    return [t.number for t in cited(TEXTS, day, period)]


def test_the_seed_replay_dated_14_5_2019_cites_the_2015_law_and_decree_61():
    assert numbers(dt.date(2019, 5, 14), REPLAY) == [
        "Luật số 87/2015/QH13", "Nghị định số 61/2018/NĐ-CP", "Thông tư số 01/2018/TT-VPCP",
        "Thông tư số 01/2020/TT-VPCP"]


def test_a_2026_report_on_the_second_half_of_2025_cites_todays_law():
    h2 = Period(dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert numbers(dt.date(2026, 4, 20), h2)[:3] == ["Luật số 121/2025/QH15", "Nghị định số 118/2025/NĐ-CP",
                                                     "Thông tư số 03/2025/TT-VPCP"]
    # dated before 1/3/2026 the 2015 law still governed the supervision
    assert numbers(dt.date(2026, 2, 27), h2)[0] == "Luật số 87/2015/QH13"
    # a period across 1/7/2025 cites both one-stop decrees
    year = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert numbers(dt.date(2026, 4, 20), year)[1:3] == ["Nghị định số 61/2018/NĐ-CP", "Nghị định số 118/2025/NĐ-CP"]


def test_an_analysts_corrected_table_wins_and_a_bad_row_is_said(tmp_path):
    assert legal_texts_path(tmp_path).name == "legal_texts.csv"
    corrected = tmp_path / CORRECTED
    corrected.write_text("loai,so_hieu,ten,hieu_luc_tu,hieu_luc_den\n"
                         "giam_sat,Luật số 121/2025/QH15,Luật Hoạt động giám sát,2026-01-01,\n"
                         "giam_sat,Luật X,Luật,01/01/2026,\n", encoding="utf-8")
    assert legal_texts_path(tmp_path) == corrected
    texts, issues = read_legal_texts(corrected)
    assert [t.in_force_from for t in texts] == [dt.date(2026, 1, 1)]
    assert [i.row for i in issues] == [3] and "Dòng 3" in issues[0].message


def _report_text(tmp_path, *session_args) -> str:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "session", "add", "S", *session_args]) == 0
    out = tmp_path / "bc.docx"
    assert main([*data, "export", "--session", "S", "--format", "docx", "--out", str(out),
                 str(ROOT / "sample_data" / "exports")]) == 0
    document = docx.Document(io.BytesIO(out.read_bytes()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_replays_report_cites_87_2015_and_is_dated(tmp_path):
    text = _report_text(tmp_path, "--from", "2018-01-01", "--to", "2019-03-31", "--date", "2019-05-14",
                        "--parent-body", "HĐND thành phố Lạng Sơn")
    assert "Căn cứ Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân (Luật số 87/2015/QH13);" in text
    assert "Nghị định số 61/2018/NĐ-CP" in text and "121/2025" not in text and "118/2025" not in text
    assert "Lạng Sơn, ngày 14 tháng 5 năm 2019" in text


def test_a_2026_sessions_report_cites_121_2025_and_both_decrees_across_the_change(tmp_path):
    text = _report_text(tmp_path, "--from", "2025-01-01", "--to", "2025-12-31", "--date", "2026-04-20")
    assert "(Luật số 121/2025/QH15);" in text and "87/2015" not in text
    assert "(Nghị định số 61/2018/NĐ-CP, đối với hồ sơ đến ngày 30/06/2025);" in text
    assert "(Nghị định số 118/2025/NĐ-CP, đối với hồ sơ từ ngày 01/07/2025);" in text
