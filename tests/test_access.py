"""Accounts, roles, sign-in, the audit trail, and errors that say the truth (issue 11 items 1, 6, 7).

Through the core, the command line and the app (AppTest); tests/test_browser_access.py drives a real browser.
"""
from __future__ import annotations

import datetime as dt
import io
import json

import duckdb
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics.access import audit
from analytics.access.audit import AuditTrail
from analytics.access.users import (
    ADMIN,
    ANALYST,
    LOCK_AFTER,
    LOCK_MINUTES,
    VIEWER,
    WRONG,
    UserError,
    Users,
    delay_after,
)
from analytics.cli import data as cli_data
from analytics.cli.parser import EXIT_FILE, EXIT_INTERNAL
from analytics.dossiers.store import Store, StoreBusy
from tests.accounts import PASSWORD, Clock, add_three_accounts, dashboard
from tests.apps import ROOT, page_app
from tests.workbooks import HEADER, ROWS, simple_export



@pytest.fixture(autouse=True)
def key_dir(tmp_path, monkeypatch):
    """The audit trail's key beside the data folder, not in the home folder."""
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(tmp_path / "khoa"))
    monkeypatch.delenv("ONESTOP_SINGLE_USER", raising=False)


@pytest.fixture
def accounts(tmp_path):
    clock, slept = Clock(dt.datetime(2026, 11, 30, 9, 0)), []
    users = Users(Store(tmp_path / "data"), clock=clock, sleep=slept.append)
    users.add("chuyen.vien", ANALYST, PASSWORD)
    return users, clock, slept


# --- The core ---------------------------------------------------------------------------------------------------

def test_a_password_is_kept_only_as_an_argon2id_hash(accounts, tmp_path):
    users, _, _ = accounts
    with duckdb.connect(str(tmp_path / "data" / "onestop.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD.encode("utf-8") not in (tmp_path / "data" / "onestop.duckdb").read_bytes()
    assert users.sign_in("chuyen.vien", PASSWORD).user.role == ANALYST
    assert users.sign_in(" Chuyen.Vien ", PASSWORD).user is not None  # a name is typed any case, with spaces


@pytest.mark.parametrize("name, role, password, says", [
    ("Nguyễn Văn A", VIEWER, PASSWORD, "Tên đăng nhập"),
    ("x", VIEWER, PASSWORD, "Tên đăng nhập"),
    ("nguyen.a", "boss", PASSWORD, 'Vai trò "boss"'),
    ("nguyen.a", VIEWER, "ngan", "quá ngắn"),
    ("nguyen.van.a", VIEWER, "nguyen.van.a", "trùng tên đăng nhập"),
    ("chuyen.vien", VIEWER, PASSWORD, "Đã có tài khoản"),
])
def test_a_bad_account_is_refused_with_the_reason(accounts, name, role, password, says):
    users, _, _ = accounts
    with pytest.raises(UserError, match=says):
        users.add(name, role, password)


def test_failed_sign_ins_slow_down_then_lock_the_account_for_a_while(accounts):
    users, clock, slept = accounts
    messages = [users.sign_in("chuyen.vien", "sai mật khẩu rồi").message for _ in range(LOCK_AFTER)]
    # Waits before each attempt, after 0, 1, 2, 3, 4 failures in a row: none, none, then doubling from 0.5 s.
    assert slept == [0.0, 0.0, 0.5, 1.0, 2.0] == [delay_after(n) for n in range(LOCK_AFTER)]
    assert messages[0] == messages[3] and WRONG in messages[0]  # the same words: no count of attempts left (M1)
    assert "tạm khoá" in messages[4] and "09:15" not in messages[4]  # nor when to try again (L8)
    locked = users.sign_in("chuyen.vien", PASSWORD)  # even the right password, while locked
    assert locked.user is None and locked.locked
    assert len(slept) == LOCK_AFTER  # a locked account answers at once: no hash is checked
    clock.now += dt.timedelta(minutes=LOCK_MINUTES, seconds=1)
    assert users.sign_in("chuyen.vien", PASSWORD).user is not None
    assert users.get("chuyen.vien").failures == 0 and users.get("chuyen.vien").locked_until is None


def test_an_admin_unlocks_and_a_new_password_replaces_the_old(accounts):
    users, _, _ = accounts
    for _ in range(LOCK_AFTER):
        users.sign_in("chuyen.vien", "sai mật khẩu rồi")
    users.unlock("chuyen.vien")
    assert users.sign_in("chuyen.vien", PASSWORD).user is not None
    users.set_password("chuyen.vien", "mật khẩu mới cũng dài")
    assert users.sign_in("chuyen.vien", PASSWORD).user is None
    assert users.sign_in("chuyen.vien", "mật khẩu mới cũng dài").user is not None


def test_an_unknown_name_gets_the_same_answer_as_a_wrong_password(accounts, tmp_path):
    """Review §3.1: the messages compared whole (the test used to cut off the very words that told them apart),
    and the delay and the lock too, attempt after attempt."""
    users, _, slept = accounts
    unknown_slept = []
    unknown_users = Users(users.store, clock=Clock(dt.datetime(2026, 11, 30, 9, 0)), sleep=unknown_slept.append)
    for _ in range(LOCK_AFTER + 1):
        unknown, wrong = unknown_users.sign_in("khong.co", "sai"), users.sign_in("chuyen.vien", "sai")
        assert unknown.user is None and wrong.user is None
        assert (unknown.message, unknown.locked) == (wrong.message, wrong.locked)
    assert unknown_slept == slept == [delay_after(n) for n in range(LOCK_AFTER)]
    assert unknown.locked


def test_the_audit_trail_is_chained_and_finds_an_entry_edited_or_removed_by_hand(tmp_path):
    store = Store(tmp_path / "data")
    trail = AuditTrail(store)
    for n in range(4):
        trail.record("chuyen.vien", audit.IMPORT, f"quy{n}.xlsx", {"rows_imported": n})
    entries = trail.entries()
    assert list(entries["target"]) == ["quy3.xlsx", "quy2.xlsx", "quy1.xlsx", "quy0.xlsx"]  # latest first
    assert json.loads(entries["detail"].iloc[0]) == {"rows_imported": 3}
    assert trail.verify().holds and trail.verify().entries == 4
    with store.connection() as con:
        con.execute("UPDATE audit_log SET actor = 'nguoi.khac' WHERE entry_id = 2")
    assert trail.verify().first_broken == 2
    with store.connection() as con:
        con.execute("UPDATE audit_log SET actor = 'chuyen.vien' WHERE entry_id = 2")
        con.execute("DELETE FROM audit_log WHERE entry_id = 3")
    assert trail.verify().first_broken == 3  # the first id missing (tests/test_audit_chain.py: the rest of M4)


# --- The command line -------------------------------------------------------------------------------------------

def run(capsys, monkeypatch, tmp_path, *args, stdin: str = ""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = cli.main(["--data-dir", str(tmp_path / "data"), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_users_are_managed_from_the_command_line_with_the_password_on_standard_input(capsys, monkeypatch, tmp_path):
    code, out, _ = run(capsys, monkeypatch, tmp_path, "users", "add", "truong.doan", "--role", "admin",
                       stdin=PASSWORD + "\n")
    assert code == 0 and "Đã thêm" in out
    assert run(capsys, monkeypatch, tmp_path, "users", "add", "thu.ky", "--role", "viewer", stdin="ngan\n")[0] == 2
    run(capsys, monkeypatch, tmp_path, "users", "add", "thu.ky", "--role", "viewer", stdin=PASSWORD + "\n")
    run(capsys, monkeypatch, tmp_path, "users", "role", "thu.ky", "--role", "analyst")
    code, out, _ = run(capsys, monkeypatch, tmp_path, "users", "list")
    assert out.splitlines() == ["thu.ky  analyst (Chuyên viên phân tích)", "truong.doan  admin (Quản trị)"]
    code, _, err = run(capsys, monkeypatch, tmp_path, "users", "passwd", "khong.co", stdin=PASSWORD + "\n")
    assert code == 2 and 'Không có tài khoản "khong.co"' in err
    assert run(capsys, monkeypatch, tmp_path, "users", "remove", "thu.ky")[0] == 0
    code, out, _ = run(capsys, monkeypatch, tmp_path, "audit-log", "--format", "json")
    entries = json.loads(out)["entries"]
    assert [(e["action"], e["target"]) for e in entries] == [
        ("user_removed", "thu.ky"), ("role_changed", "thu.ky"), ("user_added", "thu.ky"), ("user_added", "truong.doan")]
    assert all(e["actor"].startswith("dòng lệnh") for e in entries)
    assert PASSWORD not in out
    code, out, _ = run(capsys, monkeypatch, tmp_path, "audit-log", "--verify")
    assert code == 0 and "4 dòng" in out


def test_imports_removals_sessions_and_files_written_are_in_the_audit_trail(capsys, monkeypatch, tmp_path):
    export = simple_export(tmp_path / "quy1.xlsx")
    run(capsys, monkeypatch, tmp_path, "import", export)
    run(capsys, monkeypatch, tmp_path, "import", export)  # the same file again: recorded, nothing changed
    out_file = tmp_path / "bieu.json"
    run(capsys, monkeypatch, tmp_path, "report", "--from", "2019-01-01", "--to", "2019-03-31", "--format", "json",
        "--out", out_file)
    run(capsys, monkeypatch, tmp_path, "session", "add", "Quy 1", "--from", "2019-01-01", "--to", "2019-03-31")
    run(capsys, monkeypatch, tmp_path, "session", "remove", "Quy 1")
    run(capsys, monkeypatch, tmp_path, "remove", "1")
    entries = AuditTrail(Store(tmp_path / "data")).entries()[::-1]
    assert list(entries["action"]) == [audit.IMPORT, audit.IMPORT, audit.EXPORT, audit.SESSION_SAVED,
                                       audit.SESSION_REMOVED, audit.IMPORT_REMOVED]
    first, again = (json.loads(d) for d in entries["detail"][:2])
    assert first["status"] == "imported" and first["rows_imported"] == len(ROWS) and again["status"] == \
        "already_imported"
    assert entries["target"].iloc[2] == str(out_file.resolve())
    assert json.loads(out_file.read_text(encoding="utf-8"))["total"]  # the file itself, whole
    assert not list(tmp_path.glob(".bieu.json-*"))  # no temporary file left beside it


def test_an_error_of_the_program_is_not_called_a_bad_argument(capsys, monkeypatch, tmp_path):
    def broken(args, store):
        raise ValueError("a defect deep inside")
    monkeypatch.setattr(cli_data, "imports_command", broken)
    code, _, err = run(capsys, monkeypatch, tmp_path, "imports")
    assert code == EXIT_INTERNAL
    assert "Lỗi của chương trình" in err and "Tham số không hợp lệ" not in err and "Traceback" not in err
    log = (tmp_path / "data" / cli.ERROR_LOG).read_text(encoding="utf-8")
    assert "Traceback" in log and "a defect deep inside" in log


def test_a_busy_store_is_said_as_busy_not_as_an_unexpected_error(capsys, monkeypatch, tmp_path):
    def busy(args, store):
        raise StoreBusy(store.path, 30)
    monkeypatch.setattr(cli_data, "imports_command", busy)
    code, _, err = run(capsys, monkeypatch, tmp_path, "imports")
    assert code == EXIT_FILE and "đang được một chương trình khác ghi" in err and "đã chờ 30 giây" in err
    assert "ngoài dự kiến" not in err and "Lỗi của chương trình" not in err


def test_a_period_that_ends_before_it_starts_is_still_a_bad_argument(capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, monkeypatch, tmp_path, "report", simple_export(tmp_path / "a.xlsx"),
                       "--from", "2019-03-31", "--to", "2019-01-01")
    assert code == 2 and "Tham số không hợp lệ" in err


# --- The app ----------------------------------------------------------------------------------------------------

@pytest.fixture
def with_accounts(empty_store):
    return add_three_accounts(empty_store)


def texts(at: AppTest) -> str:
    """Every text the run drew, for looking for what must not be there."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
                 "metric", "text"):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "value", "")) + " " + str(getattr(element, "label", "")))
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    return "\n".join(parts)


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_with_accounts_a_person_not_signed_in_sees_only_the_sign_in_form(with_accounts):
    at = dashboard().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert not at.metric and not at.dataframe and not at.sidebar.children.get(0)
    assert "Hồ sơ" not in texts(at)


def test_a_wrong_password_is_refused_and_recorded_then_the_right_one_lets_the_person_in(with_accounts):
    at = sign_in(dashboard().run(), "nguoi.xem", "sai mật khẩu")
    assert "không đúng" in at.error[0].value and not at.metric
    at = sign_in(at, "nguoi.xem", PASSWORD)
    assert not at.exception and at.metric  # the overview's figures
    assert any("nguoi.xem · Người xem" in c.value for c in at.sidebar.caption)
    entries = AuditTrail(with_accounts).entries()
    assert list(entries["action"]) == [audit.SIGN_IN, audit.SIGN_IN_FAILED]
    assert list(entries["outcome"]) == [audit.OK, audit.REFUSED]


def test_a_session_expires_after_the_idle_time(with_accounts, monkeypatch):
    at = sign_in(dashboard().run(), "chuyen.vien", PASSWORD)
    assert at.metric
    with with_accounts.connection() as con:  # the sign-in's token last seen 31 minutes ago
        con.execute("UPDATE sign_in_tokens SET last_seen = ?", [dt.datetime.now() - dt.timedelta(minutes=31)])
    at.run()
    assert not at.metric and "hết hạn sau 30 phút" in at.info[0].value
    assert AuditTrail(with_accounts).entries()["action"].iloc[0] == audit.SIGN_OUT


def test_on_a_network_address_without_accounts_only_the_way_to_add_one_is_shown(empty_store):
    st_config.set_option("server.address", "0.0.0.0")
    try:
        at = dashboard().run()
    finally:
        st_config.set_option("server.address", "localhost")
    assert not at.metric and not at.text_input
    assert "python -m analytics users add" in at.error[0].value


def test_on_this_computer_without_accounts_the_dashboard_runs_in_single_user_mode(empty_store, monkeypatch):
    monkeypatch.setenv("ONESTOP_SINGLE_USER", "1")  # only when asked for (review M6)
    at = dashboard().run()
    assert not at.exception and at.metric
    assert any("Chế độ một người dùng" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("page", ["pages/bieu-06.py", "pages/du-lieu.py", "pages/quan-tri.py"])
def test_a_page_opened_by_its_file_name_runs_the_dashboard_and_its_sign_in_instead(with_accounts, page):
    """Streamlit serves pages/*.py at their file names before dashboard.py first runs (review 4.8)."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=90).run()
    assert not at.exception and not at.metric and not at.dataframe
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]


@pytest.mark.parametrize("page", ["pages/du-lieu.py", "pages/bieu-06.py", "pages/bao-cao.py", "pages/ho-so-tre-han.py"])
def test_a_viewer_gets_no_import_controls_and_no_outputs(with_accounts, page):
    Store(with_accounts.data_dir).import_file(simple_export(with_accounts.data_dir.parent / "quy1.xlsx"))
    viewer, analyst = page_app(page, role=VIEWER).run(), page_app(page, role=ANALYST).run()
    assert not viewer.exception and not analyst.exception
    assert not viewer.get("download_button") and not viewer.get("file_uploader")
    assert not [b for b in viewer.button if b.label.startswith(("Xoá", "Lập", "Nhập"))]
    if page in ("pages/du-lieu.py",):
        assert analyst.get("file_uploader") and any(b.label == "Xoá lần nhập" for b in analyst.button)
    if page == "pages/bieu-06.py":
        assert analyst.get("download_button")


def test_the_admin_page_is_for_admins_and_shows_the_trail(with_accounts):
    AuditTrail(with_accounts).record("chuyen.vien", audit.IMPORT, "quy1.xlsx")
    analyst = page_app("pages/quan-tri.py", role=ANALYST).run()
    assert "dành cho quản trị" in analyst.warning[0].value and not analyst.dataframe
    admin = page_app("pages/quan-tri.py", role=ADMIN).run()
    assert not admin.exception
    trail = admin.dataframe[1].value
    assert list(trail["Việc"]) == ["Nhập tệp"] and list(trail["Người thực hiện"]) == ["chuyen.vien"]
    assert set(admin.dataframe[0].value["Tên đăng nhập"]) == {"nguoi.xem", "chuyen.vien", "quan.tri"}


def test_no_screen_shows_an_applicants_name_or_phone(with_accounts):
    header = [*HEADER, "Họ tên người nộp", "Số điện thoại"]
    rows = [[*row, "Hoàng Thị Mận", "0912 345 678"] for row in ROWS]
    Store(with_accounts.data_dir).import_file(simple_export(with_accounts.data_dir.parent / "ca-nhan.xlsx", rows,
                                                            header))
    for page in sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")):
        for role in (VIEWER, ADMIN):
            shown = texts(page_app(page, role=role).run())
            found = [text for text in ("Mận", "0912 345 678", "0912345678", "345 678") if text in shown]
            assert found == [], (page, role, found)  # (not a bare "345": a sha256 shown on Dữ liệu may hold it)


@pytest.mark.parametrize("address, local", [(None, True), ("127.0.0.1", True), ("::1", True), ("localhost", True),
                                            ("0.0.0.0", False), ("", False), ("::", False), ("192.168.1.5", False),
                                            ("may-chu.hdnd", False)])
def test_only_loopback_addresses_count_as_this_computer(address, local):
    from ui.access import _is_loopback
    assert _is_loopback(address) is local


def test_the_trail_reads_in_vietnamese():
    import pandas as pd
    entries = pd.DataFrame({"entry_id": [1], "happened_at": [dt.datetime(2026, 11, 30)], "actor": ["a"],
                            "action": [audit.IMPORT], "target": ["q.xlsx"], "outcome": [audit.REFUSED],
                            "detail": ['{"status": "rejected", "rows_imported": 0, "import_id": null}']})
    row = audit.readable(entries).iloc[0]
    assert (row["Việc"], row["Kết quả"], row["Chi tiết"]) == ("Nhập tệp", "Bị từ chối",
                                                             "kết quả: không nhập được; dòng nhập: 0")


def test_the_data_folder_may_be_given_before_or_after_the_command(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["users", "add", "thu.ky", "--role", "viewer", "--data-dir", str(tmp_path / "a")]) == 0
    assert cli.main([f"--data-dir={tmp_path / 'a'}", "users", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "thu.ky  viewer (Người xem)"
    assert Users(Store(tmp_path / "a")).get("thu.ky") is not None
