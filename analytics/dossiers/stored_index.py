"""The national service index's official scores (QĐ 766), one file per month, the latest import of a month
replacing the one before, with its provenance."""
from __future__ import annotations

import datetime as dt
import json

from analytics.dossiers.connection import StoreFile, rollback
from analytics.dossiers.tables import INDEX, bump, has_table
from analytics.model import issues as q
from analytics.model.national_index import GROUPS, IndexFile, Score, month_inside

_GROUP_COLUMNS = [g.key for g in GROUPS]


class StoredIndex(StoreFile):
    def save_index(self, scores: IndexFile) -> bool:
        """Keep a month's scores (all or nothing); True when they replaced the same month's."""
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                month = [scores.year, scores.month]
                replaced = bool(con.execute("SELECT count(*) FROM index_files WHERE year = ? AND month = ?",
                                            month).fetchone()[0])
                con.execute("DELETE FROM index_scores WHERE year = ? AND month = ?", month)
                con.execute("DELETE FROM index_files WHERE year = ? AND month = ?", month)
                con.execute("INSERT INTO index_files VALUES (?, ?, ?, ?, ?, ?)",
                            [*month, scores.file_name, scores.sha256, dt.datetime.now(),
                             json.dumps([i.as_dict() for i in scores.issues], ensure_ascii=False, default=str)])
                con.executemany(
                    f"INSERT INTO index_scores VALUES ({', '.join('?' * (10 + len(_GROUP_COLUMNS)))})",
                    [(*month, n, s.name, s.code, s.kind, s.sheet, s.scope, *(s.groups[g] for g in _GROUP_COLUMNS),
                      s.total, s.row) for n, s in enumerate(scores.scores)])
                bump(con, INDEX)
                con.execute("COMMIT")
            except Exception:
                rollback(con)
                raise
        return replaced

    def index_months(self) -> list[tuple[int, int, str]]:
        """(year, month, file name) of each stored month, the latest first."""
        if not self.exists:
            return []
        with self._connect(read_only=True) as con:
            if not has_table(con, "index_files"):
                return []
            return [tuple(r) for r in con.execute("SELECT year, month, file_name FROM index_files "
                                                  "ORDER BY year DESC, month DESC").fetchall()]

    def index_scores(self, year: int, month: int) -> IndexFile | None:
        if not self.exists:
            return None
        with self._connect(read_only=True) as con:
            if not has_table(con, "index_files"):
                return None
            head = con.execute("SELECT file_name, sha256, issues FROM index_files WHERE year = ? AND month = ?",
                               [year, month]).fetchone()
            if head is None:
                return None
            rows = con.execute(f"SELECT name, code, kind, sheet, scope, {', '.join(_GROUP_COLUMNS)}, total, \"row\" "
                               "FROM index_scores WHERE year = ? AND month = ? ORDER BY position",
                               [year, month]).fetchall()
        scores = [Score(r[0], r[1], r[2], r[3], r[4], dict(zip(_GROUP_COLUMNS, r[5:5 + len(_GROUP_COLUMNS)])),
                        r[-2], r[-1]) for r in rows]
        return IndexFile(head[0], head[1], year, month, scores, [q.Issue(**i) for i in json.loads(head[2] or "[]")])

    def index_inside(self, start, end) -> IndexFile | None:
        """The scores of the latest stored month lying wholly inside [start, end], if any."""
        month = month_inside([(y, m) for y, m, _ in self.index_months()], start, end)
        return self.index_scores(*month) if month else None

    def remove_index(self, year: int, month: int) -> bool:
        with self._connect() as con:
            if not has_table(con, "index_files") or not con.execute(
                    "SELECT count(*) FROM index_files WHERE year = ? AND month = ?", [year, month]).fetchone()[0]:
                return False
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM index_scores WHERE year = ? AND month = ?", [year, month])
            con.execute("DELETE FROM index_files WHERE year = ? AND month = ?", [year, month])
            bump(con, INDEX)
            con.execute("COMMIT")
        return True
