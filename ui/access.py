"""Who is using the dashboard, decided before anything is drawn.

- No account in the store: nobody sees anything but how to add one, unless single-user mode is asked for explicitly
  (ONESTOP_SINGLE_USER=1, or `streamlit run server.py -- --mot-nguoi-dung`), and then only while the server listens
  on this computer alone and the browser asked for it by a local name (review M6: never inferred from the browser's
  address, which a proxy or a tunnel makes look local).
- Accounts: nothing but the sign-in form until a person signs in. A sign-in issues a token (analytics/access/
  tokens.py) kept in session state and, when the server edge serves its routes, handed to the browser as an HttpOnly
  cookie: then a reload (F5) and a second tab stay signed in, and a Streamlit session whose browser does not send
  the cookie is nobody's (M7). Every run asks the store whether the token is still live (idle longer than
  ONESTOP_IDLE_MINUTES, revoked by a sign-out, a password or role change, a lock or a removal: M8), and so does
  every download before it records and serves.

dashboard.py calls `signed_in()` and draws the sign-in form; every page calls `page_guard()` first, which refuses a
page opened by its file name (Streamlit's legacy pages/ URLs, outside dashboard.py: review 4.8). Changes and
exports are written to the audit trail with `record`; a download records under the person who saw its button
(`export_recorder`, `deferred_export`, `download_button`): a callback runs before dashboard.py lets anyone in (H2).
"""
from __future__ import annotations

import datetime as dt
import html
import ipaddress
import json
import logging
import os
import runpy
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics.access import audit
from analytics.access import tokens as tk
from analytics.access.audit import AuditTrail
from analytics.access.tokens import Tokens
from analytics.access.users import ADMIN, ANALYST, ROLE_LABELS, THIS_COMPUTER, VIEWER, Users, may
from analytics.dossiers.store import StoreUnavailable
from analytics.outputs.formatting import markdown_text
from ui import data

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
IDLE_VARIABLE = "ONESTOP_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30
SINGLE_USER_VARIABLE = "ONESTOP_SINGLE_USER"
SINGLE_USER_FLAG = "--mot-nguoi-dung"
PERSON_KEY, _NOTICE, _LEAVING = "access_person", "access_notice", "access_leaving"  # session state
NOTICE_PARAM = "thong-bao"                                   # ?thong-bao=… after a sign-out through the edge
SIGNED_OUT = "da-dang-xuat"
ELSEWHERE = "elsewhere"   # a session holding a token its browser does not send
_frame = threading.local()  # set while dashboard.py runs a page: a page run without it was opened by file name
_log = logging.getLogger("dashboard.access")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    single_user: bool = False
    token: str | None = field(default=None, repr=False, compare=False)  # the sign-in's token (never shown)

    def may(self, needed: str) -> bool:
        return may(self.role, needed)

    @property
    def label(self) -> str:
        return "Chế độ một người dùng (trên máy này)" if self.single_user else \
            f"{self.name} · {ROLE_LABELS.get(self.role, self.role)}"


SINGLE_USER = Person("một người dùng trên máy này", ADMIN, single_user=True)


def idle_limit() -> dt.timedelta:
    try:
        return dt.timedelta(minutes=float(os.environ.get(IDLE_VARIABLE, DEFAULT_IDLE_MINUTES)))
    except ValueError:
        return dt.timedelta(minutes=DEFAULT_IDLE_MINUTES)


def _minutes(limit: dt.timedelta) -> str:
    seconds = int(limit.total_seconds())
    return f"{seconds // 60} phút" if seconds >= 60 else f"{seconds} giây"


# --- Single-user mode: only when asked for, only on this computer ------------------------------------------------

def single_user_asked() -> bool:
    return os.environ.get(SINGLE_USER_VARIABLE, "").strip() == "1" or SINGLE_USER_FLAG in sys.argv


def single_user_allowed() -> bool:
    """Asked for, the server listening on this computer only, and the page asked for by a local name (a page of
    another site that points its name at 127.0.0.1, DNS rebinding, sends its own name)."""
    return single_user_asked() and _is_loopback((st.get_option("server.address") or "").strip()) \
        and local_host(st.context.headers.get("Host"))


def local_host(host) -> bool:
    """Whether the browser asked for this computer by a local name (the request's Host header)."""
    if not isinstance(host, str) or not host:
        return True  # no request at all (AppTest): nothing came from a browser
    name = urlsplit(f"//{host}").hostname or ""
    return name in ("localhost", "127.0.0.1", "::1")


def _is_loopback(address: str | None) -> bool:
    if address is None:  # Streamlit's value for a browser on this computer
        return True
    if address in ("", "0.0.0.0", "::"):
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


# --- Who this run is for -------------------------------------------------------------------------------------------

def browser_token() -> str | None:
    """The sign-in token the browser sent with this session's connection (the edge's HttpOnly cookie)."""
    try:
        value = st.context.cookies.get(tk.COOKIE)
    except Exception:  # noqa: BLE001 - no connection (AppTest gives a stand-in object)
        return None
    return value if isinstance(value, str) and value else None


def client_address() -> str | None:
    """The browser's address as the server sees it: the TCP peer, or, when the peer is a proxy uvicorn trusts
    (127.0.0.1 and ::1 by default, FORWARDED_ALLOW_IPS), the X-Forwarded-For it set. None: this computer."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


@dataclass(frozen=True)
class Decision:
    """Who a run is for: (name, role) and their token, or nobody and, when a sign-in just ended, why (a tokens
    state, or ELSEWHERE)."""
    who: tuple[str, str] | None
    token: str | None = None
    ended: str | None = None


def decide(tokens: Tokens, cookie: str | None, held: str | None, idle: dt.timedelta) -> Decision:
    """Who this run is for, from the token the browser sent (`cookie`) and the token this Streamlit session holds
    (`held`, from a sign-in in it or an earlier run).

    - The session's own sign-in, not yet handed to any browser (no edge, or the browser is on its way to it): that
      token decides, whatever cookie came.
    - Else the cookie decides (a reload, a second tab; another person who signed in since in this browser).
    - A session holding a token handed to a browser, in a run whose browser did not send it, is nobody's: someone
      took over the session id without the cookie (review M7).
    A token that is not live (idle, revoked, too old, its account removed or locked) lets nobody in."""
    ended = None
    if held and held != cookie and not tokens.bound(held):
        check = tokens.check(held, idle)
        if check.who:
            return Decision(check.who, held)
        if not cookie:
            return Decision(None, None, check.state)
        ended = check.state
    if cookie:
        check = tokens.check(cookie, idle)
        if check.who:
            return Decision(check.who, cookie)
        return Decision(None, None, (ended or check.state) if held else None)
    if held:
        return Decision(None, None, ELSEWHERE)
    return Decision(None)


def signed_in() -> Person | None:
    """The person using this browser session, or None when the sign-in form (or the no-account notice) must show.
    A store that cannot be read lets nobody in meanwhile, and ends no sign-in (the gate says why)."""
    try:
        return _who()
    except StoreUnavailable:
        return None


def _who() -> Person | None:
    held, cookie = stored_person(), browser_token()
    store = data.store()
    if held is not None or cookie:
        decision = decide(Tokens(store), cookie, held.token if held else None, idle_limit())
        if decision.who is not None:
            person = Person(*decision.who, token=decision.token)
            if held is None or (held.name, held.role, held.token) != (person.name, person.role, person.token):
                if held is not None and held.name != person.name:
                    _clear_state()  # another person in this browser now: nothing of the first one stays
                _store_person(person)
            return person
        if held is not None:
            _end(held, decision.ended)
    if Users(store).any():
        return None
    return SINGLE_USER if single_user_allowed() else None


def _ended_notice(reason: str | None) -> str:
    return {
        tk.IDLE: f"Phiên làm việc đã hết hạn sau {_minutes(idle_limit())} không dùng. Hãy đăng nhập lại.",
        tk.EXPIRED: f"Phiên làm việc đã quá {int(tk.LIFETIME.total_seconds() // 3600)} giờ kể từ lúc đăng nhập. Hãy "
                    "đăng nhập lại.",
        tk.REMOVED: "Tài khoản của bạn không còn. Hãy liên hệ người quản trị.",
        tk.LOCKED: "Phiên làm việc đã kết thúc vì tài khoản đang bị tạm khoá (mật khẩu bị nhập sai nhiều lần liên "
                   "tiếp). Hãy thử lại sau, hoặc nhờ người quản trị mở khoá.",
        ELSEWHERE: "Trình duyệt này không giữ phiên đăng nhập đó. Hãy đăng nhập.",
    }.get(reason or "", "Phiên làm việc đã kết thúc: mật khẩu hoặc vai trò của tài khoản vừa được đổi, hoặc phiên đã "
                        "đăng xuất ở nơi khác. Hãy đăng nhập lại.")


def _end(held: Person, reason: str | None) -> None:
    """A sign-in this session held has ended (found at the start of a run): nothing of it stays, the trail says so."""
    _clear_state()
    st.session_state[_NOTICE] = _ended_notice(reason)
    _record_as(held.name, audit.SIGN_OUT, held.name, {"reason": reason or "ended"})


def _clear_state() -> None:
    """Everything the session holds (documents made, import results, choices): review L1."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def sign_out(notice: str = "", reason: str = "by the person") -> None:
    """End this session's sign-in: its token revoked (the cookie's too), the whole session state cleared; through
    the edge, the browser is then sent to SIGN_OUT_PATH, which clears the cookie."""
    person = stored_person()
    if person is not None and person.token:
        try:
            Tokens(data.store()).revoke(person.token)
        except StoreUnavailable as error:
            _toast(f"Không ghi được việc đăng xuất vào kho: {error}")
    _clear_state()
    if notice:
        st.session_state[_NOTICE] = notice
    if tk.edge_serving() and person is not None:
        st.session_state[_LEAVING] = True
    if person is not None:
        _record_as(person.name, audit.SIGN_OUT, person.name, {"reason": reason})


# --- The gate: the sign-in form, or the no-account notice --------------------------------------------------------

def show_gate() -> None:
    """What a person who is not let in sees: the no-account notice, or the sign-in form. Nothing else."""
    st.title("Giám sát Bộ phận Một cửa")
    if st.session_state.pop(_LEAVING, False):  # a sign-out through the edge: the browser goes to clear its cookie,
        _go(tk.SIGN_OUT_PATH, tiep=f"/?{urlencode({NOTICE_PARAM: SIGNED_OUT})}")  # and comes back to say so
        st.stop()
    if st.query_params.get(NOTICE_PARAM) == SIGNED_OUT:
        del st.query_params[NOTICE_PARAM]
        st.session_state[_NOTICE] = "Bạn đã đăng xuất."
    store = data.store()
    try:
        known = Users(store).any()
    except StoreUnavailable as error:
        st.error(str(error), icon=":material/hourglass:")
        return
    if not known:
        _no_account_notice()
        return
    notice = st.session_state.pop(_NOTICE, "")
    if notice:
        st.info(notice, icon=":material/info:")
    with st.form("sign_in", enter_to_submit=True):
        st.subheader("Đăng nhập")
        name = st.text_input("Tên đăng nhập", autocomplete="username")
        password = st.text_input("Mật khẩu", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if submitted:
        _sign_in(store, name, password)
    st.caption("Chưa có tài khoản hoặc quên mật khẩu: hãy liên hệ người quản trị của Văn phòng HĐND.")


def _no_account_notice() -> None:
    local = ("Chế độ một người dùng đã được bật nhưng chỉ dùng được trên chính máy chạy bảng điều khiển, khi máy chủ "
             "chỉ nghe trên localhost (bỏ `--server.address`) và trang được mở bằng địa chỉ `http://localhost:…`.\n\n"
             if single_user_asked() else "")
    st.error("Chưa có tài khoản nào, nên bảng điều khiển không hiện số liệu cho ai. Người quản trị hãy thêm tài "
             "khoản trên máy chủ:\n\n"
             "`python -m analytics users add TÊN --role admin`\n\n"
             f"(mật khẩu được hỏi sau), rồi tải lại trang.\n\n{local}"
             "Để một người dùng trên chính máy này mà không cần tài khoản: chạy "
             f"`streamlit run server.py -- {SINGLE_USER_FLAG}` (hoặc đặt biến `{SINGLE_USER_VARIABLE}=1`), không "
             "kèm `--server.address`.", icon=":material/lock:")


def _sign_in(store, name: str, password: str) -> None:
    client = client_address()
    attempt = Users(store).sign_in(name, password, client=client)
    if attempt.user is None:
        _record_as(audit.NOT_SIGNED_IN, audit.SIGN_IN_FAILED, audit.typed_name(name),
                   {"locked": attempt.locked, "client": client or THIS_COMPUTER}, audit.REFUSED)
        st.error(attempt.message, icon=":material/error:")
        return
    tokens = Tokens(store)
    token = tokens.issue(attempt.user.name)
    _clear_state()  # nothing of whoever used this tab before (review L1)
    _store_person(Person(attempt.user.name, attempt.user.role, token=token))
    _record_as(attempt.user.name, audit.SIGN_IN, attempt.user.name, {"client": client or THIS_COMPUTER})
    if tk.edge_serving():  # the browser takes the token as a cookie, then comes back here
        _go(tk.HANDOVER_PATH, ma=tokens.handover(token), tiep=_here())
        st.stop()
    st.rerun()


def _here() -> str:
    """The path and query of the page the browser shows."""
    url = st.context.url
    path = urlsplit(url).path if isinstance(url, str) and url else "/"
    query = {key: st.query_params.get_all(key) for key in st.query_params if key != NOTICE_PARAM}
    return tk.safe_next((path or "/") + (f"?{urlencode(query, doseq=True)}" if query else ""))


def _go(path: str, **params: str) -> None:
    """Send the browser to one of the edge's routes (a script, and a link if scripts do not run)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    href = f"{'/' + base if base else ''}{path}?{urlencode(params)}"
    st.html(f'<p>Đang chuyển trang… <a href="{html.escape(href)}" target="_self">Bấm vào đây nếu trang không tự '
            f'chuyển</a>.</p><script>window.location.replace({json.dumps(href)});</script>',
            unsafe_allow_javascript=True)


def sidebar_badge(person: Person) -> None:
    """Who is signed in, and the way out, at the foot of the sidebar; and the watch that ends an idle screen."""
    with st.sidebar:
        st.caption(markdown_text(person.label))
        if not person.single_user and st.button("Đăng xuất", key="sign_out", icon=":material/logout:"):
            sign_out("Bạn đã đăng xuất.")
            st.rerun()
        if not person.single_user and person.token:
            _watch(person.token)


def _watch(token: str) -> None:
    """Every while, without counting as use: when the sign-in has ended (idle, revoked), the whole page runs again,
    and so shows the sign-in form instead of the figures left on the screen (review M8)."""
    every = max(5.0, min(60.0, idle_limit().total_seconds() / 4))

    @st.fragment(run_every=every)
    def watch() -> None:
        try:
            live = Tokens(data.store()).alive(token, idle_limit())
        except StoreUnavailable:
            return
        if not live:
            st.rerun(scope="app")

    watch()


@contextmanager
def framed(person: Person):
    """dashboard.py runs the chosen page inside this, for the person it let in."""
    _frame.person = person
    try:
        yield
    finally:
        _frame.person = None


def page_guard(needed: str = VIEWER) -> Person:
    """First call of every page: stops a page opened outside dashboard.py, and a person whose role is too low."""
    if getattr(_frame, "person", None) is None:  # opened by file name: the dashboard runs instead, guard and all
        runpy.run_path(str(DASHBOARD), run_name="__main__")
        st.stop()
    person = current()
    if not person.may(needed):
        st.warning(f"Trang này dành cho {ROLE_LABELS[needed].lower()} trở lên; tài khoản của bạn là "
                   f"{ROLE_LABELS.get(person.role, person.role).lower()}.", icon=":material/lock:")
        st.stop()
    return person


def current() -> Person:
    """The person dashboard.py let in for this run. Outside a page run nobody has any right (a viewer's, the
    least, is assumed for drawing)."""
    return getattr(_frame, "person", None) or Person("", VIEWER)


def stored_person() -> Person | None:
    """The signed-in person of this browser session (None if none), kept as plain values: a class reloaded while
    the server runs must not change who someone is."""
    stored = st.session_state.get(PERSON_KEY)
    if not isinstance(stored, dict) or not stored.get("name") or not stored.get("role"):
        return None
    token = stored.get("token")
    return Person(str(stored["name"]), str(stored["role"]), token=token if isinstance(token, str) else None)


def _store_person(person: Person) -> None:
    st.session_state[PERSON_KEY] = {"name": person.name, "role": person.role, "token": person.token}


def can_change() -> bool:
    """Whether the person may import, remove, edit mappings and sessions, and make outputs."""
    return current().may(ANALYST)


# --- The audit trail ------------------------------------------------------------------------------------------------

def record(action: str, target: str = "", detail: dict | None = None, outcome: str = audit.OK) -> None:
    """Write what the person of this session did to the audit trail: the person dashboard.py let in for this run,
    or, in a callback (which runs before dashboard.py), the person this session holds."""
    person = getattr(_frame, "person", None) or stored_person()
    _record_as(person.name if person else audit.NOT_SIGNED_IN, action, target, detail, outcome)


def _record_as(actor: str, action: str, target: str, detail: dict | None = None, outcome: str = audit.OK) -> None:
    try:
        AuditTrail(data.store()).record(actor, action, target, detail, outcome)
    except StoreUnavailable as error:  # the action itself is done; say the trail missed it
        _toast(f"Không ghi được nhật ký thao tác: {error}")


def _toast(text: str) -> None:
    if get_script_run_ctx() is None:  # a deferred download's thread: nobody to tell but the server's log
        _log.warning(text)
    else:
        st.toast(markdown_text(text), icon=":material/warning:")


def _export(person: Person, what: str, target: str, deferred: bool = False) -> bool:
    """Record an export by `person` (who saw the button) once their sign-in is checked to be still live: False,
    recorded as refused, when it has ended (idle, revoked) or no longer gives the right to outputs."""
    store = data.store()
    detail = {"what": what, **({"deferred": True} if deferred else {})}
    try:
        if person.single_user:
            live = not Users(store).any()
        else:
            who = Tokens(store).person(person.token, idle_limit()) if person.token else None
            live = who is not None and who[0] == person.name and may(who[1], ANALYST)
    except StoreUnavailable as error:
        _toast(f"Không kiểm tra được phiên đăng nhập: {error}")
        return False
    if not live:
        _record_as(person.name or audit.NOT_SIGNED_IN, audit.EXPORT, target,
                   {**detail, "reason": "phiên đăng nhập đã kết thúc"}, audit.REFUSED)
        return False
    _record_as(person.name, audit.EXPORT, target, detail)
    return True


def export_recorder(what: str, target: str) -> Callable[[], None]:
    """An on_click for a download button whose bytes were made in the run: the download is recorded under the
    person who was shown the button (taken now, while the page draws: the callback itself runs at the start of the
    next run, before dashboard.py has let anyone in), after their sign-in is checked to be still live."""
    person = current()

    def on_click() -> None:
        _export(person, what, target)
    return on_click


class SessionEnded(PermissionError):
    """A deferred download asked for after the sign-in that drew its button ended: no file."""


def deferred_export(what: str, target: str, build: Callable[[], bytes | str]) -> Callable[[], bytes | str]:
    """The data of a download button made only when clicked. Streamlit runs it on a thread of its own, with no run
    and no session state, whenever the browser (or any client holding the button's id) asks: so the person who was
    shown the button travels with it, their sign-in is checked to be still live, the export is recorded under their
    name, and only then is the file made. A sign-in that ended gets no file."""
    person = current()

    def make() -> bytes | str:
        if not _export(person, what, target, deferred=True):
            raise SessionEnded("Phiên đăng nhập đã kết thúc: hãy đăng nhập lại để tải tệp.")
        return build()
    return make


def download_button(container, label: str, content, file_name: str, mime: str, *, what: str,
                    target: str | None = None, **options):
    """A download button recorded under the person who saw it: `content` made only when clicked (a callable:
    `deferred_export`, no rerun) or made in this run (bytes: `export_recorder`)."""
    target = target or file_name
    if callable(content):
        return container.download_button(label, deferred_export(what, target, content), file_name, mime,
                                         on_click="ignore", **options)
    return container.download_button(label, content, file_name, mime, on_click=export_recorder(what, target),
                                     **options)
