"""Date-range clauses answered from the ``datekey`` column instead of Whoosh's
numeric range terms.

A ``DateRange`` over a month of Reuters expands into dozens of range terms
and took 80-100 ms to match; the sorted (yyyymmdd, docnum) column read once
per index generation answers it with two bisections (well under 1 ms).
Only date clauses that every match must satisfy (top-level AND) are lifted
out; anything nested stays a normal Whoosh query.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right

from whoosh import query as wq


class DateIndex:
    """Every dated live document, ordered by yyyymmdd key."""

    def __init__(self, reader) -> None:
        keys = reader.column_reader("datekey", translate=True)
        deleted = reader.is_deleted if reader.has_deletions() else None
        pairs = sorted(
            (int(key), docnum)
            for docnum, key in enumerate(keys)
            if key and (deleted is None or not deleted(docnum))
        )
        self._keys = [k for k, _ in pairs]
        self._docs = [d for _, d in pairs]

    def docs(self, start: dt.datetime | None, end: dt.datetime | None) -> set[int]:
        lo = bisect_left(self._keys, _key(start)) if start else 0
        hi = bisect_right(self._keys, _key(end)) if end else len(self._keys)
        return set(self._docs[lo:hi])


def split_dates(q: wq.Query) -> tuple[wq.Query | None, list[wq.DateRange]]:
    """(the query without its top-level date clauses, those clauses)."""
    if _liftable(q):
        return None, [q]
    if isinstance(q, wq.And):
        dates = [c for c in q.subqueries if _liftable(c)]
        if dates:
            rest = [c for c in q.subqueries if not _liftable(c)]
            if not rest:
                return None, dates
            return (rest[0] if len(rest) == 1 else wq.And(rest)), dates
    return q, []


def _liftable(q: wq.Query) -> bool:
    return isinstance(q, wq.DateRange) and q.fieldname == "date" and not q.startexcl and not q.endexcl


def _key(value: dt.datetime | dt.date) -> int:
    return value.year * 10000 + value.month * 100 + value.day
