"""Parsing the Whoosh query language, with our additions.

- Fields: ``title:``, ``body:``, ``source:``, ``date:``, ``id:``, ``path:``,
  and ``org:``/``firm:``/``agency:`` which accept any alias of an organisation.
- Phrases, AND/OR/NOT, grouping, wildcards, date ranges
  (``date:[2021-07-01 to 2021-07-31]``, ``date:2021``, ``date:>2021-07``).
- Fuzzy terms ``word~`` / ``word~2``: edit distance counts a swapped pair of
  letters as one edit (Damerau), so ``tencnet~`` finds ``tencent``.

Malformed input raises :class:`QueryError` with a message fit for one line.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
import weakref
from collections.abc import Callable, Iterable

from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.qparser import MultifieldParser, QueryParserError
from whoosh.qparser.plugins import FuzzyTermPlugin, GtLtPlugin

from .dateq import DATE_PLACEHOLDER_FIELD, extract_date_clauses

from .schema import QUERY_FIELDS, SEARCH_FIELDS

MAX_TERMS = 200
MAX_FUZZY = 2
MAX_EXPANSION = 2000
ORG_FIELDS = ("org", "firm", "agency")

Resolver = Callable[[str], "str | None"]


class QueryError(ValueError):
    """A query the user must fix; ``str(exc)`` is the message to show."""


class DamerauFuzzyTerm(wq.FuzzyTerm):
    """A fuzzy term where a transposition of adjacent letters is one edit.

    Candidates are the indexed words sharing the prefix, scored with
    RapidFuzz's optimal-string-alignment distance (C speed); Whoosh's own
    Levenshtein automaton is both slower and blind to transpositions.
    """

    def _btexts(self, ixreader):
        maxdist = min(int(self.maxdist), MAX_FUZZY)
        key = (self.fieldname, self.text, maxdist, self.prefixlength)
        cache = _cache_for(ixreader)
        if key not in cache["expansions"]:
            cache["expansions"][key] = self._expand(ixreader, cache, maxdist)
        return iter(cache["expansions"][key])

    def _expand(self, ixreader, cache, maxdist: int) -> list[bytes]:
        words = cache["lexicons"].get(self.fieldname)
        if words is None:
            words = sorted(
                b if isinstance(b, str) else b.decode("utf-8") for b in ixreader.lexicon(self.fieldname)
            )
            cache["lexicons"][self.fieldname] = words
        target = self.text
        prefix = target[: self.prefixlength]
        start = bisect.bisect_left(words, prefix)
        lo, hi = len(target) - maxdist, len(target) + maxdist
        out: list[bytes] = []
        for word in itertools.islice(words, start, None):
            if not word.startswith(prefix):
                break
            if lo <= len(word) <= hi and OSA.distance(word, target, score_cutoff=maxdist) <= maxdist:
                out.append(word.encode("utf-8"))
                if len(out) >= MAX_EXPANSION:
                    break
        return out


# Per-reader caches: the sorted lexicon of a field and fuzzy expansions, so a
# fuzzy query expands once per index generation, not once per use (Whoosh
# asks for the expansion when estimating, matching and highlighting).
_READER_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _cache_for(ixreader) -> dict:
    with _CACHE_LOCK:
        cache = _READER_CACHES.get(ixreader)
        if cache is None:
            cache = {"lexicons": {}, "expansions": {}}
            _READER_CACHES[ixreader] = cache
        return cache


def damerau(a: str, b: str) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent transpositions)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[lb]


def make_parser(schema) -> MultifieldParser:
    parser = MultifieldParser(list(SEARCH_FIELDS), schema)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


def parse_query(parser: MultifieldParser, text: str, resolve: Resolver | None = None) -> wq.Query:
    """Parse ``text``; raise :class:`QueryError` on anything malformed."""
    precheck(text)
    text, date_queries = extract_date_clauses(text)
    try:
        q = parser.parse(text)
    except QueryParserError as exc:
        raise QueryError(f"cannot parse query: {exc}") from None
    except Exception:  # Whoosh's parser trips over some inputs (e.g. "<0", "NOT AND 0")
        raise QueryError("cannot parse query: check operators, brackets and field names") from None
    errors = list(_errors(q))
    if errors:
        raise QueryError(errors[0])
    q = _rewrite(q, resolve, date_queries)
    if sum(1 for _ in q.leaves()) > MAX_TERMS:
        raise QueryError(f"query too long: more than {MAX_TERMS} terms")
    return q


_FIELD = re.compile(r"(?<![\w\\])([A-Za-z_]\w*):(?=\S)")
_BAD_WILDCARD = re.compile(r"(?:^|[\s(:])[*?]+(?=$|[\s)])")


def precheck(text: str) -> None:
    """Catch what Whoosh would silently reinterpret: unbalanced quotes and brackets, unknown fields."""
    if len(text.split()) > MAX_TERMS:
        raise QueryError(f"query too long: more than {MAX_TERMS} words")
    if text.count('"') % 2:
        raise QueryError('unclosed quote: add the closing " to finish the phrase')
    depth = 0
    for ch in _outside_quotes(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parenthesis: ')' without '('")
    if depth:
        raise QueryError("unbalanced parenthesis: '(' is never closed")
    plain = "".join(_outside_quotes(text))
    if plain.count("[") != plain.count("]") or plain.count("{") != plain.count("}"):
        raise QueryError("unclosed range: a range looks like date:[2021-07-01 to 2021-07-31]")
    for m in _FIELD.finditer(plain):
        name = m.group(1)
        if name.lower() not in QUERY_FIELDS:
            known = ", ".join(QUERY_FIELDS)
            raise QueryError(f"unknown field '{name}:' (fields: {known})")
    if _BAD_WILDCARD.search(plain):
        raise QueryError("a wildcard needs at least one letter, e.g. tenc*")
    for m in re.finditer(r"~(\d+)", plain):
        if int(m.group(1)) > MAX_FUZZY:
            raise QueryError(f"fuzzy distance {m.group(1)} is too large (at most {MAX_FUZZY})")


def _outside_quotes(text: str) -> Iterable[str]:
    inside = False
    for ch in text:
        if ch == '"':
            inside = not inside
        elif not inside:
            yield ch


def _errors(q: wq.Query) -> Iterable[str]:
    for node in _walk(q):
        msg = getattr(node, "error", None)
        if msg:
            yield f"invalid query: {msg}"


def _walk(q: wq.Query) -> Iterable[wq.Query]:
    yield q
    for child in q.children():
        yield from _walk(child)


def _rewrite(q: wq.Query, resolve: Resolver | None, dates: dict[str, wq.Query]) -> wq.Query:
    def fix(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Term) and node.fieldname == DATE_PLACEHOLDER_FIELD and node.text in dates:
            return dates[node.text]
        if type(node) is wq.FuzzyTerm:
            return DamerauFuzzyTerm(
                node.fieldname, node.text, boost=node.boost, maxdist=min(node.maxdist, MAX_FUZZY),
                prefixlength=node.prefixlength,
            )
        field = getattr(node, "fieldname", None)
        if field in ORG_FIELDS:
            text = _node_text(node)
            if text is not None:
                name = resolve(text) if resolve else None
                return wq.Term(field, (name or text).lower())
        return node

    return q.accept(fix)


def _node_text(node: wq.Query) -> str | None:
    if isinstance(node, wq.Phrase):
        return " ".join(node.words)
    if isinstance(node, wq.Term) and not isinstance(node, (wq.Wildcard, wq.Prefix, wq.FuzzyTerm)):
        return node.text
    return None
