"""Ranking only the first screen up front must not change what a user sees
when paging, nor the counts; date clauses answered from the column must match
Whoosh's own date ranges."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from whoosh import query as wq

import reader.core.search as search_module
from reader.core.index import update_index
from reader.core.pipeline import Analyser
from reader.core.search import SearchEngine


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("paging")
    corpus = root / "c"
    corpus.mkdir()
    rows = []
    for i in range(260):
        words = " ".join(["cocoa"] * (i % 7 + 1) + ["sugar"] * (i % 3))
        date = (dt.date(2021, 1, 1) + dt.timedelta(days=i)).isoformat() if i % 10 else None
        rows.append({"id": f"d{i}", "title": f"Story {i}", "date": date, "text": f"Story {i}: {words} and filler words."})
    (corpus / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    update_index(corpus, root / "ix", analyser=Analyser(enabled=False))
    eng = SearchEngine(root / "ix")
    yield eng
    eng.close()


def full_ranking(engine, q: str) -> list[str]:
    with engine._lock:
        res = engine._searcher.search(engine.parse(q), limit=None)
        return [engine._searcher.stored_fields(d)["id"] for _, d in res.top_n]


@pytest.mark.parametrize("q", ["cocoa", "sugar", "cocoa OR sugar", "story"])
def test_paging_past_the_first_screen_matches_a_full_ranking(engine, q):
    result = engine.search(q)
    assert len(result.docnums) == search_module.FIRST < result.total  # really partial
    ids = [h.id for start in range(0, result.total, 50) for h in engine.hits(result, start, start + 50)]
    assert len(ids) == result.total == len(set(ids))
    assert ids == full_ranking(engine, q)


def test_counts_and_facets_cover_every_match(engine):
    result = engine.search("cocoa")
    assert result.total == 260
    assert len(engine._matched(result)) == 260


@pytest.mark.parametrize(
    "q",
    ["date:2021-03", "cocoa date:[2021-02-01 to 2021-04-15]", "sugar date:>2021-06", "date:2021 sugar", "cocoa date:<2021-02"],
)
def test_date_clauses_match_whoosh_date_ranges(engine, q):
    ours = engine.search(q)
    ids = {h.id for h in engine.hits(ours, 0, ours.total)}
    with engine._lock:
        whoosh_q = engine.parse(q)  # the DateRange left inside the query: Whoosh's own matching
        expected = {engine._searcher.stored_fields(d)["id"] for d in engine._searcher.search(whoosh_q, limit=None).docs()}
    assert ids == expected and expected
    assert any(isinstance(leaf, wq.DateRange) for leaf in whoosh_q.leaves()) or isinstance(whoosh_q, wq.DateRange)


def test_undated_articles_never_match_a_date_range(engine):
    result = engine.search("date:<2030")
    assert result.total == 234  # 260 minus the 26 undated
