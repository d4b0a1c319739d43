"""The synthetic sample data (sample_data/): catalog, quarterly exports and their expected headline.

The files are read with openpyxl directly, not with the project's importer.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import openpyxl
import pytest

import sample_data.make_sample as ms

EXPORT_DIR = ms.OUT_DIR / "exports"
EXPECTED = {k: v for k, v in json.loads((ms.OUT_DIR / "expected_headline.json").read_text(encoding="utf-8")).items()
            if k in ms.HEADLINE_KEYS}
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(scope="module")
def sample() -> ms.Sample:
    return ms.build()


def test_catalog_has_the_articles_procedure_counts_with_text_codes():
    ws = openpyxl.load_workbook(ms.OUT_DIR / "procedures.xlsx").active
    rows = list(ws.iter_rows())
    top = next(i for i, row in enumerate(rows) if row[0].value == "Mã TTHC")
    assert [c.value for c in rows[top]] == ["Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Cấp thực hiện",
                                            "Thời hạn giải quyết", "Phí, lệ phí"]
    data = rows[top + 1:]
    codes = [row[0] for row in data]
    assert all(c.data_type == "s" and re.fullmatch(r"[12]\.\d{6}", c.value) for c in codes)
    assert len({c.value for c in codes}) == len(codes)
    assert "2.000720" in {c.value for c in codes}
    assert len({row[1].value for row in data}) == len(data)
    assert Counter(row[3].value for row in data) == {"Cấp huyện": 284, "Cấp xã": 125}
    limits = Counter(row[4].value for row in data)
    assert limits["Trong ngày"] and 0 < limits["Không quy định"] < 20
    assert all(re.fullmatch(r"\d{2} ngày làm việc( kể từ ngày nhận đủ hồ sơ hợp lệ)?", text)
               for text in limits if text not in ("Trong ngày", "Không quy định"))


def test_five_quarterly_exports_sort_chronologically():
    names = sorted(p.name for p in EXPORT_DIR.glob("*.xlsx"))
    assert names == [f"{q}_ho-so_TP-Lang-Son.xlsx" for q in ("2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4", "2019-Q1")]


@pytest.mark.parametrize("quarter", ms.QUARTERS, ids=lambda q: q.label)
def test_export_has_title_rows_and_a_merged_two_row_header(quarter):
    ws = openpyxl.load_workbook(EXPORT_DIR / quarter.file_name).active
    first_column = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert first_column[:4] == ["ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN", "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT",
                                f"Từ ngày {quarter.start:%d/%m/%Y} đến ngày {quarter.end:%d/%m/%Y}",
                                ms.SYNTHETIC_NOTE]
    top = first_column.index("STT") + 1  # 1-based row of the parent headers
    merged = {str(r) for r in ws.merged_cells.ranges}
    parents = [ws.cell(top, c).value for c in range(1, ws.max_column + 1)]
    children = [ws.cell(top + 1, c).value for c in range(1, ws.max_column + 1)]

    def span(header: str, width: int) -> str:
        col = parents.index(header) + 1
        return f"{ws.cell(top, col).coordinate}:{ws.cell(top, col + width - 1).coordinate}"

    assert f"A{top}:A{top + 1}" in merged  # "STT" over both rows
    assert span("Thời gian", 5) in merged
    if quarter.new_software:
        assert parents[:4] == ["STT", "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục hành chính"]
        assert [c for c in children if c][:2] == ["Ngày nhận hồ sơ", "Hạn xử lý"]
    else:
        assert span("Thủ tục hành chính", 2) in merged
        assert children[2:4] == ["Mã TTHC", "Tên TTHC"]
        assert "Ngày hẹn trả ban đầu" in children
    assert [ws.cell(top + 2, c).value for c in range(1, 4)] == ["(1)", "(2)", "(3)"]
    assert "Tổng cộng" in first_column
    signature = {ws.cell(r, c).value for r in range(ws.max_row - 3, ws.max_row + 1)
                 for c in range(1, ws.max_column + 1)}
    assert {"Người lập biểu", "(Ký, ghi rõ họ tên)"} <= signature
    # Procedure codes are text cells in every data row.
    code_col = children.index("Mã TTHC") + 1 if "Mã TTHC" in children else parents.index("Mã thủ tục") + 1
    total_row = first_column.index("Tổng cộng") + 1
    assert all(ws.cell(r, code_col).data_type == "s" for r in range(top + 3, total_row))


def test_generator_gives_the_expected_headline(sample):
    counts = ms.headline(ms.merge(sample.files))
    assert {k: counts[k] for k in EXPECTED} == EXPECTED
    assert counts["resolved_total"] == 1365
    assert 0.955 <= ms.on_time_rate(counts) <= 0.975
    for key in ("carried_over", "received_online", "resolved_late", "pending_in_time", "pending_overdue",
                "withdrawn", "excluded"):
        assert counts[key] > 0, key


# --- reading the files back, independently of the generator's rows ------------------------------------------------

FIELD_HEADERS = {
    "case_id": ("Số hồ sơ", "Mã hồ sơ"), "received": ("Ngày tiếp nhận", "Ngày nhận hồ sơ"),
    "due": ("Ngày hẹn trả", "Hạn xử lý"), "original_due": ("Ngày hẹn trả ban đầu", "Hạn xử lý ban đầu"),
    "completed": ("Ngày có kết quả", "Ngày hoàn thành"), "returned": ("Ngày trả kết quả", "Ngày trả"),
    "status": ("Trạng thái", "Trạng thái hồ sơ"), "channel": ("Hình thức nộp", "Kênh"),
}
STATUS_CODES = {text: code for code, text in ms.STATUS_TEXT_2018.items()}
CHANNEL_CODES = {text: code for code, text in ms.CHANNEL_TEXT_2018.items()}


def parse_date(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, (int, float)):  # Excel serial number
        return dt.datetime(1899, 12, 30) + dt.timedelta(days=value)
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            pass
    return dt.datetime.fromisoformat(value).astimezone(VN).replace(tzinfo=None)


def read_export(path) -> list[ms.Row]:
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == "STT")
    headers = [child or parent for parent, child in zip(rows[top], rows[top + 1])]
    col = {field: next(headers.index(h) for h in names if h in headers) for field, names in FIELD_HEADERS.items()}
    out = []
    for row in rows[top + 3:]:
        if row[0] == "Tổng cộng":
            break
        status, channel = row[col["status"]], row[col["channel"]]
        out.append(ms.Row(
            case_id=row[col["case_id"]],
            **{k: parse_date(row[col[k]]) for k in ("received", "due", "original_due", "completed", "returned")},
            status=status if isinstance(status, int) else STATUS_CODES[status],
            channel=channel if isinstance(channel, int) else CHANNEL_CODES.get(channel, 1)))
    return out


def test_files_read_back_give_the_expected_headline():
    files = [read_export(EXPORT_DIR / q.file_name) for q in ms.QUARTERS]
    counts = ms.headline(ms.merge(files))
    assert {k: counts[k] for k in EXPECTED} == EXPECTED
    # Quarters overlap: some dossiers pending in one file are finished in a later one.
    statuses: dict[str, set[int]] = {}
    for rows in files:
        for row in rows:
            statuses.setdefault(row.case_id, set()).add(row.status)
    assert any({2, 4} & s and {9, 10} & s for s in statuses.values())
