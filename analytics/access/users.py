"""Who may use the dashboard: user accounts kept in the store, passwords hashed with Argon2id (argon2-cffi), failed
sign-ins that slow down and then lock the account for a while.

Roles nest: a viewer sees every figure and screen and changes nothing; an analyst also imports, removes imports,
edits mappings and sessions and makes outputs; an admin also manages users and reads the audit trail. A password is
never stored, logged or returned: only its hash is kept.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.dossiers.store import Store

VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"
ROLES = (VIEWER, ANALYST, ADMIN)  # each role has the rights of those before it
ROLE_LABELS = {VIEWER: "Người xem", ANALYST: "Chuyên viên phân tích", ADMIN: "Quản trị"}

MIN_PASSWORD_LENGTH = 10
SLOW_DOWN_FROM = 2                 # failures in a row before each further attempt is slowed down
MAX_DELAY_SECONDS = 8.0
LOCK_AFTER = 5                     # failures in a row that lock the account
LOCK_MINUTES = 15
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")

_HASHER = PasswordHasher()  # Argon2id with the library's current parameters (RFC 9106 low-memory profile)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


class UserError(ValueError):
    """A user command that cannot be done as asked; the message says why, in Vietnamese."""


def may(role: str, needed: str) -> bool:
    """Whether `role` has the rights of `needed`."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    failures: int = 0
    locked_until: dt.datetime | None = None
    created_at: dt.datetime | None = None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: the user when it succeeded, else a message to show (never which of name or
    password was wrong)."""
    user: User | None
    message: str = ""
    locked: bool = False


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise UserError(f'Tên đăng nhập "{name}" không hợp lệ: dùng 2–32 ký tự thường không dấu (a–z, 0–9, dấu chấm, '
                        "gạch dưới, gạch ngang), bắt đầu bằng chữ hoặc số, ví dụ nguyen.van.a.")
    return name


def check_password(password: str, name: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD_LENGTH} ký tự (nên dùng một câu dễ nhớ).")
    if password.strip().lower() == name.lower():
        raise UserError("Mật khẩu không được trùng tên đăng nhập.")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f'Vai trò "{role}" không có: chọn một trong {", ".join(ROLES)}.')
    return role


def delay_after(failures: int) -> float:
    """Seconds to wait before answering an attempt that follows `failures` failures in a row."""
    if failures < SLOW_DOWN_FROM:
        return 0.0
    return min(0.5 * 2 ** (failures - SLOW_DOWN_FROM), MAX_DELAY_SECONDS)


class Users:
    """The user accounts of one store."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] = dt.datetime.now,
                 sleep: Callable[[float], None] = time.sleep):
        self.store, self.clock, self.sleep = store, clock, sleep

    def all(self) -> list[User]:
        if not self.store.exists:
            return []
        with self.store.connection(read_only=True) as con:
            rows = con.execute("SELECT name, role, failures, locked_until, created_at FROM users ORDER BY name"
                               ).fetchall()
        return [User(*row) for row in rows]

    def any(self) -> bool:
        if not self.store.exists:
            return False
        with self.store.connection(read_only=True) as con:
            return con.execute("SELECT count(*) FROM users").fetchone()[0] > 0

    def get(self, name: str) -> User | None:
        return next((u for u in self.all() if u.name == name), None)

    def add(self, name: str, role: str, password: str) -> User:
        check_name(name), check_role(role), check_password(password, name)
        now = self.clock()
        with self.store.connection() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise UserError(f'Đã có tài khoản "{name}". Đổi mật khẩu bằng: python -m analytics users passwd {name}')
            con.execute("INSERT INTO users (name, role, password_hash, failures, locked_until, created_at, updated_at) "
                        "VALUES (?, ?, ?, 0, NULL, ?, ?)", [name, role, _HASHER.hash(password), now, now])
        return User(name, role, created_at=now)

    def remove(self, name: str) -> None:
        self._require(name)
        with self.store.connection() as con:
            con.execute("DELETE FROM users WHERE name = ?", [name])

    def set_password(self, name: str, password: str) -> None:
        self._require(name)
        check_password(password, name)
        self._update(name, password_hash=_HASHER.hash(password), failures=0, locked_until=None)

    def set_role(self, name: str, role: str) -> None:
        self._require(name)
        self._update(name, role=check_role(role))

    def unlock(self, name: str) -> None:
        self._require(name)
        self._update(name, failures=0, locked_until=None)

    def sign_in(self, name: str, password: str) -> SignIn:
        """Check a name and password. After SLOW_DOWN_FROM failures in a row each attempt waits longer; after
        LOCK_AFTER the account is locked for LOCK_MINUTES minutes (an admin can unlock it sooner)."""
        name = (name or "").strip().lower()
        row = self._credentials(name)
        if row is None:
            _verify(_dummy_hash(), password)
            return SignIn(None, WRONG)
        user, stored_hash = row
        now = self.clock()
        if user.locked(now):
            return SignIn(None, _locked_message(user.locked_until), locked=True)
        failures = 0 if user.locked_until is not None else user.failures  # a lock that ran out starts afresh
        self.sleep(delay_after(failures))
        if not _verify(stored_hash, password):
            failures += 1
            locked_until = now + dt.timedelta(minutes=LOCK_MINUTES) if failures >= LOCK_AFTER else None
            self._update(name, failures=failures, locked_until=locked_until)
            if locked_until:
                return SignIn(None, _locked_message(locked_until), locked=True)
            left = LOCK_AFTER - failures
            return SignIn(None, f"{WRONG} Còn {left} lần thử trước khi tài khoản bị tạm khoá {LOCK_MINUTES} phút.")
        changes = {"failures": 0, "locked_until": None}
        if _HASHER.check_needs_rehash(stored_hash):
            changes["password_hash"] = _HASHER.hash(password)
        self._update(name, **changes)
        return SignIn(User(user.name, user.role, created_at=user.created_at))

    def _credentials(self, name: str) -> tuple[User, str] | None:
        if not self.store.exists:
            return None
        with self.store.connection(read_only=True) as con:
            row = con.execute("SELECT name, role, failures, locked_until, created_at, password_hash FROM users "
                              "WHERE name = ?", [name]).fetchone()
        return (User(*row[:5]), row[5]) if row else None

    def _require(self, name: str) -> None:
        if self.get(name) is None:
            raise UserError(f'Không có tài khoản "{name}". Xem danh sách bằng: python -m analytics users list')

    def _update(self, name: str, **values) -> None:
        columns = ", ".join(f"{column} = ?" for column in values)  # column names from this module only
        with self.store.connection() as con:
            con.execute(f"UPDATE users SET {columns}, updated_at = ? WHERE name = ?",
                        [*values.values(), self.clock(), name])


@functools.cache
def _dummy_hash() -> str:
    """Checked against for an unknown name, which then costs the same time as a wrong password. Made on first use,
    not when the module is imported (every command and the dashboard's start import it)."""
    return _HASHER.hash("a password nobody has")


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _locked_message(until: dt.datetime) -> str:
    return (f"Tài khoản đang tạm khoá vì nhập sai mật khẩu nhiều lần, đến {until:%H:%M %d/%m/%Y}. Hãy thử lại sau "
            "thời điểm đó, hoặc nhờ người quản trị mở khoá (python -m analytics users unlock TÊN).")
