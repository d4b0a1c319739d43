"""The legal bases a supervision report cites (DOMAIN.md, "Legal bases a supervision report cites"; issue 18): the
texts with their dates, kept in one table an analyst corrects without code (legal_texts.csv, read by
ingest.legal_texts), and which of them a report cites.

The supervision law cited is the one in force on the report's date (it governs the supervision itself); the one-stop
regime, the forms and the statistics texts are those in force during the period reviewed (they govern the dossiers),
each of them when the period spans a change.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analytics.model.periods import Period

SUPERVISION, ONE_STOP, FORMS, STATISTICS = "giam_sat", "mot_cua", "bieu_mau", "thong_ke"
KINDS = (SUPERVISION, ONE_STOP, FORMS, STATISTICS)


@dataclass(frozen=True)
class LegalText:
    kind: str                       # one of KINDS
    number: str                     # "Luật số 121/2025/QH15"
    title: str
    in_force_from: dt.date | None   # None: since before any period the tool reviews
    in_force_to: dt.date | None     # None: still in force

    def in_force_on(self, day: dt.date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and \
            (self.in_force_to is None or day <= self.in_force_to)

    def in_force_during(self, period: Period) -> bool:
        return (self.in_force_from is None or self.in_force_from <= period.end) and \
            (self.in_force_to is None or period.start <= self.in_force_to)


def cited(texts: list[LegalText], report_date: dt.date, period: Period) -> list[LegalText]:
    """The texts a report dated `report_date` on `period` cites, in KINDS order (and by date within a kind)."""
    out = []
    for kind in KINDS:
        mine = [t for t in texts if t.kind == kind]
        chosen = [t for t in mine if t.in_force_on(report_date)] if kind == SUPERVISION else \
            [t for t in mine if t.in_force_during(period)]
        out += sorted(chosen, key=lambda t: t.in_force_from or dt.date.min)
    return out
