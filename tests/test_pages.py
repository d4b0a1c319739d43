"""Every page runs headless (AppTest) without an exception and shows the right figures."""
import datetime as dt
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
GOLDEN = json.loads((Path(__file__).parent / "golden" / "sample_2018_2019q1.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()


def run_page(path: str) -> AppTest:
    return AppTest.from_file(str(ROOT / path), default_timeout=60).run()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page):
    at = run_page(page)
    assert not at.exception, at.exception
    assert not at.error


def test_dashboard_entrypoint_runs():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception


def test_overview_shows_the_sample_review_on_first_start():
    at = run_page("pages/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    total = GOLDEN["total"]
    assert metrics["Đã giải quyết (7)"] == "1.365"
    assert metrics["Tỷ lệ đúng hạn"] == f"{total['on_time_rate'] * 100:.1f}%".replace(".", ",")
    assert metrics["Hồ sơ nhận giải quyết (3)"] == f"{total['received_total']:,}".replace(",", ".")
    assert any("MẪU" in c.value for c in at.caption)
    assert at.date_input(key="period_start").value == dt.date(2018, 1, 1)
    assert at.date_input(key="period_end").value == dt.date(2019, 3, 31)


def test_overview_follows_the_period_and_refuses_a_reversed_one():
    at = run_page("pages/overview.py")
    at.date_input(key="period_start").set_value(dt.date(2019, 1, 1)).run()
    resolved_q1 = {m.label: m.value for m in at.metric}["Đã giải quyết (7)"]
    assert resolved_q1 != "1.365"
    at.date_input(key="period_start").set_value(dt.date(2019, 6, 1)).run()
    assert not at.exception and "Ngày bắt đầu kỳ phải trước" in at.error[0].value
