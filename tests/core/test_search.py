"""The acceptance queries of the bundled corpus, and the query language."""

from __future__ import annotations

import pytest

from conftest import ID_000, ID_003, ID_004
from reader.core.query import QueryError, damerau


def ids(engine, q, **kw):
    result = engine.search(q, **kw)
    return sorted(h.id for h in engine.hits(result, 0, 50))


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"deep self-examination"', [ID_003]),
        ("Pinduoduo", [ID_003]),
        ("Tencnet~", [ID_000, ID_003, ID_004]),
        ("date:[2021-09-01 to 2021-09-30]", [ID_000]),
        ("source:bloomberg", [ID_004]),
        ("date:2021-07", [ID_003, ID_004]),
        ("date:>2021-08", [ID_000]),
        ("date:[2021-07-30 to]", [ID_000, ID_003, ID_004]),
        ("title:china AND NOT pinduoduo", [ID_000, ID_004]),
        ("tenc*", [ID_000, ID_003, ID_004]),
        ("meituan OR weishi", [ID_000, ID_003, ID_004]),
        ("xiaomi AND NOT bloomberg", [ID_003]),
        ('title:"tech giants"', [ID_003, ID_004]),
    ],
)
def test_queries(engine, query, expected):
    assert ids(engine, query) == expected


def test_plain_whoosh_fuzzy_would_miss_transposition():
    assert damerau("tencnet", "tencent") == 1
    assert damerau("abc", "abc") == 0
    assert damerau("kitten", "sitting") == 3


@pytest.mark.parametrize(
    "query, fragment",
    [
        ('"unclosed', "unclosed quote"),
        ("(tencent", "parenthesis"),
        ("tencent)", "parenthesis"),
        ("foo:bar", "unknown field"),
        ("date:[garbage to x]", "invalid date"),
        ("date:2021-13", "invalid date"),
        ("*", "wildcard"),
        ("tencent~9", "fuzzy distance"),
        ("date:[2022 to 2021]", "empty date range"),
    ],
)
def test_malformed_queries_raise_clear_errors(engine, query, fragment):
    with pytest.raises(QueryError) as info:
        engine.search(query)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_empty_query_lists_everything_newest_first(engine):
    result = engine.search("")
    hits = engine.hits(result, 0, 10)
    assert result.total == 3
    assert hits[0].id == ID_000  # 2021-09-13 is the newest
    assert result.sort == "date"


def test_sort_by_date(engine):
    result = engine.search("tencent", sort="date")
    dates = [h.date for h in engine.hits(result, 0, 10)]
    assert dates == sorted(dates, reverse=True)


def test_did_you_mean(engine):
    result = engine.search("Pinduodou")
    assert result.total == 0
    assert result.suggestion == "pinduoduo"


def test_snippet_highlights_the_query_terms(engine):
    result = engine.search("Pinduoduo")
    [hit] = engine.hits(result, 0, 10)
    assert hit.hit_count == 1
    [(s, e)] = hit.snippet.spans
    assert hit.snippet.text[s:e] == "Pinduoduo"


def test_fuzzy_terms_are_expanded_for_highlighting(engine):
    result = engine.search("Tencnet~")
    assert "tencent" in result.terms
    hit = engine.hits(result, 0, 1)[0]
    assert hit.hit_count >= 1
    assert all(hit.snippet.text[s:e].lower() == "tencent" for s, e in hit.snippet.spans)


def test_negated_terms_are_not_highlighted(engine):
    result = engine.search("china NOT pinduoduo")
    assert "pinduoduo" not in result.terms and "china" in result.terms


def test_show_article(engine):
    article = engine.article(ID_004)
    assert article.source == "Bloomberg" and article.text.startswith("China Orders 25")
    assert engine.article("nope") is None


# ------------------------------------------------------------------ one-pass top N and AND NOT
def test_and_not_is_rewritten_without_changing_matches(engine):
    from whoosh import query as wq

    from reader.core.search import _and_not

    for text in ("title:china AND NOT pinduoduo", "(meituan OR weishi) AND NOT bloomberg AND NOT xiaomi",
                 "tencent OR (alibaba AND NOT bytedance)", "NOT tencent", "china"):
        q = engine.parse(text)
        rewritten = _and_not(q)
        searcher = engine._searcher
        assert set(searcher.docs_for_query(rewritten)) == set(searcher.docs_for_query(q)), text
        if "AND NOT" in text:  # no inverse matcher left inside an AND
            assert isinstance(rewritten, wq.AndNot) or any(isinstance(c, wq.AndNot) for c in rewritten.children())
            assert "Not(" not in repr(rewritten).replace("AndNot(", "")


def test_total_counts_every_match_even_beyond_the_first_screen(engine, monkeypatch):
    """The count comes from the scoring pass: it must see documents that only
    one field matches (Whoosh's optimised top N dropped those)."""
    from reader.core import search as search_mod

    monkeypatch.setattr(search_mod, "FIRST", 1)
    for text in ("tencent", "china", "title:china OR bytedance", "tenc*", "Tencnet~"):
        result = engine.search(text)
        matched = set(engine._searcher.docs_for_query(search_mod._and_not(engine.parse(text))))
        assert result.total == len(matched), text
        assert len(result.docnums) == min(1, len(matched))
        full = engine.hits(result, 0, 50)  # paging past the first screen ranks the rest
        assert len(full) == result.total


def test_fast_bm25f_scores_like_whooshs(engine):
    """The cached-lengths scorer gives Whoosh's BM25F scores, in the same order
    (Whoosh's own search with each weighting; the engine's ranking is
    test_matching's subject)."""
    from whoosh import scoring

    from reader.core.scoring import FastBM25F

    for text in ("tencent", "china tech", '"self-examination"', "title:china OR bytedance"):
        q = engine.parse(text)
        ranked = []
        for weighting in (scoring.BM25F(), FastBM25F()):
            with engine._ix.searcher(weighting=weighting) as searcher:
                ranked.append([(hit.docnum, hit.score) for hit in searcher.search(q, limit=None, optimize=False)])
        plain, fast = ranked
        assert [d for d, _ in plain] == [d for d, _ in fast], text
        assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(plain, fast)), text
        assert [d for d, _ in plain][:3] == list(engine.search(text).docnums)[:3], text


@pytest.mark.parametrize("text", ["Tencnet~", "tencent~2", "regulater~", "chna~1/1", "bytdance~2/2", "zzzz~"])
def test_fuzzy_expansion_is_every_word_within_the_distance(engine, text):
    """The words a fuzzy term expands to: every indexed word with the prefix
    and an OSA distance within the limit, in lexicon order."""
    from rapidfuzz.distance import OSA

    from reader.core.query import DamerauFuzzyTerm

    reader = engine._searcher.reader()
    leaves = [leaf for leaf in engine.parse(text).leaves() if isinstance(leaf, DamerauFuzzyTerm)]
    assert leaves
    for leaf in leaves:
        words = sorted({w.decode("utf-8") for w in reader.lexicon(leaf.fieldname)})
        prefix = leaf.text[: leaf.prefixlength]
        expected = [w for w in words if w.startswith(prefix) and OSA.distance(w, leaf.text) <= leaf.maxdist]
        assert [w.decode("utf-8") for w in leaf._btexts(reader)] == expected, (text, leaf.fieldname)
    if text == "Tencnet~":
        assert "tencent" in expected


def test_the_last_timeline_is_remembered_until_its_inputs_or_the_index_change(corpus, index_dir, monkeypatch):
    """Toggling the timeline view or running the same search again does not
    cluster the events again; another query, filter or date range does, and
    so does a newer index generation (with its new article's events)."""
    import datetime as dt

    from reader.core import search as search_module
    from reader.core.index import update_index
    from reader.core.search import SearchEngine

    update_index(corpus, index_dir)
    engine = SearchEngine(index_dir)
    built = []
    real = search_module.rows_from_events
    monkeypatch.setattr(search_module, "rows_from_events", lambda *a, **k: built.append(1) or real(*a, **k))
    try:
        everything = engine.timeline()
        assert engine.timeline() == everything and len(built) == 1
        tencent = engine.search("tencent")
        first = engine.timeline(tencent)
        assert engine.timeline(engine.search("tencent")) == first and len(built) == 2
        assert len(engine.timeline(tencent, entities=["Tencent"])) <= len(first) and len(built) == 3
        july = engine.timeline(None, start=dt.date(2021, 7, 1), end=dt.date(2021, 7, 31))
        assert july != everything and all(r.date.month == 7 for r in july) and len(built) == 4
        everything.clear()  # a caller's list is its own
        assert engine.timeline() and len(built) == 5  # the memo holds one timeline: the July one was last

        (corpus / "later.md").write_text(
            '+++\ntitle = "Later"\ndate = 2021-10-20\n+++\nTencent said on Monday it had complied.\n', encoding="utf-8"
        )
        update_index(corpus, index_dir)
        assert engine.refresh()
        assert any(r.date == dt.date(2021, 10, 18) for r in engine.timeline()) and len(built) == 6
    finally:
        engine.close()
