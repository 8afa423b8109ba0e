"""Events (dated sentences) and the cross-article timeline.

* :func:`extract_events` -- one :class:`Event` per sentence that holds a resolved calendar
  DATE/TIME timex (day, month or year granularity; not on a metadata line; never a DURATION
  or SET).  When a sentence has several, the most specific one is kept: day beats month
  beats year, exact beats approximate, then the first in the sentence.
* :func:`build_timeline` -- groups events by (date, granularity) and, inside a group, merges
  events of *different* articles that name at least one common firm/agency, or that both
  name none and have very similar sentences (word-set Jaccard >= 0.5).  Merging is
  transitive (union-find), so one row can hold several reports of one article when they
  are linked through another article.  Rows are sorted by date, then first article id.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .aggregate import Event
from .sentences import split_sentences
from .temporal import Timex, tag_timexes

_EVENT_KINDS = ("firm", "agency")
_GRAN_RANK = {"day": 0, "month": 1, "year": 2}
_WS = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "to", "in", "on", "and", "or", "for", "with", "by", "at", "was", "were", "is",
         "are", "be", "been", "it", "its", "that", "this", "as", "from", "said", "has", "have", "had"}


def _pick(timexes: list[Timex]) -> Timex | None:
    best = None
    best_key = None
    for t in timexes:
        if t.metadata or t.type not in ("DATE", "TIME") or t.date is None or t.granularity is None or t.value is None:
            continue
        key = (_GRAN_RANK[t.granularity], t.approximate, t.start)
        if best_key is None or key < best_key:
            best, best_key = t, key
    return best


def extract_events(article_id: str, text: str, dct: dt.date | None,
                   entity_spans: list[tuple[int, int, str, str]]) -> list[Event]:
    """Dated sentences of one article.

    ``entity_spans`` are (start, end, canonical_name, kind) from the organisation extractor;
    only kinds "firm" and "agency" are attached to events.
    """
    timexes = tag_timexes(text, dct)
    if not timexes:
        return []
    ents = sorted((s, e, name) for s, e, name, kind in entity_spans if kind in _EVENT_KINDS)
    events: list[Event] = []
    ti = 0
    for s, e in split_sentences(text):
        inside: list[Timex] = []
        while ti < len(timexes) and timexes[ti].start < e:
            if timexes[ti].start >= s:
                inside.append(timexes[ti])
            ti += 1
        t = _pick(inside)
        if t is None:
            continue
        names: list[str] = []
        for es, ee, name in ents:
            if es >= s and ee <= e and name not in names:
                names.append(name)
        events.append(Event(article_id, t.date, t.granularity, t.text, t.value, s, e,
                            _WS.sub(" ", text[s:e]).strip(), tuple(names), t.approximate))
    return events


@dataclass(frozen=True, slots=True)
class TimelineRow:
    date: dt.date
    granularity: str
    events: tuple[Event, ...]   # the merged reports of one happening

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(sorted({e.article_id for e in self.events}))

    @property
    def entities(self) -> tuple[str, ...]:
        seen: list[str] = []
        for e in self.events:
            for n in e.entities:
                if n not in seen:
                    seen.append(n)
        return tuple(seen)

    @property
    def representative(self) -> Event:
        """The report naming most organisations; ties go to the exact, then the first one."""
        return min(self.events, key=lambda e: (-len(e.entities), e.approximate, e.article_id, e.start))

    @property
    def sentence(self) -> str:
        return self.representative.sentence

    @property
    def expression(self) -> str:
        return self.representative.expression


def _words(s: str) -> set[str]:
    return {w for w in _WORD.findall(s.lower()) if w not in _STOP}


def _similar(a: Event, b: Event) -> bool:
    return _jaccard_ok(_words(a.sentence), _words(b.sentence))


def _jaccard_ok(wa: set[str], wb: set[str]) -> bool:
    """Jaccard similarity >= 0.5, i.e. 2 * |a & b| >= |a | b| (integers: exact)."""
    if not wa or not wb:
        return False
    shared = len(wa & wb)
    return 2 * shared >= len(wa) + len(wb) - shared


def _mergeable(a: Event, b: Event) -> bool:
    """The pairwise rule (kept as the reference; :func:`build_timeline` applies it
    without comparing every pair)."""
    if a.article_id == b.article_id:
        return False
    if a.entities and b.entities:
        return bool(set(a.entities) & set(b.entities))
    if not a.entities and not b.entities:
        return _similar(a, b)
    return False


def _clusters(evs: list[Event]) -> list[list[Event]]:
    """Union-find over the pairs :func:`_mergeable` accepts, in near-linear time.

    * Shared organisation: the events naming one organisation all merge as soon
      as they come from two or more articles (two reports of one article are
      linked through the other article's report), else none do.
    * Similar sentences (events naming none): prefix filtering (AllPairs).
      Word sets are taken smallest first, their words rarest first; a set is
      looked up by its first ``n - ceil(n/2) + 1`` words and indexed by its
      first ``n - ceil(2n/3) + 1``. Two sets with Jaccard >= 0.5 always meet
      there, so only such pairs are compared.
    """
    parent = list(range(len(evs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    by_entity: dict[str, list[int]] = {}
    plain: list[int] = []
    for i, ev in enumerate(evs):
        if ev.entities:
            for name in set(ev.entities):
                by_entity.setdefault(name, []).append(i)
        else:
            plain.append(i)
    for members in by_entity.values():
        if len({evs[i].article_id for i in members}) > 1:
            for i in members[1:]:
                union(members[0], i)

    if len(plain) > 1:
        words = {i: _words(evs[i].sentence) for i in plain}
        df: dict[str, int] = {}
        for ws in words.values():
            for w in ws:
                df[w] = df.get(w, 0) + 1
        seen: dict[str, list[int]] = {}  # prefix word -> events already indexed
        for i in sorted(plain, key=lambda k: len(words[k])):  # smaller sets first
            ws = words[i]
            if not ws:
                continue
            ordered = sorted(ws, key=lambda w: (df[w], w))
            n = len(ordered)
            checked: set[int] = set()
            for w in ordered[: n - (n + 1) // 2 + 1]:  # probe: overlap >= ceil(n/2)
                for j in seen.get(w, ()):
                    if j in checked:
                        continue
                    checked.add(j)
                    if 2 * len(words[j]) < n:  # too small to share half of the union
                        continue
                    if evs[i].article_id != evs[j].article_id and _jaccard_ok(ws, words[j]):
                        union(i, j)
            # Index a shorter prefix: any later (no smaller) set y with
            # Jaccard >= 0.5 overlaps this one in >= ceil(2n/3) words.
            for w in ordered[: n - (2 * n + 2) // 3 + 1]:
                seen.setdefault(w, []).append(i)

    clusters: dict[int, list[Event]] = {}
    for i, ev in enumerate(evs):
        clusters.setdefault(find(i), []).append(ev)
    return list(clusters.values())


def build_timeline(events: list[Event]) -> list[TimelineRow]:
    groups: dict[tuple[dt.date, str], list[Event]] = {}
    for ev in events:
        groups.setdefault((ev.date, ev.granularity), []).append(ev)
    rows: list[TimelineRow] = []
    for (date, gran), evs in groups.items():
        evs = sorted(evs, key=lambda e: (e.article_id, e.start))
        for members in _clusters(evs):
            rows.append(TimelineRow(date, gran, tuple(members)))
    # same calendar date: coarser granularity after finer ("2021-07" after "2021-07-01")
    rows.sort(key=lambda r: (r.date, _GRAN_RANK[r.granularity], r.articles[0], r.events[0].start))
    return rows
