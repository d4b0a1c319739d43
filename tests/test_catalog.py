"""The procedure catalog: reading limits, matching dossiers, legal due dates and the audit, on hand-worked cases.

Calendar facts used below (DOMAIN.md, "Working days"): Mon 31/12/2018 and Tue 01/01/2019 off, Saturday 05/01/2019
worked; Tết 2019 off Mon 04/02 – Fri 08/02/2019.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics.analyses import catalog_audit
from analytics.analyses.catalog_audit import (
    CATALOG_LEVEL,
    CATALOG_ROW,
    DUE_DATE_COMPUTED,
    MATCHED_BY,
    audit,
    fill_missing_due_dates,
    legal_due_dates,
    match_procedures,
)
from analytics.dossiers.sources import read_files
from analytics.ingest.catalog import read_catalog, time_limit_days
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.procedure_catalog import TIME_LIMIT_DAYS
from analytics.outputs.labels import AUDIT_LABELS
from tests.catalog_workbooks import FIRST_ROW, catalog_workbook

# A small catalog: three commune-level and three district-level procedures, one of them without a limit.
SMALL = [
    ["1.000001", "Đăng ký khai sinh", "Hộ tịch", "Cấp xã", "Trong ngày", "Không"],
    ["2.000720", "Cấp giấy phép xây dựng", "Xây dựng", "Cấp huyện", "15 ngày làm việc", "75.000 đồng"],
    ["1.000003", "Đăng ký hộ kinh doanh", "Hộ kinh doanh", "Cấp huyện",
     "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "100.000 đồng"],
    ["1.000004", "Cung cấp dữ liệu đất đai", "Đất đai", "Cấp huyện", "Không quy định", "20.000 đồng"],
    ["2.000005", "Chứng thực bản sao từ bản chính", "Chứng thực", "Cấp xã", "02 ngày làm việc", "2.000 đồng/trang"],
    ["1.000006", "Đăng ký kết hôn", "Hộ tịch", "Cấp xã", "05 ngày làm việc", "Không"],
]


@pytest.fixture
def small(tmp_path):
    return read_catalog(catalog_workbook(tmp_path / "danh-muc.xlsx", SMALL))


# --- Reading -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, days", [
    ("15 ngày làm việc", 15),
    ("03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 3),
    ("Trong ngày", 0),
    ("TRONG NGAY", 0),
    ("Ngay trong ngày làm việc", 0),
    ("Không quy định", None),
    ("05 ngày", 5),
    ("15", 15),
    ("15.0", 15),                       # a numeric cell read as text
    ("Không quá 20 ngày làm việc", 20),
])
def test_time_limit_days_reads_the_forms_catalogs_use(text, days):
    assert time_limit_days(text) == days


@pytest.mark.parametrize("text", ["Tùy từng trường hợp", "03 tháng", "04 giờ làm việc", ""])
def test_time_limit_days_refuses_what_is_not_a_number_of_days(text):
    with pytest.raises(ValueError):
        time_limit_days(text)


def test_reads_the_six_columns_with_codes_kept_as_text(small):
    p = small.procedures
    assert len(p) == 6 and small.issues == []
    first = p.iloc[0]
    assert (first[s.PROCEDURE_CODE], first[s.PROCEDURE_NAME], first[s.FIELD], first[s.LEVEL]) == \
        ("1.000001", "Đăng ký khai sinh", "Hộ tịch", "Cấp xã")
    assert p[TIME_LIMIT_DAYS].tolist() == [0, 15, 3, pd.NA, 2, 5]
    assert p["time_limit_text"].iloc[3] == "Không quy định" and p["fee"].iloc[1] == "75.000 đồng"
    assert p[s.SOURCE_ROW].tolist() == list(range(FIRST_ROW, FIRST_ROW + 6))


@pytest.mark.parametrize("header", [
    ["STT", "Mã thủ tục", "Tên TTHC", "LĨNH VỰC", "Cấp", "Thời gian giải quyết", "Lệ phí"],
    ["Ma so", "Thu tuc", "linh vuc", "cap thuc hien", "thoi han", "phi"],
], ids=["other-wording-with-stt", "no-diacritics"])
def test_header_names_are_matched_with_or_without_diacritics(tmp_path, header):
    row = SMALL[1] if header[0] != "STT" else [1, *SMALL[1]]
    p = read_catalog(catalog_workbook(tmp_path / "c.xlsx", [row], header=header)).procedures
    assert p.iloc[0][[s.PROCEDURE_CODE, s.LEVEL, TIME_LIMIT_DAYS, "fee"]].tolist() == \
        ["2.000720", "Cấp huyện", 15, "75.000 đồng"]


def test_numbering_row_and_group_headings_are_not_procedures(tmp_path):
    rows = [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],   # row 4
            ["I. LĨNH VỰC HỘ TỊCH"],                      # row 5: a heading fills one cell
            SMALL[0],                                     # row 6
            [],                                           # row 7
            [None, "II. LĨNH VỰC XÂY DỰNG"],              # row 8
            SMALL[1]]                                     # row 9
    p = read_catalog(catalog_workbook(tmp_path / "group-headings.xlsx", rows)).procedures
    assert p[s.PROCEDURE_CODE].tolist() == ["1.000001", "2.000720"]
    assert p[s.SOURCE_ROW].tolist() == [6, 9]


def test_an_unreadable_or_blank_limit_is_na_with_a_notice_on_its_row(tmp_path):
    rows = [SMALL[0], ["1.000009", "Thủ tục A", "Hộ tịch", "Cấp xã", "Tùy từng trường hợp", "Không"],
            ["1.000010", "Thủ tục B", "Hộ tịch", "Cấp xã", None, "Không"], SMALL[3]]
    catalog = read_catalog(catalog_workbook(tmp_path / "unreadable-limit.xlsx", rows))
    assert catalog.procedures[TIME_LIMIT_DAYS].isna().tolist() == [False, True, True, True]
    # "Không quy định" (the fourth row) is a limit the law leaves open, not a reading problem: no notice.
    assert [(i.code, i.level, i.row, i.column, i.value) for i in catalog.issues] == [
        ("bad_time_limit", q.NOTICE, FIRST_ROW + 1, "Thời hạn giải quyết", "Tùy từng trường hợp"),
        ("bad_time_limit", q.NOTICE, FIRST_ROW + 2, "Thời hạn giải quyết", "")]
    assert 'Không đọc được thời hạn giải quyết "Tùy từng trường hợp"' in catalog.issues[0].message
    assert "Trong ngày" in catalog.issues[0].message  # says how to fix it


@pytest.mark.parametrize("header, code, words", [
    (["Họ và tên", "Địa chỉ", "Ghi chú"], q.NO_HEADER, "Không tìm thấy dòng tiêu đề của danh mục"),
    (["Lĩnh vực", "Cấp thực hiện", "Ghi chú"], q.MISSING_COLUMN, '"Lĩnh vực", "Cấp thực hiện", "Ghi chú"'),
], ids=["no-catalog-columns", "no-code-or-name-column"])
def test_a_file_without_code_or_name_column_is_rejected_in_vietnamese(tmp_path, header, code, words):
    path = catalog_workbook(tmp_path / "not-a-catalog.xlsx", [["x", "y", "z"]], header=header)
    with pytest.raises(q.FileRejected) as rejected:
        read_catalog(path)
    issue = rejected.value.issue
    assert (issue.code, issue.level, issue.file) == (code, q.FILE, "not-a-catalog.xlsx")
    assert words in issue.message and '"Mã TTHC"' in issue.message


def test_a_repeated_code_gets_a_notice_naming_the_first_row(tmp_path):
    catalog = read_catalog(catalog_workbook(tmp_path / "repeated-code.xlsx", [SMALL[0], SMALL[1], SMALL[0]]))
    assert [(i.code, i.row, i.value) for i in catalog.issues] == [("duplicate_procedure", FIRST_ROW + 2, "1.000001")]
    assert f"dòng {FIRST_ROW}" in catalog.issues[0].message


# --- Matching and legal due dates --------------------------------------------------------------------------------

def test_code_is_matched_before_name(small, dossiers):
    frame = dossiers([
        {"procedure_code": "1.000001", "procedure": "Cấp giấy phép xây dựng"},  # code says row 0, name row 1
        {"procedure": "CAP GIAY PHEP  xay dung"},                                # name only, any case/diacritics
        {"procedure_code": "9.999999", "procedure": "Đăng ký khai sinh"},        # unknown code: falls back to name
        {"procedure_code": "9.999999", "procedure": "Không có trong danh mục"},  # no match
    ])
    m = match_procedures(frame, small)
    assert m.index.equals(frame.index)
    assert m[CATALOG_ROW].tolist() == [0, 1, 0, pd.NA]
    assert m[MATCHED_BY].tolist() == ["code", "name", "name", pd.NA]
    assert m[TIME_LIMIT_DAYS].tolist() == [0, 15, 0, pd.NA]
    assert m[CATALOG_LEVEL].tolist() == ["Cấp xã", "Cấp huyện", "Cấp xã", pd.NA]


def test_a_code_typed_as_a_number_still_matches(tmp_path, dossiers):
    # Excel shows 2.000720 typed as a number as 2.00072: the lost trailing zero is put back for matching.
    catalog = read_catalog(catalog_workbook(tmp_path / "code-as-number.xlsx", [[2.00072, *SMALL[1][1:]]]))
    assert match_procedures(dossiers([{"procedure_code": "2.000720"}]), catalog)[CATALOG_ROW].tolist() == [0]


@pytest.mark.parametrize("code, received, expected", [
    # Thu 27/12/2018 + 5: Fri 28/12 (1); 29–30 weekend, Mon 31/12 swapped off, Tue 01/01 New Year;
    # Wed 02/01 (2), Thu 03/01 (3), Fri 04/01 (4), Saturday 05/01 worked (5).
    ("1.000006", "2018-12-27", "2019-01-05"),
    # Fri 01/02/2019 + 2: weekend 02–03, Tết 04–08, weekend 09–10; Mon 11/02 (1), Tue 12/02 (2).
    ("2.000005", "2019-02-01", "2019-02-12"),
    # "Trong ngày": the received date itself.
    ("1.000001", "2019-01-09", "2019-01-09"),
    # Thu 10/01/2019 + 3 ("03 ngày làm việc kể từ …"): Fri 11 (1), Mon 14 (2), Tue 15 (3).
    ("1.000003", "2019-01-10", "2019-01-15"),
    ("1.000004", "2019-01-10", None),   # "Không quy định": no legal due date
    ("9.999999", "2019-01-10", None),   # not in the catalog
], ids=["new-year-swap", "tet-2019", "same-day", "from-complete-dossier", "no-limit", "unmatched"])
def test_legal_due_date_counts_working_days(small, dossiers, code, received, expected):
    due = legal_due_dates(dossiers([{"procedure_code": code, "received": received}]), small).iloc[0]
    assert (None if pd.isna(due) else due.strftime("%Y-%m-%d")) == expected


def test_fill_missing_due_dates_marks_computed_dates_and_leaves_the_input_alone(small, dossiers):
    frame = dossiers([
        # Wed 20/02/2019 + 15, no holiday in between: 21, 22, 25–28 Feb, 1, 4–8, 11–13 Mar -> Wed 13/03/2019.
        {"id": "A", "procedure_code": "2.000720", "received": "2019-02-20"},
        {"id": "B", "procedure_code": "1.000006", "received": "2019-01-07", "due": "2019-01-15"},
        {"id": "C", "procedure_code": "1.000006", "received": "2019-01-07", "original_due": "2019-01-14"},
        {"id": "D", "procedure_code": "1.000004", "received": "2019-01-07"},              # no limit
        {"id": "E", "procedure_code": "1.000003", "received": "2019-01-07", "status": 3},  # refused at intake
        {"id": "F", "procedure_code": "9.999999", "received": "2019-01-07"},              # not in the catalog
    ])
    before = frame.copy()
    filled, n = fill_missing_due_dates(frame, small)
    pd.testing.assert_frame_equal(frame, before)
    assert n == 1
    assert filled[DUE_DATE_COMPUTED].tolist() == [True, False, False, False, False, False]
    assert filled[s.DUE_DATE].tolist()[:2] == [pd.Timestamp("2019-03-13"), pd.Timestamp("2019-01-15")]
    assert filled[s.DUE_DATE].iloc[2:].isna().all()


# --- The audit ---------------------------------------------------------------------------------------------------

def test_audit_by_hand(small, dossiers):
    frame = dossiers([
        # Wed 30/01/2019 + 2: Thu 31/01 (1), Fri 01/02 (2) = legal. Due Mon 11/02: the working days after 01/02
        # up to 11/02 are only 11/02 (weekends and Tết 04–08/02 in between), so 1 over, not 10 calendar days.
        {"id": "HS-01", "procedure_code": "2.000005", "received": "2019-01-30", "due": "2019-02-11"},
        # Mon 07/01/2019 + 5: 8, 9, 10, 11, 14 -> legal Mon 14/01.
        {"id": "HS-02", "procedure_code": "1.000006", "received": "2019-01-07", "due": "2019-01-15"},  # 15: 1 over
        {"id": "HS-03", "procedure_code": "1.000006", "received": "2019-01-07", "due": "2019-01-17"},  # 15-17: 3
        # The due date given at receipt is the original one (14/01 = legal); the later one came with an apology.
        {"id": "HS-04", "procedure_code": "1.000006", "received": "2019-01-07", "original_due": "2019-01-14",
         "due": "2019-01-21"},
        {"id": "HS-05", "procedure_code": "1.000006", "received": "2019-01-07", "due": "2019-01-11"},  # earlier
        {"id": "HS-06", "procedure_code": "1.000001", "received": "2018-12-27", "due": "2019-03-01"},  # before
        # Fri 18/01 + 5: 21, 22, 23, 24, 25 -> legal Fri 25/01; promised Saturday 26/01: no working day over.
        {"id": "HS-07", "procedure_code": "1.000006", "received": "2019-01-18", "due": "2019-01-26"},
        {"id": "HS-08", "procedure_code": "2.000720", "received": "2019-02-20"},                       # computed
        {"id": "HS-09", "procedure": "cung cap du lieu dat dai", "received": "2019-02-20"},            # by name
        {"id": "HS-10", "procedure_code": "1.000003", "received": "2019-02-20", "status": 3},          # refused
    ])
    result = audit(frame, small, "2019-01-01", "2019-03-31")
    assert result == {
        # Used in the period: 2.000005, 1.000006, 2.000720, 1.000004 (by name). HS-06 is outside the period and
        # HS-10 was never received, so 1.000001 (Cấp xã) and 1.000003 (Cấp huyện) are unused.
        "unused_procedures": {
            "count": 2,
            "by_level": {"Cấp xã": 1, "Cấp huyện": 1},
            "items": [{"procedure_code": "1.000001", "procedure_name": "Đăng ký khai sinh", "field": "Hộ tịch",
                       "level": "Cấp xã"},
                      {"procedure_code": "1.000003", "procedure_name": "Đăng ký hộ kinh doanh",
                       "field": "Hộ kinh doanh", "level": "Cấp huyện"}],
        },
        # Most working days over first, then by case id.
        "due_later_than_legal": {
            "count": 3,
            "items": [
                {"case_id": "HS-03", "received_date": "2019-01-07", "due_date": "2019-01-17",
                 "legal_due_date": "2019-01-14", "working_days_over": 3},
                {"case_id": "HS-01", "received_date": "2019-01-30", "due_date": "2019-02-11",
                 "legal_due_date": "2019-02-01", "working_days_over": 1},
                {"case_id": "HS-02", "received_date": "2019-01-07", "due_date": "2019-01-15",
                 "legal_due_date": "2019-01-14", "working_days_over": 1},
            ],
        },
        # HS-08 had no due date and its procedure has a limit; HS-09's procedure has none.
        "due_dates_computed": 1,
        # Every received date lies within the working-day calendar (2000–2040).
        "received_outside_calendar": 0,
    }
    assert json.loads(json.dumps(result)) == result
    assert set(AUDIT_LABELS) == set(result)


def test_audit_of_a_period_without_dossiers_lists_every_procedure(small, dossiers):
    result = audit(dossiers([{"procedure_code": "1.000001", "received": "2019-01-09"}]), small,
                   "2019-04-01", "2019-06-30")
    assert result["unused_procedures"]["count"] == 6
    assert result["unused_procedures"]["by_level"] == {"Cấp xã": 3, "Cấp huyện": 3}
    assert result["due_later_than_legal"] == {"count": 0, "items": []} and result["due_dates_computed"] == 0


# --- The sample data ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample():
    return read_catalog("sample_data/procedures.xlsx"), read_files(["sample_data/exports"]).dossiers


def test_sample_catalog_has_the_reviewed_procedures(sample):
    catalog, _ = sample
    p = catalog.procedures
    # The seed article: 284 procedures under the city and 125 under the communes and wards.
    assert p[s.LEVEL].value_counts().to_dict() == {"Cấp huyện": 284, "Cấp xã": 125}
    assert catalog.issues == []
    assert (p[TIME_LIMIT_DAYS].isna() == (p["time_limit_text"] == "Không quy định")).all()


def test_sample_audit(sample):
    catalog, dossiers = sample
    result = audit(dossiers, catalog, "2018-01-01", "2019-03-31")
    unused, later = result["unused_procedures"], result["due_later_than_legal"]
    assert set(result) == {"unused_procedures", "due_later_than_legal", "due_dates_computed",
                           "received_outside_calendar"}
    assert set(unused) == {"count", "by_level", "items"} and set(later) == {"count", "items"}

    received = dossiers[dossiers[s.RECEIVED_DATE].between("2018-01-01", "2019-03-31")
                        & ~dossiers[s.STATUS_CODE].isin(s.STATUS_NOT_RECEIVED)]
    used = set(received[s.PROCEDURE_CODE])
    assert unused["count"] == len(catalog.procedures) - len(used) == len(unused["items"])
    assert sum(unused["by_level"].values()) == unused["count"]
    assert not used & {item["procedure_code"] for item in unused["items"]}
    assert all(set(item) == {"procedure_code", "procedure_name", "field", "level"} for item in unused["items"])
    # make_sample.py sets each due date at receipt to the legal one (received + limit in working days) and moves
    # it only after an apology letter, exporting the original beside it; a dossier has no due date only when its
    # procedure has no limit or it was refused at intake. So nothing is later than the law and nothing is computed.
    assert later == {"count": 0, "items": []}
    assert result["due_dates_computed"] == 0 and result["received_outside_calendar"] == 0


def test_unused_procedures_are_counted_by_field_and_level():
    """Đất đai: 3 at district level and 1 at commune level; Hộ tịch: 2 at commune level; one without a field."""
    items = ([{"field": "Đất đai", "level": "Cấp huyện"}] * 3 + [{"field": "Đất đai", "level": "Cấp xã"}]
             + [{"field": "Hộ tịch", "level": "Cấp xã"}] * 2 + [{"field": None, "level": "Cấp xã"}])
    counts = catalog_audit.unused_by_field(items)
    assert list(counts.index) == ["Đất đai", "Hộ tịch", s.MISSING_GROUP]
    assert counts.loc["Đất đai"].to_dict() == {"Cấp huyện": 3, "Cấp xã": 1, "total": 4}
    assert counts.loc["Hộ tịch", "total"] == 2 and counts["total"].sum() == len(items)
    assert catalog_audit.unused_by_field([]).empty


def test_a_field_filter_counts_only_that_fields_procedures_as_unused(sample):
    """Filtered to Hộ tịch, the dossiers of other fields are not there: their procedures are out of scope, not
    "unused" (a filtered session printed 398 unused procedures of every field)."""
    catalog, dossiers = sample
    in_field = dossiers[dossiers[s.FIELD] == "Hộ tịch"]
    everything = audit(in_field, catalog, "2018-01-01", "2019-03-31")["unused_procedures"]
    scoped = audit(in_field, catalog, "2018-01-01", "2019-03-31", fields=("Hộ tịch",))["unused_procedures"]
    procedures = catalog.procedures
    published = int((procedures[s.FIELD] == "Hộ tịch").sum())
    received = in_field[in_field[s.RECEIVED_DATE].between("2018-01-01", "2019-03-31")
                        & ~in_field[s.STATUS_CODE].isin(s.STATUS_NOT_RECEIVED)]
    used = len(set(received[s.PROCEDURE_CODE]) & set(procedures.loc[procedures[s.FIELD] == "Hộ tịch",
                                                                    s.PROCEDURE_CODE]))
    assert scoped["count"] == published - used < everything["count"]
    assert {item["field"] for item in scoped["items"]} == {"Hộ tịch"}
