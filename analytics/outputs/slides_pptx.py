"""The meeting room's slides as a PowerPoint deck: the presentation mode's messages, one per slide, with native charts.

A title slide, then one slide per `slides.deck()` slide in its order: the title, the headline sentence in large type,
the bullets and, where the message has numbers, a native PowerPoint chart (python-pptx `add_chart`: the numbers sit in
the chart's own workbook, so a secretary can still edit them and their colours; never a picture). A deck made from
the sample data says so in large red letters on the title slide and in a red band on every slide.

Nothing is computed here: the sentences come from `slides.deck()` and every charted value is a SessionFigures value,
laid out as it is. Only the layout is worked out (how many lines a text needs, which font size fits), so no text is
ever cut. Type is sized for the back of a room (headlines 28–32 pt, bullets 18–24 pt), dark on white, in Arial
(Liberation Sans, its metric twin, where Arial is not installed); colours are the app's Okabe–Ito palette.
"""
from __future__ import annotations

import io
import re
from contextlib import contextmanager

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from analytics.analyses.session_figures import SessionFigures
from analytics.model.session import Provenance
from analytics.outputs import formatting as fmt
from analytics.outputs.charts import BAR_OUTLINE, BELOW_COLOUR, GRID, MEETS_COLOUR, NEUTRAL, OUTCOME_COLOURS, TEXT
from analytics.outputs.labels import COLUMN_LABELS, RATE_HEADER
from analytics.outputs.safe_cells import XLSX_OPTIONS
from analytics.outputs.slides import (
    ATTENTION,
    COMPARISON,
    HEADLINE,
    LEVELS,
    MOST_LATE,
    PROVENANCE,
    SAMPLE_WARNING,
    TREND,
    Slide,
    deck,
)

# ------------------------------------------------------------------------------------------------------- the page

WIDTH, HEIGHT = 13.333, 7.5           # inches, 16:9
MARGIN = 0.5
CONTENT_WIDTH = WIDTH - 2 * MARGIN
FONT = "Arial"                        # LibreOffice draws it with Liberation Sans (same metrics)
LANGUAGE = "vi-VN"
SAMPLE_RED = "#B00020"                # dark red: 7:1 on white, white text on it 7:1
SECONDARY = NEUTRAL                   # titles, captions, footers: dark grey, 8:1 on white
BAND_HEIGHT = 0.42                    # the sample band at the top of every slide
FOOTER_TOP, FOOTER_HEIGHT = 7.0, 0.38
BODY_BOTTOM = 6.9

TITLE_PT = 24
HEADLINE_PT = (32, 30, 28)            # the headline sentence, largest that fits in three lines
BULLET_PT = (24, 22, 20, 18)          # bullets: never under 18 pt while the text fits
LAST_RESORT_PT = (16, 14, 12, 11, 10)  # only when a long list fits no other way (text is never cut)
FOOTER_PT = 12
CHART_PT, CHART_TITLE_PT = 16, 18
CHART_WIDTHS = (7.3, 6.6, 5.9, 5.2)   # inches: a chart beside its text narrows until the text fits at 18 pt
GUTTER = 0.3
MIN_CHART_HEIGHT = 2.8                # inches: a chart with its text under it keeps at least this height
LABELLED_POINTS = 12                  # a trend of more months shows its values on the axis, not on each point

# Colours: the app's (charts.py): blue is "on time / meets the target", vermillion "late / below the target".
RATE_COLOUR = OUTCOME_COLOURS["resolved_on_time"]
LATE_COLOUR = OUTCOME_COLOURS["resolved_late"]
EARLIER_COLOUR = NEUTRAL
RECEIVED_COLOUR, RESOLVED_COLOUR = NEUTRAL, "#999999"

# Chart number formats: Vietnamese separators (95,7%; 1.365) through the format's locale (LCID 042A = vi-VN).
PERCENT_FORMAT = "[$-42A]0.0%"
AXIS_PERCENT_FORMAT = "[$-42A]0%"
COUNT_FORMAT = "[$-42A]#,##0"
ZOOM_FROM = 0.9                       # rates all within 90%–100%: the axis starts here, and says so

# Text measuring, estimated (the same on every machine): Arial's mean advance over the deck's Vietnamese text is
# 0.41–0.48 em (bold 0.44–0.49 em; hexadecimal digests 0.52 em, on short lines), so 0.46 em a character, wrapped
# word by word, errs on the safe side. A line is 1.17 em high (Arial's ascent and descent) times the paragraph's
# line spacing.
CHAR_EM, BOLD_CHAR_EM, FONT_LINE = 0.46, 0.49, 1.17
LINE_SPACING, SPACE_AFTER = 1.0, 0.4  # single lines; a gap of 0.4 em after each paragraph
INSET = 0.1                           # a text box's inner margin, inches (each side)
BULLET_INDENT = 0.9                   # em


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _plain(text) -> str:
    """Text from the data as one line of plain text: control characters (which XML cannot hold, and line breaks
    inside a name) become a space."""
    return _CONTROL.sub(" ", str(text))


def _value(x):
    """A figure as a chart value: None (a gap, not a zero) when there is nothing under it."""
    return None if x is None or pd.isna(x) else float(x)


# --------------------------------------------------------------------------------------------- text and fitting

def _rows(text: str, pt: float, width: float, bold: bool = False) -> int:
    """The lines a paragraph takes in a box `width` inches wide at `pt` points (greedy word wrap, estimated)."""
    per_line = max(1, int((width - 2 * INSET) * 72 / (pt * (BOLD_CHAR_EM if bold else CHAR_EM))))
    rows, used = 1, 0
    for word in text.split():
        size = len(word)
        while size > per_line:  # a word longer than a line breaks inside
            rows, size = rows + (1 if used else 0), size - per_line
            used = 0
        if used and used + 1 + size > per_line:
            rows, used = rows + 1, size
        else:
            used += size + (1 if used else 0)
    return rows


def _height(paragraphs, pt: float, width: float, bold: bool = False, bullets: bool = True) -> float:
    """Inches that paragraphs take at `pt` points in a box `width` inches wide (bullets: indented)."""
    width -= BULLET_INDENT * pt / 72 if bullets else 0
    return sum(_rows(p, pt, width, bold) * pt * FONT_LINE * LINE_SPACING + pt * SPACE_AFTER
               for p in paragraphs) / 72 + 2 * INSET


def _split(paragraphs, pt: float, width: float) -> list[list[str]]:
    """Two columns of about equal height, the order kept (the first column reads first)."""
    heights = [_height([p], pt, width) - 2 * INSET for p in paragraphs]
    total, before, best, best_cut = sum(heights), 0.0, float("inf"), len(paragraphs)
    for cut in range(1, len(paragraphs)):
        before += heights[cut - 1]
        if max(before, total - before) < best:
            best, best_cut = max(before, total - before), cut
    return [list(paragraphs[:best_cut]), list(paragraphs[best_cut:])]


def _fit(paragraphs, width: float, height: float, sizes=BULLET_PT, two_columns: bool = False):
    """(points, columns): the largest size at which the paragraphs fit, in one column, else in two (when allowed),
    else at a last-resort smaller size. Text is never cut: the smallest size is used when nothing fits."""
    gap = 0.3
    for pt in sizes:
        if _height(paragraphs, pt, width) <= height:
            return pt, [list(paragraphs)]
    if two_columns and len(paragraphs) > 1:
        half = (width - gap) / 2
        for pt in sizes + LAST_RESORT_PT:
            columns = _split(paragraphs, pt, half)
            if max(_height(c, pt, half) for c in columns) <= height:
                return pt, columns
        return LAST_RESORT_PT[-1], _split(paragraphs, LAST_RESORT_PT[-1], half)
    for pt in LAST_RESORT_PT:
        if _height(paragraphs, pt, width) <= height:
            return pt, [list(paragraphs)]
    return LAST_RESORT_PT[-1], [list(paragraphs)]


def _style_run(run, pt: float, bold: bool = False, colour: str = TEXT) -> None:
    font = run.font
    font.name, font.size, font.bold = FONT, Pt(pt), bold
    font.color.rgb = _rgb(colour)
    run._r.get_or_add_rPr().set("lang", LANGUAGE)


def _bullet(paragraph, pt: float) -> None:
    """A round bullet hanging in the left margin."""
    pPr = paragraph._p.get_or_add_pPr()
    indent = Pt(pt * BULLET_INDENT)
    pPr.set("marL", str(int(indent)))
    pPr.set("indent", str(-int(indent)))
    bu_font = pPr.makeelement(qn("a:buFont"), {"typeface": FONT})
    bu_char = pPr.makeelement(qn("a:buChar"), {"char": "•"})
    pPr.append(bu_font)
    pPr.append(bu_char)


def _fill_text(frame, paragraphs, pt: float, *, bold: bool = False, colour: str = TEXT, bullets: bool = False,
               align=None, anchor=MSO_ANCHOR.TOP) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(INSET)
    frame.margin_top = frame.margin_bottom = Inches(INSET)
    for i, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.line_spacing = LINE_SPACING
        paragraph.space_before = Pt(0)
        paragraph.space_after = Pt(pt * SPACE_AFTER)
        if align is not None:
            paragraph.alignment = align
        if bullets:
            _bullet(paragraph, pt)
        run = paragraph.add_run()
        run.text = _plain(text)
        _style_run(run, pt, bold, colour)


def _text_box(slide, left, top, width, height, paragraphs, pt: float, **style):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _fill_text(box.text_frame, paragraphs, pt, **style)
    return box


def _bullets(slide, lines, left: float, top: float, width: float, height: float, two_columns: bool = False) -> None:
    """The slide's lines as bullets at the largest size that fits (two columns when allowed and needed)."""
    if not lines:
        return
    pt, columns = _fit(list(lines), width, height, two_columns=two_columns)
    gap = 0.3
    column_width = width if len(columns) == 1 else (width - gap) / 2
    for i, column in enumerate(columns):
        if column:
            _text_box(slide, left + i * (column_width + gap), top, column_width, height, column, pt, bullets=True)


# ------------------------------------------------------------------------------------------------- slide frame

def _sample_band(slide) -> None:
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(WIDTH), Inches(BAND_HEIGHT))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(SAMPLE_RED)
    band.line.fill.background()
    band.shadow.inherit = False
    _fill_text(band.text_frame, [SAMPLE_WARNING], 16, bold=True, colour="#FFFFFF", align=PP_ALIGN.CENTER,
               anchor=MSO_ANCHOR.MIDDLE)
    band.text_frame.margin_top = band.text_frame.margin_bottom = 0
    band.name = "Cảnh báo dữ liệu mẫu"


def _white(slide) -> None:
    """A white background, set on the slide itself (whatever the template's)."""
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = _rgb("#FFFFFF")


def _footer(slide, figures: SessionFigures, number: int, count: int) -> None:
    text = f"{figures.session.name} · {figures.period.label}"
    width = CONTENT_WIDTH - 1.2
    pt = FOOTER_PT if _rows(text, FOOTER_PT, width) == 1 else 9  # a long session name: smaller, never cut
    box = _text_box(slide, MARGIN, FOOTER_TOP, width, FOOTER_HEIGHT, [text], pt, colour=SECONDARY)
    box.text_frame.margin_top = box.text_frame.margin_bottom = Inches(0.02)
    _text_box(slide, WIDTH - MARGIN - 1.2, FOOTER_TOP, 1.2, FOOTER_HEIGHT, [f"{number}/{count}"], FOOTER_PT,
              colour=SECONDARY, align=PP_ALIGN.RIGHT)


def _title(slide, text: str, top: float) -> float:
    """The slide's title in its title placeholder (PowerPoint's outline and screen readers read it); returns the
    bottom."""
    shape = slide.shapes.title
    height = 0.6
    shape.left, shape.top, shape.width, shape.height = (Inches(MARGIN), Inches(top), Inches(CONTENT_WIDTH),
                                                        Inches(height))
    frame = shape.text_frame
    frame.clear()
    _fill_text(frame, [text], TITLE_PT, bold=True, colour=SECONDARY, align=PP_ALIGN.LEFT)
    frame.paragraphs[0].space_after = Pt(0)
    return top + height


def _headline(slide, text: str, top: float) -> float:
    """The message in one sentence, large; returns the bottom."""
    for pt in HEADLINE_PT:
        if _rows(text, pt, CONTENT_WIDTH, bold=True) <= 3:
            break
    height = _height([text], pt, CONTENT_WIDTH, bold=True, bullets=False) - pt * SPACE_AFTER / 72
    box = _text_box(slide, MARGIN, top, CONTENT_WIDTH, height, [text], pt, bold=True)
    box.name = "Thông điệp"
    box.text_frame.paragraphs[0].space_after = Pt(0)
    return top + height


def _notes(slide, message: Slide) -> None:
    """The speaker notes: the whole message, every line (the presenter reads what the chart shows)."""
    slide.notes_slide.notes_text_frame.text = "\n".join(_plain(t) for t in [message.headline, *message.lines])


# ------------------------------------------------------------------------------------------------------- charts

class _SafeWorkbookWriter(CategoryWorkbookWriter):
    """The chart's own workbook (what "Edit Data" opens) with every name written as text: a unit or field called
    "=HYPERLINK(…)" in someone's export never becomes a live formula or link."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True, **XLSX_OPTIONS})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class ChartData(CategoryChartData):
    """python-pptx's category chart data, its workbook written by _SafeWorkbookWriter."""

    @lazyproperty
    def _workbook_writer(self):
        return _SafeWorkbookWriter(self)


def _chart(slide, kind, data: CategoryChartData, box, title: str):
    left, top, width, height = box
    chart = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width), Inches(height), data).chart
    chart.font.name, chart.font.size = FONT, Pt(CHART_PT)
    chart.font.color.rgb = _rgb(TEXT)
    chart.has_title = True
    frame = chart.chart_title.text_frame
    frame.text = _plain(title)
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            _style_run(run, CHART_TITLE_PT, bold=True)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    chart.plots[0].vary_by_categories = False
    return chart


def _axis_title(axis, text: str) -> None:
    axis.has_title = True
    frame = axis.axis_title.text_frame
    frame.text = text
    for run in frame.paragraphs[0].runs:
        _style_run(run, CHART_PT, bold=False, colour=TEXT)


def _rate_axis(chart, rates, target: float | None = None) -> None:
    """Percent ticks; when every rate (and the target) lies within 90%–100%, the axis starts at 90% and its title
    says so, so that the differences show; otherwise it runs from 0% to 100%."""
    known = [r for r in rates if r is not None]
    zoom = bool(known) and all(ZOOM_FROM <= r <= 1 for r in known + ([target] if target is not None else []))
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale = (ZOOM_FROM if zoom else 0.0), 1.0
    axis.major_unit = 0.02 if zoom else 0.2
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = AXIS_PERCENT_FORMAT, False
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(GRID)
    title = RATE_HEADER + (f" (trục bắt đầu từ {fmt.percent(ZOOM_FROM, 0)})" if zoom else "")
    _axis_title(axis, title)


def _labels(series, number_format: str, position=None, colour: str = TEXT) -> None:
    labels = series.data_labels
    labels.show_value = True
    labels.number_format, labels.number_format_is_linked = number_format, False
    labels.font.size, labels.font.bold = Pt(CHART_PT), True
    labels.font.color.rgb = _rgb(colour)
    if position is not None:
        labels.position = position


def _fill(fmt_owner, colour: str, outline: str | None = None) -> None:
    fmt_owner.fill.solid()
    fmt_owner.fill.fore_color.rgb = _rgb(colour)
    if outline:
        fmt_owner.line.color.rgb = _rgb(outline)
        fmt_owner.line.width = Pt(1)


def _bars_top_down(chart) -> None:
    """Horizontal bars read from the top: the first category on top, the value axis kept at the bottom."""
    chart.category_axis.reverse_order = True
    value_axis = chart.value_axis._element
    crosses = value_axis.find(qn("c:crosses"))
    if crosses is not None:
        crosses.set("val", "max")


def _count_bars(chart) -> None:
    """Horizontal bars of counts: read from the top, an axis from 0 with gridlines and whole numbers."""
    _bars_top_down(chart)
    axis = chart.value_axis
    axis.minimum_scale = 0
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(GRID)
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = COUNT_FORMAT, False


def trend_chart(slide, figures: SessionFigures, box):
    """The monthly on-time rate against the target: a line with markers (below-target months: a vermillion cross,
    the others a blue dot) and the target as a dashed second series."""
    trend, target = figures.trend, figures.session.target
    rates = [_value(r) for r in trend["on_time_rate"]]
    data = ChartData(number_format=PERCENT_FORMAT)
    data.categories = [_plain(c) for c in trend["label"]]
    data.add_series(RATE_HEADER, rates)
    data.add_series(f"Mục tiêu {fmt.percent(target)}", [target] * len(trend))
    chart = _chart(slide, XL_CHART_TYPE.LINE_MARKERS, data, box, f"{RATE_HEADER} theo tháng so với mục tiêu")
    rate, goal = chart.plots[0].series
    rate.smooth = goal.smooth = False
    rate.format.line.color.rgb, rate.format.line.width = _rgb(RATE_COLOUR), Pt(4)
    rate.marker.style, rate.marker.size = XL_MARKER_STYLE.CIRCLE, 12
    _fill(rate.marker.format, MEETS_COLOUR, MEETS_COLOUR)
    for i, value in enumerate(rates):
        if value is not None and value < target:
            point = rate.points[i]
            point.marker.style, point.marker.size = XL_MARKER_STYLE.X, 14
            _fill(point.marker.format, BELOW_COLOUR, BELOW_COLOUR)
            point.marker.format.line.width = Pt(3)
    if len(rates) <= LABELLED_POINTS:
        _labels(rate, PERCENT_FORMAT, XL_LABEL_POSITION.ABOVE)
    goal.format.line.color.rgb, goal.format.line.width = _rgb(TEXT), Pt(2.5)
    goal.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    goal.marker.style = XL_MARKER_STYLE.NONE
    _rate_axis(chart, rates, target)
    return chart


def levels_chart(slide, figures: SessionFigures, box):
    """Received (3) and resolved (7) dossiers per level, as clustered horizontal bars."""
    levels = figures.by_level
    data = ChartData(number_format=COUNT_FORMAT)
    data.categories = [_plain(c) for c in levels["name"]]
    for key in ("received_total", "resolved_total"):
        data.add_series(COLUMN_LABELS[key], [int(v) for v in levels[key]])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, box, "Hồ sơ nhận và đã giải quyết theo cấp (hồ sơ)")
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 60, 0
    for series, colour in zip(plot.series, (RECEIVED_COLOUR, RESOLVED_COLOUR)):
        _fill(series.format, colour, BAR_OUTLINE)
        _labels(series, COUNT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END)
    _count_bars(chart)
    return chart


def _unit_label(row) -> str:
    """A unit with what its rate is made of, so a unit of two dossiers is seen as such."""
    return f"{row['name']} ({fmt.number(row['numerator'])}/{fmt.number(row['denominator'])})"


def attention_chart(slide, figures: SessionFigures, box):
    """The units that need attention, worst first: their rates (vermillion bars below the target, blue at or above
    it; each with its value) beside the target (a dashed outline bar), each unit with its n/N."""
    units, target = figures.attention.named, figures.session.target
    rates = [_value(r) for r in units["rate"]]
    data = ChartData(number_format=PERCENT_FORMAT)
    data.categories = [_plain(_unit_label(row)) for row in units.to_dict("records")]
    data.add_series(RATE_HEADER, rates)
    data.add_series(f"Mục tiêu {fmt.percent(target)}", [target] * len(units))
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, box, f"{RATE_HEADER} của các đơn vị dưới giới hạn kiểm soát")
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 50, 0
    rate, goal = plot.series
    _fill(rate.format, BELOW_COLOUR, BAR_OUTLINE)
    for i, value in enumerate(rates):
        if value is not None and value >= target:
            _fill(rate.points[i].format, MEETS_COLOUR, BAR_OUTLINE)
    _fill(goal.format, "#FFFFFF", TEXT)  # the target: an outlined bar, unlike any rate
    goal.format.line.width = Pt(1.5)
    goal.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    _labels(rate, PERCENT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END)
    _labels(goal, PERCENT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END, SECONDARY)
    goal.data_labels.font.bold = False
    _rate_axis(chart, rates, target)
    _bars_top_down(chart)
    return chart


def _period_name(period) -> str:
    return period.name if period.name and not period.name.startswith("Từ ") else period.dates


def comparison_chart(slide, figures: SessionFigures, box):
    """The rate of the comparison period and of the session's period, side by side (earlier grey, now blue)."""
    change = figures.comparison.total
    a, b = change["rate_a"], change["rate_b"]
    rates = [_value(a["value"]), _value(b["value"])]
    data = ChartData(number_format=PERCENT_FORMAT)
    data.categories = [_plain(_period_name(figures.session.comparison)), _plain(_period_name(figures.period))]
    data.add_series(RATE_HEADER, rates)
    chart = _chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, data, box, f"{RATE_HEADER}: hai kỳ")
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 80
    series = plot.series[0]
    _fill(series.format, RATE_COLOUR, BAR_OUTLINE)
    _fill(series.points[0].format, EARLIER_COLOUR, BAR_OUTLINE)
    _labels(series, PERCENT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END)
    _rate_axis(chart, rates)
    return chart


def most_late_chart(slide, figures: SessionFigures, box):
    """Late dossiers (resolved late and pending overdue) per field, most first."""
    fields = figures.most_late_fields
    data = ChartData(number_format=COUNT_FORMAT)
    data.categories = [_plain(c) for c in fields["name"]]
    data.add_series("Hồ sơ trễ hạn (đã giải quyết quá hạn và đang quá hạn)", [int(v) for v in fields["late_total"]])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, box, "Lĩnh vực nhiều hồ sơ trễ hạn nhất (hồ sơ)")
    chart.has_legend = False  # one series, named by the title and the headline
    plot = chart.plots[0]
    plot.gap_width = 50
    _fill(plot.series[0].format, LATE_COLOUR, BAR_OUTLINE)
    _labels(plot.series[0], COUNT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END)
    _count_bars(chart)
    return chart


# ------------------------------------------------------------------------------------------------------- slides

def _chart_for(message: Slide, figures: SessionFigures):
    """The chart builder of a message and the lines the text beside it shows (None: no chart)."""
    if message.key == TREND and len(figures.trend):
        return trend_chart, message.lines
    if message.key == LEVELS and len(figures.by_level):
        return levels_chart, message.lines
    if message.key == ATTENTION and not figures.attention.empty:
        return attention_chart, message.lines
    if message.key == COMPARISON and figures.comparison is not None:
        return comparison_chart, message.lines
    if message.key == MOST_LATE and len(figures.most_late_fields):
        # The chart draws the fields' lines (name and count); the text beside it lists the procedures.
        return most_late_chart, message.lines[len(figures.most_late_fields):]
    return None, message.lines


def _figure_cards(slide, figures: SessionFigures, top: float) -> float:
    """The headline slide's three figures in large type: the rate (and what it is made of), received, overdue."""
    rate, total, target = figures.rate, figures.total, figures.session.target
    what = fmt.DENOMINATOR_WORDS.get(rate.definition.name, "hồ sơ")
    made_of = f"đúng hạn ({fmt.number(rate.numerator)}/{fmt.number(rate.denominator)} {what})"
    cards = [(fmt.percent(rate.value), [made_of, f"mục tiêu {fmt.percent(target)}"]),
             (fmt.number(total["received_total"]), ["hồ sơ nhận giải quyết (3)"]),
             (fmt.number(total["pending_overdue"]), ["hồ sơ đang giải quyết quá hạn (13)"])]
    gap, height = 0.3, 2.2
    width = (CONTENT_WIDTH - 2 * gap) / 3
    for i, (figure, caption) in enumerate(cards):
        left = MARGIN + i * (width + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height))
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb("#F2F2F2")
        card.line.color.rgb = _rgb("#BFBFBF")
        card.shadow.inherit = False
        frame = card.text_frame
        _fill_text(frame, [figure], 48, bold=True, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        frame.paragraphs[0].space_after = Pt(6)
        for text in caption:
            paragraph = frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.CENTER
            paragraph.space_before = paragraph.space_after = Pt(0)
            run = paragraph.add_run()
            run.text = _plain(text)
            _style_run(run, 18, colour=SECONDARY)
    return top + height


def _chart_layout(lines, top: float, height: float):
    """(the chart's box, the text's box or None): the text beside the widest chart that leaves it 18 pt or more;
    else across the slide under a chart at least MIN_CHART_HEIGHT high; else whichever of the two gives the larger
    type (the text is never cut)."""
    lines = list(lines)
    if not lines:
        return (MARGIN, top, CONTENT_WIDTH, height), None

    def beside(width):
        return (MARGIN, top, width, height), (MARGIN + width + GUTTER, top, CONTENT_WIDTH - width - GUTTER, height)

    for width in CHART_WIDTHS:
        if _fit(lines, CONTENT_WIDTH - width - GUTTER, height)[0] >= BULLET_PT[-1]:
            return beside(width)
    below_pt = _fit(lines, CONTENT_WIDTH, height - MIN_CHART_HEIGHT - GUTTER)[0]
    beside_pt = _fit(lines, CONTENT_WIDTH - CHART_WIDTHS[-1] - GUTTER, height)[0]
    if below_pt >= beside_pt:
        text_height = min(_height(lines, below_pt, CONTENT_WIDTH), height - MIN_CHART_HEIGHT - GUTTER)
        chart_height = height - text_height - GUTTER
        return (MARGIN, top, CONTENT_WIDTH, chart_height), (MARGIN, top + chart_height + GUTTER, CONTENT_WIDTH,
                                                           text_height)
    return beside(CHART_WIDTHS[-1])


def _content_slide(prs, message: Slide, figures: SessionFigures, sample: bool, number: int, count: int):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    _white(slide)
    if sample:
        _sample_band(slide)
    bottom = _title(slide, message.title, BAND_HEIGHT + 0.12 if sample else 0.35)
    bottom = _headline(slide, message.headline, bottom + 0.05)
    top = bottom + 0.2
    height = BODY_BOTTOM - top
    build, lines = _chart_for(message, figures)
    if message.key == HEADLINE:
        top = _figure_cards(slide, figures, top) + 0.25
        _bullets(slide, lines, MARGIN, top, CONTENT_WIDTH, BODY_BOTTOM - top)
    elif build is not None:
        chart_box, text_box = _chart_layout(lines, top, height)
        build(slide, figures, chart_box)
        if text_box is not None:
            _bullets(slide, lines, *text_box)
    else:
        _bullets(slide, lines, MARGIN, top, CONTENT_WIDTH, height, two_columns=message.key == PROVENANCE)
    _footer(slide, figures, number, count)
    _notes(slide, message)
    return slide


def _title_slide(prs, figures: SessionFigures, provenance: Provenance, count: int):
    """The session's name, its period, the team and the bodies supervised; the sample warning in large red type."""
    slide = prs.slides.add_slide(prs.slide_layouts[0])  # "Title Slide"
    _white(slide)
    session = figures.session
    if provenance.is_sample:
        _sample_band(slide)
    top = 0.9
    pt = 40 if _rows(session.name, 40, CONTENT_WIDTH, bold=True) <= 2 else 32
    height = _height([session.name], pt, CONTENT_WIDTH, bold=True, bullets=False) - pt * SPACE_AFTER / 72
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (Inches(MARGIN), Inches(top), Inches(CONTENT_WIDTH),
                                                        Inches(height))
    title.text_frame.clear()
    _fill_text(title.text_frame, [session.name], pt, bold=True, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.BOTTOM)
    top += height + 0.25
    lines = [f"Kỳ giám sát: {figures.period.label}"]
    if session.comparison is not None:
        lines.append(f"So với: {session.comparison.label}")
    lines += [text for text in (session.team, f"Đối tượng giám sát: {session.bodies}" if session.bodies else "")
              if text]
    pt = 24
    height = _height(lines, pt, CONTENT_WIDTH, bullets=False)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = Inches(MARGIN), Inches(top)
    subtitle.width, subtitle.height = Inches(CONTENT_WIDTH), Inches(height)
    subtitle.text_frame.clear()
    _fill_text(subtitle.text_frame, lines, pt, colour=TEXT, align=PP_ALIGN.LEFT)
    top += height + 0.25
    if provenance.is_sample:
        pt = 36
        height = _height([SAMPLE_WARNING], pt, CONTENT_WIDTH, bold=True, bullets=False) + 0.2
        warning = _text_box(slide, MARGIN, top, CONTENT_WIDTH, height, [SAMPLE_WARNING], pt, bold=True,
                            colour=SAMPLE_RED, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.MIDDLE)
        warning.text_frame.paragraphs[0].space_after = Pt(0)
        warning.line.color.rgb = _rgb(SAMPLE_RED)
        warning.line.width = Pt(3)
        warning.name = "Cảnh báo dữ liệu mẫu"
        top += height + 0.25
    _text_box(slide, MARGIN, max(top, 6.2), CONTENT_WIDTH, 0.5, [f"Lập ngày {provenance.made_at:%d/%m/%Y}"], 18,
              colour=SECONDARY)
    _footer(slide, figures, 1, count)
    return slide


def slides_pptx(figures: SessionFigures, provenance: Provenance) -> bytes:
    """The session's deck as a .pptx file's bytes: a title slide, then the presentation's slides in order."""
    messages = deck(figures, provenance)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
    count = len(messages) + 1
    core = prs.core_properties
    core.title = _plain(f"{figures.session.name} – {figures.period.label}")
    core.subject = "Kết quả giám sát giải quyết thủ tục hành chính"
    core.language = LANGUAGE
    core.keywords = "dữ liệu mẫu" if provenance.is_sample else ""
    _title_slide(prs, figures, provenance, count)
    for number, message in enumerate(messages, start=2):
        _content_slide(prs, message, figures, provenance.is_sample, number, count)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
