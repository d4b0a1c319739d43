"""Nothing lost under faults (issue 11 item 3, review 4.4): an import killed midway (kill -9) leaves the store as it
was, or holds the whole import; a full disk loses nothing already stored and says so in Vietnamese; a damaged store
or one whose numbering is behind its rows is said for people, while an error of the program stays as it is.

The import runs in another process, as `python -m analytics import` does. A full disk is simulated without root: the
process may not write past a file size (RLIMIT_FSIZE, with SIGXFSZ ignored), so every write beyond it fails with
EFBIG ("File too large") exactly where a full disk fails with ENOSPC; ENOSPC's own wording is checked in process.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.dossiers import stored_imports
from analytics.dossiers.store import Store, StoreFull, StoreUnavailable
from analytics.model import schema as s
from analytics.outputs import formatting as fmt
from tests.workbooks import HEADER, simple_export

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261129
BIG_ROWS = 60_000
BIG_KEPT = BIG_ROWS - len(range(5, BIG_ROWS, 97))  # one row in 97 is skipped (big_export)


def big_export(path: Path, rows: int, prefix: str, seed: int = SEED) -> Path:
    """A CSV export of `rows` dossiers with case ids `prefix`-n, the same bytes for the same arguments. One row in
    97 has a received date that is not a date, so the import also stores row-level issues."""
    rng = random.Random(seed)
    procedures = [("Đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp"), ("Đăng ký kết hôn", "Hộ tịch", "Phòng Tư pháp"),
                  ("Cấp GCN quyền sử dụng đất", "Đất đai", "Phòng Tài nguyên và Môi trường")]
    start = dt.date(2018, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(HEADER)
        for n in range(rows):
            received = start + dt.timedelta(days=rng.randrange(450))
            due = received + dt.timedelta(days=rng.randrange(3, 20))
            done = rng.random() < 0.7
            completed = received + dt.timedelta(days=rng.randrange(1, 25)) if done else None
            procedure, field, unit = rng.choice(procedures)
            out.writerow([n + 1, f"{prefix}-{n:07d}", procedure, field, unit,
                          "tuần sau" if n % 97 == 5 else f"{received:%d/%m/%Y}", f"{due:%d/%m/%Y}",
                          f"{completed:%d/%m/%Y}" if completed else "", "Đã trả kết quả" if done else "Đang xử lý",
                          rng.choice(["Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính", ""])])
    return path


@pytest.fixture(scope="session")
def big_csv(tmp_path_factory) -> Path:
    """60,000 dossiers: an import that takes about two seconds from the command line, made once per session."""
    return big_export(tmp_path_factory.mktemp("big") / "nam-2018.csv", BIG_ROWS, "K")


@pytest.fixture
def base(tmp_path) -> Store:
    """A store with one import already in it."""
    store = Store(tmp_path / "base")
    assert store.import_file(simple_export(tmp_path / "q1.xlsx")).status == "imported"
    return store


@pytest.fixture(scope="module")
def killable(tmp_path_factory, big_csv) -> tuple[Store, dict, dict]:
    """(a store with one import, what it holds, what it holds once the big export is imported cleanly)."""
    folder = tmp_path_factory.mktemp("killable")
    store = Store(folder / "base")
    assert store.import_file(simple_export(folder / "q1.xlsx")).status == "imported"
    clean = copy_store(store, folder / "clean")
    assert clean.import_file(big_csv).status == "imported"
    return store, contents(store), contents(clean)


def copy_store(store: Store, folder: Path) -> Store:
    shutil.copytree(store.data_dir, folder)
    return Store(folder)


def cli(data_dir: Path, *paths: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analytics", "--data-dir", str(data_dir), "import",
                             *map(str, paths)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **popen)


def files_of(folder: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of each file in the store's folder: the first change shows the import has begun to write."""
    out = {}
    for entry in os.scandir(folder):
        try:
            status = entry.stat()
        except FileNotFoundError:
            continue
        out[entry.name] = (status.st_size, status.st_mtime_ns)
    return out


def wait_for_writing(process: subprocess.Popen, folder: Path) -> float | None:
    """Block until the process changes a file of the store (the monotonic time), or None if it ended first."""
    before = files_of(folder)
    while process.poll() is None:
        if files_of(folder) != before:
            return time.monotonic()
        time.sleep(0.001)
    return None


def contents(store: Store) -> dict[str, pd.DataFrame]:
    """Everything a reader sees, without the import ids, which a clean import and a re-import number alike."""
    dossiers, merged = store.dossiers()
    return {"imports": store.imports().drop(columns=["import_id", "imported_at"]),
            "records": store.records().drop(columns=[s.IMPORT_ID]),
            "issues": store.issues().drop(columns=["import_id"]),
            "dossiers": dossiers.drop(columns=[s.IMPORT_ID], errors="ignore").assign(merged=merged)}


def same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    return all(a[name].reset_index(drop=True).equals(b[name].reset_index(drop=True)) for name in a)


def assert_whole(store: Store, old_ids: list[int], before: dict, clean: dict, big: Path) -> bool:
    """The store opens and holds the old imports, or the old ones and the whole new one. True if the new one."""
    imports = store.imports()
    ids = imports["import_id"].tolist()
    assert ids[:len(old_ids)] == old_ids and len(ids) in (len(old_ids), len(old_ids) + 1), imports
    records, issues = store.records(), store.issues()
    assert set(records[s.IMPORT_ID]) <= set(ids) and set(issues["import_id"]) <= set(ids)  # nothing orphaned
    counted = records[s.IMPORT_ID].value_counts()
    assert all(counted.get(row.import_id, 0) == row.rows_imported for row in imports.itertuples())
    landed = len(ids) > len(old_ids)
    if landed:
        assert imports["file_name"].iloc[-1] == big.name and imports["rows_imported"].iloc[-1] > 0
    assert same(contents(store), clean if landed else before)
    return landed


def assert_a_fresh_import_lands(store: Store, big: Path, landed: bool, clean: dict) -> None:
    again = store.import_file(big)
    assert again.status == ("already_imported" if landed else "imported")
    assert same(contents(store), clean)


# --- Killed midway ------------------------------------------------------------------------------------------------

# Runs the command line in a process that kills itself with SIGKILL just before, or just after, the import's COMMIT:
# every record is written (into the store file, past what DuckDB keeps in memory) but not committed, or committed to
# the log but not yet checkpointed into the store file.
KILLED_AT_COMMIT = """
import os, signal, sys
import duckdb
from analytics.cli import main

when, argv = sys.argv[1], sys.argv[2:]
real_connect = duckdb.connect

class Dying:
    def __init__(self, con):
        self._con = con
    def __getattr__(self, name):
        return getattr(self._con, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self._con.close()
    def execute(self, statement, *args):
        if statement == "COMMIT" and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = self._con.execute(statement, *args)
        if statement == "COMMIT" and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

duckdb.connect = lambda *args, **kwargs: Dying(real_connect(*args, **kwargs))
sys.exit(main(argv))
"""


def test_an_import_killed_at_random_points_leaves_the_old_store_or_the_whole_import(killable, big_csv, tmp_path):
    base, before, clean = killable
    old_ids = base.imports()["import_id"].tolist()

    # A clean import from the command line, not killed: how long it takes, and how long it writes.
    clean_store = copy_store(base, tmp_path / "clean")
    started = time.monotonic()
    process = cli(clean_store.data_dir, big_csv)
    writing = wait_for_writing(process, clean_store.data_dir)
    out, err = process.communicate(timeout=120)
    ended = time.monotonic()
    assert process.returncode == 0 and f"đã nhập {fmt.number(BIG_KEPT)} dòng" in out, err
    assert same(contents(clean_store), clean) and not same(clean, before)
    duration, write_time = ended - started, ended - (writing or started)

    rng = random.Random(SEED)
    # Two points anywhere in the import (mostly reading), four while it writes the store (the point of the test).
    points = [("anywhere", rng.uniform(0.2, 0.95) * duration) for _ in range(2)]
    points += [("writing", rng.uniform(0.0, 1.0) * write_time) for _ in range(4)]
    outcomes = []
    for n, (phase, delay) in enumerate(points):
        store = copy_store(base, tmp_path / f"killed-{n}")
        process = cli(store.data_dir, big_csv)
        if phase == "writing":
            wait_for_writing(process, store.data_dir)  # (on a loaded machine it may end first: checked alike)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        landed = assert_whole(store, old_ids, before, clean, big_csv)
        outcomes.append((phase, round(delay, 3), process.returncode, landed))
        assert_a_fresh_import_lands(store, big_csv, landed, clean)
    assert any(code == -signal.SIGKILL for _, _, code, _ in outcomes), outcomes  # some kills did land mid-import


@pytest.mark.parametrize("when, lands", [("before", False), ("after", True)])
def test_an_import_killed_at_its_commit_is_all_or_nothing(killable, big_csv, tmp_path, when, lands):
    base, before, clean = killable
    old_ids = base.imports()["import_id"].tolist()
    store = copy_store(base, tmp_path / "killed")
    process = subprocess.run([sys.executable, "-c", KILLED_AT_COMMIT, when, "--data-dir", str(store.data_dir),
                              "import", str(big_csv)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                             check=False)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert assert_whole(store, old_ids, before, clean, big_csv) is lands
    assert_a_fresh_import_lands(store, big_csv, lands, clean)


# --- A full disk ------------------------------------------------------------------------------------------------

def file_size_limit(limit: int):
    """For the child process: writing past `limit` bytes in any file fails with EFBIG (not a signal)."""
    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return limited


@pytest.mark.parametrize("rows, limit, older", [
    # DuckDB writes a big insert into the store file before COMMIT: the file may grow by 64 KiB only.
    pytest.param(20_000, lambda size: size + 64 * 1024, False, id="records-written-into-the-store-file"),
    # A small one goes to the write-ahead log at COMMIT: no file may pass 16 KiB (the store file already has).
    pytest.param(2_000, lambda size: 16 * 1024, False, id="records-in-the-log-at-commit"),
    # A store made by an older version is migrated on its first use, before the file is read: nothing may be written.
    pytest.param(2_000, lambda size: 0, True, id="migrating-an-older-store"),
])
def test_a_full_disk_loses_nothing_and_says_so(base, tmp_path, rows, limit, older):
    export = big_export(tmp_path / "quy-1.csv", rows, "F")
    if older:
        with duckdb.connect(str(base.path)) as con:  # before the value mappings were remembered
            con.execute("ALTER TABLE mappings DROP COLUMN value_overrides")
    before = contents(base)
    limit = limit(base.path.stat().st_size)
    process = cli(base.data_dir, export, preexec_fn=file_size_limit(limit))
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, (out, err)
    assert "Traceback" not in err and "Error" not in err
    for words in ("Ổ đĩa chứa kho dữ liệu đã đầy", "Lần nhập tệp quy-1.csv chưa được ghi vào kho",
                  "dữ liệu đã có trong kho vẫn nguyên vẹn", f"ổ đĩa chứa thư mục {base.data_dir}", "nhập lại tệp"):
        assert words in err, err

    assert same(contents(base), before)                       # the limit lifted: exactly what it held before
    process = cli(base.data_dir, export)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    imports = base.imports()
    assert imports["file_name"].tolist() == ["q1.xlsx", "quy-1.csv"]
    assert imports["rows_imported"].iloc[-1] == (base.records()[s.IMPORT_ID] == imports["import_id"].iloc[-1]).sum()


ONE_ROW = [[1, "Z-1", "Khai sinh", "Hộ tịch", "Phòng Tư pháp", "03/01/2019", "10/01/2019", None, "Đang xử lý", None]]
# What DuckDB raises when the disk or the machine fails it mid-write -> what the person is told (None: the error is
# the program's and stays as it is).
MID_WRITE = [
    pytest.param(duckdb.IOException('IO Error: Could not write file "onestop.duckdb.wal": No space left on device'),
                 StoreFull, "Lần nhập tệp q2.xlsx chưa được ghi vào kho; dữ liệu đã có trong kho vẫn nguyên vẹn",
                 id="no-space-left"),
    pytest.param(duckdb.TransactionException('TransactionContext Error: Failed to commit: Could not write file '
                                             '"onestop.duckdb.wal": Disk quota exceeded'),
                 StoreFull, "Lần nhập tệp q2.xlsx chưa được ghi vào kho", id="quota-at-commit"),
    pytest.param(duckdb.IOException('IO Error: Could not write file "onestop.duckdb": Input/output error'),
                 StoreUnavailable, "lỗi đọc/ghi của ổ đĩa", id="disk-error"),
    pytest.param(duckdb.FatalException("FATAL Error: Failed: database has been invalidated"),
                 StoreUnavailable, "lỗi đọc/ghi của ổ đĩa", id="database-invalidated"),
    pytest.param(duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB"),
                 StoreUnavailable, "không đủ bộ nhớ", id="out-of-memory"),
    pytest.param(duckdb.BinderException('Binder Error: Referenced column "x" not found'), duckdb.BinderException,
                 "x", id="the-programs-own-error"),
]


@pytest.mark.parametrize("raised, said_as, words", MID_WRITE)
def test_an_import_failing_mid_write_is_said_for_people_and_keeps_the_store(base, tmp_path, monkeypatch, raised,
                                                                            said_as, words):
    def fail(*args, **kwargs):
        raise raised

    before = contents(base)
    monkeypatch.setattr(stored_imports, "_remember", fail)   # every record inserted, not yet committed
    with pytest.raises(said_as, match=words) as error:
        base.import_file(simple_export(tmp_path / "q2.xlsx", rows=ONE_ROW))
    if said_as is not type(raised):
        assert str(base.path) in str(error.value) and "Error" not in str(error.value)
    monkeypatch.undo()
    assert same(contents(base), before)
    assert base.import_file(simple_export(tmp_path / "q2.xlsx", rows=ONE_ROW)).status == "imported"


def test_no_space_left_during_any_other_write_says_the_change_was_not_written(base, monkeypatch):
    def no_space(*args, **kwargs):
        raise duckdb.IOException('IO Error: Could not write file "onestop.duckdb.wal": No space left on device')

    before = contents(base)
    monkeypatch.setattr(stored_imports, "_delete_import", no_space)
    with pytest.raises(StoreFull, match="Thay đổi vừa làm chưa được ghi vào kho.*rồi làm lại"):
        base.remove_import(int(base.imports()["import_id"].iloc[0]))
    assert same(contents(base), before)


# --- A damaged or inconsistent store; errors of the program ------------------------------------------------------

@pytest.fixture
def filled(tmp_path) -> Store:
    """A store whose records take several blocks of the file, so a damaged end is read by records()."""
    store = Store(tmp_path / "filled")
    assert store.import_file(big_export(tmp_path / "nam.csv", 20_000, "D")).status == "imported"
    return store


@pytest.mark.parametrize("damage", [
    pytest.param(lambda data: data[:len(data) // 2], id="truncated-by-a-copy"),
    pytest.param(lambda data: data[:len(data) // 2] + bytes(len(data) - len(data) // 2), id="end-zeroed"),
])
def test_a_damaged_store_is_said_for_people(filled, damage):
    filled.path.write_bytes(damage(filled.path.read_bytes()))
    with pytest.raises(StoreUnavailable, match="bị hỏng.*tệp cũ không bị xoá"):
        filled.records()


def test_a_store_whose_numbering_is_behind_its_rows_refuses_the_import_and_keeps_what_it_has(base, tmp_path):
    with duckdb.connect(str(base.path)) as con:  # another program added an import under the next number
        con.execute("INSERT INTO imports (import_id, file_name, sha256) SELECT max(import_id) + 1, 'x', 'x' FROM imports")
    before = contents(base)
    with pytest.raises(StoreUnavailable, match="không nhận lần nhập tệp q2.xlsx.*nguyên vẹn"):
        base.import_file(simple_export(tmp_path / "q2.xlsx", rows=ONE_ROW))
    assert same(contents(base), before)


def test_an_error_of_the_program_is_not_dressed_as_the_stores(base):
    with pytest.raises(duckdb.ParserException), base.connection() as con:
        con.execute("SELEC 1")
    with pytest.raises(duckdb.CatalogException), base.connection() as con:
        con.execute("SELECT * FROM no_such_table")


def test_a_store_this_account_may_only_read_that_lacks_a_table_is_said_for_people(tmp_path, monkeypatch):
    # A DuckDB file of another program, which this account may only read (simulated: tests run as root, whom file
    # permissions do not stop), so the store cannot add its tables.
    store = Store(tmp_path / "data")
    store.data_dir.mkdir()
    duckdb.connect(str(store.path)).close()
    monkeypatch.setattr(Store, "_open", lambda self, read_only: (duckdb.connect(str(self.path), read_only=True), False))
    with pytest.raises(StoreUnavailable, match="chỉ cho đọc và thiếu bảng"):
        store.imports()
