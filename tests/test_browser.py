"""The real app in headless Chromium (Debian's package, driven by Playwright), along the main path:

first start shows the sample review → upload an export on Dữ liệu → choose quarter I/2019 on Tổng quan → visit every
screen through the navigation (no exception, no error alert) → the chosen period is still there on Biểu 06.

The tests share one server (fresh, empty data folder) and one browser page, and run in this file's order.
Screenshots of every screen are kept in screenshots/ (git-ignored) for a person to look at.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
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
    env = {**os.environ, "ONESTOP_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless",
                                   "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                   "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"Streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f"Streamlit did not answer within 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.fail("Chromium is required in CI (apt-get install -y chromium).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
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
