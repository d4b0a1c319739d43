"""Sessions that survive a reload and end when they should, downloads under the person's name, single-user mode
only when asked (issue 16 item 2; security test H2, M6, M7, M8, L1, L3; review §2.1, §2.6, §2.8).

The core (analytics/access/tokens.py) on a store in tmp_path with a clock of its own; the decision of who a run is
for (ui/access.decide) between the token the browser sends and the one the session holds; and the real dashboard in
AppTest, signed in through its form. tests/test_browser_access.py drives the same in Chromium.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import duckdb
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from analytics.access import audit
from analytics.access.audit import AuditTrail
from analytics.access.users import ANALYST, VIEWER, Users
from analytics.dossiers.store import Store
from tests.accounts import CHANGES, PASSWORD, Clock, add_three_accounts, change_account, dashboard
from tests.workbooks import simple_export
from ui import access

IDLE = dt.timedelta(minutes=30)


@pytest.fixture(autouse=True)
def key_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(tmp_path / "khoa"))
    monkeypatch.delenv("ONESTOP_SINGLE_USER", raising=False)
    monkeypatch.delenv("ONESTOP_EDGE", raising=False)


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(tmp_path / "data")
    Users(store).add("chuyen.vien", ANALYST, PASSWORD)
    Users(store).add("nguoi.xem", VIEWER, PASSWORD)
    return store


def tokens_of(store, clock=None):
    from analytics.access.tokens import Tokens
    return Tokens(store, clock=clock or Clock())


# --- The tokens ---------------------------------------------------------------------------------------------------

def test_a_token_is_random_and_kept_only_as_its_sha256(store):
    tokens = tokens_of(store)
    first, second = tokens.issue("chuyen.vien"), tokens.issue("chuyen.vien")
    assert first != second and len(first) >= 43
    with duckdb.connect(str(store.path), read_only=True) as con:
        kept = {row[0] for row in con.execute("SELECT token_hash FROM sign_in_tokens").fetchall()}
    assert kept == {hashlib.sha256(t.encode()).hexdigest() for t in (first, second)}
    assert first.encode() not in store.path.read_bytes()
    assert tokens.person(first, IDLE) == ("chuyen.vien", ANALYST)


def test_a_token_lives_while_used_and_ends_when_idle_or_too_old(store):
    from analytics.access import tokens as tk
    clock = Clock()
    tokens = tokens_of(store, clock)
    token = tokens.issue("chuyen.vien")
    for _ in range(3):  # used every 20 minutes: an hour later still signed in
        clock.now += dt.timedelta(minutes=20)
        assert tokens.person(token, IDLE) == ("chuyen.vien", ANALYST)
    clock.now += dt.timedelta(minutes=31)
    assert tokens.check(token, IDLE).state == tk.IDLE and tokens.person(token, IDLE) is None
    clock.now -= dt.timedelta(minutes=31)  # ended for good, even if the clock said otherwise
    assert tokens.person(token, IDLE) is None
    old = tokens.issue("chuyen.vien")
    for _ in range(int(tk.LIFETIME / dt.timedelta(minutes=20)) - 1):  # used all day long
        clock.now += dt.timedelta(minutes=20)
        assert tokens.person(old, IDLE) is not None
    clock.now += dt.timedelta(minutes=20)
    assert tokens.check(old, IDLE).state == tk.EXPIRED


def test_a_handover_code_is_used_once_within_a_minute_and_marks_the_token_held_by_a_browser(store):
    clock = Clock()
    tokens = tokens_of(store, clock)
    token = tokens.issue("chuyen.vien")
    code = tokens.handover(token)
    assert code != token and not tokens.bound(token)
    assert code.encode() not in store.path.read_bytes() and token.encode() not in store.path.read_bytes()
    assert tokens.redeem(code) == token and tokens.bound(token)
    assert tokens.redeem(code) is None  # used up
    late = tokens.handover(token)
    clock.now += dt.timedelta(seconds=61)
    assert tokens.redeem(late) is None
    assert tokens.redeem("khong-co-ma-nay") is None and tokens.redeem("") is None


@pytest.mark.parametrize("change", CHANGES)
def test_a_password_or_role_change_a_lock_or_a_removal_ends_the_persons_sessions(store, change):
    """M8: after `users passwd` the old session stayed signed in."""
    tokens = tokens_of(store, dt.datetime.now)
    held = [tokens.issue("chuyen.vien") for _ in range(2)]
    other = tokens.issue("nguoi.xem")
    users = Users(store, sleep=lambda seconds: None)
    change_account(users, "chuyen.vien", change)
    assert [tokens.person(t, IDLE) for t in held] == [None, None]
    assert tokens.person(other, IDLE) == ("nguoi.xem", VIEWER)
    if change == "lock":  # unlocking gives nothing back: a new sign-in is needed
        users.unlock("chuyen.vien")
        assert tokens.person(held[0], IDLE) is None


@pytest.mark.parametrize("tiep, goes", [("/tong-quan?ky=quarter&nam=2019", "/tong-quan?ky=quarter&nam=2019"),
                                        ("//evil.example/x", "/"), ("https://evil.example/", "/"), ("", "/"),
                                        ("/\\evil.example", "/"), ("/a\r\nSet-Cookie: x", "/"), (None, "/")])
def test_the_edge_sends_the_browser_only_to_a_path_of_this_site(tiep, goes):
    from analytics.access.tokens import safe_next
    assert safe_next(tiep) == goes


# --- Who a run is for ---------------------------------------------------------------------------------------------

def test_the_session_s_own_sign_in_decides_until_a_browser_holds_its_token(store):
    tokens = tokens_of(store, dt.datetime.now)
    token = tokens.issue("chuyen.vien")
    assert access.decide(tokens, None, token, IDLE).who == ("chuyen.vien", ANALYST)      # no edge: as before
    tokens.redeem(tokens.handover(token))                                                  # the browser took it
    assert access.decide(tokens, token, token, IDLE).who == ("chuyen.vien", ANALYST)     # and sends it
    taken = access.decide(tokens, None, token, IDLE)   # the session id used by a browser without the cookie (M7)
    assert taken.who is None and taken.ended == access.ELSEWHERE


def test_a_reload_or_a_second_tab_is_signed_in_by_the_cookie_alone(store):
    tokens = tokens_of(store, dt.datetime.now)
    token = tokens.issue("chuyen.vien")
    tokens.redeem(tokens.handover(token))
    assert access.decide(tokens, token, None, IDLE) == access.Decision(("chuyen.vien", ANALYST), token)
    tokens.revoke(token)
    assert access.decide(tokens, token, None, IDLE).who is None
    assert access.decide(tokens, token, token, IDLE).who is None  # revoked: out, whatever the session holds


def test_another_person_signing_in_in_this_browser_takes_over_from_the_cookie(store):
    tokens = tokens_of(store, dt.datetime.now)
    first, second = tokens.issue("chuyen.vien"), tokens.issue("nguoi.xem")
    tokens.redeem(tokens.handover(first))
    assert access.decide(tokens, first, second, IDLE).who == ("nguoi.xem", VIEWER)  # just signed in here
    tokens.redeem(tokens.handover(second))
    assert access.decide(tokens, second, first, IDLE).who == ("nguoi.xem", VIEWER)  # an old tab, the new cookie


def test_a_session_whose_own_sign_in_ended_follows_a_live_cookie(store):
    tokens = tokens_of(store, dt.datetime.now)
    ended, live = tokens.issue("chuyen.vien"), tokens.issue("nguoi.xem")
    tokens.redeem(tokens.handover(live))
    tokens.revoke(ended)
    assert access.decide(tokens, live, ended, IDLE) == access.Decision(("nguoi.xem", VIEWER), live)
    assert access.decide(tokens, None, ended, IDLE).ended == "revoked"


@pytest.mark.parametrize("host, local", [(None, True), ("localhost:8501", True), ("127.0.0.1:8501", True),
                                         ("[::1]:8501", True), ("evil.example:8501", False),
                                         ("192.168.1.5:8501", False), ("localhost.evil.example", False)])
def test_single_user_mode_answers_only_to_a_local_name(host, local):
    assert access.local_host(host) is local


# --- The dashboard (AppTest) ----------------------------------------------------------------------------------------

@pytest.fixture
def app_store(empty_store):
    return add_three_accounts(empty_store)


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def held_token(at: AppTest) -> str:
    return at.session_state[access.PERSON_KEY]["token"]


def test_a_sign_in_issues_a_token_the_session_holds(app_store):
    at = sign_in(dashboard().run(), "chuyen.vien")
    assert not at.exception and at.metric
    assert tokens_of(app_store, dt.datetime.now).person(held_token(at), IDLE) == ("chuyen.vien", ANALYST)


@pytest.mark.parametrize("change", CHANGES)
def test_a_signed_in_screen_ends_at_the_next_run_after_the_account_changes(app_store, change):
    """M8: a password change left the session open; a role change or a removal took up to 15 s."""
    at = sign_in(dashboard().run(), "chuyen.vien")
    assert at.metric
    users = Users(app_store, sleep=lambda seconds: None)
    change_account(users, "chuyen.vien", change)
    at.run()
    assert not at.exception and not at.metric
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert at.info and "Hãy" in at.info[0].value


def test_an_idle_session_ends_and_says_so(app_store):
    at = sign_in(dashboard().run(), "chuyen.vien")
    with duckdb.connect(str(app_store.path)) as con:
        con.execute("UPDATE sign_in_tokens SET last_seen = ?", [dt.datetime.now() - dt.timedelta(minutes=31)])
    at.run()
    assert not at.metric and "hết hạn sau 30 phút" in at.info[0].value
    last = AuditTrail(app_store).entries().iloc[0]
    assert (last["action"], last["actor"], json.loads(last["detail"])["reason"]) == (audit.SIGN_OUT, "chuyen.vien",
                                                                                  "idle")


def test_signing_out_clears_the_whole_session_and_revokes_its_token(app_store):
    """L1: the next person to sign in on that tab was offered the first one's documents."""
    at = sign_in(dashboard().run(), "chuyen.vien")
    token = at.session_state[access.PERSON_KEY].get("token")
    at.session_state["doc_docx_Quy 1"] = b"the analyst's report"
    at.session_state["import_results"] = ["q1.xlsx"]
    at.sidebar.button(key="sign_out").click().run()
    assert not at.exception and "Bạn đã đăng xuất." in at.info[0].value
    assert "doc_docx_Quy 1" not in at.session_state and "import_results" not in at.session_state
    assert access.PERSON_KEY not in at.session_state
    assert token and tokens_of(app_store, dt.datetime.now).person(token, IDLE) is None


def test_a_browser_sending_a_live_cookie_is_signed_in_without_the_form(app_store, monkeypatch):
    """A reload (F5) or a second tab: a new Streamlit session with the cookie the edge set."""
    tokens = tokens_of(app_store, dt.datetime.now)
    token = tokens.issue("nguoi.xem")
    tokens.redeem(tokens.handover(token))
    monkeypatch.setattr(access, "browser_token", lambda: token)
    at = dashboard().run()
    assert not at.exception and at.metric
    assert any("nguoi.xem · Người xem" in c.value for c in at.sidebar.caption)


def test_a_session_whose_browser_does_not_send_its_cookie_is_nobody_s(app_store, monkeypatch):
    """M7: presenting a signed-in session's id was enough to be that person."""
    at = sign_in(dashboard().run(), "chuyen.vien")
    token = held_token(at)
    tokens = tokens_of(app_store, dt.datetime.now)
    tokens.redeem(tokens.handover(token))  # the analyst's browser took the cookie
    monkeypatch.setattr(access, "browser_token", lambda: token)
    assert at.run().metric
    monkeypatch.setattr(access, "browser_token", lambda: None)  # the same session id, from another browser
    at.run()
    assert not at.metric and [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]


def test_with_the_edge_a_sign_in_sends_the_browser_to_take_its_cookie(app_store, monkeypatch):
    from analytics.access import tokens as tk
    monkeypatch.setenv(tk.EDGE_VARIABLE, "1")
    at = sign_in(dashboard().run(), "chuyen.vien")
    assert not at.exception
    sent = [e.proto.body for e in at.get("html")]
    assert len(sent) == 1 and f"{tk.HANDOVER_PATH}?ma=" in sent[0]
    code = sent[0].split("ma=")[1].split("&")[0]
    assert tk.Tokens(app_store).redeem(code) == held_token(at)


def test_a_failed_sign_in_is_recorded_under_nobody_with_the_name_masked(app_store):
    """L3: the typed name was the actor; a password typed in the name box was stored."""
    at = dashboard().run()
    sign_in(at, "chuyen.vien", "sai mật khẩu rồi nhé")
    sign_in(at, "một câu mật khẩu dài", "x")
    sign_in(at, "quan.tri\n999  admin  xoá", "x")
    entries = AuditTrail(app_store).entries()
    assert set(entries["actor"]) == {"(chưa đăng nhập)"} and set(entries["action"]) == {audit.SIGN_IN_FAILED}
    assert list(entries["target"]) == ["(tên không hợp lệ)", "(tên không hợp lệ)", "chu******en"]
    assert PASSWORD not in entries.to_string()


def test_a_signed_in_analyst_s_download_is_recorded_under_their_name(app_store):
    """H2: every web download was recorded with an empty actor."""
    Store(app_store.data_dir).import_file(simple_export(app_store.data_dir.parent / "quy1.xlsx"))
    at = sign_in(dashboard().run(), "chuyen.vien")
    at.switch_page("pages/bieu-06.py").run()
    assert not at.exception
    at.get("download_button")[0].click().run()
    exports = AuditTrail(app_store).entries(action=audit.EXPORT)
    assert list(exports["actor"]) == ["chuyen.vien"] and list(exports["outcome"]) == [audit.OK]
    assert exports["target"].iloc[0].startswith("bieu06_")


def test_a_download_after_the_session_ended_is_refused_and_recorded_so(app_store):
    """M8: after idle expiry, download buttons still delivered files, recorded with an empty actor."""
    person = access.Person("chuyen.vien", ANALYST, token=tokens_of(app_store, dt.datetime.now).issue("chuyen.vien"))
    with access.framed(person):
        on_click = access.export_recorder("csv", "ho-so.csv")
        deferred = access.deferred_export("xlsx", "ho-so.xlsx", lambda: b"the file")
    assert deferred() == b"the file"  # as Streamlit runs it: on a thread of its own, no run, no session state
    on_click()
    tokens_of(app_store, dt.datetime.now).revoke(person.token)
    with pytest.raises(access.SessionEnded):
        deferred()
    on_click()
    exports = AuditTrail(app_store).entries(action=audit.EXPORT)[::-1]
    assert list(exports["actor"]) == ["chuyen.vien"] * 4
    assert list(exports["outcome"]) == [audit.OK, audit.OK, audit.REFUSED, audit.REFUSED]
    assert json.loads(exports["detail"].iloc[0]) == {"what": "xlsx", "deferred": True}


def test_a_callback_s_change_is_recorded_under_the_person_of_the_session(app_store):
    """Callbacks run before dashboard.py lets anyone in: record() takes the session's person then."""
    at = AppTest.from_string("""
import streamlit as st
from ui import access
from analytics.access import audit
st.button("Lưu", key="luu", on_click=lambda: access.record(audit.SESSION_SAVED, "Quý I"))
""", default_timeout=30)
    at.session_state[access.PERSON_KEY] = {"name": "chuyen.vien", "role": ANALYST, "token": None}
    at.run().button(key="luu").click().run()
    assert AuditTrail(app_store).entries()["actor"].tolist() == ["chuyen.vien"]


# --- Single-user mode only when asked (M6) --------------------------------------------------------------------------

def test_with_no_account_and_nothing_asked_every_address_shows_how_to_add_one(empty_store):
    """M6: single-user admin mode was inferred from a loopback address, which a local proxy or tunnel gives."""
    at = dashboard().run()
    assert not at.exception and not at.metric and not at.text_input
    assert "python -m analytics users add" in at.error[0].value and "ONESTOP_SINGLE_USER=1" in at.error[0].value


def test_single_user_mode_when_asked_on_this_computer(empty_store, monkeypatch):
    monkeypatch.setenv("ONESTOP_SINGLE_USER", "1")
    at = dashboard().run()
    assert not at.exception and at.metric
    assert any("Chế độ một người dùng" in c.value for c in at.sidebar.caption)


def test_single_user_mode_asked_on_a_network_address_is_refused(empty_store, monkeypatch):
    monkeypatch.setenv("ONESTOP_SINGLE_USER", "1")
    st_config.set_option("server.address", "0.0.0.0")
    try:
        at = dashboard().run()
    finally:
        st_config.set_option("server.address", "localhost")
    assert not at.metric and "chỉ dùng được trên chính máy" in at.error[0].value


def test_accounts_win_over_single_user_mode(app_store, monkeypatch):
    monkeypatch.setenv("ONESTOP_SINGLE_USER", "1")
    at = dashboard().run()
    assert not at.metric and [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]


def test_with_the_edge_signing_out_sends_the_browser_to_clear_its_cookie_and_back_to_the_notice(app_store,
                                                                                                 monkeypatch):
    from analytics.access import tokens as tk
    at = sign_in(dashboard().run(), "chuyen.vien")
    monkeypatch.setenv(tk.EDGE_VARIABLE, "1")
    at.sidebar.button(key="sign_out").click().run()
    sent = [e.proto.body for e in at.get("html")]
    assert len(sent) == 1 and f"{tk.SIGN_OUT_PATH}?tiep=%2F%3Fthong-bao%3Dda-dang-xuat" in sent[0]
    assert not at.text_input  # nothing but the way out until the browser has gone
    back = dashboard()
    back.query_params["thong-bao"] = "da-dang-xuat"
    back.run()
    assert back.info[0].value == "Bạn đã đăng xuất." and "thong-bao" not in back.query_params
