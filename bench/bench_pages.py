"""Benchmark: the screens with N dossiers in the store, run headless with Streamlit's AppTest (not a test).

    python bench/bench_pages.py [--dossiers 1000000] [--repeat 5] [--data-dir DIR] [--no-profile]

Target (issue): with 1,000,000 dossiers in the store, opening a screen or changing a filter renders in under one
second (median), with the store read once and cached, not on every rerun.

What is timed: `AppTest.run()`, i.e. Streamlit running the page script (sidebar, analyses, tables, charts built and
serialised) in this process. Not included: sending the result to a browser and the browser drawing it (charts and
tables are drawn client-side), so a person sees a screen somewhat later than these figures.

Steps:
1. a store of N synthetic dossiers (`bench_analyses.synthetic_records` and `fill_store`) is written in a child
   process (so this process's peak memory is the app's, not the generator's); `--data-dir` keeps and reuses it;
2. first load: the first run of pages/tong-quan.py, which reads the store (reported separately) and computes the
   overview's analyses;
3. opening each screen: `AppTest.from_file(page).run()` repeated `--repeat` times in the same process; Streamlit's
   caches persist across AppTest instances, as they persist across sessions and reruns in the real server, so the
   first open of a screen computes its analyses ("first") and the others reuse them ("median");
4. changing a filter: one AppTest session on a screen, a widget set to a new value, rerun; every value is distinct
   (a cache miss, the worst case), the median over `--repeat` values;
5. the number of times the store was read (must be 1) and the peak RSS of this process.

Any action whose median is 1 s or more is then run once more under cProfile (inside the script thread), and the
slowest project functions are printed (`--no-profile` skips this; `--profile-all` profiles every action).
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(BENCH))

TARGET = 1.0  # seconds
PROJECT_DIRS = ("analytics", "ui", "pages")


# --- The store ---------------------------------------------------------------------------------------------------

def fill(data_dir: Path, n: int) -> None:
    """Child process: write n synthetic dossiers to a store in data_dir, with a complete imports row."""
    from bench_analyses import fill_store, synthetic_records

    start = time.perf_counter()
    records = synthetic_records(n)
    generated = time.perf_counter() - start
    store = fill_store(records, str(data_dir))
    with store._connect() as con:  # fill_store leaves the import's date and counts empty; the pages show them
        con.execute("UPDATE imports SET imported_at = ?, sheets = '[\"Bench\"]', rows_read = ?, rows_imported = ?, "
                    "rows_skipped = 0, mapping = '{}' WHERE import_id = 1", [dt.datetime.now(), n, n])
    print(f"  generated {n:,} dossiers in {generated:.1f} s, stored in {time.perf_counter() - start - generated:.1f} s",
          flush=True)


def ensure_store(data_dir: Path, n: int) -> None:
    from analytics.dossiers.store import DB_FILE

    if (data_dir / DB_FILE).exists():
        print(f"Reusing the store in {data_dir} (delete it to regenerate).")
        return
    print(f"Writing a store of {n:,} dossiers to {data_dir} (child process)…", flush=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, __file__, "--fill", str(data_dir), "--dossiers", str(n)], check=True)


# --- Timing AppTest runs -----------------------------------------------------------------------------------------

class StoreReads:
    """Counts and times Store.dossiers(), the one expensive read the app must do once."""

    def __init__(self):
        from analytics.dossiers.store import Store

        self.calls, self.seconds = 0, []
        original = Store.dossiers

        def dossiers(store, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(store, *args, **kwargs)
            finally:
                self.calls += 1
                self.seconds.append(time.perf_counter() - start)

        Store.dossiers = dossiers


def page_path(name: str) -> str:
    return str(ROOT / "pages" / name)


def checked(at, what: str):
    """Fail loudly if the page raised or showed an error: timing a broken page means nothing."""
    if at.exception:
        raise RuntimeError(f"{what}: exception: {[e.value for e in at.exception]}")
    if at.error:
        raise RuntimeError(f"{what}: error shown: {[e.value for e in at.error]}")
    return at


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def app(path: str, timeout: float):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(path, default_timeout=timeout)


# --- Profiling inside the script thread ---------------------------------------------------------------------------

WRAPPER = """\
import cProfile, runpy
_profiler = cProfile.Profile()
_profiler.enable()
try:
    runpy.run_path({page!r}, run_name="__main__")
finally:
    _profiler.disable()
    _profiler.dump_stats({out!r})
"""


def profiled_page(page: str, workdir: Path) -> tuple[str, Path]:
    """A script that runs `page` under cProfile (AppTest runs scripts in their own thread, so the profiler has to
    be started there). Streamlit's caches are keyed by function, not by script, so they are shared with the page."""
    out = workdir / f"{Path(page).stem}.{time.monotonic_ns()}.prof"
    wrapper = workdir / f"profile_{Path(page).stem}.py"
    wrapper.write_text(WRAPPER.format(page=page, out=str(out)), encoding="utf-8")
    return str(wrapper), out


def report_profile(name: str, seconds: float, out: Path, limit: int = 14) -> None:
    stats = pstats.Stats(str(out))
    rows = []
    for (file, line, function), (_, calls, tottime, cumtime, _) in stats.stats.items():
        relative = Path(file).resolve()
        if relative.is_relative_to(ROOT) and relative.parts[len(ROOT.parts)] in PROJECT_DIRS:
            rows.append((cumtime, tottime, calls, f"{relative.relative_to(ROOT)}:{line}:{function}"))
    rows.sort(reverse=True)
    print(f"\n  Profile of {name} ({seconds:.2f} s under the profiler), project functions by cumulative time:")
    print(f"  {'cumulative s':>12} {'own s':>8} {'calls':>7}  function")
    for cumtime, tottime, calls, where in rows[:limit]:
        print(f"  {cumtime:12.3f} {tottime:8.3f} {calls:7d}  {where}")
    print("  Slowest calls by own time (any library):")
    own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:8]
    for (file, line, function), (_, calls, tottime, cumtime, _) in own:
        short = file if len(file) < 70 else "…" + file[-69:]
        print(f"  {tottime:8.3f} s own, {cumtime:8.3f} s cum, {calls:7d} calls  {short}:{line}:{function}")


# --- The benchmark -----------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.rows: list[dict] = []  # name, first, times, note
        self.work = Path(tempfile.mkdtemp(prefix="bench_pages_"))

    def add(self, name: str, times: list[float], first: float | None = None, note: str = "",
            profile=None) -> None:
        row = {"name": name, "first": first, "times": times, "median": statistics.median(times), "note": note,
               "profile": profile}
        self.rows.append(row)
        cold = f"first {first:.3f} s, " if first is not None else ""
        print(f"  {name}: {cold}median {row['median']:.3f} s ({', '.join(f'{t:.2f}' for t in times)})", flush=True)

    def open_screens(self, pages: list[str]) -> None:
        print("Opening each screen (a new session each time; caches shared):", flush=True)
        for name in pages:
            times = []
            for n in range(self.args.repeat):
                at = app(page_path(name), self.args.timeout)
                times.append(timed(at.run))
                checked(at, name)
            label = f"open {name}"
            self.add(label, times[1:] if len(times) > 1 else times, first=times[0],
                     note="first = analyses computed; median of the others = cached",
                     profile=(name, None))

    def filter_series(self, label: str, page: str, changes: list) -> None:
        """One session: warm run, then each change (a function setting widgets on the AppTest) and a rerun."""
        at = checked(app(page_path(page), self.args.timeout).run(), f"{label} (warm-up)")
        times = []
        for change in changes[:self.args.repeat]:
            change(at)
            times.append(timed(at.run))
            checked(at, label)
        self.add(label, times, note="each value new: analyses recomputed",
                 profile=(page, changes[self.args.repeat] if len(changes) > self.args.repeat else None))

    def profile_slow(self) -> None:
        slow = [r for r in self.rows if r["profile"] and (self.args.profile_all or r["median"] >= TARGET)]
        if not slow or self.args.no_profile:
            return
        print("\nProfiling the actions at or over the target (one more run each, inside the script thread):")
        for row in slow:
            try:
                self.profile(row)
            except Exception as error:  # noqa: BLE001 - a failed profile must not hide the results above
                print(f"  {row['name']}: profiling failed: {error}")

    def profile(self, row: dict) -> None:
        """One more run of the action under cProfile, in the script thread; prints the slow functions."""
        page, change = row["profile"]
        wrapper, out = profiled_page(page_path(page), self.work)
        if row["name"].startswith("open"):
            at = app(wrapper, self.args.timeout)
            seconds = timed(at.run)
        else:  # a session on the wrapper, warmed up, then one more distinct value
            at = checked(app(wrapper, self.args.timeout).run(), row["name"])
            out.unlink(missing_ok=True)
            if change is None:
                print(f"  {row['name']}: no spare value to profile with (raise the value lists)")
                return
            change(at)
            seconds = timed(at.run)
        checked(at, f"{row['name']} (profiled)")
        report_profile(row["name"], seconds, out)

    def table(self, reads: StoreReads, first_load: float, n: int) -> None:
        print(f"\nResults: {n:,} dossiers, median of {self.args.repeat} runs "
              f"(AppTest script runs; browser transfer and drawing not included)")
        print(f"{'page / action':48} {'first s':>8} {'median s':>9} {'max s':>7}  verdict (< {TARGET:g} s)")
        print(f"{'first load: pages/tong-quan.py, reads the store':48} {first_load:8.3f} {'':>9} {'':>7}  "
              f"(store read {reads.seconds[0]:.2f} s, once)")
        for r in self.rows:
            first = f"{r['first']:8.3f}" if r["first"] is not None else f"{'':>8}"
            verdict = "ok" if r["median"] < TARGET else "SLOW"
            print(f"{r['name']:48} {first} {r['median']:9.3f} {max(r['times']):7.3f}  {verdict}")
        reads_verdict = "ok" if reads.calls == 1 else "NOT CACHED"
        print(f"store reads (Store.dossiers) over all runs: {reads.calls}  {reads_verdict}")
        print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        print("Timing = Streamlit running the script (AppTest), not sending it to a browser or drawing it.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="keep the store here and reuse it next time")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed for one AppTest run")
    parser.add_argument("--no-profile", action="store_true", help="do not profile actions over the target")
    parser.add_argument("--profile-all", action="store_true", help="profile every action")
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)  # child process: write the store and exit
    args = parser.parse_args()
    if args.fill:
        fill(args.fill, args.dossiers)
        return

    temporary = None
    if args.data_dir is None:
        temporary = tempfile.TemporaryDirectory(prefix="bench_pages_store_")
        data_dir = Path(temporary.name)
    else:
        data_dir = args.data_dir.resolve()
    try:
        ensure_store(data_dir, args.dossiers)
        run(args, data_dir)
    finally:
        if temporary is not None:
            temporary.cleanup()


def run(args, data_dir: Path) -> None:
    os.environ["ONESTOP_DATA_DIR"] = str(data_dir)
    os.chdir(ROOT)  # as `streamlit run dashboard.py` from the repository
    from streamlit.logger import get_logger

    # Setting widgets between runs happens outside a script run: Streamlit warns each time, harmlessly.
    get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    from bench_analyses import FIELDS, UNITS

    from analytics.dossiers.store import Store
    from analytics.model.rates import RATES

    reads = StoreReads()
    n = int(Store(data_dir).imports()["rows_imported"].sum())
    bench = Bench(args)
    print(f"Baseline RSS before the app: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    at = app(page_path("overview.py"), args.timeout)
    first_load = timed(at.run)
    checked(at, "first load")
    print(f"First load (pages/tong-quan.py, reading the store): {first_load:.2f} s, of which Store.dossiers() "
          f"{reads.seconds[0]:.2f} s; RSS now {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
          flush=True)

    pages = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    bench.open_screens(pages)

    print("Changing a filter (one session per series, each value new):", flush=True)
    need = args.repeat + 1  # one spare value for the profiler

    def subsets(values):  # distinct selections: single values, then pairs, …
        return list(itertools.islice(itertools.chain.from_iterable(
            itertools.combinations(values, k) for k in range(1, len(values) + 1)), need))

    def set_widget(kind: str, key: str, value):
        return lambda at: getattr(at, kind)(key=key).set_value(value)

    def set_state(**values):
        def change(at):
            for key, value in values.items():
                at.session_state[key] = value
        return change

    bench.filter_series("overview: Lĩnh vực filter", "overview.py",
                        [set_widget("multiselect", "sel_fields", list(c)) for c in subsets(FIELDS)])
    bench.filter_series("overview: Cơ quan filter", "overview.py",
                        [set_widget("multiselect", "sel_units", list(c)) for c in subsets(sorted(UNITS))])
    # Loại kỳ "Quý" first (the default year and quarter: Q1 of the last year), then other quarters.
    quarters = [(2019, 4), (2019, 3), (2019, 2), (2018, 4), (2018, 3), (2018, 2), (2018, 1)]
    period_changes = [set_widget("selectbox", "sel_kind", "quarter")] + [
        set_state(sel_kind="quarter", sel_year=year, sel_number=q) for year, q in quarters]
    bench.filter_series("overview: period (Loại kỳ, Quý, Năm)", "overview.py", period_changes)
    rates = [set_state(sel_rate=r, sel_fold=fold) for fold in (False, True) for r in RATES
             if (r, fold) != ("resolved", False)]  # not the default
    rates.append(set_state(sel_rate="qd766", sel_fold=False, sel_levels=["Xã"]))  # spare, for the profiler
    bench.filter_series("overview: rate definition, withdrawn folded", "overview.py", rates)
    groupings = ["field", "procedure", "level", "channel", "unit"]
    bench.filter_series("bieu06: Nhóm theo (group by)", "bieu06.py",
                        [set_state(bieu06_by=g) for g in groupings]
                        + [set_state(bieu06_by=g, sel_fields=["Đất đai"]) for g in groupings])
    pairs = list(itertools.combinations(FIELDS, 2))[:need]  # not chosen above: the filtered dossiers are new too
    bench.filter_series("late: Lĩnh vực filter", "late.py",
                        [set_widget("multiselect", "sel_fields", list(c)) for c in pairs])

    bench.table(reads, first_load, n)
    try:
        bench.profile_slow()
    finally:
        shutil.rmtree(bench.work, ignore_errors=True)


if __name__ == "__main__":
    main()
