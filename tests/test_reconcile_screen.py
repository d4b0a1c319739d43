"""The Đối chiếu screen on the one table it exists for: a body's Biểu 06 whose own sums break (issue 15 item 5; review
2026-12-07 first use, defects 1 and 13). Built here in tmp_path: dossiers in Q1/2019 and the table the body filed.

By hand. The dossiers: Phòng Tài nguyên và Môi trường 155 received and resolved in Q1, 136 on the due date (đúng
hạn), 19 two days after it (quá hạn); Phòng Tư pháp 5, all resolved a day early (trước hạn). The body's table writes
TN&MT as 146 đúng hạn / 9 quá hạn and leaves its "Tổng cộng" row as the dossiers say (5 / 136 / 19), so:
- its own arithmetic breaks twice, on the total row only: đúng hạn (9) 136 against the rows' 146 + 0 = 146 (−10),
  quá hạn (10) 19 against 9 + 0 = 9 (+10); TN&MT's own row holds (155 = 0 + 146 + 9);
- beside the dossiers, two figures differ, both TN&MT's: đúng hạn 146 − 136 = +10, quá hạn 9 − 19 = −10; the total
  row agrees everywhere.
"""
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from analytics.ingest.reported_table import read_reported_table
from tests.apps import page_app
from tests.workbooks import HEADER, write_rows

PAGE = "pages/doi-chieu.py"
Q1 = {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1}
LAND, JUSTICE = "Phòng Tài nguyên và Môi trường", "Phòng Tư pháp"
ON_TIME, LATE, EARLY = 136, 19, 5


def dossier_rows() -> list[list]:
    rows = []
    for n in range(ON_TIME + LATE):
        received = dt.date(2019, 1, 2) + dt.timedelta(days=n % 60)
        due = received + dt.timedelta(days=5)
        done = due if n < ON_TIME else due + dt.timedelta(days=2)
        rows.append([n + 1, f"TNMT-{received:%y%m%d}-{n:04d}", "Cấp GCN quyền sử dụng đất", "Đất đai", LAND,
                     f"{received:%d/%m/%Y}", f"{due:%d/%m/%Y}", f"{done:%d/%m/%Y}", "Đã trả kết quả", "Trực tiếp"])
    for n in range(EARLY):
        received = dt.date(2019, 2, 4) + dt.timedelta(days=n)
        due, done = received + dt.timedelta(days=3), received + dt.timedelta(days=2)
        rows.append([len(rows) + 1, f"TP-{received:%y%m%d}-{n:04d}", "Đăng ký khai sinh", "Hộ tịch", JUSTICE,
                     f"{received:%d/%m/%Y}", f"{due:%d/%m/%Y}", f"{done:%d/%m/%Y}", "Đã trả kết quả", "Trực tiếp"])
    return rows


def reported_workbook(path, land_name: str = "Phòng TN&MT"):
    """The body's Biểu 06: a two-row header, TN&MT's row with 146 / 9, the total row as the dossiers say."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 06"
    for row in [["BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC QUÝ I/2019"], [],
                ["STT", "Tên đơn vị", "Số hồ sơ nhận giải quyết", None, None, "Số hồ sơ đã giải quyết", None, None,
                 None, "Số hồ sơ đang giải quyết", None, None],
                [None, None, "Tổng số", "Trong kỳ", "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
                 "Tổng số", "Trong hạn", "Quá hạn"],
                [1, land_name, 155, 155, 0, 155, 0, 146, 9, 0, 0, 0],
                [2, JUSTICE, 5, 5, 0, 5, 5, 0, 0, 0, 0, 0],
                [None, "Tổng cộng", 160, 160, 0, 160, EARLY, ON_TIME, LATE, 0, 0, 0]]:
        sheet.append(row)
    for cells in ("A3:A4", "B3:B4", "C3:E3", "F3:I3", "J3:L3"):
        sheet.merge_cells(cells)
    book.save(path)
    return path


@pytest.fixture
def stored(empty_store, tmp_path):
    """The store with the dossiers imported and the body's table saved (as "Đọc và lưu biểu này" does); TN&MT's
    abbreviation is matched by its initials."""
    result = empty_store.import_file(write_rows(tmp_path / "q1.xlsx", [HEADER, *dossier_rows()]))
    assert (result.status, result.rows_imported) == ("imported", 160), result
    reported_id, _ = empty_store.save_reported(read_reported_table(reported_workbook(tmp_path / "bieu06.xlsx")))
    return empty_store, reported_id


def run(state: dict | None = None):
    return page_app(PAGE, {**Q1, **(state or {})}).run()


def tables(at, first_column: str) -> list:
    """The page's tables whose first column is `first_column`, in the page's order."""
    return [d.value for d in at.dataframe if list(d.value.columns[:1]) == [first_column]]


def test_a_table_whose_sums_break_is_the_finding_not_a_crash(stored):
    at = run()
    assert not at.exception, at.exception
    # 1. the story first: the table's own sums that break, in red: its total row's two, gaps by hand ...
    assert "**2** phép cộng của chính biểu không khớp" in at.error[0].value
    [breaks] = tables(at, "Dòng")
    assert breaks[["Dòng", "Chỉ tiêu", "Báo cáo", "Tổng các dòng", "Chênh lệch"]].values.tolist() == [
        ["Tổng cộng", "Đúng hạn (9)", 136, 146, -10], ["Tổng cộng", "Giải quyết quá hạn (10)", 19, 9, 10]]
    assert breaks["Phép kiểm tra"].tolist() == ["dòng tổng = tổng 2 dòng đơn vị: đúng hạn (9)",
                                                "dòng tổng = tổng 2 dòng đơn vị: quá hạn (10)"]
    assert breaks["Dòng trên trang"].tolist() == [7, 7]
    # ... then the two figures the dossiers do not confirm, counted and listed with their likely cause
    assert any("**2** số liệu báo cáo khác số tính lại từ hồ sơ" in w.value for w in at.warning)
    differing, whole = tables(at, "Dòng báo cáo")
    assert differing[["Dòng báo cáo", "Chỉ tiêu", "Báo cáo", "Tính lại", "Chênh lệch"]].values.tolist() == [
        ["Phòng TN&MT", "Đúng hạn (9)", 146, 136, 10], ["Phòng TN&MT", "Giải quyết quá hạn (10)", 9, 19, -10]]
    assert differing["Nguyên nhân có thể"].str.contains("cần hỏi đơn vị báo cáo").all()
    assert len(whole) == 30 and whole["Khớp"].tolist()[:2] == ["KHÔNG", "KHÔNG"]
    assert (whole["Khớp"] == "có").sum() == 28
    assert whole.loc[whole["Dòng báo cáo"] == "Tổng cộng", "Chênh lệch"].tolist() == [0] * 10
    # 2. the structure as read: TN&MT matched by its initials, nothing left to match
    assert not [w for w in at.warning if "chưa khớp" in w.value]


def test_the_numbers_stay_numbers_for_sorting_and_read_the_vietnamese_way(stored):
    from analytics.analyses.reconciliation import reconcile
    from analytics.model.periods import quarter
    from ui import reconciling
    store, reported_id = stored
    rec = reconcile(store.reported(reported_id), store.dossiers()[0], quarter(2019, 1))
    frame = reconciling.side_by_side(rec)
    assert all(str(frame[c].dtype) == "Float64" for c in ("Báo cáo", "Tính lại", "Chênh lệch"))
    shown = reconciling.styled(frame).to_html()
    assert ">+10<" in shown and ">-10<" in shown and ">146<" in shown
    big = reconciling.styled(frame.assign(**{"Tính lại": frame["Tính lại"] * 100})).to_html()
    assert ">13.600<" in big  # thousands with a dot


def test_a_stored_table_can_always_be_removed(stored):
    store, reported_id = stored
    at = run()
    assert [e.label for e in at.expander][0] == "Xoá biểu báo cáo này"
    at.checkbox(key=f"reported_remove_sure_{reported_id}").check().run()
    at.button(key=f"reported_remove_{reported_id}").click().run()
    assert not at.exception, at.exception
    assert store.reported_tables().empty
    assert any("Chưa có biểu báo cáo nào" in i.value for i in at.info)


def test_the_removal_survives_a_failure_below_it(stored, monkeypatch):
    """Whatever goes wrong in the reconciliation, the stored table is not stuck on the page."""
    from ui import reconciling

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng")
    monkeypatch.setattr(reconciling, "reconciliation", broken)
    store, reported_id = stored
    at = run()
    assert at.exception  # the failure is there …
    at.checkbox(key=f"reported_remove_sure_{reported_id}").check().run()
    at.button(key=f"reported_remove_{reported_id}").click().run()
    assert store.reported_tables().empty  # … and the table still goes
    assert not at.exception


def test_an_unmatched_row_says_how_to_fix_it_on_the_screen(empty_store, tmp_path):
    empty_store.import_file(write_rows(tmp_path / "q1.xlsx", [HEADER, *dossier_rows()]))
    empty_store.save_reported(read_reported_table(reported_workbook(tmp_path / "bieu06.xlsx", "Phòng Tài nguyên")))
    at = run()
    assert not at.exception, at.exception
    [warning] = [w.value for w in at.warning if "chưa khớp" in w.value]
    assert "Phòng Tài nguyên" in warning and "--map-row" not in warning
    assert any(LAND in c.value for c in at.caption)  # the data's unit the table did not report


def test_the_editors_changes_become_remembered_corrections():
    """What the analyst changes in "Xem và sửa loại dòng": a row's kind (by its sheet row), a match chosen, a
    suggestion confirmed, a remembered match cleared; what is left as it was is not written again."""
    from analytics.analyses.reported_structure import structure
    from analytics.model.reported import RowCorrections
    from tests import hierarchical as h
    from ui import reconciling as r
    shape = structure(h.table(h.rows()))
    names = [row.name for row in shape.rows]
    before = pd.DataFrame({r.KIND: [r.KIND_LABELS[row.role] for row in shape.rows], r.MATCH: [r.AUTO] * len(names),
                           r.SUGGESTED: [""] * len(names), r.USE_SUGGESTION: [False] * len(names)})
    after = before.copy()
    after.loc[names.index("CẤP XÃ"), r.KIND] = "Đơn vị"
    after.loc[names.index("Phòng TC-KH"), r.MATCH] = "Phòng Tài chính - Kế hoạch"
    after.loc[names.index("UBND P. Chi Lăng"), [r.SUGGESTED, r.USE_SUGGESTION]] = ["UBND phường Chi Lăng", True]
    said = RowCorrections({"UBND P. Bắc Sơn": "UBND phường Bắc Sơn"})
    before.loc[names.index("UBND P. Bắc Sơn"), r.MATCH] = "UBND phường Bắc Sơn"
    roles, matches = r._changes(before, after.assign(**{r.MATCH: after[r.MATCH].where(
        after.index != names.index("UBND P. Bắc Sơn"), r.AUTO)}), shape, said)
    assert roles == {"14": "unit"}
    assert matches == {"Phòng TC-KH": "Phòng Tài chính - Kế hoạch", "UBND P. Chi Lăng": "UBND phường Chi Lăng",
                       "UBND P. Bắc Sơn": ""}
