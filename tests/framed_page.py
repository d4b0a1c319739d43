"""The script AppTest runs for a page test: the page named in session state, run the way dashboard.py runs it
(inside access.framed(); a page run by itself refuses to draw, review 4.8). See tests/apps.py."""
import runpy

import streamlit as st

from ui import access

with access.framed():
    runpy.run_path(st.session_state["page_under_test"], run_name="__main__")
