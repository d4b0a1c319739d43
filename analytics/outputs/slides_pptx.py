"""The meeting room's slides as a PowerPoint deck: the presentation mode's messages, one per slide, with native charts.

A title slide (the session's title, the team, the bodies supervised, the period, the date made), then the slides of
`slides.deck()` in order: the title, the headline sentence in large type, the bullets and, where the message has
numbers, a native PowerPoint chart (python-pptx `add_chart`: the numbers sit in the chart's own workbook, so a
secretary can still edit them and their colours; never a picture). Every slide's footer says where the figures come
from in words (`slides.source_line`); the fingerprints and the software's version go in the last slide's notes. A
deck made from the sample data says so in large red letters on the title slide and in a red band on every slide.

Nothing is computed here: the sentences come from `slides.deck()` and every charted value is a SessionFigures value,
laid out as it is. Only the layout is worked out, with `pptx_text`'s estimates: the largest type that fits, never
under MIN_BODY_PT; what does not fit at that size goes on to a slide of its own ("(tiếp)"), so no text is ever cut
or runs off a slide. Type is sized for the back of a room (headlines 28–32 pt, bullets 18–24 pt, 16 pt at the very
least), dark on white, in Arial (Liberation Sans, its metric twin, where Arial is not installed); colours are the
app's Okabe–Ito palette.
"""
from __future__ import annotations

import dataclasses
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

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
from analytics.outputs import pptx_text as text
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
    provenance_details,
    source_line,
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
FOOTER_TOP, FOOTER_HEIGHT = 6.98, 0.5  # the source line: up to two lines
FOOTER_INSET = 0.02                   # the footer's inner margin above and below
PAGE_NUMBER_WIDTH = 0.9
BODY_BOTTOM = 6.9

TITLE_PT = 24
HEADLINE_PT = (32, 30, 28)            # the headline sentence, largest that fits in three lines
BULLET_PT = (24, 22, 20, 18)          # bullets: the sizes a room reads well
MIN_BODY_PT = 16                      # never smaller: what does not fit at 16 pt goes on to the next slide
BODY_PT = BULLET_PT + (MIN_BODY_PT,)
FOOTER_PT = (12, 11, 10)              # the source line, in at most two lines
CARD_FIGURE_PT, CARD_CAPTION_PT = 48, 18  # the headline slide's three figures and what each is
CARD_HEIGHT, CARD_GAP, CARD_GAP_PT = 2.0, 0.3, 6
CARD_WIDTH = (CONTENT_WIDTH - 2 * CARD_GAP) / 3
TITLE_SLIDE_HEADING_PT = (40, 36, 32, 28)
TITLE_SLIDE_LINES_PT = (24, 22, 20, 18)
SAMPLE_TITLE_PT = 36
CHART_PT, CHART_TITLE_PT = 16, 18
CHART_WIDTHS = (7.3, 6.6, 5.9, 5.2)   # inches: a chart beside its text narrows until the text fits
GUTTER = 0.3
MIN_CHART_HEIGHT = 2.8                # inches: a chart with its text under it keeps at least this height
LABELLED_POINTS = 12                  # a trend of more months shows its values on the axis, not on each point
CONTINUED = " (tiếp)"                 # the title of a slide that goes on with the previous one's lines

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
LABEL_ROOM = 1.45                     # a count axis runs this far past the longest bar: its label fits beside it


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _one_line(value) -> str:
    """Text from the data as one line of plain text: control characters (which XML cannot hold, and line breaks
    inside a name) become a space."""
    return _CONTROL.sub(" ", str(value))


def _value(x):
    """A figure as a chart value: None (a gap, not a zero) when there is nothing under it."""
    return None if x is None or pd.isna(x) else float(x)


# --------------------------------------------------------------------------------------------- text boxes

def _style_run(run, pt: float, bold: bool = False, colour: str = TEXT) -> None:
    font = run.font
    font.name, font.size, font.bold = FONT, Pt(pt), bold
    font.color.rgb = _rgb(colour)
    run._r.get_or_add_rPr().set("lang", LANGUAGE)


def _bullet(paragraph, pt: float) -> None:
    """A round bullet hanging in the left margin."""
    pPr = paragraph._p.get_or_add_pPr()
    indent = Pt(pt * text.BULLET_INDENT)
    pPr.set("marL", str(int(indent)))
    pPr.set("indent", str(-int(indent)))
    pPr.append(pPr.makeelement(qn("a:buFont"), {"typeface": FONT}))
    pPr.append(pPr.makeelement(qn("a:buChar"), {"char": "•"}))


def _frame(frame, anchor=MSO_ANCHOR.TOP, inset: float = text.INSET) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(text.INSET)
    frame.margin_top = frame.margin_bottom = Inches(inset)


def _add_paragraph(frame, first: bool, value: str, pt: float, *, bold: bool = False, colour: str = TEXT,
                   bullet: bool = False, align=None, space_after: float = 0.0):
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    paragraph.line_spacing = 1.0
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(space_after)
    if align is not None:
        paragraph.alignment = align
    if bullet:
        _bullet(paragraph, pt)
    run = paragraph.add_run()
    run.text = _one_line(value)
    _style_run(run, pt, bold, colour)
    return paragraph


def _fill_text(frame, paragraphs, pt: float, *, bold: bool = False, colour: str = TEXT, bullets: bool = False,
               align=None, anchor=MSO_ANCHOR.TOP, space_after: float = text.SPACE_AFTER) -> None:
    """Paragraphs set as pptx_text.paragraphs measures them (single spacing, `space_after` em after each)."""
    _frame(frame, anchor)
    for i, value in enumerate(paragraphs):
        _add_paragraph(frame, i == 0, value, pt, bold=bold, colour=colour, bullet=bullets, align=align,
                       space_after=pt * space_after)


def _text_box(slide, left, top, width, height, paragraphs, pt: float, **style):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _fill_text(box.text_frame, paragraphs, pt, **style)
    return box


def _bullets(slide, fitted: text.Fitted, box) -> None:
    """Fitted lines as bullets in their box (two columns side by side when they were fitted so)."""
    left, top, width, height = box
    column = text.column_width(width, len(fitted.columns))
    for i, lines in enumerate(fitted.columns):
        if lines:
            _text_box(slide, left + i * (column + text.COLUMN_GAP), top, column, height, lines, fitted.pt,
                      bullets=True)


# ------------------------------------------------------------------------------------------------- slide frame

def _sample_band(slide) -> None:
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(WIDTH), Inches(BAND_HEIGHT))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(SAMPLE_RED)
    band.line.fill.background()
    band.shadow.inherit = False
    _fill_text(band.text_frame, [SAMPLE_WARNING], 16, bold=True, colour="#FFFFFF", align=PP_ALIGN.CENTER,
               anchor=MSO_ANCHOR.MIDDLE, space_after=0)
    band.text_frame.margin_top = band.text_frame.margin_bottom = 0
    band.name = "Cảnh báo dữ liệu mẫu"


def _white(slide) -> None:
    """A white background, set on the slide itself (whatever the template's)."""
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = _rgb("#FFFFFF")


def _footer_size(line: str, width: float) -> float:
    """The largest footer size at which the source line takes at most two lines."""
    room = FOOTER_HEIGHT - 2 * FOOTER_INSET
    for pt in FOOTER_PT:
        if text.rows(line, pt, width) * pt * text.LINE_HEIGHT / 72 <= room:
            return pt
    return FOOTER_PT[-1]


def _footer(slide, line: str, number: int, count: int) -> None:
    """The source of the figures in words, and the slide's number."""
    width = CONTENT_WIDTH - PAGE_NUMBER_WIDTH
    pt = _footer_size(line, width)
    box = _text_box(slide, MARGIN, FOOTER_TOP, width, FOOTER_HEIGHT, [line], pt, colour=SECONDARY, space_after=0,
                    anchor=MSO_ANCHOR.BOTTOM)
    box.text_frame.margin_top = box.text_frame.margin_bottom = Inches(FOOTER_INSET)
    box.name = "Nguồn số liệu"
    number_box = _text_box(slide, WIDTH - MARGIN - PAGE_NUMBER_WIDTH, FOOTER_TOP, PAGE_NUMBER_WIDTH, FOOTER_HEIGHT,
                           [f"{number}/{count}"], FOOTER_PT[0], colour=SECONDARY, align=PP_ALIGN.RIGHT,
                           anchor=MSO_ANCHOR.BOTTOM, space_after=0)
    number_box.text_frame.margin_top = number_box.text_frame.margin_bottom = Inches(FOOTER_INSET)


def _title(slide, value: str, top: float) -> float:
    """The slide's title in its title placeholder (PowerPoint's outline and screen readers read it); returns the
    bottom."""
    pt = TITLE_PT
    height = text.height([value], pt, CONTENT_WIDTH, bold=True, bullets=False, space_after=0)
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = (Inches(MARGIN), Inches(top), Inches(CONTENT_WIDTH),
                                                        Inches(height))
    frame = shape.text_frame
    frame.clear()
    _fill_text(frame, [value], pt, bold=True, colour=SECONDARY, align=PP_ALIGN.LEFT, space_after=0)
    return top + height


def _headline_size(sentence: str) -> float:
    for pt in HEADLINE_PT:
        if text.rows(sentence, pt, CONTENT_WIDTH, bold=True) <= 3:
            return pt
    return HEADLINE_PT[-1]


def _headline(slide, sentence: str, top: float) -> float:
    """The message in one sentence, large; returns the bottom."""
    pt = _headline_size(sentence)
    height = text.height([sentence], pt, CONTENT_WIDTH, bold=True, bullets=False, space_after=0)
    box = _text_box(slide, MARGIN, top, CONTENT_WIDTH, height, [sentence], pt, bold=True, space_after=0)
    box.name = "Thông điệp"
    return top + height


def _notes(slide, lines) -> None:
    """The speaker notes: the whole message, every line (the presenter reads what the chart shows)."""
    slide.notes_slide.notes_text_frame.text = "\n".join(_one_line(t) for t in lines)


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
    frame.text = _one_line(title)
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            _style_run(run, CHART_TITLE_PT, bold=True)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    chart.plots[0].vary_by_categories = False
    return chart


def _axis_title(axis, title: str) -> None:
    axis.has_title = True
    frame = axis.axis_title.text_frame
    frame.text = title
    for run in frame.paragraphs[0].runs:
        _style_run(run, CHART_PT, bold=False, colour=TEXT)


def _rate_axis(chart, rates, target: float | None = None, may_zoom: bool = True) -> None:
    """Percent ticks; when every rate (and the target) lies within 90%–100%, the axis starts at 90% and its title
    says so, so that the differences show; otherwise (or when not `may_zoom`) it runs from 0% to 100%."""
    known = [r for r in rates if r is not None]
    zoom = may_zoom and bool(known) and all(ZOOM_FROM <= r <= 1
                                            for r in known + ([target] if target is not None else []))
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


def _round_up(x: float) -> float:
    """A round axis end at or above x: 1, 1,5, 2, 2,5, 3, 4, 5, 6, 8 times a power of ten."""
    power = 1.0
    while power * 10 < x:
        power *= 10
    return next(power * step for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if power * step >= max(x, 1))


def _count_bars(chart, largest: float) -> None:
    """Horizontal bars of counts: read from the top, an axis from 0 with gridlines and whole numbers, running far
    enough past the longest bar for its label to sit beside it."""
    _bars_top_down(chart)
    axis = chart.value_axis
    axis.minimum_scale = 0
    axis.maximum_scale = _round_up(float(largest) * LABEL_ROOM)
    axis.major_unit = next(power * step for power in (10 ** k for k in range(9)) for step in (1, 2, 2.5, 5)
                           if power * step * 5 >= axis.maximum_scale)  # five gridlines or so, labels level
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(GRID)
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = COUNT_FORMAT, False


def month_category(label) -> str:
    """A month on the trend's axis without the word "Tháng" ("10/2018"): the axis title says they are months."""
    return _one_line(re.sub(r"^Tháng\s+", "", str(label)))


def trend_chart(slide, figures: SessionFigures, box):
    """The monthly on-time rate against the target: a line with markers (below-target months: a vermillion cross,
    the others a blue dot) and the target as a dashed second series."""
    trend, target = figures.trend, figures.session.target
    rates = [_value(r) for r in trend["on_time_rate"]]
    data = ChartData(number_format=PERCENT_FORMAT)
    data.categories = [month_category(c) for c in trend["label"]]
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
    _axis_title(chart.category_axis, "Tháng")
    return chart


def levels_chart(slide, figures: SessionFigures, box):
    """Received (3) and resolved (7) dossiers per level, as clustered horizontal bars."""
    levels = figures.by_level
    data = ChartData(number_format=COUNT_FORMAT)
    data.categories = [_one_line(c) for c in levels["name"]]
    for key in ("received_total", "resolved_total"):
        data.add_series(COLUMN_LABELS[key], [int(v) for v in levels[key]])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, box, "Hồ sơ nhận và đã giải quyết theo cấp (hồ sơ)")
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 60, 0
    for series, colour in zip(plot.series, (RECEIVED_COLOUR, RESOLVED_COLOUR)):
        _fill(series.format, colour, BAR_OUTLINE)
        _labels(series, COUNT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END)
    _count_bars(chart, max([int(v) for k in ("received_total", "resolved_total") for v in levels[k]] or [0]))
    return chart


def _unit_label(row) -> str:
    """A unit with what its rate is made of, so a unit of two dossiers is seen as such."""
    return f"{row['name']} ({fmt.number(row['numerator'])}/{fmt.number(row['denominator'])})"


def attention_chart(slide, figures: SessionFigures, box):
    """The units named for attention (judgements: below the funnel's limits, with enough dossiers to judge), worst
    first: their rates (vermillion bars below the target, blue at or above it; each with its value) beside the target
    (a dashed outline bar, named by the legend), each unit with its n/N. Units within the limits or too small to
    judge are never drawn: the slide's lines say them apart."""
    units, target = figures.attention.named, figures.session.target
    rates = [_value(r) for r in units["rate"]]
    data = ChartData(number_format=PERCENT_FORMAT)
    data.categories = [_one_line(_unit_label(row)) for row in units.to_dict("records")]
    data.add_series(RATE_HEADER, rates)
    data.add_series(f"Mục tiêu {fmt.percent(target)}", [target] * len(units))
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, box,
                   f"{RATE_HEADER} của các đơn vị dưới giới hạn kiểm soát")
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
    _labels(rate, PERCENT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END)  # the target is named by the legend
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
    data.categories = [_one_line(_period_name(figures.session.comparison)), _one_line(_period_name(figures.period))]
    data.add_series(RATE_HEADER, rates)
    chart = _chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, data, box, f"{RATE_HEADER}: hai kỳ")
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 80
    series = plot.series[0]
    _fill(series.format, RATE_COLOUR, BAR_OUTLINE)
    _fill(series.points[0].format, EARLIER_COLOUR, BAR_OUTLINE)
    _labels(series, PERCENT_FORMAT, XL_LABEL_POSITION.OUTSIDE_END)
    # Two bars from 0%: a cut axis would draw a change the interval may not support (the headline judges it).
    _rate_axis(chart, rates, may_zoom=False)
    return chart


SMALL_GROUP = " (ít hồ sơ)"


def most_late_label(row) -> str:
    """A most-late bar's label: the count with its rate over the dossiers received, "10 (6,7%)"."""
    return f"{fmt.number(row['late_total'])} ({fmt.percent(row['late_rate'])})"


def most_late_category(row) -> str:
    """A most-late bar's field, marked when it received too few dossiers for its rate to be judged."""
    return _one_line(row["name"]) + (SMALL_GROUP if row["small"] else "")


def most_late_chart(slide, figures: SessionFigures, box):
    """Late dossiers (resolved late and pending overdue) per field, most first, each bar labelled with its count and
    its rate over the dossiers received ("10 (6,7%)"): a count never goes alone."""
    fields = figures.most_late_fields
    data = ChartData(number_format=COUNT_FORMAT)
    data.categories = [most_late_category(row) for row in fields.to_dict("records")]
    data.add_series("Hồ sơ trễ hạn (đã giải quyết quá hạn và đang quá hạn)", [int(v) for v in fields["late_total"]])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, box,
                   "Lĩnh vực nhiều hồ sơ trễ hạn nhất: số hồ sơ (tỷ lệ trên số nhận giải quyết)")
    chart.has_legend = False  # one series, named by the title and the headline
    plot = chart.plots[0]
    plot.gap_width = 50
    series = plot.series[0]
    _fill(series.format, LATE_COLOUR, BAR_OUTLINE)
    for i, row in enumerate(fields.to_dict("records")):
        label = series.points[i].data_label
        frame = label.text_frame
        frame.text = _one_line(most_late_label(row))
        for run in frame.paragraphs[0].runs:
            _style_run(run, CHART_PT, bold=True)
        label.position = XL_LABEL_POSITION.OUTSIDE_END
    _count_bars(chart, max([int(v) for v in fields["late_total"]] or [0]))
    return chart


# ------------------------------------------------------------------------------------------------------- slides

def _chart_for(message: Slide, figures: SessionFigures):
    """The chart builder of a message and the lines the text beside it shows (None: no chart)."""
    if message.key == TREND and len(figures.trend):
        return trend_chart, message.lines
    if message.key == LEVELS and len(figures.by_level):
        return levels_chart, message.lines
    if message.key == ATTENTION and not figures.attention.named.empty:
        return attention_chart, message.lines
    if message.key == COMPARISON and figures.comparison is not None:
        return comparison_chart, message.lines
    if message.key == MOST_LATE and len(figures.most_late_fields):
        # The chart draws the fields' lines (name, count and rate); the text beside it lists the procedures.
        return most_late_chart, message.lines[len(figures.most_late_fields):]
    return None, message.lines


Box = tuple[float, float, float, float]  # left, top, width, height in inches


@dataclass(frozen=True)
class Page:
    """One slide of a message, laid out before it is drawn."""
    message: Slide
    title_top: float
    body_top: float
    continued: bool = False               # goes on with the lines of the slide before (its title says so)
    chart: Callable | None = None
    chart_box: Box | None = None
    lines: text.Fitted | None = None
    lines_box: Box | None = None
    cards: bool = False                   # the headline slide's three figures

    @property
    def title(self) -> str:
        return self.message.title + (CONTINUED if self.continued else "")

    @property
    def shown(self) -> list[str]:
        return [line for column in self.lines.columns for line in column] if self.lines else []


def _title_height(value: str) -> float:
    return text.height([value], TITLE_PT, CONTENT_WIDTH, bold=True, bullets=False, space_after=0)


def _headline_height(sentence: str) -> float:
    return text.height([sentence], _headline_size(sentence), CONTENT_WIDTH, bold=True, bullets=False, space_after=0)


def _flow(lines, box: Box, two_columns: bool, next_box: Box) -> tuple[text.Fitted | None, list[str]]:
    """The lines in a box at the largest size that fits; when they do not fit at MIN_BODY_PT, as many of the first
    ones as fit, the rest returned for the next slide, whose box is `next_box` (a line too tall for one column of
    it cut in pieces first, so that every slide holds at least one)."""
    lines = list(lines)
    if not lines:
        return None, []
    width, height = box[2], box[3]
    fitted = text.fit(lines, width, height, BODY_PT, two_columns)
    if fitted is not None:
        return fitted, []
    column = text.column_width(next_box[2], 2), next_box[3]
    lines = [piece for line in lines for piece in text.pieces(line, MIN_BODY_PT, *column)]
    part = text.take(lines, MIN_BODY_PT, width, height, two_columns)
    return (part if part.count else None), lines[part.count:]


def _chart_layout(lines, top: float, height: float):
    """(the chart's box, the text's box, the lines fitted in it, the lines left over), the first that works of: the
    text beside the widest chart that leaves it 18 pt or more (a chart keeps the body's whole height: its title,
    legend and axis labels take a good part of it); under a chart at least MIN_CHART_HEIGHT high; the same two at
    16 pt; else the chart takes the slide alone and its lines go on to the next slide."""
    lines = list(lines)
    whole = (MARGIN, top, CONTENT_WIDTH, height)
    if not lines:
        return whole, None, None, []

    def below(sizes, chart_height: float):
        for pt in sizes:
            need = text.height(lines, pt, CONTENT_WIDTH)
            if need <= height - chart_height - GUTTER:
                chart = height - need - GUTTER
                return ((MARGIN, top, CONTENT_WIDTH, chart), (MARGIN, top + chart + GUTTER, CONTENT_WIDTH, need),
                        text.Fitted(pt, [lines]), [])
        return None

    for sizes in (BULLET_PT, (MIN_BODY_PT,)):
        for width in CHART_WIDTHS:
            box = (MARGIN + width + GUTTER, top, CONTENT_WIDTH - width - GUTTER, height)
            fitted = text.fit(lines, box[2], height, sizes)
            if fitted is not None:
                return (MARGIN, top, width, height), box, fitted, []
        under = below(sizes, MIN_CHART_HEIGHT)
        if under is not None:
            return under
    return whole, None, None, lines


def _card_paragraphs(figures: SessionFigures, caption_pt: float) -> list[tuple[str, list[text.Paragraph]]]:
    """The headline slide's three figures (the rate and what it is made of, received, pending overdue), each as the
    paragraphs of its card."""
    rate, total, target = figures.rate, figures.total, figures.session.target
    what = fmt.DENOMINATOR_WORDS.get(rate.definition.name, "hồ sơ")
    cards = [(fmt.percent(rate.value), [f"đúng hạn ({fmt.number(rate.numerator)}/{fmt.number(rate.denominator)} "
                                        f"{what})", f"mục tiêu {fmt.percent(target)}"]),
             (fmt.number(total["received_total"]), ["hồ sơ nhận giải quyết (3)"]),
             (fmt.number(total["pending_overdue"]), ["hồ sơ đang giải quyết quá hạn (13)"])]
    return [(figure, [text.Paragraph(figure, CARD_FIGURE_PT, True, 0, CARD_GAP_PT)]
             + [text.Paragraph(c, caption_pt) for c in caption]) for figure, caption in cards]


def _caption_size(figures: SessionFigures) -> float:
    """The cards' caption size: 18 pt when every card holds its text, else 16."""
    for pt in (CARD_CAPTION_PT, MIN_BODY_PT):
        if all(text.box_height(p, CARD_WIDTH) <= CARD_HEIGHT for _, p in _card_paragraphs(figures, pt)):
            return pt
    return MIN_BODY_PT


def _figure_cards(slide, figures: SessionFigures, top: float) -> None:
    """The headline slide's three figures in large type, each with what it is."""
    for i, (_, paragraphs) in enumerate(_card_paragraphs(figures, _caption_size(figures))):
        left = MARGIN + i * (CARD_WIDTH + CARD_GAP)
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(CARD_WIDTH),
                                      Inches(CARD_HEIGHT))
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb("#F2F2F2")
        card.line.color.rgb = _rgb("#BFBFBF")
        card.shadow.inherit = False
        frame = card.text_frame
        _frame(frame, MSO_ANCHOR.MIDDLE)
        for n, p in enumerate(paragraphs):
            _add_paragraph(frame, n == 0, p.text, p.pt, bold=p.bold, colour=TEXT if n == 0 else SECONDARY,
                           align=PP_ALIGN.CENTER, space_after=p.space_after_pt)


def pages(message: Slide, figures: SessionFigures, sample: bool) -> list[Page]:
    """The slides a message takes: one, and more only when its lines do not fit at MIN_BODY_PT."""
    title_top = BAND_HEIGHT + 0.12 if sample else 0.35
    top = title_top + _title_height(message.title) + 0.05 + _headline_height(message.headline) + 0.2
    height = BODY_BOTTOM - top
    next_top = title_top + _title_height(message.title + CONTINUED) + 0.25  # a slide that goes on: no headline
    next_box = (MARGIN, next_top, CONTENT_WIDTH, BODY_BOTTOM - next_top)
    build, lines = _chart_for(message, figures)
    first = Page(message, title_top, top)
    if message.key == HEADLINE:
        below = top + CARD_HEIGHT + 0.25
        box = (MARGIN, below, CONTENT_WIDTH, BODY_BOTTOM - below)
        fitted, rest = _flow(lines, box, False, next_box)
        out = [dataclasses.replace(first, cards=True, lines=fitted, lines_box=box)]
    elif build is not None:
        chart_box, box, fitted, rest = _chart_layout(lines, top, height)
        out = [dataclasses.replace(first, chart=build, chart_box=chart_box, lines=fitted, lines_box=box)]
    else:
        box = (MARGIN, top, CONTENT_WIDTH, height)
        fitted, rest = _flow(lines, box, True, next_box)
        out = [dataclasses.replace(first, lines=fitted, lines_box=box)]
    while rest:
        fitted, left = _flow(rest, next_box, True, next_box)
        if fitted is None:  # cannot happen (every piece fits a column of next_box): never loop, never drop a line
            fitted, left = text.Fitted(MIN_BODY_PT, [rest[:1]]), rest[1:]
        out.append(Page(message, title_top, next_top, continued=True, lines=fitted, lines_box=next_box))
        rest = left
    return out


def _draw(prs, page: Page, figures: SessionFigures, sample: bool, footer: str, number: int, count: int,
          notes: list[str]):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    _white(slide)
    if sample:
        _sample_band(slide)
    bottom = _title(slide, page.title, page.title_top)
    if not page.continued:
        _headline(slide, page.message.headline, bottom + 0.05)
    if page.cards:
        _figure_cards(slide, figures, page.body_top)
    if page.chart is not None:
        page.chart(slide, figures, page.chart_box)
    if page.lines is not None:
        _bullets(slide, page.lines, page.lines_box)
    _footer(slide, footer, number, count)
    _notes(slide, notes)
    return slide


def _title_layout(heading: str, lines: list[str], sample: bool):
    """(heading size, lines' size): the largest that fit above the footer, the heading in at most three lines."""
    top = BAND_HEIGHT + 0.4 if sample else 0.8
    room = FOOTER_TOP - 0.15 - top - (_sample_box_height() + 0.3 if sample else 0)
    sizes = [pt for pt in TITLE_SLIDE_HEADING_PT if text.rows(heading, pt, CONTENT_WIDTH, bold=True) <= 3] \
        or [TITLE_SLIDE_HEADING_PT[-1]]
    for heading_pt in sizes:
        for lines_pt in TITLE_SLIDE_LINES_PT:
            need = (text.height([heading], heading_pt, CONTENT_WIDTH, bold=True, bullets=False, space_after=0) + 0.3
                    + text.height(lines, lines_pt, CONTENT_WIDTH, bullets=False))
            if need <= room:
                return top, heading_pt, lines_pt
    return top, sizes[-1], TITLE_SLIDE_LINES_PT[-1]


def _sample_box_height() -> float:
    return text.height([SAMPLE_WARNING], SAMPLE_TITLE_PT, CONTENT_WIDTH, bold=True, bullets=False, space_after=0) \
        + 0.2


def title_lines(figures: SessionFigures, provenance: Provenance) -> list[str]:
    """Under the title: the period (and the comparison), the team, the bodies supervised, the date made."""
    session = figures.session
    lines = [f"Kỳ giám sát: {figures.period.label}"]
    if figures.comparison is not None:
        lines.append(f"So với: {session.comparison.label}")
    lines += [t for t in (session.team, f"Đối tượng giám sát: {session.bodies}" if session.bodies else "") if t]
    lines.append(f"Lập ngày {provenance.made_at:%d/%m/%Y}")
    return lines


def _title_slide(prs, figures: SessionFigures, provenance: Provenance, footer: str, count: int):
    """The session's title, its period, the team, the bodies supervised and the date; the sample warning in large red
    type."""
    slide = prs.slides.add_slide(prs.slide_layouts[0])  # "Title Slide"
    _white(slide)
    session, sample = figures.session, provenance.is_sample
    if sample:
        _sample_band(slide)
    heading, lines = session.heading, title_lines(figures, provenance)
    top, heading_pt, lines_pt = _title_layout(heading, lines, sample)
    height = text.height([heading], heading_pt, CONTENT_WIDTH, bold=True, bullets=False, space_after=0)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (Inches(MARGIN), Inches(top), Inches(CONTENT_WIDTH),
                                                        Inches(height))
    title.text_frame.clear()
    _fill_text(title.text_frame, [heading], heading_pt, bold=True, align=PP_ALIGN.LEFT, space_after=0)
    top += height + 0.3
    height = text.height(lines, lines_pt, CONTENT_WIDTH, bullets=False)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = Inches(MARGIN), Inches(top)
    subtitle.width, subtitle.height = Inches(CONTENT_WIDTH), Inches(height)
    subtitle.text_frame.clear()
    _fill_text(subtitle.text_frame, lines, lines_pt, colour=TEXT, align=PP_ALIGN.LEFT)
    top += height + 0.3
    if sample:
        warning = _text_box(slide, MARGIN, top, CONTENT_WIDTH, _sample_box_height(), [SAMPLE_WARNING],
                            SAMPLE_TITLE_PT, bold=True, colour=SAMPLE_RED, align=PP_ALIGN.LEFT,
                            anchor=MSO_ANCHOR.MIDDLE, space_after=0)
        warning.line.color.rgb = _rgb(SAMPLE_RED)
        warning.line.width = Pt(3)
        warning.name = "Cảnh báo dữ liệu mẫu"
    _footer(slide, footer, 1, count)
    _notes(slide, [heading, *lines, f"Mã đợt giám sát: {session.name}"])
    return slide


def slides_pptx(figures: SessionFigures, provenance: Provenance) -> bytes:
    """The session's deck as a .pptx file's bytes: a title slide, then the presentation's slides in order (a message
    whose lines do not fit on one slide goes on to the next)."""
    messages, sample = deck(figures, provenance), provenance.is_sample
    laid_out = [page for message in messages for page in pages(message, figures, sample)]
    footer = source_line(figures, provenance)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
    count = len(laid_out) + 1
    core = prs.core_properties
    core.title = _one_line(f"{figures.session.heading} – {figures.period.label}")
    core.subject = "Kết quả giám sát giải quyết thủ tục hành chính"
    core.language = LANGUAGE
    core.keywords = "dữ liệu mẫu" if sample else ""
    _title_slide(prs, figures, provenance, footer, count)
    for number, page in enumerate(laid_out, start=2):
        message = page.message
        if page.continued:
            notes = [page.title, *page.shown]
        else:
            notes = [message.headline, *message.lines]
            if message.key == PROVENANCE:
                notes += ["Dấu vân tay (SHA-256) của từng tệp và phiên bản phần mềm:", *provenance_details(provenance)]
        _draw(prs, page, figures, sample, footer, number, count, notes)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
