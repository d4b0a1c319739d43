"""Reading a body's own reported table and testing its arithmetic (issue 10, items 1 and 2): the two real files in
../shared/real/ as they are (copied into tests/fixtures/real/), and tables made here, each showing the shape or the break it is about."""
import csv
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analytics.analyses.report_arithmetic import (
    IDENTITY,
    RATE,
    SUM_OF_ROWS,
    TOTAL_SUM,
    Break,
    arithmetic_breaks,
    expected_rate,
)
from analytics.ingest.reported_table import is_total_name, parse_number, read_reported_table
from analytics.model import issues as q
from analytics.model import reported as r
from analytics.outputs.reported_words import break_cells, break_identity

REAL = Path(__file__).resolve().parent / "fixtures" / "real"  # ../shared/real/, copied as they are
QUANG_NINH = REAL / "quangninh_tthc_ketqua_theo_donvi.xlsx"
BKAV = REAL / "bkav_smartreport_tthc_dashboard_so_nganh.xlsx"


def codes(table) -> list[str]:
    return [i.code for i in table.issues]


def total_row(table) -> dict:
    [row] = table.rows[table.rows[r.IS_TOTAL]].to_dict("records")
    return row


# --- Quảng Ninh: a three-row merged header, a column-number row, numbers as text, a total row "25 | Tổng" ---------

def test_quang_ninh_is_read_with_its_merged_header_and_its_total_row():
    table = read_reported_table(QUANG_NINH)
    assert (table.file, table.sheet, table.header_row) == (QUANG_NINH.name, "Sheet1", 1)
    assert len(table.sha256) == 64
    rows = table.rows
    assert len(rows) == 25 and rows[r.IS_TOTAL].sum() == 1
    assert rows[~rows[r.IS_TOTAL]][r.ROW].tolist() == list(range(5, 29))  # the column-number row (4) is not a row
    assert rows[r.NAME].iloc[0] == "Ban QLĐHDA xây dựng Chính quyền điện tử"
    assert (rows[r.NAME].iloc[-1], rows[r.ROW].iloc[-1]) == ("Tổng", 29)
    total = total_row(table)
    assert {k: total[k] for k in ["received_total", "carried_over", r.RECEIVED_IN_PERIOD, "resolved_total",
                                  "resolved_early", "resolved_on_time", "resolved_late", "pending_total",
                                  "pending_in_time", "pending_overdue", r.WAITING_SUPPLEMENTS, r.NOT_RESOLVED,
                                  r.CANCELLED]} == {
        "received_total": 9462, "carried_over": 1477, r.RECEIVED_IN_PERIOD: 7985, "resolved_total": 8276,
        "resolved_early": 6269, "resolved_on_time": 1965, "resolved_late": 42, "pending_total": 788,
        "pending_in_time": 784, "pending_overdue": 4, r.WAITING_SUPPLEMENTS: 398, r.NOT_RESOLVED: 88,
        r.CANCELLED: 112}
    assert (total[r.RETURNED], total[r.NOT_RETURNED], total[r.LATE_BY_UNIT], total[r.LATE_OUTSIDE_UNIT]) == \
        (7597, 679, 31, 39)


def test_quang_ninh_headers_are_read_with_their_parents():
    table = read_reported_table(QUANG_NINH)
    m = table.mapping
    assert m["Số hồ sơ nhận giải quyết › Tổng số"] == "received_total"
    assert m["Số hồ sơ nhận giải quyết › Trong đó › Số kỳ trước"] == "carried_over"
    assert m["Số hồ sơ đã giải quyết › Hồ sơ đã giải quyết › Tổng số"] == "resolved_total"
    assert m["Số hồ sơ đã giải quyết › Tình trạng thực hiện › Trước hạn"] == "resolved_early"
    assert m["Số hồ sơ đã giải quyết › Tình trạng thực hiện › Trả đúng hạn"] == "resolved_on_time"
    assert m["Số hồ sơ đã giải quyết › Tình trạng thực hiện › Trả quá hạn"] == "resolved_late"
    assert m["Số hồ sơ đã giải quyết › Trả kết quả › Chưa trả"] == r.NOT_RETURNED
    assert m["Kết quả giải quyết › Số hồ sơ đang giải quyết › Quá hạn"] == "pending_overdue"  # not resolved_late
    assert m["Kết quả giải quyết › Số hồ sơ đang giải quyết › Chưa đến hạn"] == "pending_in_time"
    # "Kỳ trước" / "Trong kỳ" under "đã giải quyết" mean nothing in Biểu 06: kept, with their figures, never guessed
    kept = ["Số hồ sơ đã giải quyết › Hồ sơ đã giải quyết › Kỳ trước",
            "Số hồ sơ đã giải quyết › Hồ sơ đã giải quyết › Trong kỳ"]
    assert table.kept == kept and all(m[k] == "" for k in kept)
    assert total_row(table)[kept[0]] == 1075
    assert [i.column for i in table.issues if i.code == q.COLUMN_KEPT] == kept
    assert table.rate_columns == {} and table.headline == {}
    assert not {q.HEADER_SHIFTED, q.MATCHED_BY_PHRASE, q.BAD_NUMBER} & set(codes(table))
    assert table.keys == ["received_total", "carried_over", "resolved_total", "resolved_early", "resolved_on_time",
                          "resolved_late", "pending_total", "pending_in_time", "pending_overdue",
                          r.RECEIVED_IN_PERIOD, r.WAITING_SUPPLEMENTS, r.CANCELLED, r.NOT_RESOLVED, r.RETURNED,
                          r.NOT_RETURNED, r.LATE_BY_UNIT, r.LATE_OUTSIDE_UNIT]


def test_quang_ninh_holds_on_every_row_with_supplements_kept_apart():
    table = read_reported_table(QUANG_NINH)
    assert arithmetic_breaks(table) == []
    rows = table.rows
    units, [total] = rows[~rows[r.IS_TOTAL]], rows[rows[r.IS_TOTAL]].to_dict("records")
    for column in table.keys + table.kept:
        assert units[column].sum() == total[column], column


def test_quang_ninh_without_its_supplements_column_breaks_where_dossiers_wait_for_supplements():
    """Kept as is (the user's override), the supplements no longer join received = resolved + pending: each row that
    has some breaks by exactly that many."""
    table = read_reported_table(QUANG_NINH, overrides={"Hồ sơ yêu cầu bổ sung": ""})
    assert r.WAITING_SUPPLEMENTS not in table.keys and "Kết quả giải quyết › Hồ sơ yêu cầu bổ sung" in table.kept
    breaks = arithmetic_breaks(table)
    supplements = table.rows.set_index(r.NAME)["Kết quả giải quyết › Hồ sơ yêu cầu bổ sung"]
    # the total's own identity breaks by the sum of its rows' gaps: listed on the rows, not again on the total
    assert {b.row: b.gap for b in breaks} == {n: v for n, v in supplements.items() if v and n != "Tổng"}
    assert {(b.kind, b.terms) for b in breaks} == {(IDENTITY, ("received_total", "resolved_total", "pending_total"))}
    assert {break_identity(b) for b in breaks} == {"nhận (3) = đã giải quyết (7) + đang giải quyết (11)"}


# --- Bkav: headline cells, a header one column left of its figures, whole-number rates, one break ---------------

def test_bkav_shifted_header_is_realigned_with_a_notice():
    table = read_reported_table(BKAV)
    assert (table.sheet, table.header_row) == ("Sheet1", 14)
    assert table.headline == {"ĐÚNG HẸN": 69313, "ĐANG XỬ LÝ": 36123, "QUÁ HẠN": 5232}
    [shift] = [i for i in table.issues if i.code == q.HEADER_SHIFTED]
    assert shift.level == q.NOTICE and shift.row == 14 and shift.value == "F->G"
    assert "12 tiêu đề ở cột C–N nhưng số liệu ở 13 cột C–O" in shift.message
    assert '"Đúng hẹn" (cột F)' in shift.message and "cột F không còn tiêu đề" in shift.message
    assert table.mapping == {
        "Tổng (cột C)": "received_total", "Đã xử lý": "resolved_total", "Quá hạn (cột E)": "",
        "Cột F (không có tiêu đề)": "", "Đúng hẹn": r.RESOLVED_ON_TIME_OR_EARLY, "Tỉ lệ (%) (cột H)": r.REPORTED_RATE,
        "Trễ hẹn": "resolved_late", "Tỉ lệ (%) (cột J)": r.REPORTED_RATE, "Tổng (cột K)": "pending_total",
        "Quá hạn (cột L)": "pending_overdue", "Tỉ lệ (%) (cột M)": r.REPORTED_RATE,
        "Chưa đến hạn": "pending_in_time", "Tỉ lệ (%) (cột O)": r.REPORTED_RATE}
    assert table.rate_columns == {
        "Tỉ lệ (%) (cột H)": [r.RESOLVED_ON_TIME_OR_EARLY, "resolved_total"],
        "Tỉ lệ (%) (cột J)": ["resolved_late", "resolved_total"],
        "Tỉ lệ (%) (cột M)": ["pending_overdue", "pending_total"],
        "Tỉ lệ (%) (cột O)": ["pending_in_time", "pending_total"]}
    # The first "Quá hạn" stands in the resolved group beside "Trễ hẹn": it could be either, so it is kept, not guessed
    assert table.kept == ["Quá hạn (cột E)", "Cột F (không có tiêu đề)"]
    assert [i.column for i in table.issues if i.code == q.DUPLICATE_COLUMN] == ["Quá hạn (cột E)"]
    assert {i.column for i in table.issues if i.code == q.MATCHED_BY_PHRASE} == {
        "Tổng (cột C)", "Tổng (cột K)", "Quá hạn (cột L)"}


def test_bkav_department_rows():
    rows = read_reported_table(BKAV).rows
    assert len(rows) == 15 and not rows[r.IS_TOTAL].any()
    assert rows[r.ROW].tolist() == list(range(15, 30))  # the monthly trend blocks below are not rows
    first = rows.iloc[1]
    assert first[r.NAME] == "Sở Kế hoạch - Đầu Tư"
    assert [first[k] for k in ["received_total", "resolved_total", r.RESOLVED_ON_TIME_OR_EARLY, "resolved_late",
                               "pending_total", "pending_overdue", "pending_in_time"]] == [177, 135, 122, 13, 42, 2, 40]
    assert first["Tỉ lệ (%) (cột H)"] == 90 and first["Cột F (không có tiêu đề)"] == 135


def test_bkav_breaks_once_sở_tttt_total_against_its_resolved_and_pending():
    """By hand: every other row has Tổng = Đã xử lý + Tổng đang xử lý, Đã xử lý = Đúng hẹn + Trễ hẹn, Tổng đang xử lý
    = Chưa đến hạn + Quá hạn, and each of its four whole-number rates equals its count over its group's total rounded
    half up (e.g. Sở Nội vụ 102/122 = 83.6 -> 84, 20/122 = 16.4 -> 16, 16/176 = 9.1 -> 9, 160/176 = 90.9 -> 91)."""
    table = read_reported_table(BKAV)
    breaks = arithmetic_breaks(table)
    assert breaks == [Break(
        row="Sở TT&TT", sheet_row=15, kind=IDENTITY, terms=("received_total", "resolved_total", "pending_total"),
        cells={"received_total": 2347, "resolved_total": 19, "pending_total": 28}, gap=2300)]
    assert break_identity(breaks[0]) == "nhận (3) = đã giải quyết (7) + đang giải quyết (11)"


def test_a_header_one_column_left_of_all_its_figures_is_moved_as_a_whole(tmp_path):
    rows = [["STT", "Đơn vị", "Tổng", "Đã giải quyết", "Đúng hạn", "Quá hạn", "Đang giải quyết"],
            ["1", "Xã A", None, "50", "40", "36", "4", "10"],
            ["2", "Xã B", None, "30", "20", "20", "0", "10"]]
    table = read_reported_table(write_csv(tmp_path / "shifted.csv", rows))
    [shift] = [i for i in table.issues if i.code == q.HEADER_SHIFTED]
    assert shift.value == "C->D" and "cột C không có tiêu đề và không có số liệu nên được bỏ qua" in shift.message
    assert table.mapping == {"Tổng": "received_total", "Đã giải quyết": "resolved_total",
                             "Đúng hạn": r.RESOLVED_ON_TIME_OR_EARLY, "Quá hạn": "resolved_late",
                             "Đang giải quyết": "pending_total"}
    assert table.rows["received_total"].tolist() == [50, 30] and arithmetic_breaks(table) == []


# --- Tables made by hand ----------------------------------------------------------------------------------------

BIEU06_WORDING = ["Tổng số (3)", "Trực tuyến (4)", "Trực tiếp, dịch vụ bưu chính (5)", "Từ kỳ trước (6)",
                  "Tổng số (7)", "Trước hạn (8)", "Đúng hạn (9)", "Quá hạn (10)", "Tổng số (11)", "Trong hạn (12)",
                  "Quá hạn (13)"]
BIEU06_FULL_WORDING = ["Số hồ sơ nhận giải quyết - Tổng số (3)", "Số hồ sơ nhận trong kỳ - Trực tuyến (4)",
                       "Số hồ sơ nhận trong kỳ - Trực tiếp, dịch vụ bưu chính (5)",
                       "Số hồ sơ nhận giải quyết - Từ kỳ trước (6)", "Số hồ sơ đã giải quyết - Tổng số (7)",
                       "Số hồ sơ đã giải quyết - Trước hạn (8)", "Số hồ sơ đã giải quyết - Đúng hạn (9)",
                       "Số hồ sơ đã giải quyết - Quá hạn (10)", "Số hồ sơ đang giải quyết - Tổng số (11)",
                       "Số hồ sơ đang giải quyết - Trong hạn (12)", "Số hồ sơ đang giải quyết - Quá hạn (13)"]
COUNT_KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
              "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
              "pending_overdue"]
TITLE = [["UBND TỈNH LẠNG SƠN"], ["Biểu số 06/VPCP/KSTT"],
         ["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"], []]
NUMBERS = [f"({n})" for n in range(1, 14)]
# (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13); (3) = (7) + (11). Text as people type it.
BODY = [["I", "Cấp tỉnh", None, None, None, None, None, None, None, None, None, None, None],
        ["1", "Sở Tư pháp", "1.365", "900", "300", "165", "1.300", "1.000", "250", "50", "65", "60", "5"],
        ["2", "Sở Xây dựng", "120", "20", "100", None, "100", "90", "10", None, "20", "20", None],
        [None, "Tổng cộng", "1.485", "920", "400", "165", "1.400", "1.090", "260", "50", "85", "80", "5"]]


def write_csv(path: Path, rows: list[list], delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows([[("" if c is None else c) for c in row] for row in rows])
    return path


def write_xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def bieu06_rows(wording: list[str]) -> list[list]:
    rows = [*TITLE, ["STT", "Lĩnh vực, công việc giải quyết theo cấp", *wording], NUMBERS, *BODY]
    return [row + [None] * (13 - len(row)) for row in rows]


@pytest.mark.parametrize("wording", [BIEU06_WORDING, BIEU06_FULL_WORDING], ids=["form", "full"])
def test_a_one_row_header_in_the_form_s_own_wording_with_column_numbers(tmp_path, wording):
    table = read_reported_table(write_csv(tmp_path / "bieu06.csv", bieu06_rows(wording)))
    assert (table.sheet, table.header_row) == ("CSV", 5)
    assert [table.mapping[w] for w in wording] == COUNT_KEYS
    assert table.keys == COUNT_KEYS and table.kept == [] and table.headline == {}
    rows = table.rows
    assert rows[r.NAME].tolist() == ["Sở Tư pháp", "Sở Xây dựng", "Tổng cộng"]
    assert rows[r.ROW].tolist() == [8, 9, 10] and rows[r.IS_TOTAL].tolist() == [False, False, True]
    assert rows["received_total"].tolist() == [1365, 120, 1485]       # "1.365" is one thousand three hundred …
    assert rows["carried_over"].tolist() == [165, 0, 165]             # … and a blank in a data row is 0
    # the heading row "I | Cấp tỉnh" has no figures: not a row of the table (its blanks are not zeros)
    [heading] = [i for i in table.issues if i.code == q.NOT_A_DATA_ROW]
    assert (heading.level, heading.row, heading.value) == (q.NOTICE, 7, "Cấp tỉnh")
    assert arithmetic_breaks(table) == []


def test_form_wording_without_groups_is_read_by_the_columns_it_stands_with(tmp_path):
    """"Quá hạn (10)" and "Quá hạn (13)" say the same words; each is read by its group, with a notice saying so."""
    table = read_reported_table(write_csv(tmp_path / "bieu06.csv", bieu06_rows(BIEU06_WORDING)))
    notices = {i.column: i.message for i in table.issues if i.code == q.MATCHED_BY_PHRASE}
    assert set(notices) == {"Tổng số (3)", "Từ kỳ trước (6)", "Tổng số (7)", "Quá hạn (10)", "Tổng số (11)",
                            "Trong hạn (12)", "Quá hạn (13)"}
    assert "số hồ sơ đang giải quyết" in notices["Quá hạn (13)"] and "ánh xạ cột" in notices["Quá hạn (13)"]


def test_ods_is_read_like_the_csv(tmp_path):
    path = tmp_path / "bieu06.ods"
    pd.DataFrame(bieu06_rows(BIEU06_FULL_WORDING)).to_excel(path, engine="odf", index=False, header=False)
    table = read_reported_table(path)
    assert table.keys == COUNT_KEYS and table.rows["received_total"].tolist() == [1365, 120, 1485]


def test_xls_is_read_like_the_csv(tmp_path):
    source = write_xlsx(tmp_path / "bieu06.xlsx", bieu06_rows(BIEU06_FULL_WORDING))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "xls", "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True,
                   timeout=120)
    table = read_reported_table(tmp_path / "out" / "bieu06.xls")
    assert table.keys == COUNT_KEYS and table.rows["received_total"].tolist() == [1365, 120, 1485]


TWO_ROW_HEADER = [["BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC QUÝ I/2024"], [],
                  ["STT", "Tên đơn vị", "Số hồ sơ nhận giải quyết", None, None, "Số hồ sơ đã giải quyết", None, None,
                   None, "Số hồ sơ đang giải quyết", None, None],
                  [None, None, "Tổng số", "Trong kỳ", "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
                   "Tổng số", "Trong hạn", "Quá hạn"]]
MERGES = ("A3:A4", "B3:B4", "C3:E3", "F3:I3", "J3:L3")


def test_a_break_in_7_is_listed_with_its_cells_and_gap(tmp_path):
    rows = [*TWO_ROW_HEADER,
            [1, "UBND xã Tân Lập", 100, 80, 20, 90, 50, 30, 5, 10, 8, 2],     # 50 + 30 + 5 = 85, not 90
            [2, "UBND xã Hoàng Đồng", 60, 60, 0, 50, 40, 10, 0, 10, 10, 0]]
    table = read_reported_table(write_xlsx(tmp_path / "two-rows.xlsx", rows, MERGES))
    assert table.header_row == 3
    assert table.mapping["Số hồ sơ nhận giải quyết › Trong kỳ"] == r.RECEIVED_IN_PERIOD
    assert table.mapping["Số hồ sơ đã giải quyết › Quá hạn"] == "resolved_late"
    assert table.mapping["Số hồ sơ đang giải quyết › Quá hạn"] == "pending_overdue"
    breaks = arithmetic_breaks(table)
    assert breaks == [Break(
        row="UBND xã Tân Lập", sheet_row=5, kind=IDENTITY,
        terms=("resolved_total", "resolved_early", "resolved_on_time", "resolved_late"),
        cells={"resolved_total": 90, "resolved_early": 50, "resolved_on_time": 30, "resolved_late": 5}, gap=5)]
    assert break_identity(breaks[0]) == "đã giải quyết (7) = trước hạn (8) + đúng hạn (9) + quá hạn (10)"
    assert break_cells(breaks[0]) == "đã giải quyết (7) = 90, trước hạn (8) = 50, đúng hạn (9) = 30, quá hạn (10) = 5"
    assert arithmetic_breaks(table, tolerance=5) == []


def test_a_total_row_that_does_not_add_up(tmp_path):
    rows = [*TWO_ROW_HEADER,
            [1, "Sở Tư pháp", 100, 80, 20, 90, 50, 35, 5, 10, 8, 2],
            [2, "Sở Y tế", 60, 60, 0, 50, 40, 10, 0, 10, 10, 0],
            ["Toàn tỉnh", None, 162, 140, 22, 140, 90, 45, 5, 22, 20, 2]]   # received 160, carried over 20, pending 20
    table = read_reported_table(write_xlsx(tmp_path / "total.xlsx", rows, MERGES))
    assert table.rows[r.NAME].tolist()[-1] == "Toàn tỉnh" and table.rows[r.IS_TOTAL].tolist() == [False, False, True]
    breaks = arithmetic_breaks(table)
    totals = [b for b in breaks if b.kind == TOTAL_SUM]
    assert [(b.row, b.sheet_row, b.cells, b.gap) for b in totals] == [
        ("Toàn tỉnh", 7, {"received_total": 162, SUM_OF_ROWS: 160}, 2),
        ("Toàn tỉnh", 7, {"carried_over": 22, SUM_OF_ROWS: 20}, 2),
        ("Toàn tỉnh", 7, {"pending_total": 22, SUM_OF_ROWS: 20}, 2),
        ("Toàn tỉnh", 7, {"pending_in_time": 20, SUM_OF_ROWS: 18}, 2)]
    assert break_identity(totals[0]) == "dòng tổng = tổng 2 dòng đơn vị: nhận (3)"
    assert break_cells(totals[0]) == "nhận (3) = 162, tổng các dòng = 160"
    assert [b for b in breaks if b not in totals] == []   # its own identities hold: only its sums break


def test_a_rate_that_does_not_match_its_counts(tmp_path):
    header = ["STT", "Đơn vị", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Tỷ lệ đúng hạn (%)", "Quá hạn",
              "Tỷ lệ (%)", "Đang giải quyết"]
    rows = [header,
            ["1", "Phòng Tư pháp", "120", "105", "100", "95,2", "5", "4,8", "15"],     # 100/105 = 95.24, 5/105 = 4.76
            ["2", "Phòng TN&MT", "80", "70", "60", "90,0", "10", "14,3", "10"]]       # 60/70 = 85.71: reported 90.0
    table = read_reported_table(write_csv(tmp_path / "rates.csv", rows, delimiter="\t"))
    assert table.rate_columns == {"Tỷ lệ đúng hạn (%)": [r.RESOLVED_ON_TIME_OR_EARLY, "resolved_total"],
                                  "Tỷ lệ (%)": ["resolved_late", "resolved_total"]}
    [wrong] = arithmetic_breaks(table)
    assert (wrong.row, wrong.sheet_row) == ("Phòng TN&MT", 3)
    assert wrong.cells == {"Tỷ lệ đúng hạn (%)": 90.0, r.RESOLVED_ON_TIME_OR_EARLY: 60, "resolved_total": 70}
    assert wrong.gap == pytest.approx(90.0 - 85.7)
    assert (wrong.kind, wrong.terms, wrong.decimals) == (
        RATE, ("Tỷ lệ đúng hạn (%)", r.RESOLVED_ON_TIME_OR_EARLY, "resolved_total"), 1)
    assert break_identity(wrong) == ('tỉ lệ "Tỷ lệ đúng hạn (%)" = đúng hẹn (trước hạn và đúng hạn) / đã giải quyết '
                                     "(7) × 100%, làm tròn đến 1 chữ số thập phân")
    assert break_cells(wrong) == ('"Tỷ lệ đúng hạn (%)" = 90, đúng hẹn (trước hạn và đúng hạn) = 60, '
                                  "đã giải quyết (7) = 70")


def test_a_whole_number_rate_is_compared_rounded_half_up():
    assert expected_rate(1, 8, 0) == 13 and expected_rate(1, 8, 1) == 12.5 and expected_rate(2, 3, 1) == 66.7


def test_a_file_with_nothing_recognisable_is_refused_in_vietnamese(tmp_path):
    path = write_csv(tmp_path / "notes.csv", [["Họ tên", "Ghi chú"], ["Nguyễn Văn A", "đã nhắc"], ["B", "x"]],
                     delimiter=",")
    with pytest.raises(q.FileRejected) as refused:
        read_reported_table(path)
    issue = refused.value.issue
    assert (issue.code, issue.level, issue.file) == (q.NO_HEADER, q.FILE, "notes.csv")
    assert "Không tìm thấy bảng số liệu báo cáo" in issue.message and "ánh xạ cột" in issue.message


def test_one_key_is_not_enough(tmp_path):
    path = write_csv(tmp_path / "one.csv", [["Đơn vị", "Đã giải quyết", "Ghi chú"], ["Sở Y tế", "12", "3"]])
    with pytest.raises(q.FileRejected) as refused:
        read_reported_table(path)
    assert refused.value.issue.code == q.NO_HEADER and "chỉ cho biết một cột" in refused.value.issue.message


def test_figures_without_a_row_label_column_are_refused(tmp_path):
    path = write_csv(tmp_path / "no-names.csv", [["Tiếp nhận", "Đã giải quyết", "Đang giải quyết"],
                                                 ["10", "8", "2"], ["5", "5", "0"]])
    with pytest.raises(q.FileRejected) as refused:
        read_reported_table(path)
    issue = refused.value.issue
    assert (issue.code, issue.row) == (q.NO_ROW_LABEL, 1) and "Tên đơn vị" in issue.message


def test_an_override_maps_a_header_the_reader_does_not_know(tmp_path):
    rows = [["TT", "Cơ quan", "Số HS phát sinh", "Đã giải quyết", "Đang giải quyết", "Ghi chú số"],
            ["1", "Sở Nội vụ", "30", "20", "9", "7"]]
    path = write_csv(tmp_path / "odd.csv", rows)
    table = read_reported_table(path)
    assert table.mapping["Số HS phát sinh"] == "" and "Số HS phát sinh" in table.kept
    assert arithmetic_breaks(table) == []          # nothing to check without received
    mapped = read_reported_table(path, overrides={"so hs phat sinh": "received_total", "Ghi chú số": "bogus"})
    assert mapped.mapping["Số HS phát sinh"] == "received_total" and mapped.kept == ["Ghi chú số"]
    [bad] = [i for i in mapped.issues if i.code == q.BAD_MAPPING]
    assert bad.level == q.NOTICE and '"bogus"' in bad.message
    [gap] = arithmetic_breaks(mapped)
    assert (break_identity(gap), gap.gap) == ("nhận (3) = đã giải quyết (7) + đang giải quyết (11)", 1)


def test_an_unreadable_figure_is_left_empty_with_a_notice(tmp_path):
    rows = [["Đơn vị", "Tiếp nhận", "Đã giải quyết", "Đang giải quyết"], ["Xã A", "10", "8", "2"],
            ["Xã B", "mười", "8", "2"]]
    table = read_reported_table(write_csv(tmp_path / "bad.csv", rows))
    assert table.rows["received_total"].isna().tolist() == [False, True]
    [bad] = [i for i in table.issues if i.code == q.BAD_NUMBER]
    assert (bad.row, bad.value, bad.level) == (3, "mười", q.NOTICE)
    assert arithmetic_breaks(table) == []          # an identity with an unread figure is not checked


@pytest.mark.parametrize("text, number", [("1.365", 1365), ("9.462", 9462), ("95,2", 95.2), ("0.76", 0.76),
                                          ("1,365", 1365), ("1.234.567", 1234567), ("100%", 100), (" 42 ", 42),
                                          ("1.365,5", 1365.5), ("", None), ("-", None)])
def test_numbers_as_written(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("name, total", [("Tổng", True), ("Tổng cộng", True), ("TỔNG CỘNG (I+II)", True),
                                         ("Cộng", True), ("Toàn tỉnh", True), ("Công an tỉnh", False),
                                         ("Tổng cục Thuế", False), ("Sở Tư pháp", False)])
def test_total_row_names(name, total):
    assert is_total_name(name) is total
