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
                    index_scores: IndexFile | None = None, span: tuple | None = None,
                    scoped_span: tuple | None = None, carries: dict[str, bool] | None = None) -> SessionFigures:
    """All figures of a session over the dossiers (due dates already filled as `prepared` does); `missing`: the
    columns files lack (see caveats); `catalog`: for the audit of published procedures; `reported`: the table the
    executive filed, reconciled by unit with the matches and row roles remembered for it (`corrections`, as the
    Đối chiếu screen and `reconcile` use them), the session's own matches under them; `recommendations`: every
    recommendation in the store, of which the report carries those earlier sessions made (follow_up);
    `index_scores`: the national index's scores of a month inside the period (Store.index_inside); `span`,
    `scoped_span` and `carries`: the months all the data and the session's dossiers cover, and the columns the
    session's dossiers carry (experience.carried), when `dossiers` are only those of the session's periods
    (engine.period_dossiers)."""
    span = span if span is not None else coverage(dossiers)  # of all the data: a unit without dossiers in a month
    dossiers = scoped(dossiers, session)                      # is still covered
    scoped_span = scoped_span if scoped_span is not None else coverage(dossiers)
    carries = carries if carries is not None else carried(dossiers)
    period, rate, fold = session.period, session.rate, session.fold_withdrawn
    dates = DossierDates.of(dossiers)
    corrections = corrections or RowCorrections()
    classified = classify(dossiers, period, fold, dates)
    table = tabled(classified, period, None, fold, rate)
    by_unit = tabled(classified, period, "unit", fold, rate).groups
    by_field = tabled(classified, period, "field", fold, rate).groups
    units, overall = funnel(by_unit, rate)
    months = series(period.start, period.end, "month", session.follows_cutoff)
    trend = period_tables(dossiers, months, None, rate, fold, dates).drop(columns="period")
    trend = trend.assign(label=[p.name for p in months])
    earlier = session.comparison
    status = covered(earlier.start, earlier.end, span) if earlier else None
    comparison = compare(dossiers, earlier, period, "unit", rate, fold, dates) if status == COVERED else None
    return SessionFigures(
        session=session, table=table,
        official=tabled(classified, period, OFFICIAL, fold, rate).groups,
        by_level=tabled(classified, period, "level", fold, rate).groups, by_unit=by_unit, by_field=by_field,
        by_channel=tabled(classified, period, "channel", fold, rate).groups,
        trend=trend, trend_months=judgements.months_against_target(trend, session.target),
        units_funnel=units, overall_rate=overall, attention=judgements.attention(units, session.target),
        comparison=comparison, comparison_coverage=status, data_span=span,
        rate_change=judgements.rate_change(comparison.total) if comparison else None,
        overdue_change=judgements.overdue_change(comparison.a.total, table.total) if comparison else None,
        counts_comparable=bool(earlier) and judgements.same_length(earlier, period),
        late_by_unit=late_table(classified, "unit"), late_by_field=late_table(classified, "field"),
        most_late_procedures=judgements.most_late(tabled(classified, period, "procedure", fold, rate).groups,
                                                  MOST_LATE),
        most_late_fields=judgements.most_late(by_field, MOST_LATE),
        screens=screens(classified, period),
        audit=catalog_audit.audit(dossiers, catalog, period.start, period.end, session.fields, session.levels)
        if catalog is not None else None,
        caveats=caveats(classified, missing), left_out=table.quality(),
        reconciliation=reconcile(reported, dossiers, period, "unit", rate=rate, missing=missing,
                                 row_map={**dict(session.row_map), **corrections.matches}, fold_withdrawn=fold,
                                 roles=corrections.roles) if reported else None,
        follow_up=earlier_recommendations(recommendations or [], session),
        experience=experience(classified, period, "unit", carries),
        index=compare_index(index_scores, dossiers, MONTH, span=scoped_span, carries=carries)
        if index_scores is not None else None)


def engine_session_figures(con, relation: str, session: SupervisionSession, span: tuple | None,
                           scoped_span: tuple | None, carries: dict[str, bool],
                           period_dossiers: Callable[[list[Period]], pd.DataFrame],
                           missing: dict[str, dict[int, str]] | None = None, catalog: Catalog | None = None,
                           reported: ReportedTable | None = None, corrections: RowCorrections | None = None,
                           recommendations: list[Recommendation] | None = None,
                           index_scores: IndexFile | None = None, shown: int = 100) -> SessionFigures:
    """session_figures' figures counted by the engine on `con` over `relation` (the session's dossiers, its filters
    applied: engine.prepared), the dossiers themselves never read but the few a catalog audit, a reported table or
    the national index need (`period_dossiers(periods)`, the periods' dossiers only). `span`, `scoped_span` and
    `carries` as session_figures; the screening lists hold their count and first `shown` dossiers."""
    period, rate, fold = session.period, session.rate, session.fold_withdrawn
    corrections = corrections or RowCorrections()

    def table(by, when=period):
        counted = engine.engine_table(con, when, by, fold, rate, relation)
        return OfficialTable(**{f.name: getattr(counted, f.name) for f in fields(counted)})

    total = table(None)
    by_unit, by_field = table("unit").groups, table("field").groups
    units, overall = funnel(by_unit, rate)
    months = series(period.start, period.end, "month", session.follows_cutoff)
    trend = with_rate(engine.engine_trend(con, months, None, fold, relation), RATES[rate]).drop(columns="period")
    trend = trend.assign(label=[p.name for p in months])
    earlier = session.comparison
    status = covered(earlier.start, earlier.end, span) if earlier else None
    comparison = None
    if status == COVERED:
        comparison = compared(table("unit", earlier), table("unit"), "unit")
    lists, late_by_unit, late_by_field, _, _ = engine.engine_inspection(con, period, fold, relation, shown)
    found, left_out = engine.engine_checks(con, period, fold, missing, relation)
    needed = catalog is not None or reported is not None
    dossiers = period_dossiers([period]) if needed else None
    return SessionFigures(
        session=session, table=total, official=table(OFFICIAL).groups, by_level=table("level").groups,
        by_unit=by_unit, by_field=by_field, by_channel=table("channel").groups,
        trend=trend, trend_months=judgements.months_against_target(trend, session.target),
        units_funnel=units, overall_rate=overall, attention=judgements.attention(units, session.target),
        comparison=comparison, comparison_coverage=status, data_span=span,
        rate_change=judgements.rate_change(comparison.total) if comparison else None,
        overdue_change=judgements.overdue_change(comparison.a.total, total.total) if comparison else None,
        counts_comparable=bool(earlier) and judgements.same_length(earlier, period),
        late_by_unit=late_by_unit, late_by_field=late_by_field,
        most_late_procedures=judgements.most_late(table("procedure").groups, MOST_LATE),
        most_late_fields=judgements.most_late(by_field, MOST_LATE),
        screens=lists,
        audit=catalog_audit.audit(dossiers, catalog, period.start, period.end, session.fields, session.levels)
        if catalog is not None else None,
        caveats=found, left_out=left_out,
        reconciliation=reconcile(reported, dossiers, period, "unit", rate=rate, missing=missing,
                                 row_map={**dict(session.row_map), **corrections.matches}, fold_withdrawn=fold,
                                 roles=corrections.roles) if reported else None,
        follow_up=earlier_recommendations(recommendations or [], session),
        experience=engine.engine_experience(con, period, "unit", fold, relation, carries),
        index=compare_index(index_scores, period_dossiers([Period(*index_scores.period(MONTH))]), MONTH,
                            span=scoped_span, carries=carries) if index_scores is not None else None)


def earlier_recommendations(recommendations: list[Recommendation], session: SupervisionSession
                            ) -> tuple[Recommendation, ...]:
    """The recommendations of other sessions made before this session's report (all of theirs when it has no date)."""
    day = session.report_date
    return tuple(r for r in recommendations
                 if r.session != session.name and (day is None or r.asked_on < day))
