"""Reported tables (what a body filed), kept with their provenance, and the row maps a user corrected (a reported
row's name -> its name in the data) for the next reported tables.
"""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from analytics.dossiers.connection import StoreFile, StoreUnavailable, inconsistent, rollback, taken_key
from analytics.dossiers.tables import REPORTED_TABLES, ROW_MAPS, bump, has_table
from analytics.model import issues as q
from analytics.model.reported import IS_TOTAL, NAME, ROW, ReportedTable


class StoredReported(StoreFile):
    def save_reported(self, table: ReportedTable) -> tuple[int, bool]:
        """(the stored table's id, whether it is new): the same file (sha256) again changes nothing."""
        with self._connect() as con:
            known = con.execute("SELECT reported_id FROM reported_tables WHERE sha256 = ?", [table.sha256]).fetchone()
            if known:
                return known[0], False
            con.execute("BEGIN TRANSACTION")
            try:
                reported_id = con.execute("SELECT nextval('reported_ids')").fetchone()[0]
                con.execute("INSERT INTO reported_tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [reported_id, dt.datetime.now(), table.file, table.sha256, table.sheet, table.header_row,
                             _json(table.mapping), _json(table.kept), _json(table.rate_columns),
                             _json(table.headline), _json([i.as_dict() for i in table.issues])])
                values = table.rows.drop(columns=[NAME, ROW, IS_TOTAL])
                long = [(reported_id, n, row[NAME], int(row[ROW]), bool(row[IS_TOTAL]), column,
                         None if pd.isna(row[column]) else float(row[column]))
                        for n, row in enumerate(table.rows.to_dict("records")) for column in values.columns]
                if long:
                    con.executemany("INSERT INTO reported_rows VALUES (?, ?, ?, ?, ?, ?, ?)", long)
                bump(con, REPORTED_TABLES)
                con.execute("COMMIT")
            except Exception as error:
                rollback(con)
                if isinstance(error, duckdb.Error) and taken_key(error):
                    raise StoreUnavailable(inconsistent(self.path, f"bảng báo cáo {table.file}")) from error
                raise
        return reported_id, True

    def reported_tables(self) -> pd.DataFrame:
        """One row per stored reported table: reported_id, imported_at, file_name, sha256, sheet."""
        if not self.exists:
            return pd.DataFrame(columns=["reported_id", "imported_at", "file_name", "sha256", "sheet"])
        with self._connect(read_only=True) as con:
            if not has_table(con, "reported_tables"):
                return pd.DataFrame(columns=["reported_id", "imported_at", "file_name", "sha256", "sheet"])
            return con.execute("SELECT reported_id, imported_at, file_name, sha256, sheet FROM reported_tables "
                               "ORDER BY reported_id").df()

    def reported(self, reported_id: int) -> ReportedTable | None:
        """A stored reported table, as it was read."""
        if not self.exists:
            return None
        with self._connect(read_only=True) as con:
            if not has_table(con, "reported_tables"):
                return None
            head = con.execute("SELECT file_name, sha256, sheet, header_row, mapping, kept, rate_columns, headline, "
                               "issues FROM reported_tables WHERE reported_id = ?", [reported_id]).fetchone()
            if head is None:
                return None
            long = con.execute('SELECT position, name, "row", is_total, column_name, value FROM reported_rows '
                               "WHERE reported_id = ? ORDER BY position", [reported_id]).df()
        file_name, sha256, sheet, header_row, mapping, kept, rate_columns, headline, issues = head
        rows = _reported_rows(long, json.loads(mapping), json.loads(kept))
        return ReportedTable(file_name, sha256, sheet, header_row, rows, json.loads(mapping), json.loads(kept),
                             json.loads(rate_columns), json.loads(headline),
                             [q.Issue(**i) for i in json.loads(issues)])

    def remember_row_map(self, row_map: dict[str, str]) -> None:
        """Keep the user's corrections (reported row name -> name in the data) for the next reported tables."""
        if not row_map:
            return
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")  # all the corrections or none (a full disk midway)
            for reported_name, data_name in row_map.items():
                con.execute("INSERT OR REPLACE INTO row_maps VALUES (?, ?, ?)",
                            [reported_name, data_name, dt.datetime.now()])
            bump(con, ROW_MAPS)
            con.execute("COMMIT")

    def remembered_row_map(self) -> dict[str, str]:
        if not self.exists:
            return {}
        with self._connect(read_only=True) as con:
            if not has_table(con, "row_maps"):
                return {}
            return dict(con.execute("SELECT reported_name, data_name FROM row_maps").fetchall())

    def reported_by_sha256(self, sha256: str) -> ReportedTable | None:
        """The stored reported table read from the file with this fingerprint (a session names it so)."""
        found = self.reported_tables()
        match = found[found["sha256"] == sha256]
        return self.reported(int(match["reported_id"].iloc[0])) if len(match) else None

    def remove_reported(self, reported_id: int) -> bool:
        with self._connect() as con:
            if not con.execute("SELECT 1 FROM reported_tables WHERE reported_id = ?", [reported_id]).fetchone():
                return False
            con.execute("BEGIN TRANSACTION")
            for name in ("reported_rows", "reported_tables"):
                con.execute(f"DELETE FROM {name} WHERE reported_id = ?", [reported_id])
            bump(con, REPORTED_TABLES)
            con.execute("COMMIT")
        return True


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _reported_rows(long: pd.DataFrame, mapping: dict[str, str], kept: list[str]) -> pd.DataFrame:
    """The long stored rows back to one row per reported row, columns in the order they were read."""
    if long.empty:
        return pd.DataFrame(columns=[NAME, ROW, IS_TOTAL])
    order = list(dict.fromkeys(long["column_name"]))
    wide = long.pivot(index="position", columns="column_name", values="value")[order]
    heads = long.drop_duplicates("position").set_index("position")[["name", "row", "is_total"]]
    heads.columns = [NAME, ROW, IS_TOTAL]
    return pd.concat([heads, wide], axis=1).reset_index(drop=True)
