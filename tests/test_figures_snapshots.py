"""Review 2026-12-07 §1.10: overlapping quarterly exports, the later one with a moved due date and no original-due
column. The original due date is the one the earliest snapshot of the case id showed; a late dossier stays late.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.analyses import caveats as cv
from analytics.analyses.bieu06 import official_table
from analytics.analyses.classification import classify
from analytics.dossiers.dedup import merge_duplicates, merge_notices
from analytics.dossiers.sources import read_files
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.outputs.sentences import caveat_sentence

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
HEADER = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Hình thức nộp"]
# The Q1 export, made on 31/03/2019: M-1 pending, due 20/03 (overdue); M-2 pending, due 05/04 (in time);
# M-3 pending, due 25/03.
EARLY = [["M-1", "04/03/2019", "20/03/2019", None, "Đang xử lý", "Trực tiếp"],
         ["M-2", "25/03/2019", "05/04/2019", None, "Đang xử lý", "Trực tiếp"],
         ["M-3", "11/03/2019", "25/03/2019", None, "Đang xử lý", "Trực tiếp"]]
# The export of April, overlapping: after an apology letter the software moved M-1's due date to 10/04 and M-3's to
# 28/03; M-1 was done 05/04, M-2 on 03/04, M-3 on 27/03 (between its two due dates).
LATER = [["M-1", "04/03/2019", "10/04/2019", "05/04/2019", "Đã trả kết quả", "Trực tiếp"],
         ["M-2", "25/03/2019", "05/04/2019", "03/04/2019", "Đã trả kết quả", "Trực tiếp"],
         ["M-3", "11/03/2019", "28/03/2019", "27/03/2019", "Đã trả kết quả", "Trực tiếp"]]
Q2_TO_APRIL = Period(dt.date(2019, 3, 1), dt.date(2019, 4, 30))


def write_csv(path, rows):
    path.write_text("\n".join(",".join("" if c is None else str(c) for c in r) for r in [HEADER, *rows]) + "\n",
                    encoding="utf-8")
    return path


def two_snapshots(tmp_path, order=("q1", "t4")):
    paths = {"q1": write_csv(tmp_path / "2019-q1.csv", EARLY), "t4": write_csv(tmp_path / "2019-t4.csv", LATER)}
    return read_files([paths[name] for name in order])


def test_the_original_due_date_comes_from_the_earliest_snapshot(tmp_path):
    dossiers = two_snapshots(tmp_path).dossiers.set_index(s.CASE_ID)
    assert dossiers.loc["M-1", s.ORIGINAL_DUE_DATE] == pd.Timestamp("2019-03-20")
    assert dossiers.loc["M-1", s.DUE_DATE] == pd.Timestamp("2019-04-10")  # the latest record still wins
    assert dossiers.loc["M-3", s.ORIGINAL_DUE_DATE] == pd.Timestamp("2019-03-25")
    assert pd.isna(dossiers.loc["M-2", s.ORIGINAL_DUE_DATE])               # its due date never moved
    assert dossiers[s.ORIGINAL_DUE_RECOVERED].to_dict() == {"M-1": True, "M-2": False, "M-3": True}


def test_a_late_dossier_stays_late_whichever_file_is_read_first(tmp_path):
    # By hand, 01/03 – 30/04/2019: M-1 done 05/04 after its original 20/03: late; M-3 done 27/03 after 25/03:
    # late; M-2 done 03/04 before 05/04: early. Against the moved dates M-1 and M-3 would both be early.
    for order in (("q1", "t4"), ("t4", "q1")):
        total = official_table(two_snapshots(tmp_path, order).dossiers, Q2_TO_APRIL).total
        assert (total["resolved_early"], total["resolved_on_time"], total["resolved_late"]) == (1, 0, 2), order


def test_an_exported_original_due_date_is_never_replaced(dossiers):
    records = dossiers([
        {"id": "X", "received": "2019-03-04", "due": "2019-03-20"},
        {"id": "X", "received": "2019-03-04", "due": "2019-04-10", "original_due": "2019-03-18",
         "completed": "2019-04-05"}]).assign(**{s.IMPORT_ID: [1, 2]})
    kept, merged = merge_duplicates(records)
    assert merged == 1 and kept[s.ORIGINAL_DUE_DATE].tolist() == [pd.Timestamp("2019-03-18")]
    assert kept[s.ORIGINAL_DUE_RECOVERED].tolist() == [False]


def test_the_earliest_snapshot_may_itself_carry_the_original(dossiers):
    records = dossiers([
        {"id": "Y", "received": "2019-03-04", "due": "2019-03-25", "original_due": "2019-03-20"},
        {"id": "Y", "received": "2019-03-04", "due": "2019-04-10", "completed": "2019-04-05"},
    ]).assign(**{s.IMPORT_ID: [1, 2]})
    kept, _ = merge_duplicates(records)
    assert kept[s.ORIGINAL_DUE_DATE].tolist() == [pd.Timestamp("2019-03-20")]


def test_a_single_export_gets_no_recovered_date_and_the_column_is_always_there(dossiers):
    kept, merged = merge_duplicates(dossiers([{"id": "Z", "received": "2019-03-04", "due": "2019-03-20"}]))
    assert merged == 0 and kept[s.ORIGINAL_DUE_RECOVERED].tolist() == [False]


def test_the_recovery_is_said_in_a_notice_and_a_caveat(tmp_path):
    source = two_snapshots(tmp_path)
    [notice] = [i for i in source.merge_notices if i.code == q.ORIGINAL_DUE_RECOVERED]
    assert notice.level == q.NOTICE
    assert notice.message.startswith("2 hồ sơ không có ngày hẹn trả ban đầu trong tệp xuất sau, mà ngày hẹn trả đã "
                                     "đổi so với bản xuất sớm hơn")
    assert '"M-1" (20/03/2019 → 10/04/2019)' in notice.message and '"M-3" (25/03/2019 → 28/03/2019)' in notice.message
    records = pd.concat([r.records.assign(**{s.IMPORT_ID: n}) for n, r in enumerate(source.readings)])
    assert merge_notices(records.reset_index(drop=True)) == source.merge_notices
    found = {c.code: c for c in cv.caveats(classify(source.dossiers, Q2_TO_APRIL), source.missing_fields())}
    assert found["due_date_recovered"].count == 2
    assert caveat_sentence(found["due_date_recovered"]) == (
        "2 hồ sơ: ngày hẹn trả ban đầu lấy từ bản xuất sớm nhất của cùng mã hồ sơ (tệp xuất sau đã đổi ngày hẹn "
        "trả và không có cột ngày hẹn trả ban đầu); trước hạn / đúng hạn / quá hạn tính theo ngày đó.")
