"""Property tests: no query string may crash the search layer or hang it."""

from __future__ import annotations

import time

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.query import QueryError

ATOMS = st.sampled_from(
    ['"', "(", ")", "[", "]", "{", "}", "*", "?", "~", "~2", "~9", "^2", ":", "AND", "OR", "NOT", "ANDNOT",
     "title:", "date:", "source:", "org:", "firm:", "foo:", "to", "2021", "2021-07", "2021-13-45", "tencent",
     "tencnet~", "te*", "*nt", "-", "+", "\\", "'", "\x00", "腾讯", " ", "  "]
)
QUERIES = st.one_of(st.text(max_size=60), st.lists(ATOMS, max_size=12).map(" ".join), st.lists(ATOMS, max_size=12).map("".join))


@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERIES)
def test_any_query_returns_or_raises_query_error(engine, q):
    started = time.perf_counter()
    try:
        result = engine.search(q)
        engine.hits(result, 0, 5)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
    assert time.perf_counter() - started < 1.0, q


def test_many_distinct_terms_are_refused(engine):
    with __import__("pytest").raises(QueryError, match="too long"):
        engine.search(" OR ".join(f"w{i}" for i in range(150)))


def test_thousands_of_terms_are_refused(engine):
    try:
        engine.search(" ".join(f"word{i}" for i in range(3000)))
    except QueryError as exc:
        assert "too long" in str(exc)
    else:
        raise AssertionError("expected a QueryError")


PATHOLOGICAL = {
    "*": "wildcard needs at least one letter",
    "?*": "wildcard needs at least one letter",
    "title:*": "wildcard needs at least one letter",
    "tencent~99": "fuzzy distance 99 is too large",
    "a~1000000": "fuzzy distance 1000000 is too large",
    '"tencent alibaba"~999999': "phrase distance 999999 is too large",
    "a" * 5000: "more than 2000 characters",
    " OR ".join(f"w{i}" for i in range(150)): "too long",
}


@pytest.mark.parametrize("q", list(PATHOLOGICAL), ids=[q[:20] for q in PATHOLOGICAL])
def test_pathological_queries_are_refused_with_a_message(engine, q):
    with pytest.raises(QueryError, match=PATHOLOGICAL[q]):
        engine.search(q)


@pytest.mark.parametrize(
    "q",
    ['"tencent alibaba"~5', '"foo~99"', "tencent~2", "a" * 1999, " ".join("ab*" for _ in range(199)), "(" * 500 + "a" + ")" * 500],
    ids=["slop-5", "tilde-in-phrase", "fuzzy-2", "long-word", "many-wildcards", "deep-parens"],
)
def test_heavy_but_legal_queries_finish_within_a_second(engine, q):
    started = time.perf_counter()
    try:
        engine.hits(engine.search(q), 0, 20)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
    assert time.perf_counter() - started < 1.0
