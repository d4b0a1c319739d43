"""One writer at a time, many readers, no traceback: the command line and the dashboard share one store file
(issue 11 item 2, review 4.3). Another process holds the file with a plain DuckDB connection, as the other program
would."""
import subprocess
import sys
import threading
import time

import pytest

from analytics.cli import main
from analytics.dossiers.store import Store, StoreBusy
from tests.workbooks import simple_export

HOLD = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(float(sys.argv[2]))"


def hold_store(store: Store, seconds: float) -> subprocess.Popen:
    """Another process that keeps the store file locked for `seconds`."""
    with store._connect():  # make sure the file exists
        pass
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store.path), str(seconds)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


def test_an_import_waits_for_the_other_program_then_lands(store, tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTOP_BUSY_WAIT", "20")
    holder = hold_store(store, 1.5)
    started = time.monotonic()
    result = store.import_file(simple_export(tmp_path / "q1.xlsx"))
    assert result.status == "imported" and time.monotonic() - started >= 1.0
    holder.wait(timeout=10)
    assert store.imports()["file_name"].tolist() == ["q1.xlsx"]


def test_the_command_line_says_in_vietnamese_that_the_store_is_busy(store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ONESTOP_BUSY_WAIT", "0.5")
    export = simple_export(tmp_path / "q1.xlsx")
    holder = hold_store(store, 5)
    try:
        code = main(["--data-dir", str(store.data_dir), "import", str(export)])
    finally:
        holder.kill()
        holder.wait(timeout=10)
    err = capsys.readouterr().err
    assert code == 1 and "đang được một chương trình khác ghi" in err and "đã chờ" in err
    assert "Traceback" not in err
    assert store.imports().empty                       # nothing half-written


def test_busy_is_raised_as_store_busy_with_the_time_waited(store, monkeypatch):
    monkeypatch.setenv("ONESTOP_BUSY_WAIT", "0.3")
    holder = hold_store(store, 5)
    try:
        with pytest.raises(StoreBusy) as busy:
            store.imports()
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert busy.value.waited >= 0.3


def test_readers_and_a_writer_in_one_process_take_turns(store, tmp_path):
    # Review 4.3: a read-only connection beside a read-write one in one process used to fail.
    exports = [simple_export(tmp_path / f"q{n}.xlsx", rows=[[1, f"A-{n}", "Khai sinh", "Hộ tịch", "Phòng Tư pháp",
                                                            "03/01/2019", "10/01/2019", None, "Đang xử lý", None]])
               for n in range(4)]
    errors = []

    def read_many():
        try:
            for _ in range(20):
                store.imports()
                store.records()
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            errors.append(error)

    readers = [threading.Thread(target=read_many) for _ in range(3)]
    for thread in readers:
        thread.start()
    results = [store.import_file(path) for path in exports]
    for thread in readers:
        thread.join(timeout=60)
    assert errors == [] and [r.status for r in results] == ["imported"] * 4
    assert sorted(store.records()["case_id"]) == ["A-0", "A-1", "A-2", "A-3"]


def test_the_same_file_imported_twice_at_once_lands_once(store, tmp_path):
    export = simple_export(tmp_path / "q1.xlsx")
    results = []
    threads = [threading.Thread(target=lambda: results.append(store.import_file(export))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.status for r in results) == ["already_imported", "imported"]
    assert len(store.imports()) == 1
