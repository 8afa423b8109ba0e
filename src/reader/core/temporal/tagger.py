"""Find temporal expressions and normalise them to TIMEX3 against a document creation time.

Pipeline of :func:`tag_timexes`:

1. every pattern of :mod:`.patterns` is run over the text; candidates failing a cheap
   context check (:func:`_accept`) are dropped;
2. the longest non-overlapping candidates are kept (ties: earlier pattern wins);
3. the survivors are resolved left to right by :mod:`.resolve`, which keeps a *narrative
   reference time* (the last resolved date in the preceding text) for "earlier/later"
   offsets, while "ago", weekdays, "yesterday", "last month"... anchor to the DCT;
4. expressions on metadata lines (bylines, "Published: ...", citations, copyright, lone
   datelines, "(Updates with ...)") are flagged ``metadata=True`` and never become the
   reference time.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re

from .metadata import metadata_lines
from .patterns import ANCHOR_KINDS, ANCHOR_RX, DIGIT_ANCHOR_RX, DIGIT_KINDS, KIND_FIRST, KIND_LEFT, LEFT_OK, PATTERNS, WORD_START
from .resolve import Context, resolve
from .timex import Timex

_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|since|until|till|by|during|over|through|throughout|this|last|next|for|of|from|before|after|early|late|mid|past|coming|each|every)\s+(?:the\s+)?$)",
    re.IGNORECASE,
)
_CLOCK_AFTER = re.compile(r"\s*(?:gmt|utc|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|jst|hrs|local time)\b", re.IGNORECASE)
_NUMBERISH_BEFORE = re.compile(r"(?:[$#£€]\s*|\bNo\.\s*|\bnumber\s+|\d[,.]|\bflights?\s+|\broutes?\s+|\bmodel\s+|\bversion\s+|\bpage\s+|\b[A-Z]{2,}-)$", re.IGNORECASE)
_SET_CUE_BEFORE = re.compile(r"(?:\d|%|\bpercent|\btimes|\bonce|\btwice|\bthrice|\bmillion|\bbillion|\bthousand|\bdollars|\bcents|\bhours|\bdays|\btons|\bbarrels|\bbushels|\bunits|\bshares)\s*$", re.IGNORECASE)


_FUNCTION_WORDS = {"basis", "through", "since", "in", "at", "for", "on", "to", "and", "or", "until", "from", "with",
                   "by", "as", "than", "but", "during", "over", "after", "before", "the", "a", "an", "of", "is", "are",
                   "was", "were", "will", "would", "since", "while", "when", "if", "so", "said", "says"}
_DATELINE_PREFIX = re.compile(r"\s*(?:[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+)*,\s*(?:[A-Z][a-zA-Z.]+\s*,\s*)?)")


def _has_lower(text: str, s: int, e: int) -> bool:
    """True if a lower-case letter is near ``text[s:e]`` (40 characters either
    side, line breaks included: "matures\n2017." is wrapped prose)."""
    near = text[max(0, s - 40) : e + 40]
    return near.upper() != near


def _accept(kind: str, m: re.Match[str], text: str, s: int, e: int) -> bool:
    """Context checks that cannot be expressed comfortably in the patterns."""
    g = m.groupdict()
    if kind == "year":
        if g.get("fiscal") or g.get("part"):
            return True
        before = text[max(0, s - 12):s]
        if _NUMBERISH_BEFORE.search(before):
            return False
        after = text[e:e + 16]
        if _CLOCK_AFTER.match(after):
            return False  # "1615 gmt": a time of day
        if not _PREP_BEFORE.search(before) and not _has_lower(text, s, e):
            # Text without lower case around is a headline or a table ("OCT7 1633 UP 10",
            # "(NRKI 1821)", "RING 1617 - APR 7"): a bare number there is a year
            # only after "in", "since", "by"... ("TO EXPORT IN 1988").
            return False
        if re.match(r"\s*(?:-|to|and)?\s*\d|[.,]\d|\s*(?:shares|people|employees|workers|jobs|units|cars|tons|troops|acres|feet|miles|meters|members|points|votes|cases|barrels|ounces|pounds|words|[a-z]+s\b(?<!days)(?<!years))", after, re.IGNORECASE):
            # "1990 shares" / "2000 people" are counts, but "1990 levels" is rare enough
            if not re.match(r"\s*(?:levels|figures|results|earnings|sales|profits|budget|elections?|census|games|season|olympics|prices|rates|targets|highs|lows)\b", after, re.IGNORECASE):
                return False
        return True
    if kind == "quarter":
        if g.get("qunit", "").lower() == "half" and not g.get("qord"):
            return False
        if not (g.get("qord") or g.get("qmods") or g.get("qyear") or g.get("qof")) and not m.group(0).lower().startswith("the"):
            return False
        if g.get("qord", "") and g["qord"].lower() in ("last", "final", "latter") and g.get("qunit", "").lower() == "half" and not (g.get("qof") or g.get("qyear")):
            return True
        return True
    if kind == "season":
        if g.get("rel") and g["rel"].lower() != "the":
            return True
        if g.get("y") or g.get("part"):
            return True
        before = text[max(0, s - 12):s]
        if g["season"].lower() in ("fall", "spring") and not (g.get("rel") and _PREP_BEFORE.search(before)):
            return False
        return bool(_PREP_BEFORE.search(before))
    if kind == "rel_unit":
        rel = g["rel"].lower()
        if rel == "the" and not g.get("part") and g["unit"].lower() != "weekend":
            return False
        if rel in ("past", "coming", "current", "previous", "following", "prior") and g["unit"].lower() == "decade":
            return True
        return True
    if kind == "set":
        ev = (g.get("every") or "").lower()
        if ev.startswith("a") and ev != "a":
            ev = "a"
        if ev == "a":
            return False       # "$2 a year", "four flights a week": not annotated in TimeBank
        adv = g.get("adv")
        if adv:
            nxt = re.match(r"\s+([a-z]+)", text[e:e + 20])
            if nxt and nxt.group(1) not in _FUNCTION_WORDS:
                return False   # adjective: "quarterly dividend", "daily flights"
        return True
    if kind == "duration":
        n = g["n"].lower()
        unit = g["unit"].lower()
        if n == "the" and not (g.get("mod") or g.get("mod2")):
            return False
        if n in ("a", "an", "the") and unit in ("quarter", "second") and not g.get("mod2"):
            return False
        if n in ("a", "an", "one") and unit == "second":
            return False
        if n == "some" and unit.endswith("s") is False:
            return False
        before = text[max(0, s - 3):s]
        if before.endswith("$") or before.endswith("#"):
            return False
        if (g.get("tail") or "").lower() == "old":
            return False       # ages are not timexes
        if n in ("a", "an") and _SET_CUE_BEFORE.search(text[max(0, s - 14):s]):
            return False       # "$500 million a year"
        return True
    if kind == "dur_adj":
        return g.get("tail") is None or g["tail"].lower() != "old"
    if kind == "ref":
        r = g["ref"].lower()
        if r in ("current", "recent"):
            after = text[e:e + 20].lower()
            # adjectives: only when modifying a time-ish head ("current quarter" is taken
            # by a longer pattern) or a period-like noun
            return bool(re.match(r"\s+(?:period|times|months|weeks|years|days|session|fiscal|crisis|slump|downturn|rally|decline|turmoil|climate|environment|slowdown|weakness|levels?|rate|trend|situation)\b", after))
        if r == "now":
            after = text[e:e + 10].lower()
            if re.match(r"\s*(?:that|defunct)\b", after):
                return False
        if r == "future":
            after = text[e:e + 12].lower()
            if re.match(r"\s+(?:contracts?|prices?|delivery|sales|months?)\b", after) or text[max(0, s - 4):s].lower().endswith("the "):
                return False
        return True
    if kind == "deictic":
        return True
    if kind == "this_tod":
        if g["rel"].lower() == "the" and g["tod"].lower() in ("night", "evening"):
            return False
        return True
    if kind == "md" or kind == "dm":
        # "the 10 March"?  "March 3 percent" / "Oct. 5-year notes"
        after = text[e:e + 10]
        if re.match(r"\s*(?:%|percent|per\s+cent|-year|-month|-day|million|billion)", after, re.IGNORECASE):
            return False
        return True
    if kind == "month":
        mon = m.group("mon")
        if mon in ("March", "MARCH") and not g.get("rel") and not g.get("part") and not g.get("yrel"):
            after = text[e:e + 12]
            before = text[max(0, s - 10):s]
            if re.match(r"\s+(?:to|on|in|of|for|through|across|toward|past|into)\s+(?!\d)", after) and not _PREP_BEFORE.search(before):
                return False
        return True
    return True


_KIND_RX = {kind: (order, rx, "x" in rx.groupindex) for order, (kind, rx) in enumerate(PATTERNS)}
_LEFT_CHARS = 70
_LEFT_WORDS = 7
# A word start (WORD_START, run on the lower-cased text, where the same
# characters are word characters) and the ASCII letters it begins with ("" if
# none): the words a timex may begin with left of its anchor.
_LEFT_WORD = re.compile(r"(?<![\w'-])(?=[\w'$])([a-z]*)")
assert WORD_START.pattern == r"(?<![\w'-])[\w'$]", "keep _LEFT_WORD in step with WORD_START"


def _kind_plan(kinds: tuple[str, ...]) -> tuple[bool, tuple]:
    """For an anchor's kinds: whether any may start left of the anchor, and
    per kind (kind, order, match, has_x, words to its left it may start at,
    first words it accepts there or None for any)."""
    plan = []
    for kind in kinds:
        order, rx, has_x = _KIND_RX[kind]
        plan.append((kind, order, rx.match, has_x, KIND_LEFT[kind], KIND_FIRST.get(kind)))
    return any(KIND_LEFT[k] for k in kinds), tuple(plan)


_PLANS = {kinds: _kind_plan(kinds) for kinds in {*ANCHOR_KINDS.values(), *DIGIT_KINDS.values()}}


def _candidates(text: str) -> list[tuple[int, int, int, str, re.Match[str]]]:
    """Pattern matches around anchor words (see ``patterns.ANCHOR_RX``)."""
    low = text.lower()
    if len(low) != len(text):       # exotic Unicode case mapping: keep offsets exact
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    anchors: list[tuple[int, tuple[bool, tuple]]] = [(m.start(), _PLANS[ANCHOR_KINDS[m[0]]]) for m in ANCHOR_RX.finditer(low)]
    for m in DIGIT_ANCHOR_RX.finditer(text):
        anchors.append((m.start(), _PLANS[DIGIT_KINDS[m.lastgroup]]))
    out = []
    seen: set[tuple[int, int, str]] = set()
    for a_start, (needs_left, plan) in anchors:
        if needs_left:
            # the last _LEFT_WORDS word starts, then their first words (only those)
            left = [(m.start(), m[1]) for m in _LEFT_WORD.finditer(low, max(0, a_start - _LEFT_CHARS), a_start)][-_LEFT_WORDS:]
            left = [(st, w) for st, w in left if not w or w in LEFT_OK]
        else:
            left = ()  # no kind of this anchor starts left of it
        for kind, order, match, has_x, k, first_ok in plan:
            if k and left:
                starts = [st for st, w in left[-k:] if not w or first_ok is None or w in first_ok]
                starts.append(a_start)
            else:
                starts = (a_start,)
            for st in starts:
                m = match(text, st)
                if m is None or m.end() <= a_start:
                    continue
                if has_x and m.group("x") is not None:
                    s, e = m.span("x")
                else:
                    s, e = m.span()
                while e > s and text[e - 1] in " \t\n,":
                    e -= 1
                if e <= s or (s, e, kind) in seen:
                    break
                seen.add((s, e, kind))
                if _accept(kind, m, text, s, e):
                    out.append((s, e, order, kind, m))
                break
    return out


def _select(cands):
    """Longest-first greedy choice of non-overlapping spans."""
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    starts: list[int] = []
    ends: list[int] = []
    chosen = []
    for c in cands:
        s, e = c[0], c[1]
        i = bisect.bisect_right(starts, s)
        if i > 0 and ends[i - 1] > s:
            continue
        if i < len(starts) and starts[i] < e:
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def tag_timexes(text: str, dct: dt.date | None) -> list[Timex]:
    """All temporal expressions of ``text``, sorted and non-overlapping.

    ``dct`` is the document creation time (publication date) used as the anchor for
    deictic expressions; with ``dct=None`` absolute dates are still resolved while the
    relative ones get ``value=None`` or an underspecified TIMEX3 value ("XXXX-WXX-5").
    """
    chosen = _select(_candidates(text))
    meta_spans = metadata_lines(text, [(c[0], c[1], c[3]) for c in chosen])
    ctx = Context(text=text, dct=dct)
    out: list[Timex] = []
    mi = 0
    for s, e, _order, kind, m in chosen:
        while mi < len(meta_spans) and meta_spans[mi][1] <= s:
            mi += 1
        is_meta = mi < len(meta_spans) and meta_spans[mi][0] <= s < meta_spans[mi][1]
        ctx.start, ctx.end = s, e
        r = resolve(kind, m, ctx)
        if r is None:
            continue
        ttype, value, point, approx = r
        date = gran = None
        if point is not None and point.calendar_gran and ttype in ("DATE", "TIME"):
            date, gran = point.date, point.calendar_gran
        out.append(Timex(text[s:e], s, e, ttype, value, date, gran, approx, is_meta))
        if point is not None and not is_meta and ttype in ("DATE", "TIME") and kind != "year_ago" \
                and not (kind == "offset" and point.gran in ("quarter", "year")):
            # "a year earlier" / "the year-ago quarter" compare, they do not move the story
            ctx.ref = point
    return out
