"""Who is using the dashboard, decided before anything is drawn.

- No account in the store: single-user mode, served only on this computer (the server listens on localhost, see
  .streamlit/config.toml); started on a network address, it shows only how to add an account.
- Accounts: nothing but the sign-in form until a person signs in; a session ends after ONESTOP_IDLE_MINUTES minutes
  without use. Roles (analytics/access/users.py) decide which pages and controls a person gets.

dashboard.py calls `signed_in()` and draws the sign-in form; every page calls `page_guard()` first, which refuses a
page opened by its file name (Streamlit's legacy pages/ URLs, outside dashboard.py: review 4.8). Changes and
exports are written to the audit trail with `record`.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
import runpy
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analytics.access import audit
from analytics.access.audit import AuditTrail
from analytics.access.users import ADMIN, ANALYST, ROLE_LABELS, VIEWER, Users, may
from analytics.dossiers.store import StoreUnavailable
from ui import data

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
IDLE_VARIABLE = "ONESTOP_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30
PERSON_KEY, LAST_SEEN_KEY, _NOTICE = "access_person", "access_last_seen", "access_notice"  # session state
_frame = threading.local()  # set while dashboard.py runs a page: a page run without it was opened by file name


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    single_user: bool = False

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


@st.cache_data(ttl=15, show_spinner=False)
def _accounts(store_path: str) -> dict[str, str]:
    """Name -> role, re-read every 15 s: a removed account or a changed role applies within that time."""
    return {user.name: user.role for user in Users(data.store()).all()}


def accounts() -> dict[str, str]:
    return _accounts(str(data.store().path))


def on_network() -> bool:
    """Whether people on other computers can reach this server: it listens beyond localhost, or this browser is
    not on this computer."""
    address = (st.get_option("server.address") or "").strip()
    browser = st.context.ip_address
    browser = browser if isinstance(browser, str) else None  # headless tests (AppTest) give a stand-in object
    return not _is_loopback(address) or not _is_loopback(browser)


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


def signed_in() -> Person | None:
    """The person using this browser session, or None when the sign-in form (or the network notice) must show."""
    try:
        known = accounts()
    except StoreUnavailable:
        known = None  # the page says the store is unavailable; nobody is let in meanwhile
    if known is None:
        return None
    if not known:
        return None if on_network() else SINGLE_USER
    person = stored_person()
    if person is None:
        return None
    now = dt.datetime.now()
    last_seen = st.session_state.get(LAST_SEEN_KEY, now)
    if now - last_seen > idle_limit():
        sign_out(f"Phiên làm việc đã hết hạn sau {idle_limit().seconds // 60} phút không dùng. Hãy đăng nhập lại.",
                 reason="idle")
        return None
    if known.get(person.name) is None:
        sign_out("Tài khoản của bạn không còn. Hãy liên hệ người quản trị.", reason="account removed")
        return None
    if known[person.name] != person.role:
        person = Person(person.name, known[person.name])
        _store_person(person)
    st.session_state[LAST_SEEN_KEY] = now
    return person


def sign_out(notice: str = "", reason: str = "by the person") -> None:
    person = stored_person()
    st.session_state.pop(PERSON_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if notice:
        st.session_state[_NOTICE] = notice
    if person is not None:
        _record_as(person.name, audit.SIGN_OUT, person.name, {"reason": reason})


def show_gate() -> None:
    """What a person who is not let in sees: the network notice, or the sign-in form. Nothing else."""
    st.title("Giám sát Bộ phận Một cửa")
    try:
        known = accounts()
    except StoreUnavailable as error:
        st.error(str(error), icon=":material/hourglass:")
        return
    if not known:
        st.error("Bảng điều khiển đang chạy trên địa chỉ mạng nhưng chưa có tài khoản nào, nên không hiển thị số "
                 "liệu cho ai. Người quản trị hãy thêm tài khoản trên máy chủ:\n\n"
                 "`python -m analytics users add TÊN --role admin`\n\n"
                 "(mật khẩu được hỏi sau), rồi tải lại trang. Hoặc chạy bảng điều khiển chỉ trên máy này "
                 "(bỏ `--server.address`) để dùng ở chế độ một người dùng.", icon=":material/lock:")
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
        attempt = Users(data.store()).sign_in(name, password)
        if attempt.user is None:
            _record_as(name.strip().lower()[:64] or "(trống)", audit.SIGN_IN_FAILED, name.strip().lower()[:64],
                       {"locked": attempt.locked}, audit.REFUSED)
            st.error(attempt.message, icon=":material/error:")
            return
        _store_person(Person(attempt.user.name, attempt.user.role))
        st.session_state[LAST_SEEN_KEY] = dt.datetime.now()
        _accounts.clear()
        _record_as(attempt.user.name, audit.SIGN_IN, attempt.user.name)
        st.rerun()
    st.caption("Chưa có tài khoản hoặc quên mật khẩu: hãy liên hệ người quản trị của Văn phòng HĐND.")


def sidebar_badge(person: Person) -> None:
    """Who is signed in, and the way out, at the foot of the sidebar."""
    with st.sidebar:
        st.caption(person.label)
        if not person.single_user and st.button("Đăng xuất", key="sign_out", icon=":material/logout:"):
            sign_out("Bạn đã đăng xuất.")
            st.rerun()


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
    return Person(str(stored["name"]), str(stored["role"]))


def _store_person(person: Person) -> None:
    st.session_state[PERSON_KEY] = {"name": person.name, "role": person.role}


def can_change() -> bool:
    """Whether the person may import, remove, edit mappings and sessions, and make outputs."""
    return current().may(ANALYST)


def record(action: str, target: str = "", detail: dict | None = None, outcome: str = audit.OK) -> None:
    """Write what the person of this session did to the audit trail."""
    _record_as(current().name, action, target, detail, outcome)


def _record_as(actor: str, action: str, target: str, detail: dict | None = None, outcome: str = audit.OK) -> None:
    try:
        AuditTrail(data.store()).record(actor, action, target, detail, outcome)
    except StoreUnavailable as error:  # the action itself is done; say the trail missed it
        st.toast(f"Không ghi được nhật ký thao tác: {error}", icon=":material/warning:")


def export_recorder(what: str, target: str):
    """An on_click for a download button: the download is recorded as an export."""
    def on_click() -> None:
        record(audit.EXPORT, target, {"what": what})
    return on_click


