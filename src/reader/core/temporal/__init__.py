"""Temporal tagging: find TIMEX3 expressions and normalise them against a publication date.

Public API::

    Timex                              # frozen dataclass (see .timex)
    tag_timexes(text, dct) -> list[Timex]

Pure Python, standard library only; regexes are compiled once at import.
"""
from __future__ import annotations

from .tagger import tag_timexes
from .timex import Timex

__all__ = ["Timex", "tag_timexes"]
