"""Benchmark: every analysis on 1,000,000 dossiers in the store, next to a bare groupby (not a test).

    python bench/bench_analyses.py [--dossiers 1000000] [--repeat 5]

Generates synthetic dossiers (fixed seed), writes them to a fresh store, reads them back once (as the app does,
then caches), and reports the median time of each analysis and its ratio to a bare pandas groupby over the same
data. Target (issue 3): every analysis under one second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.analyses.bieu06 import official_table  # noqa: E402
from analytics.analyses.comparison import compare  # noqa: E402
from analytics.analyses.screening import screens  # noqa: E402
from analytics.dossiers.store import Store  # noqa: E402
from analytics.ingest.export_reader import empty_records  # noqa: E402
from analytics.model import schema as s
from analytics.model.periods import Period  # noqa: E402
from analytics.model.workdays import add_working_days  # noqa: E402
from analytics.outputs import documents  # noqa: E402

UNITS = [f"Phòng {i}" for i in range(12)] + [f"UBND xã {i}" for i in range(40)]
FIELDS = ["Đất đai", "Hộ tịch", "Xây dựng", "Chứng thực", "Đăng ký kinh doanh", "Lao động", "Giáo dục"]


def synthetic_records(n: int, seed: int = 7) -> pd.DataFrame:
    """n dossiers received over 2018–2019 with realistic shares of late, pending, withdrawn and refused."""
    rng = np.random.default_rng(seed)
    received = np.datetime64("2018-01-01") + rng.integers(0, 730, n).astype("timedelta64[D]")
    limit = rng.choice([0, 1, 3, 5, 10, 15, 30], n)
    due = add_working_days(received, limit).astype("datetime64[D]")
    delay = rng.choice([-3, -1, 0, 0, 1, 2, 5], n, p=[0.3, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02])
    completed = due + delay.astype("timedelta64[D]")
    completed = np.where(completed < received, received, completed)
    status = rng.choice([10, 9, 4, 5, 7, 3], n, p=[0.8, 0.05, 0.08, 0.02, 0.03, 0.02])
    completed = np.where(np.isin(status, [4, 5, 3]), np.datetime64("NaT"), completed)
    frame = empty_records()
    records = pd.DataFrame({
        s.CASE_ID: [f"HS-{i:07d}" for i in range(n)],
        s.PROCEDURE_NAME: rng.choice([f"Thủ tục {i}" for i in range(300)], n),
        s.FIELD: rng.choice(FIELDS, n), s.UNIT: rng.choice(UNITS, n), s.LEVEL: rng.choice(["Huyện", "Xã"], n),
        s.CHANNEL_CODE: rng.choice([1, 2, 3], n, p=[0.7, 0.25, 0.05]),
        s.RECEIVED_DATE: received, s.DUE_DATE: due, s.COMPLETED_DATE: completed,
        s.STATUS_CODE: status, s.APOLOGY: rng.random(n) < 0.5, s.SOURCE_SHEET: "Bench",
        s.SOURCE_ROW: np.arange(n) + 2,
    })
    return records.reindex(columns=frame.columns).astype(
        {c: frame[c].dtype for c in frame.columns if c not in s.DATE_FIELDS})


def fill_store(records: pd.DataFrame, data_dir: str) -> Store:
    store = Store(data_dir)
    with store.connection() as con:  # straight into the table: the import path has its own benchmark
        con.execute("BEGIN TRANSACTION")  # the id drawn from the store's own numbering, so later imports go on
        import_id = con.execute("SELECT nextval('import_ids')").fetchone()[0]
        con.execute("INSERT INTO imports (import_id, file_name, sha256) VALUES (?, 'bench', 'bench')", [import_id])
        con.register("incoming", records.assign(**{c: records[c].astype("datetime64[s]") for c in s.DATE_FIELDS}))
        columns = ", ".join(s.RECORD_COLUMNS)
        con.execute(f"INSERT INTO records (import_id, {columns}) SELECT ?, {columns} FROM incoming", [import_id])
        con.execute("COMMIT")
    return store


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    records = synthetic_records(args.dossiers)
    with tempfile.TemporaryDirectory() as tmp:
        store = fill_store(records, tmp)
        start = time.perf_counter()
        dossiers, _ = store.dossiers()
        load = time.perf_counter() - start
    period = Period(dt.date(2018, 1, 1), dt.date(2019, 3, 31))
    a, b = Period(dt.date(2018, 1, 1), dt.date(2018, 12, 31)), Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
    table = official_table(dossiers, period, "unit")
    analyses = {
        "bare groupby (unit, size)": lambda: dossiers.groupby(s.UNIT).size(),
        "Biểu 06 by unit": lambda: official_table(dossiers, period, "unit"),
        "Biểu 06 by unit, workload rate": lambda: official_table(dossiers, period, "unit", rate="workload"),
        "compare 2018 vs Q1/2019 by field": lambda: compare(dossiers, a, b, "field"),
        "timeliness by unit": lambda: documents.timeliness_document(table),
        "funnel of units": lambda: documents.funnel_document(table),
        "screening lists": lambda: screens(table.classified, period),
        "late tables": lambda: documents.late_document(table),
        "trend by month (15 months)": lambda: documents.trend_document(dossiers, period, "month", False, "resolved"),
    }
    results = {name: median_seconds(fn, args.repeat) for name, fn in analyses.items()}
    bare = results["bare groupby (unit, size)"]
    print(f"{len(dossiers):,} dossiers; store read once in {load:.2f} s (cached by the app afterwards)")
    print(f"{'analysis':40} {'median s':>9} {'× groupby':>10}  target < 1 s")
    for name, seconds in results.items():
        verdict = "" if name.startswith("bare") else ("ok" if seconds < 1 else "SLOW")
        print(f"{name:40} {seconds:9.3f} {seconds / bare:10.1f}  {verdict}")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
