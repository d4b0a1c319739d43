"""The store: idempotent imports, all-or-nothing, removal, provenance, remembered mappings, duplicates merged."""
import datetime as dt
from pathlib import Path

import pytest

from analytics.dossiers.dedup import merge_duplicates
from analytics.dossiers.store import Store
from analytics.model import schema as s
from tests.workbooks import HEADER, ROWS, simple_export


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


def test_importing_the_same_file_twice_changes_nothing(store, tmp_path):
    path = simple_export(tmp_path / "q1.xlsx")
    first = store.import_file(path)
    before = store.records()
    second = store.import_file(path)
    assert (first.status, second.status) == ("imported", "already_imported")
    assert second.import_id == first.import_id
    assert store.records().equals(before) and len(store.imports()) == 1


def test_records_keep_their_provenance(store, tmp_path):
    path = simple_export(tmp_path / "q1.xlsx")
    result = store.import_file(path)
    imports = store.imports()
    assert imports.loc[0, "file_name"] == "q1.xlsx" and len(imports.loc[0, "sha256"]) == 64
    records = store.records()
    assert set(records[s.IMPORT_ID]) == {result.import_id}
    assert records[s.SOURCE_SHEET].unique().tolist() == ["Danh sách"]
    assert records[s.SOURCE_ROW].tolist() == [6, 7, 8]


def test_overlapping_exports_keep_the_most_advanced_record(store, tmp_path):
    pending = [[1, "A-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", None,
                "Đang xử lý", None]]
    done = [[1, "A-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", "09/01/2019",
             "Đã trả kết quả", None]]
    store.import_file(simple_export(tmp_path / "q2.xlsx", rows=done))
    store.import_file(simple_export(tmp_path / "q1.xlsx", rows=pending))  # older state, imported later
    dossiers, merged = store.dossiers()
    assert merged == 1 and len(dossiers) == 1
    assert dossiers.loc[0, s.STATUS_CODE] == 10 and dossiers.loc[0, s.COMPLETED_DATE].date() == dt.date(2019, 1, 9)


def test_on_a_tie_the_file_read_later_wins(dossiers):
    records = dossiers([{"id": "A", "received": "2019-01-03", "unit": "Cũ"},
                        {"id": "A", "received": "2019-01-03", "unit": "Mới"}]).assign(**{s.IMPORT_ID: [1, 2]})
    kept, merged = merge_duplicates(records)
    assert merged == 1 and kept[s.UNIT].tolist() == ["Mới"]


def test_removing_an_import_keeps_dossiers_another_import_holds(store, tmp_path):
    a = store.import_file(simple_export(tmp_path / "a.xlsx", rows=ROWS[:2]))
    store.import_file(simple_export(tmp_path / "b.xlsx", rows=ROWS[1:]))
    assert sorted(store.dossiers()[0][s.CASE_ID]) == ["TP-190103-0001", "TP-190104-0002", "TP-190211-0003"]
    assert store.remove_import(a.import_id)
    assert sorted(store.dossiers()[0][s.CASE_ID]) == ["TP-190104-0002", "TP-190211-0003"]
    assert store.issues(a.import_id).empty and len(store.imports()) == 1
    assert not store.remove_import(999)


def test_an_import_lands_whole_or_not_at_all(store, tmp_path, monkeypatch):
    store.import_file(simple_export(tmp_path / "a.xlsx", rows=ROWS[:1]))
    before = (store.imports(), store.records())

    def fail_midway(con, reading, overrides):
        con.execute("INSERT INTO imports (import_id, file_name, sha256) VALUES (99, 'x', 'y')")
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert", staticmethod(lambda con, reading, overrides: fail_midway(con, reading,
                                                                                                  overrides)))
    with pytest.raises(RuntimeError):
        store.import_file(simple_export(tmp_path / "b.xlsx", rows=ROWS[1:]))
    assert before[0].equals(store.imports()) and before[1].equals(store.records())


def test_a_mapping_that_worked_is_remembered_for_files_with_the_same_headers(store, tmp_path):
    header = ["STT", "Mã tra cứu"] + HEADER[2:]
    first = simple_export(tmp_path / "q1.xlsx", header=header, rows=ROWS[:1])
    assert store.import_file(first).status == "rejected"
    assert store.import_file(first, overrides={"Mã tra cứu": s.CASE_ID}).status == "imported"
    second = simple_export(tmp_path / "q2.xlsx", header=header, rows=ROWS[1:])
    result = store.import_file(second)  # no override given this time
    assert result.status == "imported" and result.rows_imported == 2


def test_row_issues_are_stored_with_the_import(store, tmp_path):
    rows = [ROWS[0], [*ROWS[1][:5], "tuần sau", *ROWS[1][6:]]]
    result = store.import_file(simple_export(tmp_path / "bad-date.xlsx", rows=rows))
    issues = store.issues(result.import_id)
    assert issues[["code", "row", "column", "value"]].values.tolist() == [["bad_date", 7, "Ngày tiếp nhận", "tuần sau"]]
    assert result.rows_imported == 1 and result.rows_skipped == 1


def test_an_empty_store_has_no_dossiers(store):
    dossiers, merged = store.dossiers()
    assert dossiers.empty and merged == 0 and not store.exists


def test_a_corrected_mapping_replaces_the_earlier_import_of_the_same_file(store, tmp_path):
    path = simple_export(tmp_path / "q1.xlsx")
    first = store.import_file(path)
    assert store.records()[s.FIELD].notna().all()
    again = store.import_file(path, overrides={"Lĩnh vực": ""}, replace=True)
    assert again.status == "imported" and again.import_id != first.import_id
    assert len(store.imports()) == 1 and store.records()[s.FIELD].isna().all()


def test_a_file_without_the_required_columns_offers_its_headers_for_mapping(tmp_path):
    from analytics.ingest.export_reader import read_export
    reading = read_export(simple_export(tmp_path / "odd.xlsx", header=["STT", "Mã tra cứu"] + HEADER[2:]))
    assert reading.rejected.code == "missing_column" and "Mã tra cứu" in reading.header_candidates


def test_the_store_breaks_ties_by_sheet_order_in_the_workbook_not_by_sheet_name(store, tmp_path):
    # Review 1.10 in store mode: sheet "Z" comes first in the workbook, "A" second; the same dossier on both with the
    # same dates but another status: the record read last (sheet "A") wins, as when the file is read directly.
    import openpyxl

    from analytics.dossiers.sources import read_files
    from tests.workbooks import HEADER
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Z"
    second = book.create_sheet("A")
    row = [1, "T-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", None]
    first.append(HEADER)
    first.append(row + ["Đang xử lý", "Trực tiếp"])
    second.append(HEADER)
    second.append(row + ["Yêu cầu bổ sung giấy tờ", "Trực tiếp"])
    path = tmp_path / "two-sheets.xlsx"
    book.save(path)
    store.import_file(path)
    stored, merged = store.dossiers()
    direct = read_files([path]).dossiers
    assert merged == 1 and stored["status_code"].tolist() == [5] == direct["status_code"].tolist()


def test_a_reported_table_is_kept_whole_with_its_provenance_and_removable(store):
    # Issue 10 item 5: what a body filed is stored like an import: once per file, read back as it was read.
    import pandas as pd

    from analytics.model.reported import ReportedTable
    rows = pd.DataFrame({"name": ["Sở Tư pháp", "Tổng"], "row": [6, 7], "is_total": [False, True],
                         "number": ["1", None], "received_total": [408.0, 408.0], "Hồ sơ hủy khác": [5.0, None]})
    table = ReportedTable("bao-cao.xlsx", "f" * 64, "Sheet1", 2, rows, {"Tổng số": "received_total",
                                                                      "Hồ sơ hủy khác": ""},
                          ["Hồ sơ hủy khác"], {}, {"ĐÚNG HẸN": 69313.0})
    assert store.save_reported(table) == (1, True)
    assert store.save_reported(table) == (1, False)          # the same file again changes nothing
    back = store.reported(1)
    pd.testing.assert_frame_equal(back.rows.drop(columns="number"), rows.drop(columns="number"), check_dtype=False)
    assert back.rows["number"].tolist() == ["1", None]   # the STT cell as written, a blank one None
    assert (back.file, back.sha256, back.sheet, back.header_row) == ("bao-cao.xlsx", "f" * 64, "Sheet1", 2)
    assert back.kept == ["Hồ sơ hủy khác"] and back.headline == {"ĐÚNG HẸN": 69313.0}
    assert store.reported_tables()["file_name"].tolist() == ["bao-cao.xlsx"]
    assert store.remove_reported(1) and store.reported(1) is None and not store.remove_reported(1)


def test_the_default_store_is_beside_the_code_wherever_the_program_starts(tmp_path, monkeypatch):
    # Review 3.6: `streamlit run /path/dashboard.py` from another folder used to make a second, empty store.
    from analytics.dossiers import store as module
    monkeypatch.delenv(module.DATA_DIR_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    assert Store().data_dir == Path(module.__file__).resolve().parents[2] / "data"
    monkeypatch.setenv(module.DATA_DIR_VARIABLE, str(tmp_path / "elsewhere"))
    assert Store().data_dir == tmp_path / "elsewhere"


def test_the_version_changes_on_every_write_and_never_on_a_read(tmp_path):
    """ui/data.stored caches what was read by it: a stale version would show old imports."""
    from analytics.model.session import SupervisionSession
    store = Store(tmp_path / "data")
    assert store.version() == ()
    first = store.import_file(simple_export(tmp_path / "q1.xlsx"))
    after_import = store.version()
    store.imports(), store.issues(), store.dossiers(), store.sessions()
    assert store.version() == after_import
    store.save_session(SupervisionSession("Quý I", dt.date(2019, 1, 1), dt.date(2019, 3, 31)))
    after_session = store.version()
    assert after_session != after_import
    store.remove_import(first.import_id)
    assert store.version() != after_session


def test_a_store_made_before_drops_the_officials_names_it_kept(tmp_path):
    import duckdb
    path = tmp_path / "data" / "onestop.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:  # the records table as it was: a staff column with a name in it
        con.execute("CREATE TABLE records (import_id INTEGER, case_id VARCHAR, staff VARCHAR)")
        con.execute("INSERT INTO records VALUES (1, 'A', 'Nguyễn Văn Cán')")
    store = Store(tmp_path / "data")
    store.sessions()  # the first use of the store by this process migrates it
    with duckdb.connect(str(path)) as con:
        columns = [row[0] for row in con.execute("DESCRIBE records").fetchall()]
    assert "staff" not in columns and "case_id" in columns
