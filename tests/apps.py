"""Pages run headless with AppTest, as dashboard.py runs them, optionally as a signed-in person of a role."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui import access

ROOT = Path(__file__).resolve().parent.parent


def page_app(path: str, state: dict | None = None, role: str | None = None, name: str = "nguoi.dung") -> AppTest:
    """An AppTest (not yet run) of pages/…; `role`: signed in as a person of that role (else single-user mode)."""
    at = AppTest.from_file(str(ROOT / "tests" / "framed_page.py"), default_timeout=90)
    at.session_state["page_under_test"] = str(ROOT / path)
    if role is not None:
        at.session_state[access.PERSON_KEY] = {"name": name, "role": role}
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at
