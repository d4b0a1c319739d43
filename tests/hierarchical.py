"""A body's Biểu 06 as bodies file it (issue 17): the grand total first, a roman-numbered row per level whose figures
are the sums of the rows below it, then the units under abbreviated names; made from dossiers whose figures are
worked out here by hand, with cells changed on purpose and one subtotal that does not add up.

Each unit k gets, in Q1 2019: `early` dossiers received in the quarter and resolved before their due date, `late`
ones resolved after it, `pending` ones still open and not yet due at 31/03, and `carried` ones received in December
2018 and resolved on their due date in January. So its Biểu 06 row is, by hand:
(3) = early + late + pending + carried, (4) = 0, (5) = early + late + pending, (6) = carried,
(7) = early + late + carried, (8) = early, (9) = carried, (10) = late, (11) = (12) = pending, (13) = 0.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from analytics.model.periods import Period
from analytics.model.reported import IS_TOTAL, NAME, NUMBER, ROW, ReportedTable
from tests.conftest import make_dossiers

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
DISTRICT, COMMUNE = "Cấp huyện", "Cấp xã"
# (name in the data, name as the body writes it, level, early, late, pending, carried)
UNITS = [
    ("Phòng Tài nguyên và Môi trường", "Phòng TN&MT", DISTRICT, 6, 2, 3, 1),
    ("Phòng Lao động - Thương binh và Xã hội", "Phòng LĐ-TB&XH", DISTRICT, 4, 0, 1, 2),
    ("Phòng Tài chính - Kế hoạch", "Phòng TC-KH", DISTRICT, 5, 1, 0, 0),
    ("Phòng Văn hóa và Thông tin", "Phòng VH&TT", DISTRICT, 3, 1, 2, 1),
    ("UBND phường Bắc Sơn", "UBND P. Bắc Sơn", COMMUNE, 7, 1, 1, 2),
    ("UBND phường Hoàng Văn Thụ", "UBND P. Hoàng Văn Thụ", COMMUNE, 5, 0, 2, 0),
    ("UBND phường Tam Thanh", "UBND P. Tam Thanh", COMMUNE, 4, 2, 0, 1),
    ("UBND phường Vĩnh Trại", "UBND P. Vĩnh Trại", COMMUNE, 6, 1, 1, 1),
    ("UBND phường Chi Lăng", "UBND P. Chi Lăng", COMMUNE, 3, 0, 1, 0),
    ("UBND xã Hoàng Đồng", "UBND X. Hoàng Đồng", COMMUNE, 2, 1, 0, 1),
]
KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
        "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time", "pending_overdue"]
HEADERS = ["Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số đã giải quyết",
           "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số đang giải quyết", "Trong hạn", "Quá hạn"]


def dossiers() -> pd.DataFrame:
    rows = []
    for unit, _, level, early, late, pending, carried in UNITS:
        base = {"unit": unit, "level": level}
        rows += [{**base, "received": "2019-01-10", "due": "2019-01-20", "completed": "2019-01-15"}] * early
        rows += [{**base, "received": "2019-02-01", "due": "2019-02-10", "completed": "2019-02-20"}] * late
        rows += [{**base, "received": "2019-03-25", "due": "2019-04-10"}] * pending
        rows += [{**base, "received": "2018-12-20", "due": "2019-01-08", "completed": "2019-01-08"}] * carried
    return make_dossiers([dict(r) for r in rows])


def by_hand(early: int, late: int, pending: int, carried: int) -> dict[str, int]:
    return dict(zip(KEYS, [early + late + pending + carried, 0, early + late + pending, carried,
                           early + late + carried, early, carried, late, pending, pending, 0]))


FIGURES = {unit[1]: by_hand(*unit[3:]) for unit in UNITS}   # by the reported name
DATA_NAME = {unit[1]: unit[0] for unit in UNITS}


def _sum(names: list[str], figures: dict[str, dict]) -> dict[str, int]:
    return {k: sum(figures[n][k] for n in names) for k in KEYS}


def rows(changes: dict[tuple[str, str], int] | None = None, broken: dict[str, int] | None = None,
         total_last: bool = False) -> list[tuple[str | None, str, dict]]:
    """(STT, name, figures) in the form's layout. `changes`: (reported name, key) -> added to that unit's cell (the
    subtotals and the total add the changed cells up, as a body's spreadsheet does); `broken`: key -> added to
    subtotal II alone (a subtotal that does not add up)."""
    figures = {n: dict(v) for n, v in FIGURES.items()}
    for (name, key), change in (changes or {}).items():
        figures[name][key] += change
    district = [u[1] for u in UNITS if u[2] == DISTRICT]
    commune = [u[1] for u in UNITS if u[2] == COMMUNE]
    second = _sum(commune, figures)
    for key, change in (broken or {}).items():
        second[key] += change
    body = [("I", "CẤP HUYỆN", _sum(district, figures))]
    body += [(str(n), name, figures[name]) for n, name in enumerate(district, start=1)]
    body += [("II", "CẤP XÃ", second)]
    body += [(str(n), name, figures[name]) for n, name in enumerate(commune, start=len(district) + 1)]
    total = (None, "TỔNG CỘNG", _sum(district + commune, figures))
    return body + [total] if total_last else [total] + body


def table(lines: list[tuple[str | None, str, dict]], first_row: int = 8) -> ReportedTable:
    """The table as the reader returns it."""
    frame = pd.DataFrame([{NAME: name, ROW: first_row + n, IS_TOTAL: name.startswith("TỔNG"), NUMBER: number,
                           **{k: float(v) for k, v in values.items()}}
                          for n, (number, name, values) in enumerate(lines)])
    return ReportedTable("bieu-06.xlsx", "1" * 64, "Biểu 06", 5, frame, {h: k for h, k in zip(HEADERS, KEYS)})


def workbook(path, lines: list[tuple[str | None, str, dict]]) -> None:
    """The table as a body's spreadsheet: a title, a two-row header in the form's words, a column-number row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 06"
    sheet.append(["Biểu số 06/VPCP/KSTT"])
    sheet.append(["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"])
    sheet.append(["STT", "Tên đơn vị", "Số hồ sơ nhận giải quyết", None, None, None, "Số hồ sơ đã giải quyết", None,
                  None, None, "Số hồ sơ đang giải quyết", None, None])
    sheet.append([None, None, "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số",
                  "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"])
    for first, last in (("C3", "F3"), ("G3", "J3"), ("K3", "M3"), ("A3", "A4"), ("B3", "B4")):
        sheet.merge_cells(f"{first}:{last}")
    sheet.append(["(1)", "(2)", *(f"({n})" for n in range(3, 14))])
    for number, name, values in lines:
        sheet.append([number, name, *(values[k] for k in KEYS)])
    book.save(path)


EXPORT_HEADER = ["STT", "Mã hồ sơ", "Lĩnh vực", "Cơ quan giải quyết", "Cấp", "Ngày tiếp nhận", "Ngày hẹn trả",
                 "Ngày có kết quả", "Trạng thái", "Hình thức nộp"]


def export(path, renamed: dict[str, str] | None = None):
    """The dossiers as a one-stop export (field "Hộ tịch" for the wards, "Đất đai" for the offices); `renamed`: a
    unit's name in the data -> the name the export writes instead."""
    frame = dossiers()
    rows = []
    for n, d in enumerate(frame.to_dict("records"), start=1):
        unit = (renamed or {}).get(d["unit"], d["unit"])
        rows.append([n, f"HS-{n:05d}", "Đất đai" if d["level"] == DISTRICT else "Hộ tịch", unit, d["level"],
                     d["received_date"].strftime("%d/%m/%Y"), d["due_date"].strftime("%d/%m/%Y"),
                     "" if pd.isna(d["completed_date"]) else d["completed_date"].strftime("%d/%m/%Y"),
                     "Đã trả kết quả" if not pd.isna(d["completed_date"]) else "Đang xử lý", "Trực tiếp"])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(EXPORT_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
