"""Word lists for the temporal tagger: months, weekdays, number words, units, seasons.

Pure data plus tiny lookup helpers; the regular expressions built from these live in
:mod:`reader.core.temporal.patterns`.
"""
from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

WEEKDAYS: dict[str, int] = {  # ISO weekday numbers (Monday = 1)
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5,
    "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI",
}
# first month of each season (northern hemisphere, as TimeML assumes)
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
    "tonight": "NI", "overnight": "NI", "midday": "MI", "mid-day": "MI",
}

ONES: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
    "9th": 9, "10th": 10, "11th": 11, "12th": 12, "13th": 13, "14th": 14, "15th": 15,
    "16th": 16, "17th": 17, "18th": 18, "19th": 19, "20th": 20, "21st": 21,
    "last": -1, "final": -1,
}
VAGUE_QUANT = ("several", "a few", "few", "many", "some", "a couple of", "a couple", "couple of")

# unit word -> (TIMEX3 duration letter(s), is-time-unit)
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True),
    "day": ("D", False), "night": ("D", False), "week": ("W", False), "weekend": ("WE", False),
    "fortnight": ("2W", False), "month": ("M", False), "quarter": ("Q", False),
    "year": ("Y", False), "decade": ("10Y", False), "century": ("100Y", False),
}


def unit_key(word: str) -> str:
    """Normalise a unit word ('Years', 'centuries', 'yr') to a UNITS key."""
    w = word.lower().rstrip(".")
    if w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("s") and w[:-1] in UNITS:
        w = w[:-1]
    return {"yr": "year", "yrs": "year", "mo": "month", "mos": "month", "min": "minute",
            "mins": "minute", "hr": "hour", "hrs": "hour", "wk": "week", "wks": "week"}.get(w, w)


def number_value(text: str) -> float | None:
    """Parse '6', 'six', 'twenty-four', 'twenty four', 'a', 'an', 'a half', '2 1/2', '1.5'."""
    t = text.lower().replace("-", " ").strip()
    if t in ("a", "an", "one", "a single", "single"):
        return 1
    if t in ("a couple of", "a couple", "couple of"):
        return 2
    if t in ("a dozen", "dozen"):
        return 12
    if t in ("half a", "a half", "half"):
        return 0.5
    parts = t.split()
    if len(parts) == 2 and parts[1] == "1/2":
        v = number_value(parts[0])
        return None if v is None else v + 0.5
    try:
        return float(t.replace(",", ""))
    except ValueError:
        pass
    total = 0
    for p in parts:
        if p in ONES:
            total += ONES[p]
        elif p in TENS:
            total += TENS[p]
        elif p == "hundred":
            total = max(total, 1) * 100
        elif p == "and":
            continue
        else:
            return None
    return total
