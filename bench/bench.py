"""Benchmark: build, update, launch and search at two corpus sizes; one table.

    python bench/bench.py [--sizes 21578,100000] [--limit N] [--repeat R] [--build-pairs P] [--seed S] [--profile]

Reads ../shared/corpora/reuters21578/reuters21578.jsonl and writes each story
as a Markdown file with TOML front matter into a temporary corpus folder (the
way a user's folder looks; not timed). The bigger corpus is made of copies
with new ids and shuffled dates (deterministic, --seed). For each size:

- cold build, ours (load + entity and time extraction + index, what
  `reader index` does) and a plain Whoosh baseline without extraction, each
  in its own process: seconds, articles/s, peak RSS, index size; and the
  same articles in SQLite FTS5 for reference; at Reuters size the two are
  built --build-pairs times back to back (the host's speed drifts);
- incremental update after changing 1 file and after adding 100 files;
- the TUI launched headless on the built index, in its own process: time to
  the first results on screen, then a few searches, and its peak RSS;
- latency of a fixed query set including the top-20 rows with highlighted
  snippets (the calls the TUI's search-as-you-type makes), median and p95
  over --repeat runs on a warm engine, and each query's first run on a
  freshly opened engine in a fresh process (cold); the same queries on
  SQLite FTS5 with snippet() and bm25 order, as a ratio ours/FTS5.

Progress goes to stderr; the table (Markdown) to stdout. --profile adds
pyinstrument's top costs of a build slice and of the query set.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
REUTERS = SHARED / "corpora" / "reuters21578" / "reuters21578.jsonl"
BIG_SIZE = 100_000
ROWS = 20  # result rows with snippets per search (the TUI fetches 50 per page)
PROFILE_BUILD = 2000  # articles in the profiled build slice
BROAD_REPEAT = 5  # timed runs of each broad wildcard (a second or more each at 100k)

sys.path.insert(0, str(ROOT / "src"))

from corpora import REUTERS_STORIES as REUTERS_SIZE  # noqa: E402  (bench/ is on sys.path as the script's folder)

NOTES = """\
- Build and update times are measured inside their own process (interpreter
  start and imports excluded). Peak RSS "all processes" is the largest sum of
  the build's processes' RSS, sampled every 50 ms; "largest one" is exact
  (rusage of the biggest single process).
- TUI launch: from spawning the process to the first results on screen,
  including Python start and imports (in brackets); "again" is a second
  launch right after the first, with Python's files and the index in the page
  cache. The RSS is the first process's VmHWM after its background index
  check, the searches, an article preview and the whole corpus's timeline.
  A typed search there is the whole round trip (50 rows, the first run of each
  query in that session, the UI thread's own work included).
- Queries: engine.search() + engine.hits(0, {rows}), the calls the TUI makes
  per keystroke (it fetches 50 rows per page). Warm: after engine.warm() (the
  TUI does it after launch) and one untimed run of each query, then {repeat}
  interleaved runs. Cold: each query's first run on a freshly opened engine,
  the whole set in one fresh process (loads shared by the process, like the
  organisation resolver, are paid by the first query that needs them).
- FTS5: count(*) of the matches + top {rows} by bm25 (title weight 2) with
  snippet() of the body; a fuzzy word is expanded over fts5vocab with the same
  distance (1, transpositions count as one) and ORed; the entity filter is
  the plain phrase; the empty query is ORDER BY date. Same untimed first run."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help=f"corpus sizes in articles (default {REUTERS_SIZE},{BIG_SIZE}; with --limit N: N and {BIG_SIZE / REUTERS_SIZE:.2f}×N)")
    parser.add_argument("--limit", type=int, help="read only the first N Reuters stories (bigger sizes are made of copies)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each query (default 20)")
    parser.add_argument("--build-pairs", type=int, default=3, help=f"cold builds, baseline then ours, timed this many times at sizes up to {REUTERS_SIZE:,} (default 3; once above)")
    parser.add_argument("--seed", type=int, default=1987, help="seed for the copies' dates (default 1987)")
    parser.add_argument("--profile", action="store_true", help=f"also profile a {PROFILE_BUILD:,}-article build and the query set (pyinstrument)")
    args = parser.parse_args()
    if args.sizes:
        try:
            args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
        except ValueError:
            parser.error("--sizes takes numbers separated by commas, e.g. 21578,100000")
    elif args.limit and args.limit < REUTERS_SIZE:
        args.sizes = sorted({args.limit, round(args.limit * BIG_SIZE / REUTERS_SIZE)})
    else:
        args.sizes = [REUTERS_SIZE, BIG_SIZE]
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1 or args.build_pairs < 1:
        parser.error("sizes, --repeat and --build-pairs must be positive")
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> int:
    args = parse_args()
    if not REUTERS.is_file():
        print(f"skip: {REUTERS} not found (../shared is absent)")
        return 0

    from corpora import load_stories
    from report import render

    source = load_stories(REUTERS, args.limit)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    results, profiles = [], []
    try:
        for size in args.sizes:
            results.append(measure_size(source, size, work / str(size), args, profiles))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"reader benchmark, {time.strftime('%Y-%m-%d %H:%M')}: Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average {load_before:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at end; {(time.perf_counter() - started) / 60:.0f} min"
    )
    print()
    print(render(results, len(source), args.repeat, ROWS))
    print()
    print(NOTES.format(rows=ROWS, repeat=args.repeat))
    for text in profiles:
        print()
        print(text)
    return 0


def measure_size(source, size: int, work: Path, args, profiles: list[str]) -> dict:
    import fts
    from corpora import corpus_files, dir_size, extra_stories, make_corpus, write_corpus
    from measure import ChildFailed, run_child
    from queries import QUERIES

    tag = f"[{size:,}]"
    profile = args.profile and size == args.sizes[0]  # profiles of the first size only
    work.mkdir(parents=True)
    corpus, index, base_index, fts_db = work / "corpus", work / "index", work / "baseline", work / "fts.db"
    stories = make_corpus(source, size, args.seed)
    log(f"{tag} writing {len(stories):,} files")
    write_corpus(stories, corpus)
    r: dict = {
        "size": size,
        "files": len(stories),
        "words": sum(len(s.text.split()) for s in stories),
        "corpus_bytes": dir_size(corpus),
        "copies": len(stories) > len(source),
    }

    log(f"{tag} cold build, baseline Whoosh (no extraction)")
    r["baseline"] = run_child("baseline", str(corpus), str(base_index))
    r["baseline_size"] = dir_size(base_index)
    log(f"{tag} cold build, ours")
    r["ours"] = run_child("build", str(corpus), str(index))
    r["index_size"] = dir_size(index)
    log(f"{tag} cold build, SQLite FTS5")
    r["fts_seconds"], r["fts_articles"] = fts.build(corpus, fts_db)
    # This host's speed drifts by a third within minutes: the build ratio is
    # also taken over more pairs, each baseline then ours, back to back.
    r["pairs"] = [(r["baseline"].data["seconds"], r["ours"].data["seconds"])]
    for n in range(2, (args.build_pairs if size <= REUTERS_SIZE else 1) + 1):
        log(f"{tag} cold builds again, baseline then ours ({n} of {args.build_pairs})")
        again_base, again_ours = work / f"baseline{n}", work / f"index{n}"
        base_s = run_child("baseline", str(corpus), str(again_base)).data["seconds"]
        ours_s = run_child("build", str(corpus), str(again_ours)).data["seconds"]
        r["pairs"].append((base_s, ours_s))
        shutil.rmtree(again_base, ignore_errors=True)
        shutil.rmtree(again_ours, ignore_errors=True)
    r["fts_size"] = fts_db.stat().st_size

    texts = [q.text for q in QUERIES]
    log(f"{tag} TUI launch, headless")
    try:
        r["tui"] = run_child("tui", str(corpus), str(index), repr(time.time()), *[t for t in texts if t], timeout=900)
        # Launched again: the first launch may read Python's files and the
        # index from disk (this machine reclaims idle page cache quickly).
        r["tui_again"] = run_child("tui", str(corpus), str(index), repr(time.time()), timeout=900)
    except ChildFailed as exc:  # a UI problem must not cost the rest of a long run
        log(f"{tag} TUI measurement failed: {exc}")
        r["tui"] = r["tui_again"] = None
    log(f"{tag} queries, cold (fresh engine per query, fresh process)")
    r["cold"] = run_child("cold", str(corpus), str(index), str(ROWS), *texts).data["seconds"]
    log(f"{tag} queries, warm, ours and SQLite FTS5, {args.repeat} runs each")
    warm = run_child("warm", str(corpus), str(index), str(fts_db), str(ROWS), str(args.repeat)).data
    r["warm"], r["hits"], r["fts_warm"], r["fts_hits"] = warm["ours"], warm["hits"], warm["fts"], warm["fts_hits"]
    log(f"{tag} broad wildcards, cold and warm, {BROAD_REPEAT} runs each")
    r["broad"] = run_child("broad", str(corpus), str(index), str(ROWS), str(BROAD_REPEAT)).data
    if profile:
        log(f"{tag} profiling the query set")
        from profiling import profile_queries

        profiles.append(profile_queries(corpus, index, r["ours"].data["indexed"], 3, ROWS))

    log(f"{tag} incremental update: 1 changed file")
    changed = next(p for p in corpus_files(corpus) if p.stat().st_size)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
    r["update_1"] = run_child("update", str(corpus), str(index)).data
    log(f"{tag} incremental update: 100 added files")
    write_corpus(extra_stories(source, 100), corpus, subfolder="added")
    r["update_100"] = run_child("update", str(corpus), str(index)).data

    if profile:
        log(f"{tag} profiling a {min(PROFILE_BUILD, len(stories)):,}-article build (one process)")
        from profiling import profile_build

        profiles.insert(0, profile_build(stories[:PROFILE_BUILD], work))
    shutil.rmtree(work, ignore_errors=True)
    return r


if __name__ == "__main__":
    sys.exit(main())
