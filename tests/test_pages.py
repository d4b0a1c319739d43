"""Every page runs headless (AppTest) without an exception and shows the right figures.

The expected figures come from the sample generator's own model (sample_data/expected_headline.json) or from the core called directly,
never typed in here.
"""
import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.analyses.bieu06 import official_table
from analytics.dossiers.sources import read_files
from analytics.model.periods import Period
from analytics.outputs import formatting as fmt
from tests.apps import page_app
from tests.workbooks import simple_export

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
EXPECTED = json.loads((ROOT / "sample_data" / "expected_headline.json").read_text(encoding="utf-8"))  # the generator's


def resolved_rate(counts: dict) -> float:
    return (counts["resolved_early"] + counts["resolved_on_time"]) / counts["resolved_total"]
REVIEW = Period(dt.date(2018, 1, 1), dt.date(2019, 3, 31))


@pytest.fixture(autouse=True)
def fresh_store(empty_store):
    """Every page test starts from an empty store (conftest.empty_store)."""
    return empty_store


def run_page(path: str, state: dict | None = None) -> AppTest:
    return page_app(path, state).run()


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception_or_error(page):
    at = run_page(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_dashboard_entrypoint_runs():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    assert not at.exception


def test_overview_shows_the_sample_review_on_first_start():
    at = run_page("pages/tong-quan.py")
    total = EXPECTED
    shown = metrics(at)
    assert shown["Đã giải quyết (7)"] == "1.365"
    assert shown["Hồ sơ nhận giải quyết (3)"] == fmt.number(total["received_total"])
    assert shown["Tỷ lệ đúng hạn"] == fmt.percent(resolved_rate(total))
    assert shown["Đang giải quyết (11)"] == fmt.number(total["pending_total"])
    assert any("DỮ LIỆU MẪU" in c.value for c in at.caption)
    assert any("1.365 hồ sơ" in m.value for m in at.markdown)


def test_overview_follows_the_period_preset_and_the_rate_definition():
    at = run_page("pages/tong-quan.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1})
    q1 = official_table(read_files([ROOT / "sample_data" / "exports"]).dossiers,
                        Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))).total
    assert metrics(at)["Đã giải quyết (7)"] == fmt.number(q1["resolved_total"])
    at = run_page("pages/tong-quan.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1,
                                        "sel_rate": "workload"})
    expected = (q1["received_total"] - q1["resolved_late"] - q1["pending_overdue"]) / q1["received_total"]
    assert metrics(at)["Tỷ lệ đúng hạn"] == fmt.percent(expected)


def test_overview_with_a_comparison_shows_the_change():
    at = run_page("pages/tong-quan.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1,
                                        "sel_compare": "previous"})
    deltas = {m.label: m.delta for m in at.metric}
    dossiers = read_files([ROOT / "sample_data" / "exports"]).dossiers
    q1 = official_table(dossiers, Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))).total
    q4 = official_table(dossiers, Period(dt.date(2018, 10, 1), dt.date(2018, 12, 31))).total
    assert deltas["Đã giải quyết (7)"] == f"{q1['resolved_total'] - q4['resolved_total']:+d}"


def test_filters_apply_to_the_figures():
    at = run_page("pages/tong-quan.py", {"sel_fields": ["Hộ tịch"]})
    expected = EXPECTED["by_field"]["Hộ tịch"]
    assert metrics(at)["Đã giải quyết (7)"] == fmt.number(expected["resolved_total"])


def test_bieu06_table_has_the_totals_of_the_core():
    at = run_page("pages/bieu-06.py")
    table = at.dataframe[0].value  # numbers stay numbers, so that the grid sorts them as numbers
    last = table.iloc[-1]
    assert last.iloc[0] == "Tổng cộng"
    assert last["Đã GQ (7)"] == 1365
    assert last["Tỷ lệ đúng hạn"] == pytest.approx(resolved_rate(EXPECTED))


def test_compare_page_defaults_to_the_reviews_question_for_the_sample():
    at = run_page("pages/so-sanh-ky.py")
    assert not at.exception
    shown = metrics(at)
    dossiers = read_files([ROOT / "sample_data" / "exports"]).dossiers
    year = official_table(dossiers, Period(dt.date(2018, 1, 1), dt.date(2018, 12, 31))).total
    assert shown["Tỷ lệ đúng hạn kỳ A"] == fmt.percent(year["on_time_rate"])


def test_late_page_lists_the_prompts_and_the_late_dossiers():
    at = run_page("pages/ho-so-tre-han.py")
    titles = [e.label for e in at.expander]
    assert any("Ngày hẹn trả đã bị thay đổi" in t for t in titles)
    late = EXPECTED["resolved_late"] + EXPECTED["pending_overdue"]
    assert any(f"Danh sách hồ sơ trễ hạn ({late})" in h.value for h in at.subheader)


def test_data_page_lists_imports_and_removes_one(empty_store, tmp_path):
    result = empty_store.import_file(simple_export(tmp_path / "q1.xlsx"))
    at = run_page("pages/du-lieu.py")
    assert not at.exception and "q1.xlsx" in at.dataframe[0].value.to_string()
    assert at.button(key="remove_button").disabled   # one click removes nothing: it asks to confirm first
    at.checkbox(key="remove_sure").check().run()
    at.button(key="remove_button").click().run()
    assert not at.exception and empty_store.imports().empty and result.import_id


def test_after_an_import_the_screens_show_the_imported_data(empty_store, tmp_path):
    empty_store.import_file(simple_export(tmp_path / "q1.xlsx"))
    at = run_page("pages/tong-quan.py", {"sel_kind": "custom", "sel_start": dt.date(2019, 1, 1),
                                        "sel_end": dt.date(2019, 3, 31)})
    assert not any("DỮ LIỆU MẪU" in c.value for c in at.caption)
    assert metrics(at)["Hồ sơ nhận giải quyết (3)"] == "3"


def test_an_empty_period_says_what_to_do():
    at = run_page("pages/tong-quan.py", {"sel_kind": "custom", "sel_start": dt.date(2010, 1, 1),
                                        "sel_end": dt.date(2010, 12, 31)})
    assert not at.exception and not at.metric
    assert "Không có hồ sơ nào" in at.warning[0].value and "Dữ liệu" in at.warning[0].value


def test_the_dashboard_fills_missing_due_dates_from_the_catalog_as_the_command_line_does(empty_store, tmp_path):
    # Review 1.3. Mon 07/01/2019 + 3 working days = Thu 10/01; finished 14/01: late, as `report --catalog` says.
    from tests.catalog_workbooks import catalog_workbook
    from tests.test_cli import HEADER
    rows = [[1, "A-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "07/01/2019", None, "14/01/2019", "10", None,
             "1.000001"]]
    empty_store.import_file(simple_export(tmp_path / "no-due.xlsx", header=HEADER + ["Mã TTHC"], rows=rows))
    catalog_workbook(empty_store.data_dir / "catalog.xlsx",
                     [["1.000001", "Khai sinh", "Hộ tịch", "Cấp xã", "03 ngày làm việc", "Không"]])
    state = {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1}
    at = run_page("pages/tong-quan.py", state)
    assert metrics(at)["Tỷ lệ đúng hạn"] == fmt.percent(0.0)
    assert any("1 hồ sơ không có ngày hẹn trả, đã tính theo thời hạn trong danh mục" in c.value for c in at.caption)
    at = run_page("pages/tong-quan.py", {**state, "sel_fill_due": False})
    assert metrics(at)["Tỷ lệ đúng hạn"] == fmt.percent(1.0)  # no due date: on time, as without --catalog
    assert not any("đã tính theo thời hạn" in c.value for c in at.caption)


def test_the_trend_follows_the_cutoff_months_when_the_period_does():
    # Review 1.4: Q1/2019 on cut-offs runs 15/12/2018 – 14/03/2019: three whole cut-off months, none partial.
    at = run_page("pages/tong-quan.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1,
                                        "sel_cutoff": True})
    assert not at.exception
    from analytics.model.periods import series  # the names the chart must carry, from the period module
    points = series(dt.date(2018, 12, 15), dt.date(2019, 3, 14), "month", True)
    assert [p.name for p in points] == ["Tháng 1/2019", "Tháng 2/2019", "Tháng 3/2019"]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == [p.name for p in points]


def test_data_page_shows_how_each_value_was_read_and_offers_to_map_the_unread(empty_store, tmp_path):
    from tests.workbooks import ROWS
    rows = [r[:] for r in ROWS]
    rows[2][8] = "Hồ sơ đang ở phòng"
    path = simple_export(tmp_path / "q1.xlsx", rows=rows)
    result = empty_store.import_file(path)
    at = run_page("pages/du-lieu.py", {"import_results": {"q1.xlsx": (path.read_bytes(), result)}})
    assert not at.exception
    assert any("Giá trị cột Trạng thái" in m.value and "1 chưa nhận ra" in m.value for m in at.markdown)
    assert any(b.label.startswith("Nhập lại") for b in at.button)


# --- Links that reproduce a view (ui/links.py) and Biểu 06 as the form is printed --------------------------------

def run_link(path: str, query: dict) -> AppTest:
    at = page_app(path)
    at.query_params.update(query)
    return at.run()


def test_a_link_sets_the_sidebar_and_the_figures():
    at = run_link("pages/tong-quan.py", {"ky": "quarter", "nam": "2019", "so": "1", "linh_vuc": "Hộ tịch",
                                        "ty_le": "workload", "muc_tieu": "97"})
    assert not at.exception and not at.warning
    assert at.selectbox(key="sel_kind").value == "quarter" and at.selectbox(key="sel_number").value == 1
    assert at.multiselect(key="sel_fields").value == ["Hộ tịch"] and at.select_slider(key="sel_target").value == 97
    assert any("Kỳ: Quý I/2019 (01/01/2019 – 31/03/2019) · Lĩnh vực: Hộ tịch" in c.value for c in at.caption)
    dossiers = read_files([ROOT / "sample_data" / "exports"]).dossiers
    from analytics.model import schema as s
    q1 = official_table(dossiers[dossiers[s.FIELD] == "Hộ tịch"], Period(dt.date(2019, 1, 1),
                                                                         dt.date(2019, 3, 31))).total
    assert metrics(at)["Đã giải quyết (7)"] == fmt.number(q1["resolved_total"])
    expected = (q1["received_total"] - q1["resolved_late"] - q1["pending_overdue"]) / q1["received_total"]
    assert metrics(at)["Tỷ lệ đúng hạn"] == fmt.percent(expected)


def test_a_widget_change_rewrites_the_link_and_a_bad_value_is_named_not_fatal():
    at = run_link("pages/bieu-06.py", {"ky": "quarter", "nam": "2019", "so": "9", "don_vi": "Phòng Không Có"})
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning)
    assert 'so="9"' in warnings and "Phòng Không Có" in warnings
    assert at.query_params["ky"] == "quarter" and at.query_params["so"] == "1" and "don_vi" not in at.query_params
    at.selectbox(key="sel_year").set_value(2018).run()
    # the link now says what the screen shows (no link warning left; the sample's caveats stay)
    assert at.query_params["nam"] == "2018" and not [w for w in at.warning if w.icon == ":material/link_off:"]
    assert any("Quý I/2018" in c.value for c in at.caption)


def test_bieu06_page_draws_the_form_with_the_cores_totals_for_every_grouping():
    at = run_page("pages/bieu-06.py")
    html = " ".join(str(h.value) for h in at.get("html"))
    assert "Số hồ sơ nhận giải quyết" in html and "(14)" in html and '<tr class="unit">' in html
    assert '<td class="count">1.365</td>' in html  # resolved (7) of the review, in the total row
    at.segmented_control(key="bieu06_by").set_value("unit").run()
    html = " ".join(str(h.value) for h in at.get("html"))
    assert not at.exception and "Cơ quan giải quyết" in html and '<tr class="group">' in html
    assert at.dataframe[0].value.iloc[-1]["Đã GQ (7)"] == 1365  # the grid is still there


def test_reconcile_page_puts_each_reported_figure_beside_the_recomputed_one(empty_store):
    # A body reports Q1/2019 by unit exactly as the dossiers say, except one figure: the screen marks that one.
    import pandas as pd

    from analytics.model.reported import ReportedTable
    q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
    groups = official_table(read_files([ROOT / "sample_data" / "exports"]).dossiers, q1, "unit").groups
    keys = ["received_total", "resolved_total", "resolved_late", "pending_overdue"]
    rows = pd.DataFrame({"name": groups["name"], "row": range(5, 5 + len(groups)), "is_total": False,
                         **{k: groups[k].astype(float) for k in keys}})
    rows.loc[0, "resolved_late"] += 3
    empty_store.save_reported(ReportedTable("bao-cao.xlsx", "a" * 64, "Sheet1", 4, rows,
                                            {k: k for k in keys}))
    at = run_page("pages/doi-chieu.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1})
    assert not at.exception and not at.error
    shown = at.dataframe[-1].value if len(at.dataframe) else None
    flagged = shown[shown["Khớp"] == "KHÔNG"]
    assert len(flagged) == 1 and flagged.iloc[0]["Dòng báo cáo"] == groups["name"][0]
    assert float(str(flagged.iloc[0]["Chênh lệch"]).lstrip("+")) == 3  # a number, or its text "+3"
    assert any("bằng tổng các dòng đơn vị" in s.value for s in at.success)


def test_an_uploaded_catalog_is_written_whole_or_not_at_all(empty_store, tmp_path, monkeypatch):
    from ui import data
    data.save_catalog(b"first")
    path = empty_store.data_dir / data.CATALOG_FILE

    def crash(*args):
        raise OSError("disk full")
    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(OSError):
        data.save_catalog(b"second, cut short")
    assert path.read_bytes() == b"first"
    assert [f.name for f in empty_store.data_dir.iterdir()] == [data.CATALOG_FILE]  # no half-written file left
