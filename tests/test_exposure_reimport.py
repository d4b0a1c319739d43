"""The copy of an upload kept for a re-import (issue 16: security test M3, code review §2.7; and L7's "values that
look personal"): stripped of personal data, in a private folder made per process, gone after an hour, when the
session lets it go, and at the next start after a server stopped; and a re-import from it reads the file as the
upload would, its corrected mapping remembered for the next files with the same header.

The exports are built here with applicants' names, phones and e-mails under headers the reader knows ("Họ và tên",
"Số ĐT", "Email") and under one it does not ("Liên hệ"), and a phone inside free text ("Ghi chú")."""
from __future__ import annotations

import csv
import gc
import io
import os
import stat
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analytics.dossiers.store import Store
from analytics.ingest import personal
from analytics.ingest.export_reader import header_signature, read_export
from analytics.model import schema as s
from tests.workbooks import HEADER, ROWS, simple_export
from ui import imports, reimport

NAMES = ["Nguyễn Văn Bí Mật", "Trần Thị Riêng Tư", "Hứa Đức Tuấn"]
PHONES = ["0912 345 678", "0987.654.321", "0351144588"]
EMAILS = ["bi.mat@example.vn", "rieng.tu@example.vn", "tuan.hd@example.vn"]
PERSONAL_HEADER = [*HEADER, "Họ và tên", "Số ĐT", "Email", "Liên hệ", "Ghi chú"]
SECRETS = [*NAMES, *PHONES, *EMAILS, "345 678", "654.321", "1144588", "Bí Mật", "Riêng Tư"]


def personal_rows() -> list[list]:
    return [[*row, NAMES[n], PHONES[n], EMAILS[n], PHONES[n], f"Gọi {PHONES[(n + 1) % 3]} trước khi trả"]
            for n, row in enumerate(ROWS)]


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    """The system's temporary folder, here; no folder made yet in this process."""
    base = tmp_path / "tmp"
    base.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(base))
    monkeypatch.setattr(reimport, "_folder", None, raising=False)
    monkeypatch.delenv(personal.KEEP_VARIABLE, raising=False)
    return base


def kept_path(kept) -> Path:
    return Path(kept if isinstance(kept, str) else kept.path)


def kept_text(kept) -> str:
    """What the kept file holds, as text: a workbook's members unzipped, a CSV as it is."""
    data = kept_path(kept).read_bytes()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(member).decode("utf-8", "replace") for member in archive.namelist())
    return data.decode("utf-8", "replace")


def imported(store: Store, path: Path, **options):
    content = path.read_bytes()
    return content, store.import_file(content, name=path.name, **options)


# --- M3: what is kept, where, for how long ------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_kept_copy_holds_no_applicant_name_phone_or_email(private_temp, tmp_path, suffix):
    path = simple_export(tmp_path / "q1.xlsx", personal_rows(), PERSONAL_HEADER)
    if suffix == ".csv":  # the same table as a CSV, a title row above it
        path = tmp_path / "q1.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([["DANH SÁCH HỒ SƠ"], PERSONAL_HEADER,
                                       *[[str(c) if c is not None else "" for c in r] for r in personal_rows()]])
    content, result = imported(Store(tmp_path / "data"), path)
    assert result.status == "imported"
    kept, _ = reimport.hold(content, result)
    text = kept_text(kept)
    for secret in SECRETS:
        assert secret not in text, secret
    # The headers stay (the header's signature remembers a corrected mapping), and so do the dossiers' own data.
    assert all(h in text for h in PERSONAL_HEADER) and "TP-190211-0003" in text and "Phòng Tư pháp" in text
    assert "Gọi 09******21 trước khi trả" in text  # a phone inside text, masked


def test_the_copy_is_kept_in_a_private_folder_made_for_this_process(private_temp, tmp_path):
    content, result = imported(Store(tmp_path / "data"), simple_export(tmp_path / "q1.xlsx"))
    kept, _ = reimport.hold(content, result)
    where = kept_path(kept).parent
    assert where.parent == private_temp
    assert where.name.startswith(f"onestop-reimport-{os.getpid()}-")  # never a fixed name another account can take
    info = where.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    assert stat.S_IMODE(kept_path(kept).stat().st_mode) == 0o600
    where.chmod(0o755)  # opened to others after it was made: nothing more is kept there
    with pytest.raises(reimport.UnsafeFolder):
        reimport.hold(content, result)


def test_a_copy_older_than_an_hour_is_never_read_and_is_purged(private_temp, tmp_path):
    store = Store(tmp_path / "data")
    content, result = imported(store, simple_export(tmp_path / "q1.xlsx"))
    old, _ = reimport.hold(content, result)
    fresh, _ = reimport.hold(content, result)
    hour_ago = time.time() - reimport.KEEP_SECONDS - 60
    os.utime(kept_path(old), (hour_ago, hour_ago))
    assert reimport.KEEP_SECONDS == 3600
    assert reimport.read(old) is None and not kept_path(old).exists()   # read: too old
    os.utime(kept_path(fresh), (hour_ago, hour_ago))
    assert reimport.purge_old(kept_path(fresh).parent) == 1             # the background purge, every 5 minutes
    assert not kept_path(fresh).exists()
    assert reimport.CHECK_EVERY_SECONDS == 300 and reimport._janitor.is_alive()


def test_the_copy_goes_when_the_session_lets_it_go(private_temp, tmp_path):
    content, result = imported(Store(tmp_path / "data"), simple_export(tmp_path / "q1.xlsx"))
    session_state = {"import_results": {"q1.xlsx": reimport.hold(content, result)}}
    path = kept_path(session_state["import_results"]["q1.xlsx"][0])
    assert path.exists()
    session_state.clear()  # Streamlit drops an ended session's state (or sign-out clears it)
    gc.collect()
    assert not path.exists()


def test_what_a_stopped_server_left_is_purged_at_start(private_temp):
    dead = private_temp / "onestop-reimport-999999999-abcd"   # no such process
    dead.mkdir(mode=0o700)
    (dead / "a.xlsx").write_bytes(b"x")
    alive = private_temp / f"onestop-reimport-{os.getppid()}-efgh"  # another server still running
    alive.mkdir(mode=0o700)
    (alive / "new.xlsx").write_bytes(b"x")
    (alive / "old.xlsx").write_bytes(b"x")
    hour_ago = time.time() - reimport.KEEP_SECONDS - 60
    os.utime(alive / "old.xlsx", (hour_ago, hour_ago))
    legacy = private_temp / "onestop-reimport"  # the fixed folder of earlier versions, with a raw upload
    legacy.mkdir(mode=0o700)
    (legacy / "x.upload").write_bytes("Nguyễn Văn Bí Mật,0912 345 678".encode())
    reimport.purge_left_behind(private_temp)
    assert not dead.exists() and not legacy.exists()
    assert (alive / "new.xlsx").exists() and not (alive / "old.xlsx").exists()


# --- The re-import keeps working from the copy ---------------------------------------------------------------------

UNKNOWN_UNIT = "Bộ phận thụ lý"  # a header the reader does not know: the unit is missing until it is mapped


def test_a_corrected_mapping_re_imports_from_the_copy_as_from_the_upload(private_temp, tmp_path, empty_store):
    header = [UNKNOWN_UNIT if h == "Cơ quan giải quyết" else h for h in PERSONAL_HEADER]
    path = simple_export(tmp_path / "q1.xlsx", personal_rows(), header)
    store = empty_store  # the dashboard's store (ONESTOP_DATA_DIR), as on the Dữ liệu screen
    content, first = imported(store, path)
    assert first.status == "imported" and first.reading.records[s.UNIT].isna().all()
    # The Dữ liệu screen: keep the copy; the analyst maps the column; the copy is read back and imported again.
    kept, _ = reimport.hold(content, first)
    copy = reimport.read(kept)
    overrides = {UNKNOWN_UNIT: s.UNIT}
    reimport.drop(kept)
    again = store.import_file(copy, name=path.name, overrides=overrides, replace=True, fingerprint=kept.fingerprint)
    kept, _ = reimport.hold(copy, again, kept.fingerprint)
    assert again.status == "imported"
    # Read as the upload would have been read, with the same header (so the same remembered mapping) ...
    from_upload = read_export(content, path.name, overrides=overrides)
    from_copy = read_export(copy, path.name, overrides=overrides)
    pd.testing.assert_frame_equal(from_copy.records, from_upload.records)
    assert [sh.signature for sh in from_copy.sheets] == [sh.signature for sh in from_upload.sheets]
    assert header_signature(header) in store.remembered_mappings()
    # ... and it replaces the first import: one import, the units read, nothing personal stored.
    assert list(store.imports()["import_id"]) == [again.import_id]
    dossiers, _ = store.dossiers()
    assert sorted(dossiers[s.UNIT].unique()) == ["Phòng Tài nguyên và Môi trường", "Phòng Tư pháp"]
    stored = b"".join(p.read_bytes() for p in store.data_dir.glob("onestop.duckdb*"))
    assert not any(secret.encode() in stored for secret in SECRETS)
    # The upload itself, imported again, is the same file: nothing changes.
    assert store.import_file(content, name=path.name).status == "already_imported"
    assert list(store.imports()["import_id"]) == [again.import_id]
    # The next quarter's file with the same header is read with the mapping remembered.
    later = store.import_file(simple_export(tmp_path / "q2.xlsx", personal_rows()[:1], header).read_bytes(),
                              name="q2.xlsx")
    assert later.reading.records[s.UNIT].tolist() == ["Phòng Tư pháp"]


def test_with_applicants_kept_masked_the_re_import_keeps_them_masked(private_temp, tmp_path, monkeypatch,
                                                                    empty_store):
    monkeypatch.setenv(personal.KEEP_VARIABLE, "1")
    header = [UNKNOWN_UNIT if h == "Cơ quan giải quyết" else h for h in PERSONAL_HEADER]
    path = simple_export(tmp_path / "q1.xlsx", personal_rows(), header)
    store = empty_store
    content, first = imported(store, path)
    before = store.applicant("TP-190103-0001")
    assert before == {s.APPLICANT_NAME: "Nguyễn V. B. M.", s.APPLICANT_PHONE: "09******78"}
    kept, _ = reimport.hold(content, first)
    assert not any(secret in kept_text(kept) for secret in SECRETS)  # the copy holds the masked forms only
    again = store.import_file(reimport.read(kept), name=path.name, overrides={UNKNOWN_UNIT: s.UNIT}, replace=True,
                              fingerprint=kept.fingerprint)
    reimport.hold(reimport.read(kept), again, kept.fingerprint)
    assert store.applicant("TP-190103-0001") == before


# --- L7: a column whose values look personal cannot be mapped by hand ---------------------------------------------

def test_columns_whose_values_look_personal_are_refused_or_warned_when_mapped_by_hand(private_temp, tmp_path):
    header = [*HEADER, "Liên hệ", "Khách", "Phường"]
    rows = [[*row, PHONES[n], NAMES[n], "Hoàng Văn Thụ"] for n, row in enumerate(ROWS)]
    path = simple_export(tmp_path / "q1.xlsx", rows, header)
    content, result = imported(Store(tmp_path / "data"), path)
    kept, shown = reimport.hold(content, result)
    looks = shown.values_look_personal
    assert (looks["Liên hệ"].kind, looks["Khách"].kind, looks["Phường"].kind) == ("phone", "name", "name")
    before = imports.mapping_table(result.reading)
    edited = before.copy()
    for text, field_name in (("Liên hệ", s.PROCEDURE_CODE), ("Khách", s.FIELD), ("Phường", s.LEVEL)):
        edited.loc[edited[imports.HEADER_COLUMN] == text, imports.FIELD_COLUMN] = \
            f"{s.FIELD_LABELS[field_name]} ({field_name})"
    refusals, warnings = imports.mappings_of_personal_values(imports.mapped_by_hand(before, edited), looks)
    assert len(refusals) == 2 and len(warnings) == 1
    assert '"Liên hệ" có giá trị giống số điện thoại (3/3 giá trị đầu)' in refusals[0]
    assert '"Khách" có giá trị giống họ tên người (3/3 giá trị đầu)' in refusals[1]
    assert "Nghị định 13/2023/NĐ-CP" in refusals[0] and imports.IGNORE in refusals[0]
    assert '"Phường" có giá trị giống họ tên người' in warnings[0]  # one ward's name, repeated: warned only
    # The phones and the names were not kept either; the ward's name was (it may be mapped).
    text = kept_text(kept)
    assert not any(secret in text for secret in [*NAMES, *PHONES]) and "Hoàng Văn Thụ" in text
