"""Every figure a supervision session's outputs carry, computed once from the session object: the written report,
the slides, the workbook and the presentation screen all print these and nothing else, so what the Council reads is
what the analyst saw. The session says everything that shapes a figure (filters, fold, period convention, catalog,
row matches), so the same session gives the same figures wherever it is drawn."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields

import pandas as pd

from analytics.analyses import catalog_audit, engine, judgements
from analytics.analyses.bieu06 import OFFICIAL, OfficialTable, period_tables, tabled
from analytics.analyses.caveats import Caveat, caveats
from analytics.analyses.classification import DossierDates, classify
from analytics.analyses.comparison import Comparison, compare, compared
from analytics.analyses.experience import Experience, carried, experience
from analytics.analyses.index_estimates import IndexComparison, compare_index
from analytics.analyses.filters import Filters
from analytics.analyses.funnel import funnel
from analytics.analyses.judgements import Attention, Change, TargetMonths
from analytics.analyses.late import late_table
from analytics.analyses.reconciliation import Reconciliation, reconcile
from analytics.analyses.screening import Screen, screens
from analytics.analyses.trends import COVERED, coverage, covered
from analytics.model.national_index import MONTH, IndexFile
from analytics.model.periods import Period, series
from analytics.model.rates import RATES, with_rate
from analytics.model.procedure_catalog import Catalog
from analytics.model.recommendations import Recommendation
from analytics.model.reported import ReportedTable, RowCorrections
from analytics.model.session import SupervisionSession

MOST_LATE = 5  # procedures and fields with most late dossiers, on a slide


@dataclass(frozen=True)
class SessionFigures:
    session: SupervisionSession
    table: OfficialTable                 # the period's total (and every dossier's cell)
    official: pd.DataFrame               # Biểu 06 in the form's layout: level › unit › field with subtotals
    by_level: pd.DataFrame
    by_unit: pd.DataFrame
    by_field: pd.DataFrame
    by_channel: pd.DataFrame
    trend: pd.DataFrame                  # one row per month of the period (cut-off months when it follows them)
    trend_months: TargetMonths           # the months that met the target, those below it
    units_funnel: pd.DataFrame           # funnel rows per unit (flag, limits)
    overall_rate: float | None
    attention: Attention                 # units named for attention, and those said apart (judgements.attention)
    comparison: Comparison | None        # against the session's comparison period, by unit (None: none, or no data)
    comparison_coverage: str | None      # trends.COVERED / PARTLY / NOT_COVERED for the comparison period asked
    data_span: tuple[dt.date, dt.date] | None  # the months the data cover
    rate_change: Change | None           # the on-time rate's change, judged
    overdue_change: Change | None        # the share pending overdue at the end, (13)/(3), judged
    counts_comparable: bool              # the two periods are of the same length: counts may be set side by side
    late_by_unit: pd.DataFrame
    late_by_field: pd.DataFrame
    most_late_procedures: pd.DataFrame   # judgements.most_late: name, late_total, received_total, late_rate, small
    most_late_fields: pd.DataFrame
    screens: list[Screen]
    audit: dict | None                   # the catalog audit, when the session has a catalog
    caveats: list[Caveat]
    left_out: dict[str, int]             # dossiers left out of the counts, by reason
    reconciliation: Reconciliation | None = None  # the reported table filed for the session, beside the figures
    follow_up: tuple[Recommendation, ...] = ()    # earlier sessions' recommendations, with what was done
    experience: Experience | None = None          # citizens' experience by unit (issue 19)
    index: IndexComparison | None = None          # the national index's month inside the period, beside estimates

    @property
    def period(self) -> Period:
        return self.session.period

    @property
    def total(self) -> dict:
        return self.table.total

    @property
    def rate(self):
        return self.table.rate

    @property
    def comparison_asked(self) -> Period | None:
        """The comparison period the session names, whether or not the data cover it."""
        return self.session.comparison


def scoped(dossiers: pd.DataFrame, session: SupervisionSession) -> pd.DataFrame:
    """The session's dossiers: those its filters keep (every dossier when it has none)."""
    return Filters.of_session(session).apply(dossiers)


def prepared(dossiers: pd.DataFrame, session: SupervisionSession, catalog: Catalog | None) -> pd.DataFrame:
    """The dossiers as the session counts them: due dates an export lacks filled from the catalog when the session
    asks for it and has one (the dashboard's data layer does the same, cached)."""
    if catalog is None or not session.fill_due_dates:
        return dossiers
    return catalog_audit.fill_missing_due_dates(dossiers, catalog)[0]


def session_figures(dossiers: pd.DataFrame, session: SupervisionSession,
                    missing: dict[str, dict[int, str]] | None = None,
                    catalog: Catalog | None = None, reported: ReportedTable | None = None,
                    corrections: RowCorrections | None = None,
                    recommendations: list[Recommendation] | None = None,
                    index_scores: IndexFile | None = None) -> SessionFigures:
    """All figures of a session over the dossiers (due dates already filled as `prepared` does); `missing`: the
    columns files lack (see caveats); `catalog`: for the audit of published procedures; `reported`: the table the
    executive filed, reconciled by unit with the matches and row roles remembered for it (`corrections`, as the
    Đối chiếu screen and `reconcile` use them), the session's own matches under them; `recommendations`: every
    recommendation in the store, of which the report carries those earlier sessions made (follow_up);
    `index_scores`: the national index's scores of a month inside the period (Store.index_inside)."""
    span = coverage(dossiers)  # of all the data: a unit without dossiers in a month is still covered
    dossiers = scoped(dossiers, session)
    period, rate, fold = session.period, session.rate, session.fold_withdrawn
    dates = DossierDates.of(dossiers)
    classified = classify(dossiers, period, fold, dates)
    table = tabled(classified, period, None, fold, rate)
    months = series(period.start, period.end, "month", session.follows_cutoff)
    earlier = session.comparison
    status = covered(earlier.start, earlier.end, span) if earlier else None
    return _assembled(
        session, table, {by: tabled(classified, period, by, fold, rate).groups for by in GROUPS},
        period_tables(dossiers, months, None, rate, fold, dates).drop(columns="period"), months,
        compare(dossiers, earlier, period, "unit", rate, fold, dates) if status == COVERED else None, status, span,
        (late_table(classified, "unit"), late_table(classified, "field")), screens(classified, period),
        caveats(classified, missing), table.quality(), experience(classified, period, "unit", carried(dossiers)),
        dossiers, missing, catalog, reported, corrections, recommendations,
        None if index_scores is None else (index_scores, dossiers, coverage(dossiers), carried(dossiers)))


GROUPS = ("unit", "field", "level", "channel", "procedure", OFFICIAL)   # the tables a session's outputs print


def engine_session_figures(con, relation: str, session: SupervisionSession, span: tuple | None,
                           scoped_span: tuple | None, carries: dict[str, bool],
                           period_dossiers: Callable[[list[Period]], pd.DataFrame],
                           missing: dict[str, dict[int, str]] | None = None, catalog: Catalog | None = None,
                           reported: ReportedTable | None = None, corrections: RowCorrections | None = None,
                           recommendations: list[Recommendation] | None = None,
                           index_scores: IndexFile | None = None, shown: int = 100) -> SessionFigures:
    """session_figures' figures counted by the engine on `con` over `relation` (the session's dossiers, its filters
    applied: engine.prepared), the dossiers themselves never read but the few a catalog audit, a reported table or
    the national index need (`period_dossiers(periods)`, the periods' dossiers only). `span` and `scoped_span`: the
    months all the data and the session's dossiers cover; `carries`: the columns the session's dossiers carry
    (experience.carried); the screening lists hold their count and first `shown` dossiers."""
    period, rate, fold = session.period, session.rate, session.fold_withdrawn

    def table(by, when=period):
        counted = engine.engine_table(con, when, by, fold, rate, relation)
        return OfficialTable(**{f.name: getattr(counted, f.name) for f in fields(counted)})

    months = series(period.start, period.end, "month", session.follows_cutoff)
    earlier = session.comparison
    status = covered(earlier.start, earlier.end, span) if earlier else None
    lists, late_by_unit, late_by_field, _, _ = engine.engine_inspection(con, period, fold, relation, shown)
    found, left_out = engine.engine_checks(con, period, fold, missing, relation)
    needed = catalog is not None or reported is not None
    index = None if index_scores is None else (
        index_scores, period_dossiers([Period(*index_scores.period(MONTH))]), scoped_span, carries)
    return _assembled(
        session, table(None), {by: table(by).groups for by in GROUPS},
        with_rate(engine.engine_trend(con, months, None, fold, relation), RATES[rate]).drop(columns="period"), months,
        compared(table("unit", earlier), table("unit"), "unit") if status == COVERED else None, status, span,
        (late_by_unit, late_by_field), lists, found, left_out,
        engine.engine_experience(con, period, "unit", fold, relation, carries),
        period_dossiers([period]) if needed else None, missing, catalog, reported, corrections, recommendations,
        index)


def _assembled(session: SupervisionSession, table: OfficialTable, groups: dict[str, pd.DataFrame],
               trend: pd.DataFrame, months: list[Period], comparison: Comparison | None, status: str | None,
               span: tuple | None, late: tuple[pd.DataFrame, pd.DataFrame], lists: list[Screen],
               found: list[Caveat], left_out: dict[str, int], lived: Experience, dossiers: pd.DataFrame | None,
               missing, catalog: Catalog | None, reported: ReportedTable | None,
               corrections: RowCorrections | None, recommendations: list[Recommendation] | None,
               index: tuple | None) -> SessionFigures:
    """A session's figures from its counted parts (pandas' or the engine's), with what is judged from them; the
    catalog audit and the reconciliation over the period's `dossiers`; the national index from (scores, the
    month's dossiers, the months they cover, the columns they carry)."""
    period, rate, fold = session.period, session.rate, session.fold_withdrawn
    corrections = corrections or RowCorrections()
    units, overall = funnel(groups["unit"], rate)
    trend = trend.assign(label=[p.name for p in months])
    earlier = session.comparison
    return SessionFigures(
        session=session, table=table, official=groups[OFFICIAL], by_level=groups["level"], by_unit=groups["unit"],
        by_field=groups["field"], by_channel=groups["channel"],
        trend=trend, trend_months=judgements.months_against_target(trend, session.target),
        units_funnel=units, overall_rate=overall, attention=judgements.attention(units, session.target),
        comparison=comparison, comparison_coverage=status, data_span=span,
        rate_change=judgements.rate_change(comparison.total) if comparison else None,
        overdue_change=judgements.overdue_change(comparison.a.total, table.total) if comparison else None,
        counts_comparable=bool(earlier) and judgements.same_length(earlier, period),
        late_by_unit=late[0], late_by_field=late[1],
        most_late_procedures=judgements.most_late(groups["procedure"], MOST_LATE),
        most_late_fields=judgements.most_late(groups["field"], MOST_LATE),
        screens=lists,
        audit=catalog_audit.audit(dossiers, catalog, period.start, period.end, session.fields, session.levels)
        if catalog is not None else None,
        caveats=found, left_out=left_out,
        reconciliation=reconcile(reported, dossiers, period, "unit", rate=rate, missing=missing,
                                 row_map={**dict(session.row_map), **corrections.matches}, fold_withdrawn=fold,
                                 roles=corrections.roles) if reported else None,
        follow_up=earlier_recommendations(recommendations or [], session),
        experience=lived,
        index=compare_index(index[0], index[1], MONTH, span=index[2], carries=index[3]) if index else None)


def earlier_recommendations(recommendations: list[Recommendation], session: SupervisionSession
                            ) -> tuple[Recommendation, ...]:
    """The recommendations of other sessions made before this session's report (all of theirs when it has no date)."""
    day = session.report_date
    return tuple(r for r in recommendations
                 if r.session != session.name and (day is None or r.asked_on < day))
