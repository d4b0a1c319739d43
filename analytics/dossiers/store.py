"""The store: an embedded DuckDB file with the imported records, every import and the remembered mappings.

Each import is one file, recorded whole or not at all (one transaction). Records keep their provenance (import,
sheet, row; the import holds the file name and sha256). The dossiers are the records of the imports still present,
one per case id (`dossiers.merge_duplicates`), so removing an import takes its dossiers with it unless another
import also holds them. Connections are opened per operation and take turns (see Store._connect), so the app and
the command line share the file: a program that finds it held waits, then says the store is busy. Trouble with
the file or the disk (a full disk, a damaged file, a store this account may only read) is a StoreUnavailable whose
message says what happened and what to do, StoreFull for a full disk; an error of the program is left as it is.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import secrets
import stat
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.dossiers.dedup import merge_duplicates
from analytics.ingest import personal
from analytics.ingest.export_reader import FileReading, empty_records, read_export
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.reported import IS_TOTAL, NAME, ROW, ReportedTable
from analytics.model.session import SupervisionSession

DATA_DIR_VARIABLE = "ONESTOP_DATA_DIR"
# Beside the code, wherever the program is started from: the dashboard and the command line find the same store.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DB_FILE = "onestop.duckdb"

_SQL_TYPES = {**{c: "DATE" for c in s.DATE_FIELDS}, s.STATUS_CODE: "TINYINT", s.CHANNEL_CODE: "TINYINT",
              s.APOLOGY: "BOOLEAN", **{c: "BOOLEAN" for c in s.FLAG_COLUMNS}, s.SOURCE_ROW: "INTEGER"}
# Columns added after the first release: a store made before gets them on its next write; reads until then see
# their default (`_COLUMN_DEFAULTS`).
_ADDED_COLUMNS = [("records", s.STATUS_UNRECOGNISED, "BOOLEAN DEFAULT false"),
                  ("records", s.CHANNEL_UNRECOGNISED, "BOOLEAN DEFAULT false"),
                  ("records", s.DUE_DATE_UNREADABLE, "BOOLEAN DEFAULT false"),
                  ("records", s.FINISH_DATE_UNREADABLE, "BOOLEAN DEFAULT false"),
                  ("imports", "missing_fields", "VARCHAR"),
                  ("mappings", "value_overrides", "VARCHAR")]
_COLUMN_DEFAULTS = {s.STATUS_UNRECOGNISED: "false", s.CHANNEL_UNRECOGNISED: "false", s.DUE_DATE_UNREADABLE: "false",
                    s.FINISH_DATE_UNREADABLE: "false", "missing_fields": "NULL",
                    "value_overrides": "NULL"}
_SCHEMA = [
    "CREATE SEQUENCE IF NOT EXISTS import_ids START 1",  # never reused, even after a removal
    """CREATE TABLE IF NOT EXISTS imports (
        import_id INTEGER PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR, sha256 VARCHAR UNIQUE,
        sheets VARCHAR, rows_read INTEGER, rows_imported INTEGER, rows_skipped INTEGER, mapping VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS records (import_id INTEGER, "
    + ", ".join(f"{c} {_SQL_TYPES.get(c, 'VARCHAR')}" for c in s.RECORD_COLUMNS) + ")",
    """CREATE TABLE IF NOT EXISTS issues (
        import_id INTEGER, code VARCHAR, level VARCHAR, file VARCHAR, sheet VARCHAR, "row" INTEGER,
        "column" VARCHAR, value VARCHAR, message VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS mappings (signature VARCHAR PRIMARY KEY, overrides VARCHAR, updated_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS sessions (name VARCHAR PRIMARY KEY, spec VARCHAR, updated_at TIMESTAMP)""",
    "CREATE SEQUENCE IF NOT EXISTS reported_ids START 1",
    """CREATE TABLE IF NOT EXISTS row_maps (reported_name VARCHAR PRIMARY KEY, data_name VARCHAR,
        updated_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS reported_tables (
        reported_id INTEGER PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR, sha256 VARCHAR UNIQUE,
        sheet VARCHAR, header_row INTEGER, mapping VARCHAR, kept VARCHAR, rate_columns VARCHAR, headline VARCHAR,
        issues VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS reported_rows (
        reported_id INTEGER, position INTEGER, name VARCHAR, "row" INTEGER, is_total BOOLEAN, column_name VARCHAR,
        value DOUBLE)""",
    # Sign-in (analytics/access/users.py) and the audit trail (analytics/access/audit.py).
    """CREATE TABLE IF NOT EXISTS users (name VARCHAR PRIMARY KEY, role VARCHAR, password_hash VARCHAR,
        failures INTEGER DEFAULT 0, locked_until TIMESTAMP, created_at TIMESTAMP, updated_at TIMESTAMP)""",
    "CREATE SEQUENCE IF NOT EXISTS audit_ids START 1",
    # Applicants' data, masked, only when ONESTOP_KEEP_PERSONAL=1 (ingest/personal.py); never in an export.
    """CREATE TABLE IF NOT EXISTS applicants (import_id INTEGER, case_id VARCHAR, applicant_name VARCHAR,
        applicant_phone VARCHAR, applicant_address VARCHAR, applicant_id VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS audit_log (entry_id BIGINT PRIMARY KEY, happened_at TIMESTAMP, actor VARCHAR,
        action VARCHAR, target VARCHAR, detail VARCHAR, outcome VARCHAR, chain VARCHAR)""",
    *(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}" for table, column, kind in _ADDED_COLUMNS),
    "ALTER TABLE records DROP COLUMN IF EXISTS staff",  # officials' names, kept before issue 11: no screen used them
    # Failed sign-ins counted per typed name ("ten:…", known or not) and per client ("may:…"), and sign-in tokens
    # kept hashed, with their one-time handover codes (analytics/access/users.py, analytics/access/tokens.py).
    """CREATE TABLE IF NOT EXISTS sign_in_failures (subject VARCHAR PRIMARY KEY, failures INTEGER,
        first_at TIMESTAMP, last_at TIMESTAMP, locked_until TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS sign_in_tokens (token_hash VARCHAR PRIMARY KEY, name VARCHAR, created_at TIMESTAMP,
        last_seen TIMESTAMP, revoked_at TIMESTAMP, reason VARCHAR, bound BOOLEAN DEFAULT false)""",
    """CREATE TABLE IF NOT EXISTS sign_in_handovers (code_hash VARCHAR PRIMARY KEY, sealed VARCHAR,
        expires_at TIMESTAMP)""",
]
_IMPORT_COLUMNS = ["import_id", "imported_at", "file_name", "sha256", "sheets", "rows_read", "rows_imported",
                   "rows_skipped", "mapping", "missing_fields"]


# The lists the screens cache, each with a version that changes, in the transaction that changes the list, to a new
# random number (a store made again never repeats a version an older one had). Reading the versions tells a cache
# whether its copy is still the store's; an audit entry, a sign-in or an account change touches none of them.
IMPORTS, SESSIONS, REPORTED_TABLES, ROW_MAPS, MAPPINGS = "imports", "sessions", "reported_tables", "row_maps", "mappings"
LISTS = (IMPORTS, MAPPINGS, REPORTED_TABLES, ROW_MAPS, SESSIONS)
_VERSIONS_SCHEMA = "CREATE TABLE IF NOT EXISTS versions (name VARCHAR PRIMARY KEY, version BIGINT)"
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600  # what the program gives the data folder and the store it creates (L6)

BUSY_WAIT_VARIABLE = "ONESTOP_BUSY_WAIT"   # seconds to wait for another process to release the store
DEFAULT_BUSY_WAIT = 30.0
_IN_PROCESS = threading.RLock()
_PREPARED: set[tuple[str, int]] = set()  # store files whose tables this process has made or migrated
_WRITES: dict[str, int] = {}  # store file -> operations of this process that may have written it
_SEEN: dict[str, tuple[tuple, dict]] = {}  # store file -> (its state when its versions were read, those versions)


def busy_wait_seconds() -> float:
    try:
        return float(os.environ.get(BUSY_WAIT_VARIABLE, DEFAULT_BUSY_WAIT))
    except ValueError:
        return DEFAULT_BUSY_WAIT


class StoreUnavailable(Exception):
    """The store cannot be used (read-only, no permission, not a store, damaged, a full disk): the message says
    what happened and what to do."""


class StoreBusy(StoreUnavailable):
    """Another program kept the store for longer than we waited."""

    def __init__(self, path: Path, waited: float):
        super().__init__(f"Kho dữ liệu {path} đang được một chương trình khác ghi (bảng điều khiển hoặc một lệnh "
                         f"python -m analytics khác); đã chờ {waited:.0f} giây. Hãy thử lại sau ít phút, hoặc nhập "
                         f"tệp ở trang Dữ liệu của bảng điều khiển. (Thời gian chờ đặt bằng biến "
                         f"{BUSY_WAIT_VARIABLE}.)")
        self.waited = waited


class StoreFull(StoreUnavailable):
    """The disk holding the store is full, or the store file has reached the largest size a file may have there.
    The change was not written (its transaction rolled back) and what the store held before is whole."""

    def __init__(self, path: Path, change: str = "Thay đổi vừa làm", again: str = "làm lại"):
        super().__init__(f"Ổ đĩa chứa kho dữ liệu đã đầy (hoặc tệp kho đã lớn tới mức tối đa hệ thống cho phép): "
                         f"không ghi thêm được vào {path}. {change} chưa được ghi vào kho; dữ liệu đã có trong kho "
                         f"vẫn nguyên vẹn. Hãy giải phóng dung lượng trên ổ đĩa chứa thư mục {path.parent}, rồi "
                         f"{again}.")


# What the system says when a disk is full (Linux, macOS, Windows) or a file may not grow (EFBIG, quotas).
_NO_SPACE = ("no space left on device", "file too large", "disk quota exceeded", "not enough space on the disk")
_NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _no_space(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in _NO_SPACE_ERRNOS:
        return True
    return any(words in str(error).lower() for words in _NO_SPACE)


def _fault(path: Path, error: duckdb.Error, writable: bool) -> StoreUnavailable | None:
    """The store's own trouble met during an operation, said for people; None for an error of the program (a
    statement that does not parse or bind, a value of the wrong type), which is left as it is."""
    text = str(error).lower()
    if _no_space(error):
        return StoreFull(path)
    if isinstance(error, (duckdb.IOException, duckdb.FatalException)) or "could not write" in text \
            or "could not read" in text or "corrupt database file" in text:  # reading or writing the file failed
        if "permission" in text or "read-only" in text or "read only" in text:
            return StoreUnavailable(_unavailable(path, text))
        if "corrupt" in text or "checksum" in text or "could not read" in text:
            return StoreUnavailable(f"Kho dữ liệu {path} bị hỏng: có phần của tệp không đọc được (tệp bị cắt cụt "
                                    f"khi sao chép, hoặc ổ đĩa bị lỗi). Không có gì được ghi thêm. Hãy khôi phục tệp "
                                    f"từ bản sao lưu, hoặc chọn thư mục khác bằng biến {DATA_DIR_VARIABLE} và nhập "
                                    f"lại các tệp xuất; tệp cũ không bị xoá.")
        return StoreUnavailable(f"Không ghi được vào kho dữ liệu {path} (lỗi đọc/ghi của ổ đĩa): thay đổi vừa làm "
                                f"chưa được ghi vào kho. Hãy kiểm tra ổ đĩa chứa thư mục {path.parent}, rồi làm lại.")
    if isinstance(error, duckdb.OutOfMemoryException):
        return StoreUnavailable(f"Máy không đủ bộ nhớ cho thao tác này trên kho dữ liệu {path}: thay đổi vừa làm "
                                f"chưa được ghi vào kho. Hãy đóng bớt chương trình khác, hoặc chia tệp thành các tệp "
                                f"nhỏ hơn, rồi làm lại.")
    if isinstance(error, duckdb.CatalogException) and not writable:
        return StoreUnavailable(f"Kho dữ liệu {path} chỉ cho đọc và thiếu bảng mà phiên bản này của chương trình "
                                f"cần (kho do phiên bản cũ tạo, hoặc không phải kho của chương trình này). Hãy cấp "
                                f"quyền ghi cho tài khoản chạy chương trình để kho được cập nhật, hoặc chọn thư mục "
                                f"khác bằng biến {DATA_DIR_VARIABLE}.")
    return None


def _unavailable(path: Path, reason: str) -> str:
    if "permission" in reason or "read-only" in reason or "read only" in reason:
        return (f"Không ghi được vào kho dữ liệu {path}: tệp hoặc thư mục chỉ cho đọc. Hãy cấp quyền ghi cho tài "
                f"khoản chạy chương trình, hoặc chọn thư mục khác bằng biến {DATA_DIR_VARIABLE}.")
    return (f"Không mở được kho dữ liệu {path} (tệp hỏng hoặc không phải kho của chương trình này). Hãy chọn thư mục "
            f"khác bằng biến {DATA_DIR_VARIABLE}; tệp cũ không bị xoá.")


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_VARIABLE, DEFAULT_DATA_DIR))


@dataclass
class ImportResult:
    file_name: str
    status: str                      # "imported", "already_imported" or "rejected"
    import_id: int | None = None
    rows_read: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    issues: list[q.Issue] = field(default_factory=list)
    reading: FileReading | None = None

    @property
    def rejected(self) -> q.Issue | None:
        return next((i for i in self.issues if i.level == q.FILE), None)


class Store:
    def __init__(self, data_dir: str | Path | None = None):
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.path = self.data_dir / DB_FILE

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def version(self) -> tuple:
        """Changes whenever the store is written, by this process or another (its file or its write-ahead log), never
        on a read; a stat, not a connection. Any write changes it (an audit entry too): a cache of one list keys by
        `versions()`, which tells which list changed."""
        files = tuple((p.name, s.st_ino, s.st_mtime_ns, s.st_ctime_ns, s.st_size)
                      for p in (self.path, self.path.with_name(self.path.name + ".wal")) if (s := _stat(p)))
        return (_WRITES.get(str(self.path), 0), files) if files else ()

    def versions(self) -> dict[str, int | None]:
        """The version of each list (LISTS): it changes when that list changes and on nothing else, so a cache of
        one list keyed by it is never stale and survives every other write (sign-ins, the audit trail, accounts).
        Read from the store only when `version()` says it was written since the last look; else a stat. None
        for each when there is no store."""
        state = self.version()
        if not state:
            return dict.fromkeys(LISTS)
        seen = _SEEN.get(str(self.path))
        if seen is not None and seen[0] == state:
            return seen[1]
        with self._connect(read_only=True) as con:
            rows = dict(con.execute("SELECT name, version FROM versions").fetchall()) \
                if _has_table(con, "versions") else None
        if rows is None:  # a store made before, which this account may only read: every write is a new version
            rows = dict.fromkeys(LISTS, hash(state))
        versions = {name: rows.get(name) for name in LISTS}
        _SEEN[str(self.path)] = (state, versions)  # the state from before the read: a write since is seen next time
        return versions

    def data_version(self) -> int | None:
        """The dossiers' version: it changes when an import is added or removed, and on nothing else."""
        return self.versions()[IMPORTS]

    def open_to_others(self) -> list[Path]:
        """The data folder and store files that accounts other than the owner may read or write (a store made before
        the program made them private, or made so by hand): the operator decides; nothing here changes them."""
        return [p for p in (self.data_dir, self.path, self.path.with_name(self.path.name + ".wal"))
                if (s := _stat(p)) and stat.S_IMODE(s.st_mode) & 0o077]

    def connection(self, read_only: bool = False):
        """A connection for one operation of another module over the store's tables (users, audit trail): it
        takes its turn like the store's own (see _connect)."""
        return self._connect(read_only)

    @contextmanager
    def _connect(self, read_only: bool = False):
        """A connection for one operation. Inside this process every operation takes its turn (DuckDB refuses a
        read-only connection beside a read-write one in one process); another process holding the file (the
        command line while the dashboard runs, or the reverse) is waited for, then StoreBusy says so."""
        if read_only and not self.exists:
            with duckdb.connect(":memory:") as con:
                for statement in _SCHEMA:
                    con.execute(statement)
                con.execute(_VERSIONS_SCHEMA)
                yield con
            return
        with _IN_PROCESS:
            private, fresh = _private(self.path), not self.exists
            umask = os.umask(0o077) if private else None  # the file and its log made for the owner only (L6)
            try:
                con, writable = self._open(read_only)
                prepared = False
                try:
                    # A file removed and made again is new (its inode number may be the old one's).
                    made = (str(self.path), self.path.stat().st_ino)
                    if writable and (fresh or made not in _PREPARED):  # tables and migrations, once per file
                        for statement in _SCHEMA:
                            con.execute(statement)
                        _prepare_versions(con)
                        _PREPARED.add(made)
                        prepared = True
                    yield con
                except duckdb.Error as error:  # the store's trouble (a full disk, a damaged file) is said for people
                    fault = _fault(self.path, error, writable)
                    if fault is None:
                        raise
                    raise fault from error
                finally:
                    con.close()
                    if writable and (prepared or not read_only):  # it may have written: versions() looks again
                        _WRITES[str(self.path)] = _WRITES.get(str(self.path), 0) + 1
            finally:
                if umask is not None:
                    os.umask(umask)

    def _open(self, read_only: bool) -> tuple:
        """(a connection, whether it may write). A store the user may only read is still read. A data folder made
        here is its owner's only (L6)."""
        try:
            if not self.data_dir.exists():
                self.data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
                os.chmod(self.data_dir, PRIVATE_DIR)  # whatever the umask
        except OSError as error:
            if _no_space(error):
                raise StoreFull(self.path) from None
            raise StoreUnavailable(f"Không tạo được thư mục dữ liệu {self.data_dir} ({error.strerror}). Hãy kiểm "
                                   f"tra quyền ghi, hoặc chọn thư mục khác bằng biến {DATA_DIR_VARIABLE}.") from None
        waited, pause = 0.0, 0.05
        while True:
            try:
                return duckdb.connect(str(self.path)), True
            except duckdb.ConnectionException:  # two configurations in one process: an error of the program
                raise
            except duckdb.Error as error:  # anything else is about the file: locked, read-only, damaged, full disk
                text = str(error).lower()
                if not isinstance(error, duckdb.IOException) or "lock" not in text:
                    if read_only and self.exists:
                        try:
                            return duckdb.connect(str(self.path), read_only=True), False
                        except duckdb.Error:
                            pass
                    if _no_space(error):  # a store whose log could not be replayed into the file
                        raise StoreFull(self.path) from None
                    raise StoreUnavailable(_unavailable(self.path, text)) from None
                if waited >= busy_wait_seconds():
                    raise StoreBusy(self.path, waited) from None
                time.sleep(pause)
                waited += pause
                pause = min(pause * 2, 1.0)

    # --- Importing ------------------------------------------------------------------------------------------

    def import_file(self, source: str | Path | bytes, name: str | None = None,
                    overrides: dict[str, str] | None = None, replace: bool = False,
                    value_overrides: dict[str, dict[str, int | str]] | None = None,
                    keep_personal: bool | None = None, fingerprint: str | None = None) -> ImportResult:
        """Read and store one export. Bad input never raises: see the result's status and issues.

        The header mappings and value mappings remembered for files with the same header are used; `overrides`
        and `value_overrides` (see `read_export`) win over them and, when the import succeeds, are remembered.
        The same file again changes nothing, unless `replace` (a corrected mapping): then the earlier import of
        these bytes is replaced by the new reading, in the same transaction. Applicants' data is kept, masked, only
        with `keep_personal` (by default the setting ONESTOP_KEEP_PERSONAL). `fingerprint`: the sha256 of the file
        these bytes stand for (a copy stripped of personal data, re-imported for the upload it was made from), so
        that the import replaces, and is later recognised as, that file's.
        """
        keep = personal.keep_personal() if keep_personal is None else keep_personal
        try:  # a store's first use in a process may write (its tables made or migrated): a full disk is said here
            remembered, remembered_values = self.remembered_mappings(), self.remembered_value_mappings()
        except StoreFull as full:
            raise StoreFull(self.path, f"Lần nhập tệp {_file_name(source, name)}", "nhập lại tệp") from full
        reading = read_export(source, name=name, overrides=overrides, remembered=remembered,
                              value_overrides=value_overrides, remembered_values=remembered_values,
                              keep_personal=keep)
        result = ImportResult(reading.name, "rejected", rows_read=reading.rows_read, rows_skipped=reading.rows_skipped,
                              issues=reading.issues, reading=reading)
        if reading.rejected:
            return result
        if fingerprint is not None:
            reading.sha256 = fingerprint
        try:
            with self._connect() as con:
                con.execute("BEGIN TRANSACTION")  # the "already imported" check inside: two imports cannot both pass
                known = con.execute("SELECT import_id FROM imports WHERE sha256 = ?", [reading.sha256]).fetchone()
                if known and not replace:
                    con.execute("ROLLBACK")
                    result.status, result.import_id = "already_imported", known[0]
                    return result
                try:
                    if known:
                        _delete_import(con, known[0])
                    result.import_id = self._insert(con, reading, overrides or {})
                    remembered_now = _remember(con, reading, overrides or {}, value_overrides or {})
                    _bump(con, IMPORTS, *([MAPPINGS] if remembered_now else []))
                    con.execute("COMMIT")
                except Exception:
                    _rollback(con)
                    raise
        except StoreFull as full:  # said for this import: nothing of it is in the store
            raise StoreFull(self.path, f"Lần nhập tệp {reading.name}", "nhập lại tệp") from full
        except duckdb.Error as error:
            if _taken_key(error):
                raise StoreUnavailable(_inconsistent(self.path, f"lần nhập tệp {reading.name}")) from error
            raise
        result.status, result.rows_imported = "imported", len(reading.records)
        return result

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
        con.unregister("incoming")
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
            _bump(con, IMPORTS)
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
            rows = con.execute(f"SELECT signature, {_column_or_default(con, 'mappings', column)} FROM mappings"
                               ).fetchall()
        return [(signature, json.loads(text) if text else {}) for signature, text in rows]

    def imports(self) -> pd.DataFrame:
        """One row per import; `missing_fields` is a list (of schema.CAVEAT_FIELDS) per import."""
        with self._connect(read_only=True) as con:
            missing = _column_or_default(con, "imports", "missing_fields")
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
            columns = ", ".join(_column_or_default(con, "records", c) for c in s.RECORD_COLUMNS)
            frame = con.execute(f"SELECT import_id, {columns} FROM records "
                                "ORDER BY import_id, rowid").df()
        if frame.empty:
            return empty_records(with_import_id=True)
        return _typed(frame)

    def dossiers(self) -> tuple[pd.DataFrame, int]:
        """(one row per dossier, number of records merged away)."""
        return merge_duplicates(self.records())

    # --- Reported tables (what a body filed), kept with their provenance -----------------------------------------

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
                _bump(con, REPORTED_TABLES)
                con.execute("COMMIT")
            except Exception as error:
                _rollback(con)
                if isinstance(error, duckdb.Error) and _taken_key(error):
                    raise StoreUnavailable(_inconsistent(self.path, f"bảng báo cáo {table.file}")) from error
                raise
        return reported_id, True

    def reported_tables(self) -> pd.DataFrame:
        """One row per stored reported table: reported_id, imported_at, file_name, sha256, sheet."""
        if not self.exists:
            return pd.DataFrame(columns=["reported_id", "imported_at", "file_name", "sha256", "sheet"])
        with self._connect(read_only=True) as con:
            if not _has_table(con, "reported_tables"):
                return pd.DataFrame(columns=["reported_id", "imported_at", "file_name", "sha256", "sheet"])
            return con.execute("SELECT reported_id, imported_at, file_name, sha256, sheet FROM reported_tables "
                               "ORDER BY reported_id").df()

    def reported(self, reported_id: int) -> ReportedTable | None:
        """A stored reported table, as it was read."""
        if not self.exists:
            return None
        with self._connect(read_only=True) as con:
            if not _has_table(con, "reported_tables"):
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
            _bump(con, ROW_MAPS)
            con.execute("COMMIT")

    def remembered_row_map(self) -> dict[str, str]:
        if not self.exists:
            return {}
        with self._connect(read_only=True) as con:
            if not _has_table(con, "row_maps"):
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
            _bump(con, REPORTED_TABLES)
            con.execute("COMMIT")
        return True

    # --- Supervision sessions ----------------------------------------------------------------------------------

    def save_session(self, session: SupervisionSession) -> None:
        """Add a session, or replace the one of the same name."""
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)",
                        [session.name, json.dumps(session.as_dict(), ensure_ascii=False), dt.datetime.now()])
            _bump(con, SESSIONS)
            con.execute("COMMIT")

    def sessions(self) -> list[SupervisionSession]:
        if not self.exists:
            return []
        with self._connect(read_only=True) as con:
            if not _has_table(con, "sessions"):
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
            _bump(con, SESSIONS)
            con.execute("COMMIT")
        return True


def _file_name(source: str | Path | bytes, name: str | None) -> str:
    """The name an import is said by before its file is read (as `read_export` names it)."""
    return name or (Path(source).name if isinstance(source, (str, Path)) else "tệp tải lên")


def _rollback(con) -> None:
    """Undo the open transaction. One whose COMMIT failed (a full disk) is already undone, and DuckDB then refuses
    a ROLLBACK: that refusal must not hide the first error."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _taken_key(error: duckdb.Error) -> bool:
    """A primary key or unique value already in the store (checked at the statement, or at COMMIT)."""
    text = str(error).lower()
    return isinstance(error, duckdb.ConstraintException) or "duplicate key" in text


def _inconsistent(path: Path, what: str) -> str:
    """A key the store itself hands out is already taken: the file was changed by something other than this
    program (its numbering is behind its rows)."""
    return (f"Kho dữ liệu {path} không nhận {what}: một số hiệu do kho cấp đã bị dùng (tệp kho có thể đã bị sửa "
            f"bằng chương trình khác). Không có gì được ghi thêm; dữ liệu đã có trong kho vẫn nguyên vẹn. Hãy báo cho "
            f"người quản trị, gửi kèm tệp kho.")


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


def _prepare_versions(con) -> None:
    """The versions table, with a first version of each list (a store made before gets its versions here)."""
    con.execute(_VERSIONS_SCHEMA)
    present = {name for (name,) in con.execute("SELECT name FROM versions").fetchall()}
    for name in LISTS:
        if name not in present:
            con.execute("INSERT INTO versions VALUES (?, ?)", [name, _new_version()])


def _bump(con, *lists: str) -> None:
    """A new version for each of `lists`, inside the transaction that changes them."""
    for name in lists:
        con.execute("INSERT INTO versions VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version",
                    [name, _new_version()])


def _new_version() -> int:
    return secrets.randbits(62)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _private(path: Path) -> bool:
    """Whether the store's files are to be made for its owner only: a store the program is about to create, or
    one already private (its write-ahead log, made anew at each write, follows). A store someone made readable by
    others keeps the modes that were chosen for it."""
    found = _stat(path)
    return found is None or not stat.S_IMODE(found.st_mode) & 0o077


def _column_or_default(con, table: str, column: str) -> str:
    """The column, or its default when a store made before it was added has not been written to since."""
    present = {row[0] for row in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                             [table]).fetchall()}
    return column if column in present else f"{_COLUMN_DEFAULTS[column]} AS {column}"


def _delete_import(con, import_id: int) -> None:
    for table in ("records", "issues", "applicants", "imports"):
        con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The store's columns with the same dtypes as freshly read records."""
    for c in s.DATE_FIELDS:
        frame[c] = pd.to_datetime(frame[c]).astype("datetime64[s]")
    for c in (s.STATUS_CODE, s.CHANNEL_CODE):
        frame[c] = frame[c].astype("Int8")
    frame[s.APOLOGY] = frame[s.APOLOGY].astype("boolean")
    for c in (s.STATUS_UNRECOGNISED, s.CHANNEL_UNRECOGNISED, s.DUE_DATE_UNREADABLE, s.FINISH_DATE_UNREADABLE):
        frame[c] = frame[c].astype("boolean").fillna(False)
    return frame


def _has_table(con, table: str) -> bool:
    """A store made before a table was added has not got it until it is next written to."""
    return bool(con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]).fetchone())


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
