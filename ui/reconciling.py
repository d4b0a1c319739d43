"""The reconciliation screen's Streamlit side: reading and storing a reported table, the reported-row mapping the
user corrects, the cached reconciliation, and its tables for people."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.analyses.filters import Filters
from analytics.analyses.reconciliation import Reconciliation, reconcile
from analytics.dossiers.store import Store
from analytics.ingest.reported_table import read_reported_table
from analytics.model import issues as q
from analytics.model.periods import Period
from analytics.model.reported import ReportedTable
from analytics.outputs import formatting as fmt
from analytics.outputs.reconciliation_outputs import key_label
from ui import access, data

REPORTED, DATA_NAME = "Tên trong biểu báo cáo", "Tên trong dữ liệu (để trống: tự khớp)"
DIFFERENT = "#FDE2D6"  # a pale vermillion behind a cell the data do not confirm


def read_and_store(store: Store, content: bytes, name: str) -> tuple[int | None, str]:
    """(the stored table's id, a Vietnamese message); None when the file cannot be used (nothing is stored)."""
    try:
        table = read_reported_table(content, name=name)
    except q.FileRejected as rejected:
        return None, f"Không dùng được {name}: {q.describe(rejected.issue)}"
    reported_id, new = store.save_reported(table)
    if new:
        access.record(audit.REPORTED_IMPORT, name, {"reported_id": reported_id})
    notices = "".join(f"\n- {q.describe(i)}" for i in table.issues)
    return reported_id, (f"Đã đọc {name}: {fmt.number(len(table.rows))} dòng, {fmt.number(len(table.keys))} chỉ tiêu "
                         f"nhận ra" if new else f"{name} đã được lưu trước đó (biểu số {reported_id})") + notices


def row_map_editor(store: Store, table: ReportedTable, reported_id: int, editable: bool = True) -> dict[str, str]:
    """The user's corrections: reported row name -> the unit (or field, level) name in the data; what was corrected
    before (here or with --map-row) is filled in, and a new correction is remembered for the next tables. Not
    `editable`: the remembered corrections only (a viewer's)."""
    key = f"row_map_{reported_id}"
    remembered = store.remembered_row_map()
    names = [n for n, total in zip(table.rows["name"], table.rows["is_total"]) if not total]
    if not editable:
        return {n: remembered[n] for n in names if remembered.get(n)}
    with st.expander("Sửa cách khớp dòng của biểu với đơn vị trong dữ liệu (được nhớ cho các biểu sau)"):
        edited = st.data_editor(pd.DataFrame({REPORTED: names, DATA_NAME: [remembered.get(n, "") for n in names]}),
                                hide_index=True, width="stretch", disabled=[REPORTED], key=key)
    row_map = {r[REPORTED]: r[DATA_NAME].strip() for r in edited.to_dict("records")
               if isinstance(r[DATA_NAME], str) and r[DATA_NAME].strip()}
    changed = {name: target for name, target in row_map.items() if remembered.get(name) != target}
    if changed:
        store.remember_row_map(changed)
        access.record(audit.ROW_MAP, table.file, {"rows": len(changed)})
    return row_map


@st.cache_resource(show_spinner="Đang đối chiếu…", max_entries=8)
def _reconciliation(key: tuple, filters: Filters, period: Period, reported_id: int, by: str, tolerance: float,
                    row_map: tuple, rate: str, fold: bool, _source: data.Source,
                    _table: ReportedTable) -> Reconciliation:
    return reconcile(_table, data.filtered(_source, filters), period, by, tolerance, dict(row_map), rate, fold,
                     data.missing_fields(_source))


def reconciliation(source: data.Source, filters: Filters, period: Period, table: ReportedTable, reported_id: int,
                   by: str, tolerance: float, row_map: dict[str, str], rate: str, fold: bool) -> Reconciliation:
    """The reported table beside the figures recomputed for the period (cached per data version and choices)."""
    return _reconciliation(source.key, filters, period, reported_id, by, float(tolerance),
                           tuple(sorted(row_map.items())), rate, fold, source, table)


def breaks_table(rec: Reconciliation) -> pd.DataFrame:
    return pd.DataFrame({
        "Dòng": [b.row for b in rec.breaks],
        "Dòng trên trang tính": [b.sheet_row for b in rec.breaks],
        "Phép cộng": [b.identity for b in rec.breaks],
        "Các ô": ["; ".join(f"{key_label(k)} = {fmt.number(v)}" for k, v in b.cells.items()) for b in rec.breaks],
        "Chênh lệch": [fmt.number(b.gap) for b in rec.breaks],
    })


def side_by_side(rec: Reconciliation) -> pd.DataFrame:
    """One line per reported row and figure: reported, recomputed, the difference and whether it is accepted."""
    lines = []
    for row in rec.rows:
        for key, cell in row.cells.items():
            lines.append({"Dòng báo cáo": row.name, "Khớp với": row.matched_to, "Chỉ tiêu": key_label(key),
                          "Báo cáo": fmt.number(cell.reported), "Tính lại": fmt.number(cell.recomputed),
                          "Chênh lệch": fmt.signed_number(cell.difference) if cell.difference is not None else "—",
                          "Khớp": "" if cell.within_tolerance is None else "có" if cell.within_tolerance else "KHÔNG"})
    return pd.DataFrame(lines, columns=["Dòng báo cáo", "Khớp với", "Chỉ tiêu", "Báo cáo", "Tính lại", "Chênh lệch",
                                        "Khớp"])


def highlight(frame: pd.DataFrame) -> pd.DataFrame:
    """Styles: the lines the data do not confirm, shaded."""
    shade = frame["Khớp"].eq("KHÔNG")
    return pd.DataFrame([[f"background-color: {DIFFERENT}" if s else "" for _ in frame.columns] for s in shade],
                        index=frame.index, columns=frame.columns)


def json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")
