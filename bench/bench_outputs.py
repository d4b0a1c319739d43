"""Benchmark: a supervision session's figures and its three documents over 1,000,000 dossiers (not a test).

    python bench/bench_outputs.py [--dossiers 1000000] [--repeat 3]

Reuses bench_analyses' synthetic dossiers (fixed seed). Reports the median time of the session's figures
(SessionFigures, computed once and shared) and of each document built from them: the written report (DOCX), the
slides (PPTX) and the workbook (XLSX). Target (issue 9): each output under 10 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analyses import median_seconds, synthetic_records  # noqa: E402

from analytics.analyses.session_figures import session_figures  # noqa: E402
from analytics.model.session import Provenance, SourceFile, SupervisionSession  # noqa: E402

SESSION = SupervisionSession("Bench 2019 vs 2018", dt.date(2019, 1, 1), dt.date(2019, 12, 31), dt.date(2018, 1, 1),
                             dt.date(2018, 12, 31), team="Đoàn giám sát (đo tốc độ)")
OUTPUTS = {"report (DOCX)": "report_docx", "slides (PPTX)": "slides_pptx", "workbook (XLSX)": "workbook_xlsx"}
TARGET_S = 10.0


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    dossiers = synthetic_records(args.dossiers)
    print(f"{args.dossiers:,} synthetic dossiers made in {time.perf_counter() - started:.1f} s")
    provenance = Provenance((SourceFile("bench.xlsx", "0" * 64, None, args.dossiers),), False, dt.datetime.now(),
                            "bench")
    figures = session_figures(dossiers, SESSION)
    rows = [("session figures (shared by all three)",
             median_seconds(lambda: session_figures(dossiers, SESSION), args.repeat))]
    for label, module in OUTPUTS.items():
        try:
            build = getattr(importlib.import_module(f"analytics.outputs.{module}"), module)
        except ImportError as error:
            rows.append((label, None))
            print(f"  {label}: not available ({error})")
            continue
        size = len(build(figures, provenance))
        rows.append((f"{label}, {size / 1024:,.0f} KB", median_seconds(lambda b=build: b(figures, provenance),
                                                                      args.repeat)))
    figures_s = rows[0][1]
    print(f"{'what':48} {'median s':>9}  {'with figures':>12}  target < {TARGET_S:.0f} s")
    for label, seconds in rows:
        if seconds is None:
            continue
        total = seconds if label.startswith("session") else seconds + figures_s
        verdict = "" if label.startswith("session") else ("ok" if total < TARGET_S else "MISSED")
        print(f"{label:48} {seconds:9.2f}  {total:12.2f}  {verdict}")


if __name__ == "__main__":
    main()
