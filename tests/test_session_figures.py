"""A session carries everything that shapes a figure: its figures follow its filters, its fold, its period
convention and its comparison (only when the data cover it), whatever draws them."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from analytics.analyses.bieu06 import official_table
from analytics.analyses.filters import Filters
from analytics.analyses.judgements import NO_CHANGE
from analytics.analyses.session_figures import session_figures
from analytics.analyses.trends import COVERED, NOT_COVERED
from analytics.model import periods
from analytics.model.session import SupervisionSession
from analytics.outputs import slides
from tests.session_fixtures import SAMPLE_SESSION, _sample_dossiers, sample_session

D = dt.date


def figures_of(session: SupervisionSession):
    loaded = _sample_dossiers()
    return session_figures(loaded.dossiers, session, loaded.missing_fields())


def test_a_session_keeps_every_choice_through_the_store_format():
    session = SupervisionSession(
        "GS-1", D(2018, 12, 15), D(2019, 3, 14), D(2017, 12, 15), D(2018, 3, 14), ("Phòng Tư pháp",), "workload",
        0.9, "/tmp/c.xlsx", "Đoàn giám sát", "UBND thành phố", "ab" * 32, "Giám sát chuyên đề", ("Cấp xã",),
        ("Hộ tịch", "Đất đai"), (2,), True, False, True, (("Phòng TN&MT", "Phòng Tài nguyên và Môi trường"),),
        "HĐND tỉnh Lạng Sơn", "Vũ Văn Quang")
    assert SupervisionSession.from_dict(session.as_dict()) == session
    assert session.follows_cutoff and session.heading == "Giám sát chuyên đề"
    untitled = SupervisionSession("x", D(2018, 1, 1), D(2019, 3, 31), bodies="UBND thành phố Lạng Sơn")
    assert untitled.heading == ("Giám sát việc giải quyết thủ tục hành chính tại UBND thành phố Lạng Sơn, năm 2018 "
                                "và quý I/2019")
    # a session stored before these fields existed still loads, with the defaults
    old = {k: v for k, v in untitled.as_dict().items() if k in ("name", "start", "end", "units", "rate", "target")}
    assert SupervisionSession.from_dict(old) == dataclasses.replace(untitled, bodies="")


def test_the_figures_follow_the_sessions_filters_and_fold():
    session = dataclasses.replace(SAMPLE_SESSION, fields=("Hộ tịch",), fold_withdrawn=True, catalog=None)
    figures = figures_of(session)
    dossiers = Filters(fields=("Hộ tịch",)).apply(_sample_dossiers().dossiers)
    expected = official_table(dossiers, session.period, fold_withdrawn=True).total
    assert figures.total == expected
    assert set(figures.by_field["name"]) == {"Hộ tịch"}
    assert figures.total["withdrawn"] == 0  # folded into (9)
    unfolded = official_table(dossiers, session.period).total
    assert figures.total["resolved_on_time"] == unfolded["resolved_on_time"] + unfolded["withdrawn"]


def test_a_cut_off_quarter_draws_its_trend_in_cut_off_months():
    """Quý I/2019 on the cut-offs runs 15/12/2018 – 14/03/2019: three whole cut-off months, none partial
    (review 2026-12-07 §1.3: the calendar gave four, two of them partial)."""
    period = periods.quarter(2019, 1, cutoff=True)
    figures = figures_of(SupervisionSession("Q1 chốt", period.start, period.end))
    assert list(figures.trend["label"]) == ["Tháng 1/2019", "Tháng 2/2019", "Tháng 3/2019"]
    months = periods.series(period.start, period.end, "month", cutoff=True)
    dossiers = _sample_dossiers().dossiers
    assert list(figures.trend["resolved_total"]) == [official_table(dossiers, m).total["resolved_total"]
                                                     for m in months]
    assert sum(figures.trend["received_online"] + figures.trend["received_direct_postal"]) == \
        figures.total["received_online"] + figures.total["received_direct_postal"]


def test_a_comparison_the_data_do_not_cover_is_no_comparison_and_is_said_plainly():
    """The review's default comparison: 03/10/2016 – 31/12/2017, before the sample begins (01/2018)."""
    session = SupervisionSession("x", D(2018, 1, 1), D(2019, 3, 31), D(2016, 10, 3), D(2017, 12, 31))
    figures = figures_of(session)
    assert figures.comparison is None and figures.rate_change is None
    assert figures.comparison_coverage == NOT_COVERED and figures.data_span == (D(2018, 1, 1), D(2019, 3, 31))
    headline = slides.headline_slide(figures)
    assert "so với" not in headline.headline and "tăng" not in headline.headline
    assert any(line.startswith("Không so sánh với từ 03/10/2016 đến 31/12/2017") for line in headline.lines)
    assert slides.comparison_slide(figures) is None


def test_the_sample_sessions_change_is_not_called_a_fall():
    """Q1/2019 (270/282 = 95,7%) against 2018 (1.049/1.083 = 96,9%): −1,1 points, interval −4,3 to +1,1."""
    figures, _ = sample_session()
    assert figures.comparison_coverage == COVERED and figures.rate_change.code == NO_CHANGE
    assert figures.rate_change.change_pp == pytest.approx(100 * (270 / 282 - 1049 / 1083))
    for slide in (slides.headline_slide(figures), slides.comparison_slide(figures)):
        assert "giảm" not in slide.headline and "không thay đổi có ý nghĩa thống kê" in slide.headline
    assert not figures.counts_comparable  # a year against a quarter


def test_units_too_small_are_never_named_for_attention():
    figures, _ = sample_session()
    slide = slides.attention_slide(figures)
    named = set(figures.attention.named["name"])
    small = set(figures.attention.too_small["name"])
    assert small and not (named & small)
    for unit in small:
        assert unit not in slide.headline and not any(line.startswith(unit) for line in slide.lines)
