"""Compiled regular expressions for temporal expressions (compiled once, at import).

Every pattern is compiled with IGNORECASE; month and weekday names are wrapped in
``(?-i:...)`` so they must be Capitalised or UPPER-CASE ("may" the verb is not a month).
A pattern may capture leading context it needs for validation; the timex itself is then
the named group ``x`` (otherwise the whole match).  ``PATTERNS`` is an ordered list of
``(kind, regex)``; the tagger keeps the longest non-overlapping matches, ties going to the
earlier pattern.
"""
from __future__ import annotations

import re

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = (
    rf"(?-i:(?:{_MONTH_FULL})(?![a-z])|(?:{_MONTH_FULL.upper()})(?![A-Z])"
    rf"|(?:{_MONTH_ABBR})(?:\.|(?=\s+\d)))"
)
MONTH_NO_MAY = MONTH.replace("|May", "")
_WD = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
WEEKDAY = rf"(?-i:(?:{_WD})(?![a-z])|(?:{_WD.upper()})(?![A-Z]))"
WEEKDAYS_PLURAL = rf"(?-i:(?:{_WD})s)"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR4 = r"(?:1[6-9]\d\d|20\d\d)(?![\d,]\d)"
YEAR = rf"(?:{YEAR4}|'\d\d(?!\d))"
_NUM_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|a hundred|one hundred|hundred|a dozen|dozen)"
)
NUM = rf"(?:\d+(?:\.\d+)?(?:\s+1/2)?|{_NUM_WORD}(?:\s+and\s+a\s+half)?|an?|a\s+couple\s+of|a\s+single)"
VAGUE = r"(?:several|a\s+few|few|many|some|a\s+couple\s+of|the)"
UNIT_SG = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century)"
UNIT_PL = r"(?:seconds|minutes|hours|days|nights|weeks|months|quarters|years|decades|centuries)"
UNIT = rf"(?:{UNIT_PL}|{UNIT_SG})"
ORD = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
       r"|1st|2nd|3rd|4th|5th|6th|7th|8th|9th|10th|11th|12th|1[3-9]th|20th|21st|last|final|latter)")
SEASON = r"(?:spring|summer|autumn|fall|winter)"
PART = r"(?:early|late|mid|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|end\s+of|beginning\s+of|start\s+of|middle\s+of|the\s+turn\s+of)"
PART_OPT = rf"(?:(?P<part>{PART})(?:\s+|-))?"
MOD = r"(?:about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|fewer\s+than|over|under|just|only|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|another|the\s+past|the\s+last|the\s+next|the\s+first|the\s+coming|the\s+previous|the\s+following|the\s+final|the\s+latest|the\s+initial|past|last|next|first|coming|previous|following|recent|the|other|additional|extra|full)"
TOD = r"(?:morning|afternoon|evening|night)"
TZ = r"(?:\s+(?-i:[ECMP][SD]T|GMT|UTC|BST|CET|HKT|JST))?"
CLOCK = rf"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:a\.m\.?|p\.m\.?|am|pm)(?![a-z]))?|(?:1[0-2]|0?[1-9])\s*(?:a\.m\.?|p\.m\.?|am|pm)(?![a-z])|noon|midnight|midday){TZ}"

DAYREF = rf"(?:{WEEKDAY}|today|yesterday|tomorrow|tonight|{MONTH}\s*{DAY})"

_W = r"(?<![\w'-])"     # left word boundary that also refuses 'x-' and apostrophes
_E = r"(?![\w-])"       # right word boundary

_SPECS: list[tuple[str, str]] = [
    # ---- times of day (optionally tied to a day) -------------------------------------------
    ("clock", rf"{_W}(?:(?P<dayb>{DAYREF})(?:,\s*|\s+)(?:at\s+)?)?(?P<clock>{CLOCK})(?:(?:,\s*|\s+)(?:on\s+)?(?P<daya>{DAYREF}(?:\s*,?\s*{YEAR4})?))?"),
    # ---- absolute dates --------------------------------------------------------------------
    ("iso", rf"{_W}(?P<y>{YEAR4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d))?(?!\d)"),
    ("slash", rf"{_W}(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>(?:19|20)\d\d|\d\d)(?![\d/])"),
    ("mdy", rf"{_W}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<mon>{MONTH})\s*(?P<d>{DAY})(?:\s*,\s*|\s+)(?P<y>{YEAR4})"),
    ("dmy", rf"{_W}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<d>{DAY})(?:\s+of)?\s+(?P<mon>{MONTH})(?:\s*,\s*|\s+)(?P<y>{YEAR4})"),
    ("md", rf"{_W}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:(?P<rel>this\s+coming|this\s+past|last|next|this)\s+)?(?P<mon>{MONTH})\s*(?P<d>{DAY})(?![\d,.]*\d)"),
    ("dm", rf"{_W}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<d>{DAY})(?:\s+of)?\s+(?P<mon>{MONTH})"),
    ("my", rf"{_W}{PART_OPT}(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR4}|'\d\d(?!\d))"),
    ("month", rf"{_W}{PART_OPT}(?:(?P<rel>this\s+past|this\s+coming|last|next|this|past|coming)\s+)?(?P<mon>{MONTH_NO_MAY})(?:\s+(?P<yrel>last|this|next)\s+year)?{_E}"),
    ("may", rf"(?:(?<=\bin\s)|(?<=\bsince\s)|(?<=\buntil\s)|(?<=\bby\s)|(?<=\bfrom\s)|(?<=\bthrough\s)|(?<=\bof\s)|(?<=\bduring\s)|(?<=\bearly\s)|(?<=\blate\s)|(?<=\bmid-)|(?<=\bbefore\s)|(?<=\bafter\s)|(?<=\bin\searly\s)|(?<=\bin\slate\s)|(?<=\blast\s)|(?<=\bnext\s)|(?<=\bthis\s))(?-i:May)(?:\s+(?P<yrel>last|this|next)\s+year)?{_E}"),
    ("year", rf"{_W}(?:(?P<fiscal>fiscal(?:\s+year)?|calendar(?:\s+year)?|the\s+year|FY)\s*|{PART_OPT})(?P<y>{YEAR4})(?!\s*(?:%|percent|per\s+cent|[-/]\d)|\s+(?-i:[ECMP][SD]T|GMT|UTC|BST|CET|HKT|JST)\b|\s+(?:hrs|hours)\b)"),
    ("decade", rf"{_W}(?:the\s+)?{PART_OPT}(?:(?P<dec>(?:1[0-9]|20)\d0|'\d0|\d0)'?s{_E}|(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)(?![\w-]))"),
    ("century", rf"{_W}(?:the\s+)?{PART_OPT}(?:(?P<ord>{ORD})|(?P<this>this|last|next|the\s+past|the\s+last))\s+century{_E}"),
    ("spelled_year", rf"{_W}{PART_OPT}(?:the\s+year\s+)?(?P<sy>nineteen[\s-](?:hundred|{_NUM_WORD})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|two\s+thousand(?:\s+and\s+\w+)?)(?![\w-])"),
    # ---- quarters / halves -----------------------------------------------------------------
    ("quarter", rf"{_W}(?:(?P<qyear>{YEAR4}|(?:last|this|next)\s+year's|the\s+year's)\s+)?(?:the\s+)?(?P<qmods>(?:(?:fiscal|calendar|latest|current|last|past|previous|prior|next|coming|same|comparable|recent|most\s+recent|just-ended|just-completed|year-earlier|year-ago|final|\d{{4}})\s+)*)(?:(?P<qord>first|second|third|fourth|1st|2nd|3rd|4th|last|final|latter)[\s-]+)?(?:fiscal\s+|calendar\s+)?(?P<qunit>quarter|half)(?![\w-]|-(?:point|percentage|mile))(?:\s+(?:of|in)\s+(?:fiscal\s+|calendar\s+)?(?P<qof>{YEAR4}|this\s+year|last\s+year|next\s+year|the\s+year))?(?:\s+(?P<qago>a\s+year\s+(?:ago|earlier)))?"),
    ("year_ago", rf"{_W}(?:the\s+)?(?:comparable\s+)?(?P<ya>year-(?:ago|earlier)|year\s+(?:ago|earlier))(?:\s+(?P<yaord>first|second|third|fourth)?(?:\s*-?\s*)?(?P<yaunit>quarter|period|months|half|year|month))?(?![\w-])"),
    # ---- seasons ---------------------------------------------------------------------------
    ("season", rf"(?:(?<=\bin\s)|(?<=\bsince\s)|(?<=\buntil\s)|(?<=\bby\s)|(?<=\bduring\s)|(?<=\bover\s)|(?<=\bthrough\s)|(?<=\bthis\s)|(?<=\bfor\s))?(?P<x>{PART_OPT}(?:(?P<rel>this\s+past|this\s+coming|last|next|this|past|coming|the)\s+)?(?P<season>{SEASON})(?:\s+(?:of\s+)?(?P<y>{YEAR4}))?){_E}"),
    # ---- weekdays --------------------------------------------------------------------------
    ("weekday", rf"{_W}(?:(?P<rel>this\s+past|this\s+coming|last|next|this|coming|past|early|late|earlier|later)\s+)?(?P<wd>{WEEKDAY})(?:[\s-](?P<tod>{TOD}))?"),
    ("tod_of", rf"{_W}(?P<tod>{TOD}|noon|midday)\s+(?:of\s+|on\s+)?(?P<wd>{WEEKDAY}|yesterday|today|tomorrow)"),
    # ---- deictic days and times ------------------------------------------------------------
    ("deictic", rf"{_W}(?:(?P<pre>earlier|later|early|late|mid-?)\s*)?(?P<dx>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight|overnight)(?:[\s-](?P<tod>{TOD}))?{_E}(?!'s?\s+(?:news|paper|edition))"),
    ("this_tod", rf"{_W}(?:(?P<pre>earlier|later)\s+)?(?P<rel>this|last|tomorrow|yesterday|the)\s+(?P<tod>morning|afternoon|evening|night){_E}"),
    ("mid_tod", rf"{_W}mid[\s-]?(?P<tod>morning|afternoon){_E}"),
    # ---- relative calendar units -----------------------------------------------------------
    ("rel_unit", rf"{_W}{PART_OPT}(?:in\s+)?(?P<rel>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+last|the\s+coming|the\s+next|the\s+previous|the\s+following|the\s+prior|the\s+current|the\s+same|the|that|past|coming|current|previous|following|prior)\s+(?P<unit>week|weekend|month|year|decade)(?![\w-])"),
    ("ref_day", rf"{_W}(?P<rd>the\s+(?:same|next|following|previous|prior|preceding)\s+(?:day|morning|evening|night)|that\s+(?:same\s+)?(?:day|morning|evening|night)|the\s+day\s+(?:before|after)(?=\s*[,.;:)!?]|\s+(?:and|but)\b))"),
    # ---- offsets ---------------------------------------------------------------------------
    ("offset", rf"{_W}(?:(?P<mod>about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|over|barely|at\s+least)\s+)?(?P<n>{NUM}|{VAGUE}|few)\s+(?:more\s+)?(?P<unit>{UNIT})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|before(?=\s*[,.;:)!?]|\s+(?:and|but)\b)|after(?=\s*[,.;:)!?]|\s+(?:and|but)\b)|from\s+now|hence|previously|back(?=\s*[,.;]))(?![\w-])"),
    ("bare_offset", rf"{_W}(?P<unit>days|weeks|months|years|decades|hours|minutes)\s+(?P<dir>ago|earlier|later)(?![\w-])"),
    # ---- references to present/past/future -------------------------------------------------
    ("ref", rf"{_W}(?P<ref>right\s+now|now|nowadays|currently|presently|at\s+present|these\s+days|at\s+the\s+moment|recently|lately|the\s+past|the\s+future|the\s+near\s+future|current|recent|the\s+(?:latest|current)\s+period|a\s+later\s+date|some\s+day|someday){_E}"),
    # ---- sets ------------------------------------------------------------------------------
    ("set", rf"{_W}(?:(?P<every>every|each|per|a\s+(?=(?:day|week|month|year)\b))(?:\s+(?P<other>other|single))?\s+(?P<sunit>{UNIT_SG}|weekend|{WEEKDAY}|{MONTH}|{SEASON}|morning|afternoon|evening|night|(?P<sn>{NUM})\s+{UNIT_PL})|(?-i:(?P<adv>daily|weekly|monthly|annually|yearly|hourly|quarterly|nightly|biweekly|bimonthly|semiannually|semi-annually|biannually))|(?P<wdpl>{WEEKDAYS_PLURAL})|per\s+annum){_E}"),
    # ---- durations -------------------------------------------------------------------------
    ("dur_adj", rf"{_W}(?P<n>\d+(?:\.\d+)?|{_NUM_WORD}|half|one-and-a-half)-(?P<unit>{UNIT_SG}|yr)(?:-(?P<tail>old|long))?(?![\w-])"),
    ("duration", rf"{_W}(?:(?P<mod>{MOD})\s+)?(?:(?P<mod2>first|last|past|next|full|whole|entire)\s+)?(?P<n>{NUM}|{VAGUE}|few)(?:[\s-]+(?:more|additional|extra|straight|consecutive|full|long))?\s+(?P<unit>{UNIT})(?:\s+and\s+a\s+half)?(?:[\s-](?P<tail>old|long))?(?![\w-])"),
    ("dur_half", rf"{_W}(?:half\s+an?|an?\s+half)[\s-](?P<unit>hour|day|year|month|century|decade){_E}"),
    ("dur_bare", rf"(?:(?<=\bfor\s)|(?<=\bover\s)|(?<=\bwithin\s)|(?<=\bin\s)|(?<=\bthan\s)|(?<=\btake\s)|(?<=\btakes\s)|(?<=\btook\s)|(?<=\blasting\s))(?P<unit>years|months|weeks|days|decades|hours|minutes|centuries)(?![\w-])"),
    ("dur_vague", rf"{_W}(?:the\s+)?(?P<q>recent|coming|past|next|last|previous|following)\s+(?P<unit>days|weeks|months|years|decades|hours|quarters)(?![\w-])"),
    ("dur_long", rf"{_W}(?P<unit>decades|years|months|weeks|days|centuries)-long{_E}"),
    # ---- holidays --------------------------------------------------------------------------
    ("holiday", rf"{_W}(?:(?P<rel>last|next|this)\s+)?(?-i:(?P<hol>Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year's\s+Eve|New\s+Year's\s+Day|New\s+Year's|Thanksgiving\s+Day|Thanksgiving|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Valentine's\s+Day|Halloween|Easter))(?:\s+(?P<y>{YEAR4}))?{_E}"),
]

PATTERNS: list[tuple[str, re.Pattern[str]]] = [(k, re.compile(p, re.IGNORECASE)) for k, p in _SPECS]

# Future-tense cues looked for in the clause around an expression.
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|'ll|won't|going\s+to|(?:is|are|was|were)\s+(?:expected|scheduled|due|set|slated|planned|poised|likely)\s+to|"
    r"(?:is|are)\s+to|plans?\s+to|intends?\s+to|aims?\s+to|would|next|upcoming|coming|scheduled|expects?\s+to|hopes?\s+to)\b",
    re.IGNORECASE,
)
PAST_CUE = re.compile(r"\b(?:since|last|ago|earlier|previous|was|were|had|did|has\s+been|have\s+been)\b", re.IGNORECASE)

# Lines that hold publication metadata rather than narrated events.
METADATA_LINE = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball\s+rights\s+reserved\b|\bretrieved\b|\baccessed\b|\bcitation\b|\bcite\s+this\b|"
    r"^\s*(?:published|updated|posted|last\s+updated|last\s+modified|first\s+published|date|dateline|released|issued)\s*(?:on|at)?\s*:|"
    r"^\s*\((?:updates|adds|corrects|recasts|changes|rewrites|refiles|repeats)\b|\bhttps?://",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------- anchors
# Running 30-odd patterns over every character position is slow in Python's ``re``.
# Instead one fast pass finds *anchor words* (a prefix-trie regex over the lower-cased text,
# plus one regex for year/clock/slash digits); each anchor names the pattern kinds that can
# contain it, and those patterns are tried with ``match`` at the few word starts just
# before the anchor.

_CAL_DATE = ("md", "dm", "mdy", "dmy", "my", "clock", "set", "weekday")
_UNIT_KINDS = ("duration", "dur_adj", "dur_half", "dur_bare", "dur_long", "offset", "bare_offset", "rel_unit",
               "set", "quarter", "year_ago", "century", "ref_day", "ref", "holiday", "deictic")
_ANCHOR_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("january february march april june july august september october november december "
     "jan feb mar apr jun jul aug sep sept oct nov dec", ("month",) + _CAL_DATE),
    ("may", ("may",) + _CAL_DATE),
    ("monday tuesday wednesday thursday friday saturday sunday",
     ("weekday", "tod_of", "clock", "md", "dm", "mdy", "dmy", "set", "this_tod")),
    ("mondays tuesdays wednesdays thursdays fridays saturdays sundays", ("set",)),
    ("second seconds minute minutes hour hours",
     ("dur_vague", "duration", "dur_adj", "dur_half", "dur_bare", "offset", "bare_offset", "set")),
    ("day days night nights",
     ("dur_vague", "duration", "dur_adj", "dur_half", "dur_bare", "dur_long", "offset", "bare_offset", "set", "ref_day", "ref", "deictic")),
    ("week weeks weekend weekends fortnight month months",
     ("dur_vague", "duration", "dur_adj", "dur_half", "dur_bare", "dur_long", "offset", "bare_offset", "rel_unit", "set", "ref")),
    ("year years yr yrs",
     ("dur_vague", "duration", "dur_adj", "dur_half", "dur_bare", "dur_long", "offset", "bare_offset", "rel_unit", "set", "ref",
      "year_ago", "holiday")),
    ("quarter quarters half", ("quarter", "dur_vague", "duration", "dur_adj", "offset", "set", "year_ago")),
    ("decade decades century centuries",
     ("dur_vague", "duration", "dur_adj", "dur_half", "dur_bare", "dur_long", "offset", "bare_offset", "rel_unit", "century")),
    ("today yesterday tomorrow tonight overnight", ("deictic", "clock", "tod_of", "this_tod")),
    ("now nowadays currently current presently present moment recent recently lately previously formerly "
     "past soon future someday date", ("ref", "quarter")),
    ("spring summer autumn fall winter summers winters", ("season", "set")),
    ("morning afternoon evening noon midnight midday mornings evenings",
     ("this_tod", "mid_tod", "tod_of", "clock", "set", "ref_day", "deictic", "weekday")),
    ("daily weekly monthly annually yearly hourly quarterly nightly biweekly bimonthly semiannually "
     "biannually annum", ("set",)),
    ("christmas thanksgiving easter halloween valentine independence labor memorial eve", ("holiday",)),
    ("twenties thirties forties fifties sixties seventies eighties nineties", ("decade",)),
    ("nineteen thousand", ("spelled_year",)),
]
ANCHOR_KINDS: dict[str, tuple[str, ...]] = {}
for _words, _kinds in _ANCHOR_GROUPS:
    for _w in _words.split():
        ANCHOR_KINDS[_w] = tuple(dict.fromkeys(ANCHOR_KINDS.get(_w, ()) + _kinds))


def _trie_regex(words: list[str]) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(trie)


ANCHOR_RX = re.compile(r"\b" + _trie_regex(sorted(ANCHOR_KINDS)) + r"\b")   # run on text.lower()
# Years, 'yy, d/m/y and clock times not inside a word or number. Written to
# begin with a character class (then the regex engine skips to the digits and
# apostrophes instead of trying every position: 2.4x faster on Reuters); the
# first character is consumed, so each branch checks it by looking behind.
# The same matches as
#   (?<![\w.,])(?:(?P<y>(?:1[6-9]|20)\d\d(?!\d))|(?P<ap>'\d\d(?!\d))|(?P<sl>\d{1,2}/\d{1,2}/\d{2,4})
#   |(?P<cl>\d{1,2}(?::\d\d|\s*[ap]\.?m\b)))
DIGIT_ANCHOR_RX = re.compile(
    r"[\d'](?<![\w.,].)(?:(?P<y>(?:(?<=1)[6-9]|(?<=2)0)\d\d(?!\d))|(?P<ap>(?<=')\d\d(?!\d))"
    r"|(?P<sl>(?<=\d)\d?/\d{1,2}/\d{2,4})|(?P<cl>(?<=\d)\d?(?::\d\d|\s*[ap]\.?m\b)))"
)
DIGIT_KINDS = {
    "y": ("year", "decade", "my", "mdy", "dmy", "iso", "clock", "quarter", "season", "holiday", "md"),
    "ap": ("decade", "my"),
    "sl": ("slash",),
    "cl": ("clock",),
}
WORD_START = re.compile(r"(?<![\w'-])[\w'$]")

# how many words before the anchor a pattern of each kind may start
KIND_LEFT = {
    "weekday": 2, "tod_of": 2, "clock": 5, "md": 4, "dm": 3, "mdy": 3, "dmy": 4, "my": 4, "month": 5, "may": 0,
    "year": 4, "decade": 5, "century": 5, "spelled_year": 5, "quarter": 8, "year_ago": 3, "season": 5,
    "deictic": 3, "this_tod": 2, "mid_tod": 1, "rel_unit": 6, "ref_day": 3, "offset": 6, "bare_offset": 0,
    "ref": 3, "set": 4, "dur_adj": 1, "duration": 7, "dur_half": 3, "dur_bare": 0, "dur_long": 0, "dur_vague": 2, "holiday": 3,
    "iso": 0, "slash": 0,
}

# words a timex may begin with when that is left of its anchor word; other word starts
# are not tried (digits and apostrophes always are)
LEFT_OK = frozenset("""
the this last next past coming early late mid earlier later end beginning start middle rest remainder turn
about around approximately roughly nearly almost some more less fewer over under just only at up no another
first second third fourth final latter latest initial previous following recent other additional extra full whole
entire a an several few many couple that current prior same preceding each every per once twice thrice half fiscal
calendar fy comparable year right these those one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
ninety hundred dozen thousand 1st 2nd 3rd 4th monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december jan feb mar apr jun jul
aug sep sept oct nov dec today yesterday tomorrow tonight noon midnight midday most just-ended just-completed
year-earlier year-ago new christmas thanksgiving labor memorial independence valentine one-and-a-half
""".split())

_NUMW = ("a an one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen couple "
         "several few many some half")
_PARTW = "early late mid earlier later the end beginning start middle rest remainder turn"
_MODW = ("about around approximately roughly nearly almost some more less fewer over under just only at up no "
         "another the past last next first coming previous following final latest initial recent other additional "
         "extra full whole entire barely")
_RELW = "this last next past coming the previous following prior current same that"
# first words allowed (left of the anchor) per kind; kinds not listed accept any LEFT_OK word
KIND_FIRST: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "weekday": "this last next coming past early late earlier later",
    "month": _PARTW + " " + _RELW,
    "my": _PARTW,
    "year": _PARTW + " fiscal calendar the fy",
    "decade": _PARTW,
    "century": _PARTW + " " + _RELW,
    "rel_unit": _PARTW + " " + _RELW + " in",
    "offset": _MODW + " " + _NUMW,
    "duration": _MODW + " " + _NUMW,
    "dur_adj": _NUMW + " one-and-a-half",
    "dur_half": "half a an",
    "set": "every each per a other single once twice thrice " + _NUMW,
    "ref": "the recent coming these right at in",
    "ref_day": "the that",
    "dur_vague": "the recent coming past next last previous following",
    "deictic": "the earlier later early late mid",
    "this_tod": "earlier later this last tomorrow yesterday the",
    "year_ago": "the comparable",
    "quarter": _RELW + " fiscal calendar latest recent most just comparable year first second third fourth "
               "final latter",
    "season": _PARTW + " " + _RELW,
    "holiday": "last next this new",
}.items()}
