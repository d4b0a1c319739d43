"""Bad input: each defect gets a clear Vietnamese message, the good rows are kept, the store loses nothing."""
import io
import zipfile

import msoffcrypto.format.ooxml
import openpyxl
import pytest

from analytics.dossiers.store import Store
from analytics.ingest.export_reader import read_export
from analytics.model import issues as q
from analytics.model import schema as s
from tests.workbooks import HEADER, ROWS, simple_export


def rejection(path):
    reading = read_export(path)
    assert reading.records.empty
    return reading.rejected


def test_not_a_spreadsheet(tmp_path):
    path = tmp_path / "not-a-spreadsheet.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    issue = rejection(path)
    assert issue.code == q.NOT_A_SPREADSHEET and "không phải bảng tính" in issue.message


def test_csv_renamed_xlsx_is_read_as_csv_with_a_notice(tmp_path):
    path = tmp_path / "csv-renamed.xlsx"
    path.write_text("Mã hồ sơ;Ngày tiếp nhận;Trạng thái\nA-1;03/01/2019;Đang xử lý\n", encoding="utf-8")
    reading = read_export(path)
    assert reading.rejected is None and reading.records[s.CASE_ID].tolist() == ["A-1"]
    assert [i.code for i in reading.issues if i.code != q.MISSING_FIELD] == [q.WRONG_EXTENSION]
    assert reading.missing_fields == [s.CHANNEL, s.DUE_DATE, s.FINISH_DATES]  # the file has no such columns


def test_truncated_workbook(tmp_path):
    whole = simple_export(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "truncated-workbook.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    issue = rejection(path)
    assert issue.code == q.CORRUPT_FILE and "bị hỏng" in issue.message


def test_corrupted_sheet_inside_a_valid_zip(tmp_path):
    whole = simple_export(tmp_path / "whole.xlsx")
    path = tmp_path / "corrupted-sheet-xml.xlsx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[:200] if item.filename.endswith("sheet1.xml") else data)
    assert rejection(path).code == q.CORRUPT_FILE


def test_empty_workbook(tmp_path):
    path = tmp_path / "empty-workbook.xlsx"
    openpyxl.Workbook().save(path)
    issue = rejection(path)
    assert issue.code == q.EMPTY_FILE and "không có dữ liệu" in issue.message


def test_zero_byte_file(tmp_path):
    path = tmp_path / "zero-bytes.xlsx"
    path.write_bytes(b"")
    assert rejection(path).code == q.EMPTY_FILE


def test_no_recognisable_case_columns(tmp_path):
    path = tmp_path / "no-case-columns.xlsx"
    book = openpyxl.Workbook()
    for row in [["Họ tên", "Lớp", "Điểm"], ["An", "10A", 9]]:
        book.active.append(row)
    book.save(path)
    issue = rejection(path)
    assert issue.code == q.NO_HEADER and "dòng tiêu đề" in issue.message


def test_header_without_case_id_names_what_is_missing_and_how_to_map_it(tmp_path):
    path = simple_export(tmp_path / "missing-case-id-column.xlsx", header=["STT", "Mã tra cứu"] + HEADER[2:])
    issue = rejection(path)
    assert issue.code == q.MISSING_COLUMN and '"Mã hồ sơ"' in issue.message and "--map" in issue.message


def test_xml_entity_bomb(tmp_path):
    whole = simple_export(tmp_path / "whole.xlsx")
    path = tmp_path / "xml-entity-bomb.xlsx"
    entities = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = entities + data.replace(b"Danh", b"&lol3;", 1)
            dst.writestr(item, data)
    assert rejection(path).code == q.UNSAFE_FILE


def test_password_protected_workbook(tmp_path):
    plain = simple_export(tmp_path / "plain.xlsx")
    encrypted = io.BytesIO()
    with open(plain, "rb") as f:
        msoffcrypto.format.ooxml.OOXMLFile(f).encrypt("mat-khau", encrypted)
    path = tmp_path / "password-protected.xlsx"
    path.write_bytes(encrypted.getvalue())
    issue = rejection(path)
    assert issue.code == q.PASSWORD_PROTECTED and "mật khẩu" in issue.message


def test_unknown_statuses_keep_their_rows_and_list_each_value(tmp_path):
    rows = [ROWS[0], [*ROWS[1][:8], "Đã xong xuôi", "Trực tuyến"], [*ROWS[2][:8], "Lạ", None]]
    reading = read_export(simple_export(tmp_path / "unknown-statuses.xlsx", rows=rows))
    r = reading.records
    assert r[s.CASE_ID].tolist() == ["TP-190103-0001", "TP-190104-0002", "TP-190211-0003"]
    # Row 7 has a completion date (resolved, 10); row 8 has none (in progress, 4).
    assert r[s.STATUS_CODE].tolist() == [10, 10, 4]
    assert r[s.STATUS_UNRECOGNISED].tolist() == [False, True, True]
    assert r[s.STATUS_INFERRED].tolist() == [False, True, True]
    issues = [i for i in reading.issues if i.code == q.STATUS_UNRECOGNISED]
    assert [(i.level, i.row, i.column, i.value) for i in issues] == [(q.NOTICE, 7, "Trạng thái", "Đã xong xuôi"),
                                                                      (q.NOTICE, 8, "Trạng thái", "Lạ")]
    assert reading.rows_skipped == 0


def test_a_received_date_that_does_not_parse_skips_the_row_with_where_what_and_how(tmp_path):
    rows = [ROWS[0], [*ROWS[1][:5], "hôm qua", *ROWS[1][6:]], ROWS[2]]
    reading = read_export(simple_export(tmp_path / "unparseable-dates.xlsx", rows=rows))
    assert reading.records[s.CASE_ID].tolist() == ["TP-190103-0001", "TP-190211-0003"]
    [issue] = reading.issues
    assert (issue.code, issue.row, issue.column, issue.value) == (q.BAD_DATE, 7, "Ngày tiếp nhận", "hôm qua")
    assert q.describe(issue) == ('Tệp unparseable-dates.xlsx, trang "Danh sách", dòng 7, cột "Ngày tiếp nhận": '
                                 '"hôm qua" không phải là ngày: hồ sơ không có ngày tiếp nhận thì không thuộc kỳ '
                                 'nào nên dòng bị bỏ qua. Hãy dùng dạng 31/03/2019 (ngày/tháng/năm).')


def test_another_date_that_does_not_parse_keeps_the_row_with_where_what_and_how(tmp_path):
    rows = [ROWS[0], [*ROWS[1][:6], "tuần sau", *ROWS[1][7:]], ROWS[2]]
    reading = read_export(simple_export(tmp_path / "unparseable-dates.xlsx", rows=rows))
    assert reading.records[s.CASE_ID].tolist() == ["TP-190103-0001", "TP-190104-0002", "TP-190211-0003"]
    assert reading.records[s.DUE_DATE_UNREADABLE].tolist() == [False, True, False]
    assert reading.rows_skipped == 0
    [issue] = reading.issues
    assert (issue.code, issue.level, issue.row, issue.column, issue.value) == (
        q.DATE_UNREADABLE, q.NOTICE, 7, "Ngày hẹn trả", "tuần sau")
    assert q.describe(issue) == (
        'Tệp unparseable-dates.xlsx, trang "Danh sách", dòng 7, cột "Ngày hẹn trả": "tuần sau" không phải là ngày '
        "(1 hồ sơ, dòng đầu tiên 7); hồ sơ vẫn được tính, coi như không có ngày hẹn trả (đúng hạn nếu đã giải "
        "quyết, trong hạn nếu đang giải quyết). Hãy sửa thành dạng 31/03/2019 (ngày/tháng/năm) trong phần mềm một "
        "cửa hoặc trong tệp rồi nhập lại.")


def test_a_received_date_column_mostly_unreadable_is_a_wrong_mapping_and_stops_the_file(tmp_path):
    rows = [[i, f"A-{i}", "X", "Y", "Z", f"ghi chú {i}", "10/01/2019", None, "Đang xử lý", None] for i in range(12)]
    issue = rejection(simple_export(tmp_path / "wrong-date-column.xlsx", rows=rows))
    assert issue.code == q.BAD_MAPPING and issue.column == "Ngày tiếp nhận"


def test_another_date_column_mostly_unreadable_stops_nothing_and_says_so(tmp_path):
    rows = [[i, f"A-{i}", "X", "Y", "Z", "03/01/2019", f"ghi chú {i}", None, "Đang xử lý", None] for i in range(12)]
    reading = read_export(simple_export(tmp_path / "wrong-date-column.xlsx", rows=rows))
    assert reading.rejected is None and len(reading.records) == 12
    [column] = [i for i in reading.issues if i.code == q.DATE_COLUMN_UNREADABLE]
    assert column.column == "Ngày hẹn trả" and column.message.startswith(
        '12/12 giá trị của cột này không đọc được như "Ngày hẹn trả" (ví dụ "ghi chú 0", "ghi chú 1", "ghi chú 2"). '
        "Có thể cột đã bị ánh xạ nhầm")
    # Twelve distinct values: one notice each (at most MAX_VALUE_NOTICES per column).
    assert len([i for i in reading.issues if i.code == q.DATE_UNREADABLE]) == 12


def test_many_distinct_unreadable_values_are_said_in_a_bounded_number_of_notices(tmp_path):
    from analytics.ingest.export_reader import MAX_VALUE_NOTICES
    rows = [[i, f"A-{i}", "X", "Y", "Z", "03/01/2019", f"ghi chú {i}", None, "Đang xử lý", None] for i in range(30)]
    reading = read_export(simple_export(tmp_path / "many-values.xlsx", rows=rows))
    notices = [i for i in reading.issues if i.code == q.DATE_UNREADABLE]
    assert len(notices) == MAX_VALUE_NOTICES + 1
    # Four title rows, the header on row 5, the data from row 6: the 21st value ("ghi chú 20") is on row 26.
    assert notices[-1].message.startswith(f"Còn {30 - MAX_VALUE_NOTICES} cách ghi khác không phải là ngày (10 hồ sơ, "
                                          "dòng đầu tiên 26)")


def test_completion_before_receipt_is_kept_and_left_out_of_counts(tmp_path):
    rows = [[*ROWS[0][:5], "10/01/2019", "15/01/2019", "05/01/2019", "Đã trả kết quả", None]]
    reading = read_export(simple_export(tmp_path / "completion-before-receipt.xlsx", rows=rows))
    assert len(reading.records) == 1  # kept in the data; the classification lists it (tests/test_classification)


def test_rows_without_a_case_id_in_the_data_are_listed(tmp_path):
    rows = [ROWS[0], [2, None, "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "04/01/2019", None, None, "Đang xử lý",
                      None], ROWS[2]]
    reading = read_export(simple_export(tmp_path / "missing-case-id.xlsx", rows=rows))
    assert [(i.code, i.row) for i in reading.issues] == [(q.MISSING_CASE_ID, 7)]
    assert len(reading.records) == 2


def test_html_disguised_as_xls(tmp_path):
    path = tmp_path / "html-as-xls.xls"
    path.write_text("<html><body><table><tr><td>Mã hồ sơ</td></tr></table></body></html>", encoding="utf-8")
    issue = rejection(path)
    assert issue.code == q.NOT_A_SPREADSHEET and "HTML" in issue.message


def test_csv_not_in_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Mã hồ sơ,Ngày tiếp nhận\nA-1,03/01/2019\n".encode("utf-16-le")[:-3])  # cut mid-character
    assert rejection(path).code == q.BAD_ENCODING
    path.write_bytes("Ma ho so,Ngay tiep nhan,Ghi chu\nA-1,03/01/2019,caf\xe9\n".encode("latin-1"))
    issue = rejection(path)
    assert issue.code == q.BAD_ENCODING and "UTF-8" in issue.message


@pytest.mark.parametrize("defect", ["not-a-spreadsheet", "truncated", "empty"])
def test_a_failed_import_changes_nothing_in_the_store(tmp_path, defect):
    store = Store(tmp_path / "data")
    good = store.import_file(simple_export(tmp_path / "good.xlsx"))
    assert good.status == "imported"
    before = (store.imports(), store.records())
    bad = tmp_path / f"{defect}.xlsx"
    if defect == "not-a-spreadsheet":
        bad.write_bytes(b"\x00\x01\x02" * 100)
    elif defect == "truncated":
        bad.write_bytes((tmp_path / "good.xlsx").read_bytes()[:300])
    else:
        openpyxl.Workbook().save(bad)
    result = store.import_file(bad)
    assert result.status == "rejected" and result.rejected.message
    after = (store.imports(), store.records())
    assert before[0].equals(after[0]) and before[1].equals(after[1])


def test_a_member_that_inflates_far_beyond_its_size_is_refused(tmp_path, monkeypatch):
    # Review 2.5: the ratio rule (RULES "Safety"), with the size threshold lowered so the test stays small.
    import os

    from analytics.ingest import sniff
    monkeypatch.setattr(sniff, "RATIO_CHECK_FROM", 2**20)
    whole = simple_export(tmp_path / "whole.xlsx")

    def with_member(name: str, data: bytes):
        path = tmp_path / name
        with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                dst.writestr(item, src.read(item))
            dst.writestr("xl/media/padding.bin", data)
        return path

    assert rejection(with_member("zip-bomb.xlsx", bytes(2 * 2**20))).code == q.UNSAFE_FILE  # ~1000×
    assert read_export(with_member("big-but-honest.xlsx", os.urandom(2 * 2**20))).rejected is None  # ~1×
