"""Hồ sơ trễ hạn at a 1366 px laptop (issue 15, review 2026-12-07 defects 9 and 16): the two tables stand one under
the other and all their columns fit; the dossier list's dates come before its long texts; prompts with no dossier
are named in one line, not opened one by one."""
import json
from pathlib import Path

import pytest

from analytics.analyses.screening import SCREENS
from analytics.model import schema as s
from tests.apps import page_app

# At 1366 px the sidebar takes 300 px and the page's margins 2 × 80 px: a table has about 906 px.
MAIN_WIDTH_1366 = 1366 - 300 - 2 * 80
NAMED_WIDTHS = {"small": 75, "medium": 200, "large": 400}


@pytest.fixture(autouse=True)
def fresh_store(empty_store):
    return empty_store


def widths(grid) -> list[int]:
    config = json.loads(grid.proto.columns)
    return [NAMED_WIDTHS.get(c.get("width"), c.get("width")) for label, c in config.items() if not label.startswith("_")]


@pytest.fixture
def late_page():
    return page_app("pages/ho-so-tre-han.py").run()


def test_the_late_tables_stand_one_under_the_other_and_fit_at_1366(late_page):
    at = late_page
    assert not at.exception
    by_unit, by_field = at.dataframe[-3], at.dataframe[-2]
    for grid, first in ((by_unit, "Cơ quan giải quyết"), (by_field, "Lĩnh vực")):
        headers = list(grid.value.columns)
        assert headers[0] == first and len(headers) == 7 and "Có thư xin lỗi" in headers
        assert all(isinstance(w, int) for w in widths(grid)) and sum(widths(grid)) <= MAIN_WIDTH_1366, widths(grid)
        config = json.loads(grid.proto.columns)
        assert "cột (13)" in config["Đang quá hạn (13)"]["help"]  # a short header, its wording in the tooltip
    assert not [column for column in at.columns if column.dataframe]  # no table squeezed into half the page


def test_the_dossier_list_shows_its_dates_first(late_page):
    grid = late_page.dataframe[-1]
    headers = list(grid.value.columns)
    assert headers[:2] == ["Mã hồ sơ", "Tình trạng"] and headers[-3:] == ["Cơ quan giải quyết", "Lĩnh vực", "Thủ tục"]
    dates_end = headers.index("Thư xin lỗi")
    assert sum(widths(grid)[:dates_end + 1]) <= MAIN_WIDTH_1366  # case, state, dates, letter: on screen at 1366


def test_prompts_without_dossiers_are_named_in_one_line(late_page):
    titles = [e.label for e in late_page.expander]
    assert not [t for t in titles if ": 0 hồ sơ" in t]
    line = next(c.value for c in late_page.caption if c.value.startswith("Không có hồ sơ nào: "))
    assert "Có kết quả vào ngày nghỉ" in line
    prompts = [t for t in titles if " hồ sơ" in t]
    assert len(prompts) + line.count(";") + 1 == len(SCREENS)


def test_the_late_total_is_said_under_the_tables(late_page):
    expected = json.loads((Path(__file__).resolve().parent.parent / "sample_data" / "expected_headline.json")
                          .read_text(encoding="utf-8"))
    late = expected["resolved_late"] + expected["pending_overdue"]
    assert any(c.value.startswith(f"Tổng cộng: {late} hồ sơ trễ hạn") for c in late_page.caption)


def test_a_long_list_shows_its_first_rows_and_downloads_every_one(monkeypatch):
    """The lists stay in the engine (issue 20): the screen holds the first rows and the count; the CSV/XLSX reads
    every dossier again, the same as the core's list. Here a list is "long" beyond 5 rows."""
    import pandas as pd

    from analytics.analyses.classification import CELL, LATE, PENDING_OVERDUE, classify
    from analytics.analyses.catalog_audit import fill_missing_due_dates
    from analytics.analyses.filters import Filters
    from analytics.analyses.screening import DOSSIER_COLUMNS
    from tests.test_caching_data import Q1, YEAR
    from ui import analyses, data

    monkeypatch.setattr(analyses, "MAX_SHOWN_ROWS", 5)
    source = data.current_source()
    dossiers, _ = fill_missing_due_dates(data.sample_readings(source).dossiers, data.catalog(source))
    for period in (YEAR, Q1):
        placed = classify(dossiers, period)
        expected = placed[placed[CELL].isin([LATE, PENDING_OVERDUE])][DOSSIER_COLUMNS].reset_index(drop=True)
        screens, _, _, late, lists = analyses.inspection(source, Filters(), period, False)
        assert late.count == len(expected) > 5 and len(late.head) == 5
        every = analyses.everything(source, Filters(), late)()
        assert every[s.CASE_ID].tolist() == expected[s.CASE_ID].tolist()
        columns = [c for c in DOSSIER_COLUMNS if c != CELL]
        plain = [frame[columns].astype(object).where(frame[columns].notna(), None) for frame in (every, expected)]
        pd.testing.assert_frame_equal(*plain, check_dtype=False)
        for screen in screens:
            assert len(screen.dossiers) == min(screen.count, 5)
            assert len(analyses.everything(source, Filters(), lists[screen.code])()) == screen.count


def test_the_lists_own_filters_ask_the_engine_for_those_dossiers(late_page):
    """Choosing a unit and a state above the list shows only those late dossiers (read by the engine): as many as
    the unit's "Đang quá hạn (13)" in the table above."""
    at = late_page
    by_unit = at.dataframe[-3].value
    overdue = by_unit[by_unit["Đang quá hạn (13)"] > 0]
    unit, expected = overdue.iloc[0]["Cơ quan giải quyết"], int(overdue.iloc[0]["Đang quá hạn (13)"])
    at.multiselect(key="late_units").set_value([unit]).run()
    at.selectbox(key="late_state").set_value("pending_overdue").run()
    assert not at.exception
    heading = [h.value for h in at.subheader if h.value.startswith("Danh sách hồ sơ trễ hạn")][0]
    whole = int(heading.split("(")[1].rstrip(")").replace(".", ""))
    shown = at.dataframe[-1].value
    assert whole == int(by_unit["Tổng trễ hạn"].sum())   # the heading counts the whole late list
    assert len(shown) == expected < whole
    assert set(shown["Cơ quan giải quyết"]) == {unit} and set(shown["Tình trạng"]) == {"Đang quá hạn"}
