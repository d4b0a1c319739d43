"""Reporting periods: calendar presets, the cut-offs of Nghị định 09/2019/NĐ-CP, any range, and series for trends.

Every period resolves to exact inclusive dates and carries a Vietnamese label with them:
"Quý I/2019 (15/12/2018 – 14/03/2019)".
"""
from __future__ import annotations

import datetime as dt
import numbers
import re
from dataclasses import dataclass

from analytics.model.form import roman

CUTOFF_DAY = 15  # Nghị định 09/2019: a month runs from the 15th of the previous month to the 14th
KINDS = ("month", "quarter", "half", "nine_months", "year")
PER_YEAR = {"month": 12, "quarter": 4, "half": 2}  # how many periods of a numbered kind a year holds
YEARS = (1990, 2100)  # the years a preset may name: exports of this century's one-stop shops
KIND_LABELS = {"month": "Tháng", "quarter": "Quý", "half": "6 tháng", "nine_months": "9 tháng", "year": "Năm",
               "custom": "Tùy chọn"}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    name: str = ""          # "Quý I/2019"; empty for a custom range

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"Ngày bắt đầu kỳ ({self.start:%d/%m/%Y}) phải trước hoặc bằng ngày kết thúc "
                             f"({self.end:%d/%m/%Y}).")

    @property
    def dates(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def label(self) -> str:
        """"Quý I/2019 (01/01/2019 – 31/03/2019)"; a name that already gives the dates is not followed by them."""
        if not self.name or self.name.startswith("Từ "):
            return self.name or self.dates
        return f"{self.name} ({self.dates})"


def _month_start(year: int, month: int, cutoff: bool) -> dt.date:
    """First day of month `month` (may be 0 or 13: months roll over), on the calendar or on the cut-off."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    if not cutoff:
        return dt.date(year, month, 1)
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    return previous.replace(day=CUTOFF_DAY)


def _months(year: int, first: int, count: int, cutoff: bool) -> tuple[dt.date, dt.date]:
    """Dates of `count` months from month `first` of `year`: the end is the day before the next run starts."""
    return _month_start(year, first, cutoff), _month_start(year, first + count, cutoff) - dt.timedelta(days=1)


def _in_range(value: int, low: int, high: int, what: str) -> int:
    """`value` when low <= value <= high; else a ValueError that gives the allowed range."""
    if not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(f"{what} phải từ {low} đến {high} (đã cho {value}).")
    return value


def _year(value: int) -> int:
    return _in_range(value, *YEARS, "Năm")


def _month(year: int, number: int, cutoff: bool) -> Period:
    return Period(*_months(year, number, 1, cutoff), f"Tháng {number}/{year}")


def _quarter(year: int, number: int, cutoff: bool) -> Period:
    return Period(*_months(year, 3 * number - 2, 3, cutoff), f"Quý {roman(number)}/{year}")


def month(year: int, number: int, cutoff: bool = False) -> Period:
    return _month(_year(year), _in_range(number, 1, 12, "Tháng"), cutoff)


def quarter(year: int, number: int, cutoff: bool = False) -> Period:
    return _quarter(_year(year), _in_range(number, 1, 4, "Quý"), cutoff)


def half(year: int, number: int, cutoff: bool = False) -> Period:
    _year(year)
    _in_range(number, 1, 2, "Nửa năm")
    name = f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    return Period(*_months(year, 6 * number - 5, 6, cutoff), name)


def nine_months(year: int, cutoff: bool = False) -> Period:
    return Period(*_months(_year(year), 1, 9, cutoff), f"9 tháng năm {year}")


def year(number: int, cutoff: bool = False) -> Period:
    return Period(*_months(_year(number), 1, 12, cutoff), f"Năm {number}")


def custom(start: dt.date, end: dt.date) -> Period:
    return Period(start, end)


def _preset_of(start: dt.date, end: dt.date) -> tuple[Period, bool] | None:
    """The preset with exactly these dates, and whether it follows the cut-offs; None when there is none."""
    for cutoff in (False, True):
        for year_number in {start.year, end.year}:
            if not YEARS[0] <= year_number <= YEARS[1]:
                continue
            candidates = [year(year_number, cutoff), nine_months(year_number, cutoff)]
            candidates += [half(year_number, n, cutoff) for n in (1, 2)]
            candidates += [quarter(year_number, n, cutoff) for n in (1, 2, 3, 4)]
            candidates += [month(year_number, n, cutoff) for n in range(1, 13)]
            match = next((c for c in candidates if (c.start, c.end) == (start, end)), None)
            if match:
                return match, cutoff
    return None


def named(start: dt.date, end: dt.date) -> Period:
    """The range with its preset's name when it is one ("Quý I/2019", "Năm 2018", on the calendar or on the cut-off
    dates), "Năm 2018 và quý I/2019" for whole years and the quarters after them; otherwise "Từ 01/01/2018 đến
    31/03/2019"."""
    found = _preset_of(start, end)
    if found:
        return found[0]
    words = _years_and_quarters(start, end)
    return Period(start, end, words[:1].upper() + words[1:] if words else f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}")


def is_cutoff(start: dt.date, end: dt.date) -> bool:
    """Whether [start, end] is a preset on Nghị định 09/2019's cut-off dates (15th to 14th)."""
    found = _preset_of(start, end)
    return bool(found and found[1])


def _quarter_ending(day: dt.date) -> int | None:
    """The quarter (1–4) whose calendar end is `day`, else None."""
    for n in range(1, 5):
        if quarter(day.year, n).end == day:
            return n
    return None


def _years_and_quarters(start: dt.date, end: dt.date) -> str:
    """"năm 2018 và quý I/2019", "các năm 2018 – 2019", "năm 2018 và 6 tháng đầu năm 2019" for whole calendar
    years and the quarters after them; "" for any other range."""
    if (start.month, start.day) != (1, 1) or end.year <= start.year or not YEARS[0] <= end.year <= YEARS[1]:
        return ""
    whole_years = f"năm {start.year}" if end.year == start.year + 1 else f"các năm {start.year} – {end.year - 1}"
    if (end.month, end.day) == (12, 31):
        return f"các năm {start.year} – {end.year}"
    n = _quarter_ending(end)
    if n == 1:
        return f"{whole_years} và quý I/{end.year}"
    return f"{whole_years} và {n * 3} tháng đầu năm {end.year}" if n else ""


def in_words(period: Period) -> str:
    """A period as a sentence names it: "quý I/2019", "năm 2018", "năm 2018 và quý I/2019" (a whole year and the
    quarters after it), else its dates "từ 01/01/2018 đến 31/03/2019"."""
    if period.name and not period.name.startswith("Từ "):
        return period.name[:1].lower() + period.name[1:]
    return _years_and_quarters(period.start, period.end) or f"từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}"


def preset(kind: str, year_number: int, number: int = 1, cutoff: bool = False) -> Period:
    """One preset by name: kind in KINDS; `number` is the month (1–12), quarter (1–4) or half (1–2), ignored
    otherwise; the year is within YEARS. Out of range: a ValueError that gives the allowed range."""
    if kind == "month":
        return month(year_number, number, cutoff)
    if kind == "quarter":
        return quarter(year_number, number, cutoff)
    if kind == "half":
        return half(year_number, number, cutoff)
    if kind == "nine_months":
        return nine_months(year_number, cutoff)
    if kind == "year":
        return year(year_number, cutoff)
    raise ValueError(f'Loại kỳ "{kind}" không có; hãy chọn một trong: {", ".join(KINDS)}.')


def series(start: dt.date, end: dt.date, freq: str = "month", cutoff: bool = False) -> list[Period]:
    """The months or quarters that overlap [start, end], clipped to it and marked "(một phần)" when clipped."""
    if freq not in ("month", "quarter"):
        raise ValueError('Chuỗi thời gian theo "month" (tháng) hoặc "quarter" (quý).')
    # Unchecked builders: a series follows the data's own dates, whatever years a typo gave them.
    make, per_year = (_month, PER_YEAR["month"]) if freq == "month" else (_quarter, PER_YEAR["quarter"])
    out = []
    for y in range(start.year, end.year + 2):
        for n in range(1, per_year + 1):
            p = make(y, n, cutoff)
            if p.end < start or p.start > end:
                continue
            s, e = max(p.start, start), min(p.end, end)
            out.append(Period(s, e, p.name + ("" if (s, e) == (p.start, p.end) else " (một phần)")))
    return out


def parse_range(text: str) -> Period:
    """'2018-01-01:2019-03-31' -> a custom period (the command line's --a / --b)."""
    start, sep, end = text.partition(":")
    if not sep:
        raise ValueError(f'"{text}" không phải khoảng ngày; hãy viết TỪ:ĐẾN, ví dụ 2019-01-01:2019-03-31.')
    try:
        return Period(dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip()))
    except ValueError as error:
        if "phải trước" in str(error):
            raise
        raise ValueError(f'"{text}": ngày phải ở dạng YYYY-MM-DD, ví dụ 2019-01-01:2019-03-31.') from None


def shifted(kind: str, year_number: int, number: int, cutoff: bool, steps: int) -> Period:
    """The preset `steps` periods of the same kind before (negative) or after: the previous quarter is
    shifted("quarter", 2019, 1, False, -1) = Quý IV/2018."""
    per_year = PER_YEAR.get(kind, 1)
    index = (year_number * per_year + (number - 1 if per_year > 1 else 0)) + steps
    return preset(kind, index // per_year, index % per_year + 1, cutoff)


def before(period: Period) -> Period:
    """The range of the same length just before a custom period."""
    length = period.end - period.start
    end = period.start - dt.timedelta(days=1)
    return Period(end - length, end)


def year_earlier(period: Period) -> Period:
    """The same dates one year earlier (29/02 becomes 28/02)."""
    def back(d: dt.date) -> dt.date:
        return d.replace(year=d.year - 1) if not (d.month == 2 and d.day == 29) else dt.date(d.year - 1, 2, 28)
    name = re.sub(r"\d{4}", lambda year: str(int(year.group()) - 1), period.name)
    return Period(back(period.start), back(period.end), name)
