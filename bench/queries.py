"""The fixed query set: our query language, and the nearest SQLite FTS5 equivalent."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fts:
    """An FTS5 query: a MATCH expression (None: no MATCH, every row newest first),
    an optional inclusive date range, or a fuzzy word expanded over the vocabulary."""

    match: str | None = None
    dates: tuple[str, str] | None = None
    fuzzy: str | None = None  # word with edit distance <= 1 (optimal string alignment)
    note: str = ""


@dataclass(frozen=True)
class Query:
    label: str
    text: str
    fts: Fts


QUERIES = [
    Query("single term", "oil", Fts("oil")),
    Query("two-term AND", "oil prices", Fts("oil prices")),
    Query("phrase", '"interest rates"', Fts('"interest rates"')),
    Query("prefix", "export*", Fts("export*")),
    Query("fuzzy", "tradng~", Fts(fuzzy="tradng", note="expanded over fts5vocab")),
    Query("fuzzy, transposition", "cofefe~", Fts(fuzzy="cofefe", note="expanded over fts5vocab")),
    Query("field + date range", "title:bank date:[1987-03-01 to 1987-03-31]", Fts("title:bank", dates=("1987-03-01", "1987-03-31"))),
    Query("boolean", "(wheat OR corn) AND NOT soybeans", Fts("(wheat OR corn) NOT soybeans")),
    Query("entity filter", 'org:"Federal Reserve"', Fts('"federal reserve"', note="the phrase, no entities")),
    Query("empty (all, newest first)", "", Fts(None, note="ORDER BY date")),
]

# Broad wildcards, timed on their own (not in QUERIES, whose p95 is a target):
# every one of their thousands of words is read and scored.
BROAD = [
    Query("broad prefix", "co*", Fts("co*")),
    Query("broad wildcard", "*ing", Fts(None, note="no FTS5 equivalent (suffix)")),
]
