"""The audit trail: who did what and when (sign-ins and their failures, imports, removals, mappings, sessions,
exports, user changes), appended to the store and never changed.

Nothing in the project updates or deletes an entry. Each entry also carries a chain value, the SHA-256 of the
previous entry's chain and its own content, so `verify` finds an entry edited or removed by hand in the file (except
the removal of the latest entries, which leaves a shorter but consistent chain).
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics.dossiers.store import Store

SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign_in", "sign_in_failed", "sign_out"
IMPORT, IMPORT_REMOVED, MAPPING = "import", "import_removed", "mapping"
CATALOG, REPORTED_IMPORT, REPORTED_REMOVED, ROW_MAP = "catalog", "reported_import", "reported_removed", "row_map"
SESSION_SAVED, SESSION_REMOVED, EXPORT = "session_saved", "session_removed", "export"
USER_ADDED, USER_REMOVED, PASSWORD_CHANGED, ROLE_CHANGED, USER_UNLOCKED = (
    "user_added", "user_removed", "password_changed", "role_changed", "user_unlocked")
ACTION_LABELS = {
    SIGN_IN: "Đăng nhập", SIGN_IN_FAILED: "Đăng nhập không thành công", SIGN_OUT: "Đăng xuất",
    IMPORT: "Nhập tệp", IMPORT_REMOVED: "Xoá lần nhập", MAPPING: "Sửa cách đọc cột/giá trị",
    CATALOG: "Tải danh mục TTHC", REPORTED_IMPORT: "Nhập bảng số liệu báo cáo",
    REPORTED_REMOVED: "Xoá bảng số liệu báo cáo", ROW_MAP: "Sửa ghép dòng đối chiếu",
    SESSION_SAVED: "Lưu đợt giám sát", SESSION_REMOVED: "Xoá đợt giám sát", EXPORT: "Xuất tài liệu",
    USER_ADDED: "Thêm tài khoản", USER_REMOVED: "Xoá tài khoản", PASSWORD_CHANGED: "Đổi mật khẩu",
    ROLE_CHANGED: "Đổi vai trò", USER_UNLOCKED: "Mở khoá tài khoản",
}
OK, REFUSED, FAILED = "ok", "refused", "failed"
OUTCOME_LABELS = {OK: "Thành công", REFUSED: "Bị từ chối", FAILED: "Lỗi"}
COLUMNS = ["entry_id", "happened_at", "actor", "action", "target", "detail", "outcome"]
COLUMN_LABELS = {"entry_id": "Số", "happened_at": "Thời điểm", "actor": "Người thực hiện", "action": "Việc",
                 "target": "Đối tượng", "detail": "Chi tiết", "outcome": "Kết quả"}
_GENESIS = "0" * 64


def command_line_actor() -> str:
    """Who runs a command: the computer account, since the command line has no sign-in (whoever may open the
    store's file may use it)."""
    try:
        return f"dòng lệnh: {getpass.getuser()}"
    except (KeyError, OSError):
        return "dòng lệnh"


@dataclass(frozen=True)
class Verification:
    entries: int
    first_broken: int | None    # the entry id where the chain first fails, None if it holds

    @property
    def holds(self) -> bool:
        return self.first_broken is None


class AuditTrail:
    def __init__(self, store: Store, clock: Callable[[], dt.datetime] = dt.datetime.now):
        self.store, self.clock = store, clock

    def record(self, actor: str, action: str, target: str = "", detail: dict | None = None,
               outcome: str = OK) -> None:
        """Append one entry. `detail` holds facts only (counts, file names, ids), never a password or an applicant's
        data."""
        detail_text = json.dumps(detail or {}, ensure_ascii=False, default=str)
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            last = con.execute("SELECT chain FROM audit_log ORDER BY entry_id DESC LIMIT 1").fetchone()
            entry_id = con.execute("SELECT nextval('audit_ids')").fetchone()[0]
            at = self.clock().replace(microsecond=0)
            chain = _chain(last[0] if last else _GENESIS, entry_id, at, actor, action, target, detail_text, outcome)
            con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [entry_id, at, actor, action, target, detail_text, outcome, chain])
            con.execute("COMMIT")

    def entries(self, limit: int | None = None, actor: str | None = None, action: str | None = None,
                since: dt.datetime | None = None) -> pd.DataFrame:
        """The latest entries first."""
        if not self.store.exists:
            return pd.DataFrame(columns=COLUMNS)
        where, params = [], []
        for clause, value in (("actor = ?", actor), ("action = ?", action), ("happened_at >= ?", since)):
            if value is not None:
                where.append(clause)
                params.append(value)
        sql = (f"SELECT {', '.join(COLUMNS)} FROM audit_log {'WHERE ' + ' AND '.join(where) if where else ''} "
               "ORDER BY entry_id DESC" + (" LIMIT ?" if limit else ""))
        with self.store.connection(read_only=True) as con:
            return con.execute(sql, params + ([limit] if limit else [])).df()

    def verify(self) -> Verification:
        if not self.store.exists:
            return Verification(0, None)
        with self.store.connection(read_only=True) as con:
            rows = con.execute("SELECT entry_id, happened_at, actor, action, target, detail, outcome, chain "
                               "FROM audit_log ORDER BY entry_id").fetchall()
        previous = _GENESIS
        for entry_id, at, actor, action, target, detail, outcome, chain in rows:
            if chain != _chain(previous, entry_id, at, actor, action, target, detail, outcome):
                return Verification(len(rows), entry_id)
            previous = chain
        return Verification(len(rows), None)


def import_detail(result, mapped_by_hand: int = 0) -> dict:
    """What the trail keeps of an import (dossiers.store.ImportResult): counts and ids, no cell of the file."""
    return {"import_id": result.import_id, "status": result.status, "rows_imported": result.rows_imported,
            "rows_skipped": result.rows_skipped, "mapped_by_hand": mapped_by_hand}


def outcome_of(result) -> str:
    return REFUSED if result.status == "rejected" else OK


DETAIL_LABELS = {"import_id": "lần nhập số", "status": "kết quả", "rows_imported": "dòng nhập",
                 "rows_skipped": "dòng bỏ qua", "mapped_by_hand": "chỉnh tay", "role": "vai trò", "what": "loại",
                 "bytes": "byte", "replaced": "thay đợt cũ", "reason": "lý do", "locked": "bị khoá",
                 "reported_id": "biểu số", "rows": "dòng", "file": "tệp", "procedures": "thủ tục", "error": "lỗi"}


def readable(entries: pd.DataFrame) -> pd.DataFrame:
    """Entries with Vietnamese labels for actions, outcomes, details and columns."""
    return entries.assign(action=entries["action"].map(ACTION_LABELS).fillna(entries["action"]),
                          outcome=entries["outcome"].map(OUTCOME_LABELS).fillna(entries["outcome"]),
                          detail=entries["detail"].map(_detail_text)).rename(columns=COLUMN_LABELS)


def _detail_text(detail: str) -> str:
    try:
        facts = json.loads(detail or "{}")
    except ValueError:
        return detail
    return "; ".join(f"{DETAIL_LABELS.get(key, key)}: {_value_text(value)}" for key, value in facts.items()
                     if value is not None)


_VALUE_LABELS = {"imported": "đã nhập", "already_imported": "đã nhập trước đó, không đổi",
                 "rejected": "không nhập được", True: "có", False: "không"}


def _value_text(value) -> str:
    return _VALUE_LABELS.get(value, str(value)) if isinstance(value, (str, bool)) else str(value)


def _chain(previous: str, entry_id: int, at: dt.datetime, *fields: str) -> str:
    content = json.dumps([previous, entry_id, at.isoformat(sep=" "), *fields], ensure_ascii=False)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()
