"""JSON Lines: one article per line.

The layout of the shared corpora (``../shared/corpora/*/*.jsonl``): an object
per line with ``id``, ``title``, ``date``, ``source`` and ``text``. ``body``
or ``content`` stand in for ``text``, ``url`` or ``link`` for the address.
A bad line is reported and skipped; the other lines still count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..dates import parse_date
from . import Entry

MAX_LINE_BYTES = 8 * 1024 * 1024


def parse_jsonl(lines: Iterable[bytes]) -> tuple[list[Entry], list[tuple[int, str]]]:
    """Entries from the lines of a JSONL file, and (line number, reason) for bad lines."""
    entries: list[Entry] = []
    problems: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            problems.append((number, f"line longer than {MAX_LINE_BYTES // 1_000_000} MB"))
            continue
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError):
            problems.append((number, "not valid JSON"))
            continue
        if not isinstance(obj, dict):
            problems.append((number, "not a JSON object"))
            continue
        text = _first_str(obj, "text", "body", "content")
        title = _first_str(obj, "title", "headline")
        if not text.strip():
            if not title.strip():
                problems.append((number, "no text"))
                continue
            text = title
        key = obj.get("id")
        entries.append(
            Entry(
                text=text,
                title=title or None,
                date=parse_date(obj.get("date")),
                source=_first_str(obj, "source", "publisher") or None,
                url=_first_str(obj, "url", "link") or None,
                author=_first_str(obj, "author", "byline") or None,
                key=str(key) if isinstance(key, (str, int)) and str(key).strip() else None,
            )
        )
    return entries, problems


def _first_str(obj: dict, *keys: str) -> str:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value:
            return value
    return ""
