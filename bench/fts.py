"""The same articles in SQLite FTS5 (stdlib sqlite3): the comparison point.

One fts5 table over title and body (date and id unindexed), built from the
same files in one transaction. A search counts the matches (the TUI shows
"N of M") and fetches the top 20 by bm25 (title weighted 2, as our schema
boosts it) with snippet() of the body. FTS5 has no fuzzy operator: a fuzzy
word is expanded over the fts5vocab vocabulary (loaded once per connection,
as our engine caches its lexicon) with the same distance and then ORed.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from corpora import corpus_files, read_article
from queries import Fts

SNIPPET = "snippet(articles, 1, '[', ']', '…', 32)"  # ~220 characters, like our snippets
RANK = "bm25(articles, 2.0, 1.0)"


def build(corpus: Path, db: Path) -> tuple[float, int]:
    """(seconds, articles) to build the FTS5 table from the corpus files."""
    started = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE articles USING fts5(title, body, date UNINDEXED, id UNINDEXED)")
    n = 0
    with con:
        for path in corpus_files(corpus):
            article = read_article(path)
            if article is None:
                continue
            article_id, title, date, body = article
            con.execute("INSERT INTO articles (title, body, date, id) VALUES (?, ?, ?, ?)", (title, body, date, article_id))
            n += 1
    con.close()
    return time.perf_counter() - started, n


class FtsSearcher:
    def __init__(self, db: Path) -> None:
        self.con = sqlite3.connect(db)
        self._vocab: list[str] | None = None

    def close(self) -> None:
        self.con.close()

    def warm(self) -> None:
        """Load the vocabulary for fuzzy words (our engine.warm() loads its lexicon)."""
        self._fuzzy("warm")

    def search(self, q: Fts, limit: int = 20) -> tuple[int, list[tuple]]:
        """(total matches, top ``limit`` rows of id, title, date, snippet)."""
        match = self._fuzzy(q.fuzzy) if q.fuzzy else q.match
        if q.fuzzy and match is None:
            return 0, []
        if match is None:
            total = self.con.execute("SELECT count(*) FROM articles").fetchone()[0]
            rows = self.con.execute(
                "SELECT id, title, date, substr(body, 1, 160) FROM articles ORDER BY date DESC LIMIT ?", (limit,)
            ).fetchall()
            return total, rows
        where, params = "articles MATCH ?", [match]
        if q.dates:
            where += " AND date BETWEEN ? AND ?"
            params += list(q.dates)
        total = self.con.execute(f"SELECT count(*) FROM articles WHERE {where}", params).fetchone()[0]
        rows = self.con.execute(
            f"SELECT id, title, date, {SNIPPET} FROM articles WHERE {where} ORDER BY {RANK} LIMIT ?", params + [limit]
        ).fetchall()
        return total, rows

    def _fuzzy(self, word: str, maxdist: int = 1) -> str | None:
        if self._vocab is None:
            self.con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, articles, 'row')")
            self._vocab = [t for (t,) in self.con.execute("SELECT term FROM temp.vocab")]
        found = process.extract(word, self._vocab, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
        terms = [term for term, _, _ in found]
        return " OR ".join(f'"{t}"' for t in terms) if terms else None
