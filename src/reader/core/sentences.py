"""Rule-based sentence splitter returning character spans.

A sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes/brackets) followed by
whitespace and an upper-case letter, digit, quote or bracket -- unless the word before the
full stop is a known abbreviation ("Mr.", "Ltd.", "Sep.", "U.S.") or a single-letter
initial.  Blank lines always end a sentence; a single newline ends one too unless the
document is hard-wrapped (most lines 40-80 characters, like Reuters) or the next line
starts in lower case.  Markdown links ``[text](url)`` are left intact.
"""
from __future__ import annotations

import re

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "rev", "gen", "col", "lt", "capt", "cmdr",
    "sgt", "maj", "adm", "gov", "sen", "rep", "pres", "hon", "messrs", "mme", "mlle", "sra", "srta",
    "ltd", "inc", "corp", "co", "cos", "plc", "llc", "bros", "assn", "dept", "univ", "div", "intl",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "no", "nos", "vol", "vols", "pp", "p", "fig", "figs", "approx", "est", "vs", "v", "etc", "al", "cf",
    "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "n.y", "l.a",
    "ave", "blvd", "rd", "hwy", "calif", "conn", "fla", "ill", "mass", "mich", "minn", "penn", "tenn", "tex",
    "wash", "wis", "ariz", "colo", "ga", "ky", "la", "md", "mo", "nev", "okla", "ore", "pa", "va", "vt",
}
# abbreviations that frequently end a sentence too: only non-breaking before lower case / digits
_WEAK = {"etc", "co", "inc", "ltd", "corp", "plc", "llc", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "d.c"}

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_NEXT = re.compile(r"\s+([\"'“‘(\[]*)(\S)")
_SENT_STARTERS = {"The", "A", "An", "In", "It", "He", "She", "They", "We", "But", "And", "This", "That", "On", "At",
                  "Its", "His", "Her", "Their", "There", "For", "As", "After", "While", "Some", "Shares", "Analysts"}


def wrapped(text: str) -> bool:
    """True for a hard-wrapped document: most of its lines 40-82 characters."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 6:
        return False
    mid = sum(1 for ln in lines if 40 <= len(ln.rstrip()) <= 82)
    return mid >= 0.6 * len(lines)


def _split_block(text: str, lo: int, hi: int, out: list[tuple[int, int]]) -> None:
    start = lo
    for m in _END.finditer(text, lo, hi):
        e = m.end()
        nm = _NEXT.match(text, e, hi)
        if not nm:
            continue
        nxt = nm.group(2)
        if not (nxt.isupper() or nxt.isdigit() or nm.group(1)):
            continue
        punct = m.group(0)
        if punct[0] == "." and len(punct.rstrip("\"'”’)]")) == 1:
            wm = _WORD_BEFORE.search(text, max(lo, m.start() - 20), m.start())
            if wm:
                word = wm.group(1)
                low = word.lower().rstrip(".")
                if len(word) == 1 and word.isupper():
                    continue  # initial "J. Smith"
                if low in _ABBREV:
                    if low not in _WEAK:
                        continue
                    # weak abbreviation: break only before a typical sentence opener
                    nword = re.match(r"\w+", text[nm.start(2):nm.start(2) + 20])
                    if not (nword and nword.group(0) in _SENT_STARTERS):
                        continue
                elif re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
                    continue  # "U.S." style acronym with a following capital: usually a name
        _add(text, start, e, out)
        start = nm.start(1) if nm.group(1) else nm.start(2)
    _add(text, start, hi, out)


def _add(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of ``text``, in order, trimmed."""
    out: list[tuple[int, int]] = []
    hard_wrapped = wrapped(text)
    # blocks: paragraphs, and single lines unless the text is hard-wrapped
    block_start = 0
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            _split_block(text, block_start, n, out)
            break
        nxt_line_start = nl + 1
        rest = text[nxt_line_start:nxt_line_start + 200]
        blank = rest.lstrip(" \t\r").startswith("\n") or not text[block_start:nl].strip()
        indent = rest[:1] in (" ", "\t") and rest.strip() != ""
        first = rest.lstrip()[:1]
        brk = blank or (not hard_wrapped and not first.islower()) or (hard_wrapped and indent)
        if brk:
            _split_block(text, block_start, nl, out)
            block_start = nxt_line_start
        pos = nxt_line_start
    return out
