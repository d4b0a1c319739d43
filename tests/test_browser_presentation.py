"""The meeting room in headless Chromium (issue 15, item 3): the presentation as a leader uses it.

- A bookmark opened right after the server starts: a fresh server whose very first request is /trinh-chieu (and,
  on a second fresh server, /bieu-06) shows no "Page not found" box, draws its screen, and ends with the
  dashboard's own navigation (hidden on the slides; Vietnamese titles on Biểu 06), never the list of pages/ files.
- A clicker moves the slides: PageDown/PageUp, Space (Shift+Space back), the arrows; B or "." blanks the screen;
  keys typed into a field stay there; a focused button and Space move one slide, not two; after a session is
  chosen in the bar's list (a server with a stored session), the clicker still moves the slides.
- Every slide of the sample's decks (the period the sidebar opens with, and quarter I/2019 against quarter I/2018)
  fits 1920×1080 and 1280×720 with nothing scrolled or cut, in type a room reads: at 1920×1080 the slide's text
  (headline, bullets, table, figures, chart titles, ticks and labels) is 28 px or more and nothing is under 20 px
  (the presenter's bar, the sample's banner, the source line at the foot); at 1280×720 the same, scaled by 2/3.
  No data label crosses a target line, no rate axis goes past 100%, every slide says its source at its foot.

Screenshots of every slide go to pytest's tmp_path and $BROWSER_ARTIFACTS (default /tmp/browser-artifacts).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_browser import (
    FIRST_RUN_TIMEOUT,
    ROOT,
    TIMEOUT,
    artefact,
    assert_no_error,
    expect,
    free_port,
    settle,
    stop,
    wait_until_up,
)

SAMPLE_DECKS = {"view": {}, "q1-2019-vs-q1-2018": {"ky": "quarter", "nam": "2019", "so": "1", "ss": "year_before"}}
SIZES = [(1920, 1080), (1280, 720)]
ROOM_PX, LEAST_PX = 28, 20             # at 1920×1080; scaled with the window
# Names of pages/ files the legacy first run lists (the dashboard's own titles are Vietnamese words).
RAW_NAMES = ["dashboard", "bao-cao", "bieu-06", "tong-quan", "trinh-chieu", "du-lieu", "quan-tri"]

# Kept from the page's first moment: every dialog shown, and whether the list of pages/ files was in the page and
# painted visible (checked on every DOM change and on every animation frame, i.e. before every paint).
WATCH = """
window.__seen = {dialogs: [], rawInPage: [], rawPainted: []};
window.__navTitles = () => [...document.querySelectorAll("[data-testid='stSidebar'] a")].map((a) => {
  const copy = a.cloneNode(true);
  copy.querySelectorAll("[data-testid='stIconMaterial']").forEach((icon) => icon.remove());
  return copy.textContent.trim();
});
(() => {
  const RAW = %r;
  const look = (painted) => {
    for (const d of document.querySelectorAll("[role='dialog']")) {
      const text = d.textContent.trim().slice(0, 80);
      if (!window.__seen.dialogs.includes(text)) window.__seen.dialogs.push(text);
    }
    const nav = document.querySelector("[data-testid='stSidebar']");
    if (!nav || !window.__navTitles().some((title) => RAW.includes(title))) return;
    const box = nav.getBoundingClientRect();
    const shown = box.width > 0 && box.height > 0 && box.right > 0 && getComputedStyle(nav).visibility !== "hidden";
    const list = painted ? window.__seen.rawPainted : window.__seen.rawInPage;
    if (!painted || shown) list.push([Math.round(performance.now()), shown]);
  };
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(() => look(false)).observe(document.documentElement,
      {subtree: true, childList: true, characterData: true, attributes: true});
    const frame = () => { look(true); requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  });
})();
""" % RAW_NAMES

# What a slide shows, measured in the page: scrolling, boxes, and the size of every text drawn (HTML and the charts'
# SVG), as the eye sees it. "room": the slide's own text; the rest is the presenter's bar, the banner, the footer.
MEASURE = """
() => {
  const main = document.querySelector("[data-testid='stMain']");
  const visible = (el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
  const texts = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement, text = walker.currentNode.textContent.trim();
    if (!text || !el || el.closest("svg, script, style") || !visible(el)) continue;
    const style = getComputedStyle(el);
    if (/Material/i.test(style.fontFamily)) continue;  // icons
    const room = !!el.closest(".st-key-slide") && !el.closest(".slide-sample, .slide-footer");
    texts.push({text: text.slice(0, 60), px: parseFloat(style.fontSize), room});
  }
  for (const el of main.querySelectorAll(".js-plotly-plot svg text")) {
    const text = el.textContent.trim();
    if (!text || !visible(el)) continue;
    texts.push({text: text.slice(0, 60), px: parseFloat(getComputedStyle(el).fontSize), room: true, chart: true});
  }
  const outside = [];
  for (const el of main.querySelectorAll("[data-testid='stElementContainer'], .slide-footer, .js-plotly-plot")) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.bottom > innerHeight + 1 || r.right > innerWidth + 1 || r.left < -1)
      outside.push((el.dataset.testid || el.className.toString()).slice(0, 40) + " " + JSON.stringify(r.toJSON()));
  }
  for (const chart of main.querySelectorAll("[data-testid='stPlotlyChart']")) {
    const box = chart.getBoundingClientRect(), svg = chart.querySelector(".main-svg");
    if (svg) { const s = svg.getBoundingClientRect();
      if (s.bottom > box.bottom + 1 || s.right > box.right + 1) outside.push("a chart larger than its box"); }
  }
  // Data labels against the target line (a dashed shape), and the rate axes' last tick.
  const crossing = [], ticks = [];
  for (const plot of main.querySelectorAll(".js-plotly-plot")) {
    const lines = [...plot.querySelectorAll(".shapelayer path")].filter(p => (p.style.strokeDasharray || "") !== ""
      && p.style.strokeDasharray !== "none").map(p => p.getBoundingClientRect());
    const labels = [...plot.querySelectorAll(".textpoint text, .bartext, .annotation-text")]
      .filter(t => !t.textContent.startsWith("Mục tiêu"));
    for (const label of labels) {
      const r = label.getBoundingClientRect();
      for (const l of lines)
        if (r.left < l.right && r.right > l.left && r.top < l.bottom && r.bottom > l.top)
          crossing.push(label.textContent);
    }
    for (const t of plot.querySelectorAll(".xtick text, .ytick text")) ticks.push(t.textContent);
  }
  const footer = main.querySelector(".slide-footer");
  return {scrollHeight: document.scrollingElement.scrollHeight, scrollWidth: document.scrollingElement.scrollWidth,
          innerHeight, innerWidth, mainScroll: main.scrollHeight, mainClient: main.clientHeight,
          mainScrollWidth: main.scrollWidth, mainClientWidth: main.clientWidth, outside, texts, crossing, ticks,
          footer: footer && visible(footer) ? footer.textContent : null,
          charts: main.querySelectorAll("[data-testid='stPlotlyChart']").length};
}
"""
CHARTS_DRAWN = """() => !document.querySelector("[data-testid='stSkeleton']")
    && [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(c => c.querySelector(".main-svg"))"""


# --- Servers -----------------------------------------------------------------------------------------------------

def start(data_dir: Path, log: Path) -> tuple[str, subprocess.Popen]:
    """dashboard.py on a fresh, empty data folder (the sample shows), on this computer only (single-user mode)."""
    port = free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, "ONESTOP_DATA_DIR": str(data_dir), "ONESTOP_SINGLE_USER": "1"}, stdout=out,
            stderr=subprocess.STDOUT)
    return f"http://127.0.0.1:{port}", server


def link(url: str, path: str, **params) -> str:
    return f"{url}/{path}?{urllib.parse.urlencode(params)}"


@dataclass
class FirstVisit:
    """What the very first request after a server start showed (it cannot be repeated on that server)."""
    path: str
    url: str
    dialogs: list[str]
    page_not_found: int
    raw_in_page: list
    raw_painted: list
    sidebar_visible: bool
    nav_titles: list[str]                # the navigation's link titles (icons left out), shown or hidden
    headings: list[str]
    slide_headline: str | None
    banner: bool
    errors: list[str]


FIRST_PATHS = {"trinh-chieu": ".slide-headline", "bieu-06": "[data-testid='stMain'] h1"}


def first_visit(browser, path: str, drawn: str, folder: Path) -> FirstVisit:
    (folder / "data").mkdir(parents=True)
    url, server = start(folder / "data", folder / "streamlit.log")
    try:
        wait_until_up(url, server, folder / "streamlit.log", time.time() + 60)
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        try:
            page = context.new_page()
            page.set_default_timeout(TIMEOUT)
            page.errors = []
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            page.add_init_script(WATCH)
            page.goto(f"{url}/{path}")  # a bookmark: the server's first request
            page.locator(drawn).first.wait_for(timeout=FIRST_RUN_TIMEOUT)
            settle(page, FIRST_RUN_TIMEOUT)
            page.wait_for_timeout(3000)  # the box used to come and stay: look again a few seconds later
            settle(page)
            seen = page.evaluate("window.__seen")
            shot = folder / f"first-request-{path}.png"
            page.screenshot(path=str(shot))
            artefact_dir = Path(os.environ.get("BROWSER_ARTIFACTS", "/tmp/browser-artifacts"))
            artefact_dir.mkdir(parents=True, exist_ok=True)
            (artefact_dir / shot.name).write_bytes(shot.read_bytes())
            return FirstVisit(
                path=path, url=page.url, dialogs=seen["dialogs"],
                page_not_found=page.get_by_text("Page not found").count(),
                raw_in_page=seen["rawInPage"], raw_painted=seen["rawPainted"],
                sidebar_visible=page.get_by_test_id("stSidebar").is_visible(),
                nav_titles=page.evaluate("window.__navTitles()"),
                headings=page.locator("[data-testid='stMain'] h1").all_inner_texts(),
                slide_headline=page.locator(".slide-headline").first.inner_text() if page.locator(
                    ".slide-headline").count() else None,
                banner=page.locator(".slide-sample").count() == 1, errors=list(page.errors))
        finally:
            context.close()
    finally:
        stop(server)


@pytest.fixture(scope="module")
def first_visits(browser, tmp_path_factory):
    """/trinh-chieu and /bieu-06, each the very first request of its own fresh server."""
    return {path: first_visit(browser, path, drawn, tmp_path_factory.mktemp(f"first-{path}"))
            for path, drawn in FIRST_PATHS.items()}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """One server for the slides (fresh data folder: the sample), already past its first request."""
    folder = tmp_path_factory.mktemp("slides")
    (folder / "data").mkdir()
    url, server = start(folder / "data", folder / "streamlit.log")
    try:
        wait_until_up(url, server, folder / "streamlit.log", time.time() + 60)
        yield url
    finally:
        stop(server)


@pytest.fixture(scope="module")
def with_session_url(tmp_path_factory):
    """A server whose store holds a supervision session (quarter I/2019 against 2018) and no import: the sample."""
    from analytics.dossiers.store import Store
    from tests.session_fixtures import SAMPLE_SESSION
    folder = tmp_path_factory.mktemp("with-session")
    Store(folder / "data").save_session(SAMPLE_SESSION)
    url, server = start(folder / "data", folder / "streamlit.log")
    try:
        wait_until_up(url, server, folder / "streamlit.log", time.time() + 60)
        yield url
    finally:
        stop(server)


@pytest.fixture
def window(browser):
    """A new browser page (its own Streamlit session) of a given size."""
    opened = []

    def open_page(width: int, height: int):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(TIMEOUT)
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.close()


# --- 1. A bookmark right after a start -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", list(FIRST_PATHS))
def test_a_bookmark_opened_right_after_a_start_shows_no_box(first_visits, path):
    visit = first_visits[path]
    assert visit.dialogs == [], f"/{path}: a dialog showed: {visit.dialogs}"
    assert visit.page_not_found == 0
    assert urllib.parse.urlsplit(visit.url).path == f"/{path}", visit.url
    assert visit.errors == []


def test_the_slides_bookmark_draws_the_first_slide_with_no_sidebar(first_visits):
    visit = first_visits["trinh-chieu"]
    assert visit.slide_headline and visit.banner
    assert not visit.sidebar_visible
    assert "Trình chiếu" in visit.nav_titles  # the dashboard's navigation (hidden here), not the pages/ files
    assert not set(visit.nav_titles) & set(RAW_NAMES), visit.nav_titles


def test_the_form_bookmark_draws_biểu_06_in_the_frame_with_the_dashboards_navigation(first_visits):
    visit = first_visits["bieu-06"]
    assert visit.headings == ["Biểu 06/VPCP/KSTT"]  # drawn once, inside dashboard.py's frame
    assert visit.sidebar_visible
    assert {"Tổng quan", "Biểu 06", "Trình chiếu", "Dữ liệu"} <= set(visit.nav_titles), visit.nav_titles
    assert not set(visit.nav_titles) & set(RAW_NAMES), visit.nav_titles


def test_the_list_of_pages_files_is_never_painted(first_visits):
    painted = {path: visit.raw_painted for path, visit in first_visits.items() if visit.raw_painted}
    assert painted == {}, f"the pages/ list was painted at (ms after the start of the page): {painted}"


# --- 2. A clicker --------------------------------------------------------------------------------------------------

def open_slides(page, url: str, **params) -> int:
    page.goto(link(url, "trinh-chieu", **params))
    page.locator(".slide-headline").wait_for(timeout=FIRST_RUN_TIMEOUT)
    page.locator("html[data-slide-keys='ready']").wait_for(state="attached", timeout=FIRST_RUN_TIMEOUT)
    settle(page, FIRST_RUN_TIMEOUT)
    return int(page.locator(".slide-counter").inner_text().split("/")[1])


def at_slide(page, number: int, count: int) -> None:
    expect(page.locator(".slide-counter")).to_have_text(f"Trang {number}/{count}")
    settle(page)
    expect(page.locator(".slide-counter")).to_have_text(f"Trang {number}/{count}")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query).get("slide") == [str(number)], page.url


def test_a_clickers_keys_move_the_slides(window, app_url):
    page = window(1920, 1080)
    count = open_slides(page, app_url, slide=1)
    assert count >= 7
    for key, number in [("PageDown", 2), ("Space", 3), ("ArrowRight", 4), ("ArrowDown", 5), ("PageUp", 4),
                        ("ArrowLeft", 3), ("ArrowUp", 2), ("Shift+Space", 1)]:
        page.keyboard.press(key)
        at_slide(page, number, count)
    page.keyboard.press("PageUp")  # nothing before the first slide
    page.wait_for_timeout(800)
    at_slide(page, 1, count)
    assert_no_error(page, "the slides, moved by keys")


def test_b_blanks_the_screen_and_any_key_brings_the_slide_back(window, app_url):
    page = window(1920, 1080)
    count = open_slides(page, app_url, slide=2)
    blank = page.locator("#slide-blank")
    for key in ["b", "."]:
        page.keyboard.press(key)
        expect(blank).to_be_visible()
        assert blank.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"
        page.keyboard.press("PageDown")  # brings the slide back, does not move on
        expect(blank).to_have_count(0)
        page.wait_for_timeout(500)
        at_slide(page, 2, count)


def test_keys_typed_into_a_field_stay_in_it(window, app_url):
    page = window(1920, 1080)
    count = open_slides(page, app_url, slide=1)
    page.evaluate("() => { const i = document.createElement('input'); i.id = 'typed'; document.body.prepend(i);"
                  " i.focus(); }")
    page.keyboard.type("quý I b.")
    for key in ["PageDown", "Space", "ArrowRight"]:
        page.keyboard.press(key)
    page.wait_for_timeout(800)
    at_slide(page, 1, count)
    assert page.locator("#typed").input_value() == "quý I b. "
    expect(page.locator("#slide-blank")).to_have_count(0)


def test_space_on_a_focused_button_moves_one_slide_and_each_button_shows_one_arrow(window, app_url):
    page = window(1920, 1080)
    count = open_slides(page, app_url, slide=1)
    for key, label in [("slide_previous", "Trước"), ("slide_next", "Sau")]:
        button = page.locator(f".st-key-{key} button").first
        assert button.locator("[data-testid='stIconMaterial']").count() == 1
        assert button.locator("kbd").count() == 0
        assert button.inner_text().replace("arrow_back", "").replace("arrow_forward", "").strip() == label
    page.locator(".st-key-slide_next button").first.click()
    at_slide(page, 2, count)
    page.keyboard.press("Space")  # the button has the focus: one step, not the button's and the script's
    at_slide(page, 3, count)
    page.wait_for_timeout(1000)
    at_slide(page, 3, count)


def test_after_choosing_a_session_in_the_bar_the_clicker_still_moves_the_slides(window, with_session_url, tmp_path):
    from tests.session_fixtures import SAMPLE_SESSION
    page = window(1920, 1080)
    count = open_slides(page, with_session_url)
    choice = page.get_by_test_id("stMain").get_by_role("combobox")
    expect(choice).to_have_value(f"Đợt giám sát: {SAMPLE_SESSION.name}")
    for number in range(1, count + 1):  # the stored session's deck fits too
        at_slide(page, number, count)
        check_slide(page, f"the stored session, slide {number}/{count}", 1920, 1080)
        artefact(page, f"slides-session-1920x1080-{number:02d}", tmp_path)
        if number < count:
            page.keyboard.press("PageDown")
    choice.click()  # the other choice: the period chosen on the dashboard
    page.get_by_role("listbox").get_by_role("option").filter(has_text="Kỳ đang chọn").click()
    expect(choice).to_have_value(re.compile("^Kỳ đang chọn"))
    expect(page.locator(".slide-counter")).to_have_text(re.compile(r"^Trang 1/"), timeout=FIRST_RUN_TIMEOUT)
    settle(page)
    count = int(page.locator(".slide-counter").inner_text().split("/")[1])
    at_slide(page, 1, count)  # a new deck starts at its first slide
    assert page.evaluate("document.activeElement.getAttribute('role')") == "combobox"  # the focus stayed
    page.keyboard.press("PageDown")
    at_slide(page, 2, count)
    page.keyboard.press("PageUp")
    at_slide(page, 1, count)
    choice.click()  # open, and typed into: the keys are the list's
    page.keyboard.type("Đợt")
    page.keyboard.press("Space")
    page.wait_for_timeout(800)
    at_slide(page, 1, count)
    page.keyboard.press("Escape")


# --- 3. Every slide fits, in type a room reads ---------------------------------------------------------------------

def scale_of(width: int, height: int) -> float:
    return min(width / 1920, height / 1080)


def check_slide(page, where: str, width: int, height: int) -> dict:
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT, polling=100)
    page.wait_for_timeout(300)  # the charts' last layout
    seen = page.evaluate(MEASURE)
    assert seen["scrollHeight"] <= seen["innerHeight"] and seen["scrollWidth"] <= seen["innerWidth"], \
        f"{where}: the page scrolls ({seen['scrollWidth']}×{seen['scrollHeight']})"
    assert seen["mainScroll"] <= seen["mainClient"] + 1 and seen["mainScrollWidth"] <= seen["mainClientWidth"] + 1, \
        f"{where}: the main area scrolls ({seen['mainScrollWidth']}×{seen['mainScroll']})"
    assert seen["outside"] == [], f"{where}: cut off at the window's edge: {seen['outside']}"
    scale = scale_of(width, height)
    room = [t for t in seen["texts"] if t["room"] and t["px"] < ROOM_PX * scale - 0.5]
    assert room == [], f"{where}: slide text under {ROOM_PX * scale:.1f} px: {room[:8]}"
    least = [t for t in seen["texts"] if t["px"] < LEAST_PX * scale - 0.5]
    assert least == [], f"{where}: text under {LEAST_PX * scale:.1f} px: {least[:8]}"
    if seen["charts"]:  # the chart's own text was measured, not only the page's
        assert any(t.get("chart") for t in seen["texts"]), f"{where}: no chart text found"
    assert seen["crossing"] == [], f"{where}: data labels across the target line: {seen['crossing']}"
    rates = [t for t in seen["ticks"] if t.endswith("%")]
    assert all(float(t.rstrip("%").replace(",", ".")) <= 100 for t in rates), f"{where}: a rate axis past 100%: {rates}"
    assert seen["footer"] and seen["footer"].startswith(("Nguồn:", "DỮ LIỆU MẪU · Nguồn:")), \
        f"{where}: no source at the foot: {seen['footer']}"
    expect(page.locator(".slide-sample")).to_be_visible()  # the sample says so on every slide
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    assert_no_error(page, where)
    return seen


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("deck", list(SAMPLE_DECKS))
def test_every_slide_fits_the_window_in_type_a_room_reads(window, app_url, tmp_path, deck, width, height):
    page = window(width, height)
    count = open_slides(page, app_url, slide=1, **SAMPLE_DECKS[deck])
    assert count >= (8 if "vs" in deck else 7)
    sizes = []
    for number in range(1, count + 1):
        at_slide(page, number, count)
        where = f"{deck}, slide {number}/{count} at {width}×{height}"
        seen = check_slide(page, where, width, height)
        sizes.append(min(t["px"] for t in seen["texts"] if t["room"]))
        artefact(page, f"slides-{deck}-{width}x{height}-{number:02d}", tmp_path)
        if number < count:
            page.keyboard.press("PageDown")
    assert min(sizes) >= ROOM_PX * scale_of(width, height) - 0.5


def test_a_link_to_a_chart_slide_fits_a_small_window_from_its_first_run(window, app_url, tmp_path):
    """The window's size reaches Python after the first run: the chart is drawn again at the window's scale."""
    page = window(1280, 720)
    count = open_slides(page, app_url, slide=2, ky="quarter", nam="2019", so="1", ss="year_before")
    at_slide(page, 2, count)
    seen = check_slide(page, "slide 2 opened by a link at 1280×720", 1280, 720)
    assert seen["charts"] == 1
    artefact(page, "slides-link-1280x720-02", tmp_path)
