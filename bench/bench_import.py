"""Benchmark: how long and how much memory it takes to read and import large dossier exports.

Generates synthetic one-stop-shop exports (title rows, a merged two-row header, a numbering row, data, a
"Tổng cộng" row) and measures, each run in a fresh subprocess, the wall time and peak RSS of:

    openpyxl   pandas.read_excel(path, engine="openpyxl", header=None)
    calamine   pandas.read_excel(path, engine="calamine", header=None)
    fastexcel  fastexcel.read_excel(path).load_sheet(0, header_row=None).to_arrow()   (the reference)
    import     analytics.store.Store(tmp_data_dir).import_file(path)

Usage:
    python bench/bench_import.py [--rows 100000 500000] [--skip-openpyxl] [--full-sheet]
                                 [--repeat 3] [--out bench/out] [--timeout 1800]

This is a benchmark, not a test: it prints a table and writes <out>/results.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXCEL_MAX_ROWS = 1_048_576
MIB = 1024 * 1024

# Targets for the project's import.
TARGET_TIME_RATIO = 1.5          # import time <= 1.5 x the bare fastexcel read
TARGET_PEAK_MIB = 2048           # import peak RSS < 2 GiB ...
TARGET_PEAK_AT_ROWS = 500_000    # ... at 500,000 rows

METHODS = ["openpyxl", "calamine", "fastexcel", "import"]
REFERENCE_METHOD = "fastexcel"
RESULT_MARKER = "BENCH_RESULT "

# --------------------------------------------------------------------------------------------------------------
# The export's layout
# --------------------------------------------------------------------------------------------------------------

TITLE_LINES = [
    "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN",
    "DANH SÁCH HỒ SƠ",
    "Từ ngày 01/01/2018 đến ngày 31/12/2018",
]
# Two-row header: (top label, sub labels). No sub labels: the top cell is merged down over both rows.
HEADER = [
    ("STT", []),
    ("Số hồ sơ", []),
    ("Thủ tục hành chính", ["Mã TTHC", "Tên TTHC"]),
    ("Lĩnh vực", []),
    ("Cơ quan giải quyết", []),
    ("Cấp", []),
    ("Hình thức nộp", []),
    ("Thời gian", ["Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả"]),
    ("Trạng thái", []),
    ("Thư xin lỗi", []),
    ("Người tiếp nhận", []),
]
N_COLUMNS = sum(max(1, len(subs)) for _, subs in HEADER)          # 15
HEADER_ROW = len(TITLE_LINES) + 1                                # title rows, then one blank row
NUMBERING_ROW = HEADER_ROW + 2
FIRST_DATA_ROW = NUMBERING_ROW + 1
LAYOUT_ROWS = FIRST_DATA_ROW + 1                                 # every row that is not data (incl. the total)
FULL_SHEET_DATA_ROWS = EXCEL_MAX_ROWS - LAYOUT_ROWS

# --------------------------------------------------------------------------------------------------------------
# Synthetic dossiers
# --------------------------------------------------------------------------------------------------------------

# Field -> (case id prefix, district office in charge, procedure names). 40 procedures in all.
PROCEDURES_BY_FIELD = {
    "Đất đai": ("TNMT", "Phòng Tài nguyên và Môi trường", [
        "Đăng ký biến động quyền sử dụng đất", "Cấp đổi giấy chứng nhận quyền sử dụng đất",
        "Chuyển mục đích sử dụng đất", "Đăng ký thế chấp quyền sử dụng đất", "Xóa đăng ký thế chấp",
        "Cấp lại giấy chứng nhận do bị mất", "Tách thửa hoặc hợp thửa đất", "Đính chính giấy chứng nhận",
    ]),
    "Môi trường": ("TNMT", "Phòng Tài nguyên và Môi trường", [
        "Xác nhận kế hoạch bảo vệ môi trường", "Đăng ký chủ nguồn thải chất thải nguy hại",
    ]),
    "Hộ tịch": ("TP", "Phòng Tư pháp", [
        "Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Cấp bản sao trích lục hộ tịch",
        "Xác nhận tình trạng hôn nhân", "Đăng ký nhận cha, mẹ, con", "Thay đổi, cải chính hộ tịch",
    ]),
    "Chứng thực": ("TP", "Phòng Tư pháp", [
        "Chứng thực bản sao từ bản chính", "Chứng thực chữ ký", "Chứng thực hợp đồng, giao dịch",
    ]),
    "Xây dựng": ("XD", "Phòng Quản lý đô thị", [
        "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Điều chỉnh giấy phép xây dựng",
        "Gia hạn giấy phép xây dựng", "Cấp giấy phép sửa chữa, cải tạo công trình",
    ]),
    "Thành lập và hoạt động của hộ kinh doanh": ("KHĐT", "Phòng Tài chính - Kế hoạch", [
        "Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Tạm ngừng hoạt động hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh",
    ]),
    "Bảo trợ xã hội": ("LĐTBXH", "Phòng Lao động - Thương binh và Xã hội", [
        "Trợ cấp xã hội hàng tháng", "Hỗ trợ chi phí mai táng", "Cấp giấy xác nhận khuyết tật",
        "Điều chỉnh, thôi hưởng trợ cấp xã hội",
    ]),
    "Văn hóa cơ sở": ("VHTT", "Phòng Văn hóa và Thông tin", [
        "Cấp giấy phép kinh doanh karaoke", "Công nhận gia đình văn hóa", "Đăng ký tổ chức lễ hội",
    ]),
    "Giáo dục và Đào tạo": ("GDĐT", "Phòng Giáo dục và Đào tạo", [
        "Cho phép trường mầm non hoạt động", "Chuyển trường đối với học sinh trung học cơ sở",
        "Công nhận xã đạt chuẩn phổ cập giáo dục",
    ]),
    "Thi đua, khen thưởng": ("NV", "Phòng Nội vụ", [
        "Tặng giấy khen của Chủ tịch UBND cấp huyện", "Tặng danh hiệu Lao động tiên tiến",
    ]),
}
COMMUNE_UNITS = [
    "UBND phường Chi Lăng", "UBND phường Đông Kinh", "UBND phường Hoàng Văn Thụ", "UBND phường Tam Thanh",
    "UBND phường Vĩnh Trại", "UBND xã Hoàng Đồng", "UBND xã Mai Pha", "UBND xã Quảng Lạc",
]
STAFF = [f"{family} {middle} {given}"
         for family in ["Nguyễn", "Hoàng", "Lương", "Vi"]
         for middle, given in [("Thị", "Hoa"), ("Văn", "Nam"), ("Thị", "Lan"), ("Đức", "Minh"), ("Thu", "Trang")]]
# (status text, weight, has a result date, has a return date)
STATUSES = [
    ("Đã trả kết quả", 72, True, True),
    ("Đã xử lý xong", 6, True, False),
    ("Đang xử lý", 15, False, False),
    ("Yêu cầu bổ sung giấy tờ", 3, False, False),
    ("Đã rút hồ sơ", 3, False, False),
    ("Dừng xử lý", 1, False, False),
]
CHANNELS = [("Trực tiếp", 65), ("Trực tuyến", 35)]
SHARE_OF_REAL_DATE_CELLS = 0.7   # the rest are text, "dd/mm/yyyy" or "dd/mm/yyyy HH:MM"
EXCEL_EPOCH = date(1899, 12, 30)
PERIOD_START = date(2018, 1, 1)


def procedure_catalogue(rng: random.Random) -> list[dict]:
    """The 40 procedures: code (text like "2.000720"), name, field, case id prefix, level, units, time limit.

    With the 8 communes and 8 district offices that makes 16 units."""
    codes = rng.sample(range(1000, 3000), sum(len(names) for *_, names in PROCEDURES_BY_FIELD.values()))
    catalogue = []
    for field, (prefix, office, names) in PROCEDURES_BY_FIELD.items():
        for name in names:
            level = rng.choice(["Cấp xã", "Cấp huyện"])
            catalogue.append({
                "code": f"{rng.choice([1, 2])}.{codes.pop():06d}", "name": name, "field": field,
                "prefix": prefix, "level": level,
                "units": COMMUNE_UNITS if level == "Cấp xã" else [office],
                "days": rng.choice([1, 3, 5, 7, 10, 15, 20, 30]),
            })
    return catalogue


def dossier_rows(n_rows: int, seed: int = 2018):
    """Yields n_rows synthetic dossiers as 15-tuples in column order; dates as Excel serials (float) or None."""
    rng = random.Random(seed)
    catalogue = procedure_catalogue(rng)
    statuses = [s[0] for s in STATUSES]
    status_info = {s[0]: s[2:] for s in STATUSES}
    channels, channel_weights = zip(*CHANNELS)
    start_serial = (PERIOD_START - EXCEL_EPOCH).days
    for i in range(n_rows):
        proc = rng.choice(catalogue)
        day = rng.randrange(365)
        received = start_serial + day + (rng.randrange(7 * 60, 17 * 60)) / 1440
        due = start_serial + day + proc["days"] + proc["days"] // 5 * 2        # skip weekends, roughly
        status = rng.choices(statuses, weights=[s[1] for s in STATUSES])[0]
        has_result, has_return = status_info[status]
        completed = received + rng.randrange(proc["days"] * 1440 * 8 // 5) / 1440 if has_result else None
        returned = completed + rng.randrange(3 * 1440) / 1440 if has_return else None
        late = completed is not None and int(completed) > due
        received_day = PERIOD_START + timedelta(days=day)
        yield (
            i + 1,
            f"{proc['prefix']}-{received_day:%y%m%d}-{i + 1:06d}",
            proc["code"], proc["name"], proc["field"], rng.choice(proc["units"]), proc["level"],
            rng.choices(channels, weights=channel_weights)[0],
            received, float(due), completed, returned,
            status, "Có" if late and rng.random() < 0.8 else None, rng.choice(STAFF),
        )


# --------------------------------------------------------------------------------------------------------------
# Writing the export
# --------------------------------------------------------------------------------------------------------------

DATE_COLUMNS = (8, 9, 10, 11)      # received, due, result, returned
DATETIME_COLUMNS = (8, 10, 11)     # the due date (9) has no time of day


def date_text(serial: float, with_time: bool) -> str:
    """An Excel serial as the text an export would show: "dd/mm/yyyy" or "dd/mm/yyyy HH:MM"."""
    day = EXCEL_EPOCH + timedelta(days=int(serial))
    if not with_time:
        return f"{day:%d/%m/%Y}"
    minutes = round((serial - int(serial)) * 1440)
    return f"{day:%d/%m/%Y} {min(minutes // 60, 23):02d}:{minutes % 60:02d}"


def write_two_row_header(ws, fmt) -> None:
    """Writes the merged two-row header and the numbering row below it."""
    top, sub = HEADER_ROW, HEADER_ROW + 1
    merges, col = [], 0
    for label, subs in HEADER:
        width = max(1, len(subs))
        ws.write_string(top, col, label, fmt)
        for blank_col in range(col + 1, col + width):
            ws.write_blank(top, blank_col, None, fmt)
        merges.append([top, col, top, col + width - 1] if subs else [top, col, sub, col])
        col += width
    col = 0
    for label, subs in HEADER:
        for sub_label in subs or [None]:
            if sub_label:
                ws.write_string(sub, col, sub_label, fmt)
            else:
                ws.write_blank(sub, col, None, fmt)
            col += 1
    # merge_range() can't span rows in constant_memory mode (it must write both rows at once, XlsxWriter
    # issue #292), so the cells are written row by row above and the ranges registered directly.
    ws.merge.extend(merges)
    for col in range(N_COLUMNS):
        ws.write_string(NUMBERING_ROW, col, f"({col + 1})", fmt)


def write_export(path: Path, n_rows: int, seed: int = 2018) -> None:
    """Writes a synthetic export of n_rows dossiers to path (atomically: a partial file is never left behind)."""
    import xlsxwriter

    partial = path.with_name(path.stem + ".partial.xlsx")
    wb = xlsxwriter.Workbook(str(partial), {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách hồ sơ")
    title_fmt = wb.add_format({"bold": True, "align": "center"})
    header_fmt = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                                "text_wrap": True})
    datetime_fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.set_column(0, 0, 6)
    ws.set_column(1, N_COLUMNS - 1, 18)

    for row, line in enumerate(TITLE_LINES):
        ws.merge_range(row, 0, row, N_COLUMNS - 1, line, title_fmt)   # single-row merges are fine
    write_two_row_header(ws, header_fmt)

    rng = random.Random(seed + 1)
    for row, values in enumerate(dossier_rows(n_rows, seed), start=FIRST_DATA_ROW):
        for col, value in enumerate(values):
            if value is None:
                continue
            if col in DATE_COLUMNS:
                has_time = col in DATETIME_COLUMNS
                if rng.random() < SHARE_OF_REAL_DATE_CELLS:
                    ws.write_number(row, col, value, datetime_fmt if has_time else date_fmt)
                else:
                    ws.write_string(row, col, date_text(value, has_time and rng.random() < 0.5))
            elif col == 0:
                ws.write_number(row, col, value)
            else:
                ws.write_string(row, col, value)
    total_row = FIRST_DATA_ROW + n_rows
    ws.merge_range(total_row, 0, total_row, 1, "Tổng cộng", title_fmt)
    ws.write_number(total_row, 2, n_rows, title_fmt)
    wb.close()
    os.replace(partial, path)


def cached_export(out_dir: Path, n_rows: int, name: str | None = None) -> Path:
    """The export of n_rows dossiers in out_dir, generated unless a file for that size already exists."""
    path = out_dir / (name or f"dossiers_{n_rows}.xlsx")
    if path.exists():
        print(f"reusing {path} ({path.stat().st_size / MIB:.0f} MiB)")
        return path
    print(f"generating {path} ({n_rows:,} data rows) ...", end=" ", flush=True)
    started = time.perf_counter()
    write_export(path, n_rows)
    print(f"{time.perf_counter() - started:.0f} s, {path.stat().st_size / MIB:.0f} MiB")
    return path


# --------------------------------------------------------------------------------------------------------------
# One measurement, in a child process
# --------------------------------------------------------------------------------------------------------------

def prepared_method(method: str, tmp_root: Path):
    """The function that runs `method` on a path, with its imports already done (so they are not timed)."""
    if method in ("openpyxl", "calamine"):
        import pandas as pd

        def read(path):
            df = pd.read_excel(path, engine=method, header=None)
            return {"shape": list(df.shape)}
        return read
    if method == "fastexcel":
        import fastexcel
        import pyarrow  # noqa: F401  (to_arrow() would import it inside the timed call)

        def read(path):
            table = fastexcel.read_excel(path).load_sheet(0, header_row=None).to_arrow()
            return {"shape": [table.num_rows, table.num_columns]}
        return read
    if method == "import":
        import tempfile
        sys.path.insert(0, str(PROJECT_ROOT))
        from analytics.dossiers.store import Store
        data_dir = tempfile.mkdtemp(prefix="store-", dir=tmp_root)   # fresh folder, left for the parent to delete

        def run_import(path):
            result = Store(data_dir).import_file(path)
            return {"rows_imported": result.rows_imported, "rows_skipped": result.rows_skipped}
        return run_import
    raise ValueError(f"unknown method {method!r}")


def peak_rss_mib() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # KiB on Linux


def child_main(method: str, path: str, tmp_root: str) -> None:
    """Runs one measurement and prints its result as a marked JSON line on stdout."""
    result = {"method": method}
    try:
        run = prepared_method(method, Path(tmp_root))
        result["start_mib"] = peak_rss_mib()
        started = time.perf_counter()
        result["details"] = run(path)
        result["seconds"] = time.perf_counter() - started
        result["peak_mib"] = peak_rss_mib()
        result["status"] = "ok"
    except (ImportError, AttributeError) as exc:   # the project's import is being written right now
        result.update(status="not available", error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}")
    print(RESULT_MARKER + json.dumps(result), flush=True)


def measured_run(method: str, path: Path, tmp_root: Path, timeout: float) -> dict:
    """The result of one run of `method` on `path` in a fresh Python process."""
    command = [sys.executable, str(Path(__file__).resolve()), "_measure", method, str(path), str(tmp_root)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"method": method, "status": "timeout", "error": f"over {timeout:.0f} s"}
    finally:
        for leftover in tmp_root.glob("store-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return json.loads(line[len(RESULT_MARKER):])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return {"method": method, "status": "failed", "error": f"exit code {proc.returncode}: {' | '.join(tail)}"}


# --------------------------------------------------------------------------------------------------------------
# Summaries and report
# --------------------------------------------------------------------------------------------------------------

def method_summary(runs: list[dict]) -> dict:
    """Median time and max peak RSS over the successful runs; otherwise the first failure."""
    ok = [r for r in runs if r["status"] == "ok"]
    if not ok:
        return {"status": runs[0]["status"], "error": runs[0].get("error", "")}
    return {
        "status": "ok" if len(ok) == len(runs) else f"ok in {len(ok)}/{len(runs)} runs",
        "median_s": statistics.median(r["seconds"] for r in ok),
        "peak_mib": max(r["peak_mib"] for r in ok),
        "start_mib": max(r["start_mib"] for r in ok),
        "seconds": [round(r["seconds"], 3) for r in ok],
        "peaks_mib": [round(r["peak_mib"]) for r in ok],
        "details": ok[-1]["details"],
    }


def target_verdicts(data_rows: int, summaries: dict) -> list[str]:
    """Verdict lines for the import targets on one file."""
    imp, ref = summaries.get("import"), summaries.get(REFERENCE_METHOD)
    if not imp or "median_s" not in imp:
        return [f"import not measured ({imp['status'] if imp else 'skipped'}): no verdict"]
    lines = []
    if ref and "median_s" in ref:
        limit = TARGET_TIME_RATIO * ref["median_s"]
        verdict = "PASS" if imp["median_s"] <= limit else "FAIL"
        lines.append(f"import time {imp['median_s']:.2f} s <= {TARGET_TIME_RATIO} x fastexcel "
                     f"({limit:.2f} s): {verdict}")
    peak = imp["peak_mib"]
    if data_rows <= TARGET_PEAK_AT_ROWS:    # if it is over at fewer rows, it is over at 500,000
        verdict = "PASS" if peak < TARGET_PEAK_MIB else "FAIL"
        lines.append(f"import peak {peak:.0f} MiB < {TARGET_PEAK_MIB} MiB: {verdict}"
                     + ("" if data_rows == TARGET_PEAK_AT_ROWS else
                        f" (target is set at {TARGET_PEAK_AT_ROWS:,} rows)"))
    else:
        lines.append(f"import peak {peak:.0f} MiB (informative: the memory target is set at "
                     f"{TARGET_PEAK_AT_ROWS:,} rows)")
    return lines


def file_report(file_result: dict) -> str:
    """The table and verdicts for one file, as text."""
    summaries = file_result["methods"]
    ref = summaries.get(REFERENCE_METHOD, {}).get("median_s")
    out = [f"\n{file_result['file']}: {file_result['data_rows']:,} data rows "
           f"({file_result['sheet_rows']:,} sheet rows), {file_result['size_mib']:.0f} MiB",
           f"  {'method':<10} {'median s':>9} {'peak MiB':>9} {'start MiB':>9} {'x fastexcel':>11}  details"]
    for method, s in summaries.items():
        if "median_s" not in s:
            out.append(f"  {method:<10} {s['status']}: {s.get('error', '')}")
            continue
        ratio = f"{s['median_s'] / ref:.2f}" if ref else "-"
        details = ", ".join(f"{k}={v}" for k, v in s["details"].items())
        note = "" if s["status"] == "ok" else f" [{s['status']}]"
        out.append(f"  {method:<10} {s['median_s']:>9.2f} {s['peak_mib']:>9.0f} {s['start_mib']:>9.0f} "
                   f"{ratio:>11}  {details}{note}")
    out += [f"  target: {line}" for line in file_result["verdicts"]]
    return "\n".join(out)


def benchmarked_file(path: Path, data_rows: int, methods: list[str], repeat: int, out_dir: Path,
                     timeout: float) -> dict:
    """Runs every method `repeat` times on one file (interleaved, to spread the machine's noise) and summarises."""
    tmp_root = out_dir / "tmp"
    tmp_root.mkdir(exist_ok=True)
    runs = {m: [] for m in methods}
    for i in range(repeat):
        for method in methods:
            if i > 0 and runs[method][0]["status"] in ("not available", "timeout"):
                continue     # no point in retrying
            result = measured_run(method, path, tmp_root, timeout)
            runs[method].append(result)
            shown = f"{result['seconds']:.2f} s, {result['peak_mib']:.0f} MiB" if result["status"] == "ok" \
                else f"{result['status']}: {result.get('error', '')}"
            print(f"  run {i + 1}/{repeat} {method:<10} {shown}", flush=True)
    summaries = {m: method_summary(r) for m, r in runs.items()}
    return {
        "file": str(path), "data_rows": data_rows, "sheet_rows": data_rows + LAYOUT_ROWS,
        "size_mib": path.stat().st_size / MIB, "repeat": repeat, "methods": summaries,
        "verdicts": target_verdicts(data_rows, summaries),
    }


def parsed_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 500_000],
                        help="data rows of each generated export (default: 100000 500000)")
    parser.add_argument("--skip-openpyxl", action="store_true", help="skip pandas + openpyxl (very slow)")
    parser.add_argument("--full-sheet", action="store_true",
                        help=f"also a sheet of exactly {EXCEL_MAX_ROWS:,} rows (Excel's maximum)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default: 3)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "out",
                        help="folder for the generated exports and results.json (default: bench/out)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is abandoned")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parsed_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    methods = [m for m in METHODS if not (m == "openpyxl" and args.skip_openpyxl)]
    files = [(cached_export(args.out, n), n) for n in args.rows]
    if args.full_sheet:
        files.append((cached_export(args.out, FULL_SHEET_DATA_ROWS, f"dossiers_full_{EXCEL_MAX_ROWS}.xlsx"),
                      FULL_SHEET_DATA_ROWS))

    results = []
    for path, n_rows in files:
        print(f"\nmeasuring {path.name}: {', '.join(methods)} x {args.repeat}")
        results.append(benchmarked_file(path, n_rows, methods, args.repeat, args.out, args.timeout))
        (args.out / "results.json").write_text(json.dumps({
            "python": sys.version.split()[0], "cpus": os.cpu_count(), "repeat": args.repeat,
            "files": results}, indent=2, ensure_ascii=False), encoding="utf-8")   # after each file

    print("\n" + "=" * 100)
    print("median wall time of the call (imports not timed); peak = max RSS of the whole process over the runs;"
          "\nstart = RSS after the imports, before the call")
    for file_result in results:
        print(file_report(file_result))
    print(f"\nresults written to {args.out / 'results.json'}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "_measure":
        child_main(*sys.argv[2:])
    else:
        main()
