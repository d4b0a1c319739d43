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
import sys
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
