"""A reported table's own arithmetic (issue 10, item 2; issue 17): each row against the identities its columns allow,
each rate column against its counts, the grand total against the sum of the unit rows, each subtotal against the sum
of its own rows (analyses.reported_structure says which rows those are; a subtotal is never added into the total).
A total's or subtotal's identities are not checked where all its rows have the figures: their gap would be its rows'
gaps plus its own sum breaks, each already listed where it is (a body's one wrong figure is reported once).

A row that breaks one is listed with the kind of check, the columns and cells involved and the size of the gap (left
side minus right side), as data: outputs.reported_words writes it in words. The tolerance is on that gap (default:
exact). An identity is checked only where the table has all its columns
(`reported.IDENTITIES`); a figure that could not be read (NaN) leaves the identities it is in unchecked. A rate is
compared with its count over its total rounded as the table rounds (half up): a column of whole numbers with the rate
rounded to an integer, a column with one decimal with one decimal; a column of fractions (0.76) is read as percent. A
rate whose total is 0 is undefined and not checked.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analytics.analyses.reported_structure import Structure, structure
from analytics.model import reported as r

# The three kinds of check a break fails (outputs.reported_words writes each in words).
IDENTITY = "identity"         # terms[0] = the sum of terms[1:] (reported.IDENTITIES)
RATE = "rate"                 # terms = (the rate column, its numerator, its denominator), rounded to `decimals`
TOTAL_SUM = "total_sum"       # the grand total's terms[0] = the sum of the unit rows' (cells[SUM_OF_ROWS])
SUBTOTAL_SUM = "subtotal_sum"  # a subtotal's terms[0] = the sum of its own rows' (cells[SUM_OF_ROWS])
SUM_OF_ROWS = "sum_of_rows"   # in a total's or subtotal's break: the sum of the rows it stands for


@dataclass(frozen=True)
class Break:
    row: str                  # the row's name as reported
    sheet_row: int            # its row number in the sheet
    kind: str                 # IDENTITY, RATE or TOTAL_SUM
    terms: tuple[str, ...]    # the columns of the check (a key, or the header text of a kept or rate column)
    cells: dict[str, float]   # every column involved and its value (SUM_OF_ROWS: the other rows' sum)
    gap: float                # left side minus right side
    decimals: int | None = None   # RATE: the decimals the table rounds its rates to
    rows_summed: int | None = None   # TOTAL_SUM, SUBTOTAL_SUM: how many rows the sum is of


def arithmetic_breaks(table: r.ReportedTable, tolerance: float = 0, shape: Structure | None = None) -> list[Break]:
    """Every break of the table's own arithmetic, row by row in the table's order: the identities, the rates, and on
    the grand total and each subtotal every count column (the keys and the kept columns) against the sum of the unit
    rows it stands for. `shape`: the table's structure (default: as read from the table)."""
    shape = shape or structure(table)
    sums_of = {row.position: (row.kind_of_sum, row.members) for row in _summing(shape)}
    rows = table.rows
    keys = set(table.keys)
    rates = {rate: pair for rate, pair in table.rate_columns.items()
             if rate in rows and len(pair) == 2 and all(c and c in rows for c in pair)}
    precision = {rate: rate_precision(rows[rate]) for rate in rates}
    identities = [(left, [*right, *(k for k in optional if k in keys)])
                  for left, right, optional in r.IDENTITIES if left in keys and all(k in keys for k in right)]
    summed = table.summed
    out: list[Break] = []
    for position, record in enumerate(rows.to_dict("records")):
        where = (str(record[r.NAME]), int(record[r.ROW]))
        for left, right in identities:
            cells = {k: float(record[k]) for k in (left, *right)}
            if any(math.isnan(v) for v in cells.values()) or _inherited(rows, sums_of.get(position), (left, *right)):
                continue
            gap = cells[left] - sum(cells[k] for k in right)
            if _breaks(gap, tolerance):
                out.append(Break(*where, IDENTITY, (left, *right), cells, _clean(gap)))
        for rate, (numerator, denominator) in rates.items():
            found = _rate_break(record, rate, numerator, denominator, precision[rate], tolerance)
            if found is not None:
                out.append(Break(*where, RATE, (rate, numerator, denominator), *found))
        if position in sums_of:
            kind, members = sums_of[position]
            part = rows.iloc[list(members)]
            for column in summed:
                value = float(record[column])
                total = math.nan if part[column].isna().any() else float(part[column].sum())
                if math.isnan(value) or math.isnan(total):
                    continue
                gap = value - total
                if _breaks(gap, tolerance):
                    out.append(Break(*where, kind, (column,), {column: value, SUM_OF_ROWS: total}, _clean(gap),
                                     rows_summed=len(members)))
    return out


def _inherited(rows: pd.DataFrame, summing: tuple | None, columns: tuple[str, ...]) -> bool:
    """On a total or subtotal whose rows all have the identity's figures, the identity's gap is the sum of its rows'
    gaps plus its own sum breaks, each listed where it is: it is not listed again."""
    if summing is None or not summing[1]:
        return False
    return not rows.iloc[list(summing[1])][list(columns)].isna().any().any()


@dataclass(frozen=True)
class _Sum:
    position: int
    kind_of_sum: str
    members: tuple[int, ...]


def _summing(shape: Structure) -> list[_Sum]:
    out = [_Sum(row.position, SUBTOTAL_SUM, row.members) for row in shape.subtotals if row.members]
    if shape.total is not None:
        out.append(_Sum(shape.total.position, TOTAL_SUM, shape.total.members))
    return out


def rate_precision(values: pd.Series) -> tuple[int, int]:
    """(scale, decimals) of a rate column: scale 100 for fractions (every value ≤ 1, some strictly between 0 and 1),
    else 1; decimals the fewest that write every value (as percent)."""
    given = [float(v) for v in values if not pd.isna(v)]
    scale = 100 if given and max(given) <= 1 and any(0 < v < 1 for v in given) else 1
    for decimals in range(5):
        if all(abs(v * scale * 10**decimals - round(v * scale * 10**decimals)) < 1e-6 for v in given):
            return scale, decimals
    return scale, 4


def expected_rate(numerator: float, denominator: float, decimals: int) -> float:
    """numerator / denominator in percent, rounded half up to `decimals` (as a spreadsheet's ROUND does)."""
    exact = Decimal(repr(float(numerator))) * 100 / Decimal(repr(float(denominator)))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _rate_break(record: dict, rate: str, numerator: str, denominator: str, precision: tuple[int, int],
                tolerance: float) -> tuple[dict, float, int] | None:
    cells = {rate: float(record[rate]), numerator: float(record[numerator]), denominator: float(record[denominator])}
    if any(math.isnan(v) for v in cells.values()) or cells[denominator] == 0:
        return None
    scale, decimals = precision
    gap = cells[rate] * scale - expected_rate(cells[numerator], cells[denominator], decimals)
    if not _breaks(gap, tolerance):
        return None
    return cells, _clean(gap), decimals


def _breaks(gap: float, tolerance: float) -> bool:
    return abs(gap) > tolerance + 1e-9


def _clean(gap: float) -> float:
    return round(gap, 6) + 0.0
