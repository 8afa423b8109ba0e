"""Every match of a query with its score, a posting block at a time.

Whoosh runs a query as a tree of matchers that step through documents one
call at a time, building the tree again for every segment. At 100,000
articles a prefix query such as ``export*`` spent most of its 170-270 ms
building and stepping that tree: a scorer per word per segment (each one
summing field lengths over every segment), an array union per segment, a
method call per posting and per node.

:func:`scored_matches` gives the same answer, set-wise: a word's postings are
read a block at a time (Whoosh's own decoding), scored with one expression
over the block, and words are combined as dictionaries (union: scores added;
intersection: scores added; ``a AND NOT b``: ``a``'s scores). Anything it does
not handle itself (phrases, ranges, NOT on its own, ...) is run by Whoosh's
own matcher on that segment and joins the combination as a dictionary.

A prefix or wildcard of many words is read as one run of the segment's term
index (core.terms) instead of a lookup per word, and a word found in one
document only is read from its term info, where the bulk builder inlines it.

One deliberate difference: Whoosh scores the words a prefix, wildcard or
fuzzy term expands to as a constant on small segments (<= 5,000 documents)
and by BM25 on large ones, so rankings changed with segment size. Here
expanded words are always scored like typed words (BM25F, summed), with the
term's boost.
"""

from __future__ import annotations

import io
import itertools
import pickle
import struct
import weakref
from collections.abc import Callable
from math import log

from whoosh import query as wq
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC as W3_MAGIC
from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import WeightingModel

from .compression import InflateError, inflate  # noqa: F401 - InflateError: what a damaged block raises
from .scoring import field_lengths
from .terms import info_postings, words_in_run

Scores = dict[int, float]


class SearchCancelled(Exception):
    """The caller gave up on this search (a newer query superseded it)."""

# The top-level searcher's per-field statistics (average field length), kept
# as long as the searcher lives; Whoosh recomputes it on every scorer.
_STATS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def scored_matches(searcher, q: wq.Query, cancelled: Callable[[], bool] | None = None) -> Scores:
    """Global document number -> score, for every document ``q`` matches.

    ``cancelled`` is asked before each word of each segment: once it says
    yes, :class:`SearchCancelled` is raised. A broad wildcard (``co*``: ~8,000
    words) takes seconds on 100,000 articles; typing on must not wait for it.
    """
    stats = _STATS.setdefault(searcher, {})
    context = searcher.context()
    leaves = searcher.leaf_searchers()
    runs = _wide_runs(searcher, q, leaves, cancelled)
    out: Scores = {}
    for (subsearcher, offset), segment_runs in zip(leaves, runs):
        segment = _Segment(searcher, subsearcher, context, stats, cancelled, segment_runs)
        found = segment.evaluate(q)
        if offset:
            out.update((docnum + offset, score) for docnum, score in found.items())
        else:
            out.update(found)
    return out


def _wanted(schema, fieldname: str, words: list) -> set[bytes] | None:
    """An expansion's words as the field's bytes (None if one cannot be)."""
    field = schema[fieldname]
    try:
        return {field.to_bytes(w) if isinstance(w, str) else w for w in words}
    except ValueError:
        return None


def _wide_runs(searcher, q: wq.Query, leaves, cancelled: Callable[[], bool] | None = None) -> list[dict[int, list | None]]:
    """For each segment: id of each wide expansion in ``q`` -> its words in
    that segment (see :func:`_run_postings`), or None where the run was too
    long (then they are looked up one by one).

    Read for every segment before any is scored, so that each word's
    document frequency is summed from them and its idf put in the searcher's
    cache: Whoosh would ask every segment's hash table for every word (on
    Reuters, ``*ing``'s first search made 17,000 lookups, 40% of its time).
    """
    out: list[dict[int, list | None]] = [{} for _ in leaves]
    schema = searcher.schema
    seed = type(searcher.weighting).idf is WeightingModel.idf
    for leaf in q.leaves():
        words = getattr(leaf, "pinned", None) if isinstance(leaf, wq.MultiTerm) else None
        fieldname = leaf.field() if words else None
        if not words or len(words) < RUN_MIN or fieldname not in schema:
            continue
        wanted = _wanted(schema, fieldname, words)
        if wanted is None:
            continue
        frequencies: dict[bytes, int] | None = {}
        for number, (subsearcher, _) in enumerate(leaves):
            if cancelled is not None and cancelled():
                raise SearchCancelled
            found = _run_postings(subsearcher.reader(), fieldname, wanted)
            if found is not None:
                if frequencies is not None:
                    for btext, df, _, _ in found:
                        frequencies[btext] = frequencies.get(btext, 0) + df
            else:
                frequencies = None  # this segment's frequencies are unknown
            out[number][id(leaf)] = found
        if seed and frequencies is not None:
            # WeightingModel.idf with the top reader's doc_frequency (the sum
            # over segments) and doc_count_all, as Searcher.idf caches it.
            cache = searcher._idf_cache
            total = searcher.reader().doc_count_all()
            for btext in wanted:
                key = (fieldname, btext)
                if key not in cache:
                    cache[key] = log(total / (frequencies.get(btext, 0) + 1)) + 1
    return out


def _run_postings(reader, fieldname: str, wanted: set[bytes]) -> list[tuple[bytes, int, tuple | None, int]] | None:
    """``(word, document frequency, inlined postings or None, offset)`` of
    the wanted words this segment has (None: the run is too long)."""
    found = words_in_run(reader, fieldname, wanted, limit=RUN_FACTOR * len(wanted))
    if found is None:
        return None
    return [(btext, *info_postings(info)) for btext, info in found]


class _Segment:
    """Evaluates a query on one segment (local document numbers)."""

    def __init__(self, top, subsearcher, context, stats: dict, cancelled: Callable[[], bool] | None = None,
                 runs: dict[int, list | None] | None = None) -> None:
        self.cancelled = cancelled
        self.runs = runs or {}  # id of a wide expansion -> its words here (see _wide_runs)
        self.top = top
        self.searcher = subsearcher
        self.reader = subsearcher.reader()
        self.context = context
        self.stats = stats
        self.schema = top.schema
        self.weighting = top.weighting
        self.deleted = getattr(self.reader, "deleted_docs_set", None) or None

    def evaluate(self, q: wq.Query) -> Scores:
        handler: Callable[[wq.Query], Scores] | None = _HANDLERS.get(type(q))
        if handler is None:
            for kind, fn in _BASES:
                if isinstance(q, kind):
                    handler = fn
                    break
        if handler is None:
            return self.whoosh(q)
        return handler(self, q)

    # -- leaves ------------------------------------------------------------
    def term(self, q: wq.Term) -> Scores:
        found = self.word(q.fieldname, q.text)
        return _boosted(found, q.boost)

    def expanding(self, q: wq.MultiTerm) -> Scores:
        fieldname = q.field()
        if fieldname not in self.schema:
            return {}
        words = getattr(q, "pinned", None)  # query.pin_expansions: expanded once for the index
        found = self.runs.get(id(q))
        if found is not None:
            return _boosted(self._expand_run(fieldname, found), q.boost)
        out: Scores = {}
        for btext in q._btexts(self.reader) if words is None else words:
            if btext:
                _add(out, self.word(fieldname, btext))
        return _boosted(out, q.boost)

    def _expand_run(self, fieldname: str, found: list) -> Scores:
        """An expansion's words in this segment, as :func:`_wide_runs` read
        them from the segment's run of words (see core.terms), scored: a
        prefix's words are adjacent there, and the words this segment lacks
        are never looked up."""
        cancelled = self.cancelled
        out: Scores = {}
        lengths = field_lengths(self.reader, fieldname) if self.schema[fieldname].scorable else None
        if lengths is not None and found:
            # _add_scored inlined, with the field's constants taken once (the
            # same expressions as _bm25, so the same floats).
            _, constant, per_length = self._bm25(fieldname, found[0][0])
            k1_plus_1 = self.weighting.K1 + 1
            idf = self.top.idf
        postfile = self.reader._terms._postfile
        get = out.get
        deleted = self.deleted
        for n, (btext, _, inlined, offset) in enumerate(found):
            if cancelled is not None and not n % 64 and cancelled():
                raise SearchCancelled
            ids, weights, _ = inlined or _read_blocks(postfile, offset, False, None)
            if deleted:  # a call per word only where there is something to drop
                ids, weights, _ = self._live(ids, weights, (), False)
            if lengths is None:
                if ids:
                    self._add_scored(out, fieldname, btext, ids, weights)
                continue
            numerator = idf(fieldname, btext) * k1_plus_1
            for d, tf in zip(ids, weights):
                out[d] = get(d, 0.0) + numerator * tf / (tf + constant + per_length * lengths[d])
        return out

    def word(self, fieldname: str, text) -> Scores:
        """One word's postings in this segment, scored as Whoosh's BM25F."""
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled
        if fieldname not in self.schema:
            return {}
        field = self.schema[fieldname]
        try:
            btext = field.to_bytes(text) if isinstance(text, str) else text
        except ValueError:
            return {}
        found = self._postings(fieldname, btext)
        if found is None:
            return {}
        ids, weights, _ = found
        return self._scored(fieldname, btext, ids, weights)

    def _scored(self, fieldname: str, btext: bytes, ids: list[int], weights: list[float]) -> Scores:
        if not ids:
            return {}
        if not self.schema[fieldname].scorable:  # Whoosh's WeightScorer: the weight itself
            return dict(zip(ids, weights))
        lengths = field_lengths(self.reader, fieldname)
        if lengths is None:
            return self.whoosh(wq.Term(fieldname, btext))
        numerator, constant, per_length = self._bm25(fieldname, btext)
        return {
            d: numerator * tf / (tf + constant + per_length * lengths[d]) for d, tf in zip(ids, weights)
        }

    def _add_scored(self, out: Scores, fieldname: str, btext: bytes, ids: list[int], weights: list[float]) -> None:
        """``_add(out, self._scored(...))`` without the word's own dict (the
        same floats: each score is computed, then added, the same way)."""
        lengths = field_lengths(self.reader, fieldname) if self.schema[fieldname].scorable else None
        if lengths is None or not out:
            _add(out, self._scored(fieldname, btext, ids, weights))
            return
        numerator, constant, per_length = self._bm25(fieldname, btext)
        get = out.get
        for d, tf in zip(ids, weights):
            out[d] = get(d, 0.0) + numerator * tf / (tf + constant + per_length * lengths[d])

    def phrase(self, q: wq.Phrase) -> Scores:
        """Words at consecutive positions (Whoosh's SpanNear2 with slop 1),
        scored as the sum of the words' scores, as Whoosh does."""
        fieldname = q.fieldname
        field = self.schema[fieldname] if fieldname in self.schema else None
        if q.slop != 1 or field is None or not field.format or not field.format.supports("positions"):
            return self.whoosh(q)  # proximity, or Whoosh's own error for a field without positions
        words = []
        for word in q.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return {}
            words.append(btext)
        if not words:
            return {}
        postings = {}
        for w in set(words):
            found = self._postings(fieldname, w, values=True)  # None: a word this segment lacks
            if found is None:
                return {}
            postings[w] = found
        common = set(postings[words[0]][0])
        for w in words[1:]:
            common.intersection_update(postings[w][0])
        if not common:
            return {}
        decode = field.format.decode_positions
        positions = {}
        for w, (ids, _, values) in postings.items():
            positions[w] = {d: v for d, v in zip(ids, values) if d in common}
        matched = []
        for d in common:
            starts = set(decode(positions[words[0]][d]))
            for i, w in enumerate(words[1:], 1):
                starts.intersection_update(p - i for p in decode(positions[w][d]))
                if not starts:
                    break
            if starts:
                matched.append(d)
        if not matched:
            return {}
        keep = set(matched)
        out: Scores = {}
        for w in words:  # a repeated word counts once per occurrence in the phrase, as in Whoosh
            ids, weights, _ = postings[w]
            pairs = [(d, tf) for d, tf in zip(ids, weights) if d in keep]
            _add(out, self._scored(fieldname, w, [d for d, _ in pairs], [tf for _, tf in pairs]))
        return _boosted(out, q.boost)

    def _bm25(self, fieldname: str, btext: bytes) -> tuple[float, float, float]:
        # The same expression as scoring._Scorer (and so the same floats).
        key = ("avgfl", fieldname)
        avgfl = self.stats.get(key)
        if avgfl is None:
            avgfl = self.stats[key] = self.top.avg_field_length(fieldname) or 1
        weighting = self.weighting
        B = weighting._field_B.get(fieldname, weighting.B)
        K1 = weighting.K1
        idf = self.top.idf(fieldname, btext)
        return idf * (K1 + 1), K1 * (1 - B), K1 * B / avgfl

    def _postings(self, fieldname: str, btext: bytes, values: bool = False) -> tuple[list, list, list] | None:
        """(document numbers, weights, values if asked) of a word in this
        segment, deleted documents left out; None if the segment lacks it."""
        terms = getattr(self.reader, "_terms", None)
        if isinstance(terms, W3TermsReader):
            try:
                info = terms.term_info(fieldname, btext)  # one lookup (Whoosh's postings() made two)
            except TermNotFound:
                return None
            return self._info_postings(fieldname, info, values)
        # not a Whoosh 3 segment: through its matcher, a posting at a time
        if (fieldname, btext) not in self.reader:
            return None
        m = self.reader.postings(fieldname, btext)
        if isinstance(m, FilterMatcher):
            m = m.child
        ids, weights, vals = [], [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if values:
                vals.append(m.value())
            m.next()
        return self._live(ids, weights, vals, values)

    def _info_postings(self, fieldname: str, info, values: bool) -> tuple[list, list, list]:
        """A W3 word's postings from its term info (inlined, or in blocks)."""
        if info.is_inlined():
            ids, weights, vals = (list(part) for part in info.inlined_postings())
        else:
            fixed = self.schema[fieldname].format.fixed_value_size() if values else None
            ids, weights, vals = _read_blocks(self.reader._terms._postfile, info.extent()[0], values, fixed)
        return self._live(ids, weights, vals, values)

    def _live(self, ids: list, weights: list, vals: list, values: bool) -> tuple[list, list, list]:
        """The postings without the deleted documents."""
        deleted = self.deleted
        if deleted:
            keep = [i for i, d in enumerate(ids) if d not in deleted]
            ids = [ids[i] for i in keep]
            weights = [weights[i] for i in keep]
            if values:
                vals = [vals[i] for i in keep]
        return ids, weights, vals

    # -- combinations --------------------------------------------------------
    def union(self, q: wq.Or) -> Scores:
        if q.minmatch or q.scale:
            return self.whoosh(q)
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:  # Whoosh ignores a one-child compound's boost
            return self.evaluate(subs[0])
        out: Scores = {}
        for sub in subs:
            _add(out, self.evaluate(sub))
        return _boosted(out, q.boost)

    def intersection(self, q: wq.And) -> Scores:
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:
            return self.evaluate(subs[0])
        parts = []
        for sub in subs:
            found = self.evaluate(sub)
            if not found:
                return {}
            parts.append(found)
        common = set(parts[0])
        for part in parts[1:]:
            common.intersection_update(part)
        out = {d: sum(part[d] for part in parts) for d in common}
        return _boosted(out, q.boost)

    def and_not(self, q: wq.AndNot) -> Scores:
        positive = self.evaluate(q.a)
        if not positive:
            return {}
        negative = self.evaluate(q.b)
        if not negative:
            return positive
        return {d: s for d, s in positive.items() if d not in negative}

    # -- anything else: Whoosh's own matcher on this segment ----------------------
    def whoosh(self, q: wq.Query) -> Scores:
        m = q.matcher(self.searcher, self.context)
        out: Scores = {}
        while m.is_active():
            out[m.id()] = m.score()
            m.next()
        return out


_INT = struct.Struct("!i")
# Expansions of at least RUN_MIN words are read as a run of the term index
# when the run holds at most RUN_FACTOR times as many words (reading and
# skipping an entry of a run costs ~0.3 us, a lookup ~10 us: ``*ing``'s
# title words are 1 in 11 of their run).
RUN_MIN = 16
RUN_FACTOR = 20


def _read_blocks(postfile, offset: int, values: bool, fixed: int | None) -> tuple[list, list, list]:
    """A word's posting blocks as ``W3LeafMatcher`` reads them, in one pass.

    Each block is: its length (negative for the last), a pickled header
    (count, max id, max weight, compressed?, min and max length), then the
    pickled (ids as deltas, weights, values), zlib-compressed if the header
    says so. Whoosh's matcher unpickles each header from the file in ~20
    small reads and looks the word up twice; on a broad wildcard that was
    most of the time.
    """
    get = postfile.get
    if get(offset, 4) != W3_MAGIC:
        raise ValueError(f"damaged postings at {offset}")
    pos = offset + 4
    ids: list[int] = []
    weights: list[float] = []
    vals: list = []
    while True:
        length = _INT.unpack(get(pos, 4))[0]
        last = length < 0
        length = -length if last else length
        block = io.BytesIO(get(pos + 4, length))
        count, _maxid, _maxweight, compressed, _minlength, _maxlength = pickle.load(block)
        data = block.read()
        block_ids, block_weights, block_values = pickle.loads(inflate(data) if compressed else data)
        ids.extend(itertools.accumulate(block_ids))  # stored as deltas
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if values:
            if fixed is None or fixed < 0:
                vals.extend(block_values)
            elif fixed == 0:
                vals.extend([None] * count)
            else:
                vals.extend(block_values[i : i + fixed] for i in range(0, len(block_values), fixed))
        if last:
            return ids, weights, vals
        pos += 4 + length


def _add(into: Scores, found: Scores) -> None:
    if not into:
        into.update(found)
        return
    get = into.get
    for d, s in found.items():
        into[d] = get(d, 0.0) + s


def _boosted(found: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return found
    return {d: s * boost for d, s in found.items()}


_HANDLERS: dict[type, Callable] = {
    wq.Term: _Segment.term,
    wq.Or: _Segment.union,
    wq.DefaultOr: _Segment.union,
    wq.And: _Segment.intersection,
    wq.AndNot: _Segment.and_not,
    wq.Phrase: _Segment.phrase,
}
# Subclasses: prefix, wildcard, fuzzy (ours included), CJK characters.
_BASES: tuple[tuple[type, Callable], ...] = ((wq.MultiTerm, _Segment.expanding),)
