"""The slides (PPTX): read back with python-pptx, every slide carries its deck message, every chart is a native chart
whose values are the core's; the sample says so on every slide; no applicant's data; LibreOffice opens the file."""
import dataclasses
import datetime as dt
import html
import io
import math
import re
import time
import zipfile

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches, Pt

from analytics.model.session import SourceFile
from analytics.outputs import slides_pptx as pptx_out
from analytics.outputs.slides import ATTENTION, COMPARISON, LEVELS, MOST_LATE, PROVENANCE, SAMPLE_WARNING, TREND, deck
from tests.session_fixtures import ROOT, office_pdf_text, sample_session

APPLICANT_HEADERS = {"Chủ hồ sơ", "Người nộp", "Số điện thoại", "Địa chỉ"}


@pytest.fixture(scope="module")
def session():
    return sample_session()


@pytest.fixture(scope="module")
def built(session):
    return pptx_out.slides_pptx(*session)


@pytest.fixture(scope="module")
def prs(built):
    return Presentation(io.BytesIO(built))


@pytest.fixture(scope="module")
def messages(session):
    return deck(*session)


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def slide_of(prs, messages, key):
    """The slide drawn for a deck message (the title slide comes first)."""
    index = next(i for i, m in enumerate(messages) if m.key == key)
    return prs.slides[index + 1]


def as_values(series) -> list:
    """A chart series' values (None for a gap)."""
    return list(series.values)


def core_values(values) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else pytest.approx(float(v))
            for v in values]


# --- One slide per message, in order, readable ---------------------------------------------------------------------

def test_a_title_slide_then_one_slide_per_deck_message_in_order(prs, messages):
    assert len(prs.slides) == len(messages) + 1
    for slide, message in zip(list(prs.slides)[1:], messages):
        text = slide_text(slide)
        assert message.headline in text
        assert slide.shapes.title.text_frame.text == message.title
        assert message.headline in slide.notes_slide.notes_text_frame.text


def test_sixteen_by_nine(prs):
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))


def test_the_title_slide_names_the_session_period_team_and_bodies(prs, session):
    figures, _ = session
    text = slide_text(prs.slides[0])
    for wanted in (figures.session.name, figures.period.label, figures.session.team, figures.session.bodies,
                   figures.session.comparison.label):
        assert wanted in text


def test_headlines_large_bullets_readable_dark_arial_on_white(prs, messages):
    for slide, message in zip(list(prs.slides)[1:], messages):
        runs = [run for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs
                for run in p.runs]
        headline = [r for r in runs if r.text == message.headline]
        assert headline and all(r.font.size >= Pt(28) and r.font.bold for r in headline)
        assert all(str(r.font.color.rgb) == "222222" for r in headline)
        for line in message.lines:
            shown = [r for r in runs if r.text == line]
            if shown:  # MOST_LATE's field lines are drawn by its chart
                assert all(r.font.size >= Pt(18) for r in shown), (message.key, line)
        assert all(r.font.name == "Arial" for r in runs)
    for slide in prs.slides:
        assert str(slide.background.fill.fore_color.rgb) == "FFFFFF"


def test_every_line_of_every_message_is_on_its_slide_or_its_chart(prs, messages, session):
    figures, _ = session
    for slide, message in zip(list(prs.slides)[1:], messages):
        text = slide_text(slide)
        missing = [line for line in message.lines if line not in text]
        if message.key == MOST_LATE:  # the field lines: the chart's categories and values
            assert len(missing) == len(figures.most_late_fields)
            chart = charts(slide)[0]
            assert list(chart.plots[0].categories) == list(figures.most_late_fields["name"])
        else:
            assert not missing, (message.key, missing)


def test_text_stays_on_the_slide(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width + 1 and shape.top + shape.height <= prs.slide_height + 1


# --- Native charts with the core's numbers ------------------------------------------------------------------------

def test_charts_are_native_charts_never_pictures(prs, messages):
    for slide in prs.slides:
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    with_charts = {m.key for slide, m in zip(list(prs.slides)[1:], messages) if charts(slide)}
    assert with_charts == {TREND, LEVELS, ATTENTION, COMPARISON, MOST_LATE}


def test_the_trend_chart_is_the_monthly_rate_against_the_target(prs, messages, session):
    figures, _ = session
    chart = charts(slide_of(prs, messages, TREND))[0]
    rate, target = chart.plots[0].series
    assert list(chart.plots[0].categories) == list(figures.trend["label"])
    assert as_values(rate) == core_values(figures.trend["on_time_rate"])
    assert as_values(target) == [pytest.approx(figures.session.target)] * len(figures.trend)
    # Every monthly rate lies within 90%–100%: the axis starts at 90% and says so.
    assert figures.trend["on_time_rate"].between(0.9, 1).all()
    axis = chart.value_axis
    assert (axis.minimum_scale, axis.maximum_scale) == (pytest.approx(0.9), pytest.approx(1.0))
    assert "trục bắt đầu từ 90%" in axis.axis_title.text_frame.text
    assert "%" in axis.tick_labels.number_format


def test_the_levels_chart_is_received_and_resolved_per_level(prs, messages, session):
    figures, _ = session
    chart = charts(slide_of(prs, messages, LEVELS))[0]
    received, resolved = chart.plots[0].series
    assert list(chart.plots[0].categories) == list(figures.by_level["name"])
    assert as_values(received) == list(figures.by_level["received_total"])
    assert as_values(resolved) == list(figures.by_level["resolved_total"])


def test_the_attention_chart_is_the_units_rates_with_the_target(prs, messages, session):
    figures, _ = session
    assert len(figures.attention)
    chart = charts(slide_of(prs, messages, ATTENTION))[0]
    rate, target = chart.plots[0].series
    assert as_values(rate) == core_values(figures.attention["rate"])
    assert as_values(target) == [pytest.approx(figures.session.target)] * len(figures.attention)
    for category, row in zip(chart.plots[0].categories, figures.attention.to_dict("records")):
        assert category.startswith(row["name"]) and f"({row['numerator']}/{row['denominator']})" in category
    assert chart.value_axis.minimum_scale == 0  # rates from 50%: the whole axis


def test_the_comparison_chart_is_the_two_periods_rates(prs, messages, session):
    figures, _ = session
    chart = charts(slide_of(prs, messages, COMPARISON))[0]
    change = figures.comparison.total
    assert as_values(chart.plots[0].series[0]) == core_values([change["rate_a"]["value"], change["rate_b"]["value"]])
    assert list(chart.plots[0].categories) == ["Năm 2018", "Quý I/2019"]


def test_the_most_late_chart_is_late_dossiers_per_field(prs, messages, session):
    figures, _ = session
    chart = charts(slide_of(prs, messages, MOST_LATE))[0]
    assert as_values(chart.plots[0].series[0]) == list(figures.most_late_fields["late_total"])


def test_chart_labels_use_number_formats_in_vietnamese_and_the_apps_colours(prs, messages):
    xml = "".join(chart._chartSpace.xml for slide in prs.slides for chart in charts(slide))
    assert "[$-42A]0.0%" in xml and "[$-42A]#,##0" in xml
    colours = set(re.findall(r'srgbClr val="([0-9A-F]{6})"', xml))
    assert {"0072B2", "D55E00"} <= colours


def test_the_charts_workbooks_hold_the_numbers_as_text_safe_cells(session):
    figures, provenance = session
    odd = "=HYPERLINK(\"http://x\",\"y\")"
    fields = figures.most_late_fields.assign(name=[odd] + list(figures.most_late_fields["name"][1:]))
    built = pptx_out.slides_pptx(dataclasses.replace(figures, most_late_fields=fields), provenance)
    with zipfile.ZipFile(io.BytesIO(built)) as package:
        books = [package.read(n) for n in package.namelist() if n.endswith(".xlsx")]
    assert len(books) == 5
    cells = []
    for book in books:
        sheet = openpyxl.load_workbook(io.BytesIO(book)).active
        cells += [c for row in sheet.iter_rows() for c in row if c.value is not None]
    odd_cells = [c for c in cells if c.value == odd]
    assert odd_cells and all(c.data_type == "s" for c in odd_cells)


def test_text_from_the_data_goes_in_as_plain_text(session):
    figures, provenance = session
    odd = '<a:t>Đoàn & "giám sát"\x0b =HYPERLINK("x")\nhai\x01'
    plain = '<a:t>Đoàn & "giám sát"  =HYPERLINK("x") hai '
    fields = figures.most_late_fields.assign(name=[odd] + list(figures.most_late_fields["name"][1:]))
    strange = dataclasses.replace(figures, most_late_fields=fields,
                                  session=dataclasses.replace(figures.session, name=odd, team=odd))
    prs = Presentation(io.BytesIO(pptx_out.slides_pptx(strange, provenance)))
    assert prs.slides[0].shapes.title.text_frame.text == plain
    assert plain in slide_text(prs.slides[0])
    chart = charts(slide_of(prs, deck(strange, provenance), MOST_LATE))[0]
    assert chart.plots[0].categories[0] == plain


# --- The sample says so; no personal data ------------------------------------------------------------------------

def test_the_sample_says_so_in_large_red_letters_and_on_every_slide(prs):
    title_runs = [run for shape in prs.slides[0].shapes if shape.has_text_frame
                  for p in shape.text_frame.paragraphs for run in p.runs if run.text == SAMPLE_WARNING]
    assert any(r.font.size >= Pt(32) and r.font.bold and str(r.font.color.rgb) == "B00020" for r in title_runs)
    for slide in prs.slides:
        assert SAMPLE_WARNING in slide_text(slide)


def test_real_data_carries_no_sample_warning(session):
    figures, provenance = session
    real = dataclasses.replace(provenance, is_sample=False)
    prs = Presentation(io.BytesIO(pptx_out.slides_pptx(figures, real)))
    assert len(prs.slides) == len(deck(figures, real)) + 1
    for slide in prs.slides:
        assert "DỮ LIỆU MẪU" not in slide_text(slide)
        assert "DỮ LIỆU MẪU" not in slide.notes_slide.notes_text_frame.text


def applicant_values() -> set[str]:
    """Every applicant name, phone and address in the sample's exports (the columns under applicant headers)."""
    values = set()
    for path in sorted((ROOT / "sample_data" / "exports").glob("*.xlsx")):
        for sheet in openpyxl.load_workbook(path, read_only=True):
            rows = list(sheet.iter_rows(values_only=True))
            header = next(i for i, row in enumerate(rows) if APPLICANT_HEADERS & {str(v) for v in row})
            columns = [j for j, v in enumerate(rows[header]) if str(v) in APPLICANT_HEADERS]
            values |= {str(row[j]).strip() for row in rows[header + 1:] for j in columns
                       if j < len(row) and row[j] is not None}
    return {v for v in values if len(v) >= 6 and not (v.startswith("(") and v.endswith(")"))}


def package_text(built: bytes) -> str:
    """Every XML part of the deck, the charts' embedded workbooks included, with entities decoded."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(built)) as package:
        for name in package.namelist():
            data = package.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as book:
                    parts += [book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml")]
            elif name.endswith((".xml", ".rels")):
                parts.append(data.decode("utf-8", "replace"))
    return html.unescape("\n".join(parts))


def test_no_applicant_names_phones_or_addresses_anywhere(built, prs):
    values = applicant_values()
    assert len(values) > 500 and any(v.isdigit() for v in values)
    text = package_text(built) + "\n".join(slide_text(s) + s.notes_slide.notes_text_frame.text for s in prs.slides)
    found = sorted(v for v in values if v in text)
    assert not found, found[:5]


# --- Other sessions: no comparison, long lists ----------------------------------------------------------------------

def test_without_a_comparison_period_there_is_no_comparison_slide(session):
    figures, provenance = session
    alone = dataclasses.replace(figures, comparison=None,
                                session=dataclasses.replace(figures.session, compare_start=None, compare_end=None))
    messages = deck(alone, provenance)
    prs = Presentation(io.BytesIO(pptx_out.slides_pptx(alone, provenance)))
    assert len(prs.slides) == len(messages) + 1
    assert COMPARISON not in {m.key for m in messages}
    assert "So với:" not in slide_text(prs.slides[0])


def test_a_long_provenance_is_printed_whole_in_two_columns(session):
    figures, provenance = session
    files = tuple(SourceFile(f"{n:02d}-ho-so-don-vi-rat-dai-ten-tep.xlsx", f"{n:064x}", dt.datetime(2019, 4, 1), 300)
                  for n in range(30))
    long = dataclasses.replace(provenance, files=files)
    message = deck(figures, long)[-1]
    assert message.key == PROVENANCE
    prs = Presentation(io.BytesIO(pptx_out.slides_pptx(figures, long)))
    slide = prs.slides[len(prs.slides) - 1]
    text = slide_text(slide)
    assert all(line in text for line in message.lines)
    bodies = [s for s in slide.shapes if s.has_text_frame and any(line in s.text_frame.text for line in message.lines)]
    assert len(bodies) == 2  # two columns
    for shape in bodies:
        assert shape.top + shape.height <= Inches(7.0)


def test_the_sample_deck_builds_quickly(session):
    started = time.perf_counter()
    pptx_out.slides_pptx(*session)
    assert time.perf_counter() - started < 5


# --- A real office suite -------------------------------------------------------------------------------------------

def test_libreoffice_opens_it_and_prints_the_headline(built, tmp_path, messages):
    path = tmp_path / "trinh-chieu.pptx"
    path.write_bytes(built)
    text = office_pdf_text(path, tmp_path)
    assert "95,7%" in text
    assert "DỮ LIỆU MẪU" in text
    flat = " ".join(text.split())
    assert messages[0].headline in flat
    assert "96,9%" in flat  # the comparison chart's data label, with a Vietnamese decimal comma
