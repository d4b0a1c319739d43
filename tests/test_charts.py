"""Chart builders: the numbers, symbols and colours on the returned figures, not pixels."""
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.outputs import charts as c


def trend_points():
    return pd.DataFrame({"label": ["Quý I/2019", "Quý II/2019", "Quý III/2019", "Quý IV/2019"],
                         "on_time_rate": [1302 / 1365, 0.91, np.nan, 0.95],
                         "numerator": [1302, 910, 0, 95], "denominator": [1365, 1000, 0, 100]})


CELLS = {"resolved_early": 402, "resolved_on_time": 900, "resolved_late": 63, "pending_in_time": 120,
         "pending_overdue": 8, "withdrawn": 0}


def channels():
    return pd.DataFrame({"name": ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"], "count": [1312, 100, 19]})


def volume_groups(n=20):
    return pd.DataFrame({"name": [f"Xã {i}" for i in range(n)], "received_total": [10 * i for i in range(n)],
                         "resolved_total": [8 * i for i in range(n)],
                         "on_time_rate": [np.nan] + [0.9] * (n - 1)})


def funnel_units():
    return pd.DataFrame({"name": ["Xã Thấp", "Xã Cao", "Xã Vừa", "Xã Xem", "Xã Rỗng"],
                         "numerator": [60, 199, 90, 80, 0], "denominator": [100, 200, 100, 100, 0],
                         "rate": [0.6, 0.995, 0.9, 0.8, np.nan],
                         "flag": ["below", "above", "inside", "watch_below", "empty"]})


def funnel_curve():
    return pd.DataFrame({"volume": [1, 10, 100, 1000], "lower_95": [0.2, 0.7, 0.85, 0.89],
                         "upper_95": [1.0, 1.0, 0.95, 0.92], "lower_998": [0.0, 0.5, 0.8, 0.87],
                         "upper_998": [1.0, 1.0, 0.98, 0.93]})


def heat():
    periods = ["Quý I/2019", "Quý II/2019"]
    rates = pd.DataFrame([[0.954, np.nan], [0.5, 0.997]], index=["Xã A", "Xã B"], columns=periods)
    counts = pd.DataFrame([[1365, 0], [10, 300]], index=["Xã A", "Xã B"], columns=periods)
    return rates, counts


def changes():
    return pd.DataFrame({"name": ["Xã A", "Xã B", "Xã C"], "rate_a": [0.9, 0.8, np.nan], "rate_b": [0.95, 0.7, 1.0],
                         "low_pp": [1.0, -15.0, np.nan], "high_pp": [9.0, -5.0, np.nan],
                         "change_pp": [5.0, -10.0, np.nan], "judgeable": [True, True, False]})


BUCKETS = [{"bucket": "0–5 ngày", "count": 13}, {"bucket": "6–10 ngày", "count": 1365},
           {"bucket": "> 30 ngày", "count": 0}]


def trace(fig, meta=None, name=None):
    found = [t for t in fig.data if (meta is None or t.meta == meta) and (name is None or t.name == name)]
    assert len(found) == 1, [(t.name, t.meta) for t in fig.data]
    return found[0]


# ------------------------------------------------------------------------------------------- every figure alike

BUILDERS = {
    "trend": lambda: c.trend_figure(trend_points(), 0.95, "Đúng hạn / đã giải quyết"),
    "trend_no_target": lambda: c.trend_figure(trend_points(), None, "Đúng hạn / đã giải quyết"),
    "outcome": lambda: c.outcome_figure(dict(CELLS)),
    "channel": lambda: c.channel_figure(channels()),
    "volume": lambda: c.volume_figure(volume_groups(), "Số hồ sơ theo đơn vị"),
    "funnel": lambda: c.funnel_figure(funnel_units(), funnel_curve(), 0.9, "Đúng hạn / đã giải quyết"),
    "heatmap": lambda: c.heatmap_figure(*heat()),
    "comparison": lambda: c.comparison_figure(changes(), "Quý I/2019", "Quý II/2019"),
    "age": lambda: c.age_figure(BUCKETS, "Số ngày đang giải quyết"),
}
EMPTY = {
    "trend": lambda: c.trend_figure(trend_points().iloc[:0], 0.95, "x"),
    "outcome": lambda: c.outcome_figure({}),
    "channel": lambda: c.channel_figure(channels().iloc[:0]),
    "volume": lambda: c.volume_figure(volume_groups().iloc[:0], "Số hồ sơ theo đơn vị"),
    "funnel": lambda: c.funnel_figure(funnel_units().iloc[:0], funnel_curve().iloc[:0], None, "x"),
    "heatmap": lambda: c.heatmap_figure(pd.DataFrame(), pd.DataFrame()),
    "comparison": lambda: c.comparison_figure(changes().iloc[:0], "A", "B"),
    "age": lambda: c.age_figure([], "Số ngày đang giải quyết"),
}
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.mark.parametrize("name", BUILDERS)
def test_every_figure_shares_the_vietnamese_projector_style(name):
    fig = BUILDERS[name]()
    assert isinstance(fig, go.Figure)
    layout = fig.layout
    assert layout.separators == ",."
    assert layout.title.text and VIETNAMESE & set(layout.title.text.lower())
    assert layout.title.font.size >= 20 and layout.font.size >= 15
    assert layout.paper_bgcolor == "white" and layout.plot_bgcolor == "white"
    assert layout.xaxis.title.text or layout.yaxis.title.text
    for t in fig.data:
        if isinstance(t, go.Scatter) and t.mode and "lines" in t.mode:
            assert t.line.width >= 3
        if isinstance(t, go.Scatter) and t.mode and "markers" in t.mode:
            assert t.marker.size >= 10
        if t.hovertemplate and "%{hovertext}" in t.hovertemplate:
            assert all(VIETNAMESE & set(str(h).lower()) or "%" in str(h) for h in t.hovertext)


@pytest.mark.parametrize("name", EMPTY)
def test_empty_inputs_give_a_titled_figure_with_a_note(name):
    fig = EMPTY[name]()
    assert fig.layout.separators == ",." and fig.layout.title.text
    assert not fig.data
    assert fig.layout.annotations and fig.layout.annotations[0].text.startswith("Không có")


@pytest.mark.parametrize("build, make", [
    (lambda d: c.trend_figure(d, 0.95, "x"), trend_points),
    (c.channel_figure, channels),
    (lambda d: c.volume_figure(d, "Số hồ sơ", top=5), volume_groups),
    (lambda d: c.funnel_figure(d, funnel_curve(), 0.9, "x"), funnel_units),
    (lambda d: c.funnel_figure(funnel_units(), d, 0.9, "x"), funnel_curve),
    (lambda d: c.heatmap_figure(d, heat()[1]), lambda: heat()[0]),
    (lambda d: c.heatmap_figure(heat()[0], d), lambda: heat()[1]),
    (lambda d: c.comparison_figure(d, "A", "B"), changes),
])
def test_inputs_are_not_changed(build, make):
    data = make()
    before = data.copy(deep=True)
    build(data)
    pd.testing.assert_frame_equal(data, before)


def test_outcome_and_age_inputs_are_not_changed():
    cells, buckets = dict(CELLS), [dict(b) for b in BUCKETS]
    c.outcome_figure(cells)
    c.age_figure(buckets, "Tuổi")
    assert cells == CELLS and buckets == BUCKETS


# ------------------------------------------------------------------------------------------------------- trend

def test_trend_marks_points_below_the_target_with_another_symbol_colour_and_words():
    fig = c.trend_figure(trend_points(), 0.95, "Đúng hạn / đã giải quyết")
    line, meets, below = fig.data
    assert list(line.x) == ["Quý I/2019", "Quý II/2019", "Quý III/2019", "Quý IV/2019"]
    assert math.isnan(line.y[2]) and line.connectgaps is False
    assert list(meets.x) == ["Quý I/2019", "Quý IV/2019"]    # 95% exactly meets the target
    assert list(below.x) == ["Quý II/2019"]
    assert meets.marker.symbol != below.marker.symbol and meets.marker.color != below.marker.color
    assert "dưới mục tiêu" in below.text[0] and "dưới mục tiêu" in below.hovertext[0]
    assert "dưới mục tiêu" not in " ".join(meets.hovertext)
    assert meets.hovertext[0] == "Quý I/2019: 95,4% (1.302/1.365 hồ sơ)"
    assert "Quý III/2019" not in list(meets.x) + list(below.x)   # no rate, no marker
    assert fig.layout.yaxis.range == (0, 1.05) and fig.layout.yaxis.tickformat == ".0%"
    assert fig.layout.xaxis.type == "category"
    assert fig.layout.shapes[0].y0 == fig.layout.shapes[0].y1 == 0.95 and fig.layout.shapes[0].line.dash == "dash"
    assert fig.layout.annotations[0].text == "Mục tiêu 95%"
    assert fig.layout.title.subtitle.text == "Đúng hạn / đã giải quyết"


def test_trend_without_target_has_one_marker_trace_and_no_target_line():
    fig = c.trend_figure(trend_points(), None, "x")
    assert len(fig.data) == 2 and not fig.layout.shapes and not fig.layout.showlegend
    assert list(fig.data[1].x) == ["Quý I/2019", "Quý II/2019", "Quý IV/2019"]


# ------------------------------------------------------------------------------------------- outcome & channel

def test_outcome_has_one_trace_per_outcome_in_the_fixed_order_colours_and_counts():
    fig = c.outcome_figure(dict(CELLS))
    assert [t.customdata[0] for t in fig.data] == list(c.OUTCOME_COLOURS)
    assert [t.marker.color for t in fig.data] == list(c.OUTCOME_COLOURS.values())
    assert fig.data[1].text == ("900",) and fig.data[5].text == ("",)       # nothing drawn for zero
    assert fig.data[1].name == "Đúng hạn: 900"
    assert sum(t.x[0] for t in fig.data) == pytest.approx(1.0)
    assert fig.data[0].hovertext[0] == "Trước hạn: 402 hồ sơ (26,9%)"
    assert fig.layout.barmode == "stack"


OKABE_ITO = {"#0072B2", "#E69F00", "#D55E00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#999999", "#000000"}


def test_each_outcome_has_its_own_colour_blind_safe_colour_in_every_chart():
    colours = list(c.OUTCOME_COLOURS.values())
    assert set(colours) <= OKABE_ITO and len(set(colours)) == len(colours)
    assert not set(colours) & set(c.CHANNEL_COLOURS.values())  # blue means "on time" everywhere, never a channel
    fig = c.outcome_figure({k: 1 for k in c.OUTCOMES})
    assert {t.name.split(":")[0]: t.marker.color for t in fig.data} == {
        c.OUTCOME_LABELS[k]: c.OUTCOME_COLOURS[k] for k in c.OUTCOMES}


def test_channel_bars_carry_count_and_share():
    fig = c.channel_figure(channels())
    bar = fig.data[0]
    assert isinstance(bar, go.Bar)
    assert list(bar.x) == ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"] and list(bar.y) == [1312, 100, 19]
    assert bar.text[0] == "1.312 (91,7%)"
    assert list(bar.marker.color) == [c.CHANNEL_COLOURS[n] for n in bar.x]


# ------------------------------------------------------------------------------------------------------ volume

def test_volume_shows_the_largest_first_and_says_how_many_are_left_out():
    fig = c.volume_figure(volume_groups(20), "Số hồ sơ theo đơn vị")
    bar = fig.data[0]
    assert list(bar.y) == [f"Xã {i}" for i in range(19, 4, -1)] and list(bar.x) == list(range(190, 40, -10))
    assert fig.layout.yaxis.autorange == "reversed"        # largest on top
    assert fig.layout.title.text == "Số hồ sơ theo đơn vị (15 lớn nhất trên 20)"
    assert bar.text[0] == "190" and "Tỷ lệ đúng hạn: 90,0%" in bar.hovertext[0]


def test_volume_with_few_rows_keeps_the_title_and_shows_a_dash_for_no_rate():
    fig = c.volume_figure(volume_groups(3), "Số hồ sơ theo đơn vị")
    assert fig.layout.title.text == "Số hồ sơ theo đơn vị"
    assert list(fig.data[0].y) == ["Xã 2", "Xã 1", "Xã 0"]
    assert "Tỷ lệ đúng hạn: —" in fig.data[0].hovertext[2]


# ------------------------------------------------------------------------------------------------------ funnel

def test_funnel_marks_flags_by_symbol_and_colour_and_leaves_empty_units_out():
    fig = c.funnel_figure(funnel_units(), funnel_curve(), 0.9, "Đúng hạn / đã giải quyết")
    below, above, inside, watch = (trace(fig, f) for f in ("below", "above", "inside", "watch_below"))
    assert list(below.customdata) == ["Xã Thấp"] and below.marker.symbol == "triangle-down"
    assert below.marker.color == "#D55E00" and above.marker.color == "#009E73"
    assert above.marker.symbol == "triangle-up" and watch.marker.symbol.endswith("-open")
    assert inside.marker.symbol == "circle" and inside.marker.color == "#999999"
    assert below.hovertext[0] == "<b>Xã Thấp</b><br>60,0% (60/100)<br>Thấp hơn rõ rệt (ngoài giới hạn 99,8%)"
    assert list(below.x) == [100] and list(below.y) == [0.6]
    assert all("Xã Rỗng" not in list(t.customdata or []) for t in fig.data)
    assert not any(t.meta == "empty" for t in fig.data)
    limits = {t.meta: t for t in fig.data if t.meta in ("lower_95", "upper_95", "lower_998", "upper_998")}
    assert len(limits) == 4
    assert limits["lower_95"].line.dash == "dash" and limits["lower_998"].line.dash == "solid"
    assert list(limits["upper_998"].y) == [1.0, 1.0, 0.98, 0.93]
    assert set(trace(fig, "overall").y) == {0.9}
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis.title.text == "Số hồ sơ (mẫu số)"


# ----------------------------------------------------------------------------------------------------- heatmap

def test_heatmap_stars_small_cells_and_leaves_empty_cells_blank():
    fig = c.heatmap_figure(*heat())
    h = fig.data[0]
    assert (h.zmin, h.zmax) == (0.5, 1)
    assert list(h.text[0]) == ["95%", ""] and list(h.text[1]) == ["50%*", "99%"]    # 99,7% never reads 100%
    assert math.isnan(h.z[0][1])
    assert h.customdata[0][0] == "Xã A – Quý I/2019: 95,4% (n = 1.365)"
    assert h.customdata[0][1] == "Xã A – Quý II/2019: — (n = 0)"
    assert "* dưới 30 hồ sơ" in fig.layout.title.subtitle.text
    colours = [stop[1].upper() for stop in h.colorscale]
    assert colours[0] == "#D55E00" and colours[-1] == "#0072B2"     # vermillion to blue, not red–green


def test_heatmap_min_count_moves_the_star_and_the_note():
    fig = c.heatmap_figure(*heat(), min_count=2000)
    assert fig.data[0].text[0][0] == "95%*" and "* dưới 2.000 hồ sơ" in fig.layout.title.subtitle.text


# -------------------------------------------------------------------------------------------------- comparison

def test_comparison_greys_and_hollows_groups_too_small_to_judge():
    fig = c.comparison_figure(changes(), "Quý I/2019", "Quý II/2019")
    assert fig.layout.title.text == "Thay đổi tỷ lệ đúng hạn: Quý II/2019 so với Quý I/2019 (điểm %)"
    ok, small = trace(fig, "judgeable"), trace(fig, "small")
    assert list(ok.y) == ["Xã A", "Xã B"] and list(ok.x) == [5.0, -10.0]
    assert list(ok.error_x.array) == [4.0, 5.0] and list(ok.error_x.arrayminus) == [4.0, 5.0]
    assert list(small.y) == ["Xã C (ít hồ sơ)"] and small.marker.symbol == "circle-open"
    assert small.marker.color == "#999999" and ok.marker.color != small.marker.color
    assert "+5,0 điểm %" in ok.hovertext[0]
    assert list(fig.layout.yaxis.categoryarray) == ["Xã A", "Xã B", "Xã C (ít hồ sơ)"]
    assert fig.layout.xaxis.zeroline and fig.layout.xaxis.zerolinewidth >= 3


# -------------------------------------------------------------------------------------------------------- ages

def test_age_bars_keep_the_bucket_order_and_show_counts():
    fig = c.age_figure(BUCKETS, "Số ngày đang giải quyết")
    bar = fig.data[0]
    assert list(bar.x) == ["0–5 ngày", "6–10 ngày", "> 30 ngày"] and list(bar.y) == [13, 1365, 0]
    assert list(bar.text) == ["13", "1.365", "0"]
    assert fig.layout.title.text == "Số ngày đang giải quyết"


def test_text_from_the_data_is_never_markup_in_a_chart():
    """Security test M2 (and the exposure engineer's finding): Plotly reads <a href> and <b> in labels and hovers;
    a unit named so is drawn as those characters. The builders' own <br> stays a line break."""
    hostile = '<a href="http://evil.example">Bấm</a> <b>đậm</b>'
    units = funnel_units().assign(name=[hostile, "Xã Cao", "Xã Vừa", "Xã Xem", "Xã Rỗng"])
    fig = c.funnel_figure(units, funnel_curve(), 0.9, "Đúng hạn / đã giải quyết")
    below = trace(fig, "below")
    assert "<a " not in below.hovertext[0] and "&lt;a href" in below.hovertext[0]
    assert below.hovertext[0].startswith("<b>&lt;a href")  # the builder's bold stays, the data's is text
    rates = pd.DataFrame({"Q1": [0.9]}, index=[hostile])
    heat = c.heatmap_figure(rates, pd.DataFrame({"Q1": [40]}, index=[hostile]))
    assert all("<a " not in str(y) and "<b>" not in str(y) for y in heat.data[0].y)
