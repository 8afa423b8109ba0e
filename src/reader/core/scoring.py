"""BM25F as Whoosh computes it, with each segment's field lengths read once.

Whoosh's BM25F scorer looks up a document's field length through four
layers of calls per match (about a fifth of a search's time once every match
is scored, see ``search._top``). :class:`FastBM25F` reads a segment's length
column in one go (one byte per document, decoded through a 256-entry table)
and keeps it per segment reader; scores are the same formula.
"""

from __future__ import annotations

import weakref

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.util.numeric import byte_to_length

from .zerocopy import fixed_column_bytes

# Byte -> length as Whoosh decodes it; a missing length (0) counts as 1, as
# BM25FScorer's ``doc_field_length(docnum, field, 1)`` does.
_LENGTH = [byte_to_length(b) or 1 for b in range(256)]
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def field_lengths(reader, fieldname: str) -> list[int] | None:
    """Every document's length in ``fieldname`` for one segment reader, or
    None when it cannot be read in one go (then Whoosh's lookup is used)."""
    try:
        per_field = _CACHE.setdefault(reader, {})
    except TypeError:  # not weak-referenceable
        return None
    if fieldname in per_field:
        return per_field[fieldname]
    lengths = None
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    except AttributeError:  # not a W3 segment reader
        column = None
    raw = fixed_column_bytes(column, 1)
    if raw is not None:
        lengths = [_LENGTH[b] for b in raw]
        lengths.extend([1] * (reader.doc_count_all() - len(lengths)))
    per_field[fieldname] = lengths
    return lengths


class FastBM25F(BM25F):
    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if type(scorer) is BM25FScorer:
            lengths = field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                return _Scorer(scorer, lengths)
        return scorer


class _Scorer(BM25FScorer):
    """A BM25FScorer whose per-match length lookup is a list index."""

    def __init__(self, base: BM25FScorer, lengths: list[int]) -> None:  # noqa: super().__init__ not wanted
        self.__dict__.update(base.__dict__)
        self._lengths = lengths
        # bm25(idf, tf, fl, avgfl, B, K1) = idf * tf * (K1 + 1) / (tf + K1 * ((1 - B) + B * fl / avgfl))
        self._numerator = self.idf * (self.K1 + 1)
        self._constant = self.K1 * (1 - self.B)
        self._per_length = self.K1 * self.B / self.avgfl

    def score(self, matcher):
        tf = matcher.weight()
        return self._numerator * tf / (tf + self._constant + self._per_length * self._lengths[matcher.id()])
