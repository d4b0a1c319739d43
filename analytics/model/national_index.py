"""The national service index (Quyết định 766/QĐ-TTg): the official scores the National Public Service Portal
publishes per province, department and commune, in six groups and a total, and the estimates this project makes
from dossiers for the groups dossiers can say something about. An estimate sits beside the official score, labelled,
never in its place (DOMAIN.md, "On-time rate: say which one"; "Citizens' experience").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics.model import issues as q


@dataclass(frozen=True)
class Group:
    key: str         # the project's key
    column: str      # the portal's column
    label: str
    points: float    # the group's maximum


GROUPS = [Group("progress", "TDGQ", "Tiến độ giải quyết", 20), Group("satisfaction", "MDHL", "Mức độ hài lòng", 18),
          Group("digitisation", "MDSH", "Số hóa hồ sơ", 22), Group("payment", "TTTT", "Thanh toán trực tuyến", 10),
          Group("online", "CLGQ", "Cung cấp dịch vụ trực tuyến", 12),
          Group("openness", "CKMB", "Công khai, minh bạch", 18)]
GROUP_BY_KEY = {g.key: g for g in GROUPS}
TOTAL_COLUMN, TOTAL_POINTS = "TONG_SCORE", 100
IDENTITY_TOLERANCE = 0.015   # groups and total are published to 0.01
KINDS = {1: "Tỉnh", 2: "Sở, ban, ngành", 3: "Xã, phường"}
YEAR, MONTH, UNSTATED = "year", "month", "unstated"   # "Điểm năm" (the year so far), "Điểm tháng", neither said
SCOPE_LABELS = {YEAR: "Điểm năm (lũy kế đến tháng)", MONTH: "Điểm tháng",
                UNSTATED: "Điểm của tháng (trang tính không ghi là điểm tháng hay điểm năm)"}


@dataclass(frozen=True)
class Score:
    """One body's official scores in one sheet of the file."""
    name: str
    code: str
    kind: int | None          # KINDS
    sheet: str
    scope: str                # YEAR or MONTH
    groups: dict[str, float | None]   # GROUPS' keys -> points
    total: float | None
    row: int

    @property
    def identity_gap(self) -> float | None:
        """Total − the sum of the groups (None when a figure is missing)."""
        if self.total is None or any(v is None for v in self.groups.values()):
            return None
        return round(self.total - sum(self.groups.values()), 4)

    @property
    def adds_up(self) -> bool | None:
        gap = self.identity_gap
        return None if gap is None else abs(gap) <= IDENTITY_TOLERANCE


@dataclass
class IndexFile:
    """The scores read from one file of the portal, for one month."""
    file_name: str
    sha256: str
    year: int
    month: int
    scores: list[Score]
    issues: list[q.Issue] = field(default_factory=list)

    def period(self, scope: str) -> tuple[dt.date, dt.date]:
        """The dates a score covers: the month, or the year up to the end of the month."""
        start, end = month_period(self.year, self.month)
        return (start if scope == MONTH else dt.date(self.year, 1, 1)), end

    @property
    def breaks(self) -> list[Score]:
        return [s for s in self.scores if s.adds_up is False]


def month_period(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    return start, dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def month_inside(months: list[tuple[int, int]], start: dt.date, end: dt.date) -> tuple[int, int] | None:
    """The latest (year, month) of `months` lying wholly inside [start, end], or None."""
    for year, month in sorted(months, reverse=True):
        first, last = month_period(year, month)
        if start <= first and last <= end:
            return year, month
    return None


# The groups dossiers can estimate, with the formula each estimate follows (Biểu 06's columns; DOMAIN.md).
ESTIMATE_FORMULAS = {
    "progress": "20 × ((8) + (9) + (12)) / ((7) + (11)): tỷ lệ tiến độ theo QĐ 766 tính từ hồ sơ",
    "satisfaction": ("18 × (1 − ((10) + (13)) / ((7) + (11)) − số hồ sơ đánh giá \"Không hài lòng\" / (7)): "
                     "100% trừ tỷ lệ trễ hạn và tỷ lệ không hài lòng (QĐ 766, 5.4)"),
    "online": "12 × (4) / ((4) + (5)): tỷ lệ hồ sơ nộp trực tuyến trong số hồ sơ nhận mới trong kỳ",
}
ESTIMATED = list(ESTIMATE_FORMULAS)
PART_SHARE = 0.10   # official and estimate part when they differ by more than this share of the group's points
