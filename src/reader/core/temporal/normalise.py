"""Calendar arithmetic and TIMEX3 value formatting (no regexes here).

An *anchor* is a ``Point``: a calendar period given by its first day and a granularity
("day", "week", "month", "quarter", "half", "season", "year", "decade", "century").
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .lexicon import SEASON_START


@dataclass(frozen=True, slots=True)
class Point:
    date: dt.date     # first day of the period
    gran: str         # day | week | month | quarter | half | season | year | decade | century
    season: str = ""  # SP/SU/FA/WI when gran == "season"

    def value(self) -> str:
        d = self.date
        g = self.gran
        if g == "day":
            return d.isoformat()
        if g == "week":
            y, w, _ = d.isocalendar()
            return f"{y:04d}-W{w:02d}"
        if g == "weekend":
            y, w, _ = d.isocalendar()
            return f"{y:04d}-W{w:02d}-WE"
        if g == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if g == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if g == "half":
            return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"
        if g == "season":
            return f"{d.year:04d}-{self.season}"
        if g == "year":
            return f"{d.year:04d}"
        if g == "decade":
            return f"{d.year // 10:03d}"
        if g == "century":
            return f"{d.year // 100:02d}"
        raise ValueError(g)

    @property
    def calendar_gran(self) -> str | None:
        """Granularity usable on a timeline (day/month/year) or None."""
        return self.gran if self.gran in ("day", "month", "year") else None


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def day(d: dt.date) -> Point:
    return Point(d, "day")


def month(y: int, m: int) -> Point:
    return Point(dt.date(y, m, 1), "month")


def year(y: int) -> Point:
    return Point(dt.date(y, 1, 1), "year")


def quarter(y: int, q: int) -> Point:
    return Point(dt.date(y, 3 * (q - 1) + 1, 1), "quarter")


def half(y: int, h: int) -> Point:
    return Point(dt.date(y, 6 * (h - 1) + 1, 1), "half")


def season(y: int, s: str) -> Point:
    return Point(dt.date(y, SEASON_START[s], 1), "season", s)


def week_of(d: dt.date) -> Point:
    return Point(d - dt.timedelta(days=d.isoweekday() - 1), "week")


def truncate(d: dt.date, gran: str) -> Point:
    """The period of granularity ``gran`` containing day ``d``."""
    if gran == "day":
        return day(d)
    if gran in ("week", "weekend"):
        p = week_of(d)
        return Point(p.date, gran)
    if gran == "month":
        return month(d.year, d.month)
    if gran == "quarter":
        return quarter(d.year, (d.month - 1) // 3 + 1)
    if gran == "half":
        return half(d.year, (d.month - 1) // 6 + 1)
    if gran == "year":
        return year(d.year)
    if gran == "decade":
        return Point(dt.date(d.year - d.year % 10, 1, 1), "decade")
    if gran == "century":
        return Point(dt.date(max(1, d.year - d.year % 100), 1, 1), "century")
    raise ValueError(gran)


def shift(p: Point, n: int, unit: str | None = None) -> Point:
    """Move ``p`` by ``n`` units (default: its own granularity), keeping its granularity."""
    unit = unit or p.gran
    d = p.date
    if unit == "day":
        d = d + dt.timedelta(days=n)
    elif unit in ("week", "weekend"):
        d = d + dt.timedelta(weeks=n)
    elif unit == "month":
        d = add_months(d, n)
    elif unit == "quarter":
        d = add_months(d, 3 * n)
    elif unit in ("half",):
        d = add_months(d, 6 * n)
    elif unit == "season":
        d = add_months(d, 3 * n)
    elif unit == "year":
        d = add_months(d, 12 * n)
    elif unit == "decade":
        d = add_months(d, 120 * n)
    elif unit == "century":
        d = add_months(d, 1200 * n)
    else:
        raise ValueError(unit)
    if p.gran == "season":
        return Point(d, "season", p.season if unit != "season" else _season_of(d))
    return truncate(d, p.gran) if p.gran != "day" else Point(d, "day")


def _season_of(d: dt.date) -> str:
    return {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(d.month, "FA")


def season_of(d: dt.date) -> Point:
    s = _season_of(d)
    y = d.year - 1 if d.month < 3 else d.year
    return season(y, s)


def weekday_before(dct: dt.date, wd: int, inclusive: bool = True) -> dt.date:
    """Most recent ISO weekday ``wd`` on or before (or strictly before) ``dct``."""
    back = (dct.isoweekday() - wd) % 7
    if back == 0 and not inclusive:
        back = 7
    return dct - dt.timedelta(days=back)


def weekday_after(dct: dt.date, wd: int, inclusive: bool = False) -> dt.date:
    fwd = (wd - dct.isoweekday()) % 7
    if fwd == 0 and not inclusive:
        fwd = 7
    return dct + dt.timedelta(days=fwd)


def duration_value(n: float | None, letter: str, time_unit: bool) -> str:
    """TIMEX3 duration: duration_value(6, 'M', False) -> 'P6M'; n=None -> 'PXM'."""
    if letter == "WE":
        letter = "WE"
    if letter.endswith("Y") and len(letter) > 1:      # decade '10Y', century '100Y'
        mult = int(letter[:-1])
        letter = "Y"
        if n is not None:
            n = n * mult
        else:
            letter = {10: "Y", 100: "C"}[mult]
    elif letter == "2W":
        letter = "W"
        n = None if n is None else n * 2
    if letter == "Q":
        letter = "Q"
    prefix = "PT" if time_unit else "P"
    if n is None:
        return f"{prefix}X{letter}"
    if n != int(n):
        # 2.5 years -> P2Y6M ; 1.5 hours -> PT1H30M
        whole = int(n)
        sub = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "H"), "H": (60, "M"), "W": (7, "D")}.get(letter)
        if sub:
            frac = round((n - whole) * sub[0])
            if sub[1] in ("H", "M") and letter in ("D", "H") and not time_unit:
                return f"P{whole}{letter}T{frac}{sub[1]}" if whole else f"PT{frac}{sub[1]}"
            return f"{prefix}{whole}{letter}{frac}{sub[1]}" if whole else f"{prefix}{frac}{sub[1]}"
        return f"{prefix}{n}{letter}"
    return f"{prefix}{int(n)}{letter}"
