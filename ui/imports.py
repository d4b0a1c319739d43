"""How each uploaded file was read, on the Dữ liệu screen: sheets, a preview, the header mapping (editable, then
re-imported), the values of the coded columns and how each was read, and every issue of the file.

The round trips (mapping table -> overrides, value table -> value overrides) are plain functions, tested without
Streamlit; `show_result` only arranges widgets.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.ingest.headers import field_for
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.outputs import formatting as fmt
from ui import tables

IGNORE = "(bỏ qua cột này)"
FIELD_CHOICES = [IGNORE] + [f"{s.FIELD_LABELS[f]} ({f})" for f in s.FIELDS]
FIELD_BY_CHOICE = {f"{s.FIELD_LABELS[f]} ({f})": f for f in s.FIELDS} | {IGNORE: ""}
HEADER_COLUMN, FIELD_COLUMN = "Tiêu đề trong tệp", "Trường"
STATUS_TEXT = {"imported": "Đã nhập", "already_imported": "Đã nhập trước đó, không thay đổi",
               "rejected": "Không nhập được"}
PREVIEW = {s.CASE_ID: "Mã hồ sơ", s.PROCEDURE_NAME: "Thủ tục", s.UNIT: "Cơ quan", s.RECEIVED_DATE: "Tiếp nhận",
           s.DUE_DATE: "Hẹn trả", s.COMPLETED_DATE: "Có kết quả", s.STATUS_CODE: "Mã trạng thái",
           s.CHANNEL_CODE: "Kênh (1/2/3)"}


def mapping_table(reading) -> pd.DataFrame:
    """One row per header text of the file: the field it was read as (or would be, for a file that stopped at its
    header), as the editor's choice labels."""
    headers = list(dict.fromkeys(t for sheet in reading.sheets for t in sheet.headers if t)) or \
        list(dict.fromkeys(reading.header_candidates))
    mapping = {t: f for sheet in reading.sheets for t, f in sheet.mapping.items()} or \
        {t: field_for(t) or "" for t in headers}
    choice = {f: c for c, f in FIELD_BY_CHOICE.items() if f}
    return pd.DataFrame({HEADER_COLUMN: headers, FIELD_COLUMN: [choice.get(mapping.get(t, ""), IGNORE)
                                                                for t in headers]})


def overrides_from(edited: pd.DataFrame) -> dict[str, str]:
    """The editor's table back to header text -> field ('' = ignore the column)."""
    return {row[HEADER_COLUMN]: FIELD_BY_CHOICE[row[FIELD_COLUMN]] for row in edited.to_dict("records")}


def _summary(name: str, result) -> str:
    icon = {"imported": ":material/check_circle:", "already_imported": ":material/info:",
            "rejected": ":material/error:"}[result.status]
    return (f"{icon} **{name}** — {STATUS_TEXT[result.status]}: {fmt.number(result.rows_imported)} dòng hồ sơ, "
            f"bỏ qua {fmt.number(result.rows_skipped)} dòng")


def show_result(name: str, result) -> dict[str, str] | None:
    """How one file was read; returns the corrected mapping when the user asks to import it again."""
    reading = result.reading
    with st.expander(_summary(name, result), expanded=result.status == "rejected"):
        if result.rejected:
            st.error(q.describe(result.rejected))
        for sheet in reading.sheets:
            st.markdown(f"Trang **{sheet.sheet}**: dòng tiêu đề ở dòng {sheet.header_row}, "
                        f"{fmt.number(sheet.data_rows)} dòng hồ sơ. Cột không dùng: "
                        + (", ".join(f'"{t}"' for t in sheet.ignored) or "không có") + ".")
        if not reading.records.empty:
            st.caption("Năm dòng đầu đã đọc (sau khi làm sạch; không có dữ liệu cá nhân):")
            st.dataframe(tables.formatted(reading.records.head(5), PREVIEW,
                                          dates=(s.RECEIVED_DATE, s.DUE_DATE, s.COMPLETED_DATE)),
                         hide_index=True, width="stretch")
        corrected = None
        editor = mapping_table(reading)
        if len(editor):
            st.markdown("**Ánh xạ cột** — sửa cột nào đọc sai rồi bấm *Nhập lại* (ánh xạ được nhớ cho các tệp có "
                        "cùng dòng tiêu đề):")
            edited = st.data_editor(editor, hide_index=True, width="stretch", key=f"mapping_{name}",
                                    disabled=[HEADER_COLUMN],
                                    column_config={FIELD_COLUMN: st.column_config.SelectboxColumn(
                                        FIELD_COLUMN, options=FIELD_CHOICES, required=True)})
            if st.button("Nhập lại với ánh xạ này", key=f"reimport_{name}"):
                corrected = overrides_from(edited)
        row_issues = [i for i in result.issues if i.level != q.FILE]
        if row_issues:
            st.markdown(f"**{fmt.number(len(row_issues))} vấn đề** (dòng bị bỏ qua được liệt kê đầy đủ):")
            issues = q.issues_table(row_issues).assign(level=lambda f: f["level"].map(q.LEVEL_LABELS))
            shown = issues.rename(columns=q.COLUMN_LABELS)
            st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 2), 300))
            tables.downloads(shown, f"van-de_{name}", f"issues_{name}")
    return corrected
