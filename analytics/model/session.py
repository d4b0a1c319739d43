"""A supervision session ("Đợt giám sát"): the named scope every meeting-room output is made for.

It says who supervises whom (the team, the bodies supervised), over which period and against which earlier one,
for which units, with which rate definition and target, and with which procedure catalog. The store keeps them by
name; every output names its session.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields

from analytics.model.periods import Period, named
from analytics.model.rates import DEFAULT_RATE, RATES
from analytics.model.text_keys import plain_key


@dataclass(frozen=True)
class SupervisionSession:
    name: str
    start: dt.date
    end: dt.date
    compare_start: dt.date | None = None
    compare_end: dt.date | None = None
    units: tuple[str, ...] = ()          # the units in scope; empty = every unit
    rate: str = DEFAULT_RATE
    target: float = 0.95
    catalog: str | None = None           # path of the procedure catalog used
    team: str = ""                       # the supervising team ("Đoàn giám sát HĐND thành phố …")
    bodies: str = ""                     # the bodies supervised ("UBND thành phố Lạng Sơn")
    reported: str | None = None          # sha256 of the stored reported table the executive filed for it

    def __post_init__(self):
        if not self.name.strip():
            raise ValueError("Đợt giám sát cần có tên.")
        Period(self.start, self.end)  # refuses an end before the start
        if (self.compare_start is None) != (self.compare_end is None):
            raise ValueError("Kỳ so sánh cần cả ngày đầu (--compare-from) và ngày cuối (--compare-to).")
        if self.compare_start is not None:
            Period(self.compare_start, self.compare_end)
        if self.rate not in RATES:
            raise ValueError(f'Định nghĩa tỷ lệ "{self.rate}" không có; hãy chọn: {", ".join(RATES)}.')
        if not 0 < self.target <= 1:
            raise ValueError(f"Mục tiêu tỷ lệ đúng hạn phải từ 0 đến 1 (ví dụ 0.95), đã cho {self.target}.")

    @property
    def period(self) -> Period:
        return named(self.start, self.end)

    @property
    def comparison(self) -> Period | None:
        return named(self.compare_start, self.compare_end) if self.compare_start else None

    @property
    def file_stem(self) -> str:
        """A file name for the session's documents: plain letters, digits and dashes."""
        return plain_key(self.name).replace(" ", "-") or "dot-giam-sat"

    def as_dict(self) -> dict:
        out = asdict(self)
        for key in ("start", "end", "compare_start", "compare_end"):
            out[key] = out[key].isoformat() if out[key] else None
        out["units"] = list(self.units)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "SupervisionSession":
        dates = {k: dt.date.fromisoformat(data[k]) if data.get(k) else None
                 for k in ("start", "end", "compare_start", "compare_end")}
        known = {f.name for f in fields(cls)}
        return cls(**{**{k: v for k, v in data.items() if k in known}, **dates, "units": tuple(data.get("units") or ())})


@dataclass(frozen=True)
class SourceFile:
    """One file behind the figures."""
    name: str
    sha256: str
    imported_at: dt.datetime | None = None
    rows: int = 0


@dataclass(frozen=True)
class Provenance:
    """Where an output's figures come from, printed on its last page or slide."""
    files: tuple[SourceFile, ...]
    is_sample: bool
    made_at: dt.datetime
    version: str                          # the software's version (git commit when known)
    scope: str = "Tất cả hồ sơ"           # the filters, in words
    notes: tuple[str, ...] = field(default_factory=tuple)  # caveats and left-out dossiers, in sentences
