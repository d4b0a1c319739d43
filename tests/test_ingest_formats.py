"""More shapes of export: CSV with old Mac line ends or an over-long cell, JSON exports, Excel 2003 XML
(SpreadsheetML). Each input is built here, so the shape under test is visible."""
import csv
import datetime as dt
import json

import pandas as pd
import pytest

from analytics.dossiers.sources import expand_paths
from analytics.ingest.export_reader import read_export
from analytics.ingest.sniff import SPREADSHEET_SUFFIXES, file_kind
from analytics.model import issues as q
from analytics.model import schema as s

# --- CSV ------------------------------------------------------------------------------------------------------

CSV_LINES = ["Mã hồ sơ,Ngày tiếp nhận,Ngày có kết quả,Trạng thái", "A-1,03/01/2019,08/01/2019,Đã trả kết quả",
             "A-2,04/01/2019,,Đang xử lý"]


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"])
def test_csv_line_ends_of_any_system_are_read(tmp_path, line_end):
    path = tmp_path / "line-ends.csv"
    path.write_bytes(line_end.join(CSV_LINES).encode("utf-8") + line_end.encode())
    reading = read_export(path)
    assert reading.rejected is None
    assert reading.records[s.CASE_ID].tolist() == ["A-1", "A-2"]
    assert reading.records[s.STATUS_CODE].tolist() == [10, 4]
    assert reading.records[s.SOURCE_ROW].tolist() == [2, 3]


def test_a_bare_cr_inside_a_quoted_cell_stays_in_the_cell(tmp_path):
    path = tmp_path / "cr-in-cell.csv"
    path.write_bytes(b'M\xc3\xa3 h\xe1\xbb\x93 s\xc6\xa1,Ng\xc3\xa0y ti\xe1\xba\xbfp nh\xe1\xba\xadn,L\xc4\xa9nh v\xe1\xbb\xb1c\r'
                     b'A-1,03/01/2019,"H\xe1\xbb\x99\rt\xe1\xbb\x8bch"\r')
    reading = read_export(path)
    assert reading.records[s.FIELD].tolist() == ["Hộ tịch"]  # the line break inside the cell is one space


def test_a_cell_longer_than_the_csv_limit_is_refused_with_a_how_to(tmp_path):
    path = tmp_path / "over-long-cell.csv"
    limit = csv.field_size_limit()
    path.write_text(CSV_LINES[0] + "\n" + f'A-1,03/01/2019,,"{"x" * (limit + 10)}"\n', encoding="utf-8")
    reading = read_export(path)  # never raises
    issue = reading.rejected
    assert issue.code == q.CORRUPT_FILE and issue.level == q.FILE and issue.row == 2
    assert "131.072" in issue.message and "Excel" in issue.message
    assert reading.records.empty


def test_an_unclosed_quote_is_refused_at_the_line_where_it_opens(tmp_path):
    path = tmp_path / "unclosed-quote.csv"
    path.write_text(CSV_LINES[0] + '\nA-1,03/01/2019,,"Đang xử lý\n' + "A-2,04/01/2019,,x\n" * 20000,
                    encoding="utf-8")
    issue = read_export(path).rejected  # the quote swallows the rest of the file into one cell
    assert (issue.code, issue.row) == (q.CORRUPT_FILE, 2) and "dòng 2" in issue.message


# --- JSON -----------------------------------------------------------------------------------------------------

OBJECTS = [
    {"maHoSo": "J-1", "ngayTiepNhan": "2019-01-03T08:00:00+07:00", "ngayHenTra": "10/01/2019",
     "ngayKetThucXuLy": "2019-01-08", "ngayTraKetQua": None, "trangThaiHoSo": 10, "tenDonViXuLy": "Phòng Tư pháp",
     "thuTuc": {"ma": "1.001193", "ten": "Đăng ký khai sinh"}, "nguoiNop": {"hoTen": "Nguyễn Văn A"}},
    {"maHoSo": "J-2", "ngayTiepNhan": "2019-01-04", "ngayHenTra": None, "ngayKetThucXuLy": None,
     "trangThaiHoSo": 4.0, "tenDonViXuLy": "Phòng TN&MT", "hinhThucNop": "Trực tuyến",  # a key only here
     "thuTuc": {"ma": "2.000720", "ten": "Cấp GCN"}, "tepDinhKem": [{"ten": "a.pdf"}]},
]


def _records(reading):
    return reading.records[[s.CASE_ID, s.RECEIVED_DATE, s.DUE_DATE, s.COMPLETED_DATE, s.STATUS_CODE, s.UNIT,
                            s.CHANNEL_CODE, s.PROCEDURE_CODE, s.PROCEDURE_NAME]].astype(object).values.tolist()


EXPECTED = [["J-1", dt.datetime(2019, 1, 3), dt.datetime(2019, 1, 10), dt.datetime(2019, 1, 8), 10, "Phòng Tư pháp",
             1, "1.001193", "Đăng ký khai sinh"],
            ["J-2", dt.datetime(2019, 1, 4), None, None, 4, "Phòng TN&MT", 2, "2.000720", "Cấp GCN"]]


@pytest.mark.parametrize("shape", ["array", "data", "items", "result-data", "json-lines"])
def test_json_exports_of_every_common_shape(tmp_path, shape):
    path = tmp_path / f"export-{shape}.json"
    if shape == "json-lines":
        path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in OBJECTS) + "\n", encoding="utf-8")
    else:
        document = {"array": OBJECTS, "data": {"data": OBJECTS, "total": 2}, "items": {"items": OBJECTS},
                    "result-data": {"success": True, "result": {"data": OBJECTS, "page": 1}}}[shape]
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    reading = read_export(path)
    assert reading.rejected is None
    got = [[None if pd.isna(v) else v for v in row] for row in _records(reading)]
    assert got == EXPECTED
    assert reading.sheets[0].mapping["ma thuTuc"] == s.PROCEDURE_CODE  # {"thuTuc": {"ma": …}} is "mã thủ tục"
    assert "Nguyễn Văn A" not in reading.records.astype(str).to_numpy()  # personal data never kept


def test_json_without_a_list_of_dossiers_or_broken_json_is_refused(tmp_path):
    path = tmp_path / "not-a-list.json"
    path.write_text('{"status": "ok", "count": 0}', encoding="utf-8")
    assert read_export(path).rejected.code == q.NO_HEADER
    path.write_text('[{"maHoSo": "A-1", "ngayTiep', encoding="utf-8")
    assert read_export(path).rejected.code == q.CORRUPT_FILE


def test_json_files_are_offered_and_found_in_folders(tmp_path):
    assert ".json" in SPREADSHEET_SUFFIXES
    (tmp_path / "q1.json").write_text(json.dumps(OBJECTS), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["q1.json"]


# --- SpreadsheetML (Excel 2003 XML) ---------------------------------------------------------------------------

def spreadsheetml(worksheets: dict[str, str], prolog: str = "") -> bytes:
    sheets = "".join(f'<Worksheet ss:Name="{name}"><Table>{rows}</Table></Worksheet>'
                     for name, rows in worksheets.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>' + prolog + '<?mso-application progid="Excel.Sheet"?>'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">'
            + sheets + "</Workbook>").encode("utf-8")


def cell(text, kind="String", **attributes) -> str:
    extra = "".join(f' ss:{k}="{v}"' for k, v in attributes.items())
    return f'<Cell{extra}><Data ss:Type="{kind}">{text}</Data></Cell>'


# Row 1: a title merged across four columns; row 2 skipped (ss:Index="3" on the next row); rows 3–4: a two-row
# header, "Thời gian" merged over two columns; row 5: a row skipping column 3 (ss:Index="4" on its status cell).
GAPS = ("<Row>" + cell("DANH SÁCH HỒ SƠ", MergeAcross=3) + "</Row>"
        + '<Row ss:Index="3">' + cell("Mã hồ sơ") + cell("Thời gian", MergeAcross=1) + cell("Trạng thái") + "</Row>"
        + "<Row>" + cell("Tiếp nhận", Index=2) + cell("Hẹn trả") + "</Row>"
        + "<Row>" + cell("X-1") + cell("2019-01-03T00:00:00.000", "DateTime") + cell("10", "Number", Index=4)
        + "</Row>"
        + "<Row>" + '<Cell><Data ss:Type="String"><html:B>X-2</html:B></Data></Cell>' + cell("04/01/2019")
        + cell("10/01/2019") + cell("Đang xử lý") + "</Row>")


def test_spreadsheetml_with_index_gaps_and_merged_cells(tmp_path):
    path = tmp_path / "excel-2003-xml.xls"  # saved with the .xls name, as the vendors do
    path.write_bytes(spreadsheetml({"DS hồ sơ": GAPS}))
    assert file_kind(path.read_bytes(), path.name) == "spreadsheetml"
    reading = read_export(path)
    assert reading.rejected is None
    sheet = reading.sheets[0]
    assert (sheet.sheet, sheet.header_row) == ("DS hồ sơ", 3)
    assert sheet.mapping == {"Mã hồ sơ": s.CASE_ID, "Thời gian Tiếp nhận": s.RECEIVED_DATE, "Hẹn trả": s.DUE_DATE,
                             "Trạng thái": s.STATUS}
    r = reading.records
    assert r[s.CASE_ID].tolist() == ["X-1", "X-2"] and r[s.SOURCE_ROW].tolist() == [5, 6]
    assert r[s.RECEIVED_DATE].dt.date.tolist() == [dt.date(2019, 1, 3), dt.date(2019, 1, 4)]
    assert r[s.DUE_DATE].isna().tolist() == [True, False]  # X-1's due-date cell was skipped by ss:Index
    assert r[s.STATUS_CODE].tolist() == [10, 4]


def test_spreadsheetml_reads_every_worksheet(tmp_path):
    rows = "<Row>" + cell("Mã hồ sơ") + cell("Ngày tiếp nhận") + "</Row>"
    path = tmp_path / "two-worksheets.xml"
    path.write_bytes(spreadsheetml({"Quý I": rows + "<Row>" + cell("A-1") + cell("03/01/2019") + "</Row>",
                                    "Quý II": rows + "<Row>" + cell("B-1") + cell("03/04/2019") + "</Row>"}))
    reading = read_export(path)
    assert reading.records[[s.CASE_ID, s.SOURCE_SHEET]].values.tolist() == [["A-1", "Quý I"], ["B-1", "Quý II"]]


def test_spreadsheetml_declaring_an_entity_is_refused(tmp_path):
    path = tmp_path / "xml-entity.xls"
    path.write_bytes(spreadsheetml({"S": GAPS.replace("DANH SÁCH", "&lol;")},
                                   prolog='<!DOCTYPE Workbook [<!ENTITY lol "lol">]>'))
    reading = read_export(path)
    assert reading.rejected.code == q.UNSAFE_FILE and reading.records.empty


def test_spreadsheetml_cut_short_or_with_a_wild_index_is_refused_as_corrupt(tmp_path):
    whole = spreadsheetml({"S": GAPS})
    path = tmp_path / "truncated.xls"
    path.write_bytes(whole[: len(whole) - 40])
    assert read_export(path).rejected.code == q.CORRUPT_FILE
    path.write_bytes(spreadsheetml({"S": GAPS.replace('ss:Index="3"', 'ss:Index="99999999"')}))
    assert read_export(path).rejected.code == q.CORRUPT_FILE


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-le", b""), ("utf-16-be", b"\xfe\xff")])
def test_excel_unicode_text_in_utf16_is_read(tmp_path, encoding, bom):
    # Excel's "Save as Unicode Text": tab-separated UTF-16, usually with a byte-order mark.
    text = "Mã hồ sơ\tNgày tiếp nhận\tNgày hẹn trả\nA-1\t03/01/2019\t10/01/2019\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(bom + text.encode(encoding))
    reading = read_export(path)
    assert reading.rejected is None
    assert reading.records["case_id"].tolist() == ["A-1"]
