"""Review 2026-12-07 §1.1: a date column's words never drop a received dossier.

Only an unreadable received date skips a row. A due, original due, completion or return date that cannot be read
keeps the dossier in the counts, marked and counted in a caveat; "Trong ngày" in a due-date column is the received
day, "Không quy định" (and "Không thời hạn", "Không có") is no due date. Every export is built here, in code.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.analyses import caveats as cv
from analytics.analyses.bieu06 import official_table
from analytics.analyses.classification import classify
from analytics.dossiers.sources import read_files
from analytics.ingest.export_reader import read_export
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.outputs.sentences import caveat_sentence, table_notes

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
HEADER = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Hình thức nộp"]
# Twelve dossiers received in Q1/2019 (01/01 – 31/03), all in person. Worked by hand, each against its due date:
ROWS = [
    ["A-01", "02/01/2019", "09/01/2019", "08/01/2019", "Đã trả kết quả", "Trực tiếp"],   # 08 < 09: early
    ["A-02", "03/01/2019", "10/01/2019", "10/01/2019", "Đã trả kết quả", "Trực tiếp"],   # on the day: on time
    ["A-03", "04/01/2019", "11/01/2019", "14/01/2019", "Đã trả kết quả", "Trực tiếp"],   # 14 > 11: late
    ["A-04", "07/01/2019", "Không quy định", "30/01/2019", "Đã trả kết quả", "Trực tiếp"],  # no due date: on time
    ["A-05", "08/01/2019", "Trong ngày", "08/01/2019", "Đã trả kết quả", "Trực tiếp"],   # due 08/01: on time
    ["A-06", "09/01/2019", "Trong ngày", "10/01/2019", "Đã trả kết quả", "Trực tiếp"],   # due 09/01: late
    ["A-07", "10/01/2019", "17/01/2019", None, "Đang xử lý", "Trực tiếp"],              # 17/01 < 31/03: overdue
    ["A-08", "20/03/2019", "05/04/2019", None, "Đang xử lý", "Trực tiếp"],              # due after the end: in time
    ["A-09", "11/01/2019", "Không quy định", None, "Đang xử lý", "Trực tiếp"],          # no due date: in time
    ["A-10", "14/01/2019", "tuần sau", "15/01/2019", "Đã trả kết quả", "Trực tiếp"],    # unreadable: as no due date
    ["A-11", "15/01/2019", "22/01/2019", "chưa rõ", "Đang xử lý", "Trực tiếp"],         # unreadable: not finished
    ["A-12", "16/01/2019", "23/01/2019", "18/01/2019", "Đã trả kết quả", "Trực tiếp"],   # 18 < 23: early
]
# Biểu 06 of those twelve, by hand: early; on time; late;
# pending in time; pending overdue.
EXPECTED = {"received_total": 12, "received_online": 0, "received_direct_postal": 12, "carried_over": 0,
            "resolved_total": 8, "resolved_early": 2, "resolved_on_time": 4, "resolved_late": 2,
            "pending_total": 4, "pending_in_time": 2, "pending_overdue": 2, "withdrawn": 0}


def write_csv(path, rows, header=HEADER):
    lines = [",".join("" if c is None else str(c) for c in row) for row in [header, *rows]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(table) -> dict:
    return {k: table.total[k] for k in EXPECTED}


def test_twelve_received_are_twelve_in_column_3_whatever_their_dates_say(tmp_path):
    source = read_files([write_csv(tmp_path / "ngay-bang-chu.csv", ROWS)])
    assert source.rejected == []
    assert counts(official_table(source.dossiers, Q1)) == EXPECTED
    reading = source.readings[0]
    assert reading.rows_skipped == 0 and len(reading.records) == 12


def test_words_in_a_due_date_column_read_as_the_rule_says(tmp_path):
    dossiers = read_files([write_csv(tmp_path / "ngay-bang-chu.csv", ROWS)]).dossiers.set_index(s.CASE_ID)
    assert dossiers.loc["A-05", s.DUE_DATE] == pd.Timestamp("2019-01-08")   # "Trong ngày" = the received day
    assert dossiers.loc["A-06", s.DUE_DATE] == pd.Timestamp("2019-01-09")
    assert pd.isna(dossiers.loc["A-04", s.DUE_DATE]) and pd.isna(dossiers.loc["A-09", s.DUE_DATE])
    # Only cells that are neither a date nor a known wording are marked as unreadable.
    assert dossiers[s.DUE_DATE_UNREADABLE].tolist() == [c == "A-10" for c in dossiers.index]
    assert dossiers[s.FINISH_DATE_UNREADABLE].tolist() == [c == "A-11" for c in dossiers.index]


def test_each_wording_and_each_unreadable_value_gets_one_notice_with_where_what_and_how(tmp_path):
    reading = read_export(write_csv(tmp_path / "ngay-bang-chu.csv", ROWS))
    words = [(i.code, i.level, i.row, i.column, i.value) for i in reading.issues if i.code == q.DATE_IN_WORDS]
    # CSV rows: the header is row 1, A-04 row 5, A-05 row 6, A-09 row 10.
    assert words == [(q.DATE_IN_WORDS, q.NOTICE, 5, "Ngày hẹn trả", "Không quy định"),
                     (q.DATE_IN_WORDS, q.NOTICE, 6, "Ngày hẹn trả", "Trong ngày")]
    no_due, same_day = [i for i in reading.issues if i.code == q.DATE_IN_WORDS]
    assert "2 hồ sơ" in no_due.message and "không có ngày hẹn trả" in no_due.message
    assert "2 hồ sơ" in same_day.message and "ngày tiếp nhận" in same_day.message
    unreadable = [i for i in reading.issues if i.code == q.DATE_UNREADABLE]
    assert [(i.level, i.row, i.column, i.value) for i in unreadable] == [
        (q.NOTICE, 11, "Ngày hẹn trả", "tuần sau"), (q.NOTICE, 12, "Ngày có kết quả", "chưa rõ")]
    assert q.describe(unreadable[0]).startswith('Tệp ngay-bang-chu.csv, trang "CSV", dòng 11, cột "Ngày hẹn trả": '
                                                '"tuần sau" không phải là ngày (1 hồ sơ')
    assert "31/03/2019" in unreadable[0].message and "vẫn được tính" in unreadable[0].message
    assert not [i for i in reading.issues if i.level != q.NOTICE]


def test_the_caveats_count_the_dossiers_concerned_beside_the_figures_they_touch(tmp_path):
    source = read_files([write_csv(tmp_path / "ngay-bang-chu.csv", ROWS)])
    found = {c.code: c for c in cv.caveats(classify(source.dossiers, Q1), source.missing_fields())}
    assert {code: c.count for code, c in found.items()} == {
        "due_date_unreadable": 1,
        "finish_date_unreadable": 1,
        "due_date_none": 2,           # A-04 and A-09 ("Không quy định"); A-10 is counted as unreadable
    }
    assert "resolved_on_time" in found["due_date_none"].affects
    assert "resolved_total" in found["finish_date_unreadable"].affects
    assert caveat_sentence(found["due_date_none"]) == (
        "2 hồ sơ không có ngày hẹn trả (ô để trống hoặc ghi \"Không quy định\"): đang tính là đúng hạn hoặc trong "
        "hạn.")
    assert caveat_sentence(found["due_date_unreadable"]) == (
        "1 hồ sơ có ngày hẹn trả không đọc được như ngày: coi như không có ngày hẹn trả (đang tính là đúng hạn "
        "hoặc trong hạn); danh sách ở các vấn đề dữ liệu của lần nhập.")
    assert caveat_sentence(found["finish_date_unreadable"]) == (
        "1 hồ sơ có ngày có kết quả hoặc ngày trả kết quả không đọc được như ngày: coi như chưa có ngày đó (hồ sơ "
        "không còn ngày kết thúc nào tính là đang giải quyết, hoặc không xếp được vào biểu khi trạng thái đã kết "
        "thúc); danh sách ở các vấn đề dữ liệu của lần nhập.")


NO_LIMIT = [[f"B-{n:02d}", f"{n + 1:02d}/02/2019", "Không quy định" if n < 7 else f"{n + 10:02d}/02/2019",
             f"{n + 5:02d}/02/2019" if n % 2 else None, "Đã trả kết quả" if n % 2 else "Đang xử lý", "Trực tiếp"]
            for n in range(12)]


def test_no_limit_in_words_gives_the_same_bieu06_as_blank_cells_even_for_most_of_the_column(tmp_path):
    """Issue 16, done when: 7 of 12 due dates say "Không quy định" (more than half: the file was refused)."""
    blank = [[*row[:2], None if row[2] == "Không quy định" else row[2], *row[3:]] for row in NO_LIMIT]
    words = read_files([write_csv(tmp_path / "khong-quy-dinh.csv", NO_LIMIT)])
    blanks = read_files([write_csv(tmp_path / "de-trong.csv", blank)])
    assert words.rejected == [] and blanks.rejected == []
    for by in (None, "official", "channel"):
        a, b = official_table(words.dossiers, Q1, by), official_table(blanks.dossiers, Q1, by)
        assert a.total == b.total
        pd.testing.assert_frame_equal(a.groups, b.groups)
    # By hand: B-00…B-06 have no due date; the odd ones finished (on time), the even ones pending (in time).
    # B-07…B-11 are due 17–21/02: B-07 done 12/02 early, B-09 done 14/02 early, B-11 done 16/02 early;
    # B-08 (due 18/02) and B-10 (due 20/02) are pending and overdue at 31/03.
    total = official_table(words.dossiers, Q1).total
    assert (total["received_total"], total["resolved_early"], total["resolved_on_time"], total["resolved_late"],
            total["pending_in_time"], total["pending_overdue"]) == (12, 3, 3, 0, 4, 2)
    notes = [table_notes(cv.caveats(classify(x.dossiers, Q1), x.missing_fields()), {}) for x in (words, blanks)]
    assert notes[0] == notes[1] == ['7 hồ sơ không có ngày hẹn trả (ô để trống hoặc ghi "Không quy định"): đang '
                                    'tính là đúng hạn hoặc trong hạn.']


@pytest.mark.parametrize("wording", ["Không quy định", "KHONG QUY DINH", "Không thời hạn", "Không có",
                                     "Không quy định thời hạn"])
def test_each_no_limit_wording_is_no_due_date(tmp_path, wording):
    rows = [["C-1", "02/01/2019", wording, "20/01/2019", "Đã trả kết quả", "Trực tiếp"]]
    reading = read_export(write_csv(tmp_path / "mot-dong.csv", rows))
    assert len(reading.records) == 1 and pd.isna(reading.records[s.DUE_DATE].iloc[0])
    assert not reading.records[s.DUE_DATE_UNREADABLE].iloc[0]
    assert official_table(reading.records, Q1).total["resolved_on_time"] == 1


@pytest.mark.parametrize("wording", ["Trong ngày", "TRONG NGAY", "Trả trong ngày", "Trong ngày làm việc"])
def test_same_day_wordings_are_the_received_day_also_as_the_original_due_date(tmp_path, wording):
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả ban đầu", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    # Received Mon 07/01, promised the same day, moved to 09/01 after an apology, done 09/01: late against the
    # original due date (DOMAIN: lateness is measured against it).
    rows = [["C-1", "07/01/2019 09:30", wording, "09/01/2019", "09/01/2019", "Đã trả kết quả"]]
    reading = read_export(write_csv(tmp_path / "trong-ngay.csv", rows, header))
    assert reading.records[s.ORIGINAL_DUE_DATE].iloc[0] == pd.Timestamp("2019-01-07")
    assert official_table(reading.records, Q1).total["resolved_late"] == 1


def test_a_due_date_column_mostly_unreadable_keeps_every_dossier_with_a_notice(tmp_path):
    rows = [[f"D-{n:02d}", "03/01/2019", "sai" if n < 7 else "10/01/2019", None, "Đang xử lý", "Trực tiếp"]
            for n in range(12)]
    reading = read_export(write_csv(tmp_path / "cot-hen-tra-sai.csv", rows))
    assert reading.rejected is None and len(reading.records) == 12
    [column] = [i for i in reading.issues if i.code == q.DATE_COLUMN_UNREADABLE]
    assert (column.level, column.column) == (q.NOTICE, "Ngày hẹn trả") and "7/12" in column.message
    assert reading.records[s.DUE_DATE_UNREADABLE].sum() == 7
    total = official_table(reading.records, Q1).total
    # 7 unreadable = no due date, pending in time; 5 due 10/01, pending overdue at 31/03.
    assert (total["received_total"], total["pending_in_time"], total["pending_overdue"]) == (12, 7, 5)


def test_a_completion_date_column_mostly_unreadable_is_not_refused_either(tmp_path):
    rows = [[f"E-{n:02d}", "03/01/2019", "10/01/2019", "xong" if n < 7 else "08/01/2019", None, "Trực tiếp"]
            for n in range(12)]
    reading = read_export(write_csv(tmp_path / "cot-ket-qua-sai.csv", rows))
    assert reading.rejected is None and len(reading.records) == 12
    assert reading.records[s.FINISH_DATE_UNREADABLE].sum() == 7
    # No status column: the 7 without a readable finish date are in progress, the 5 others resolved early.
    total = official_table(reading.records, Q1).total
    assert (total["received_total"], total["resolved_early"], total["pending_overdue"]) == (12, 5, 7)


def test_an_unreadable_received_date_still_skips_its_row(tmp_path):
    rows = [ROWS[0], ["A-99", "hôm qua", "10/01/2019", None, "Đang xử lý", "Trực tiếp"], ROWS[1]]
    reading = read_export(write_csv(tmp_path / "ngay-nhan-sai.csv", rows))
    assert reading.records[s.CASE_ID].tolist() == ["A-01", "A-02"] and reading.rows_skipped == 1
    [issue] = reading.issues
    assert (issue.code, issue.level, issue.row, issue.column, issue.value) == (
        q.BAD_DATE, q.ROW, 3, "Ngày tiếp nhận", "hôm qua")


def test_a_received_date_column_mostly_unreadable_still_refuses_the_file(tmp_path):
    rows = [[f"F-{n:02d}", "sai" if n < 7 else "03/01/2019", "10/01/2019", None, "Đang xử lý", "Trực tiếp"]
            for n in range(12)]
    issue = read_export(write_csv(tmp_path / "cot-ngay-nhan-sai.csv", rows)).rejected
    assert issue.code == q.BAD_MAPPING and issue.column == "Ngày tiếp nhận" and "7/12" in issue.message
