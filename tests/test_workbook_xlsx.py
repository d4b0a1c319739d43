"""The session workbook, read back with openpyxl: every figure equals SessionFigures', every sheet says which session
and whether the data are the sample; Biểu 06 prints on one page with its numbers in column (1) and its signature
block; the comparison is worded by the judging rules and never tells the reader to run a command; the procedures
without dossiers listed whole; where the figures come from, fingerprints included; no cell runs as a formula, no
applicant's data; LibreOffice opens it and prints Biểu 06 on exactly one page."""
import dataclasses
import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analytics.analyses import judgements
from analytics.analyses.session_figures import session_figures
from analytics.model.session import Provenance, SourceFile, SupervisionSession
from analytics.outputs import bieu06_xlsx as form
from analytics.outputs import judged
from analytics.outputs.labels import COLUMN_LABELS, FLAG_LABELS, FORM_NAME, LATE_TABLE_LABELS, REASON_LABELS, TOTAL_ROW
from analytics.outputs.slides import SAMPLE_WARNING, comparison_note, provenance_details, provenance_lines
from analytics.outputs.workbook_xlsx import (
    ALL_USED,
    NO_CATALOG,
    NO_COMPARISON,
    REAL_DATA,
    SHEETS,
    workbook_xlsx,
)
from tests.session_fixtures import ROOT, SAMPLE_SESSION, office_pdf_text, sample_session, seed_session, session_of

COUNT_KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
              "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
              "pending_overdue", "withdrawn"]
LATE_KEYS = [k for k in LATE_TABLE_LABELS if k != "name"]
EVIL = '=HYPERLINK("http://x","y")'
PERSONAL_HEADERS = {"Người nộp", "Chủ hồ sơ", "Số điện thoại", "Địa chỉ", "Số CCCD/CMND"}


def load(figures, provenance):
    data = workbook_xlsx(figures, provenance)
    return figures, provenance, data, openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def sample():
    return load(*sample_session())


@pytest.fixture(scope="module")
def seed():
    return load(*seed_session())


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column_a(sheet) -> list:
    return [row[0] for row in values(sheet)]


def cell_row(sheet, value) -> int:
    """The 1-based row of the first cell holding `value`."""
    return next(c.row for row in sheet.iter_rows() for c in row if c.value == value)


def all_cells(book) -> list:
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def all_text(book) -> str:
    return "\n".join(str(c.value) for c in all_cells(book))


# --- Every sheet ----------------------------------------------------------------------------------------------------

def test_the_sheets_in_order(sample):
    assert sample[3].sheetnames == ["Biểu 06", "Trễ hạn", "Trải nghiệm người dân", "So sánh", "Đơn vị (phễu)",
                                    "TTHC không phát sinh hồ sơ",
                                    "Chất lượng dữ liệu", "Nguồn số liệu"]
    assert tuple(sample[3].sheetnames) == SHEETS


def test_every_sheet_names_the_session_by_its_title_period_scope_and_says_sample(sample, seed):
    for figures, provenance, _, book in (sample, seed):
        for sheet in book.worksheets:
            assert sheet["A1"].value == figures.session.heading, sheet.title
            assert sheet["A1"].alignment.wrap_text
            assert figures.period.dates in sheet["A2"].value
            assert provenance.scope in sheet["A3"].value
            warning = sheet["A4"]
            assert warning.value == SAMPLE_WARNING and warning.font.b and warning.font.color.rgb.endswith("C00000")
    assert sample[3]["Trễ hạn"]["A2"].value == ("Kỳ giám sát: Quý I/2019 (01/01/2019 – 31/03/2019); kỳ so sánh: Năm "
                                                "2018 (01/01/2018 – 31/12/2018)")
    assert seed[3]["Trễ hạn"]["A2"].value == "Kỳ giám sát: Năm 2018 và quý I/2019 (01/01/2018 – 31/03/2019)"


def test_the_other_sheets_print_landscape_one_page_wide_with_page_numbers(sample):
    for sheet in sample[3].worksheets[1:]:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (sheet.page_setup.fitToWidth or 1) == 1
        assert sheet.page_setup.fitToHeight == 0 and "&P" in sheet.oddFooter.center.text
        assert sheet.freeze_panes is not None, sheet.title


def test_no_sheet_tells_the_reader_to_run_a_command(sample, seed):
    for *_, book in (sample, seed):
        text = all_text(book)
        assert "--" not in text.replace("– ", "") and "python" not in text and "compare-from" not in text


# --- Biểu 06 ----------------------------------------------------------------------------------------------------

def test_bieu06_numbers_in_column_1_names_in_column_2_every_count_the_cores(seed):
    figures, _, _, book = seed
    sheet = book["Biểu 06"]
    rows = values(sheet)
    assert rows[5][0] == FORM_NAME and "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT" in rows[6][0]
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert rows[header][2] == "Số hồ sơ nhận giải quyết" and rows[header][6] == "Số hồ sơ đã giải quyết"
    first = header + 3
    assert rows[first - 1] == ["(1)", "(2)", *(f"({n})" for n in range(3, 15))]
    official = figures.official.to_dict("records")
    for n, (record, row) in enumerate(zip(official, rows[first:])):
        assert row[0] == record["label"].split(" ")[0].rstrip(".") and row[1] == record["name"]
        assert row[2:14] == [record[k] for k in COUNT_KEYS], record["label"]
        assert bool(sheet.cell(first + 1 + n, 2).font.b) == (record["depth"] < 2)
    assert [r[0] for r in rows[first:first + 3]] == ["I", "1", "-"]
    total = rows[first + len(official)]
    assert total[1] == TOTAL_ROW and total[2:14] == [figures.total[k] for k in COUNT_KEYS]
    assert (total[2], total[6], total[12]) == (1431, 1365, 7)  # the seed's (3), (7), (13)
    assert sheet.cell(first + 1, 3).number_format == "#,##0"
    assert sheet.freeze_panes == f"C{first + 1}"
    notes = [row[0] for row in rows[first + len(official) + 1:] if row[0]]
    assert any("96,6% đúng hạn (1.319/1.365" in n for n in notes)  # the rate note, Vietnamese words
    assert any(REASON_LABELS["not_received_status"] in n for n in notes)


def test_bieu06_prints_on_one_page_from_the_sample_warning_to_the_signature(seed):
    sheet = seed[3]["Biểu 06"]
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth or 1) == 1 and (sheet.page_setup.fitToHeight or 1) == 1
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    area = sheet.print_area.split("!")[-1].replace("$", "")
    head = cell_row(sheet, form.HEAD)
    assert area == f"A4:N{head + 3}" and sheet.max_row == head + 3  # the warning row down to the name lines
    for text in (form.PLACE_DATE, form.COMPILER, form.COMPILER_SIGNS, form.HEAD_SIGNS):
        assert 4 <= cell_row(sheet, text) <= head + 3
    assert cell_row(sheet, form.COMPILER) > cell_row(sheet, TOTAL_ROW)
    assert not sheet.oddFooter.center.text  # one page: no page number


def test_real_data_print_the_form_alone(seed):
    figures, provenance, *_ = seed
    book = load(figures, dataclasses.replace(provenance, is_sample=False))[3]
    sheet = book["Biểu 06"]
    assert sheet["A4"].value == REAL_DATA
    assert sheet.print_area.split("!")[-1].replace("$", "").startswith("A6:")  # the form's name, its first row


# --- Late dossiers, funnel --------------------------------------------------------------------------------------

def test_late_sheet_rows_and_totals_equal_the_core(sample):
    figures, _, _, book = sample
    rows = values(book["Trễ hạn"])
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
        assert row[9] == FLAG_LABELS[unit["flag"]]
    assert sheet.cell(first + 1, 5).number_format == "0.0%"


# --- The comparison ---------------------------------------------------------------------------------------------

def test_comparison_sheet_rates_equal_the_core_and_are_judged_in_words(sample):
    figures, _, _, book = sample
    sheet = book["So sánh"]
    rows = values(sheet)
    first = next(i for i, row in enumerate(rows) if row[0] == "Toàn bộ")
    comparison = figures.comparison
    changes = [("Toàn bộ", comparison.total)] + [(g["name"], g) for g in comparison.groups]
    for (name, change), row in zip(changes, rows[first:]):
        assert row[0] == name
        for col, side in ((1, change["rate_a"]), (4, change["rate_b"])):
            expected = side["value"]
            assert row[col] == "—" if expected is None else row[col] == pytest.approx(expected, rel=1e-12)
            assert row[col + 1:col + 3] == [side["numerator"], side["denominator"]]
        interval = change["rate_change_ci95"] or [None, None]
        for got, want in zip(row[7:11], [change["rate_change_pp"], *interval, change["p_value"]]):
            assert got == "—" if want is None else got == pytest.approx(want, rel=1e-12), name
        assert row[11] == judged.change_words(judgements.rate_change(change))
    # The whole: −1,1 points, its interval holds zero: no rise or fall is said.
    assert rows[first][11] == judged.NO_SIGNIFICANT_CHANGE
    whole = f"Toàn bộ: tỷ lệ đúng hạn {judged.change_with_evidence(figures.rate_change)}."
    assert whole in column_a(sheet)
    assert whole.startswith("Toàn bộ: tỷ lệ đúng hạn không thay đổi có ý nghĩa thống kê (−1,1 điểm %; khoảng tin ")
    words = " ".join(str(r[11]) for r in rows[first:first + len(changes)])
    assert "tăng" not in words and "giảm" not in words
    assert sheet.cell(first + 1, 2).number_format == "0.0%"
    assert sheet.cell(first + 1, 8).number_format.startswith("+0.0")


def test_counts_are_not_set_side_by_side_for_periods_of_different_length(sample):
    figures, _, _, book = sample
    assert not figures.counts_comparable
    text = "\n".join(str(v) for v in column_a(book["So sánh"]) if v)
    assert "Số hồ sơ không đặt cạnh nhau: năm 2018 và quý I/2019 dài khác nhau, nên chỉ so sánh tỷ lệ." in text
    assert COLUMN_LABELS["received_total"] not in text


def test_counts_of_two_quarters_are_set_side_by_side():
    session = SupervisionSession("q1-q4", dt.date(2019, 1, 1), dt.date(2019, 3, 31), dt.date(2018, 10, 1),
                                 dt.date(2018, 12, 31), catalog=SAMPLE_SESSION.catalog,
                                 bodies="UBND thành phố Lạng Sơn")
    figures, provenance = session_of(session)
    assert figures.counts_comparable and figures.comparison is not None
    rows = values(load(figures, provenance)[3]["So sánh"])
    at = next(i for i, row in enumerate(rows) if row[0] == "Số hồ sơ") + 1
    for key, row in zip(["received_total", "resolved_total", "resolved_late", "pending_overdue"], rows[at:]):
        assert row[:4] == [COLUMN_LABELS[key], figures.comparison.a.total[key], figures.comparison.b.total[key],
                           figures.comparison.b.total[key] - figures.comparison.a.total[key]]


def test_a_session_without_a_comparison_says_so_in_words(seed):
    figures, _, _, book = seed
    assert figures.comparison_asked is None
    assert NO_COMPARISON in column_a(book["So sánh"])


def test_a_comparison_the_data_do_not_cover_is_said_plainly(dossiers):
    figures, _, book = _small_session(dossiers, comparison=True)
    assert figures.comparison is None and figures.comparison_asked is not None
    note = comparison_note(figures)
    assert note and note in column_a(book["So sánh"])


# --- Procedures without dossiers, quality, provenance -----------------------------------------------------------

def test_every_published_procedure_without_dossiers_is_listed(seed):
    figures, _, _, book = seed
    unused = figures.audit["unused_procedures"]
    sheet = book["TTHC không phát sinh hồ sơ"]
    rows = values(sheet)
    summary = rows[6][0]
    assert f"{unused['count']} thủ tục chưa có hồ sơ nào" in summary and "Cấp huyện: 251" in summary
    head = next(i for i, row in enumerate(rows) if row[0] == "STT")
    fields = any(item.get("field") for item in unused["items"])  # the catalog's field, when the audit gives it
    keys = ["procedure_code", "procedure_name", *(["field"] if fields else []), "level"]
    assert [v for v in rows[head] if v] == ["STT", "Mã thủ tục", "Tên thủ tục hành chính",
                                           *(["Lĩnh vực"] if fields else []), "Cấp thực hiện"]
    listed = [row for row in rows[head + 1:] if row[0] is not None]
    assert len(listed) == unused["count"] == 370
    for n, (item, row) in enumerate(zip(unused["items"], listed), start=1):
        assert row[:len(keys) + 1] == [n, *(str(item.get(k) or "") for k in keys)]
    assert sheet.print_title_rows == f"${head + 1}:${head + 1}"


def test_without_a_catalog_the_sheet_says_why_it_is_empty(dossiers):
    _, _, book = _small_session(dossiers, comparison=False)
    assert NO_CATALOG in column_a(book["TTHC không phát sinh hồ sơ"])
    assert ALL_USED != NO_CATALOG


def test_quality_sheet_has_caveats_and_left_out_dossiers(sample):
    figures, _, _, book = sample
    rows = values(book["Chất lượng dữ liệu"])
    a = [row[0] for row in rows]
    for reason, count in figures.left_out.items():
        assert rows[a.index(REASON_LABELS[reason])][1] == count


def test_provenance_sheet_has_the_lines_the_details_the_files_and_the_settings(sample):
    figures, provenance, _, book = sample
    sheet = book["Nguồn số liệu"]
    rows = values(sheet)
    a = [row[0] for row in rows]
    for line in provenance_lines(provenance, figures) + provenance_details(provenance):
        assert line in a
    for source in provenance.files:
        assert rows[a.index(source.name)][2:4] == [source.rows, source.sha256]
        assert any(source.sha256 in str(line) for line in a)  # in the details too
    start = sheet.cell(a.index("Kỳ giám sát – từ ngày") + 1, 2)
    assert start.value == dt.datetime(2019, 1, 1) and start.number_format == "dd/mm/yyyy"
    assert rows[a.index("Mục tiêu tỷ lệ đúng hạn")][1] == figures.session.target
    assert rows[a.index("Mã đợt")][1] == figures.session.name
    assert rows[a.index("Tên đợt giám sát")][1] == figures.session.heading


# --- Safety ---------------------------------------------------------------------------------------------------

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
                                 bodies="=1+1", title="=Đợt thử")
    figures = session_figures(dossiers(rows), session)
    provenance = Provenance((SourceFile("=cmd.xlsx", "ab" * 32, dt.datetime(2019, 4, 2, 9, 30), 4),), False,
                            dt.datetime(2019, 4, 3, 10, 0), "test", scope="\tbộ lọc thử")
    return figures, provenance, openpyxl.load_workbook(io.BytesIO(workbook_xlsx(figures, provenance)))


def test_formula_like_names_from_the_data_stay_text(dossiers):
    _, _, book = _small_session(dossiers, comparison=True)
    cells = all_cells(book)
    assert all(c.data_type != "f" for c in cells) and all(c.hyperlink is None for c in cells)
    for title in ("Biểu 06", "Trễ hạn", "Đơn vị (phễu)"):
        assert any(c.value == EVIL and c.data_type == "s" for row in book[title].iter_rows() for c in row), title
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {"+SUM(1,2)", "=cmd.xlsx", "@đợt thử", "=Đợt thử", "http://evil.example"} <= texts
    # Real data: no sample warning anywhere; the real-data line on every sheet.
    assert SAMPLE_WARNING not in texts
    assert all(sheet["A4"].value == REAL_DATA for sheet in book.worksheets)
    imported = book["Nguồn số liệu"]
    when = next(c for row in imported.iter_rows() for c in row if c.value == dt.datetime(2019, 4, 2, 9, 30))
    assert when.number_format == "dd/mm/yyyy hh:mm"


# --- A real office suite ----------------------------------------------------------------------------------------

def test_libreoffice_prints_bieu_06_on_exactly_one_page(seed, tmp_path):
    figures, _, data, _ = seed
    path = tmp_path / "dot-giam-sat.xlsx"
    path.write_bytes(data)
    text = office_pdf_text(path, tmp_path)
    assert FORM_NAME in text and SAMPLE_WARNING in text and figures.session.heading[:40] in " ".join(text.split())
    assert "Tổng cộng" in text and "Hồ sơ không tính vào Biểu 06" in text

    def page(n: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(tmp_path / "pdf" /
                                                                                        "dot-giam-sat.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout

    first, second = page(1), page(2)
    assert FORM_NAME in first and "Tổng cộng" in first and form.COMPILER in first and form.HEAD in first
    assert "(Ký tên, đóng dấu)" in first
    assert "HỒ SƠ TRỄ HẠN VÀ THƯ XIN LỖI" in second and FORM_NAME not in second  # the next sheet begins


def test_the_same_session_gives_the_same_file_without_local_paths(sample):
    figures, provenance, data, _ = sample
    assert workbook_xlsx(figures, provenance) == data  # dated by the provenance, not by the clock
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert Path(figures.session.catalog).name in xml and str(ROOT) not in xml  # the catalog by name only
