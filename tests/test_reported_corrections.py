"""Corrections that stick where they belong (issue 17, item 3): a row match remembered for the tables of one layout
and one grouping, a row's role, a column's reading for the tables of one header layout; the screen, `reconcile` and
the session's documents use the same ones. And the issue's hierarchical table read from a workbook, end to end."""
import io
import json

import docx
import pytest

from analytics.cli import main
from analytics.dossiers.store import Store
from analytics.ingest.reported_table import read_reported_table
from analytics.model.issues import FileRejected
from tests import hierarchical as h
from tests.apps import page_app
from tests.test_reported_structure import BROKEN, CHANGED

PERIOD = ["--from", "2019-01-01", "--to", "2019-03-31"]
RENAMED = {"UBND phường Chi Lăng": "UBND phường Đông Kinh"}   # the unit's name in the data is not the table's


def cli(tmp_path, capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "data"), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def reconcile_json(tmp_path, capsys, *args) -> dict:
    code, out, err = cli(tmp_path, capsys, "reconcile", *args, *PERIOD, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_the_issues_table_from_a_workbook_end_to_end(tmp_path, capsys):
    reported = tmp_path / "bieu-06.xlsx"
    h.workbook(reported, h.rows(CHANGED, BROKEN))
    doc = reconcile_json(tmp_path, capsys, reported, h.export(tmp_path / "hs.xlsx"))
    assert [(r["name"], r["matched_to"]) for r in doc["rows"]] == [(u[1], u[0]) for u in h.UNITS]
    assert sorted((r["name"], k, c["difference"]) for r in doc["rows"] for k, c in r["cells"].items()
                  if c["within_tolerance"] is False) == sorted((n, k, v) for (n, k), v in CHANGED.items())
    assert [(b["row"], b["gap"]) for b in doc["arithmetic_breaks"]] == [("CẤP XÃ", 3)]
    assert [s["name"] for s in doc["subtotals"]] == ["CẤP HUYỆN", "CẤP XÃ"]
    assert doc["total"]["name"] == "TỔNG CỘNG" and doc["differences"] == len(CHANGED)
    assert not any(c["within_tolerance"] is False and not c["explained_by_rows"]
                   for c in doc["total"]["cells"].values())


def _differences_on_the_screen(at) -> set:
    [frame] = [d.value for d in at.dataframe if "Nguyên nhân có thể" in d.value.columns]
    return {(r["Dòng báo cáo"], r["Chỉ tiêu"], int(r["Chênh lệch"])) for r in frame.to_dict("records")}


def test_the_screen_the_command_line_and_the_documents_use_the_same_remembered_match(tmp_path, capsys, empty_store):
    reported = tmp_path / "bieu-06.xlsx"
    h.workbook(reported, h.rows(CHANGED))
    assert cli(tmp_path, capsys, "import", h.export(tmp_path / "hs.xlsx", RENAMED))[0] == 0
    # before the correction: the renamed ward matches nothing, its data unit is not reported
    doc = reconcile_json(tmp_path, capsys, reported)
    assert [u["name"] for u in doc["unmatched_reported"]] == ["UBND P. Chi Lăng"]
    # corrected once, on the command line
    doc = reconcile_json(tmp_path, capsys, reported, "--map-row", "UBND P. Chi Lăng=UBND phường Đông Kinh")
    assert doc["unmatched_reported"] == []
    again = reconcile_json(tmp_path, capsys, reported)   # remembered
    assert again["unmatched_reported"] == [] and again["rows"] == doc["rows"]
    from analytics.outputs.reported_words import key_label
    by_cli = {(r["name"], key_label(k), c["difference"]) for r in again["rows"] for k, c in r["cells"].items()
              if c["within_tolerance"] is False}
    assert len(by_cli) == len(CHANGED)
    # the session's documents
    assert cli(tmp_path, capsys, "session", "add", "Q1", *PERIOD, "--reported", reported)[0] == 0
    out = tmp_path / "bao-cao.docx"
    assert cli(tmp_path, capsys, "export", "--session", "Q1", "--format", "docx", "--out", out)[0] == 0
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "chưa khớp với đơn vị nào" not in text
    for name, label, difference in by_cli:
        assert f"{name} — {label}: " in text and f"chênh {difference:+d}" in text
    # the screen
    at = page_app("pages/doi-chieu.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1}).run()
    assert not at.exception, at.exception
    assert _differences_on_the_screen(at) == by_cli
    assert not [w for w in at.warning if "chưa khớp" in w.value]


def test_a_rows_kind_said_once_is_remembered_for_the_tables_of_its_layout(tmp_path, capsys):
    reported = tmp_path / "bieu-06.xlsx"
    h.workbook(reported, h.rows())
    export = h.export(tmp_path / "hs.xlsx")
    doc = reconcile_json(tmp_path, capsys, reported, export, "--row-kind", "CẤP XÃ=unit")
    assert [s["name"] for s in doc["subtotals"]] == ["CẤP HUYỆN"]
    assert [u["name"] for u in doc["unmatched_reported"]] == ["CẤP XÃ"]   # now a unit, and no unit is called so
    again = reconcile_json(tmp_path, capsys, reported, export)
    assert [s["name"] for s in again["subtotals"]] == ["CẤP HUYỆN"]
    [unit] = doc["unmatched_reported"]
    back = reconcile_json(tmp_path, capsys, reported, export, "--row-kind", f"{unit['sheet_row']}=subtotal")
    assert [s["name"] for s in back["subtotals"]] == ["CẤP HUYỆN", "CẤP XÃ"]
    code, _, err = cli(tmp_path, capsys, "reconcile", reported, export, *PERIOD, "--row-kind", "Không có=unit")
    assert code == 2 and "không có dòng nào tên như vậy" in err and "Traceback" not in err


def test_a_columns_reading_is_remembered_for_tables_with_the_same_header(tmp_path, capsys):
    def table(path, figure):
        from tests.workbooks import write_rows
        return write_rows(path, [["Đơn vị", "Tổng số hồ sơ nhận giải quyết", "Đã xong"],
                                 ["Phòng Tư pháp", figure, figure]], title_rows=[])
    first, second = table(tmp_path / "q1.xlsx", 3), table(tmp_path / "q2.xlsx", 4)
    with pytest.raises(FileRejected):   # "Đã xong" says nothing by itself: one known column is not a table
        read_reported_table(second)
    export = h.export(tmp_path / "hs.xlsx")
    doc = reconcile_json(tmp_path, capsys, first, export, "--map", "Đã xong=resolved_total")
    assert "resolved_total" in doc["keys"]
    code, out, err = cli(tmp_path, capsys, "reconcile", second, export, *PERIOD, "--format", "json")
    assert code == 0 and "resolved_total" in json.loads(out)["keys"]
    assert '"Đã xong" = resolved_total' in err   # said, not silent
    stored = Store(tmp_path / "data")
    layout = read_reported_table(second, overrides={"Đã xong": "resolved_total"}).header_layout
    assert stored.corrections(layout, "", "column") == {
        "Đã xong": "resolved_total"}


def test_a_store_made_before_reported_rows_kept_their_numbers_still_reads_them(tmp_path):
    store = Store(tmp_path / "data")
    table = h.table(h.rows())
    reported_id, _ = store.save_reported(table)
    with store.connection() as con:
        con.execute("ALTER TABLE reported_rows DROP COLUMN number")
    back = store.reported(reported_id)
    assert back.rows["number"].isna().all() and len(back.rows) == len(table.rows)
    # without its numbers the table's structure still comes from its names ("TỔNG CỘNG", "CẤP XÃ" name a level)
    from analytics.analyses.reported_structure import structure
    assert [r.name for r in structure(back).subtotals] == ["CẤP HUYỆN", "CẤP XÃ"]


@pytest.mark.parametrize("by", ["unit", "field"])
def test_a_match_remembered_for_units_leaves_fields_alone(tmp_path, capsys, by):
    reported = tmp_path / "linh-vuc.xlsx"
    from tests.workbooks import write_rows
    write_rows(reported, [["Lĩnh vực", "Tổng số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết"],
                          ["Hộ tịch", 45, 40], ["Đất đai", 32, 26]], title_rows=[])
    export = h.export(tmp_path / "hs.xlsx")
    reconcile_json(tmp_path, capsys, reported, export, "--by", "unit", "--map-row", "Hộ tịch=UBND phường Bắc Sơn")
    doc = reconcile_json(tmp_path, capsys, reported, export, "--by", by)
    matches = {r["name"]: (r["matched_to"], r["how"]) for r in doc["rows"]}
    if by == "unit":
        assert matches == {"Hộ tịch": ("UBND phường Bắc Sơn", "row_map")}
    else:
        assert matches == {"Hộ tịch": ("Hộ tịch", "exact"), "Đất đai": ("Đất đai", "exact")}
