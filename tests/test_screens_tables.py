"""The screens' tables sort by value and show Vietnamese formats (issue 15, review 2026-12-07 defect 8).

A grid sorts what it holds: the values stay numbers and dates (never "1.365" text, which sorts 1, 101, 11 …), and
the Vietnamese writing comes from the column settings (counts "%'.,d" → 1.365, dates "DD/MM/YYYY") or, for rates
and decimals, from the Styler's display text (95,2%), which the browser's language does not change."""
import datetime as dt
import json

import pandas as pd
import pytest
from streamlit import dataframe_util

from analytics.access import audit
from analytics.access.audit import AuditTrail
from tests.apps import page_app
from tests.workbooks import simple_export
from ui import tables

COUNT, DATE = tables.COUNT_FORMAT, tables.DATE_FORMAT


@pytest.fixture(autouse=True)
def fresh_store(empty_store):
    return empty_store


def columns(grid) -> dict:
    """Header -> the grid's column settings, as the browser receives them."""
    return {label: config.get("type_config", {}) | {"help": config.get("help")}
            for label, config in json.loads(grid.proto.columns).items() if not label.startswith("_")}


def shown_text(grid) -> pd.DataFrame:
    """What the browser draws for a Styler's columns (its display text)."""
    return dataframe_util.convert_arrow_bytes_to_pandas_df(grid.proto.arrow_data.styler.display_values)


def is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


# --- The View itself -------------------------------------------------------------------------------------------------

FRAME = pd.DataFrame({"name": ["a", "b", "c", "d"], "n": [1, 101, 11, 1365], "rate": [1.0, 0.952, None, 0.5],
                      "day": pd.to_datetime(["2019-03-31", "2018-01-02", None, "2019-01-15"]),
                      "delta": [-822, 5, 0, None], "median": [2.25, 10.0, 0.0, None]})
VIEW = tables.View({"name": "Tên", "n": "Nhận (3)", "rate": "Tỷ lệ", "day": "Ngày", "delta": "Δ", "median": "Trung vị"},
                   counts=("n",), rates=("rate",), dates=("day",), signed=("delta",), decimals=("median",),
                   help={"n": "(4) + (5) + (6)"})


def test_the_values_stay_numbers_and_dates_so_they_sort_as_such():
    values = VIEW.values(FRAME)
    assert list(values.columns) == ["Tên", "Nhận (3)", "Tỷ lệ", "Ngày", "Δ", "Trung vị"]
    assert list(values.sort_values("Nhận (3)")["Nhận (3)"]) == [1, 11, 101, 1365]  # not 1, 101, 11, 1365
    assert list(values.sort_values("Tỷ lệ")["Tên"][:3]) == ["d", "b", "a"]  # 50% < 95,2% < 100%, not "100,0%" first
    assert list(values.sort_values("Ngày")["Tên"][:3]) == ["b", "d", "a"]  # by date, not by day of the month
    assert pd.api.types.is_datetime64_any_dtype(values["Ngày"]) and is_number(values["Δ"])


def test_the_text_is_vietnamese_for_the_downloads():
    text = VIEW.text(FRAME)
    assert list(text["Nhận (3)"]) == ["1", "101", "11", "1.365"]
    assert list(text["Tỷ lệ"]) == ["100,0%", "95,2%", "—", "50,0%"]
    assert list(text["Ngày"]) == ["31/03/2019", "02/01/2018", "", "15/01/2019"]
    assert list(text["Δ"]) == ["-822", "+5", "+0", "—"] and list(text["Trung vị"]) == ["2,2", "10,0", "0,0", "—"]


def test_the_grid_carries_the_formats_and_the_rates_their_vietnamese_text():
    config = {label: {**c, "type_config": {k: v for k, v in c["type_config"].items() if v is not None}}
              for label, c in VIEW.column_config().items()}
    assert config["Nhận (3)"]["type_config"] == {"type": "number", "format": "%'.,d"}
    assert config["Nhận (3)"]["help"] == "(4) + (5) + (6)"
    assert config["Δ"]["type_config"]["format"] == "%+'.,d"
    assert config["Ngày"]["type_config"] == {"type": "date", "format": "DD/MM/YYYY"}
    assert "format" not in config["Tỷ lệ"]["type_config"]  # a format would override the Styler's text
    styler = VIEW.styled(FRAME)
    styler._compute()
    text = {(row, column): cell["display_value"] for row, line in enumerate(styler._translate(False, False)["body"])
            for column, cell in enumerate(line[1:])}
    assert text[(1, 2)] == "95,2%" and text[(2, 2)] == "—" and text[(0, 5)] == "2,2"


# --- Every screen's grids ----------------------------------------------------------------------------------------


def test_the_procedures_table_sorts_counts_and_rates_as_numbers():
    at = page_app("pages/thu-tuc.py").run()
    assert not at.exception
    grid = at.dataframe[0]
    values, config = grid.value, columns(grid)
    for header in ("Nhận giải quyết (3)", "Đã giải quyết (7)", "Quá hạn (10)", "Đang quá hạn (13)"):
        assert is_number(values[header]) and config[header]["format"] == COUNT, header
    assert is_number(values["Tỷ lệ đúng hạn"]) and values["Tỷ lệ đúng hạn"].between(0, 1).all()
    text = shown_text(grid)
    first = values["Tỷ lệ đúng hạn"].idxmax()
    assert text.loc[first, "Tỷ lệ đúng hạn"] == "100,0%"
    assert text["Trung vị (ngày)"].str.fullmatch(r"\d+,\d|—").all()


def test_the_units_table_keeps_its_rates_and_limits_as_numbers():
    at = page_app("pages/don-vi.py").run()
    grid = at.dataframe[0]
    values, config = grid.value, columns(grid)
    assert config["Mẫu số"]["format"] == COUNT and is_number(values["Mẫu số"])
    for header in ("Tỷ lệ", "Giới hạn dưới 95%", "Giới hạn trên 95%"):
        assert is_number(values[header]), header
        assert shown_text(grid)[header].str.fullmatch(r"\d{1,3},\d%|—").all(), header


def test_the_bieu06_grid_sorts_by_value_with_the_forms_wording_in_the_tooltips():
    at = page_app("pages/bieu-06.py").run()
    grid = at.dataframe[0]
    config = columns(grid)
    assert config["Đã GQ (7)"]["format"] == COUNT and config["Đã GQ (7)"]["help"] == "Đã giải quyết – Tổng số (7)"
    assert all(is_number(grid.value[h]) for h in list(grid.value)[1:])


def test_the_late_dossier_list_sorts_its_dates_as_dates():
    at = page_app("pages/ho-so-tre-han.py").run()
    late = at.dataframe[-1]
    config = columns(late)
    for header in ("Tiếp nhận", "Hẹn trả", "Có kết quả"):
        assert pd.api.types.is_datetime64_any_dtype(late.value[header]), header
        assert config[header]["format"] == DATE
    for grid in at.dataframe[-3:-1]:  # by unit, by field
        assert all(is_number(grid.value[h]) and columns(grid)[h]["format"] == COUNT for h in list(grid.value)[1:])


def test_the_data_screen_lists_imports_with_their_counts_and_times(empty_store, tmp_path):
    empty_store.import_file(simple_export(tmp_path / "q1.xlsx"))
    at = page_app("pages/du-lieu.py").run()
    grid = at.dataframe[0]
    config = columns(grid)
    assert config["Dòng nhập"]["format"] == COUNT and is_number(grid.value["Dòng nhập"])
    assert config["Thời điểm"] == {"type": "datetime", "format": "DD/MM/YYYY HH:mm", "help": None}
    assert pd.api.types.is_datetime64_any_dtype(grid.value["Thời điểm"])


def test_the_audit_trail_keeps_its_times_as_times(empty_store):
    from analytics.access.users import Users
    Users(empty_store).add("quan.tri", "admin", "mật khẩu đủ dài 123")
    AuditTrail(empty_store).record("quan.tri", audit.IMPORT, "q1.xlsx")
    at = page_app("pages/quan-tri.py", role="admin", name="quan.tri").run()
    assert not at.exception
    trail = at.dataframe[1]
    assert pd.api.types.is_datetime64_any_dtype(trail.value["Thời điểm"])
    assert columns(trail)["Thời điểm"]["format"] == "DD/MM/YYYY HH:mm:ss"
    assert at.selectbox(key="audit_limit").value == 500 and "1.000" in at.selectbox(key="audit_limit").options


def test_the_compare_table_keeps_rates_changes_and_p_values_as_numbers():
    at = page_app("pages/so-sanh-ky.py", {"cmp_a_start": dt.date(2018, 10, 1), "cmp_a_end": dt.date(2018, 12, 31),
                                          "cmp_b_start": dt.date(2019, 1, 1), "cmp_b_end": dt.date(2019, 3, 31)}).run()
    grid = at.dataframe[0]
    config, text = columns(grid), shown_text(grid)
    for header in ("Tỷ lệ A", "Tỷ lệ B", "Thay đổi (điểm %)", "p", "Mẫu số A"):
        assert is_number(grid.value[header]), header
    assert config["Δ Nhận (3)"]["format"] == "%+'.,d" and is_number(grid.value["Δ Nhận (3)"])
    assert text["p"].str.fullmatch(r"\d,\d{3}|—").all()
