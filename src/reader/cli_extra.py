"""``reader entities``, ``reader extract`` and ``reader timeline``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path


def add_commands(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("entities", parents=[common], help="list the firms, agencies and other organisations")
    p.add_argument("--kind", choices=("firm", "agency", "other"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("extract", parents=[common], help="run the article pipeline on one text (FILE or - for stdin)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="publication date, for relative dates")
    p.add_argument("--json", action="store_true", help="print JSON (the default)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("timeline", parents=[common], help="dated events across the corpus")
    p.add_argument("--entity", metavar="NAME", help="only events mentioning this organisation (any alias)")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_timeline)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_entities(args: argparse.Namespace) -> int:
    from .cli import ready_engine
    from .core.aggregate import entity_rows

    engine = ready_engine(args)
    rows = entity_rows(engine.all_stored(["id", "body", "entities"]))
    if args.kind:
        rows = [r for r in rows if r.kind == args.kind]
    if args.json:
        print(
            json.dumps(
                [
                    {"name": r.name, "kind": r.kind, "aliases": list(r.aliases), "mentions": r.mentions, "articles": list(r.articles)}
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for r in rows:
        aliases = f"  (aka {', '.join(r.aliases[:4])})" if r.aliases else ""
        print(f"{r.kind:<7} {r.count:>4} articles {r.mentions:>5} mentions  {r.name}{aliases}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .cli import UsageError
    from .core.extract import extract_text

    if args.file == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        from .core.encoding import decode

        text = decode(data)
        if text is None:
            raise UsageError(f"{path} is binary or undecodable")
    print(json.dumps(extract_text(text, args.date), ensure_ascii=False, indent=2))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from .cli import ready_engine
    engine = ready_engine(args)
    entities = [engine.resolve(args.entity) or args.entity] if args.entity else []
    rows = engine.timeline(entities=entities, start=args.start, end=args.end)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "date": r.date.isoformat(),
                        "granularity": r.granularity,
                        "articles": list(r.articles),
                        "expression": r.expression,
                        "sentence": r.sentence,
                        "entities": list(r.entities),
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for r in rows:
        day = _fmt(r.date, r.granularity)
        ents = f" [{', '.join(r.entities)}]" if r.entities else ""
        print(f"{day:<10} {len(r.articles)} src  {r.sentence[:100]}{ents}")
    return 0


def _fmt(date: dt.date, granularity: str) -> str:
    if granularity == "year":
        return f"{date.year}"
    if granularity == "month":
        return date.strftime("%Y-%m")
    return date.isoformat()
