"""Figure builders: a DataFrame in, a `go.Figure` out, never drawn.

Every builder is pure: it reads its input (never changes it), computes no rate (rates, numerators and denominators
arrive ready; only a share of a total is worked out for a label) and returns a figure styled by `_style`, so every
chart in the app has the same Vietnamese separators, projector-sized fonts, white background and Okabe–Ito colours.

Hover and label texts are written with `analytics.formatting`, so a chart shows the very digits the tables show;
axis ticks use Plotly's d3 formats, which `separators=",."` turns into 95,2% and 1.365.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.outputs.formatting import DASH, decimal, number, percent
from analytics.outputs.labels import FLAG_LABELS, OUTCOME_LABELS

# One colour per outcome across the whole app (Okabe–Ito, colour-blind safe).
OUTCOME_COLOURS = {
    "resolved_early": "#009E73",    # bluish green
    "resolved_on_time": "#0072B2",  # blue
    "resolved_late": "#D55E00",     # vermillion
    "pending_in_time": "#56B4E9",   # sky blue
    "pending_overdue": "#E69F00",   # orange
    "withdrawn": "#999999",         # grey
}
OUTCOMES = tuple(OUTCOME_COLOURS)  # the fixed order: early, on time, late, pending in time, pending overdue, withdrawn

# Channels take the Okabe–Ito colours no outcome uses, so blue keeps meaning "on time" everywhere.
CHANNEL_COLOURS = {"Trực tiếp": "#CC79A7", "Trực tuyến": "#F0E442", "Bưu chính công ích": "#000000"}
OTHER_COLOUR = "#666666"
BAR_OUTLINE = "#333333"          # yellow needs an edge to be seen on white
NEUTRAL = "#4D4D4D"              # counts that are not outcomes (volumes, ages): dark grey, 8:1 on white
TEXT = "#222222"
GRID = "#DDDDDD"

# Meets / below the target: different symbol, colour, legend label and hover wording.
MEETS_COLOUR, MEETS_SYMBOL, MEETS_LABEL = "#0072B2", "circle", "Đạt mục tiêu"
BELOW_COLOUR, BELOW_SYMBOL, BELOW_LABEL = "#D55E00", "x", "dưới mục tiêu"

# Funnel flags: symbol AND colour; "watch" is the open version of the outside symbol.
FLAG_STYLES = {
    "above": ("triangle-up", "#009E73"),
    "below": ("triangle-down", "#D55E00"),
    "watch_above": ("triangle-up-open", "#009E73"),
    "watch_below": ("triangle-down-open", "#D55E00"),
    "inside": ("circle", "#999999"),
}
FLAG_NAMES = {
    "above": "Cao hơn rõ rệt",
    "below": "Thấp hơn rõ rệt",
    "watch_above": "Cao hơn, cần xem thêm",
    "watch_below": "Thấp hơn, cần xem thêm",
    "inside": "Trong giới hạn",
}
JUDGEABLE_COLOUR, UNJUDGEABLE_COLOUR = "#222222", "#999999"
SMALL_NOTE = " (ít hồ sơ)"
# Vermillion (low) through near-white to blue (high): readable with every common colour-vision deficiency.
RATE_SCALE = [[0.0, "#D55E00"], [0.4, "#F4B183"], [0.8, "#F7F7F7"], [1.0, "#0072B2"]]

FONT = dict(family="Arial, 'Segoe UI', 'Noto Sans', 'Helvetica Neue', sans-serif", size=16, color=TEXT)
TITLE_SIZE, SUBTITLE_SIZE = 22, 16
LINE_WIDTH, MARKER_SIZE = 3, 12
WIDTH = 1200                     # fits a 1280-px page with its padding
NAME_LENGTH = 45                 # longer names are shortened on the axis (the hover keeps them whole)
NO_DATA = "Không có dữ liệu để vẽ biểu đồ"


# --------------------------------------------------------------------------------------------- text from the data

def plotly_text(value):
    """Text from the data as Plotly shows it: its "<" written as "&lt;", so a unit named "<a href=…>" or "<b>…"
    is drawn as those characters, never as a live link or bold (Plotly reads a few HTML tags in every label)."""
    return value.replace("<", "&lt;") if isinstance(value, str) else value


def _escaped_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with "<" escaped in its text columns and its text index (a heatmap's units)."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    out = frame.assign(**{c: frame[c].map(plotly_text) for c in text}) if text else frame
    if out.index.dtype == object or pd.api.types.is_string_dtype(out.index):
        out = out.rename(index=plotly_text)
    return out


def _data_safe(build):
    """A builder whose DataFrame and text arguments (names, labels from the data) reach Plotly escaped; the
    builder's own markup (<br>, <b>) is added after, so it stays markup."""
    @functools.wraps(build)
    def wrapped(*args, **kwargs):
        def safe(value):
            if isinstance(value, pd.DataFrame):
                return _escaped_frame(value)
            return plotly_text(value)
        return build(*(safe(a) for a in args), **{k: safe(v) for k, v in kwargs.items()})
    return wrapped


# --------------------------------------------------------------------------------------------------- common style

def _style(fig: go.Figure, title: str, *, x_title: str = "", y_title: str = "", subtitle: str | None = None,
           legend: bool = False, height: int = 480) -> go.Figure:
    """The one look of every chart in the app."""
    fig.update_layout(
        template="plotly_white",
        separators=",.",
        font=FONT,
        title=dict(text=title, font=dict(size=TITLE_SIZE, color=TEXT), x=0.01, xref="container", xanchor="left",
                   yref="container", y=0.98, yanchor="top",
                   subtitle=dict(text=subtitle or "", font=dict(size=SUBTITLE_SIZE, color="#444444"))),
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=None,
        height=height,
        autosize=True,
        margin=dict(l=20, r=30, t=110 if subtitle else 80, b=20, autoexpand=True),
        showlegend=legend,
        legend=dict(orientation="h", xref="paper", x=0, xanchor="left", yref="container", y=0, yanchor="bottom",
                    font=dict(size=15), title=dict(text="")),
        hoverlabel=dict(font=dict(size=16, family=FONT["family"]), bgcolor="white", bordercolor=TEXT),
        hovermode="closest",
    )
    fig.update_xaxes(title=dict(text=x_title, font=dict(size=16)), tickfont=dict(size=15), automargin=True,
                     gridcolor=GRID, linecolor="#888888", zeroline=False)
    fig.update_yaxes(title=dict(text=y_title, font=dict(size=16)), tickfont=dict(size=15), automargin=True,
                     gridcolor=GRID, linecolor="#888888", zeroline=False)
    return fig


def _count_axis(largest) -> dict:
    """A count axis from 0 with whole-number ticks (no "0 1 1 2 2" on small counts), room above for labels."""
    largest = max(float(largest), 1.0)
    return dict(tickformat=",d", range=[0, largest * 1.15], dtick=1 if largest < 6 else None)


def _no_data(fig: go.Figure, message: str = NO_DATA) -> go.Figure:
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font=dict(size=18, color="#444444"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _short(name, length: int = NAME_LENGTH) -> str:
    text = str(name)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _share(part, total) -> float:
    """A share of a total, for a label only; NaN when there is no total."""
    return part / total if total else math.nan


def _float(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _whole_percent(x) -> str:
    """95% for a cell; a rate short of 100% never reads "100%", nor a rate above 0% "0%"."""
    if x is None or pd.isna(x):
        return DASH
    if 0.995 <= x < 1:
        return percent(0.99, digits=0)
    if 0 < x < 0.005:
        return percent(0.01, digits=0)
    return percent(x, digits=0)


def _signed(x, digits: int = 1) -> str:
    if x is None or pd.isna(x):
        return DASH
    return ("+" if x > 0 else "") + decimal(x, digits)


# --------------------------------------------------------------------------------------------------------- trend

CROWDED_POINTS = 8


@_data_safe
def trend_figure(points: pd.DataFrame, target: float | None, rate_label: str) -> go.Figure:
    """The on-time rate period by period; below-target points differ in symbol, colour, label and hover."""
    if target is not None and pd.isna(target):
        target = None
    fig = go.Figure()
    _style(fig, "Tỷ lệ đúng hạn theo kỳ", subtitle=rate_label, x_title="Kỳ báo cáo",
           y_title="Tỷ lệ đúng hạn (%)", legend=target is not None)
    if points.empty:
        return _no_data(fig)
    labels = [str(v) for v in points["label"]]
    rates = [_float(v) for v in points["on_time_rate"]]
    hovers = [f"{label}: {percent(rate)} ({number(_int(num))}/{number(_int(den))} hồ sơ)"
              for label, rate, num, den in zip(labels, rates, points["numerator"], points["denominator"])]
    fig.add_trace(go.Scatter(x=labels, y=rates, mode="lines", name="Tỷ lệ đúng hạn", connectgaps=False,
                             line=dict(color=NEUTRAL, width=LINE_WIDTH), hoverinfo="skip", showlegend=False))

    crowded = len(labels) > CROWDED_POINTS  # many points: label only those below the target, values in hovers

    def markers(keep, name, symbol, colour, suffix="", text_below=False):
        rows = [i for i, r in enumerate(rates) if not math.isnan(r) and keep(r)]
        if not rows:
            return
        texts = [percent(rates[i]) + ("<br>" + BELOW_LABEL if text_below and not crowded else "") for i in rows]
        fig.add_trace(go.Scatter(
            x=[labels[i] for i in rows], y=[rates[i] for i in rows],
            mode="markers" if crowded and not text_below else "markers+text", name=name,
            marker=dict(symbol=symbol, color=colour, size=MARKER_SIZE + 2, line=dict(width=2, color=colour)),
            text=texts, textposition="bottom center" if text_below else "top center",
            textfont=dict(size=15, color=colour), cliponaxis=False,
            hovertext=[hovers[i] + suffix for i in rows], hovertemplate="%{hovertext}<extra></extra>"))

    if target is None:
        markers(lambda r: True, "Tỷ lệ đúng hạn", MEETS_SYMBOL, MEETS_COLOUR)
    else:
        goal = percent(target, digits=0)
        markers(lambda r: r >= target, f"{MEETS_LABEL} (≥ {goal})", MEETS_SYMBOL, MEETS_COLOUR)
        markers(lambda r: r < target, f"Dưới mục tiêu (< {goal})", BELOW_SYMBOL, BELOW_COLOUR,
                suffix=f" – {BELOW_LABEL} {goal}", text_below=True)
        fig.add_hline(y=target, line=dict(color=TEXT, width=LINE_WIDTH, dash="dash"), layer="below",
                      annotation=dict(text=f"Mục tiêu {goal}", font=dict(size=15, color=TEXT)),
                      annotation_position="right")
        fig.update_layout(margin_r=130)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    return fig


# ------------------------------------------------------------------------------------------------------ outcomes

@_data_safe
def outcome_figure(cells: dict) -> go.Figure:
    """One 100% bar of the dossiers placed, split by outcome in the fixed order and colours."""
    counts = {key: _int(cells.get(key, 0)) for key in OUTCOMES}
    total = sum(counts.values())
    fig = go.Figure()
    _style(fig, "Kết quả giải quyết", subtitle=f"Tổng số {number(total)} hồ sơ", x_title="Tỷ lệ trên tổng số hồ sơ (%)",
           legend=True, height=300)
    if not total:
        return _no_data(fig, "Không có hồ sơ nào trong kỳ")
    for key in OUTCOMES:
        count, share = counts[key], _share(counts[key], total)
        label = OUTCOME_LABELS[key]
        fig.add_trace(go.Bar(
            x=[share], y=["Hồ sơ"], orientation="h", name=f"{label}: {number(count)}",
            marker=dict(color=OUTCOME_COLOURS[key], line=dict(color="white", width=1)),
            text=[number(count) if count else ""], textposition="inside", insidetextanchor="middle",
            textfont=dict(size=16), customdata=[key],
            hovertext=[f"{label}: {number(count)} hồ sơ ({percent(share)})"],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=15, mode="hide"), legend_traceorder="normal",
                      height=430, margin_b=150, legend=dict(yref="paper", y=-0.45, yanchor="top"))
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(showticklabels=False)
    return fig


# ------------------------------------------------------------------------------------------------------ channels

@_data_safe
def channel_figure(channels: pd.DataFrame) -> go.Figure:
    """Dossiers received by channel: bars (not a pie), each labelled "1.312 (91,7%)"."""
    fig = go.Figure()
    _style(fig, "Hình thức nộp hồ sơ (tiếp nhận trong kỳ)", x_title="Hình thức nộp", y_title="Số hồ sơ", height=420)
    counts = [_int(v) for v in channels["count"]] if not channels.empty else []
    total = sum(counts)
    if not total:
        return _no_data(fig, "Không có hồ sơ nào tiếp nhận trong kỳ")
    names = [str(v) for v in channels["name"]]
    texts = [f"{number(c)} ({percent(_share(c, total))})" for c in counts]
    fig.add_trace(go.Bar(
        x=names, y=counts, name="Số hồ sơ", text=texts, textposition="outside", cliponaxis=False,
        textfont=dict(size=16, color=TEXT),
        marker=dict(color=[CHANNEL_COLOURS.get(n, OTHER_COLOUR) for n in names],
                    line=dict(color=BAR_OUTLINE, width=1.5)),
        hovertext=[f"{n}: {t} hồ sơ" for n, t in zip(names, texts)], hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_xaxes(type="category", showgrid=False)
    fig.update_yaxes(**_count_axis(max(counts)))
    return fig


# -------------------------------------------------------------------------------------------------------- volume

@_data_safe
def volume_figure(groups: pd.DataFrame, title: str, top: int = 15) -> go.Figure:
    """The `top` groups by dossiers received, largest on top; the hover adds resolved and the on-time rate."""
    shown = groups.sort_values("received_total", ascending=False, kind="stable").head(top)
    if len(groups) > top:
        title = f"{title} ({number(top)} lớn nhất trên {number(len(groups))})"
    fig = go.Figure()
    _style(fig, title, x_title="Số hồ sơ tiếp nhận", height=max(360, 120 + 38 * len(shown)))
    if shown.empty:
        return _no_data(fig)
    names = [str(v) for v in shown["name"]]
    received = [_int(v) for v in shown["received_total"]]
    hovers = [f"<b>{n}</b><br>Tiếp nhận: {number(r)} hồ sơ<br>Đã giải quyết: {number(_int(d))} hồ sơ<br>"
              f"Tỷ lệ đúng hạn: {percent(_float(q))}"
              for n, r, d, q in zip(names, received, shown["resolved_total"], shown["on_time_rate"])]
    fig.add_trace(go.Bar(
        x=received, y=[_short(n) for n in names], orientation="h", name="Tiếp nhận", marker=dict(color=NEUTRAL),
        text=[number(r) for r in received], textposition="outside", cliponaxis=False,
        textfont=dict(size=15, color=TEXT), customdata=names,
        hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    fig.update_xaxes(**_count_axis(max(received)))
    return fig


# -------------------------------------------------------------------------------------------------------- funnel

@_data_safe
def funnel_figure(units: pd.DataFrame, curve: pd.DataFrame, overall: float, rate_label: str) -> go.Figure:
    """Units' rates against their volumes inside the 95% and 99.8% limits around the overall rate."""
    fig = go.Figure()
    _style(fig, "So sánh công bằng giữa các đơn vị (biểu đồ phễu)", subtitle=rate_label,
           x_title="Số hồ sơ (mẫu số)", y_title="Tỷ lệ đúng hạn (%)", legend=True, height=560)
    placed = units[units["flag"] != "empty"] if not units.empty else units
    if placed.empty:
        return _no_data(fig, "Không có đơn vị nào có hồ sơ trong mẫu số")
    lows = [_float(v) for v in placed["rate"]]
    volumes = [_float(v) for v in curve["volume"]] if not curve.empty else []
    for column, name, dash in (("lower_95", "Giới hạn 95%", "dash"), ("upper_95", "Giới hạn 95%", "dash"),
                               ("lower_998", "Giới hạn 99,8%", "solid"), ("upper_998", "Giới hạn 99,8%", "solid")):
        if curve.empty:
            break
        values = [_float(v) for v in curve[column]]
        lows += values
        fig.add_trace(go.Scatter(
            x=volumes, y=values, mode="lines", name=name, legendgroup=name, showlegend=column.startswith("upper"),
            line=dict(color="#555555", width=LINE_WIDTH, dash=dash), meta=column,
            hovertemplate=f"{name} với %{{x:,d}} hồ sơ: %{{y:.1%}}<extra></extra>"))
    if overall is not None and not pd.isna(overall):
        xs = volumes + [_float(v) for v in placed["denominator"]]
        fig.add_trace(go.Scatter(
            x=[min(xs), max(xs)], y=[overall, overall], mode="lines", name=f"Tỷ lệ chung {percent(overall)}",
            meta="overall", line=dict(color=MEETS_COLOUR, width=LINE_WIDTH),
            hovertemplate=f"Tỷ lệ chung: {percent(overall)}<extra></extra>"))
    for flag, (symbol, colour) in FLAG_STYLES.items():
        rows = placed[placed["flag"] == flag]
        if rows.empty:
            continue
        names = [str(v) for v in rows["name"]]
        hovers = [f"<b>{n}</b><br>{percent(_float(r))} ({number(_int(x))}/{number(_int(d))})<br>{lab}"
                  for n, r, x, d, lab in zip(names, rows["rate"], rows["numerator"], rows["denominator"],
                                             rows["flag"].map(FLAG_LABELS))]
        outside = flag in ("above", "below")
        fig.add_trace(go.Scatter(
            x=[_int(v) for v in rows["denominator"]], y=[_float(v) for v in rows["rate"]],
            mode="markers+text" if outside else "markers", name=FLAG_NAMES[flag], meta=flag,
            marker=dict(symbol=symbol, color=colour, size=MARKER_SIZE + (4 if outside else 2),
                        line=dict(width=2.5 if symbol.endswith("open") else 1,
                                  color=colour if symbol.endswith("open") else "white")),
            text=[_short(n, 25) for n in names] if outside else None,
            textposition="bottom center" if flag == "below" else "top center",
            textfont=dict(size=15, color=colour), cliponaxis=False, customdata=names,
            hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>"))
    low = min([v for v in lows if not math.isnan(v)], default=0.0)
    largest = max(float(np.nanmax(units["denominator"])) if len(units) else 1.0, 1.0)
    fig.update_xaxes(type="log", tickformat=",d",
                     tickvals=[v for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000,
                                           50_000, 100_000, 200_000, 500_000, 1_000_000) if v <= largest * 2])
    fig.update_yaxes(range=[max(0.0, low - 0.03), 1.03], tickformat=".0%")
    return fig


# ------------------------------------------------------------------------------------------------------- heatmap

@_data_safe
def heatmap_figure(rates: pd.DataFrame, counts: pd.DataFrame, min_count: int = 30) -> go.Figure:
    """Units × periods; cells under `min_count` dossiers carry a "*", empty cells stay blank."""
    note = f"* dưới {number(min_count)} hồ sơ: tỷ lệ kém tin cậy; ô trống: không có hồ sơ"
    fig = go.Figure()
    _style(fig, "Tỷ lệ đúng hạn theo đơn vị và kỳ", subtitle=note, x_title="Kỳ báo cáo", y_title="Đơn vị",
           height=max(380, 170 + 34 * len(rates.index)))
    if rates.empty:
        return _no_data(fig)
    units = [str(v) for v in rates.index]
    periods = [str(v) for v in rates.columns]
    n = counts.reindex(index=rates.index, columns=rates.columns)
    z = [[_float(v) for v in row] for row in rates.to_numpy()]
    sizes = [[_int(v) for v in row] for row in n.to_numpy()]
    text = [["" if math.isnan(r) else _whole_percent(r) + ("*" if c < min_count else "")
             for r, c in zip(z_row, c_row)] for z_row, c_row in zip(z, sizes)]
    hover = [[f"{u} – {p}: {percent(r)} (n = {number(c)})" for p, r, c in zip(periods, z_row, c_row)]
             for u, z_row, c_row in zip(units, z, sizes)]
    ticks = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    fig.add_trace(go.Heatmap(
        z=z, x=periods, y=[_short(u, 35) for u in units], zmin=0.5, zmax=1, colorscale=RATE_SCALE,
        text=text, texttemplate="%{text}", textfont=dict(size=15), customdata=hover,
        hovertemplate="%{customdata}<extra></extra>", hoverongaps=True, xgap=2, ygap=2,
        colorbar=dict(title=dict(text="Tỷ lệ<br>đúng hạn", font=dict(size=15)), tickvals=ticks,
                      ticktext=["≤ " + percent(0.5, digits=0)] + [percent(t, digits=0) for t in ticks[1:]],
                      tickfont=dict(size=15), thickness=18)))
    fig.update_xaxes(type="category", side="top", showgrid=False, title=dict(standoff=8))
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    return fig


# ---------------------------------------------------------------------------------------------------- comparison

@_data_safe
def comparison_figure(changes: pd.DataFrame, label_a: str, label_b: str) -> go.Figure:
    """Each group's change in percentage points with its 95% interval; small groups grey and hollow."""
    fig = go.Figure()
    _style(fig, f"Thay đổi tỷ lệ đúng hạn: {label_b} so với {label_a} (điểm %)",
           subtitle="Thanh ngang: khoảng tin cậy 95% của mức thay đổi", x_title="Thay đổi (điểm phần trăm)",
           legend=True, height=max(380, 170 + 38 * len(changes)))
    if changes.empty:
        return _no_data(fig)
    labels = [str(n) + ("" if bool(j) else SMALL_NOTE) for n, j in zip(changes["name"], changes["judgeable"])]
    labels = [_short(label, NAME_LENGTH + len(SMALL_NOTE)) for label in labels]
    for judgeable, name, colour, symbol in ((True, "Đủ hồ sơ để nhận định", JUDGEABLE_COLOUR, "circle"),
                                            (False, "Ít hồ sơ: chưa đủ để nhận định", UNJUDGEABLE_COLOUR,
                                             "circle-open")):
        rows = [i for i, j in enumerate(changes["judgeable"]) if bool(j) == judgeable]
        if not rows:
            continue
        part = changes.iloc[rows]
        x = [_float(v) for v in part["change_pp"]]
        low = [_float(v) for v in part["low_pp"]]
        high = [_float(v) for v in part["high_pp"]]
        plus = [h - c for h, c in zip(high, x)]       # NaN where there is no interval: no bar drawn
        minus = [c - lo for lo, c in zip(low, x)]
        hovers = [f"<b>{n}</b><br>{label_a}: {percent(_float(a))} → {label_b}: {percent(_float(b))}<br>"
                  f"Thay đổi: {_signed(c)} điểm % (khoảng 95%: {_signed(lo)} đến {_signed(h)})"
                  + ("" if judgeable else "<br>Ít hồ sơ: chưa đủ để nhận định")
                  for n, a, b, c, lo, h in zip(part["name"], part["rate_a"], part["rate_b"], x, low, high)]
        fig.add_trace(go.Scatter(
            x=x, y=[labels[i] for i in rows], mode="markers", name=name, meta="judgeable" if judgeable else "small",
            marker=dict(symbol=symbol, color=colour, size=MARKER_SIZE + 2, line=dict(width=2.5, color=colour)),
            error_x=dict(type="data", symmetric=False, array=plus, arrayminus=minus, color=colour,
                         thickness=LINE_WIDTH, width=0),  # no caps: a cap would mark a missing interval
            hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed")
    fig.update_xaxes(zeroline=True, zerolinecolor=TEXT, zerolinewidth=LINE_WIDTH, rangemode="tozero")
    return fig


# ----------------------------------------------------------------------------------------------------------- ages

@_data_safe
def age_figure(buckets: list[dict], title: str) -> go.Figure:
    """Dossiers by age bucket (pending age, days overdue), bars in the given order labelled with counts."""
    fig = go.Figure()
    _style(fig, title, x_title="Số ngày", y_title="Số hồ sơ", height=400)
    counts = [_int(b.get("count")) for b in buckets]
    if not sum(counts):
        return _no_data(fig, "Không có hồ sơ nào")
    names = [str(b["bucket"]) for b in buckets]
    fig.add_trace(go.Bar(
        x=names, y=counts, name="Số hồ sơ", marker=dict(color=NEUTRAL), text=[number(c) for c in counts],
        textposition="outside", cliponaxis=False, textfont=dict(size=16, color=TEXT),
        hovertext=[f"{n}: {number(c)} hồ sơ" for n, c in zip(names, counts)],
        hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=names, showgrid=False)
    fig.update_yaxes(**_count_axis(max(counts)))
    return fig


# --------------------------------------------------------------------------------------------------- presentation
# The meeting room's charts (pages/trinh-chieu.py): the same looks, in type readable from the back of a room. Sizes
# are pixels of the slide's 1920×1080 canvas (ui/presentation.py zooms it to the window): every text 28 px or more,
# the title 32 px. The chart's height is the slide's (Streamlit's height "stretch"); the figure's own height only
# serves a chart drawn elsewhere.
#
# Rates are drawn as dots, not bars, so an axis that starts at 90% (when every rate sits between 90% and 100%, to
# show the difference) never makes a bar's length lie; the axis title says where it starts. A rate axis ends at 100%.
# A dot's label never crosses the target line: across a horizontal chart the labels stand in a column right of the
# plot, like a table's; on a vertical one a label sits on the side of its dot away from the line.

SLIDE_FONT, SLIDE_TITLE, SLIDE_TICKS = 28, 32, 28
SLIDE_MARKER = 24
NARROW_FROM = 0.9
NARROW_NOTE = "trục bắt đầu từ 90%"
RATE_TITLE = "Tỷ lệ đúng hạn (%)"
SLIDE_HEIGHT = 560
CHAR_PX = 0.56                   # an Arial character's width, in font sizes (Vietnamese text with digits, generous)
SLIDE_NAME_LENGTH = 30           # a name down the side of a chart wraps onto lines of about this many characters
SLIDE_NAME_LINES = 3
SLIDE_LABELLED_MONTHS = 16       # up to this many months on a slide's trend, each dot carries its value


def rate_axis(values, target: float | None = None) -> tuple[list[float], list[float], str]:
    """(range, ticks, a note for the axis title) for rates `values` (and the target line): from 90% when every one
    sits between 90% and 100% (the note says so), else from 0 (no note). The range ends at 100%."""
    known = [v for v in (_float(x) for x in values) if not math.isnan(v)]
    if target is not None and not pd.isna(target):
        known.append(float(target))
    if known and min(known) >= NARROW_FROM and max(known) <= 1:
        return [NARROW_FROM, 1.0], [0.90, 0.92, 0.94, 0.96, 0.98, 1.0], NARROW_NOTE
    return [0, 1.0], [0, 0.2, 0.4, 0.6, 0.8, 1.0], ""


def _rate_title(note: str, vertical: bool) -> str:
    return RATE_TITLE + (("<br>" if vertical else " – ") + note if note else "")


def _text_px(text: str, size: int = SLIDE_TICKS) -> int:
    """About how wide `text` is drawn (its longest line), in pixels."""
    return int(max(len(part) for part in str(text).split("<br>")) * size * CHAR_PX) + 1


def _wrapped(name, length: int = SLIDE_NAME_LENGTH, lines: int = SLIDE_NAME_LINES, note: str = "") -> str:
    """A long name on a few lines (words kept whole), the last shortened with "…" when it still does not fit; a
    `note` (" (ít hồ sơ)") kept whole after it, on a line of its own when the last is full."""
    words, rows = str(name).split(), [""]
    for word in words:
        if rows[-1] and len(rows[-1]) + 1 + len(word) > length:
            rows.append("")
        rows[-1] = f"{rows[-1]} {word}".strip()
    note = note.strip()
    if note and len(rows) <= lines and len(rows[-1]) + 1 + len(note) <= length:
        rows[-1], note = f"{rows[-1]} {note}", ""
    limit = max(lines - (1 if note else 0), 1)
    if len(rows) > limit:
        rows = rows[:limit]
        rows[-1] = _short(rows[-1] + " …", length)
    if note:
        rows.append(note)
    return "<br>".join(rows)


def _projector(fig: go.Figure, height: int = SLIDE_HEIGHT) -> go.Figure:
    """Type and marks for a projector: large fonts, dark text, on every part of the chart."""
    fig.update_layout(font=dict(size=SLIDE_FONT), title_font=dict(size=SLIDE_TITLE), title_subtitle_font_size=SLIDE_FONT,
                      height=height, legend=dict(font=dict(size=SLIDE_TICKS)),
                      hoverlabel=dict(font=dict(size=SLIDE_TICKS)),
                      margin=dict(t=150 if fig.layout.title.subtitle.text else 90, b=20))
    for axis in (fig.update_xaxes, fig.update_yaxes):
        axis(tickfont=dict(size=SLIDE_TICKS, color=TEXT), title_font=dict(size=SLIDE_FONT, color=TEXT))
    return fig


def _target_line(fig: go.Figure, target: float | None, horizontal: bool = True) -> None:
    """The target as a thick dashed line, named at its top (vertical line) or at its left end, above it."""
    if target is None or pd.isna(target):
        return
    goal = percent(target, digits=0)
    line = dict(color=TEXT, width=LINE_WIDTH, dash="dash")
    note = dict(text=f"Mục tiêu {goal}", font=dict(size=SLIDE_TICKS, color=TEXT))
    if horizontal:
        fig.add_hline(y=target, line=line, layer="below", annotation=note, annotation_position="top left")
    else:
        fig.add_vline(x=target, line=line, layer="below", annotation=note, annotation_position="top")


def _meets(rate: float, target: float | None) -> bool:
    return target is None or pd.isna(target) or (not math.isnan(rate) and rate >= target)


def _rate_dots(fig: go.Figure, names: list[str], rates: list[float], texts: list[str], hovers: list[str],
               target: float | None, horizontal: bool = False) -> None:
    """One dot per group; below the target: another symbol, colour, legend entry and hover wording. On a vertical
    chart each dot's label stands right of it, above it when the dot meets the target, under it when not (away from
    the target line); on a horizontal chart the labels are a column of their own (_value_column)."""
    goal = "" if target is None or pd.isna(target) else percent(target, digits=0)
    for meets, name, symbol, colour in ((True, f"{MEETS_LABEL} (≥ {goal})" if goal else "Tỷ lệ đúng hạn",
                                         MEETS_SYMBOL, MEETS_COLOUR),
                                        (False, f"Dưới mục tiêu (< {goal})", BELOW_SYMBOL, BELOW_COLOUR)):
        rows = [i for i, r in enumerate(rates) if not math.isnan(r) and _meets(r, target) == meets]
        if not rows:
            continue
        where = [names[i] for i in rows], [rates[i] for i in rows]
        fig.add_trace(go.Scatter(
            x=where[1] if horizontal else where[0], y=where[0] if horizontal else where[1],
            mode="markers" if horizontal else "markers+text", name=name, meta="meets" if meets else "below",
            marker=dict(symbol=symbol, color=colour, size=SLIDE_MARKER, line=dict(width=3, color=colour)),
            text=[texts[i] for i in rows], textposition="top right" if meets else "bottom right",
            textfont=dict(size=SLIDE_TICKS, color=colour), cliponaxis=False,
            hovertext=[hovers[i] + ("" if meets else f" – {BELOW_LABEL} {goal}") for i in rows],
            hovertemplate="%{hovertext}<extra></extra>"))


def _value_column(fig: go.Figure, names: list[str], texts: list[str], colours: list[str]) -> None:
    """Each row's value right of the plot, in a column of its own (the row's colour), and the room for it."""
    for name, text, colour in zip(names, texts, colours):
        fig.add_annotation(text=text, xref="paper", x=1, xanchor="left", xshift=16, yref="y", y=name,
                           showarrow=False, font=dict(size=SLIDE_TICKS, color=colour), align="left")
    fig.update_layout(margin_r=max((_text_px(t) for t in texts), default=0) + 40)


def _horizontal_rates(fig: go.Figure, names: list[str], rates: list[float], texts: list[str],
                      target: float | None) -> None:
    """Groups down the side, rates across to 100%, the target as a vertical line, the values in a column."""
    _target_line(fig, target, horizontal=False)
    axis, ticks, note = rate_axis(rates, target)
    fig.update_xaxes(range=axis, tickvals=ticks, tickformat=".0%", title_text=_rate_title(note, vertical=False))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=names, autorange="reversed",
                     showgrid=False)
    colours = [MEETS_COLOUR if _meets(r, target) else BELOW_COLOUR for r in rates]
    _value_column(fig, names, texts, colours)
    fig.update_layout(legend=dict(y=0, yanchor="bottom"), margin_b=20)


def _month_ticks(labels: list[str]) -> list[str]:
    """"Tháng 1/2018", "Tháng 2/2018" … -> "T1<br>2018", "T2" …: the year under a month only at its first one."""
    ticks, year = [], None
    for label in labels:
        parts = label.replace("Tháng", "").strip().split("/")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            return labels  # not months: keep the labels as they are
        month, this_year = (p.strip() for p in parts)
        ticks.append(f"T{month}" + (f"<br>{this_year}" if this_year != year else "<br> "))
        year = this_year
    return ticks


@_data_safe
def slide_trend_figure(trend: pd.DataFrame, target: float | None, rate_label: str) -> go.Figure:
    """The trend against the target (trend_figure's marks) for a projector, the axis from 90% when it can."""
    fig = _projector(trend_figure(trend, target, rate_label))
    fig.update_layout(title_text="Tỷ lệ đúng hạn theo tháng", margin_r=40)
    if trend.empty:
        return fig
    fig.update_traces(marker_size=SLIDE_MARKER, textfont_size=SLIDE_TICKS, selector=dict(type="scatter"))
    fig.update_traces(line_width=LINE_WIDTH + 1, selector=dict(mode="lines"))
    labelled = len(trend) <= SLIDE_LABELLED_MONTHS  # no hover on a projector: every month its value, when they fit
    for trace in fig.data:  # a label on the side of its dot away from the target line, one line of text
        if trace.text is not None:
            trace.update(text=[str(t).split("<br>")[0] for t in trace.text])
            if labelled:
                trace.update(mode="markers+text")
    axis, ticks, note = rate_axis(trend["on_time_rate"], target)
    fig.update_yaxes(range=axis, tickvals=ticks, title_text=_rate_title(note, vertical=True))
    labels = [str(v) for v in trend["label"]]
    fig.update_xaxes(title_text="Tháng", tickvals=labels, ticktext=_month_ticks(labels), tickangle=0)
    if target is not None and not pd.isna(target):  # the target's name right of the plot, where no dot can be
        label = f"Mục tiêu<br>{percent(target, digits=0)}"
        for note in fig.layout.annotations:
            note.update(text=label, xref="paper", x=1, xanchor="left", xshift=12, yanchor="middle", yshift=0,
                        font_size=SLIDE_TICKS, align="left")
        fig.update_layout(margin_r=_text_px(label) + 40)
    return fig


@_data_safe
def slide_levels_figure(levels: pd.DataFrame, target: float | None, rate_label: str,
                        small: int | None = None) -> go.Figure:
    """Each level's on-time rate as a dot, its numerator and denominator beside it, against the target; a level
    under `small` dossiers in the denominator is marked as such. It sits under Biểu 06's rows on the slide, so it
    is compact: its title on the target's line, no legend (a level below the target says so in its value)."""
    height = max(260, 160 + 70 * len(levels))
    fig = go.Figure()
    _style(fig, "Tỷ lệ đúng hạn theo cấp", height=height)
    _projector(fig, height)
    fig.update_layout(margin_t=64)
    if levels.empty:
        return _no_data(fig)
    names = [_wrapped(f"{n} ({number(_int(r))} hồ sơ nhận)", length=40,
                      note=SMALL_NOTE if small and _int(d) < small else "")
             for n, r, d in zip(levels["name"], levels["received_total"], levels["denominator"])]
    rates = [_float(v) for v in levels["on_time_rate"]]
    texts = [f"{percent(r)} ({number(_int(a))}/{number(_int(b))})"
             for r, a, b in zip(rates, levels["numerator"], levels["denominator"])]
    hovers = [f"{n}: {t}<br>{rate_label}" for n, t in zip(names, texts)]
    _rate_dots(fig, names, rates, texts, hovers, target, horizontal=True)
    goal = "" if target is None or pd.isna(target) else percent(target, digits=0)
    _horizontal_rates(fig, names, rates, [t + ("" if _meets(r, target) else f" · {BELOW_LABEL} {goal}")
                                          for t, r in zip(texts, rates)], target)
    fig.update_layout(showlegend=False)
    return fig


@_data_safe
def slide_attention_figure(units: pd.DataFrame, target: float | None, small: int,
                           title: str = "Đơn vị dưới giới hạn kiểm soát", subtitle: str | None = None) -> go.Figure:
    """The units that need attention (or, with another `title`, other units the slide shows), worst first, each
    rate with its numerator and denominator; units under `small` dossiers in the denominator are marked as such."""
    height = max(SLIDE_HEIGHT, 200 + 90 * len(units))
    fig = go.Figure()
    _style(fig, title, subtitle=subtitle, legend=True, height=height)
    _projector(fig, height)
    if units.empty:
        return _no_data(fig, "Không có đơn vị nào cần chú ý")
    names = [_wrapped(n, note="" if _int(d) >= small else SMALL_NOTE)
             for n, d in zip(units["name"], units["denominator"])]
    rates = [_float(v) for v in units["rate"]]
    texts = [f"{percent(r)} ({number(_int(a))}/{number(_int(b))})"
             for r, a, b in zip(rates, units["numerator"], units["denominator"])]
    hovers = [f"<b>{n}</b><br>{t}<br>{lab}" for n, t, lab in zip(units["name"], texts, units["flag"].map(FLAG_LABELS))]
    _rate_dots(fig, names, rates, texts, hovers, target, horizontal=True)
    _horizontal_rates(fig, names, rates, texts, target)
    return fig


@_data_safe
def slide_comparison_figure(change: dict, label_a: str, label_b: str, target: float | None) -> go.Figure:
    """The two periods' on-time rates (`change`: Comparison.total, with rate_a and rate_b), each with its 95%
    interval, against the target."""
    fig = go.Figure()
    _style(fig, "Tỷ lệ đúng hạn hai kỳ", subtitle="Thanh dọc: khoảng tin cậy 95%", legend=True)
    _projector(fig)
    rates = [change["rate_a"], change["rate_b"]]
    values = [_float(r["value"]) for r in rates]
    if all(math.isnan(v) for v in values):
        return _no_data(fig, "Không có hồ sơ đã giải quyết ở cả hai kỳ")
    names = [label.replace(" (", "<br>(", 1) for label in (label_a, label_b)]  # the name over its dates
    texts = [f"{percent(v)} ({number(_int(r['numerator']))}/{number(_int(r['denominator']))})"
             for v, r in zip(values, rates)]
    hovers = [f"{n}: {t}" for n, t in zip((label_a, label_b), texts)]
    _rate_dots(fig, names, values, texts, hovers, target)
    bounds = [tuple(r["ci95"]) if r.get("ci95") else (math.nan, math.nan) for r in rates]
    for trace in fig.data:
        rows = [names.index(x) for x in trace.x]
        trace.update(error_y=dict(type="data", symmetric=False, thickness=LINE_WIDTH, width=12,
                                  color=trace.marker.color,
                                  array=[_float(bounds[i][1]) - values[i] for i in rows],
                                  arrayminus=[values[i] - _float(bounds[i][0]) for i in rows]))
    _target_line(fig, target)
    for label in fig.layout.annotations:  # the target's name at the line's right end (no dot there), above it
        label.update(xanchor="right", x=1, xref="paper", yanchor="bottom")
    axis, ticks, note = rate_axis(values + [b for pair in bounds for b in pair], target)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=names, showgrid=False,
                     range=[-0.5, 1.9])  # room right of each dot for its label
    fig.update_yaxes(range=axis, tickvals=ticks, tickformat=".0%", title_text=_rate_title(note, vertical=True))
    return fig


@_data_safe
def slide_most_late_figure(fields: pd.DataFrame) -> go.Figure:
    """The fields with most late dossiers (resolved late and pending overdue), most on top, counts from 0; each bar
    says its count and its share of the field's received dossiers (late_rate, when given); a field of few dossiers
    (`small`) is marked as such."""
    height = max(SLIDE_HEIGHT, 200 + 90 * len(fields))
    fig = go.Figure()
    shares = "late_rate" in fields.columns
    _style(fig, "Số hồ sơ trễ hạn theo lĩnh vực",
           subtitle="Đã giải quyết quá hạn và đang quá hạn" + ("; % trên số hồ sơ nhận của lĩnh vực" if shares else ""),
           x_title="Số hồ sơ trễ hạn", height=height)
    _projector(fig, height)
    if fields.empty:
        return _no_data(fig, "Không có hồ sơ trễ hạn")
    small = fields["small"].fillna(False).astype(bool).tolist() if "small" in fields.columns else [False] * len(fields)
    names = [str(v) for v in fields["name"]]
    shown = [_wrapped(n, note=SMALL_NOTE if few else "") for n, few in zip(names, small)]
    counts = [_int(v) for v in fields["late_total"]]
    rates = [_float(v) for v in fields["late_rate"]] if shares else [math.nan] * len(counts)
    labels = [number(c) + ("" if math.isnan(r) else f" · {percent(r)}") for c, r in zip(counts, rates)]
    fig.add_trace(go.Bar(
        x=counts, y=shown, orientation="h", name="Hồ sơ trễ hạn",
        marker=dict(color=OUTCOME_COLOURS["resolved_late"]), text=labels, textposition="outside",
        cliponaxis=False, textfont=dict(size=SLIDE_TICKS, color=TEXT), customdata=names,
        hovertext=[f"{n}: {label} hồ sơ trễ hạn" for n, label in zip(names, labels)],
        hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    largest = max(max(counts), 1)
    fig.update_xaxes(tickformat=",d", range=[0, largest * (1.5 if shares else 1.2)], dtick=1 if largest < 6 else None,
                     nticks=6)
    return fig


def slide_scaled(fig: go.Figure, scale: float) -> go.Figure:
    """A copy of a slide's figure for a window `scale` times the 1920×1080 canvas: every type size, mark, line,
    margin and shift multiplied by it, so the chart keeps its proportions at 1280×720 (scale 2/3)."""
    out = go.Figure(fig)
    if abs(scale - 1) < 1e-3:
        return out

    def times(value):
        return None if value is None else value * scale

    layout = out.layout
    for font in (layout.font, layout.title.font, layout.title.subtitle.font, layout.legend.font,
                 layout.hoverlabel.font):
        font.size = times(font.size)
    for axis in (layout.xaxis, layout.yaxis):
        axis.tickfont.size, axis.title.font.size = times(axis.tickfont.size), times(axis.title.font.size)
        axis.ticklen = times(axis.ticklen)
    margin = layout.margin
    margin.l, margin.r, margin.t, margin.b = (times(v) for v in (margin.l, margin.r, margin.t, margin.b))
    for note in layout.annotations:
        note.font.size, note.xshift, note.yshift = times(note.font.size), times(note.xshift), times(note.yshift)
    for shape in layout.shapes:
        shape.line.width = times(shape.line.width)
        if shape.label is not None and shape.label.font is not None:
            shape.label.font.size = times(shape.label.font.size)
    for trace in out.data:
        if getattr(trace, "textfont", None) is not None:
            trace.textfont.size = times(trace.textfont.size)
        marker = getattr(trace, "marker", None)
        if marker is not None:
            if isinstance(getattr(marker, "size", None), (int, float)):
                marker.size = times(marker.size)
            if marker.line is not None and isinstance(marker.line.width, (int, float)):
                marker.line.width = times(marker.line.width)
        if getattr(trace, "line", None) is not None and isinstance(trace.line.width, (int, float)):
            trace.line.width = times(trace.line.width)
        error = getattr(trace, "error_y", None)
        if error is not None and error.thickness is not None:
            error.thickness, error.width = times(error.thickness), times(error.width)
    return out


# ------------------------------------------------------------------------------------------- citizens' experience

# Online levels and ratings: colours no outcome uses, told apart by pattern as well as hue.
ONLINE_STYLES = {"online_full": ("Toàn trình", "#0072B2", ""), "online_partial": ("Một phần", "#56B4E9", "/"),
                 "online_level_unknown": ("Không rõ mức độ", "#999999", ".")}
RATING_STYLES = {"very_satisfied": ("Rất hài lòng", "#009E73", ""), "satisfied": ("Hài lòng", "#56B4E9", "/"),
                 "dissatisfied": ("Không hài lòng", "#D55E00", "x"), "unrated": ("Chưa đánh giá", "#BBBBBB", ".")}


def _stacked(fig: go.Figure, names: list[str], frame: pd.DataFrame, styles: dict, what: str) -> None:
    totals = frame[list(styles)].sum(axis=1).tolist()
    for key, (label, colour, pattern) in styles.items():
        counts = [_int(v) for v in frame[key]]
        hovers = [f"<b>{n}</b><br>{label}: {number(c)} {what} ({percent(_share(c, t))})"
                  for n, c, t in zip(names, counts, totals)]
        fig.add_trace(go.Bar(x=counts, y=[_short(n) for n in names], orientation="h", name=label,
                             marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color=BAR_OUTLINE,
                                                                                             width=1)),
                             hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    fig.update_xaxes(**_count_axis(max(totals) if totals else 1))


@_data_safe
def online_levels_figure(groups: pd.DataFrame, top: int = 15) -> go.Figure:
    """Online dossiers by unit: toàn trình, một phần, level unknown, stacked; the units with most online first."""
    shown = groups[groups["received_online"] > 0].sort_values("received_online", ascending=False,
                                                               kind="stable").head(top)
    title = "Hồ sơ nộp trực tuyến theo mức độ"
    fig = go.Figure()
    _style(fig, title, x_title="Số hồ sơ nộp trực tuyến", legend=True, height=max(360, 160 + 38 * len(shown)))
    if shown.empty:
        return _no_data(fig, "Không có hồ sơ nộp trực tuyến trong kỳ")
    _stacked(fig, [str(n) for n in shown["name"]], shown, ONLINE_STYLES, "hồ sơ")
    return fig


def online_trend_figure(trend: pd.DataFrame) -> go.Figure:
    """Online dossiers per month by level, stacked bars, with their share of the month's new dossiers in the
    hover."""
    fig = go.Figure()
    _style(fig, "Hồ sơ nộp trực tuyến theo tháng", y_title="Số hồ sơ", legend=True, height=420)
    if trend.empty or not trend["received_online"].sum():
        return _no_data(fig, "Không có hồ sơ nộp trực tuyến trong kỳ")
    labels = [str(v) for v in trend["label"]]
    for key, (label, colour, pattern) in ONLINE_STYLES.items():
        counts = [_int(v) for v in trend[key]]
        hovers = [f"{m}: {label} {number(c)} hồ sơ; trực tuyến {number(_int(o))}/{number(_int(r))} hồ sơ nhận mới"
                  for m, c, o, r in zip(labels, counts, trend["received_online"], trend["received"])]
        fig.add_trace(go.Bar(x=labels, y=counts, name=label, hovertext=hovers,
                             hovertemplate="%{hovertext}<extra></extra>",
                             marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color=BAR_OUTLINE,
                                                                                             width=1))))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", showgrid=False)
    fig.update_yaxes(**_count_axis(max(_int(v) for v in trend["received_online"])))
    return fig


@_data_safe
def ratings_figure(groups: pd.DataFrame, top: int = 15) -> go.Figure:
    """Resolved dossiers by unit and rating (unrated included), stacked; the units with most resolved first."""
    shown = groups[groups["resolved_total"] > 0].sort_values("resolved_total", ascending=False,
                                                              kind="stable").head(top)
    fig = go.Figure()
    _style(fig, "Đánh giá mức độ hài lòng theo đơn vị (hồ sơ đã giải quyết)", x_title="Số hồ sơ đã giải quyết",
           legend=True, height=max(360, 160 + 38 * len(shown)))
    if shown.empty or shown["rated"].isna().all():
        return _no_data(fig, "Không có dữ liệu đánh giá")
    _stacked(fig, [str(n) for n in shown["name"]], shown.fillna(0), RATING_STYLES, "hồ sơ")
    return fig
