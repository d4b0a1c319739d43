"""Every figure a supervision session's outputs carry, computed once: the written report, the slides, the workbook
and the presentation screen all print these and nothing else, so what the Council reads is what the analyst saw."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.analyses import catalog_audit
from analytics.analyses.bieu06 import OFFICIAL, OfficialTable, official_table, period_totals
from analytics.analyses.caveats import Caveat, caveats
from analytics.analyses.classification import CELL, LATE, PENDING_OVERDUE
from analytics.analyses.comparison import Comparison, compare
from analytics.analyses.filters import Filters
from analytics.analyses.funnel import BELOW, WATCH_BELOW, funnel
from analytics.analyses.late import late_table
from analytics.analyses.reconciliation import Reconciliation, reconcile
from analytics.analyses.screening import Screen, screens
from analytics.model import schema as s
from analytics.model.periods import Period, series
from analytics.model.procedure_catalog import Catalog
from analytics.model.reported import ReportedTable
from analytics.model.session import SupervisionSession

MOST_LATE = 5  # procedures and fields with most late dossiers, on a slide


@dataclass(frozen=True)
class SessionFigures:
    session: SupervisionSession
    table: OfficialTable                 # the period's total (and every dossier's cell)
    official: pd.DataFrame               # Biểu 06 in the form's layout: level › unit › field with subtotals
    by_level: pd.DataFrame
    by_unit: pd.DataFrame
    by_channel: pd.DataFrame
    trend: pd.DataFrame                  # one row per month of the period: label, counts, rate
    units_funnel: pd.DataFrame           # funnel rows per unit (flag, limits)
    overall_rate: float | None
    attention: pd.DataFrame              # units below the target or below the funnel's limits
    comparison: Comparison | None        # against the session's comparison period, by unit
    late_by_unit: pd.DataFrame
    late_by_field: pd.DataFrame
    most_late_procedures: pd.DataFrame   # name, late_total (resolved late + pending overdue), top MOST_LATE
    most_late_fields: pd.DataFrame
    screens: list[Screen]
    audit: dict | None                   # the catalog audit, when the session has a catalog
    caveats: list[Caveat]
    left_out: dict[str, int]             # dossiers left out of the counts, by reason
    reconciliation: Reconciliation | None = None  # the reported table filed for the session, beside the figures

    @property
    def period(self) -> Period:
        return self.session.period

    @property
    def total(self) -> dict:
        return self.table.total

    @property
    def rate(self):
        return self.table.rate


def scoped(dossiers: pd.DataFrame, session: SupervisionSession) -> pd.DataFrame:
    """The session's dossiers: those of the units in scope (every unit when none is named)."""
    return Filters(units=session.units).apply(dossiers) if session.units else dossiers


def _most_late(classified: pd.DataFrame, column: str) -> pd.DataFrame:
    late = classified[classified[CELL].isin([LATE, PENDING_OVERDUE])]
    counts = late[column].fillna(s.MISSING_GROUP).value_counts()
    table = pd.DataFrame({"name": counts.index.astype(str), "late_total": counts.to_numpy()})
    return table.sort_values(["late_total", "name"], ascending=[False, True]).head(MOST_LATE).reset_index(drop=True)


def _attention(units: pd.DataFrame, target: float) -> pd.DataFrame:
    """Units whose rate is under the target, or under the funnel's limits for their volume, worst first."""
    judged = units[units["denominator"] > 0]
    below = judged[(judged["rate"] < target) | judged["flag"].isin([BELOW, WATCH_BELOW])]
    return below.sort_values(["rate", "name"]).reset_index(drop=True)


def session_figures(dossiers: pd.DataFrame, session: SupervisionSession,
                    missing: dict[str, dict[int, str]] | None = None,
                    catalog: Catalog | None = None, reported: ReportedTable | None = None) -> SessionFigures:
    """All figures of a session over the dossiers (due dates already filled from the catalog when wanted);
    `missing`: the columns files lack (see caveats); `catalog`: for the audit of published procedures; `reported`:
    the table the executive filed, reconciled by unit (exact)."""
    dossiers = scoped(dossiers, session)
    period, rate = session.period, session.rate
    table = official_table(dossiers, period, None, rate=rate)
    classified = table.classified
    by_unit = official_table(dossiers, period, "unit", rate=rate).groups
    units, overall = funnel(by_unit, rate)
    months = series(period.start, period.end, "month")
    trend = period_totals(dossiers, months, rate).assign(label=[p.name for p in months])
    return SessionFigures(
        session=session, table=table,
        official=official_table(dossiers, period, OFFICIAL, rate=rate).groups,
        by_level=official_table(dossiers, period, "level", rate=rate).groups, by_unit=by_unit,
        by_channel=official_table(dossiers, period, "channel", rate=rate).groups,
        trend=trend, units_funnel=units, overall_rate=overall, attention=_attention(units, session.target),
        comparison=compare(dossiers, session.comparison, period, "unit", rate) if session.comparison else None,
        late_by_unit=late_table(classified, "unit"), late_by_field=late_table(classified, "field"),
        most_late_procedures=_most_late(classified, s.PROCEDURE_NAME), most_late_fields=_most_late(classified, s.FIELD),
        screens=screens(classified, period),
        audit=catalog_audit.audit(dossiers, catalog, period.start, period.end) if catalog is not None else None,
        caveats=caveats(classified, missing), left_out=table.quality(),
        reconciliation=reconcile(reported, dossiers, period, "unit", rate=rate, missing=missing) if reported else None)
