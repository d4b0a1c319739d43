"""Citizens' experience of a period (DOMAIN.md, "Citizens' experience"): online end to end or in part, the apology
letters of late dossiers, the ratings of resolved ones, where dossiers were received.

Each measure counts the dossiers of one base set (the online dossiers received in the period, the late ones (10) +
(13), the resolved ones (8)–(10)). A dossier whose export lacks what a measure needs (no letter column, no rating
column, no level, no letter date …) is "unknown" for it: counted apart, never as "no". A measure none of whose base
dossiers is known, or that the data carry nowhere, is None ("không có dữ liệu"), never 0.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.analyses.bieu06 import GROUPINGS, group_label
from analytics.analyses.classification import (
    CELL,
    DossierDates,
    cells,
    with_cells,
    DUE as EFFECTIVE_DUE,
    FINISH,
    LATE,
    PENDING_OVERDUE,
    RECEIVED_IN_PERIOD,
    RESOLVED_CELLS,
)
from analytics.model import schema as s
from analytics.model.periods import Period, series
from analytics.model.unit_names import same_body

BY_CHOICES = ("unit", "field", "level", "procedure")

# The base sets, and the measures over each, in the order outputs print them.
RECEIVED_ONLINE, LATE_TOTAL, RESOLVED_TOTAL, RECEIVED = "received_online", "late_total", "resolved_total", "received"
ONLINE = ["online_full", "online_partial", "online_level_unknown"]
LETTERS = ["late_with_letter", "late_without_letter", "letter_unknown", "letter_known", "letter_after_original_due",
           "letter_date_unknown", "rescheduled_more_than_once", "extensions_unknown", "new_date_missed",
           "new_date_unknown"]
RATINGS = ["rated", "very_satisfied", "satisfied", "dissatisfied", "unrated", "rating_unread", "rating_unknown",
           "rating_known"]
RECEIVING = ["receiving_known", "received_elsewhere"]
COUNT_KEYS = [RECEIVED, RECEIVED_ONLINE, *ONLINE, LATE_TOTAL, *LETTERS, RESOLVED_TOTAL, *RATINGS, *RECEIVING]
# A measure -> (the dossiers it is judged on, those of them the data cannot say about): when all of them are
# unknown, the measure is None. The ratings' shares follow "rated", which holds known dossiers only.
UNKNOWN_OF = {
    "online_full": (RECEIVED_ONLINE, "online_level_unknown"),
    "online_partial": (RECEIVED_ONLINE, "online_level_unknown"),
    "late_with_letter": (LATE_TOTAL, "letter_unknown"), "late_without_letter": (LATE_TOTAL, "letter_unknown"),
    "letter_after_original_due": ("late_with_letter", "letter_date_unknown"),
    "rescheduled_more_than_once": (LATE_TOTAL, "extensions_unknown"),
    "new_date_missed": ("late_with_letter", "new_date_unknown"),
    "rated": (RESOLVED_TOTAL, "rating_unknown"), "unrated": (RESOLVED_TOTAL, "rating_unknown"),
    "received_elsewhere": (RECEIVED, "receiving_unknown"),
}
# The measures, the base each counts over, and what the data must carry for it (the caveat's code).
BASE_OF = {**{k: RECEIVED_ONLINE for k in ("online_full", "online_partial")},
           **{k: LATE_TOTAL for k in ("late_with_letter", "late_without_letter", "rescheduled_more_than_once")},
           "letter_after_original_due": "late_with_letter", "new_date_missed": "late_with_letter",
           **{k: RESOLVED_TOTAL for k in ("rated", "unrated")},
           **{k: "rated" for k in ("very_satisfied", "satisfied", "dissatisfied")},
           "received_elsewhere": "receiving_known"}
MEASURES = list(BASE_OF)
# What each measure needs of the data: a caveat code per need.
NEEDS = {"online_full": "online_level", "online_partial": "online_level",
         "late_with_letter": "letter", "late_without_letter": "letter",
         "letter_after_original_due": "letter_date", "rescheduled_more_than_once": "extensions",
         "new_date_missed": "new_due_date",
         **{k: "rating" for k in ("rated", "very_satisfied", "satisfied", "dissatisfied", "unrated")},
         "received_elsewhere": "receiving_unit"}
# Shares: (numerator, denominator). Online levels are shares of every online dossier (DOMAIN.md: a level not said is
# "online, level unknown"); letters of the late dossiers whose file says whether there was one; ratings of the
# rated; the unrated share of the resolved dossiers whose file has a rating column.
SHARES = {"online_full_share": ("online_full", RECEIVED_ONLINE),
          "online_partial_share": ("online_partial", RECEIVED_ONLINE),
          "late_with_letter_share": ("late_with_letter", "letter_known"),
          "late_without_letter_share": ("late_without_letter", "letter_known"),
          "very_satisfied_share": ("very_satisfied", "rated"), "satisfied_share": ("satisfied", "rated"),
          "dissatisfied_share": ("dissatisfied", "rated"), "unrated_share": ("unrated", "rating_known"),
          "received_elsewhere_share": ("received_elsewhere", "receiving_known")}


def _flags(classified: pd.DataFrame, end) -> dict[str, np.ndarray]:
    """Per dossier, whether it counts in each count of COUNT_KEYS (plus receiving_unknown)."""
    cell = classified[CELL].to_numpy()
    received = classified[RECEIVED_IN_PERIOD].to_numpy(dtype=bool)
    online = received & (classified[s.CHANNEL_CODE].to_numpy(dtype="float", na_value=s.CHANNEL_IN_PERSON)
                         == s.CHANNEL_ONLINE)
    level = classified[s.ONLINE_LEVEL].astype("string")
    late = np.isin(cell, [LATE, PENDING_OVERDUE])
    letter = classified[s.APOLOGY].astype("boolean")
    with_letter = late & letter.fillna(False).to_numpy(dtype=bool)
    letter_date = classified[s.APOLOGY_DATE].to_numpy(dtype="datetime64[D]")
    due = classified[EFFECTIVE_DUE].to_numpy(dtype="datetime64[D]")
    extensions = classified[s.EXTENSIONS].astype("Float64").to_numpy(dtype="float", na_value=np.nan)
    original = classified[s.ORIGINAL_DUE_DATE].to_numpy(dtype="datetime64[D]")
    latest = classified[s.DUE_DATE].to_numpy(dtype="datetime64[D]")
    finish = classified[FINISH].to_numpy(dtype="datetime64[D]")
    # The new date is known when the software kept the original and the due date moved from it.
    new_known = ~np.isnat(original) & ~np.isnat(latest) & (latest != original)
    missed = ((cell == LATE) & (finish > latest)) | ((cell == PENDING_OVERDUE) & (latest < np.datetime64(end, "D")))
    resolved = np.isin(cell, RESOLVED_CELLS)
    rating = classified[s.RATING].astype("Float64").to_numpy(dtype="float", na_value=np.nan)
    receiving, unit = classified[s.RECEIVING_UNIT], classified[s.UNIT]
    receiving_known = received & receiving.notna().to_numpy() & unit.notna().to_numpy()
    elsewhere = receiving_known & ~_same_bodies(receiving, unit)
    return {
        RECEIVED: received, RECEIVED_ONLINE: online,
        "online_full": online & (level == s.ONLINE_FULL).fillna(False).to_numpy(dtype=bool),
        "online_partial": online & (level == s.ONLINE_PARTIAL).fillna(False).to_numpy(dtype=bool),
        "online_level_unknown": online & level.isna().to_numpy(),
        LATE_TOTAL: late, "late_with_letter": with_letter,
        "late_without_letter": late & (letter == False).fillna(False).to_numpy(dtype=bool),  # noqa: E712
        "letter_unknown": late & letter.isna().to_numpy(),
        "letter_known": late & letter.notna().to_numpy(),
        "letter_after_original_due": with_letter & ~np.isnat(letter_date) & (letter_date > due),
        "letter_date_unknown": with_letter & np.isnat(letter_date),
        "rescheduled_more_than_once": late & (extensions >= 2),
        "extensions_unknown": late & np.isnan(extensions),
        "new_date_missed": with_letter & new_known & missed,
        "new_date_unknown": with_letter & ~new_known,
        RESOLVED_TOTAL: resolved,
        "rated": resolved & np.isin(rating, [s.VERY_SATISFIED, s.SATISFIED, s.DISSATISFIED]),
        "very_satisfied": resolved & (rating == s.VERY_SATISFIED),
        "satisfied": resolved & (rating == s.SATISFIED),
        "dissatisfied": resolved & (rating == s.DISSATISFIED),
        "unrated": resolved & (rating <= s.NOT_RATED),
        "rating_unread": resolved & (rating < s.NOT_RATED),
        "rating_unknown": resolved & np.isnan(rating),
        "rating_known": resolved & ~np.isnan(rating),
        "receiving_known": receiving_known, "received_elsewhere": elsewhere,
        "receiving_unknown": received & ~receiving_known,
    }


def _same_bodies(receiving: pd.Series, unit: pd.Series) -> np.ndarray:
    """Per dossier, whether its receiving point is its deciding unit's own desk (unit_names.same_body), judged once
    per distinct pair; a pair with a blank side counts as the same."""
    codes, pairs = pd.MultiIndex.from_arrays([receiving.astype(object), unit.astype(object)]).factorize()
    judged = np.array([pd.isna(r) or pd.isna(u) or same_body(r, u) for r, u in pairs], dtype=bool)
    return judged[codes] if len(judged) else np.ones(len(receiving), dtype=bool)


def carried(dossiers: pd.DataFrame) -> dict[str, bool]:
    """Which needs (NEEDS' codes) the data carry at all: a column read for some dossier."""
    online = dossiers[s.CHANNEL_CODE].to_numpy(dtype="float", na_value=np.nan) == s.CHANNEL_ONLINE
    return {"online_level": bool(dossiers[s.ONLINE_LEVEL][online].notna().any()),
            "letter": bool(dossiers[s.APOLOGY].notna().any()),
            "letter_date": bool(dossiers[s.APOLOGY_DATE].notna().any()),
            "extensions": bool(dossiers[s.EXTENSIONS].notna().any()),
            "new_due_date": bool(dossiers[s.ORIGINAL_DUE_DATE].notna().any()),
            "rating": bool(dossiers[s.RATING].notna().any()),
            "receiving_unit": bool(dossiers[s.RECEIVING_UNIT].notna().any())}


@dataclass(frozen=True)
class Experience:
    period: Period
    by: str | None
    total: dict                 # COUNT_KEYS -> count, MEASURES -> count or None, SHARES -> share or None
    groups: list[dict]          # the same per group, with "name"
    caveats: list[dict]         # {"code", "measures", "count"}: the dossiers a measure could not judge
    carried: dict[str, bool]


def _row(counts: dict[str, int], has: dict[str, bool]) -> dict:
    """Counts with each measure None where the data cannot say (not carried, or no base dossier known)."""
    row = dict(counts)
    for measure in MEASURES:
        judged_on, unknown = UNKNOWN_OF.get(measure, (None, None))
        all_unknown = judged_on is not None and counts[judged_on] > 0 and counts[unknown] >= counts[judged_on]
        if not has[NEEDS[measure]] or all_unknown:
            row[measure] = None
    if row.get("late_with_letter") is None:   # the letter's audit needs the letters
        row["letter_after_original_due"] = row["new_date_missed"] = None
    if row.get("rated") is None:
        for k in ("very_satisfied", "satisfied", "dissatisfied", "unrated"):
            row[k] = None
    for share, (numerator, denominator) in SHARES.items():
        top, bottom = row.get(numerator), row.get(denominator)
        row[share] = top / bottom if top is not None and bottom else None
    return row


def experience(classified: pd.DataFrame, period: Period, by: str | None = None,
               has: dict[str, bool] | None = None) -> Experience:
    """The experience measures of a classified period, in total and per group (`by`: BY_CHOICES).

    `has`: `carried(dossiers)` of the whole data (a measure the data carry nowhere is None in every group)."""
    has = has if has is not None else carried(classified)
    flags = _flags(classified, period.end)
    total_counts = {k: int(v.sum()) for k, v in flags.items()}
    per_group = []
    if by:
        frame = pd.DataFrame(flags)
        frame["key"] = classified[GROUPINGS[by]].to_numpy()
        summed = frame.groupby("key", dropna=False, sort=True).sum()
        per_group = [(key, {k: int(v) for k, v in counts.items()}) for key, counts in summed.iterrows()]
    return of_counts(total_counts, per_group, period, by, has)


def of_counts(total_counts: dict[str, int], per_group: list[tuple], period: Period, by: str | None,
              has: dict[str, bool]) -> Experience:
    """The measures from the counts of every flag (_flags' keys) in total and per group key: what `experience`
    and the engine (engine.engine_experience) both give."""
    groups = []
    for key, counts in per_group:
        if counts[RECEIVED] or counts[LATE_TOTAL] or counts[RESOLVED_TOTAL]:
            groups.append({"name": group_label(None if pd.isna(key) else key, by), **_row(counts, has)})
    groups.sort(key=lambda g: g["name"])
    caveats = []
    for code in dict.fromkeys(NEEDS.values()):
        measures = [m for m in MEASURES if NEEDS[m] == code]
        unknown = max(total_counts[UNKNOWN_OF[m][1]] if m in UNKNOWN_OF else 0 for m in measures)
        if not has[code] or unknown:
            caveats.append({"code": code, "measures": measures, "carried": has[code], "count": unknown})
    if total_counts["rating_unread"]:
        caveats.append({"code": "rating_unread", "measures": ["unrated", "rated"], "carried": True,
                        "count": total_counts["rating_unread"]})
    return Experience(period, by, _row(total_counts, has), groups, caveats, has)


# The columns of the dossiers behind a number (no applicant's data: the record carries none).
DETAIL_COLUMNS = [s.CASE_ID, s.UNIT, s.RECEIVING_UNIT, s.PROCEDURE_NAME, s.RECEIVED_DATE, EFFECTIVE_DUE,
                  s.DUE_DATE, FINISH, s.APOLOGY_DATE, s.EXTENSIONS, s.RATING]


def dossiers_behind(classified: pd.DataFrame, period: Period, count_key: str) -> pd.DataFrame:
    """The period's dossiers counted in one count (COUNT_KEYS), for the inspection team to look up."""
    mask = _flags(classified, period.end)[count_key]
    return classified.loc[mask, [c for c in DETAIL_COLUMNS if c in classified]].reset_index(drop=True)


def receiving_pairs(classified: pd.DataFrame) -> pd.DataFrame:
    """Received in the period at another point than the deciding unit: receiving point, deciding unit, count."""
    flags = _flags(classified, pd.Timestamp.max.date())
    picked = classified.loc[flags["received_elsewhere"], [s.RECEIVING_UNIT, s.UNIT]]
    if picked.empty:
        return pd.DataFrame(columns=[s.RECEIVING_UNIT, s.UNIT, "count"])
    return (picked.astype(str).groupby([s.RECEIVING_UNIT, s.UNIT]).size().rename("count").reset_index()
            .sort_values(["count", s.RECEIVING_UNIT], ascending=[False, True]).reset_index(drop=True))


def online_trend(dossiers: pd.DataFrame, period: Period, freq: str = "month", cutoff: bool = False,
                 dates=None) -> pd.DataFrame:
    """Per month (or quarter) of the period: received online, toàn trình, một phần, level unknown, received in the
    period (the shares' bases). `dates`: classification.DossierDates.of(dossiers), when the caller keeps it."""
    dates = dates if dates is not None else DossierDates.of(dossiers)
    rows = []
    for part in series(period.start, period.end, freq, cutoff):
        flags = _flags(with_cells(dossiers, dates, cells(dates, part)), part.end)
        rows.append({"label": part.name, "start": part.start, "end": part.end, RECEIVED: int(flags[RECEIVED].sum()),
                     **{k: int(flags[k].sum()) for k in (RECEIVED_ONLINE, *ONLINE)}})
    return pd.DataFrame(rows)
