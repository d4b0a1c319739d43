"""The controls every screen shares, in the sidebar: period, comparison period, filters, rate, target.

Each page calls `selection()`; widget values live in st.session_state under fixed keys and are kept alive between
pages (Streamlit forgets a widget's value when a page without it runs, so each run re-stores them first). The same
values travel in the address bar (ui/links.py): a link opened with them sets the widgets, and every change of a widget
rewrites the link, so copying the address reproduces the view.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from analytics.analyses.caveats import touching
from analytics.analyses.filters import Filters
from analytics.analyses.trends import COVERED, covered
from analytics.model import periods
from analytics.model import schema as s
from analytics.model.form import roman
from analytics.model.periods import Period
from analytics.model.rates import RATES
from analytics.outputs import formatting as fmt
from analytics.outputs import judged
from analytics.analyses.boundaries import reorganisation_warnings
from analytics.model.unit_register import NEW, RECORDED
from analytics.outputs.boundaries_words import BOUNDARY_LABELS, BOUNDARY_SHORT, placement_notes, warning_sentence
from analytics.outputs.labels import FILTER_LABELS
from analytics.outputs.sentences import caveat_sentence, filters_words
from ui import analyses, data, links

KIND_OPTIONS = links.KIND_OPTIONS
COMPARE_OPTIONS = {"auto": "Kỳ trước có dữ liệu (tự động)", "previous": "Kỳ liền trước",
                   "year_before": "Cùng kỳ năm trước", "custom": "Tùy chọn", "none": "Không so sánh"}
TARGET_OPTIONS = [n / 2 for n in range(100, 201)]  # 50,0% … 100,0% in steps of 0,5 point
KEYS = ["kind", "year", "number", "cutoff", "start", "end", "compare", "compare_start", "compare_end", "levels",
        "units", "fields", "channels", "rate", "fold", "target", "fill_due"]
PREFIX = "sel_"


@dataclass(frozen=True)
class Selection:
    source: data.Source
    period: Period
    comparison: Period | None   # the comparison period, when the data cover it (else None: no change is shown)
    previous: Period            # the period just before, whatever the comparison chosen
    filters: Filters
    rate: str
    fold_withdrawn: bool
    target: float
    cutoff: bool = False        # the period follows Nghị định 09/2019's cut-offs: so do its trend's months
    due_dates_computed: int = 0
    notices: tuple[str, ...] = ()  # values of an opened link that could not be used, in Vietnamese
    comparison_asked: Period | None = None  # the comparison chosen, whether or not the data cover it
    comparison_note: str = ""   # why there is no comparison although one was asked (or none could be found)

    def caption(self) -> str:
        """One quiet line: which data, which period, which filters (and due dates taken from the catalog)."""
        line = f"{self.source.description} · Kỳ: {self.period.label} · {filters_words(self.filters)}"
        if self.source.register_file is not None or self.source.boundaries == NEW:
            line += f" · Ranh giới: {BOUNDARY_SHORT[self.source.boundaries]}"
        if self.due_dates_computed:
            line += (f" · {fmt.number(self.due_dates_computed)} hồ sơ không có ngày hẹn trả, đã tính theo thời hạn "
                     "trong danh mục TTHC")
        return line


BOUNDARIES_KEY = PREFIX + "boundaries"   # not in a link (KEYS): a unit register is the store's, not the address's


def keep_alive() -> None:
    """Keep the shared choices while a page that does not draw them runs (Streamlit would forget them)."""
    for key in [*KEYS, "boundaries"]:
        full = PREFIX + key
        if full in st.session_state:
            st.session_state[full] = st.session_state[full]


def _default(key: str, value) -> None:
    st.session_state.setdefault(PREFIX + key, value)


def _period(source: data.Source) -> Period:
    start, end = data.natural_period(source) or (dt.date(2018, 1, 1), dt.date(2019, 3, 31))
    if source.is_sample:  # the review of the seed article
        start, end = dt.date(2018, 1, 1), dt.date(2019, 3, 31)
    _default("kind", "custom")
    _default("year", end.year)
    _default("number", 1)
    _default("cutoff", False)
    _default("start", start)
    _default("end", end)
    kind = st.sidebar.selectbox("Loại kỳ", KIND_OPTIONS, key=PREFIX + "kind",
                                format_func=lambda k: periods.KIND_LABELS[k])
    if kind == "custom":
        first = st.sidebar.date_input("Từ ngày", key=PREFIX + "start", format="DD/MM/YYYY")
        last = st.sidebar.date_input("Đến ngày", key=PREFIX + "end", format="DD/MM/YYYY")
        if first > last:
            st.sidebar.error("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc. Đang dùng kỳ đảo lại.")
            first, last = last, first
        return periods.custom(first, last)
    years = sorted(set(data.years(source)) | {end.year, st.session_state[PREFIX + "year"]})  # a link's year too
    left, right = st.sidebar.columns(2)
    year = left.selectbox("Năm", years, key=PREFIX + "year")
    count = periods.PER_YEAR.get(kind)
    number = 1
    if count:
        if st.session_state.get(PREFIX + "number", 1) > count:
            st.session_state[PREFIX + "number"] = 1
        label = {"month": "Tháng", "quarter": "Quý", "half": "Nửa năm"}[kind]
        number = right.selectbox(label, list(range(1, count + 1)), key=PREFIX + "number",
                                 format_func=lambda n: roman(n) if kind == "quarter" else str(n))
    cutoff = st.sidebar.toggle("Theo ngày chốt số liệu (NĐ 09/2019: ngày 15 – ngày 14)", key=PREFIX + "cutoff")
    return periods.preset(kind, year, number, cutoff)


def _comparison(period: Period, source: data.Source) -> tuple[Period | None, Period | None, str]:
    """(the comparison the data cover, the one asked for, and a note when they differ). "auto": the latest of the
    period just before and the same period a year before that the data cover, or none; a period chosen that the
    data do not cover is no comparison, said plainly (analyses.judgements)."""
    _default("compare", "auto")
    choice = st.sidebar.selectbox("So sánh với", list(COMPARE_OPTIONS), key=PREFIX + "compare",
                                  format_func=COMPARE_OPTIONS.get)
    span = data.coverage(source)
    if choice == "none":
        return None, None, ""
    if choice == "auto":
        for candidate in (_previous(period), periods.year_earlier(period)):
            if covered(candidate.start, candidate.end, span) == COVERED:
                return candidate, candidate, ""
        return None, None, ("Không so sánh: dữ liệu không có kỳ trước nào cùng độ dài (dữ liệu có hồ sơ "
                            f"{judged.span_words(span)}).")
    if choice == "year_before":
        asked = periods.year_earlier(period)
    elif choice == "custom":
        before = periods.before(period)
        _default("compare_start", before.start)
        _default("compare_end", before.end)
        first = st.sidebar.date_input("So sánh từ ngày", key=PREFIX + "compare_start", format="DD/MM/YYYY")
        last = st.sidebar.date_input("So sánh đến ngày", key=PREFIX + "compare_end", format="DD/MM/YYYY")
        asked = periods.custom(min(first, last), max(first, last))
    else:
        asked = _previous(period)
    status = covered(asked.start, asked.end, span)
    if status == COVERED:
        return asked, asked, ""
    return None, asked, judged.comparison_gap(asked, status, span)


def _previous(period: Period) -> Period:
    """The period just before: the previous preset of the same kind, or the same length before a custom range."""
    state = st.session_state
    kind = state.get(PREFIX + "kind", "custom")
    if kind == "custom":
        return periods.before(period)
    return periods.shifted(kind, state[PREFIX + "year"], state.get(PREFIX + "number", 1), state[PREFIX + "cutoff"],
                           -1)


def _filters(source: data.Source) -> Filters:
    options = data.filter_choices(source)
    chosen = {}
    with st.sidebar.expander("Lọc theo cấp, đơn vị, lĩnh vực, hình thức", expanded=False):
        for attribute in ("levels", "units", "fields"):
            _default(attribute, [])
            st.session_state[PREFIX + attribute] = [v for v in st.session_state[PREFIX + attribute]
                                                    if v in options[attribute]]
            chosen[attribute] = tuple(st.multiselect(FILTER_LABELS[attribute], options[attribute],
                                                     key=PREFIX + attribute, placeholder="Tất cả"))
        _default("channels", [])
        chosen["channels"] = tuple(st.multiselect(FILTER_LABELS["channels"], options["channels"],
                                                  key=PREFIX + "channels", format_func=s.CHANNEL_LABELS.get,
                                                  placeholder="Tất cả"))
    return Filters(**chosen)


def _boundaries(source: data.Source) -> None:
    """The units' boundaries, offered whenever a unit register is stored (issue 18): as the exports record them, or
    each old unit under its successor."""
    if source.register_file is None:
        return
    st.sidebar.radio("Ranh giới đơn vị", list(BOUNDARY_SHORT), key=BOUNDARIES_KEY, format_func=BOUNDARY_SHORT.get,
                     help=f"Theo sổ sắp xếp đơn vị {source.register_file}: {BOUNDARY_LABELS[NEW]}. Đơn vị không có "
                          "đơn vị kế tiếp giữ dòng riêng.")


def _rate_settings(source: data.Source) -> tuple[str, bool, float]:
    _default("rate", "resolved")
    _default("fold", False)
    _default("target", 95.0)
    with st.sidebar.expander("Cách tính tỷ lệ và mục tiêu", expanded=False):
        st.toggle("Hồ sơ thiếu ngày hẹn trả: tính theo thời hạn trong danh mục TTHC", key=PREFIX + "fill_due",
                  disabled=data.catalog_path(source) is None,
                  help="Như tùy chọn --catalog của dòng lệnh. Hồ sơ được tính ngày hẹn trả được ghi rõ số lượng.")
        rate = st.radio("Định nghĩa tỷ lệ đúng hạn", list(RATES), key=PREFIX + "rate",
                        format_func=lambda r: f"{RATES[r].label} {RATES[r].formula}")
        fold = st.toggle('Tính hồ sơ rút/dừng xử lý vào cột (9) "Đúng hạn" (cách của một số tỉnh)',
                         key=PREFIX + "fold")
        # A slider of Vietnamese percentages ("95,0%"): st.number_input writes "95.00" and cannot write a comma.
        # A value from a link or a saved session that is not on the 0,5 grid (or below 50%) is offered as it is.
        chosen = float(st.session_state[PREFIX + "target"])
        st.session_state[PREFIX + "target"] = chosen
        target = st.select_slider("Mục tiêu tỷ lệ đúng hạn", sorted({*TARGET_OPTIONS, chosen}), key=PREFIX + "target",
                                  format_func=lambda v: fmt.percent(v / 100))
    return rate, fold, target / 100


def _apply(values: dict) -> None:
    for key, value in values.items():
        st.session_state[PREFIX + key] = value


def _open_link() -> tuple[data.Source, tuple[str, ...]]:
    """The data source, after applying a link's values when the page opened with a link (see ui/links.py)."""
    link = links.current()
    fresh = links.is_new(link)
    if fresh:  # whether due dates come from the catalog decides the data, hence the filters' choices
        _apply({k: v for k, v in links.read(link)[0].items() if k == "fill_due"})
    _default("fill_due", True)
    _default("boundaries", RECORDED)
    source = data.current_source(st.session_state[PREFIX + "fill_due"], boundaries=st.session_state[BOUNDARIES_KEY])
    if not fresh:
        return source, ()
    values, warnings = links.read(link, data.filter_choices(source))
    _apply(values)
    return source, tuple(warnings)


def state_values() -> dict:
    """The shared choices as they stand (keys of KEYS, without the prefix)."""
    return {key: st.session_state[PREFIX + key] for key in KEYS if PREFIX + key in st.session_state}


def selection() -> Selection:
    """Draw the shared controls and return what the user chose (defaults on first start, or a link's values)."""
    keep_alive()
    source, notices = _open_link()
    st.sidebar.markdown("### Kỳ báo cáo")
    period = _period(source)
    comparison, asked, note = _comparison(period, source)
    st.sidebar.caption(f"Kỳ: {period.label}" + (f"  \nSo sánh: {comparison.label}" if comparison else
                                                f"  \n{note or 'Không so sánh.'}" if asked is None else ""))
    _boundaries(source)
    filters = _filters(source)
    rate, fold, target = _rate_settings(source)
    if fold:
        st.sidebar.warning('Đang tính hồ sơ rút/dừng xử lý là "Đúng hạn".')
    cutoff = st.session_state[PREFIX + "kind"] != "custom" and bool(st.session_state.get(PREFIX + "cutoff"))
    links.sync_out(links.write(state_values()))
    return Selection(source, period, comparison, _previous(period), filters, rate, fold, target, cutoff,
                     data.due_dates_computed(source), notices, asked, note)


def show_notices(chosen: Selection) -> None:
    """The values of an opened link that could not be used (each left out, the rest applied)."""
    for notice in chosen.notices:
        st.warning(notice, icon=":material/link_off:")


def show_caveats(found: list, keys=None) -> None:
    """Each caveat (of those touching `keys`, when given) as a warning beside the figures it concerns."""
    for caveat in (touching(found, keys) if keys else found):
        st.warning(fmt.markdown_text(caveat_sentence(caveat)), icon=":material/report:")  # it names files


def header(title: str, chosen: Selection) -> None:
    """Page title, the period in words and dates, and the quiet line saying which data are shown."""
    st.title(title)
    st.caption(fmt.markdown_text(chosen.caption()))  # unit, field and level names from the data or a link
    show_notices(chosen)
    if chosen.comparison_note and chosen.comparison_asked is not None:  # asked for, not in the data: said plainly
        st.warning(chosen.comparison_note, icon=":material/event_busy:")
    periods = [chosen.period] + ([chosen.comparison] if chosen.comparison is not None else [])
    for warning in reorganisation_warnings(periods):   # the 2025 reorganisation bends the figures: said beside them
        st.warning(warning_sentence(warning), icon=":material/account_tree:")
    placed = data.placement_of(chosen.source)
    if placed is not None and (placed.without_successor or placed.unplaced):
        with st.expander("Đơn vị theo sổ sắp xếp: những gì sổ chưa xếp được"):
            for line in placement_notes(placed):
                st.caption(fmt.markdown_text(line))
    show_caveats(analyses.caveats(chosen.source, chosen.filters, chosen.period, chosen.fold_withdrawn))
    if chosen.source.is_sample:
        st.info("Đây là dữ liệu mẫu để xem thử. Tải tệp xuất hồ sơ của quý lên ở trang **Dữ liệu** để bắt đầu.",
                icon=":material/info:")

