"""The presentation screen's parts: which session it shows, its figures (cached), the slide in the address bar, and
each slide drawn for a projector (large type, dark on white, no sidebar).

The slides themselves (titles, headline sentences, bullet lines) come from analytics.outputs.slides, so the
projector, the PowerPoint deck and the written report say the same sentences; the charts come from
analytics.outputs.charts. Every text from the data is HTML-escaped before it reaches the page.
"""
from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import streamlit as st

from analytics.analyses.session_figures import SessionFigures
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.outputs import charts, slides
from analytics.outputs import formatting as fmt
from analytics.outputs.bieu06_html import bieu06_html
from ui import links

SLIDE, SESSION = "slide", "session"          # the address bar's keys: ?slide=3&session=NAME
CURRENT_VIEW = "ky-dang-chon"                # ?session= value for "the period chosen on the dashboard"
STATE_SLIDE, STATE_SESSION, LAST_WRITTEN = "pres_slide", "pres_session", "_pres_link"

STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapseButton"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 2.5rem 1.5rem; max-width: 100%; }
.slide-sample { background: #B00020; color: #FFFFFF; font-weight: 800; font-size: clamp(16px, 1.25vw, 26px);
  padding: 0.25em 0.8em; border-radius: 4px; }
.slide-title { color: #222222; font-weight: 700; font-size: clamp(24px, 2vw, 40px); margin: 0.15em 0 0; }
.slide-headline { color: #0B2545; font-weight: 800; font-size: clamp(30px, 2.9vw, 58px); line-height: 1.18;
  margin: 0.1em 0 0.2em; overflow-wrap: break-word; }
.slide-lines { color: #111111; font-size: clamp(19px, 1.4vw, 28px); line-height: 1.35; margin: 0; padding-left: 1.2em; }
.slide-lines li { margin-bottom: 0.35em; overflow-wrap: break-word; }
.slide-lines.small { font-size: clamp(15px, 1vw, 20px); }
.slide-kpis { display: flex; flex-wrap: wrap; gap: 1.2vw; margin: 0.4em 0 0.8em; }
.slide-kpi { flex: 1 1 14em; border: 3px solid #222222; border-radius: 8px; padding: 0.3em 0.8em; color: #111111; }
.slide-kpi .value { font-size: clamp(40px, 4.4vw, 92px); font-weight: 800; line-height: 1.1; }
.slide-kpi .label { font-size: clamp(17px, 1.25vw, 26px); }
.slide-kpi .detail { font-size: clamp(15px, 1vw, 20px); color: #333333; }
.slide-counter { font-size: clamp(18px, 1.3vw, 26px); font-weight: 700; text-align: center; color: #111111;
  padding-top: 0.2em; }
</style>"""


# --- Which session, which figures --------------------------------------------------------------------------

# --- The address bar: ?session=NAME&slide=3 ------------------------------------------------------------------

def open_link(names: list[str]) -> list[str]:
    """Apply ?session= and ?slide= when the page opened with them (not written by this session); a warning for
    each value that cannot be used."""
    link = links.current([SLIDE, SESSION])
    if not link or link == st.session_state.get(LAST_WRITTEN):
        return []
    warnings = []
    name = link.get(SESSION)
    if name is not None:
        if name == CURRENT_VIEW or (name in names):
            st.session_state[STATE_SESSION] = name
        else:
            warnings.append(f'Liên kết: không có đợt giám sát "{name}"; đang trình chiếu '
                            + ("đợt đầu tiên đã lưu." if names else "kỳ đang chọn trên bảng điều khiển."))
    slide = link.get(SLIDE)
    if slide is not None:
        try:
            number = int(slide)
            if number < 1:
                raise ValueError(slide)
            st.session_state[STATE_SLIDE] = number
        except ValueError:
            st.session_state[STATE_SLIDE] = 1
            warnings.append(f'Liên kết: slide="{slide}" không phải số trang (1, 2, 3…); đang hiện trang đầu.')
    return warnings


def slide_number(count: int) -> int:
    """The slide shown (1…count), kept in the session state; out of range is brought back in."""
    number = st.session_state.get(STATE_SLIDE, 1)
    number = number if isinstance(number, int) else 1
    st.session_state[STATE_SLIDE] = min(max(number, 1), max(count, 1))
    return st.session_state[STATE_SLIDE]


def write_link(number: int, session_name: str | None) -> None:
    params = {SLIDE: str(number)}
    if session_name is not None:
        params[SESSION] = session_name
    links.sync_out(params, keys=[SLIDE, SESSION])
    st.session_state[LAST_WRITTEN] = params


def step(by: int) -> None:
    """The previous (-1) or next (+1) slide (a button's callback)."""
    st.session_state[STATE_SLIDE] = st.session_state.get(STATE_SLIDE, 1) + by


def first_slide() -> None:
    st.session_state[STATE_SLIDE] = 1


# --- Each slide --------------------------------------------------------------------------------------------

def header_html(slide: slides.Slide, sample: bool) -> str:
    """The sample warning (when the figures are the sample's), the slide's title and its headline sentence."""
    banner = f'<div class="slide-sample">{escape(slides.SAMPLE_WARNING)}</div>' if sample else ""
    return (f'{banner}<div class="slide-title">{escape(slide.title)}</div>'
            f'<div class="slide-headline">{escape(slide.headline)}</div>')


def lines_html(lines, small: bool = False) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<ul class="slide-lines{" small" if small else ""}">{items}</ul>' if items else ""


def figures_html(figures: SessionFigures) -> str:
    """The headline slide's three figures: received (3), resolved (7), the on-time rate with what it is made of."""
    total, rate = figures.total, figures.rate
    tiles = [("Nhận giải quyết (3)", fmt.number(total["received_total"]), "hồ sơ"),
             ("Đã giải quyết (7)", fmt.number(total["resolved_total"]), "hồ sơ"),
             ("Đúng hạn", fmt.percent(rate.value),
              f"{fmt.number(rate.numerator)}/{fmt.number(rate.denominator)} hồ sơ · mục tiêu "
              f"{fmt.percent(figures.session.target)}")]
    return '<div class="slide-kpis">' + "".join(
        f'<div class="slide-kpi"><div class="label">{escape(label)}</div><div class="value">{escape(value)}</div>'
        f'<div class="detail">{escape(detail)}</div></div>' for label, value, detail in tiles) + "</div>"


def chart(slide: slides.Slide, figures: SessionFigures) -> go.Figure | None:
    """The slide's chart when its message has numbers to draw, else None."""
    session, rate_label = figures.session, f"{figures.rate.definition.label} {figures.rate.definition.formula}"
    if slide.key == slides.TREND:
        return charts.slide_trend_figure(figures.trend, session.target, rate_label)
    if slide.key == slides.LEVELS:
        return charts.slide_levels_figure(figures.by_level, session.target, rate_label)
    if slide.key == slides.ATTENTION and not figures.attention.empty:
        return charts.slide_attention_figure(figures.attention.named, session.target, MIN_JUDGEABLE)
    if slide.key == slides.COMPARISON and figures.comparison is not None:
        return charts.slide_comparison_figure(figures.comparison.total, session.comparison.label,
                                              figures.period.label, session.target)
    if slide.key == slides.MOST_LATE and not figures.most_late_fields.empty:
        return charts.slide_most_late_figure(figures.most_late_fields)
    return None


def levels_table_html(figures: SessionFigures) -> str:
    """Biểu 06's rows for the levels and the total, as the form prints them, in projector type."""
    return bieu06_html(figures.by_level, figures.total, "level", large=True)


def _plot(where, figure: go.Figure) -> None:
    # theme=None: the chart keeps its own projector styling (dark text, large type), not Streamlit's greys
    where.plotly_chart(figure, width="stretch", theme=None, config={"displayModeBar": False})


def _lines(where, lines, small: bool = False) -> None:
    if lines:  # st.html refuses an empty body: a slide without lines draws nothing here
        where.html(lines_html(lines, small))


MANY_LINES = 6  # more bullet lines than this beside a chart: smaller type, so the slide still fits


def show(slide: slides.Slide, figures: SessionFigures, sample: bool) -> None:
    """One slide: the header, then its figures, chart and lines."""
    st.html(header_html(slide, sample))
    if slide.key == slides.HEADLINE:
        st.html(figures_html(figures))
        _lines(st, slide.lines)
        return
    drawn = chart(slide, figures)
    if slide.key == slides.LEVELS:  # the form's own rows say it all; the chart adds each level's rate
        st.html(levels_table_html(figures))
        _plot(st, drawn)
        return
    if drawn is None:
        _lines(st, slide.lines, small=slide.key == slides.PROVENANCE or len(slide.lines) > 2 * MANY_LINES)
        return
    if not slide.lines:
        _plot(st, drawn)
        return
    left, right = st.columns([3, 2], gap="large")
    _plot(left, drawn)
    _lines(right, slide.lines, small=len(slide.lines) > MANY_LINES)
