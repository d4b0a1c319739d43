"""On-time rates: the three definitions of DOMAIN.md, each with its numerator and denominator.

The official form has no percentage and provinces compute it differently, so a rate never travels without its
definition, numerator and denominator; with nothing in the denominator it is undefined (None), never 0 or 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class RateDefinition:
    name: str
    label: str          # Vietnamese name, shown beside every figure
    formula: str        # in the official table's column numbers
    numerator: Callable[[dict], int]
    denominator: Callable[[dict], int]
    estimate: bool = False

    def of(self, cells: dict) -> "Rate":
        numerator, denominator = int(self.numerator(cells)), int(self.denominator(cells))
        return Rate(self, numerator, denominator)


@dataclass(frozen=True)
class Rate:
    definition: RateDefinition
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def as_dict(self) -> dict:
        return {"definition": self.definition.name, "label": self.definition.label,
                "formula": self.definition.formula, "numerator": self.numerator, "denominator": self.denominator,
                "value": self.value, "estimate": self.definition.estimate}


RESOLVED = RateDefinition(
    "resolved", "Tỷ lệ đúng hạn trên số hồ sơ đã giải quyết", "((8) + (9)) / (7)",
    lambda c: c["resolved_early"] + c["resolved_on_time"], lambda c: c["resolved_total"])
QD766 = RateDefinition(
    "qd766", "Chỉ số tiến độ giải quyết theo QĐ 766 (ước tính, không phải điểm chính thức)",
    "((8) + (9) + (12)) / ((7) + (11))",
    lambda c: c["resolved_early"] + c["resolved_on_time"] + c["pending_in_time"],
    lambda c: c["resolved_total"] + c["pending_total"], estimate=True)
WORKLOAD = RateDefinition(
    "workload", "Tỷ lệ đúng hạn trên tổng số hồ sơ nhận giải quyết", "1 − ((10) + (13)) / (3)",
    lambda c: c["received_total"] - c["resolved_late"] - c["pending_overdue"], lambda c: c["received_total"])

RATES = {d.name: d for d in (RESOLVED, QD766, WORKLOAD)}
DEFAULT_RATE = RESOLVED.name


def with_rate(table, definition: RateDefinition):
    """A copy of a table of counts (a DataFrame with the count keys) with on_time_rate, numerator and denominator
    under `definition`; rates are cheap to apply to counts already made."""
    out = table.copy()
    rows = out.to_dict("records")
    out["numerator"] = [definition.numerator(r) for r in rows]
    out["denominator"] = [definition.denominator(r) for r in rows]
    out["on_time_rate"] = [n / d if d else None for n, d in zip(out["numerator"], out["denominator"])]
    return out
