"""The UI's handle on the core: opening the index, updating it, searching.

Every method here may block (disk, Whoosh), so the screen only calls them
from thread workers; they return plain dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.entities_service import make_resolver
from ..core.highlight import find_hits
from ..core.index import IndexLocked, index_exists, update_index
from ..core.models import Article, IndexReport
from ..core.search import SearchEngine


@dataclass(frozen=True, slots=True)
class OpenedArticle:
    article: Article
    hits: list[tuple[int, int]]
    entities: list[dict]
    events: list[dict]


class Backend:
    def __init__(self, corpus: Path, index_dir: Path) -> None:
        self.corpus = corpus
        self.index_dir = index_dir
        self.engine: SearchEngine | None = None

    def has_index(self) -> bool:
        return index_exists(self.index_dir)

    def open(self) -> SearchEngine:
        if self.engine is None:
            self.engine = SearchEngine(self.index_dir, resolve=make_resolver(self.corpus))
        return self.engine

    def update(self, progress=None) -> tuple[IndexReport | None, str | None]:
        """Incremental update; (report, notice). A lock held by another
        process is not an error: the UI carries on with the index as it is."""
        try:
            report = update_index(self.corpus, self.index_dir, progress=progress, wait=0.5)
        except IndexLocked as exc:
            return None, f"{exc}; showing the index as it is"
        if self.engine is not None and report.changed:
            self.engine.refresh()
        return report, None

    def open_article(self, article_id: str, terms: frozenset[str]) -> OpenedArticle | None:
        engine = self.open()
        article = engine.article(article_id)
        if article is None:
            return None
        entities, events = engine.analysis(article_id)
        return OpenedArticle(article, find_hits(article.text, terms), entities, events)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None
