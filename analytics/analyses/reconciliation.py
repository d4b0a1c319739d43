"""Reported against recomputed (issue 10, item 3): a body's own report table set beside Biểu 06 recomputed from its
dossiers, cell by cell, with the likely causes of the differences that the data can show.

The recomputed side is exactly `bieu06.official_table(dossiers, period, by, fold_withdrawn, rate)`, what `report`
prints. The table's structure is read first (analyses.reported_structure): its unit rows are matched to the groups
by name (model.unit_names), the grand total to the recomputed total, a subtotal naming a level to the recomputed
level; a subtotal is never matched to a unit. A total's or subtotal's difference that the rows under it account for
(their own differences, its own sum break, rows and groups left unmatched) is *explained*: shown, not counted again
(issue 17: a body's one wrong figure is reported once, where it is). A cause is named
only when the figures show its pattern and the dossiers bear it out (`CAUSES`, docs/RULES.md "Reconciling a reported
table"); nothing here looks at today's date: "later" means the latest date in the data.

Everything here is codes, figures and evidence; outputs.causes and outputs.reported_words say them in Vietnamese.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.analyses.bieu06 import COUNT_KEYS, GROUPINGS, OfficialTable, official_table, tabled
from analytics.analyses.caveats import Caveat, caveats
from analytics.analyses.classification import (
    CELL,
    DUE,
    EXCLUDED,
    FINISH,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    REASON,
    REASONS,
    UNPLACEABLE,
    WITHDRAWN,
    DossierDates,
)
from analytics.analyses.report_arithmetic import SUBTOTAL_SUM, TOTAL_SUM, Break, arithmetic_breaks
from analytics.analyses.reported_structure import Structure, structure
from analytics.model import schema as s
from analytics.model.periods import Period, named
from analytics.model.rates import RESOLVED
from analytics.model.reported import BIEU06_KEYS, DERIVED, WAITING_SUPPLEMENTS, ReportedTable
from analytics.model.reported import NAME as NAME_COLUMN
from analytics.model.unit_names import match_names

BY = ("unit", "field", "level")
TOTAL = "Tổng cộng"          # what the reported total row is matched to: the recomputed total
NEAR = 0.05                  # "about as much": two gaps within the tolerance, or within 5% of the larger one
TOTAL_MATCH = "total"        # how the total row is matched (the others: model.unit_names' ways)
LEVEL_MATCH = "level"        # how a subtotal naming a level is set beside the recomputed level

# The causes the data can show (docs/RULES.md, "Reconciling a reported table").
PENDING_JUDGED_LATER = "pending_judged_later"
SUPPLEMENTS_APART = "supplements_apart"
WITHDRAWN_FOLDED = "withdrawn_folded"
LEFT_OUT = "left_out"
PERIOD_MISMATCH = "period_mismatch"
CARRIED_OVER_TODAY = "carried_over_today"
CAUSES = [PENDING_JUDGED_LATER, SUPPLEMENTS_APART, WITHDRAWN_FOLDED, LEFT_OUT, PERIOD_MISMATCH, CARRIED_OVER_TODAY]


@dataclass(frozen=True)
class Cell:
    reported: float | None          # None: the reported cell is blank
    recomputed: int
    difference: float | None        # reported − recomputed
    within_tolerance: bool | None   # |difference| <= tolerance; None when the reported cell is blank
    rows_below: float | None = None  # a total's or subtotal's: the sum of its matched rows' differences
    explained: bool = False         # a total's or subtotal's difference its rows account for: not counted again

    @property
    def differs(self) -> bool:
        """A difference to report: outside the tolerance and not explained by the rows below."""
        return self.within_tolerance is False and not self.explained


@dataclass(frozen=True)
class ReconciledRow:
    name: str                       # as the reported table writes it
    sheet_row: int | None           # its row on the reported sheet
    matched_to: str                 # the group of the data (TOTAL for the total row)
    how: str                        # model.unit_names' EXACT … SHORT_FORM, LOCATION, ROW_MAP; TOTAL_MATCH
    is_total: bool
    cells: dict[str, Cell]          # key -> the cell, in the table's key order


@dataclass(frozen=True)
class ReconciledSubtotal:
    """A subtotal row: what it stands for, its own sum (report_arithmetic's SUBTOTAL_SUM breaks) and, when the data
    have the level it names, its figures beside the recomputed level."""
    name: str
    sheet_row: int | None
    how: str                        # reported_structure's BY_…
    direction: str                  # its rows BELOW or ABOVE it
    level: str | None               # the level it names
    members: list[str]              # its unit rows' names
    breaks: list[Break]             # where it is not the sum of its rows
    compared: ReconciledRow | None  # beside the recomputed level (matched_to the level), when the data have it


@dataclass(frozen=True)
class UnmatchedReported:
    name: str
    sheet_row: int | None
    code: str                       # why it matched nothing: model.unit_names' codes (outputs.reported_words)
    evidence: dict = field(default_factory=dict)   # the names behind it


@dataclass(frozen=True)
class UnmatchedRecomputed:
    name: str
    received_total: int             # (3) of the group nobody reported


@dataclass(frozen=True)
class Cause:
    code: str                       # one of CAUSES (outputs.causes says it in words)
    rows: list[str]                 # the reported rows where the data show it (the total row last)
    keys: list[str]                 # the cells it explains
    evidence: dict                  # the figures behind it (per row under "rows"), plain data
    figures: dict = field(default_factory=dict)  # what its sentence says: the total row's figures when it shows
    #                                 there, else the sum over its rows; with the dates and periods it names
    on_total: bool = False          # it shows on the total row (the last of `rows`)


@dataclass(frozen=True)
class Reconciliation:
    period: Period
    by: str
    tolerance: float
    keys: list[str]                 # the keys compared, in the form's order
    rows: list[ReconciledRow]       # matched rows in the table's order, the total row last
    breaks: list[Break]             # the reported table's own arithmetic (report_arithmetic)
    unmatched_reported: list[UnmatchedReported]
    unmatched_recomputed: list[UnmatchedRecomputed]
    causes: list[Cause]
    left_out: dict[str, int]        # the recomputation's left-out dossiers by reason (OfficialTable.quality())
    recomputed: OfficialTable
    table: ReportedTable
    rate: str = RESOLVED.name
    fold_withdrawn: bool = False
    latest_date: dt.date | None = None   # the latest received/completed/returned date in the data
    caveats: list[Caveat] = field(default_factory=list)
    unused_row_map: list[tuple[str, str]] = field(default_factory=list)  # row-map entries naming no reported row
    stale_row_map: list[tuple[str, str]] = field(default_factory=list)   # entries whose group the data lack here
    subtotals: list[ReconciledSubtotal] = field(default_factory=list)
    shape: Structure | None = None  # the table's structure as read (the notices say what was inferred)

    def compared_rows(self) -> list[ReconciledRow]:
        """The units, the subtotals set beside a level, and the total last."""
        units = [r for r in self.rows if not r.is_total]
        return units + [t.compared for t in self.subtotals if t.compared is not None] + \
            [r for r in self.rows if r.is_total]

    @property
    def differences(self) -> int:
        """Cells outside the tolerance that their rows below do not explain."""
        return sum(c.differs for r in self.compared_rows() for c in r.cells.values())

    @property
    def explained(self) -> int:
        """Cells of the total and subtotals outside the tolerance only because of the rows under them."""
        return sum(c.within_tolerance is False and c.explained for r in self.compared_rows() for c in r.cells.values())

    @property
    def sum_breaks(self) -> list[Break]:
        """The table's own sums that break: its grand total and subtotals against their rows."""
        return [b for b in self.breaks if b.kind in (TOTAL_SUM, SUBTOTAL_SUM)]

    @property
    def compared(self) -> int:
        """Reported cells set beside a recomputed figure (a blank reported cell is shown, not compared)."""
        return sum(c.within_tolerance is not None for r in self.rows for c in r.cells.values())

    @property
    def confirmed(self) -> int:
        """Reported cells the dossiers confirm: within the tolerance."""
        return sum(c.within_tolerance is True for r in self.rows for c in r.cells.values())

    def differing(self) -> list[tuple[ReconciledRow, str, Cell]]:
        """The cells to report as (row, key, cell), the largest difference first (ties in the table's order)."""
        cells = [(row, key, cell) for row in self.compared_rows() for key, cell in row.cells.items() if cell.differs]
        return sorted(cells, key=lambda item: -abs(item[2].difference))


# --- The comparison ---------------------------------------------------------------------------------------------

def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def compared_keys(table: ReportedTable) -> list[str]:
    """The keys of the table that have a recomputed figure: Biểu 06's, and the sums in DERIVED."""
    return [k for k in table.keys if k in BIEU06_KEYS or k in DERIVED]


def _recomputed_value(counts: dict, key: str) -> int:
    return int(sum(counts[k] for k in DERIVED[key])) if key in DERIVED else int(counts[key])


def _cells(reported: dict, counts: dict, keys: list[str], tolerance: float) -> dict[str, Cell]:
    out = {}
    for key in keys:
        mine, theirs = _number(reported.get(key)), _recomputed_value(counts, key)
        difference = None if mine is None else _number(mine - theirs)
        out[key] = Cell(mine, theirs, difference, None if difference is None else abs(difference) <= tolerance)
    return out


def _group_counts(table: OfficialTable) -> dict[str, dict]:
    return {str(g["name"]): {k: int(g[k]) for k in COUNT_KEYS} for g in table.groups.to_dict("records")}


def _labels(frame: pd.DataFrame, by: str) -> pd.Series:
    """Each dossier's group name, as official_table names its groups."""
    return frame[GROUPINGS[by]].astype(object).where(frame[GROUPINGS[by]].notna(), s.MISSING_GROUP).astype(str)


def latest_date(dossiers: pd.DataFrame) -> dt.date | None:
    """The latest received, completed or returned date in the data: the nearest the data come to "today"."""
    dates = [dossiers[c].max() for c in (s.RECEIVED_DATE, s.COMPLETED_DATE, s.RETURNED_DATE) if c in dossiers]
    dates = [d for d in dates if d is not None and not pd.isna(d)]
    return max(dates).date() if dates else None


def reconcile(table: ReportedTable, dossiers: pd.DataFrame, period: Period, by: str = "unit", tolerance: float = 0,
              row_map: dict[str, str] | None = None, rate: str = RESOLVED.name, fold_withdrawn: bool = False,
              missing: dict[str, dict[int, str]] | None = None, roles: dict[int, str] | None = None
              ) -> Reconciliation:
    """The reported table beside Biểu 06 recomputed from `dossiers` for `period`, grouped `by` unit, field or level.

    `tolerance`: a difference of at most this many dossiers counts as agreeing (default 0: exact). `row_map`:
    reported name -> the group's name in the data; it wins over matching by name (a group the data lack here: matched
    by name, with a note). `roles`: sheet row -> what the user says the row is (reported_structure). `missing`: the
    fields the dossier files lack (LoadedDossiers.missing_fields()), for the caveats.
    """
    if by not in BY:
        raise ValueError(f'Đối chiếu theo "{by}" không được; hãy chọn một trong: {", ".join(BY)}.')
    if tolerance < 0:
        raise ValueError(f"Ngưỡng chênh lệch phải từ 0 trở lên (đã cho {tolerance}).")
    recomputed = official_table(dossiers, period, by, fold_withdrawn, rate)
    counts = _group_counts(recomputed)
    labels = _labels(recomputed.classified, by)
    known = sorted(set(labels) | set(counts))  # a group of the data with nothing in the period matches with zeros
    zero = {k: 0 for k in COUNT_KEYS}
    keys = compared_keys(table)
    records = table.rows.to_dict("records")
    shape = structure(table, roles)
    units = shape.units
    found = match_names([row.name for row in units], known, row_map)
    pairs: list[tuple[ReconciledRow, dict]] = []   # each matched row with its reported record
    at: dict[int, ReconciledRow] = {}               # matched unit rows by position
    unmatched_reported = []
    for n, row in enumerate(units):
        record = records[row.position]
        if n in found.matched:
            group, how = found.matched[n]
            at[row.position] = ReconciledRow(row.name, row.sheet_row, group, how, False,
                                             _cells(record, counts.get(group, zero), keys, tolerance))
            pairs.append((at[row.position], record))
        else:
            unmatched_reported.append(UnmatchedReported(row.name, row.sheet_row, *found.unmatched[n]))
    used = {r.matched_to for r in at.values()}
    unmatched_recomputed = [UnmatchedRecomputed(g, c["received_total"]) for g, c in counts.items() if g not in used]
    breaks = arithmetic_breaks(table, tolerance, shape)
    context = _Context(records, keys, tolerance, at, counts, used)
    if shape.total is not None:
        total = shape.total
        record = records[total.position]
        cells = context.aggregate(record, recomputed.total, total.members, set(known) - used)
        pairs.append((ReconciledRow(total.name or TOTAL, total.sheet_row, TOTAL, TOTAL_MATCH, True, cells), record))
    subtotals = _subtotals(shape, context, breaks, recomputed, period, by, fold_withdrawn, rate)
    rows = [row for row, _ in pairs]
    latest = latest_date(dossiers)
    causes = _causes(pairs, recomputed, labels, dossiers, period, by, tolerance, rate, fold_withdrawn, latest)
    return Reconciliation(period, by, tolerance, keys, rows, breaks, unmatched_reported, unmatched_recomputed, causes,
                          recomputed.quality(), recomputed, table, rate, fold_withdrawn, latest,
                          caveats(recomputed.classified, missing), found.unused, found.stale, subtotals, shape)


@dataclass
class _Context:
    """What a total's or subtotal's cells are explained with: the reported records, the matched unit rows by
    position, the groups' recomputed counts and those matched."""
    records: list[dict]
    keys: list[str]
    tolerance: float
    at: dict[int, ReconciledRow]
    counts: dict[str, dict]
    used: set[str]

    def aggregate(self, record: dict, recomputed: dict, members: tuple[int, ...], unlisted: set[str]
                  ) -> dict[str, Cell]:
        """The cells of a row standing for `members` (unit rows), beside `recomputed`, each difference explained
        when the rows account for it: their own differences, plus (or not) the row's own sum break, plus (or not) the
        rows left unmatched and the groups `unlisted` (of the data, in its scope, matched to no row)."""
        out = {}
        for key, cell in _cells(record, recomputed, self.keys, self.tolerance).items():
            below, gap, coverage = self._parts(record, key, members, unlisted)
            if cell.difference is None or below is None:
                out[key] = cell
                continue
            rest = cell.difference - below
            options = [0.0] + ([gap] if gap is not None else []) + ([coverage] if coverage is not None else []) + \
                ([gap + coverage] if gap is not None and coverage is not None else [])
            explained = any(abs(rest - o) <= self.tolerance + 1e-9 for o in options)
            out[key] = Cell(cell.reported, cell.recomputed, cell.difference, cell.within_tolerance, _number(below),
                            explained and cell.within_tolerance is False)
        return out

    def _parts(self, record: dict, key: str, members: tuple[int, ...], unlisted: set[str]):
        """(the sum of the matched members' differences, the row's own sum gap, rows unmatched − groups unlisted)."""
        matched = [self.at[p].cells[key] for p in members if p in self.at]
        if any(c.difference is None for c in matched):
            return None, None, None
        below = float(sum(c.difference for c in matched))
        figures = [_number(self.records[p].get(key)) for p in members]
        mine = _number(record.get(key))
        gap = None if mine is None or any(f is None for f in figures) else mine - sum(figures)
        loose = [f for p, f in zip(members, figures) if p not in self.at]
        coverage = None if any(f is None for f in loose) else \
            sum(loose) - sum(_recomputed_value(self.counts[g], key) for g in unlisted if g in self.counts)
        return below, gap, coverage


def _subtotals(shape: Structure, context: _Context, breaks: list[Break], recomputed: OfficialTable, period: Period,
               by: str, fold_withdrawn: bool, rate: str) -> list[ReconciledSubtotal]:
    """Each subtotal with its members, its sum breaks and, when the data have the level it names, its cells beside
    the recomputed level."""
    named = [row for row in shape.subtotals if row.level]
    levels, level_of = {}, {}
    if named:
        levels = context.counts if by == "level" else _group_counts(tabled(recomputed.classified, period, "level",
                                                                           fold_withdrawn, rate))
        if by != "level":
            level_of = _group_levels(recomputed.classified, by)
    out = []
    for row in shape.subtotals:
        compared = None
        if row.level and row.level in levels:
            record = context.records[row.position]
            unlisted = {g for g in set(context.counts) - context.used if level_of.get(g) == row.level} \
                if by != "level" else set()
            cells = context.aggregate(record, levels[row.level], row.members, unlisted)
            compared = ReconciledRow(row.name, row.sheet_row, row.level, LEVEL_MATCH, False, cells)
        out.append(ReconciledSubtotal(row.name, row.sheet_row, row.how, row.direction, row.level,
                                      [context.records[p][NAME_COLUMN] for p in row.members],
                                      [b for b in breaks if b.kind == SUBTOTAL_SUM and b.sheet_row == row.sheet_row],
                                      compared))
    return out


def _group_levels(classified: pd.DataFrame, by: str) -> dict[str, str]:
    """Each group's level, when all its dossiers have one level."""
    labels = _labels(classified, by)
    levels = classified[s.LEVEL].astype(object)
    frame = pd.DataFrame({"group": labels.to_numpy(), "level": levels.to_numpy()}).dropna()
    one = frame.groupby("group")["level"].nunique()
    first = frame.groupby("group")["level"].first()
    return {str(g): str(first[g]) for g in one.index if one[g] == 1}


# --- Likely causes ----------------------------------------------------------------------------------------------

def _about(a: float, b: float, tolerance: float) -> bool:
    """Two gaps are "about as much": within the tolerance, or within NEAR of the larger."""
    return abs(a - b) <= max(tolerance, NEAR * max(abs(a), abs(b)))


def _gap(row: ReconciledRow, key: str) -> float | None:
    cell = row.cells.get(key)
    return None if cell is None or cell.difference is None else cell.difference


def _causes(pairs: list[tuple[ReconciledRow, dict]], recomputed: OfficialTable, labels: pd.Series,
            dossiers: pd.DataFrame, period: Period, by: str, tolerance: float, rate: str, fold_withdrawn: bool,
            latest: dt.date | None) -> list[Cause]:
    """Each cause the data show, in CAUSES order: one Cause per code over the rows where it shows."""
    classified = recomputed.classified
    found: dict[str, list[tuple[ReconciledRow, dict]]] = {code: [] for code in CAUSES}
    detectors = ((PENDING_JUDGED_LATER, _judged_later), (SUPPLEMENTS_APART, _supplements_apart),
                 (WITHDRAWN_FOLDED, _withdrawn_folded), (LEFT_OUT, _left_out),
                 (CARRIED_OVER_TODAY, _carried_over_today))
    for row, record in pairs:
        mask = np.ones(len(classified), dtype=bool) if row.is_total else (labels == row.matched_to).to_numpy()
        for code, detect in detectors:
            evidence = detect(row, record, classified, mask, period, tolerance, latest)
            if evidence is not None:
                found[code].append((row, evidence))
    out = [_cause(code, found[code], period, latest) for code, _ in detectors if found[code]]
    mismatch = _period_mismatch([row for row, _ in pairs], dossiers, period, by, tolerance, rate, fold_withdrawn)
    out += [mismatch] if mismatch is not None else []
    return sorted(out, key=lambda c: CAUSES.index(c.code))


def _judged_later(row, record, classified, mask, period, tolerance, latest) -> dict | None:
    """(a) More overdue and about as many fewer in time than recomputed, and pending dossiers whose due date fell
    between the cut-off and the latest date in the data: judged that day, they would be overdue."""
    more_overdue, in_time = _gap(row, "pending_overdue"), _gap(row, "pending_in_time")
    if more_overdue is None or in_time is None or latest is None:
        return None
    fewer_in_time = -in_time
    if not (more_overdue > tolerance and fewer_in_time > tolerance and _about(more_overdue, fewer_in_time, tolerance)):
        return None
    due = classified[DUE].to_numpy(dtype="datetime64[D]")
    end, last = np.datetime64(period.end, "D"), np.datetime64(latest, "D")
    flips = mask & (classified[CELL] == PENDING_IN_TIME).to_numpy() & (due >= end) & (due < last)
    count = int(np.count_nonzero(flips))
    if count == 0:
        return None
    return {"reported_more_overdue": more_overdue, "reported_fewer_in_time": fewer_in_time,
            "overdue_if_judged_later": count}


def _supplements_apart(row, record, classified, mask, period, tolerance, latest) -> dict | None:
    """(b) The table keeps dossiers waiting for supplements apart: its pending (+ supplements) comes back to the
    recomputed pending, or its own received = resolved + pending + supplements."""
    supplements = _number(record.get(WAITING_SUPPLEMENTS))
    key = "pending_total" if "pending_total" in row.cells else "pending_in_time" if "pending_in_time" in row.cells \
        else None
    if not supplements or key is None or _gap(row, key) is None:
        return None
    fewer = -_gap(row, key)
    if fewer <= tolerance:
        return None
    closes = _about(fewer, supplements, tolerance)
    parts = [_number(record.get(k)) for k in ("received_total", "resolved_total", "pending_total")]
    withdrawn = _number(record.get("withdrawn")) or 0
    identity = None not in parts and abs(parts[0] - (parts[1] + parts[2] + supplements + withdrawn)) <= tolerance
    if not (closes or identity):
        return None
    waiting = mask & classified[CELL].isin([PENDING_IN_TIME, PENDING_OVERDUE]).to_numpy() & \
        classified[s.STATUS_CODE].isin(s.STATUS_WAITING_ON_APPLICANT).to_numpy(dtype=bool, na_value=False)
    return {"key": key, "reported_fewer_pending": fewer, "reported_supplements": supplements,
            "pending_plus_supplements_matches": closes, "table_adds_supplements_apart": identity,
            "recomputed_pending_waiting_on_applicant": int(np.count_nonzero(waiting))}


def _withdrawn_folded(row, record, classified, mask, period, tolerance, latest) -> dict | None:
    """(c) The table's on time exceeds the recomputed one by about the recomputed withdrawn/stopped dossiers (folded
    into on time), or its received lacks about as many (withdrawn dossiers not counted as received)."""
    withdrawn = int(np.count_nonzero(mask & (classified[CELL] == WITHDRAWN).to_numpy()))
    if withdrawn <= 0:
        return None
    reported_withdrawn = row.cells["withdrawn"].reported if "withdrawn" in row.cells else None
    if reported_withdrawn is not None and _about(reported_withdrawn, withdrawn, tolerance):
        return None  # the table shows them in their own column
    on_time = next((k for k in ("resolved_on_time", "resolved_in_time") if _gap(row, k) is not None), None)
    if on_time is not None and _gap(row, on_time) > tolerance and _about(_gap(row, on_time), withdrawn, tolerance):
        return {"how": "on_time", "key": on_time, "reported_more": _gap(row, on_time),
                "recomputed_withdrawn": withdrawn}
    received = _gap(row, "received_total")
    if received is not None and -received > tolerance and _about(-received, withdrawn, tolerance):
        return {"how": "not_received", "key": "received_total", "reported_fewer": -received,
                "recomputed_withdrawn": withdrawn}
    return None


def _left_out(row, record, classified, mask, period, tolerance, latest) -> dict | None:
    """(d) The table counts more than the recomputation, and at least as many dossiers were left out of it (status
    1/3, no received date, finished before received, ended without a finish date)."""
    key = next((k for k in ("received_total", "received_in_period", "resolved_total") if _gap(row, k) is not None),
               None)
    if key is None or _gap(row, key) <= tolerance:
        return None
    gap = _gap(row, key)
    left = mask & classified[CELL].isin([EXCLUDED, UNPLACEABLE]).to_numpy() & (classified[REASON] != "").to_numpy()
    reasons = classified.loc[left, REASON].astype(str).value_counts()
    by_reason = {r: int(reasons.get(r, 0)) for r in REASONS if reasons.get(r, 0)}
    count = sum(by_reason.values())
    if count == 0 or count + max(tolerance, NEAR * gap) < gap:
        return None
    return {"key": key, "reported_more": gap, "left_out": count, "by_reason": by_reason}


def _carried_over_today(row, record, classified, mask, period, tolerance, latest) -> dict | None:
    """(f) The table's carried over equals the dossiers received before the period and still open at the latest
    date in the data (no finish date), rather than those open at the period's start."""
    cell = row.cells.get("carried_over")
    if cell is None or cell.reported is None or _about(cell.reported, cell.recomputed, tolerance):
        return None
    received = classified[s.RECEIVED_DATE].to_numpy(dtype="datetime64[D]")
    finish = classified[FINISH].to_numpy(dtype="datetime64[D]")
    still_open = mask & (received < np.datetime64(period.start, "D")) & np.isnat(finish) & \
        (classified[REASON] == "").to_numpy()
    count = int(np.count_nonzero(still_open))
    if count == cell.recomputed or not _about(cell.reported, count, tolerance):
        return None
    return {"reported": cell.reported, "recomputed": cell.recomputed, "still_open": count}


def _shift_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier when negative); a month's last day stays its last day."""
    last = calendar.monthrange(day.year, day.month)[1]
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    length = calendar.monthrange(year, month)[1]
    return dt.date(year, month, length if day.day == last else min(day.day, length))


def nearby_periods(period: Period) -> list[Period]:
    """The periods a body may have reported instead: the same one on the other cut-off (calendar months <-> Nghị
    định 09/2019's 15th-to-14th), then one month earlier and one month later."""
    out = []
    start, end = period.start, period.end
    month_end = end.day == calendar.monthrange(end.year, end.month)[1]
    if start.day == 1 and month_end:
        out.append(named((start - dt.timedelta(days=1)).replace(day=15), end.replace(day=14)))
    elif start.day == 15 and end.day == 14:
        out.append(named(_shift_months(start, 1).replace(day=1),
                         end.replace(day=calendar.monthrange(end.year, end.month)[1])))
    out += [named(_shift_months(start, n), _shift_months(end, n)) for n in (-1, 1)]
    return [p for p in out if (p.start, p.end) != (start, end)]


_PERIOD_KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "received_in_period"]


def _period_error(rows: list[ReconciledRow], keys: list[str], groups: dict[str, dict], total: dict) -> list:
    """Per row: the sum over `keys` of |reported − recomputed| under another period's figures."""
    out = []
    for row in rows:
        counts = total if row.is_total else groups.get(row.matched_to, dict.fromkeys(COUNT_KEYS, 0))
        out.append(sum(abs(row.cells[k].reported - _recomputed_value(counts, k)) for k in keys
                       if row.cells[k].reported is not None))
    return out


def _period_mismatch(rows, dossiers, period, by, tolerance, rate, fold_withdrawn) -> Cause | None:
    """(e) The reported carried-over and received figures fit a nearby period (nearby_periods) clearly better, at
    most half the total gap, than the one asked for."""
    keys = [k for k in _PERIOD_KEYS if rows and k in rows[0].cells]
    if not keys or not any(r.cells[k].within_tolerance is False for r in rows for k in keys):
        return None
    asked = [sum(abs(r.cells[k].difference) for k in keys if r.cells[k].difference is not None) for r in rows]
    tried, dates = [], DossierDates.of(dossiers)  # each dossier's dates read once for every period tried
    for other in nearby_periods(period):
        table = official_table(dossiers, other, by, fold_withdrawn, rate, dates)
        tried.append((other, _period_error(rows, keys, _group_counts(table), table.total)))
    best, errors = min(tried, key=lambda t: sum(t[1]))
    if sum(errors) * 2 > sum(asked):  # not clearly better: no claim
        return None
    better = [n for n in range(len(rows)) if errors[n] < asked[n]]
    evidence = {"fits": {"from": best.start.isoformat(), "to": best.end.isoformat(), "label": best.label},
                "error_asked": sum(asked), "error_fits": sum(errors),
                "tried": [{"from": p.start.isoformat(), "to": p.end.isoformat(), "label": p.label, "error": sum(e)}
                          for p, e in tried],
                "rows": {rows[n].name: {"error_asked": asked[n], "error_fits": errors[n]} for n in better}}
    figures = {"fits": best, "asked": period, "error_fits": sum(errors), "error_asked": sum(asked)}
    return Cause(PERIOD_MISMATCH, [rows[n].name for n in better], keys, evidence, figures)


# --- What each cause's sentence says -------------------------------------------------------------------------------

def _headline(found: list[tuple[ReconciledRow, dict]], *keys: str) -> dict:
    """The total row's figures when the cause shows there, else the sum over the rows where it shows."""
    total = [e for r, e in found if r.is_total]
    if total:
        return {k: total[0][k] for k in keys}
    return {k: sum(e[k] for _, e in found) for k in keys}


def _key_order(key: str) -> int:
    return (BIEU06_KEYS + list(DERIVED)).index(key)


def _cause(code: str, found: list[tuple[ReconciledRow, dict]], period: Period, latest: dt.date | None) -> Cause:
    """One cause over the rows where it shows: their evidence, the keys it explains and the figures its sentence
    says (outputs.causes)."""
    rows = [r.name for r, _ in found]
    evidence = {"rows": {r.name: e for r, e in found}}
    if code == PENDING_JUDGED_LATER:
        figures = _headline(found, "reported_more_overdue", "reported_fewer_in_time", "overdue_if_judged_later")
        figures |= {"cutoff": period.end, "judged_at": latest}
        evidence["judged_at"] = latest.isoformat()
        keys = ["pending_in_time", "pending_overdue"]
    elif code == SUPPLEMENTS_APART:
        figures = _headline(found, "reported_fewer_pending", "reported_supplements",
                            "recomputed_pending_waiting_on_applicant")
        keys = sorted({e["key"] for _, e in found}, key=BIEU06_KEYS.index) + [WAITING_SUPPLEMENTS]
    elif code == WITHDRAWN_FOLDED:
        hows = {e["how"] for _, e in found}
        figures = _headline(found, "recomputed_withdrawn") | {"hows": [h for h in ("on_time", "not_received")
                                                                       if h in hows]}
        keys = sorted({e["key"] for _, e in found}, key=_key_order) + ["withdrawn"]
    elif code == LEFT_OUT:
        reasons: dict[str, int] = {}
        for r, e in found:
            if r.is_total or not any(x.is_total for x, _ in found):
                for reason, n in e["by_reason"].items():
                    reasons[reason] = reasons.get(reason, 0) + n
        evidence["by_reason"] = reasons
        figures = _headline(found, "reported_more", "left_out") | {"by_reason": reasons}
        keys = sorted({e["key"] for _, e in found}, key=_key_order)
    else:  # CARRIED_OVER_TODAY
        figures = _headline(found, "reported", "recomputed", "still_open") | {"start": period.start}
        keys = ["carried_over"]
    return Cause(code, rows, keys, evidence, figures, any(r.is_total for r, _ in found))
