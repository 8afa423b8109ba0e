"""Acronym definitions: "Ministry of Industry and Information Technology (MIIT)".

``looks_like_acronym`` accepts tokens such as MIIT, PBoC, EU, U.S.;
``matches_initials`` checks that the acronym's capitals are the initials of
the long name's words (in order, function words optional, a word may give
more than one letter, as in "EADS" for "European Aeronautic Defence and
Space").
"""

from __future__ import annotations

__all__ = ["looks_like_acronym", "matches_initials", "long_form_before"]

_FUNCTION_WORDS = frozenset("of and the for on in de du des la le & to at".split())


def looks_like_acronym(tok: str) -> bool:
    t = tok.replace(".", "").replace("&", "")
    if not (2 <= len(t) <= 10) or not t[0].isupper() or not t.isalnum():
        return False
    caps = sum(1 for c in t if c.isupper())
    return caps >= 2 and caps * 2 >= len(t)


def matches_initials(acr: str, words: list[str]) -> bool:
    """True if ``acr`` can be spelled from the starts of ``words`` (in order)."""
    letters = [c.lower() for c in acr if c.isalpha() and (c.isupper() or True)]
    caps = [c.lower() for c in acr if c.isupper()]
    target = caps if len(caps) >= 2 else letters
    ws = [w for w in words if w]
    if not ws or not target:
        return False
    if ws[0].lower() in ("the",):
        ws = ws[1:]
    if not ws or ws[0][0].lower() != target[0]:
        return False

    return _spells(target, ws, [w.lower() for w in ws], 0, 0, {})


def _spells(target: list[str], ws: list[str], lw: list[str], i: int, j: int, memo: dict) -> bool:
    """Dynamic programming over (letter index ``i``, word index ``j``): can
    ``target[i:]`` be spelled from ``ws[j:]``? A word may supply a prefix of
    letters. (A module function with its memo passed in: a self-referencing
    closure would leave a reference cycle per call for the cyclic GC, which
    bulk index workers run without.)"""
    key = (i, j)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _spell_step(target, ws, lw, i, j, memo)
    return found


def _spell_step(target, ws, lw, i, j, memo) -> bool:
    if i == len(target):
        return all(w in _FUNCTION_WORDS or not ws[k][0].isupper() for k, w in enumerate(lw[j:], start=j))
    if j == len(lw):
        return False
    w = lw[j]
    # skip a function word or a lower-case word
    if (w in _FUNCTION_WORDS or not ws[j][0].isupper()) and _spells(target, ws, lw, i, j + 1, memo):
        return True
    # take 1..k leading letters of this word
    k = 0
    while k < len(w) and i + k < len(target) and w[k] == target[i + k]:
        k += 1
        if _spells(target, ws, lw, i + k, j + 1, memo):
            return True
    return False


def long_form_before(words: list[str], acr: str, max_words: int = 10) -> int | None:
    """Given the words just before "(ACR)", return how many of them form the long name, or None."""
    n = len(words)
    best = None
    for k in range(1, min(n, max_words) + 1):
        span = words[n - k :]
        first = span[0]
        if not first[:1].isupper():
            continue
        if matches_initials(acr, span):
            best = k
            break
    return best
