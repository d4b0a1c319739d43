"""What the procedure catalog lets the council check, matched to the dossiers (by procedure code first, then by
name): each dossier's legal due date (the received date plus the time limit in working days); due dates promised
later than the law allows; due dates an export lacks (filled in and marked as computed); published procedures that
no dossier used.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from analytics.model import schema as s
from analytics.model.procedure_catalog import TIME_LIMIT_DAYS, Catalog, code_keys
from analytics.model.text_keys import plain_key
from analytics.model.workdays import add_working_days, in_calendar, working_days_elapsed

# Columns of `match_procedures` and the derived dossier columns.
CATALOG_ROW = "catalog_row"            # position of the matched procedure in `Catalog.procedures`
MATCHED_BY = "matched_by"              # "code" or "name"
CATALOG_LEVEL = "catalog_level"
LEGAL_DUE_DATE = "legal_due_date"
DUE_DATE_COMPUTED = "due_date_computed"

# The audit's lists, as the report names them.
UNUSED_PROCEDURES = "unused_procedures"
DUE_LATER_THAN_LEGAL = "due_later_than_legal"
DUE_DATES_COMPUTED = "due_dates_computed"
RECEIVED_OUTSIDE_CALENDAR = "received_outside_calendar"
# --- Matching dossiers -------------------------------------------------------------------------------------------

def _name_keys(names: pd.Series) -> pd.Series:
    """Names as compared: without diacritics, case or spacing (plain_key), worked out once per distinct name."""
    keys = {name: plain_key(name) or pd.NA for name in names.dropna().unique()}
    return names.map(keys).astype("string")


def _first_position(keys: pd.Series) -> dict[str, int]:
    """Key -> position of its first procedure."""
    positions = pd.Series(np.arange(len(keys)), index=keys.to_numpy())
    positions = positions[keys.notna().to_numpy()]
    return positions[~positions.index.duplicated()].to_dict()


_LEVEL_PARTS = re.compile(r"[,;/]")


def _level_key(level: str) -> str:
    """A level as compared: "Cấp huyện", "cấp Huyện" and "Huyện" all read "huyen"."""
    key = plain_key(level)
    return key[len("cap "):] if key.startswith("cap ") else key


def _level_keys(levels: pd.Series) -> pd.Series:
    """Each level's key (NA when blank), worked out once per distinct level."""
    keys = {level: _level_key(level) or pd.NA for level in levels.dropna().unique()}
    return levels.map(keys).astype("string")


def _first_position_by_level(names: pd.Series, levels: pd.Series) -> dict[str, int]:
    """"name key|level key" -> position of the first procedure of that name at that level. A catalog level that
    lists several ("Cấp huyện, Cấp xã") counts for each."""
    out = {}
    for position, (name, level) in enumerate(zip(names, levels)):
        if pd.isna(name) or pd.isna(level):
            continue
        for part in _LEVEL_PARTS.split(str(level)):
            if _level_key(part):
                out.setdefault(f"{name}|{_level_key(part)}", position)
    return out


def _by_name(dossiers: pd.DataFrame, procedures: pd.DataFrame) -> pd.Series:
    """Each dossier's catalog position by name. When the catalog lists the name at several levels (chứng thực at
    huyện and xã), the procedure at the dossier's own level; with no level in common, the first of that name."""
    names = _name_keys(dossiers[s.PROCEDURE_NAME])
    catalog_names = _name_keys(procedures[s.PROCEDURE_NAME])
    first = names.map(_first_position(catalog_names))
    at_level = (names + "|" + _level_keys(dossiers[s.LEVEL])).map(
        _first_position_by_level(catalog_names, procedures[s.LEVEL]))
    return at_level.fillna(first)


def match_procedures(dossiers: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Each dossier's procedure in the catalog, by procedure code first, then by name (at the dossier's level when
    the name repeats); NA when unmatched.

    Columns: catalog_row (position in `catalog.procedures`), matched_by, time_limit_days, catalog_level.
    """
    procedures = catalog.procedures
    by_code = code_keys(dossiers[s.PROCEDURE_CODE]).map(_first_position(code_keys(procedures[s.PROCEDURE_CODE])))
    by_name = _by_name(dossiers, procedures)
    row = by_code.fillna(by_name).astype("Int64")
    positions = row.fillna(-1).to_numpy(dtype=int)
    return pd.DataFrame({
        CATALOG_ROW: row,
        MATCHED_BY: pd.Series(np.where(by_code.notna(), "code", np.where(by_name.notna(), "name", None)),
                              index=dossiers.index, dtype="string"),
        TIME_LIMIT_DAYS: procedures[TIME_LIMIT_DAYS].array.take(positions, allow_fill=True),
        CATALOG_LEVEL: procedures[s.LEVEL].array.take(positions, allow_fill=True),
    }, index=dossiers.index)


def _legal_due(dossiers: pd.DataFrame, limits: pd.Series) -> pd.Series:
    due = add_working_days(dossiers[s.RECEIVED_DATE], limits.to_numpy(dtype=float, na_value=np.nan))
    return pd.Series(due.astype("datetime64[s]"), index=dossiers.index, name=LEGAL_DUE_DATE)


def legal_due_dates(dossiers: pd.DataFrame, catalog: Catalog) -> pd.Series:
    """Each dossier's legal due date: the received date plus its procedure's limit in working days.

    NaT when the procedure is not in the catalog or has no limit.
    """
    return _legal_due(dossiers, match_procedures(dossiers, catalog)[TIME_LIMIT_DAYS])


def _actually_received(dossiers: pd.DataFrame) -> np.ndarray:
    """Dossiers actually received: status not 1 or 3 (a dossier refused at intake has no due date by right)."""
    return ~dossiers[s.STATUS_CODE].isin(s.STATUS_NOT_RECEIVED).to_numpy(dtype=bool, na_value=False)


def _due_date_missing(dossiers: pd.DataFrame, legal: pd.Series) -> pd.Series:
    """Received dossiers with neither due date nor original due date, whose legal due date is known."""
    no_due = dossiers[s.DUE_DATE].isna() & dossiers[s.ORIGINAL_DUE_DATE].isna()
    return no_due & legal.notna() & _actually_received(dossiers)


def computed_marks(dossiers: pd.DataFrame) -> np.ndarray:
    """Where the due date was filled from the catalog (the `due_date_computed` marker; none when never filled)."""
    if DUE_DATE_COMPUTED not in dossiers:
        return np.zeros(len(dossiers), dtype=bool)
    return dossiers[DUE_DATE_COMPUTED].to_numpy(dtype=bool, na_value=False)


def fill_missing_due_dates(dossiers: pd.DataFrame, catalog: Catalog) -> tuple[pd.DataFrame, int]:
    """(a copy of the dossiers with missing due dates set to the legal due date, how many due dates it holds that
    came from the catalog).

    The copy has a boolean column `due_date_computed`, True where the due date comes from the catalog (kept from an
    earlier filling too): the audit and the caveats read it, so that a computed due date is never called missing.
    A received date outside the working-day calendar gets no legal due date (`workdays.add_working_days`), so none
    is filled.
    """
    legal = legal_due_dates(dossiers, catalog)
    computed = _due_date_missing(dossiers, legal)
    out = dossiers.copy()
    out[s.DUE_DATE] = out[s.DUE_DATE].mask(computed, legal)
    marks = computed_marks(dossiers) | computed.to_numpy(dtype=bool)
    out[DUE_DATE_COMPUTED] = marks
    return out, int(marks.sum())


# --- The audit ---------------------------------------------------------------------------------------------------

def _iso(dates: pd.Series) -> list[str]:
    return dates.dt.strftime("%Y-%m-%d").tolist()


def _or_none(value):
    return None if pd.isna(value) else value


def audit(dossiers: pd.DataFrame, catalog: Catalog, start: dt.date | str, end: dt.date | str,
          fields: tuple[str, ...] = (), levels: tuple[str, ...] = ()) -> dict:
    """The catalog checks over the dossiers received in [start, end] (calendar dates, status not 1/3), JSON-ready.

    - unused_procedures: catalog procedures no such dossier used, counted by the catalog's level text; with
      `fields` or `levels` (the dossiers were filtered so), only the catalog's procedures of those fields and levels
      (a filter on Hộ tịch does not make every land procedure "unused");
    - due_later_than_legal: dossiers whose due date given at receipt (the original due date when exported, else the
      due date) is later than the legal due date, by working days over, most first;
    - due_dates_computed: how many of them had no due date and get one from the catalog: those the filling
      already gave one (`due_date_computed`, when the dossiers were filled first, as the dashboard, `--catalog` and
      a session's documents do) and those still without one that it would give one;
    - received_outside_calendar: how many of them have a procedure with a time limit but a received date outside the
      working-day calendar (`workdays.FIRST_YEAR`–`LAST_YEAR`): their legal due date is not computed, never guessed.
    """
    received = dossiers[s.RECEIVED_DATE].to_numpy(dtype="datetime64[D]")
    period = dossiers[(received >= np.datetime64(start, "D")) & (received <= np.datetime64(end, "D"))
                      & _actually_received(dossiers)]
    matched = match_procedures(period, catalog)
    legal = _legal_due(period, matched[TIME_LIMIT_DAYS])
    limited = matched[TIME_LIMIT_DAYS].notna().to_numpy()
    return {
        UNUSED_PROCEDURES: _unused_procedures(catalog.procedures, matched[CATALOG_ROW], fields, levels),
        DUE_LATER_THAN_LEGAL: _due_later_than_legal(period, legal),
        DUE_DATES_COMPUTED: int((computed_marks(period) | _due_date_missing(period, legal).to_numpy()).sum()),
        RECEIVED_OUTSIDE_CALENDAR: int((limited & ~in_calendar(period[s.RECEIVED_DATE])).sum()),
    }


def _unused_procedures(procedures: pd.DataFrame, used_rows: pd.Series, fields: tuple[str, ...] = (),
                       levels: tuple[str, ...] = ()) -> dict:
    used = np.zeros(len(procedures), dtype=bool)
    used[used_rows.dropna().to_numpy(dtype=int)] = True
    in_scope = np.ones(len(procedures), dtype=bool)
    for column, chosen in ((s.FIELD, fields), (s.LEVEL, levels)):
        if chosen:
            in_scope &= procedures[column].fillna(s.MISSING_GROUP).isin(chosen).to_numpy()
    procedures, used = procedures[in_scope], used[in_scope]
    level_of = procedures[s.LEVEL].fillna(s.MISSING_GROUP)
    by_level = pd.Series(~used, index=level_of.to_numpy()).groupby(level=0, sort=False).sum()
    unused = procedures[~used]
    return {
        "count": int((~used).sum()),
        "by_level": {level: int(n) for level, n in by_level.items()},
        "items": [{"procedure_code": _or_none(code), "procedure_name": _or_none(name), "field": _or_none(field),
                   "level": _or_none(level)}
                  for code, name, field, level in zip(unused[s.PROCEDURE_CODE], unused[s.PROCEDURE_NAME],
                                                      unused[s.FIELD], unused[s.LEVEL])],
    }


def unused_by_field(items: list[dict]) -> pd.DataFrame:
    """The unused procedures (the audit's items) counted by field and level: one row per field, most first (ties by
    name), a column per level and "total"; a blank field or level reads "(Không ghi)"."""
    if not items:
        return pd.DataFrame(columns=["total"])
    frame = pd.DataFrame({"field": [item.get("field") or s.MISSING_GROUP for item in items],
                          "level": [item.get("level") or s.MISSING_GROUP for item in items]})
    counts = pd.crosstab(frame["field"], frame["level"])
    counts["total"] = counts.sum(axis=1)
    counts = counts.sort_index(kind="stable")
    return counts.sort_values("total", ascending=False, kind="stable")


def _due_later_than_legal(dossiers: pd.DataFrame, legal: pd.Series) -> dict:
    given = dossiers[s.ORIGINAL_DUE_DATE].fillna(dossiers[s.DUE_DATE])
    # A due date computed from the catalog is the legal one: nothing to audit.
    later = (given > legal).to_numpy(dtype=bool) & ~computed_marks(dossiers)
    over = working_days_elapsed(legal[later], given[later])
    # A promise after the calendar's last year (a typo such as 2091): later than the law, by a count not known.
    over = np.where(np.isnan(over) & ~in_calendar(given[later]), np.inf, over)
    items = pd.DataFrame({
        "case_id": dossiers[s.CASE_ID][later].to_numpy(dtype=object),
        "received_date": _iso(dossiers[s.RECEIVED_DATE][later]),
        "due_date": _iso(given[later]),
        "legal_due_date": _iso(legal[later]),
        "working_days_over": over,
    })
    # A promise on a day off right after the legal date (Saturday after Friday) gives no working day more.
    items = items[items["working_days_over"] > 0].sort_values(["working_days_over", "case_id"],
                                                              ascending=[False, True])
    items["working_days_over"] = [int(n) if np.isfinite(n) else None for n in items["working_days_over"]]
    return {"count": len(items), "items": items.to_dict("records")}
