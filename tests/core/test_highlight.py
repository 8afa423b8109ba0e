"""find_hits: the regular-expression path agrees with the analyser's tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.highlight import PATTERN_MAX, _token_hits, find_hits

# ASCII words, accents, the Kelvin sign (lowercases to "k"), dotted I
# (lowercases to two characters), digits, underscores, punctuation.
ALPHABET = "abkKOIl_1 .,-'\n\u212a\u0130\u00e9\u00c9\u00df"


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=60), extra=st.lists(st.text(alphabet="abkoil1_", min_size=1, max_size=4), max_size=3))
def test_fast_path_finds_what_the_analyser_finds(text, extra):
    from reader.core.schema import ANALYZER

    tokens = [t.text for t in ANALYZER(text, mode="query")]
    terms = {t for t in tokens if t.isascii()} | set(extra)
    assert find_hits(text, terms) == _token_hits(text, terms)


def test_hits_are_whole_words_in_any_case():
    text = "Oil prices: OIL, oily oil-based, soil; exports Exports."
    assert [text[s:e] for s, e in find_hits(text, {"oil", "exports"})] == ["Oil", "OIL", "oil", "exports", "Exports"]


# Words that never occur in ALPHABET text: they only push a term set past
# PATTERN_MAX, onto the word-by-word path (a wildcard's thousands of words).
_PADDING = {f"zz{n}" for n in range(PATTERN_MAX + 1)}


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=60), extra=st.lists(st.text(alphabet="abkoil1_", min_size=1, max_size=4), max_size=3))
def test_many_terms_path_finds_what_the_analyser_finds(text, extra):
    from reader.core.schema import ANALYZER

    tokens = [t.text for t in ANALYZER(text, mode="query")]
    terms = {t for t in tokens if t.isascii()} | set(extra) | _PADDING
    assert len(terms) > PATTERN_MAX
    assert find_hits(text, terms) == _token_hits(text, terms)


def test_many_terms_hits_are_whole_words_in_any_case():
    text = "Oil prices: OIL, oily oil-based, soil; exports Exports."
    terms = {"oil", "exports"} | _PADDING
    assert [text[s:e] for s, e in find_hits(text, terms)] == ["Oil", "OIL", "oil", "exports", "Exports"]
