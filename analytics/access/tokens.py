"""Sign-in tokens: what keeps a person signed in across a reload (F5) and in a second tab, and what ends it.

A successful sign-in issues a random token (`secrets.token_urlsafe(32)`). The store keeps only its SHA-256, with the
account's name, when it was made and when it was last seen. The browser holds the token itself in an HttpOnly,
SameSite=Strict cookie (Secure over HTTPS), which Streamlit cannot set: the server edge does it on two routes of its
own, calling this module.

- HANDOVER_PATH `?ma=CODE&tiep=/path`: `redeem(CODE)` gives the token (the code is used up), the edge sets the cookie
  COOKIE and answers 303 to `safe_next(tiep)`. The dashboard sends the browser there right after a sign-in, with a
  one-time code (`handover`, valid HANDOVER_SECONDS) standing for the token, so the token never appears in a URL.
  The code is kept only as a hash, and the token it stands for is kept sealed by the code (XOR with an HMAC of the
  code): the store never holds a usable token or code.
- SIGN_OUT_PATH `?tiep=/path`: `revoke(cookie)`, the edge clears the cookie and answers 303 to `safe_next(tiep)`.

`person(token, idle)` decides on every run (and before every download) who the token stands for: nobody when it is
unknown, revoked, idle longer than `idle`, older than LIFETIME, or when its account was removed or is locked.
A password change, a role change, a lock and a removal revoke every token of the account (`revoke_all`, called by
analytics/access/users.py in the same transaction as the change); unlocking revokes nothing (the lock already did).

A token the edge has handed to a browser as a cookie is marked `bound`: a Streamlit session that holds it but whose
browser did not send the cookie is not that person's (a session id taken over by another browser, review M7).

Last seen is written at most every TOUCH_EVERY (or a quarter of the idle limit if that is shorter), so a person's
runs do not each write the store; idle expiry is therefore exact to that much. What `person` read is kept in memory
while the store's files are unchanged (a stat, no connection), so most runs do not open the store at all.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from analytics.dossiers.store import Store

COOKIE = "onestop_phien"
HANDOVER_PATH = "/_onestop/dang-nhap"     # GET ?ma=CODE&tiep=/path : redeems CODE, sets the cookie, 303 to tiep
SIGN_OUT_PATH = "/_onestop/dang-xuat"     # GET ?tiep=/path : revokes the cookie's token, clears it, 303 to tiep
HANDOVER_SECONDS = 60
TOUCH_EVERY = dt.timedelta(seconds=30)    # last seen is written at most this often per token (a quarter of a
                                          # shorter idle limit)
LIFETIME = dt.timedelta(hours=12)         # a token ends this long after the sign-in, however active (a working day)
KEEP_ENDED = dt.timedelta(days=30)        # ended tokens are forgotten after this
# Set (to "1") by the server edge when it serves HANDOVER_PATH and SIGN_OUT_PATH in this process (`announce_edge`):
# only then does the dashboard send browsers there.
EDGE_VARIABLE = "ONESTOP_EDGE"

LIVE, UNKNOWN, REVOKED, IDLE, EXPIRED, REMOVED, LOCKED = (
    "live", "unknown", "revoked", "idle", "expired", "removed", "locked")


@dataclass(frozen=True)
class Check:
    """What a token stands for now: (name, role) when live, else None and why (one of the constants above)."""
    who: tuple[str, str] | None
    state: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def announce_edge() -> None:
    """Called once by the server edge when its routes are mounted in this process."""
    os.environ[EDGE_VARIABLE] = "1"


def edge_serving() -> bool:
    return os.environ.get(EDGE_VARIABLE) == "1"


def safe_next(tiep: str | None) -> str:
    """Where the edge may send the browser after a handover or a sign-out: a path of this site only (never another
    site, never a scheme-relative `//host`), else `/`."""
    if not tiep or not tiep.startswith("/") or tiep.startswith(("//", "/\\")) or any(ord(c) < 32 for c in tiep):
        return "/"
    parts = urlsplit(tiep)
    if parts.scheme or parts.netloc:
        return "/"
    return tiep


def revoke_all_in(con, name: str, now: dt.datetime, reason: str) -> None:
    """Revoke every live token of `name` on an open connection (inside the caller's transaction)."""
    con.execute("UPDATE sign_in_tokens SET revoked_at = ?, reason = ? WHERE name = ? AND revoked_at IS NULL",
                [now, reason, name])
    _forget(lambda entry: entry[1] == name)


# token hash -> (store signature, name, role, last seen, created): what `person` last read, per store file.
_SEEN: dict[tuple[str, str], tuple] = {}
_SEEN_LOCK = threading.Lock()


def _forget(matches) -> None:
    with _SEEN_LOCK:
        for key in [k for k, v in _SEEN.items() if matches((k, v[1]))]:
            _SEEN.pop(key, None)


class Tokens:
    def __init__(self, store: Store, clock: Callable[[], dt.datetime] = dt.datetime.now):
        self.store, self.clock = store, clock

    def issue(self, name: str) -> str:
        """A new token for the account."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM sign_in_tokens WHERE (revoked_at IS NOT NULL AND revoked_at < ?) "
                        "OR last_seen < ?", [now - KEEP_ENDED, now - KEEP_ENDED])
            con.execute("INSERT INTO sign_in_tokens (token_hash, name, created_at, last_seen, revoked_at, reason, "
                        "bound) VALUES (?, ?, ?, ?, NULL, NULL, false)", [digest(token), name, now, now])
            con.execute("COMMIT")
        return token

    def handover(self, token: str) -> str:
        """A one-time code, valid HANDOVER_SECONDS, standing for the token."""
        code = secrets.token_urlsafe(32)
        now = self.clock()
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM sign_in_handovers WHERE expires_at < ?", [now])
            con.execute("INSERT INTO sign_in_handovers VALUES (?, ?, ?)",
                        [digest(code), _seal(code, token), now + dt.timedelta(seconds=HANDOVER_SECONDS)])
            con.execute("COMMIT")
        return code

    def redeem(self, code: str) -> str | None:
        """The token the code stands for (the code is used up, and the token marked as held by a browser); None if
        the code is unknown, expired or used, or its token has ended."""
        if not code or len(code) > 100:
            return None
        now = self.clock()
        with self.store.connection() as con:
            con.execute("BEGIN TRANSACTION")
            row = con.execute("SELECT sealed, expires_at FROM sign_in_handovers WHERE code_hash = ?",
                              [digest(code)]).fetchone()
            if row is None:
                con.execute("COMMIT")
                return None
            con.execute("DELETE FROM sign_in_handovers WHERE code_hash = ?", [digest(code)])
            token = _unseal(code, row[0]) if row[1] >= now else None
            if token is not None:
                live = con.execute("SELECT 1 FROM sign_in_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                                   [digest(token)]).fetchone()
                if live:
                    con.execute("UPDATE sign_in_tokens SET bound = true WHERE token_hash = ?", [digest(token)])
                else:
                    token = None
            con.execute("COMMIT")
        return token

    def person(self, token: str | None, idle: dt.timedelta) -> tuple[str, str] | None:
        """(name, role) of a live token, its last seen updated; None when unknown, idle past the limit, revoked,
        too old, or its account removed or locked."""
        return self.check(token, idle).who

    def check(self, token: str | None, idle: dt.timedelta) -> Check:
        """As `person`, with the reason when the token is not live. A token found idle or too old is revoked."""
        if not token or len(token) > 100:
            return Check(None, UNKNOWN)
        now, key = self.clock(), (str(self.store.path), digest(token))
        with _SEEN_LOCK:
            seen = _SEEN.get(key)
        touch = min(TOUCH_EVERY, idle / 4)
        if seen is not None and seen[0] == self._signature() and now - seen[3] < touch \
                and now - seen[3] <= idle and now - seen[4] < LIFETIME:
            return Check((seen[1], seen[2]), LIVE)  # nothing was written to the store since it was read
        if not self.store.exists:
            return Check(None, UNKNOWN)
        with self.store.connection() as con:
            before = self._signature()  # taken once the store is open: a write from now on is seen next time
            con.execute("BEGIN TRANSACTION")
            try:
                check, last_seen, created, wrote = self._check_in(con, key[1], now, idle, touch)
                con.execute("COMMIT")
            except Exception:
                _rollback(con)
                raise
        with _SEEN_LOCK:
            if check.who is None or wrote:  # after a write of our own, the next check reads again (and keeps)
                _SEEN.pop(key, None)
            else:
                _SEEN[key] = (before, *check.who, last_seen, created)
        return check

    def _check_in(self, con, token_hash: str, now: dt.datetime, idle: dt.timedelta, touch: dt.timedelta) -> tuple:
        """(Check, last seen, created, whether the store was written)."""
        row = con.execute(
            "SELECT t.name, u.role, t.created_at, t.last_seen, t.revoked_at, f.locked_until "
            "FROM sign_in_tokens t LEFT JOIN users u ON u.name = t.name "
            "LEFT JOIN sign_in_failures f ON f.subject = 'ten:' || t.name WHERE t.token_hash = ?",
            [token_hash]).fetchone()
        if row is None:
            return Check(None, UNKNOWN), now, now, False
        name, role, created, last_seen, revoked_at, locked_until = row
        if revoked_at is not None:
            return Check(None, REVOKED), last_seen, created, False
        ended = (REMOVED if role is None else LOCKED if locked_until is not None and locked_until > now
                 else EXPIRED if now - created >= LIFETIME else IDLE if now - last_seen > idle else None)
        if ended is not None:
            con.execute("UPDATE sign_in_tokens SET revoked_at = ?, reason = ? WHERE token_hash = ?",
                        [now, ended, token_hash])
            return Check(None, ended), last_seen, created, True
        if now - last_seen >= touch:
            con.execute("UPDATE sign_in_tokens SET last_seen = ? WHERE token_hash = ?", [now, token_hash])
            return Check((name, role), LIVE), now, created, True
        return Check((name, role), LIVE), last_seen, created, False

    def alive(self, token: str | None, idle: dt.timedelta) -> bool:
        """Whether the token is live, without counting as use (last seen is not written) and without ending it: for
        a watch that runs on its own every while."""
        if not token or len(token) > 100 or not self.store.exists:
            return False
        now, key = self.clock(), (str(self.store.path), digest(token))
        with _SEEN_LOCK:
            seen = _SEEN.get(key)
        if seen is not None and seen[0] == self._signature():
            return now - seen[3] <= idle and now - seen[4] < LIFETIME
        with self.store.connection(read_only=True) as con:
            row = con.execute(
                "SELECT u.role, t.created_at, t.last_seen, t.revoked_at, f.locked_until "
                "FROM sign_in_tokens t LEFT JOIN users u ON u.name = t.name "
                "LEFT JOIN sign_in_failures f ON f.subject = 'ten:' || t.name WHERE t.token_hash = ?",
                [key[1]]).fetchone()
        if row is None:
            return False
        role, created, last_seen, revoked_at, locked_until = row
        return (role is not None and revoked_at is None and (locked_until is None or locked_until <= now)
                and now - created < LIFETIME and now - last_seen <= idle)

    def bound(self, token: str | None) -> bool:
        """Whether the token was handed to a browser as a cookie (then only a request carrying it stands for it)."""
        if not token or not self.store.exists:
            return False
        with self.store.connection(read_only=True) as con:
            row = con.execute("SELECT bound FROM sign_in_tokens WHERE token_hash = ?", [digest(token)]).fetchone()
        return bool(row and row[0])

    def revoke(self, token: str | None, reason: str = "sign out") -> None:
        if not token or not self.store.exists:
            return
        with self.store.connection() as con:
            con.execute("UPDATE sign_in_tokens SET revoked_at = ?, reason = ? WHERE token_hash = ? "
                        "AND revoked_at IS NULL", [self.clock(), reason, digest(token)])
        with _SEEN_LOCK:
            _SEEN.pop((str(self.store.path), digest(token)), None)

    def revoke_all(self, name: str, reason: str = "account changed") -> None:
        """Every token of the account: a password change, a role change, a lock, a removal (not an unlock)."""
        if not self.store.exists:
            return
        with self.store.connection() as con:
            revoke_all_in(con, name, self.clock(), reason)

    def live(self, name: str) -> int:
        """How many live tokens the account has (for the admin page and tests)."""
        if not self.store.exists:
            return 0
        with self.store.connection(read_only=True) as con:
            return con.execute("SELECT count(*) FROM sign_in_tokens WHERE name = ? AND revoked_at IS NULL",
                               [name]).fetchone()[0]

    def _signature(self) -> tuple:
        """Changes whenever the store is written (its file or its write-ahead log): a stat, no connection."""
        out = []
        for path in (self.store.path, self.store.path.with_name(self.store.path.name + ".wal")):
            try:
                stat = path.stat()
            except OSError:
                continue
            out.append((path.name, stat.st_mtime_ns, stat.st_size, stat.st_ino))
        return tuple(out)


def _rollback(con) -> None:
    try:
        con.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - a transaction already undone (a failed COMMIT) must not hide the first error
        pass


def _pad(code: str) -> bytes:
    return hmac.new(code.encode("utf-8"), b"onestop-handover", hashlib.sha256).digest()


def _seal(code: str, token: str) -> str:
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    return bytes(a ^ b for a, b in zip(raw, _pad(code), strict=True)).hex()


def _unseal(code: str, sealed: str) -> str | None:
    try:
        raw = bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _pad(code), strict=True))
    except ValueError:
        return None
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
