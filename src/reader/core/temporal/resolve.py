"""Resolution rules: turn one matched pattern into (type, value, Point, approximate).

Anchoring conventions (TimeML/TempEval newswire practice):

* DCT-anchored: weekdays, today/yesterday/tomorrow, "this/last/next <unit>", "N <units> ago",
  months and month-days without a year, seasons, quarters.
* Narrative-reference-anchored: "N <units> earlier/later/before/after" (at clause end),
  "the next day", "the following year", "that week", "a year earlier"... The reference time
  is the last resolved (non-metadata) date in the preceding text, else the DCT.
* Tense: a future cue ("will", "is expected to", "next"...) in the clause flips weekdays,
  months and month-days forward; otherwise the most recent one on or before the DCT.
* Vague or event-anchored expressions ("days later", "a week after <clause>") never get a
  precise value: the first is a DATE with value None, the second is tagged as the DURATION
  "a week" only.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import normalise as N
from .lexicon import MONTHS, ORDINALS, PARTS_OF_DAY, SEASONS, UNITS, WEEKDAYS, number_value, unit_key
from .normalise import Point
from .patterns import FUTURE_CUE

Result = tuple[str, str | None, Point | None, bool]

_SENT_BREAK = re.compile(r"[.!?;\n]")


@dataclass(slots=True)
class Context:
    text: str
    dct: dt.date | None
    ref: Point | None = None
    start: int = 0
    end: int = 0

    @property
    def anchor(self) -> Point | None:
        """Narrative reference time: last resolved date, else the DCT."""
        if self.ref is not None:
            return self.ref
        return N.day(self.dct) if self.dct else None

    def future(self) -> bool:
        """Does the clause around the current expression speak about the future?"""
        t = self.text
        lo = max(0, self.start - 80)
        before = t[lo:self.start]
        cut = max(before.rfind("."), before.rfind("\n"), before.rfind(";"), before.rfind("!"), before.rfind("?"))
        if cut >= 0:
            before = before[cut + 1:]
        for m in FUTURE_CUE.finditer(before):
            w = m.group(0).lower()
            # "said on Monday" earlier in the clause beats a far-away cue only for 'would'
            if w == "would" and len(before) - m.end() > 40:
                continue
            return True
        if len(before.strip()) < 25:   # expression opens its clause: look ahead a little
            after = t[self.end:self.end + 50]
            m = _SENT_BREAK.search(after)
            if m:
                after = after[:m.start()]
            fm = FUTURE_CUE.search(after)
            if fm and fm.group(0).lower() not in ("next", "coming", "would"):
                return True
        return False


def _mon(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")[:4] if word.lower().startswith("sept") else word.lower().rstrip(".")[:3]] if word.lower().rstrip(".") not in MONTHS else MONTHS[word.lower().rstrip(".")]


def _wd(word: str) -> int:
    return WEEKDAYS[word.lower()]


def _daynum(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _year4(s: str, ctx: Context) -> int:
    s = s.strip()
    if s.startswith("'"):
        yy = int(s[1:])
        if ctx.dct:
            century = ctx.dct.year // 100 * 100
            y = century + yy
            return y - 100 if y > ctx.dct.year + 10 else y
        return 1900 + yy if yy > 30 else 2000 + yy
    return int(s)


def _dated(p: Point | None, approx: bool = False, ttype: str = "DATE") -> Result | None:
    if p is None:
        return (ttype, None, None, True)
    return (ttype, p.value(), p, approx)


def _unres(value: str | None) -> Result:
    return ("DATE", value, None, False)


# ---------------------------------------------------------------- year choice for partial dates

def _year_for_month(mon: int, ctx: Context, rel: str | None, dayn: int | None = None) -> int | None:
    dct = ctx.dct
    if dct is None:
        return None
    rel = (rel or "").lower()
    if dayn is None:
        here = (mon > dct.month) - (mon < dct.month)
    else:
        here = ((mon, dayn) > (dct.month, dct.day)) - ((mon, dayn) < (dct.month, dct.day))
    if rel in ("last", "past", "this past"):
        return dct.year if here < 0 else dct.year - 1
    if rel in ("next", "coming", "this coming"):
        return dct.year if here > 0 else dct.year + 1
    if rel == "this":
        return dct.year
    before = ctx.text[max(0, ctx.start - 12):ctx.start].lower()
    cands = []
    for y in (dct.year - 1, dct.year, dct.year + 1):
        d = N.safe_date(y, mon, dayn if dayn is not None else 15) or dt.date(y, mon, 28)
        cands.append((y, (d - dct).days))
    if ctx.future():
        pool = [c for c in cands if c[1] >= (0 if dayn is not None else -31)]
    elif re.search(r"\b(?:since|from|last)\s+$", before):
        pool = [c for c in cands if c[1] <= 0] if dayn is not None else \
            [c for c in cands if (c[0], mon) <= (dct.year, dct.month)]
    else:
        pool = cands
    pool = pool or cands
    # default: the most recent occurrence on or before the DCT, unless the next one is
    # close (within ~3 months ahead: "payable Jan. 15" written in November)
    ahead = [c for c in pool if c[1] > (0 if dayn is not None else 16)]
    behind = [c for c in pool if c not in ahead]
    if ahead and (not behind or min(ahead, key=lambda c: c[1])[1] <= 92):
        return min(ahead, key=lambda c: c[1])[0]
    return max(behind, key=lambda c: c[1])[0]


def _months_apart(a: int, b: int) -> int:
    return abs(a - b)


# ---------------------------------------------------------------- day references

def _weekday_point(wd: int, rel: str | None, ctx: Context) -> Point | None:
    dct = ctx.dct
    if dct is None:
        return None
    rel = (rel or "").lower()
    if rel in ("last", "this past", "past"):
        return N.day(N.weekday_before(dct, wd, inclusive=False))
    if rel in ("next",):
        return N.day(N.weekday_after(dct, wd, inclusive=False))
    if rel in ("this coming", "coming"):
        return N.day(N.weekday_after(dct, wd, inclusive=True))
    if rel == "this":
        if ctx.future():
            return N.day(N.weekday_after(dct, wd, inclusive=True))
        return N.day(N.weekday_before(dct, wd, inclusive=True))
    if ctx.future():
        return N.day(N.weekday_after(dct, wd, inclusive=False))
    return N.day(N.weekday_before(dct, wd, inclusive=True))


def _dayref(s: str, ctx: Context) -> Point | None:
    low = s.lower().strip()
    dct = ctx.dct
    if low in ("today", "tonight"):
        return N.day(dct) if dct else None
    if low == "yesterday":
        return N.day(dct - dt.timedelta(days=1)) if dct else None
    if low == "tomorrow":
        return N.day(dct + dt.timedelta(days=1)) if dct else None
    if low in WEEKDAYS:
        return _weekday_point(WEEKDAYS[low], None, ctx)
    m = re.match(r"([A-Za-z]+\.?)\s*(\d+)\D*(?:,?\s*(\d{4}))?", s)
    if m:
        mon = _mon(m.group(1))
        d = int(m.group(2))
        y = int(m.group(3)) if m.group(3) else _year_for_month(mon, ctx, None, d)
        if y is None:
            return None
        dd = N.safe_date(y, mon, d)
        return N.day(dd) if dd else None
    return None


def _clock(s: str) -> str | None:
    low = s.lower().strip()
    low = re.sub(r"\s+(?:[ecmp][sd]t|gmt|utc|bst|cet|hkt|jst)$", "", low)
    if low in ("noon", "midday"):
        return "12:00"
    if low == "midnight":
        return "24:00"
    m = re.match(r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?", low)
    if not m:
        return None
    h = int(m.group(1))
    mi = int(m.group(2) or 0)
    ap = (m.group(3) or "").replace(".", "")
    if ap == "pm" and h < 12:
        h += 12
    if ap == "am" and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}"


# ---------------------------------------------------------------- handlers

def _h_clock(m, ctx: Context) -> Result | None:
    hm = _clock(m.group("clock"))
    if hm is None:
        return None
    dayp = None
    if m.group("dayb"):
        dayp = _dayref(m.group("dayb"), ctx)
    elif m.group("daya"):
        dayp = _dayref(m.group("daya"), ctx)
    elif ctx.dct:
        dayp = N.day(ctx.dct)
    if dayp is None:
        return ("TIME", f"XXXX-XX-XXT{hm}", None, False)
    return ("TIME", f"{dayp.value()}T{hm}", dayp, False)


def _h_iso(m, ctx):
    d = N.safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if d is None:
        return None
    if m.group("hh"):
        return ("TIME", f"{d.isoformat()}T{m.group('hh')}:{m.group('mm')}", N.day(d), False)
    return _dated(N.day(d))


def _h_slash(m, ctx):
    y = int(m.group("y"))
    if y < 100:
        y += 1900 if y > 30 else 2000
    d = N.safe_date(y, int(m.group("m")), int(m.group("d")))
    return _dated(N.day(d)) if d else None


def _h_full(m, ctx):
    d = N.safe_date(int(m.group("y")), _mon(m.group("mon")), _daynum(m.group("d")))
    return _dated(N.day(d)) if d else None


def _h_md(m, ctx):
    mon = _mon(m.group("mon"))
    dn = _daynum(m.group("d"))
    rel = m.groupdict().get("rel")
    if m.group("wd") and ctx.dct:
        # "Friday, July 30": pick the year in which that date falls on that weekday, near the DCT
        wd = _wd(m.group("wd"))
        for y in (ctx.dct.year, ctx.dct.year - 1, ctx.dct.year + 1):
            d = N.safe_date(y, mon, dn)
            if d and d.isoweekday() == wd and abs((d - ctx.dct).days) < 250:
                return _dated(N.day(d))
    y = _year_for_month(mon, ctx, rel, dn)
    if y is None:
        return _unres(f"XXXX-{mon:02d}-{dn:02d}") if 1 <= dn <= 31 else None
    d = N.safe_date(y, mon, dn)
    return _dated(N.day(d)) if d else None


def _h_my(m, ctx):
    y = _year4(m.group("y"), ctx)
    return _dated(N.month(y, _mon(m.group("mon"))), approx=bool(m.group("part")))


def _h_month(m, ctx):
    mon = _mon(m.group("mon"))
    gd = m.groupdict()
    yrel = (gd.get("yrel") or "").lower()
    approx = bool(gd.get("part"))
    if yrel:
        if ctx.dct is None:
            return _unres(f"XXXX-{mon:02d}")
        y = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[yrel]
        return _dated(N.month(y, mon), approx)
    y = _year_for_month(mon, ctx, gd.get("rel"))
    if y is None:
        return _unres(f"XXXX-{mon:02d}")
    return _dated(N.month(y, mon), approx)


def _h_may(m, ctx):
    yrel = (m.groupdict().get("yrel") or "").lower()
    if yrel and ctx.dct:
        return _dated(N.month(ctx.dct.year + {"last": -1, "this": 0, "next": 1}[yrel], 5))
    y = _year_for_month(5, ctx, None)
    return _dated(N.month(y, 5)) if y else _unres("XXXX-05")


def _h_year(m, ctx):
    return _dated(N.year(int(m.group("y"))), approx=bool(m.groupdict().get("part")))


_DECW = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}


def _h_decade(m, ctx):
    if m.group("dec"):
        dec = m.group("dec")
        if len(dec) == 4:
            y = int(dec)
        else:
            yy = int(dec.lstrip("'"))
            base = (ctx.dct.year // 100 * 100) if ctx.dct else 1900
            y = base + yy
            if ctx.dct and y > ctx.dct.year:
                y -= 100
    else:
        yy = _DECW[m.group("decw").lower()] * 10
        base = (ctx.dct.year // 100 * 100) if ctx.dct else 1900
        y = base + yy
        if ctx.dct and y > ctx.dct.year:
            y -= 100
    return _dated(Point(dt.date(y, 1, 1), "decade"), approx=bool(m.group("part")))


def _h_century(m, ctx):
    if m.group("ord"):
        n = ORDINALS.get(m.group("ord").lower())
        if not n or n < 1:
            return None
        return ("DATE", f"{n - 1:02d}", None, bool(m.group("part")))
    if ctx.dct is None:
        return _unres(None)
    off = {"this": 0}.get(m.group("this").lower().split()[-1], -1)
    c = ctx.dct.year // 100 + off
    return ("DATE", f"{c:02d}", None, bool(m.group("part")))


def _h_spelled_year(m, ctx):
    t = m.group("sy").lower().replace("-", " ")
    if t.startswith("two thousand"):
        rest = t[len("two thousand"):].replace("and", "").strip()
        v = number_value(rest) if rest else 0
        if v is None:
            return None
        return _dated(N.year(2000 + int(v)))
    rest = t[len("nineteen"):].strip()
    if rest == "hundred":
        return _dated(N.year(1900))
    v = number_value(rest)
    if v is None or v >= 100:
        return None
    return _dated(N.year(1900 + int(v)))


_QORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _h_quarter(m, ctx):
    unit = m.group("qunit").lower()
    size = 3 if unit == "quarter" else 6
    count = 4 if unit == "quarter" else 2
    mk = N.quarter if unit == "quarter" else N.half
    ordw = (m.group("qord") or "").lower()
    mods = (m.group("qmods") or "").lower().split()
    explicit = None
    for src in (m.group("qof"), m.group("qyear")):
        if not src:
            continue
        s = src.lower()
        if re.match(r"\d{4}", s):
            explicit = int(s[:4])
        elif ctx.dct:
            explicit = ctx.dct.year + (-1 if s.startswith("last") else 1 if s.startswith("next") else 0)
    for w in mods:
        if re.fullmatch(r"\d{4}", w):
            explicit = int(w)
    back_year = any(w in ("year-earlier", "year-ago") for w in mods) or bool(m.group("qago"))
    dct = ctx.dct
    if ordw in ("last", "final", "latter"):
        if explicit is not None or m.group(0).lower().startswith("the") and (explicit is not None):
            n = count
        else:
            n = None if ordw != "latter" else count
            if n is None and explicit is None:
                # "last quarter" = the previous one
                if dct is None:
                    return _unres(None)
                cur = mk(dct.year, (dct.month - 1) // size + 1)
                p = N.shift(cur, -1)
                return _dated(N.shift(p, -1, "year") if back_year else p)
    else:
        n = _QORD.get(ordw)
    if n is not None:
        if explicit is not None:
            y = explicit
        elif dct is None:
            return _unres(f"XXXX-{'Q' if unit == 'quarter' else 'H'}{n}")
        else:
            cur = (dct.month - 1) // size + 1
            y = dct.year if (n <= cur or ctx.future() or "next" in mods or "coming" in mods) else dct.year - 1
        p = mk(y, n)
    else:
        if dct is None:
            return _unres(None)
        cur = mk(dct.year, (dct.month - 1) // size + 1)
        if any(w in ("current", "this") for w in mods):
            p = cur
        elif any(w in ("next", "coming") for w in mods):
            p = N.shift(cur, 1)
        elif ctx.ref is not None and ctx.ref.gran == ("quarter" if unit == "quarter" else "half") and not any(
                w in ("latest", "last", "past", "previous", "prior", "recent", "just-ended", "just-completed") for w in mods):
            p = ctx.ref
        else:
            p = N.shift(cur, -1)
        if explicit is not None:
            p = mk(explicit, (p.date.month - 1) // size + 1)
    if back_year:
        p = N.shift(p, -1, "year")
    return _dated(p)


def _h_year_ago(m, ctx):
    unit = (m.group("yaunit") or "").lower()
    ordw = (m.group("yaord") or "").lower()
    dct = ctx.dct
    if dct is None and ctx.ref is None:
        return _unres(None)
    if unit == "months":
        return None
    if ordw:
        base_year = dct.year if dct else ctx.ref.date.year
        return _dated(N.quarter(base_year - 1, _QORD[ordw]))
    ref = ctx.ref
    if unit in ("quarter", "period") or (ref is not None and ref.gran == "quarter"):
        if ref is not None and ref.gran == "quarter":
            return _dated(N.shift(ref, -1, "year"))
        if dct is None:
            return _unres(None)
        cur = N.quarter(dct.year, (dct.month - 1) // 3 + 1)
        return _dated(N.shift(N.shift(cur, -1), -1, "year"))
    if unit == "half":
        base = ref if ref is not None and ref.gran == "half" else None
        if base is None:
            return _unres(None)
        return _dated(N.shift(base, -1, "year"))
    base_year = (ref.date.year if ref is not None else dct.year)
    return _dated(N.year(base_year - 1))


def _h_season(m, ctx):
    s = SEASONS[m.group("season").lower()]
    approx = bool(m.group("part"))
    if m.group("y"):
        return _dated(N.season(int(m.group("y")), s), approx)
    dct = ctx.dct
    if dct is None:
        return _unres(f"XXXX-{s}")
    rel = (m.group("rel") or "").lower()
    cur = N.season_of(dct)
    # the instance of season s in the DCT's year (winter counts from December)
    this_one = N.season(dct.year if not (s == "WI" and dct.month < 3) else dct.year - 1, s)
    if rel in ("last", "past", "this past"):
        p = this_one if this_one.date < cur.date else N.season(this_one.date.year - 1, s)
    elif rel in ("next", "coming", "this coming"):
        p = this_one if this_one.date > cur.date else N.season(this_one.date.year + 1, s)
    else:
        p = this_one
        if this_one.date > cur.date and not ctx.future() and rel != "this":
            if (this_one.date - cur.date).days > 200:
                p = N.season(this_one.date.year - 1, s)
    return _dated(p, approx)


def _h_weekday(m, ctx):
    wd = _wd(m.group("wd"))
    rel = (m.group("rel") or "").lower()
    tod = (m.group("tod") or "").lower()
    approx = rel in ("early", "late", "earlier", "later")
    if rel in ("early", "late", "earlier", "later"):
        rel = ""
    p = _weekday_point(wd, rel, ctx)
    if tod:
        code = PARTS_OF_DAY[tod]
        if p is None:
            return ("TIME", f"XXXX-WXX-{wd}T{code}", None, False)
        return ("TIME", f"{p.value()}T{code}", p, approx)
    if p is None:
        return _unres(f"XXXX-WXX-{wd}")
    return _dated(p, approx)


def _h_tod_of(m, ctx):
    p = _dayref(m.group("wd"), ctx)
    tod = m.group("tod").lower()
    code = "12:00" if tod in ("noon", "midday") else PARTS_OF_DAY[tod]
    if p is None:
        return ("TIME", None, None, False)
    return ("TIME", f"{p.value()}T{code}", p, False)


def _h_deictic(m, ctx):
    dx = re.sub(r"\s+", " ", m.group("dx").lower())
    dct = ctx.dct
    tod = (m.group("tod") or "").lower()
    pre = (m.group("pre") or "").lower()
    if dct is None:
        return ("TIME" if tod or dx in ("tonight", "overnight") else "DATE", None, None, False)
    off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "overnight": -1,
           "the day before yesterday": -2, "the day after tomorrow": 2}[dx]
    p = N.day(dct + dt.timedelta(days=off))
    if dx in ("tonight", "overnight"):
        tod = tod or "night"
    if tod:
        return ("TIME", f"{p.value()}T{PARTS_OF_DAY[tod]}", p, False)
    return _dated(p, approx=bool(pre))


def _h_this_tod(m, ctx):
    rel = m.group("rel").lower()
    tod = m.group("tod").lower()
    if ctx.dct is None:
        return ("TIME", None, None, False)
    off = {"this": 0, "the": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[rel]
    if rel == "last" and tod != "night":
        off = -1
    p = N.day(ctx.dct + dt.timedelta(days=off))
    return ("TIME", f"{p.value()}T{PARTS_OF_DAY[tod]}", p, False)


def _h_mid_tod(m, ctx):
    tod = m.group("tod").lower()
    if ctx.dct is None:
        return ("TIME", None, None, False)
    p = N.day(ctx.dct)
    return ("TIME", f"{p.value()}T{PARTS_OF_DAY[tod]}", p, False)


_PAST_RELS = {"last", "the past", "the last", "past", "this past", "previous", "the previous", "prior", "the prior"}
_NEXT_RELS = {"next", "the next", "the coming", "coming", "this coming"}


def _h_rel_unit(m, ctx):
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit = m.group("unit").lower()
    part = (m.group("part") or "").lower()
    approx = bool(part)
    anaphoric = rel in ("that", "the same", "the following", "the previous", "the prior", "previous", "following", "prior")
    base_day = None
    if anaphoric:
        a = ctx.anchor
        if a is None:
            return _unres(None)
        base_day = a.date
        if unit == "year" or a.gran == "day" or (unit == "month" and a.gran in ("day", "month")):
            pass
        else:
            return _unres(None)
    else:
        if ctx.dct is None:
            return _unres(None)
        base_day = ctx.dct
    g = "week" if unit == "week" else unit
    if unit == "weekend":
        dct = base_day
        wk = N.week_of(dct)
        if rel in _PAST_RELS or rel == "the" and not ctx.future() and dct.isoweekday() < 6:
            wk = N.shift(wk, -1) if dct.isoweekday() < 6 or rel in _PAST_RELS else wk
        elif rel in _NEXT_RELS:
            wk = N.shift(wk, 1) if dct.isoweekday() >= 6 else wk
        return ("DATE", wk.value() + "-WE", None, approx)
    cur = N.truncate(base_day, g)
    if rel in ("this", "the current", "current", "that", "the same", "the"):
        p = cur
    elif rel in ("the following", "following"):
        p = N.shift(cur, 1)
    elif rel in ("the previous", "the prior", "previous", "prior"):
        p = N.shift(cur, -1)
    elif rel in _PAST_RELS:
        p = N.shift(cur, -1)
    elif rel in _NEXT_RELS:
        p = N.shift(cur, 1)
    else:
        return None
    return _dated(p, approx)


def _h_ref_day(m, ctx):
    rd = re.sub(r"\s+", " ", m.group("rd").lower())
    a = ctx.anchor
    if a is None or a.gran != "day":
        return _unres(None)
    if any(w in rd for w in ("next", "following", "after")):
        off = 1
    elif any(w in rd for w in ("previous", "prior", "preceding", "before")):
        off = -1
    else:
        off = 0
    p = N.shift(a, off, "day")
    tod = rd.split()[-1]
    if tod in ("morning", "evening", "night"):
        return ("TIME", f"{p.value()}T{PARTS_OF_DAY[tod]}", p, False)
    return _dated(p)


_UNIT_GRAN = {"day": "day", "night": "day", "week": "week", "fortnight": "week", "month": "month",
              "quarter": "quarter", "year": "year", "decade": "year", "century": "year"}
_UNIT_MULT = {"fortnight": 2, "decade": 10, "century": 100}
_GRAN_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half": 4, "season": 4, "year": 5, "decade": 6, "century": 7}


def _h_offset(m, ctx):
    nword = re.sub(r"\s+", " ", m.group("n").lower())
    unit = unit_key(m.group("unit"))
    direction = re.sub(r"\s+", " ", m.group("dir").lower())
    approx = bool(m.group("mod"))
    n = None if nword in ("several", "a few", "few", "many", "some", "the") else number_value(nword)
    if unit not in _UNIT_GRAN:      # hours, minutes, seconds
        if ctx.dct is None:
            return ("DATE", None, None, True)
        return _dated(N.day(ctx.dct), approx=True)
    if n is None or n != int(n):
        if direction in ("ago", "back", "previously"):
            return ("DATE", "PAST_REF", None, True)
        if direction in ("from now", "hence"):
            return ("DATE", "FUTURE_REF", None, True)
        return ("DATE", None, None, True)          # "days later": unresolved
    n = int(n) * _UNIT_MULT.get(unit, 1)
    step_unit = _UNIT_GRAN[unit] if unit not in ("decade", "century") else "year"
    sign = -1 if direction in ("ago", "earlier", "before", "previously", "back") else 1
    dct_anchored = direction in ("ago", "back", "from now", "hence")
    if dct_anchored:
        if ctx.dct is None:
            return ("DATE", None, None, True)
        ref = ctx.ref
        if step_unit == "year" and ref is not None and ref.gran == "quarter" and unit == "year" \
                and ref.date.year == ctx.dct.year:
            # WSJ earnings convention: "a year ago" after "the third quarter" = that quarter last year
            return _dated(N.shift(ref, sign * n, "year"), approx)
        base = N.truncate(ctx.dct, step_unit)
        return _dated(N.shift(base, sign * n, step_unit), approx)
    a = ctx.anchor
    if a is None:
        return ("DATE", None, None, True)
    if _GRAN_RANK.get(a.gran, 9) > _GRAN_RANK[step_unit]:
        # anchor coarser than the offset: "two days earlier" after "in July" -> unknown day
        return ("DATE", None, None, True)
    if step_unit == "year" and a.gran == "quarter":
        return _dated(N.shift(a, sign * n, "year"), approx)
    base = N.truncate(a.date, step_unit)
    return _dated(N.shift(base, sign * n, step_unit), approx)


def _h_dur_vague(m, ctx):
    unit = unit_key(m.group("unit"))
    if unit == "quarter":
        return ("DURATION", "PXQ", None, False)
    letter, tu = UNITS[unit]
    return ("DURATION", N.duration_value(None, letter, tu), None, False)


def _h_bare_offset(m, ctx):
    direction = m.group("dir").lower()
    if direction == "ago":
        return ("DATE", "PAST_REF", None, True)
    return ("DATE", None, None, True)


_REF = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "nowadays": "PRESENT_REF", "currently": "PRESENT_REF",
    "presently": "PRESENT_REF", "at present": "PRESENT_REF", "these days": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "current": "PRESENT_REF", "the current period": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "previously": "PAST_REF", "formerly": "PAST_REF",
    "the past": "PAST_REF", "recent": "PAST_REF", "the latest period": "PAST_REF",
    "soon": "FUTURE_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "future": "FUTURE_REF",
    "a later date": "FUTURE_REF", "some day": "FUTURE_REF", "someday": "FUTURE_REF",
}


def _h_ref(m, ctx):
    r = re.sub(r"\s+", " ", m.group("ref").lower())
    if r.startswith("recent "):
        return ("DATE", "PAST_REF", None, False)
    if "coming" in r:
        return ("DATE", "FUTURE_REF", None, False)
    v = _REF.get(r)
    if v is None:
        return None
    return ("DATE", v, None, False)


_ADV_SET = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
            "hourly": "PT1H", "quarterly": "P3M", "nightly": "P1D", "biweekly": "P2W", "bimonthly": "P2M",
            "semiannually": "P6M", "semi-annually": "P6M", "biannually": "P6M"}


def _h_set(m, ctx):
    if m.group("adv"):
        return ("SET", _ADV_SET[m.group("adv").lower()], None, False)
    if m.group("wdpl"):
        return ("SET", f"XXXX-WXX-{_wd(m.group('wdpl')[:-1])}", None, False)
    su = m.group("sunit")
    if su is None:      # "per annum"
        return ("SET", "P1Y", None, False)
    low = su.lower()
    mult = 2 if (m.group("other") or "").lower() == "other" else 1
    if m.group("sn"):
        n = number_value(m.group("sn"))
        unit = unit_key(su.split()[-1])
        letter, tu = UNITS[unit]
        return ("SET", N.duration_value((n or 1) * mult, letter, tu), None, False)
    if low in WEEKDAYS:
        return ("SET", f"XXXX-WXX-{WEEKDAYS[low]}", None, False)
    if low.rstrip(".") in MONTHS:
        return ("SET", f"XXXX-{_mon(su):02d}", None, False)
    if low in SEASONS:
        return ("SET", f"XXXX-{SEASONS[low]}", None, False)
    if low in ("morning", "afternoon", "evening", "night"):
        return ("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[low]}", None, False)
    if low == "weekend":
        return ("SET", "XXXX-WXX-WE", None, False)
    letter, tu = UNITS[unit_key(low)]
    return ("SET", N.duration_value(mult, letter, tu), None, False)


def _h_duration(m, ctx):
    nword = re.sub(r"\s+", " ", m.group("n").lower())
    unit = unit_key(m.group("unit"))
    if unit not in UNITS:
        return None
    letter, tu = UNITS[unit]
    if nword in ("several", "a few", "few", "many", "some", "the"):
        n = None
        if nword == "the":
            n = 1 if not m.group("unit").lower().endswith("s") else None
    else:
        n = number_value(nword.replace(" and a half", ""))
        if n is None:
            return None
        if "and a half" in m.group(0).lower():
            n += 0.5
    if unit == "quarter":
        return ("DURATION", f"P{int(n)}Q" if n and n == int(n) else "PXQ", None, False)
    if unit == "weekend":
        return ("DURATION", "P2D", None, False)
    return ("DURATION", N.duration_value(n, letter, tu), None, False)


def _h_dur_adj(m, ctx):
    nword = m.group("n").lower()
    unit = unit_key(m.group("unit"))
    n = 0.5 if nword == "half" else 1.5 if nword == "one-and-a-half" else number_value(nword)
    if n is None or unit not in UNITS:
        return None
    letter, tu = UNITS[unit]
    if unit == "quarter":
        return ("DURATION", f"P{int(n)}Q", None, False)
    return ("DURATION", N.duration_value(n, letter, tu), None, False)


def _h_dur_half(m, ctx):
    unit = unit_key(m.group("unit"))
    letter, tu = UNITS[unit]
    return ("DURATION", N.duration_value(0.5, letter, tu), None, False)


def _h_dur_bare(m, ctx):
    unit = unit_key(m.group("unit"))
    letter, tu = UNITS[unit]
    return ("DURATION", N.duration_value(None, letter, tu), None, False)


def _easter(y: int) -> dt.date:
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    mm = (a + 11 * h + 22 * ll) // 451
    month, dd = divmod(h + ll - 7 * mm + 114, 31)
    return dt.date(y, month, dd + 1)


def _nth_weekday(y: int, mon: int, wd: int, nth: int) -> dt.date:
    if nth > 0:
        d = dt.date(y, mon, 1)
        d += dt.timedelta(days=(wd - d.isoweekday()) % 7)
        return d + dt.timedelta(weeks=nth - 1)
    d = N.add_months(dt.date(y, mon, 1), 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.isoweekday() - wd) % 7)


def _holiday(name: str, y: int) -> dt.date:
    name = re.sub(r"\s+", " ", name.lower())
    if name.startswith("christmas eve"):
        return dt.date(y, 12, 24)
    if name.startswith("christmas"):
        return dt.date(y, 12, 25)
    if name.startswith("new year's eve"):
        return dt.date(y, 12, 31)
    if name.startswith("new year"):
        return dt.date(y, 1, 1)
    if name.startswith("thanksgiving"):
        return _nth_weekday(y, 11, 4, 4)
    if name.startswith("independence"):
        return dt.date(y, 7, 4)
    if name.startswith("labor"):
        return _nth_weekday(y, 9, 1, 1)
    if name.startswith("memorial"):
        return _nth_weekday(y, 5, 1, -1)
    if name.startswith("valentine"):
        return dt.date(y, 2, 14)
    if name.startswith("halloween"):
        return dt.date(y, 10, 31)
    return _easter(y)


def _h_holiday(m, ctx):
    name = m.group("hol")
    if m.group("y"):
        return _dated(N.day(_holiday(name, int(m.group("y")))))
    if ctx.dct is None:
        return _unres(None)
    rel = (m.group("rel") or "").lower()
    y = ctx.dct.year
    d = _holiday(name, y)
    if rel == "last" and d >= ctx.dct:
        d = _holiday(name, y - 1)
    elif rel == "next" and d <= ctx.dct:
        d = _holiday(name, y + 1)
    elif not rel and d > ctx.dct + dt.timedelta(days=60) and not ctx.future():
        d = _holiday(name, y - 1)
    return _dated(N.day(d))


_HANDLERS = {
    "clock": _h_clock, "iso": _h_iso, "slash": _h_slash, "mdy": _h_full, "dmy": _h_full,
    "md": _h_md, "dm": _h_md, "my": _h_my, "month": _h_month, "may": _h_may, "year": _h_year,
    "decade": _h_decade, "century": _h_century, "spelled_year": _h_spelled_year,
    "quarter": _h_quarter, "year_ago": _h_year_ago, "season": _h_season, "weekday": _h_weekday,
    "tod_of": _h_tod_of, "deictic": _h_deictic, "this_tod": _h_this_tod, "mid_tod": _h_mid_tod,
    "rel_unit": _h_rel_unit, "ref_day": _h_ref_day, "offset": _h_offset, "bare_offset": _h_bare_offset,
    "ref": _h_ref, "set": _h_set, "dur_adj": _h_dur_adj, "duration": _h_duration, "dur_half": _h_dur_half,
    "dur_bare": _h_dur_bare, "dur_long": _h_dur_bare, "dur_vague": _h_dur_vague, "holiday": _h_holiday,
}


def resolve(kind: str, m: re.Match[str], ctx: Context) -> Result | None:
    """Normalise one match; None drops the candidate."""
    return _HANDLERS[kind](m, ctx)
