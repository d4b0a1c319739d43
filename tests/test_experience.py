"""Citizens' experience (issue 19): `python -m analytics experience` and `index import|list`.

Every expected figure below is worked out by hand from DOMAIN.md ("Classifying dossiers for a period", "The official
table", "Citizens' experience"), never by calling the project's code; the project is only run, through its command
line (analytics.cli.main, in process, with ONESTOP_DATA_DIR pointing at a fresh folder).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from analytics.cli import main

ROOT = Path(__file__).resolve().parent.parent
NO_DATA = "không có dữ liệu"
TT, DK = "UBND phường Tam Thanh", "UBND phường Đông Kinh"
FROM, TO = "2026-01-01", "2026-03-31"


def _shared(name: str) -> Path:
    for folder in (ROOT.parent / "shared" / "real", Path("/work/shared/real")):
        if (folder / name).exists():
            return folder / name
    pytest.fail(f"{name} not found beside the project (shared/real)")


def D(text: str) -> dt.date:
    day, month, year = map(int, text.split("/"))
    return dt.date(year, month, day)


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run `python -m analytics ARGS` in process on a fresh store: (exit code, stdout, stderr)."""
    monkeypatch.setenv("ONESTOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(ROOT)

    def run(*args):
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def experience_json(cli, *args):
    code, out, err = cli("experience", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# --- The Q1 2026 export ------------------------------------------------------------------------------------------
#
# Period 01/01/2026 – 31/03/2026 (end = 31/03). "due" below = the due date lateness is measured on: the original due
# date ("Ngày hẹn trả ban đầu") when the row has one, else "Ngày hẹn trả". "new" = "Ngày hẹn trả" when an original
# is there and differs from it (the date the letter moved it to). Receiving: S = the deciding unit's own desk,
# E = elsewhere, - = blank. Rating over resolved dossiers only: VS/S/D = very satisfied / satisfied / dissatisfied,
# U = unrated (blank, "Chưa đánh giá"), U* = unrated, wording not read ("Tạm được").
#
# cell: the Biểu 06 cell (8 early, 9 on time, 10 late, 12 pending in time, 13 pending overdue). rP: received in
# the period. online: F full / P partial / ? level unknown / - not online (direct, postal). letter: N "Không",
# Y "Có", with its date. aft: letter date > due. ext: extensions. miss: the new date missed too.
#
# id  unit recv  due   new   finish cell rP online        late letter     aft ext miss rating recv'ing
# T01 TT   05/01 12/01 -     09/01  8    Y  F channel     -    N          -   0   -    VS     S (Một cửa)
# T02 TT   06/01 13/01 -     13/01  9    Y  P column      -    N          -   0   -    S      S (UBND)
# T03 TT   07/01 14/01 -     20/01  10   Y  ? blank       Y    N          -   0   -    U      E (PVHCC ĐK)
# T04 TT   08/01 15/01 22/01 21/01  10   Y  - (*)         Y    Y 14/01    no  1   no   D      S (Một cửa)
# T05 TT   12/01 19/01 26/01 30/01  10   Y  -             Y    Y 21/01    YES 2   YES  D Chưa -
# T06 TT   15/01 22/01 20/03 -      13   Y  P "mức độ 3"  Y    Y 20/01    no  3   YES  (pend) S (PVHCC TT)
# T07 TT   02/02 09/02 15/04 -      13   Y  -             Y    Y 06/02 #  no  1   no   -      E (tỉnh)
# T08 TT   03/02 10/02 -     09/02  8    Y  -             -    -          -   -   -    U*     S (UBND)
# T09 TT   10/03 10/04 -     -      12   Y  -             -    -          -   -   -    -      -
# T10 TT   15/12/25 05/01 -  -      13   N  (online F)    Y    N          -   0   -    -      (E, not rP)
# T11 TT   05/04 12/04 -     10/04  out  N  outside the period: counts nowhere
# D01 ĐK   05/01 12/01 -     12/01  9    Y  F "Mức độ 4"  -    -          -   -   -    U Chưa S (PVHCC)
# D02 ĐK   06/01 13/01 -     10/01  8    Y  F "4"         -    -          -   -   -    VS     E (PVHCC TT)
# D03 ĐK   07/02 14/02 -     20/02  10   Y  F column      Y    Y 12/02    no  1   ? ** S      -
# D04 ĐK   09/01 16/01 30/01 28/01  10   Y  -             Y    Y no date  ?   ?   no   S      S (PVHCC)
# D05 ĐK   12/01 19/01 -     26/01  10   Y  -             Y    N          -   ?   -    D      S (Một cửa)
# D06 ĐK   02/03 09/03 31/03 -      13   Y  P column      Y    Y 13/03    YES 2   no + -      S (UBND)
# D07 ĐK   16/03 05/04 -     -      12   Y  -             -    -          -   -   -    -      -
# D08 ĐK   20/02 27/02 -     26/02  8    Y  - postal      -    -          -   -   -    U      -
# D09 ĐK   25/03 01/04 -     31/03  8    Y  F channel     -    -          -   -   -    VS     S (Trung tâm)
# #: the date written in the letter column itself. **: no original due date kept: the new date is unknown.
# +: pending, new date 31/03 is not before the period's end 31/03: not missed (T06: 20/03 < 31/03, missed).
# (*) T04's "Mức độ DVC" says "Toàn trình" but it was filed in person: the channel decides, not online.
# ext "?" = "Không rõ" written in the count column: unknown; aft "?" = a letter without a date.

HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Đơn vị tiếp nhận",
          "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hẹn trả ban đầu", "Ngày có kết quả", "Trạng thái", "Hình thức nộp",
          "Mức độ DVC", "Thư xin lỗi", "Ngày xin lỗi", "Số lần gia hạn", "Đánh giá"]
DONE, PENDING = "Đã trả kết quả", "Đang xử lý"
# id, unit, receiving, received, due, original due, finish, status, channel, level, letter, letter date, ext, rating
ROWS = [
    ("T01", TT, "Bộ phận Một cửa UBND phường Tam Thanh", "05/01/2026", "12/01/2026", None, "09/01/2026", DONE,
     "Trực tuyến toàn trình", None, "Không", None, 0, "Rất hài lòng"),
    ("T02", TT, "UBND phường Tam Thanh", "06/01/2026", "13/01/2026", None, "13/01/2026", DONE,
     "Trực tuyến", "Một phần", "Không", None, 0, "Hài lòng"),
    ("T03", TT, "TT PVHCC phường Đông Kinh", "07/01/2026", "14/01/2026", None, "20/01/2026", DONE,
     "Trực tuyến", None, "Không", None, 0, None),
    ("T04", TT, "Bộ phận Một cửa UBND phường Tam Thanh", "08/01/2026", "22/01/2026", "15/01/2026", "21/01/2026", DONE,
     "Trực tiếp", "Toàn trình", "Có", "14/01/2026", 1, "Không hài lòng"),
    ("T05", TT, None, "12/01/2026", "26/01/2026", "19/01/2026", "30/01/2026", DONE,
     "Trực tiếp", None, "Có", "21/01/2026", 2, "Chưa hài lòng"),
    ("T06", TT, "TT PVHCC phường Tam Thanh", "15/01/2026", "20/03/2026", "22/01/2026", None, PENDING,
     "Nộp trực tuyến mức độ 3", None, "Có", "20/01/2026", 3, "Không hài lòng"),
    ("T07", TT, "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn", "02/02/2026", "15/04/2026", "09/02/2026", None,
     PENDING, "Trực tiếp", None, D("06/02/2026"), None, 1, None),
    ("T08", TT, "UBND phường Tam Thanh", "03/02/2026", "10/02/2026", None, "09/02/2026", DONE,
     "Trực tiếp", None, None, None, None, "Tạm được"),
    ("T09", TT, None, "10/03/2026", "10/04/2026", None, None, PENDING, "Trực tiếp", None, None, None, None, None),
    ("T10", TT, "TT PVHCC phường Đông Kinh", "15/12/2025", "05/01/2026", None, None, PENDING,
     "Trực tuyến toàn trình", None, "Không", None, 0, None),
    ("T11", TT, "TT PVHCC phường Đông Kinh", "05/04/2026", "12/04/2026", None, "10/04/2026", DONE,
     "Trực tuyến toàn trình", None, "Không", None, 0, "Không hài lòng"),
    ("D01", DK, "TT PVHCC phường Đông Kinh", "05/01/2026", "12/01/2026", None, "12/01/2026", DONE,
     "Trực tuyến", "Mức độ 4", None, None, None, "Chưa đánh giá"),
    ("D02", DK, "TT PVHCC phường Tam Thanh", "06/01/2026", "13/01/2026", None, "10/01/2026", DONE,
     "Trực tuyến", 4, None, None, None, "Rất hài lòng"),
    ("D03", DK, None, "07/02/2026", "14/02/2026", None, "20/02/2026", DONE,
     "Trực tuyến", "Toàn trình", "Có", "12/02/2026", 1, "Hài lòng"),
    ("D04", DK, "TT PVHCC phường Đông Kinh", "09/01/2026", "30/01/2026", "16/01/2026", "28/01/2026", DONE,
     "Trực tiếp", None, "Có", None, "Không rõ", "Hài lòng"),
    ("D05", DK, "Bộ phận Một cửa UBND phường Đông Kinh", "12/01/2026", "19/01/2026", None, "26/01/2026", DONE,
     "Trực tiếp", None, "Không", None, "Không rõ", "Không hài lòng"),
    ("D06", DK, "UBND phường Đông Kinh", "02/03/2026", "31/03/2026", "09/03/2026", None, PENDING,
     "Trực tuyến", "Một phần", "Có", "13/03/2026", 2, None),
    ("D07", DK, None, "16/03/2026", "05/04/2026", None, None, PENDING, "Trực tiếp", None, None, None, None, None),
    ("D08", DK, None, "20/02/2026", "27/02/2026", None, "26/02/2026", DONE,
     "Bưu chính công ích", None, None, None, None, None),
    ("D09", DK, "Trung tâm Phục vụ hành chính công phường Đông Kinh", "25/03/2026", "01/04/2026", None, "31/03/2026",
     DONE, "Trực tuyến toàn trình", None, None, None, None, "Rất hài lòng"),
]


def _cell(value):
    """Dates as real Excel dates (the dd/mm/yyyy strings above are turned into dates); the rest as written."""
    if isinstance(value, str) and len(value) == 10 and value[2] == "/" and value[5] == "/":
        return D(value)
    return value


def write_export(path: Path, header: list[str], rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh sách hồ sơ"
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    book.save(path)
    return path


def _procedure(case_id: str) -> tuple[str, str]:
    return ("Đăng ký khai sinh", "Hộ tịch") if int(case_id[1:]) % 2 else ("Cấp giấy phép xây dựng", "Xây dựng")


def full_rows() -> list[list]:
    out = []
    for n, (cid, unit, receiving, received, due, original, finish, status, channel, level, letter, letter_date,
            extensions, rating) in enumerate(ROWS, start=1):
        out.append([n, f"{cid}-2026", *_procedure(cid), unit, receiving, received, due, original, finish, status,
                    channel, level, letter, letter_date, extensions, rating])
    return out


@pytest.fixture
def q1_export(tmp_path) -> Path:
    return write_export(tmp_path / "hoso_q1_2026.xlsx", HEADER, full_rows())


# What each unit and the total should read (by hand from the table above).
EXPECTED_TT = {
    "received": 9, "received_online": 4, "online_full": 1, "online_partial": 2, "online_level_unknown": 1,
    "late_total": 6, "late_with_letter": 4, "late_without_letter": 2, "letter_unknown": 0,
    "letter_after_original_due": 1, "letter_date_unknown": 0, "rescheduled_more_than_once": 2,
    "extensions_unknown": 0, "new_date_missed": 2, "new_date_unknown": 0,
    "resolved_total": 6, "rated": 4, "very_satisfied": 1, "satisfied": 1, "dissatisfied": 2, "unrated": 2,
    "rating_unread": 1, "rating_unknown": 0, "receiving_known": 7, "received_elsewhere": 2,
    "online_full_share": 1 / 4, "online_partial_share": 2 / 4,
    "late_with_letter_share": 4 / 6, "late_without_letter_share": 2 / 6,
    "very_satisfied_share": 1 / 4, "satisfied_share": 1 / 4, "dissatisfied_share": 2 / 4, "unrated_share": 2 / 6,
    "received_elsewhere_share": 2 / 7, "receiving_unknown": 2,
}
EXPECTED_DK = {
    "received": 9, "received_online": 5, "online_full": 4, "online_partial": 1, "online_level_unknown": 0,
    "late_total": 4, "late_with_letter": 3, "late_without_letter": 1, "letter_unknown": 0,
    "letter_after_original_due": 1, "letter_date_unknown": 1, "rescheduled_more_than_once": 1,
    "extensions_unknown": 2, "new_date_missed": 0, "new_date_unknown": 1,
    "resolved_total": 7, "rated": 5, "very_satisfied": 2, "satisfied": 2, "dissatisfied": 1, "unrated": 2,
    "rating_unread": 0, "rating_unknown": 0, "receiving_known": 6, "received_elsewhere": 1,
    "online_full_share": 4 / 5, "online_partial_share": 1 / 5,
    "late_with_letter_share": 3 / 4, "late_without_letter_share": 1 / 4,
    "very_satisfied_share": 2 / 5, "satisfied_share": 2 / 5, "dissatisfied_share": 1 / 5, "unrated_share": 2 / 7,
    "received_elsewhere_share": 1 / 6, "receiving_unknown": 3,
}
EXPECTED_TOTAL = {
    "received": 18, "received_online": 9, "online_full": 5, "online_partial": 3, "online_level_unknown": 1,
    "late_total": 10, "late_with_letter": 7, "late_without_letter": 3, "letter_unknown": 0,
    "letter_after_original_due": 2, "letter_date_unknown": 1, "rescheduled_more_than_once": 3,
    "extensions_unknown": 2, "new_date_missed": 2, "new_date_unknown": 1,
    "resolved_total": 13, "rated": 9, "very_satisfied": 3, "satisfied": 3, "dissatisfied": 3, "unrated": 4,
    "rating_unread": 1, "rating_unknown": 0, "receiving_known": 13, "received_elsewhere": 3,
    "online_full_share": 5 / 9, "online_partial_share": 3 / 9,
    "late_with_letter_share": 7 / 10, "late_without_letter_share": 3 / 10,
    "very_satisfied_share": 3 / 9, "satisfied_share": 3 / 9, "dissatisfied_share": 3 / 9, "unrated_share": 4 / 13,
    "received_elsewhere_share": 3 / 13, "receiving_unknown": 5,
}
# Received in the period without a receiving point written (T05, T09; D03, D07, D08): the "receiving_unit" caveat.
RECEIVING_UNKNOWN = {"total": 5, TT: 2, DK: 3}


def mismatches(actual: dict, expected: dict, where: str) -> list[str]:
    out = []
    for key, value in expected.items():
        if key not in actual:
            out.append(f"{where}: no key {key}")
        elif value is None or actual[key] is None:
            if actual[key] is not value:
                out.append(f"{where}: {key} = {actual[key]!r}, by hand {value!r}")
        elif key.endswith("_share"):
            if actual[key] != pytest.approx(value):
                out.append(f"{where}: {key} = {actual[key]!r}, by hand {value!r}")
        elif actual[key] != value:
            out.append(f"{where}: {key} = {actual[key]!r}, by hand {value!r}")
    return out


def assert_row(actual: dict, expected: dict, where: str) -> None:
    """Every key of `expected` (hand figures) in `actual`; every mismatch said at once."""
    wrong = mismatches(actual, expected, where)
    assert not wrong, "\n".join(wrong)


def test_every_measure_in_total_and_per_unit_matches_the_hand_count(cli, q1_export):
    doc = experience_json(cli, q1_export, "--from", FROM, "--to", TO, "--by", "unit")
    assert (doc["from"], doc["to"], doc["by"]) == (FROM, TO, "unit")
    assert_row(doc["total"], EXPECTED_TOTAL, "total")
    groups = {g["name"]: g for g in doc["groups"]}
    assert sorted(groups) == sorted([TT, DK])   # T11 (outside) adds no group; T10 stays under Tam Thanh
    assert_row(groups[TT], EXPECTED_TT, TT)
    assert_row(groups[DK], EXPECTED_DK, DK)
    # The groups add up to the total, count by count.
    for key, value in EXPECTED_TOTAL.items():
        if not key.endswith("_share"):
            assert groups[TT][key] + groups[DK][key] == doc["total"][key], key
    # What the data could not judge, said as caveats with the counts (every column is carried here).
    caveats = {c["code"]: c for c in doc["caveats"]}
    assert {code: c["count"] for code, c in caveats.items()} == {
        "online_level": 1,      # T03: "Trực tuyến" with a blank level
        "letter_date": 1,       # D04: "Có" with no date
        "extensions": 2,        # D04, D05: "Không rõ"
        "new_due_date": 1,      # D03: a letter, no original due date kept
        "rating_unread": 1,     # T08: "Tạm được"
        "receiving_unit": RECEIVING_UNKNOWN["total"],
    }
    assert all(c["carried"] is True for c in caveats.values())
    assert all(isinstance(c["message"], str) and c["message"] for c in caveats.values())
    assert doc["prompts"] and all(isinstance(p, str) for p in doc["prompts"])


def test_the_total_without_grouping_is_the_same(cli, q1_export):
    doc = experience_json(cli, q1_export, "--from", FROM, "--to", TO)
    assert doc["by"] is None and doc["groups"] == []
    assert_row(doc["total"], EXPECTED_TOTAL, "total")


# --- The same dossiers, an export without the experience columns ---------------------------------------------------

BARE_HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Ngày tiếp nhận",
               "Ngày hẹn trả", "Ngày hẹn trả ban đầu", "Ngày có kết quả", "Trạng thái", "Hình thức nộp"]


def bare_rows() -> list[list]:
    """The rows above without receiving point, level, letter, letter date, extensions, rating; every online channel
    written plainly "Trực tuyến" (no level in its wording either). The cells are those of the table above."""
    out = []
    for n, (cid, unit, _, received, due, original, finish, status, channel, *_rest) in enumerate(ROWS, start=1):
        channel = "Trực tuyến" if "trực tuyến" in channel.lower() else channel
        out.append([n, f"{cid}-2026", *_procedure(cid), unit, received, due, original, finish, status, channel])
    return out


@pytest.fixture
def bare_export(tmp_path) -> Path:
    return write_export(tmp_path / "hoso_q1_2026_co_ban.xlsx", BARE_HEADER, bare_rows())


# Null (never 0) when the data carry the column nowhere: every measure and every share.
NULL_WITHOUT_COLUMNS = [
    "online_full", "online_partial", "late_with_letter", "late_without_letter", "letter_after_original_due",
    "rescheduled_more_than_once", "new_date_missed", "rated", "very_satisfied", "satisfied", "dissatisfied",
    "unrated", "received_elsewhere", "online_full_share", "online_partial_share", "late_with_letter_share",
    "late_without_letter_share", "very_satisfied_share", "satisfied_share", "dissatisfied_share", "unrated_share",
    "received_elsewhere_share"]


def test_without_the_columns_every_measure_is_null_and_said_so(cli, bare_export):
    doc = experience_json(cli, bare_export, "--from", FROM, "--to", TO, "--by", "unit")
    groups = {g["name"]: g for g in doc["groups"]}
    assert sorted(groups) == sorted([TT, DK])
    # The bases are still counted (same cells as the full export): received, online, late, resolved; and every
    # dossier of each base is "unknown" for what it lacks.
    bases = {
        "total": {"received": 18, "received_online": 9, "late_total": 10, "resolved_total": 13},
        TT: {"received": 9, "received_online": 4, "late_total": 6, "resolved_total": 6},
        DK: {"received": 9, "received_online": 5, "late_total": 4, "resolved_total": 7},
    }
    for where, row in (("total", doc["total"]), (TT, groups[TT]), (DK, groups[DK])):
        b = bases[where]
        assert_row(row, {**b, "online_level_unknown": b["received_online"], "letter_unknown": b["late_total"],
                         "extensions_unknown": b["late_total"], "rating_unknown": b["resolved_total"]}, where)
        for key in NULL_WITHOUT_COLUMNS:
            assert row[key] is None, f"{where}: {key} = {row[key]!r}, expected null (không có dữ liệu)"
        # Counts of a column that is not there: nothing known to count (0), or null; never a positive count.
        for key in ("receiving_known", "rating_unread", "letter_date_unknown", "new_date_unknown"):
            assert row[key] in (0, None), f"{where}: {key} = {row[key]!r}"
    caveats = {c["code"]: c for c in doc["caveats"]}
    for code in ("letter", "letter_date", "extensions", "rating", "receiving_unit", "online_level"):
        assert code in caveats, f"no caveat {code}: {sorted(caveats)}"
        assert caveats[code]["carried"] is False, code
        assert caveats[code]["message"], code
    code, text, err = cli("experience", bare_export, "--from", FROM, "--to", TO, "--by", "unit",
                          "--format", "table")
    assert code == 0, err
    assert NO_DATA in text
    # The table shows the bases as numbers and the measures as "không có dữ liệu", never "0" in their place.
    total_lines = [line for line in text.splitlines() if line.startswith("Tổng cộng")]
    assert len(total_lines) == 4, text
    online_line, letter_line, rating_line, receiving_line = total_lines
    assert NO_DATA in online_line and NO_DATA in letter_line and NO_DATA in rating_line
    assert NO_DATA in receiving_line


# --- A unit whose every base dossier is unknown; a unit with an empty base ------------------------------------------

def test_a_group_whose_base_is_all_unknown_is_null_and_an_empty_base_gives_a_null_share(cli, tmp_path):
    # Tam Thanh: two late dossiers, letters without a date, extensions "Không rõ": the letter-date and the
    # rescheduling measures are null for it (every base dossier unknown), numbers for Đông Kinh and the total.
    # Đông Kinh received nothing online: online_full = 0 of 0, its share null.
    header = ["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái",
              "Hình thức nộp", "Thư xin lỗi", "Ngày xin lỗi", "Số lần gia hạn"]
    rows = [
        ["A1", TT, "05/01/2026", "10/01/2026", "15/01/2026", DONE, "Trực tuyến toàn trình", "Có", None, "Không rõ"],
        ["A2", TT, "06/01/2026", "12/01/2026", None, PENDING, "Trực tiếp", "Có", None, "Không rõ"],
        ["B1", DK, "05/01/2026", "10/01/2026", "20/01/2026", DONE, "Trực tiếp", "Có", "12/01/2026", 2],
        ["B2", DK, "06/01/2026", "12/01/2026", "11/01/2026", DONE, "Trực tiếp", "Không", None, 0],
    ]
    path = write_export(tmp_path / "hoso_mot_phan.xlsx", header, rows)
    doc = experience_json(cli, path, "--from", FROM, "--to", TO, "--by", "unit")
    groups = {g["name"]: g for g in doc["groups"]}
    tt, dk, total = groups[TT], groups[DK], doc["total"]
    # A1 late resolved (15/01 > 10/01), A2 pending overdue (12/01 < 31/03), B1 late (20/01 > 10/01), B2 early.
    assert (tt["late_total"], dk["late_total"], total["late_total"]) == (2, 1, 3)
    assert (tt["late_with_letter"], dk["late_with_letter"], total["late_with_letter"]) == (2, 1, 3)
    assert tt["letter_date_unknown"] == 2 and tt["letter_after_original_due"] is None
    assert dk["letter_after_original_due"] == 1 and total["letter_after_original_due"] == 1   # 12/01 > 10/01
    assert tt["extensions_unknown"] == 2 and tt["rescheduled_more_than_once"] is None
    assert dk["rescheduled_more_than_once"] == 1 and total["rescheduled_more_than_once"] == 1
    assert tt["received_online"] == 1 and tt["online_full"] == 1 and tt["online_full_share"] == pytest.approx(1.0)
    assert dk["received_online"] == 0 and dk["online_full"] == 0 and dk["online_full_share"] is None


# --- Edges of the dates: strict "after", calendar dates not times, earlier due dates listed, waiting dossiers -------

def test_letters_and_new_dates_are_judged_on_calendar_dates_and_earlier_due_dates_count_the_moves(cli, tmp_path):
    header = ["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hẹn trả ban đầu",
              "Ngày có kết quả", "Trạng thái", "Hình thức nộp", "Thư xin lỗi", "Ngày xin lỗi",
              "Các ngày hẹn trả trước", "Đánh giá"]
    # id  recv   due(orig) new    finish cell  letter date            earlier dates  moves  missed
    # E1  05/01  12/01     26/01  26/01  10    12/01 16:30 (= due:    12/01; 19/01   2      no (26/01 = new date)
    #                                          not after, same day)
    # E2  06/01  13/01     20/01  22/01  10    13/01 (= due)          13/01          1      YES (22/01 > 20/01)
    # E4  08/01  15/01     -      -      12    14/01 (waiting on the applicant, status 5: in time, not late)
    # E6  20/12/25 30/12/25 10/01 15/01  10    29/12/25 (carried over, resolved late in the period)
    #                                                                 30/12/2025     1      YES (15/01 > 10/01)
    # E7  07/01  14/01     -      21/01  10    Không                  (blank: none)  0      -
    rows = [
        ["E1", TT, "05/01/2026", "26/01/2026", "12/01/2026", "26/01/2026", DONE, "Trực tiếp", "Có",
         "12/01/2026 16:30", "12/01/2026; 19/01/2026", "Rất hài lòng"],
        ["E2", TT, "06/01/2026", "20/01/2026", "13/01/2026", "22/01/2026", DONE, "Trực tiếp", "Có", "13/01/2026",
         "13/01/2026", "Hài lòng"],
        ["E4", TT, "08/01/2026", "15/01/2026", None, None, "Yêu cầu bổ sung giấy tờ", "Trực tiếp", "Có", "14/01/2026",
         None, None],
        ["E6", TT, "20/12/2025", "10/01/2026", "30/12/2025", "15/01/2026", DONE, "Trực tiếp", "Có", "29/12/2025",
         "30/12/2025", "Hài lòng"],
        ["E7", TT, "07/01/2026", "14/01/2026", None, "21/01/2026", DONE, "Trực tiếp", "Không", None, None,
         "Không hài lòng"],
    ]
    rows = [[D(v) if isinstance(v, str) and len(v) == 10 and v[2] == "/" else v for v in r] for r in rows]
    path = write_export(tmp_path / "hoso_ngay.xlsx", header, rows)
    doc = experience_json(cli, path, "--from", FROM, "--to", TO)
    assert_row(doc["total"], {
        "received": 4, "late_total": 4, "late_with_letter": 3, "late_without_letter": 1, "letter_unknown": 0,
        "letter_after_original_due": 0, "letter_date_unknown": 0, "rescheduled_more_than_once": 1,
        "extensions_unknown": 0, "new_date_missed": 2, "new_date_unknown": 0,
        "resolved_total": 4, "rated": 4, "very_satisfied": 1, "satisfied": 2, "dissatisfied": 1, "unrated": 0,
        "late_with_letter_share": 3 / 4, "late_without_letter_share": 1 / 4, "unrated_share": 0.0,
    }, "total")


# --- Wording of the letter, rating and receiving cells ------------------------------------------------------------

def test_letter_rating_and_receiving_wordings_are_read_by_their_meaning(cli, tmp_path):
    # Five late dossiers resolved in January (due 10/01, finished 20/01), letters worded as offices write them:
    # "Đã gửi" and "x" are letters; "Không gửi" and "Chưa gửi" say no letter was sent (they contain the known "no"
    # words "không" / "chưa", DOMAIN "Wording not in these lists"); "Không" is no. Ratings in other case or without
    # diacritics; receiving points in short forms.
    header = ["Mã hồ sơ", "Cơ quan giải quyết", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả",
              "Ngày có kết quả", "Trạng thái", "Thư xin lỗi", "Đánh giá"]
    rows = [
        ["W1", TT, "UBND P. Tam Thanh", D("05/01/2026"), D("10/01/2026"), D("20/01/2026"), DONE, "Đã gửi",
         "rất hài lòng"],
        ["W2", TT, "Bộ phận một cửa phường Tam Thanh", D("05/01/2026"), D("10/01/2026"), D("20/01/2026"), DONE, "x",
         "HÀI LÒNG"],
        ["W3", TT, "TT PVHCC P. Đông Kinh", D("05/01/2026"), D("10/01/2026"), D("20/01/2026"), DONE, "Không gửi",
         "Khong hai long"],
        ["W4", TT, "Trung tâm PVHCC phường Tam Thanh", D("05/01/2026"), D("10/01/2026"), D("20/01/2026"), DONE,
         "Chưa gửi", "Chưa đánh giá"],
        ["W5", TT, "TT PVHCC phường Tam Thanh", D("05/01/2026"), D("10/01/2026"), D("20/01/2026"), DONE, "Không",
         None],
    ]
    path = write_export(tmp_path / "hoso_cach_ghi.xlsx", header, rows)
    doc = experience_json(cli, path, "--from", FROM, "--to", TO)
    assert_row(doc["total"], {
        "late_total": 5, "resolved_total": 5, "received": 5,
        # Ratings: W1 very satisfied, W2 satisfied, W3 dissatisfied; W4, W5 unrated.
        "rated": 3, "very_satisfied": 1, "satisfied": 1, "dissatisfied": 1, "unrated": 2, "rating_unread": 0,
        # Receiving: W1, W2, W4 ("Trung tâm PVHCC" = Trung tâm Phục vụ hành chính công), W5 at Tam Thanh's own
        # desk; W3 at Đông Kinh's centre.
        "receiving_known": 5, "received_elsewhere": 1,
        # Letters: W1, W2 with; W3 "Không gửi", W4 "Chưa gửi", W5 "Không" without.
        "late_with_letter": 2, "late_without_letter": 3, "letter_unknown": 0,
    }, "total")


def test_a_measure_with_some_base_dossiers_known_is_a_number(cli, tmp_path):
    # Đông Kinh received 3 dossiers in January: one at its own centre, two with no receiving point. One of three is
    # known: received_elsewhere = 0 of 1 known, not null. Tam Thanh resolved 3 dossiers (one rated "Hài lòng", two
    # blank) in the export with a rating column, Đông Kinh's 3 resolved are in an export without one: the ratings
    # split of the 1 rated dossier is a number in the total (not null because 3 others are unknown).
    header = ["Mã hồ sơ", "Cơ quan giải quyết", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả",
              "Ngày có kết quả", "Trạng thái", "Đánh giá"]
    tam_thanh = write_export(tmp_path / "tt.xlsx", header, [
        ["R1", TT, "TT PVHCC phường Tam Thanh", D("05/01/2026"), D("12/01/2026"), D("09/01/2026"), DONE, "Hài lòng"],
        ["R2", TT, "TT PVHCC phường Tam Thanh", D("05/01/2026"), D("12/01/2026"), D("09/01/2026"), DONE, None],
        ["R3", TT, "TT PVHCC phường Tam Thanh", D("05/01/2026"), D("12/01/2026"), D("09/01/2026"), DONE, None],
    ])
    dong_kinh = write_export(tmp_path / "dk.xlsx", header[:-1], [
        ["S1", DK, "TT PVHCC phường Đông Kinh", D("05/01/2026"), D("12/01/2026"), D("09/01/2026"), DONE],
        ["S2", DK, None, D("05/01/2026"), D("12/01/2026"), D("09/01/2026"), DONE],
        ["S3", DK, None, D("05/01/2026"), D("12/01/2026"), D("09/01/2026"), DONE],
    ])
    doc = experience_json(cli, tam_thanh, dong_kinh, "--from", FROM, "--to", TO, "--by", "unit")
    groups = {g["name"]: g for g in doc["groups"]}
    wrong = mismatches(groups[DK], {"received": 3, "receiving_known": 1, "received_elsewhere": 0,
                                    "received_elsewhere_share": 0.0, "receiving_unknown": 2}, DK)
    wrong += mismatches(doc["total"], {"resolved_total": 6, "rated": 1, "rating_unknown": 3, "unrated": 2,
                                       "very_satisfied": 0, "satisfied": 1, "dissatisfied": 0,
                                       "satisfied_share": 1.0, "dissatisfied_share": 0.0, "unrated_share": 2 / 3,  # of 3 rated or not
                                       "receiving_known": 4, "received_elsewhere": 0}, "total")
    assert not wrong, "\n".join(wrong)


# --- Two exports, one without ratings: unknown counted apart, never as "not rated" --------------------------------

def test_an_export_without_ratings_beside_one_with_them(cli, tmp_path):
    with_ratings = write_export(tmp_path / "tam_thanh.xlsx", HEADER, [r for r in full_rows() if r[1].startswith("T")])
    without = write_export(tmp_path / "dong_kinh.xlsx", HEADER[:-1],
                           [r[:-1] for r in full_rows() if r[1].startswith("D")])
    doc = experience_json(cli, with_ratings, without, "--from", FROM, "--to", TO, "--by", "unit")
    groups = {g["name"]: g for g in doc["groups"]}
    # Tam Thanh as in the full export; Đông Kinh's 7 resolved dossiers are unknown for ratings: its rating measures
    # are null, the total's rest on Tam Thanh's alone, with Đông Kinh's 7 counted apart.
    assert_row(groups[TT], {k: EXPECTED_TT[k] for k in ("resolved_total", "rated", "very_satisfied", "satisfied",
                                                         "dissatisfied", "unrated", "rating_unread",
                                                         "rating_unknown")}, TT)
    assert groups[DK]["resolved_total"] == 7 and groups[DK]["rating_unknown"] == 7
    for key in ("rated", "very_satisfied", "satisfied", "dissatisfied", "unrated", "unrated_share",
                "dissatisfied_share"):
        assert groups[DK][key] is None, f"{DK}: {key} = {groups[DK][key]!r}"
    # The total: ratings over Tam Thanh's 4 rated (of its 6 resolved), Đông Kinh's 7 counted apart; every other
    # measure as in the single full export.
    rest = {k: v for k, v in EXPECTED_TOTAL.items() if k not in (
        "rated", "very_satisfied", "satisfied", "dissatisfied", "unrated", "rating_unread", "rating_unknown",
        "very_satisfied_share", "satisfied_share", "dissatisfied_share", "unrated_share")}
    assert_row(doc["total"], {**rest, "resolved_total": 13, "rated": 4, "very_satisfied": 1, "satisfied": 1,
                              "dissatisfied": 2, "unrated": 2, "rating_unread": 1, "rating_unknown": 7,
                              "very_satisfied_share": 1 / 4, "satisfied_share": 1 / 4, "dissatisfied_share": 2 / 4,
                              # of the 6 resolved whose file has a rating column (docs/RULES.md)
                              "unrated_share": 2 / 6}, "total")
    caveat = next(c for c in doc["caveats"] if c["code"] == "rating")
    assert caveat["carried"] is True and caveat["count"] == 7


# --- The workbook --------------------------------------------------------------------------------------------------

# The columns of the first sheet's tables, as headed (the labels the screens and files share).
XLSX_LABELS = {
    "Nhận mới trong kỳ (4) + (5)": "received", "Nộp trực tuyến (4)": "received_online",
    "Trực tuyến toàn trình": "online_full", "Trực tuyến một phần": "online_partial",
    "Trực tuyến không rõ mức độ": "online_level_unknown", "Tỷ lệ toàn trình / trực tuyến": "online_full_share",
    "Trễ hạn (10) + (13)": "late_total", "Trễ hạn có văn bản xin lỗi": "late_with_letter",
    "Trễ hạn không có văn bản xin lỗi": "late_without_letter",
    "Xin lỗi sau ngày hẹn trả ban đầu": "letter_after_original_due",
    "Hẹn lại hơn một lần": "rescheduled_more_than_once", "Trễ cả ngày hẹn mới": "new_date_missed",
    "Đã giải quyết (7)": "resolved_total", "Có đánh giá": "rated", "Rất hài lòng": "very_satisfied",
    "Hài lòng": "satisfied", "Không hài lòng": "dissatisfied", "Chưa đánh giá": "unrated",
    "Chưa đánh giá / đã giải quyết": "unrated_share", "Ghi rõ nơi tiếp nhận": "receiving_known",
    "Tiếp nhận ở nơi khác đơn vị giải quyết": "received_elsewhere",
    "Nơi khác / ghi rõ nơi tiếp nhận": "received_elsewhere_share",
}


def total_rows(path: Path) -> list[dict]:
    """Each table of the first sheet: its "Tổng cộng" row, header -> value."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    tables, header = [], None
    for row in sheet.iter_rows(values_only=True):
        first = row[0]
        if first in ("Đơn vị", "Phạm vi", "Lĩnh vực", "Cấp", "Thủ tục"):
            header = row
        elif first == "Tổng cộng" and header is not None:
            tables.append({h: v for h, v in zip(header[1:], row[1:]) if h})
            header = None
    return tables


def check_workbook_totals(path: Path, total: dict) -> int:
    tables = total_rows(path)
    assert len(tables) == 4, tables
    seen = 0
    for table in tables:
        for label, value in table.items():
            assert label in XLSX_LABELS, f"a column this test does not know: {label!r}"
            key = XLSX_LABELS[label]
            expected = total[key]
            if expected is None:
                assert value in (NO_DATA, "—"), f"{label}: {value!r} for a null measure"
                if not key.endswith("_share"):
                    assert value == NO_DATA, label
            elif key.endswith("_share"):
                assert value == pytest.approx(expected), label
            else:
                assert value == expected, f"{label}: {value!r}, JSON {expected}"
            seen += 1
    return seen


def test_the_workbook_total_rows_are_the_json_total(cli, q1_export, bare_export, tmp_path):
    for export in (q1_export, bare_export):
        doc = experience_json(cli, export, "--from", FROM, "--to", TO, "--by", "unit")
        out = tmp_path / f"{export.stem}_trai_nghiem.xlsx"
        code, said, err = cli("experience", export, "--from", FROM, "--to", TO, "--by", "unit", "--format", "xlsx",
                              "--out", out)
        assert code == 0, err
        assert out.exists()
        assert check_workbook_totals(out, doc["total"]) >= 20
    # The full export's figures are the hand figures, and the bare export's measures read "không có dữ liệu".
    full = {XLSX_LABELS[k]: v for t in total_rows(tmp_path / f"{q1_export.stem}_trai_nghiem.xlsx")
            for k, v in t.items()}
    for key, value in full.items():
        assert value == pytest.approx(EXPECTED_TOTAL[key]), key
    bare = {XLSX_LABELS[k]: v for t in total_rows(tmp_path / f"{bare_export.stem}_trai_nghiem.xlsx")
            for k, v in t.items()}
    assert bare["late_with_letter"] == NO_DATA and bare["rated"] == NO_DATA and bare["online_full"] == NO_DATA
    assert bare["late_total"] == 10 and bare["resolved_total"] == 13 and bare["received_online"] == 9


# --- The national index (QĐ 766) -----------------------------------------------------------------------------------

GROUP_COLUMNS = {"progress": "TDGQ", "satisfaction": "MDHL", "digitisation": "MDSH", "payment": "TTTT",
                 "online": "CLGQ", "openness": "CKMB"}
SCORE_SHEETS = {"Điểm năm": 34, "Điểm tháng": 34, "Sở Ban": 15, "Xã Phường": 102}


def score_rows(path: Path) -> dict[str, list[dict]]:
    """The score file read by hand: per sheet, each row as header -> text."""
    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for name in SCORE_SHEETS:
        rows = list(book[name].iter_rows(values_only=True))
        header = rows[0]
        out[name] = [dict(zip(header, r)) for r in rows[1:] if any(v not in (None, "") for v in r)]
    return out


# October 2025. Sở Tư pháp (44 rows):
#   (8) early: 15 received 01–15/10 online, due +10 days, finished +5 days; 3 carried over (received 25–27/09, due
#       10/10, finished 05/10)                                                                  -> 18
#   (9) on time: 8 received 02–09/10, finished on the due date (+7 days)                        -> 8
#   (10) late: 5 received 01–05/10, due +5 days, finished +9 days                               -> 5
#   (12) pending in time: 5 received 20–24/10, due 05/11; 1 waiting on the applicant ("Yêu cầu bổ sung giấy tờ",
#        due 16/10 < 31/10 but status 5)                                                        -> 6
#   (13) pending overdue: 2 carried over (received 15–16/09, due 29/09), 2 received 10–11/10 due 20/10 -> 4
#   withdrawn: 1 (received 03/10, "Đã rút hồ sơ" 08/10): neither (7) nor (11)
#   outside: 1 received 03/11; 1 received 05/09 and returned 20/09 (finished before the period)
#   (7) = 31, (11) = 10; progress = 20 × (18 + 8 + 6) / (31 + 10) = 640/41
#   received in October: 15 + 8 + 5 + 6 + 2 + 1 = 37, of which online (4) = 15: online = 12 × 15/37
# Sở Xây dựng (6 rows): 3 early, 1 late, 1 pending in time, 1 pending overdue, all received in October in person:
#   (7) = 4, (11) = 2; progress = 20 × (3 + 0 + 1) / 6; online = 12 × 0/6 = 0
TP, XD = "Sở Tư pháp", "Sở Xây dựng"
OCT_HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Ngày tiếp nhận",
              "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Hình thức nộp"]


def october_rows() -> list[list]:
    day = lambda m, d: dt.date(2025, m, d)  # noqa: E731
    plus = lambda date, n: date + dt.timedelta(days=n)  # noqa: E731
    rows = []

    def add(unit, received, due, finish, status, channel="Trực tiếp"):
        procedure = ("Cấp Phiếu lý lịch tư pháp", "Lý lịch tư pháp") if unit == TP else ("Cấp giấy phép xây dựng",
                                                                                        "Hoạt động xây dựng")
        rows.append([len(rows) + 1, f"{'STP' if unit == TP else 'SXD'}-{len(rows) + 1:04d}", *procedure, unit,
                     received, due, finish, status, channel])

    for d in range(1, 16):
        add(TP, day(10, d), plus(day(10, d), 10), plus(day(10, d), 5), DONE, "Trực tuyến")
    for d in (25, 26, 27):
        add(TP, day(9, d), day(10, 10), day(10, 5), DONE)
    for d in range(2, 10):
        add(TP, day(10, d), plus(day(10, d), 7), plus(day(10, d), 7), DONE)
    for d in range(1, 6):
        add(TP, day(10, d), plus(day(10, d), 5), plus(day(10, d), 9), DONE)
    for d in range(20, 25):
        add(TP, day(10, d), day(11, 5), None, PENDING)
    add(TP, day(10, 6), day(10, 16), None, "Yêu cầu bổ sung giấy tờ")
    for d in (15, 16):
        add(TP, day(9, d), day(9, 29), None, PENDING)
    for d in (10, 11):
        add(TP, day(10, d), day(10, 20), None, PENDING)
    add(TP, day(10, 3), day(10, 13), day(10, 8), "Đã rút hồ sơ")
    add(TP, day(11, 3), day(11, 10), None, PENDING)
    add(TP, day(9, 5), day(9, 19), day(9, 20), DONE)
    for d in (6, 7, 8):
        add(XD, day(10, d), day(10, 20), day(10, 15), DONE)
    add(XD, day(10, 9), day(10, 14), day(10, 17), DONE)
    add(XD, day(10, 27), day(11, 7), None, PENDING)
    add(XD, day(10, 10), day(10, 24), None, PENDING)
    return rows


def test_the_score_file_is_read_with_its_identity_and_a_dossier_file_is_refused(cli, tmp_path):
    scores = _shared("dvcqg_766_scores_2025_10.xlsx")
    # By hand: the four score sheets' rows, and total = the sum of the six groups on every row (to 0.01).
    by_sheet = score_rows(scores)
    assert {name: len(rows) for name, rows in by_sheet.items()} == SCORE_SHEETS
    for name, rows in by_sheet.items():
        for row in rows:
            groups = sum(float(row[c]) for c in GROUP_COLUMNS.values())
            assert abs(float(row["TONG_SCORE"]) - groups) <= 0.015, (name, row["TEN_COQUAN"])

    # A file that is not a score file (a dossier export, its name saying the month) is refused, nothing kept.
    not_scores = write_export(tmp_path / "hoso_2025_10.xlsx", OCT_HEADER, october_rows())
    code, out, err = cli("index", "import", not_scores)
    assert code == 1
    assert err.strip() and "tệp" in err.lower() and "Traceback" not in err
    code, listed, _ = cli("index", "list")
    assert code == 0 and "chưa có" in listed.lower()

    code, out, err = cli("index", "import", scores)
    assert code == 0, err
    total = sum(SCORE_SHEETS.values())
    assert total == 185
    assert "185 dòng" in out and out.count("185") >= 2, out   # rows read, and rows whose total adds up
    assert "10/2025" in out
    code, listed, _ = cli("index", "list")
    assert code == 0 and "10/2025" in listed and "dvcqg_766_scores_2025_10.xlsx" in listed


def test_the_index_sits_beside_estimates_from_the_dossiers(cli, tmp_path):
    scores = _shared("dvcqg_766_scores_2025_10.xlsx")
    assert cli("index", "import", scores)[0] == 0
    export = write_export(tmp_path / "so_ban_2025_10.xlsx", OCT_HEADER, october_rows())
    doc = experience_json(cli, export, "--from", "2025-10-01", "--to", "2025-10-31", "--index-month", "2025-10")
    index = doc["national_index"]
    assert index["month"] == "2025-10"
    identity = index["identity"]
    assert identity["rows"] == 185 and identity["adds_up"] == 185 and identity["breaks"] == []
    bodies = {b["name"]: b for b in index["bodies"]}
    body = bodies["Sở Tư pháp - tỉnh An Giang"]
    assert body["unit"] == TP and body["whole_data"] is False and body["sheet"] == "Sở Ban"
    row = next(r for r in score_rows(scores)["Sở Ban"] if r["TEN_COQUAN"] == "Sở Tư pháp - tỉnh An Giang")
    assert body["official"] == {**{k: pytest.approx(float(row[c])) for k, c in GROUP_COLUMNS.items()},
                                "total": pytest.approx(float(row["TONG_SCORE"]))}
    assert body["official"]["progress"] == pytest.approx(14.1) and body["official"]["total"] == pytest.approx(73.65)
    progress = body["estimates"]["progress"]
    assert progress["label"] == "ước tính"
    assert progress["points"] == pytest.approx(20 * (18 + 8 + 6) / (31 + 10))
    assert progress["base"] == 41
    assert progress["low"] <= progress["points"] <= progress["high"]
    online = body["estimates"]["online"]
    assert online["label"] == "ước tính" and online["points"] == pytest.approx(12 * 15 / 37) and online["base"] == 37
    # No rating column: the satisfaction estimate is missing, never a number.
    assert body["estimates"]["satisfaction"]["points"] is None
    # The other department in the data, matched to its own row.
    xd = bodies["Sở Xây dựng - tỉnh An Giang"]
    assert xd["unit"] == XD
    assert xd["estimates"]["progress"]["points"] == pytest.approx(20 * 4 / 6)
    assert xd["estimates"]["online"]["points"] == pytest.approx(0.0)
    assert set(bodies) == {"Sở Tư pháp - tỉnh An Giang", "Sở Xây dựng - tỉnh An Giang"}
