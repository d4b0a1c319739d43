"""The unit register (issue 18): the reorganisation an analyst imported, kept with its provenance; one register at a
time, the latest import replacing the one before."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from analytics.dossiers.connection import StoreFile, rollback
from analytics.dossiers.tables import UNITS, bump, has_table
from analytics.model import issues as q
from analytics.model.unit_register import Succession, UnitRegister


class StoredUnits(StoreFile):
    def save_register(self, register: UnitRegister) -> bool:
        """Keep `register` as the store's register (all of it or nothing); True when it replaced another."""
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                replaced = bool(con.execute("SELECT count(*) FROM unit_registers").fetchone()[0])
                con.execute("DELETE FROM unit_successions")
                con.execute("DELETE FROM unit_registers")
                con.execute("INSERT INTO unit_registers VALUES (?, ?, ?, ?)",
                            [dt.datetime.now(), register.file, register.sha256,
                             json.dumps([i.as_dict() for i in register.issues], ensure_ascii=False, default=str)])
                if register.successions:
                    con.executemany("INSERT INTO unit_successions VALUES (?, ?, ?, ?, ?)",
                                    [(n, s.old, s.new, s.effective, s.row)
                                     for n, s in enumerate(register.successions)])
                bump(con, UNITS)
                con.execute("COMMIT")
            except Exception:
                rollback(con)
                raise
        return replaced

    def unit_register(self) -> UnitRegister | None:
        """The stored register, as it was read."""
        if not self.exists:
            return None
        with self._connect(read_only=True) as con:
            if not has_table(con, "unit_registers"):
                return None
            head = con.execute("SELECT file_name, sha256, issues FROM unit_registers").fetchone()
            if head is None:
                return None
            rows = con.execute('SELECT old, new, effective, "row" FROM unit_successions ORDER BY position').fetchall()
        successions = [Succession(old, new, None if effective is None or pd.isna(effective) else effective, row)
                       for old, new, effective, row in rows]
        return UnitRegister(head[0], head[1], successions, [q.Issue(**i) for i in json.loads(head[2] or "[]")])

    def remove_register(self) -> bool:
        with self._connect() as con:
            if not has_table(con, "unit_registers") or \
                    not con.execute("SELECT count(*) FROM unit_registers").fetchone()[0]:
                return False
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM unit_successions")
            con.execute("DELETE FROM unit_registers")
            bump(con, UNITS)
            con.execute("COMMIT")
        return True
