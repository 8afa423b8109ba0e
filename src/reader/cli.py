"""The ``reader`` command line: a thin layer over :mod:`reader.core`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .core.index import IndexError_, ensure_index, index_busy, update_index
from .core.loader import CorpusError
from .core.paths import bundled_corpus, default_index_dir
from .core.query import QueryError


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CorpusError, IndexError_, QueryError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never show a traceback to a user
        if os.environ.get("READER_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (READER_DEBUG=1 shows details)", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="A keyboard-driven terminal reader for a corpus of news articles.",
        parents=[_common(None)],
    )
    # Sub-commands take the same options; SUPPRESS keeps a value given before
    # the command name (`reader --corpus X index`) from being reset.
    common = _common(argparse.SUPPRESS)
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("tui", parents=[common], help="launch the terminal UI (the default)")
    p.set_defaults(func=cmd_tui)

    p = sub.add_parser("index", parents=[common], help="build or update the index and print a summary")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("add", parents=[common], help="copy (or link) files into the corpus and index them")
    p.add_argument("sources", nargs="+", type=Path, metavar="PATH", help="article files or folders of them")
    p.add_argument("--link", action="store_true", help="symlink instead of copying")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("search", parents=[common], help="search the corpus (Whoosh query syntax)")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_positive, default=10, metavar="N", help="at most N hits (default 10)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", parents=[common], help="print one article")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_show)

    from .cli_extra import add_commands

    add_commands(sub, common)
    return parser


def _common(default) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, metavar="DIR", default=default, help="corpus folder (default: the bundled corpus)")
    common.add_argument("--index", type=Path, metavar="DIR", default=default, help="index folder (default: a per-corpus folder in the user cache)")
    return common


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


# -- helpers shared by commands ----------------------------------------------


def paths(args: argparse.Namespace) -> tuple[Path, Path]:
    corpus = (args.corpus or bundled_corpus()).expanduser()
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus}")
    index_dir = (args.index or default_index_dir(corpus)).expanduser()
    return corpus, index_dir


def ready_engine(args: argparse.Namespace):
    """Update the index (quietly unless it takes a while) and open a search engine."""
    from .core.entities_service import make_resolver
    from .core.search import SearchEngine

    corpus, index_dir = paths(args)
    _, notice = ensure_index(corpus, index_dir, progress=ProgressBar())
    if notice:
        print(f"note: {notice}", file=sys.stderr)
    engine = SearchEngine(index_dir, resolve=make_resolver(corpus))
    return engine


class ProgressBar:
    """A plain-text progress bar on stderr with rate and ETA (only on a terminal)."""

    def __init__(self, label: str = "indexing") -> None:
        self.label = label
        self.started = time.perf_counter()
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        eta = (total - done) / rate if rate else 0
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {done}/{total} {rate:,.0f}/s ETA {eta:,.0f}s ")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


# -- commands ----------------------------------------------------------------


def cmd_tui(args: argparse.Namespace) -> int:
    corpus, index_dir = paths(args)
    from .ui.app import create_app

    app = create_app(corpus=corpus, index_dir=index_dir)
    app.run()
    return app.return_code or 0


def cmd_index(args: argparse.Namespace) -> int:
    corpus, index_dir = paths(args)
    busy = index_busy(index_dir)  # then update_index waits for the other process
    report = update_index(corpus, index_dir, progress=ProgressBar())
    if busy:
        print("note: waited for another reader process to finish updating this index", file=sys.stderr)
    print(f"index: {index_dir}")
    print(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed, "
        f"{report.unchanged} unchanged, {len(report.skipped)} skipped in {report.seconds:.2f}s"
    )
    for skipped in report.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from .core.adding import add_files

    corpus, index_dir = paths(args)
    written, problems = add_files(corpus, args.sources, link=args.link)
    for problem in problems:
        print(f"not added {problem.path}: {problem.reason}", file=sys.stderr)
    print(f"{len(written)} file(s) {'linked' if args.link else 'copied'} into {corpus}")
    for rel in written:
        print(f"  {rel}")
    if written:
        cmd_index(args)
    return 0 if written or not problems else 2


def cmd_search(args: argparse.Namespace) -> int:
    engine = ready_engine(args)
    result = engine.search(args.query, sort=args.sort, limit=None)
    hits = engine.hits(result, 0, args.limit)
    if args.json:
        payload = {
            "query": args.query,
            "total": result.total,
            "hits": [
                {
                    "id": h.id,
                    "title": h.title,
                    "source": h.source,
                    "date": h.date_iso,
                    "score": round(h.score, 4),
                    "snippet": h.snippet.text,
                    "path": h.path,
                }
                for h in hits
            ],
        }
        if result.suggestion:
            payload["suggestion"] = result.suggestion
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    total = engine.doc_count
    print(f"{result.total:,} of {total:,} articles match {args.query!r} (sort: {result.sort})")
    if result.suggestion:
        print(f"did you mean: {result.suggestion}")
    for h in hits:
        meta = " · ".join(x for x in (h.source, h.date_iso, f"{h.hit_count} hits") if x)
        print(f"\n{h.id}  {h.title}\n  {meta}\n  {h.snippet.text}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    engine = ready_engine(args)
    article = engine.article(args.id)
    if article is None:
        raise UsageError(f"no article with id {args.id!r} (ids look like: 003_d743c37b6639f9e9)")
    if args.json:
        print(
            json.dumps(
                {
                    "id": article.id,
                    "title": article.title,
                    "source": article.source,
                    "date": article.date_iso,
                    "url": article.url,
                    "path": article.path,
                    "text": article.text,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(article.title)
    meta = " · ".join(x for x in (article.source, article.date_iso, article.url, article.path) if x)
    print(meta)
    print()
    print(article.text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
