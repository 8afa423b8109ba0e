"""The UI's handle on the core: opening the index, updating it, searching.

Every method here may block (disk, Whoosh), so the screen only calls them
from thread workers; they return plain dataclasses.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from ..core.entities_service import make_resolver
from ..core.highlight import find_hits
from ..core.index import PARALLEL_MIN, IndexError_, IndexLocked, index_exists, update_index
from ..core.loader import CorpusError
from ..core.models import Article, IndexReport
from ..core.search import SearchEngine


@dataclass(frozen=True, slots=True)
class OpenedArticle:
    article: Article
    hits: list[tuple[int, int]]
    entities: list[dict]
    events: list[dict]


@dataclass(frozen=True, slots=True)
class UpdateOutcome:
    """What an index update came to, for the screen to show."""

    report: IndexReport | None = None  # None: nothing was updated (locked or failed)
    notice: str | None = None  # a message for the user, if any
    locked: bool = False  # another process holds the index: try again later


class Backend:
    def __init__(self, corpus: Path, index_dir: Path) -> None:
        self.corpus = corpus
        self.index_dir = index_dir
        self.engine: SearchEngine | None = None
        self._retired: list[SearchEngine] = []  # replaced engines a worker may still be using

    def has_index(self) -> bool:
        return index_exists(self.index_dir, quick=True)

    def open(self) -> SearchEngine:
        if self.engine is None:
            self.engine = SearchEngine(self.index_dir, resolve=make_resolver(self.corpus))
        return self.engine

    def update(self, progress=None) -> UpdateOutcome:
        """Incremental update of the index from the corpus folder.

        A lock held by another process is not an error: the UI carries on
        with the index as it is (and may try again). Neither is a corpus
        folder that went away. The open engine is *not* refreshed here: the
        caller does that (:meth:`refresh`) when the report says it changed.
        """
        try:
            report = update_index(self.corpus, self.index_dir, progress=_PoolReady(progress), wait=0.5)
        except IndexLocked as exc:
            return UpdateOutcome(notice=f"{exc}; showing the index as it is", locked=True)
        except (CorpusError, IndexError_, OSError) as exc:
            return UpdateOutcome(notice=f"cannot update the index: {exc}; showing the index as it is")
        return UpdateOutcome(report=report)

    def refresh(self) -> bool:
        """Switch to a new engine on the latest index; True if there was one to switch.

        Not ``SearchEngine.refresh()``: with whoosh-reloaded 2.7.5 a refreshed
        searcher reuses the readers of segments it already had, so documents
        deleted from an existing segment (removed or updated articles) stay
        visible. A new engine reads the index as it is. The one it replaces is
        closed at the next switch (or on close), not now: a worker that fetched
        it a moment ago may still be reading from it.
        """
        old = self.engine
        if old is None:
            return False
        self.engine = SearchEngine(self.index_dir, resolve=make_resolver(self.corpus))
        for engine in self._retired:
            engine.close()
        self._retired = [old]
        return True

    def open_article(self, article_id: str, terms: frozenset[str]) -> OpenedArticle | None:
        engine = self.open()
        found = engine.article_with_analysis(article_id)
        if found is None:
            return None
        article, entities, events = found
        return OpenedArticle(article, find_hits(article.text, terms), entities, events)

    def close(self) -> None:
        for engine in self._retired:
            engine.close()
        self._retired = []
        if self.engine is not None:
            self.engine.close()
            self.engine = None


class _PoolReady:
    """The progress callback, wrapped: before a big update starts its worker
    processes, make sure multiprocessing can start them under Textual.

    ``multiprocessing`` starts its resource tracker on first use, handing it
    ``sys.stderr.fileno()``; under a running Textual app ``sys.stderr`` is a
    print capture whose ``fileno()`` is -1, and the pool fails with
    "ValueError: bad value(s) in fds_to_keep". ``update_index`` reports
    ``progress(0, total)`` before it starts the pool, so the tracker is started
    here first, with its stderr on /dev/null (it must not write over the UI).
    """

    def __init__(self, progress) -> None:
        self.progress = progress
        self.checked = False

    def __call__(self, done: int, total: int) -> None:
        if not self.checked:
            self.checked = True
            if total >= PARALLEL_MIN:
                start_resource_tracker()
        if self.progress is not None:
            self.progress(done, total)


_tracker_lock = threading.Lock()


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr (see _PoolReady)."""
    from multiprocessing import resource_tracker

    with _tracker_lock:
        stderr = sys.stderr
        try:
            if stderr is not None and stderr.fileno() >= 0:
                resource_tracker.ensure_running()
                return
        except (AttributeError, OSError, ValueError):
            pass
        with open(os.devnull, "w") as devnull:
            sys.stderr = devnull
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = stderr
