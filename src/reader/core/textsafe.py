"""Making untrusted article text safe to store and display.

Article text comes from files the user did not write. Terminal control
sequences (ESC, C1 controls, OSC 52 clipboard writes...) and bidi overrides
are removed; tabs and newlines stay. Markup is *not* escaped here: the UI
never interprets article text as markup in the first place.
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, C1 controls, and bidi embedding/override/isolate marks.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
_ESCAPE_SEQ = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean_text(text: str) -> str:
    """Normalise newlines and drop control sequences and bidi overrides."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQ.sub("", text)
    return _UNSAFE.sub("", text)


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace for a single-line display of metadata."""
    text = re.sub(r"\s+", " ", clean_text(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
