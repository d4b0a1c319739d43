"""Applicants' data (issue 11 item 5): not kept unless ONESTOP_KEEP_PERSONAL=1; then kept masked only, shown only
to analysts, beside one dossier, and never in the dossiers every output is made from."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.access.users import ANALYST, VIEWER
from analytics.dossiers.store import Store
from analytics.ingest import personal
from analytics.model import schema as s
from tests.apps import page_app
from tests.workbooks import HEADER, ROWS, simple_export

NAME, PHONE, CCCD, ADDRESS = "Hoàng Thị Mận", "0912 345 678", "001234567890", "12 Lê Lợi, phường Chi Lăng, TP Lạng Sơn"
PENDING_OVERDUE = "TP-190211-0003"  # ROWS[2]: due 15/02/2019, no result by 31/03/2019


def with_applicants(path):
    header = [*HEADER, "Họ tên người nộp", "Số điện thoại", "Số CCCD", "Địa chỉ"]
    return simple_export(path, [[*row, NAME, PHONE, CCCD, ADDRESS] for row in ROWS], header)


def store_bytes(store: Store) -> bytes:
    return b"".join(p.read_bytes() for p in store.data_dir.glob("onestop.duckdb*"))


@pytest.mark.parametrize("mask, raw, shown", [
    (personal.masked_name, NAME, "Hoàng T. M."),
    (personal.masked_name, "Mận", "M."),
    (personal.masked_number, PHONE, "09******78"),
    (personal.masked_number, CCCD, "00********90"),
    (personal.masked_number, "0123", "****"),
    (personal.masked_address, ADDRESS, "…, phường Chi Lăng, TP Lạng Sơn"),
    (personal.masked_address, "TP Lạng Sơn", "…"),
])
def test_each_kind_of_personal_data_is_masked(mask, raw, shown):
    assert mask(raw) == shown


def test_without_the_setting_nothing_of_the_applicant_is_kept(tmp_path, monkeypatch):
    monkeypatch.delenv(personal.KEEP_VARIABLE, raising=False)
    store = Store(tmp_path / "data")
    assert store.import_file(with_applicants(tmp_path / "q1.xlsx")).status == "imported"
    assert store.applicant(PENDING_OVERDUE) == {}
    kept = store_bytes(store)
    for text in (NAME, "Hoàng", PHONE, "345 678", CCCD, "Lê Lợi"):
        assert text.encode("utf-8") not in kept, text


def test_with_the_setting_only_the_masked_form_is_kept_and_leaves_with_its_import(tmp_path, monkeypatch):
    monkeypatch.setenv(personal.KEEP_VARIABLE, "1")
    store = Store(tmp_path / "data")
    result = store.import_file(with_applicants(tmp_path / "q1.xlsx"))
    assert store.applicant(PENDING_OVERDUE) == {s.APPLICANT_NAME: "Hoàng T. M.", s.APPLICANT_PHONE: "09******78",
                                                s.APPLICANT_ID: "00********90",
                                                s.APPLICANT_ADDRESS: "…, phường Chi Lăng, TP Lạng Sơn"}
    kept = store_bytes(store)
    for text in (NAME, PHONE, "345678", CCCD, "Lê Lợi"):
        assert text.encode("utf-8") not in kept, text
    dossiers, _ = store.dossiers()
    assert not set(dossiers.columns) & set(s.PERSONAL_FIELDS)  # what every screen and document is made from
    store.remove_import(result.import_id)
    assert store.applicant(PENDING_OVERDUE) == {}


def late_page(role: str):
    return page_app("pages/ho-so-tre-han.py", {"sel_kind": "quarter", "sel_year": 2019, "sel_number": 1,
                                      "late_case": PENDING_OVERDUE}, role=role).run()


def test_only_an_analyst_sees_the_masked_applicant_beside_one_dossier(empty_store, monkeypatch):
    monkeypatch.setenv(personal.KEEP_VARIABLE, "1")
    empty_store.import_file(with_applicants(empty_store.data_dir.parent / "q1.xlsx"))
    analyst, viewer = late_page(ANALYST), late_page(VIEWER)
    assert not analyst.exception and not viewer.exception
    shown = [c.value for c in analyst.caption if "Người nộp" in c.value]
    assert len(shown) == 1 and "Hoàng T. M." in shown[0] and "09******78" in shown[0]
    assert not [c for c in viewer.caption if "Hoàng" in c.value]
    everything = " ".join(str(e.value) for e in analyst.dataframe) + " ".join(
        frame.value.to_string() for frame in analyst.dataframe)
    assert "Hoàng" not in everything  # not in the lists (nor so in their CSV/XLSX, made from the same frames)
    assert isinstance(analyst.dataframe[0].value, pd.DataFrame)


def test_a_phone_number_in_a_catalog_cell_is_masked_in_its_notice(tmp_path):
    from analytics.ingest.catalog import read_catalog
    from tests.catalog_workbooks import catalog_workbook
    path = catalog_workbook(tmp_path / "danh-muc.xlsx", [
        ["1.001", "Đăng ký khai sinh", "Hộ tịch", "Cấp huyện", "Gọi 0912 345 678 để hỏi", ""]])
    issues = read_catalog(path).issues
    assert issues and all("345" not in i.message and "345" not in (i.value or "") for i in issues)
    assert any("09******78" in i.message for i in issues)
