"""The dashboard's web server: dashboard.py as an ASGI app (st.App), with edge.py in front of Streamlit.

On this computer only (single-user mode, no accounts: ONESTOP_SINGLE_USER=1, or `-- --mot-nguoi-dung` at the end):

    streamlit run server.py

On the office network, over HTTPS only (a certificate made once with deploy/certificate.py, or the office's own):

    streamlit run server.py --server.address 0.0.0.0 \
        --server.sslCertFile deploy/tls/cert.pem --server.sslKeyFile deploy/tls/key.pem

`python server.py …` does the same as `streamlit run server.py …`. Before anything is served, the configuration is
checked (edge.start_problems): a network address without a certificate, server.allowedHosts = "*", or single-user
mode on a network address stop the start with a message in Vietnamese saying what to run instead (a certificate file
that is not there stops it too, in uvicorn's own words, before this module is read). `streamlit run dashboard.py`
(the command of older notes) serves no page: dashboard.py shows how to start the server instead
(edge.refuse_without_edge).
"""
import logging
import sys
import threading
import time
from pathlib import Path

import streamlit as st

import edge

DASHBOARD = Path(__file__).resolve().with_name("dashboard.py")

if __name__ == "__main__":  # `python server.py …` is `streamlit run server.py …`
    from streamlit.web import cli

    sys.exit(cli.main(["run", str(Path(__file__).resolve()), *sys.argv[1:]]))

_problems = edge.start_problems()
if _problems:
    print("\n\n".join(_problems), file=sys.stderr, flush=True)
    raise SystemExit(2)

app = st.App(DASHBOARD, routes=edge.routes(), middleware=edge.middleware())


WARM_UP = "onestop-warm-up"


def _warm_up() -> None:
    """While the first browser loads Streamlit's page: the screens' modules imported and the data read into the
    cache, so the first figures wait for neither (bench/bench_startup.py measures it)."""
    from streamlit.runtime import Runtime

    from ui import analyses, sidebar, tables  # noqa: F401
    from ui import data
    deadline = time.monotonic() + 30
    while not Runtime.exists() and time.monotonic() < deadline:  # the caches of a running server, not a stand-in
        time.sleep(0.05)
    data.warm_up()


class _WarmUpNeedsNoScript(logging.Filter):
    """The warm-up runs no script: Streamlit's "missing ScriptRunContext" warning is not for it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != WARM_UP


logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_WarmUpNeedsNoScript())
threading.Thread(target=_warm_up, name=WARM_UP, daemon=True).start()
