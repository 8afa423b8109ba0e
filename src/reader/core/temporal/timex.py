"""The :class:`Timex` record produced by the tagger."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression, TIMEX3-style.

    ``date``/``granularity`` are set only for DATE/TIME expressions resolved to a calendar
    day, month or year (``date`` is the first day of that period).  Weeks, quarters,
    halves, seasons, decades and centuries keep their TIMEX3 ``value`` ("2021-W30",
    "2021-Q2", "2021-SU", "199") but have ``date=None``/``granularity=None``: they are too
    coarse or too oddly shaped for a day/month/year timeline.
    """

    text: str
    start: int
    end: int
    type: str                    # "DATE" | "TIME" | "DURATION" | "SET"
    value: str | None            # TIMEX3 value, None when unresolvable
    date: dt.date | None = None
    granularity: str | None = None   # "day" | "month" | "year"
    approximate: bool = False        # anchored / fuzzy ("early 2021", "about a year ago")
    metadata: bool = False           # on a metadata / citation / copyright / header line
