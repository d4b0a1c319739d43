"""The presentation screen's parts: which session it shows, its figures (cached), the slide in the address bar, and
each slide drawn for a projector (large type, dark on white, no sidebar).

The slides themselves (titles, headline sentences, bullet lines, the footer's source line) come from
analytics.outputs.slides, so the projector, the PowerPoint deck and the written report say the same sentences; the
charts come from analytics.outputs.charts. Every text from the data is HTML-escaped before it reaches the page.

A slide is laid out like a presentation program's: for a 1920×1080 canvas, in pixels of that canvas (the room reads
28 px or more there, chart labels included), every size multiplied by the window's scale, min(width / 1920,
height / 1080), so a slide that fits at 1920×1080 fits at 1280×720 and at any 16:9 size, every part in the same
proportion. The page's styles take the scale from a CSS variable (--z) and the charts from Python: a small
script (a Streamlit component, `viewport`) sets the variable and tells Python the window's size. The slide's box
takes the window's height; its chart takes what the header, the lines and the footer leave (height "stretch").

The same script moves the slides with a presentation clicker's keys (PageDown/PageUp, Space, the arrows) by clicking
the "Trước"/"Sau" buttons, and blanks the screen with B or "." as a presentation program does. It does nothing
while a person types in a field (a closed choice of session lets the clicker's PageDown/PageUp through), and it is
gone with the page (its listeners are removed when it unmounts).
"""
from __future__ import annotations

import math
import re
from html import escape

import pandas as pd
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
STATE_VIEWPORT, VIEWPORT_KEY = "pres_viewport", "slide_viewport"
PREVIOUS_KEY, NEXT_KEY = "slide_previous", "slide_next"  # the buttons' keys: the keyboard script clicks them
SLIDE_BOX, BODY_BOX, CHART_BOX = "slide", "slide_body", "slide_chart"  # containers (CSS class st-key-…)

# The canvas (px): the sizes below are for it, and they are multiplied by the window's scale.
CANVAS_WIDTH, CANVAS_HEIGHT = 1920, 1080
PADDING_X = 40
LINES_PX, BIG_LINES_PX, SMALL_LINES_PX = 32, 40, 28
LINE_HEIGHT, ITEM_GAP = 1.3, 0.3              # a bullet's line height and the space after it, in type sizes


def _scaled(css: str) -> str:
    """Every `Npx` of `css` multiplied by the window's scale (the CSS variable --z the script sets)."""
    return re.sub(r"(?<![\w.-])(\d+(?:\.\d+)?)px", r"calc(\1px * var(--z))", css)


STYLE = "<style>" + _scaled("""
:root { --z: 1; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapseButton"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none !important; }
/* The slide is the window: its box takes the window's height and nothing scrolls. */
[data-testid="stMainBlockContainer"] { height: 100vh; max-width: none; padding: 10px 40px 0 40px !important; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { height: 100%; gap: 10px; flex-wrap: nowrap; }
/* The slide takes the height under the bar, its body what the header and the footer leave, its chart what the
   body's other parts leave. Streamlit wraps each container in a layout wrapper: both must grow. */
[data-testid="stLayoutWrapper"]:has(> .st-key-slide), [data-testid="stLayoutWrapper"]:has(> .st-key-slide_body),
[data-testid="stLayoutWrapper"]:has(> .st-key-slide_chart),
.st-key-slide_body [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]) {
  flex: 1 1 0 !important; min-height: 0; flex-direction: column; }
.st-key-slide, .st-key-slide_body, .st-key-slide_chart,
.st-key-slide_body [data-testid="stHorizontalBlock"] { flex: 1 1 0 !important; min-height: 0; flex-wrap: nowrap; }
.st-key-slide { gap: 12px; }
.st-key-slide_body { gap: 16px; overflow: hidden; }  /* lines beyond the estimate are cut, never the footer */
.st-key-slide_body [data-testid="stHorizontalBlock"] { gap: 48px; }
.st-key-slide_body [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100%; flex-wrap: nowrap; }
.st-key-slide_body [data-testid="stElementContainer"]:has(.slide-kpis) { flex: 1 1 0; min-height: 0; }
.st-key-slide_body .stHtml:has(.slide-kpis) { height: 100%; }
.st-key-slide_body [data-testid="stElementContainer"]:has(.slide-lines.statement) { flex: 1 1 0; min-height: 0;
  display: flex; flex-direction: column; justify-content: center; }
/* The presenter's bar: buttons, the session and the page number, readable too; the script takes no room. */
.st-key-slide_viewport { display: none !important; }
.st-key-slide_previous button, .st-key-slide_next button { min-height: 52px; padding: 4px 16px; }
.st-key-slide_previous button p, .st-key-slide_next button p { font-size: 24px; font-weight: 600; }
.st-key-slide_previous [data-testid="stIconMaterial"], .st-key-slide_next [data-testid="stIconMaterial"],
[data-testid="stMainBlockContainer"] [data-testid="stPageLink"] [data-testid="stIconMaterial"] { font-size: 28px; }
[data-testid="stMainBlockContainer"] [data-testid="stPageLink"] p,
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p { font-size: 22px !important; }
[data-testid="stMainBlockContainer"] [data-testid="stSelectbox"] div[data-baseweb="select"] * { font-size: 22px; }
[data-testid="stMainBlockContainer"] [data-testid="stAlert"] p { font-size: 24px; }
.slide-counter { font-size: 30px; font-weight: 700; text-align: center; color: #111111; white-space: nowrap; }
/* The slide. */
.slide-sample { background: #B00020; color: #FFFFFF; font-weight: 800; font-size: 26px; line-height: 1.3;
  padding: 4px 18px; border-radius: 4px; }
.slide-title { color: #333333; font-weight: 700; font-size: 32px; line-height: 1.2; margin: 4px 0 0; }
.slide-headline { color: #0B2545; font-weight: 800; font-size: 52px; line-height: 1.15; margin: 2px 0 0;
  overflow-wrap: break-word; }
.slide-lines { color: #111111; font-size: 32px; line-height: 1.3; margin: 0; padding-left: 1.1em; }
.slide-lines li { margin-bottom: 0.3em; overflow-wrap: break-word; }
.slide-lines.big { font-size: 40px; }
.slide-lines.small { font-size: 28px; }
.slide-kpis { display: flex; gap: 28px; height: 100%; min-height: 0; }
.slide-kpi { flex: 1 1 0; border: 3px solid #222222; border-radius: 10px; padding: 16px 28px; color: #111111;
  display: flex; flex-direction: column; justify-content: center; }
.slide-kpi .label { font-size: 40px; font-weight: 700; }
.slide-kpi .value { font-size: 180px; font-weight: 800; line-height: 1.1; }
.slide-kpi .detail { font-size: 34px; color: #222222; }
.slide-footer { color: #333333; font-size: 22px; line-height: 1.3; border-top: 2px solid #BBBBBB; padding: 6px 0 8px; }
[data-testid="stMainBlockContainer"] .bieu06.large table { font-size: 28px; line-height: 1.2; }
[data-testid="stMainBlockContainer"] .bieu06.large th, [data-testid="stMainBlockContainer"] .bieu06.large td {
  padding: 4px 8px; }
[data-testid="stMainBlockContainer"] .bieu06.large table { table-layout: fixed; }
#slide-blank { position: fixed; inset: 0; background: #000000; z-index: 2147483647; cursor: none; }
""") + "</style>"

# The window's scale for the styles and the charts, and the clicker's keys (a Streamlit component: JavaScript in the
# page, its listeners removed when it unmounts). It tells Python the window's size when that differs from `data`.
SCRIPT = """
export default function (component) {
  const { data, setStateValue } = component;
  const root = document.documentElement;
  const known = (data && data.viewport) || null;
  const fit = () => {
    const width = window.innerWidth, height = window.innerHeight;
    root.style.setProperty("--z", String(Math.min(width / %(width)d, height / %(height)d)));
    if (!known || known.width !== width || known.height !== height) setStateValue("viewport", { width, height });
  };
  let pending = null;
  const resized = () => { clearTimeout(pending); pending = setTimeout(fit, 250); };
  const NEXT = ["PageDown", "ArrowRight", "ArrowDown", " ", "Spacebar"];
  const PREVIOUS = ["PageUp", "ArrowLeft", "ArrowUp", "Backspace"];
  const BLANK = ["b", "B", "."];
  const CLICKER = ["PageDown", "PageUp"];
  const field = (t) => t instanceof Element && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)
    || t.closest("[role='listbox'], [role='dialog'], [data-baseweb='popover']") !== null);
  // A closed choice (the session's selectbox keeps the focus once chosen) still lets the clicker's keys through.
  const typing = (t, key) => field(t) && !(CLICKER.includes(key) && t.getAttribute("role") === "combobox"
    && t.getAttribute("aria-expanded") !== "true");
  const button = (key) => [...document.querySelectorAll(`.st-key-${key} button`)].find((b) => b.offsetParent !== null);
  const onKey = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || typing(event.target, event.key)) return;
    const key = event.key;
    const forward = NEXT.includes(key) && !(key === " " && event.shiftKey);
    const back = PREVIOUS.includes(key) || (key === " " && event.shiftKey);
    if (!forward && !back && !BLANK.includes(key)) return;
    event.preventDefault();
    event.stopPropagation();
    const blank = document.getElementById("slide-blank");
    if (blank) { blank.remove(); return; }  // any of these keys first brings the slide back
    if (BLANK.includes(key)) {
      const cover = document.createElement("div");
      cover.id = "slide-blank";
      cover.addEventListener("click", () => cover.remove());
      document.body.appendChild(cover);
      return;
    }
    if (event.repeat) return;
    const target = button(forward ? "%(next)s" : "%(previous)s");
    if (target && !target.disabled) target.click();
  };
  document.addEventListener("keydown", onKey, true);
  window.addEventListener("resize", resized);
  document.documentElement.dataset.slideKeys = "ready";  // the clicker is listening (tests wait for it)
  fit();
  return () => {
    document.removeEventListener("keydown", onKey, true);
    window.removeEventListener("resize", resized);
    delete document.documentElement.dataset.slideKeys;
    clearTimeout(pending);
    document.getElementById("slide-blank")?.remove();
  };
}
""" % {"width": CANVAS_WIDTH, "height": CANVAS_HEIGHT, "next": NEXT_KEY, "previous": PREVIOUS_KEY}
_viewport = st.components.v2.component("onestop_slide_viewport", js=SCRIPT, isolate_styles=False)


def viewport_scale() -> float:
    """The window's scale against the 1920×1080 canvas (1 until the script has told Python the window's size): the
    script is mounted here, where it takes no room (in the bar, beside the page number)."""
    known = st.session_state.get(STATE_VIEWPORT)
    result = _viewport(key=VIEWPORT_KEY, data={"viewport": known}, default={"viewport": known},
                       on_viewport_change=lambda: None, height="content", width="content")
    size = result.get("viewport") if hasattr(result, "get") else None
    if isinstance(size, dict) and size.get("width") and size.get("height"):
        st.session_state[STATE_VIEWPORT] = known = {"width": int(size["width"]), "height": int(size["height"])}
    if not known:
        return 1.0
    return min(max(min(known["width"] / CANVAS_WIDTH, known["height"] / CANVAS_HEIGHT), 0.25), 4.0)


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


# --- The presenter's bar -------------------------------------------------------------------------------------

def counter_html(number: int, count: int) -> str:
    return f'<div class="slide-counter">Trang {number}/{count}</div>'


KEYS_HELP = {-1: "Trang trước: PageUp, ← hoặc nút lùi của bút trình chiếu.",
             1: "Trang sau: PageDown, →, phím cách hoặc nút tiến của bút trình chiếu. Phím B: màn hình đen."}


# --- Each slide --------------------------------------------------------------------------------------------

def header_html(slide: slides.Slide, sample: bool) -> str:
    """The sample warning (when the figures are the sample's), the slide's title and its headline sentence."""
    banner = f'<div class="slide-sample">{escape(slides.SAMPLE_WARNING)}</div>' if sample else ""
    return (f'{banner}<div class="slide-title">{escape(slide.title)}</div>'
            f'<div class="slide-headline">{escape(slide.headline)}</div>')


def lines_html(lines, size: str = "") -> str:
    """Bullet lines; `size`: "" (32 px on the canvas), "big" (40 px), "small" (28 px), and "statement" for a slide of
    a few lines only, in the middle of its body."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<ul class="slide-lines{" " + size if size else ""}">{items}</ul>' if items else ""


def footer_html(source: str) -> str:
    """Each slide's foot: where the figures come from, in words."""
    return f'<div class="slide-footer">{escape(source)}</div>'


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
    """The slide's chart when its message has numbers to draw, else None (sizes of the 1920×1080 canvas)."""
    session, rate_label = figures.session, f"{figures.rate.definition.label} {figures.rate.definition.formula}"
    if slide.key == slides.TREND:
        return charts.slide_trend_figure(figures.trend, session.target, rate_label)
    if slide.key == slides.LEVELS:
        return charts.slide_levels_figure(figures.by_level, session.target, rate_label, MIN_JUDGEABLE)
    if slide.key == slides.ATTENTION and not figures.attention.empty:
        return charts.slide_attention_figure(figures.attention.named, session.target, MIN_JUDGEABLE)
    if slide.key == slides.ATTENTION:  # nobody named: the units that can be judged, against the target
        units, judgeable, small = judged_units(figures)
        if not units.empty:
            notes = ([f"{fmt.number(len(units))}/{fmt.number(judgeable)} đơn vị có tỷ lệ thấp nhất"]
                     if judgeable > len(units) else [])
            notes += [f"không vẽ {fmt.number(small)} đơn vị ít hồ sơ hơn: quá ít để đánh giá"] if small else []
            subtitle = "; ".join(notes)
            return charts.slide_attention_figure(
                units, session.target, MIN_JUDGEABLE,
                title=f"Tỷ lệ đúng hạn các đơn vị có từ {fmt.number(MIN_JUDGEABLE)} hồ sơ đã giải quyết",
                subtitle=subtitle[:1].upper() + subtitle[1:] if subtitle else None)
    if slide.key == slides.COMPARISON and figures.comparison is not None:
        return charts.slide_comparison_figure(figures.comparison.total, session.comparison.label,
                                              figures.period.label, session.target)
    if slide.key == slides.MOST_LATE and not figures.most_late_fields.empty:
        return charts.slide_most_late_figure(figures.most_late_fields)
    return None


MOST_UNITS = 8  # units on a chart of the slide, at most


def judged_units(figures: SessionFigures) -> tuple[pd.DataFrame, int, int]:
    """The units whose rate can be judged (MIN_JUDGEABLE dossiers or more in the denominator), lowest rate first,
    MOST_UNITS at most; how many can be judged; how many units with dossiers have fewer."""
    funnel = figures.units_funnel
    if funnel.empty:
        return funnel, 0, 0
    big = funnel[funnel["denominator"] >= MIN_JUDGEABLE]
    small = int(((funnel["denominator"] > 0) & (funnel["denominator"] < MIN_JUDGEABLE)).sum())
    shown = big.sort_values(["rate", "denominator", "name"], ascending=[True, False, True]).head(MOST_UNITS)
    return shown.reset_index(drop=True), len(big), small


def levels_table_html(figures: SessionFigures) -> str:
    """Biểu 06's rows for the levels and the total, as the form prints them, in projector type."""
    return bieu06_html(figures.by_level, figures.total, "level", large=True)


def beside_chart(slide: slides.Slide, figures: SessionFigures) -> tuple[str, ...]:
    """The lines shown with the slide's chart. On the most-late slide the fields' lines are the chart itself (each
    bar carries its count and its share), so the procedures' lines are shown (slides.most_late_slide puts the
    fields' lines first, one per field)."""
    if slide.key == slides.MOST_LATE:
        return slide.lines[len(figures.most_late_fields):]
    return slide.lines


# How much text a box holds (an estimate: a character of the page's sans-serif is a little under half its size wide).
# Lines beyond it are left to the deck and the report, and the slide says how many.
CHAR_WIDTH = 0.47
WIDE = CANVAS_WIDTH - 2 * PADDING_X          # the slide's width on the canvas
BODY_HEIGHT = 700                             # the body's height under a two-line headline, on the canvas
SIDE_SHARES = (0.3, 0.4)                      # the lines' column beside a chart: narrow when the lines fit in it
COLUMN_GAP = 48


def side_width(share: float) -> float:
    return WIDE * share - COLUMN_GAP


def text_height(lines, width: float, size: int) -> float:
    """About how tall `lines` stand as bullets in a box `width` wide, in type of `size` (canvas pixels)."""
    per_row = max(int((width - 1.1 * size) / (size * CHAR_WIDTH)), 1)
    rows = sum(max(math.ceil(len(line) / per_row), 1) for line in lines)
    return rows * size * LINE_HEIGHT + len(lines) * size * ITEM_GAP


def fitting(lines, width: float, height: float, size: int) -> tuple[str, ...]:
    """The first lines that fit a box of `width`×`height` canvas pixels in type of `size`, and a last line saying
    how many more there are when they do not all fit."""
    lines = tuple(lines)
    if text_height(lines, width, size) <= height:
        return lines
    kept = list(lines)
    while kept:
        kept.pop()
        more = f"… và {fmt.number(len(lines) - len(kept))} dòng nữa: xem báo cáo hoặc tệp trình chiếu (trang Báo cáo)."
        if text_height([*kept, more], width, size) <= height:
            return (*kept, more)
    return (f"{fmt.number(len(lines))} dòng: xem báo cáo hoặc tệp trình chiếu (trang Báo cáo).",)


def _plot(where, figure: go.Figure, scale: float) -> None:
    # theme=None: the chart keeps its own projector styling (dark text, large type), not Streamlit's greys;
    # height "stretch": the chart takes the height the slide's box leaves it
    where.plotly_chart(charts.slide_scaled(figure, scale), width="stretch", height="stretch", theme=None,
                       config={"displayModeBar": False})


def _lines(where, lines, size: str = "") -> None:
    if lines:  # st.html refuses an empty body: a slide without lines draws nothing here
        where.html(lines_html(lines, size))


def show(slide: slides.Slide, figures: SessionFigures, sample: bool, source: str = "", scale: float = 1.0) -> None:
    """One slide in the window's height: the header, its figures, chart and lines, the source at its foot. `scale`:
    the window's against the 1920×1080 canvas (the charts' type and marks are multiplied by it)."""
    with st.container(key=SLIDE_BOX):
        st.html(header_html(slide, sample))
        with st.container(key=BODY_BOX):
            _body(slide, figures, scale)
        if source:
            st.html(footer_html(source))


def _body(slide: slides.Slide, figures: SessionFigures, scale: float) -> None:
    if slide.key == slides.HEADLINE:
        st.html(figures_html(figures))
        _lines(st, fitting(slide.lines, WIDE, BODY_HEIGHT - 380, LINES_PX))
        return
    drawn = chart(slide, figures)
    if slide.key == slides.LEVELS:  # the form's own rows say it all; the chart adds each level's rate
        st.html(levels_table_html(figures))
        with st.container(key=CHART_BOX):
            _plot(st, drawn, scale)
        return
    if drawn is None:  # words only: a few in large type in the middle of the slide, more in smaller type
        if text_height(slide.lines, WIDE, BIG_LINES_PX) <= BODY_HEIGHT * 0.6:
            _lines(st, slide.lines, "big statement")
        elif text_height(slide.lines, WIDE, LINES_PX) <= BODY_HEIGHT:
            _lines(st, slide.lines)
        else:
            _lines(st, fitting(slide.lines, WIDE, BODY_HEIGHT, SMALL_LINES_PX), "small")
        return
    lines = beside_chart(slide, figures)
    if not lines:
        with st.container(key=CHART_BOX):
            _plot(st, drawn, scale)
        return
    if slide.key == slides.TREND:  # the months across the whole width, what they say under them
        with st.container(key=CHART_BOX):
            _plot(st, drawn, scale)
        _lines(st, fitting(lines, WIDE, 2 * LINES_PX * (LINE_HEIGHT + ITEM_GAP), LINES_PX))
        return
    share = next((share for share in SIDE_SHARES if text_height(lines, side_width(share), LINES_PX) <= BODY_HEIGHT),
                 SIDE_SHARES[-1])
    left, right = st.columns([1 - share, share], gap=None, wrap=False)
    _plot(left, drawn, scale)
    if text_height(lines, side_width(share), LINES_PX) <= BODY_HEIGHT:
        _lines(right, lines)
    else:
        _lines(right, fitting(lines, side_width(share), BODY_HEIGHT, SMALL_LINES_PX), "small")
