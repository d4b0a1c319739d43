"""The audit trail keyed and anchored outside the store (issue 16 item 2; security test M4, L3; review §2.4).

The tampering is done the way the security test did it: with DuckDB on the store's file, as anyone who may write
the file can, recomputing the chain where the attacker can (plain SHA-256, or an HMAC with a key of their own).
`audit-log --verify` must then fail: an edited entry, an entry deleted in the middle, the latest entries deleted,
and a rewritten, re-chained (and renumbered) trail.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import stat

import duckdb
import pytest

from analytics import cli
from analytics.access import audit
from analytics.access.audit import AuditTrail
from analytics.dossiers.store import Store

GENESIS = "0" * 64


@pytest.fixture
def keys(tmp_path, monkeypatch):
    folder = tmp_path / "khoa"  # beside the data folder, outside it
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(folder))
    return folder


@pytest.fixture
def trail(tmp_path, keys):
    store = Store(tmp_path / "data")
    trail = AuditTrail(store)
    for n in range(1, 9):
        trail.record("chuyen.vien", audit.EXPORT, f"bieu06_{n}.xlsx", {"what": "bieu06 xlsx"})
    return trail


def rows(store: Store) -> list[tuple]:
    with duckdb.connect(str(store.path)) as con:
        return con.execute("SELECT entry_id, happened_at, actor, action, target, detail, outcome, chain "
                           "FROM audit_log ORDER BY entry_id").fetchall()


def rechain(store: Store, changed: list[tuple], mac=None) -> None:
    """Replace the whole trail by `changed` (entry_id, happened_at, actor, action, target, detail, outcome), each
    entry chained to the one before as the program chains them: plain SHA-256 (no key), or `mac`."""
    previous, out = GENESIS, []
    for entry_id, at, *fields in changed:
        content = json.dumps([previous, entry_id, at.isoformat(sep=" "), *fields], ensure_ascii=False).encode()
        previous = mac(content) if mac else hashlib.sha256(content).hexdigest()
        out.append((entry_id, at, *fields, previous))
    with duckdb.connect(str(store.path)) as con:
        con.execute("DELETE FROM audit_log")
        con.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", out)


def verify_command(capsys, monkeypatch, store: Store) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    capsys.readouterr()
    code = cli.main(["--data-dir", str(store.data_dir), "audit-log", "--verify"])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_an_untouched_trail_verifies(trail, capsys, monkeypatch):
    check = trail.verify()
    assert check.holds and check.entries == 8
    code, said = verify_command(capsys, monkeypatch, trail.store)
    assert code == 0 and "8 dòng" in said and "HMAC-SHA256" in said


def test_the_key_is_made_outside_the_data_folder_readable_by_its_owner_only(trail, keys):
    key = keys / audit.KEY_FILE
    assert key.exists() and not key.resolve().is_relative_to(trail.store.data_dir.resolve())
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert key.read_text().strip() not in trail.store.path.read_bytes().decode("latin-1")
    anchor = json.loads(audit.anchor_path(trail.store).read_text(encoding="utf-8"))
    assert anchor["dong_cuoi"] == 8 and anchor["khoa_tu_dong"] == 1
    assert stat.S_IMODE(audit.anchor_path(trail.store).stat().st_mode) == 0o600


def test_a_key_folder_open_to_others_is_closed_on_first_use(tmp_path, keys):
    keys.mkdir(mode=0o755)
    os.chmod(keys, 0o755)
    AuditTrail(Store(tmp_path / "data")).record("a", audit.IMPORT, "q.xlsx")
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700


def test_an_edited_entry_is_found(trail, capsys, monkeypatch):
    with duckdb.connect(str(trail.store.path)) as con:
        con.execute("UPDATE audit_log SET actor = 'nguoi.khac' WHERE entry_id = 5")
    check = trail.verify()
    assert not check.holds and check.first_broken == 5
    code, said = verify_command(capsys, monkeypatch, trail.store)
    assert code == 1 and "dòng số 5" in said


def test_an_entry_deleted_in_the_middle_is_found(trail):
    with duckdb.connect(str(trail.store.path)) as con:
        con.execute("DELETE FROM audit_log WHERE entry_id = 3")
    check = trail.verify()
    assert not check.holds and check.first_broken == 3


@pytest.mark.parametrize("deleted", [1, 5])
def test_the_latest_entries_deleted_are_found(trail, capsys, monkeypatch, deleted):
    """M4: deleting the latest 5 entries verified as "80 dòng, khớp"."""
    with duckdb.connect(str(trail.store.path)) as con:
        con.execute("DELETE FROM audit_log WHERE entry_id > ?", [8 - deleted])
    check = trail.verify()
    assert not check.holds and check.first_broken == 9 - deleted
    code, said = verify_command(capsys, monkeypatch, trail.store)
    assert code == 1 and f"{9 - deleted}–8" in said, said


def test_a_rewritten_trail_rechained_without_the_key_is_found(trail, capsys, monkeypatch):
    """M4: the sign-in failures deleted, the empty export actors set to an admin, the chain recomputed (and the ids
    renumbered): verified as "23 dòng, khớp"."""
    kept = [(n, at, "quan.tri", action, target, detail, outcome)
            for n, (_, at, _, action, target, detail, outcome, _) in enumerate(rows(trail.store)[:6], start=1)]
    rechain(trail.store, kept)
    check = trail.verify()
    assert not check.holds and check.first_broken == 1
    code, said = verify_command(capsys, monkeypatch, trail.store)
    assert code == 1 and "viết lại" in said


def test_a_trail_rechained_with_another_key_is_found(trail):
    forged = [(entry_id, at, "quan.tri", *rest) for entry_id, at, _, *rest in (r[:7] for r in rows(trail.store))]
    rechain(trail.store, forged, mac=lambda content: hmac.new(b"k" * 32, content, hashlib.sha256).hexdigest())
    check = trail.verify()
    assert not check.holds and check.first_broken == 1


def test_a_trail_whose_anchor_is_gone_does_not_verify(trail):
    audit.anchor_path(trail.store).unlink()
    check = trail.verify()
    assert not check.holds and "mốc neo" in check.describe()


def test_ids_stay_gapless_when_a_write_fails(trail, monkeypatch):
    def broken(*args):
        raise RuntimeError("a write that fails halfway")
    with monkeypatch.context() as patched:
        patched.setattr(audit, "_mac", broken)
        with pytest.raises(RuntimeError):
            trail.record("chuyen.vien", audit.EXPORT, "x.csv")
    trail.record("chuyen.vien", audit.EXPORT, "y.csv")
    assert [r[0] for r in rows(trail.store)] == list(range(1, 10))
    assert trail.verify().holds


def test_a_trail_written_before_keying_says_so_and_where_keying_starts(tmp_path, keys, capsys, monkeypatch):
    store = Store(tmp_path / "data")
    AuditTrail(store).record("x", audit.IMPORT, "boot")  # makes the tables (and a first keyed entry, replaced below)
    at = rows(store)[0][1]
    old = [(n, at, "chuyen.vien", audit.IMPORT, f"quy{n}.xlsx", "{}", audit.OK) for n in (1, 2, 3)]
    rechain(store, old)  # as the program wrote before it had a key
    audit.anchor_path(store).unlink()
    check = AuditTrail(store).verify()
    assert check.holds and check.keyed_from is None and "trước khi chương trình có khoá" in check.describe()
    AuditTrail(store).record("chuyen.vien", audit.EXPORT, "bieu06.xlsx")
    AuditTrail(store).record("chuyen.vien", audit.EXPORT, "bieu06.xlsx")
    check = AuditTrail(store).verify()
    assert check.holds and check.keyed_from == 4
    assert "Các dòng 1–3 được ghi trước khi có khoá" in check.describe() and "từ dòng số 4" in check.describe()
    # The old part rewritten, or the whole trail made unkeyed again: both found.
    changed = [(entry_id, at, "nguoi.khac", *rest) for entry_id, at, _, *rest in (r[:7] for r in rows(store))]
    rechain(store, changed)
    check = AuditTrail(store).verify()
    assert not check.holds and check.first_broken == 4


def test_the_table_output_cannot_be_given_forged_lines(tmp_path, keys, capsys, monkeypatch):
    """L3: a newline in an actor printed a forged-looking line in `audit-log`."""
    store = Store(tmp_path / "data")
    AuditTrail(store).record("x\n  999  07/12/2026 03:00:00  admin1  xoá lần nhập", audit.SIGN_IN_FAILED, "t\r\x1b[2J")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(store.data_dir), "audit-log"]) == 0
    printed = capsys.readouterr().out
    assert len(printed.splitlines()) == 1 and "\x1b" not in printed and "\\n" in printed


@pytest.mark.parametrize("typed, kept", [
    ("chuyen.vien", "chu******en"), ("  Chuyen.Vien ", "chu******en"), ("ab", "a*"), ("admin1", "a*****"),
    ("", "(trống)"), ("một câu mật khẩu dài", "(tên không hợp lệ)"), ("x\nadmin", "(tên không hợp lệ)"),
    ("a" * 40, "(tên không hợp lệ)"), ("=cmd|' /C calc'!A0", "(tên không hợp lệ)"),
])
def test_a_typed_name_is_kept_masked_and_cut(typed, kept):
    shown = audit.typed_name(typed)
    assert shown == kept and len(shown) <= 32 and shown.isprintable()
