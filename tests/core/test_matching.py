"""core.matching gives Whoosh's matches and scores, a block at a time.

The reference is Whoosh itself: its own searcher, its own BM25F, every match
collected unoptimised. Prefix, wildcard and fuzzy terms are compared with the
OR of the words they expand to (see the module's note on constant scores).
"""

from __future__ import annotations

import contextlib
import random

import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage
from whoosh.matching import AndNotMatcher

from reader.core.matching import scored_matches
from reader.core.query import make_parser, pin_expansions
from reader.core.schema import build_schema
from reader.core.scoring import FastBM25F
from reader.core.search import _and_not

WORDS = "oil price prices bank rate rates interest export exports exporter trade grain wheat corn tonnes".split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Four segments (one with deletions), titles and bodies of random words."""
    rng = random.Random(7)
    storage = FileStorage(str(tmp_path_factory.mktemp("matching")))
    ix = storage.create_index(build_schema())
    n = 0
    for batch in range(4):
        writer = ix.writer()
        for _ in range(rng.randint(20, 160)):  # small and large posting lists (inlined and blocks)
            writer.add_document(
                id=f"d{n}", title=_text(rng, rng.randint(0, 6)), body=_text(rng, rng.randint(0, 300)),
                org="bank of x,reserve" if rng.random() < 0.3 else "",
            )
            n += 1
        writer.commit(merge=False)
    writer = ix.writer()
    for i in range(0, n, 7):
        writer.delete_by_term("id", f"d{i}")
    writer.commit(merge=False)
    assert len(ix.reader().leaf_readers()) >= 4 and ix.reader().has_deletions()
    yield ix
    ix.close()


def _expanded(q: wq.Query, reader) -> wq.Query:
    """Prefix/wildcard/fuzzy terms as the OR of the words they expand to."""
    if isinstance(q, wq.MultiTerm):
        words = [w for w in q._btexts(reader) if w]
        return wq.Or([wq.Term(q.field(), w.decode("utf-8") if isinstance(w, bytes) else w, boost=q.boost) for w in words]) if words else wq.NullQuery
    if q.is_leaf():
        return q
    return q.apply(lambda c: _expanded(c, reader))


def _whoosh(ix, q: wq.Query) -> dict[int, float]:
    with ix.searcher(weighting=scoring.BM25F()) as searcher, _fixed_and_not():
        results = searcher.search(_expanded(q, searcher.reader()), limit=None, optimize=False)
        return {hit.docnum: hit.score for hit in results}


@contextlib.contextmanager
def _fixed_and_not():
    """Whoosh's AndNotMatcher with its first match checked (see the last test)."""

    def find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()

    original = AndNotMatcher._find_first
    AndNotMatcher._find_first = find_first
    try:
        yield
    finally:
        AndNotMatcher._find_first = original


def _ours(ix, q: wq.Query) -> dict[int, float]:
    with ix.searcher(weighting=FastBM25F()) as searcher:
        pin_expansions(q, searcher.reader())
        return scored_matches(searcher, q)


def _docs(ix, q: wq.Query) -> set[int]:
    """The documents ``q`` matches by set algebra, each leaf matched by Whoosh."""
    with ix.searcher() as searcher:
        reader = searcher.reader()

        def walk(node: wq.Query) -> set[int]:
            if isinstance(node, wq.AndNot):
                return walk(node.a) - walk(node.b)
            if isinstance(node, wq.Not):
                return set(reader.all_doc_ids()) - walk(node.query)
            if isinstance(node, wq.And):
                return set.intersection(*map(walk, node.subqueries))
            if isinstance(node, wq.Or) and not node.minmatch:
                return set().union(*map(walk, node.subqueries))
            return set(searcher.docs_for_query(_expanded(node, reader)))

        return walk(q)


def _same(ix, text: str) -> None:
    q = _and_not(make_parser(ix.schema).parse(text))
    expected, got = _whoosh(ix, q), _ours(ix, q)
    assert set(got) == set(expected) == _docs(ix, q), text
    for docnum, score in expected.items():
        assert got[docnum] == pytest.approx(score, rel=1e-9), (text, docnum)


@pytest.mark.parametrize(
    "text",
    [
        "oil", "title:oil", "oil prices", "oil OR wheat", "oil AND NOT wheat", "(wheat OR corn) AND NOT tonnes",
        '"interest rates"', '"rates rates"', '"oil price bank"', 'title:"grain wheat"', '"interest rates"~3',
        "export*", "exp*rt", "tradng~", "ecxport~", "oil^3 wheat", "(oil wheat)^2", "org:reserve", "org:reserve oil",
        "NOT oil", "oil OR NOT wheat", "nosuchword", "oil nosuchword", '"oil nosuchword"', "*", "interest rates^0.5",
    ],
)
def test_same_matches_and_scores_as_whoosh(index, text):
    _same(index, text)


def test_random_queries_match_whoosh(index):
    rng = random.Random(11)

    def leaf() -> str:
        roll = rng.random()
        word = rng.choice(WORDS)
        if roll < 0.15:
            return f'"{word} {rng.choice(WORDS)}"'
        if roll < 0.25:
            return word[: rng.randint(2, 4)] + "*"
        if roll < 0.3:
            return f"title:{word}"
        return word

    def expr(depth: int) -> str:
        if depth == 0 or rng.random() < 0.3:
            return leaf()
        op = rng.choice([" ", " OR ", " AND ", " AND NOT "])
        return f"({expr(depth - 1)}{op}{expr(depth - 1)})"

    for _ in range(300):
        _same(index, expr(3))


def test_and_not_is_exact_where_whooshs_matcher_is_not(index):
    """Whoosh's AndNotMatcher keeps a's first document when b's first document
    comes before it (``_find_first`` compares the two first ids only): here
    it matched documents that contain ``trade``."""
    text = '(trade "exports price") AND NOT trade'
    q = _and_not(make_parser(index.schema).parse(text))
    assert _ours(index, q) == {} and _docs(index, q) == set()
    with index.searcher() as searcher:  # Whoosh 2.7's own AndNot (if this fails, Whoosh was fixed)
        assert set(searcher.docs_for_query(q))


def test_expanded_words_are_scored_like_typed_words(index):
    """``export*`` ranks as ``export OR exports OR exporter`` would, whatever
    the segment size (Whoosh gave constant scores on small segments)."""
    q = make_parser(index.schema).parse("export*")
    typed = make_parser(index.schema).parse("export OR exports OR exporter")
    assert _ours(index, q) == pytest.approx(_ours(index, typed))
    assert len(set(_ours(index, q).values())) > 2  # not a constant


def test_a_cancelled_search_stops_between_words(index):
    """The caller's ``cancelled`` is asked word by word; once it says yes the
    search stops (the UI passes its worker's cancellation)."""
    from reader.core.matching import SearchCancelled

    q = make_parser(index.schema).parse("export* OR oil OR wheat")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    with index.searcher(weighting=FastBM25F()) as searcher:
        pin_expansions(q, searcher.reader())
        with pytest.raises(SearchCancelled):
            scored_matches(searcher, q, cancelled)
        assert len(asked) == 4
        assert scored_matches(searcher, q, lambda: False)  # not cancelled: every match


def test_engine_search_can_be_cancelled(engine):
    from reader.core.search import SearchCancelled

    with pytest.raises(SearchCancelled):
        engine.search("tencent", cancelled=lambda: True)
    assert engine.search("tencent", cancelled=lambda: False).total > 0


def test_posting_blocks_are_read_as_whooshs_matcher_reads_them(index):
    """core.matching reads posting blocks itself (one lookup, one read per
    block header): the same ids, weights and positions as Whoosh's matcher,
    for every word of every segment, multi-block and inlined lists alike."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from reader.core.matching import _read_blocks

    blocks = 0
    with index.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            terms = leaf._terms
            for fieldname in ("title", "body"):
                fmt = index.schema[fieldname].format
                for btext in leaf.lexicon(fieldname):
                    info = terms.term_info(fieldname, btext)
                    m = terms.matcher(fieldname, btext, fmt)
                    expected = ([], [], [])
                    while m.is_active():
                        expected[0].append(m.id())
                        expected[1].append(m.weight())
                        expected[2].append(m.value())
                        m.next()
                    if info.is_inlined():
                        continue
                    assert isinstance(m, W3LeafMatcher)
                    got = _read_blocks(terms._postfile, info.extent()[0], True, fmt.fixed_value_size())
                    assert (got[0], got[1], got[2]) == expected, (fieldname, btext)
                    blocks += len(expected[0]) > 128  # Whoosh's block size: several blocks
    assert blocks > 10


def test_a_damaged_compressed_block_is_a_read_error():
    """Blocks are inflated by ISA-L (when installed), whose error is not
    zlib's: a damaged block must still be one of the errors a search turns
    into one line ("cannot read the index"), not a traceback."""
    import pickle

    from reader.core.matching import _INT, W3_MAGIC, InflateError, _read_blocks
    from reader.core.search import READ_ERRORS

    header = pickle.dumps((1, 0, 1.0, True, 1, 1), 2)  # count, max id, max weight, compressed, lengths
    block = header + b"not deflate data at all"
    data = W3_MAGIC + _INT.pack(-len(block)) + block

    class PostFile:
        def get(self, pos, n):
            return data[pos : pos + n]

    with pytest.raises(InflateError) as caught:
        _read_blocks(PostFile(), 0, False, None)
    assert isinstance(caught.value, READ_ERRORS)
