"""In-memory views of one index generation, built once and reused by every
search: which organisations each document mentions (for facet counts scoped
to a query) and each document's dated events (for the timeline).

Both are built from the index (keyword postings, stored events), never by
re-running extraction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .aggregate import StoredEvent, stored_events


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    kind: str
    count: int  # articles in the current result that mention it


class EntityFacets:
    """docnum -> organisations, from the ``ents`` keyword field."""

    def __init__(self, reader) -> None:
        self.names: list[tuple[str, str]] = []  # (name, kind) by entity number
        self.by_name: dict[str, int] = {}
        self.doc_entities: dict[int, list[int]] = {}
        for btext in reader.lexicon("ents"):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            kind, _, name = term.partition(":")
            number = self.by_name.get(name)
            if number is None:
                number = len(self.names)
                self.names.append((name, kind))
                self.by_name[name] = number
            postings = reader.postings("ents", btext)
            for docnum in postings.all_ids():
                self.doc_entities.setdefault(docnum, []).append(number)

    def counts(self, docnums: Iterable[int]) -> list[Facet]:
        """Organisations mentioned by the given documents, most articles first."""
        counter: Counter[int] = Counter()
        get = self.doc_entities.get
        for docnum in docnums:
            ents = get(docnum)
            if ents:
                counter.update(ents)
        facets = [Facet(self.names[n][0], self.names[n][1], c) for n, c in counter.items()]
        facets.sort(key=lambda f: (-f.count, f.name.lower()))
        return facets

    def kind_of(self, name: str) -> str | None:
        number = self.by_name.get(name)
        return None if number is None else self.names[number][1]


class EventStore:
    """docnum -> article id and its stored events."""

    def __init__(self, reader) -> None:
        self.ids: dict[int, str] = {}
        self.events: dict[int, list[StoredEvent]] = {}
        for docnum, fields in reader.iter_docs():
            article_id = fields.get("id")
            self.ids[docnum] = article_id
            events = stored_events([{"id": article_id, "events": fields.get("events")}])
            if events:
                self.events[docnum] = events

    def select(self, docnums: Sequence[int] | None = None) -> list[StoredEvent]:
        if docnums is None:
            return [e for evs in self.events.values() for e in evs]
        out: list[StoredEvent] = []
        for docnum in docnums:
            out.extend(self.events.get(docnum, ()))
        return out
