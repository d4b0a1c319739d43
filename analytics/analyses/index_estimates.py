"""The national index's official scores beside estimates from the dossiers of the same bodies and period (issue 19).

A body of the score file is matched to a unit of the data by name (model.unit_names, one to one; a name fitting
two units is not guessed); a body named by the user stands for the whole data. For each group dossiers can estimate
(model.national_index.ESTIMATE_FORMULAS) the estimate, its base and, for the progress group, its 95% interval. The
two part when the gap exceeds PART_SHARE of the group's points, the base reaches MIN_JUDGEABLE and, where there is
an interval, the official score lies outside it: only then is there a prompt.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.analyses.bieu06 import official_table
from analytics.analyses.experience import carried, experience
from analytics.analyses.stats import MIN_JUDGEABLE, wilson_interval
from analytics.analyses.trends import COVERED, coverage, covered
from analytics.model.national_index import ESTIMATED, GROUP_BY_KEY, PART_SHARE, YEAR, IndexFile, Score
from analytics.model.periods import Period
from analytics.model.unit_names import match_names

WHOLE_DATA = "*"   # the group name standing for every dossier (a body the user named)
# Why an estimate is missing: no dossiers in its base; the data lack the ratings; the data do not cover the period.
NO_BASE, NO_RATINGS, NOT_COVERED = "no_base", "no_ratings", "not_covered"


@dataclass(frozen=True)
class Estimate:
    group: str
    points: float | None
    base: int                     # the dossiers it rests on
    low: float | None = None      # its 95% interval, in points (progress only)
    high: float | None = None
    missing: str | None = None    # NO_BASE, NO_RATINGS, NOT_COVERED


@dataclass
class BodyComparison:
    score: Score
    unit: str | None              # the data's unit (WHOLE_DATA for the whole data), None when not matched
    how: str = ""                 # how the name was matched
    estimates: dict[str, Estimate] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)   # the groups where official and estimate part

    def gap(self, group: str) -> float | None:
        estimate = self.estimates.get(group)
        official = self.score.groups.get(group)
        if estimate is None or estimate.points is None or official is None:
            return None
        return official - estimate.points


@dataclass
class IndexComparison:
    scores: IndexFile
    scope: str
    period: Period
    bodies: list[BodyComparison]  # every body of the scope's sheets, matched or not
    coverage: str                 # trends.COVERED / PARTLY / NOT_COVERED


def _estimates(counts: dict, lived: dict, covered_period: bool) -> dict[str, Estimate]:
    if not covered_period:
        return {g: Estimate(g, None, 0, missing=NOT_COVERED) for g in ESTIMATED}
    workload = counts["resolved_total"] + counts["pending_total"]
    on_time = counts["resolved_early"] + counts["resolved_on_time"] + counts["pending_in_time"]
    late = counts["resolved_late"] + counts["pending_overdue"]
    new = counts["received_online"] + counts["received_direct_postal"]
    out = {}
    if workload:
        interval = wilson_interval(on_time, workload)
        out["progress"] = Estimate("progress", 20 * on_time / workload, workload, 20 * interval[0], 20 * interval[1])
    else:
        out["progress"] = Estimate("progress", None, 0, missing=NO_BASE)
    dissatisfied = lived.get("dissatisfied")
    if not workload or not counts["resolved_total"]:
        out["satisfaction"] = Estimate("satisfaction", None, workload, missing=NO_BASE)
    elif dissatisfied is None:
        out["satisfaction"] = Estimate("satisfaction", None, workload, missing=NO_RATINGS)
    else:
        share = 1 - late / workload - dissatisfied / counts["resolved_total"]
        out["satisfaction"] = Estimate("satisfaction", 18 * max(0.0, share), workload)
    out["online"] = (Estimate("online", 12 * counts["received_online"] / new, new) if new
                     else Estimate("online", None, 0, missing=NO_BASE))
    return out


def _parts(body: BodyComparison) -> list[str]:
    out = []
    for group, estimate in body.estimates.items():
        gap = body.gap(group)
        if gap is None or abs(gap) <= PART_SHARE * GROUP_BY_KEY[group].points or estimate.base < MIN_JUDGEABLE:
            continue
        official = body.score.groups[group]
        if estimate.low is not None and estimate.low <= official <= estimate.high:
            continue
        out.append(group)
    return out


def compare_index(scores: IndexFile, dossiers: pd.DataFrame, scope: str, whole_data_body: str | None = None,
                  row_map: dict[str, str] | None = None, span: tuple | None = None,
                  carries: dict[str, bool] | None = None) -> IndexComparison:
    """The official scores of one scope (YEAR, or MONTH: every sheet not of the year) beside estimates from `dossiers`.

    `whole_data_body`: the body of the file whose score the whole data stand for (the province, or a commune whose
    export this is); `row_map`: a body's name -> a unit of the data, as the user corrected it; `span` and `carries`:
    the months the whole data cover (trends.coverage) and the columns they carry (experience.carried), when
    `dossiers` are only the month's (engine.period_dossiers)."""
    start, end = scores.period(scope)
    period = Period(start, end)
    span = covered(start, end, span if span is not None else coverage(dossiers))
    table = official_table(dossiers, period, "unit")
    lived = experience(table.classified, period, "unit", carries if carries is not None else carried(dossiers))
    by_unit = {r["name"]: r for r in table.groups.to_dict("records")}
    lived_by_unit = {g["name"]: g for g in lived.groups}
    chosen = [s for s in scores.scores if (s.scope == YEAR) == (scope == YEAR)]
    names = [s.name for s in chosen]
    matches = match_names(names, list(by_unit), row_map)
    bodies = []
    for n, score in enumerate(chosen):
        if whole_data_body and score.name == whole_data_body:
            body = BodyComparison(score, WHOLE_DATA, "user", _estimates(table.total, lived.total, span == COVERED))
        elif n in matches.matched:
            unit, how = matches.matched[n]
            body = BodyComparison(score, unit, how, _estimates(by_unit[unit], lived_by_unit.get(unit, {}),
                                                               span == COVERED))
        else:
            body = BodyComparison(score, None)
        body.parts = _parts(body)
        bodies.append(body)
    return IndexComparison(scores, scope, period, bodies, span)

