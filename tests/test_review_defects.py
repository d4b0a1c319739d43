"""Defects found by the code review of 2026-11-29 (sections 1.5, 1.6, 1.7, 1.10, 1.11), each worked by hand."""
import datetime as dt

import pytest

from analytics.analyses.bieu06 import official_table
from analytics.cli import main
from analytics.model import periods
from analytics.model.periods import Period

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def run(capsys, tmp_path, *args):
    """(exit code, stdout, stderr) of the command line on a data folder of its own."""
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "data"), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


# --- 1.5 Period presets refuse out-of-range numbers --------------------------------------------------------------

@pytest.mark.parametrize("kind, year, number, message", [
    ("month", 2019, 13, "Tháng phải từ 1 đến 12 (đã cho 13)"),
    ("month", 2019, 0, "Tháng phải từ 1 đến 12 (đã cho 0)"),
    ("quarter", 2019, 5, "Quý phải từ 1 đến 4 (đã cho 5)"),
    ("quarter", 2019, 0, "Quý phải từ 1 đến 4 (đã cho 0)"),
    ("half", 2019, 3, "Nửa năm phải từ 1 đến 2 (đã cho 3)"),
    ("year", 1989, 1, "Năm phải từ 1990 đến 2100 (đã cho 1989)"),
    ("nine_months", 2101, 1, "Năm phải từ 1990 đến 2100 (đã cho 2101)"),
    ("month", 19, 3, "Năm phải từ 1990 đến 2100 (đã cho 19)"),
])
def test_a_preset_out_of_range_is_refused_with_the_allowed_range(kind, year, number, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        periods.preset(kind, year, number)


def test_the_edges_of_the_ranges_are_accepted():
    assert periods.month(2019, 12).label == "Tháng 12/2019 (01/12/2019 – 31/12/2019)"
    assert periods.quarter(2019, 4).label == "Quý IV/2019 (01/10/2019 – 31/12/2019)"
    assert periods.half(2019, 2).label == "6 tháng cuối năm 2019 (01/07/2019 – 31/12/2019)"
    assert periods.year(1990).start.year == 1990 and periods.year(2100).end.year == 2100
    # The previous month of January is December of the year before, not "month 0".
    assert periods.shifted("month", 2019, 1, False, -1).label == "Tháng 12/2018 (01/12/2018 – 31/12/2018)"


@pytest.mark.parametrize("preset, message", [
    ("month:2019:13", "Tháng phải từ 1 đến 12 (đã cho 13)."),
    ("quarter:2019:5", "Quý phải từ 1 đến 4 (đã cho 5)."),
    ("half:2019:3", "Nửa năm phải từ 1 đến 2 (đã cho 3)."),
])
def test_the_command_line_refuses_an_out_of_range_period_with_exit_code_2(tmp_path, capsys, preset, message):
    code, out, err = run(capsys, tmp_path, "report", tmp_path, "--period", preset)
    assert code == 2 and out == ""
    assert f'Tham số không hợp lệ: --period "{preset}": {message}' in err
    assert "Traceback" not in err


# --- 1.7 Biểu 06's levels in the form's order -------------------------------------------------------------------

def test_the_official_layout_orders_levels_tinh_huyen_xa_then_other_wording_then_blank(dossiers):
    # One dossier per level, given in the worst order: blank first, xã before huyện, tỉnh last; two unofficial
    # wordings ("Ban quản lý" and "Đơn vị khác") that go after the three official words, alphabetically.
    d = dossiers([{"received": "2019-01-03", "level": level, "unit": "Bộ phận Một cửa", "field": "Hộ tịch"}
                  for level in [None, "Đơn vị khác", "Cấp xã", "Cấp huyện", "Ban quản lý", "Cấp tỉnh"]])
    rows = official_table(d, Q1, by="official").groups
    levels = rows[rows["depth"] == 0]
    assert levels["label"].tolist() == ["I. Cấp tỉnh", "II. Cấp huyện", "III. Cấp xã", "IV. Ban quản lý",
                                        "V. Đơn vị khác", "VI. (Không ghi)"]
    assert levels["received_total"].tolist() == [1] * 6


def test_under_a_level_a_blank_unit_or_field_comes_last(dossiers):
    d = dossiers([{"received": "2019-01-03", "level": "Cấp xã", "unit": unit, "field": field}
                  for unit, field in [(None, "Hộ tịch"), ("UBND xã A", None), ("UBND xã A", "Chứng thực")]])
    rows = official_table(d, Q1, by="official").groups
    assert rows["label"].tolist() == ["I. Cấp xã", "1. UBND xã A", "- Chứng thực", "- (Không ghi)",
                                      "2. (Không ghi)", "- Hộ tịch"]
