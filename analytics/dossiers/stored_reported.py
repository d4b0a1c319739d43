"""Reported tables (what a body filed), kept with their provenance, and the corrections a user made to how they are
read, remembered where they belong: row matches per table layout and grouping, row roles per table layout, column
readings per header layout (review 2026-12-07 §1.4: a correction never reaches another body's table or grouping).
"""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from analytics.dossiers.connection import StoreFile, StoreUnavailable, inconsistent, rollback, taken_key
from analytics.dossiers.tables import REPORTED_TABLES, ROW_MAPS, bump, column_or_default, has_table
from analytics.ingest.reported_table import read_reported_table
from analytics.model import issues as q
from analytics.model.reported import (
    COLUMN_CORRECTION,
    IS_TOTAL,
    NAME,
    NUMBER,
    ROLE_CORRECTION,
    ROW,
    ROW_CORRECTION,
    ROW_ROLES,
    ReportedTable,
    RowCorrections,
)


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
                values = table.rows.drop(columns=[c for c in (NAME, ROW, IS_TOTAL, NUMBER) if c in table.rows])
                long = [(reported_id, n, row[NAME], int(row[ROW]), bool(row[IS_TOTAL]), _text(row.get(NUMBER)),
                         column, None if pd.isna(row[column]) else float(row[column]))
                        for n, row in enumerate(table.rows.to_dict("records")) for column in values.columns]
                if long:
                    con.executemany('INSERT INTO reported_rows (reported_id, position, name, "row", is_total, '
                                    "number, column_name, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", long)
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
            number = column_or_default(con, "reported_rows", "number")
            long = con.execute(f'SELECT position, name, "row", is_total, {number}, column_name, value '
                               "FROM reported_rows WHERE reported_id = ? ORDER BY position", [reported_id]).df()
        file_name, sha256, sheet, header_row, mapping, kept, rate_columns, headline, issues = head
        rows = _reported_rows(long, json.loads(mapping), json.loads(kept))
        return ReportedTable(file_name, sha256, sheet, header_row, rows, json.loads(mapping), json.loads(kept),
                             json.loads(rate_columns), json.loads(headline),
                             [q.Issue(**i) for i in json.loads(issues)])

    def remember_corrections(self, layout: str, grouping: str, kind: str, corrections: dict[str, str]) -> None:
        """Keep the user's corrections of one kind (ROW_CORRECTION per grouping, ROLE_CORRECTION and
        COLUMN_CORRECTION with grouping "") for the tables of `layout`; a value "" forgets the subject."""
        if not corrections:
            return
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")  # all the corrections or none (a full disk midway)
            for subject, value in corrections.items():
                con.execute("DELETE FROM reported_corrections WHERE layout = ? AND grouping = ? AND kind = ? AND "
                            "subject = ?", [layout, grouping, kind, str(subject)])
                if value != "":
                    con.execute("INSERT INTO reported_corrections VALUES (?, ?, ?, ?, ?, ?)",
                                [layout, grouping, kind, str(subject), value, dt.datetime.now()])
            bump(con, ROW_MAPS)
            con.execute("COMMIT")

    def corrections(self, layout: str, grouping: str, kind: str) -> dict[str, str]:
        """The corrections of one kind remembered for the tables of `layout` (and `grouping`)."""
        if not self.exists:
            return {}
        with self._connect(read_only=True) as con:
            if not has_table(con, "reported_corrections"):
                return {}
            return dict(con.execute("SELECT subject, value FROM reported_corrections WHERE layout = ? AND "
                                    "grouping = ? AND kind = ? ORDER BY subject", [layout, grouping, kind]).fetchall())

    def read_reported(self, source, name: str | None = None, given: dict[str, str] | None = None) -> ReportedTable:
        """Read a reported table (path or bytes) with the column readings remembered for its header layout; those
        `given` (header text -> key, "" to keep a column as written) win and are remembered. Raises FileRejected as
        read_reported_table does."""
        given = given or {}
        try:
            table = read_reported_table(source, name, given or None)
        except q.FileRejected:
            table = self._read_as_remembered(source, name, given)   # a reading said before may make it readable
        remembered = {k: ("" if v == KEEP_COLUMN else v)
                      for k, v in self.corrections(table.header_layout, "", COLUMN_CORRECTION).items()}
        if given:
            self.remember_corrections(table.header_layout, "", COLUMN_CORRECTION,
                                      {k: v or KEEP_COLUMN for k, v in given.items()})
        used = {k: v for k, v in remembered.items() if k not in given}
        if not used:
            return table
        table = read_reported_table(source, name, {**used, **given})
        said = ", ".join(f'"{k}" = {v or "giữ nguyên"}' for k, v in used.items())
        table.issues.insert(0, q.Issue(q.REMEMBERED_COLUMNS, q.NOTICE, "Các cột được đọc theo cách đã chỉ trước đây cho "
                                       f"bảng cùng mẫu: {said}. Nếu cần đọc khác, hãy chỉ lại bằng ánh xạ cột.",
                                       file=table.file, sheet=table.sheet, row=table.header_row))
        return table

    def _read_as_remembered(self, source, name: str | None, given: dict[str, str]) -> ReportedTable:
        """A table that cannot be read as it is, read with the column readings remembered for one header layout
        whose reading gives a table of that very layout; else the first refusal again."""
        for layout, said in self._all_corrections(COLUMN_CORRECTION).items():
            readings = {k: ("" if v == KEEP_COLUMN else v) for k, v in said.items()}
            try:
                table = read_reported_table(source, name, {**readings, **given})
            except q.FileRejected:
                continue
            if table.header_layout == layout:
                return table
        return read_reported_table(source, name, given or None)

    def _all_corrections(self, kind: str) -> dict[str, dict[str, str]]:
        if not self.exists:
            return {}
        with self._connect(read_only=True) as con:
            if not has_table(con, "reported_corrections"):
                return {}
            found = con.execute("SELECT layout, subject, value FROM reported_corrections WHERE kind = ? ORDER BY "
                                "layout, subject", [kind]).fetchall()
        out: dict[str, dict[str, str]] = {}
        for layout, subject, value in found:
            out.setdefault(layout, {})[subject] = value
        return out

    def row_corrections(self, layout: str, by: str) -> RowCorrections:
        """What the user said of the rows of the tables of `layout` (ReportedTable.layout): their matches for
        grouping `by`, and their roles."""
        roles = {int(k): v for k, v in self.corrections(layout, "", ROLE_CORRECTION).items()
                 if k.isdigit() and v in ROW_ROLES}
        return RowCorrections(self.corrections(layout, by, ROW_CORRECTION), roles)

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


KEEP_COLUMN = "-"   # a column override that keeps the column as written ("" would forget it)


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _reported_rows(long: pd.DataFrame, mapping: dict[str, str], kept: list[str]) -> pd.DataFrame:
    """The long stored rows back to one row per reported row, columns in the order they were read."""
    if long.empty:
        return pd.DataFrame(columns=[NAME, ROW, IS_TOTAL, NUMBER])
    order = list(dict.fromkeys(long["column_name"]))
    wide = long.pivot(index="position", columns="column_name", values="value")[order]
    heads = long.drop_duplicates("position").set_index("position")[["name", "row", "is_total", "number"]]
    heads.columns = [NAME, ROW, IS_TOTAL, NUMBER]
    heads[NUMBER] = heads[NUMBER].astype(object).where(heads[NUMBER].notna(), None)
    return pd.concat([heads, wide], axis=1).reset_index(drop=True)
