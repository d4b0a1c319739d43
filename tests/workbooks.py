"""Build export workbooks in code, so that each test shows the defect it is about."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

TITLE_ROWS = [["ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"], ["DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT"],
              ["Từ ngày 01/01/2019 đến ngày 31/03/2019"], []]
HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Ngày tiếp nhận",
          "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Hình thức nộp"]
ROWS = [
    [1, "TP-190103-0001", "Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", dt.datetime(2019, 1, 3, 8, 15),
     dt.date(2019, 1, 10), "08/01/2019 16:20", "Đã trả kết quả", "Trực tiếp"],
    [2, "TP-190104-0002", "Cấp GCN quyền sử dụng đất", "Đất đai", "Phòng Tài nguyên và Môi trường", "04/01/2019",
     "10-01-2019", 43475, "Đã xử lý xong", "Trực tuyến"],
    [3, "TP-190211-0003", "Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", "2019-02-11T09:15:00+07:00",
     "15/02/2019", None, "Đang xử lý", None],
]


def write_rows(path: Path, rows: list[list], title_rows=TITLE_ROWS, sheet="Danh sách") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in [*title_rows, *rows]:
        ws.append(row)
    book.save(path)
    return path


def simple_export(path: Path, rows=None, header=None) -> Path:
    """Title rows, one header row, data rows, a total row and a signature block."""
    return write_rows(path, [header or HEADER, *(ROWS if rows is None else rows), ["Tổng cộng"], [],
                             [None, "Người lập biểu"], [None, "(Ký, ghi rõ họ tên)"]])


def merged_header_export(path: Path) -> Path:
    """A two-row header: "Thời gian" merged over the dates, single headers merged down; a numbering row."""
    book = openpyxl.Workbook()
    ws = book.active
    for row in TITLE_ROWS:
        ws.append(row)
    ws.append(["STT", "Số hồ sơ", "Thủ tục hành chính", None, "Thời gian", None, None, None, "Trạng thái"])
    ws.append([None, None, "Mã TTHC", "Tên TTHC", "Tiếp nhận", "Hẹn trả", "Có kết quả", "Trả kết quả", None])
    top = len(TITLE_ROWS) + 1
    ws.merge_cells(f"C{top}:D{top}")
    ws.merge_cells(f"E{top}:H{top}")
    for col in "ABI":
        ws.merge_cells(f"{col}{top}:{col}{top + 1}")
    ws.append([f"({i})" for i in range(1, 10)])
    ws.append([1, "X-1", "2.000720", "Cấp GCN", "02/01/2019", "09/01/2019", "09/01/2019", "10/01/2019", "10"])
    ws.append([2, "X-2", "1.001234", "Khai sinh", "03/01/2019", "03/01/2019", None, None, "4"])
    ws.cell(row=top + 3, column=3).number_format = "@"
    book.save(path)
    return path
