"""A supervision session ("Đợt giám sát"): the named scope every meeting-room output is made for.

It carries everything that shapes a figure: who supervises whom (the team, the bodies supervised), the period and the
one it is compared with, the filters (levels, units, fields, channels), the rate definition and target, whether
withdrawn dossiers are folded into (9), the period convention (calendar or Nghị định 09/2019 cut-offs), the procedure
catalog and whether it fills missing due dates, and the row matches of its reported table. The presentation, the
report, the slides and the workbook are all made from this object, so they print the same figures. The store keeps
sessions by name (a short code); the title is what people read.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import asdict, dataclass, field

from analytics.model.legal_bases import LegalText
from analytics.model.periods import Period, in_words, is_cutoff, named
from analytics.model.rates import DEFAULT_RATE, RATES
from analytics.model.text_keys import plain_key
from analytics.model.unit_register import BOUNDARIES, RECORDED

_TUPLES = ("units", "levels", "fields", "channels")


@dataclass(frozen=True)
class SupervisionSession:
    name: str                            # the short code the store and the address bar know it by
    start: dt.date
    end: dt.date
    compare_start: dt.date | None = None
    compare_end: dt.date | None = None
    units: tuple[str, ...] = ()          # the units in scope; empty = every unit
    rate: str = DEFAULT_RATE
    target: float = 0.95
    catalog: str | None = None           # path of the procedure catalog used
    team: str = ""                       # the supervising team ("Đoàn giám sát HĐND tỉnh …")
    bodies: str = ""                     # the bodies supervised ("UBND thành phố Lạng Sơn")
    reported: str | None = None          # sha256 of the stored reported table the executive filed for it
    title: str = ""                      # "Giám sát chuyên đề … năm 2018 và quý I/2019"; empty: made from the scope
    levels: tuple[str, ...] = ()         # the other filters, as on the dashboard's sidebar; empty = all
    fields: tuple[str, ...] = ()
    channels: tuple[int, ...] = ()
    fold_withdrawn: bool = False         # withdrawn/stopped dossiers counted in (9) "đúng hạn" (some provinces)
    fill_due_dates: bool = True          # due dates an export lacks computed from the catalog (when there is one)
    cutoff: bool = False                 # the period follows Nghị định 09/2019's cut-offs (so do its trend's months)
    row_map: tuple[tuple[str, str], ...] = ()  # reported row -> group in the data, as corrected for its table
    parent_body: str = ""                # the team's parent body, above it in the report's header ("HĐND tỉnh …")
    signer: str = ""                     # who signs the report for the team (the head of the team)
    report_date: dt.date | None = None   # the report's date: the supervision law in force that day is cited
    boundaries: str = RECORDED           # units as recorded, or under the new boundaries of the unit register

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
        if self.boundaries not in BOUNDARIES:
            raise ValueError(f'Ranh giới "{self.boundaries}" không có; hãy chọn: {", ".join(BOUNDARIES)}.')
        if not 0 < self.target <= 1:
            raise ValueError(f"Mục tiêu tỷ lệ đúng hạn phải từ 0 đến 1 (ví dụ 0.95), đã cho {self.target}.")

    @property
    def period(self) -> Period:
        return named(self.start, self.end)

    @property
    def comparison(self) -> Period | None:
        return named(self.compare_start, self.compare_end) if self.compare_start else None

    @property
    def follows_cutoff(self) -> bool:
        """Whether months are counted on the cut-offs: chosen so, or the period is a cut-off preset."""
        return self.cutoff or is_cutoff(self.start, self.end)

    @property
    def has_filters(self) -> bool:
        return bool(self.units or self.levels or self.fields or self.channels)

    @property
    def heading(self) -> str:
        """The title people read: the one given, else one made from the bodies and the period."""
        if self.title.strip():
            return self.title.strip()
        where = f" tại {self.bodies.strip()}" if self.bodies.strip() else ""
        return f"Giám sát việc giải quyết thủ tục hành chính{where}, {in_words(self.period)}"

    @property
    def file_stem(self) -> str:
        """A file name for the session's documents: plain letters, digits and dashes."""
        return plain_key(self.name).replace(" ", "-") or "dot-giam-sat"

    def as_dict(self) -> dict:
        out = asdict(self)
        for key in ("start", "end", "compare_start", "compare_end", "report_date"):
            out[key] = out[key].isoformat() if out[key] else None
        for key in _TUPLES:
            out[key] = list(getattr(self, key))
        out["row_map"] = [list(pair) for pair in self.row_map]
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "SupervisionSession":
        dates = {k: dt.date.fromisoformat(data[k]) if data.get(k) else None
                 for k in ("start", "end", "compare_start", "compare_end", "report_date")}
        known = {f.name for f in dataclasses.fields(cls)}
        tuples = {k: tuple(data.get(k) or ()) for k in _TUPLES}
        pairs = tuple((str(a), str(b)) for a, b in (data.get("row_map") or ()))
        return cls(**{**{k: v for k, v in data.items() if k in known}, **dates, **tuples, "row_map": pairs})


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
    legal_texts: tuple[LegalText, ...] = ()  # the table of legal texts the report's bases are chosen from
