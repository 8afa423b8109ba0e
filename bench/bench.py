"""Benchmark: index Reuters-21578 and time searches (prints numbers, asserts nothing).

    python bench/bench.py [--limit N] [--repeat R] [--skip-extract-baseline]

Reads ../shared/corpora/reuters21578/reuters21578.jsonl, writes each article
as a Markdown file with TOML front matter into a temporary corpus folder (the
way a user's folder looks; not timed), then measures:

- cold build with the full pipeline (entities + timeline), and without it;
- index size on disk;
- an incremental update after changing one file;
- search latency (median / p95) of a fixed query set, including the top-20
  rows with highlighted snippets, as the TUI's search-as-you-type does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REUTERS = SHARED / "corpora" / "reuters21578" / "reuters21578.jsonl"

QUERIES = [
    ("single term", "oil"),
    ("two-term AND", "oil prices"),
    ("phrase", '"interest rates"'),
    ("prefix", "export*"),
    ("fuzzy", "tradng~"),
    ("fuzzy transposed", "cofefe~"),
    ("field + date range", "title:bank date:[1987-03-01 to 1987-03-31]"),
    ("boolean", "(wheat OR corn) AND NOT soybeans"),
    ("entity filter", "org:\"Federal Reserve\""),
    ("empty (all, newest first)", ""),
]


def materialise(limit: int | None, target: Path) -> int:
    n = 0
    with REUTERS.open(encoding="utf-8") as fh:
        for line in fh:
            if limit and n >= limit:
                break
            doc = json.loads(line)
            text = (doc.get("text") or "").strip()
            if not text:
                continue
            title = (doc.get("title") or "").replace("\\", " ").replace('"', "'")
            date = (doc.get("date") or "")[:10]
            front = f'+++\ntitle = "{title}"\nsource = "Reuters"\n' + (f"date = {date}\n" if date else "") + "+++\n"
            sub = target / f"{n // 1000:03d}"
            sub.mkdir(exist_ok=True)
            (sub / f"{doc['id']}.md").write_text(front + text + "\n", encoding="utf-8")
            n += 1
    return n


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_screen(corpus: Path, index: Path) -> float:
    """Seconds from starting the app to a results list with rows (headless)."""
    import asyncio

    from reader.ui.app import create_app
    from reader.ui.widgets.results import ResultsList

    async def run() -> float:
        started = time.perf_counter()
        app = create_app(corpus=corpus, index_dir=index)
        async with app.run_test(size=(160, 48)) as pilot:
            while True:
                try:
                    if app.screen.query_one(ResultsList).total > 0:
                        break
                except Exception:
                    pass
                await pilot.pause(0.005)
            elapsed = time.perf_counter() - started
            await app.workers.wait_for_complete()
        return elapsed

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--skip-extract-baseline", action="store_true", help="do not build the no-extraction baseline")
    args = parser.parse_args()
    if not REUTERS.is_file():
        print(f"skip: {REUTERS} not found (../shared is absent)")
        return 0

    sys.path.insert(0, str(ROOT / "src"))
    from reader.core.entities_service import make_resolver
    from reader.core.index import update_index
    from reader.core.pipeline import Analyser
    from reader.core.search import SearchEngine

    work = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        n = materialise(args.limit, corpus)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.rglob("*.md"))
        print(f"corpus: {n:,} Reuters-21578 articles, {words:,} words (as .md files with TOML front matter)")
        print()
        rows = []

        if not args.skip_extract_baseline:
            t = time.perf_counter()
            update_index(corpus, work / "index-plain", analyser=Analyser(enabled=False))
            plain = time.perf_counter() - t
            rows.append(("cold build, text only (no extraction)", f"{plain:.1f} s", f"{n / plain:,.0f} articles/s"))

        t = time.perf_counter()
        report = update_index(corpus, work / "index")
        full = time.perf_counter() - t
        size = dir_size(work / "index")
        rows.append(("cold build, full pipeline", f"{full:.1f} s", f"{n / full:,.0f} articles/s"))
        if not args.skip_extract_baseline:
            rows.append(("extraction overhead", f"{full / plain:.2f}x", "full / text-only build time"))
        rows.append(("index size on disk", f"{size / 1e6:.1f} MB", f"{len(report.skipped)} files skipped"))
        rows.append(("peak RSS (whole benchmark)", f"{peak_rss_mb():.0f} MB", ""))

        one = next(corpus.rglob("*.md"))
        one.write_text(one.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
        t = time.perf_counter()
        update_index(corpus, work / "index")
        rows.append(("incremental update, 1 changed file", f"{(time.perf_counter() - t) * 1000:.0f} ms", ""))

        rows.append(("TUI launch on the built index to first results", f"{first_screen(corpus, work / 'index') * 1000:.0f} ms", "headless, 160x48"))

        engine = SearchEngine(work / "index", resolve=make_resolver(corpus))
        all_times = []
        qrows = []
        for label, q in QUERIES:
            times = []
            total = 0
            for _ in range(args.repeat):
                t = time.perf_counter()
                result = engine.search(q)
                engine.hits(result, 0, 20)
                times.append((time.perf_counter() - t) * 1000)
                total = result.total
            all_times.extend(times)
            qrows.append((label, q, total, statistics.median(times), max(times)))
        engine.close()

        width = max(len(r[0]) for r in rows)
        print("| measure | value | note |")
        print("|---|---|---|")
        for r in rows:
            print(f"| {r[0]:<{width}} | {r[1]} | {r[2]} |")
        all_times.sort()
        p95 = all_times[min(len(all_times) - 1, int(round(0.95 * (len(all_times) - 1))))]
        print(f"| search latency with top-20 snippets, all queries | median {statistics.median(all_times):.1f} ms, p95 {p95:.1f} ms | {len(all_times)} runs |")
        print()
        print("| query | text | hits | median ms | max ms |")
        print("|---|---|---|---|---|")
        for label, q, total, med, mx in qrows:
            print(f"| {label} | `{q}` | {total:,} | {med:.1f} | {mx:.1f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
