"""Tokeniser and sentence splitter for organisation detection.

Produces CoNLL-2003-like tokens with character offsets: punctuation is split off,
the possessive ``'s`` is its own token, abbreviations such as ``U.S.`` or
``Inc.`` keep their period.  Pure Python, one regular expression pass.
"""

from __future__ import annotations

import re

__all__ = ["Token", "tokenize", "sentences", "is_caps_sentence", "is_title_sentence", "sentence_kind", "LEGAL_ABBREV"]

# A token: (text, start, end)
Token = tuple[str, int, int]

# Abbreviations that keep a following period inside the token.
LEGAL_ABBREV = frozenset(
    "inc ltd corp co plc bros llc lp cos ag sa nv bv spa ab asa as oyj kk pty pte bhd tbk".split()
)
_ABBREV = LEGAL_ABBREV | frozenset(
    "mr mrs ms dr st jr sr gen col lt sgt gov sen rep prof no vs dept govt intl natl assn jan feb mar apr "
    "jun jul aug sep sept oct nov dec mt ft".split()
)
_TERMINATORS = frozenset(".!?")

_TOKEN_RE = re.compile(
    r"""
    (?:[^\W\d_]\.){2,}                              # U.S.  U.K.  E.U.
  | (?=[A-Za-z]{1,4}\.)(?:[A-Z]|(?i:%s))\.                           # initials and abbreviations: J.  Inc.  Corp.  Mr.
  | \d{1,3}(?:,\d{3})+(?:\.\d+)?                    # 1,000  2,500.5
  | [^\W_]+(?:(?:[-&.][^\W_]+)|(?:['’](?![sS]\b|m\b|ll\b|ve\b|re\b|d\b)[^\W_]+))*   # words, O'Neil, AT&T, 1.5
  | ['’](?:[sSdm]|ll|ve|re)\b                       # possessive, clitics
  | -{2,} | \.{2,}                                  # -- ...
  | \S                                              # any other single character
    """
    % "|".join(sorted(_ABBREV, key=len, reverse=True)),
    re.VERBOSE,
)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into ``(token, start, end)`` triples."""
    return [(m[0], m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]  # 40% faster than *m.span()


def sentences(text: str, toks: list[Token]) -> list[tuple[int, int]]:
    """Return sentence boundaries as ``(first_index, end_index)`` over ``toks``.

    A sentence ends at a line break or after ``. ! ?`` followed by a token that
    does not start with a lower-case letter.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    n = len(toks)
    for i in range(1, n):
        prev = toks[i - 1]
        cur = toks[i]
        if "\n" in text[prev[2] : cur[1]]:
            bounds.append((start, i))
            start = i
        elif (prev[0] in _TERMINATORS or prev[0] == ":") and not cur[0][0].islower():
            bounds.append((start, i))
            start = i
    if n:
        bounds.append((start, n))
    return bounds


def sentence_kind(words: list[str]) -> int:
    """3: prose, 1: ALL-CAPS headline, 2: Title Case headline, 0: other (tables, lists, short lines)."""
    lowc = 0
    for w in words:
        if w[0].islower() and w not in _MINOR:
            lowc += 1
            if lowc > 1:
                return 3
    if is_caps_sentence(words):
        return 1
    if lowc == 0 and is_title_sentence(words):
        return 2
    return 0


def is_caps_sentence(words: list[str]) -> bool:
    """True for headline-like sentences written mostly in upper case."""
    up = low = 0
    for w in words:
        if w[0].isalpha():
            if w.isupper():
                up += 1
            elif w.islower() or w[0].isupper():
                low += 1
    return up >= 2 and up > 2 * low


_MINOR = frozenset(
    "a an the and or but nor of in on at to for from by with as into over about after before than via vs per up "
    "is are was were be its it".split()
)


def is_title_sentence(words: list[str]) -> bool:
    """True for Title Case Headlines ("China Orders 25 Tech Giants to Fix Raft of Problems")."""
    content = cap = digits = 0
    for w in words:
        c = w[0]
        if c in ",;()[]":
            return False
        if c.isdigit():
            digits += 1
            if digits > 1:
                return False
        if c.isalpha() and w.lower() not in _MINOR:
            content += 1
            if c.isupper():
                cap += 1
    return content >= 4 and cap == content and not (words[-1] in (".", "!", "?") and len(words) > 14)
