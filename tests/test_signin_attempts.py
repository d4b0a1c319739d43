"""Sign-in attempts against a real attacker (issue 16 item 2; security test H1, M1, L5, L8; review §2.2, §2.3, §3.1).

Through the core (analytics/access/users.py) on a store in tmp_path, with real threads: parallel wrong passwords lock
the name at the fifth, and nothing more is checked; an unknown name gets the very same answers, delays and lock; a
client over its budget is refused before any check; at most PARALLEL_CHECKS Argon2 checks run at once; weak
passwords are refused with a reason in Vietnamese.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest

from analytics.access import users as users_module
from analytics.access.users import ANALYST, LOCK_AFTER, LOCK_MINUTES, UserError, Users
from analytics.dossiers.store import Store
from tests.accounts import PASSWORD, Clock

WRONG = "sai mật khẩu rồi nhé"


@pytest.fixture(autouse=True)
def key_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(tmp_path / "khoa"))


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(tmp_path / "data")
    Users(store).add("nan.nhan", ANALYST, PASSWORD)
    return store


class Checks:
    """Counts the password checks (Argon2 verifications) and how many ran at once."""

    def __init__(self, monkeypatch, pause: float = 0.0):
        self.real, self.pause = users_module._verify, pause
        self.count = self.running = self.most = 0
        self.lock = threading.Lock()
        monkeypatch.setattr(users_module, "_verify", self)

    def __call__(self, stored_hash, password):
        with self.lock:
            self.count += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.pause)
            return self.real(stored_hash, password)
        finally:
            with self.lock:
                self.running -= 1


def at_once(count: int, attempt) -> list:
    """`attempt(n)` on `count` threads released together; their results in order."""
    start, results = threading.Barrier(count), [None] * count

    def run(n):
        start.wait()
        results[n] = attempt(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def test_twenty_parallel_wrong_passwords_lock_the_name_at_the_fifth_and_check_only_five(store, monkeypatch):
    """H1: the security test's 20 parallel attempts left failures=1 and the right password then signed in."""
    checks = Checks(monkeypatch)
    users = Users(store, sleep=lambda seconds: None)
    results = at_once(20, lambda n: users.sign_in("nan.nhan", f"{WRONG} {n}"))
    assert all(r.user is None for r in results)
    assert checks.count == LOCK_AFTER  # the other fifteen were refused before any hash
    assert sum(not r.locked for r in results) == LOCK_AFTER - 1  # the fifth failure locked the name
    assert users.get("nan.nhan").locked(dt.datetime.now())
    right = users.sign_in("nan.nhan", PASSWORD)
    assert right.user is None and right.locked
    assert checks.count == LOCK_AFTER  # the right password was not even checked while locked


def test_rounds_of_parallel_guesses_never_get_more_than_five_checks(store, monkeypatch):
    """The security test's rounds: 3 rounds of 10 parallel guesses were 30 checks and no lock."""
    checks = Checks(monkeypatch)
    users = Users(store, sleep=lambda seconds: None)
    for _ in range(3):
        at_once(10, lambda n: users.sign_in("nan.nhan", f"{WRONG} {n}"))
    assert checks.count == LOCK_AFTER


def test_an_unknown_name_gets_the_same_answers_delays_and_lock_as_an_account(store, monkeypatch):
    """M1 and review §3.1: messages compared whole, with the delay and the lock, attempt after attempt."""
    checks = Checks(monkeypatch)
    seen = {}
    for name in ("nan.nhan", "khong.co.ai"):
        clock, slept = Clock(), []
        users = Users(store, clock=clock, sleep=slept.append)
        answers = [users.sign_in(name, WRONG) for _ in range(LOCK_AFTER + 1)]
        seen[name] = ([(a.message, a.locked) for a in answers], slept)
    assert seen["nan.nhan"] == seen["khong.co.ai"]
    messages, slept = seen["nan.nhan"]
    assert slept == [0.0, 0.0, 0.5, 1.0, 2.0]          # the sixth attempt, refused, waits for nothing
    assert [locked for _, locked in messages] == [False] * (LOCK_AFTER - 1) + [True, True]
    assert len({message for message, locked in messages if not locked}) == 1  # no count of attempts left
    assert checks.count == 2 * LOCK_AFTER               # a locked name, known or not, costs no hash


def test_the_lock_message_does_not_say_when_to_try_again(store):
    """L8: the message gave the time the lock ends."""
    clock = Clock()
    users = Users(store, clock=clock, sleep=lambda seconds: None)
    answers = [users.sign_in("nan.nhan", WRONG) for _ in range(LOCK_AFTER + 1)]
    for answer in answers[-2:]:
        assert answer.locked
        assert not re.search(r"\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d+ phút", answer.message), answer.message
    clock.now += dt.timedelta(minutes=LOCK_MINUTES, seconds=1)
    assert users.sign_in("nan.nhan", PASSWORD).user is not None  # the lock ran out
    assert users.get("nan.nhan").failures == 0


def test_a_client_over_its_budget_is_refused_before_any_check_and_others_are_not(store, monkeypatch):
    monkeypatch.setattr(users_module, "CLIENT_BUDGET", 6, raising=False)
    checks = Checks(monkeypatch)
    users = Users(store, sleep=lambda seconds: None)
    for n in range(6):  # six names, none locked: only the client's count adds up
        assert users.sign_in(f"doan.ten{n}", WRONG, client="10.0.0.66").user is None
    assert checks.count == 6
    refused = users.sign_in("nan.nhan", PASSWORD, client="10.0.0.66")
    assert refused.user is None and refused.locked and "Máy này" in refused.message
    assert checks.count == 6
    assert users.sign_in("nan.nhan", PASSWORD, client="10.0.0.7").user is not None


def test_a_right_password_gives_the_client_its_attempt_back(store, monkeypatch):
    monkeypatch.setattr(users_module, "CLIENT_BUDGET", 3, raising=False)
    users = Users(store, sleep=lambda seconds: None)
    for _ in range(5):  # an office whose people all sign in from one address
        assert users.sign_in("nan.nhan", PASSWORD, client="10.0.0.8").user is not None
    users.sign_in("nan.nhan", WRONG, client="10.0.0.8")
    users.sign_in("nan.nhan", WRONG, client="10.0.0.8")
    assert users.sign_in("nan.nhan", PASSWORD, client="10.0.0.8").user is not None


def test_at_most_two_password_checks_run_at_once(store, monkeypatch):
    """Review §2.2: each Argon2 check takes 64 MiB; 50 parallel sign-ins needed 3 GiB."""
    checks = Checks(monkeypatch, pause=0.2)
    users = Users(store, sleep=lambda seconds: None)
    at_once(8, lambda n: users.sign_in(f"nguoi.thu{n}", WRONG))
    assert checks.count == 8 and checks.most == 2


def test_a_malformed_name_is_answered_like_any_other_and_costs_a_check(store, monkeypatch):
    checks = Checks(monkeypatch)
    users = Users(store, sleep=lambda seconds: None)
    answer = users.sign_in("tên có dấu\nvà xuống dòng", WRONG)
    assert answer.user is None and answer.message == users.sign_in("khong.co", WRONG).message
    assert checks.count == 2


@pytest.mark.parametrize("password", [
    "aaaaaaaaaa", "1234567890", "          x", "x          ", "abababababab", "abcabcabcabc", "0987654321",
    "qwertyuiop", "asdfghjkl;", "matkhau123", "MatKhau@2024", "mật khẩu 123", "password123", "P@ssw0rd123",
    "Password@123", "anhyeuem123", "emyeuanh2024", "admin@12345", "Admin12345!", "1q2w3e4r5t", "abc1234567",
    "hdnd@20252025", "vietnam1234", "iloveyou123", "nan.nhan2024", "NAN.NHAN!!", "Qwerty@12345",
])
def test_weak_passwords_are_refused_with_how_to_choose_one(store, password):
    """L5: aaaaaaaaaa, 1234567890 and ten spaces plus x were accepted for an admin."""
    with pytest.raises(UserError, match="Hãy chọn một câu dễ nhớ"):
        Users(store).add("nan.nhan2", ANALYST, password.replace("nan.nhan", "nan.nhan2"))
    with pytest.raises(UserError, match="Hãy chọn một câu dễ nhớ"):
        Users(store).set_password("nan.nhan", password)


@pytest.mark.parametrize("password", [PASSWORD, "a long viewer password", "mật khẩu đủ dài 123",
                                      "Correct-Horse-victim1", "gió mùa đông bắc về", "tau-lua-cham-9-gio",
                                      "mot cau mat khau dai"])
def test_good_passwords_are_kept(store, password):
    Users(store).add("nguoi.moi", ANALYST, password)
    assert Users(store, sleep=lambda seconds: None).sign_in("nguoi.moi", password).user is not None
