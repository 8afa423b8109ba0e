"""Canonical names: legal-suffix and possessive stripping, lookup keys.

``lookup_key`` maps every surface variant of an organisation name to one
string: "Alibaba Group Holding Ltd." and "Alibaba" give the same key, as do
"Ministry of Industry and Information Technology" and
"Ministry of Industry Information Technology".
"""

from __future__ import annotations

import re

__all__ = ["LEGAL_SUFFIXES", "GROUP_WORDS", "lookup_key", "canonical_name", "strip_possessive", "is_legal_suffix"]

# Lower-cased, dots removed.  These never create a separate entity.
LEGAL_SUFFIXES = frozenset(
    """inc incorporated ltd limited corp corporation co cos company plc llc lp llp ag sa nv bv gmbh kgaa
    spa sab se ab asa as oyj kk pty pte bhd tbk sarl srl pvt pt""".split()
)
# Stripped only when another legal suffix follows ("Group Holding Ltd.") or at the end ("Tencent Holdings").
GROUP_WORDS = frozenset("group holding holdings".split())
_DROP = frozenset(("the", "and", "&"))
_WORD_RE = re.compile(r"[^\W_]+(?:[&'][^\W_]+)*|&", re.UNICODE)
_POSS_RE = re.compile(r"['’][sS]?$")


def strip_possessive(s: str) -> str:
    """``"MIIT's"`` -> ``"MIIT"``; ``"Xerox'"`` -> ``"Xerox"``."""
    return _POSS_RE.sub("", s.rstrip()) if s.rstrip()[-2:] in ("'s", "’s", "'S", "’S") or s.rstrip()[-1:] in "'’" else s


def is_legal_suffix(word: str) -> bool:
    w = word.lower().replace(".", "").rstrip(",")
    return w in LEGAL_SUFFIXES or w in GROUP_WORDS


def _strip_suffix_words(words: list[str], norm: list[str]) -> int:
    """Number of leading words to keep after removing trailing legal suffixes."""
    n = len(words)
    while n > 1:
        w = norm[n - 1]
        if w in LEGAL_SUFFIXES:
            n -= 1
        elif w in ("holding", "holdings"):
            n -= 1
        elif w == "group" and n < len(words):  # "Group" only as part of "Group Holding Ltd."
            n -= 1
        elif w in ("and", "&") and n < len(words):  # "Kidder, Peabody and Co": the "and" of the suffix
            n -= 1
        else:
            break
    return n


def lookup_key(name: str) -> str:
    """Case-, punctuation- and suffix-insensitive key for alias lookup."""
    s = strip_possessive(name.strip()).replace("’", "'").replace(".", "").lower()
    words = _WORD_RE.findall(s)
    words = [w for w in words if w not in _DROP] or words
    if not words:
        return s
    keep = _strip_suffix_words(words, words)
    return " ".join(words[:keep])


_SPLIT_RE = re.compile(r"\S+")


def canonical_name(surface: str) -> str:
    """Display name for an organisation seen only in text: suffixes, possessive and a leading "The" removed."""
    s = strip_possessive(surface.strip())
    words = _SPLIT_RE.findall(s)
    if len(words) > 1 and words[0] in ("The", "the", "THE"):
        words = words[1:]
    # "Apple, Inc." -> drop the comma with the suffix
    norm = [w.lower().replace(".", "").rstrip(",") for w in words]
    keep = _strip_suffix_words(words, norm)
    out = " ".join(words[:keep]).rstrip(",")
    return out or s
