"""The imports and what hangs on them: their records, issues and applicants' masked data, and the header and value
mappings remembered for files whose header reads the same. A thin repository: reading a file is importer.py's.

Each import is one file, recorded whole or not at all (one transaction). Records keep their provenance (import,
sheet, row; the import holds the file name and sha256). The dossiers are the records of the imports still present,
one per case id (`dossiers.merge_duplicates`), so removing an import takes its dossiers with it unless another
import also holds them.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
import json

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.dossiers.connection import StoreFile, StoreUnavailable, inconsistent, rollback, taken_key
from analytics.dossiers.dedup import chosen_sql, merge_duplicates
from analytics.dossiers.tables import IMPORTS, MAPPINGS, bump, column_or_default, has_table
from analytics.ingest import personal
from analytics.ingest.export_reader import FileReading, empty_records
from analytics.model import issues as q
from analytics.model import schema as s

_IMPORT_COLUMNS = ["import_id", "imported_at", "file_name", "sha256", "sheets", "rows_read", "rows_imported",
                   "rows_skipped", "mapping", "missing_fields"]


# The most DuckDB holds for the engine's work, beyond which it spills to the data folder: choosing 10M records took
# 6 GB unbounded (issue 20), 1.2 GB with this; the screens' queries stay under it (bench/bench_screens.py).
ENGINE_MEMORY = "1GB"


class StoredImports(StoreFile):
    def add_import(self, reading: FileReading, overrides: dict[str, str], value_overrides: dict,
                   replace: bool) -> tuple[int, bool]:
        """Store a file's reading (importer.py makes it) as one import, in one transaction, with the mappings it
        used: (its import id, whether it is new). The same file (sha256) again changes nothing and gives the id it
        has, unless `replace`: then that import is replaced by this reading."""
        try:
            with self._connect() as con:
                con.execute("BEGIN TRANSACTION")  # the "already imported" check inside: two imports cannot both pass
                known = con.execute("SELECT import_id FROM imports WHERE sha256 = ?", [reading.sha256]).fetchone()
                if known and not replace:
                    con.execute("ROLLBACK")
                    return known[0], False
                try:
                    if known:
                        _delete_import(con, known[0])
                    import_id = self._insert(con, reading, overrides)
                    remembered_now = _remember(con, reading, overrides, value_overrides)
                    bump(con, IMPORTS, *([MAPPINGS] if remembered_now else []))
                    con.execute("COMMIT")
                except Exception:
                    rollback(con)
                    raise
        except duckdb.Error as error:
            if taken_key(error):
                raise StoreUnavailable(inconsistent(self.path, f"lần nhập tệp {reading.name}")) from error
            raise
        return import_id, True

    def _insert(self, con, reading: FileReading, overrides: dict[str, str]) -> int:
        import_id = con.execute("SELECT nextval('import_ids')").fetchone()[0]
        mapping = {sheet.sheet: sheet.mapping for sheet in reading.sheets}
        con.execute(f"INSERT INTO imports ({', '.join(_IMPORT_COLUMNS)}) VALUES "
                    f"({', '.join('?' for _ in _IMPORT_COLUMNS)})",
                    [import_id, dt.datetime.now(), reading.name, reading.sha256,
                     json.dumps([sh.sheet for sh in reading.sheets], ensure_ascii=False), reading.rows_read,
                     len(reading.records), reading.rows_skipped, json.dumps(mapping, ensure_ascii=False),
                     json.dumps(reading.missing_fields)])
        con.register("incoming", pa.Table.from_pandas(reading.records, preserve_index=False))  # Arrow: 2× faster
        columns = ", ".join(s.RECORD_COLUMNS)
        con.execute(f"INSERT INTO records (import_id, {columns}) SELECT ?, {columns} FROM incoming", [import_id])
        con.unregister("incoming")   # the dossiers it touches are chosen again when next asked for
        if reading.issues:
            issues = q.issues_table(reading.issues).assign(import_id=import_id)
            con.register("incoming_issues", issues)
            con.execute('INSERT INTO issues SELECT import_id, code, level, file, sheet, "row", "column", value, '
                        "message FROM incoming_issues")
            con.unregister("incoming_issues")
        if reading.personal is not None and len(reading.personal):
            con.register("incoming_applicants", reading.personal)
            con.execute(f"INSERT INTO applicants SELECT ?, {', '.join(personal.COLUMNS)} FROM incoming_applicants",
                        [import_id])
            con.unregister("incoming_applicants")
        return import_id

    def applicant(self, case_id: str) -> dict[str, str]:
        """The masked applicant data kept for a dossier (its latest import), {} when none is kept."""
        if not self.exists:
            return {}
        with self._connect(read_only=True) as con:
            row = con.execute(f"SELECT {', '.join(personal.COLUMNS[1:])} FROM applicants WHERE case_id = ? "
                              "ORDER BY import_id DESC LIMIT 1", [case_id]).fetchone()
        return {k: v for k, v in zip(personal.COLUMNS[1:], row or ()) if v}

    def remove_import(self, import_id: int) -> bool:
        """Remove an import and its records (dossiers also held by another import stay). False if unknown."""
        with self._connect() as con:
            if not con.execute("SELECT 1 FROM imports WHERE import_id = ?", [import_id]).fetchone():
                return False
            con.execute("BEGIN TRANSACTION")
            _delete_import(con, import_id)
            bump(con, IMPORTS)
            con.execute("COMMIT")
        return True

    # --- Reading back ---------------------------------------------------------------------------------------

    def remembered_mappings(self) -> dict[str, dict[str, str]]:
        """Header signature -> the header mapping (header text -> field) remembered for it."""
        rows = self._mapping_rows("overrides")
        return {signature: mapping for signature, mapping in rows if mapping}

    def remembered_value_mappings(self) -> dict[str, dict[str, dict[str, int | str]]]:
        """Header signature -> the value mappings (field -> {wording: code}) remembered for it."""
        rows = self._mapping_rows("value_overrides")
        return {signature: mapping for signature, mapping in rows if mapping}

    def _mapping_rows(self, column: str) -> list[tuple[str, dict]]:
        if not self.exists:
            return []
        with self._connect(read_only=True) as con:
            rows = con.execute(f"SELECT signature, {column_or_default(con, 'mappings', column)} FROM mappings"
                               ).fetchall()
        return [(signature, json.loads(text) if text else {}) for signature, text in rows]

    def imports(self) -> pd.DataFrame:
        """One row per import; `missing_fields` is a list (of schema.CAVEAT_FIELDS) per import."""
        with self._connect(read_only=True) as con:
            missing = column_or_default(con, "imports", "missing_fields")
            frame = con.execute("SELECT import_id, imported_at, file_name, sha256, sheets, rows_read, rows_imported, "
                                f"rows_skipped, {missing} FROM imports ORDER BY import_id").df()
        frame["missing_fields"] = [json.loads(text) if isinstance(text, str) and text else []
                                   for text in frame["missing_fields"]]
        return frame

    def missing_fields(self) -> dict[str, dict[int, str]]:
        """Field (of schema.CAVEAT_FIELDS) -> {import id -> file name} of the stored imports that lack its column.
        Imports made before this was recorded lack nothing here."""
        if not self.exists:
            return {}
        out: dict[str, dict[int, str]] = {}
        for row in self.imports().itertuples():
            for name in row.missing_fields:
                out.setdefault(name, {})[int(row.import_id)] = row.file_name
        return {f: out[f] for f in s.CAVEAT_FIELDS if f in out}

    def issues(self, import_id: int | None = None) -> pd.DataFrame:
        where = "WHERE import_id = ?" if import_id is not None else ""
        with self._connect(read_only=True) as con:
            return con.execute(f'SELECT import_id, {", ".join(chr(34) + c + chr(34) for c in q.COLUMNS)} '
                               f'FROM issues {where} ORDER BY import_id, "row"',
                               [import_id] if import_id is not None else []).df()

    def records(self) -> pd.DataFrame:
        """Every stored record with its import id, in import order and, within an import, in reading order
        (sheets in workbook order, rows down the sheet): the order ties are broken in (dedup)."""
        with self._connect(read_only=True) as con:
            columns = ", ".join(column_or_default(con, "records", c) for c in s.RECORD_COLUMNS)
            frame = con.execute(f"SELECT import_id, {columns} FROM records "
                                "ORDER BY import_id, rowid").df()
        if frame.empty:
            return empty_records(with_import_id=True)
        return s.typed_records(frame)

    @contextmanager
    def engine_connection(self):
        """A read-only connection on which `dossiers` is one row per case id (analyses/engine.py reads it): the
        store's `dossiers` table, brought up to date the first time it is asked for after the records changed.
        After imports only the case ids they hold are chosen again (dedup.chosen_sql over their records), so the
        cost follows the imports, not the store; after a removal (or on a store made before the table) it is chosen
        whole once (10M records: 36 s). Imports pay nothing for it; a removed record never stays in it."""
        if not self.exists:
            with self._connect(read_only=True) as con:   # an empty store in memory
                con.execute(f"CREATE OR REPLACE TEMP VIEW dossiers AS {chosen_sql()}")
                yield con
            return
        with self._connect(read_only=True) as con:
            added = _imports_to_choose(con)
        if added != []:
            with self._connect() as con:   # DuckDB spills to the data folder beyond ENGINE_MEMORY
                con.execute(f"SET memory_limit = '{ENGINE_MEMORY}'")
                _choose(con, _imports_to_choose(con))
        with self._connect(read_only=True) as con:
            con.execute(f"SET memory_limit = '{ENGINE_MEMORY}'")
            if not has_table(con, "dossiers"):   # another program changed the records in between
                con.execute(f"CREATE OR REPLACE TEMP VIEW dossiers AS {chosen_sql()}")
            yield con

    def merged_away(self) -> int:
        """How many records were merged away as copies of a case id (records − dossiers), counted by the engine."""
        with self.engine_connection() as con:
            return int(con.execute("SELECT (SELECT COUNT(*) FROM records) - (SELECT COUNT(*) FROM dossiers)"
                                   ).fetchone()[0])

    def dossiers(self) -> tuple[pd.DataFrame, int]:
        """(one row per dossier, number of records merged away)."""
        return merge_duplicates(self.records())


def _remember(con, reading: FileReading, overrides: dict[str, str], value_overrides: dict) -> bool:
    """Remember the mappings an import used for files whose header reads the same: the header mapping given, and
    the value mappings given added to those remembered before (the new ones win). Whether anything was written."""
    if not overrides and not value_overrides:
        return False
    now = dt.datetime.now()
    for sheet in reading.sheets:
        known = con.execute("SELECT overrides, value_overrides FROM mappings WHERE signature = ?",
                            [sheet.signature]).fetchone()
        header_mapping = overrides or (json.loads(known[0]) if known and known[0] else {})
        values = json.loads(known[1]) if known and known[1] else {}
        for field_name, mapping in value_overrides.items():
            values[field_name] = {**values.get(field_name, {}), **{str(k): v for k, v in mapping.items()}}
        con.execute("INSERT OR REPLACE INTO mappings (signature, overrides, value_overrides, updated_at) "
                    "VALUES (?, ?, ?, ?)", [sheet.signature, json.dumps(header_mapping, ensure_ascii=False),
                                            json.dumps(values, ensure_ascii=False) if values else None, now])
    return bool(reading.sheets)


def _delete_import(con, import_id: int) -> None:
    for table in ("records", "issues", "applicants", "imports"):
        con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])
    con.execute("DROP TABLE IF EXISTS dossiers")   # no copy of a removed record stays: chosen whole again
    con.execute(f"DROP TABLE IF EXISTS {CHOSEN_IMPORTS}")


CHOSEN_IMPORTS = "dossiers_imports"   # the imports the `dossiers` table was chosen from


def _imports_to_choose(con) -> list[int] | None:
    """The imports whose case ids the `dossiers` table has not yet been chosen from ([] when it is up to date);
    None when it must be chosen whole (no table, or one made before CHOSEN_IMPORTS was kept)."""
    if not has_table(con, "dossiers") or not has_table(con, CHOSEN_IMPORTS):
        return None
    return [row[0] for row in con.execute(f"SELECT import_id FROM imports WHERE import_id NOT IN "
                                          f"(SELECT import_id FROM {CHOSEN_IMPORTS}) ORDER BY import_id").fetchall()]


def _choose(con, added: list[int] | None) -> None:
    """Bring the `dossiers` table up to date in one transaction: whole (`added` None), or the case ids of the
    imports `added` chosen again among all their records."""
    if added == []:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        if added is None:
            con.execute("DROP TABLE IF EXISTS dossiers")
            con.execute(f"CREATE TABLE dossiers AS {chosen_sql()}")
            con.execute(f"CREATE OR REPLACE TABLE {CHOSEN_IMPORTS} AS SELECT import_id FROM imports")
        else:
            ids = ", ".join(str(int(i)) for i in added)
            con.execute(f"CREATE TEMP TABLE touched AS SELECT DISTINCT {s.CASE_ID} FROM records "
                        f"WHERE import_id IN ({ids})")
            con.execute(f"DELETE FROM dossiers WHERE {s.CASE_ID} IN (SELECT {s.CASE_ID} FROM touched)")
            con.execute(f"INSERT INTO dossiers BY NAME "
                        f"{chosen_sql(where=f'{s.CASE_ID} IN (SELECT {s.CASE_ID} FROM touched)')}")
            con.execute(f"INSERT INTO {CHOSEN_IMPORTS} SELECT UNNEST([{ids}])")
            con.execute("DROP TABLE touched")
        con.execute("COMMIT")
    except Exception:
        rollback(con)
        raise
