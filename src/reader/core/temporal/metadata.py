"""Detect metadata lines: bylines, "Published: ..." headers, citations, copyright notices,
lone datelines and wire-service "(Updates with ...)" notes.  Dates on such lines describe
the document, not narrated events."""
from __future__ import annotations

import re

from .patterns import METADATA_LINE

_ONLY_PUNCT = re.compile(r"[\s,.;:|/()\[\]\-–—*_#]*")
_ABSOLUTE = {"iso", "slash", "mdy", "dmy", "md", "dm", "my", "clock", "year"}


# In a plain ASCII line, METADATA_LINE can only match where one of these is:
# most lines are ruled out without running it (IGNORECASE's Unicode
# equivalents, such as the long s for "s", are not ASCII).
_METADATA_WORDS = ("copyright", "rights", "retrieved", "accessed", "citation", "cite", "http")


def _is_metadata(line: str) -> bool:
    if line.isascii() and "(" not in line and ":" not in line:
        low = line.lower()
        if not any(w in low for w in _METADATA_WORDS):
            return False
    return METADATA_LINE.search(line) is not None


def metadata_lines(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Sorted (start, end) spans of the lines of ``text`` that hold metadata.

    ``spans`` are the chosen timex candidates (start, end, kind), used to recognise a
    line that consists of nothing but a date (a dateline).
    """
    out: list[tuple[int, int]] = []
    if not spans:
        return out
    # group spans by line lazily: only lines containing a timex matter
    si = 0
    n = len(spans)
    while si < n:
        s = spans[si][0]
        ls = text.rfind("\n", 0, s) + 1
        le = text.find("\n", s)
        if le < 0:
            le = len(text)
        line = text[ls:le]
        meta = _is_metadata(line)
        j = si
        on_line = []
        while j < n and spans[j][0] < le:
            on_line.append(spans[j])
            j += 1
        if not meta and len(line) < 80 and all(k in _ABSOLUTE for _, _, k in on_line):
            rest = []
            pos = ls
            for a, b, _k in on_line:
                rest.append(text[pos:a])
                pos = b
            rest.append(text[pos:le])
            if _ONLY_PUNCT.fullmatch("".join(rest)):
                meta = True
        if meta:
            out.append((ls, le))
        si = j
    return out
