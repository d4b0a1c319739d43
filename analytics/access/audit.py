"""The audit trail: who did what and when (sign-ins and their failures, imports, removals, mappings, sessions,
exports, user changes), appended to the store and never changed.

Nothing in the project updates or deletes an entry. Entries are numbered 1, 2, 3 … without gaps, and each carries a
MAC: HMAC-SHA256, under a key kept outside the data folder, of the previous entry's MAC and its own content. After
each entry the head of the trail (its number and MAC, and the number keying started from) is written to an anchor
file beside the key. `verify` then finds an entry edited, an entry removed anywhere (the last ones too: the anchor
names a later entry than the store has), and a trail rewritten and re-chained by someone without the key.

The key (KEY_FILE) lives in ONESTOP_KEY_DIR, else ~/.config/onestop/: made on the first write, 32 random bytes in a
file of mode 0600 in a folder of mode 0700, owned by the account that runs the program (a key or folder owned by
another account is refused). Whoever may read the key may re-chain a trail: keep it readable by the service account
only, and out of copies of the data folder. Entries written before the project kept a key carry a plain SHA-256
chain; `verify` says so, and from which entry keying starts.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.dossiers.store import Store, StoreUnavailable

SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign_in", "sign_in_failed", "sign_out"
IMPORT, IMPORT_REMOVED, MAPPING = "import", "import_removed", "mapping"
CATALOG, REPORTED_IMPORT, REPORTED_REMOVED, ROW_MAP = "catalog", "reported_import", "reported_removed", "row_map"
SESSION_SAVED, SESSION_REMOVED, EXPORT = "session_saved", "session_removed", "export"
UNITS_IMPORTED, UNITS_REMOVED = "units_imported", "units_removed"
INDEX_IMPORTED, INDEX_REMOVED = "index_imported", "index_removed"
RECOMMENDATION_ADDED, RECOMMENDATION_UPDATED, RECOMMENDATION_REMOVED = (
    "recommendation_added", "recommendation_updated", "recommendation_removed")
USER_ADDED, USER_REMOVED, PASSWORD_CHANGED, ROLE_CHANGED, USER_UNLOCKED = (
    "user_added", "user_removed", "password_changed", "role_changed", "user_unlocked")
ACTION_LABELS = {
    SIGN_IN: "Đăng nhập", SIGN_IN_FAILED: "Đăng nhập không thành công", SIGN_OUT: "Đăng xuất",
    IMPORT: "Nhập tệp", IMPORT_REMOVED: "Xoá lần nhập", MAPPING: "Sửa cách đọc cột/giá trị",
    CATALOG: "Tải danh mục TTHC", REPORTED_IMPORT: "Nhập bảng số liệu báo cáo",
    REPORTED_REMOVED: "Xoá bảng số liệu báo cáo", ROW_MAP: "Sửa ghép dòng đối chiếu",
    SESSION_SAVED: "Lưu đợt giám sát", SESSION_REMOVED: "Xoá đợt giám sát", EXPORT: "Xuất tài liệu",
    UNITS_IMPORTED: "Nhập sổ sắp xếp đơn vị", UNITS_REMOVED: "Xoá sổ sắp xếp đơn vị",
    INDEX_IMPORTED: "Nhập điểm Bộ chỉ số (QĐ 766)", INDEX_REMOVED: "Xoá điểm Bộ chỉ số (QĐ 766)",
    RECOMMENDATION_ADDED: "Thêm kiến nghị", RECOMMENDATION_UPDATED: "Cập nhật kết quả thực hiện kiến nghị",
    RECOMMENDATION_REMOVED: "Xoá kiến nghị",
    USER_ADDED: "Thêm tài khoản", USER_REMOVED: "Xoá tài khoản", PASSWORD_CHANGED: "Đổi mật khẩu",
    ROLE_CHANGED: "Đổi vai trò", USER_UNLOCKED: "Mở khoá tài khoản",
}
OK, REFUSED, FAILED = "ok", "refused", "failed"
OUTCOME_LABELS = {OK: "Thành công", REFUSED: "Bị từ chối", FAILED: "Lỗi"}
COLUMNS = ["entry_id", "happened_at", "actor", "action", "target", "detail", "outcome"]
COLUMN_LABELS = {"entry_id": "Số", "happened_at": "Thời điểm", "actor": "Người thực hiện", "action": "Việc",
                 "target": "Đối tượng", "detail": "Chi tiết", "outcome": "Kết quả"}
NOT_SIGNED_IN = "(chưa đăng nhập)"      # the actor of a failed sign-in: whoever typed is nobody yet (L3)
INVALID_NAME = "(tên không hợp lệ)"     # a typed name that cannot be an account's is not kept
EMPTY_NAME = "(trống)"
MAX_TYPED_NAME = 32
KEY_DIR_VARIABLE = "ONESTOP_KEY_DIR"
KEY_FILE = "nhat-ky.key"
_GENESIS = "0" * 64
_TYPED_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")  # users.NAME_PATTERN (users imports this module's neighbour)


class AuditKeyUnavailable(StoreUnavailable):
    """The trail's key cannot be made or read: the message says where and what to do."""


def command_line_actor() -> str:
    """Who runs a command: the computer account, since the command line has no sign-in (whoever may open the
    store's file may use it)."""
    try:
        return f"dòng lệnh: {getpass.getuser()}"
    except (KeyError, OSError):
        return "dòng lệnh"


def typed_name(text: str | None) -> str:
    """A name typed in the sign-in form, as the trail may keep it: an account-like name masked in its middle
    ("chu******en"), at most MAX_TYPED_NAME characters; anything else (a password typed in the wrong box, a newline,
    control characters) only as INVALID_NAME."""
    name = (text or "").strip().lower()
    if not name:
        return EMPTY_NAME
    if not _TYPED_NAME.fullmatch(name):
        return INVALID_NAME
    shown = 3 if len(name) > 6 else 1
    keep_end = 2 if len(name) > 6 else 0
    return (name[:shown] + "*" * (len(name) - shown - keep_end) + name[len(name) - keep_end:])[:MAX_TYPED_NAME]


def printable(text) -> str:
    """A field of the trail for a terminal or a line of text: control characters (a newline that would forge a
    line) written as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


# --- The key and the anchor, outside the data folder ------------------------------------------------------------

def key_dir() -> Path:
    return Path(os.environ.get(KEY_DIR_VARIABLE) or Path.home() / ".config" / "onestop")


def _owned_by_us(path: Path) -> bool:
    return not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()


def _private_folder(folder: Path, create: bool) -> bool:
    """The key's folder, made 0700 if asked; refused when another account owns it."""
    if not folder.exists():
        if not create:
            return False
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise AuditKeyUnavailable(
                f"Không tạo được thư mục khoá của nhật ký thao tác {folder} ({error.strerror}). Hãy đặt biến "
                f"{KEY_DIR_VARIABLE} là một thư mục ngoài thư mục dữ liệu mà tài khoản chạy chương trình ghi được."
            ) from None
    if not _owned_by_us(folder):
        raise AuditKeyUnavailable(f"Thư mục khoá của nhật ký thao tác {folder} thuộc một tài khoản khác trên máy: "
                                  f"không dùng khoá ở đó. Hãy đặt biến {KEY_DIR_VARIABLE} là thư mục riêng của tài "
                                  "khoản chạy chương trình.")
    if hasattr(os, "getuid") and folder.stat().st_mode & 0o077:
        os.chmod(folder, 0o700)
    return True


def load_key(create: bool = False) -> bytes | None:
    """The trail's key (made on first use when `create`), None when there is none and none may be made."""
    folder = key_dir()
    if not _private_folder(folder, create):
        return None
    path = folder / KEY_FILE
    if not path.exists():
        if not create:
            return None
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it at this moment: use theirs
            pass
        except OSError as error:
            raise AuditKeyUnavailable(f"Không tạo được khoá của nhật ký thao tác {path} ({error.strerror}). Hãy kiểm "
                                      f"tra quyền ghi, hoặc đặt biến {KEY_DIR_VARIABLE}.") from None
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32))
                out.flush()
                os.fsync(out.fileno())
    if not _owned_by_us(path):
        raise AuditKeyUnavailable(f"Khoá của nhật ký thao tác {path} thuộc một tài khoản khác trên máy: không dùng. "
                                  f"Hãy đặt biến {KEY_DIR_VARIABLE} là thư mục riêng của tài khoản chạy chương trình.")
    if hasattr(os, "getuid") and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError):
        key = b""
    if len(key) < 32:
        raise AuditKeyUnavailable(f"Khoá của nhật ký thao tác {path} bị hỏng hoặc rỗng. Hãy khôi phục tệp từ bản sao "
                                  "lưu (không tạo khoá mới: nhật ký đã ghi sẽ không kiểm tra được nữa).")
    return key


def anchor_path(store: Store) -> Path:
    """The anchor of one store's trail, beside the key, named after the store's place on disk."""
    where = str(Path(store.path).resolve())
    return key_dir() / f"moc-{hashlib.sha256(where.encode('utf-8')).hexdigest()[:20]}.json"


@dataclass(frozen=True)
class Anchor:
    store: str
    keyed_from: int
    last_id: int
    last_mac: str


def read_anchor(store: Store) -> Anchor | None:
    path = anchor_path(store)
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
        return Anchor(str(facts["kho"]), int(facts["khoa_tu_dong"]), int(facts["dong_cuoi"]), str(facts["ma_cuoi"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return Anchor("", -1, -1, "")  # unreadable: verify says so


def _write_anchor(store: Store, anchor: Anchor) -> None:
    path = anchor_path(store)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    facts = {"kho": anchor.store, "khoa_tu_dong": anchor.keyed_from, "dong_cuoi": anchor.last_id,
             "ma_cuoi": anchor.last_mac}
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(facts, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise AuditKeyUnavailable(f"Đã ghi nhật ký thao tác nhưng không ghi được mốc neo {path} ({error.strerror}): "
                                  f"lệnh kiểm tra sẽ báo nhật ký lệch mốc. Hãy kiểm tra quyền ghi và dung lượng ổ đĩa "
                                  f"của thư mục {path.parent}.") from None


# --- Verification -------------------------------------------------------------------------------------------------

EDITED, GAP, TRUNCATED, REWRITTEN, NO_KEY, NO_ANCHOR = "edited", "gap", "truncated", "rewritten", "no_key", "no_anchor"


@dataclass(frozen=True)
class Verification:
    entries: int
    first_broken: int | None      # the entry id where the trail first fails, None if it holds
    problem: str | None = None    # EDITED, GAP, TRUNCATED, REWRITTEN, NO_KEY, NO_ANCHOR
    keyed_from: int | None = None  # the first entry chained with the key (None: none is)
    missing: tuple[int, int] | None = None  # ids missing (first, last) for GAP and TRUNCATED
    anchored: int | None = None    # the entry id the anchor names

    @property
    def holds(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        """In Vietnamese, for the admin page and `audit-log --verify`."""
        n = f"{self.entries:,}".replace(",", ".")
        if self.problem == GAP:
            return (f"Nhật ký thiếu các dòng số {self.missing[0]}–{self.missing[1]} (đã bị xoá ngoài chương trình): "
                    f"số dòng phải liền nhau. Trong kho còn {n} dòng.")
        if self.problem == TRUNCATED:
            return (f"Nhật ký bị cắt: mốc neo giữ ngoài kho ghi dòng cuối là số {self.anchored}, nhưng kho chỉ còn đến "
                    f"dòng số {self.missing[0] - 1}; các dòng {self.missing[0]}–{self.missing[1]} đã bị xoá ngoài "
                    "chương trình.")
        if self.problem == EDITED:
            return f"Nhật ký đã bị sửa hoặc xoá ngoài chương trình từ dòng số {self.first_broken} (trong {n} dòng)."
        if self.problem == REWRITTEN:
            return (f"Nhật ký đã bị viết lại ngoài chương trình từ dòng số {self.first_broken}: mã của các dòng không "
                    "còn là mã tính bằng khoá của nhật ký, hoặc không khớp mốc neo giữ ngoài kho.")
        if self.problem == NO_KEY:
            return (f"Không tìm thấy khoá của nhật ký thao tác ({key_dir() / KEY_FILE}) nên không kiểm tra được các "
                    f"dòng có khoá (từ dòng số {self.first_broken}). Hãy khôi phục khoá từ bản sao lưu, hoặc đặt biến "
                    f"{KEY_DIR_VARIABLE} là thư mục chứa khoá.")
        if self.problem == NO_ANCHOR:
            return (f"Không tìm thấy mốc neo của nhật ký này bên cạnh khoá ({key_dir()}): không kiểm tra được các dòng "
                    "cuối có bị xoá hay không. Nếu kho vừa được chuyển sang chỗ khác, hãy chạy lệnh từ chỗ cũ; nếu "
                    "không, mốc đã bị xoá.")
        if not self.entries:
            return "Nhật ký chưa có dòng nào."
        if self.keyed_from is None:
            return (f"Nhật ký khớp: {n} dòng, tất cả được ghi trước khi chương trình có khoá, chỉ nối bằng SHA-256 "
                    "không khoá: phát hiện được dòng bị sửa hay xoá, nhưng không phát hiện được nhật ký bị viết lại "
                    "hay bị cắt các dòng cuối.")
        before = (f" Các dòng 1–{self.keyed_from - 1} được ghi trước khi có khoá (chỉ nối bằng SHA-256, không chống "
                  f"được việc viết lại); có khoá từ dòng số {self.keyed_from}." if self.keyed_from > 1 else "")
        return (f"Nhật ký nguyên vẹn: {n} dòng, số dòng liền nhau, mã HMAC-SHA256 khớp từ đầu đến cuối và khớp mốc neo "
                f"giữ ngoài kho (dòng số {self.anchored}).{before}")


class AuditTrail:
    def __init__(self, store: Store, clock: Callable[[], dt.datetime] = dt.datetime.now):
        self.store, self.clock = store, clock

    def record(self, actor: str, action: str, target: str = "", detail: dict | None = None,
               outcome: str = OK) -> None:
        """Append one entry. `detail` holds facts only (counts, file names, ids), never a password or an applicant's
        data."""
        key = load_key(create=True)
        detail_text = json.dumps(detail or {}, ensure_ascii=False, default=str)
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                last = con.execute("SELECT entry_id, chain FROM audit_log ORDER BY entry_id DESC LIMIT 1").fetchone()
                entry_id = last[0] + 1 if last else 1  # gapless: the store is held by this transaction alone
                at = self.clock().replace(microsecond=0)
                mac = _mac(key, last[1] if last else _GENESIS, entry_id, at, actor, action, target, detail_text,
                           outcome)
                con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [entry_id, at, actor, action, target, detail_text, outcome, mac])
                con.execute("COMMIT")
            except Exception:
                try:
                    con.execute("ROLLBACK")
                except Exception:  # noqa: BLE001 - already undone (a failed COMMIT)
                    pass
                raise
            anchor = read_anchor(self.store)  # written while the store is still held: writers take turns
            keyed_from = anchor.keyed_from if anchor is not None and anchor.keyed_from > 0 else entry_id
            _write_anchor(self.store, Anchor(str(Path(self.store.path).resolve()), keyed_from, entry_id, mac))

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
        """Walk the trail from its first entry: ids 1, 2, 3 … without a gap; each entry's MAC (or, before keying
        started, its plain SHA-256 chain) recomputed; once keying started, every later entry keyed; and the head
        compared with the anchor kept beside the key (the entry it names is there with that MAC, and keying started
        where the anchor says)."""
        if not self.store.exists:
            return Verification(0, None)
        with self.store.connection(read_only=True) as con:
            rows = con.execute("SELECT entry_id, happened_at, actor, action, target, detail, outcome, chain "
                               "FROM audit_log ORDER BY entry_id").fetchall()
        key, anchor = load_key(create=False), read_anchor(self.store)
        previous, expected, keyed_from, macs = _GENESIS, 1, None, {}
        for entry_id, at, actor, action, target, detail, outcome, chain in rows:
            if entry_id != expected:
                return Verification(len(rows), expected, GAP, keyed_from, (expected, entry_id - 1),
                                    anchor.last_id if anchor else None)
            fields = (entry_id, at, actor, action, target, detail, outcome)
            if key is not None and hmac.compare_digest(chain, _mac(key, previous, *fields)):
                keyed_from = entry_id if keyed_from is None else keyed_from
            elif chain == _chain(previous, *fields):
                if keyed_from is not None or (anchor is not None and 0 < anchor.keyed_from <= entry_id):
                    return Verification(len(rows), entry_id, REWRITTEN, keyed_from, None,
                                        anchor.last_id if anchor else None)
            elif key is None:
                return Verification(len(rows), entry_id, NO_KEY if anchor is not None else EDITED, keyed_from)
            else:
                return Verification(len(rows), entry_id, EDITED, keyed_from, None, anchor.last_id if anchor else None)
            macs[entry_id] = chain
            previous, expected = chain, expected + 1
        last = expected - 1
        if anchor is None:
            if keyed_from is not None:
                return Verification(len(rows), keyed_from, NO_ANCHOR, keyed_from)
            return Verification(len(rows), None, None, None)
        if anchor.last_id < 1:
            return Verification(len(rows), 1, NO_ANCHOR, keyed_from)
        if last < anchor.last_id:
            return Verification(len(rows), last + 1, TRUNCATED, keyed_from, (last + 1, anchor.last_id),
                                anchor.last_id)
        if macs.get(anchor.last_id) != anchor.last_mac or keyed_from != anchor.keyed_from:
            return Verification(len(rows), min(anchor.keyed_from, anchor.last_id), REWRITTEN, keyed_from, None,
                                anchor.last_id)
        return Verification(len(rows), None, None, keyed_from, None, anchor.last_id)


def import_detail(result, mapped_by_hand: int = 0) -> dict:
    """What the trail keeps of an import (dossiers.store.ImportResult): counts and ids, no cell of the file."""
    return {"import_id": result.import_id, "status": result.status, "rows_imported": result.rows_imported,
            "rows_skipped": result.rows_skipped, "mapped_by_hand": mapped_by_hand}


def outcome_of(result) -> str:
    return REFUSED if result.status == "rejected" else OK


DETAIL_LABELS = {"import_id": "lần nhập số", "status": "kết quả", "rows_imported": "dòng nhập",
                 "rows_skipped": "dòng bỏ qua", "mapped_by_hand": "chỉnh tay", "role": "vai trò", "what": "loại",
                 "bytes": "byte", "replaced": "thay đợt cũ", "reason": "lý do", "locked": "bị khoá",
                 "reported_id": "biểu số", "rows": "dòng", "file": "tệp", "procedures": "thủ tục", "error": "lỗi",
                 "client": "máy", "deferred": "tải khi bấm"}


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


def _content(previous: str, entry_id: int, at: dt.datetime, *fields: str) -> bytes:
    return json.dumps([previous, entry_id, at.isoformat(sep=" "), *fields], ensure_ascii=False).encode("utf-8")


def _chain(previous: str, entry_id: int, at: dt.datetime, *fields: str) -> str:
    """The plain SHA-256 chain of the entries written before the trail was keyed."""
    return hashlib.sha256(_content(previous, entry_id, at, *fields)).hexdigest()


def _mac(key: bytes, previous: str, entry_id: int, at: dt.datetime, *fields: str) -> str:
    return hmac.new(key, _content(previous, entry_id, at, *fields), hashlib.sha256).hexdigest()
