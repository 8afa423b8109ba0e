"""Corpus-level views computed from what the index stores per article:
the organisation table (facets) and the timeline."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

KINDS = ("firm", "agency", "other")


@dataclass(frozen=True, slots=True)
class EntityRow:
    name: str
    kind: str
    mentions: int
    articles: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


def entity_rows(docs: Iterable[dict]) -> list[EntityRow]:
    """Aggregate stored mentions (``{"id", "body", "entities"}`` dicts) into one
    row per canonical organisation, sorted by article count then name."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    mentions: Counter[str] = Counter()
    articles: dict[str, set[str]] = defaultdict(set)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        body = doc.get("body") or ""
        for m in load_json_list(doc.get("entities")):
            name = m.get("name")
            if not name:
                continue
            kinds[name][m.get("kind", "other")] += 1
            mentions[name] += 1
            articles[name].add(doc["id"])
            if body:
                surface = body[m["start"] : m["end"]].strip()
                if surface and surface != name:
                    surfaces[name][surface] += 1
    rows = [
        EntityRow(
            name=name,
            kind=kinds[name].most_common(1)[0][0],
            mentions=mentions[name],
            articles=tuple(sorted(articles[name])),
            aliases=tuple(s for s, _ in surfaces[name].most_common()),
        )
        for name in mentions
    ]
    rows.sort(key=lambda r: (-r.count, -r.mentions, r.name.lower()))
    return rows


@dataclass(frozen=True, slots=True)
class Event:
    """One dated sentence of an article (see :mod:`timeline`), as stored at index time."""

    article_id: str
    date: dt.date
    granularity: str            # "day" | "month" | "year"
    expression: str             # the timex text
    value: str                  # TIMEX3 value
    start: int                  # sentence character offsets in the article text
    end: int
    sentence: str               # whitespace-collapsed sentence text
    entities: tuple[str, ...]   # canonical firm/agency names mentioned in the sentence
    approximate: bool = False


def stored_events(docs: Iterable[dict], shared: dict | None = None) -> list[Event]:
    """Events from ``{"id", "events"}`` dicts as stored at index time.

    ``shared`` (kept by the caller across calls) makes equal dates, words,
    name tuples and sentences one object each: a corpus's events repeat them
    a lot (syndicated copies of a wire story repeat whole sentences).
    """
    one = shared if shared is not None else {}
    out: list[Event] = []
    for doc in docs:
        for e in load_json_list(doc.get("events")):
            try:
                day = e["date"]
                date = one.get(("d", day))
                if date is None:
                    date = one[("d", day)] = dt.date.fromisoformat(day)
                names = tuple(e.get("entities", ()))
                out.append(
                    Event(
                        article_id=doc["id"],
                        date=date,
                        granularity=one.setdefault(e.get("granularity", "day"), e.get("granularity", "day")),
                        expression=one.setdefault(e.get("expression", ""), e.get("expression", "")),
                        value=one.setdefault(e.get("value", ""), e.get("value", "")),
                        start=int(e.get("start", 0)),
                        end=int(e.get("end", 0)),
                        sentence=one.setdefault(e.get("sentence", ""), e.get("sentence", "")),
                        entities=one.setdefault(names, names),
                        approximate=bool(e.get("approximate", False)),
                    )
                )
            except (KeyError, ValueError, TypeError):
                continue
    return out


def rows_from_events(
    events: Iterable[Event],
    entity: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    entities: Sequence[str] = (),
):
    """Filter stored events (by one entity, several that must all appear, and
    a date range) and merge them into timeline rows."""
    from .timeline import build_timeline

    wanted = {n.lower() for n in ([entity] if entity else []) + list(entities)}
    out = []
    for e in events:
        if wanted and not wanted <= {n.lower() for n in e.entities}:
            continue
        if start and e.date < start:
            continue
        if end and e.date > end:
            continue
        out.append(e)
    return build_timeline(out)


def load_json_list(value) -> list[dict]:
    if not value:
        return []
    if isinstance(value, list):
        return value
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return []
    return data if isinstance(data, list) else []
