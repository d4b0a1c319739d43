"""The command line's public contract: keys, exit codes, formats, store or paths."""
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analytics.analyses.bieu06 import KEYS
from analytics.cli import main
from tests.workbooks import HEADER, ROWS, simple_export


def run(*args, data_dir):
    return main(["--data-dir", str(data_dir), *map(str, args)])


def report_json(capsys, *args, data_dir):
    capsys.readouterr()
    assert run("report", *args, "--format", "json", data_dir=data_dir) == 0
    return json.loads(capsys.readouterr().out)


def test_report_on_paths_has_the_contract_keys_and_leaves_the_store_alone(tmp_path, capsys):
    path = simple_export(tmp_path / "q1.xlsx")
    doc = report_json(capsys, path, "--from", "2019-01-01", "--to", "2019-03-31", "--by", "unit",
                      data_dir=tmp_path / "data")
    assert {"from", "to", "rate", "total", "groups", "data_quality"} <= set(doc)
    assert list(doc["total"]) == KEYS
    assert all(list(g) == ["name", *KEYS] for g in doc["groups"])
    assert sorted(g["name"] for g in doc["groups"]) == ["Phòng Tài nguyên và Môi trường", "Phòng Tư pháp"]
    # By hand: 3 received in Q1; 2 resolved (one early 08/01 < 10/01, one on time 10/01 = 10/01); 1 pending,
    # due 15/02 < 31/03 so overdue.
    assert doc["total"] == {**doc["total"], "received_total": 3, "resolved_early": 1, "resolved_on_time": 1,
                            "pending_overdue": 1, "on_time_rate": 1.0}
    assert doc["rate"]["numerator"] == 2 and doc["rate"]["denominator"] == 2
    assert not (tmp_path / "data").exists()


def test_import_then_report_from_the_store_gives_the_same_numbers(tmp_path, capsys):
    path = simple_export(tmp_path / "q1.xlsx")
    from_paths = report_json(capsys, path, "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d")
    assert run("import", path, data_dir=tmp_path / "d") == 0
    from_store = report_json(capsys, "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d")
    assert from_store["total"] == from_paths["total"]


def test_a_folder_is_read_in_name_order_and_overlaps_are_merged(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    pending = [[1, "A-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", None, "Đang xử lý",
                None]]
    done = [[1, "A-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", "14/01/2019",
             "Đã trả kết quả", None]]
    simple_export(folder / "2019-Q1.xlsx", rows=pending)
    simple_export(folder / "2019-Q2.xlsx", rows=done)
    (folder / "notes.txt").write_text("không phải bảng tính")
    doc = report_json(capsys, folder, "--from", "2019-01-01", "--to", "2019-06-30", data_dir=tmp_path / "d")
    assert doc["total"]["resolved_late"] == 1 and doc["total"]["pending_total"] == 0
    assert doc["data_quality"]["merged_duplicates"] == 1


def test_a_file_that_cannot_be_used_exits_1_with_a_message(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a spreadsheet\x00\x01\x02" * 10)
    assert run("report", bad, "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d") == 1
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and "không phải bảng tính" in err
    assert run("import", bad, data_dir=tmp_path / "d") == 1


@pytest.mark.parametrize("args", [
    ["report", "--from", "2019-13-01", "--to", "2019-03-31"],
    ["report", "--from", "2019-03-31"],
    ["report", "--from", "2019-03-31", "--to", "2019-01-01"],
    ["report", "--from", "2019-01-01", "--to", "2019-03-31", "--by", "colour"],
    ["report", "x.xlsx", "--from", "2019-01-01", "--to", "2019-03-31", "--map", "Mã tra cứu=ticket"],
    ["frobnicate"],
])
def test_bad_arguments_exit_2(tmp_path, args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        code = run(*args, data_dir=tmp_path / "d")
        raise SystemExit(code)
    assert exit_info.value.code == 2
    assert "Tham số không hợp lệ" in capsys.readouterr().err


def test_map_option_makes_an_odd_header_usable(tmp_path, capsys):
    path = simple_export(tmp_path / "odd.xlsx", header=["STT", "Mã tra cứu"] + HEADER[2:])
    assert run("report", path, "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d") == 1
    doc = report_json(capsys, path, "--from", "2019-01-01", "--to", "2019-03-31", "--map", "Mã tra cứu=case_id",
                      data_dir=tmp_path / "d")
    assert doc["total"]["received_total"] == 3


def test_empty_store_exits_1_and_says_what_to_do(tmp_path, capsys):
    assert run("report", "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d") == 1
    assert "python -m analytics import" in capsys.readouterr().err


def test_table_format_prints_biểu_06_in_vietnamese_numbers(tmp_path, capsys):
    rows = [[i, f"A-{i}", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", "09/01/2019",
             "10", None] for i in range(1200)]
    path = simple_export(tmp_path / "big.xlsx", rows=rows)
    assert run("report", path, "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d") == 0
    out = capsys.readouterr().out
    assert "Biểu số 06/VPCP/KSTT" in out and "(13)" in out
    assert "Tổng cộng" in out and "1.200" in out and "100,0% đúng hạn (1.200/1.200" in out


def test_xlsx_format_writes_the_official_layout(tmp_path, capsys):
    path = simple_export(tmp_path / "q1.xlsx")
    out = tmp_path / "bieu06.xlsx"
    assert run("report", path, "--from", "2019-01-01", "--to", "2019-03-31", "--by", "field", "--format", "xlsx",
               "--out", out, data_dir=tmp_path / "d") == 0
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Biểu số 06/VPCP/KSTT"
    header_row = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[header_row][2] == "Số hồ sơ nhận giải quyết" and rows[header_row + 1][5] == "Từ kỳ trước"
    assert list(rows[header_row + 2][:13]) == [f"({n})" for n in range(1, 14)]
    body = {r[1]: r[2:14] for r in rows[header_row + 3:] if r[1] in ("Hộ tịch", "Đất đai", "Tổng cộng")}
    # Hộ tịch: 2 received (1 resolved early, 1 pending overdue); Đất đai: 1 received, resolved on time.
    assert body["Hộ tịch"] == (2, 0, 2, 0, 1, 1, 0, 0, 1, 0, 1, 0)
    assert body["Đất đai"] == (1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0)
    assert body["Tổng cộng"] == (3, 1, 2, 0, 2, 1, 1, 0, 1, 0, 1, 0)
    assert any(m.coord == f"C{header_row + 1}:F{header_row + 1}" for m in ws.merged_cells.ranges)


def test_imports_can_be_listed_and_removed(tmp_path, capsys):
    data, path = tmp_path / "d", simple_export(tmp_path / "a.xlsx", rows=ROWS[:1])
    assert run("import", path, data_dir=data) == 0
    assert run("import", path, data_dir=data) == 0
    out = capsys.readouterr().out
    assert "đã nhập trước đó" in out
    assert run("imports", data_dir=data) == 0 and "a.xlsx" in capsys.readouterr().out
    assert run("remove", 1, data_dir=data) == 0
    assert run("remove", 1, data_dir=data) == 2


def test_module_entry_point_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "not_a_workbook.xlsx"
    bad.write_bytes(b"this is not a spreadsheet\x00\x01\x02" * 10)
    done = subprocess.run([sys.executable, "-m", "analytics", "report", str(bad), "--from", "2018-01-01", "--to",
                           "2019-03-31", "--format", "json"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 1 and done.stderr.strip() and "Traceback" not in done.stderr + done.stdout


def test_every_skipped_row_can_be_downloaded_as_csv(tmp_path, capsys):
    # An unreadable received date skips its row (an unreadable due date keeps the dossier, marked: issue 16).
    rows = [[i, f"A-{i}", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "tuần sau" if i % 2 else "03/01/2019",
             "10/01/2019", None, "Đang xử lý", None] for i in range(60)]
    data = tmp_path / "d"
    assert run("import", simple_export(tmp_path / "many-bad-dates.xlsx", rows=rows), data_dir=data) == 0
    assert "python -m analytics issues 1" in capsys.readouterr().err
    out = tmp_path / "van-de.csv"
    assert run("issues", 1, "--out", out, data_dir=data) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Lần nhập,Mã lỗi,Mức,Tệp,Trang tính,Dòng,Cột,Giá trị")
    assert len(lines) == 1 + 30 and all(",bad_date,Bỏ qua dòng," in line for line in lines[1:])


def test_compare_json_shape_and_changes(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    simple_export(folder / "q1.xlsx")
    capsys.readouterr()
    assert run("compare", folder, "--a", "2019-01-01:2019-01-31", "--b", "2019-02-01:2019-03-31", "--by", "unit",
               "--format", "json", data_dir=tmp_path / "d") == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"a", "b", "change", "boundaries"} and list(doc["a"]["total"]) == KEYS
    assert doc["boundaries"] == "recorded"   # every figure says its boundaries (issue 18)
    total = doc["change"]["total"]
    # A (January): 2 received, both resolved; B (Feb–Mar): 1 received, pending overdue.
    assert total["received_total"] == 1 - 2 and total["resolved_total"] == 0 - 2
    assert total["rate_change_pp"] is None and total["rate_change_ci95"] is None and total["judgeable"] is False
    assert total["note"].startswith("Quá ít hồ sơ để kết luận")  # worded in outputs, kept in the contract
    assert {g["name"] for g in doc["change"]["groups"]} == {"Phòng Tư pháp", "Phòng Tài nguyên và Môi trường"}
    assert all({"rate_change_pp", "rate_change_ci95", "p_value", "judgeable"} <= set(g) for g in
               doc["change"]["groups"])


@pytest.mark.parametrize("rate, expected", [("resolved", 1.0), ("qd766", 2 / 3), ("workload", 2 / 3)])
def test_rate_option_changes_the_rate_and_says_which(tmp_path, capsys, rate, expected):
    doc = report_json(capsys, simple_export(tmp_path / "q1.xlsx"), "--from", "2019-01-01", "--to", "2019-03-31",
                      "--rate", rate, data_dir=tmp_path / "d")
    # By hand: (8) 1, (9) 1, (7) 2, (12) 0, (11) 1, (3) 3, (10) 0, (13) 1.
    assert doc["rate"]["definition"] == rate and doc["total"]["on_time_rate"] == pytest.approx(expected)


def test_period_preset_with_cutoff(tmp_path, capsys):
    doc = report_json(capsys, simple_export(tmp_path / "q1.xlsx"), "--period", "quarter:2019:1", "--cutoff",
                      data_dir=tmp_path / "d")
    assert (doc["from"], doc["to"]) == ("2018-12-15", "2019-03-14")


SAMPLE_EXPECTED = json.loads((Path(__file__).resolve().parent.parent / "sample_data" / "expected_headline.json")
                             .read_text(encoding="utf-8"))  # the generator's own model, not a report run


def _sample_totals(command: str, doc: dict) -> dict:
    """What each analysis says that the generator's headline fixes: worked out from it, not from the code."""
    if command == "timeliness":
        return {"resolved": doc["total"]["resolved"], "pending": doc["pending"]["pending"],
                "overdue": doc["pending"]["overdue"]}
    if command == "funnel":
        return {"resolved": sum(u["denominator"] for u in doc["units"])}
    if command == "late":
        return {k: sum(r[k] for r in doc["unit"]) for k in ("resolved_late", "pending_overdue")}
    if command == "trend":
        return {"received_in_period": sum(p["received_online"] + p["received_direct_postal"] for p in doc["points"]),
                "resolved": sum(p["resolved_total"] for p in doc["points"])}
    return {"codes": sorted(sc["code"] for sc in doc["screens"])}


EXPECTED_SAMPLE = {
    "timeliness": {"resolved": SAMPLE_EXPECTED["resolved_total"], "pending": SAMPLE_EXPECTED["pending_total"],
                   "overdue": SAMPLE_EXPECTED["pending_overdue"]},
    "funnel": {"resolved": SAMPLE_EXPECTED["resolved_total"]},
    "late": {"resolved_late": SAMPLE_EXPECTED["resolved_late"], "pending_overdue": SAMPLE_EXPECTED["pending_overdue"]},
    # A month's dossiers received in it add up to the period's (4) + (5); resolved likewise (each is resolved once).
    "trend": {"received_in_period": SAMPLE_EXPECTED["received_online"] + SAMPLE_EXPECTED["received_direct_postal"],
              "resolved": SAMPLE_EXPECTED["resolved_total"]},
    "screening": {"codes": sorted(["bunched_on_due_date", "completed_on_non_working_day", "late_without_apology",
                                   "due_date_moved", "large_volume_no_late", "completed_before_received"])},
}


def test_screening_counts_on_the_sample_follow_the_domain_rules(tmp_path, capsys):
    """Review 2026-12-07 §3.2: the screening case above only lists the six codes, which screens() always returns.
    Here three lists' counts are worked out from the sample's dossiers with the row-by-row oracle of DOMAIN rules
    1–5 (tests/test_properties.py), not with the code under test."""
    from analytics.dossiers.sources import read_files
    from analytics.model import schema as s
    from analytics.model.periods import Period
    from tests.test_properties import oracle_cell
    import datetime as dt

    sample = Path(__file__).resolve().parent.parent / "sample_data" / "exports"
    period = Period(dt.date(2018, 1, 1), dt.date(2019, 3, 31))
    dossiers = read_files([sample]).dossiers

    def iso(value):
        return None if value is None or value != value else value.date().isoformat()

    late = moved = before = 0
    for record in dossiers.to_dict("records"):
        row = {"received": iso(record[s.RECEIVED_DATE]), "due": iso(record[s.DUE_DATE]),
               "original_due": iso(record[s.ORIGINAL_DUE_DATE]), "completed": iso(record[s.COMPLETED_DATE]),
               "returned": iso(record[s.RETURNED_DATE]), "status": int(record[s.STATUS_CODE])}
        cell = oracle_cell(row, period, fold=False)
        late += cell in ("resolved_late", "pending_overdue") and record[s.APOLOGY] is False
        moved += cell is not None and row["original_due"] is not None and row["due"] is not None \
            and row["original_due"] != row["due"]
        finish = row["completed"] or row["returned"]
        before += row["received"] is not None and finish is not None and finish < row["received"] \
            and "2018-01-01" <= row["received"] <= "2019-03-31"
    assert run("screening", sample, "--from", "2018-01-01", "--to", "2019-03-31", "--format", "json",
               data_dir=tmp_path / "d") == 0
    counts = {sc["code"]: sc["count"] for sc in json.loads(capsys.readouterr().out)["screens"]}
    assert (counts["late_without_apology"], counts["due_date_moved"], counts["completed_before_received"]) == \
        (late, moved, before)
    assert late > 0 and moved > 0  # the sample has both: the comparison is not between two zeros


@pytest.mark.parametrize("command", ["timeliness", "funnel", "screening", "late", "trend"])
def test_analysis_commands_on_the_sample_answer_in_json_and_text(tmp_path, capsys, command):
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "exports"
    args = [command, sample, "--from", "2018-01-01", "--to", "2019-03-31"]
    capsys.readouterr()
    assert run(*args, "--format", "json", data_dir=tmp_path / "d") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["from"] == "2018-01-01"
    assert _sample_totals(command, doc) == EXPECTED_SAMPLE[command]
    assert run(*args, data_dir=tmp_path / "d") == 0
    text = capsys.readouterr().out
    assert "01/01/2018 – 31/03/2019" in text or command == "trend"
    assert "Traceback" not in text


def test_audit_command_on_the_sample(tmp_path, capsys):
    root = Path(__file__).resolve().parent.parent / "sample_data"
    capsys.readouterr()
    assert run("audit", root / "exports", "--catalog", root / "procedures.xlsx", "--from", "2018-01-01", "--to",
               "2019-03-31", "--format", "json", data_dir=tmp_path / "d") == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"unused_procedures", "due_later_than_legal", "due_dates_computed", "received_outside_calendar"}
    assert sum(doc["unused_procedures"]["by_level"].values()) == doc["unused_procedures"]["count"]
    bad = tmp_path / "catalog.xlsx"
    bad.write_bytes(b"\x00" * 50)
    assert run("audit", root / "exports", "--catalog", bad, "--from", "2018-01-01", "--to", "2019-03-31",
               data_dir=tmp_path / "d") == 1
    assert "danh mục" in capsys.readouterr().err


def test_report_fills_missing_due_dates_from_a_catalog_and_says_how_many(tmp_path, capsys):
    from tests.catalog_workbooks import catalog_workbook
    catalog = catalog_workbook(tmp_path / "catalog.xlsx", [["1.000001", "Khai sinh", "Hộ tịch", "Cấp xã",
                                                            "03 ngày làm việc", "Không"]])
    rows = [[1, "A-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "07/01/2019", None, "14/01/2019", "10", None]]
    export = simple_export(tmp_path / "no-due.xlsx", header=HEADER + ["Mã TTHC"], rows=[rows[0] + ["1.000001"]])
    plain = report_json(capsys, export, "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d")
    assert plain["total"]["resolved_on_time"] == 1  # no due date: on time
    filled = report_json(capsys, export, "--from", "2019-01-01", "--to", "2019-03-31", "--catalog", catalog,
                         data_dir=tmp_path / "d")
    # Mon 07/01 + 3 working days = Thu 10/01; finished 14/01: late.
    assert filled["total"]["resolved_late"] == 1 and filled["data_quality"]["due_dates_computed"] == 1


def test_official_layout_in_json_lists_the_field_rows_under_their_path(tmp_path, capsys):
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "exports"
    doc = report_json(capsys, sample, "--from", "2018-01-01", "--to", "2019-03-31", "--by", "official",
                      data_dir=tmp_path / "d")
    assert all(list(g) == ["name", *KEYS] and g["name"].count(" › ") == 2 for g in doc["groups"])
    for key in KEYS[:-1]:
        assert sum(g[key] for g in doc["groups"]) == doc["total"][key]


def test_official_layout_in_xlsx_has_bold_subtotals_and_indented_fields(tmp_path, capsys):
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "exports"
    out = tmp_path / "bieu06.xlsx"
    assert run("report", sample, "--from", "2018-01-01", "--to", "2019-03-31", "--by", "official", "--format", "xlsx",
               "--out", out, data_dir=tmp_path / "d") == 0
    ws = openpyxl.load_workbook(out).active
    rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value}
    for numeral, level in (("I", "Cấp huyện"), ("II", "Cấp xã")):  # the row number in column (1), the name in (2)
        assert ws.cell(rows[level], 1).value == numeral and ws.cell(rows[level], 2).font.b
    field = next(r for r in rows.values() if ws.cell(r, 1).value == "-")
    assert not ws.cell(field, 2).font.b and ws.cell(field, 2).alignment.indent == 2


def test_imported_records_that_disagree_get_a_notice_in_the_report(tmp_path, capsys):
    # Review 1.10: two communes that number dossiers alike; the store keeps one and the report says so.
    a = simple_export(tmp_path / "xa-a.xlsx", rows=[[1, "1", "Khai sinh", "Hộ tịch", "UBND xã A", "03/01/2019",
                                                    "10/01/2019", None, "Đang xử lý", None]])
    b = simple_export(tmp_path / "xa-b.xlsx", rows=[[1, "1", "Khai sinh", "Hộ tịch", "UBND xã B", "07/01/2019",
                                                    "14/01/2019", None, "Đang xử lý", None]])
    assert run("import", a, b, data_dir=tmp_path / "d") == 0
    doc = report_json(capsys, "--from", "2019-01-01", "--to", "2019-03-31", data_dir=tmp_path / "d")
    notices = [i for i in doc["data_quality"]["issues"] if i["code"] == "records_disagree"]
    assert len(notices) == 1 and "UBND xã A" in notices[0]["message"] and "UBND xã B" in notices[0]["message"]
    assert doc["data_quality"]["merged_duplicates"] == 1


# --- Help and argument errors in Vietnamese (issue 15): argparse's English words never reach the user ------------

ENGLISH = ("usage:", "options:", "positional arguments", "show this help message", "the following arguments",
           "invalid choice", "required", "error:", "unrecognized arguments", "expected one argument")


@pytest.mark.parametrize("command", [[], ["report"], ["session", "add"], ["users", "add"], ["session"],
                                     ["reconcile"], ["audit-log"]])
def test_every_help_is_vietnamese(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: python -m analytics") and "hiện hướng dẫn này rồi thoát" in out
    assert "tùy chọn:" in out
    assert not [word for word in ENGLISH if word in out], out


def test_the_help_names_its_values_in_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "tham số:" in out and "--from NGÀY" in out and "--catalog TỆP" in out and "--data-dir THƯ_MỤC" in out
    assert not [english for english in ("--from START", "--data-dir DATA_DIR", "[PATH ...]", "--catalog CATALOG")
                if english in out]


@pytest.mark.parametrize("args, message", [
    (["users", "add"], "thiếu tham số bắt buộc: TÊN, --role"),
    (["session", "add", "Đợt 1"], "thiếu tham số bắt buộc: --from, --to"),
    (["report", "--by", "colour"], "tham số --by: không có lựa chọn 'colour'; hãy chọn một trong:"),
    (["frobnicate"], "tham số LỆNH: không có lựa chọn 'frobnicate'"),
    ([], "thiếu tham số bắt buộc: LỆNH"),
    (["report", "--from"], "tham số --from: cần một giá trị sau tùy chọn này"),
    (["session", "add", "X", "--from", "2019-01-01", "--to", "2019-03-31", "--target", "cao"],
     "tham số --target: 'cao' không phải số"),
    (["report", "--frobnicate"], "không hiểu tham số: --frobnicate"),
])
def test_argument_errors_are_vietnamese_and_exit_2(tmp_path, args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(*args, data_dir=tmp_path / "d")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Cách dùng: ") and f"Tham số không hợp lệ: {message}" in err and "--help" in err
    assert not [word for word in ENGLISH if word in err], err


def test_the_help_of_the_program_as_a_clerk_runs_it():
    done = subprocess.run([sys.executable, "-m", "analytics", "session", "add", "--help"], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("Cách dùng: ") and "usage" not in done.stdout
    missing = subprocess.run([sys.executable, "-m", "analytics", "users", "add"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert missing.returncode == 2 and "thiếu tham số bắt buộc" in missing.stderr and "required" not in missing.stderr
