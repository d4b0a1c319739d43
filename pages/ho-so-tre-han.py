"""Hồ sơ trễ hạn: late and overdue dossiers, the inspection prompts, each dossier's timeline, downloads."""
import pandas as pd
import streamlit as st

from analytics.analyses.classification import CELL, LATE, PENDING_OVERDUE
from analytics.ingest import personal
from analytics.model import schema as s
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import LATE_TABLE_LABELS
from ui import access, analyses, data, sidebar, tables

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Hồ sơ trễ hạn", chosen)
screens, by_unit, by_field, late = analyses.inspection(chosen.source, chosen.filters,
                                                       chosen.period, chosen.fold_withdrawn)
DOSSIER_LABELS = {s.CASE_ID: "Mã hồ sơ", s.UNIT: "Cơ quan giải quyết", s.FIELD: "Lĩnh vực",
                  s.PROCEDURE_NAME: "Thủ tục", s.RECEIVED_DATE: "Ngày tiếp nhận", s.DUE_DATE: "Ngày hẹn trả",
                  s.ORIGINAL_DUE_DATE: "Hẹn trả ban đầu", s.COMPLETED_DATE: "Ngày có kết quả",
                  s.RETURNED_DATE: "Ngày trả kết quả", "state": "Tình trạng", "letter": "Thư xin lỗi"}
DATES = (s.RECEIVED_DATE, s.DUE_DATE, s.ORIGINAL_DUE_DATE, s.COMPLETED_DATE, s.RETURNED_DATE)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Dossiers for people: Vietnamese headers and dates, no personal data (the dossiers carry none)."""
    frame = frame.assign(
        state=frame[CELL].map({LATE: "Giải quyết quá hạn", PENDING_OVERDUE: "Đang giải quyết quá hạn"}).fillna("Khác"),
        letter=frame[s.APOLOGY].map(lambda a: "Có" if a is True else "Không" if a is False else "Không rõ"))
    return tables.formatted(frame, DOSSIER_LABELS, dates=DATES)


st.subheader("Gợi ý câu hỏi cho Đoàn giám sát")
st.caption("Đây là những điểm nên hỏi thêm, không phải kết luận sai phạm.")
for screen in screens:
    with st.expander(f"{screen.title}: {fmt.number(screen.count)} hồ sơ"
                     + (f" — {', '.join(screen.units)}" if screen.units else "")):
        st.write(screen.reason)
        if screen.count:
            tables.long_table(screen.dossiers, readable, f"goi-y-{screen.code}", f"screen_{screen.code}", 400)

st.subheader("Hồ sơ trễ hạn theo đơn vị và lĩnh vực")
left, right = st.columns(2)
for column, frame, label in ((left, by_unit, "Cơ quan giải quyết"), (right, by_field, "Lĩnh vực")):
    if frame.empty:
        column.success(f"Không có hồ sơ trễ hạn nào trong kỳ ({label.lower()}).")
        continue
    numbers = tuple(k for k in LATE_TABLE_LABELS if k != "name")
    column.dataframe(tables.formatted(frame, {**LATE_TABLE_LABELS, "name": label}, numbers=numbers),
                     hide_index=True, width="stretch")

st.subheader(f"Danh sách hồ sơ trễ hạn ({fmt.number(len(late))})")
if late.empty:
    st.success("Không có hồ sơ giải quyết quá hạn hay đang quá hạn trong kỳ.")
    st.stop()
filters = st.columns(3)
units = filters[0].multiselect("Cơ quan", sorted(late[s.UNIT].dropna().unique()), key="late_units",
                               placeholder="Tất cả")
fields = filters[1].multiselect("Lĩnh vực", sorted(late[s.FIELD].dropna().unique()), key="late_fields",
                                placeholder="Tất cả")
state = filters[2].selectbox("Tình trạng", ["all", LATE, PENDING_OVERDUE], key="late_state", format_func={
    "all": "Tất cả", LATE: "Giải quyết quá hạn", PENDING_OVERDUE: "Đang giải quyết quá hạn"}.get)
keep = pd.Series(True, index=late.index)
if units:
    keep &= late[s.UNIT].isin(units)
if fields:
    keep &= late[s.FIELD].isin(fields)
if state != "all":
    keep &= late[CELL] == state
chosen_late = late[keep]
tables.long_table(chosen_late, readable, f"ho-so-tre-han_{chosen.period.start:%Y%m%d}_{chosen.period.end:%Y%m%d}",
                  "late", 480)

case = st.selectbox("Xem diễn biến của một hồ sơ", [""] + chosen_late[s.CASE_ID].head(tables.MAX_SHOWN_ROWS).tolist(),
                    key="late_case", format_func=lambda c: c or "Chọn mã hồ sơ…")
if case:
    d = chosen_late[chosen_late[s.CASE_ID] == case].iloc[0]
    steps = [("Tiếp nhận", d[s.RECEIVED_DATE]), ("Hẹn trả ban đầu", d[s.ORIGINAL_DUE_DATE]),
             ("Hẹn trả", d[s.DUE_DATE]), ("Có kết quả", d[s.COMPLETED_DATE]), ("Trả kết quả", d[s.RETURNED_DATE])]
    st.markdown(" → ".join(f"**{label}** {fmt.date(day)}" for label, day in steps if pd.notna(day)))
    if pd.isna(d[s.COMPLETED_DATE]) and pd.isna(d[s.RETURNED_DATE]):
        st.markdown(f"Chưa có kết quả tại ngày chốt {fmt.date(chosen.period.end)}.")
    if access.can_change() and not chosen.source.is_sample:
        applicant = data.store().applicant(case)  # kept only with ONESTOP_KEEP_PERSONAL=1, masked; never exported
        if applicant:
            st.caption("Người nộp (đã che bớt, chỉ chuyên viên phân tích thấy, không có trong tệp tải về): "
                       + " · ".join(f"{personal.LABELS[k]}: {value}" for k, value in applicant.items()))
