"""Cells a spreadsheet will not run: text that Excel or LibreOffice would read as a formula or a link stays text.

Unit names, procedure names and the raw values quoted in data-quality issues come from other people's files; a cell
like `=HYPERLINK("http://…")` must never become live in a workbook or CSV the Council opens.
"""
from __future__ import annotations

import pandas as pd

# xlsxwriter: write every string as a string (no formulas, no automatic links).
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value):
    """A text cell for CSV: prefixed with ' when a spreadsheet would read it as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table whose text cells are safe_text (for CSV downloads and files)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_text)
    out.columns = [safe_text(c) for c in out.columns]
    return out
