"""Biểu 06 counted by the engine (DuckDB over the store, issue 20) against the pandas path, on stores of 10,000,
1,000,000 and 10,000,000 dossiers that this script builds itself (bench/out/engine_<N>/, reused when present).

For each size: the engine's Biểu 06 by unit for a year (median of --repeat warm runs, and the first run), and, up to
--pandas-limit dossiers, the pandas path as the screens use it today (the store read into a frame, then the
official table). Prints a table and the ratios the issue asks about (engine at 1M and 10M against 10k). A benchmark,
not a test: nothing fails.

    .venv/bin/python bench/bench_engine.py                     # 10k, 1M, 10M
    .venv/bin/python bench/bench_engine.py --sizes 10000 1000000 --repeat 3
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.analyses import engine  # noqa: E402
from analytics.analyses.bieu06 import official_table  # noqa: E402
from analytics.dossiers.store import Store  # noqa: E402
from analytics.model import schema as s  # noqa: E402
from analytics.model.periods import Period  # noqa: E402

YEAR = Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31))


def build(folder: Path, n: int) -> Store:
    """A store of `n` dossiers over 2018–2020 in 60 units, one import, made in SQL (a few seconds for 10M)."""
    store = Store(folder)
    if store.exists:
        return store
    with store.connection() as con:
        con.execute("INSERT INTO imports (import_id, imported_at, file_name, sha256, rows_read, rows_imported, "
                    f"rows_skipped) VALUES (1, TIMESTAMP '2026-12-07 08:00', 'bench_{n}.xlsx', 'bench{n}', {n}, {n}, 0)")
        con.execute(f"""
INSERT INTO records (import_id, {s.CASE_ID}, {s.UNIT}, {s.FIELD}, {s.LEVEL}, {s.PROCEDURE_NAME}, {s.CHANNEL_CODE},
                     {s.RECEIVED_DATE}, {s.DUE_DATE}, {s.COMPLETED_DATE}, {s.STATUS_CODE}, {s.STATUS_INFERRED},
                     {s.SOURCE_SHEET}, {s.SOURCE_ROW})
SELECT 1, 'HS-' || i, 'Đơn vị ' || (i % 60), 'Lĩnh vực ' || (i % 12), CASE WHEN i % 3 = 0 THEN 'Cấp xã'
       ELSE 'Cấp huyện' END, 'Thủ tục ' || (i % 200), 1 + (i % 3 = 0)::INT,
       received, received + INTERVAL (5 + i % 10) DAY,
       CASE WHEN i % 17 = 0 THEN NULL ELSE received + INTERVAL (i % 19) DAY END,
       CASE WHEN i % 17 = 0 THEN 4 ELSE 10 END, false, 'Sheet1', i + 2
FROM (SELECT i, DATE '2018-01-01' + INTERVAL (i % 1095) DAY AS received FROM range({n}) t(i))""")

    return store


def timed(work, repeat: int) -> tuple[float, float]:
    """(first run, median of the next `repeat` runs), seconds."""
    start = time.perf_counter()
    work()
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return first, statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pandas-limit", type=int, default=1_000_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    results = []
    for n in args.sizes:
        made = time.perf_counter()
        store = build(Path(args.out) / f"engine_{n}", n)
        built = time.perf_counter() - made
        chosen = time.perf_counter()
        with store.engine_connection() as con:   # the first use after an import chooses the dossiers (once)
            chosen = time.perf_counter() - chosen
            first, warm = timed(lambda: engine.engine_table(con, YEAR, "unit"), args.repeat)
        row = {"dossiers": n, "build_s": round(built, 2), "choose_s": round(chosen, 2), "engine_first_s": round(first, 3),
               "engine_warm_s": round(warm, 3)}
        if n <= args.pandas_limit:
            def pandas_path():
                official_table(store.dossiers()[0], YEAR, "unit")
            first, warm = timed(pandas_path, max(1, args.repeat // 2))
            row |= {"pandas_first_s": round(first, 3), "pandas_warm_s": round(warm, 3)}
        row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        results.append(row)
        print(json.dumps(row), flush=True)
    smallest = results[0]
    for row in results[1:]:
        print(f"engine at {row['dossiers']:,} / at {smallest['dossiers']:,}: warm "
              f"{row['engine_warm_s'] / smallest['engine_warm_s']:.2f}×, first "
              f"{row['engine_first_s'] / smallest['engine_first_s']:.2f}×")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "engine_results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
