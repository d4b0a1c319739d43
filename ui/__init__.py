"""The small Streamlit layer between pages and the core: cached data and shared widgets."""
