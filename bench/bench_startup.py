"""Benchmark: start-up costs, whole process against whole process (not a test: prints a table and verdicts).

    python bench/bench_startup.py [--rows 200000] [--repeat 5] [--app-runs 3] [--skip-app | --skip-cli]
                                  [--app DIR] [--out bench/out]

1. Command line vs a bare read. On a generated export of --rows dossiers (`bench_import.cached_export`), the median
   wall time of --repeat fresh processes (interleaved) of

       python -m analytics --data-dir <fresh tmp dir> report <file> --from 2018-01-01 --to 2018-12-31
                           --format json --out <tmp>                                     (cwd = the repository)
       python -c "import fastexcel; fastexcel.read_excel(<file>).load_sheet(0, header_row=None,
                  dtypes='string').to_arrow()"

   and their ratio. Target: ratio <= 1.3. Also `python -X importtime -c "import analytics.cli"`: the cumulative
   microseconds of `analytics.cli` (median of up to 3 runs) and its heaviest imports, so that a start-up import
   regression shows. If the ratio misses the target, one more CLI run under cProfile prints the slowest project
   functions.

2. Dashboard first figures. `streamlit run server.py` (`dashboard.py` in an older tree; headless, loopback only, a free port) with
   ONESTOP_DATA_DIR set to a fresh empty folder (so the sample data is shown); T0 = the moment
   /_stcore/health first answers 200; then headless Chromium (1280x720, a fresh browser context) opens / and waits
   for the first [data-testid="stMetricValue"] to be visible: T1. Reported: T1 - T0, median of --app-runs runs,
   each with a fresh server (cold Streamlit caches). Target: <= 3 s. Chromium is started once, before the first
   server, so its own start-up is not in the figure. --app DIR serves another tree (a commit's, made with
   `git archive`), to compare before and after a change on the same machine at the same moment.

Results are printed and written to <out>/startup.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import MIB, cached_export
from bench_pages import ROOT, report_profile, timed
from servers import free_port, health_ok, stop

TARGET_CLI_RATIO = 1.3
TARGET_FIRST_FIGURES_S = 3.0
PERIOD = ("2018-01-01", "2018-12-31")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # as tests/test_browser.py
WIDTH, HEIGHT = 1280, 720
FIRST_METRIC = '[data-testid="stMetricValue"]'
EXCEPTION = "[data-testid='stException']"
ERROR_ALERT = "[data-testid='stAlertContentError']"
SERVER_START_TIMEOUT = 60  # s, until /_stcore/health answers
FIRST_FIGURES_TIMEOUT = 60  # s, until the first metric shows
RUN_TIMEOUT = 600  # s, for one CLI process
# Informative, in the page: when things first appear (ms since navigation start, measured by the page itself),
# when the lazily loaded Metric and PlotlyChart chunks finished downloading, and the longest main-thread task.
PAGE_MARKS = """
window.__marks = {}; window.__longest = 0;
try { new PerformanceObserver(list => list.getEntries().forEach(e => {
    window.__longest = Math.max(window.__longest, e.duration); })).observe({type: "longtask", buffered: true});
} catch (error) {}
const __watch = new MutationObserver(() => {
    for (const [name, selector] of [["sidebar", "[data-testid='stSidebarUserContent']"],
                                    ["heading", "[data-testid='stHeading']"],
                                    ["metric", "[data-testid='stMetricValue']"]]) {
        if (!(name in window.__marks) && document.querySelector(selector)) {
            window.__marks[name] = Math.round(performance.now()); }
    }
});
document.addEventListener("DOMContentLoaded", () => __watch.observe(document.body, {childList: true, subtree: true}));
"""
READ_MARKS = """() => {
    const marks = {...window.__marks, longest_task: Math.round(window.__longest)};
    for (const e of performance.getEntriesByType("resource")) {
        if (e.name.includes("/_stcore/host-config")) marks.host_config = Math.round(e.responseEnd);
        const chunk = /\\/(Metric|PlotlyChart)\\.[^/]*\\.js$/.exec(e.name);
        if (chunk) marks[chunk[1] + "_chunk"] = Math.round(e.responseEnd);
    }
    return marks;
}"""


# --- 1. Command line vs a bare read -------------------------------------------------------------------------------

def cli_command(path: Path, data_dir: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "analytics", "--data-dir", str(data_dir), "report", str(path),
            "--from", PERIOD[0], "--to", PERIOD[1], "--format", "json", "--out", str(out)]


def bare_command(path: Path) -> list[str]:
    code = (f"import fastexcel; fastexcel.read_excel({str(path)!r}).load_sheet(0, header_row=None, "
            "dtypes='string').to_arrow()")
    return [sys.executable, "-c", code]


def timed_process(command: list[str], check_out: Path | None = None) -> tuple[float | None, str]:
    """Wall time of one fresh process (None and the reason if it failed)."""
    result = {}

    def run():
        result["proc"] = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)

    try:
        seconds = timed(run)
    except subprocess.TimeoutExpired:
        return None, f"over {RUN_TIMEOUT} s"
    proc = result["proc"]
    if proc.returncode != 0:
        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
        return None, f"exit code {proc.returncode}: {tail}"
    if check_out is not None and not (check_out.exists() and check_out.stat().st_size):
        return None, f"no output written to {check_out}"
    if proc.stderr.strip():  # warnings are worth seeing, not a failure
        return seconds, "stderr: " + " | ".join(proc.stderr.strip().splitlines()[-2:])
    return seconds, ""


def cli_vs_bare(path: Path, repeat: int, work: Path) -> dict:
    runs = {"cli": [], "bare": []}
    notes = {"cli": [], "bare": []}
    print(f"\nCommand line vs bare fastexcel read, {repeat} runs each (interleaved, fresh processes):", flush=True)
    for i in range(repeat):
        data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=work))
        out = work / f"report-{i}.json"
        for name, command, check in (("cli", cli_command(path, data_dir, out), out),
                                     ("bare", bare_command(path), None)):
            seconds, note = timed_process(command, check)
            if seconds is not None:
                runs[name].append(seconds)
            if note:
                notes[name].append(note)
            print(f"  run {i + 1}/{repeat} {name:<5} " + (f"{seconds:.2f} s" if seconds is not None else "FAILED")
                  + (f"  ({note})" if note else ""), flush=True)
        if out.exists():
            try:
                report = json.loads(out.read_text(encoding="utf-8"))
                received = report.get("total", {}).get("received_total")
            except ValueError:
                received = "unreadable"
        else:
            received = None
        shutil.rmtree(data_dir, ignore_errors=True)
    result = {"cli_seconds": [round(s, 3) for s in runs["cli"]], "bare_seconds": [round(s, 3) for s in runs["bare"]],
              "notes": {k: sorted(set(v)) for k, v in notes.items() if v}, "report_received_total": received}
    if runs["cli"] and runs["bare"]:
        result["cli_median_s"] = statistics.median(runs["cli"])
        result["bare_median_s"] = statistics.median(runs["bare"])
        result["ratio"] = result["cli_median_s"] / result["bare_median_s"]
        result["verdict"] = "PASS" if result["ratio"] <= TARGET_CLI_RATIO else "MISSED"
    else:
        result["verdict"] = "NOT MEASURED"
    return result


IMPORTTIME_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_time(runs: int = 3, top: int = 10) -> dict:
    """`python -X importtime -c "import analytics.cli"`: cumulative µs of analytics.cli (median) and its heaviest
    imports (from the median run): modules at most two levels below the top, by cumulative time."""
    totals, samples = [], []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import analytics.cli"], check=False,
                              cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)
        entries = []
        for line in proc.stderr.splitlines():
            match = IMPORTTIME_LINE.match(line)
            if match:
                own, cumulative, indent, name = match.groups()
                entries.append((name, int(own), int(cumulative), (len(indent) - 1) // 2))
        total = next((cum for name, _, cum, depth in entries if name == "analytics.cli" and depth == 0), None)
        if total is None:
            return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
        totals.append(total)
        samples.append((total, entries))
    samples.sort(key=lambda sample: sample[0])
    entries = samples[len(samples) // 2][1]
    heaviest = sorted((e for e in entries if 1 <= e[3] <= 2), key=lambda e: e[2], reverse=True)[:top]
    return {"analytics_cli_us": int(statistics.median(totals)), "runs_us": totals,
            "heaviest": [{"module": name, "cumulative_us": cum, "depth": depth} for name, _, cum, depth in heaviest]}


def profile_cli(path: Path, work: Path) -> None:
    """One more CLI run under cProfile; prints the slowest project functions (bench_pages.report_profile)."""
    data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=work))
    prof = work / "cli.prof"
    command = cli_command(path, data_dir, work / "report-profiled.json")
    command[1:1] = ["-m", "cProfile", "-o", str(prof)]
    seconds, note = timed_process(command)
    if seconds is None or not prof.exists():
        print(f"  profiling the command line failed: {note}")
        return
    report_profile("the command line (python -m analytics report …)", seconds, prof)


# --- 2. Dashboard first figures -----------------------------------------------------------------------------------

def first_figures(browser, work: Path, run: int, app: Path = ROOT) -> dict:
    """One fresh server with an empty data folder: server start, then T1 - T0 in a fresh browser context."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = Path(tempfile.mkdtemp(prefix="app-data-", dir=work))
    log_path = work / f"streamlit-{run}.log"
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})  # fresh browser cache
    context.add_init_script(PAGE_MARKS)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    result = {"run": run, "port": port}
    env = {**os.environ, "ONESTOP_DATA_DIR": str(data_dir), "ONESTOP_SINGLE_USER": "1"}
    with log_path.open("wb") as log:
        spawned = time.perf_counter()
        entry = "server.py" if (app / "server.py").exists() else "dashboard.py"  # an older tree has no server.py
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", entry,
                                   "--server.headless", "true", "--server.port", str(port),
                                   "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                                  cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while not health_ok(url):
            if server.poll() is not None:
                raise RuntimeError(f"Streamlit exited with {server.returncode}")
            if time.perf_counter() - spawned > SERVER_START_TIMEOUT:
                raise RuntimeError(f"/_stcore/health did not answer within {SERVER_START_TIMEOUT} s")
            time.sleep(0.02)
        t0 = time.perf_counter()
        result["server_start_s"] = t0 - spawned
        page.goto(url + "/", wait_until="commit", timeout=FIRST_FIGURES_TIMEOUT * 1000)
        page.locator(FIRST_METRIC).first.wait_for(state="visible", timeout=FIRST_FIGURES_TIMEOUT * 1000)
        t1 = time.perf_counter()
        result["first_figures_s"] = t1 - t0
        result["first_metric"] = page.locator(FIRST_METRIC).first.inner_text()
        # Informative: when the first run has finished (nothing running, nothing stale).
        try:
            page.wait_for_function("""() => {
                const app = document.querySelector("[data-testid='stApp']");
                return app !== null && app.dataset.testScriptState === "notRunning"
                    && document.querySelector("[data-testid='stStatusWidget']") === null
                    && document.querySelector("[data-stale='true']") === null;
            }""", timeout=FIRST_FIGURES_TIMEOUT * 1000, polling=50)
            result["script_done_s"] = time.perf_counter() - t0
        except Exception as error:  # noqa: BLE001 - informative only
            result["script_done_s"] = None
            result.setdefault("problems", []).append(f"first run not finished: {error}")
        result["metrics_shown"] = page.locator(FIRST_METRIC).count()
        result["page_ms"] = page.evaluate(READ_MARKS)
        problems = result.setdefault("problems", [])
        if page.locator(EXCEPTION).count():
            problems.append("exception shown: " + page.locator(EXCEPTION).first.inner_text()[:500])
        if page.locator(ERROR_ALERT).count():
            problems.append("error alert: " + " | ".join(page.locator(ERROR_ALERT).all_inner_texts())[:500])
        if page_errors:
            problems.append("JavaScript errors: " + " | ".join(page_errors)[:500])
    except Exception as error:  # noqa: BLE001 - a failed run is reported, the others still run
        result.setdefault("problems", []).append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        context.close()
        stop(server)
        shutil.rmtree(data_dir, ignore_errors=True)
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    if "Traceback" in log_text or re.search(r"\bERROR\b", log_text):
        result.setdefault("problems", []).append(f"server log has errors, see {log_path}")
        result["log_tail"] = log_text.strip().splitlines()[-15:]
    if not result.get("problems"):
        result.pop("problems", None)
    return result


def dashboard(runs: int, work: Path, app: Path = ROOT) -> dict:
    from playwright.sync_api import sync_playwright

    print(f"\nDashboard first figures, {runs} runs (a fresh server and an empty data folder each time):", flush=True)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for run in range(1, runs + 1):
                r = first_figures(browser, work, run, app)
                results.append(r)
                if "first_figures_s" in r:
                    done = f", first run finished {r['script_done_s']:.2f} s" if r.get("script_done_s") else ""
                    print(f"  run {run}/{runs}: server start {r['server_start_s']:.2f} s, first figures "
                          f"{r['first_figures_s']:.2f} s after health{done}; first metric {r['first_metric']!r}, "
                          f"{r['metrics_shown']} metrics", flush=True)
                else:
                    print(f"  run {run}/{runs}: FAILED", flush=True)
                if r.get("page_ms"):
                    print("    in the page, ms since navigation: " + ", ".join(f"{k} {v}" for k, v in sorted(
                        r["page_ms"].items(), key=lambda item: (item[0] == "longest_task", item[1]))), flush=True)
                for problem in r.get("problems", []):
                    print(f"    problem: {problem}")
                for line in r.get("log_tail", []):
                    print(f"    log: {line}")
        finally:
            browser.close()
    times = [r["first_figures_s"] for r in results if "first_figures_s" in r]
    summary = {"runs": results, "first_figures_seconds": [round(t, 3) for t in times]}
    if times:
        summary["first_figures_median_s"] = statistics.median(times)
        summary["server_start_median_s"] = statistics.median(r["server_start_s"] for r in results
                                                             if "server_start_s" in r)
        summary["verdict"] = "PASS" if summary["first_figures_median_s"] <= TARGET_FIRST_FIGURES_S else "MISSED"
    else:
        summary["verdict"] = "NOT MEASURED"
    return summary


# --- Report -------------------------------------------------------------------------------------------------------

def print_table(rows: int, cli: dict, imports: dict, app: dict | None) -> None:
    print("\n" + "=" * 100)
    print(f"Start-up, {rows:,}-row export; whole processes, wall time")
    print(f"{'what':58} {'median s':>9}  runs")
    if "cli_median_s" in cli:
        print(f"{'command line: python -m analytics … report --format json':58} {cli['cli_median_s']:9.2f}  "
              + ", ".join(f"{s:.2f}" for s in cli["cli_seconds"]))
        print(f"{'bare read: fastexcel … to_arrow() (python -c)':58} {cli['bare_median_s']:9.2f}  "
              + ", ".join(f"{s:.2f}" for s in cli["bare_seconds"]))
        print(f"target: command line / bare read = {cli['ratio']:.2f} <= {TARGET_CLI_RATIO}: {cli['verdict']} "
              f"(difference {cli['cli_median_s'] - cli['bare_median_s']:.2f} s)")
    else:
        print(f"command line vs bare read: NOT MEASURED {cli.get('notes', '')}")
    for name, notes in cli.get("notes", {}).items():
        for note in notes:
            print(f"  note ({name}): {note}")
    if "analytics_cli_us" in imports:
        print(f"import analytics.cli (python -X importtime, cumulative): {imports['analytics_cli_us']:,} µs "
              f"(runs: {', '.join(f'{t:,}' for t in imports['runs_us'])}); heaviest:")
        for entry in imports["heaviest"]:
            print(f"  {'  ' * (entry['depth'] - 1)}{entry['module']:<44} {entry['cumulative_us']:>9,} µs")
    else:
        print(f"import analytics.cli: not measured ({imports.get('error')})")
    if app is not None:
        if "first_figures_median_s" in app:
            print(f"dashboard first figures (health 200 → first stMetricValue visible): median "
                  f"{app['first_figures_median_s']:.2f} s ({', '.join(f'{t:.2f}' for t in app['first_figures_seconds'])})"
                  f"; target <= {TARGET_FIRST_FIGURES_S:g} s: {app['verdict']}")
            print(f"  (server start, spawn → health 200: median {app['server_start_median_s']:.2f} s, not in the figure)")
        else:
            print("dashboard first figures: NOT MEASURED")
        problems = [p for r in app["runs"] for p in r.get("problems", [])]
        if problems:
            print(f"  problems in the app runs: {len(problems)} (see above)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="data rows of the generated export")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the command line and of the bare read")
    parser.add_argument("--app-runs", type=int, default=3, help="dashboard runs, each with a fresh server")
    parser.add_argument("--skip-app", action="store_true", help="skip the dashboard measurement")
    parser.add_argument("--skip-cli", action="store_true", help="only the dashboard measurement")
    parser.add_argument("--app", type=Path, default=ROOT, help="the tree whose dashboard is served (default: this one)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out",
                        help="folder for the export and startup.json (default: bench/out)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = None if args.skip_cli else cached_export(args.out.resolve(), args.rows)
    work = Path(tempfile.mkdtemp(prefix="bench_startup_"))
    try:
        if args.skip_cli:
            cli, imports = {"notes": {}}, {"error": "--skip-cli"}
        else:
            cli = cli_vs_bare(path, args.repeat, work)
            print("\nimport time of analytics.cli (python -X importtime) …", flush=True)
            imports = import_time()
        app = None if args.skip_app else dashboard(args.app_runs, work, args.app.resolve())
        print_table(args.rows, cli, imports, app)
        results = {
            "date": dt.datetime.now().isoformat(timespec="seconds"), "python": sys.version.split()[0],
            "machine": platform.machine(), "cpus": os.cpu_count(), "rows": args.rows, "file": str(path),
            "size_mib": round(path.stat().st_size / MIB, 1) if path else None, "repeat": args.repeat,
            "app": str(args.app),
            "targets": {"cli_ratio": TARGET_CLI_RATIO, "first_figures_s": TARGET_FIRST_FIGURES_S},
            "cli_vs_bare": cli, "import_analytics_cli": imports, "dashboard": app,
        }
        (args.out / "startup.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nresults written to {args.out / 'startup.json'}")
        if cli.get("verdict") == "MISSED":
            print("\nThe command line missed its target; one more run under cProfile:")
            profile_cli(path, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
