"""Supervision sessions on the dashboard: the figures and provenance of a session (cached per data version), the
form that creates one, and the three documents built when their button is clicked."""
from __future__ import annotations

import datetime as dt
import importlib

import streamlit as st

from analytics.analyses.filters import Filters
from analytics.analyses.session_figures import SessionFigures, session_figures
from analytics.dossiers import provenance as origin
from analytics.model.rates import RATES
from analytics.model.session import Provenance, SupervisionSession
from ui import access, data

# Each document: (button label, module and function in analytics.outputs, MIME type).
DOCUMENTS = {
    "docx": ("Báo cáo kết quả giám sát (DOCX)", "report_docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pptx": ("Bản trình chiếu (PPTX)", "slides_pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": ("Sổ tính số liệu (XLSX)", "workbook_xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@st.cache_resource(show_spinner="Đang tính số liệu của đợt giám sát…", max_entries=8)
def _figures(key: tuple, session: SupervisionSession, filters: Filters, _source: data.Source) -> SessionFigures:
    dossiers = data.filtered(_source, filters)
    reported = data.store().reported_by_sha256(session.reported) if session.reported else None
    return session_figures(dossiers, session, data.missing_fields(_source), data.catalog(_source), reported)


def figures(source: data.Source, session: SupervisionSession, filters: Filters = Filters()) -> SessionFigures:
    """Every figure of the session over the dossiers the filters keep (catalog-filled due dates included; cached
    per data version, session and filters)."""
    return _figures(source.key, session, filters, source)


def scope_of(session: SupervisionSession, filters: Filters = Filters()) -> str:
    """The figures' scope in words: the filters, else the session's units."""
    if filters.active:
        return filters.describe()
    return "Đơn vị: " + ", ".join(session.units) if session.units else "Tất cả hồ sơ"


def provenance(source: data.Source, scope: str, notes: tuple[str, ...] = ()) -> Provenance:
    """Where the figures come from: the sample's files or the store's imports, and the scope in words."""
    if source.is_sample:
        return origin.from_files(data.sample_readings(source), is_sample=True, scope=scope, notes=notes)
    return origin.from_store(data.stored("imports"), scope, notes)


def from_selection(chosen) -> SupervisionSession:
    """A session made from the sidebar's choices, for a view that has no stored session."""
    comparison = chosen.comparison
    return SupervisionSession(
        f"Kỳ {chosen.period.label}", chosen.period.start, chosen.period.end,
        comparison.start if comparison else None, comparison.end if comparison else None,
        tuple(chosen.filters.units), chosen.rate, chosen.target)


def file_name(session: SupervisionSession, suffix: str) -> str:
    return f"{session.file_stem}.{suffix}"


def document(source: data.Source, session: SupervisionSession, kind: str) -> bytes:
    """One of DOCUMENTS, built from the session's figures."""
    _, module, _ = DOCUMENTS[kind]
    build = getattr(importlib.import_module(f"analytics.outputs.{module}"), module)
    return build(figures(source, session), provenance(source, scope_of(session), (source.description,)))


def downloads(source: data.Source, session: SupervisionSession) -> None:
    """A button per document; each is built only when clicked (with a spinner), then offered for download."""
    columns = st.columns(len(DOCUMENTS))
    for column, (kind, (label, _, mime)) in zip(columns, DOCUMENTS.items()):
        key = f"doc_{kind}_{session.name}"
        if column.button(f"Lập {label}", key=f"make_{key}", width="stretch"):
            with st.spinner(f"Đang lập {label.lower()}…"):
                st.session_state[key] = document(source, session, kind)
        if key in st.session_state:
            column.download_button(f"Tải {label}", st.session_state[key], file_name(session, kind), mime,
                                   key=f"get_{key}", width="stretch", type="primary",
                                   on_click=access.export_recorder(f"{kind}: {session.name}",
                                                                   file_name(session, kind)))


def session_form(source: data.Source, units: list[str], default: SupervisionSession) -> SupervisionSession | None:
    """A form for a new session (or to replace one of the same name); the session when submitted and valid."""
    with st.form("new_session"):
        name = st.text_input("Tên đợt giám sát", value=default.name)
        left, right = st.columns(2)
        start = left.date_input("Từ ngày", value=default.start, format="DD/MM/YYYY")
        end = right.date_input("Đến ngày", value=default.end, format="DD/MM/YYYY")
        compare = st.checkbox("So sánh với một kỳ trước", value=default.comparison is not None)
        left, right = st.columns(2)
        before = default.comparison
        year_before = start.year - 1
        compare_start = left.date_input("Kỳ so sánh từ", format="DD/MM/YYYY",
                                        value=before.start if before else dt.date(year_before, 1, 1))
        compare_end = right.date_input("Kỳ so sánh đến", format="DD/MM/YYYY",
                                       value=before.end if before else dt.date(year_before, 12, 31))
        chosen_units = st.multiselect("Đơn vị trong phạm vi (để trống: mọi đơn vị)", units,
                                      default=[u for u in default.units if u in units])
        left, right = st.columns(2)
        rate = left.selectbox("Định nghĩa tỷ lệ đúng hạn", list(RATES), index=list(RATES).index(default.rate),
                              format_func=lambda r: f"{RATES[r].label} {RATES[r].formula}")
        target = right.number_input("Mục tiêu (%)", 0.0, 100.0, default.target * 100, 0.5)
        team = st.text_input("Đoàn giám sát", value=default.team, placeholder="Đoàn giám sát HĐND tỉnh …")
        bodies = st.text_input("Cơ quan được giám sát", value=default.bodies, placeholder="UBND thành phố …")
        tables = data.stored("reported_tables")
        options = {None: "(không đối chiếu)",
                   **{r.sha256: f"{r.reported_id} – {r.file_name}" for r in tables.itertuples()}}
        reported = st.selectbox("Biểu cơ quan đã báo cáo, để đối chiếu (tải lên ở trang Đối chiếu số liệu báo cáo)",
                                list(options), format_func=options.get,
                                index=list(options).index(default.reported) if default.reported in options else 0)
        if not st.form_submit_button("Lưu đợt giám sát", type="primary"):
            return None
    catalog = data.catalog_path(source)
    try:
        return SupervisionSession(name.strip(), start, end, compare_start if compare else None,
                                  compare_end if compare else None, tuple(chosen_units), rate, target / 100,
                                  str(catalog) if catalog else None, team.strip(), bodies.strip(), reported)
    except ValueError as error:
        st.error(f"Chưa lưu được: {error}")
        return None
