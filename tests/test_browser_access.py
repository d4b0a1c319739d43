"""Sign-in and roles in the real app, in headless Chromium, reached as people on the office network reach it.

Three servers, one per situation, each on a fresh data folder and its own key folder for the audit trail, started
as people start it (server.py: dashboard.py behind edge.py), a network address over HTTPS with a certificate made
in the test:

- accounts (a viewer, an analyst and an admin, added with the CLI, the password on standard input; one export
  imported), started with --server.address 0.0.0.0 and opened through this machine's network address: before
  sign-in every address shows the sign-in form and nothing else (the server's very first request included, and an
  address that names no screen); a wrong password shows the error and nothing else; each role then gets what it
  may (the viewer no uploader, no "Xoá lần nhập", no downloads, no Quản trị; the analyst the uploader and
  downloads; the admin the audit trail with the sign-ins) and "Đăng xuất" returns to the form.
- no account, --server.address 0.0.0.0: every address shows only the message saying how to add an account.
- no account, the configured address (localhost), ONESTOP_SINGLE_USER=1: single-user mode, asked for (never
  inferred: tests/test_signin_sessions.py); a deep link opened as the server's very first
  request draws its screen inside dashboard.py's frame (its navigation, the single-user badge), as later ones do.

Every file in pages/ is named after its screen's address (pages/bieu-06.py answers /bieu-06). The server's first
request runs in Streamlit's legacy pages/ mode (a pages/ folder sits beside dashboard.py): the file of that name
runs, and its guard (ui/access.page_guard) runs dashboard.py instead, whose navigation ends that mode for the
server. The `servers` fixture makes those first requests on the two network servers before any test and keeps what
they showed; the single-user test makes its own.

The servers run with --server.fileWatcherType none: the checkout may change while the tests run, and Streamlit
reloading a changed ui/access.py under running sessions makes ui.access.current() stop recognising the signed-in
Person (a new class) and fall back to the single-user admin, which is a separate defect, not what these tests are
about.

Screenshots (the sign-in form, the viewer's Dữ liệu) go to pytest's tmp_path and $BROWSER_ARTIFACTS.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.test_browser import (
    FIRST_RUN_TIMEOUT,
    HEIGHT,
    ROOT,
    TIMEOUT,
    WIDTH,
    artefact,
    expect,
    settle,
    stop,
)
from tests.workbooks import simple_export

# Every screen's own path (dashboard.py's SCREENS), the root first: each is also a file's name in pages/.
VIETNAMESE_PATHS = ["", "tong-quan", "bieu-06", "thu-tuc", "don-vi", "so-sanh-ky", "ho-so-tre-han", "doi-chieu",
                    "bao-cao", "trinh-chieu", "du-lieu", "quan-tri"]
# Addresses that name no screen (among them the English file names pages/ had before): the default page answers.
UNKNOWN_PATHS = ["bieu06", "overview", "khong-co-trang-nay"]
# The names of pages/ files as Streamlit's legacy mode lists them (never a navigation a person sees at the end).
RAW_NAMES = ["dashboard", "bao-cao", "bieu-06", "tong-quan", "trinh-chieu", "du-lieu", "quan-tri"]
PASSWORDS = {"viewer": "a long viewer password", "analyst": "a long analyst password",
             "admin": "a long admin password"}
APP_TITLE = "Giám sát Bộ phận Một cửa"
NO_ACCOUNT_COMMAND = "python -m analytics users add"
WRONG_PASSWORD = "Tên đăng nhập hoặc mật khẩu không đúng."
# What shows figures, tables or outputs; none of it may be drawn for a person who is not let in.
FIGURE_ELEMENTS = ["stMetric", "stDataFrame", "stTable", "stPlotlyChart", "stVegaLiteChart", "stArrowVegaLiteChart",
                   "stFileUploader", "stDownloadButton"]
FIGURE_SELECTORS = [f"[data-testid='{t}']" for t in FIGURE_ELEMENTS] + [".bieu06", ".slide-headline"]
# Words of the figures and of the imported data: the metrics' labels, the screens' titles, Biểu 06's name, the
# sample's banner, and a dossier number, a unit, a procedure and the file name of the imported export.
FIGURE_WORDS = ["Hồ sơ nhận giải quyết", "Đã giải quyết", "Tỷ lệ đúng hạn", "Biểu 06/VPCP", "Tổng quan",
                "Thủ tục hành chính", "Hồ sơ trễ hạn", "So sánh kỳ", "Nhật ký thao tác", "DỮ LIỆU MẪU",
                "TP-190103-0001", "Phòng Tư pháp", "Đăng ký khai sinh", "q1.xlsx", "Các lần nhập"]
# The sign-in form's text, line by line ("visibility" is the show-password icon's name).
SIGN_IN_LINES = {APP_TITLE, "Đăng nhập", "Tên đăng nhập", "Mật khẩu", "visibility",
                 "Chưa có tài khoản hoặc quên mật khẩu: hãy liên hệ người quản trị của Văn phòng HĐND."}
SIGN_IN_ELEMENTS = {"stHeading", "stTextInput", "stFormSubmitButton", "stMarkdown", "stAlert"}
PARALLEL = 8  # pages loaded at once when many addresses are checked the same way


# --- Servers -----------------------------------------------------------------------------------------------------

def network_address() -> str | None:
    """This machine's address on the network (not loopback): the interface a packet out would leave by."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # UDP: nothing is sent, only a route is chosen
            address = probe.getsockname()[0]
    except OSError:
        address = None
    if not address or address.startswith("127.") or address == "0.0.0.0":
        try:
            found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5,
                                   check=False).stdout.split()
        except (OSError, subprocess.SubprocessError):
            found = []
        address = next((a for a in found if "." in a and not a.startswith("127.")), None)
    return address


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


def key_dir(data_dir: Path) -> Path:
    """The audit trail's key folder of a test server: beside its data folder (never the home folder's)."""
    return data_dir.parent / "khoa"


def cli(data_dir: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "analytics", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          input=stdin, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "ONESTOP_KEY_DIR": str(key_dir(data_dir))})
    assert done.returncode == 0, f"python -m analytics {' '.join(args)}: {done.returncode}\n{done.stderr}"
    return done.stdout


def import_export(data_dir: Path) -> None:
    """Three dossiers of quarter I/2019, so the figures are the store's, not the sample's."""
    cli(data_dir, "import", str(simple_export(data_dir.parent / "q1.xlsx")))


@dataclass
class Visit:
    """What one page load showed, kept for the tests (the first visits after a start cannot be repeated)."""
    path: str
    url: str
    main_text: str
    figures: list[str]
    nav_links: list[str]
    sign_in_shown: bool
    notice_shown: bool


@dataclass
class Server:
    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen | None = None
    first_visits: list[Visit] = field(default_factory=list)

    def start(self, address: str | None) -> None:
        """server.py on data_dir; `address` None keeps .streamlit/config.toml's (localhost: single-user mode, asked
        for with ONESTOP_SINGLE_USER=1); a network address is served over HTTPS only (server.py refuses it without a
        certificate), with a certificate made here for the URL's host, so its URL must be https://."""
        from tests.edge_servers import certificate, server_command
        tls = None if address is None else certificate(self.data_dir.parent / "tls", [urlsplit(self.url).hostname])
        command = server_command(urlsplit(self.url).port, address, tls)
        env = {**os.environ, "ONESTOP_DATA_DIR": str(self.data_dir), "ONESTOP_KEY_DIR": str(key_dir(self.data_dir)),
               **({"ONESTOP_SINGLE_USER": "1"} if address is None else {})}
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)

    def wait_until_up(self, deadline: float) -> None:
        """Until /_stcore/health answers at the URL the browser will use (over HTTPS, the test's own certificate)."""
        from tests.edge_servers import UNVERIFIED
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2, context=UNVERIFIED) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f"no answer at {self.url} in time:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.3)

    def wait_stopped(self) -> None:
        if self.process is not None:
            stop(self.process)


def new_context(browser):
    """A browser context of its own (cookies, Streamlit sessions) that accepts the test's self-signed certificate."""
    return browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, ignore_https_errors=True)


def warm_up(browser, server: Server, early_paths: list[str]) -> None:
    """The first requests after the start, the first of them in Streamlit's legacy pages/ mode (kept in
    server.first_visits), then the root."""
    context = new_context(browser)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        for path in early_paths:
            page.goto(f"{server.url}/{path}")
            drawn(page, FIRST_RUN_TIMEOUT)
            try:  # the title comes first: let the rest of the run (the form, the notice or the figures) arrive
                page.locator("[data-testid='stTextInput'], [data-testid='stAlert'], [data-testid='stMetric']"
                             ).first.wait_for(timeout=TIMEOUT)
                settle(page)
            except PlaywrightTimeout:
                pass  # recorded as it is: the test then says what was missing
            server.first_visits.append(record(page, path))
        page.goto(f"{server.url}/")
        drawn(page, FIRST_RUN_TIMEOUT)
    finally:
        context.close()


def prepare_accounts(data_dir: Path) -> None:
    for name, password in PASSWORDS.items():
        assert name in cli(data_dir, "users", "add", name, "--role", name, stdin=password + "\n")
    import_export(data_dir)


@pytest.fixture(scope="module")
def servers(tmp_path_factory, browser):
    """The three servers, prepared and started at once (they start in parallel); the two on the network address
    get their first visits recorded before any test. Without a network address only the single-user one runs."""
    lan = network_address()
    made = {}
    for name, host in [("accounts", lan), ("no-account", lan), ("single-user", "localhost")]:
        if host is None:
            continue
        folder = tmp_path_factory.mktemp(name)
        (folder / "data").mkdir()
        scheme = "http" if name == "single-user" else "https"  # server.py serves a network address over HTTPS only
        made[name] = Server(f"{scheme}://{host}:{free_port()}", folder / "data", folder / "streamlit.log")
    try:
        with ThreadPoolExecutor() as pool:  # three stores, one process at a time on each
            for job in [pool.submit(prepare_accounts if name == "accounts" else import_export, server.data_dir)
                        for name, server in made.items()]:
                job.result()
        for name, server in made.items():
            server.start(None if name == "single-user" else "0.0.0.0")
        deadline = time.time() + 90
        for server in made.values():
            server.wait_until_up(deadline)
        if "accounts" in made:  # the slides' page draws its style before its guard: the most delicate first
            warm_up(browser, made["accounts"], ["trinh-chieu", "tong-quan"])
        if "no-account" in made:
            warm_up(browser, made["no-account"], ["bieu-06"])
        yield made
    finally:
        for server in made.values():  # all told to stop first: they stop together
            if server.process is not None and server.process.poll() is None:
                server.process.terminate()
        for server in made.values():
            server.wait_stopped()


def _server(servers, name: str) -> Server:
    if name not in servers:
        pytest.skip("this machine has no network address other than loopback")
    return servers[name]


@pytest.fixture(scope="module")
def with_accounts(servers):
    return _server(servers, "accounts")


@pytest.fixture(scope="module")
def without_accounts(servers):
    return _server(servers, "no-account")


@pytest.fixture(scope="module")
def single_user(servers):
    """No account, the address of .streamlit/config.toml (localhost). Nothing visited yet."""
    return servers["single-user"]


@pytest.fixture
def person(browser):
    """A new browser context per person (own cookies, own Streamlit sessions)."""
    contexts = []

    def open_page():
        context = new_context(browser)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


# --- Reading a page ----------------------------------------------------------------------------------------------

def drawn(page, timeout: int = TIMEOUT) -> None:
    """Wait until the run that draws the address has finished: something of the app's own is on the page (a title,
    or an alert), then Streamlit is idle."""
    page.locator("[data-testid='stMain'] h1, [data-testid='stAlertContentWarning']").first.wait_for(timeout=timeout)
    settle(page, timeout)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def figures_on(page) -> list[str]:
    counts = {selector: page.locator(selector).count() for selector in FIGURE_SELECTORS}
    found = [f"{selector} ×{count}" for selector, count in counts.items() if count]
    text = page.inner_text("body")
    return found + [f"the words {word!r}" for word in FIGURE_WORDS if word in text]


def nav_links(page) -> list[str]:
    return page.locator("[data-testid='stSidebar'] a").all_inner_texts()


def record(page, path: str) -> Visit:
    main = page.get_by_test_id("stMain")
    return Visit(path=path, url=page.url, main_text=main.inner_text(),
                 figures=figures_on(page), nav_links=nav_links(page),
                 sign_in_shown=page.get_by_label("Mật khẩu").count() == 1,
                 notice_shown=page.get_by_test_id("stAlertContentError").filter(
                     has_text=NO_ACCOUNT_COMMAND).count() == 1)


def element_kinds(page) -> set[str]:
    """The kinds of element drawn in the main area (the first test id inside each element container)."""
    return set(page.evaluate("""() => [...document.querySelectorAll(
        "[data-testid='stMain'] [data-testid='stElementContainer']")].map(
        c => c.querySelector("[data-testid]")?.dataset.testid || "(no test id)")"""))


def assert_only_sign_in_form(page, where: str, also: set[str] = frozenset(), empty_sidebar: bool = False) -> None:
    """The sign-in form and nothing else: its fields and button, no figure, no navigation, no other text (`also`:
    the lines of an expected message). `empty_sidebar`: an empty sidebar panel may stay from before (signing out
    of a screen with sidebar controls leaves one), as long as nothing is in it."""
    main = page.get_by_test_id("stMain")
    expect(main.get_by_label("Tên đăng nhập", exact=True)).to_be_visible()
    expect(main.get_by_label("Mật khẩu", exact=True)).to_be_visible()
    expect(main.get_by_role("button", name="Đăng nhập", exact=True)).to_be_visible()
    assert figures_on(page) == [], f"{where}: figures before sign-in: {figures_on(page)}"
    assert nav_links(page) == [], f"{where}: navigation before sign-in: {nav_links(page)}"
    if empty_sidebar and page.get_by_test_id("stSidebar").count():
        content = page.get_by_test_id("stSidebarUserContent")
        assert lines(content.inner_text()) == [], f"{where}: the sidebar shows {lines(content.inner_text())}"
        assert content.locator("[data-testid='stElementContainer']").count() == 0, f"{where}: sidebar elements"
    else:
        assert page.get_by_test_id("stSidebar").count() == 0, f"{where}: a sidebar before sign-in"
    kinds = element_kinds(page)
    assert kinds <= SIGN_IN_ELEMENTS, f"{where}: more than the sign-in form: {sorted(kinds - SIGN_IN_ELEMENTS)}"
    extra = [line for line in lines(main.inner_text()) if line not in SIGN_IN_LINES | set(also)
             and not line.startswith("Press Enter")]
    assert extra == [], f"{where}: text beside the sign-in form: {extra}"


def assert_only_no_account_notice(page, where: str) -> None:
    main = page.get_by_test_id("stMain")
    notice = main.get_by_test_id("stAlertContentError").filter(has_text=NO_ACCOUNT_COMMAND)
    expect(notice).to_have_count(1)
    assert figures_on(page) == [], f"{where}: figures with no account on the network: {figures_on(page)}"
    assert nav_links(page) == [], f"{where}: navigation with no account on the network: {nav_links(page)}"
    assert main.locator("input").count() == 0, f"{where}: a form with no account on the network"
    kinds = element_kinds(page)
    assert kinds <= {"stHeading", "stAlert"}, f"{where}: more than the notice: {sorted(kinds)}"
    extra = [line for line in lines(main.inner_text()) if line not in {APP_TITLE, *lines(notice.inner_text()), "lock"}]
    assert extra == [], f"{where}: text beside the notice: {extra}"


def check_paths(browser, url: str, paths: list[str], check) -> None:
    """Open each address in a new page (a new Streamlit session, as a person typing it would), PARALLEL at a time,
    and run check(page, where) on each once it is drawn."""
    context = new_context(browser)
    try:
        for start in range(0, len(paths), PARALLEL):
            batch = []
            for path in paths[start:start + PARALLEL]:
                page = context.new_page()
                page.set_default_timeout(TIMEOUT)
                page.goto(f"{url}/{path}")
                batch.append((path, page))
            for path, page in batch:
                drawn(page)
                check(page, f"/{path}")
                page.close()
    finally:
        context.close()


def sign_in(page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/")
    drawn(page)
    page.get_by_label("Tên đăng nhập", exact=True).fill(name)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.locator("[data-testid='stMain'] h1").filter(has_text="Tổng quan")).to_be_visible(
        timeout=FIRST_RUN_TIMEOUT)
    settle(page)


def nav(page):
    return page.locator(".st-key-menu")  # dashboard.py's menu (Streamlit's own sidebar menu is off)


def open_screen(page, link: str, heading: str) -> None:
    nav(page).get_by_role("link", name=link, exact=True).click()
    expect(page.locator("[data-testid='stMain'] h1").filter(has_text=heading)).to_be_visible()
    settle(page)


def go_within_session(page, path: str) -> None:
    """Ask for an address in the same Streamlit session (as the browser's back/forward does), keeping the sign-in
    that a reload would lose."""
    page.evaluate("path => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); }",
                  f"/{path}")
    page.wait_for_timeout(300)
    settle(page)


def nav_titles(page) -> list[str]:
    return [lines(text)[-1] for text in nav(page).get_by_role("link").all_inner_texts()]


# --- 1. Accounts: before sign-in, nothing but the sign-in form --------------------------------------------------

def test_the_first_requests_after_the_start_show_only_the_sign_in_form(with_accounts):
    """The server's first request runs the page's file in Streamlit's legacy pages/ mode: its guard runs the
    dashboard instead, so the person gets the sign-in form and nothing else (no list of pages/ either)."""
    assert [v.path for v in with_accounts.first_visits] == ["trinh-chieu", "tong-quan"]
    for visit in with_accounts.first_visits:
        assert visit.figures == [], f"/{visit.path} as the first request: {visit.figures}"
        assert visit.nav_links == [], f"/{visit.path} as the first request lists {visit.nav_links}"
        assert visit.sign_in_shown, f"/{visit.path} as the first request: {visit.main_text[:300]}"
        assert urlsplit(visit.url).path == f"/{visit.path}", visit.url  # the address is kept for after sign-in


def test_every_address_shows_only_the_sign_in_form_before_sign_in(with_accounts, browser, tmp_path):
    shots = []

    def check(page, where):
        assert_only_sign_in_form(page, where)
        if where == "/du-lieu":  # a screen's own address keeps its path under the form
            assert urlsplit(page.url).path == "/du-lieu"
        if not shots:
            artefact(page, "sign-in-form", tmp_path)
            shots.append(where)

    check_paths(browser, with_accounts.url, VIETNAMESE_PATHS + UNKNOWN_PATHS, check)


# --- 2. The viewer ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="class")
def viewer(browser):
    """The viewer's browser, kept through TestViewer."""
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


@pytest.mark.usefixtures("viewer")
class TestViewer:
    """One viewer's browser, from a wrong password to signing out (the tests run in this order)."""

    @pytest.fixture
    def page(self, viewer):
        return viewer

    def test_a_wrong_password_shows_the_error_and_nothing_else(self, page, with_accounts):
        page.goto(f"{with_accounts.url}/")
        drawn(page)
        page.get_by_label("Tên đăng nhập", exact=True).fill("viewer")
        page.get_by_label("Mật khẩu", exact=True).fill("not the viewer password")
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        error = page.get_by_test_id("stAlertContentError")
        expect(error).to_contain_text(WRONG_PASSWORD)
        settle(page)
        assert_only_sign_in_form(page, "after a wrong password", also={"error", *lines(error.inner_text())})

    def test_the_viewer_signs_in_and_sees_the_overview(self, page, with_accounts):
        sign_in(page, with_accounts.url, "viewer", PASSWORDS["viewer"])
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        received = page.get_by_test_id("stMetric").filter(has_text="Hồ sơ nhận giải quyết (3)")
        expect(received.get_by_test_id("stMetricValue")).to_have_text("3")  # the imported quarter, not the sample
        expect(page.get_by_test_id("stSidebar")).to_contain_text("viewer · Người xem")
        assert "Quản trị" not in nav_titles(page), nav_titles(page)

    def test_the_viewer_reads_the_data_screen_without_its_controls(self, page, tmp_path):
        open_screen(page, "Dữ liệu", "Dữ liệu")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_test_id("stAlertContentInfo").filter(has_text="Tài khoản người xem")).to_be_visible()
        imports = main.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Dấu vân tay"))
        expect(imports.locator("td[role=gridcell]").filter(has_text="q1.xlsx")).to_have_count(1)
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
        expect(page.get_by_role("button", name="Xoá lần nhập")).to_have_count(0)
        expect(page.get_by_role("checkbox", name="Tôi chắc chắn muốn xoá lần nhập này")).to_have_count(0)
        expect(page.get_by_test_id("stDownloadButton")).to_have_count(0)
        height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        page.set_viewport_size({"width": WIDTH, "height": max(HEIGHT, min(height, 4000))})  # the main area scrolls
        try:
            page.wait_for_timeout(300)
            artefact(page, "viewer-du-lieu", tmp_path, full_page=True)
        finally:
            page.set_viewport_size({"width": WIDTH, "height": HEIGHT})

    def test_the_viewer_gets_biểu_06_without_a_download(self, page):
        open_screen(page, "Biểu 06", "Biểu 06/VPCP/KSTT")
        expect(page.locator(".bieu06")).to_be_visible()
        expect(page.get_by_test_id("stDownloadButton")).to_have_count(0)

    def test_the_viewer_cannot_reach_the_admin_page(self, page):
        assert "Quản trị" not in nav_titles(page)
        go_within_session(page, "quan-tri")
        # Not one of the viewer's pages: Streamlit answers with the default page, which sends on to the overview.
        expect(page.locator("[data-testid='stMain'] h1").filter(has_text="Tổng quan")).to_be_visible()
        settle(page)
        assert page.locator("[data-testid='stMain'] h1").filter(has_text="Quản trị").count() == 0
        assert "Nhật ký thao tác" not in page.inner_text("body")
        assert page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Người thực hiện")).count() \
            == 0
        assert urlsplit(page.url).path != "/quan-tri", page.url
        expect(page.get_by_test_id("stSidebar")).to_contain_text("viewer · Người xem")  # still signed in

    def test_signing_out_returns_to_the_sign_in_form(self, page):
        page.get_by_test_id("stSidebar").get_by_role("button", name="Đăng xuất").click()
        notice = page.get_by_test_id("stAlertContentInfo").filter(has_text="Bạn đã đăng xuất.")
        expect(notice).to_be_visible()
        settle(page)
        assert_only_sign_in_form(page, "after signing out", also={"info", "Bạn đã đăng xuất."}, empty_sidebar=True)


# --- 3. The analyst and the admin --------------------------------------------------------------------------------

def test_the_analyst_gets_the_uploader_and_the_downloads(person, with_accounts):
    page = person()
    sign_in(page, with_accounts.url, "analyst", PASSWORDS["analyst"])
    expect(page.get_by_test_id("stSidebar")).to_contain_text("analyst · Chuyên viên phân tích")
    assert "Quản trị" not in nav_titles(page), nav_titles(page)
    open_screen(page, "Dữ liệu", "Dữ liệu")
    expect(page.get_by_test_id("stFileUploader").first).to_be_visible()
    expect(page.get_by_role("button", name="Xoá lần nhập")).to_have_count(1)
    open_screen(page, "Biểu 06", "Biểu 06/VPCP/KSTT")
    expect(page.get_by_test_id("stDownloadButton").filter(has_text="Tải Biểu 06 (XLSX, đúng mẫu)")).to_be_visible()
    assert not page.errors, page.errors


def test_the_admin_reads_the_audit_trail_with_the_sign_ins(person, with_accounts):
    page = person()
    sign_in(page, with_accounts.url, "admin", PASSWORDS["admin"])
    open_screen(page, "Quản trị", "Quản trị")
    expect(page.get_by_role("heading", name="Nhật ký thao tác")).to_be_visible()
    trail = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Người thực hiện"))
    expect(trail).to_have_count(1)
    # Newest first: the admin's own sign-in heads the trail (its cells are mirrored in an accessible table).
    first_row = trail.locator("tr").filter(has=page.locator("td[role=gridcell]")).first
    expect(first_row).to_be_attached()
    cells = [text.strip() for text in first_row.locator("td").all_inner_texts()]
    assert "Đăng nhập" in cells and "admin" in cells, cells
    accounts = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Tên đăng nhập"))
    for name in PASSWORDS:
        expect(accounts.locator("td[role=gridcell]").filter(has_text=re.compile(f"^{name}$"))).to_have_count(1)
    assert not page.errors, page.errors


# --- 4. No account, on the network ---------------------------------------------------------------------------------

def test_with_no_account_on_the_network_every_address_shows_only_how_to_add_one(without_accounts, browser):
    assert [v.path for v in without_accounts.first_visits] == ["bieu-06"]
    for visit in without_accounts.first_visits:  # the legacy pages/ mode of the first request
        assert visit.figures == [], f"/{visit.path} as the first request: {visit.figures}"
        assert visit.notice_shown and visit.nav_links == [], f"/{visit.path}: {visit.main_text[:300]}"
    check_paths(browser, without_accounts.url, VIETNAMESE_PATHS + UNKNOWN_PATHS, assert_only_no_account_notice)


# --- 5. Single-user mode on this computer --------------------------------------------------------------------------

def test_single_user_mode_draws_a_deep_link_inside_the_frame_from_the_first_request(single_user, person):
    """A deep link as the server's very first request (a bookmark on a laptop that has just started the server)
    draws that screen once, inside dashboard.py's frame: its navigation in the sidebar, the single-user badge, no
    "Page not found" box; never the page's file on its own. Later requests too; an address that names no screen
    ends on the overview."""
    page = person()

    def open_path(path: str, heading: str, first: bool = False, ends_at: str | None = None) -> None:
        page.goto(f"{single_user.url}/{path}")
        drawn(page, FIRST_RUN_TIMEOUT if first else TIMEOUT)
        where = f"/{path}" + (" (first request after the start)" if first else "")
        assert urlsplit(page.url).path == f"/{ends_at or path}", f"{where} ended at {page.url}"
        headings = page.locator("[data-testid='stMain'] h1")
        expect(headings.filter(has_text=heading)).to_be_visible()
        assert headings.count() == 1, f"{where}: drawn {headings.count()} times"
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Chế độ một người dùng (trên máy này)")
        expect(nav(page).get_by_role("link", name="Quản trị")).to_be_visible()  # the menu drawn, on a loaded machine
        titles = nav_titles(page)
        assert {"Tổng quan", "Biểu 06", "Trình chiếu", "Quản trị"} <= set(titles), f"{where}: {titles}"
        assert not set(titles) & set(RAW_NAMES), f"{where}: the pages/ files listed: {titles}"

    open_path("bieu-06", "Biểu 06/VPCP/KSTT", first=True)
    page.wait_for_timeout(2000)  # the box used to come with the first request and stay
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator(".bieu06")).to_be_visible()
    open_path("du-lieu", "Dữ liệu")
    open_path("tong-quan", "Tổng quan")
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    open_path("bieu06", "Tổng quan", ends_at="tong-quan")  # an old file name: no screen of that name
    assert not page.errors, page.errors
