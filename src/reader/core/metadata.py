"""Guessing an article's title, publication date and source from raw text.

Users drop articles into a folder as they saved them; the text is never
edited. These heuristics look at the first lines (title, dateline,
``Published:`` header) and at the opening and closing lines (``(Bloomberg)``,
``© 2021 AFP``, a trailing ``Global Times`` signature).
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import find_date

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_DATE_LABEL = re.compile(
    r"^\s*(?:published|posted|updated|date|dated|first published)\s*(?:on|at)?\s*[:\-]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_OPENER_SOURCE = re.compile(r"^\s*\((?P<src>[A-Z][\w&.' -]{1,40})\)\s*(?:[—–-]|$)")
_COPYRIGHT = re.compile(
    r"^\s*(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d{2}\s*)?(?P<src>[A-Z][\w&.' -]{1,60}?)\s*\.?\s*$",
    re.IGNORECASE,
)
_LEGAL_SUFFIX = re.compile(r"[\s,]+(?:L\.?P\.?|Inc\.?|Ltd\.?|LLC|plc|Corp\.?|Co\.?)$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^[A-Z][A-Za-z&.']*(?:\s+[A-Z][A-Za-z&.']*){0,3}$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HEAD_LINES = 12


def guess_title(text: str) -> str | None:
    """The first markdown heading, else the first line that reads like a headline."""
    lines = [line.strip() for line in text.splitlines()[:_HEAD_LINES * 2]]
    for line in lines:
        m = _HEADING.match(line)
        if m:
            return clean_inline(m.group("title"))
    candidates = [line for line in lines if line]
    for line in candidates:
        if _is_kicker(line) or find_date(line) and len(line.split()) <= 6:
            continue
        return clean_inline(line)
    return clean_inline(candidates[0]) if candidates else None


def guess_date(text: str) -> dt.date | None:
    """A ``Published: ...`` header or a dateline line among the first lines."""
    lines = [line.strip() for line in text.splitlines()[:_HEAD_LINES * 2] if line.strip()]
    for line in lines[:_HEAD_LINES]:
        m = _DATE_LABEL.match(line)
        if m:
            found = find_date(m.group("rest"))
            if found:
                return found[0]
    for line in lines[:_HEAD_LINES]:
        found = find_date(line)
        # A dateline: a short line that is (almost) only the date.
        if found and len(line) - (found[2] - found[1]) <= 12:
            return found[0]
    return None


def guess_source(text: str) -> str | None:
    """``(Bloomberg) —`` opener, ``© 2021 AFP`` line, or a trailing signature line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[:_HEAD_LINES]:
        m = _OPENER_SOURCE.match(line)
        if m:
            return _tidy_source(m.group("src"))
    for line in reversed(lines[-_HEAD_LINES:]):
        m = _COPYRIGHT.match(line)
        if m:
            return _tidy_source(m.group("src"))
    if lines:
        last = lines[-1]
        if _SIGNATURE.match(last) and len(last) <= 40 and not last.endswith("."):
            # A signature is a short capitalised line after the body.
            if len(lines) > 3:
                return last
    return None


def clean_inline(line: str) -> str:
    """Markdown links reduced to their text; emphasis markers and extra space removed."""
    line = _MD_LINK.sub(r"\1", line)
    line = line.strip().strip("*_").strip()
    return re.sub(r"\s+", " ", line)


def _is_kicker(line: str) -> bool:
    """A section label such as ``SOURCE / ECONOMY`` above the headline."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(line.split()) <= 5


def _tidy_source(src: str) -> str:
    src = src.strip().rstrip(".").strip()
    src = _LEGAL_SUFFIX.sub("", src).strip().rstrip(",")
    return src
