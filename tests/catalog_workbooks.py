"""Build procedure-catalog workbooks in code, so that each test shows the catalog it is about."""
from __future__ import annotations

from pathlib import Path

import openpyxl

TITLE_ROWS = [["DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND THÀNH PHỐ"], []]
HEADER = ["Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Cấp thực hiện", "Thời hạn giải quyết", "Phí, lệ phí"]
# With TITLE_ROWS and HEADER, the first procedure is on the spreadsheet's row 4.
FIRST_ROW = len(TITLE_ROWS) + 2


def catalog_workbook(path: Path, rows: list[list], header: list | None = None, title_rows=TITLE_ROWS) -> Path:
    """Title rows, one header row (HEADER unless given), then `rows` as they are."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Danh mục"
    for row in [*title_rows, header or HEADER, *rows]:
        ws.append(row)
    book.save(path)
    return path
