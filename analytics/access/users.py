"""Who may use the dashboard: user accounts kept in the store, passwords hashed with Argon2id (argon2-cffi), failed
sign-ins that slow down and then lock the name for a while, and a budget of failed sign-ins per client.

Roles nest: a viewer sees every figure and screen and changes nothing; an analyst also imports, removes imports,
edits mappings and sessions and makes outputs; an admin also manages users and reads the audit trail. A password is
never stored, logged or returned: only its hash is kept.

A sign-in attempt (`Users.sign_in`) is counted before any password is checked, in one store transaction that reads
the counts, decides and writes them (security test H1: parallel attempts all read the same count and overwrote each
other). Counting comes first: a name locked, or a client over its budget, is refused without a hash. A name is
counted whether or not it is an account's, so an unknown name gets the same answer, the same delay and the same
lock as a wrong password (M1), and no message says when to try again (L8). At most PARALLEL_CHECKS password checks
run at once in the process (each costs 64 MiB of memory). A password change, a role change, a lock and a removal end
the account's sessions (analytics/access/tokens.py).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.access import tokens
from analytics.dossiers.store import Store

VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"
ROLES = (VIEWER, ANALYST, ADMIN)  # each role has the rights of those before it
ROLE_LABELS = {VIEWER: "Người xem", ANALYST: "Chuyên viên phân tích", ADMIN: "Quản trị"}

MIN_PASSWORD_LENGTH = 10
SLOW_DOWN_FROM = 2                 # failures in a row before each further attempt is slowed down
MAX_DELAY_SECONDS = 8.0
LOCK_AFTER = 5                     # failures in a row that lock the name
LOCK_MINUTES = 15
CLIENT_BUDGET = 30                 # failed sign-ins one client (browser address) may make …
CLIENT_WINDOW_MINUTES = 15         # … in this many minutes; then it is refused until the window ends
PARALLEL_CHECKS = 2                # password checks at once in this process
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
THIS_COMPUTER = "máy này"          # the client of a browser on the server itself (or behind a proxy that says nothing)

_HASHER = PasswordHasher()  # Argon2id with the library's current parameters (RFC 9106 low-memory profile)
_CHECKS = threading.BoundedSemaphore(PARALLEL_CHECKS)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
WRONG_MESSAGE = f"{WRONG} Nhập sai nhiều lần liên tiếp thì tên đăng nhập sẽ bị tạm khoá một thời gian."
LOCKED_MESSAGE = ("Tên đăng nhập này đang bị tạm khoá vì nhập sai mật khẩu nhiều lần liên tiếp. Hãy thử lại sau, "
                  "hoặc nhờ người quản trị mở khoá (python -m analytics users unlock TÊN).")
CLIENT_BLOCKED_MESSAGE = ("Máy này đã đăng nhập không thành công quá nhiều lần. Hãy thử lại sau, hoặc nhờ người quản "
                          "trị kiểm tra.")


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
    password was wrong, never when to try again). `waited`: the seconds the attempt was slowed down by."""
    user: User | None
    message: str = ""
    locked: bool = False
    waited: float = 0.0


def normalise_name(name: str | None) -> str:
    """A name as typed, the way it is looked up: any case, spaces around."""
    return (name or "").strip().lower()


def valid_name(name: str) -> bool:
    return bool(NAME_PATTERN.fullmatch(name or ""))


def check_name(name: str) -> str:
    if not valid_name(name):
        raise UserError(f'Tên đăng nhập "{name}" không hợp lệ: dùng 2–32 ký tự thường không dấu (a–z, 0–9, dấu chấm, '
                        "gạch dưới, gạch ngang), bắt đầu bằng chữ hoặc số, ví dụ nguyen.van.a.")
    return name


# --- The password policy (security test L5) -----------------------------------------------------------------------

HOW_TO_CHOOSE = ("Hãy chọn một câu dễ nhớ của riêng bạn, từ 10 ký tự trở lên, ví dụ ba bốn từ không liên quan ghép "
                 "lại (có dấu hay không dấu đều được); đừng dùng tên, ngày sinh, số điện thoại, tên cơ quan hay một "
                 "dãy phím.")
# Roots that, alone or with digits and signs before or after them, make the passwords tried first: from the
# best-known lists of leaked passwords (the NCSC's top 100,000, SecLists' most common credentials), and the
# Vietnamese ones (mật khẩu, anh yêu em, tên nơi chốn), compared without case, accents or spaces.
COMMON_ROOTS = frozenset("""
password passwd passw0rd pass matkhau mk matkhaumoi matkhaucu doimatkhau qwerty qwertz azerty asdf asdfgh asdfghjkl
zxcvbn zxcvbnm qazwsx qazwsxedc wsxedc iloveyou iloveu loveyou love lover yeuem anhyeuem emyeuanh yeuanh toiyeuem
iuem iuanh anhiuem emiuanh thuongem nhoem admin administrator admins quantri quantrivien root sysadmin superuser
user users guest test tester testing demo default changeme welcome letmein hello hellohello xinchao chaoban chaoem
secret secure security master monkey dragon football baseball soccer hockey basketball sunshine princess shadow
superman batman spiderman starwars trustno whatever freedom computer internet michael jennifer jordan hunter ranger
buster killer george charlie andrew thomas robert daniel jessica ashley nicole michelle summer winter spring autumn
abc abcd abcde abcdef abcdefg abcxyz xyz aaa qwe qweasd qweasdzxc asd zxc vietnam vietnamese hanoi saigon
hochiminh tphcm danang haiphong cantho hue langson nghean thanhhoa hdnd ubnd hoidong hoidongnhandan uybannhandan
motcua bophanmotcua onestop giamsat doangiamsat vanphong taikhoan dangnhap congchuc canbo chuyenvien ketoan
nguyen tran le pham hoang phan vu dang bui do ho ngo duong ly minh anh linh trang huong hung tuan nam long
google facebook gmail yahoo zalo samsung nokia iphone apple microsoft windows linux ubuntu oracle cisco
pokemon naruto minecraft liverpool chelsea arsenal manchester manutd barcelona realmadrid juventus
chocolate butterfly elephant tigger pepper ginger cookie banana orange flower
baby angel family friend forever happy lucky money music purple silver star sunny tiger lion
hanh thao mai lan hoa ngoc phuong thanh quang duc khanh huy hieu trung son thu ha vy nhung dung binh cuong hai
kien lam loan my nga nhi oanh phuc quynh tam thang thinh thuy tien tung uyen van viet xuan yen giang khoa
""".split())
# Whole passwords from the same lists that the roots above do not catch (keyboard walks, mixed runs).
COMMON_PASSWORDS = frozenset("""
1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u 1qaz2wsx 1qaz2wsx3edc 1qazxsw2 1qaz@wsx !qaz2wsx zaq12wsx zaq1zaq1
xsw21qaz q1w2e3r4t5 q1w2e3r4t5y6 a1b2c3d4e5 1a2b3c4d5e 123qweasd 123qweasdzxc qweasdzxc123 qwe123qwe 123qwe123
1234qwer 1234qwerasdf qwer1234 qwerasdf 147258369 159753456 159357456 741852963 963852741 123654789 147896325
1234567890 0123456789 12345678910 123456789a 123456789q 1234567890q a123456789 aa123456789 aa12345678
abc123456789 123abc456 12qwaszx 12qwaszx34 1z2x3c4v5b zxcvbnm123 zxcvbnm1234 mnbvcxz123 poiuytrewq lkjhgfdsa
qwertyuiop asdfghjkl zxcvbnm qwertyuiopasdfghjkl qwertyuiop123 1qwerty123 123qwerty qwerty12345 1234567890qwerty
password1234 password12345 p@ssw0rd123 p@55w0rd p4ssw0rd passw0rd123 1password 12password mypassword
mypassword123 yourpassword newpassword oldpassword
""".split())
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "5": "s", "$": "s", "7": "t"})
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
              "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p")


def _plain(text: str) -> str:
    """Lower case, no accents (đ as d), no spaces."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c) and not c.isspace())


def _core(plain: str) -> str:
    """A password without the digits and signs before and after its letters, read past leetspeak (p@ssw0rd)."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", plain).translate(_LEET)


def _repeats(text: str) -> bool:
    """Whether the text is a short chunk said over and over (abcabcabc, 12121212)."""
    return any(len(text) % n == 0 and text == text[:n] * (len(text) // n) for n in range(1, len(text) // 2 + 1))


def _run(text: str) -> bool:
    """Whether the text is a run of a keyboard row or of the alphabet or the digits, either way round."""
    return len(text) >= 4 and any(text in seq or text in seq[::-1] for seq in _SEQUENCES)


def password_problem(password: str, name: str = "") -> str | None:
    """What makes a password too easy to guess, in Vietnamese with how to choose a better one; None if it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD_LENGTH} ký tự. {HOW_TO_CHOOSE}"
    if sum(c.isspace() for c in password) * 2 >= len(password):
        return f"Mật khẩu phần lớn là dấu cách. {HOW_TO_CHOOSE}"
    plain = _plain(password)
    if len(set(plain)) == 1:
        return f"Mật khẩu chỉ là một ký tự lặp lại. {HOW_TO_CHOOSE}"
    if plain.isdigit():
        return f"Mật khẩu chỉ có chữ số (như ngày sinh hay số điện thoại), rất dễ đoán. {HOW_TO_CHOOSE}"
    if _repeats(plain) or len(set(plain)) < 4:
        return f"Mật khẩu chỉ là vài ký tự lặp đi lặp lại. {HOW_TO_CHOOSE}"
    if _run(plain):
        return f"Mật khẩu là một dãy phím hoặc dãy ký tự liền nhau (như qwertyuiop, 1234567890). {HOW_TO_CHOOSE}"
    own = _plain(name)
    if own and (own in plain and len(plain) - len(own) < 6 or _core(plain) == _core(own)):
        return f"Mật khẩu không được trùng tên đăng nhập, hay là tên đăng nhập thêm vài ký tự. {HOW_TO_CHOOSE}"
    core = _core(plain)
    if plain in COMMON_PASSWORDS or core in COMMON_ROOTS \
            or core in COMMON_PASSWORDS or _repeats(core) or _run(core):
        return (f"Mật khẩu này thuộc loại được thử đầu tiên khi dò mật khẩu (như matkhau123, password@2024, "
                f"anhyeuem123, admin@123). {HOW_TO_CHOOSE}")
    return None


def check_password(password: str, name: str) -> str:
    problem = password_problem(password, name)
    if problem:
        raise UserError(problem)
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


def name_subject(name: str) -> str:
    return f"ten:{name}"


def client_subject(client: str | None) -> str:
    return f"may:{client or THIS_COMPUTER}"


@dataclass(frozen=True)
class _Turn:
    """What counting an attempt decided: refused (with the message) before any check, or allowed after `before`
    failures in a row (the delay), with the stored hash to check (None: an unknown name)."""
    refused: str | None = None
    before: int = 0
    locks: bool = False
    stored_hash: str | None = None


class Users:
    """The user accounts of one store."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] = dt.datetime.now,
                 sleep: Callable[[float], None] = time.sleep):
        self.store, self.clock, self.sleep = store, clock, sleep

    def all(self) -> list[User]:
        if not self.store.exists:
            return []
        now = self.clock()
        with self.store.connection(read_only=True) as con:
            rows = con.execute(
                "SELECT u.name, u.role, "
                "CASE WHEN f.locked_until IS NOT NULL AND f.locked_until <= ? THEN 0 ELSE coalesce(f.failures, 0) END, "
                "CASE WHEN f.locked_until > ? THEN f.locked_until END, u.created_at "
                "FROM users u LEFT JOIN sign_in_failures f ON f.subject = 'ten:' || u.name ORDER BY u.name",
                [now, now]).fetchall()
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
                        "VALUES (?, ?, ?, 0, NULL, ?, ?)", [name, role, _hash(password), now, now])
        return User(name, role, created_at=now)

    def remove(self, name: str) -> None:
        self._require(name)
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM users WHERE name = ?", [name])
            tokens.revoke_all_in(con, name, self.clock(), "account removed")
            con.execute("COMMIT")

    def set_password(self, name: str, password: str) -> None:
        """A new password; the name is unlocked and every session of the account ends."""
        self._require(name)
        check_password(password, name)
        new_hash = _hash(password)
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?",
                        [new_hash, self.clock(), name])
            con.execute("DELETE FROM sign_in_failures WHERE subject = ?", [name_subject(name)])
            tokens.revoke_all_in(con, name, self.clock(), "password changed")
            con.execute("COMMIT")

    def set_role(self, name: str, role: str) -> None:
        """A new role; every session of the account ends (the person signs in again with the new rights)."""
        self._require(name)
        check_role(role)
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE users SET role = ?, updated_at = ? WHERE name = ?", [role, self.clock(), name])
            tokens.revoke_all_in(con, name, self.clock(), "role changed")
            con.execute("COMMIT")

    def unlock(self, name: str) -> None:
        """Forget the failures in a row (sessions are not given back: the lock ended them)."""
        self._require(name)
        with self.store.connection() as con:
            con.execute("DELETE FROM sign_in_failures WHERE subject = ?", [name_subject(name)])

    def sign_in(self, name: str, password: str, client: str | None = None) -> SignIn:
        """Check a name and password typed by a person at `client` (the browser's address; None: this computer).

        The attempt is counted first, in one transaction: refused at once when the name is locked or the client is
        over its budget; else the name's failures in a row go up by one before the password is checked (and the
        name locks at LOCK_AFTER), and the client's failures too. Then the attempt waits `delay_after(failures
        before it)`, and the password is checked (at most PARALLEL_CHECKS at once), against a stand-in hash for a
        name that is no account's. A right password sets the name's count back to 0 and gives the client its
        attempt back. Unknown names are counted, delayed and locked exactly like accounts."""
        name = normalise_name(name)
        subject = name_subject(name) if valid_name(name) else None  # a malformed name is no account's, and is not kept
        stand_in = _dummy_hash()  # made by the first attempt of any name: never a cost only unknown names pay
        turn = self._take_turn(subject, client_subject(client), name)
        if turn.refused:
            return SignIn(None, turn.refused, locked=True)
        waited = delay_after(turn.before)
        self.sleep(waited)
        with _CHECKS:
            right = _verify(turn.stored_hash or stand_in, password) and turn.stored_hash is not None
        if not right:
            if turn.locks:
                self.revoke_all_quietly(name)
            return SignIn(None, LOCKED_MESSAGE if turn.locks else WRONG_MESSAGE, locked=turn.locks, waited=waited)
        user = self._succeeded(name, client_subject(client), password, turn.stored_hash)
        if user is None:  # the account was removed while its password was checked
            return SignIn(None, WRONG_MESSAGE, waited=waited)
        return SignIn(user, waited=waited)

    def revoke_all_quietly(self, name: str) -> None:
        with self.store.connection() as con:
            tokens.revoke_all_in(con, name, self.clock(), "locked")

    def _take_turn(self, subject: str | None, client: str, name: str) -> _Turn:
        now = self.clock()
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                turn = self._count(con, subject, client, name, now)
                con.execute("COMMIT")
            except Exception:
                _rollback(con)
                raise
        return turn

    def _count(self, con, subject: str | None, client: str, name: str, now: dt.datetime) -> _Turn:
        """Read, decide and write the counts of one attempt (inside the caller's transaction)."""
        window = dt.timedelta(minutes=CLIENT_WINDOW_MINUTES)
        kept = con.execute("SELECT subject, failures, first_at, locked_until FROM sign_in_failures "
                           "WHERE subject IN (?, ?)", [client, subject or client]).fetchall()
        rows = {row[0]: row[1:] for row in kept}
        c_failures, c_first, c_locked = rows.get(client, (0, now, None))
        if c_locked is not None and c_locked > now:
            return _Turn(refused=CLIENT_BLOCKED_MESSAGE)
        if c_locked is not None or now - c_first > window:  # the window is over: a new one starts
            c_failures, c_first, c_locked = 0, now, None
        n_failures, n_first, n_locked = rows.get(subject, (0, now, None)) if subject else (0, now, None)
        if n_locked is not None and n_locked > now:
            return _Turn(refused=LOCKED_MESSAGE)
        if n_locked is not None:  # a lock that ran out starts afresh
            n_failures, n_first, n_locked = 0, now, None
        before = n_failures
        locks = subject is not None and before + 1 >= LOCK_AFTER
        c_failures += 1
        if c_failures >= CLIENT_BUDGET:
            c_locked = c_first + window
        upsert = ("INSERT INTO sign_in_failures VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET "
                  "failures = excluded.failures, first_at = excluded.first_at, last_at = excluded.last_at, "
                  "locked_until = excluded.locked_until")
        con.execute(upsert, [client, c_failures, c_first, now, c_locked])
        if subject is not None:
            con.execute(upsert, [subject, before + 1, n_first, now,
                                 now + dt.timedelta(minutes=LOCK_MINUTES) if locks else None])
        con.execute("DELETE FROM sign_in_failures WHERE last_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                    [now - dt.timedelta(days=1), now])
        row = con.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone() if subject else None
        return _Turn(before=before, locks=locks, stored_hash=row[0] if row else None)

    def _succeeded(self, name: str, client: str, password: str, stored_hash: str) -> User | None:
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            row = con.execute("SELECT name, role, created_at FROM users WHERE name = ?", [name]).fetchone()
            con.execute("DELETE FROM sign_in_failures WHERE subject = ?", [name_subject(name)])
            con.execute("UPDATE sign_in_failures SET failures = greatest(failures - 1, 0) WHERE subject = ? "
                        "AND locked_until IS NULL", [client])
            if row is not None and _HASHER.check_needs_rehash(stored_hash):
                con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_hash(password), name])
            con.execute("COMMIT")
        return User(row[0], row[1], created_at=row[2]) if row else None

    def _require(self, name: str) -> None:
        if self.get(name) is None:
            raise UserError(f'Không có tài khoản "{name}". Xem danh sách bằng: python -m analytics users list')


@functools.cache
def _dummy_hash() -> str:
    """Checked against for an unknown name, which then costs the same time as a wrong password. Made on first use,
    not when the module is imported (every command and the dashboard's start import it)."""
    return _HASHER.hash("a password nobody has")


def _hash(password: str) -> str:
    with _CHECKS:
        return _HASHER.hash(password)


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _rollback(con) -> None:
    try:
        con.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - a transaction already undone must not hide the first error
        pass
