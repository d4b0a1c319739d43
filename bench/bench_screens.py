"""Benchmark (issue 20): what a person waits for on stores of 10,000, 1,000,000 and 10,000,000 dossiers, the screens
counted by the engine. Not a test: prints a table and the verdicts.

    .venv/bin/python bench/bench_screens.py                          # 10k, 1M, 10M
    .venv/bin/python bench/bench_screens.py --sizes 10000 1000000 --screens tong-quan bieu-06

For each size, the store of bench_engine.build (bench/out/engine_<N>/, built once and reused; its one-row-per-dossier
table chosen before the server starts, as the first use after an import does, timed apart):
1. first figures: `streamlit run server.py` on that data folder (one user, no sign-in), T0 = /_stcore/health first
   answers; headless Chromium (1280×720) opens / and waits for the first metric: T1 − T0;
2. every screen with three filter choices (none, one unit, the online channel), each opened twice in a fresh tab:
   the first open computes ("cold"), the second reads the cached results ("warm"); a screen is drawn when the
   script is not running, nothing is stale and no spinner shows; an exception or an error alert on it is reported;
3. the server's resident memory after the walk (VmRSS, and its peak VmHWM).

Targets: first figures at 1M within 1.2× those at 10k; each screen warm at 10M within 1.5× its time at 10k; server
memory at 10M under 1.5 GB. Results in bench/out/screens.json.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from bench_engine import build  # noqa: E402
from bench_load import server_memory, start_server  # noqa: E402
from bench_startup import CHROMIUM, CHROMIUM_ARGS, ERROR_ALERT, EXCEPTION, FIRST_METRIC, HEIGHT, WIDTH  # noqa: E402
from servers import stop  # noqa: E402

SCREENS = ["tong-quan", "bieu-06", "thu-tuc", "don-vi", "so-sanh-ky", "ho-so-tre-han", "trai-nghiem", "doi-chieu",
           "bao-cao", "trinh-chieu", "du-lieu"]
FILTERS = {"none": "", "one unit": "?don_vi=%C4%90%C6%A1n+v%E1%BB%8B+7", "online": "?kenh=3"}
DRAWN = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app !== null && app.dataset.testScriptState === "notRunning"
        && document.querySelector("[data-testid='stStatusWidget']") === null
        && document.querySelector("[data-stale='true']") === null
        && document.querySelector("[data-testid='stSpinner']") === null
        && document.querySelector("[data-testid='stSkeleton']") === null
        && document.querySelector("[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']") !== null;
}"""
TIMEOUT_S = 300
TARGETS = {"first_figures_ratio": 1.2, "warm_ratio": 1.5, "memory_mb": 1536}


def open_screen(context, url: str) -> tuple[float, list[str]]:
    """Seconds until the screen at `url` is drawn in a fresh tab, and what went wrong on it."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        page.wait_for_timeout(300)   # the script starts: the state reads "running" first
        page.wait_for_function(DRAWN, timeout=TIMEOUT_S * 1000, polling=50)
        took = time.perf_counter() - start
        problems = []
        if page.locator(EXCEPTION).count():
            problems.append("exception: " + page.locator(EXCEPTION).first.inner_text()[:300])
        if page.locator(ERROR_ALERT).count():
            problems.append("error: " + " | ".join(page.locator(ERROR_ALERT).all_inner_texts())[:300])
        return took, problems
    finally:
        page.close()


def measure(n: int, out: Path, screens: list[str], browser) -> dict:
    made = time.perf_counter()
    store = build(out / f"engine_{n}", n)
    built = time.perf_counter() - made
    chosen = time.perf_counter()
    with store.engine_connection():
        pass
    result = {"dossiers": n, "build_s": round(built, 2), "choose_s": round(time.perf_counter() - chosen, 2)}
    log = Path(tempfile.mkdtemp(prefix="bench-screens-")) / "streamlit.log"
    server, url = start_server(store.data_dir, log, single_user=True)
    try:
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url + "/", wait_until="commit", timeout=TIMEOUT_S * 1000)
        page.locator(FIRST_METRIC).first.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
        result["first_figures_s"] = round(time.perf_counter() - t0, 3)
        page.close()
        walked, problems = {}, []
        for screen in screens:
            for name, query in FILTERS.items():
                cold, found = open_screen(context, f"{url}/{screen}{query}")
                warm, again = open_screen(context, f"{url}/{screen}{query}")
                walked[f"{screen} | {name}"] = {"cold_s": round(cold, 3), "warm_s": round(warm, 3)}
                problems += [f"{screen} | {name}: {p}" for p in found + again]
                print(f"  {n:>10,} {screen:<14} {name:<9} cold {cold:6.2f} s  warm {warm:6.2f} s", flush=True)
        result["screens"] = walked
        result["warm_median_s"] = {screen: statistics.median(v["warm_s"] for k, v in walked.items()
                                                             if k.startswith(screen + " |")) for screen in screens}
        result["memory_mb"] = server_memory(server.pid)
        result["problems"] = problems
        context.close()
    finally:
        stop(server)
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000, 10_000_000])
    parser.add_argument("--screens", nargs="+", default=SCREENS)
    parser.add_argument("--out", default=str(BENCH / "out"))
    args = parser.parse_args()
    out = Path(args.out)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in args.sizes:
                results.append(measure(n, out, args.screens, browser))
                print(json.dumps({k: v for k, v in results[-1].items() if k != "screens"}), flush=True)
        finally:
            browser.close()
    base = results[0]
    verdicts = {}
    for row in results[1:]:
        ratio = row["first_figures_s"] / base["first_figures_s"]
        verdicts[f"first figures {row['dossiers']:,} / {base['dossiers']:,}"] = round(ratio, 2)
        for screen, warm in row["warm_median_s"].items():
            verdicts[f"{screen} warm {row['dossiers']:,} / {base['dossiers']:,}"] = round(
                warm / base["warm_median_s"][screen], 2)
        verdicts[f"server memory at {row['dossiers']:,} (MB)"] = row["memory_mb"]
    for what, value in verdicts.items():
        print(f"{what}: {value}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "screens.json").write_text(json.dumps({"results": results, "ratios": verdicts, "targets": TARGETS},
                                                 indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
