"""Load benchmark: K browser sessions on N dossiers, every screen, while one of them imports a file (not a test).

    python bench/bench_load.py [--dossiers 1000000] [--sessions 10] [--rounds 1] [--import-rows 50000]
                               [--via url|sidebar] [--no-import] [--think S] [--wait-quiet LOAD]
                               [--out bench/out] [--user NAME [--password PASSWORD]]

Target (issue 11): with 1,000,000 dossiers in the store and 10 people using the dashboard at once, one of them
importing an export, every screen answers within 5 s for every session, and nothing fails.

Steps:
1. a store of N synthetic dossiers (`bench_pages.py --fill`, i.e. `bench_analyses.synthetic_records` and
   `fill_store`, in a child process) is built once under <out>/load_store_<N>/ and reused; each run works on a copy
   of it (the run imports a file, which changes the store), in a temporary folder deleted afterwards, with the
   store's sequence of import ids moved past the import fill_store wrote (else the app's import would be refused);
2. the export to import: `bench_import.cached_export(<out>, --import-rows)`, <out>/dossiers_<rows>.xlsx;
3. `streamlit run server.py` (`dashboard.py` for an older tree; headless, 127.0.0.1, a free port) with
   ONESTOP_DATA_DIR = the copy. No user is defined and ONESTOP_SINGLE_USER=1, so the app runs in single-user mode on
   localhost and needs no sign-in; with --user/--password the user is added to the copy first (`python -m analytics
   users add NAME --role analyst`, the password on standard input) and a session signs in through the form ("Tên đăng
   nhập", "Mật khẩu", "Đăng nhập") whenever it appears (the first load; the sign-in cookie keeps the browser context
   signed in after it); from typing to the form gone is left out of the visit's time;
4. warm-up: one browser session opens `/` and waits for the overview (this reads the store into the server's cache;
   its time is reported on its own, it is not one of the measured visits). It also avoids Streamlit's spurious
   "Page not found" on the first visit to a page path after a start (see tests/test_browser.py);
5. K sessions (Playwright's async API: one headless Chromium, one browser context per session, all driven at once)
   each open every screen by its URL path, session i starting at the i-th screen (so at any moment the sessions are
   on different screens), --rounds times. Session 1, after --import-after screens of its first round, opens Dữ liệu,
   puts the export in the uploader, clicks "Nhập các tệp đã chọn vào kho" and waits for the outcome, then carries on.

A visit is timed from `page.goto` to the screen being drawn: the page connected, Streamlit not running the script
(no [data-testid=stStatusWidget], nothing stale), the screen's own heading (its title in an h1 of the main area, or
the slide's headline on Trình chiếu) present, and every Plotly chart in the main area drawn (its SVG present). With
--via sidebar, a session's screens after its first are opened by clicking their link in the sidebar (the same page and
Streamlit session, as a person moves between screens; Trình chiếu hides the sidebar, so the screen after it is opened
by URL), timed from the click. A visit fails if the page shows an exception ([data-testid=stException]), an error
alert ([data-testid=stAlertContentError]), the text "lỗi ngoài dự kiến" or "Page not found", raises a JavaScript
error, or is not drawn within --timeout seconds.

Printed: a table (screen x session, seconds; median and max per screen), the import's duration and outcome, the
visits before / during / after the import, where the CPU went (the server, the browser, the rest of the machine), and
the verdicts. Results go to <out>/load.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from servers import free_port, health_ok, stop  # noqa: E402

TARGET_S = 5.0
DB_FILE = "onestop.duckdb"  # analytics.dossiers.store.DB_FILE (not imported: this script must not need the app)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # as tests/test_browser.py
WIDTH, HEIGHT = 1280, 720
SERVER_START_TIMEOUT = 90  # s
IMPORT_TIMEOUT = 900  # s, upload + import + the page drawn again

# Every screen by its URL path (dashboard.py), in the navigation's order.
SCREENS = [("tong-quan", "Tổng quan"), ("bieu-06", "Biểu 06"), ("thu-tuc", "Thủ tục"), ("don-vi", "Đơn vị"),
           ("so-sanh-ky", "So sánh kỳ"), ("ho-so-tre-han", "Hồ sơ trễ hạn"), ("doi-chieu", "Đối chiếu"),
           ("bao-cao", "Báo cáo"), ("trinh-chieu", "Trình chiếu"), ("du-lieu", "Dữ liệu")]
# What shows that a screen is its own and not the sign-in form (whose h1 is the app's name): its h1, or on
# Trình chiếu (None) the slide's headline. "" is the root, which sends a person on to the overview.
HEADINGS = {"": "Tổng quan", "tong-quan": "Tổng quan", "bieu-06": "Biểu 06/VPCP/KSTT", "thu-tuc": "Thủ tục hành chính",
            "don-vi": "Đơn vị", "so-sanh-ky": "So sánh kỳ", "ho-so-tre-han": "Hồ sơ trễ hạn",
            "doi-chieu": "Đối chiếu số liệu báo cáo", "bao-cao": "Đợt giám sát và báo cáo", "trinh-chieu": None,
            "du-lieu": "Dữ liệu"}
IMPORT_BUTTON = "Nhập các tệp đã chọn vào kho"
IMPORT_OUTCOMES = {"Đã nhập trước đó": "already_imported", "Không nhập được": "rejected", "Đã nhập:": "imported"}
USER_LABEL, PASSWORD_LABEL, SIGN_IN_BUTTON = "Tên đăng nhập", "Mật khẩu", "Đăng nhập"

# In the page, from the first script on (performance.now() counts from the navigation): when the page first
# connected to the server, and when it first showed the screen's heading (most screens draw it once their data are
# in hand, before their tables and charts).
# With --via sidebar, window.__ran tells that a script run started after the click on a navigation link.
PAGE_MARKS = """
window.__marks = {}; window.__ran = false;
const __mark = (name) => { if (!(name in window.__marks)) window.__marks[name] = Math.round(performance.now()); };
const __watch = new MutationObserver((records) => {
    const app = document.querySelector("[data-testid='stApp']");
    // A run may start and end between two calls of this observer: its old value tells.
    if (records.some(r => r.attributeName === "data-test-script-state"
                          && (r.oldValue === "running" || r.target.dataset.testScriptState === "running")))
        window.__ran = true;
    if (app && app.dataset.testConnectionState === "CONNECTED") __mark("connected");
    if (document.querySelector("[data-testid='stMain'] h1, [data-testid='stMain'] .slide-headline")) __mark("heading");
});
document.addEventListener("DOMContentLoaded", () => __watch.observe(document.body, {childList: true, subtree: true,
    attributes: true, attributeOldValue: true,
    attributeFilter: ["data-test-connection-state", "data-test-script-state"]}));
"""
READ_MARKS = "() => window.__marks || {}"
# "done" when the screen is drawn and Streamlit is idle; "signin" when the sign-in form is shown instead.
STATE = """(heading) => {
    const visible = (e) => e !== null && e.getClientRects().length > 0;
    if (visible(document.querySelector("input[aria-label='%(user)s']"))) return "signin";
    const app = document.querySelector("[data-testid='stApp']");
    if (app === null || app.dataset.testConnectionState !== "CONNECTED"
        || app.dataset.testScriptState !== "notRunning"
        || document.querySelector("[data-testid='stStatusWidget']") !== null
        || document.querySelector("[data-stale='true']") !== null) return false;
    const main = document.querySelector("[data-testid='stMain']");
    if (main === null) return false;
    if (/Page not found|lỗi ngoài dự kiến/.test(main.innerText)) return "done";  // an error is drawn too
    if (main.querySelector("[data-testid='stException'], [data-testid='stAlertContentError']")) return "done";
    if (heading === null ? main.querySelector(".slide-headline") === null
        : ![...main.querySelectorAll("h1")].some(h => h.innerText.trim().startsWith(heading))) return false;
    for (const chart of main.querySelectorAll("[data-testid='stPlotlyChart']")) {
        if (chart.querySelector(".main-svg") === null) return false;
    }
    return "done";
}""".replace("%(user)s", USER_LABEL)
# Where a page stands, for a failed visit's report.
WHERE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return `path ${location.pathname}, connection ${app?.dataset.testConnectionState}, script `
        + `${app?.dataset.testScriptState}, heading "${h1 ? h1.innerText.trim().slice(0, 60) : ""}", `
        + `${document.querySelectorAll("[data-stale='true']").length} stale elements, `
        + `${document.querySelectorAll("[data-testid='stPlotlyChart']").length} charts`;
}"""
# The import's outcome (an expander named after the file) or an error is shown.
IMPORT_SHOWN = """(name) => [...document.querySelectorAll("[data-testid='stExpander']")].some(
        e => e.innerText.includes(name))
    || document.querySelector("[data-testid='stException'], [data-testid='stAlertContentError']") !== null"""
PROBLEMS = """() => {
    const problems = [];
    for (const e of document.querySelectorAll("[data-testid='stException']"))
        problems.push("exception: " + e.innerText.slice(0, 400));
    for (const e of document.querySelectorAll("[data-testid='stAlertContentError']"))
        problems.push("error alert: " + e.innerText.slice(0, 400));
    const text = document.body.innerText;
    if (text.includes("lỗi ngoài dự kiến")) problems.push("text: lỗi ngoài dự kiến");
    if (text.includes("Page not found")) problems.push("text: Page not found");
    return problems;
}"""


# --- The store, the export, the server ----------------------------------------------------------------------------

def base_store(out: Path, n: int, rebuild: bool) -> Path:
    """<out>/load_store_<n>/ with n synthetic dossiers, built once (bench_pages.py --fill, a child process)."""
    folder = out / f"load_store_{n}"
    if rebuild:
        shutil.rmtree(folder, ignore_errors=True)
    if (folder / DB_FILE).exists():
        print(f"Reusing the store of {n:,} dossiers in {folder} (--rebuild-store to make it again).")
        return folder
    print(f"Writing a store of {n:,} dossiers to {folder} (child process)…", flush=True)
    partial = out / f"load_store_{n}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    subprocess.run([sys.executable, str(BENCH / "bench_pages.py"), "--fill", str(partial), "--dossiers", str(n)],
                   check=True, cwd=ROOT)
    partial.rename(folder)
    return folder


def working_copy(base: Path) -> Path:
    """A copy of the store for this run: the import changes it, the cached one stays as built."""
    import duckdb

    work = Path(tempfile.mkdtemp(prefix="bench_load_"))
    data_dir = work / "data"
    shutil.copytree(base, data_dir)
    # A store cached by an older fill_store holds import 1 without having drawn it from the store's sequence of
    # import ids, so the app's next import would draw 1 again and be refused: start the sequence after the ids
    # already used. (fill_store now draws it in its transaction. A bare `SELECT nextval(...)` outside a write is
    # not enough: with DuckDB 2.0 that draw is not kept once the file is reopened.)
    with duckdb.connect(str(data_dir / DB_FILE)) as con:
        used = con.execute("SELECT coalesce(max(import_id), 0) FROM imports").fetchone()[0]
        con.execute("DROP SEQUENCE IF EXISTS import_ids")
        con.execute(f"CREATE SEQUENCE import_ids START {used + 1}")
    return data_dir


def add_user(data_dir: Path, user: str, password: str, app: Path = ROOT) -> None:
    """The user the sessions sign in as, added to the working copy (password on standard input, never an argument)."""
    proc = subprocess.run([sys.executable, "-m", "analytics", "--data-dir", str(data_dir), "users", "add", user,
                           "--role", "analyst"], input=f"{password}\n{password}\n", text=True, capture_output=True,
                          cwd=app, check=False)
    if proc.returncode != 0:
        print(f"  adding the user {user!r} failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[-300:]}"
              "\n  (carrying on: sessions will sign in if the form appears)")
    else:
        print(f"  user {user!r} added to the working copy (role analyst)")


def wait_quiet(load: float, longest: float) -> float:
    """Waits until the 1-minute load average is below `load` (other people's work on the machine), at most
    `longest` seconds; returns the seconds waited."""
    started = time.perf_counter()
    while os.getloadavg()[0] >= load and time.perf_counter() - started < longest:
        waited = time.perf_counter() - started
        if int(waited) % 60 < 5:
            print(f"  waiting for a quieter machine: load average {os.getloadavg()[0]:.1f} ≥ {load:g} "
                  f"({waited:.0f} s so far)", flush=True)
        time.sleep(5)
    waited = time.perf_counter() - started
    print(f"Load average now {os.getloadavg()[0]:.2f} after waiting {waited:.0f} s.", flush=True)
    return round(waited, 1)


def start_server(data_dir: Path, log_path: Path, app: Path = ROOT,
                 operations: Path | None = None, single_user: bool = False) -> tuple[subprocess.Popen, str]:
    """`streamlit run server.py` of the tree `app` (dashboard.py for an older tree, which has no server.py); with
    `operations`, through counted_server.py, which logs every store operation there; `single_user`: no account, so
    ONESTOP_SINGLE_USER=1 (the app's uploads need it on this computer)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ONESTOP_DATA_DIR": str(data_dir), **({"ONESTOP_SINGLE_USER": "1"} if single_user else {})}
    entry = "server.py" if (app / "server.py").exists() else "dashboard.py"  # an older tree has no server.py
    streamlit = ["run", entry, "--server.headless", "true", "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    launcher = [str(BENCH / "counted_server.py"), str(app), str(operations)] if operations else ["-m", "streamlit"]
    with log_path.open("wb") as log:
        server = subprocess.Popen([sys.executable, *launcher, *streamlit],
                                  cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT)
    started = time.perf_counter()
    while not health_ok(url):
        if server.poll() is not None:
            raise RuntimeError(f"Streamlit exited with {server.returncode}; see {log_path}")
        if time.perf_counter() - started > SERVER_START_TIMEOUT:
            stop(server)
            raise RuntimeError(f"/_stcore/health did not answer within {SERVER_START_TIMEOUT} s; see {log_path}")
        time.sleep(0.1)
    print(f"Server up at {url} in {time.perf_counter() - started:.1f} s (log: {log_path})", flush=True)
    return server, url


def store_contents(data_dir: Path) -> dict:
    """What the store holds after the run (read directly with DuckDB, read-only, the server stopped)."""
    import duckdb

    try:
        with duckdb.connect(str(data_dir / DB_FILE), read_only=True) as con:
            imports = con.execute("SELECT import_id, file_name, rows_imported FROM imports ORDER BY import_id").fetchall()
            records = con.execute("SELECT count(*) FROM records").fetchone()[0]
        return {"imports": [{"import_id": i, "file_name": f, "rows_imported": r} for i, f, r in imports],
                "records": records}
    except Exception as error:  # noqa: BLE001 - reported, not fatal
        return {"error": f"{type(error).__name__}: {error}"}


def store_operations(path: Path, start: float, end: float) -> dict:
    """What counted_server.py logged between `start` and `end` (unix times): calls of each reading method, and
    connections by caller; also the seconds spent in the full reads (`dossiers`)."""
    calls: dict[str, int] = {}
    seconds: dict[str, float] = {}
    if not path.exists():
        return {"calls": calls, "seconds": seconds}
    for line in path.read_text(encoding="utf-8").splitlines():
        at, took, what = line.split(" ", 2)
        if start <= float(at) <= end:
            calls[what] = calls.get(what, 0) + 1
            seconds[what] = round(seconds.get(what, 0.0) + float(took), 3)
    return {"calls": dict(sorted(calls.items())), "seconds": {k: v for k, v in sorted(seconds.items()) if v}}


def server_memory(pid: int) -> dict:
    """The server's resident memory now and at its peak (MiB), from /proc/<pid>/status."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return out


# --- CPU accounting -----------------------------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used by the process and by its children that have ended) from /proc/<pid>/stat.
    Counting ended children keeps a tree's total growing when its processes come and go (Chromium's renderers):
    children still running are not in their parent's figure, so nothing is counted twice."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, … utime, stime, cutime, cstime
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / CLOCK_TICKS


def descendants_cpu(root_pid: int, exclude: int) -> float:
    """CPU seconds of every live process under root_pid (this script's children: Playwright's driver, Chromium),
    except the subtree of `exclude` (the server)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            st = _proc_stat(int(entry.name))
            if st:
                stats[int(entry.name)] = st
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, list(children.get(root_pid, []))
    while todo:
        pid = todo.pop()
        if pid == exclude:
            continue
        total += stats[pid][1]
        todo.extend(children.get(pid, []))
    return total


def machine_cpu() -> tuple[float, float]:
    """(busy CPU seconds, total CPU seconds) of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS, sum(values[:8]) / CLOCK_TICKS


class CpuMeter:
    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def sample(self) -> dict:
        server = _proc_stat(self.server_pid)
        busy, total = machine_cpu()
        return {"t": time.perf_counter(), "server": server[1] if server else 0.0,
                "browser": descendants_cpu(os.getpid(), self.server_pid), "machine_busy": busy, "machine_total": total,
                "script": sum(os.times()[:2])}

    @staticmethod
    def between(a: dict, b: dict) -> dict:
        wall = b["t"] - a["t"]
        busy = b["machine_busy"] - a["machine_busy"]
        server, browser, script = (b[k] - a[k] for k in ("server", "browser", "script"))
        return {"wall_s": round(wall, 1), "cores": os.cpu_count(), "machine_busy_cpu_s": round(busy, 1),
                "machine_capacity_cpu_s": round(b["machine_total"] - a["machine_total"], 1),
                "server_cpu_s": round(server, 1), "browser_cpu_s": round(browser, 1), "this_script_cpu_s": round(script, 1),
                "other_cpu_s": round(max(busy - server - browser - script, 0.0), 1)}


# --- One visit ----------------------------------------------------------------------------------------------------

class Run:
    def __init__(self, args, url: str, export: Path):
        self.args, self.url, self.export = args, url, export
        self.t0 = time.perf_counter()
        self.visits: list[dict] = []
        self.imported: dict = {}
        self.sign_ins = 0
        self.cpu_timeline: list[dict] = []
        self.started_at = self.ended_at = time.time()  # unix times of the sessions' run (for the store's log)

    def now(self) -> float:
        return time.perf_counter() - self.t0

    async def new_page(self, browser):
        context = await browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        await context.add_init_script(PAGE_MARKS)
        page = await context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return context, page

    async def wait_drawn(self, page, path: str, timeout_s: float) -> tuple[str | None, float]:
        """Waits until the screen is drawn ("done"); signs in through the form when it appears (its typing not
        counted). Returns (state, seconds excluded for signing in)."""
        excluded, deadline = 0.0, time.perf_counter() + timeout_s
        while True:
            remaining = max(deadline - time.perf_counter(), 0.1)
            handle = await page.wait_for_function(STATE, arg=HEADINGS[path], timeout=remaining * 1000, polling=100)
            state = await handle.json_value()
            if state != "signin":
                return state, excluded
            if not self.args.user:
                raise SignInNeeded("a sign-in form is shown: pass --user and --password")
            typing = time.perf_counter()
            await page.get_by_label(USER_LABEL, exact=True).fill(self.args.user)
            await page.get_by_label(PASSWORD_LABEL, exact=True).fill(self.args.password)
            await page.get_by_role("button", name=SIGN_IN_BUTTON, exact=True).click()
            self.sign_ins += 1
            await page.wait_for_function(f"() => document.querySelector(\"input[aria-label='{PASSWORD_LABEL}']\")"
                                         " === null || document.querySelector(\"[data-testid='stAlertContentError']\")"
                                         " !== null", timeout=remaining * 1000, polling=100)
            refused = page.get_by_test_id("stAlertContentError")
            if await refused.count():  # a wrong password: trying again would only lock the account
                raise SignInNeeded(f"sign-in refused: {(await refused.first.inner_text())[:200]}")
            excluded += time.perf_counter() - typing

    async def visit(self, page, session: int, round_: int, path: str, name: str, record: bool = True,
                    by_link: bool = False) -> dict:
        """One screen: by its URL (a new page load, so a new Streamlit session), or with `by_link` by clicking its
        link in the sidebar's navigation (the same page and session; the time runs from the click)."""
        page.errors.clear()
        link = page.get_by_test_id("stSidebarNav").locator(f"a[href$='/{path}']").first
        if by_link and not await link.is_visible():  # Trình chiếu hides the sidebar: its next screen by URL
            by_link = False
        result = {"session": session, "round": round_, "screen": path, "name": name, "start_s": round(self.now(), 3),
                  "via": "sidebar" if by_link else "url"}
        problems = []
        started = time.perf_counter()
        try:
            if by_link:
                await page.evaluate("() => { window.__ran = false; }")
                started = time.perf_counter()
                await link.click()
                try:
                    await page.wait_for_function("(path) => window.__ran && location.pathname.endsWith('/' + path)",
                                                 arg=path, timeout=self.args.timeout * 1000, polling=50)
                except Exception:  # noqa: BLE001 - said as a lost click, with where the page stands
                    raise ClickLost(await page.evaluate(WHERE)) from None
            else:
                started = time.perf_counter()
                await page.goto(f"{self.url}/{path}", wait_until="commit", timeout=self.args.timeout * 1000)
            _, excluded = await self.wait_drawn(page, path, self.args.timeout)
            result["seconds"] = round(time.perf_counter() - started - excluded, 3)
            if excluded:
                result["sign_in_excluded_s"] = round(excluded, 3)
        except SignInNeeded as error:
            problems.append(str(error))
        except ClickLost as error:
            problems.append(f"the click on its sidebar link started no run of the screen within {self.args.timeout:g} s"
                            f" (then: {error})")
            result["seconds"] = None
        except Exception as error:  # noqa: BLE001 - a timeout or a closed page is a failed visit, reported
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            try:
                where = await page.evaluate(WHERE)
            except Exception:  # noqa: BLE001
                where = "page unreadable"
            problems.append(f"not drawn within {self.args.timeout:g} s ({type(error).__name__}: {first[:120]}; "
                            f"then: {where})")
            result["seconds"] = None
        result["end_s"] = round(self.now(), 3)
        try:
            problems += await page.evaluate(PROBLEMS)
            if not by_link:  # the marks count from a page load
                result["marks_ms"] = await page.evaluate(READ_MARKS)
        except Exception as error:  # noqa: BLE001
            problems.append(f"page unreadable: {type(error).__name__}")
        problems += [f"JavaScript error: {e[:300]}" for e in page.errors]
        result["problems"] = problems
        if problems and self.args.shots:
            shots = self.args.out / "load-shots"
            shots.mkdir(parents=True, exist_ok=True)
            try:
                await page.screenshot(path=str(shots / f"r{round_}-s{session:02d}-{path}.png"), full_page=True)
            except Exception as error:  # noqa: BLE001 - a missing screenshot must not stop the run
                problems.append(f"(no screenshot: {type(error).__name__})")
        if record:
            self.visits.append(result)
        cell = f"{result['seconds']:.2f} s" if result.get("seconds") is not None else "FAILED"
        flag = "  ".join(problems)[:300]
        print(f"  [{result['start_s']:7.1f} s] round {round_} session {session:2d} /{path:<14} {cell}"
              + (f"  !! {flag}" if flag else ""), flush=True)
        return result

    async def do_import(self, page, session: int) -> None:
        """Opens Dữ liệu, uploads the export, clicks the import button, waits for the outcome and the page redrawn."""
        info = {"session": session, "file": self.export.name, "rows": self.args.import_rows,
                "size_mib": round(self.export.stat().st_size / 2**20, 1)}
        self.imported = info
        print(f"  [{self.now():7.1f} s] session {session} imports {self.export.name}…", flush=True)
        opened = await self.visit(page, session, 0, "du-lieu", "Dữ liệu (to import)", record=False,
                                  by_link=self.args.via == "sidebar" and self.loaded(page))
        info["open_s"] = opened.get("seconds")
        info["start_s"] = round(self.now(), 3)
        try:
            started = time.perf_counter()
            await page.locator("input[type=file]").first.set_input_files(str(self.export))
            button = page.get_by_role("button", name=IMPORT_BUTTON, exact=True)
            await button.wait_for(state="visible", timeout=IMPORT_TIMEOUT * 1000)
            info["upload_s"] = round(time.perf_counter() - started, 3)
            clicked = time.perf_counter()
            info["click_s"] = round(self.now(), 3)
            await button.click()
            result = page.get_by_test_id("stExpander").filter(has_text=self.export.name)
            await page.wait_for_function(IMPORT_SHOWN, arg=self.export.name, timeout=IMPORT_TIMEOUT * 1000,
                                         polling=100)
            info["import_s"] = round(time.perf_counter() - clicked, 3)  # click -> outcome (or an error) shown
            if not await result.count():
                raise RuntimeError("no outcome shown: " + "; ".join(await page.evaluate(PROBLEMS)))
            await self.wait_drawn(page, "du-lieu", IMPORT_TIMEOUT)
            info["import_and_redraw_s"] = round(time.perf_counter() - clicked, 3)  # ... and the page idle again
            summary = await result.first.locator("summary").first.inner_text()
            summary = " ".join(summary.split())
            info["summary"] = summary[summary.find(self.export.name):]  # without the icons' names before it
            info["outcome"] = next((v for k, v in IMPORT_OUTCOMES.items() if k in summary), "unknown")
        except Exception as error:  # noqa: BLE001 - reported
            if self.args.shots:
                shots = self.args.out / "load-shots"
                shots.mkdir(parents=True, exist_ok=True)
                await page.screenshot(path=str(shots / "import.png"), full_page=True)
            info["outcome"] = "failed"
            info["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:300] if str(error) else ''}"
        info["end_s"] = round(self.now(), 3)
        info["problems"] = await page.evaluate(PROBLEMS) + [f"JavaScript error: {e[:300]}" for e in page.errors]
        print(f"  [{self.now():7.1f} s] import: {info.get('outcome')} {info.get('summary', info.get('error', ''))}; "
              f"upload {info.get('upload_s')} s, click → outcome {info.get('import_s')} s"
              + (f"  !! {info['problems']}" if info["problems"] else ""), flush=True)

    def loaded(self, page) -> bool:
        """Whether the page already shows the dashboard (so a sidebar link can be clicked)."""
        return page.url.startswith(self.url)

    async def session(self, browser, session: int, start_gate: asyncio.Event) -> None:
        context, page = await self.new_page(browser)
        page.set_default_timeout(self.args.timeout * 1000)
        try:
            await start_gate.wait()
            await asyncio.sleep(0.05 * (session - 1))  # people do not click in the same millisecond
            order = SCREENS[(session - 1) % len(SCREENS):] + SCREENS[:(session - 1) % len(SCREENS)]
            for round_ in range(1, self.args.rounds + 1):
                for n, (path, name) in enumerate(order):
                    if session == 1 and round_ == 1 and n == self.args.import_after and not self.args.no_import:
                        await self.do_import(page, session)
                    await self.visit(page, session, round_, path, name,
                                     by_link=self.args.via == "sidebar" and self.loaded(page))
                    if self.args.think:
                        await asyncio.sleep(self.args.think)
            if session == 1 and not self.args.no_import and not self.imported:  # --import-after past the end
                await self.do_import(page, session)
        finally:
            await context.close()


class SignInNeeded(Exception):
    pass


class ClickLost(Exception):
    pass


async def sample_cpu(cpu: CpuMeter, first: dict, run: Run, every: float = 5.0) -> None:
    """Every few seconds, where the machine's CPU went (to see whether other work on it varied during the run)."""
    last = first
    while True:
        await asyncio.sleep(every)
        now = cpu.sample()
        run.cpu_timeline.append({"at_s": round(now["t"] - run.t0, 1), **CpuMeter.between(last, now)})
        last = now


async def drive(args, url: str, export: Path, cpu: CpuMeter) -> tuple[Run, dict, dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            run = Run(args, url, export)
            print("Warm-up: one session opens / (the server reads the store and computes the overview)…", flush=True)
            context, page = await run.new_page(browser)
            page.set_default_timeout(args.timeout * 1000)
            before = cpu.sample()
            warm = await run.visit(page, 0, 0, "", "warm-up /", record=False)
            warm["cpu"] = CpuMeter.between(before, cpu.sample())
            await context.close()
            if warm.get("seconds") is None:
                print("  the warm-up failed; carrying on, the sessions will show whether the app works")
            print(f"{args.sessions} sessions × {len(SCREENS)} screens × {args.rounds} round(s), all at once…",
                  flush=True)
            gate = asyncio.Event()
            tasks = [asyncio.create_task(run.session(browser, k, gate)) for k in range(1, args.sessions + 1)]
            await asyncio.sleep(1.0)  # contexts and pages made before the clock starts
            run.t0 = time.perf_counter()
            run.started_at = time.time()
            before = cpu.sample()
            gate.set()
            sampler = asyncio.create_task(sample_cpu(cpu, before, run))
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            sampler.cancel()
            used = CpuMeter.between(before, cpu.sample())
            run.ended_at = time.time()
            for k, outcome in enumerate(outcomes, start=1):
                if isinstance(outcome, BaseException):
                    print(f"  session {k} stopped: {type(outcome).__name__}: {outcome}")
                    run.visits.append({"session": k, "round": 0, "screen": "(session)", "seconds": None,
                                       "problems": [f"session stopped: {type(outcome).__name__}: {outcome}"]})
            return run, warm, used
        finally:
            await browser.close()


# --- Report -------------------------------------------------------------------------------------------------------

def phase_of(visit: dict, imported: dict) -> str:
    """Where a visit lies against the import: before it started, overlapping it, or after it ended."""
    if not imported or "start_s" not in imported or visit.get("start_s") is None:
        return "no import"
    start, end = imported.get("click_s", imported["start_s"]), imported["end_s"]
    if visit["end_s"] <= start:
        return "before import"
    if visit["start_s"] >= end:
        return "after import"
    return "during import"


def fmt_s(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} {max(values):6.2f}" if values else f"{'—':>6} {'—':>6}"


def per_visit(args, run: Run, used: dict, operations: dict, warm_operations: dict, memory: dict) -> dict:
    """The server's side of the run per visit: its CPU seconds, its full reads of the dossiers, its reads of the
    store's lists, its connections to the store (each one takes the store's lock in the server process)."""
    visits = [v for v in run.visits if v["screen"] != "(session)"]
    n = max(len(visits), 1)
    calls = operations["calls"]
    full = calls.get("read:dossiers", 0)
    lists = sum(c for what, c in calls.items() if what.startswith("read:") and what not in
                ("read:dossiers", "read:records", "read:versions"))
    opened = sum(c for what, c in calls.items() if what.startswith("open:"))
    out = {"visits": len(visits), "sign_ins": run.sign_ins, "server_cpu_s": used["server_cpu_s"],
           "server_cpu_s_per_visit": round(used["server_cpu_s"] / n, 3),
           "dossiers_reads": full, "dossiers_reads_per_visit": round(full / n, 3),
           "dossiers_read_seconds": operations["seconds"].get("read:dossiers", 0.0),
           "list_reads": lists, "list_reads_per_visit": round(lists / n, 2),
           "store_connections": opened, "store_connections_per_visit": round(opened / n, 2),
           "operations": operations, "warm_up_operations": warm_operations, "server_memory_mib": memory}
    print(f"\nserver side, per visit ({len(visits)} visits, {run.sign_ins} sign-ins; the import's own page loads "
          f"count in the totals, not in the visits): CPU {out['server_cpu_s_per_visit']:.2f} s "
          f"({used['server_cpu_s']} s in all); full reads of the dossiers {out['dossiers_reads_per_visit']:.2f} "
          f"({full} in all, {out['dossiers_read_seconds']:.1f} s); reads of the store's lists "
          f"{out['list_reads_per_visit']:.2f} ({lists}); connections to the store {out['store_connections_per_visit']:.2f}"
          f" ({opened})")
    print("  store operations over the run: " + ", ".join(f"{k} {v}" for k, v in calls.items()))
    print("  during the warm-up: " + ", ".join(f"{k} {v}" for k, v in warm_operations["calls"].items()))
    if memory:
        print(f"  server memory: {memory.get('VmRSS')} MiB resident at the end, peak {memory.get('VmHWM')} MiB")
    return out


def report(args, run: Run, warm: dict, used: dict, contents: dict, server_log: Path, base_n: int) -> dict:
    visits = [v for v in run.visits if v["screen"] != "(session)"]
    sessions = list(range(1, args.sessions + 1))
    print("\n" + "=" * 110)
    print(f"Load: {args.sessions} browser sessions, {base_n:,} dossiers in the store, {args.rounds} round(s); seconds "
          f"from navigation to the screen drawn (target ≤ {TARGET_S:g} s)")
    print("cell marks: i = overlapped the import, a = after the import, ! = failed")
    per_screen = {}
    for round_ in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"\nround {round_}")
        head = f"{'screen':16}" + "".join(f"{'s' + str(k):>9}" for k in sessions) + f"{'median':>8}{'max':>7}"
        print(head)
        for path, _ in SCREENS:
            cells, times = [], []
            for k in sessions:
                v = next((v for v in visits if v["session"] == k and v["round"] == round_ and v["screen"] == path),
                         None)
                if v is None:
                    cells.append(f"{'—':>9}")
                    continue
                marks = ""
                phase = phase_of(v, run.imported)
                marks += {"during import": "i", "after import": "a"}.get(phase, "")
                marks += "!" if v["problems"] else ""
                value = f"{v['seconds']:.2f}" if v.get("seconds") is not None else "FAIL"
                cells.append(f"{value + marks:>9}")
                if v.get("seconds") is not None:
                    times.append(v["seconds"])
            med = f"{statistics.median(times):8.2f}{max(times):7.2f}" if times else f"{'—':>8}{'—':>7}"
            print(f"/{path:15}" + "".join(cells) + med)
    print(f"\nper screen, all sessions and rounds: {'median':>6} {'max':>6}  {'> ' + str(TARGET_S) + ' s':>7}  failed")
    for path, name in SCREENS:
        mine = [v for v in visits if v["screen"] == path]
        times = [v["seconds"] for v in mine if v.get("seconds") is not None]
        slow = sum(1 for t in times if t > TARGET_S)
        failed = sum(1 for v in mine if v["problems"] or v.get("seconds") is None)
        per_screen[path] = {"name": name, "median_s": statistics.median(times) if times else None,
                            "max_s": max(times) if times else None, "over_target": slow, "failed": failed,
                            "seconds": times}
        print(f"  /{path:34} {fmt_s(times)}  {slow:7d}  {failed:6d}")
    phases = {}
    print("\nby moment (all screens):")
    for phase in ("before import", "during import", "after import", "no import"):
        times = [v["seconds"] for v in visits if v.get("seconds") is not None and phase_of(v, run.imported) == phase]
        if times:
            phases[phase] = {"visits": len(times), "median_s": statistics.median(times), "max_s": max(times),
                             "over_target": sum(1 for t in times if t > TARGET_S)}
            print(f"  {phase:14} {len(times):4d} visits, median {statistics.median(times):6.2f} s, max "
                  f"{max(times):6.2f} s, over {TARGET_S:g} s: {phases[phase]['over_target']}")
    heading = [v["marks_ms"]["heading"] / 1000 for v in visits if (v.get("marks_ms") or {}).get("heading")]
    connected = [v["marks_ms"]["connected"] / 1000 for v in visits if (v.get("marks_ms") or {}).get("connected")]
    if heading:
        print(f"  in the page: connected after median {statistics.median(connected):.2f} s, heading after median "
              f"{statistics.median(heading):.2f} s (max {max(heading):.2f} s)")

    imp = run.imported
    if imp:
        print(f"\nimport of {imp['file']} ({imp['rows']:,} rows, {imp['size_mib']} MiB) by session {imp['session']}: "
              f"outcome {imp.get('outcome')}; Dữ liệu opened in {imp.get('open_s')} s, upload {imp.get('upload_s')} s, "
              f"click → outcome shown {imp.get('import_s')} s, → page idle {imp.get('import_and_redraw_s')} s "
              f"(from {imp.get('click_s')} s to {imp.get('end_s')} s of the run)")
        if imp.get("summary"):
            print(f"  {imp['summary']}")
        if imp.get("error"):
            print(f"  error: {imp['error']}")
        for problem in imp.get("problems", []):
            print(f"  problem: {problem}")
    print(f"store afterwards: {contents}")
    print(f"warm-up (one session, /, store read into the cache): {warm.get('seconds')} s"
          + (f"  !! {warm['problems']}" if warm.get("problems") else ""))
    print(f"CPU over the sessions' run ({used['wall_s']} s wall, {used['cores']} cores = "
          f"{used['machine_capacity_cpu_s']} CPU s): server {used['server_cpu_s']} s, Chromium + Playwright "
          f"{used['browser_cpu_s']} s, this script {used['this_script_cpu_s']} s, the rest of the machine "
          f"{used['other_cpu_s']} s; machine busy {used['machine_busy_cpu_s']} s")
    shares = [100 * c["other_cpu_s"] / c["machine_capacity_cpu_s"] for c in run.cpu_timeline
              if c["machine_capacity_cpu_s"] > 0]
    if shares:
        print(f"  share of the machine's CPU taken by other work, per {len(shares)} intervals of 5 s: median "
              f"{statistics.median(shares):.0f} %, from {min(shares):.0f} % to {max(shares):.0f} %")

    log_text = server_log.read_text(encoding="utf-8", errors="replace")
    log_errors = [line for line in log_text.splitlines() if "Traceback" in line or " ERROR " in line
                  or line.startswith("ERROR")]
    if log_errors:
        print(f"server log: {len(log_errors)} error line(s), see {server_log}")
    failed = [v for v in run.visits if v["problems"] or v.get("seconds") is None]
    times = [v["seconds"] for v in visits if v.get("seconds") is not None]
    over = [v for v in visits if v.get("seconds") is not None and v["seconds"] > TARGET_S]
    expected_visits = args.sessions * len(SCREENS) * args.rounds
    import_ok = bool(args.no_import) or imp.get("outcome") == "imported" and not imp.get("problems")
    verdicts = {
        f"every screen within {TARGET_S:g} s for every session": "PASS" if not over and len(times) == expected_visits
        else f"MISSED ({len(over)} of {expected_visits} visits over, slowest {max(times) if times else float('nan'):.2f} s)",
        "nothing fails": "PASS" if not failed and import_ok and not log_errors else
        f"FAILED ({len(failed)} visits failed; import {imp.get('outcome', 'not run')}; "
        f"{len(log_errors)} error lines in the server log)",
    }
    print("\nverdicts:")
    for what, verdict in verdicts.items():
        print(f"  {what}: {verdict}")
    if failed:
        print("failed visits:")
        for v in failed:
            print(f"  round {v['round']} session {v['session']} /{v['screen']}: {v['problems']}")
    return {"per_screen": per_screen, "phases": phases, "verdicts": verdicts, "failed": failed,
            "server_log_errors": log_errors[:50]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers in the store")
    parser.add_argument("--sessions", type=int, default=10, help="browser sessions at once")
    parser.add_argument("--rounds", type=int, default=1, help="times each session goes through every screen")
    parser.add_argument("--import-rows", type=int, default=50_000, help="rows of the export session 1 imports")
    parser.add_argument("--import-after", type=int, default=3, help="screens session 1 opens before importing")
    parser.add_argument("--no-import", action="store_true", help="no import, only the sessions' visits")
    parser.add_argument("--via", choices=["url", "sidebar"], default="url",
                        help="open each screen by its URL (a page load: default) or, after a session's first screen, "
                             "by its link in the sidebar (the same Streamlit session)")
    parser.add_argument("--think", type=float, default=0, help="seconds a session waits after each screen")
    parser.add_argument("--wait-quiet", type=float, metavar="LOAD",
                        help="before starting, wait (up to --wait-max s) until the 1-minute load average is below LOAD")
    parser.add_argument("--wait-max", type=float, default=1800, help="seconds --wait-quiet waits at most")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a visit counts as failed")
    parser.add_argument("--user", help="sign in as this user (added to the run's copy of the store as an analyst)")
    parser.add_argument("--password", default=os.environ.get("ONESTOP_BENCH_PASSWORD"),
                        help="the user's password (default: $ONESTOP_BENCH_PASSWORD)")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="cached store, export, load.json, server log")
    parser.add_argument("--app", type=Path, default=ROOT,
                        help="the tree to serve (default: this one; e.g. a commit's tree made with git archive)")
    parser.add_argument("--rebuild-store", action="store_true", help="make the cached store again")
    parser.add_argument("--no-shots", dest="shots", action="store_false", help="no screenshots of failed visits")
    args = parser.parse_args(argv)
    if args.user and not args.password:
        parser.error("--user needs --password")
    args.out = args.out.resolve()
    args.app = args.app.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    from bench_import import cached_export

    conditions = {"date": dt.datetime.now().isoformat(timespec="seconds"), "python": sys.version.split()[0],
                  "machine": platform.machine(), "cpus": os.cpu_count(),
                  "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                  "load_average_before": os.getloadavg(),
                  "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                           text=True, check=False).stdout.strip(), "app": str(args.app)}
    print(f"{conditions['date']}: {conditions['cpus']} cores, {conditions['memory_gib']} GiB, load average "
          f"{', '.join(f'{x:.2f}' for x in conditions['load_average_before'])} before the run, commit "
          f"{conditions['commit']}")
    base = base_store(args.out, args.dossiers, args.rebuild_store)
    export = cached_export(args.out, args.import_rows)
    if args.wait_quiet:
        conditions["waited_for_quiet_s"] = wait_quiet(args.wait_quiet, args.wait_max)
        conditions["load_average_at_start"] = os.getloadavg()
    data_dir = working_copy(base)
    shutil.rmtree(args.out / "load-shots", ignore_errors=True)  # screenshots of this run's failures only
    server_log = args.out / "load-streamlit.log"
    server = None
    try:
        if args.user:
            add_user(data_dir, args.user, args.password, args.app)
        operations_log = args.out / "load-store-operations.log"
        operations_log.unlink(missing_ok=True)
        server_started = time.time()
        server, url = start_server(data_dir, server_log, args.app, operations_log, single_user=not args.user)
        cpu = CpuMeter(server.pid)
        run, warm, used = asyncio.run(drive(args, url, export, cpu))
        conditions["load_average_after"] = os.getloadavg()
        memory = server_memory(server.pid)
        stop(server)
        contents = store_contents(data_dir)
        summary = report(args, run, warm, used, contents, server_log, args.dossiers)
        summary["server_side"] = per_visit(args, run, used,
                                           store_operations(operations_log, run.started_at, run.ended_at),
                                           store_operations(operations_log, server_started, run.started_at), memory)
        results = {"conditions": conditions, "target_s": TARGET_S,
                   "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
                               if k != "password"},
                   "warm_up": warm, "import": run.imported, "store_after": contents, "cpu": used,
                   "cpu_timeline": run.cpu_timeline, "sign_ins": run.sign_ins, **summary, "visits": run.visits}
        path = args.out / "load.json"
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        print(f"\nresults written to {path}")
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(data_dir.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
