"""The Đối chiếu screen in Chromium, as the first-use review met it (review 2026-12-07, defects 1 and 13): the
executive's Biểu 06 for the sample data, uploaded through the file chooser, in which Phòng Tài nguyên và Môi trường
reports 146 đúng hạn / 9 quá hạn where the dossiers say 136 / 19 (01/01/2018 – 31/03/2019, the sample's default
period) and the "Tổng cộng" row is left as the dossiers say. By hand: the total row breaks twice (đúng hạn 470
against the rows' 480: −10; quá hạn 46 against 36: +10), and 2 of the 16 × 12 = 192 figures differ from the dossiers
(the total's are as the dossiers say).
"""
import datetime as dt

import openpyxl
import pytest

from analytics.analyses.bieu06 import COUNT_KEYS, official_table
from analytics.dossiers.sources import read_files
from analytics.model.periods import Period
from tests.test_browser import ROOT, TIMEOUT, app_url, expect, settle  # noqa: F401 (app_url: this module's server)

LAND = "Phòng Tài nguyên và Môi trường"
WORDING = ["Số hồ sơ nhận giải quyết - Tổng số (3)", "Số hồ sơ nhận trong kỳ - Trực tuyến (4)",
           "Số hồ sơ nhận trong kỳ - Trực tiếp, dịch vụ bưu chính (5)", "Số hồ sơ từ kỳ trước (6)",
           "Số hồ sơ đã giải quyết - Tổng số (7)", "Đã giải quyết - Trước hạn (8)", "Đã giải quyết - Đúng hạn (9)",
           "Đã giải quyết - Quá hạn (10)", "Số hồ sơ đang giải quyết - Tổng số (11)",
           "Đang giải quyết - Trong hạn (12)", "Đang giải quyết - Quá hạn (13)", "Rút / dừng xử lý"]


def executive_table(path):
    table = official_table(read_files([ROOT / "sample_data" / "exports"]).dossiers,
                           Period(dt.date(2018, 1, 1), dt.date(2019, 3, 31)), "unit")
    land = table.groups.set_index("name").loc[LAND]
    assert (land["resolved_on_time"], land["resolved_late"]) == (136, 19)  # the review's figures
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Biểu số 06/VPCP/KSTT"])
    sheet.append(["STT", "Lĩnh vực, công việc giải quyết theo cấp", *WORDING])
    for n, group in enumerate(table.groups.to_dict("records"), start=1):
        values = {k: int(group[k]) for k in COUNT_KEYS}
        if group["name"] == LAND:
            values |= {"resolved_on_time": 146, "resolved_late": 9}
        sheet.append([n, group["name"], *values.values()])
    sheet.append([None, "Tổng cộng", *(int(table.total[k]) for k in COUNT_KEYS)])
    book.save(path)
    return path


@pytest.fixture
def page(browser, app_url):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.set_default_timeout(TIMEOUT)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, errors
    page.close()


def open_reconciliation(page, app_url):  # noqa: F811
    page.goto(f"{app_url}/doi-chieu")
    settle(page, 60_000)


def test_a_table_whose_sums_break_is_shown_and_can_be_removed(page, app_url, tmp_path):  # noqa: F811
    open_reconciliation(page, app_url)
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").locator("button").first.click()
    chooser.value.set_files(str(executive_table(tmp_path / "bieu06_reported_by_executive.xlsx")))
    settle(page)
    page.get_by_role("button", name="Đọc và lưu biểu này").click()
    settle(page)
    for visit in ("after the upload", "a later visit"):
        assert page.get_by_test_id("stException").count() == 0, visit
        expect(page.get_by_test_id("stAlertContentError")).to_contain_text("2 phép cộng của chính biểu không khớp")
        breaks = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Tổng các dòng"))
        expect(breaks.locator("td[role=gridcell]").filter(has_text="480")).to_have_count(1)
        expect(page.get_by_test_id("stAlertContentWarning").filter(
            has_text="2 số liệu báo cáo khác số tính lại từ hồ sơ")).to_have_count(1)
        open_reconciliation(page, app_url)
    page.get_by_text("Xoá biểu báo cáo này").click()
    page.get_by_text("Tôi muốn xoá biểu này").click()
    settle(page)
    page.get_by_role("button", name="Xoá biểu", exact=True).click()
    settle(page)
    expect(page.get_by_test_id("stAlertContentInfo").filter(has_text="Chưa có biểu báo cáo nào")).to_have_count(1)
    assert page.get_by_test_id("stException").count() == 0
