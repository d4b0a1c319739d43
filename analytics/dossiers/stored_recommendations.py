"""Recommendations and their follow-up (issue 18), kept in the store like every other change."""
from __future__ import annotations

import datetime as dt

from analytics.dossiers.connection import StoreFile
from analytics.dossiers.tables import RECOMMENDATIONS, bump, has_table
from analytics.model.recommendations import STATUSES, Recommendation

_COLUMNS = "rec_id, session, body, text, asked_on, complex_matter, deadline, status, answer, answered_on"


class StoredRecommendations(StoreFile):
    def add_recommendation(self, rec: Recommendation) -> int:
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            rec_id = con.execute("SELECT nextval('recommendation_ids')").fetchone()[0]
            con.execute(f"INSERT INTO recommendations ({_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [rec_id, rec.session, rec.body, rec.text, rec.asked_on, rec.complex_matter, rec.deadline,
                         rec.status, rec.answer, rec.answered_on, dt.datetime.now()])
            bump(con, RECOMMENDATIONS)
            con.execute("COMMIT")
        return rec_id

    def update_recommendation(self, rec_id: int, status: str, answer: str = "",
                              answered_on: dt.date | None = None) -> bool:
        """The body's answer: status (STATUSES), its words and date. False when there is no such recommendation."""
        if status not in STATUSES:
            raise ValueError(status)
        with self._connect() as con:
            if not con.execute("SELECT 1 FROM recommendations WHERE rec_id = ?", [rec_id]).fetchone():
                return False
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE recommendations SET status = ?, answer = ?, answered_on = ?, updated_at = ? "
                        "WHERE rec_id = ?", [status, answer, answered_on, dt.datetime.now(), rec_id])
            bump(con, RECOMMENDATIONS)
            con.execute("COMMIT")
        return True

    def remove_recommendation(self, rec_id: int) -> bool:
        with self._connect() as con:
            if not con.execute("SELECT 1 FROM recommendations WHERE rec_id = ?", [rec_id]).fetchone():
                return False
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM recommendations WHERE rec_id = ?", [rec_id])
            bump(con, RECOMMENDATIONS)
            con.execute("COMMIT")
        return True

    def recommendations(self, session: str | None = None) -> list[Recommendation]:
        """Every recommendation (of one session), in the order they were made."""
        if not self.exists:
            return []
        with self._connect(read_only=True) as con:
            if not has_table(con, "recommendations"):
                return []
            where, params = ("WHERE session = ?", [session]) if session is not None else ("", [])
            rows = con.execute(f"SELECT {_COLUMNS} FROM recommendations {where} ORDER BY rec_id", params).fetchall()
        return [Recommendation(session=r[1], body=r[2], text=r[3], asked_on=r[4], complex_matter=bool(r[5]),
                               deadline=r[6], status=r[7], answer=r[8] or "", answered_on=r[9], rec_id=r[0])
                for r in rows]
