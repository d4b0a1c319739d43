"""Supervision sessions on the dashboard: the figures and provenance of a session (cached per data version and
session, without the classified dossiers), the form that creates one, and the three documents, each built when its
download is clicked and kept nowhere. The presentation and the documents are all drawn from a session object: a stored
one, or the one the sidebar's choices make."""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from collections.abc import Callable

import streamlit as st

from analytics.analyses import engine
from analytics.analyses.filters import Filters
from analytics.analyses.session_figures import SessionFigures, engine_session_figures
from analytics.dossiers import provenance as origin
from analytics.dossiers import store as stores
from analytics.model.rates import RATES
from analytics.model.session import Provenance, SupervisionSession
from analytics.outputs import formatting as fmt
from analytics.outputs.sentences import filters_words, session_description
from ui import access, data, sidebar

# Each document: (button label, module and function in analytics.outputs, MIME type).
DOCUMENTS = {
    "docx": ("Báo cáo kết quả giám sát (DOCX)", "report_docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pptx": ("Bản trình chiếu (PPTX)", "slides_pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": ("Sổ tính số liệu (XLSX)", "workbook_xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@st.cache_resource(show_spinner=False, max_entries=8)  # `figures` shows the spinner: this runs on download too
def _figures(key: tuple, session: SupervisionSession, _source: data.Source) -> SessionFigures:
    """`key`: the data's, and the version of the corrections (a match fixed on Đối chiếu reaches the documents)."""
    filters = Filters.of_session(session)
    reported = data.store().reported_by_sha256(session.reported) if session.reported else None
    corrections = data.row_corrections(reported.layout, "unit") if reported is not None else None
    known = (data.coverage(_source), data.coverage(_source, filters), data.carried(_source, filters))
    also = (data.missing_fields(_source), data.catalog(_source, session.catalog), reported, corrections,
            data.store().recommendations(), index_scores(session))
    with data.engine_relation(_source, filters) as (con, relation):
        figures = engine_session_figures(con, relation, session, *known,
                                         lambda periods: engine.period_dossiers(con, periods, relation), *also)
    return _without_dossiers(figures)


def index_scores(session: SupervisionSession):
    """The national index's scores of the latest stored month inside the session's period, if any."""
    return data.store().index_inside(session.start, session.end)


def _key(source: data.Source) -> tuple:
    """The data's key, and the versions of what else the figures read (corrections, recommendations)."""
    versions = data.store().versions()
    return source.key, versions[stores.ROW_MAPS], versions[stores.RECOMMENDATIONS], versions[stores.INDEX]


def _without_dossiers(figures: SessionFigures) -> SessionFigures:
    """The figures without the classified copies of the dossiers their tables carry (the period's, the comparison's
    two, the reconciliation's): no output reads them, and held per session they were the whole data again (review
    2026-12-07 §5.2)."""
    def bare(table):
        return dataclasses.replace(table, classified=None)
    comparison, reconciliation = figures.comparison, figures.reconciliation
    return dataclasses.replace(
        figures, table=bare(figures.table),
        comparison=dataclasses.replace(comparison, a=bare(comparison.a), b=bare(comparison.b)) if comparison else None,
        reconciliation=dataclasses.replace(reconciliation, recomputed=bare(reconciliation.recomputed))
        if reconciliation else None)


def source_of(session: SupervisionSession) -> data.Source:
    """The data as the session counts them: due dates filled from its catalog when it asks for it."""
    return data.current_source(session.fill_due_dates, session.catalog, session.boundaries)


def figures(session: SupervisionSession) -> SessionFigures:
    """Every figure of the session (one classification, cached per data version and session): the presentation
    and the three documents are all drawn from this."""
    source = source_of(session)
    with st.spinner("Đang tính số liệu của đợt giám sát…"):  # shown only when it takes a while (a cache miss)
        return _figures(_key(source), session, source)


def scope_of(session: SupervisionSession) -> str:
    """The figures' scope in words: the session's filters, else every dossier."""
    return filters_words(Filters.of_session(session))


def provenance(session: SupervisionSession, notes: tuple[str, ...] = ()) -> Provenance:
    """Where the session's figures come from: the sample's files or the store's imports, and the scope in words."""
    return _origin(session, source_of(session))(notes)


def _origin(session: SupervisionSession, source: data.Source) -> Callable[..., Provenance]:
    """What the provenance is made of, read now (in the page's run); the provenance itself, with the time it was
    made, when called (on a download's own thread, where nothing of Streamlit's run is at hand)."""
    scope = scope_of(session)
    if source.is_sample:
        readings = data.sample_readings(source)
        return lambda notes=(): origin.from_files(readings, is_sample=True, scope=scope, notes=notes)
    imports = data.stored("imports")
    return lambda notes=(): origin.from_store(imports, scope, notes)


def from_selection(chosen, name: str = "") -> SupervisionSession:
    """A session made from the sidebar's choices: everything that shapes the figures on the screens (period,
    comparison asked, filters, rate, target, fold, the period convention, the catalog and whether it fills due dates),
    so a document or the presentation made from it prints what the screens show."""
    asked, filters = chosen.comparison_asked, chosen.filters
    catalog = chosen.source.catalog_fill[0] if chosen.source.catalog_fill else data.catalog_path(chosen.source)
    return SupervisionSession(
        name or f"Kỳ {chosen.period.label}", chosen.period.start, chosen.period.end,
        asked.start if asked else None, asked.end if asked else None, tuple(filters.units), chosen.rate,
        chosen.target, str(catalog) if catalog else None, levels=tuple(filters.levels), fields=tuple(filters.fields),
        channels=tuple(filters.channels), fold_withdrawn=chosen.fold_withdrawn,
        fill_due_dates=chosen.source.catalog_fill is not None, cutoff=chosen.cutoff,
        report_date=dt.date.today(), boundaries=chosen.source.boundaries)


def file_name(session: SupervisionSession, suffix: str) -> str:
    return f"{session.file_stem}.{suffix}"


def document(session: SupervisionSession, kind: str) -> bytes:
    """One of DOCUMENTS, built from the session's figures."""
    return builder(session, kind)()


def builder(session: SupervisionSession, kind: str) -> Callable[[], bytes]:
    """What builds one of DOCUMENTS when called, with what it needs read now: it runs on Streamlit's own thread
    when the download is clicked, with no script run, so it calls no Streamlit element (the figures' cache
    without its spinner: usually already computed for the presentation or an earlier document)."""
    _, module, _ = DOCUMENTS[kind]
    source = source_of(session)
    made_from = _origin(session, source)

    def build() -> bytes:
        write = getattr(importlib.import_module(f"analytics.outputs.{module}"), module)
        return write(_figures(_key(source), session, source), made_from())
    return build


def downloads(session: SupervisionSession) -> None:
    """A download button per document, each built only when clicked (Streamlit's deferred download: the browser
    shows the button busy meanwhile) and kept nowhere: no document's bytes stay in the session's state or are
    registered again at each rerun (review 2026-12-07 §5.6). The download is recorded as an export under the person
    who saw the button, when the file is made (`access.deferred_export`)."""
    columns = st.columns(len(DOCUMENTS))
    for column, (kind, (label, _, mime)) in zip(columns, DOCUMENTS.items()):
        name = file_name(session, kind)
        access.download_button(column, f"Tải {label}", builder(session, kind), name, mime,
                               what=f"{kind}: {session.name}", target=name, key=f"get_doc_{kind}_{session.name}",
                               width="stretch", type="primary")


def session_form(units: list[str], default: SupervisionSession) -> SupervisionSession | None:
    """A form for a new session (or to replace one of the same name); the session when submitted and valid. The
    filters, the fold, the period convention, the catalog and the row matches are kept from `default` (the chosen
    session, or the sidebar's choices)."""
    with st.form("new_session", enter_to_submit=False):
        left, right = st.columns([1, 2])
        name = left.text_input("Mã đợt (ngắn)", value=default.name,
                               help="Tên ngắn để chọn đợt; không in trong báo cáo.")
        title = right.text_input("Tên đợt giám sát (in trên báo cáo và trang đầu bản trình chiếu)",
                                 value=default.title or default.heading)
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
                                      default=[u for u in default.units if u in units], placeholder="Tất cả")
        left, right = st.columns(2)
        rate = left.selectbox("Định nghĩa tỷ lệ đúng hạn", list(RATES), index=list(RATES).index(default.rate),
                              format_func=lambda r: f"{RATES[r].label} {RATES[r].formula}")
        chosen_target = round(default.target * 100, 1)
        target = right.select_slider("Mục tiêu tỷ lệ đúng hạn", sorted({*sidebar.TARGET_OPTIONS, chosen_target}),
                                     value=chosen_target, format_func=lambda v: fmt.percent(v / 100))
        left, right = st.columns(2)
        parent = left.text_input("Cơ quan chủ quản (dòng trên tên Đoàn)", value=default.parent_body,
                                 placeholder="HĐND TỈNH LẠNG SƠN")
        team = right.text_input("Đoàn giám sát", value=default.team, placeholder="Đoàn giám sát HĐND tỉnh …")
        left, middle, right = st.columns([2, 2, 1])
        bodies = left.text_input("Cơ quan được giám sát", value=default.bodies, placeholder="UBND thành phố …")
        signer = middle.text_input("Người ký (Trưởng đoàn)", value=default.signer, placeholder="Họ và tên")
        report_date = right.date_input("Ngày báo cáo", value=default.report_date or dt.date.today(),
                                       format="DD/MM/YYYY", help="Báo cáo dẫn luật giám sát có hiệu lực ngày này.")
        tables = data.stored("reported_tables")
        options = {None: "(không đối chiếu)",
                   **{r.sha256: f"{r.reported_id} – {r.file_name}" for r in tables.itertuples()}}
        reported = st.selectbox("Biểu cơ quan đã báo cáo, để đối chiếu (tải lên ở trang Đối chiếu số liệu báo cáo)",
                                list(options), format_func=options.get,
                                index=list(options).index(default.reported) if default.reported in options else 0)
        st.caption("Bộ lọc, cách tính hồ sơ rút/dừng, cách chia tháng và danh mục TTHC lấy theo: "
                   + fmt.markdown_text(session_description(default)))
        if not st.form_submit_button("Lưu đợt giám sát", type="primary"):
            return None
    try:
        return dataclasses.replace(
            default, name=name.strip(), title=title.strip(), start=start, end=end,
            compare_start=compare_start if compare else None, compare_end=compare_end if compare else None,
            units=tuple(chosen_units), rate=rate, target=target / 100, team=team.strip(), bodies=bodies.strip(),
            parent_body=parent.strip(), signer=signer.strip(), reported=reported, report_date=report_date,
            cutoff=default.cutoff and (start, end) == (default.start, default.end))
    except ValueError as error:
        st.error(f"Chưa lưu được: {fmt.markdown_text(str(error))}")
        return None


def unique_name(wanted: str, taken: list[str]) -> str:
    """`wanted`, or "wanted (2)", "wanted (3)"… when a session of that name exists."""
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted} ({n})"
    return name


def renamed(session: SupervisionSession, name: str) -> SupervisionSession:
    """The session under another name, its title kept as people read it."""
    return dataclasses.replace(session, name=name, title=session.title or session.heading)
