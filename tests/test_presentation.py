"""The meeting room's screen and the links that reproduce a view.

- ui/links.py: the address bar's parameters <-> the sidebar's values, bad values left out with a warning;
- analytics/outputs/bieu06_html.py: Biểu 06 as the form is printed, every text from the data escaped;
- the presentation's charts (analytics/outputs/charts.py, slide_*): numbers on the figure, the 90% axis rule;
- pages/trinh-chieu.py headless (AppTest): the deck's sentences, previous/next, ?slide= and ?session=, the sample's
  warning on every slide. Expected sentences come from the core (analytics.outputs.slides) called directly.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.analyses.bieu06 import COUNT_KEYS, OFFICIAL, official_table
from analytics.analyses.catalog_audit import fill_missing_due_dates
from analytics.analyses.session_figures import session_figures
from analytics.dossiers.sources import read_files
from analytics.ingest.catalog import read_catalog
from analytics.model.periods import Period, custom
from analytics.model.session import SupervisionSession
from analytics.outputs import charts, slides
from analytics.outputs import formatting as fmt
from analytics.outputs.bieu06_html import bieu06_html
from analytics.outputs.labels import COLUMN_GROUPS, COLUMN_NUMBERS, ROW_HEADER, TOTAL_ROW
from tests.apps import page_app
from ui import links
from ui import presentation as screen

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
REVIEW = Period(dt.date(2018, 1, 1), dt.date(2019, 3, 31))
CHOICES = {"levels": ["Cấp huyện", "Cấp xã"], "units": ["Phòng Tư pháp", "UBND phường Tam Thanh"],
           "fields": ["Hộ tịch", "Đất đai"], "channels": [0, 1, 2]}


# --- Links: parameters <-> the sidebar's values -------------------------------------------------------------

def test_a_link_gives_the_period_comparison_filters_rate_and_target():
    values, warnings = links.read({"ky": "quarter", "nam": "2019", "so": "1", "chot": "1", "ss": "year_before",
                                   "cap": ["Cấp xã"], "don_vi": ["Phòng Tư pháp", "UBND phường Tam Thanh"],
                                   "linh_vuc": "Hộ tịch", "kenh": ["2"], "ty_le": "qd766", "muc_tieu": "97,5",
                                   "rut_dung": "1", "han_dm": "0"}, CHOICES)
    assert warnings == []
    assert values == {"kind": "quarter", "year": 2019, "number": 1, "cutoff": True, "compare": "year_before",
                      "levels": ["Cấp xã"], "units": ["Phòng Tư pháp", "UBND phường Tam Thanh"],
                      "fields": ["Hộ tịch"], "channels": [2], "rate": "qd766", "target": 97.5, "fold": True,
                      "fill_due": False}


def test_dates_alone_make_a_custom_period_and_a_custom_comparison():
    values, warnings = links.read({"tu": "2018-01-01", "den": "31/03/2019", "ss_tu": "2017-01-01",
                                   "ss_den": "2017-12-31"})
    assert not warnings
    assert values == {"kind": "custom", "start": dt.date(2018, 1, 1), "end": dt.date(2019, 3, 31),
                      "compare": "custom", "compare_start": dt.date(2017, 1, 1), "compare_end": dt.date(2017, 12, 31)}


@pytest.mark.parametrize("params, key", [
    ({"ky": "week"}, "ky"), ({"nam": "twenty"}, "nam"), ({"nam": "3019"}, "nam"),
    ({"ky": "quarter", "so": "5"}, "so"), ({"tu": "2019-02-30"}, "tu"), ({"ss": "last"}, "ss"),
    ({"ty_le": "fast"}, "ty_le"), ({"muc_tieu": "abc"}, "muc_tieu"), ({"muc_tieu": "120"}, "muc_tieu"),
    ({"chot": "maybe"}, "chot"),
])
def test_a_bad_value_is_left_out_with_a_warning_that_names_it(params, key):
    values, warnings = links.read({**params, "ty_le": params.get("ty_le", "workload")}, CHOICES)
    assert len(warnings) == 1 and f'{key}="' in warnings[0] and "bỏ qua" in warnings[0]
    assert next(name for name, param in links.PARAMS.items() if param == key) not in values
    if key != "ty_le":
        assert values["rate"] == "workload"  # the good values of the same link still apply


def test_filter_values_not_in_the_data_are_left_out_and_named():
    values, warnings = links.read({"don_vi": ["Phòng Tư pháp", "Phòng Không Có"], "kenh": ["7"]}, CHOICES)
    assert values == {"units": ["Phòng Tư pháp"]}
    assert any("Phòng Không Có" in w for w in warnings) and any('"7"' in w for w in warnings)


@pytest.mark.parametrize("values, expected", [
    ({"kind": "quarter", "year": 2019, "number": 1, "cutoff": False, "start": dt.date(2018, 1, 1),
      "end": dt.date(2019, 3, 31), "compare": "previous", "rate": "resolved", "target": 95.0, "fold": False,
      "fill_due": True, "levels": [], "units": [], "fields": [], "channels": []},
     {"ky": "quarter", "nam": "2019", "so": "1", "ss": "previous", "ty_le": "resolved", "muc_tieu": "95"}),
    ({"kind": "custom", "start": dt.date(2018, 1, 1), "end": dt.date(2019, 3, 31), "year": 2019,
      "compare": "custom", "compare_start": dt.date(2017, 1, 1), "compare_end": dt.date(2017, 12, 31),
      "units": ["Phòng Tư pháp"], "channels": [1, 2], "rate": "qd766", "target": 97.5, "fold": True,
      "fill_due": False},
     {"ky": "custom", "tu": "2018-01-01", "den": "2019-03-31", "ss": "custom", "ss_tu": "2017-01-01",
      "ss_den": "2017-12-31", "don_vi": ["Phòng Tư pháp"], "kenh": ["1", "2"], "ty_le": "qd766",
      "muc_tieu": "97.5", "rut_dung": "1", "han_dm": "0"}),
    ({"kind": "year", "year": 2018, "number": 3, "cutoff": True, "compare": "none"},
     {"ky": "year", "nam": "2018", "chot": "1", "ss": "none"}),
])
def test_the_address_bar_carries_only_what_the_view_depends_on_and_reads_back_the_same(values, expected):
    written = links.write(values)
    assert written == expected
    back, warnings = links.read(written, CHOICES)
    assert not warnings
    assert all(back[k] == v for k, v in values.items() if k in back)


# --- Biểu 06 as HTML ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_dossiers():
    return read_files([SAMPLE / "exports"]).dossiers


def test_bieu06_html_has_the_forms_header_numbers_subtotals_and_total(sample_dossiers):
    table = official_table(sample_dossiers, REVIEW, OFFICIAL)
    html = bieu06_html(table.groups, table.total)
    for title, span in COLUMN_GROUPS:
        assert (f'colspan="{span}">{title}</th>' if span > 1 else f'rowspan="2">{title}</th>') in html
    assert all(f"<th>{n}</th>" in html for n in ("(1)", "(2)", *COLUMN_NUMBERS.values()))
    assert ROW_HEADER in html
    assert html.count('<tr class="level">') == (table.groups["depth"] == 0).sum()
    assert html.count('<tr class="unit">') == (table.groups["depth"] == 1).sum()
    assert html.count('<tr class="field">') == (table.groups["depth"] == 2).sum()
    total_row = html[html.index('<tr class="total">'):]
    assert TOTAL_ROW in total_row
    assert [fmt.number(table.total[k]) for k in COUNT_KEYS] == [
        cell.split("</td>")[0] for cell in total_row.split('<td class="count">')[1:]]
    assert "1.365" in total_row  # Vietnamese thousands: resolved (7) over the review period
    assert '<td class="number">I</td>' in html  # the level's Roman numeral in column (1)


def test_bieu06_html_escapes_every_text_from_the_data():
    groups = pd.DataFrame([{"name": '<img src=x onerror="alert(1)">', **{k: 1 for k in COUNT_KEYS},
                            "on_time_rate": 1.0}])
    html = bieu06_html(groups, {k: 1 for k in COUNT_KEYS}, "unit", rate_header="Tỷ lệ đúng hạn")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "Cơ quan giải quyết" in html and "100,0%" in html


# --- The presentation's charts -------------------------------------------------------------------------------

@pytest.mark.parametrize("rates, target, start, noted", [
    ([0.95, 0.97, 0.992], 0.95, 0.9, True),     # all between 90% and 100%: show the difference
    ([0.95, 0.97, 0.89], 0.95, 0.0, False),     # one below 90%: from 0
    ([0.95, 0.97], 0.85, 0.0, False),           # the target line would fall off a 90% axis
    ([float("nan")], None, 0.0, False),         # nothing to judge
])
def test_a_rate_axis_starts_at_90_only_when_every_rate_is_above_it(rates, target, start, noted):
    axis, _, note = charts.rate_axis(rates, target)
    assert axis[0] == start and bool(note) == noted


def test_slide_trend_uses_the_narrow_axis_and_says_so():
    trend = pd.DataFrame({"label": ["Tháng 1/2019", "Tháng 2/2019"], "on_time_rate": [0.958, 0.952],
                          "numerator": [93, 80], "denominator": [97, 84]})
    fig = charts.slide_trend_figure(trend, 0.95, "Tỷ lệ đúng hạn trên số hồ sơ đã giải quyết")
    assert fig.layout.yaxis.range[0] == pytest.approx(0.9)
    assert "90%" in fig.layout.yaxis.title.text
    assert [y for t in fig.data if t.mode != "lines" for y in t.y] == [0.958, 0.952]


def test_slide_levels_marks_the_level_below_the_target(sample_dossiers):
    levels = official_table(sample_dossiers, Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31)), "level").groups
    fig = charts.slide_levels_figure(levels, 0.95, "")
    below = next(t for t in fig.data if t.meta == "below")
    assert list(below.x) == [r for r in levels["on_time_rate"] if r < 0.95]
    assert any("Cấp xã" in y for y in below.y)
    assert "90%" in fig.layout.xaxis.title.text  # 96,1% and 91,3%: both above 90%


def test_slide_attention_marks_small_units_and_draws_from_zero_when_a_rate_is_low():
    units = pd.DataFrame({"name": ["UBND phường A", "Phòng B"], "rate": [0.5, 0.93], "numerator": [1, 93],
                          "denominator": [2, 100], "flag": ["inside", "below"]})
    fig = charts.slide_attention_figure(units, 0.95, small=30)
    names = [y for t in fig.data for y in t.y]
    assert names == ["UBND phường A" + charts.SMALL_NOTE, "Phòng B"]
    assert fig.layout.xaxis.range[0] == 0 and "90%" not in fig.layout.xaxis.title.text


def test_slide_comparison_draws_each_rate_with_its_interval():
    rate = {"numerator": 1049, "denominator": 1083, "value": 0.9686, "ci95": (0.957, 0.978)}
    later = {"numerator": 270, "denominator": 282, "value": 0.9574, "ci95": (0.927, 0.975)}
    fig = charts.slide_comparison_figure({"rate_a": rate, "rate_b": later}, "Năm 2018 (01/01/2018 – 31/12/2018)",
                                         "Quý I/2019 (01/01/2019 – 31/03/2019)", 0.95)
    (trace,) = fig.data
    assert list(trace.y) == [0.9686, 0.9574]
    assert list(trace.error_y.arrayminus) == pytest.approx([0.9686 - 0.957, 0.9574 - 0.927])
    assert trace.text[0] == "96,9% (1.049/1.083)"


def test_slide_most_late_counts_from_zero():
    fields = pd.DataFrame({"name": ["Đất đai", "Hộ tịch"], "late_total": [10, 6]})
    fig = charts.slide_most_late_figure(fields)
    assert list(fig.data[0].x) == [10, 6] and fig.layout.xaxis.range[0] == 0


def test_slide_most_late_bars_say_their_share_and_mark_a_small_field():
    fields = pd.DataFrame({"name": ["Đất đai", "Thi đua - Khen thưởng"], "late_total": [25, 1],
                           "received_total": [601, 3], "late_rate": [25 / 601, 1 / 3], "small": [False, True]})
    (bars,) = charts.slide_most_late_figure(fields).data
    assert list(bars.text) == ["25 · 4,2%", "1 · 33,3%"]
    assert list(bars.y) == ["Đất đai", "Thi đua - Khen thưởng<br>(ít hồ sơ)"]  # the note whole, on its own line


RATE_FIGURES = {
    "trend": lambda: charts.slide_trend_figure(pd.DataFrame({
        "label": ["Tháng 1/2019", "Tháng 2/2019", "Tháng 3/2019"], "on_time_rate": [0.999, 0.93, 0.96],
        "numerator": [999, 93, 96], "denominator": [1000, 100, 100]}), 0.95, "x"),
    "levels": lambda: charts.slide_levels_figure(pd.DataFrame({
        "name": ["Cấp huyện", "Cấp xã"], "received_total": [300, 23], "on_time_rate": [1.0, 0.913],
        "numerator": [259, 21], "denominator": [259, 23]}), 0.95, "x", 30),
    "attention": lambda: charts.slide_attention_figure(pd.DataFrame({
        "name": ["Phòng A", "Phòng B"], "rate": [0.5, 1.0], "numerator": [20, 40], "denominator": [40, 40],
        "flag": ["below", "inside"]}), 0.95, 30),
    "comparison": lambda: charts.slide_comparison_figure(
        {"rate_a": {"numerator": 99, "denominator": 100, "value": 0.99, "ci95": (0.95, 0.998)},
         "rate_b": {"numerator": 93, "denominator": 100, "value": 0.93, "ci95": (0.86, 0.97)}}, "A (1)", "B (2)", 0.95),
}


@pytest.mark.parametrize("name", RATE_FIGURES)
def test_a_slides_rate_axis_ends_at_100_percent_and_its_type_is_for_a_room(name):
    fig = RATE_FIGURES[name]()
    axis = fig.layout.yaxis if name in ("trend", "comparison") else fig.layout.xaxis
    assert axis.range[1] == 1.0 and max(axis.tickvals) == 1.0
    sizes = [fig.layout.font.size, fig.layout.title.font.size, fig.layout.xaxis.tickfont.size,
             fig.layout.yaxis.tickfont.size, *(a.font.size for a in fig.layout.annotations)]
    sizes += [t.textfont.size for t in fig.data if t.textfont is not None and t.textfont.size is not None]
    assert min(sizes) >= charts.SLIDE_TICKS == 28


@pytest.mark.parametrize("name", ["trend", "comparison"])
def test_a_vertical_slides_labels_stand_on_the_side_of_their_dot_away_from_the_target(name):
    fig = RATE_FIGURES[name]()
    for trace in fig.data:
        if trace.meta == "meets" or (trace.mode == "markers+text" and trace.marker.symbol == charts.MEETS_SYMBOL):
            assert str(trace.textposition).startswith("top")
        if trace.meta == "below" or trace.marker.symbol == charts.BELOW_SYMBOL:
            assert str(trace.textposition).startswith("bottom")


@pytest.mark.parametrize("name", ["levels", "attention"])
def test_a_horizontal_slides_values_stand_in_a_column_right_of_the_plot(name):
    fig = RATE_FIGURES[name]()
    assert all(t.mode == "markers" for t in fig.data)  # no label beside a dot, where the target line runs
    values = [a for a in fig.layout.annotations if a.xref == "paper" and a.x == 1 and a.xanchor == "left"]
    assert len(values) == 2 and fig.layout.margin.r > max(len(a.text) for a in values) * 10
    if name == "levels":  # compact, under the form's rows: the words say which level is below the target
        assert [a.text for a in values] == ["100,0% (259/259)", "91,3% (21/23) · dưới mục tiêu 95%"]
        assert not fig.layout.showlegend and any(charts.SMALL_NOTE in y for t in fig.data for y in t.y)


def test_the_trend_names_each_month_briefly_and_the_year_once():
    fig = RATE_FIGURES["trend"]()
    assert list(fig.layout.xaxis.ticktext) == ["T1<br>2019", "T2<br> ", "T3<br> "]
    assert charts._month_ticks(["Quý I/2019", "Quý II/2019"]) == ["Quý I/2019", "Quý II/2019"]
    (target,) = [a for a in fig.layout.annotations if a.text.startswith("Mục tiêu")]
    assert target.xref == "paper" and target.x == 1  # right of the plot, where no dot can be


def test_a_slides_figure_is_scaled_to_the_window_whole():
    fig = RATE_FIGURES["comparison"]()
    small = charts.slide_scaled(fig, 2 / 3)
    assert small.layout.xaxis.tickfont.size == pytest.approx(28 * 2 / 3)
    assert small.layout.title.font.size == pytest.approx(fig.layout.title.font.size * 2 / 3)
    assert small.data[0].marker.size == pytest.approx(fig.data[0].marker.size * 2 / 3)
    assert small.layout.margin.t == pytest.approx(fig.layout.margin.t * 2 / 3)
    assert fig.layout.xaxis.tickfont.size == 28  # the figure given is left as it was
    assert charts.slide_scaled(fig, 1).to_dict() == fig.to_dict()


# --- The slide's parts ----------------------------------------------------------------------------------------

def test_a_slide_header_escapes_its_text_and_warns_of_the_sample():
    slide = slides.Slide(slides.HEADLINE, "Kết quả <b>chung</b>", "A & B.")
    html = screen.header_html(slide, sample=True)
    assert slides.SAMPLE_WARNING in html and "&lt;b&gt;chung&lt;/b&gt;" in html and "A &amp; B." in html
    assert slides.SAMPLE_WARNING not in screen.header_html(slide, sample=False)
    assert screen.lines_html(["<x>"]) == '<ul class="slide-lines"><li>&lt;x&gt;</li></ul>'
    assert screen.lines_html(["a"], "small") == '<ul class="slide-lines small"><li>a</li></ul>'
    assert screen.footer_html("Nguồn: <b>") == '<div class="slide-footer">Nguồn: &lt;b&gt;</div>'


def test_the_styles_sizes_follow_the_windows_scale():
    assert "font-size: calc(52px * var(--z))" in screen.STYLE  # the headline
    assert "font-size: calc(28px * var(--z))" in screen.STYLE and "font-size: 28px" not in screen.STYLE
    assert "(--z" not in screen._scaled("a { width: 1.5em; }") and "#slide-blank" in screen.STYLE


@pytest.mark.parametrize("count, kept", [(3, 3), (12, None)])
def test_lines_that_do_not_fit_their_box_are_left_to_the_report_and_counted(count, kept):
    lines = [f"Thủ tục số {n}: " + "rất dài " * 20 for n in range(count)]
    shown = screen.fitting(lines, 800, 700, screen.SMALL_LINES_PX)
    if kept:
        assert shown == tuple(lines)
    else:
        assert shown[:-1] == tuple(lines[:len(shown) - 1]) and len(shown) < count
        assert shown[-1].startswith(f"… và {count - len(shown) + 1} dòng nữa")
        assert screen.text_height(shown, 800, screen.SMALL_LINES_PX) <= 700


def test_the_most_late_slide_shows_the_procedures_beside_the_fields_chart(sample_dossiers):
    from analytics.dossiers import provenance
    session = SupervisionSession("q", dt.date(2019, 1, 1), dt.date(2019, 3, 31))
    loaded = read_files([SAMPLE / "exports"])
    figures = session_figures(loaded.dossiers, session, loaded.missing_fields())
    slide = next(s for s in slides.deck(figures, provenance.from_files(loaded, is_sample=True))
                 if s.key == slides.MOST_LATE)
    beside = screen.beside_chart(slide, figures)
    assert beside and all(line.startswith("Thủ tục ") for line in beside)
    assert len(beside) + len(figures.most_late_fields) == len(slide.lines)


def test_with_no_unit_named_the_attention_slide_draws_the_units_that_can_be_judged(sample_dossiers):
    session = SupervisionSession("q", dt.date(2019, 1, 1), dt.date(2019, 3, 31))
    loaded = read_files([SAMPLE / "exports"])
    figures = session_figures(loaded.dossiers, session, loaded.missing_fields())
    assert figures.attention.empty
    units, judgeable, small = screen.judged_units(figures)
    assert (units["denominator"] >= 30).all() and list(units["rate"]) == sorted(units["rate"])
    assert judgeable == len(units) and small == int((figures.units_funnel["denominator"].between(1, 29)).sum())
    fig = screen.chart(slides.attention_slide(figures), figures)
    assert "từ 30 hồ sơ" in fig.layout.title.text and f"Không vẽ {small} đơn vị" in fig.layout.title.subtitle.text


# --- The page, headless ---------------------------------------------------------------------------------------



def run(query: dict | None = None) -> AppTest:
    at = page_app("pages/trinh-chieu.py")
    at.query_params.update(query or {})
    return at.run()


def shown(at: AppTest) -> str:
    return " ".join(str(h.value) for h in at.get("html"))


def expected_deck(session: SupervisionSession) -> list[slides.Slide]:
    """The slides the core makes for `session` over the sample, as the dashboard reads it (due dates filled from
    the sample's catalog), with the sample's provenance."""
    from analytics.dossiers import provenance
    loaded = read_files([SAMPLE / "exports"])
    catalog = read_catalog(SAMPLE / "procedures.xlsx")
    dossiers, _ = fill_missing_due_dates(loaded.dossiers, catalog)
    figures = session_figures(dossiers, session, loaded.missing_fields(), catalog)
    return slides.deck(figures, provenance.from_files(loaded, is_sample=True))


def test_the_presentation_shows_the_views_deck_with_the_sample_warning_and_moves_between_slides(empty_store):
    at = run()
    assert not at.exception and not at.error
    period = custom(REVIEW.start, REVIEW.end)  # the sample's review period, no comparison: the sidebar's default
    deck = expected_deck(SupervisionSession(f"Kỳ {period.label}", period.start, period.end))
    assert deck[0].headline in shown(at) and f"Trang 1/{len(deck)}" in shown(at)
    assert slides.SAMPLE_WARNING in shown(at)
    assert 'class="slide-footer">DỮ LIỆU MẪU · Nguồn: 5 tệp xuất hồ sơ' in shown(at)  # the source at the foot
    assert "SHA-256" not in shown(at) and "sha256" not in shown(at).lower()
    assert at.query_params["slide"] == "1" and at.query_params["ky"] == "custom"
    at.button(key="slide_next").click().run()
    assert deck[1].headline in shown(at) and f"Trang 2/{len(deck)}" in shown(at)
    assert slides.SAMPLE_WARNING in shown(at) and at.query_params["slide"] == "2"
    at.button(key="slide_previous").click().run()
    assert deck[0].headline in shown(at) and at.query_params["slide"] == "1"
    assert at.button(key="slide_previous").disabled


def test_a_link_opens_the_stored_session_at_its_slide(empty_store):
    from tests.session_fixtures import SAMPLE_SESSION
    empty_store.save_session(SAMPLE_SESSION)
    deck = expected_deck(SAMPLE_SESSION)
    at = run({"session": SAMPLE_SESSION.name, "slide": "3"})
    assert not at.exception and not at.warning
    assert deck[2].headline in shown(at) and f"Trang 3/{len(deck)}" in shown(at)
    assert "So với năm 2018" in deck[4].headline  # the session's comparison is on its deck
    at.button(key="slide_next").click().run()
    assert deck[3].headline in shown(at) and at.query_params["session"] == SAMPLE_SESSION.name
    assert at.selectbox(key=screen.STATE_SESSION).value == SAMPLE_SESSION.name


def test_a_link_with_an_unknown_session_or_slide_says_so_and_shows_the_first_slide(empty_store):
    from tests.session_fixtures import SAMPLE_SESSION
    empty_store.save_session(SAMPLE_SESSION)
    at = run({"session": "Đợt không có", "slide": "ba"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Đợt không có" in warnings and 'slide="ba"' in warnings
    assert expected_deck(SAMPLE_SESSION)[0].headline in shown(at)
    assert at.query_params["session"] == SAMPLE_SESSION.name and at.query_params["slide"] == "1"


def test_the_presentation_follows_the_links_period_when_there_is_no_session(empty_store):
    at = run({"ky": "quarter", "nam": "2019", "so": "1", "ss": "custom", "ss_tu": "2018-01-01",
              "ss_den": "2018-12-31", "slide": "99"})
    assert not at.exception
    from tests.session_fixtures import SAMPLE_SESSION
    deck = expected_deck(SupervisionSession("Kỳ Quý I/2019 (01/01/2019 – 31/03/2019)", SAMPLE_SESSION.start,
                                            SAMPLE_SESSION.end, SAMPLE_SESSION.compare_start,
                                            SAMPLE_SESSION.compare_end))
    assert deck[-1].headline in shown(at) and f"Trang {len(deck)}/{len(deck)}" in shown(at)  # 99: the last
    assert at.button(key="slide_next").disabled


def test_an_empty_period_says_so_and_every_slide_still_draws(empty_store):
    at = run({"ky": "year", "nam": "2010", "ss": "previous"})
    count = int(shown(at).split("Trang 1/")[1].split("<")[0])
    for number in range(1, count + 1):
        assert not at.exception, (number, at.exception)
        assert "Không có hồ sơ nào trong năm 2010" in at.warning[0].value and f"Trang {number}/" in shown(at)
        if number < count:
            at.button(key="slide_next").click().run()
