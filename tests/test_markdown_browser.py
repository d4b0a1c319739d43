"""Markdown from the data in the real app, in headless Chromium (issue 16, security test M2): a unit named
"[Bấm vào đây](http://evil.example)", one named "![x](http://127.0.0.1:<port>/beacon)" and one named
"**đậm** <b>thẻ</b>", a reported row and a session title of the same kind, a file, a sheet and a header with such
names uploaded on Dữ liệu. On every screen that shows them, the page holds no link to evil.example, no image from
the beacon, nothing bold from the data; the browser asks no other host for anything (every request is recorded, and a
beacon server listens where the image points); and the names are there, as written, for the person to read.

The server runs on its own data folder (prepared with the store's API), in single-user mode on 127.0.0.1
(ONESTOP_SINGLE_USER=1). Screenshots at 1920×1080 go to $EXPOSURE_SHOTS (default /tmp/exposure-shots).
"""
from __future__ import annotations

import datetime as dt
import http.server
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.test_browser import (
    CHROMIUM,
    FIRST_RUN_TIMEOUT,
    TIMEOUT,
    expect,
    free_port,
    settle,
    stop,
    wait_until_up,
)
from tests.test_reconcile_screen import reported_workbook
from tests.workbooks import ROWS, write_rows

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("EXPOSURE_SHOTS", "/tmp/exposure-shots"))
WIDE, TALL = 1920, 1080
if not CHROMIUM:
    pytest.skip("Chromium is not installed here.", allow_module_level=True)


class Beacon(http.server.BaseHTTPRequestHandler):
    """Where the hostile image points: it records every request it gets."""
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Beacon.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def beacon():
    port = 8799
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Beacon)
    except OSError:  # taken: any free port does
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Beacon)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def hostile(beacon):
    link = "[Bấm vào đây](http://evil.example)"
    image = f"![x]({beacon}/beacon)"
    bold = "**đậm** <b>thẻ</b>"
    return {"link": link, "image": image, "bold": bold, "units": [link, image, bold],
            "row": f"Phòng Nội vụ ![r]({beacon}/reported) [Phiên hết hạn - đăng nhập lại](http://evil.example/phish)",
            "title": "Giám sát **[đăng nhập lại](http://evil.example/session)**",
            "file": "[Bấm](http:evil.example) **q2** <b>.xlsx", "sheet": "~~gạch~~ <b>trang<b> $x$",
            "header": f"![h]({beacon}/header) [Xem hướng dẫn](http://evil.example/header)"}


def hostile_export(path: Path, hostile: dict, quarter: int = 1) -> Path:
    header = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan giải quyết", "Ngày tiếp nhận",
              "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", hostile["header"]]
    rows = []
    for n, unit in enumerate(hostile["units"]):
        for base in ROWS:
            row = [*base[:9], "ghi chú"]
            row[1], row[4] = f"{base[1]}-{quarter}{n}", unit
            if quarter == 2:  # the same dossiers a quarter later
                row[5:8] = ["02/04/2019", "09/04/2019", "08/04/2019"]
            rows.append(row)
    return write_rows(path, [header, *rows], sheet=hostile["sheet"])


@pytest.fixture(scope="module")
def app(tmp_path_factory, hostile):
    """A server on a data folder holding the hostile import, reported table and session."""
    from analytics.dossiers.store import Store
    from analytics.ingest.reported_table import read_reported_table
    from analytics.model.session import SupervisionSession
    base = tmp_path_factory.mktemp("hostile")
    store = Store(base / "data")
    assert store.import_file(hostile_export(base / "q1.xlsx", hostile).read_bytes(),
                             name="q1.xlsx").status == "imported"
    store.save_reported(read_reported_table(reported_workbook(base / "bieu06.xlsx", land_name=hostile["row"])
                                            .read_bytes(), name="bieu06.xlsx"))
    store.save_session(SupervisionSession(name="dot-1", start=dt.date(2019, 1, 1), end=dt.date(2019, 3, 31),
                                          units=tuple(hostile["units"]), title=hostile["title"]))
    port = free_port()
    log = base / "streamlit.log"
    env = {**os.environ, "ONESTOP_DATA_DIR": str(base / "data"), "ONESTOP_SINGLE_USER": "1",
           "TMPDIR": str(base)}  # the re-import copies land here, with the test's files
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless",
                                   "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                   "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server, log, time.time() + 60)
        yield {"url": url, "base": base}
    finally:
        stop(server)


@pytest.fixture(scope="module")
def page(browser, app):
    context = browser.new_context(viewport={"width": WIDE, "height": TALL})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.elsewhere = []  # every request to another host than the app's
    host = urllib.parse.urlsplit(app["url"]).netloc
    page.on("request", lambda request: page.elsewhere.append(request.url)
            if urllib.parse.urlsplit(request.url).netloc not in (host, "") else None)
    page.goto(app["url"])
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
    settle(page, FIRST_RUN_TIMEOUT)
    yield page
    context.close()


def shot(page, name: str) -> Path:
    """The whole screen at 1920 px wide: the window as tall as the content, then back."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("""() => Math.max(...["stMain", "stSidebarContent"].map(
        id => document.querySelector(`[data-testid='${id}']`)?.scrollHeight || 0))""")
    page.set_viewport_size({"width": WIDE, "height": min(max(height, TALL), 8000)})
    try:
        page.wait_for_timeout(500)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size({"width": WIDE, "height": TALL})
    return path


def open_path(page, app, path: str, **params) -> None:
    page.elsewhere.clear()
    query = urllib.parse.urlencode(params, doseq=True)
    page.goto(f"{app['url']}/{path}" + (f"?{query}" if query else ""))
    expect(page.get_by_test_id("stMain").locator("h1, .slide-headline").first).to_be_visible(timeout=TIMEOUT)
    settle(page)
    page.wait_for_timeout(800)  # images start loading once drawn


def made_from_the_data(page) -> dict[str, int]:
    """Links to other hosts, images and emphasis the data made on the page (the app's own emphasis has none of
    these words)."""
    return page.evaluate("""() => {
        const all = [...document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebar']")];
        const count = (selector, test) => all.flatMap(root => [...root.querySelectorAll(selector)]).filter(test).length;
        return {
            links: count("a[href]", a => a.host !== location.host),  // the app's own links stay on it
            images: count("img", img => /beacon|reported|header|field/.test(img.src)),
            // what the data's own ** or <b> would make bold (the app bolds a whole name, never a word of it)
            bold: count("strong, b", el => ["đậm", "thẻ", "trang", "q2", "đăng nhập lại"].includes(
                el.textContent.trim())),
            struck: count("del, s", el => /gạch/.test(el.textContent)),
            formulas: count(".katex", () => true),
        };
    }""")


def reads(page, text: str) -> bool:
    """Whether the page shows `text` as written (zero-width spaces aside)."""
    return text in page.inner_text("body").replace("\u200b", "")


NOTHING = {"links": 0, "images": 0, "bold": 0, "struck": 0, "formulas": 0}
Q1 = {"ky": "quarter", "nam": "2019", "so": "1"}


@pytest.mark.parametrize("path", ["tong-quan", "bieu-06", "thu-tuc", "don-vi", "so-sanh-ky", "ho-so-tre-han",
                                  "bao-cao", "doi-chieu"])
def test_a_screen_chosen_on_hostile_units_makes_no_link_image_or_bold(page, app, hostile, path):
    before = len(Beacon.hits)
    open_path(page, app, path, **Q1, don_vi=hostile["units"])
    assert made_from_the_data(page) == NOTHING
    assert page.elsewhere == [] and len(Beacon.hits) == before
    assert reads(page, hostile["link"]) and reads(page, hostile["image"]) and reads(page, hostile["bold"])
    if path == "tong-quan":
        shot(page, "don-vi-doc-hai_tong-quan")
    if path == "doi-chieu":
        assert reads(page, hostile["row"])
        shot(page, "don-vi-doc-hai_doi-chieu")


def test_the_report_screen_shows_a_session_title_as_text(page, app, hostile):
    open_path(page, app, "bao-cao")
    page.get_by_role("combobox", name="Chọn đợt giám sát").click()
    page.get_by_role("option", name="dot-1").click()
    settle(page)
    page.wait_for_timeout(800)
    assert reads(page, hostile["title"])
    heading = page.get_by_test_id("stMain").get_by_test_id("stMarkdown").filter(has_text="Giám sát").first
    assert heading.locator("a").count() == 0 and heading.locator("strong strong").count() == 0


def test_a_link_whose_values_cannot_be_used_shows_them_as_text(page, app, hostile):
    open_path(page, app, "tong-quan", don_vi="[Đăng nhập lại](https://evil.example/phish)", ky=hostile["image"])
    assert made_from_the_data(page) == NOTHING and page.elsewhere == []
    assert reads(page, "[Đăng nhập lại](https://evil.example/phish)") and reads(page, hostile["image"])


def test_the_data_screen_names_an_uploaded_file_its_sheet_and_headers_as_text(page, app, hostile):
    upload = hostile_export(app["base"] / "upload.xlsx", hostile, quarter=2)
    open_path(page, app, "du-lieu")
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": hostile["file"], "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml."
                "sheet", "buffer": upload.read_bytes()}])
    page.get_by_role("button", name="Nhập các tệp đã chọn vào kho").click()
    result = page.get_by_test_id("stExpander").filter(has_text="Đã nhập:")
    expect(result).to_have_count(1, timeout=TIMEOUT)
    settle(page)
    result.locator("summary").click()
    settle(page)
    page.wait_for_timeout(800)
    assert made_from_the_data(page) == NOTHING and page.elsewhere == []
    for text in (hostile["file"], hostile["sheet"], hostile["header"]):
        assert reads(page, text), text
    shot(page, "du-lieu_tep-doc-hai")
    # The copy kept for a re-import is in the server's own private folder, without the applicants' data.
    [folder] = list(app["base"].glob("onestop-reimport-*"))
    assert oct(folder.stat().st_mode & 0o777) == "0o700" and len(list(folder.iterdir())) == 1
