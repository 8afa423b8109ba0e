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
from typing import TYPE_CHECKING

from .aggregate import Event
from .sentences import split_sentences

if TYPE_CHECKING:
    from .temporal import Timex

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
    # Imported here: the tagger compiles its ~100 patterns on import (~0.25 s),
    # which a timeline built from stored events (the TUI's `t`) never needs.
    from .temporal import tag_timexes

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


def _jaccard_ok(wa: set[str], wb: set[str]) -> bool:
    """Jaccard similarity >= 0.5, i.e. 2 * |a & b| >= |a | b| (integers: exact)."""
    if not wa or not wb:
        return False
    shared = len(wa & wb)
    return 2 * shared >= len(wa) + len(wb) - shared


def _clusters(evs: list[Event], word_sets: dict[str, frozenset[str]] | None = None) -> list[list[Event]]:
    """Union-find over the events that report one happening, in near-linear time.

    The rule, pair by pair (what tests/core/test_timeline.py compares against):
    two events of different articles merge when both name organisations and
    share one, or when neither names any and their sentences' word sets have
    Jaccard >= 0.5; merging is transitive.

    * Shared organisation: the events naming one organisation all merge as soon
      as they come from two or more articles (two reports of one article are
      linked through the other article's report), else none do.
    * Similar sentences (events naming none): see :func:`_similar_sentences`.
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
        _similar_sentences(evs, plain, union, {} if word_sets is None else word_sets)

    clusters: dict[int, list[Event]] = {}
    for i, ev in enumerate(evs):
        clusters.setdefault(find(i), []).append(ev)
    return list(clusters.values())


def build_timeline(events: list[Event]) -> list[TimelineRow]:
    groups: dict[tuple[dt.date, str], list[Event]] = {}
    for ev in events:
        groups.setdefault((ev.date, ev.granularity), []).append(ev)
    rows: list[TimelineRow] = []
    word_sets: dict[str, frozenset[str]] = {}  # sentence -> its words: copies of a story repeat sentences
    for (date, gran), evs in groups.items():
        evs = sorted(evs, key=lambda e: (e.article_id, e.start))
        for members in _clusters(evs, word_sets):
            rows.append(TimelineRow(date, gran, tuple(members)))
    # same calendar date: coarser granularity after finer ("2021-07" after "2021-07-01")
    rows.sort(key=lambda r: (r.date, _GRAN_RANK[r.granularity], r.articles[0], r.events[0].start))
    return rows


def _similar_sentences(evs: list[Event], plain: list[int], union, word_sets: dict[str, frozenset[str]]) -> None:
    """Union the events of ``plain`` whose word sets have Jaccard >= 0.5 and
    that come from different articles, without comparing every pair.

    Events with the same word set are one entry (copies of a wire story, a
    repeated boilerplate line): they all merge when they come from two or more
    articles. Entries are then joined by prefix filtering (AllPairs with
    PPJoin's positional bound): entries smallest first, their words rarest
    first; an entry of n words looks up its first ``n - ceil(n/2) + 1`` words
    and is indexed under its first ``n - ceil(2n/3) + 1``; a candidate is
    dropped as soon as the words left cannot reach the overlap a Jaccard of
    0.5 needs (``3 * overlap >= n + m``). Pairs at or above 0.5 always meet
    there, so the result equals comparing every pair.
    """
    groups: dict[frozenset[str], list[int]] = {}
    for i in plain:
        sentence = evs[i].sentence
        ws = word_sets.get(sentence)
        if ws is None:
            ws = word_sets[sentence] = frozenset(_words(sentence))
        if ws:
            groups.setdefault(ws, []).append(i)
    entries = sorted(groups.items(), key=lambda kv: len(kv[0]))  # smaller sets first
    articles = [{evs[i].article_id for i in members} for _, members in entries]
    for members, arts in zip((m for _, m in entries), articles):
        if len(arts) > 1:
            for i in members[1:]:
                union(members[0], i)
    df: dict[str, int] = {}
    for ws, _ in entries:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    index: dict[str, list[tuple[int, int]]] = {}  # word -> (entry, position of the word in it)
    ordered_sets: list[list[str]] = []
    for x, (ws, members) in enumerate(entries):
        ordered = sorted(ws, key=lambda w: (df[w], w))
        ordered_sets.append(ordered)
        n = len(ordered)
        overlap: dict[int, int] = {}
        for p, w in enumerate(ordered[: n - (n + 1) // 2 + 1]):
            for y, q in index.get(w, ()):
                seen = overlap.get(y, 0)
                if seen < 0:
                    continue  # pruned
                m = len(ordered_sets[y])
                if 2 * m < n or 3 * (seen + 1 + min(n - p - 1, m - q - 1)) < n + m:
                    overlap[y] = -1
                else:
                    overlap[y] = seen + 1
        for y, seen in overlap.items():
            if seen <= 0:
                continue
            if _jaccard_ok(ws, entries[y][0]):
                _join(evs, members, entries[y][1], articles[x], articles[y], union)
        for q, w in enumerate(ordered[: n - (2 * n + 2) // 3 + 1]):
            index.setdefault(w, []).append((x, q))


def _join(evs, xs: list[int], ys: list[int], xarts: set[str], yarts: set[str], union) -> None:
    """Connect two groups of similar events as the pairwise rule would: only
    if some pair comes from different articles."""
    if len(xarts) == 1 and xarts == yarts:
        return
    x0 = xs[0]
    y0 = next((y for y in ys if evs[y].article_id != evs[x0].article_id), None)
    if y0 is None:  # ys all from x0's article: another article of xs meets them
        y0 = ys[0]
        x0 = next(x for x in xs if evs[x].article_id != evs[y0].article_id)
    for x in xs:
        union(x, y0)
    for y in ys:
        union(y, x0)

