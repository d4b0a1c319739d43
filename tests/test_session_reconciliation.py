"""A session with the table the executive filed: the reconciliation reaches the slides, the written report and the
command line's export (issue 10 item 4)."""
import io

import docx
import pandas as pd
import pptx

from analytics.analyses.bieu06 import official_table
from analytics.analyses.session_figures import session_figures
from analytics.cli import main
from analytics.dossiers.sources import read_files
from analytics.model.reported import ReportedTable
from analytics.outputs.report_docx import report_docx
from analytics.outputs.slides import RECONCILIATION, deck
from analytics.outputs.slides_pptx import slides_pptx
from tests.session_fixtures import ROOT, SAMPLE_SESSION, sample_session

KEYS = ["received_total", "resolved_total", "resolved_late", "pending_overdue"]


def reported_as_the_dossiers_say_but_one(extra_late: int = 3) -> ReportedTable:
    """Q1/2019 by unit as the sample's dossiers give it, but the first unit reports `extra_late` more late."""
    groups = official_table(read_files([ROOT / "sample_data" / "exports"]).dossiers, SAMPLE_SESSION.period,
                            "unit").groups
    rows = pd.DataFrame({"name": groups["name"], "row": range(5, 5 + len(groups)), "is_total": False,
                         **{k: groups[k].astype(float) for k in KEYS}})
    rows.loc[0, "resolved_late"] += extra_late
    return ReportedTable("bao-cao-cua-ubnd.xlsx", "b" * 64, "Sheet1", 4, rows, {k: k for k in KEYS})


def figures_with_reported():
    loaded = read_files([ROOT / "sample_data" / "exports"])
    return session_figures(loaded.dossiers, SAMPLE_SESSION, loaded.missing_fields(), None,
                           reported_as_the_dossiers_say_but_one())


def test_the_deck_carries_a_reconciliation_slide_counted_by_hand():
    figures = figures_with_reported()
    units = len(figures.by_unit)
    slide = next(s for s in deck(figures, sample_session()[1]) if s.key == RECONCILIATION)
    # Four figures per unit reported, one of them 3 more than the dossiers say; no total row, so no sum to break.
    assert figures.reconciliation.compared == 4 * units
    assert slide.headline == ("1 số liệu biểu cơ quan báo cáo khác số tính lại từ hồ sơ; 0 phép cộng của chính biểu "
                              "không khớp.")
    assert slide.lines[0].endswith("chênh +3")   # the cause the data do not show is said once, last
    assert slide.lines[-1] == "Chênh lệch chưa có nguyên nhân trong dữ liệu: cần hỏi đơn vị báo cáo."
    assert all(s.key != RECONCILIATION for s in deck(sample_session()[0], sample_session()[1]))


def test_the_report_and_the_slides_show_the_reconciliation():
    figures = figures_with_reported()
    provenance = sample_session()[1]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report_docx(figures, provenance))).paragraphs)
    assert "7. Đối chiếu số liệu cơ quan báo cáo" in text and "chênh +3\n" in text
    assert "1 chênh lệch trên chưa có nguyên nhân trong dữ liệu: cần hỏi đơn vị báo cáo." in text
    deck_text = "\n".join(shape.text_frame.text for slide in pptx.Presentation(io.BytesIO(
        slides_pptx(figures, provenance))).slides for shape in slide.shapes if shape.has_text_frame)
    assert "1 số liệu biểu cơ quan báo cáo khác số tính lại từ hồ sơ" in deck_text


def test_a_session_added_with_its_reported_table_exports_the_reconciliation(tmp_path, capsys):
    reported = tmp_path / "bao-cao.xlsx"
    quang_ninh = ROOT / "tests" / "fixtures" / "real" / "quangninh_tthc_ketqua_theo_donvi.xlsx"
    reported.write_bytes(quang_ninh.read_bytes())
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "session", "add", "Q1", "--from", "2019-01-01", "--to", "2019-03-31", "--reported",
                 str(reported)]) == 0
    out = tmp_path / "bao-cao.docx"
    assert main([*data, "export", "--session", "Q1", "--format", "docx", "--out", str(out),
                 str(ROOT / "sample_data" / "exports")]) == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Đối chiếu số liệu cơ quan báo cáo" in text
    assert "chưa khớp với đơn vị nào" in text    # Quảng Ninh's bodies are not Lạng Sơn's units
    bad = tmp_path / "rong.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main([*data, "session", "add", "Q2", "--from", "2019-04-01", "--to", "2019-06-30", "--reported",
                 str(bad)]) == 1
    assert "Không dùng được" in capsys.readouterr().err
