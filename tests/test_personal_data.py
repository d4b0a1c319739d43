"""Applicants' data (issue 11 item 5): not kept unless ONESTOP_KEEP_PERSONAL=1; then kept masked only, shown only
to analysts, beside one dossier, and never in the dossiers every output is made from."""
from __future__ import annotations

import re

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


def as_read(markdown: str) -> str:
    """What a person reads of a Markdown text from the data: its escapes undone (outputs.formatting.markdown_text)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


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
    shown = [as_read(c.value) for c in analyst.caption if "Người nộp" in c.value]
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


# --- Personal headers the reader did not know (issue 16, security test L7) -------------------------------------------

L7_HEADERS = ["Họ và tên", "Họ tên", "Số ĐT", "Số điện thoại", "Điện thoại", "Email", "Thư điện tử", "Ngày sinh",
              "Người đề nghị", "Người yêu cầu", "Công dân", "Hộ chiếu", "Nơi cư trú", "Địa chỉ thường trú", "CMND",
              "CCCD", "Số định danh"]
VARIANTS = ["Ho va ten", "Ho ten", "So DT", "So dien thoai", "Dien thoai", "E-mail", "Thu dien tu", "Ngay sinh",
            "Nguoi de nghi", "Nguoi yeu cau", "Cong dan", "Ho chieu", "Noi cu tru", "Dia chi thuong tru",
            "Số CMND/CCCD",
            "hoTen", "hoVaTen", "soDienThoai", "soDT", "email", "thuDienTu", "ngaySinh", "nguoiDeNghi", "soHoChieu",
            "noiCuTru", "soDinhDanh", "Số định danh cá nhân", "Email người nộp", "Ngày sinh người nộp",
            "HỌ VÀ TÊN", "  Số   ĐT \n liên hệ "]


@pytest.mark.parametrize("header", L7_HEADERS + VARIANTS)
def test_a_personal_header_is_recognised_as_personal(header):
    from analytics.ingest import headers
    assert headers.field_for(header) in s.PERSONAL_FIELDS and headers.is_personal(header)
    assert personal.names_personal_data(header)


@pytest.mark.parametrize("header, field", [
    ("Người tiếp nhận", s.STAFF), ("Cán bộ tiếp nhận", s.STAFF), ("Họ tên cán bộ tiếp nhận", s.STAFF),
    ("Nơi tiếp nhận", s.RECEIVING_UNIT), ("Đơn vị tiếp nhận", s.RECEIVING_UNIT), ("Ngày nhận", s.RECEIVED_DATE),
    ("Nội dung yêu cầu", s.PROCEDURE_NAME), ("Cơ quan giải quyết", s.UNIT), ("Mã hồ sơ", s.CASE_ID),
])
def test_staff_stay_staff_and_the_receiving_unit_is_not_personal(header, field):
    from analytics.ingest import headers
    assert headers.field_for(header) == field
    assert personal.names_personal_data(header) == (field in s.PERSONAL_FIELDS)


L7_ROW = ["Trần Thị Riêng Tư", "Trần T. R. T.", "0912 345 678", "0912-345-678", "0912345678",
          "rieng.tu0@example.vn", "rieng.tu@example.vn", "01/02/1990", "Lê Văn Đề Nghị", "Phạm Yêu Cầu",
          "Ngô Công Dân", "C1234567", "12 Lê Lợi, phường Chi Lăng", "15 Trần Phú, phường Tam Thanh",
          "123456789", "001090012345", "001090099999"]


def l7_export(path):
    return simple_export(path, [[*row, *L7_ROW] for row in ROWS], [*HEADER, *L7_HEADERS])


def test_none_of_them_is_stored_even_when_a_mapping_names_a_field(tmp_path, capsys, monkeypatch):
    from analytics.cli import main
    monkeypatch.delenv(personal.KEEP_VARIABLE, raising=False)
    data_dir = tmp_path / "data"
    code = main(["--data-dir", str(data_dir), "import", str(l7_export(tmp_path / "l7.xlsx")),
                 "--map", "Họ và tên=procedure_name", "--map", "Email=field", "--map", "Số ĐT=unit"])
    said = capsys.readouterr()
    out = said.out + said.err
    assert code == 0
    # The command line says, in Vietnamese, that each of them is refused ...
    for header, field in (("Họ và tên", "procedure_name"), ("Email", "field"), ("Số ĐT", "unit")):
        assert re.search(f'Cột "{header}" là dữ liệu cá nhân .* nên không được ánh xạ thành "[^"]+" \\({field}\\)',
                         out), out
    # ... and nothing of them is in the store: not in the records, not in the file.
    store = Store(data_dir)
    dossiers, _ = store.dossiers()
    assert dossiers[s.PROCEDURE_NAME].tolist() == [r[2] for r in ROWS]
    kept = store_bytes(store)
    for value in L7_ROW:
        assert value.encode("utf-8") not in kept, value
    assert "Riêng Tư" not in out and "0912" not in out


def test_the_mapping_editor_offers_none_of_them(tmp_path):
    from analytics.ingest.export_reader import read_export
    from ui import imports
    reading = read_export(l7_export(tmp_path / "l7.xlsx"))
    offered = list(imports.mapping_table(reading)[imports.HEADER_COLUMN])
    assert offered == [h for h in HEADER]
    assert imports.personal_headers(reading) == L7_HEADERS


@pytest.mark.parametrize("mask, raw, shown", [
    ("masked_contact", "rieng.tu0@example.vn", "r…@example.vn"),
    ("masked_contact", "0912 345 678", "09******78"),
    ("masked_identifier", "01/02/1990", "**/**/****"),
    ("masked_identifier", "001090012345", "00********45"),
])
def test_an_email_and_a_birth_date_are_masked_too(mask, raw, shown):
    mask = getattr(personal, mask)
    assert mask(raw) == shown
    assert mask(shown) == shown  # masking twice changes nothing (a re-import reads a masked copy)


@pytest.mark.parametrize("mask, raw", [(personal.masked_name, NAME), (personal.masked_number, PHONE),
                                       (personal.masked_number, CCCD), (personal.masked_address, ADDRESS)])
def test_every_mask_leaves_a_masked_value_as_it_is(mask, raw):
    assert mask(mask(raw)) == mask(raw)


@pytest.mark.parametrize("value, kind", [
    ("0912 345 678", "phone"), ("+84 912 345 678", "phone"), ("(0205) 3812 345", "phone"),
    ("rieng.tu@example.vn", "email"), ("001090012345", "id_number"),
    ("Nguyễn Văn An", "name"), ("HỨA ĐỨC TUẤN", "name"),
    ("Phòng Tư pháp", None), ("UBND P. Chi Lăng", None), ("TP-190103-0001", None), ("03/01/2019", None),
    ("Gọi 0912 345 678", None), ("12345678", None), ("Đăng ký khai sinh", None),
])
def test_a_value_that_looks_personal_is_told_apart(value, kind):
    assert personal.value_kind(value) == kind


def test_a_column_mapped_by_hand_whose_values_are_phone_numbers_is_refused_on_the_command_line(tmp_path, capsys):
    """The exposure finding L7, on the command line: `--map "Liên hệ=procedure_name"` of a column of phone numbers
    is refused with a notice and nothing of it is stored; the figures keep the other columns."""
    from analytics.cli import main
    from analytics.dossiers.store import Store
    from tests.workbooks import HEADER, simple_export
    rows = [[i, f"A-{i}", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", None, "Đang xử lý",
             None, f"09123456{i:02d}"] for i in range(12)]
    path = simple_export(tmp_path / "lien-he.xlsx", rows=rows, header=[*HEADER, "Liên hệ"])
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(path), "--map", "Liên hệ=procedure_name"]) == 0
    stored = Store(tmp_path / "d").records()
    assert not stored["procedure_name"].astype(str).str.contains("0912").any()
    issues = Store(tmp_path / "d").issues()
    assert (issues["code"] == "personal_column").any() and issues["message"].str.contains("số điện thoại").any()
