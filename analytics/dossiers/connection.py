"""Opening the store's file, one operation at a time, and its trouble said for people.

Connections are opened per operation and take turns (see StoreFile._connect), so the app and the command line
share the file: a program that finds it held waits, then says the store is busy. Trouble with the file or the disk
(a full disk, a damaged file, a store this account may only read) is a StoreUnavailable whose message says what
happened and what to do, StoreFull for a full disk; an error of the program is left as it is. The first write of a
process makes the tables and migrates an older store (tables.py). The data folder and the store are made for their
owner only (L6). The lists' versions are read here (`StoreFile.versions`), cheaply: a stat, then the store only
when it was written.
"""
from __future__ import annotations

import errno
import os
import stat
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics.dossiers.tables import (
    IMPORTS,
    LISTS,
    SCHEMA,
    VERSIONS_SCHEMA,
    has_table,
    prepare_versions,
)

DATA_DIR_VARIABLE = "ONESTOP_DATA_DIR"
# Beside the code, wherever the program is started from: the dashboard and the command line find the same store.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DB_FILE = "onestop.duckdb"

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


class StoreFile:
    """The store's file and the turns taken on it; the parts of the store (stored_imports.py, stored_reported.py,
    stored_sessions.py) open their connections here."""

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
                if has_table(con, "versions") else None
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
                for statement in SCHEMA:
                    con.execute(statement)
                con.execute(VERSIONS_SCHEMA)
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
                        for statement in SCHEMA:
                            con.execute(statement)
                        prepare_versions(con)
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


def rollback(con) -> None:
    """Undo the open transaction. One whose COMMIT failed (a full disk) is already undone, and DuckDB then refuses
    a ROLLBACK: that refusal must not hide the first error."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def taken_key(error: duckdb.Error) -> bool:
    """A primary key or unique value already in the store (checked at the statement, or at COMMIT)."""
    text = str(error).lower()
    return isinstance(error, duckdb.ConstraintException) or "duplicate key" in text


def inconsistent(path: Path, what: str) -> str:
    """A key the store itself hands out is already taken: the file was changed by something other than this
    program (its numbering is behind its rows)."""
    return (f"Kho dữ liệu {path} không nhận {what}: một số hiệu do kho cấp đã bị dùng (tệp kho có thể đã bị sửa "
            f"bằng chương trình khác). Không có gì được ghi thêm; dữ liệu đã có trong kho vẫn nguyên vẹn. Hãy báo cho "
            f"người quản trị, gửi kèm tệp kho.")


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
