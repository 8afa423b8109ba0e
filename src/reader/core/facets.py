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

from .aggregate import Event, stored_events
from .zerocopy import release_pages


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    kind: str
    count: int  # articles in the current result that mention it


class EntityFacets:
    """docnum -> organisations, from the ``ents`` column."""

    def __init__(self, reader) -> None:
        self.names: list[tuple[str, str]] = []  # (name, kind) by entity number
        self.by_name: dict[str, int] = {}
        self.doc_entities: dict[int, tuple[int, ...]] = {}
        numbers: dict[bytes, int] = {}  # "kind:Name" as stored -> entity number
        for docnum, value in _column(reader, "ents"):
            ents = []
            for term in value.split(b","):
                number = numbers.get(term)
                if number is None:
                    kind, _, name = term.decode("utf-8").strip().partition(":")
                    number = self.by_name.get(name)
                    if number is None:
                        number = len(self.names)
                        self.names.append((name, kind))
                        self.by_name[name] = number
                    numbers[term] = number
                if number not in ents:
                    ents.append(number)
            self.doc_entities[docnum] = tuple(ents)

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
    """docnum -> its dated events, from the ``events`` and ``id`` columns."""

    def __init__(self, reader) -> None:
        self.events: dict[int, list[Event]] = {}
        ids = reader.column_reader("id") if reader.has_column("id") else None
        shared: dict = {}
        for docnum, value in _column(reader, "events"):
            if value == b"[]":
                continue
            article_id = ids[docnum] if ids is not None else str(docnum)
            events = stored_events([{"id": article_id, "events": value}], shared)
            if events:
                self.events[docnum] = events

    def select(self, docnums: Sequence[int] | None = None) -> list[Event]:
        if docnums is None:
            return [e for evs in self.events.values() for e in evs]
        out: list[Event] = []
        for docnum in docnums:
            out.extend(self.events.get(docnum, ()))
        return out


def _column(reader, field: str):
    """(docnum, raw bytes) of each live document with a non-empty value.

    An index from before these columns has none: nothing (the next update
    rebuilds it).
    """
    if not reader.has_column(field):
        return
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    for leaf, base in leaves:  # a segment at a time, its mapped pages let go after
        if not leaf.has_column(field):
            continue
        column = leaf.column_reader(field, translate=False)
        deleted = leaf.is_deleted if leaf.has_deletions() else None
        for docnum, value in enumerate(column):
            if value and (deleted is None or not deleted(docnum)):
                yield base + docnum, value
        release_pages(leaf)
