"""core.terms reads a segment's run of words as Whoosh's term index holds
them, and wide expansions matched through it score as Whoosh scores them."""

from __future__ import annotations

import random

import pytest
from whoosh import index as windex
from whoosh import query as wq
from whoosh import scoring

from reader.core import matching
from reader.core.matching import scored_matches
from reader.core.query import make_parser, parse_query, pin_expansions
from reader.core.schema import build_schema
from reader.core.scoring import FastBM25F
from reader.core.segments import SegmentBuilder, adopt
from reader.core.terms import info_postings, words_in_run

# Many words sharing prefixes (a wide ``co*``), and words other prefixes hold.
VOCAB = sorted(
    {f"co{a}{b}" for a in "abcdefghijklmnopqrst" for b in "klmnopq"}
    | {f"con{a}{b}" for a in "rstuvwxyz" for b in "ae"}
    | {f"{p}ing" for p in ("sell", "buy", "trad", "bank", "ship", "cost", "coat")}
    | {f"{a}{b}ing" for a in "bdfglmprst" for b in "aeiou"}  # spread over the lexicon
    | set("oil grain wheat zinc tin".split())
)


def _doc(rng: random.Random, n: int) -> dict:
    return {
        "id": f"d{n}",
        "title": " ".join(rng.sample(VOCAB, 3)),
        "body": " ".join(rng.choice(VOCAB) for _ in range(rng.randint(1, 80))),
    }


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    """Two bulk-built segments (one-document words inlined) and one that
    Whoosh's own writer wrote, with deletions."""
    rng = random.Random(11)
    root = tmp_path_factory.mktemp("terms")
    index_dir = root / "index"
    index_dir.mkdir()
    ix = windex.create_in(str(index_dir), build_schema())
    n = 0
    segments = []
    for part in range(2):
        builder = SegmentBuilder(root / "parts" / str(part), build_schema())
        for k in range(150):
            doc = _doc(rng, n)
            if part == 0 and k == 5:
                doc["body"] += " cooak"  # a word of this segment only
            builder.add_document(**doc)
            n += 1
        segment = builder.finish()
        adopt(root / "parts" / str(part), segment, index_dir)
        segments.append(segment)
    ix.writer().commit(mergetype=lambda _w, existing: [*existing, *segments])
    writer = ix.writer()
    for k in range(60):
        doc = _doc(rng, n)
        if k == 1:
            doc["body"] += " trafing"  # a word of this segment only
        writer.add_document(**doc)
        n += 1
    writer.commit(merge=False)
    writer = ix.writer()
    for i in range(3, n, 9):  # (not the documents holding the one-segment words)
        writer.delete_by_term("id", f"d{i}")
    writer.commit(merge=False)
    assert len(ix.reader().leaf_readers()) == 3
    yield ix
    ix.close()


def test_a_run_holds_the_words_between_its_ends_with_their_term_infos(ix):
    rng = random.Random(3)
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            words = [w for w in leaf.lexicon("body")]
            assert len(words) > 50
            for _ in range(40):
                a, b = sorted(rng.sample(range(len(words)), 2))
                first, last = words[a], words[b]
                if rng.random() < 0.3:  # ends that are not words of the segment
                    first, last = first[:-1], last + b"~"
                between = [w for w in words if first <= w <= last]
                run = words_in_run(leaf, "body", {first, last, *between})  # the ends, words or not
                assert [w for w, _ in run] == between
                for word, info in run:
                    assert info == leaf._terms._tindex[leaf._terms._keycoder("body", word)]


def test_a_run_longer_than_the_limit_is_refused(ix):
    with ix.reader() as reader:
        leaf = reader.leaf_readers()[0][0]
        words = list(leaf.lexicon("body"))
        assert words_in_run(leaf, "body", {words[0], words[-1]}, limit=len(words) - 1) is None
        assert len(words_in_run(leaf, "body", set(words), limit=len(words))) == len(words)
        assert words_in_run(leaf, "body", {b"zzzz", b"zzzzz"}) == []
        assert words_in_run(reader, "body", {words[0], words[-1]}) is None  # not one segment: look words up


def test_words_in_run_keeps_the_wanted_words_the_segment_has(ix):
    rng = random.Random(5)
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            words = list(leaf.lexicon("body"))
            for size in (1, 2, 30, len(words) // 3):
                chosen = set(rng.sample(words, size))
                wanted = chosen | {b"zz-not-a-word", words[0][:-1] + b"~"}
                found = words_in_run(leaf, "body", wanted)
                assert [w for w, _ in found] == sorted(chosen)
                for word, info in found:
                    assert info == leaf._terms._tindex[leaf._terms._keycoder("body", word)]
            assert words_in_run(leaf, "body", set()) == []


def test_info_postings_reads_what_whoosh_reads(ix):
    from whoosh.codec.whoosh3 import W3TermInfo

    inlined = blocks = 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            for word, raw in words_in_run(leaf, "body", set(leaf.lexicon("body"))):
                info = W3TermInfo.from_bytes(raw)
                df, postings, offset = info_postings(raw)
                assert df == info.doc_frequency()
                if info.is_inlined():
                    inlined += 1
                    assert postings == info.inlined_postings()
                else:
                    blocks += 1
                    assert postings is None and offset == info.extent()[0]
    assert inlined and blocks


@pytest.mark.parametrize("text", ["co*", "con*", "co?k", "*ing", "co* OR oil", "title:co*", "coa*", "co* AND NOT zinc"])
def test_wide_expansions_score_as_word_by_word_and_as_whoosh(ix, text, monkeypatch):
    parser = make_parser(ix.schema)
    with ix.searcher(weighting=FastBM25F()) as searcher:
        q = parse_query(parser, text)
        pin_expansions(q, searcher.reader())
        leaves = [leaf for leaf in q.leaves() if isinstance(leaf, wq.MultiTerm)]
        wide = any(len(leaf.pinned) >= matching.RUN_MIN for leaf in leaves)
        assert leaves and wide == (text != "coa*")
        runs = []
        real = matching.words_in_run
        monkeypatch.setattr(matching, "words_in_run", lambda *a, **k: runs.append(1) or real(*a, **k))
        by_run = scored_matches(searcher, q)
        assert bool(runs) == wide  # the run path is taken for wide expansions only
        monkeypatch.setattr(matching, "RUN_MIN", 10**9)
        by_word = scored_matches(searcher, q)
    assert by_run.keys() == by_word.keys()
    assert all(abs(by_run[d] - by_word[d]) < 1e-9 for d in by_run)
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        words = {leaf.text: [w.decode() for w in leaf.pinned] for leaf in leaves}
        reference = searcher.search(_as_or(q, words), limit=None, optimize=False)
        found = {hit.docnum: hit.score for hit in reference}
    if "NOT" not in text:  # Whoosh's own AND NOT is broken (see test_matching)
        assert found.keys() == by_run.keys()
        assert all(abs(found[d] - by_run[d]) < 1e-6 for d in found)


@pytest.mark.parametrize("text", ["*ing", "co*", "title:co* OR body:*ing"])
def test_wide_expansions_take_idf_from_their_runs_not_from_lookups(ix, text, monkeypatch):
    """The idf of a wide expansion's words comes from the document
    frequencies in the runs already read: the same value Whoosh computes,
    with no per-word doc_frequency() lookup in every segment."""
    parser = make_parser(ix.schema)
    with ix.searcher(weighting=FastBM25F()) as searcher:
        q = parse_query(parser, text)
        pin_expansions(q, searcher.reader())
        lookups = []
        real = searcher.doc_frequency  # the reader's, copied onto the searcher by Whoosh
        monkeypatch.setattr(searcher, "doc_frequency", lambda *a: lookups.append(a) or real(*a))
        scored_matches(searcher, q)
        assert lookups == []
        monkeypatch.undo()
        cached = dict(searcher._idf_cache)
        pinned = [(leaf.field(), w) for leaf in q.leaves() if isinstance(leaf, wq.MultiTerm) for w in leaf.pinned]
    assert pinned and all(key in cached for key in pinned)
    with ix.searcher(weighting=scoring.BM25F()) as fresh:
        for (fieldname, word), idf in cached.items():
            assert idf == fresh.weighting.idf(fresh, fieldname, word)


def _as_or(q: wq.Query, words: dict[str, list[str]]) -> wq.Query:
    if isinstance(q, wq.MultiTerm):
        return wq.Or([wq.Term(q.field(), w, boost=q.boost) for w in words[q.text]]) if words[q.text] else wq.NullQuery
    if q.is_leaf():
        return q
    return q.apply(lambda c: _as_or(c, words))


@pytest.mark.parametrize("word", ["coak", "cpak", "conra", "tradng", "sellin", "oli", "zzzzzz"])
def test_fuzzy_words_from_segment_lists_equal_the_merged_lexicons(ix, word):
    """Cold, a fuzzy word is looked for in each segment's list; warm, in the
    index-wide list: the same words either way, and exactly those within
    two edits (transpositions count one)."""
    from rapidfuzz.distance import OSA

    from reader.core import query

    parser = make_parser(ix.schema)
    expansions = []
    for warm in (False, True):
        with ix.searcher() as searcher:  # a new reader: a cold cache
            reader = searcher.reader()
            if warm:
                query.warm_lexicons(reader, ["body"])
            assert ("body" in query._cache_for(reader)["lexicons"]) == warm
            q = parse_query(parser, f"body:{word}~2")
            pin_expansions(q, reader)
            (leaf,) = [leaf for leaf in q.leaves() if isinstance(leaf, query.DamerauFuzzyTerm)]
            expansions.append(leaf.pinned)
            lexicon = [w if isinstance(w, str) else w.decode() for w in reader.lexicon("body")]
    assert expansions[0] == expansions[1]
    expected = [w for w in lexicon if OSA.distance(word, w) <= 2][: query.MAX_EXPANSION]
    assert [w.decode() for w in expansions[0]] == expected


@pytest.mark.parametrize("text", ["*ing", "co*", "co*k", "co*ak", "*in?", "c*o*", "*[ae]ing", "bi*ing", "coa*ak", "*a*", "title:*ing"])
def test_pinned_words_are_whooshs_own_expansion(ix, text):
    """Prefix and wildcard words come from the cached lexicon (a plain
    suffix without a pattern): the same words Whoosh expands to."""
    parser = make_parser(ix.schema)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        q = parse_query(parser, text)
        pin_expansions(q, reader)
        leaves = [leaf for leaf in q.leaves() if isinstance(leaf, (wq.Prefix, wq.Wildcard))]
        assert leaves
        for leaf in leaves:
            assert leaf.pinned == sorted(set(type(leaf)(leaf.fieldname, leaf.text)._btexts(reader))), (text, leaf.fieldname)
