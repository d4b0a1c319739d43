"""Biểu 06 counted where the data are (issue 20): the relational expressions (analyses/relational.py) run by DuckDB
give every figure the pandas path gives, on the sample, on the store (one record per case id chosen in SQL, original
due dates recovered from earlier snapshots) and on random dossiers checked against a reference of DOMAIN.md rules
1–5 written row by row in tests/test_properties.py (apart from both implementations)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.analyses import engine, relational
from analytics.analyses.bieu06 import GROUPINGS, OFFICIAL, official_table
from analytics.dossiers.sources import read_files
from analytics.dossiers.store import Store
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.rates import RATES
from tests.conftest import make_dossiers
from tests.test_properties import COUNTED, SETTINGS, dossier_rows, oracle_cell, periods
from tests.workbooks import write_rows

ROOT = Path(__file__).resolve().parent.parent
REVIEW = Period(dt.date(2018, 1, 1), dt.date(2019, 3, 31))
Q1_2019 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def assert_same(expected, found) -> None:
    assert found.total == expected.total
    pd.testing.assert_frame_equal(expected.groups.reset_index(drop=True), found.groups.reset_index(drop=True),
                                  check_dtype=False)


@pytest.fixture(scope="module")
def sample():
    dossiers = read_files([ROOT / "sample_data" / "exports"]).dossiers
    con = duckdb.connect()
    con.register(engine.DOSSIERS, dossiers)
    yield dossiers, con
    con.close()


@pytest.mark.parametrize("by", [None, *sorted(GROUPINGS), OFFICIAL])
@pytest.mark.parametrize("fold", [False, True])
@pytest.mark.parametrize("rate", sorted(RATES))
def test_the_engine_gives_the_sample_review_as_pandas_does(sample, by, fold, rate):
    dossiers, con = sample
    for period in (REVIEW, Q1_2019):
        assert_same(official_table(dossiers, period, by, fold, rate), engine.engine_table(con, period, by, fold, rate))


def test_the_store_keeps_one_record_per_case_id_in_sql_as_in_pandas(tmp_path):
    """Two snapshots of the same dossiers: the later file moves A2's due date from 10/01 to 20/01 without keeping the
    original (recovered: 10/01, so it is late on 15/01), finishes A1, and repeats A3 unchanged (the later file wins)."""
    header = ["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    first = write_rows(tmp_path / "t1.xlsx", [header,
                                              ["A1", "Phòng Tư pháp", "02/01/2019", "09/01/2019", None, "Đang xử lý"],
                                              ["A2", "Phòng Tư pháp", "03/01/2019", "10/01/2019", None, "Đang xử lý"],
                                              ["A3", "Phòng Tư pháp", "04/01/2019", "11/01/2019", None, "Đang xử lý"]])
    later = write_rows(tmp_path / "t2.xlsx", [header,
                                              ["A1", "Phòng Tư pháp", "02/01/2019", "09/01/2019", "08/01/2019",
                                               "Đã trả kết quả"],
                                              ["A2", "Phòng Tư pháp", "03/01/2019", "20/01/2019", "15/01/2019",
                                               "Đã trả kết quả"],
                                              ["A3", "Phòng Tư pháp", "04/01/2019", "11/01/2019", None, "Đang xử lý"]])
    store = Store(tmp_path / "data")
    store.import_file(first)
    store.import_file(later)
    expected, _ = store.dossiers()
    with store.engine_connection() as con:
        found = con.execute(f"SELECT * FROM {engine.DOSSIERS}").df()
        table = engine.engine_table(con, Q1_2019, "unit")
    columns = [s.CASE_ID, s.DUE_DATE, s.ORIGINAL_DUE_DATE, s.COMPLETED_DATE, s.STATUS_CODE, s.IMPORT_ID,
               s.ORIGINAL_DUE_RECOVERED]
    by_case = found.set_index(s.CASE_ID).sort_index()
    assert by_case.loc["A2", s.ORIGINAL_DUE_DATE] == pd.Timestamp(2019, 1, 10) and by_case.loc["A2",
                                                                                             s.ORIGINAL_DUE_RECOVERED]
    assert by_case[s.IMPORT_ID].tolist() == [2, 2, 2]
    found = found.astype({c: "datetime64[s]" for c in s.DATE_FIELDS})   # DuckDB gives microseconds
    pd.testing.assert_frame_equal(expected[columns].sort_values(s.CASE_ID).reset_index(drop=True),
                                  found[columns].sort_values(s.CASE_ID).reset_index(drop=True), check_dtype=False)
    assert_same(official_table(expected, Q1_2019, "unit"), table)
    assert (table.total["resolved_early"], table.total["resolved_late"], table.total["pending_overdue"]) == (1, 1, 1)
    # Removing the later file chooses the first snapshots again; a store made before the table reads a view.
    store.remove_import(2)
    with store.engine_connection() as con:
        assert engine.engine_table(con, Q1_2019).total == official_table(store.dossiers()[0], Q1_2019).total
        assert con.execute(f"SELECT count(*) FROM {engine.DOSSIERS}").fetchone()[0] == 3
    with store.connection() as con:
        con.execute("DROP TABLE dossiers")
    with duckdb.connect(str(store.path), read_only=True) as con:
        assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'dossiers'"
                               ).fetchone()[0]
    with store.engine_connection() as con:
        assert engine.engine_table(con, Q1_2019).total["pending_total"] == 3


def _engine_cells(rows: list[dict], period: Period, fold: bool) -> list[str]:
    dossiers = make_dossiers(rows).assign(position=range(len(rows)))
    with duckdb.connect() as con:
        con.register("random_dossiers", dossiers)
        query = relational.cells_sql("random_dossiers", period, fold)
        placed = con.execute(f"SELECT position, {relational.CELL} FROM ({query}) AS p ORDER BY position").df()
    return placed[relational.CELL].tolist()


@settings(max_examples=200, **SETTINGS)
@given(rows=st.lists(dossier_rows(), min_size=1, max_size=30), period=periods(), fold=st.booleans())
def test_each_dossiers_cell_in_the_engine_is_the_one_domain_rules_give(rows, period, fold):
    for row, cell in zip(rows, _engine_cells(rows, period, fold)):
        assert (cell if cell in COUNTED else None) == oracle_cell(row, period, fold), (row, period, fold, cell)


@settings(max_examples=80, **SETTINGS)
@given(rows=st.lists(dossier_rows(), max_size=30), period=periods(), fold=st.booleans(),
       by=st.sampled_from([None, *sorted(GROUPINGS), OFFICIAL]))
def test_the_engines_table_is_pandas_table_for_any_dossiers(rows, period, fold, by):
    dossiers = make_dossiers(rows)
    with duckdb.connect() as con:
        con.register(engine.DOSSIERS, dossiers)
        assert_same(official_table(dossiers, period, by, fold), engine.engine_table(con, period, by, fold))


def test_the_store_as_parquet_gives_the_same_official_table(tmp_path, capsys):
    """`parquet` then `rollup` (DuckDB over the files) print what `report` prints from the store."""
    import json

    from analytics.cli import main
    data, folder = tmp_path / "data", tmp_path / "parquet"

    def run(*args) -> str:
        capsys.readouterr()
        assert main(["--data-dir", str(data), *map(str, args)]) == 0
        return capsys.readouterr().out
    run("import", ROOT / "sample_data" / "exports")
    run("parquet", folder)
    assert sorted(p.name for p in folder.iterdir()) == ["received_year=2017", "received_year=2018",
                                                        "received_year=2019"]
    written = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
                         ).fetchall()
    assert {row[0] for row in written} == {s.IMPORT_ID, *s.RECORD_COLUMNS, s.ORIGINAL_DUE_RECOVERED, "received_year"}
    period = ["--from", "2018-01-01", "--to", "2019-03-31", "--by", "unit", "--format", "json"]
    rolled, reported = json.loads(run("rollup", folder, *period)), json.loads(run("report", *period))
    assert rolled["total"] == reported["total"] and rolled["engine"] == "duckdb"
    assert [{k: g[k] for k in reported["groups"][0]} for g in rolled["groups"]] == reported["groups"]
    assert "CAST('2018-01-01' AS DATE)" in run("rollup", folder, "--from", "2018-01-01", "--to", "2019-03-31",
                                               "--sql", "trino")
