"""`streamlit run` with every store operation logged, for the benchmarks (bench_load.py): how often the server reads
the dossiers, the store's lists, or opens the store at all, per visit.

    python bench/counted_server.py APP_DIR LOG_FILE run server.py [streamlit options …]

APP_DIR is the tree to serve (this repository, or another commit's tree made with `git archive`), so the same counts
are taken of the code before and after a change, whatever that code does itself. Each line of LOG_FILE is
"<unix time> <seconds> <what>": `read:<method>` for a call of one of the store's reading methods (`read:dossiers` is
a read of every record), `open:<caller>:<ro|rw>` for each connection to the store (the store's own methods, and the
users' and audit trail's through `Store.connection`), which takes the store's process-wide lock.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

# The store's methods that read what the screens show (some call others: dossiers calls records, session calls
# sessions; each call is logged).
READS = ["dossiers", "records", "imports", "issues", "missing_fields", "sessions", "session", "reported_tables",
         "reported", "reported_by_sha256", "remembered_row_map", "remembered_mappings", "remembered_value_mappings",
         "applicant", "versions"]


def main() -> None:
    app, log_path, streamlit_args = Path(sys.argv[1]).resolve(), sys.argv[2], sys.argv[3:]
    sys.path.insert(0, str(app))
    os.chdir(app)
    from analytics.dossiers import store as module

    lock = threading.Lock()
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - open for the server's whole life

    def write(what: str, started: float) -> None:
        with lock:
            log.write(f"{started:.3f} {time.time() - started:.3f} {what}\n")

    def logged(name, method):
        def wrapper(*args, **kwargs):
            started = time.time()
            try:
                return method(*args, **kwargs)
            finally:
                write(f"read:{name}", started)
        return wrapper

    for name in READS:
        if hasattr(module.Store, name):
            setattr(module.Store, name, logged(name, getattr(module.Store, name)))

    opened = module.Store._connect

    def _connect(self, read_only: bool = False):
        caller = sys._getframe(1)
        if caller.f_code.co_name == "connection" and caller.f_back is not None:  # the users' or the trail's
            caller = caller.f_back
        write(f"open:{caller.f_code.co_name}:{'ro' if read_only else 'rw'}", time.time())
        return opened(self, read_only)

    module.Store._connect = _connect
    sys.argv = ["streamlit", *streamlit_args]
    from streamlit.web.cli import main as streamlit_main
    sys.exit(streamlit_main())


if __name__ == "__main__":
    main()
