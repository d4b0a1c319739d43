"""The script AppTest runs for a page test: the page named in session state, run the way dashboard.py runs it
(inside access.framed(); a page run by itself refuses to draw, review 4.8), for the person tests/apps.py put in
session state (else the single user). See tests/apps.py."""
import runpy

import streamlit as st

from ui import access

with access.framed(access.stored_person() or access.SINGLE_USER):
    runpy.run_path(st.session_state["page_under_test"], run_name="__main__")
