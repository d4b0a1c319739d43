"""Biểu 06 as a printed form (outputs/bieu06_xlsx), read back with openpyxl: row numbers in column (1), names in
column (2), the core's numbers, the form's signature block under the table and inside the print area, one landscape
A4 page (LibreOffice draws exactly one); a table too long for one page goes on several, the signature with the
last rows."""
import dataclasses
import datetime as dt
import io
import subprocess

import openpyxl
import pytest
import xlsxwriter

from analytics.analyses.bieu06 import COUNT_KEYS, OFFICIAL, official_table
from analytics.model.periods import Period
from analytics.outputs import bieu06_xlsx as form
from analytics.outputs.labels import FORM_NAME, TOTAL_ROW
from tests.session_fixtures import office_pdf_text, seed_session

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


@pytest.fixture(scope="module")
def seed():
    figures, provenance = seed_session()
    table = dataclasses.replace(figures.table, by=OFFICIAL, groups=figures.official)
    data = form.xlsx_bytes(table, figures.session.bodies, ["Lưu ý thử: một dòng ghi chú dưới biểu."])
    return figures, data, openpyxl.load_workbook(io.BytesIO(data)).active


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def cell_row(sheet, value) -> int:
    """The 1-based row of the first cell holding `value`."""
    return next(c.row for row in sheet.iter_rows() for c in row if c.value == value)


def print_area_rows(sheet) -> tuple[int, int]:
    area = sheet.print_area.split("!")[-1].replace("$", "")
    first, last = area.split(":")
    return int("".join(ch for ch in first if ch.isdigit())), int("".join(ch for ch in last if ch.isdigit()))


def test_column_1_holds_the_numbers_and_column_2_the_names(seed):
    figures, _, sheet = seed
    rows = rows_of(sheet)
    first = next(i for i, row in enumerate(rows) if row[0] == "(1)") + 1
    official = figures.official.to_dict("records")
    body = rows[first:first + len(official)]
    for record, row in zip(official, body):
        assert row[0] == record["label"].split(" ")[0].rstrip(".")  # "I", "1", "-"
        assert row[1] == record["name"]
        assert row[2:14] == [record[k] for k in COUNT_KEYS], record["label"]
    assert [row[0] for row in body[:4]] == ["I", "1", "-", "-"]
    assert "II" in [row[0] for row in body]
    total = rows[first + len(official)]
    assert total[:2] == ["", TOTAL_ROW] and total[2:14] == [figures.total[k] for k in COUNT_KEYS]
    assert total[2] == 1431 and total[6] == 1365  # the seed's (3) and (7)


def test_levels_and_units_bold_fields_indented(seed):
    _, _, sheet = seed
    level, unit, field = (cell_row(sheet, name) for name in ("Cấp huyện", "Phòng Tư pháp", "Hộ tịch"))
    assert sheet.cell(level, 2).font.b and sheet.cell(unit, 2).font.b and sheet.cell(level, 1).font.b
    assert not sheet.cell(field, 2).font.b and sheet.cell(field, 2).alignment.indent == 2
    assert sheet.cell(level, 3).number_format == "#,##0"


def test_the_form_opens_with_its_name_title_period_and_unit(seed):
    _, _, sheet = seed
    assert sheet["A1"].value == FORM_NAME and sheet["K1"].value == form.UNIT_OF_COUNT
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT" in sheet["A2"].value
    assert sheet["A3"].value == "Kỳ báo cáo: từ ngày 01/01/2018 đến ngày 31/03/2019 – UBND thành phố Lạng Sơn"


def test_the_signature_block_sits_under_the_table_as_the_form_has_it(seed):
    _, _, sheet = seed
    total, note = cell_row(sheet, TOTAL_ROW), cell_row(sheet, "Lưu ý thử: một dòng ghi chú dưới biểu.")
    place, compiler, head = (cell_row(sheet, t) for t in (form.PLACE_DATE, form.COMPILER, form.HEAD))
    assert total < note < place < compiler == head
    assert cell_row(sheet, form.COMPILER_SIGNS) == cell_row(sheet, form.HEAD_SIGNS) == compiler + 1
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert f"A{compiler}:C{compiler}" in merged and f"I{head}:N{head}" in merged and f"I{place}:N{place}" in merged
    assert sheet.cell(compiler, 1).font.b and sheet.cell(head, 9).font.b
    assert sheet.cell(compiler + 1, 1).font.i and sheet.cell(place, 9).font.i
    space = compiler + 2
    assert sheet.row_dimensions[space].height >= 60  # room to sign and stamp
    assert sheet.cell(space + 1, 1).value == form.NAME_LINE == sheet.cell(space + 1, 9).value


def test_it_prints_on_one_landscape_a4_page_with_the_signature_inside_the_print_area(seed):
    _, _, sheet = seed
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # Fit to 1 page wide and 1 tall: both are the file format's default, so the file leaves them out (None here),
    # unlike the old setup's fitToHeight="0" (as many pages tall as it takes).
    assert (setup.fitToWidth or 1) == 1 and (setup.fitToHeight or 1) == 1
    first, last = print_area_rows(sheet)
    assert first == 1 and last == sheet.max_row == cell_row(sheet, form.HEAD) + 3
    assert sheet.print_title_rows == "$5:$7"  # the header rows, repeated were the page ever split
    assert sheet.page_margins.left == sheet.page_margins.right == 0.25
    assert sheet.freeze_panes == f"C{cell_row(sheet, '(1)') + 1}"


def test_the_seeds_official_layout_fits_one_page_at_about_57_percent():
    figures, _ = seed_session()
    table = dataclasses.replace(figures.table, by=OFFICIAL, groups=figures.official)
    book = xlsxwriter.Workbook(io.BytesIO())
    placement = form.write_form(book.add_worksheet(), form.form_formats(book), table)
    assert len(figures.official) == 47
    assert 0.55 <= placement.scale() <= 0.6  # 11 pt type prints at about 6,3 pt
    book.close()


def test_libreoffice_prints_the_seeds_form_on_exactly_one_page(seed, tmp_path):
    figures, data, _ = seed
    path = tmp_path / "bieu06.xlsx"
    path.write_bytes(data)
    printed = office_pdf_text(path, tmp_path)
    pages = subprocess.run(["pdfinfo", str(tmp_path / "pdf" / "bieu06.pdf")], capture_output=True, text=True,
                           check=True).stdout
    assert "Pages:           1\n" in pages
    for wanted in (FORM_NAME, TOTAL_ROW, form.COMPILER, form.HEAD, "(Ký tên, đóng dấu)", "Phòng Tư pháp"):
        assert wanted in printed


def _many_units(dossiers, units: int):
    rows = [{"received": "2019-01-03", "due": "2019-01-10", "completed": "2019-01-08", "unit": f"UBND xã số {n:03d}",
             "field": "Hộ tịch", "level": "Cấp xã"} for n in range(units)]
    return official_table(dossiers(rows), Q1, by=OFFICIAL)


def test_a_table_too_long_for_one_page_goes_on_several_with_the_signature_on_the_last(dossiers, tmp_path):
    table = _many_units(dossiers, 150)  # 301 rows: one page would print at about 20%
    data = form.xlsx_bytes(table)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage and 50 <= sheet.page_setup.scale <= 80
    breaks = [b.id for b in sheet.row_breaks.brk]
    assert len(breaks) >= 3 and breaks[-1] < cell_row(sheet, TOTAL_ROW)
    path = tmp_path / "dai.xlsx"
    path.write_bytes(data)
    office_pdf_text(path, tmp_path)
    pdf = tmp_path / "pdf" / "dai.pdf"
    count = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                  text=True, check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    assert count == len(breaks) + 1
    last = subprocess.run(["pdftotext", "-f", str(count), "-l", str(count), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert TOTAL_ROW in last and form.HEAD in last and "STT" in last  # the header repeated on the last page too


def test_a_small_table_by_field_numbers_its_rows_1_2_3(dossiers):
    rows = [{"received": "2019-01-03", "completed": "2019-01-04", "field": "Hộ tịch"},
            {"received": "2019-01-03", "field": "Đất đai"}]
    table = official_table(dossiers(rows), Q1, by="field")
    sheet = openpyxl.load_workbook(io.BytesIO(form.xlsx_bytes(table))).active
    body = cell_row(sheet, "(1)") + 1
    assert [sheet.cell(body + i, 1).value for i in range(2)] == ["1", "2"]
    assert {sheet.cell(body + i, 2).value for i in range(2)} == {"Hộ tịch", "Đất đai"}
