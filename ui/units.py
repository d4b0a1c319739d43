"""The unit register on the Dữ liệu screen (issue 18): import the analyst's spreadsheet of the 2025 reorganisation,
review it beside the data's units (what was matched not exactly, what the register cannot place), correct it in a
table, remove it. Stored with its provenance; every change in the audit trail."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.analyses.boundaries import placement
from analytics.dossiers.store import Store
from analytics.ingest.sniff import SPREADSHEET_SUFFIXES
from analytics.ingest.unit_register import read_unit_register
from analytics.model import issues as q
from analytics.model.unit_register import Succession, UnitRegister
from analytics.outputs import formatting as fmt
from analytics.outputs.boundaries_words import NO_SUCCESSOR, placement_notes
from ui import access, data, imports

OLD, NEW, EFFECTIVE = "Đơn vị trước sắp xếp", "Đơn vị sau sắp xếp (trống: không có đơn vị kế tiếp)", "Ngày hiệu lực"


def register_section(store: Store, analyst: bool, units: list[str]) -> None:
    """The unit register: its upload (analysts), and where it places the data's `units`."""
    st.subheader("Sổ sắp xếp đơn vị (2025)")
    st.caption("Sổ ghi đơn vị mới, các đơn vị cũ hình thành nên nó và ngày hiệu lực (đơn vị dừng hoạt động không có "
               "đơn vị kế tiếp thì để trống đơn vị mới). Có sổ, thanh bên cho chọn ranh giới: như dữ liệu ghi, hoặc "
               "tính hồ sơ của đơn vị cũ cho đơn vị kế tiếp.")
    register = data.unit_register()
    if analyst:
        upload = imports.uploader("Tải sổ sắp xếp đơn vị (.xlsx, .xls, .ods, .csv)", "units_upload",
                                  SPREADSHEET_SUFFIXES)
        if upload is not None and st.button("Dùng sổ này", key="units_button"):
            try:
                read = read_unit_register(upload.getvalue(), upload.name)
            except q.FileRejected as rejected:
                st.error(fmt.markdown_text(q.describe(rejected.issue)))
            else:
                replaced = store.save_register(read)
                access.record(audit.UNITS_IMPORTED, upload.name, {"rows": len(read.successions),
                                                                   "replaced": replaced})
                st.success(f"Đã lưu sổ sắp xếp đơn vị: {fmt.number(len(read.successions))} đơn vị cũ, "
                           f"{fmt.number(len(read.new_units))} đơn vị mới.")
                for issue in read.issues:
                    st.warning(fmt.markdown_text(q.describe(issue)))
                register = data.unit_register()
    if register is None:
        st.info("Chưa có sổ sắp xếp đơn vị: số liệu tính theo đơn vị như dữ liệu ghi.", icon=":material/account_tree:")
        return
    st.caption(fmt.markdown_text(f"Đang dùng: {register.file} (SHA-256 {register.sha256[:16]}…)."))
    for line in placement_notes(placement(register, units)):
        st.caption(fmt.markdown_text(line))
    edited = _editor(register, analyst)
    if analyst and edited is not None and edited != register.successions:
        store.save_register(dataclasses.replace(register, successions=edited))
        access.record(audit.UNITS_IMPORTED, register.file, {"rows": len(edited), "corrected": True})
        st.rerun()
    if analyst:
        with st.expander("Xoá sổ sắp xếp đơn vị"):
            sure = st.checkbox("Tôi muốn xoá sổ này (hồ sơ đã nhập không bị xoá)", key="units_remove_sure")
            if st.button("Xoá sổ", disabled=not sure, key="units_remove"):
                store.remove_register()
                access.record(audit.UNITS_REMOVED, register.file)
                st.rerun()


def _editor(register: UnitRegister, analyst: bool) -> list[Succession] | None:
    """The successions as a table, corrected in place by an analyst (a viewer reads it)."""
    frame = pd.DataFrame({OLD: [x.old for x in register.successions],
                          NEW: [x.new or "" for x in register.successions],
                          EFFECTIVE: [x.effective for x in register.successions]})
    if not analyst:
        st.dataframe(frame.assign(**{NEW: frame[NEW].replace("", NO_SUCCESSOR)}), hide_index=True, width="stretch")
        return None
    edited = st.data_editor(frame, hide_index=True, width="stretch", num_rows="dynamic",
                            key=f"units_editor_{register.sha256}_{len(register.successions)}",
                            column_config={EFFECTIVE: st.column_config.DateColumn(EFFECTIVE, format="DD/MM/YYYY")})
    out = []
    for row in edited.to_dict("records"):
        old = str(row[OLD] or "").strip()
        if not old or old == "nan":
            continue
        new = str(row[NEW] or "").strip()
        day = row[EFFECTIVE]
        day = None if day is None or pd.isna(day) else (day if isinstance(day, dt.date) else pd.Timestamp(day).date())
        out.append(Succession(old, new if new and new != "nan" else None, day, None))
    keep = [dataclasses.replace(x, row=None) for x in register.successions]
    return register.successions if out == keep else out
