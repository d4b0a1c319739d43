"""Reading exports as they really are: headers, merged cells, date forms, statuses, CSV, several sheets."""
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from analytics.ingest.export_reader import read_export
from analytics.ingest.headers import field_for, header_key
from analytics.ingest.values import parse_channels, parse_dates, parse_statuses
from analytics.model import issues as q
from analytics.model import schema as s
from tests.workbooks import HEADER, ROWS, merged_header_export, simple_export


@pytest.mark.parametrize("text, field", [
    ("Mã hồ sơ", s.CASE_ID), ("Số biên nhận", s.CASE_ID), ("MA HO SO", s.CASE_ID), ("maHoSo", s.CASE_ID),
    ("(2) Số hồ sơ", s.CASE_ID), ("Ngày\n tiếp  nhận", s.RECEIVED_DATE), ("Ngay tiep nhan", s.RECEIVED_DATE),
    ("ngayTiepNhan", s.RECEIVED_DATE), ("Ngày nhận hồ sơ", s.RECEIVED_DATE), ("Ngày hẹn trả", s.DUE_DATE),
    ("Hẹn trả kết quả", s.DUE_DATE), ("Hạn xử lý", s.DUE_DATE), ("ngayHenTra", s.DUE_DATE),
    ("Ngày hẹn trả ban đầu", s.ORIGINAL_DUE_DATE), ("Ngày hẹn trả cũ", s.ORIGINAL_DUE_DATE),
    ("Ngày có kết quả", s.COMPLETED_DATE), ("Ngày kết thúc xử lý", s.COMPLETED_DATE),
    ("ngayKetThucXuLy", s.COMPLETED_DATE), ("Ngày hoàn thành", s.COMPLETED_DATE), ("Ngày trả kết quả", s.RETURNED_DATE),
    ("ngayTraKetQua", s.RETURNED_DATE), ("Trạng thái", s.STATUS), ("trangThaiHoSo", s.STATUS),
    ("tenDonViXuLy", s.UNIT), ("Cơ quan giải quyết", s.UNIT), ("Đơn vị xử lý", s.UNIT), ("Đơn vị", s.UNIT),
    ("Đơn vị tiếp nhận", s.RECEIVING_UNIT), ("Nơi tiếp nhận", s.RECEIVING_UNIT), ("Cấp", s.LEVEL),
    ("Hình thức nộp", s.CHANNEL), ("Kênh", s.CHANNEL), ("Loại tiếp nhận", s.CHANNEL),
    ("Tên thủ tục hành chính", s.PROCEDURE_NAME), ("Tên TTHC", s.PROCEDURE_NAME), ("Thủ tục", s.PROCEDURE_NAME),
    ("Mã TTHC", s.PROCEDURE_CODE), ("Lĩnh vực", s.FIELD), ("Thư xin lỗi", s.APOLOGY), ("Phiếu xin lỗi", s.APOLOGY),
    ("Người tiếp nhận", s.STAFF), ("Cán bộ tiếp nhận", s.STAFF), ("Người xử lý", s.STAFF),
    ("Chủ hồ sơ", s.APPLICANT_NAME), ("Người nộp", s.APPLICANT_NAME), ("Địa chỉ", s.APPLICANT_ADDRESS),
    ("Số điện thoại", s.APPLICANT_PHONE), ("CCCD", s.APPLICANT_ID), ("STT", None), ("Ghi chú", None),
    ("Mã số hồ sơ", s.CASE_ID), ("Số phiếu tiếp nhận", s.CASE_ID), ("Số phiếu", s.CASE_ID), ("Tình trạng", s.STATUS),
    ("Tình trạng hồ sơ", s.STATUS), ("Nguồn tiếp nhận", s.CHANNEL), ("Cán bộ thụ lý", s.STAFF),
    ("Kết quả giải quyết", None),
])
def test_headers_map_to_canonical_fields(text, field):
    assert field_for(text) == field


def test_header_key_removes_diacritics_case_spacing_camel_case_and_numbering():
    assert header_key("  (3)  Ngày\nTIẾP   nhận ") == "ngay tiep nhan"
    assert header_key("ngayKetThucXuLy") == "ngay ket thuc xu ly"


def test_date_forms_all_read_to_the_calendar_date():
    values = pd.Series(["2019-01-05 08:30:00", "12/01/2019 14:00", "12/01/2019 14:00:59", "05-02-2019", "43475",
                        "2019-02-11T23:15:00+00:00", "2019-02-11T09:15:00+07:00", "2019/03/01", "1/2/2019", None])
    dates, bad = parse_dates(values)
    assert [d.date() if pd.notna(d) else None for d in dates] == [
        dt.date(2019, 1, 5), dt.date(2019, 1, 12), dt.date(2019, 1, 12), dt.date(2019, 2, 5), dt.date(2019, 1, 10),
        dt.date(2019, 2, 12),  # 23:15 UTC is the next morning in Hà Nội
        dt.date(2019, 2, 11), dt.date(2019, 3, 1), dt.date(2019, 2, 1), None]
    assert not bad.any()


@pytest.mark.parametrize("text", ["tuần sau", "31/02/2019", "2019-13-01", "12345678", "01/2019"])
def test_values_that_are_not_dates_are_flagged_never_guessed(text):
    dates, bad = parse_dates(pd.Series([text]))
    assert bad.iloc[0] and pd.isna(dates.iloc[0])


@pytest.mark.parametrize("text, code", [
    ("1", 1), ("10", 10), ("4.0", 4), ("Mới đăng ký", 1), ("Đã tiếp nhận", 2), ("Từ chối tiếp nhận", 3),
    ("Đang giải quyết", 4), ("Chờ ký duyệt", 4), ("Chuyển phòng chuyên môn", 4), ("Chờ bổ sung", 5),
    ("Yêu cầu thực hiện nghĩa vụ tài chính", 6), ("Đã rút hồ sơ", 7), ("Dừng xử lý", 8),
    ("Đã có kết quả", 9), ("Chờ trả kết quả", 9), ("ĐÃ TRẢ KẾT QUẢ", 10), ("Da tra ket qua", 10),
    ("Đã trả kết quả (trễ hạn)", 10),
])
def test_statuses_read_from_codes_and_vendor_wording(text, code):
    codes, unknown = parse_statuses(pd.Series([text]))
    assert codes.iloc[0] == code and not unknown.iloc[0]


def test_unknown_status_wording_is_flagged():
    codes, unknown = parse_statuses(pd.Series(["Đã xong xuôi", None]))
    assert unknown.tolist() == [True, False] and codes.isna().all()


@pytest.mark.parametrize("text, code, level", [
    (None, 1, None), ("1", 1, None), ("2", 2, None), ("3", 3, None), ("Trực tiếp", 1, None),
    ("Trực tuyến", 2, None), ("Trực tuyến một phần", 2, "một phần"), ("Mức độ 4", 2, "toàn trình"),
    ("Dịch vụ bưu chính công ích", 3, None), ("BCCI", 3, None), ("Qua dịch vụ bưu chính công ích", 3, None),
    ("Trực tiếp tại Bộ phận một cửa", 1, None), ("Nộp trực tuyến mức độ 4", 2, "toàn trình"),
])
def test_channels_from_codes_and_text_blank_is_in_person(text, code, level):
    codes, levels, unknown = parse_channels(pd.Series([text], dtype=object))
    assert codes.iloc[0] == code and not unknown.iloc[0]
    assert (levels.iloc[0] if pd.notna(levels.iloc[0]) else None) == level


def test_simple_export_below_title_rows_skips_total_and_signature(tmp_path):
    reading = read_export(simple_export(tmp_path / "title-rows-above-header.xlsx"))
    assert reading.rejected is None
    r = reading.records
    assert r[s.CASE_ID].tolist() == ["TP-190103-0001", "TP-190104-0002", "TP-190211-0003"]
    assert r[s.SOURCE_ROW].tolist() == [6, 7, 8]  # the spreadsheet's own row numbers
    assert r[s.RECEIVED_DATE].dt.date.tolist() == [dt.date(2019, 1, 3), dt.date(2019, 1, 4), dt.date(2019, 2, 11)]
    assert r[s.DUE_DATE].dt.date.tolist() == [dt.date(2019, 1, 10), dt.date(2019, 1, 10), dt.date(2019, 2, 15)]
    assert r[s.COMPLETED_DATE].dt.date.tolist()[:2] == [dt.date(2019, 1, 8), dt.date(2019, 1, 10)]
    assert r[s.STATUS_CODE].tolist() == [10, 9, 4]
    assert r[s.CHANNEL_CODE].tolist() == [1, 2, 1]
    assert reading.issues == [] and reading.rows_skipped == 0


def test_merged_two_row_header_and_numbering_row(tmp_path):
    reading = read_export(merged_header_export(tmp_path / "merged-header-cells.xlsx"))
    sheet = reading.sheets[0]
    assert sheet.mapping == {"Số hồ sơ": s.CASE_ID, "Mã TTHC": s.PROCEDURE_CODE, "Tên TTHC": s.PROCEDURE_NAME,
                             "Thời gian Tiếp nhận": s.RECEIVED_DATE, "Hẹn trả": s.DUE_DATE,
                             "Thời gian Có kết quả": s.COMPLETED_DATE, "Thời gian Trả kết quả": s.RETURNED_DATE,
                             "Trạng thái": s.STATUS}
    assert reading.records[s.CASE_ID].tolist() == ["X-1", "X-2"]
    assert reading.records[s.PROCEDURE_CODE].tolist() == ["2.000720", "1.001234"]  # text stays text


def test_procedure_code_typed_as_text_keeps_its_trailing_zero(tmp_path):
    path = simple_export(tmp_path / "code.xlsx", header=HEADER + ["Mã TTHC"],
                         rows=[ROWS[0] + ["2.000720"], ROWS[1] + ["1.000100"]])
    assert read_export(path).records[s.PROCEDURE_CODE].tolist() == ["2.000720", "1.000100"]


def test_personal_data_columns_are_recognised_but_not_kept(tmp_path):
    path = simple_export(tmp_path / "with-applicant.xlsx", header=HEADER + ["Chủ hồ sơ", "Số điện thoại"],
                         rows=[ROWS[0] + ["Nguyễn Văn A", "0912345678"]])
    reading = read_export(path)
    assert reading.sheets[0].mapping["Chủ hồ sơ"] == s.APPLICANT_NAME
    assert not set(s.PERSONAL_FIELDS) & set(reading.records.columns)
    assert "Nguyễn Văn A" not in reading.records.astype(str).to_numpy()


def test_every_sheet_holding_dossiers_is_read(tmp_path):
    path = tmp_path / "two-sheets.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Quý I"
    for row in [HEADER, ROWS[0]]:
        first.append(row)
    second = book.create_sheet("Quý II")
    for row in [HEADER, ROWS[1]]:
        second.append(row)
    book.create_sheet("Ghi chú").append(["Dữ liệu xuất từ phần mềm một cửa"])
    book.save(path)
    reading = read_export(path)
    assert reading.records[s.SOURCE_SHEET].tolist() == ["Quý I", "Quý II"]


@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("utf-8-sig", ",")])
def test_csv_with_or_without_bom_comma_or_semicolon(tmp_path, encoding, delimiter):
    lines = [delimiter.join(["maHoSo", "ngayTiepNhan", "ngayHenTra", "ngayKetThucXuLy", "trangThaiHoSo"]),
             delimiter.join(["A-1", "2019-01-03T08:00:00+07:00", "10/01/2019", "09/01/2019", "10"]),
             delimiter.join(["A-2", "2019-01-04", "", "", "Đang xử lý"])]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    reading = read_export(path)
    assert reading.rejected is None
    assert reading.records[s.CASE_ID].tolist() == ["A-1", "A-2"]
    assert reading.records[s.STATUS_CODE].tolist() == [10, 4]
    assert reading.records[s.SOURCE_ROW].tolist() == [2, 3]


def test_ods_is_read(tmp_path):
    path = tmp_path / "export.ods"
    pd.DataFrame([["A-1", "03/01/2019", "Đã trả kết quả", "08/01/2019"]],
                 columns=["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Ngày có kết quả"]).to_excel(
        path, engine="odf", index=False)
    reading = read_export(path)
    assert reading.records[s.CASE_ID].tolist() == ["A-1"]
    assert reading.records[s.COMPLETED_DATE].dt.date.tolist() == [dt.date(2019, 1, 8)]


def test_override_maps_an_unrecognised_header(tmp_path):
    path = simple_export(tmp_path / "odd-header.xlsx", header=["STT", "Mã tra cứu"] + HEADER[2:])
    assert read_export(path).rejected.code == q.MISSING_COLUMN
    reading = read_export(path, overrides={"ma tra cuu": s.CASE_ID})
    assert reading.rejected is None and len(reading.records) == 3


def test_override_can_ignore_a_column(tmp_path):
    path = simple_export(tmp_path / "x.xlsx")
    reading = read_export(path, overrides={"Lĩnh vực": ""})
    assert "Lĩnh vực" in reading.sheets[0].ignored and reading.records[s.FIELD].isna().all()


def test_status_missing_is_inferred_from_the_dates_and_marked(tmp_path):
    header = [h for h in HEADER if h != "Trạng thái"]
    rows = [[v for i, v in enumerate(r) if HEADER[i] != "Trạng thái"] for r in ROWS]
    reading = read_export(simple_export(tmp_path / "no-status.xlsx", header=header, rows=rows))
    assert reading.records[s.STATUS_CODE].tolist() == [10, 10, 4]
    assert reading.records[s.STATUS_INFERRED].all()


def test_file_not_changed_by_reading_bytes_or_path_gives_same_hash(tmp_path):
    path = simple_export(tmp_path / "x.xlsx")
    assert read_export(path).sha256 == read_export(path.read_bytes(), name="x.xlsx").sha256


def test_legacy_xls_is_read(tmp_path):
    import xlwt  # pinned in requirements: a missing package fails, never skips
    book = xlwt.Workbook()
    ws = book.add_sheet("DS")
    ws.write(0, 0, "DANH SÁCH HỒ SƠ")
    for j, text in enumerate(["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Mã TTHC"]):
        ws.write(2, j, text)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    ws.write(3, 0, "A-1")
    ws.write(3, 1, dt.datetime(2019, 1, 3), date_style)  # a real Excel date cell
    for j, value in enumerate(["10/01/2019", "Đang xử lý", "2.000720"], start=2):
        ws.write(3, j, value)
    path = tmp_path / "legacy.xls"
    book.save(str(path))
    r = read_export(path).records
    assert r[s.CASE_ID].tolist() == ["A-1"] and r[s.SOURCE_ROW].tolist() == [4]
    assert r[s.RECEIVED_DATE].dt.date.tolist() == [dt.date(2019, 1, 3)]
    assert r[s.PROCEDURE_CODE].tolist() == ["2.000720"]


@pytest.mark.parametrize("text, level", [("Huyện", "Cấp huyện"), ("cấp huyện", "Cấp huyện"), ("Thành phố", "Cấp huyện"),
                                         ("Phường", "Cấp xã"), ("XA", "Cấp xã"), ("Cấp tỉnh", "Cấp tỉnh"),
                                         ("Liên thông", "Liên thông"), (None, None)])
def test_levels_are_named_in_the_three_official_words(text, level):
    from analytics.ingest.values import parse_levels
    value = parse_levels(pd.Series([text], dtype=object)).iloc[0]
    assert (None if pd.isna(value) else value) == level
