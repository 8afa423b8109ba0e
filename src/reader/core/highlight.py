"""Finding query terms in text and cutting highlighted snippets.

Pure functions over plain strings: the UI styles the returned spans itself,
so article text is never turned into markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from .models import Snippet
from .cjk import _SPECIAL
from .schema import ANALYZER

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
PATTERN_MAX = 64  # terms: above this, find_hits checks every word of the text instead


def find_hits(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of every token of ``text`` whose analysed form is in ``terms``.

    CJK text is analysed into overlapping bigrams (阿里 里巴 巴巴), so spans
    that overlap are merged: a match of 阿里巴巴 is one four-character span.
    """
    wanted = terms if isinstance(terms, frozenset) else frozenset(terms)
    if not wanted or not text:
        return []
    if _SPECIAL.search(text) is None and _all_ascii(wanted):
        # No CJK or full-width text: the tokens are exactly \w+ runs, and a
        # token equals an ASCII term only if it matches it case-insensitively
        # (each candidate is confirmed the analyser's way, lowercased).
        if len(wanted) > PATTERN_MAX:
            # A wildcard's thousands of words: one alternation that size
            # took ~20 ms a row; checking each word of the text is linear.
            return [m.span() for m in _WORD.finditer(text) if m.group().lower() in wanted]
        return [m.span() for m in _pattern(wanted).finditer(text) if m.group().lower() in wanted]
    return _token_hits(text, wanted)


@functools.lru_cache(maxsize=64)
def _all_ascii(terms: frozenset[str]) -> bool:
    """Asked once per result, not per row (a wildcard's terms run to thousands)."""
    return all(t.isascii() for t in terms)


def _token_hits(text: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    """find_hits by running the analyser over the whole text."""
    spans: list[tuple[int, int]] = []
    for tok in ANALYZER(text, chars=True, mode="query"):
        if tok.text in wanted:
            start, end = tok.startchar, tok.endchar
            if spans and start < spans[-1][1]:
                if end > spans[-1][1]:
                    spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


@functools.lru_cache(maxsize=64)
def _pattern(terms: frozenset[str]) -> re.Pattern:
    words = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)


def make_snippet(text: str, hits: list[tuple[int, int]], width: int = 220) -> Snippet:
    """A one-line extract around the densest cluster of hits, whitespace collapsed."""
    if not text:
        return Snippet("")
    if hits:
        start = _best_window(hits, width)
        lo = max(0, start - width // 4)
    else:
        lo = 0
    hi = min(len(text), lo + width)
    # Extend to word boundaries.
    while lo > 0 and not text[lo - 1].isspace() and lo > hi - width - 30:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi < lo + width + 30:
        hi += 1
    return _collapse(text, lo, hi, [h for h in hits if h[0] >= lo and h[1] <= hi])


def _best_window(hits: list[tuple[int, int]], width: int) -> int:
    best_start, best_count = hits[0][0], 0
    j = 0
    for i, (start, _) in enumerate(hits):
        while j < len(hits) and hits[j][1] <= start + width * 3 // 4:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    return best_start


def _collapse(text: str, lo: int, hi: int, hits: list[tuple[int, int]]) -> Snippet:
    """Collapse runs of whitespace in text[lo:hi] and remap the hit spans."""
    out: list[str] = []
    mapping: dict[int, int] = {}
    pos = 0
    i = lo
    piece = text[lo:hi]
    for m in _WS.finditer(piece):
        seg = piece[i - lo : m.start()]
        for k in range(len(seg) + 1):
            mapping[i + k] = pos + k
        out.append(seg)
        pos += len(seg)
        out.append(" ")
        pos += 1
        i = lo + m.end()
    seg = piece[i - lo :]
    for k in range(len(seg) + 1):
        mapping[i + k] = pos + k
    out.append(seg)
    collapsed = "".join(out)
    stripped = collapsed.lstrip()
    shift = len(collapsed) - len(stripped)
    stripped = stripped.rstrip()
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    spans = []
    for s, e in hits:
        if s in mapping and e in mapping:
            ns, ne = mapping[s] - shift + len(prefix), mapping[e] - shift + len(prefix)
            if 0 <= ns < ne <= len(prefix) + len(stripped):
                spans.append((ns, ne))
    return Snippet(prefix + stripped + suffix, tuple(spans))
