"""``date:`` clauses of the query language, parsed by us.

Whoosh's own date parser reads ``2021-09-01`` as the whole year 2021, so date
clauses are lifted out of the query string before Whoosh sees it and turned
into :class:`whoosh.query.DateRange` queries:

- ``date:2021``, ``date:2021-07``, ``date:2021-07-30``: that year/month/day;
- ``date:[2021-07-01 to 2021-07-31]`` (inclusive), ``{...}`` (exclusive),
  open ends ``date:[2021-07 to]``, ``date:[to 2021]``;
- ``date:>2021-07``, ``date:>=2021-07-01``, ``date:<2022``, ``date:<=2021``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from whoosh import query as wq

DATE_PLACEHOLDER_FIELD = "id"
_PLACEHOLDER = "readerdateclause{}"

_D = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_CLAUSE = re.compile(
    rf"""\bdate:(?:
        (?P<open>[\[{{])\s*(?P<lo>{_D})?\s*(?:to|TO)\s*(?P<hi>{_D})?\s*(?P<close>[\]}}])
      | (?P<op>>=|<=|>|<)\s*(?P<cmp>{_D})
      | (?P<single>{_D})(?![\w-])
      | (?P<bad>\S+)
    )""",
    re.VERBOSE,
)


class DateClauseError(ValueError):
    pass


def extract_date_clauses(text: str) -> tuple[str, dict[str, wq.Query]]:
    """Replace each ``date:`` clause with a placeholder term; return the queries."""
    from .query import QueryError  # local: query imports this module

    queries: dict[str, wq.Query] = {}

    def replace(m: re.Match[str]) -> str:
        try:
            q = _clause_query(m)
        except DateClauseError as exc:
            raise QueryError(str(exc)) from None
        key = _PLACEHOLDER.format(len(queries))
        queries[key] = q
        return f"{DATE_PLACEHOLDER_FIELD}:{key}"

    return _CLAUSE.sub(replace, text), queries


def _clause_query(m: re.Match[str]) -> wq.Query:
    if m.group("bad") is not None:
        raise DateClauseError(
            f"invalid date '{m.group('bad')}': use YYYY, YYYY-MM or YYYY-MM-DD, "
            "or a range like date:[2021-07-01 to 2021-07-31]"
        )
    if m.group("single"):
        lo, hi = period(m.group("single"))
        return wq.DateRange("date", lo, hi)
    if m.group("op"):
        lo, hi = period(m.group("cmp"))
        op = m.group("op")
        if op == ">":
            return wq.DateRange("date", hi, None, startexcl=True)
        if op == ">=":
            return wq.DateRange("date", lo, None)
        if op == "<":
            return wq.DateRange("date", None, lo, endexcl=True)
        return wq.DateRange("date", None, hi)
    lo_text, hi_text = m.group("lo"), m.group("hi")
    if not lo_text and not hi_text:
        raise DateClauseError("a date range needs at least one end, e.g. date:[2021-07-01 to]")
    inclusive_lo = m.group("open") == "["
    inclusive_hi = m.group("close") == "]"
    start = end = None
    if lo_text:
        a, b = period(lo_text)
        start = a if inclusive_lo else b
    if hi_text:
        a, b = period(hi_text)
        end = b if inclusive_hi else a
    if start and end and start > end:
        raise DateClauseError(f"empty date range: {lo_text} is after {hi_text}")
    return wq.DateRange("date", start, end, startexcl=not inclusive_lo, endexcl=not inclusive_hi)


def period(text: str) -> tuple[dt.datetime, dt.datetime]:
    """First and last instant of the year, month or day written as ``text``."""
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            y = parts[0]
            return dt.datetime(y, 1, 1), dt.datetime(y, 12, 31, 23, 59, 59, 999999)
        if len(parts) == 2:
            y, mo = parts
            last = calendar.monthrange(y, mo)[1]
            return dt.datetime(y, mo, 1), dt.datetime(y, mo, last, 23, 59, 59, 999999)
        y, mo, d = parts
        return dt.datetime(y, mo, d), dt.datetime(y, mo, d, 23, 59, 59, 999999)
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise DateClauseError(f"invalid date '{text}': {exc}") from None
