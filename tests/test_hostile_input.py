"""Hostile and oversized input (issue 11 item 4) and personal data in what the reader reports (item 5).

Every hostile file is built here, byte by byte where the defect is in the zip's own headers, so the defect is visible:
a zip bomb, a zip whose headers lie about its sizes, too many members, sheets or rows, a CSV over the byte limit. Each
is refused with a Vietnamese message (an issue, never a traceback); the big ones in a subprocess whose peak memory is
measured, so "refused" also means "refused without inflating it".
"""
from __future__ import annotations

import io
import json
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from analytics.ingest import sheets, sniff
from analytics.ingest.export_reader import read_export
from analytics.model import issues as q
from analytics.model import schema as s
from tests.workbooks import simple_export
from ui import imports

MIB = 2**20
PROJECT = Path(__file__).resolve().parent.parent
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 b'2006/content-types"/>')


# --- Zips built by hand -----------------------------------------------------------------------------------------

def hand_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, the member's bytes as stored, the inflated size its headers declare, method), the same size
    declared in the local and the central header."""
    body, central = bytearray(), bytearray()
    for name, stored, declared, method in members:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, 0, len(stored), declared,
                            len(encoded), 0) + encoded + stored
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, 0, len(stored),
                               declared, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(body), 0)
    return bytes(body + central + end)


def deflated_zeros(size: int) -> bytes:
    """Raw deflate of `size` zero bytes (a multiple of 16 MiB): one compressed 16 MiB block, flushed so that it
    stands alone, repeated; a few KB per 16 MiB, made in a fraction of a second."""
    block = 16 * MIB
    assert size % block == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return piece * (size // block) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def workbook_with(member: str, stored: bytes, declared: int) -> bytes:
    return hand_zip([("[Content_Types].xml", CONTENT_TYPES, len(CONTENT_TYPES), zipfile.ZIP_STORED),
                     (member, stored, declared, zipfile.ZIP_DEFLATED)])


def in_subprocess(path: Path, tables_only: bool = False) -> dict:
    """read_export(path) in a fresh interpreter (or, with `tables_only`, only the loading of its sheets as text from
    bytes already read): the rejection's code and message, and how far the peak memory grew (MiB) during the call,
    measured against the peak once everything is imported."""
    code = f"""
import json, resource, sys
from pathlib import Path
from analytics.ingest.export_reader import read_export
from analytics.ingest.sheets import load_tables
from analytics.model import issues as q
data = Path(sys.argv[1]).read_bytes() if {tables_only} else None
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if data is None:
    issue = read_export(sys.argv[1]).rejected
else:
    try:
        load_tables(data, "x.csv")
        issue = None
    except q.FileRejected as rejection:
        issue = rejection.issue
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"code": issue and issue.code, "message": issue and issue.message,
                   "growth_mib": (after - before) / 1024}}))
"""
    done = subprocess.run([sys.executable, "-c", code, str(path)], cwd=PROJECT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Zip bombs and lying headers --------------------------------------------------------------------------------

def test_a_zip_bomb_declaring_its_size_is_refused_before_anything_is_inflated(tmp_path):
    # 2 GiB of zeros in a 2 MB file: the declared size alone passes the 1 GiB limit.
    path = tmp_path / "zip-bomb-2gib.xlsx"
    path.write_bytes(workbook_with("xl/worksheets/sheet1.xml", deflated_zeros(2048 * MIB), 2048 * MIB))
    assert path.stat().st_size < 3 * MIB
    result = in_subprocess(path)
    assert result["code"] == q.TOO_LARGE and "1.024 MiB" in result["message"]
    assert result["growth_mib"] < 48


def test_a_zip_bomb_under_the_total_limit_is_stopped_by_its_ratio_while_streaming(tmp_path):
    # 992 MiB of zeros, declared honestly (under 1 GiB): about 1000 times its compressed size. The check stops once
    # the inflated bytes pass 200 times the member's compressed size, a few MiB at a time, never holding them.
    bomb = deflated_zeros(992 * MIB)
    assert 992 * MIB > sniff.MAX_RATIO * len(bomb)
    path = tmp_path / "zip-bomb-ratio.xlsx"
    path.write_bytes(workbook_with("xl/worksheets/sheet1.xml", bomb, 992 * MIB))
    result = in_subprocess(path)
    assert result["code"] == q.UNSAFE_FILE
    assert result["growth_mib"] < 48


def test_a_zip_whose_headers_declare_a_small_size_is_refused_as_soon_as_it_inflates_past_it(tmp_path):
    # 8 MiB of sheet-like text (ratio about 9, so the ratio rule alone would let it through), declared as 1 KiB in
    # the local and the central header: Python's zipfile would stop at 1 KiB and never see the rest; the reader
    # behind (calamine) would inflate it all.
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>HS-%08d</t></is></c></row>' % (i, i, i * 7919)
                    for i in range(1, 120_000))
    text = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + rows
            )[:8 * MIB]
    stored = deflated(text)
    assert len(text) < sniff.MAX_RATIO * len(stored)
    data = workbook_with("xl/worksheets/sheet1.xml", stored, 1024)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1024  # what the headers say
    issue = read_export(data, "lying-size.xlsx").rejected
    assert issue.code == q.UNSAFE_FILE and issue.level == q.FILE and "xuất lại" in issue.message


def test_a_zip_bomb_with_lying_sizes_is_refused_within_bounded_memory(tmp_path):
    path = tmp_path / "zip-bomb-lying.xlsx"
    path.write_bytes(workbook_with("xl/worksheets/sheet1.xml", deflated_zeros(4096 * MIB), 2048))
    result = in_subprocess(path)
    assert result["code"] == q.UNSAFE_FILE and result["growth_mib"] < 48


def test_a_zip_with_more_than_10000_members_is_refused(tmp_path):
    path = tmp_path / "too-many-members.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for n in range(sniff.MAX_MEMBERS):  # 10,000 more: 10,001 in all
            archive.writestr(f"xl/media/{n}.bin", b"")
    issue = read_export(path).rejected
    assert issue.code == q.TOO_LARGE and "10.001" in issue.message and "10.000" in issue.message


@pytest.mark.parametrize("member", ["_rels/.rels", "xl/worksheets/sheet1.xml"])
def test_a_dtd_anywhere_in_an_xml_member_or_a_rels_is_refused(tmp_path, member):
    whole = simple_export(tmp_path / "whole.xlsx")
    path = tmp_path / "entity.xlsx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == member:  # after 64 KiB of comment: past any "first bytes" check
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = (b'<?xml version="1.0"?><!--' + b" " * 65536 + b'-->'
                        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + body)
            dst.writestr(item, data)
    assert read_export(path).rejected.code == q.UNSAFE_FILE


# --- Rows and sheets: only what has a header is parsed -----------------------------------------------------------

def test_a_workbook_with_more_than_200_sheets_is_refused(tmp_path):
    path = tmp_path / "too-many-sheets.xlsx"
    book = xlsxwriter.Workbook(path)
    for n in range(201):
        book.add_worksheet(f"S{n}").write(0, 0, "x")
    book.close()
    issue = read_export(path).rejected
    assert issue.code == q.TOO_LARGE and "201 trang tính" in issue.message and "200" in issue.message


def test_a_sheet_over_the_row_limit_or_a_file_over_the_total_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "two-sheets.xlsx"
    book = openpyxl.Workbook()
    for n, title in enumerate(["Quý I", "Quý II"]):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = title
        sheet.append(["Mã hồ sơ", "Ngày tiếp nhận"])
        for i in range(40):  # 41 rows a sheet, 82 in all
            sheet.append([f"{title}-{i}", "03/01/2019"])
    book.save(path)
    monkeypatch.setattr(sheets, "MAX_SHEET_ROWS", 40)
    issue = read_export(path).rejected
    assert (issue.code, issue.sheet) == (q.TOO_LARGE, "Quý I") and "hơn 40 dòng" in issue.message
    monkeypatch.setattr(sheets, "MAX_SHEET_ROWS", 41)
    monkeypatch.setattr(sheets, "MAX_TOTAL_ROWS", 81)
    issue = read_export(path).rejected
    assert (issue.code, issue.sheet) == (q.TOO_LARGE, "Quý II") and "hơn 81 dòng" in issue.message
    monkeypatch.setattr(sheets, "MAX_TOTAL_ROWS", 82)
    assert len(read_export(path).records) == 80


def test_a_csv_over_excels_row_limit_is_refused():
    # 1,048,577 rows (one more than a sheet of Excel), 12 bytes each.
    data = b"Ma ho so,Ngay tiep nhan\n" + b"A,03/01/2019\n" * 1_048_576
    issue = read_export(data, "rows.csv").rejected
    assert issue.code == q.TOO_LARGE and "1.048.576" in issue.message


class _Recording:
    """fastexcel's reader, remembering which sheets were loaded whole."""

    def __init__(self, reader, loaded: list):
        self._reader, self._loaded = reader, loaded

    @property
    def sheet_names(self):
        return self._reader.sheet_names

    def load_sheet(self, name, **options):
        self._loaded.append(name)
        return self._reader.load_sheet(name, **options)


def test_a_sheet_without_a_header_in_its_first_rows_is_never_parsed_whole(tmp_path, monkeypatch):
    path = tmp_path / "notes-and-dossiers.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Ghi chú"
    for i in range(5000):
        notes.append([f"Ghi chú số {i}", "nội dung"])
    dossiers = book.create_sheet("Danh sách")
    dossiers.append(["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"])
    dossiers.append(["A-1", "03/01/2019", "Đang xử lý"])
    book.save(path)
    loaded = []
    real = sheets.fastexcel.read_excel
    monkeypatch.setattr(sheets.fastexcel, "read_excel", lambda data: _Recording(real(data), loaded))
    reading = read_export(path)
    assert reading.records[s.CASE_ID].tolist() == ["A-1"]
    assert loaded == ["Danh sách"]
    tables = dict(sheets.sheets_of(path.read_bytes(), "xlsx", "x.xlsx", wanted=lambda rows: False))
    assert len(tables["Ghi chú"]) == 40 and tables["Ghi chú"].iloc[39, 0] == "Ghi chú số 39"
    assert len(dict(sheets.sheets_of(path.read_bytes(), "xlsx", "x.xlsx"))["Ghi chú"]) == 5000


def test_shared_strings_and_a_header_below_empty_rows_are_found_by_the_first_rows(tmp_path):
    # xlsxwriter writes shared strings (openpyxl writes inline ones): the header is read through them.
    path = tmp_path / "shared-strings.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("DS")
    sheet.write_row(9, 2, ["Mã hồ sơ", "Ngày tiếp nhận"])  # row 10, from column C
    sheet.write_row(10, 2, ["A-1", "03/01/2019"])
    book.close()
    [(name, (rows, more))] = sheets._xlsx_first_rows(path.read_bytes(), 40).items()
    assert name == "DS" and more is False and len(rows) == 11
    assert rows[9][2:] == ["Mã hồ sơ", "Ngày tiếp nhận"] and all(c is None for r in rows[:9] for c in r)
    reading = read_export(path)
    assert reading.records[s.SOURCE_ROW].tolist() == [11]


# --- CSV over the byte limit --------------------------------------------------------------------------------------

def test_a_csv_over_the_byte_limit_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_CSV_BYTES", MIB)
    data = b"Ma ho so,Ngay tiep nhan\n" + b"A-1,03/01/2019\n" * 80_000  # 1.2 MB
    issue = read_export(data, "big.csv").rejected
    assert issue.code == q.TOO_LARGE and "(1,1 MiB, tối đa 1 MiB)" in issue.message


def test_a_huge_csv_on_disk_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.csv"
    line = b"HS-000001,03/01/2019,10/01/2019,Phong Tu phap,Dang ky khai sinh,Da tra ket qua\n"
    block = line * (MIB // len(line) + 1)
    with path.open("wb") as out:
        out.write(b"Ma ho so,Ngay tiep nhan,Ngay hen tra,Co quan,Thu tuc,Trang thai\n")
        while out.tell() <= sniff.MAX_FILE_BYTES:
            out.write(block)
    try:
        result = in_subprocess(path)
        assert result["code"] == q.TOO_LARGE and "tối đa 200 MiB" in result["message"]
        assert result["growth_mib"] < 16
    finally:
        path.unlink()


def test_a_csv_under_the_limit_becomes_a_table_in_bounded_memory(tmp_path):
    # 200,000 dossiers, 11.6 MiB of CSV. Arrow's table of text is about its size, the parse a few times that; the
    # csv module's lists of Python strings, then a DataFrame built from them, took 15 times (173 MiB).
    path = tmp_path / "200k.csv"
    with path.open("wb") as out:
        out.write(b"Ma ho so,Ngay tiep nhan,Ngay hen tra,Trang thai,Co quan\n")
        out.writelines(b"HS-%06d,03/01/2019,10/01/2019,Da tra ket qua,Phong Tu phap\n" % i for i in range(200_000))
    size_mib = path.stat().st_size / MIB
    result = in_subprocess(path, tables_only=True)
    assert result["code"] is None
    assert result["growth_mib"] < 8 * size_mib


# --- Personal data ------------------------------------------------------------------------------------------------

DIGIT_RUN = re.compile(r"\d(?:[ .]?\d){8,}")


def test_phone_and_id_numbers_are_masked_in_every_issue_value_and_message(tmp_path):
    rows = [["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"],
            ["A-1", "03/01/2019", "0912 345 678", "Đang xử lý"],            # a phone where a date should be
            ["A-2", "04/01/2019", "10/01/2019", "Gọi 0987.654.321 trước"],   # a phone in a status
            ["A-3", "05/01/2019", "12/01/2019", "Đang xử lý"]]
    path = tmp_path / "phones.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    reading = read_export(path)
    assert reading.rejected is None
    # Whether a due date that is not a date skips its row or keeps it marked is the figures' rule (issue 16 item 1);
    # either way the issue that quotes it masks the number.
    [bad_date] = [i for i in reading.issues if i.column == "Ngày hẹn trả"]
    assert bad_date.value == "09******78" and '"09******78" không phải là ngày' in bad_date.message
    assert bad_date.row == 2
    [status] = [i for i in reading.issues if i.code == q.STATUS_UNRECOGNISED]
    assert status.value == "Gọi 09******21 trước" and "Gọi 09******21 trước" in status.message
    for issue in reading.issues:
        assert not DIGIT_RUN.search(issue.value) and not DIGIT_RUN.search(issue.message)


def test_a_phone_column_mapped_by_hand_is_left_out_without_printing_the_numbers_it_found(tmp_path):
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Liên hệ"]
    rows = [[f"A-{i}", "03/01/2019", f"0912 345 {i:03d}"] for i in range(12)]
    path = tmp_path / "contacts.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    reading = read_export(path, overrides={"Liên hệ": s.DUE_DATE})
    # Values that look like phone numbers are never read into a stored field (security test L7): the column is left
    # out, with a notice that names it and says why, and quotes none of its numbers.
    [issue] = [i for i in reading.issues if i.code == "personal_column"]
    assert issue.column == "Liên hệ" and "12/12" in issue.message and "số điện thoại" in issue.message
    assert not reading.rejected and reading.records[s.DUE_DATE].isna().all() and len(reading.records) == 12
    for issue in reading.issues:
        assert not DIGIT_RUN.search(issue.message) and not DIGIT_RUN.search(issue.value or "")


def test_the_masking_keeps_dates_counts_and_case_ids():
    from analytics.ingest.values import masked_identifiers
    assert masked_identifiers("CCCD 001090012345, SĐT +84 912 345 678") == "CCCD 00********45, SĐT +84*******78"
    kept = "Dòng 14: 03.01.2019 08.00, 1.048.576 dòng, 131.072 ký tự, mã TP-190103-0001, 12345678"
    assert masked_identifiers(kept) == kept


PERSONAL_HEADER = ["Mã hồ sơ", "Ngày tiếp nhận", "Số điện thoại", "Số CMND", "Cán bộ tiếp nhận"]
PERSONAL_ROWS = [["A-1", "03/01/2019", "0912345678", "001090012345", "Nguyễn Văn B"]]


def test_a_personal_column_cannot_be_mapped_by_hand_to_another_field(tmp_path):
    path = simple_export(tmp_path / "personal.xlsx", header=PERSONAL_HEADER, rows=PERSONAL_ROWS)
    reading = read_export(path, overrides={"Số điện thoại": s.UNIT, "Số CMND": ""})
    assert reading.rejected is None
    sheet = reading.sheets[0]
    assert sheet.mapping["Số điện thoại"] == s.APPLICANT_PHONE and sheet.read_by["Số điện thoại"] == "exact"
    assert reading.records[s.UNIT].isna().all()
    [refused] = [i for i in reading.issues if i.code == q.PERSONAL_COLUMN]
    assert (refused.level, refused.column, refused.value) == (q.NOTICE, "Số điện thoại", s.UNIT)
    assert "Nghị định 13/2023" in refused.message and '"Cơ quan giải quyết" (unit)' in refused.message
    assert "Số CMND" not in sheet.mapping  # ignoring a personal column is fine, and says nothing
    # The staff's names are recognised and dropped like personal data, not reported as unknown.
    assert sheet.mapping["Cán bộ tiếp nhận"] == s.STAFF and "Cán bộ tiếp nhận" not in sheet.ignored
    assert not set(s.PERSONAL_FIELDS) & set(reading.records.columns)
    cells = [str(c) for c in reading.records.to_numpy().ravel()]
    assert not any("0912345678" in c or "Nguyễn Văn B" in c for c in cells)


def test_a_personal_column_mapped_as_the_case_id_stops_the_file_and_says_why(tmp_path):
    path = simple_export(tmp_path / "cmnd-as-id.xlsx", header=PERSONAL_HEADER[1:], rows=[PERSONAL_ROWS[0][1:]])
    reading = read_export(path, overrides={"Số CMND": s.CASE_ID})
    assert reading.rejected.code == q.MISSING_COLUMN
    [refused] = [i for i in reading.issues if i.code == q.PERSONAL_COLUMN]
    assert refused.column == "Số CMND" and '"Mã hồ sơ" (case_id)' in refused.message


def test_the_mapping_editor_does_not_offer_personal_columns(tmp_path):
    reading = read_export(simple_export(tmp_path / "personal.xlsx", header=PERSONAL_HEADER, rows=PERSONAL_ROWS))
    table = imports.mapping_table(reading)
    assert list(table[imports.HEADER_COLUMN]) == ["Mã hồ sơ", "Ngày tiếp nhận"]
    assert imports.personal_headers(reading) == ["Số điện thoại", "Số CMND", "Cán bộ tiếp nhận"]
    assert set(imports.overrides_from(table)) == {"Mã hồ sơ", "Ngày tiếp nhận"}
