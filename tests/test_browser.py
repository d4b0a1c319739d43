"""The real app in headless Chromium (Debian's package, driven by Playwright), along the main path:

first start shows the sample review → upload an export on Dữ liệu → choose quarter I/2019 on Tổng quan → visit every
screen through the navigation (no exception, no error alert) → the chosen period is still there on Biểu 06.

The tests share one server (fresh, empty data folder) and one browser page, and run in this file's order.
Screenshots of every screen are kept in screenshots/ (git-ignored) for a person to look at.

While the data are still the sample, other pages (their own sessions and window sizes) check issue 9's screens:
every screen answers at its own path, a link with period and filter parameters opens the view it names, the
presentation fits a projector at 1920×1080 and 1280×720 slide after slide (keyboard arrows included), and Biểu 06
shows its fourteen columns at 1920×1080 without scrolling sideways. Their screenshots go to pytest's tmp_path and
are copied to $BROWSER_ARTIFACTS (default /tmp/browser-artifacts) for a person to look at.
"""
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.workbooks import simple_export

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
IN_CI = bool(os.environ.get("CI"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or \
    ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WIDTH, HEIGHT = 1280, 720
TIMEOUT = 30_000  # ms, for anything the app does after a click
FIRST_RUN_TIMEOUT = 60_000  # ms, the first run also reads the sample exports

if not CHROMIUM and not IN_CI:
    pytest.skip("Chromium is not installed here (apt-get install -y chromium); CI installs it.",
                allow_module_level=True)
if IN_CI:  # in CI a missing browser or Playwright is a failure, not a skip
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright
else:
    playwright_api = pytest.importorskip("playwright.sync_api")
    PlaywrightError, expect, sync_playwright = (playwright_api.Error, playwright_api.expect,
                                                playwright_api.sync_playwright)

# The screens, in the navigation's order: link text, title (h1), file name of the screenshot.
SCREENS = [("Tổng quan", "Tổng quan", "overview"), ("Biểu 06", "Biểu 06/VPCP/KSTT", "bieu06"),
           ("Thủ tục", "Thủ tục hành chính", "procedures"), ("Đơn vị", "Đơn vị", "units"),
           ("So sánh kỳ", "So sánh kỳ", "compare"), ("Hồ sơ trễ hạn", "Hồ sơ trễ hạn", "late"),
           ("Dữ liệu", "Dữ liệu", "data")]
EXCEPTION = "[data-testid='stException']"
ERROR_ALERT = "[data-testid='stAlertContentError']"  # st.error in Streamlit 1.67 (warnings: ...ContentWarning)
IDLE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app !== null && app.dataset.testConnectionState === "CONNECTED"
        && app.dataset.testScriptState === "notRunning"
        && document.querySelector("[data-testid='stStatusWidget']") === null
        && document.querySelector("[data-stale='true']") === null;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "ONESTOP_DATA_DIR": str(tmp_path_factory.mktemp("data")), "ONESTOP_SINGLE_USER": "1"}
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless",
                                   "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                   "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server, log, time.time() + 60)
        yield url
    finally:
        stop(server)


def wait_until_up(url: str, server: subprocess.Popen, log, deadline: float) -> None:
    """Until the server's /_stcore/health answers at `url` (the address the browser will use)."""
    while True:
        if server.poll() is not None:
            pytest.fail(f"Streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2,
                                        context=ssl._create_unverified_context()) as response:  # a test certificate
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            pytest.fail(f"Streamlit did not answer at {url} in time:\n{log.read_text(errors='replace')}")
        time.sleep(0.3)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def page(browser, app_url):
    """One page for the whole path, so the session (imported file, chosen period) carries from test to test."""
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.set_default_timeout(TIMEOUT)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.close()


# --- Helpers -----------------------------------------------------------------------------------------------------

def settle(page, timeout: int = TIMEOUT) -> None:
    """Wait until Streamlit has finished the current run: connected, script not running, nothing stale left."""
    page.wait_for_function(IDLE, timeout=timeout, polling=100)


def assert_no_error(page, where: str) -> None:
    exceptions = page.locator(EXCEPTION)
    assert exceptions.count() == 0, f"{where}: exception shown: {exceptions.first.inner_text()[:2000]}"
    errors = page.locator(ERROR_ALERT)
    assert errors.count() == 0, f"{where}: error alert: {errors.all_inner_texts()}"
    assert not page.errors, f"{where}: JavaScript errors: {page.errors}"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def screenshot(page, name: str) -> None:
    """The whole screen: the main area scrolls inside the window, so make the window as tall as the content."""
    SHOTS.mkdir(exist_ok=True)
    height = page.evaluate("""() => Math.max(...["stMain", "stSidebarContent"].map(
        id => document.querySelector(`[data-testid='${id}']`)?.scrollHeight || 0))""")
    page.set_viewport_size({"width": WIDTH, "height": min(max(height, HEIGHT), 12_000)})
    try:
        page.wait_for_timeout(400)  # layout and charts follow the new size
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})


def title(page, text: str):
    return page.locator("[data-testid='stMain'] h1").filter(has_text=text)


def open_screen(page, link: str, heading: str) -> None:
    """Click the sidebar navigation link and wait for the screen's run to finish."""
    page.locator(".st-key-menu").get_by_role("link", name=link, exact=True).click()
    expect(title(page, heading)).to_be_visible(timeout=TIMEOUT)
    settle(page)
    expect(page.locator("[data-testid='stMain'] h1")).to_have_count(1)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a sidebar selectbox (a combobox in Streamlit 1.67: click it, click the option)."""
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=label, exact=True)
    if box.input_value() == option:
        return
    box.click()
    page.get_by_role("listbox").get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    expect(page.get_by_role("listbox")).to_have_count(0)
    settle(page)


def metric_value(page, label: str):
    card = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label,
                                                                                                      exact=True))
    return card.get_by_test_id("stMetricValue")


# --- The main path -----------------------------------------------------------------------------------------------

def test_first_start_shows_the_sample_review(page, app_url):
    page.goto(app_url)
    expect(title(page, "Tổng quan")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    settle(page, FIRST_RUN_TIMEOUT)
    screenshot(page, "00a-first-start")
    assert_no_error(page, "Tổng quan (first start)")
    text = page.inner_text("body")
    assert "1.365" in text and "DỮ LIỆU MẪU" in text
    # Usable at 1280×720: the page itself does not scroll sideways.
    assert no_sideways_scroll(page)


# --- Issue 9: links, the presentation, Biểu 06 on one screen (on the sample, before anything is imported) ------

ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", "/tmp/browser-artifacts"))
# Every screen's own path (its url_path in dashboard.py) and what shows it has drawn; "" is the root.
PATHS = [("", "h1", "Tổng quan"), ("tong-quan", "h1", "Tổng quan"), ("bieu-06", "h1", "Biểu 06/VPCP/KSTT"),
         ("thu-tuc", "h1", "Thủ tục hành chính"), ("don-vi", "h1", "Đơn vị"), ("so-sanh-ky", "h1", "So sánh kỳ"),
         ("ho-so-tre-han", "h1", "Hồ sơ trễ hạn"), ("bao-cao", "h1", ""), ("trinh-chieu", ".slide-headline", ""),
         ("du-lieu", "h1", "Dữ liệu")]
PROJECTOR_SIZES = [(1920, 1080), (1280, 720)]


@pytest.fixture(scope="module")
def fresh(browser, app_url):
    """A new browser page (its own Streamlit session) at a given window size, on the shared server."""
    opened = []

    def open_page(width: int = WIDTH, height: int = HEIGHT):
        new = browser.new_page(viewport={"width": width, "height": height})
        new.set_default_timeout(TIMEOUT)
        new.errors = []
        new.on("pageerror", lambda error: new.errors.append(str(error)))
        opened.append(new)
        return new

    # The server's very first script run goes through Streamlit's legacy pages/ mode (a pages/ folder sits beside
    # dashboard.py); tests/test_browser_presentation.py checks that first request (a bookmark on a deep link).
    # These tests check the paths: start at the root.
    first = open_page()
    first.goto(app_url)
    expect(title(first, "Tổng quan")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    first.close()
    yield open_page
    for opened_page in opened:
        if not opened_page.is_closed():
            opened_page.close()


def artefact(page, name: str, tmp_path: Path, full_page: bool = False) -> None:
    """A screenshot under pytest's tmp_path, copied to ARTIFACTS for a person to look at."""
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=full_page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTIFACTS / shot.name)


def link(app_url: str, path: str, **params) -> str:
    return f"{app_url}/{path}?{urllib.parse.urlencode(params, doseq=True)}"


def main_caption(page):
    return page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first


def test_every_screen_answers_at_its_own_path(fresh, app_url):
    page = fresh()
    for path, drawn, heading in PATHS:
        page.goto(f"{app_url}/{path}")
        shown = page.locator(f"[data-testid='stMain'] {drawn}")
        expect(shown.filter(has_text=heading) if heading else shown.first).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
        settle(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        assert_no_error(page, f"/{path}")
        expected = path or "tong-quan"  # the root sends the overview on to its own path
        assert urllib.parse.urlsplit(page.url).path == f"/{expected}", page.url


def test_a_link_opens_the_view_it_names_and_the_address_bar_follows_the_widgets(fresh, app_url, tmp_path):
    page = fresh()
    page.goto(link(app_url, "tong-quan", ky="quarter", nam="2019", so="1", linh_vuc="Hộ tịch", ss="previous",
                   muc_tieu="abc"))
    expect(title(page, "Tổng quan")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    settle(page)
    expect(main_caption(page)).to_contain_text("Kỳ: Quý I/2019 (01/01/2019 – 31/03/2019) · Lĩnh vực: Hộ tịch")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Loại kỳ", exact=True)).to_have_value("Quý")
    expect(sidebar.get_by_role("combobox", name="So sánh với", exact=True)).to_have_value("Kỳ liền trước")
    expect(page.get_by_test_id("stAlertContentWarning").filter(has_text='muc_tieu="abc"')).to_have_count(1)
    expect(metric_value(page, "Hồ sơ nhận giải quyết (3)")).to_be_visible()
    artefact(page, "link-overview-q1-2019", tmp_path)
    assert_no_error(page, "Tổng quan (opened from a link)")
    choose(page, "Năm", "2018")
    expect(main_caption(page)).to_contain_text("Kỳ: Quý I/2018")
    assert "nam=2018" in page.url and "linh_vuc=" in page.url
    copied = fresh()  # the address bar, pasted in another window, shows the same view
    copied.goto(page.url)
    expect(title(copied, "Tổng quan")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    settle(copied)
    expect(main_caption(copied)).to_contain_text("Kỳ: Quý I/2018 (01/01/2018 – 31/03/2018) · Lĩnh vực: Hộ tịch")
    assert_no_error(copied, "Tổng quan (the copied link)")


def test_the_presentation_fits_the_projector_slide_after_slide(fresh, app_url, tmp_path):
    """A year against a quarter, from a link, at the projector's smaller size (both sizes and both decks the sample
    opens with are walked, measured and keyed in test_browser_presentation)."""
    width, height = 1280, 720
    page = fresh(width, height)
    page.goto(link(app_url, "trinh-chieu", ky="quarter", nam="2019", so="1", ss="custom", ss_tu="2018-01-01",
                   ss_den="2018-12-31", slide="1"))
    headline = page.locator(".slide-headline")
    expect(headline).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    settle(page)
    counter = page.locator(".slide-counter")
    count = int(counter.inner_text().split("/")[1])
    assert count >= 7
    for number in range(1, count + 1):
        expect(counter).to_have_text(f"Trang {number}/{count}")
        settle(page)
        where = f"slide {number} at {width}×{height}"
        assert no_sideways_scroll(page), f"{where} scrolls sideways"
        box = headline.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, \
            f"{where}: the headline is not all on screen ({box})"
        assert headline.evaluate("e => e.scrollWidth <= e.clientWidth"), f"{where}: the headline is cut off"
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        expect(page.locator(".slide-sample")).to_be_visible()  # the sample says so on every slide
        assert_no_error(page, where)
        artefact(page, f"presentation-{width}x{height}-{number:02d}", tmp_path)
        if number < count:
            page.keyboard.press("ArrowRight")  # the "Sau" button's shortcut
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text(f"Trang {count - 1}/{count}")
    assert f"slide={count - 1}" in page.url


@pytest.mark.parametrize("width, height", PROJECTOR_SIZES, ids=[f"{w}x{h}" for w, h in PROJECTOR_SIZES])
def test_bieu06_shows_its_fourteen_columns_on_one_screen(fresh, app_url, tmp_path, width, height):
    page = fresh(width, height)
    page.goto(link(app_url, "bieu-06", ky="quarter", nam="2019", so="1"))
    expect(title(page, "Biểu 06/VPCP/KSTT")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    form = page.locator(".bieu06")
    expect(form).to_be_visible()
    settle(page)
    assert no_sideways_scroll(page), f"Biểu 06 scrolls sideways at {width}×{height}"
    numbers = form.locator("tr.numbers th")
    expect(numbers.filter(has_text="(14)")).to_have_count(1)
    if width >= 1920:  # every column number on screen, the table itself not scrolling
        assert form.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways inside itself"
        for n in range(1, 15):
            cell = numbers.filter(has_text=f"({n})").first
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"column ({n}) is off screen"
    assert_no_error(page, f"Biểu 06 at {width}×{height}")
    artefact(page, f"bieu06-{width}x{height}", tmp_path)


def test_upload_an_export_on_the_data_screen(page, tmp_path):
    workbook = simple_export(tmp_path / "q1.xlsx")  # 3 dossiers received in Q1/2019
    open_screen(page, "Dữ liệu", "Dữ liệu")
    page.locator("input[type=file]").first.set_input_files(str(workbook))
    page.get_by_role("button", name="Nhập các tệp đã chọn vào kho").click()
    result = page.get_by_test_id("stExpander").filter(has_text="q1.xlsx")
    expect(result).to_contain_text("Đã nhập:", timeout=TIMEOUT)
    settle(page)
    expect(result).to_contain_text("3 dòng hồ sơ")
    # The imports table (a canvas grid; its cells are mirrored in an accessible table).
    imports = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Dấu vân tay"))
    expect(imports.locator("td[role=gridcell]").filter(has_text="q1.xlsx")).to_have_count(1)
    screenshot(page, "00b-imported")
    assert_no_error(page, "Dữ liệu (after the import)")


def test_quarter_i_2019_on_the_overview(page):
    open_screen(page, "Tổng quan", "Tổng quan")
    choose(page, "Loại kỳ", "Quý")
    choose(page, "Năm", "2019")
    choose(page, "Quý", "I")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Kỳ: Quý I/2019")
    expect(metric_value(page, "Hồ sơ nhận giải quyết (3)")).to_have_text("3")
    expect(page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first).to_contain_text("Quý I/2019")
    expect(page.locator("body")).not_to_contain_text("DỮ LIỆU MẪU")
    expect(page.locator("body")).not_to_contain_text("Đây là dữ liệu mẫu")
    assert_no_error(page, "Tổng quan (quarter I/2019)")


@pytest.mark.parametrize("number, screen", list(enumerate(SCREENS, start=1)), ids=[s[2] for s in SCREENS])
def test_every_screen_opens_without_error(page, number, screen):
    link, heading, name = screen
    open_screen(page, link, heading)
    screenshot(page, f"{number:02d}-{name}")
    assert_no_error(page, link)
    assert no_sideways_scroll(page), f"{link} scrolls sideways at {WIDTH}×{HEIGHT}"


def test_the_period_survives_moving_between_screens(page):
    """After every screen (Dữ liệu, which has no period controls, last), Biểu 06 still reports quarter I/2019."""
    open_screen(page, "Biểu 06", "Biểu 06/VPCP/KSTT")
    caption = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first
    expect(caption).to_contain_text("Quý I/2019")
    expect(caption).to_contain_text("Dữ liệu đã nhập")
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Loại kỳ", exact=True)).to_have_value("Quý")
    assert_no_error(page, "Biểu 06 (after visiting every screen)")
