"""Supervision sessions: named scopes kept in the store, on the command line; periods named as people say them."""
import datetime as dt
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.dossiers.store import Store
from analytics.model.periods import Period, named
from analytics.model.session import SupervisionSession

D = dt.date


def run(tmp_path, *args) -> int:
    """The exit code, whether the command returns it or argparse exits with it."""
    try:
        return main(["--data-dir", str(tmp_path / "d"), *map(str, args)])
    except SystemExit as stop:
        return stop.code


def test_a_session_is_added_listed_shown_replaced_and_removed(tmp_path, capsys):
    assert run(tmp_path, "session", "add", "Lạng Sơn Q1/2019", "--from", "2019-01-01", "--to", "2019-03-31",
               "--compare-from", "2018-01-01", "--compare-to", "2018-12-31", "--unit", "Phòng Tư pháp",
               "--rate", "qd766", "--target", "0.9", "--team", "Đoàn giám sát HĐND tỉnh") == 0
    stored = Store(tmp_path / "d").session("Lạng Sơn Q1/2019")
    assert stored == SupervisionSession("Lạng Sơn Q1/2019", D(2019, 1, 1), D(2019, 3, 31), D(2018, 1, 1),
                                        D(2018, 12, 31), ("Phòng Tư pháp",), "qd766", 0.9, None,
                                        "Đoàn giám sát HĐND tỉnh", report_date=D.today())   # --date: today
    capsys.readouterr()
    assert run(tmp_path, "session", "list") == 0
    assert "Lạng Sơn Q1/2019  Quý I/2019 (01/01/2019 – 31/03/2019)  so với Năm 2018" in capsys.readouterr().out
    assert run(tmp_path, "session", "show", "Lạng Sơn Q1/2019") == 0
    shown = capsys.readouterr().out
    assert "Cơ quan giải quyết: Phòng Tư pháp" in shown and "mục tiêu 90,0%" in shown
    assert run(tmp_path, "session", "add", "Lạng Sơn Q1/2019", "--from", "2019-01-01", "--to", "2019-06-30") == 0
    assert "Đã thay" in capsys.readouterr().out
    assert Store(tmp_path / "d").session("Lạng Sơn Q1/2019").comparison is None
    assert run(tmp_path, "session", "remove", "Lạng Sơn Q1/2019") == 0
    assert Store(tmp_path / "d").sessions() == []


@pytest.mark.parametrize("args, words", [
    (["--from", "2019-05-01", "--to", "2019-03-31"], "phải trước hoặc bằng"),
    (["--from", "2019-01-01", "--to", "2019-03-31", "--compare-from", "2018-01-01"], "--compare-to"),
    (["--from", "2019-01-01", "--to", "2019-03-31", "--target", "95"], "từ 0 đến 1"),
    (["--from", "2019-01-01", "--to", "2019-31-03"], "YYYY-MM-DD"),
])
def test_a_wrong_session_is_refused_with_a_message(tmp_path, capsys, args, words):
    assert run(tmp_path, "session", "add", "x", *args) == 2
    assert words in capsys.readouterr().err
    assert Store(tmp_path / "d").sessions() == []


def test_an_unknown_session_says_how_to_list_them(tmp_path, capsys):
    assert run(tmp_path, "session", "show", "không có") == 2
    assert "session list" in capsys.readouterr().err
    assert run(tmp_path, "export", "--session", "không có", "--format", "xlsx") == 2


def test_a_catalog_that_cannot_be_read_is_refused(tmp_path, capsys):
    bad = tmp_path / "catalog.xlsx"
    bad.write_bytes(b"\x00" * 40)
    assert run(tmp_path, "session", "add", "x", "--from", "2019-01-01", "--to", "2019-03-31", "--catalog", bad) == 1
    assert "danh mục" in capsys.readouterr().err


@pytest.mark.parametrize("start, end, name", [
    (D(2019, 1, 1), D(2019, 3, 31), "Quý I/2019"),
    (D(2018, 1, 1), D(2018, 12, 31), "Năm 2018"),
    (D(2018, 12, 15), D(2019, 3, 14), "Quý I/2019"),   # on the cut-off dates of Nghị định 09/2019
    (D(2019, 3, 1), D(2019, 3, 31), "Tháng 3/2019"),
    (D(2018, 1, 1), D(2019, 3, 31), "Năm 2018 và quý I/2019"),
    (D(2018, 2, 1), D(2019, 3, 31), "Từ 01/02/2018 đến 31/03/2019"),
])
def test_periods_are_named_as_people_say_them(start, end, name):
    assert named(start, end).name == name


def _text_of(path, kind: str) -> str:
    """Every piece of text of an output, read back with its own library."""
    if kind == "docx":
        import docx
        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if kind == "pptx":
        import pptx
        return "\n".join(shape.text_frame.text for slide in pptx.Presentation(str(path)).slides
                         for shape in slide.shapes if shape.has_text_frame)
    import openpyxl
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("kind", ["docx", "pptx", "xlsx"])
def test_export_writes_the_sessions_document_with_the_cores_headline(tmp_path, capsys, kind):
    from analytics.analyses.bieu06 import official_table
    from analytics.dossiers.sources import read_files
    from analytics.outputs import formatting as fmt
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "exports"
    assert run(tmp_path, "session", "add", "Quý I/2019", "--from", "2019-01-01", "--to", "2019-03-31",
               "--compare-from", "2018-01-01", "--compare-to", "2018-12-31") == 0
    out = tmp_path / f"bao-cao.{kind}"
    assert run(tmp_path, "export", "--session", "Quý I/2019", "--format", kind, "--out", out, sample) == 0
    text = _text_of(out, kind)
    rate = official_table(read_files([sample]).dossiers, Period(D(2019, 1, 1), D(2019, 3, 31))).rate.value
    assert fmt.percent(rate) in text                      # 95,7%, the core's figure
    assert "Quý I/2019" in text
    assert "DỮ LIỆU MẪU" in text                          # the sample's files, so the document says so
    assert "Đã ghi" in capsys.readouterr().out
