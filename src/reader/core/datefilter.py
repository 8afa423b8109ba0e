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
import sys
from array import array
from bisect import bisect_left, bisect_right

from whoosh import query as wq

from .zerocopy import fixed_column_bytes


class DateIndex:
    """Every dated live document, ordered by yyyymmdd key."""

    def __init__(self, reader) -> None:
        keys = datekeys(reader)
        deleted = reader.is_deleted if reader.has_deletions() else None
        order = sorted(range(len(keys)), key=keys.__getitem__)
        if deleted is not None:
            order = [d for d in order if not deleted(d)]
        first = bisect_left(order, 1, key=keys.__getitem__)  # undated (key 0) sort first
        self.undated = order[:first]
        self._docs = order[first:]
        self._keys = [keys[d] for d in self._docs]

    def newest_first(self) -> list[int]:
        """Every live document, newest first, undated last (the start screen).

        Ties keep index order (as Whoosh's reverse sort by datekey does), so the
        start screen is the same on every run.
        """
        keys, docs = self._keys, self._docs  # by key, then docnum
        out: list[int] = []
        end = len(docs)
        while end:  # one day at a time from the newest, each day in index order
            start = bisect_left(keys, keys[end - 1], 0, end)
            out.extend(docs[start:end])
            end = start
        return out + self.undated

    def docs(self, start: dt.datetime | None, end: dt.datetime | None) -> set[int]:
        lo = bisect_left(self._keys, _key(start)) if start else 0
        hi = bisect_right(self._keys, _key(end)) if end else len(self._keys)
        return set(self._docs[lo:hi])


def datekeys(reader):
    """The yyyymmdd key of every document (0: undated), by docnum.

    Reads each segment's fixed-width column bytes in one go: 100x faster than
    Whoosh's per-document column access (200 ms for 100,000 articles in 50
    segments, now a few).
    """
    if reader.is_atomic():
        return _segment_keys(reader)
    keys: list[int] = []
    for leaf, _base in reader.leaf_readers():  # in docnum order, each doc_count_all() long
        keys.extend(_segment_keys(leaf))
    return keys


def _segment_keys(reader) -> list[int]:
    column = reader.column_reader("datekey", translate=False)
    raw = fixed_column_bytes(column, 4)
    if raw is None:
        return [int(k or 0) for k in reader.column_reader("datekey", translate=True)]
    values = array("I")
    values.frombytes(raw)
    if sys.byteorder == "little":
        values.byteswap()  # stored big-endian
    offset = 1 << 31  # Whoosh stores signed numbers shifted to sort as unsigned
    keys = [v - offset for v in values]
    keys.extend([0] * (reader.doc_count_all() - len(keys)))
    return keys


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
