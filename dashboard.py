"""Entry point: page configuration and navigation. The screens live in pages/."""
import streamlit as st

st.set_page_config(page_title="Giám sát Bộ phận Một cửa", page_icon="📋", layout="wide")
navigation = st.navigation([st.Page("pages/overview.py", title="Tổng quan", icon="📊", default=True)])
navigation.run()
