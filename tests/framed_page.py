"""The script AppTest runs for a page test: the page named in session state, run the way dashboard.py runs it
(inside access.framed(); a page run by itself refuses to draw, review 4.8), for the person tests/apps.py put in
session state (else the single user). See tests/apps.py."""
import runpy

import streamlit as st

from ui import access

stored = st.session_state.get("access_person")
person = access.Person(stored["name"], stored["role"]) if stored else access.SINGLE_USER
with access.framed(person):
    runpy.run_path(st.session_state["page_under_test"], run_name="__main__")
