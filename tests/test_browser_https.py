"""The README's office-network set-up in headless Chromium: HTTPS with a certificate made in the test (review
2026-12-07, M7), plain HTTP refused, and a foreign name refused even when a DNS points it at the server (M6).

One server, as the README starts it on the network: accounts in the store (an admin, added with the command line),
`streamlit run server.py --server.address 0.0.0.0 --server.sslCertFile … --server.sslKeyFile …`, reached at this
machine's network address (127.0.0.1 where there is none). The browser does not know the test's certificate
authority, so its context ignores certificate errors, as a person who clicked through the warning would; the
README tells the office to install the certificate instead.

The screenshot of the overview (1920×1080, over https) goes to $EDGE_SHOTS (default /tmp/edge-shots).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.edge_servers import certificate, free_port, network_address, server_command, serving
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, FIRST_RUN_TIMEOUT, ROOT, TIMEOUT, settle

expect = pytest.importorskip("playwright.sync_api").expect
PlaywrightError = pytest.importorskip("playwright.sync_api").Error

SHOTS = Path(os.environ.get("EDGE_SHOTS", "/tmp/edge-shots"))
ADMIN, ANALYST = "quan-tri", "chuyen-vien"
PASSWORDS = {ADMIN: "Ngay 14/5 giam sat mot cua", ANALYST: "Bieu 06 quy I nam 2019 da doi chieu"}
LAN = network_address()
HOST = LAN or "127.0.0.1"
WIDTH, HEIGHT = 1920, 1080


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("https")
    data = folder / "data"
    for name, role in ((ADMIN, "admin"), (ANALYST, "analyst")):
        done = subprocess.run([sys.executable, "-m", "analytics", "--data-dir", str(data), "users", "add", name,
                               "--role", role], cwd=ROOT, input=PASSWORDS[name] + "\n", capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
    cert = certificate(folder / "tls", ["may-chu-hdnd.local", HOST])
    port = free_port()
    with serving(server_command(port, "0.0.0.0", cert), f"https://{HOST}:{port}", folder / "server.log",
                 env={"ONESTOP_DATA_DIR": str(data)}) as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def sign_in(page, url: str, name: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Tên đăng nhập", exact=True).fill(name)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORDS[name])
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.locator("[data-testid='stMain'] h1").filter(has_text="Tổng quan")).to_be_visible(
        timeout=FIRST_RUN_TIMEOUT)
    settle(page, FIRST_RUN_TIMEOUT)


def test_the_overview_over_https_on_the_network_address(office, page):
    first = page.goto(f"{office.url}/")
    assert first.status == 200
    assert first.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in first.headers["content-security-policy"]
    assert page.evaluate("location.protocol") == "https:"
    sign_in(page, office.url, ADMIN)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    page.wait_for_timeout(500)  # the charts draw after the run
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "tong-quan-https-1920x1080.png"))
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert not page.errors, page.errors
    assert page.evaluate("location.protocol") == "https:" and page.url.startswith(f"https://{HOST}:")
    # The sign-in went through the edge's handover: the cookie is HttpOnly, Secure (HTTPS) and SameSite=Strict, so
    # a reload stays signed in.
    cookie = next(c for c in page.context.cookies() if c["name"] == "onestop_phien")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict" and cookie["expires"] == -1
    assert "onestop_phien" not in page.evaluate("document.cookie")
    page.reload()
    expect(page.locator("[data-testid='stMain'] h1").filter(has_text="Tổng quan")).to_be_visible(
        timeout=FIRST_RUN_TIMEOUT)


def upload_q1(page, url: str, tmp_path) -> None:
    """On Dữ liệu, upload an export of 3 dossiers received in Q1/2019: it is imported, with no error."""
    from tests.workbooks import simple_export
    workbook = simple_export(tmp_path / "q1.xlsx")
    page.goto(f"{url}/du-lieu")
    expect(page.locator("[data-testid='stMain'] h1").filter(has_text="Dữ liệu")).to_be_visible(
        timeout=FIRST_RUN_TIMEOUT)
    settle(page, FIRST_RUN_TIMEOUT)
    page.locator("input[type=file]").first.set_input_files(str(workbook))
    page.get_by_role("button", name="Nhập các tệp đã chọn vào kho").click()
    result = page.get_by_test_id("stExpander").filter(has_text="q1.xlsx")
    expect(result).to_contain_text("Đã nhập:", timeout=TIMEOUT)
    settle(page)
    expect(result).to_contain_text("3 dòng hồ sơ")
    assert page.locator("[data-testid='stException']").count() == 0
    assert not page.errors, page.errors


def test_a_signed_in_analyst_uploads_over_https(office, page, tmp_path):
    """M5's gate with the real sign-in: the analyst's browser carries the cookie, so its upload reaches the app."""
    sign_in(page, office.url, ANALYST)
    upload_q1(page, office.url, tmp_path)


@pytest.mark.skipif(LAN is None, reason="this machine has no network address other than loopback")
def test_plain_http_on_the_network_address_shows_no_page(office, page):
    port = office.url.rsplit(":", 1)[1]
    with pytest.raises(PlaywrightError) as refused:
        page.goto(f"http://{LAN}:{port}/", timeout=15_000)
    assert "ERR_" in str(refused.value)  # net::ERR_EMPTY_RESPONSE: the TLS port says nothing in plain HTTP
    page.wait_for_timeout(1000)
    assert page.locator("[data-testid='stApp']").count() == 0


def test_a_foreign_name_that_resolves_to_the_server_gets_no_page(office, browser):
    """DNS rebinding: a site's name resolved to this server (Chromium's own resolver rule stands in for the
    attacker's DNS): the browser reaches the server, and gets the refusal, not the sign-in form."""
    port = office.url.rsplit(":", 1)[1]
    rebound = browser.browser_type.launch(executable_path=CHROMIUM,
                                          args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP evil.example {HOST}"])
    try:
        page = rebound.new_context(ignore_https_errors=True).new_page()
        answer = page.goto(f"https://evil.example:{port}/", timeout=30_000)
        assert answer.status == 421
        assert "stApp" not in page.content() and "Đăng nhập" not in page.inner_text("body")
        assert "không phải của máy chủ bảng điều khiển" in page.inner_text("body")
    finally:
        rebound.close()


@pytest.fixture(scope="module")
def this_computer(tmp_path_factory):
    """Single-user mode, asked for (ONESTOP_SINGLE_USER=1), on this computer only, over HTTPS as well."""
    folder = tmp_path_factory.mktemp("https-single")
    cert = certificate(folder / "tls", [])
    port = free_port()
    with serving(server_command(port, "127.0.0.1", cert), f"https://localhost:{port}", folder / "server.log",
                 env={"ONESTOP_DATA_DIR": str(folder / "data"), "ONESTOP_SINGLE_USER": "1"}) as running:
        yield running


def test_an_upload_on_this_computer_goes_through_the_edge(this_computer, page, tmp_path):
    """M5's gate lets the person it is for through: single-user on this computer, the browser's own upload (its
    XSRF cookie, over HTTPS) is imported."""
    upload_q1(page, this_computer.url, tmp_path)
