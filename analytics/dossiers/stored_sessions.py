"""Supervision sessions, kept by name."""
from __future__ import annotations

import datetime as dt
import json

from analytics.dossiers.connection import StoreFile
from analytics.dossiers.tables import SESSIONS, bump, has_table
from analytics.model.session import SupervisionSession


class StoredSessions(StoreFile):
    def save_session(self, session: SupervisionSession) -> None:
        """Add a session, or replace the one of the same name."""
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)",
                        [session.name, json.dumps(session.as_dict(), ensure_ascii=False), dt.datetime.now()])
            bump(con, SESSIONS)
            con.execute("COMMIT")

    def sessions(self) -> list[SupervisionSession]:
        if not self.exists:
            return []
        with self._connect(read_only=True) as con:
            if not has_table(con, "sessions"):
                return []
            rows = con.execute("SELECT spec FROM sessions ORDER BY name").fetchall()
        return [SupervisionSession.from_dict(json.loads(spec)) for (spec,) in rows]

    def session(self, name: str) -> SupervisionSession | None:
        return next((s for s in self.sessions() if s.name == name), None)

    def remove_session(self, name: str) -> bool:
        if self.session(name) is None:
            return False
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM sessions WHERE name = ?", [name])
            bump(con, SESSIONS)
            con.execute("COMMIT")
        return True
