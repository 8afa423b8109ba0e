"""Searching an index: queries in, plain dataclasses out.

:class:`SearchEngine` is safe to call from worker threads: all Whoosh access
goes through one lock and one searcher, refreshed when the index changes.
Results are cheap to produce (document numbers only); :meth:`hits` fills in
titles and snippets for the rows a caller actually shows.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import json
import pickle
import struct
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from whoosh import query as wq
from whoosh import sorting

from .aggregate import load_json_list, rows_from_events
from .datefilter import DateIndex, split_dates
from .facets import EntityFacets, EventStore, Facet
from .highlight import find_hits, make_snippet
from .index import open_index, unreadable_index
from .compression import InflateError
from .matching import SearchCancelled, scored_matches
from .models import Article, Hit, SearchResult
from .query import QueryError, Resolver, make_parser, parse_query, pin_expansions
from .schema import SEARCH_FIELDS
from .scoring import FastBM25F

__all__ = ["SearchEngine", "QueryError", "SearchCancelled"]

FIRST = 100  # matches ranked up front by relevance: the first screens of results


MAX_SUGGEST_WORDS = 8  # "did you mean" only for short queries of real-length words
MAX_SUGGEST_LEN = 30


# What damaged index files raise when read (Whoosh has no error of its own for
# it). Programming errors (TypeError, AttributeError, ...) are not among them.
READ_ERRORS = (
    OSError, EOFError, ValueError, LookupError, AssertionError, OverflowError,
    struct.error, zlib.error, InflateError, pickle.UnpicklingError,
)


def _reads_index(method):
    """Errors from reading a damaged index become one line (IndexError_)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except QueryError:
            raise
        except READ_ERRORS as exc:
            raise unreadable_index(self.index_dir, exc) from exc

    return wrapper


class SearchEngine:
    def __init__(self, index_dir: Path, resolve: Resolver | None = None) -> None:
        self.index_dir = index_dir
        self._ix = open_index(index_dir)
        try:  # opening read only the TOC; this opens the segments
            self._parser = make_parser(self._ix.schema)
            self._searcher = self._ix.searcher(weighting=FastBM25F())
        except READ_ERRORS as exc:
            raise unreadable_index(index_dir, exc) from exc
        self._lock = threading.RLock()
        self._resolve = resolve
        self._facets = None
        self._events = None
        self._all_by_date: tuple[int, ...] | None = None
        self._dates: DateIndex | None = None
        # The last timeline asked for, by what decides it: toggling the view
        # or the same search again does not cluster the events again (1 s
        # for all of Reuters, 3 s at 100,000 articles).
        self._timeline_memo: tuple[tuple, list] | None = None
        # Results ranked only as far as the first screen, by id(result).
        self._partial: dict[int, tuple] = {}

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._ix.close()

    @_reads_index
    def refresh(self) -> bool:
        """Pick up a newer index generation; True if something changed."""
        with self._lock:
            fresh = self._searcher.refresh()
            changed = fresh is not self._searcher
            self._searcher = fresh
            if changed:
                self._facets = self._events = self._all_by_date = self._dates = self._timeline_memo = None
                self._partial.clear()
            return changed

    @property
    @_reads_index
    def doc_count(self) -> int:
        with self._lock:
            return self._searcher.doc_count()

    @_reads_index
    def warm(self) -> None:
        """Load what the first fuzzy query would otherwise load (the sorted
        lexicons); call from a background thread after startup."""
        from .query import warm_lexicons

        with self._lock:
            warm_lexicons(self._searcher.reader(), SEARCH_FIELDS)

    # -- searching -------------------------------------------------------
    def parse(self, text: str) -> wq.Query:
        """Validate a query string (raises QueryError)."""
        return parse_query(self._parser, text, self._resolve)

    @_reads_index
    def search(
        self,
        text: str,
        sort: str = "relevance",
        filters: Sequence[str] = (),
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResult:
        """The matches of ``text`` (every article if empty), ordered by ``sort``.

        ``filters`` are canonical organisation names; every one must be
        mentioned (AND). Raises :class:`QueryError` for malformed queries.

        Ranking by relevance scores only enough to fill the first screen
        (``FIRST``); the rest is ranked when a caller pages past it
        (:meth:`hits`), or matched without scoring for facets and timeline.

        ``cancelled`` (asked as the matching goes) abandons the search with
        :class:`SearchCancelled` once it returns True.
        """
        text = text.strip()
        if not text and not filters:
            return self._everything()
        parsed: wq.Query = self.parse(text) if text else wq.Every()
        core, date_clauses = split_dates(parsed)
        q = _and_not(core) if core is not None else wq.Every()
        if filters:
            q = wq.And([q] + [wq.Term("org", name.lower()) for name in filters])
        by_date = sort == "date" or not text or core is None
        with self._lock:
            searcher = self._searcher
            pin_expansions(q, searcher.reader())
            allow = self._date_docs(date_clauses) if date_clauses else None
            if by_date:
                results = searcher.search(
                    q, limit=limit, filter=allow,
                    sortedby=[sorting.FieldFacet("datekey", reverse=True), sorting.ScoreFacet()],
                )
                pairs = [(docnum, 0.0) for _, docnum in results.top_n]
                total = len(results)
            else:
                top, total, scored = _top(searcher, q, limit or FIRST, allow, cancelled)
                pairs = [(docnum, float(score)) for score, docnum in top]
            terms = _highlight_terms(parsed, searcher.reader()) if text else frozenset()
            suggestion = None
            if text and total == 0:
                suggestion = self._suggest(searcher, parsed, text)
        result = SearchResult(
            query=text,
            sort="date" if by_date else "relevance",
            total=total,
            docnums=tuple(d for d, _ in pairs),
            scores=tuple(s for _, s in pairs),
            terms=terms,
            suggestion=suggestion,
            filters=tuple(filters),
        )
        if len(pairs) < total:
            self._partial[id(result)] = (result, scored)
            while len(self._partial) > 8:
                self._partial.pop(next(iter(self._partial)))
        return result

    def _date_index(self) -> DateIndex:
        if self._dates is None:
            self._dates = DateIndex(self._searcher.reader())
        return self._dates

    def _date_docs(self, clauses) -> set[int]:
        allowed: set[int] | None = None
        for clause in clauses:
            docs = self._date_index().docs(clause.startdate, clause.enddate)
            allowed = docs if allowed is None else allowed & docs
        return allowed or set()

    def _ranked(self, result: SearchResult) -> SearchResult:
        """``result`` with every match ranked (for paging past the first screen)."""
        entry = self._partial.get(id(result))
        if entry is None or entry[0] is not result:
            return result
        if len(entry) == 3:
            return entry[2]
        # Whoosh's order: score descending, then document number
        pairs = [(docnum, float(score or 0.0)) for score, docnum in sorted(entry[1], key=_rank)]
        full = SearchResult(
            query=result.query, sort=result.sort, total=len(pairs), docnums=tuple(d for d, _ in pairs),
            scores=tuple(s for _, s in pairs), terms=result.terms, suggestion=result.suggestion, filters=result.filters,
        )
        self._partial[id(result)] = (result, entry[1], full)
        return full

    def _matched(self, result: SearchResult) -> tuple[int, ...]:
        """Every document of ``result`` (unordered beyond the first screen)."""
        entry = self._partial.get(id(result))
        if entry is None or entry[0] is not result:
            return result.docnums
        return tuple(docnum for _, docnum in entry[1])

    def _everything(self) -> SearchResult:
        """Every article, newest first: the start screen, cached per index generation."""
        with self._lock:
            if self._all_by_date is None:
                self._all_by_date = tuple(self._date_index().newest_first())
            docnums = self._all_by_date
        return SearchResult(
            query="", sort="date", total=len(docnums), docnums=docnums, scores=(0.0,) * len(docnums), terms=frozenset()
        )

    @_reads_index
    def hits(self, result: SearchResult, start: int, stop: int) -> list[Hit]:
        """Rows ``start:stop`` of a result, with highlighted snippets."""
        out: list[Hit] = []
        if stop > len(result.docnums) and len(result.docnums) < result.total:
            result = self._ranked(result)
        with self._lock:
            searcher = self._searcher
            for docnum, score in zip(result.docnums[start:stop], result.scores[start:stop]):
                fields = searcher.stored_fields(docnum)
                body = fields.get("body", "")
                body_hits = find_hits(body, result.terms)
                title_hits = find_hits(fields.get("title", ""), result.terms)
                out.append(
                    Hit(
                        id=fields["id"],
                        title=fields.get("title") or fields["id"],
                        source=fields.get("source") or None,
                        date=_date(fields.get("date")),
                        score=float(score),
                        snippet=make_snippet(body, body_hits),
                        hit_count=len(body_hits) + len(title_hits),
                        path=fields.get("path", ""),
                    )
                )
        return out

    @_reads_index
    def article(self, article_id: str) -> Article | None:
        found = self._document(article_id)
        return None if found is None else _article(found[1])

    @_reads_index
    def analysis(self, article_id: str) -> tuple[list[dict], list[dict]]:
        """The stored entity mentions and events of one article."""
        found = self._document(article_id)
        return ([], []) if found is None else self._analysis(*found)

    @_reads_index
    def article_with_analysis(self, article_id: str) -> tuple[Article, list[dict], list[dict]] | None:
        """:meth:`article` and :meth:`analysis` with one lookup (opening an article)."""
        found = self._document(article_id)
        if found is None:
            return None
        return (_article(found[1]), *self._analysis(*found))

    def _analysis(self, docnum: int, fields: dict) -> tuple[list[dict], list[dict]]:
        with self._lock:
            reader = self._searcher.reader()
            events = reader.column_reader("events")[docnum] if reader.has_column("events") else None
        return load_json_list(fields.get("entities")), load_json_list(events)

    @_reads_index
    def all_stored(self, field_names: Sequence[str]) -> list[dict]:
        """Selected stored fields of every live document (for facets and the timeline)."""
        with self._lock:
            reader = self._searcher.reader()
            return [{k: f.get(k) for k in field_names} for _, f in reader.iter_docs()]

    # -- organisations and timeline ----------------------------------------
    @_reads_index
    def facets(self, result: SearchResult | None = None) -> list[Facet]:
        """Organisations with their article counts, scoped to ``result``."""
        with self._lock:
            if self._facets is None:
                self._facets = EntityFacets(self._searcher.reader())
            facets = self._facets
        docnums = self._matched(result) if result is not None else None
        with self._lock:
            if docnums is None:
                docnums = self._searcher.reader().all_doc_ids()
            return facets.counts(docnums)

    def resolve(self, alias: str) -> str | None:
        return self._resolve(alias) if self._resolve else None

    @_reads_index
    def timeline(
        self,
        result: SearchResult | None = None,
        entities: Sequence[str] = (),
        start: dt.date | None = None,
        end: dt.date | None = None,
    ):
        """Timeline rows of the articles in ``result`` (all if None)."""
        # A result's articles are decided by its query and filters (on this
        # engine's searcher: a refresh forgets the memo).
        matches = None if result is None else (result.query, result.filters, result.total)
        key = (matches, tuple(entities), start, end)
        with self._lock:
            memo = self._timeline_memo
            if memo is not None and memo[0] == key:
                return list(memo[1])
            if self._events is None:
                self._events = EventStore(self._searcher.reader())
            store = self._events
            searcher = self._searcher
        events = store.select(self._matched(result) if result is not None else None)
        rows = rows_from_events(events, start=start, end=end, entities=entities)
        with self._lock:
            if self._searcher is searcher:  # not refreshed meanwhile
                self._timeline_memo = (key, rows)
        return list(rows)

    def _document(self, article_id: str) -> tuple[int, dict] | None:
        """(docnum, stored fields) of an article."""
        with self._lock:
            docnum = self._searcher.document_number(id=article_id)
            return None if docnum is None else (docnum, self._searcher.stored_fields(docnum))

    def _suggest(self, searcher, q: wq.Query, text: str) -> str | None:
        # Levenshtein automata grow with word length: a 4,000-letter "word" took
        # 4 s to correct. Real misspellings are short, and few per query.
        words = [leaf.text for leaf in q.leaves() if isinstance(getattr(leaf, "text", None), str)]
        if not words or len(words) > MAX_SUGGEST_WORDS or max(map(len, words)) > MAX_SUGGEST_LEN:
            return None
        try:
            corrected = searcher.correct_query(q, text, prefix=1, maxdist=2)
        except Exception:  # correction is a nicety; never let it break a search
            return None
        if corrected.query == q or corrected.string == text:
            return None
        return corrected.string


def _top(searcher, q: wq.Query, limit: int, allow: set[int] | None, cancelled=None):
    """(the top ``limit`` (score, docnum) pairs, how many match, every (score, docnum)).

    Every match is scored (:func:`matching.scored_matches`), so the count is
    exact, and the scores are kept: the organisation panel (every match) and
    paging past the first screen (all ranked) reuse them instead of searching
    again. Order: score descending, then document number, as Whoosh's.
    """
    found = scored_matches(searcher, q, cancelled)
    if allow is not None:
        scored = [(score, docnum) for docnum, score in found.items() if docnum in allow]
    else:
        scored = [(score, docnum) for docnum, score in found.items()]
    top = heapq.nsmallest(limit, scored, key=_rank)
    return top, len(scored), scored


def _rank(pair: tuple[float, int]) -> tuple[float, int]:
    return -pair[0], pair[1]


def _and_not(q: wq.Query) -> wq.Query:
    """``a AND NOT b`` as Whoosh's AndNot (a minus b), everywhere in ``q``.

    Whoosh matches a NOT inside an AND by walking every document of the
    index that ``b`` does not match (an inverse matcher): ``(wheat OR corn)
    AND NOT soybeans`` spent most of its 140 ms there. Same matches; the
    score is ``a``'s (Whoosh's inverse matcher added 1 per NOT to every
    match, which changed no ranking). core.matching answers the AndNot
    itself (Whoosh's AndNotMatcher can keep a document ``b`` excludes).
    """
    if isinstance(q, wq.And):
        children = [_and_not(c) for c in q.subqueries]
        plus = [c for c in children if not isinstance(c, wq.Not)]
        minus = [c.query for c in children if isinstance(c, wq.Not)]
        if plus and minus:
            positive = plus[0] if len(plus) == 1 else wq.And(plus, boost=q.boost)
            return wq.AndNot(positive, minus[0] if len(minus) == 1 else wq.Or(minus))
        return wq.And(children, boost=q.boost)
    if isinstance(q, wq.CompoundQuery) or isinstance(q, (wq.Not, wq.AndNot, wq.AndMaybe, wq.Require)):
        return q.apply(_and_not)
    return q


def _highlight_terms(q: wq.Query, reader) -> frozenset[str]:
    """The indexed words a query matches in title/body, expansions included.

    (Whoosh's ``existing_terms`` skips leaves after the first field it sees,
    so the leaves are walked here.)
    """
    terms: set[str] = set()
    for leaf in _positive_leaves(q):
        if leaf.field() not in SEARCH_FIELDS:
            continue
        pinned = getattr(leaf, "pinned", None)
        if pinned is not None:  # expanded once per query from the index's own words (pin_expansions)
            terms.update(w.decode("utf-8") if isinstance(w, bytes) else w for w in pinned)
            continue
        try:
            pairs = list(leaf.expanded_terms(reader, phrases=True))
        except Exception:
            continue
        for field, term in pairs:
            word = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            if field in SEARCH_FIELDS and (field, word) in reader:
                terms.add(word)
    return frozenset(terms)


def _positive_leaves(q: wq.Query):
    """Leaves of the query outside any NOT: the words worth highlighting."""
    if isinstance(q, (wq.Not, wq.AndNot)):
        if isinstance(q, wq.AndNot):
            yield from _positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)


def _article(fields: dict) -> Article:
    return Article(
        id=fields["id"],
        path=fields.get("path", ""),
        title=fields.get("title") or fields["id"],
        text=fields.get("body", ""),
        date=_date(fields.get("date")),
        source=fields.get("source") or None,
        url=fields.get("url"),
    )


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
