"""The recommendations (kiến nghị) a supervision ends in, and their follow-up (issue 18, item 5).

A body asked to report on its follow-up has 15 days, 30 for a complex matter, counted in calendar days from the
report's date (Luật 121/2025/QH15, Điều 40; DOMAIN.md "Legal bases a supervision report cites")."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NOT_STARTED, IN_PROGRESS, DONE = "chua_thuc_hien", "dang_thuc_hien", "da_thuc_hien"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
REPORT_DAYS, COMPLEX_REPORT_DAYS = 15, 30


@dataclass(frozen=True)
class Recommendation:
    session: str                         # the session whose report made it
    body: str                            # the body it is addressed to
    text: str
    asked_on: dt.date                    # the report's date
    complex_matter: bool = False         # a complex matter: 30 days to report on the follow-up
    deadline: dt.date | None = None      # the deadline the report set for doing it, when it set one
    status: str = NOT_STARTED
    answer: str = ""                     # the body's answer
    answered_on: dt.date | None = None
    rec_id: int | None = None            # the store's number

    @property
    def report_due(self) -> dt.date:
        """The day the body's report on its follow-up is due: 15 calendar days after the report, 30 if complex."""
        return self.asked_on + dt.timedelta(days=COMPLEX_REPORT_DAYS if self.complex_matter else REPORT_DAYS)

    def overdue_on(self, day: dt.date) -> bool:
        """Open on `day` after its deadline (or, without one, after the day its follow-up report was due)."""
        return self.status != DONE and day > (self.deadline or self.report_due)
