"""Review 2026-12-07 §1.2: due dates filled from the catalog are "computed", never "missing" nor "counted as on time".

The dashboard (and `--catalog`, and a session's documents) fill the due dates an export lacks before the audit and
the caveats run: both must know which due dates were filled (the `due_date_computed` marker the filling sets).
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.analyses import caveats as cv
from analytics.analyses.bieu06 import official_table
from analytics.analyses.catalog_audit import DUE_DATE_COMPUTED, audit, fill_missing_due_dates
from analytics.analyses.classification import classify
from analytics.dossiers.sources import read_files
from analytics.ingest.catalog import read_catalog
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.outputs.sentences import caveat_sentence
from tests.apps import page_app
from tests.catalog_workbooks import catalog_workbook

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
CATALOG = [["1.000003", "Đăng ký hộ kinh doanh", "Hộ kinh doanh", "Cấp huyện", "03 ngày làm việc", "100.000 đồng"]]
HEADER = ["Mã hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Ngày tiếp nhận", "Ngày có kết quả", "Trạng thái",
          "Hình thức nộp"]
# No due-date column. The catalog's limit is 3 working days; March 2019 has no holiday:
ROWS = [["D-1", "1.000003", "Đăng ký hộ kinh doanh", "04/03/2019", "11/03/2019", "Đã trả kết quả", "Trực tiếp"],
        # Mon 04/03 + 3 = Thu 07/03; done Mon 11/03: late.
        ["D-2", "1.000003", "Đăng ký hộ kinh doanh", "05/03/2019", "07/03/2019", "Đã trả kết quả", "Trực tiếp"],
        # Tue 05/03 + 3 = Fri 08/03; done 07/03: early.
        ["D-3", "1.000003", "Đăng ký hộ kinh doanh", "11/03/2019", None, "Đang xử lý", "Trực tiếp"],
        # Mon 11/03 + 3 = Thu 14/03; pending at 31/03: overdue.
        ["D-4", "9.999999", "Thủ tục không có trong danh mục", "12/03/2019", "20/03/2019", "Đã trả kết quả",
         "Trực tiếp"]]
        # not in the catalog: still no due date, on time (DOMAIN), with the missing-column caveat.


def write_csv(path, rows, header=HEADER):
    path.write_text("\n".join(",".join("" if c is None else str(c) for c in r) for r in [header, *rows]) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def filled(tmp_path):
    source = read_files([write_csv(tmp_path / "khong-co-han.csv", ROWS)])
    catalog = read_catalog(catalog_workbook(tmp_path / "danh-muc.xlsx", CATALOG))
    dossiers, n = fill_missing_due_dates(source.dossiers, catalog)
    return source, catalog, dossiers, n


def test_the_filling_marks_three_due_dates_and_the_figures_use_them(filled):
    _, _, dossiers, n = filled
    assert n == 3 and dossiers[DUE_DATE_COMPUTED].tolist() == [True, True, True, False]
    assert [d.strftime("%d/%m") for d in dossiers[s.DUE_DATE].iloc[:3]] == ["07/03", "08/03", "14/03"]
    total = official_table(dossiers, Q1).total
    assert (total["resolved_early"], total["resolved_on_time"], total["resolved_late"],
            total["pending_overdue"]) == (1, 1, 1, 1)


def test_the_audit_of_filled_dossiers_counts_what_the_filling_did(filled):
    source, catalog, dossiers, _ = filled
    assert audit(dossiers, catalog, Q1.start, Q1.end)["due_dates_computed"] == 3
    # The same audit of the dossiers as exported (the command line's `audit`, which fills nothing) counts the
    # same three: the due dates the catalog gives them.
    assert audit(source.dossiers, catalog, Q1.start, Q1.end)["due_dates_computed"] == 3


def test_the_caveats_call_filled_due_dates_computed_and_only_the_rest_missing(filled):
    source, _, dossiers, _ = filled
    found = {c.code: c for c in cv.caveats(classify(dossiers, Q1), source.missing_fields())}
    assert {code: c.count for code, c in found.items()} == {"due_date_missing": 1, "due_date_computed": 3}
    assert caveat_sentence(found["due_date_computed"]) == (
        "3 hồ sơ không có ngày hẹn trả trong tệp xuất: ngày hẹn trả được tính theo thời hạn giải quyết trong danh "
        "mục TTHC (ngày tiếp nhận cộng số ngày làm việc quy định).")
    assert caveat_sentence(found["due_date_missing"]) == (
        "Không phân biệt được trước hạn / đúng hạn / quá hạn cho 1 hồ sơ: tệp khong-co-han.csv không có cột ngày "
        "hẹn trả (các hồ sơ này đang tính là đúng hạn hoặc trong hạn).")


def test_filling_twice_keeps_the_marks(filled):
    _, catalog, dossiers, _ = filled
    again, n = fill_missing_due_dates(dossiers, catalog)
    assert n == 3 and again[DUE_DATE_COMPUTED].tolist() == [True, True, True, False]


def test_thu_tuc_shows_the_number_the_sidebar_caption_gives(empty_store, tmp_path):
    assert empty_store.import_file(write_csv(tmp_path / "khong-co-han.csv", ROWS)).status == "imported"
    catalog_workbook(empty_store.data_dir / "catalog.xlsx", CATALOG)
    at = page_app("pages/thu-tuc.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1}).run()
    assert not at.exception, at.exception
    caption = " ".join(c.value for c in at.caption)
    assert "3 hồ sơ không có ngày hẹn trả, đã tính theo thời hạn trong danh mục TTHC" in caption
    line = next(m.value for m in at.markdown if "Hồ sơ không có ngày hẹn trả, đã tính" in m.value)
    assert line.endswith("**Hồ sơ không có ngày hẹn trả, đã tính theo thời hạn trong danh mục:** 3 hồ sơ")


def test_thu_tuc_with_the_filling_off_says_the_catalog_could_give_them_a_due_date(empty_store, tmp_path):
    assert empty_store.import_file(write_csv(tmp_path / "khong-co-han.csv", ROWS)).status == "imported"
    catalog_workbook(empty_store.data_dir / "catalog.xlsx", CATALOG)
    at = page_app("pages/thu-tuc.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1,
                                       "sel_fill_due": False}).run()
    assert not at.exception, at.exception
    assert not any("đã tính theo thời hạn" in c.value for c in at.caption)
    line = next(m.value for m in at.markdown if "Hẹn trả dài hơn quy định" in m.value)
    assert line.endswith("**Hồ sơ không có ngày hẹn trả, tính được theo thời hạn trong danh mục (chưa tính vào số "
                         "liệu):** 3 hồ sơ")
