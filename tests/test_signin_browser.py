"""Sign-in in a real browser behind the real edge (server.py, edge.py): headless Chromium against a server on this
machine's network address over HTTPS (a certificate made in the test), or on 127.0.0.1 when there is no network
address (issue 16 item 2; security test H2, M7, M8, L1).

- an analyst's download of Biểu 06 appears in `audit-log` under the analyst's name, and the trail verifies;
- the sign-in survives a reload (F5) and opens a second tab, through an HttpOnly, SameSite=Strict cookie;
- another browser presenting the signed-in Streamlit session's id, without the cookie, gets the sign-in form;
- signing out in one tab ends the other; a password changed on the command line ends the browser's session;
- an idle screen turns into the sign-in form by itself (the server runs with a 30-second idle limit).

The tests that need the edge's cookie routes are skipped when the server does not serve them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_browser import FIRST_RUN_TIMEOUT, ROOT, TIMEOUT, expect, settle
from tests.workbooks import simple_export

ANALYST, CHANGING = "chuyen.vien", "nguoi.doi.mk"
PASSWORD = "một câu mật khẩu dài"
IDLE_MINUTES = "0.5"
TAKE_OVER = """sid => {
  const Original = window.WebSocket;
  function TakingOver(url, protocols) {
    if (Array.isArray(protocols) && protocols.length) protocols = [protocols[0], protocols[1] || "", sid];
    return new Original(url, protocols);
  }
  TakingOver.prototype = Original.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) TakingOver[k] = Original[k];
  window.WebSocket = TakingOver;
}"""


def cli(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", "--data-dir", str(folder / "data"), *args], cwd=ROOT,
                          input=stdin, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "ONESTOP_KEY_DIR": str(folder / "khoa")})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.edge_servers import certificate, free_port, network_address, server_command, serving
    folder = tmp_path_factory.mktemp("signin")
    for name, role in ((ANALYST, "analyst"), (CHANGING, "analyst")):
        assert cli(folder, "users", "add", name, "--role", role, stdin=PASSWORD + "\n").returncode == 0
    assert cli(folder, "import", str(simple_export(folder / "q1.xlsx"))).returncode == 0
    lan, port = network_address(), free_port()
    if lan:
        command = server_command(port, "0.0.0.0", certificate(folder / "tls", [lan]))
        url = f"https://{lan}:{port}"
    else:
        command, url = server_command(port, "127.0.0.1"), f"http://127.0.0.1:{port}"
    env = {"ONESTOP_DATA_DIR": str(folder / "data"), "ONESTOP_KEY_DIR": str(folder / "khoa"),
           "ONESTOP_IDLE_MINUTES": IDLE_MINUTES}
    with serving(command, url, folder / "server.log", env) as running:
        running.folder = folder
        yield running


@pytest.fixture(scope="module")
def edge(server):
    """The server, when its edge serves the sign-in cookie's routes."""
    from analytics.access import tokens as tk
    from tests.edge_servers import request
    if request(server.url, f"{tk.HANDOVER_PATH}?ma=x&tiep=/").status != 303:
        pytest.skip("the server does not serve the edge's sign-in routes (server.py, edge.py)")
    return server


@pytest.fixture
def browser_context(browser):
    contexts = []

    def new():
        context = browser.new_context(viewport={"width": 1280, "height": 720}, ignore_https_errors=True)
        contexts.append(context)
        return context

    yield new
    for context in contexts:
        context.close()


def open_page(context, url: str):
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    return page


def heading(page, text: str):
    return page.locator("[data-testid='stMain'] h1").filter(has_text=text)


def form_shown(page) -> None:
    expect(page.get_by_label("Mật khẩu", exact=True)).to_be_visible(timeout=FIRST_RUN_TIMEOUT)


def sign_in(page, name: str = ANALYST, password: str = PASSWORD, lands_on: str = "Tổng quan") -> None:
    form_shown(page)
    page.get_by_label("Tên đăng nhập", exact=True).fill(name)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(heading(page, lands_on)).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    settle(page)


def signed_in_as(page, name: str) -> None:
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"{name} · ", timeout=FIRST_RUN_TIMEOUT)


def test_an_analyst_s_download_is_in_the_audit_log_under_their_name(server, browser_context):
    """H2: the security test's analyst downloaded Biểu 06 and the trail said actor=''."""
    page = open_page(browser_context(), f"{server.url}/bieu-06")
    sign_in(page, lands_on="Biểu 06")
    button = page.get_by_test_id("stDownloadButton").filter(has_text="Tải Biểu 06 (XLSX, đúng mẫu)")
    with page.expect_download(timeout=FIRST_RUN_TIMEOUT) as download:
        button.click()
    assert download.value.suggested_filename.startswith("bieu06_")
    deadline = time.time() + 30
    while True:
        listed = cli(server.folder, "audit-log", "--format", "json", "--action", "export")
        entries = json.loads(listed.stdout)["entries"] if listed.returncode == 0 else []
        if entries or time.time() > deadline:
            break
        time.sleep(0.5)
    assert [(e["actor"], e["outcome"]) for e in entries] == [(ANALYST, "ok")], entries
    assert entries[0]["target"] == download.value.suggested_filename
    verified = cli(server.folder, "audit-log", "--verify")
    assert verified.returncode == 0, verified.stderr


def test_a_reload_and_a_second_tab_stay_signed_in(edge, browser_context):
    """The presenter who presses F5 in the meeting room; the second tab."""
    context = browser_context()
    page = open_page(context, f"{edge.url}/bieu-06?ky=quarter&nam=2019&so=1")
    sign_in(page, lands_on="Biểu 06")
    assert urlsplit(page.url).path == "/bieu-06" and "nam=2019" in page.url  # back where the person was
    cookie = next(c for c in context.cookies() if c["name"] == "onestop_phien")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["secure"] == edge.url.startswith("https://")
    page.reload()
    expect(heading(page, "Biểu 06")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    signed_in_as(page, ANALYST)
    second = open_page(context, f"{edge.url}/tong-quan")
    expect(heading(second, "Tổng quan")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    signed_in_as(second, ANALYST)


def test_another_browser_presenting_the_session_id_without_the_cookie_is_not_signed_in(edge, browser_context):
    """M7: presenting a signed-in session's id took the session over."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    seen = []

    def watch(socket):
        def received(payload):
            if isinstance(payload, (bytes, bytearray)):
                try:
                    message = ForwardMsg.FromString(bytes(payload))
                except Exception:  # noqa: BLE001 - not a ForwardMsg
                    return
                if message.WhichOneof("type") == "new_session" and message.new_session.initialize.session_id:
                    seen.append(message.new_session.initialize.session_id)
        socket.on("framereceived", received)

    victim = browser_context().new_page()
    victim.set_default_timeout(TIMEOUT)
    victim.on("websocket", watch)
    victim.goto(f"{edge.url}/tong-quan")
    sign_in(victim)
    signed_in_as(victim, ANALYST)
    assert seen, "no session id seen"
    attacker = browser_context().new_page()
    attacker.set_default_timeout(TIMEOUT)
    attacker.add_init_script(f"({TAKE_OVER})({json.dumps(seen[-1])})")
    attacker.goto(f"{edge.url}/tong-quan")
    form_shown(attacker)
    settle(attacker)
    assert attacker.get_by_test_id("stMetric").count() == 0
    assert ANALYST not in attacker.inner_text("body")
    assert "already connected" in edge.output()  # the session id was presented and reattached


def test_signing_out_in_one_tab_ends_the_other_and_clears_the_cookie(edge, browser_context):
    """L1: signing out in tab A left tab B signed in."""
    context = browser_context()
    first = open_page(context, f"{edge.url}/tong-quan")
    sign_in(first)
    second = open_page(context, f"{edge.url}/bieu-06")
    expect(heading(second, "Biểu 06")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    settle(first)
    first.get_by_test_id("stSidebar").get_by_role("button", name="Đăng xuất").click()
    expect(first.get_by_test_id("stAlertContentInfo").filter(has_text="Bạn đã đăng xuất.")).to_be_visible()
    form_shown(first)
    deadline = time.time() + 20
    while any(c["name"] == "onestop_phien" for c in context.cookies()) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(c["name"] == "onestop_phien" for c in context.cookies())
    second.reload()
    form_shown(second)


def test_a_password_changed_on_the_server_ends_the_browser_s_session(edge, browser_context):
    """M8: after `users passwd` the old session stayed signed in."""
    page = open_page(browser_context(), f"{edge.url}/tong-quan")
    sign_in(page, CHANGING)
    changed = cli(edge.folder, "users", "passwd", CHANGING, stdin="một câu mật khẩu khác hẳn\n")
    assert changed.returncode == 0, changed.stderr
    page.locator(".st-key-menu").get_by_role("link", name="Biểu 06", exact=True).click()  # the next step, no reload
    form_shown(page)
    assert page.locator(".bieu06").count() == 0 and page.get_by_test_id("stMetric").count() == 0
    page.reload()
    form_shown(page)


def test_an_idle_screen_turns_into_the_sign_in_form_by_itself(server, browser_context):
    """M8: after the idle limit the screen kept its figures, and its download buttons still delivered files."""
    page = open_page(browser_context(), f"{server.url}/tong-quan")
    sign_in(page)
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    expect(page.get_by_test_id("stAlertContentInfo").filter(has_text="hết hạn")).to_be_visible(timeout=75_000)
    form_shown(page)
    assert page.get_by_test_id("stMetric").count() == 0
    page.reload()
    form_shown(page)
