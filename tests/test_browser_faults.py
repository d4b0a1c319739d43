"""A full disk met by an upload on Dữ liệu, in the real app in headless Chromium (issue 11 item 3, seen by a person).

The store holds one small import made from the command line. The dashboard (single-user mode, on this computer)
then runs in a process that may not write a file past the store's size plus a margin (RLIMIT_FSIZE, set in the
server process only, SIGXFSZ ignored): every write beyond it fails with EFBIG ("File too large"), exactly where a full
disk fails with ENOSPC. A small change still fits (it is committed to DuckDB's small log file, see MARGIN); the
~1.8 MB a 50,000-row export adds does not. The server keeps uploads in memory (see SERVER): the limit is on the disk
of the store, not on the temporary folder. (This is a store file at the largest size a file may have there, which the
message also names; on a disk with no byte left the small file's log would not fit either.) So in one upload of the
big export, then a small one:

- the page says, in Vietnamese, that the disk is full and names the big file; no traceback, no "unexpected error";
- the small file still lands, and the page goes on working: the imports table lists it and not the big one, and
  another screen (Tổng quan, through the sidebar) opens without error;
- with the server stopped and no limit, the store opens and holds exactly the imports the page listed, and the
  audit trail (`python -m analytics audit-log --format json`) has the big file's import as failed.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from analytics.dossiers.store import DB_FILE, Store
from analytics.model import schema as s
from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXCEPTION,
    FIRST_RUN_TIMEOUT,
    HEIGHT,
    TIMEOUT,
    WIDTH,
    expect,
    free_port,
    open_screen,
    settle,
    stop,
    sync_playwright,
    title,
    wait_until_up,
)
from tests.test_store_faults import big_export
from tests.workbooks import simple_export

ROOT = Path(__file__).resolve().parent.parent
BIG_ROWS = 50_000
BIG_NAME, SMALL_NAME, FIRST_NAME = "nam-2018.csv", "q2.xlsx", "q1.xlsx"
# How far any file of the server may grow past the store's size: far less than what BIG_ROWS dossiers add (about
# 1.8 MB, checked at the end), whose records DuckDB writes into the store file before COMMIT. A small change (the
# small import, an audit entry) is committed to DuckDB's log (onestop.duckdb.wal, a few KB); the checkpoint that would
# copy it into the store file is cut short by the limit, quietly, and the change stays in the log, read from there
# until a checkpoint without the limit (the Store opened after the server stops) moves it into the file.
MARGIN = 512 * 1024
FULL_DISK = "Ổ đĩa chứa kho dữ liệu đã đầy"
ERROR_ALERT = "[data-testid='stAlertContentError']"
SMALL_ROWS = [  # three dossiers of quarter II/2019, none of them in q1.xlsx
    [1, "TP-190402-0101", "Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", "02/04/2019", "09/04/2019", "05/04/2019",
     "Đã trả kết quả", "Trực tiếp"],
    [2, "TP-190415-0102", "Đăng ký kết hôn", "Hộ tịch", "Phòng Tư pháp", "15/04/2019", "22/04/2019", None,
     "Đang xử lý", "Trực tuyến"],
    [3, "TP-190520-0103", "Cấp GCN quyền sử dụng đất", "Đất đai", "Phòng Tài nguyên và Môi trường", "20/05/2019",
     "20/06/2019", "18/06/2019", "Đã trả kết quả", "Trực tiếp"],
]


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m analytics --data-dir DIR ARGS` (--data-dir is the program's option: it goes before the command)."""
    return subprocess.run([sys.executable, "-m", "analytics", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


# `streamlit run`, with uploads kept in memory: Starlette spools an upload over 1 MB to a temporary file, which the
# file-size limit would refuse before the app ever saw the file (as a full disk would, if it also held the temporary
# folder). Here the temporary folder is elsewhere, as /tmp on tmpfs is: only the disk of the store is full.
SERVER = """
import sys
import starlette.formparsers
from streamlit.web import cli

assert isinstance(starlette.formparsers.MultiPartParser.spool_max_size, int)  # (a Starlette that spools otherwise)
starlette.formparsers.MultiPartParser.spool_max_size = 1 << 30
sys.argv = ["streamlit", *sys.argv[1:]]
sys.exit(cli.main())
"""


def file_size_limit(limit: int):
    """For the server process only: writing past `limit` bytes in any file fails with EFBIG, not a signal."""
    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return limited


@contextmanager
def dashboard(data_dir: Path, log: Path, limit: int):
    """The dashboard in single-user mode on localhost, every file it writes held under `limit` bytes; its URL."""
    port = free_port()
    env = {**os.environ, "ONESTOP_DATA_DIR": str(data_dir), "ONESTOP_SINGLE_USER": "1"}
    with log.open("wb") as out:  # (preexec_fn: Playwright, the only other threads' owner, starts after the server)
        server = subprocess.Popen([sys.executable, "-c", SERVER, "run", "server.py", "--server.headless",
                                   "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                   "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, preexec_fn=file_size_limit(limit))  # noqa: PLW1509
    url = f"http://127.0.0.1:{port}"
    try:
        assert resource.prlimit(server.pid, resource.RLIMIT_FSIZE)[0] == limit  # the server, and only it, is held
        wait_until_up(url, server, log, time.time() + 60)  # it starts and answers under the limit
        yield url
    finally:
        stop(server)


def imports_table(page):
    """The imports table (a canvas grid; its cells are mirrored in an accessible table)."""
    return page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Dấu vân tay"))


def listed_files(page) -> list[str]:
    """The file names in the imports table's "Tệp" column, as the page shows them."""
    grid = imports_table(page)
    expect(grid.locator("thead th").filter(has_text="Tệp")).to_have_count(1)  # (the mirror drawn, after a rerun)
    expect(grid.locator("tbody tr").first).to_be_attached()
    headers = [h.strip() for h in grid.locator("thead th").all_inner_texts()]
    column = headers.index("Tệp")
    rows = grid.locator("tbody tr")
    return [rows.nth(i).locator("th, td").nth(column).inner_text().strip() for i in range(rows.count())]


def assert_nothing_unexpected(page, where: str) -> None:
    exceptions = page.locator(EXCEPTION)
    assert exceptions.count() == 0, f"{where}: exception shown: {exceptions.first.inner_text()[:2000]}"
    body = page.inner_text("body")
    for words in ("Traceback", "lỗi ngoài dự kiến", "Error:", "Không ghi được nhật ký thao tác"):
        assert words not in body, f"{where}: {words!r} on the page:\n{body[:3000]}"
    assert not page.errors, f"{where}: JavaScript errors: {page.errors}"


def test_a_full_disk_on_upload_is_said_and_the_rest_of_the_upload_lands(tmp_path):
    if not CHROMIUM:
        pytest.fail("Chromium is required (apt-get install -y chromium).")
    data_dir = tmp_path / "data"
    first = simple_export(tmp_path / FIRST_NAME)
    imported = cli(data_dir, "import", str(first))
    assert imported.returncode == 0, imported.stderr
    store = Store(data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE]  # checkpointed: no log left beside it
    size = store.path.stat().st_size
    limit = size + MARGIN

    big = big_export(tmp_path / BIG_NAME, BIG_ROWS, "N")
    small = simple_export(tmp_path / SMALL_NAME, rows=SMALL_ROWS)
    assert big.stat().st_size > 4 * MARGIN  # (what it adds to the store is checked after the test, without limit)

    log = tmp_path / "streamlit.log"
    listed: list[str] = []
    with dashboard(data_dir, log, limit) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.set_default_timeout(TIMEOUT)
            page.errors = []
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            # The server's first run goes through Streamlit's legacy pages/ mode (see test_browser.fresh): the root
            # first, then the page's own path.
            page.goto(url)
            expect(title(page, "Tổng quan")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
            settle(page, FIRST_RUN_TIMEOUT)
            page.goto(f"{url}/du-lieu")
            expect(title(page, "Dữ liệu")).to_be_visible(timeout=FIRST_RUN_TIMEOUT)
            settle(page, FIRST_RUN_TIMEOUT)
            assert_nothing_unexpected(page, "Dữ liệu (before the upload)")
            expect(imports_table(page).locator("td[role=gridcell]").filter(has_text=FIRST_NAME)).to_have_count(1)

            page.locator("input[type=file]").first.set_input_files([str(big), str(small)])
            # Both files uploaded (no spinner left) and the page's run after them over, before the button is used.
            expect(page.get_by_test_id("stFileChipName")).to_have_count(2)
            expect(page.get_by_test_id("stFileChipIconSpinner")).to_have_count(0)
            settle(page)
            expect(page.get_by_test_id("stFileChipIconError")).to_have_count(0)  # both reached the server
            page.get_by_role("button", name="Nhập các tệp đã chọn vào kho").click()
            full = page.locator(ERROR_ALERT).filter(has_text=FULL_DISK)
            expect(full).to_have_count(1, timeout=60_000)
            settle(page, 60_000)
            message = full.inner_text()
            assert f"Chưa nhập được {BIG_NAME}" in message and "chưa được ghi vào kho" in message, message
            assert "dữ liệu đã có trong kho vẫn nguyên vẹn" in message, message
            assert SMALL_NAME not in message, message
            assert page.locator(ERROR_ALERT).count() == 1, page.locator(ERROR_ALERT).all_inner_texts()
            result = page.get_by_test_id("stExpander").filter(has_text=SMALL_NAME)
            expect(result).to_contain_text("Đã nhập:")
            expect(result).to_contain_text("3 dòng hồ sơ")
            expect(page.get_by_test_id("stExpander").filter(has_text=BIG_NAME)).to_have_count(0)
            assert_nothing_unexpected(page, "Dữ liệu (after the upload)")
            grid = imports_table(page)
            expect(grid.locator("td[role=gridcell]").filter(has_text=SMALL_NAME)).to_have_count(1)
            expect(grid.locator("td[role=gridcell]").filter(has_text=BIG_NAME)).to_have_count(0)
            listed = listed_files(page)
            assert sorted(listed) == sorted([FIRST_NAME, SMALL_NAME]), listed
            expect(page.get_by_test_id("stCaptionContainer").filter(has_text="Dữ liệu đã nhập: 2 tệp")).to_have_count(1)
            page.screenshot(path=str(tmp_path / "full-disk.png"))
            # Closing the results still works (and removes the small file's temporary copy): the message goes, the
            # imports stay.
            page.get_by_role("button", name="Đóng kết quả nhập (xoá bản tạm của các tệp)").click()
            expect(page.locator(ERROR_ALERT)).to_have_count(0)
            expect(page.get_by_test_id("stExpander").filter(has_text=SMALL_NAME)).to_have_count(0)
            settle(page)
            expect(imports_table(page).locator("td[role=gridcell]").filter(has_text=SMALL_NAME)).to_have_count(1)
            assert listed_files(page) == listed
            assert_nothing_unexpected(page, "Dữ liệu (results closed)")

            open_screen(page, "Tổng quan", "Tổng quan")
            expect(page.get_by_test_id("stMetric").first).to_be_visible()
            assert page.locator(ERROR_ALERT).count() == 0, page.locator(ERROR_ALERT).all_inner_texts()
            assert_nothing_unexpected(page, "Tổng quan (after the full disk)")
            expect(page.locator("body")).not_to_contain_text("DỮ LIỆU MẪU")
        finally:
            browser.close()
    server_log = log.read_text(errors="replace")
    assert "Traceback" not in server_log, server_log

    # The limit lifted, the server gone: the store opens and holds exactly what the page listed, each import whole.
    imports = store.imports()
    assert sorted(imports["file_name"]) == sorted(listed), imports
    counted = store.records()[s.IMPORT_ID].value_counts()
    assert all(counted.get(row.import_id, 0) == row.rows_imported for row in imports.itertuples()), imports
    assert imports.set_index("file_name").loc[SMALL_NAME, "rows_imported"] == 3
    log_json = cli(data_dir, "audit-log", "--format", "json")
    assert log_json.returncode == 0, log_json.stderr
    entries = json.loads(log_json.stdout)["entries"]
    failed = [e for e in entries if e["action"] == "import" and e["outcome"] == "failed"]
    assert [(e["target"], e["detail"]) for e in failed] == [(BIG_NAME, {"error": "StoreFull"})], entries
    landed = {e["target"]: e["entry_id"] for e in entries if e["action"] == "import" and e["outcome"] == "ok"}
    assert set(landed) == {FIRST_NAME, SMALL_NAME}, entries
    assert landed[SMALL_NAME] > failed[0]["entry_id"], entries  # the file after the failed one in the upload landed

    # The margin was far smaller than what the big export adds: it was the size, not something else, that failed.
    grown = Store(tmp_path / "unlimited")
    assert grown.import_file(first).status == "imported"
    before = grown.path.stat().st_size
    assert grown.import_file(big).status == "imported"
    assert grown.path.stat().st_size - before > 2 * MARGIN
