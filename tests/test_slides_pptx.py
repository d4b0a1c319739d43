"""The slides (PPTX): read back with python-pptx, every slide carries its deck message, every chart is a native chart
whose values are the core's; the title slide carries the session's title; every text fits its box (estimated with
pptx_text, and in LibreOffice's rendering) at 16 pt or more; the footer says the source in words and the last
slide's notes hold the fingerprints; the sample says so on every slide; no applicant's data; LibreOffice opens it."""
import dataclasses
import html
import io
import math
import re
import subprocess
import time
import zipfile

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches, Pt

from analytics.analyses.judgements import Attention
from analytics.outputs import pptx_text as text
from analytics.outputs import slides_pptx as pptx_out
from analytics.outputs.slides import (
    ATTENTION,
    COMPARISON,
    LEVELS,
    MOST_LATE,
    PROVENANCE,
    SAMPLE_WARNING,
    TREND,
    Slide,
    deck,
    provenance_details,
    provenance_lines,
    source_line,
)
from tests.session_fixtures import ROOT, office_pdf_text, sample_session, seed_session

APPLICANT_HEADERS = {"Chủ hồ sơ", "Người nộp", "Số điện thoại", "Địa chỉ"}
DIGEST = re.compile(r"\b[0-9a-f]{64}\b")
EMU_PER_INCH, EMU_PER_PT = 914400, 12700
LONG_NOTES = tuple(f"Lưu ý {n}: tệp 2019-Q1_ho-so_don-vi-{n:02d}.xlsx có {n * 7} dòng không đọc được ngày hẹn trả, "
                   "đã bỏ qua khi tính Biểu 06 và các tỷ lệ đúng hạn" for n in range(40))  # a provenance too long


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


@pytest.fixture(scope="module")
def seed():
    figures, provenance = seed_session()
    return figures, provenance, pptx_out.slides_pptx(figures, provenance)


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def by_message(prs, messages) -> list[tuple[Slide, list]]:
    """Each deck message with the slides drawn for it: its own, then those that go on with its lines ("(tiếp)")."""
    slides, out = list(prs.slides)[1:], []
    for message in messages:
        own = [slides.pop(0)]
        assert own[0].shapes.title.text_frame.text == message.title
        while slides and slides[0].shapes.title.text_frame.text == message.title + pptx_out.CONTINUED:
            own.append(slides.pop(0))
        out.append((message, own))
    assert not slides
    return out


def slide_of(prs, messages, key):
    """The (first) slide drawn for a deck message."""
    return next(own[0] for message, own in by_message(prs, messages) if message.key == key)


def as_values(series) -> list:
    return list(series.values)


def core_values(values) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else pytest.approx(float(v))
            for v in values]


def frame_paragraphs(frame) -> list[text.Paragraph]:
    """A text frame's paragraphs as pptx_text measures them: text, size, weight, indent and space after as set."""
    out = []
    for paragraph in frame.paragraphs:
        runs = paragraph.runs
        if not runs:
            continue
        pPr = paragraph._p.pPr
        indent = int(pPr.get("marL", 0)) / EMU_PER_PT if pPr is not None else 0.0
        after = paragraph.space_after.pt if paragraph.space_after is not None else 0.0
        out.append(text.Paragraph("".join(r.text for r in runs), runs[0].font.size.pt, bool(runs[0].font.bold),
                                  indent, after, paragraph.line_spacing or 1.0))
    return out


def frame_margins(frame) -> tuple:
    return tuple(m / EMU_PER_INCH for m in (frame.margin_left, frame.margin_right, frame.margin_top,
                                            frame.margin_bottom))


def text_boxes(prs):
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                yield number, shape


def with_named_units(figures):
    """The sample's figures with two units named for attention (the sample itself has none)."""
    named = figures.units_funnel.sort_values("denominator", ascending=False).head(2).reset_index(drop=True)
    empty = named.iloc[0:0]
    return dataclasses.replace(figures, attention=Attention(named, empty, empty, figures.session.target))


# --- One slide per message, in order, readable ---------------------------------------------------------------------

def test_a_title_slide_then_each_deck_message_in_order(prs, messages):
    for message, own in by_message(prs, messages):
        assert message.headline in slide_text(own[0])
        assert message.headline in own[0].notes_slide.notes_text_frame.text


def test_sixteen_by_nine(prs):
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))


def test_the_title_slide_carries_the_sessions_title_not_its_code(seed):
    figures, provenance, built = seed
    title = Presentation(io.BytesIO(built)).slides[0]
    session = figures.session
    assert title.shapes.title.text_frame.text == session.heading
    shown = slide_text(title)
    for wanted in ("Năm 2018 và quý I/2019 (01/01/2018 – 31/03/2019)", session.team, session.bodies,
                   f"Lập ngày {provenance.made_at:%d/%m/%Y}"):
        assert wanted in shown
    assert session.name not in shown  # the short code: in the notes only
    assert session.name in title.notes_slide.notes_text_frame.text
    runs = [r for p in title.shapes.title.text_frame.paragraphs for r in p.runs]
    assert all(r.font.size >= Pt(28) and r.font.bold for r in runs)


def test_the_title_slide_names_the_comparison_when_there_is_one(prs, session):
    figures, _ = session
    assert "So với: Năm 2018 (01/01/2018 – 31/12/2018)" in slide_text(prs.slides[0])
    assert figures.session.heading == prs.slides[0].shapes.title.text_frame.text


def test_headlines_large_body_text_never_under_16_pt_dark_arial_on_white(prs, messages):
    for message, own in by_message(prs, messages):
        runs = [run for shape in own[0].shapes if shape.has_text_frame for p in shape.text_frame.paragraphs
                for run in p.runs]
        headline = [r for r in runs if r.text == message.headline]
        assert headline and all(r.font.size >= Pt(28) and r.font.bold for r in headline)
        assert all(str(r.font.color.rgb) == "222222" for r in headline)
    for number, shape in text_boxes(prs):
        if shape.name == "Nguồn số liệu" or re.fullmatch(r"\d+/\d+", shape.text_frame.text):
            continue  # the footer's quiet source line and the slide number
        for p in shape.text_frame.paragraphs:
            assert all(r.font.size >= Pt(pptx_out.MIN_BODY_PT) and r.font.name == "Arial" for r in p.runs), \
                (number, p.runs[0].text if p.runs else "")
    for slide in prs.slides:
        assert str(slide.background.fill.fore_color.rgb) == "FFFFFF"


def test_every_line_of_every_message_is_shown_once_on_its_slides_or_its_chart(prs, messages, session):
    figures, _ = session
    for message, own in by_message(prs, messages):
        shown = [p.text for slide in own for shape in slide.shapes if shape.has_text_frame
                 for p in frame_paragraphs(shape.text_frame)]
        drawn = figures.most_late_fields if message.key == MOST_LATE else ()
        lines = list(message.lines[len(drawn):])
        assert [s for s in shown if s in lines] == lines, message.key  # each once, in order
        if len(drawn):
            assert list(charts(own[0])[0].plots[0].categories) == [pptx_out.most_late_category(r)
                                                                   for r in drawn.to_dict("records")]


def test_no_text_is_taller_than_its_box_nor_off_the_slide(prs, seed):
    for deck_prs in (prs, Presentation(io.BytesIO(seed[2]))):
        for number, shape in text_boxes(deck_prs):
            frame = shape.text_frame
            need = text.box_height(frame_paragraphs(frame), shape.width / EMU_PER_INCH, frame_margins(frame))
            assert need <= shape.height / EMU_PER_INCH + 1e-6, (number, frame.text[:60])
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck_prs.slide_width + 1
            assert shape.top + shape.height <= deck_prs.slide_height + 1


def test_a_message_too_long_for_a_slide_goes_on_to_the_next_never_under_16_pt(session):
    figures, provenance = session
    long = dataclasses.replace(provenance, notes=LONG_NOTES)
    messages = deck(figures, long)
    prs = Presentation(io.BytesIO(pptx_out.slides_pptx(figures, long)))
    message, own = by_message(prs, messages)[-1]
    assert message.key == PROVENANCE and len(own) >= 3
    shown = [p.text for slide in own for shape in slide.shapes if shape.has_text_frame
             for p in frame_paragraphs(shape.text_frame) if p.text in message.lines]
    assert shown == list(message.lines)
    for slide in own:
        for shape in slide.shapes:
            if shape.has_text_frame and any(line in shape.text_frame.text for line in message.lines):
                assert all(p.pt >= pptx_out.MIN_BODY_PT for p in frame_paragraphs(shape.text_frame))
                need = text.box_height(frame_paragraphs(shape.text_frame), shape.width / EMU_PER_INCH)
                assert need <= shape.height / EMU_PER_INCH + 1e-6
    count = len(prs.slides)
    assert [s.shapes[-1].text_frame.text for s in prs.slides][-1] == f"{count}/{count}"


def test_pages_keep_every_line_in_order_when_a_text_needs_several_slides(session):
    figures, _ = session
    lines = tuple(f"Dòng {n}: " + "một câu rất dài về số liệu " * 12 for n in range(12))
    pages = pptx_out.pages(Slide("questions", "Câu hỏi", "Nhiều câu hỏi.", lines), figures, sample=False)
    assert len(pages) > 1 and not pages[0].continued and all(p.continued for p in pages[1:])
    assert [line for page in pages for line in page.shown] == list(lines)
    assert all(page.lines.pt >= pptx_out.MIN_BODY_PT for page in pages)


def test_a_line_too_long_for_any_slide_comes_in_pieces_none_lost(session):
    figures, _ = session
    line = " ".join(f"tệp-{n:03d}.xlsx" for n in range(600))
    pages = pptx_out.pages(Slide("provenance", "Nguồn số liệu", "Một dòng rất dài.", (line,)), figures, sample=True)
    shown = [piece for page in pages for piece in page.shown]
    assert len(pages) > 1 and len(shown) > 1
    assert " ".join(p.removesuffix(" …") for p in shown).split() == line.split()
    for page in pages:
        for column in page.lines.columns:
            width = text.column_width(page.lines_box[2], len(page.lines.columns))
            assert text.height(column, page.lines.pt, width) <= page.lines_box[3] + 1e-6


# --- Footer, notes, provenance ---------------------------------------------------------------------------------

def test_every_footer_says_the_source_in_words_and_the_slide_number(prs, session):
    figures, provenance = session
    line = source_line(figures, provenance)
    count = len(prs.slides)
    for number, slide in enumerate(prs.slides, start=1):
        footer = [s for s in slide.shapes if s.name == "Nguồn số liệu"]
        assert len(footer) == 1 and footer[0].text_frame.text == line
        assert f"{number}/{count}" in slide_text(slide)
        assert not DIGEST.search(slide_text(slide))  # no fingerprint on any slide


def test_the_last_slides_notes_hold_the_fingerprints_and_the_version(prs, messages, session):
    _, provenance = session
    message, own = by_message(prs, messages)[-1]
    assert message.key == PROVENANCE
    notes = own[0].notes_slide.notes_text_frame.text
    for source in provenance.files:
        assert source.sha256 in notes
    for line in provenance_details(provenance):
        assert line in notes
    assert provenance.version in notes and provenance.version not in slide_text(own[0])
    for line in provenance_lines(provenance, session[0]):
        assert line in slide_text(own[0])


# --- Native charts with the core's numbers ------------------------------------------------------------------------

def test_charts_are_native_charts_never_pictures(prs, messages):
    for slide in prs.slides:
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    with_charts = {m.key for m, own in by_message(prs, messages) if charts(own[0])}
    assert with_charts == {TREND, LEVELS, COMPARISON, MOST_LATE}  # no unit is named for attention in the sample


def test_the_trend_chart_is_the_monthly_rate_against_the_target(prs, messages, session):
    figures, _ = session
    chart = charts(slide_of(prs, messages, TREND))[0]
    rate, target = chart.plots[0].series
    assert list(chart.plots[0].categories) == ["1/2019", "2/2019", "3/2019"]  # the axis title says "Tháng"
    assert chart.category_axis.axis_title.text_frame.text == "Tháng"
    assert as_values(rate) == core_values(figures.trend["on_time_rate"])
    assert as_values(target) == [pytest.approx(figures.session.target)] * len(figures.trend)
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
    assert chart.value_axis.maximum_scale > max(figures.by_level["received_total"])  # room for the labels


def test_without_a_unit_named_for_attention_there_is_no_chart_and_the_lines_say_why(prs, messages, session):
    figures, _ = session
    assert figures.attention.named.empty and len(figures.attention.too_small)
    slide = slide_of(prs, messages, ATTENTION)
    assert not charts(slide)
    assert "quá ít để đánh giá, không nêu tên" in slide_text(slide)


def test_the_attention_chart_draws_only_the_units_named(session):
    figures, provenance = session
    named = with_named_units(figures)
    prs = Presentation(io.BytesIO(pptx_out.slides_pptx(named, provenance)))
    chart = charts(slide_of(prs, deck(named, provenance), ATTENTION))[0]
    rate, target = chart.plots[0].series
    units = named.attention.named
    assert as_values(rate) == core_values(units["rate"])
    assert as_values(target) == [pytest.approx(figures.session.target)] * len(units)
    for category, row in zip(chart.plots[0].categories, units.to_dict("records")):
        assert category == f"{row['name']} ({row['numerator']}/{row['denominator']})"


def test_the_comparison_chart_is_the_two_periods_rates(prs, messages, session):
    figures, _ = session
    chart = charts(slide_of(prs, messages, COMPARISON))[0]
    change = figures.comparison.total
    assert as_values(chart.plots[0].series[0]) == core_values([change["rate_a"]["value"], change["rate_b"]["value"]])
    assert list(chart.plots[0].categories) == ["Năm 2018", "Quý I/2019"]


def test_the_most_late_chart_labels_each_count_with_its_rate(prs, messages, session):
    figures, _ = session
    fields = figures.most_late_fields
    chart = charts(slide_of(prs, messages, MOST_LATE))[0]
    series = chart.plots[0].series[0]
    assert as_values(series) == list(fields["late_total"])
    labels = [series.points[i].data_label.text_frame.text for i in range(len(fields))]
    assert labels[0] == "10 (6,7%)"  # Đất đai: 10 late of 149 received
    assert labels == [f"{r['late_total']} ({str(round(100 * r['late_rate'], 1)).replace('.', ',')}%)"
                      for r in fields.to_dict("records")]
    small = fields[fields["small"]]
    assert len(small) and all(f"{name} (ít hồ sơ)" in list(chart.plots[0].categories) for name in small["name"])


def test_chart_labels_use_number_formats_in_vietnamese_and_the_apps_colours(prs):
    xml = "".join(chart._chartSpace.xml for slide in prs.slides for chart in charts(slide))
    assert "[$-42A]0.0%" in xml and "[$-42A]#,##0" in xml
    colours = set(re.findall(r'srgbClr val="([0-9A-F]{6})"', xml))
    assert {"0072B2", "D55E00"} <= colours


def test_the_charts_workbooks_hold_the_names_as_text_safe_cells(session):
    figures, provenance = session
    odd = "=HYPERLINK(\"http://x\",\"y\")"
    fields = figures.most_late_fields.assign(name=[odd] + list(figures.most_late_fields["name"][1:]))
    built = pptx_out.slides_pptx(dataclasses.replace(with_named_units(figures), most_late_fields=fields), provenance)
    with zipfile.ZipFile(io.BytesIO(built)) as package:
        books = [package.read(n) for n in package.namelist() if n.endswith(".xlsx")]
    assert len(books) == 5
    cells = []
    for book in books:
        sheet = openpyxl.load_workbook(io.BytesIO(book)).active
        cells += [c for row in sheet.iter_rows() for c in row if c.value is not None]
    odd_cells = [c for c in cells if c.value == odd]
    assert odd_cells and all(c.data_type == "s" for c in odd_cells)
    assert all(c.data_type != "f" for c in cells)


def test_text_from_the_data_goes_in_as_plain_text(session):
    figures, provenance = session
    odd = '<a:t>Đoàn & "giám sát"\x0b =HYPERLINK("x")\nhai\x01'
    plain = '<a:t>Đoàn & "giám sát"  =HYPERLINK("x") hai '
    fields = figures.most_late_fields.assign(name=[odd] + list(figures.most_late_fields["name"][1:]))
    strange = dataclasses.replace(figures, most_late_fields=fields,
                                  session=dataclasses.replace(figures.session, title=odd, team=odd))
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
    assert len(by_message(prs, deck(figures, real))) == len(deck(figures, real))
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
    text_all = package_text(built) + "\n".join(slide_text(s) + s.notes_slide.notes_text_frame.text
                                               for s in prs.slides)
    found = sorted(v for v in values if v in text_all)
    assert not found, found[:5]


# --- Other sessions: no comparison ----------------------------------------------------------------------------------

def test_without_a_comparison_period_there_is_no_comparison_slide(session):
    figures, provenance = session
    alone = dataclasses.replace(figures, comparison=None,
                                session=dataclasses.replace(figures.session, compare_start=None, compare_end=None))
    messages = deck(alone, provenance)
    prs = Presentation(io.BytesIO(pptx_out.slides_pptx(alone, provenance)))
    assert COMPARISON not in {m.key for m, _ in by_message(prs, messages)}
    assert "So với:" not in slide_text(prs.slides[0])


def test_the_sample_deck_builds_quickly(session):
    started = time.perf_counter()
    pptx_out.slides_pptx(*session)
    assert time.perf_counter() - started < 5


# --- A real office suite -------------------------------------------------------------------------------------------

def test_libreoffice_opens_it_and_prints_the_headline(built, tmp_path, messages):
    path = tmp_path / "trinh-chieu.pptx"
    path.write_bytes(built)
    got = office_pdf_text(path, tmp_path)
    assert "95,7%" in got and "DỮ LIỆU MẪU" in got
    flat = " ".join(got.split())
    assert messages[0].headline in flat
    assert "96,9%" in flat  # the comparison chart's data label, with a Vietnamese decimal comma
    assert "10 (6,7%)" in flat  # the most-late chart's label, a count with its rate


def _words(pdf) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (points, from the top left), as LibreOffice drew them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


@pytest.mark.parametrize("which", ["seed", "named units, long provenance"])
def test_no_slide_overflows_in_libreoffice(which, seed, session, tmp_path):
    """The deck drawn by LibreOffice: one page a slide; every word on the page; under the body's bottom only the
    footer's words (the source line and the slide number)."""
    if which == "seed":
        figures, provenance, built = seed
    else:
        figures, provenance = with_named_units(session[0]), dataclasses.replace(session[1], notes=LONG_NOTES)
        built = pptx_out.slides_pptx(figures, provenance)
    path = tmp_path / "deck.pptx"
    path.write_bytes(built)
    office_pdf_text(path, tmp_path)
    pages = _words(tmp_path / "pdf" / "deck.pdf")
    slides = Presentation(io.BytesIO(built)).slides
    assert len(pages) == len(slides)
    footer = set(source_line(figures, provenance).split())
    width, height, bottom = pptx_out.WIDTH * 72, pptx_out.HEIGHT * 72, pptx_out.BODY_BOTTOM * 72
    for number, words in enumerate(pages, start=1):
        assert words, number
        for x0, y0, x1, y1, word in words:
            assert 0 <= x0 and x1 <= width + 0.5 and 0 <= y0 and y1 <= height + 0.5, (number, word)
            if y1 > bottom + 1:
                assert word in footer or re.fullmatch(r"\d+/\d+", word), (number, word)
