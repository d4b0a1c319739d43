"""Defects found by the code review of 2026-11-29 (sections 1.5, 1.6, 1.7, 1.10, 1.11), each worked by hand."""
import datetime as dt
import json

import openpyxl
import pytest

from analytics.analyses.bieu06 import official_table
from analytics.analyses.catalog_audit import CATALOG_ROW, MATCHED_BY, audit, legal_due_dates, match_procedures
from analytics.analyses.comparison import compare
from analytics.cli import main
from analytics.dossiers.dedup import merge_duplicates
from analytics.dossiers.sources import expand_paths, read_files
from analytics.ingest.catalog import read_catalog
from analytics.model import issues as q
from analytics.model import periods
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.procedure_catalog import TIME_LIMIT_DAYS
from tests.catalog_workbooks import catalog_workbook
from tests.workbooks import write_rows

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def run(capsys, tmp_path, *args):
    """(exit code, stdout, stderr) of the command line on a data folder of its own."""
    capsys.readouterr()
    try:
        code = main(["--data-dir", str(tmp_path / "data"), *map(str, args)])
    except SystemExit as stop:  # argparse refuses the arguments before main runs a command
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


# --- 1.5 Period presets refuse out-of-range numbers --------------------------------------------------------------

@pytest.mark.parametrize("kind, year, number, message", [
    ("month", 2019, 13, "Tháng phải từ 1 đến 12 (đã cho 13)"),
    ("month", 2019, 0, "Tháng phải từ 1 đến 12 (đã cho 0)"),
    ("quarter", 2019, 5, "Quý phải từ 1 đến 4 (đã cho 5)"),
    ("quarter", 2019, 0, "Quý phải từ 1 đến 4 (đã cho 0)"),
    ("half", 2019, 3, "Nửa năm phải từ 1 đến 2 (đã cho 3)"),
    ("year", 1989, 1, "Năm phải từ 1990 đến 2100 (đã cho 1989)"),
    ("nine_months", 2101, 1, "Năm phải từ 1990 đến 2100 (đã cho 2101)"),
    ("month", 19, 3, "Năm phải từ 1990 đến 2100 (đã cho 19)"),
])
def test_a_preset_out_of_range_is_refused_with_the_allowed_range(kind, year, number, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        periods.preset(kind, year, number)


def test_the_edges_of_the_ranges_are_accepted():
    assert periods.month(2019, 12).label == "Tháng 12/2019 (01/12/2019 – 31/12/2019)"
    assert periods.quarter(2019, 4).label == "Quý IV/2019 (01/10/2019 – 31/12/2019)"
    assert periods.half(2019, 2).label == "6 tháng cuối năm 2019 (01/07/2019 – 31/12/2019)"
    assert periods.year(1990).start.year == 1990 and periods.year(2100).end.year == 2100
    # The previous month of January is December of the year before, not "month 0".
    assert periods.shifted("month", 2019, 1, False, -1).label == "Tháng 12/2018 (01/12/2018 – 31/12/2018)"


@pytest.mark.parametrize("preset, message", [
    ("month:2019:13", "Tháng phải từ 1 đến 12 (đã cho 13)."),
    ("quarter:2019:5", "Quý phải từ 1 đến 4 (đã cho 5)."),
    ("half:2019:3", "Nửa năm phải từ 1 đến 2 (đã cho 3)."),
])
def test_the_command_line_refuses_an_out_of_range_period_with_exit_code_2(tmp_path, capsys, preset, message):
    code, out, err = run(capsys, tmp_path, "report", tmp_path, "--period", preset)
    assert code == 2 and out == ""
    assert f'Tham số không hợp lệ: --period "{preset}": {message}' in err
    assert "Traceback" not in err


# --- 1.7 Biểu 06's levels in the form's order -------------------------------------------------------------------

def test_the_official_layout_orders_levels_tinh_huyen_xa_then_other_wording_then_blank(dossiers):
    # One dossier per level, given in the worst order: blank first, xã before huyện, tỉnh last; two unofficial
    # wordings ("Ban quản lý" and "Đơn vị khác") that go after the three official words, alphabetically.
    d = dossiers([{"received": "2019-01-03", "level": level, "unit": "Bộ phận Một cửa", "field": "Hộ tịch"}
                  for level in [None, "Đơn vị khác", "Cấp xã", "Cấp huyện", "Ban quản lý", "Cấp tỉnh"]])
    rows = official_table(d, Q1, by="official").groups
    levels = rows[rows["depth"] == 0]
    assert levels["label"].tolist() == ["I. Cấp tỉnh", "II. Cấp huyện", "III. Cấp xã", "IV. Ban quản lý",
                                        "V. Đơn vị khác", "VI. (Không ghi)"]
    assert levels["received_total"].tolist() == [1] * 6


def test_under_a_level_a_blank_unit_or_field_comes_last(dossiers):
    d = dossiers([{"received": "2019-01-03", "level": "Cấp xã", "unit": unit, "field": field}
                  for unit, field in [(None, "Hộ tịch"), ("UBND xã A", None), ("UBND xã A", "Chứng thực")]])
    rows = official_table(d, Q1, by="official").groups
    assert rows["label"].tolist() == ["I. Cấp xã", "1. UBND xã A", "- Chứng thực", "- (Không ghi)",
                                      "2. (Không ghi)", "- Hộ tịch"]


# --- 1.6 --by official in compare and timeliness ----------------------------------------------------------------
# "Hộ tịch" under a district office and under a commune. 2018: the district resolves 2 (on time 12/03 = due,
# late 14/03 > due 12/03), the commune 1 on time. Q1/2019: the district resolves 1 early (06/03 < due 11/03),
# the commune 3 (two early 06/03, one late 13/03 > 11/03). Received on Monday 04/03/2019, so the processing times
# in working days are 2 (05/03, 06/03) and 7 (05/03 … 13/03, no holiday in March).
A = Period(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
HUYEN, XA = ("Cấp huyện", "Phòng Tư pháp"), ("Cấp xã", "UBND xã A")
TWO_UNITS = [(HUYEN, "2018-03-05", "2018-03-12", "2018-03-12"), (HUYEN, "2018-03-05", "2018-03-12", "2018-03-14"),
             (XA, "2018-03-05", "2018-03-12", "2018-03-12"),
             (HUYEN, "2019-03-04", "2019-03-11", "2019-03-06"),
             (XA, "2019-03-04", "2019-03-11", "2019-03-06"), (XA, "2019-03-04", "2019-03-11", "2019-03-06"),
             (XA, "2019-03-04", "2019-03-11", "2019-03-13")]
PATH_HUYEN, PATH_XA = "Cấp huyện › Phòng Tư pháp › Hộ tịch", "Cấp xã › UBND xã A › Hộ tịch"


def two_units_dossiers(dossiers):
    return dossiers([{"id": f"HS-{n}", "level": level, "unit": unit, "field": "Hộ tịch", "received": received,
                      "due": due, "completed": completed}
                     for n, ((level, unit), received, due, completed) in enumerate(TWO_UNITS)])


def two_units_export(path):
    header = ["Mã hồ sơ", "Lĩnh vực", "Cơ quan giải quyết", "Cấp", "Ngày tiếp nhận", "Ngày hẹn trả",
              "Ngày có kết quả", "Trạng thái"]
    rows = [[f"HS-{n}", "Hộ tịch", unit, level, received, due, completed, "Đã trả kết quả"]
            for n, ((level, unit), received, due, completed) in enumerate(TWO_UNITS)]
    return write_rows(path, [header, *rows], title_rows=[])


def test_compare_by_official_keeps_one_field_under_two_units_apart(dossiers):
    result = compare(two_units_dossiers(dossiers), A, Q1, by="official")
    groups = {g["name"]: g for g in result.groups}
    assert [g["name"] for g in result.groups] == [PATH_HUYEN, PATH_XA]  # the form's order; no subtotal rows
    assert (groups[PATH_HUYEN]["resolved_total"], groups[PATH_HUYEN]["resolved_late"]) == (1 - 2, 0 - 1)
    assert (groups[PATH_XA]["resolved_total"], groups[PATH_XA]["resolved_late"]) == (3 - 1, 1 - 0)
    assert groups[PATH_HUYEN]["rate_change_pp"] == pytest.approx((1 / 1 - 1 / 2) * 100)
    assert groups[PATH_XA]["rate_change_pp"] == pytest.approx((2 / 3 - 1 / 1) * 100)
    # The field rows add up to the total's change: (1 + 3) − (2 + 1) = +1.
    assert result.total["resolved_total"] == 1 == sum(g["resolved_total"] for g in result.groups)


def test_compare_by_official_on_the_command_line(tmp_path, capsys):
    path = two_units_export(tmp_path / "hai-don-vi.xlsx")
    code, out, err = run(capsys, tmp_path, "compare", path, "--a", "2018-01-01:2018-12-31",
                         "--b", "2019-01-01:2019-03-31", "--by", "official", "--format", "json")
    assert code == 0, err
    changes = {g["name"]: g["resolved_total"] for g in json.loads(out)["change"]["groups"]}
    assert changes == {PATH_HUYEN: -1, PATH_XA: 2}


def test_timeliness_by_official_on_the_command_line(tmp_path, capsys):
    path = two_units_export(tmp_path / "hai-don-vi.xlsx")
    code, out, err = run(capsys, tmp_path, "timeliness", path, "--period", "quarter:2019:1", "--by", "official",
                         "--format", "json")
    assert code == 0 and "Traceback" not in err
    doc = json.loads(out)
    assert doc["by"] == "official"
    # The district: one dossier, 2 days. The commune: 2, 2, 7 days; 90th percentile (linear) = 2 + 0.8 × 5 = 6.
    assert doc["groups"] == [
        {"name": PATH_HUYEN, "resolved": 1, "median_days": 2.0, "p90_days": 2.0, "received_in_period": 1,
         "ended": 1, "clearance_rate": 1.0},
        {"name": PATH_XA, "resolved": 3, "median_days": 2.0, "p90_days": pytest.approx(6.0),
         "received_in_period": 3, "ended": 3, "clearance_rate": 1.0}]
    code, out, err = run(capsys, tmp_path, "timeliness", path, "--period", "quarter:2019:1", "--by", "official")
    assert code == 0 and "Cấp xã › UBND xã A › Hộ tịch" in out


def test_by_is_offered_only_where_it_works(tmp_path, capsys):
    path = two_units_export(tmp_path / "hai-don-vi.xlsx")
    code, out, err = run(capsys, tmp_path, "funnel", path, "--period", "quarter:2019:1", "--by", "official")
    assert code == 2 and "Tham số không hợp lệ" in err and "Traceback" not in err


# --- 1.11 Catalog name matching uses the level when a name repeats ----------------------------------------------
# The same name at two levels with different codes and limits; the dossiers carry no procedure code. The catalog
# writes its levels as "Huyện" and "cấp xã", the dossiers as ingest reads them ("Cấp huyện", "Cấp xã").
REPEATED_NAME = [
    ["2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", "Huyện", "05 ngày làm việc", "2.000 đồng/trang"],
    ["2.000908", "Chứng thực bản sao từ bản chính", "Chứng thực", "cấp xã", "03 ngày làm việc", "2.000 đồng/trang"],
]


def test_a_name_listed_at_two_levels_matches_the_dossiers_level(tmp_path, dossiers):
    procedures = read_catalog(catalog_workbook(tmp_path / "danh-muc.xlsx", REPEATED_NAME))
    # All received on Monday 04/03/2019: + 5 working days = Monday 11/03, + 3 = Thursday 07/03.
    d = dossiers([{"received": "2019-03-04", "procedure": "Chứng thực bản sao từ bản chính", "level": level}
                  for level in ["Cấp huyện", "Cấp xã", None, "Cấp tỉnh"]])
    matched = match_procedures(d, procedures)
    # huyện -> the huyện row; xã -> the xã row although it comes second; blank or a level the catalog does not list
    # for that name -> the first row of that name.
    assert matched[CATALOG_ROW].tolist() == [0, 1, 0, 0]
    assert matched[TIME_LIMIT_DAYS].tolist() == [5, 3, 5, 5]
    assert matched[MATCHED_BY].tolist() == ["name"] * 4
    assert [x.date().isoformat() for x in legal_due_dates(d, procedures)] == [
        "2019-03-11", "2019-03-07", "2019-03-11", "2019-03-11"]
    # Both procedures were used: neither is "unused" any more.
    assert audit(d, procedures, "2019-03-01", "2019-03-31")["unused_procedures"]["count"] == 0


def test_a_catalog_level_listing_several_levels_counts_for_each(tmp_path, dossiers):
    rows = [REPEATED_NAME[0], [*REPEATED_NAME[1][:3], "Cấp tỉnh, Cấp xã", *REPEATED_NAME[1][4:]]]
    procedures = read_catalog(catalog_workbook(tmp_path / "danh-muc.xlsx", rows))
    d = dossiers([{"received": "2019-03-04", "procedure": "chứng thực bản sao  từ bản chính", "level": "Cấp xã"}])
    assert match_procedures(d, procedures)[CATALOG_ROW].tolist() == [1]


def test_a_code_still_wins_over_the_level(tmp_path, dossiers):
    procedures = read_catalog(catalog_workbook(tmp_path / "danh-muc.xlsx", REPEATED_NAME))
    d = dossiers([{"received": "2019-03-04", "procedure": "Chứng thực bản sao từ bản chính", "level": "Cấp xã",
                   "procedure_code": "2.000815"}])
    matched = match_procedures(d, procedures)
    assert matched[CATALOG_ROW].tolist() == [0] and matched[MATCHED_BY].tolist() == ["code"]


# --- 1.10 Duplicates: read order and records that disagree ------------------------------------------------------
# Every record of case id "X" below has the same dates, so only the read order decides: "Đang xử lý" (4) is the
# earlier snapshot, "Chờ bổ sung" (5) the later one.
SNAPSHOT_HEADER = ["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"]


def snapshot(status, case_id="X", unit="UBND xã A", received="03/09/2019"):
    return [case_id, unit, received, "20/09/2019", status]


def workbook(path, sheets: dict[str, list[list]]):
    """One sheet per entry, in the order given, each with SNAPSHOT_HEADER on its first row."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in [SNAPSHOT_HEADER, *rows]:
            ws.append(row)
    book.save(path)
    return path


def test_a_folder_is_read_in_natural_order(tmp_path):
    for name in ["Tháng 10.xlsx", "Tháng 9.xlsx", "Q10.xlsx", "Q2.xlsx", "Q1.xlsx", "~$Q1.xlsx", "ghi chú.txt"]:
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in expand_paths([tmp_path])] == ["Q1.xlsx", "Q2.xlsx", "Q10.xlsx", "Tháng 9.xlsx",
                                                          "Tháng 10.xlsx"]


def test_on_a_tie_the_later_months_file_wins_not_the_later_name(tmp_path):
    folder = tmp_path / "xuat"
    folder.mkdir()
    workbook(folder / "Tháng 10.xlsx", {"Danh sách": [snapshot("Chờ bổ sung")]})
    workbook(folder / "Tháng 9.xlsx", {"Danh sách": [snapshot("Đang xử lý")]})
    source = read_files([folder])
    assert source.merged == 1 and source.dossiers[s.STATUS_CODE].tolist() == [5]


def test_on_a_tie_the_later_sheet_of_the_workbook_wins_not_the_later_sheet_name(tmp_path):
    # Workbook order T3, T10; by name "T10" would come before "T3".
    source = read_files([workbook(tmp_path / "ca-nam.xlsx", {"T3": [snapshot("Đang xử lý")],
                                                             "T10": [snapshot("Chờ bổ sung")]})])
    assert source.merged == 1 and source.dossiers[s.STATUS_CODE].tolist() == [5]
    assert source.dossiers[s.SOURCE_SHEET].tolist() == ["T10"]


def test_on_a_tie_within_a_sheet_the_row_lower_on_the_sheet_wins(tmp_path):
    source = read_files([workbook(tmp_path / "mot-trang.xlsx", {"Danh sách": [snapshot("Chờ bổ sung"),
                                                                             snapshot("Đang xử lý")]})])
    assert source.dossiers[s.STATUS_CODE].tolist() == [4] and source.dossiers[s.SOURCE_ROW].tolist() == [3]


def test_merge_duplicates_ranks_sheets_by_their_order_in_the_records(dossiers):
    # The reader gives a workbook's sheets in workbook order; the sheet read later wins whatever its name.
    records = dossiers([{"id": "X", "received": "2019-09-03", "status": status, "source_sheet": sheet,
                         "source_row": 2} for sheet, status in [("Quý II", 4), ("Quý I", 5)]])
    kept, merged = merge_duplicates(records.assign(**{s.IMPORT_ID: 0}))
    assert merged == 1 and kept[s.SOURCE_SHEET].tolist() == ["Quý I"]


def test_records_of_one_case_id_that_disagree_on_unit_or_received_date_get_a_notice(tmp_path):
    folder = tmp_path / "hai-xa"
    folder.mkdir()
    # Two communes number their dossiers 1, 2, 3…: "1" is two different dossiers. "2" is the same dossier in both
    # files; "3" has its unit blank in one file (nothing to disagree with).
    workbook(folder / "xa-A.xlsx", {"Danh sách": [snapshot("Đang xử lý", "1", "UBND xã A", "03/01/2019"),
                                                  snapshot("Đang xử lý", "2", "UBND xã A", "04/01/2019"),
                                                  snapshot("Đang xử lý", "3", None, "04/01/2019")]})
    workbook(folder / "xa-B.xlsx", {"Danh sách": [snapshot("Đang xử lý", "1", "UBND xã B", "05/01/2019"),
                                                  snapshot("Chờ bổ sung", "2", "UBND xã A", "04/01/2019"),
                                                  snapshot("Đang xử lý", "3", "UBND xã B", "04/01/2019")]})
    source = read_files([folder])
    assert source.merged == 3 and len(source.dossiers) == 3
    assert [(i.code, i.level, i.value) for i in source.merge_notices] == [(q.RECORDS_DISAGREE, q.NOTICE, "1")]
    notice = source.merge_notices[0]
    assert notice.column == "Cơ quan giải quyết, Ngày tiếp nhận"
    assert notice.message.startswith(
        'Mã hồ sơ "1" có 2 bản ghi không khớp nhau: Cơ quan giải quyết "UBND xã A" (tệp xa-A.xlsx, trang '
        '"Danh sách", dòng 2) và "UBND xã B" (tệp xa-B.xlsx, trang "Danh sách", dòng 2); Ngày tiếp nhận 03/01/2019 '
        '(tệp xa-A.xlsx, trang "Danh sách", dòng 2) và 05/01/2019 (tệp xa-B.xlsx, trang "Danh sách", dòng 2).')
    assert notice in source.issues()
