"""The session workbook (issue 9, item 7), read back with openpyxl: every figure equals SessionFigures', every sheet
says which session and whether the data are the sample, no cell runs as a formula, no applicant's data, and
LibreOffice opens it."""
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analytics.analyses.session_figures import session_figures
from analytics.model.session import Provenance, SourceFile, SupervisionSession
from analytics.outputs.labels import FORM_NAME, LATE_TABLE_LABELS, REASON_LABELS, TOTAL_ROW
from analytics.outputs.slides import SAMPLE_WARNING, provenance_lines
from analytics.outputs.workbook_xlsx import NO_COMPARISON, REAL_DATA, SHEETS, workbook_xlsx
from tests.session_fixtures import ROOT, office_pdf_text, sample_session

COUNT_KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
              "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
              "pending_overdue", "withdrawn"]
LATE_KEYS = [k for k in LATE_TABLE_LABELS if k != "name"]
EVIL = '=HYPERLINK("http://x","y")'
PERSONAL_HEADERS = {"Người nộp", "Chủ hồ sơ", "Số điện thoại", "Địa chỉ", "Số CCCD/CMND"}


@pytest.fixture(scope="module")
def sample():
    figures, provenance = sample_session()
    data = workbook_xlsx(figures, provenance)
    return figures, provenance, data, openpyxl.load_workbook(io.BytesIO(data))


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def row_after(rows: list[list], first_cell) -> int:
    """The index of the row after the one whose first cell is `first_cell`."""
    return next(i for i, row in enumerate(rows) if row[0] == first_cell) + 1


def all_cells(book) -> list:
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_sheets_in_order(sample):
    assert sample[3].sheetnames == ["Biểu 06", "Trễ hạn", "So sánh", "Đơn vị (phễu)", "Chất lượng dữ liệu"]
    assert tuple(sample[3].sheetnames) == SHEETS


def test_every_sheet_names_the_session_period_scope_and_says_sample(sample):
    figures, provenance, _, book = sample
    for sheet in book.worksheets:
        assert figures.session.name in sheet["A1"].value, sheet.title
        assert figures.period.label in sheet["A2"].value and figures.session.comparison.label in sheet["A2"].value
        assert provenance.scope in sheet["A3"].value
        warning = sheet["A4"]
        assert warning.value == SAMPLE_WARNING and warning.font.b and warning.font.color.rgb.endswith("C00000")
        assert REAL_DATA not in [c.value for row in sheet.iter_rows() for c in row]


def test_every_sheet_is_landscape_one_page_wide_with_frozen_headers(sample):
    for sheet in sample[3].worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)  # 1 by default
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.freeze_panes is not None, sheet.title


def test_bieu06_sheet_every_number_is_the_core_figure(sample):
    figures, _, _, book = sample
    sheet = book["Biểu 06"]
    rows = values(sheet)
    assert rows[5][0] == FORM_NAME and "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT" in rows[6][0]
    assert rows[10][2] == "Số hồ sơ nhận giải quyết" and rows[10][6] == "Số hồ sơ đã giải quyết"
    assert rows[10][10] == "Số hồ sơ đang giải quyết"
    first = row_after(rows, "(1)")
    assert rows[first - 1] == ["(1)", "(2)", *(f"({n})" for n in range(3, 15))]
    official = figures.official.to_dict("records")
    for record, row in zip(official, rows[first:]):
        assert row[1] == record["label"]
        assert row[2:14] == [record[k] for k in COUNT_KEYS], record["label"]
        bold = sheet.cell(first + 1 + official.index(record), 2).font.b
        assert bool(bold) == (record["depth"] < 2)
    total = rows[first + len(official)]
    assert total[1] == TOTAL_ROW and total[2:14] == [figures.total[k] for k in COUNT_KEYS]
    assert sheet.cell(first + 1, 3).number_format == "#,##0"
    assert sheet.freeze_panes == f"C{first + 1}"
    notes = [row[0] for row in rows[first + len(official) + 1:] if row[0]]
    assert any("95,7% đúng hạn (270/282" in n for n in notes)  # the rate note, Vietnamese words
    assert any(REASON_LABELS["not_received_status"] in n for n in notes)


def test_late_sheet_rows_and_totals_equal_the_core(sample):
    figures, _, _, book = sample
    sheet = book["Trễ hạn"]
    rows = values(sheet)
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert rows[header][2:8] == [LATE_TABLE_LABELS[k] for k in LATE_KEYS]
    at = header + 1
    for table in (figures.late_by_unit, figures.late_by_field):
        assert rows[at][0].startswith("Theo ")
        at += 1
        for n, record in enumerate(table.to_dict("records"), start=1):
            assert rows[at][:2] == [n, record["name"]] and rows[at][2:8] == [record[k] for k in LATE_KEYS]
            at += 1
        assert rows[at][1] == TOTAL_ROW and rows[at][2:8] == [int(table[k].sum()) for k in LATE_KEYS]
        assert rows[at][2:4] == [figures.total["resolved_late"], figures.total["pending_overdue"]]
        at += 1


def test_comparison_sheet_rates_equal_the_core(sample):
    figures, _, _, book = sample
    rows = values(book["So sánh"])
    first = next(i for i, row in enumerate(rows) if row[0] == "Toàn bộ")
    comparison = figures.comparison
    changes = [("Toàn bộ", comparison.total)] + [(g["name"], g) for g in comparison.groups]
    assert len([r for r in rows[first:] if r[1] is not None]) == len(changes)
    for (name, change), row in zip(changes, rows[first:]):
        assert row[0] == name
        for col, side in ((1, change["rate_a"]), (4, change["rate_b"])):
            expected = side["value"]
            assert row[col] == "—" if expected is None else row[col] == pytest.approx(expected, rel=1e-12)
            assert row[col + 1:col + 3] == [side["numerator"], side["denominator"]]
        interval = change["rate_change_ci95"] or [None, None]
        for got, want in zip(row[7:11], [change["rate_change_pp"], *interval, change["p_value"]]):
            assert got == "—" if want is None else got == pytest.approx(want, rel=1e-12), name
        assert (row[11] or "") == change["note"]
    sheet = book["So sánh"]
    assert sheet.cell(first + 1, 2).number_format == "0.0%" and sheet.cell(first + 1, 8).number_format.startswith("+0.0")


def test_funnel_sheet_rates_and_limits_equal_the_core(sample):
    figures, _, _, book = sample
    sheet = book["Đơn vị (phễu)"]
    rows = values(sheet)
    overall = next(row for row in rows if row[1] and str(row[1]).startswith("Tỷ lệ chung"))
    assert overall[4] == pytest.approx(figures.overall_rate, rel=1e-12)
    first = next(i for i, row in enumerate(rows) if row[0] == 1)
    for n, (unit, row) in enumerate(zip(figures.units_funnel.to_dict("records"), rows[first:]), start=1):
        assert row[:4] == [n, unit["name"], unit["numerator"], unit["denominator"]]
        for got, key in zip(row[4:9], ["rate", "lower_95", "upper_95", "lower_998", "upper_998"]):
            assert got == pytest.approx(unit[key], rel=1e-12), (unit["name"], key)
        assert row[9] == unit["flag_label"]
    assert sheet.cell(first + 1, 5).number_format == "0.0%"


def test_quality_sheet_has_left_out_dossiers_provenance_and_real_dates(sample):
    figures, provenance, _, book = sample
    sheet = book["Chất lượng dữ liệu"]
    rows = values(sheet)
    column_a = [row[0] for row in rows]
    for reason, count in figures.left_out.items():
        assert rows[column_a.index(REASON_LABELS[reason])][1] == count
    for line in provenance_lines(provenance, figures):
        assert line in column_a
    for source in provenance.files:
        assert rows[column_a.index(source.name)][2:4] == [source.rows, source.sha256]
    start = sheet.cell(column_a.index("Kỳ giám sát – từ ngày") + 1, 2)
    assert start.value == dt.datetime(2019, 1, 1) and start.number_format == "dd/mm/yyyy"
    assert rows[column_a.index("Mục tiêu tỷ lệ đúng hạn")][1] == figures.session.target


def test_no_cell_is_a_formula_or_a_link(sample):
    cells = all_cells(sample[3])
    assert cells and all(c.data_type != "f" for c in cells) and all(c.hyperlink is None for c in cells)


def _personal_values() -> set[str]:
    """The sample exports' applicant names, phones and addresses."""
    found = set()
    for path in sorted((ROOT / "sample_data" / "exports").glob("*.xlsx")):
        rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if PERSONAL_HEADERS & {str(v) for v in row})
        columns = [j for j, v in enumerate(rows[header]) if v in PERSONAL_HEADERS]
        found |= {str(row[j]) for row in rows[header + 1:] for j in columns
                  if row[j] is not None and not str(row[j]).startswith("(")}
    return found


def test_no_applicant_personal_data(sample):
    personal = _personal_values()
    assert len(personal) > 1000  # names and phones were found to look for
    cells = [str(c.value) for c in all_cells(sample[3])]
    with zipfile.ZipFile(io.BytesIO(sample[2])) as archive:  # and nowhere in the file's XML either
        xml = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    leaked = [v for v in personal if v in xml or any(v in cell for cell in cells)]
    assert not leaked


def _small_session(dossiers, comparison: bool):
    rows = [{"received": "2019-01-03", "due": "2019-01-10", "completed": "2019-01-15", "unit": EVIL,
             "field": "+SUM(1,2)", "level": "Cấp xã"},
            {"received": "2019-02-04", "due": "2019-02-10", "completed": "2019-02-05", "unit": EVIL,
             "field": "-1", "level": "Cấp xã"},
            {"received": "2019-02-04", "due": "2019-02-10", "unit": "http://evil.example", "field": "@x",
             "level": "Cấp xã"},
            {"received": "2018-05-04", "due": "2018-05-10", "completed": "2018-05-05", "unit": EVIL,
             "field": "-1", "level": "Cấp xã"}]
    session = SupervisionSession("@đợt thử", dt.date(2019, 1, 1), dt.date(2019, 3, 31),
                                 *((dt.date(2018, 1, 1), dt.date(2018, 12, 31)) if comparison else ()),
                                 bodies="=1+1")
    figures = session_figures(dossiers(rows), session)
    provenance = Provenance((SourceFile("=cmd.xlsx", "ab" * 32, dt.datetime(2019, 4, 2, 9, 30), 4),), False,
                            dt.datetime(2019, 4, 3, 10, 0), "test", scope="\tbộ lọc thử")
    return figures, provenance, openpyxl.load_workbook(io.BytesIO(workbook_xlsx(figures, provenance)))


def test_formula_like_names_from_the_data_stay_text(dossiers):
    _, _, book = _small_session(dossiers, comparison=True)
    cells = all_cells(book)
    assert all(c.data_type != "f" for c in cells) and all(c.hyperlink is None for c in cells)
    for title in ("Trễ hạn", "So sánh", "Đơn vị (phễu)"):
        assert any(c.value == EVIL and c.data_type == "s" for row in book[title].iter_rows() for c in row), title
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {"1. " + EVIL, "- +SUM(1,2)", "=cmd.xlsx", "@đợt thử", "http://evil.example"} <= texts
    # Real data: no sample warning anywhere; the real-data line on every sheet.
    assert SAMPLE_WARNING not in texts
    assert all(sheet["A4"].value == REAL_DATA for sheet in book.worksheets)
    imported = book["Chất lượng dữ liệu"]
    when = next(c for row in imported.iter_rows() for c in row if c.value == dt.datetime(2019, 4, 2, 9, 30))
    assert when.number_format == "dd/mm/yyyy hh:mm"


def test_a_session_without_a_comparison_period_says_so(dossiers):
    figures, _, book = _small_session(dossiers, comparison=False)
    assert figures.comparison is None
    column_a = [row[0] for row in values(book["So sánh"])]
    assert NO_COMPARISON in column_a
    assert book.sheetnames == list(SHEETS)


def test_libreoffice_opens_the_workbook(sample, tmp_path):
    figures, _, data, _ = sample
    path = tmp_path / "dot-giam-sat.xlsx"
    path.write_bytes(data)
    text = office_pdf_text(path, tmp_path)
    assert FORM_NAME in text and SAMPLE_WARNING in text and figures.session.name in text
    assert "Tổng cộng" in text and "Hồ sơ không tính vào Biểu 06" in text


def test_the_same_session_gives_the_same_file_without_local_paths(sample):
    figures, provenance, data, _ = sample
    assert workbook_xlsx(figures, provenance) == data  # dated by the provenance, not by the clock
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert Path(figures.session.catalog).name in xml and str(ROOT) not in xml  # the catalog by name only
