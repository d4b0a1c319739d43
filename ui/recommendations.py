"""Recommendations on the Báo cáo screen (issue 18, item 5): those of the chosen session, entered and answered there;
"Theo dõi kiến nghị", every open one across sessions, overdue ones first. In the store and the audit trail."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.dossiers.store import Store
from analytics.ingest.recommendations_docx import read_recommendations
from analytics.model import issues as q
from analytics.model.recommendations import COMPLEX_REPORT_DAYS, DONE, REPORT_DAYS, STATUSES, Recommendation
from analytics.model.session import SupervisionSession
from analytics.outputs import formatting as fmt
from analytics.outputs.report_text import STATUS_LABELS
from ui import access, imports

BODY, TEXT, SESSION, ASKED, DUE, DEADLINE, STATUS, ANSWER, ANSWERED, OVERDUE = (
    "Cơ quan được kiến nghị", "Nội dung kiến nghị", "Đợt", "Ngày báo cáo", "Hạn báo cáo kết quả", "Hạn thực hiện",
    "Tình hình", "Cơ quan trả lời", "Ngày trả lời", "Quá hạn")


def session_recommendations(store: Store, session: SupervisionSession, saved: bool) -> None:
    """The chosen session's recommendations: a form to add one, a table to record what the body did."""
    st.subheader("Kiến nghị của đợt này")
    if not saved:
        st.caption("Lưu đợt giám sát trước (nút ở trên) rồi ghi các kiến nghị của đợt.")
        return
    asked = session.report_date or dt.date.today()
    st.caption(f"Ngày báo cáo của đợt: {fmt.date(asked)}. Cơ quan được kiến nghị báo cáo kết quả thực hiện trong "
               f"{REPORT_DAYS} ngày ({COMPLEX_REPORT_DAYS} ngày với vấn đề phức tạp), tính theo ngày lịch. Báo cáo "
               'của đợt sau có mục "Kết quả thực hiện kiến nghị giám sát lần trước".')
    with st.form("new_recommendation", clear_on_submit=True, enter_to_submit=False):
        left, right = st.columns([1, 2])
        body = left.text_input(BODY, placeholder="UBND phường …")
        text = right.text_area(TEXT, height=80)
        left, right = st.columns(2)
        deadline = left.date_input("Hạn thực hiện (nếu báo cáo nêu)", value=None, format="DD/MM/YYYY")
        complex_matter = right.checkbox(f"Vấn đề phức tạp ({COMPLEX_REPORT_DAYS} ngày để báo cáo kết quả)")
        if st.form_submit_button("Thêm kiến nghị"):
            if not body.strip() or not text.strip():
                st.error("Hãy ghi cơ quan được kiến nghị và nội dung kiến nghị.")
            else:
                rec_id = store.add_recommendation(Recommendation(session.name, body.strip(), text.strip(), asked,
                                                                 complex_matter, deadline))
                access.record(audit.RECOMMENDATION_ADDED, session.name, {"rec_id": rec_id, "body": body.strip()})
                st.rerun()
    _from_report(store, session, asked)
    answers(store, store.recommendations(session.name), f"answers_{session.name}")


def _from_report(store: Store, session: SupervisionSession, asked: dt.date) -> None:
    """The recommendations the team wrote into the report (mục "KIẾN NGHỊ" of the DOCX), read back once each."""
    upload = imports.uploader("Hoặc đọc kiến nghị từ báo cáo Đoàn đã sửa (.docx)", f"recs_docx_{session.name}",
                              [".docx"])
    if upload is None or not st.button("Đọc kiến nghị", key=f"recs_docx_read_{session.name}"):
        return
    try:
        found = read_recommendations(upload.getvalue(), upload.name)
    except q.FileRejected as rejected:
        st.error(fmt.markdown_text(q.describe(rejected.issue)))
        return
    known = {(r.body, r.text) for r in store.recommendations(session.name)}
    new = [(body, text) for body, text in found if (body, text) not in known]
    for body, text in new:
        rec_id = store.add_recommendation(Recommendation(session.name, body, text, asked))
        access.record(audit.RECOMMENDATION_ADDED, session.name, {"rec_id": rec_id, "body": body})
    st.success(f"Đã đọc {fmt.number(len(found))} kiến nghị, thêm {fmt.number(len(new))} kiến nghị mới.")


def answers(store: Store, recs: list[Recommendation], key: str) -> None:
    """The recommendations as a table whose status, answer and answer date an analyst records."""
    if not recs:
        st.caption("Chưa có kiến nghị nào.")
        return
    today = dt.date.today()
    frame = pd.DataFrame({
        "Số": [r.rec_id for r in recs], SESSION: [r.session for r in recs], BODY: [r.body for r in recs],
        TEXT: [r.text for r in recs], DUE: [r.report_due for r in recs], DEADLINE: [r.deadline for r in recs],
        OVERDUE: ["QUÁ HẠN" if r.overdue_on(today) else "" for r in recs],
        STATUS: [STATUS_LABELS[r.status] for r in recs], ANSWER: [r.answer for r in recs],
        ANSWERED: [r.answered_on for r in recs]})
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", key=key,
        disabled=["Số", SESSION, BODY, TEXT, DUE, DEADLINE, OVERDUE],
        column_config={STATUS: st.column_config.SelectboxColumn(STATUS, options=[STATUS_LABELS[s] for s in STATUSES],
                                                                required=True),
                       DUE: st.column_config.DateColumn(DUE, format="DD/MM/YYYY"),
                       DEADLINE: st.column_config.DateColumn(DEADLINE, format="DD/MM/YYYY"),
                       ANSWERED: st.column_config.DateColumn(ANSWERED, format="DD/MM/YYYY"),
                       TEXT: st.column_config.TextColumn(TEXT, width=320)})
    by_label = {label: status for status, label in STATUS_LABELS.items()}
    changed = False
    for before, after in zip(frame.to_dict("records"), edited.to_dict("records")):
        if (before[STATUS], before[ANSWER], before[ANSWERED]) != (after[STATUS], after[ANSWER], after[ANSWERED]):
            day = after[ANSWERED]
            day = None if day is None or pd.isna(day) else pd.Timestamp(day).date()
            store.update_recommendation(int(after["Số"]), by_label[after[STATUS]], str(after[ANSWER] or ""), day)
            access.record(audit.RECOMMENDATION_UPDATED, str(after["Số"]))
            changed = True
    if changed:
        st.rerun()


def follow_up(store: Store) -> None:
    """Theo dõi kiến nghị: every open recommendation across sessions, overdue first."""
    st.subheader("Theo dõi kiến nghị")
    today = dt.date.today()
    recs = [r for r in store.recommendations() if r.status != DONE]
    recs.sort(key=lambda r: (not r.overdue_on(today), r.deadline or r.report_due))
    late = sum(r.overdue_on(today) for r in recs)
    if recs:
        (st.warning if late else st.info)(f"{fmt.number(len(recs))} kiến nghị chưa thực hiện xong, "
                                          f"{fmt.number(late)} đã quá hạn (quá hạn ở trên cùng).",
                                          icon=":material/assignment_late:")
    answers(store, recs, "answers_open")
