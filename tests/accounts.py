"""What the sign-in tests share: the test password, a clock the test moves, the three accounts of the dashboard's
tests, the dashboard as AppTest runs it, and the account changes that must end a person's sessions."""
from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from analytics.access.users import ADMIN, ANALYST, LOCK_AFTER, VIEWER, Users
from tests.apps import ROOT

PASSWORD = "một câu mật khẩu dài"
# What ends a person's sessions (security test M8): a new password, a new role, a lock, a removal.
CHANGES = ["password", "role", "lock", "remove"]


class Clock:
    """Now, as the test sets it (`clock.now += …`)."""

    def __init__(self, now: dt.datetime = dt.datetime(2026, 12, 7, 9, 0)):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def add_three_accounts(store):
    """nguoi.xem (viewer), chuyen.vien (analyst), quan.tri (admin), each with PASSWORD; the store."""
    users = Users(store)
    for name, role in (("nguoi.xem", VIEWER), ("chuyen.vien", ANALYST), ("quan.tri", ADMIN)):
        users.add(name, role, PASSWORD)
    return store


def dashboard() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)


def change_account(users: Users, name: str, change: str) -> None:
    """One of CHANGES made to the account `name`."""
    if change == "password":
        users.set_password(name, "một câu mật khẩu mới hơn")
    elif change == "role":
        users.set_role(name, VIEWER)
    elif change == "lock":
        for _ in range(LOCK_AFTER):
            users.sign_in(name, "sai mật khẩu rồi nhé")
    else:
        users.remove(name)
