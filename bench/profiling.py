"""``--profile``: pyinstrument over a build slice and over the query set.

The build is profiled in this process with one worker (``workers=1``), so
the extraction that normally runs in worker processes shows up in the
profile; its total time is therefore not comparable with the table's.
"""

from __future__ import annotations

import time
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.renderers import ConsoleRenderer

from corpora import Story, write_corpus
from queries import QUERIES

TOP = 25


def top_costs(profiler: Profiler, title: str) -> str:
    parts = [f"### {title}"]
    for mode, what in (("self", "self time (where the time is spent)"), ("total", "total time (what it is spent for)")):
        text = profiler.output(ConsoleRenderer(flat=True, flat_time=mode, unicode=True, color=False))
        lines = [line for line in text.splitlines() if line[:1].isdigit()]
        parts.append(f"top {TOP} functions by {what}, seconds:")
        parts.extend("    " + line for line in lines[:TOP])
    return "\n".join(parts)


def profile_build(stories: list[Story], work: Path) -> str:
    from reader.core.index import update_index

    corpus, index = work / "profile-corpus", work / "profile-index"
    write_corpus(stories, corpus)
    profiler = Profiler(interval=0.002)
    started = time.perf_counter()
    with profiler:
        update_index(corpus, index, workers=1)
    took = time.perf_counter() - started
    return top_costs(profiler, f"cold build of {len(stories):,} articles, one process, under the profiler ({took:.1f} s)")


def profile_queries(corpus: Path, index: Path, articles: int, repeat: int, rows: int) -> str:
    from reader.core.entities_service import make_resolver
    from reader.core.search import SearchEngine

    engine = SearchEngine(index, resolve=make_resolver(corpus))
    engine.warm()
    for q in QUERIES:  # first-run loads (e.g. the organisation resolver) are not the steady state
        engine.hits(engine.search(q.text), 0, rows)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            for q in QUERIES:
                engine.hits(engine.search(q.text), 0, rows)
    engine.close()
    return top_costs(profiler, f"query set × {repeat} with top-{rows} snippets, warm engine, {articles:,} articles")
