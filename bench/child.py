"""The benchmark's measured child processes (run by bench.py, one per measure).

    python bench/child.py build CORPUS INDEX      # ours: load + extraction + index
    python bench/child.py baseline CORPUS INDEX   # plain Whoosh, no extraction
    python bench/child.py update CORPUS INDEX     # incremental update
    python bench/child.py warm CORPUS INDEX FTS_DB ROWS REPEAT  # query set, ours and FTS5
    python bench/child.py cold CORPUS INDEX ROWS QUERY...  # first queries, fresh engine
    python bench/child.py broad CORPUS INDEX ROWS REPEAT  # broad wildcards, cold then warm
    python bench/child.py tui CORPUS INDEX T0 QUERY...  # headless TUI launch

Each prints one JSON line last. Running them as separate processes makes
each one's peak RSS its own, and keeps imports out of each other's way.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def build(corpus: Path, index: Path) -> dict:
    """What `reader index --corpus CORPUS --index INDEX` does on an empty index."""
    from reader.core.index import update_index

    started = time.perf_counter()
    report = update_index(corpus, index)
    return {"seconds": time.perf_counter() - started, "indexed": len(report.added), "skipped": len(report.skipped)}


def update(corpus: Path, index: Path) -> dict:
    from reader.core.index import update_index

    started = time.perf_counter()
    report = update_index(corpus, index)
    return {
        "seconds": time.perf_counter() - started,
        "added": len(report.added),
        "updated": len(report.updated),
        "removed": len(report.removed),
    }


def baseline(corpus: Path, index: Path) -> dict:
    """A straightforward Whoosh build: default TEXT fields, one writer, one commit."""
    from whoosh import index as windex
    from whoosh.fields import ID, TEXT, Schema

    from corpora import corpus_files, read_article

    started = time.perf_counter()
    index.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(index), Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), body=TEXT(stored=True)))
    writer = ix.writer()
    n = 0
    for path in corpus_files(corpus):
        article = read_article(path)
        if article is None:
            continue
        article_id, title, _date, body = article
        writer.add_document(id=article_id, title=title, body=body)
        n += 1
    writer.commit()
    ix.close()
    return {"seconds": time.perf_counter() - started, "indexed": n}


def warm(corpus: Path, index: Path, db: Path, rows: int, repeat: int) -> dict:
    """The query set on our engine and on SQLite FTS5, warm (in a process of
    its own, so the benchmark's big heap does not add GC pauses)."""
    ours, hits = time_ours(corpus, index, rows, repeat)
    fts_times, fts_hits = time_fts(db, rows, repeat)
    return {"ours": ours, "hits": hits, "fts": fts_times, "fts_hits": fts_hits}


def time_ours(corpus: Path, index: Path, rows: int, repeat: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Seconds per run of each query (search + top rows with snippets), on a
    warm engine as the TUI has it after launch and after one run of each
    query; runs interleaved across queries."""
    from queries import QUERIES
    from reader.core.entities_service import make_resolver
    from reader.core.search import SearchEngine

    engine = SearchEngine(index, resolve=make_resolver(corpus))
    engine.warm()  # the TUI does this in the background after launch
    times: dict[str, list[float]] = {q.text: [] for q in QUERIES}
    hits: dict[str, int] = {}
    try:
        for q in QUERIES:  # one untimed run each: first-run costs are the cold column's
            engine.hits(engine.search(q.text), 0, rows)
        for _ in range(repeat):
            for q in QUERIES:
                t = time.perf_counter()
                result = engine.search(q.text)
                engine.hits(result, 0, rows)
                times[q.text].append(time.perf_counter() - t)
                hits[q.text] = result.total
    finally:
        engine.close()
    return times, hits


def time_fts(db: Path, rows: int, repeat: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    from fts import FtsSearcher
    from queries import QUERIES

    searcher = FtsSearcher(db)
    searcher.warm()
    times: dict[str, list[float]] = {q.text: [] for q in QUERIES}
    hits: dict[str, int] = {}
    try:
        for q in QUERIES:
            searcher.search(q.fts, rows)
        for _ in range(repeat):
            for q in QUERIES:
                t = time.perf_counter()
                total, _rows = searcher.search(q.fts, rows)
                times[q.text].append(time.perf_counter() - t)
                hits[q.text] = total
    finally:
        searcher.close()
    return times, hits


def cold(corpus: Path, index: Path, queries: list[str], rows: int) -> dict:
    """Each query once on a freshly opened engine, in a fresh process: the
    first search a user types right after launch, before any warm-up."""
    from reader.core.entities_service import make_resolver
    from reader.core.search import SearchEngine

    times = []
    for text in queries:
        engine = SearchEngine(index, resolve=make_resolver(corpus))
        t = time.perf_counter()
        result = engine.search(text)
        engine.hits(result, 0, rows)
        times.append(time.perf_counter() - t)
        engine.close()
    return {"seconds": times}


def broad(corpus: Path, index: Path, rows: int, repeat: int) -> dict:
    """The broad wildcards (queries.BROAD): each first on a fresh engine,
    then, after one untimed run, ``repeat`` runs on a warm one (as the TUI
    has it after launch)."""
    from queries import BROAD
    from reader.core.entities_service import make_resolver
    from reader.core.search import SearchEngine

    out: dict[str, dict] = {}
    for q in BROAD:
        engine = SearchEngine(index, resolve=make_resolver(corpus))
        t = time.perf_counter()
        result = engine.search(q.text)
        engine.hits(result, 0, rows)
        out[q.text] = {"cold": time.perf_counter() - t, "hits": result.total, "warm": []}
        engine.close()
    engine = SearchEngine(index, resolve=make_resolver(corpus))
    engine.warm()
    try:
        for q in BROAD:  # one untimed run each, as for the query set
            engine.hits(engine.search(q.text), 0, rows)
        for _ in range(repeat):
            for q in BROAD:
                t = time.perf_counter()
                engine.hits(engine.search(q.text), 0, rows)
                out[q.text]["warm"].append(time.perf_counter() - t)
    finally:
        engine.close()
    return out


def tui(corpus: Path, index: Path, t0: float, queries: list[str]) -> dict:
    """Launch the app headless on a built index; time the first results; type
    a few searches; report this process's peak RSS."""
    import asyncio

    from measure import vm_hwm_mb

    from reader.ui.app import create_app
    from reader.ui.widgets.results import ResultsList
    from reader.ui.widgets.search_bar import QueryInput
    from reader.ui.widgets.timeline import TimelineView

    imported = time.time()

    async def until(check, timeout: float) -> bool:
        # Plain sleeps: Pilot.pause()/press() wait for the whole process to go
        # idle, which would add the search thread's own time (and more).
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                if check():
                    return True
            except Exception:  # widgets not mounted yet
                pass
            await asyncio.sleep(0.002)
        return False

    async def run() -> dict:
        started = time.perf_counter()
        app = create_app(corpus=corpus, index_dir=index)
        async with app.run_test(size=(160, 48)) as pilot:
            if not await until(lambda: app.screen.query_one(ResultsList).total > 0, 120):
                raise SystemExit("no results on screen after 120 s")
            in_app = time.perf_counter() - started
            launch = time.time() - t0
            screen = app.screen
            # The background index check and lexicon warm-up are part of a session.
            checked = await until(lambda: not any(w.group == "index" and not w.is_finished for w in app.workers), 300)
            search_times = []
            for text in queries:
                before = getattr(screen, "_token", 0)
                box = screen.query_one(QueryInput)
                box.focus()
                await pilot.pause()
                t = time.perf_counter()
                box.value = text
                await box.action_submit()  # Enter: no debounce
                results = screen.query_one(ResultsList)
                if await until(lambda: results.token == getattr(screen, "_token", -1) != before, 60):
                    search_times.append(time.perf_counter() - t)
                # Let the organisation panel finish before the next query.
                await until(lambda: not any(w.group == "search" and not w.is_finished for w in app.workers), 60)
            await pilot.press("j", "j", "j")  # Enter left the focus in the results: move, preview
            await pilot.pause(0.2)
            # The whole corpus's timeline: back to the empty query, then t.
            box = screen.query_one(QueryInput)
            box.focus()
            await pilot.pause()
            before = getattr(screen, "_token", 0)
            box.value = ""
            await box.action_submit()
            await until(lambda: results.token == getattr(screen, "_token", -1) != before, 60)
            await until(lambda: not any(w.group == "search" and not w.is_finished for w in app.workers), 120)
            timeline = screen.query_one(TimelineView)
            t = time.perf_counter()
            await pilot.press("t")
            shown = await until(lambda: timeline.display and len(timeline.rows) > 0, 300)
            timeline_seconds = time.perf_counter() - t if shown else None
            timeline_rows = len(timeline.rows)
        return {
            "launch": launch,
            "imports": imported - t0,
            "in_app": in_app,
            "index_checked": checked,
            "searches": search_times,
            "vm_hwm_mb": vm_hwm_mb(),
            "timeline_seconds": timeline_seconds,
            "timeline_rows": timeline_rows,
        }

    return asyncio.run(run())


def main(argv: list[str]) -> int:
    command, corpus, index = argv[0], Path(argv[1]), Path(argv[2])
    if command == "build":
        result = build(corpus, index)
    elif command == "baseline":
        result = baseline(corpus, index)
    elif command == "update":
        result = update(corpus, index)
    elif command == "warm":
        result = warm(corpus, index, Path(argv[3]), int(argv[4]), int(argv[5]))
    elif command == "cold":
        result = cold(corpus, index, argv[4:], int(argv[3]))
    elif command == "broad":
        result = broad(corpus, index, int(argv[3]), int(argv[4]))
    elif command == "tui":
        result = tui(corpus, index, float(argv[3]), argv[4:])
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
