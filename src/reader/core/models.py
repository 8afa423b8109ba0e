"""Plain data passed between the core and its callers (CLI, UI).

Everything here is a frozen dataclass of builtins, so results can cross
thread boundaries and be compared in tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from the corpus folder."""

    id: str  # path relative to the corpus root, without extension, "/"-separated
    path: str  # path relative to the corpus root, with extension
    title: str
    text: str  # the article text (front matter removed), never edited otherwise
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None

    @property
    def date_iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file the loader could not turn into an article, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short extract of an article with the spans to highlight in it."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result row."""

    id: str
    title: str
    source: str | None
    date: dt.date | None
    score: float
    snippet: Snippet
    hit_count: int  # occurrences of the query terms in title and body
    path: str

    @property
    def date_iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The outcome of one query: the ordered matches and what the UI needs
    to page through them lazily.

    ``docnums`` are the index's internal document numbers, in result order;
    they are only meaningful for the searcher that produced them.
    """

    query: str
    sort: str  # "relevance" | "date"
    total: int
    docnums: tuple[int, ...]
    scores: tuple[float, ...]
    terms: frozenset[str]  # lowercased terms to highlight (expanded fuzzy/wildcards)
    suggestion: str | None = None  # "did you mean" query string
    filters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What an index update did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)
