"""The screens judge a change only as its evidence allows (issue 15, review 2026-12-07 §1.8 and defect 15).

Worked by hand: in quý IV/2018 40 dossiers resolved, all on time; in quý I/2019 40 resolved, 20 of them late. The
on-time rate falls from 100% to 50%, −50 points, an interval far from zero: a fall, said as such. In the sample,
2018 against quý I/2019 moves −1,1 points with an interval of −4,3 to +1,1 points: no meaningful change, and the
two periods (365 and 90 days) are not set side by side as counts."""
import datetime as dt

import pytest
from streamlit.proto.Metric_pb2 import Metric

from analytics.analyses import judgements
from analytics.outputs import judged
from tests.apps import page_app
from tests.workbooks import simple_export

Q4_2018 = {"cmp_a_start": dt.date(2018, 10, 1), "cmp_a_end": dt.date(2018, 12, 31)}
Q1_2019 = {"cmp_b_start": dt.date(2019, 1, 1), "cmp_b_end": dt.date(2019, 3, 31)}
QUARTER_1 = {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1}


@pytest.fixture(autouse=True)
def fresh_store(empty_store):
    return empty_store


def row(n: int, received: str, due: str, completed: str) -> list:
    return [n, f"TP-{n:04d}", "Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", received, due, completed,
            "Đã trả kết quả", "Trực tiếp"]


@pytest.fixture
def a_real_fall(empty_store, tmp_path):
    """Q4/2018: 40 on time. Q1/2019: 20 on time, 20 late (finished 15/01 after a due date of 10/01)."""
    rows = [row(n, "01/10/2018", "10/10/2018", "05/10/2018") for n in range(1, 41)]
    rows += [row(n, "02/01/2019", "10/01/2019", "08/01/2019") for n in range(41, 61)]
    rows += [row(n, "02/01/2019", "10/01/2019", "15/01/2019") for n in range(61, 81)]
    empty_store.import_file(simple_export(tmp_path / "hai-quy.xlsx", rows=rows))
    return empty_store


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


# --- So sánh kỳ ------------------------------------------------------------------------------------------------------

def test_periods_of_different_length_are_compared_by_rate_only():
    at = page_app("pages/so-sanh-ky.py").run()  # the sample's question: 2018 (365 days) against Q1/2019 (90 days)
    assert not at.exception
    headers = list(at.dataframe[0].value.columns)
    assert "Δ Nhận (3)" not in headers and "Δ Đã giải quyết (7)" not in headers
    assert any("Kỳ A dài 365 ngày, kỳ B 90 ngày" in c.value and "chỉ so tỷ lệ" in c.value for c in at.caption)


def test_a_change_whose_interval_holds_zero_is_no_change():
    at = page_app("pages/so-sanh-ky.py").run()
    change = judgements.share_change(1049, 1083, 270, 282)  # the sample's totals, as the page shows them
    assert change.code == judgements.NO_CHANGE and change.low_pp < 0 < change.high_pp
    sentence = next(m.value for m in at.markdown if m.value.startswith("**Tỷ lệ đúng hạn từ kỳ A sang kỳ B"))
    assert judged.change_with_evidence(change) in sentence and "không thay đổi có ý nghĩa thống kê" in sentence
    assert "tăng" not in sentence and "giảm" not in sentence
    total_row = at.dataframe[0].value.iloc[0]
    assert total_row.iloc[0] == "Toàn bộ" and total_row["Đánh giá"] == "không thay đổi có ý nghĩa thống kê"


def test_many_groups_come_with_the_multiple_comparisons_note():
    at = page_app("pages/so-sanh-ky.py").run()
    note = next(c.value for c in at.caption if "ngẫu nhiên" in c.value and "Toàn bộ" in c.value)
    assert "1 trong 20 nhóm" in note and "xem dòng Toàn bộ trước" in note


def test_a_real_fall_between_quarters_is_said_with_its_counts(a_real_fall):
    at = page_app("pages/so-sanh-ky.py", {**QUARTER_1, **Q4_2018, **Q1_2019}).run()
    assert not at.exception
    sentence = next(m.value for m in at.markdown if m.value.startswith("**Tỷ lệ đúng hạn từ kỳ A sang kỳ B"))
    assert "giảm 50,0 điểm %" in sentence and "khoảng tin cậy 95%" in sentence
    assert metric(at, "Thay đổi (B − A)").value == "−50,0 điểm %"
    total_row = at.dataframe[0].value.iloc[0]
    assert total_row["Δ Nhận (3)"] == 0 and total_row["Δ Đã giải quyết (7)"] == 0  # two quarters: counts compared
    assert total_row["Đánh giá"] == "giảm 50,0 điểm %"


# --- Tổng quan ------------------------------------------------------------------------------------------------------

def test_the_overview_greys_a_change_that_is_not_significant():
    at = page_app("pages/tong-quan.py", {**QUARTER_1, "sel_compare": "previous"}).run()  # sample: Q1/2019 vs Q4/2018
    rate = metric(at, "Tỷ lệ đúng hạn")
    assert rate.proto.color == Metric.MetricColor.GRAY and rate.proto.direction == Metric.MetricDirection.NONE
    assert rate.proto.delta_description == "không có ý nghĩa thống kê" and rate.delta.endswith("điểm %")
    assert any(c.value.startswith("So với quý IV/2018: không thay đổi có ý nghĩa thống kê") for c in at.caption)
    assert metric(at, "Đã giải quyết (7)").delta  # two quarters: counts compared (grey: more is not better)
    assert metric(at, "Đã giải quyết (7)").proto.color == Metric.MetricColor.GRAY


def test_the_overview_colours_a_real_fall(a_real_fall):
    at = page_app("pages/tong-quan.py", {**QUARTER_1, "sel_compare": "previous"}).run()
    rate = metric(at, "Tỷ lệ đúng hạn")
    assert rate.delta == "−50,0 điểm %" and rate.proto.color == Metric.MetricColor.RED
    assert rate.proto.direction == Metric.MetricDirection.DOWN and not rate.proto.delta_description
    assert any(c.value.startswith("So với quý IV/2018: giảm 50,0 điểm %") for c in at.caption)


def test_the_overview_compares_no_counts_between_periods_of_different_length():
    state = {**QUARTER_1, "sel_compare": "custom", "sel_compare_start": dt.date(2018, 1, 1),
             "sel_compare_end": dt.date(2018, 12, 31)}
    at = page_app("pages/tong-quan.py", state).run()
    assert not at.exception
    assert not metric(at, "Hồ sơ nhận giải quyết (3)").delta and not metric(at, "Đã giải quyết (7)").delta
    assert metric(at, "Tỷ lệ đúng hạn").delta  # the rate is still compared
    assert any("chỉ so tỷ lệ, vì hai kỳ dài khác nhau" in c.value for c in at.caption)
