"""Parsing of the absolute dates that appear in article headers and metadata.

Only what a publication date looks like in the wild: ``Sep 13, 2021``,
``September 13, 2021 11:03 PM``, ``30 July 2021``, ``2021-07-30``,
``2021-07-30T15:01:01``. Temporal expressions inside article text are the
temporal tagger's business, not this module's.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<day>\d{1,2})(?![\d])"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<day>\d{1,2})\b"),
]


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """Return the first parseable date in ``text`` with its span, or None."""
    best: tuple[dt.date, int, int] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            parsed = _to_date(m)
            if parsed is None:
                continue
            if best is None or m.start() < best[1]:
                best = (parsed, m.start(), m.end())
            break
    return best


def parse_date(value: object) -> dt.date | None:
    """Parse a metadata value (date, datetime, or string) into a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    found = find_date(value.strip())
    return found[0] if found else None


def _to_date(m: re.Match[str]) -> dt.date | None:
    groups = m.groupdict()
    month = int(groups["m"]) if groups.get("m") else MONTHS.get(groups["month"].lower().rstrip("."))
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"]))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
