"""Wording not in the lists: phrases inside longer headers and values, ambiguity, wordings kept and marked, the
user's value mappings (remembered by the store), and the columns a file lacks (issue 8, the reading part)."""
import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from analytics.dossiers.store import Store
from analytics.ingest.export_reader import read_export
from analytics.ingest.headers import header_match
from analytics.ingest.values import channel_wording, level_wording, status_wording
from analytics.model import issues as q
from analytics.model import schema as s
from tests.workbooks import write_rows

# --- The "done when" test: the same data, worded by the book and worded otherwise ------------------------------

BOOK_HEADER = ["Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Cấp", "Hình thức nộp",
               "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hẹn trả ban đầu", "Ngày có kết quả", "Ngày trả kết quả",
               "Trạng thái"]
# Each header contains a known phrase inside longer wording, none is in DOMAIN.md's lists.
OTHER_HEADER = ["Mã hồ sơ điện tử", "Tên thủ tục được yêu cầu", "Thuộc lĩnh vực", "Cơ quan chủ trì giải quyết hồ sơ",
                "Cấp chính quyền thực hiện", "Kênh gửi hồ sơ của công dân", "Ngày tiếp nhận hồ sơ tại bộ phận một cửa",
                "Ngày hẹn trả kết quả cho công dân", "Ngày hẹn trả ban đầu (trước khi gia hạn)",
                "Ngày có kết quả xử lý", "Ngày trả kết quả cho công dân", "Trạng thái hồ sơ hiện tại"]
# (case id, received, due, original due, completed, returned) shared by both files.
DATES = [("H-1", "03/01/2019", "10/01/2019", None, "08/01/2019", "09/01/2019"),
         ("H-2", "04/01/2019", "11/01/2019", "09/01/2019", "10/01/2019", None),
         ("H-3", "07/01/2019", "14/01/2019", None, None, None),
         ("H-4", "08/01/2019", None, None, None, None),
         ("H-5", "09/01/2019", "16/01/2019", None, "12/01/2019", None),
         ("H-6", "10/01/2019", "17/01/2019", None, None, None)]
# (procedure, field, unit, level, channel, status) by the book, then the same worded otherwise.
BOOK_VALUES = [("Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", "Cấp huyện", "Trực tiếp", "Đã trả kết quả"),
               ("Cấp GCN", "Đất đai", "Phòng TN&MT", "Cấp xã", "Trực tuyến", "Đã xử lý xong"),
               ("Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", "Cấp tỉnh", "Bưu chính công ích", "Đang xử lý"),
               ("Cấp GCN", "Đất đai", "Phòng TN&MT", "Cấp huyện", "Trực tuyến toàn trình", "Không được tiếp nhận"),
               ("Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", "Cấp xã", None, "Công dân yêu cầu rút hồ sơ"),
               ("Cấp GCN", "Đất đai", "Phòng TN&MT", "Cấp huyện", "Trực tiếp", "Yêu cầu bổ sung giấy tờ")]
OTHER_WORDING = {  # level, channel, status
    "H-1": ("UBND cấp huyện", "Nộp trực tiếp tại Bộ phận Một cửa", "Hồ sơ đã trả kết quả cho công dân"),
    "H-2": ("Ủy ban nhân dân cấp xã", "Nộp trực tuyến, nhận kết quả qua bưu chính công ích",
            "Đã xử lý xong, chờ trả kết quả"),
    "H-3": ("Sở ngành cấp tỉnh", "Gửi qua dịch vụ bưu chính công ích", "Hồ sơ đang xử lý tại phòng chuyên môn"),
    "H-4": ("UBND cấp huyện", "Trực tuyến toàn trình (mức độ 4)", "Không được tiếp nhận do thiếu giấy tờ"),
    "H-5": ("Ủy ban nhân dân cấp xã", None, "Công dân đã rút hồ sơ"),
    "H-6": ("UBND cấp huyện", "Nộp trực tiếp tại Bộ phận Một cửa", "Yêu cầu bổ sung giấy tờ lần 2"),
}
COMPARED = [s.CASE_ID, s.PROCEDURE_NAME, s.FIELD, s.UNIT, s.LEVEL, s.CHANNEL_CODE, s.ONLINE_LEVEL, s.RECEIVED_DATE,
            s.DUE_DATE, s.ORIGINAL_DUE_DATE, s.COMPLETED_DATE, s.RETURNED_DATE, s.STATUS_CODE, s.STATUS_INFERRED,
            s.STATUS_UNRECOGNISED, s.CHANNEL_UNRECOGNISED]


def _row(dates, procedure, field, unit, level, channel, status):
    case_id, received, due, original, completed, returned = dates
    return [case_id, procedure, field, unit, level, channel, received, due, original, completed, returned, status]


def book_export(path):
    return write_rows(path, [BOOK_HEADER, *(_row(d, *v) for d, v in zip(DATES, BOOK_VALUES))])


def other_export(path):
    rows = [_row(d, *v[:3], *OTHER_WORDING[d[0]]) for d, v in zip(DATES, BOOK_VALUES)]
    return write_rows(path, [OTHER_HEADER, *rows])


def test_other_wording_with_known_phrases_gives_the_same_records(tmp_path):
    book, other = read_export(book_export(tmp_path / "book.xlsx")), read_export(other_export(tmp_path / "other.xlsx"))
    assert book.rejected is None and other.rejected is None
    assert dict(zip(other.sheets[0].mapping.values(), other.sheets[0].mapping)) == dict(
        zip(book.sheets[0].mapping.values(), OTHER_HEADER))
    r = other.records
    # Worked by hand from the wording: 10 returned, 9 resolved, 4 in progress, 3 not received, 7 withdrawn,
    # 5 waiting for papers; in person, online (the submission part), post, online (full), blank = in person.
    assert r[s.STATUS_CODE].tolist() == [10, 9, 4, 3, 7, 5]
    assert r[s.CHANNEL_CODE].tolist() == [1, 2, 3, 2, 1, 1]
    assert r[s.ONLINE_LEVEL].tolist()[3] == "toàn trình"
    assert r[s.LEVEL].tolist() == ["Cấp huyện", "Cấp xã", "Cấp tỉnh", "Cấp huyện", "Cấp xã", "Cấp huyện"]
    assert r[s.ORIGINAL_DUE_DATE].dt.date.tolist()[1] == dt.date(2019, 1, 9)
    pd.testing.assert_frame_equal(r[COMPARED], book.records[COMPARED])
    # Every header and every distinct value read by a phrase says so, once; the book's wording needs no notice.
    phrased = [i for i in other.issues if i.code == q.MATCHED_BY_PHRASE]
    assert {i.column for i in phrased if i.row == 5} == set(OTHER_HEADER)  # the header row, below 4 title rows
    assert {i.value for i in phrased if i.column == "Trạng thái hồ sơ hiện tại" and i.row > 5} == {
        w[2] for w in OTHER_WORDING.values()}
    assert len([i for i in phrased if i.value == "UBND cấp huyện"]) == 1  # three rows, one notice
    assert not [i for i in book.issues if i.code == q.MATCHED_BY_PHRASE]


# --- Headers --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, field, how", [
    ("Mã hồ sơ", s.CASE_ID, "exact"),
    ("Số hồ sơ một cửa liên thông", s.CASE_ID, "phrase"),
    ("Kênh", s.CHANNEL, "exact"),
    ("Kênh gửi hồ sơ", s.CHANNEL, "phrase"),
    ("Hình thức gửi", s.CHANNEL, "phrase"),
    ("Phương thức tiếp nhận", s.CHANNEL, "exact"),
    ("Phương thức nộp hồ sơ qua mạng", s.CHANNEL, "phrase"),
    ("Hình thức nhận kết quả", None, "none"),  # how the result is delivered, not the channel
    ("Hình thức trả kết quả", None, "none"),
    ("Thời hạn giải quyết", None, "none"),     # a number of days, not a due date
    ("Ngày tiếp nhận hồ sơ trực tuyến", s.RECEIVED_DATE, "phrase"),
    ("Hạn xử lý theo quy định", s.DUE_DATE, "phrase"),
    ("Ngày hẹn trả ban đầu (trước gia hạn)", s.ORIGINAL_DUE_DATE, "phrase"),
    ("Ngày kết thúc xử lý hồ sơ", s.COMPLETED_DATE, "phrase"),
    ("Ngày trả kết quả cho tổ chức", s.RETURNED_DATE, "phrase"),
    ("Tình trạng hồ sơ hiện nay", s.STATUS, "phrase"),
    ("Tên thủ tục hành chính thực hiện", s.PROCEDURE_NAME, "phrase"),
    ("Lĩnh vực thủ tục hành chính", s.FIELD, "phrase"),  # the procedure is what the field is about
    ("Cấp thực hiện thủ tục", s.LEVEL, "phrase"),
    ("Đơn vị chủ trì xử lý hồ sơ", s.UNIT, "phrase"),
    ("Ngày cập nhật trạng thái", None, "none"),  # a date, whatever it is the date of
    ("Mã hồ sơ / Ngày tiếp nhận", None, "ambiguous"),
    ("Mã tra cứu", None, "none"),
])
def test_headers_by_exact_wording_or_a_phrase_inside(text, field, how):
    match = header_match(text)
    assert (match.field, match.how) == (field, how)


def test_a_header_naming_two_fields_is_left_for_the_user_to_map(tmp_path):
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày có kết quả", "Trạng thái / Hình thức nộp", "Ngày hẹn trả"]
    path = write_rows(tmp_path / "ambiguous-header.xlsx", [header, ["A-1", "03/01/2019", None, "Đang xử lý", None]])
    reading = read_export(path)
    assert "Trạng thái / Hình thức nộp" in reading.sheets[0].ignored
    assert reading.sheets[0].ambiguous == {"Trạng thái / Hình thức nộp": [s.STATUS, s.CHANNEL]}
    [notice] = [i for i in reading.issues if i.code == q.AMBIGUOUS_HEADER]
    assert notice.level == q.NOTICE and '"Trạng thái" (status)' in notice.message
    assert '"Hình thức nộp" (channel)' in notice.message and "--map" in notice.message
    assert reading.records[s.STATUS_INFERRED].tolist() == [True]
    mapped = read_export(path, overrides={"Trạng thái / Hình thức nộp": s.STATUS})
    assert mapped.records[s.STATUS_CODE].tolist() == [4] and not mapped.records[s.STATUS_INFERRED].any()
    assert not [i for i in mapped.issues if i.code == q.AMBIGUOUS_HEADER]


def test_received_date_is_the_tiep_nhan_column_even_when_ngay_nop_comes_first(tmp_path):
    header = ["Mã hồ sơ", "Ngày nộp", "Ngày tiếp nhận", "Trạng thái"]
    path = write_rows(tmp_path / "nop-before-tiep-nhan.xlsx", [header, ["A-1", "31/03/2019", "02/04/2019", "4"]])
    reading = read_export(path)
    assert reading.sheets[0].mapping["Ngày tiếp nhận"] == s.RECEIVED_DATE
    assert reading.records[s.RECEIVED_DATE].dt.date.tolist() == [dt.date(2019, 4, 2)]  # Q2, not Q1
    [duplicate] = [i for i in reading.issues if i.code == q.DUPLICATE_COLUMN]
    assert duplicate.column == "Ngày nộp" and '"Ngày tiếp nhận"' in duplicate.message
    chosen = read_export(path, overrides={"Ngày nộp": s.RECEIVED_DATE})  # the user's choice wins
    assert chosen.records[s.RECEIVED_DATE].dt.date.tolist() == [dt.date(2019, 3, 31)]


def test_the_channel_column_is_the_one_naming_the_submission(tmp_path):
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Hình thức nhận kết quả", "Kênh", "Phương thức nộp"]
    path = write_rows(tmp_path / "two-channel-columns.xlsx",
                      [header, ["A-1", "03/01/2019", "Bưu chính công ích", "Trực tiếp", "Trực tuyến"]])
    reading = read_export(path)
    assert reading.sheets[0].mapping["Phương thức nộp"] == s.CHANNEL
    assert "Hình thức nhận kết quả" in reading.sheets[0].ignored
    assert reading.records[s.CHANNEL_CODE].tolist() == [2]


def test_the_register_layout_of_older_systems(tmp_path):
    header = ["Số TT", "Số hồ sơ", "Nội dung công việc cần giải quyết", "Ngày nhận hồ sơ", "Ngày hẹn trả hồ sơ",
              "Ngày ký hồ sơ", "Ngày trả thực tế"]
    path = write_rows(tmp_path / "register.xlsx",
                      [header, [1, "SO-1", "Chứng thực bản sao", "02/01/2019", "04/01/2019", "03/01/2019",
                                "07/01/2019"]])
    reading = read_export(path)
    assert reading.sheets[0].mapping == {"Số hồ sơ": s.CASE_ID, "Nội dung công việc cần giải quyết": s.PROCEDURE_NAME,
                                         "Ngày nhận hồ sơ": s.RECEIVED_DATE, "Ngày hẹn trả hồ sơ": s.DUE_DATE,
                                         "Ngày ký hồ sơ": s.COMPLETED_DATE, "Ngày trả thực tế": s.RETURNED_DATE}
    r = reading.records
    assert (r[s.COMPLETED_DATE].dt.date.tolist(), r[s.RETURNED_DATE].dt.date.tolist()) == (
        [dt.date(2019, 1, 3)], [dt.date(2019, 1, 7)])
    assert r[s.STATUS_CODE].tolist() == [10] and r[s.STATUS_INFERRED].all()


# --- Values ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, code, how", [
    ("Đã trả kết quả", 10, "exact"),
    ("Không được tiếp nhận", 3, "exact"),
    ("Hồ sơ không được tiếp nhận", 3, "phrase"),          # not 2: "được tiếp nhận" lies inside
    ("Đã xử lý xong, chờ trả kết quả", 9, "phrase"),      # not 10: "trả kết quả" lies inside "chờ trả kết quả"
    ("Chưa trả kết quả", None, "unrecognised"),           # a negation is not the status it negates
    ("Đã tiếp nhận, đang xử lý", None, "ambiguous"),      # 2 or 4: not guessed
    ("Đã xong xuôi", None, "unrecognised"),
])
def test_status_phrases_and_the_containment_rule(text, code, how):
    wording = status_wording(text)
    assert (wording.read_as, wording.how) == (code, how)


def test_an_ambiguous_status_names_its_candidates():
    assert status_wording("Đã tiếp nhận, đang xử lý").candidates == (2, 4)


@pytest.mark.parametrize("text, code, how", [
    ("Nộp trực tuyến, nhận kết quả qua bưu chính công ích", 2, "phrase"),
    ("Trực tiếp - trả kết quả qua dịch vụ bưu chính", 1, "phrase"),
    ("Nhận kết quả qua bưu chính, nộp trực tuyến", 2, "phrase"),
    ("Nộp qua bưu chính công ích, trả kết quả trực tiếp", 3, "phrase"),
    ("Trực tiếp hoặc trực tuyến", None, "ambiguous"),
    ("Nộp trực tiếp, nộp trực tuyến, nhận kết quả qua bưu chính", None, "ambiguous"),
    ("Qua Zalo", None, "unrecognised"),
])
def test_channel_wording_naming_submission_and_result_reads_the_submission(text, code, how):
    wording = channel_wording(text)
    assert (wording.read_as, wording.how) == (code, how)


@pytest.mark.parametrize("text, level, how", [
    ("Huyện", "Cấp huyện", "exact"), ("UBND cấp huyện", "Cấp huyện", "phrase"),
    ("Thành phố thuộc tỉnh", "Cấp huyện", "exact"), ("Phường Đông Kinh, thành phố Lạng Sơn", None, "ambiguous"),
])
def test_level_phrases(text, level, how):
    wording = level_wording(text)
    assert (wording.read_as, wording.how) == (level, how)


HEADER = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Hình thức nộp", "Cấp"]


def _export(path, rows):
    """The header on row 1, the rows from row 2."""
    return write_rows(path, [HEADER, *rows], title_rows=[])


def test_an_unknown_status_keeps_its_row_inferred_from_its_dates_and_marked(tmp_path):
    rows = [["A-1", "03/01/2019", "10/01/2019", "08/01/2019", "Xong xuôi", "Trực tiếp", "Huyện"],
            ["A-2", "04/01/2019", "11/01/2019", None, "Xong xuôi", "Trực tiếp", "Huyện"],
            ["A-3", "05/01/2019", "12/01/2019", None, "Đang xử lý", "Trực tiếp", "Huyện"],
            ["A-4", "06/01/2019", "12/01/2019", None, "Đã tiếp nhận, đang xử lý", "Trực tiếp", "Huyện"]]
    reading = read_export(_export(tmp_path / "unknown-status.xlsx", rows))
    r = reading.records
    assert r[s.CASE_ID].tolist() == ["A-1", "A-2", "A-3", "A-4"] and reading.rows_skipped == 0
    assert r[s.STATUS_CODE].tolist() == [10, 4, 4, 4]  # completed -> 10; else 4
    assert r[s.STATUS_UNRECOGNISED].tolist() == [True, True, False, True]
    assert r[s.STATUS_INFERRED].tolist() == [True, True, False, True]
    notices = [i for i in reading.issues if i.code == q.STATUS_UNRECOGNISED]
    assert [(i.level, i.value, i.row) for i in notices] == [(q.NOTICE, "Xong xuôi", 2),
                                                            (q.NOTICE, "Đã tiếp nhận, đang xử lý", 5)]
    assert "(2 hồ sơ, dòng đầu tiên 2)" in notices[0].message
    assert '--map-value "status:Xong xuôi=' in notices[0].message and "trang Dữ liệu" in notices[0].message
    assert "Được tiếp nhận" in notices[1].message and "Đang xử lý" in notices[1].message
    counts = {d["value"]: (d["count"], d["read_as"], d["how"]) for d in reading.value_counts[s.STATUS]}
    assert counts == {"Xong xuôi": (2, None, "unrecognised"), "Đang xử lý": (1, 4, "exact"),
                      "Đã tiếp nhận, đang xử lý": (1, None, "ambiguous")}


def test_an_unknown_channel_counts_as_in_person_and_is_marked(tmp_path):
    rows = [["A-1", "03/01/2019", None, None, "4", "Qua Zalo", None],
            ["A-2", "04/01/2019", None, None, "4", None, None],
            ["A-3", "05/01/2019", None, None, "4", "Qua Zalo", None]]
    reading = read_export(_export(tmp_path / "unknown-channel.xlsx", rows))
    r = reading.records
    assert r[s.CHANNEL_CODE].tolist() == [1, 1, 1]
    assert r[s.CHANNEL_UNRECOGNISED].tolist() == [True, False, True]
    [notice] = [i for i in reading.issues if i.code == q.CHANNEL_UNRECOGNISED]
    assert (notice.value, notice.row, notice.column) == ("Qua Zalo", 2, "Hình thức nộp")
    assert "(2 hồ sơ, dòng đầu tiên 2)" in notice.message and '--map-value "channel:Qua Zalo=' in notice.message
    assert reading.value_counts[s.CHANNEL] == [{"value": "Qua Zalo", "count": 2, "read_as": None,
                                                "how": "unrecognised", "candidates": []}]


def test_a_channel_column_mostly_unreadable_is_a_wrong_mapping(tmp_path):
    rows = [[f"A-{i}", "03/01/2019", None, None, "4", "Phòng Tư pháp", None] for i in range(12)]
    reading = read_export(_export(tmp_path / "wrong-channel-column.xlsx", rows))
    assert reading.rejected.code == q.BAD_MAPPING and reading.rejected.column == "Hình thức nộp"
    assert reading.records.empty


def test_a_status_column_mostly_unknown_is_a_wrong_mapping_but_phrases_count_as_read(tmp_path):
    unknown = [[f"A-{i}", "03/01/2019", None, None, "Phòng Tư pháp", None, None] for i in range(12)]
    assert read_export(_export(tmp_path / "wrong-status.xlsx", unknown)).rejected.code == q.BAD_MAPPING
    phrased = [[f"A-{i}", "03/01/2019", None, None, "Hồ sơ đã trả kết quả cho công dân", None, None]
               for i in range(12)]
    reading = read_export(_export(tmp_path / "phrased-status.xlsx", phrased))
    assert reading.rejected is None and reading.records[s.STATUS_CODE].tolist() == [10] * 12


# --- The user's value mappings --------------------------------------------------------------------------------

ODD_ROWS = [["A-1", "03/01/2019", "10/01/2019", "08/01/2019", "Xong xuôi", "Qua Zalo", "Liên thông"],
            ["A-2", "04/01/2019", "11/01/2019", None, "Đang xử lý", "Qua Zalo", "Huyện"]]


def test_value_mappings_win_over_every_other_reading(tmp_path):
    path = _export(tmp_path / "odd-values.xlsx", ODD_ROWS)
    mappings = {"status": {"xong xuoi": 9, "Đang xử lý": "5"}, "channel": {"QUA ZALO": 2},
                "level": {"Liên thông": "Cấp huyện"}}
    reading = read_export(path, value_overrides=mappings)
    r = reading.records
    assert r[s.STATUS_CODE].tolist() == [9, 5] and not r[s.STATUS_UNRECOGNISED].any()
    assert r[s.CHANNEL_CODE].tolist() == [2, 2] and not r[s.CHANNEL_UNRECOGNISED].any()
    assert r[s.LEVEL].tolist() == ["Cấp huyện", "Cấp huyện"]
    assert not {q.STATUS_UNRECOGNISED, q.CHANNEL_UNRECOGNISED, q.MATCHED_BY_PHRASE} & {i.code for i in reading.issues}
    hows = {f: {d["value"]: (d["read_as"], d["how"]) for d in rows} for f, rows in reading.value_counts.items()}
    assert hows == {s.STATUS: {"Xong xuôi": (9, "override"), "Đang xử lý": (5, "override")},
                    s.CHANNEL: {"Qua Zalo": (2, "override")},
                    s.LEVEL: {"Liên thông": ("Cấp huyện", "override"), "Huyện": ("Cấp huyện", "exact")}}


def test_a_value_mapping_naming_no_code_is_listed_and_not_used(tmp_path):
    reading = read_export(_export(tmp_path / "odd-values.xlsx", ODD_ROWS),
                          value_overrides={"status": {"Xong xuôi": 11}, "channel": {"Qua Zalo": "trực tuyến"}})
    assert [i.value for i in reading.issues if i.code == q.BAD_VALUE_MAPPING] == ["Xong xuôi", "Qua Zalo"]
    assert reading.records[s.STATUS_UNRECOGNISED].tolist() == [True, False]


def test_value_mappings_are_remembered_for_files_with_the_same_header(tmp_path):
    store = Store(tmp_path / "data")
    first = store.import_file(_export(tmp_path / "q1.xlsx", ODD_ROWS[:1]),
                              value_overrides={"status": {"Xong xuôi": 9}})
    assert first.status == "imported"
    store.import_file(_export(tmp_path / "q2.xlsx", ODD_ROWS[1:]), value_overrides={"channel": {"Qua Zalo": 3}})
    signature = first.reading.sheets[0].signature
    assert store.remembered_value_mappings() == {signature: {"status": {"Xong xuôi": 9}, "channel": {"Qua Zalo": 3}}}
    assert store.remembered_mappings() == {}  # no header mapping was given
    later = [["A-3", "05/01/2019", None, None, "Xong xuôi", "Qua Zalo", None]]
    third = store.import_file(_export(tmp_path / "q3.xlsx", later))  # nothing given this time
    assert third.reading.records[s.STATUS_CODE].tolist() == [9]
    assert third.reading.records[s.CHANNEL_CODE].tolist() == [3]
    assert not third.reading.records[[s.STATUS_UNRECOGNISED, s.CHANNEL_UNRECOGNISED]].any().any()
    assert store.records()[s.STATUS_UNRECOGNISED].tolist() == [False, False, False]


# --- Missing columns ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dropped, missing", [
    ([], []),
    (["Hình thức nộp"], [s.CHANNEL]),
    (["Ngày hẹn trả"], [s.DUE_DATE]),
    (["Ngày có kết quả"], []),                         # the return date is the fallback
    (["Ngày có kết quả", "Ngày trả kết quả"], [s.FINISH_DATES]),
    (["Trạng thái"], [s.STATUS]),
    (["Hình thức nộp", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái"],
     [s.CHANNEL, s.DUE_DATE, s.FINISH_DATES, s.STATUS]),
])
def test_missing_columns_are_listed_with_what_they_prevent(tmp_path, dropped, missing):
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái",
              "Hình thức nộp"]
    row = ["A-1", "03/01/2019", "10/01/2019", "08/01/2019", "09/01/2019", "10", "Trực tiếp"]
    keep = [i for i, h in enumerate(header) if h not in dropped]
    reading = read_export(write_rows(tmp_path / "missing.xlsx", [[header[i] for i in keep], [row[i] for i in keep]]))
    assert reading.missing_fields == missing
    notices = [i for i in reading.issues if i.code == q.MISSING_FIELD]
    assert [i.value for i in notices] == missing and all(i.level == q.NOTICE for i in notices)
    said = {i.value: i.message for i in notices}
    expected_words = {s.CHANNEL: "không tách được trực tuyến / trực tiếp",
                      s.DUE_DATE: "không phân biệt được trước hạn / đúng hạn / quá hạn",
                      s.FINISH_DATES: "không biết hồ sơ nào đã giải quyết xong",
                      s.STATUS: "trạng thái suy ra từ ngày tháng"}
    assert all(expected_words[f] in said[f].lower() for f in missing)


def test_the_store_keeps_each_imports_missing_fields(tmp_path):
    store = Store(tmp_path / "data")
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"]
    result = store.import_file(write_rows(tmp_path / "thin.xlsx", [header, ["A-1", "03/01/2019", "4"]]))
    assert store.imports()["missing_fields"].tolist() == [[s.CHANNEL, s.DUE_DATE, s.FINISH_DATES]]
    assert store.missing_fields() == {f: {result.import_id: "thin.xlsx"} for f in (s.CHANNEL, s.DUE_DATE, s.FINISH_DATES)}


def _old_store(data, without: tuple[str, ...]) -> None:
    """A store's tables as they were before the record columns `without` were added (and before issue 8's
    `missing_fields` and value mappings)."""
    data.mkdir()
    old_records = [c for c in s.RECORD_COLUMNS if c not in without]
    types = {**{c: "DATE" for c in s.DATE_FIELDS}, s.STATUS_CODE: "TINYINT", s.CHANNEL_CODE: "TINYINT",
             s.APOLOGY: "BOOLEAN", **{c: "BOOLEAN" for c in s.FLAG_COLUMNS}, s.SOURCE_ROW: "INTEGER"}
    con = duckdb.connect(str(data / "onestop.duckdb"))
    con.execute("CREATE SEQUENCE import_ids START 1")
    con.execute("CREATE TABLE imports (import_id INTEGER PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR, "
                "sha256 VARCHAR UNIQUE, sheets VARCHAR, rows_read INTEGER, rows_imported INTEGER, "
                "rows_skipped INTEGER, mapping VARCHAR)")
    con.execute("CREATE TABLE records (import_id INTEGER, "
                + ", ".join(f"{c} {types.get(c, 'VARCHAR')}" for c in old_records) + ")")
    con.execute('CREATE TABLE issues (import_id INTEGER, code VARCHAR, level VARCHAR, file VARCHAR, sheet VARCHAR, '
                '"row" INTEGER, "column" VARCHAR, value VARCHAR, message VARCHAR)')
    con.execute("CREATE TABLE mappings (signature VARCHAR PRIMARY KEY, overrides VARCHAR, updated_at TIMESTAMP)")
    con.execute("INSERT INTO imports VALUES (nextval('import_ids'), now(), 'old.xlsx', 'abc', '[]', 1, 1, 0, '{}')")
    con.execute("INSERT INTO records (import_id, case_id, received_date, status_code, channel_code, "
                "status_inferred, source_sheet, source_row) VALUES (1, 'OLD-1', DATE '2019-01-03', 4, 1, false, "
                "'S', 2)")
    con.execute("INSERT INTO mappings VALUES ('ma tra cuu|ngay tiep nhan', ?, now())",
                [json.dumps({"Mã tra cứu": "case_id"})])
    con.close()


def test_a_store_made_before_these_columns_keeps_working(tmp_path):
    """The tables as they were before issue 8: reads work at once, the next import adds the new columns."""
    data = tmp_path / "data"
    _old_store(data, (s.STATUS_UNRECOGNISED, s.CHANNEL_UNRECOGNISED))
    store = Store(data)
    assert store.records()[s.STATUS_UNRECOGNISED].tolist() == [False]
    assert store.imports()["missing_fields"].tolist() == [[]]
    assert store.remembered_mappings() == {"ma tra cuu|ngay tiep nhan": {"Mã tra cứu": "case_id"}}
    assert store.remembered_value_mappings() == {}
    result = store.import_file(_export(tmp_path / "new.xlsx", ODD_ROWS), value_overrides={"status": {"Xong xuôi": 9}})
    assert result.status == "imported"
    assert sorted(store.records()[s.CASE_ID]) == ["A-1", "A-2", "OLD-1"]
    assert len(store.remembered_value_mappings()) == 1


def test_a_store_made_before_the_date_flags_keeps_working(tmp_path):
    """A store written before issue 16 has no due_date_unreadable / finish_date_unreadable columns: reads give
    False at once, the next import adds the columns."""
    data = tmp_path / "data"
    _old_store(data, (s.DUE_DATE_UNREADABLE, s.FINISH_DATE_UNREADABLE))
    store = Store(data)
    assert store.records()[s.DUE_DATE_UNREADABLE].tolist() == [False]
    rows = [["A-2", "04/01/2019", "tuần sau", None, "Đang xử lý", "Trực tiếp", "Huyện"]]
    assert store.import_file(_export(tmp_path / "new.xlsx", rows)).status == "imported"
    assert store.records()[s.DUE_DATE_UNREADABLE].tolist() == [False, True]
    assert store.records()[s.FINISH_DATE_UNREADABLE].tolist() == [False, False]
