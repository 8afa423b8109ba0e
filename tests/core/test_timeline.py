"""Unit tests for event extraction and the merged timeline (reader.core.timeline)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from reader.core.timeline import Event, TimelineRow, build_timeline, extract_events

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
MIIT = "Ministry of Industry and Information Technology"
ISC = "Internet Society of China"
ENTITY_STRINGS = [(n, n, "firm") for n in ("Tencent", "ByteDance", "Alibaba", "Pinduoduo", "Meituan", "Xiaomi", "Didi")] + [
    ("Ministry of Industry and Information Technology", MIIT, "agency"),
    ("Ministry of Industry Information Technology", MIIT, "agency"),
    ("MIIT", MIIT, "agency"),
    (ISC, ISC, "agency"),
]
ARTICLES = [("000", "000_d59e4f67651d1876.txt", dt.date(2021, 9, 13)),
            ("003", "003_d743c37b6639f9e9.txt", dt.date(2021, 7, 30)),
            ("004", "004_8aeb1d78dd88faa9.txt", dt.date(2021, 7, 30))]
FRI = dt.date(2021, 7, 30)


def spans(text: str) -> list[tuple[int, int, str, str]]:
    out = []
    for s, canon, kind in ENTITY_STRINGS:
        out += [(m.start(), m.end(), canon, kind) for m in re.finditer(r"\b" + re.escape(s) + r"\b", text)]
    return out


def ev(aid, date, ents, sentence="s", gran="day") -> Event:
    return Event(aid, date, gran, "Friday", date.isoformat(), 0, len(sentence), sentence, tuple(ents))


# ---------------------------------------------------------------- extract_events
def test_one_event_per_dated_sentence_with_entities():
    text = "On Friday, Tencent and the MIIT met. Nothing dated here. ByteDance will act every year."
    events = extract_events("a", text, FRI, spans(text))
    assert len(events) == 1
    e = events[0]
    assert (e.date, e.granularity, e.expression, e.value) == (FRI, "day", "Friday", "2021-07-30")
    assert e.entities == ("Tencent", MIIT)
    assert text[e.start:e.end] == "On Friday, Tencent and the MIIT met."


def test_most_specific_timex_wins_in_a_sentence():
    text = "In 2021, and again in July and on Monday, Alibaba was fined."
    (e,) = extract_events("a", text, FRI, spans(text))
    assert (e.value, e.granularity) == ("2021-07-26", "day")


def test_only_firms_and_agencies_are_event_entities():
    text = "On Friday, Tencent met Zhao."
    es = extract_events("a", text, FRI, [(11, 18, "Tencent", "firm"), (23, 27, "Zhao", "person")])
    assert es[0].entities == ("Tencent",)


def test_durations_sets_metadata_and_unresolved_make_no_events():
    text = ("A six-month campaign runs every year.\n\nDays later it acted.\n\n"
            "© 2021 AFP\n\nPublished: Sep 13, 2021\n\nRecently, the firms met.")
    assert extract_events("a", text, FRI, []) == []


def test_undated_article_events_only_from_absolute_dates():
    text = "On Monday, Alibaba met. On July 30, 2021, Tencent met."
    es = extract_events("a", text, None, spans(text))
    assert [(e.value, e.entities) for e in es] == [("2021-07-30", ("Tencent",))]


def test_approximate_flag_propagates():
    text = "In early 2022, Xiaomi will open a plant."
    (e,) = extract_events("a", text, FRI, spans(text))
    assert e.approximate and e.granularity == "year" and e.date == dt.date(2022, 1, 1)


# ---------------------------------------------------------------- build_timeline
def test_merges_different_articles_sharing_an_entity():
    rows = build_timeline([ev("b", FRI, ["MIIT"]), ev("a", FRI, ["MIIT", "Tencent"]), ev("c", FRI, ["Xiaomi"])])
    assert [r.articles for r in rows] == [("a", "b"), ("c",)]
    assert rows[0].entities == ("MIIT", "Tencent")
    assert isinstance(rows[0], TimelineRow)


def test_does_not_merge_same_article_or_other_dates_or_granularity():
    rows = build_timeline([ev("a", FRI, ["MIIT"]), ev("a", FRI, ["MIIT"]),
                           ev("b", FRI + dt.timedelta(days=1), ["MIIT"]),
                           ev("c", dt.date(2021, 7, 1), ["MIIT"], gran="month")])
    assert len(rows) == 4
    assert [r.date for r in rows] == [dt.date(2021, 7, 1), FRI, FRI, FRI + dt.timedelta(days=1)]


def test_entityless_events_merge_only_when_sentences_are_similar():
    a = ev("a", FRI, [], "A politburo meeting stressed the need to improve regulation.")
    b = ev("b", FRI, [], "A politburo meeting stressed the need to improve regulation of listings.")
    c = ev("c", FRI, [], "Stocks in Hong Kong fell sharply on the news.")
    rows = build_timeline([a, b, c])
    assert sorted(r.articles for r in rows) == [("a", "b"), ("c",)]


def test_rows_sorted_by_date_then_first_article():
    rows = build_timeline([ev("z", dt.date(2021, 1, 2), ["X"]), ev("b", dt.date(2021, 1, 1), ["Y"]),
                           ev("a", dt.date(2021, 1, 1), ["Z"])])
    assert [(r.date.day, r.articles[0]) for r in rows] == [(1, "a"), (1, "b"), (2, "z")]


# ---------------------------------------------------------------- bundled corpus expectations
@pytest.fixture(scope="module")
def bundled_rows() -> list[TimelineRow]:
    events = []
    for aid, fname, dct in ARTICLES:
        text = (CORPUS / fname).read_text(encoding="utf-8")
        events += extract_events(aid, text, dct, spans(text))
    return build_timeline(events)


def rows_on(rows, date):
    return [r for r in rows if r.date == date]


def test_bundled_000_monday_miit(bundled_rows):
    assert any("000" in r.articles and MIIT in r.entities for r in rows_on(bundled_rows, dt.date(2021, 9, 13)))


def test_bundled_0730_merged_miit_row(bundled_rows):
    assert any(r.articles == ("003", "004") and MIIT in r.entities for r in rows_on(bundled_rows, FRI))


def test_bundled_0728_two_days_earlier_and_wednesday_merged(bundled_rows):
    (row,) = [r for r in rows_on(bundled_rows, dt.date(2021, 7, 28))]
    assert row.articles == ("003", "004") and ISC in row.entities
    assert {e.expression for e in row.events} == {"two days earlier", "Wednesday"}


def test_bundled_0726_monday_in_004(bundled_rows):
    assert any(r.articles == ("004",) for r in rows_on(bundled_rows, dt.date(2021, 7, 26)))


def test_bundled_since_july_is_a_month(bundled_rows):
    (row,) = [r for r in bundled_rows if r.granularity == "month"]
    assert row.date == dt.date(2021, 7, 1) and row.articles == ("000",) and row.expression == "July"


def test_bundled_no_metadata_or_anchored_events(bundled_rows):
    assert not rows_on(bundled_rows, dt.date(2021, 12, 3))
    sentences = [e.sentence for r in bundled_rows for e in r.events]
    assert not any("citation" in s or "©" in s or "Published" in s or "Updates with" in s for s in sentences)
    assert not any("a week after" in s for s in sentences)
    assert all(r.granularity in ("day", "month") for r in bundled_rows)
    assert {r.date for r in bundled_rows} == {dt.date(2021, 9, 13), FRI, dt.date(2021, 7, 28),
                                             dt.date(2021, 7, 26), dt.date(2021, 7, 1)}


# ---------------------------------------------------------------- merging without comparing every pair
def _mergeable(a, b) -> bool:
    """The merge rule for one pair, as written in timeline._clusters' docstring."""
    from reader.core.timeline import _jaccard_ok, _words

    if a.article_id == b.article_id:
        return False
    if a.entities and b.entities:
        return bool(set(a.entities) & set(b.entities))
    if not a.entities and not b.entities:
        return _jaccard_ok(_words(a.sentence), _words(b.sentence))
    return False


def _pairwise_clusters(events):
    """The rule applied to every pair (the old quadratic build): the reference."""
    groups = {}
    for e in events:
        groups.setdefault((e.date, e.granularity), []).append(e)
    out = set()
    for evs in groups.values():
        parent = list(range(len(evs)))

        def find(i):
            while parent[i] != i:
                i = parent[i]
            return i

        for i in range(len(evs)):
            for j in range(i + 1, len(evs)):
                if _mergeable(evs[i], evs[j]):
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
        clusters = {}
        for i, e in enumerate(evs):
            clusters.setdefault(find(i), []).append((e.article_id, e.start))
        out |= {frozenset(c) for c in clusters.values()}
    return out


@pytest.mark.parametrize("seed", range(150))
def test_fast_merge_equals_the_pairwise_rule(seed):
    import random

    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(rng.choice([4, 8, 30]))]
    articles = rng.choice([1, 2, 6])
    orgs = ["MIIT", "Tencent", "Alibaba", "ByteDance"]
    events = []
    for n in range(rng.randint(2, 60)):
        words = " ".join(rng.sample(vocab, rng.randint(0, min(len(vocab), 7))))
        ents = rng.sample(orgs, rng.choice([0, 0, 1, 1, 2]))
        events.append(Event(
            article_id=f"a{rng.randint(0, articles)}", date=FRI + dt.timedelta(days=rng.randint(0, 1)),
            granularity="day", expression="Friday", value="", start=n, end=n + 1,
            sentence=words, entities=tuple(ents),
        ))
    got = {frozenset((e.article_id, e.start) for e in r.events) for r in build_timeline(events)}
    assert got == _pairwise_clusters(events)


def test_thousands_of_same_day_events_are_not_compared_pairwise(monkeypatch):
    """35,000 Reuters events took 214 s when every pair of a day was compared."""
    from reader.core import timeline

    compared = 0
    real = timeline._jaccard_ok

    def counting(a, b):
        nonlocal compared
        compared += 1
        return real(a, b)

    monkeypatch.setattr(timeline, "_jaccard_ok", counting)
    events = [
        Event(f"a{n % 900}", FRI, "day", "Friday", "", n, n + 1, f"shares of company{n % 700} rose {n} points",
              (("Firm%d" % (n % 300)),) if n % 2 else ())
        for n in range(6000)
    ]
    rows = build_timeline(events)
    assert sum(len(r.events) for r in rows) == 6000
    assert 0 < compared < 20_000  # pairwise: 4.5 million among the 3,000 without organisations
