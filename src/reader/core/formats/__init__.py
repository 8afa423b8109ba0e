"""Parsers for article formats beyond plain text: HTML pages, RSS/Atom feeds, JSON Lines.

Each parser is a pure function from bytes to :class:`Entry` values and raises
:class:`FormatError` (with a one-line reason) when the input cannot be used.
The loader turns entries into articles; parsers never touch the filesystem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class FormatError(Exception):
    """The file is not usable in its format; the message is a one-line reason."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One article found inside a file, before it becomes an ``Article``."""

    text: str
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    key: str | None = None  # stable id inside a container file (feed guid, JSONL id)
