"""Parsing the Whoosh query language, with our additions.

- Fields: ``title:``, ``body:``, ``source:``, ``date:``, ``id:``, ``path:``,
  and ``org:``/``firm:``/``agency:`` which accept any alias of an organisation.
- Phrases, AND/OR/NOT, grouping, wildcards, date ranges
  (``date:[2021-07-01 to 2021-07-31]``, ``date:2021``, ``date:>2021-07``).
- Fuzzy terms ``word~`` / ``word~2``: edit distance counts a swapped pair of
  letters as one edit (Damerau), so ``tencnet~`` finds ``tencent``.
- Chinese/Japanese/Korean: the index holds character bigrams (see cjk.py), so
  a query word that analyses to several tokens (``阿里巴巴``, also ``e-mail``)
  is a phrase; a lone CJK character matches every bigram containing it;
  fuzzy and prefix forms of a CJK word (``腾讯~``, ``阿里巴*``) search the
  word itself, since neither makes sense without word boundaries.

Malformed input raises :class:`QueryError` with a message fit for one line.
"""

from __future__ import annotations

import bisect
import itertools
import struct
import re
import threading
import weakref
from collections.abc import Callable, Iterable

from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, TEXT

from .zerocopy import release_pages
from whoosh.qparser import QueryParser, QueryParserError
from whoosh.qparser.plugins import FuzzyTermPlugin, GtLtPlugin, MultifieldPlugin

from .cjk import CJK_RE, is_cjk
from .dateq import DATE_PLACEHOLDER_FIELD, extract_date_clauses
from .schema import ANALYZER, QUERY_FIELDS, SEARCH_FIELDS, TEXT_FIELDS

MAX_TERMS = 200
MAX_CHARS = 2000  # Whoosh's tagger slows down on long unbroken input: 10k letters took 1.5 s
MAX_FUZZY = 2
MAX_SLOP = 50  # "a b"~N: proximity in words
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

    pinned: list[bytes] | None = None  # see pin_expansions

    def _btexts(self, ixreader):
        if self.pinned is not None:
            return iter(self.pinned)
        maxdist = min(int(self.maxdist), MAX_FUZZY)
        key = (self.fieldname, self.text, maxdist, self.prefixlength)
        cache = _cache_for(ixreader)
        if key not in cache["expansions"]:
            cache["expansions"][key] = self._expand(ixreader, cache, maxdist)
        return iter(cache["expansions"][key])

    def _expand(self, ixreader, cache, maxdist: int) -> list[bytes]:
        """The words within ``maxdist`` edits, in lexicon order (the first
        MAX_EXPANSION of them)."""
        target = self.text
        prefix = target[: self.prefixlength]
        # The distances in one C loop per list (RapidFuzz, imported on the
        # first fuzzy word, not on the way to the first screen).
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        found: set[str] = set()
        for words in _word_lists(ixreader, cache, self.fieldname, prefix[:1]):
            start = bisect.bisect_left(words, prefix)
            stop = _prefix_end(words, prefix, start)
            matches = process.extract(
                target, words[start:stop] if start or stop < len(words) else words,
                scorer=OSA.distance, score_cutoff=maxdist, limit=None,
            )
            found.update(word for word, _, _ in matches)
        return [word.encode("utf-8") for word in sorted(found)[:MAX_EXPANSION]]


def _word_lists(ixreader, cache: dict, fieldname: str, start: str) -> Iterable[list[str]]:
    """Sorted word lists whose union is the field's lexicon (the words
    beginning with ``start``): the cached index-wide list if loaded, else
    each segment's own list. Merging 20 segments' lists at 100,000 articles
    (a set of a million strings, sorted) was most of a first fuzzy query;
    RapidFuzz goes through the lists faster than they merge."""
    lexicons = cache["lexicons"]
    merged = lexicons.get(fieldname)
    if merged is None:
        merged = lexicons.get((fieldname, start) if start else fieldname)
    if merged is not None or ixreader.is_atomic():
        return [merged if merged is not None else _lexicon(ixreader, cache, fieldname, start)]
    lists = []
    for leaf, _ in ixreader.leaf_readers():
        words = _segment_words(leaf, fieldname, start)
        release_pages(leaf)
        if words is None:  # not a W3 segment: the merged list, as Whoosh would read it
            return [_lexicon(ixreader, cache, fieldname, start)]
        lists.append(words)
    return lists


def _prefix_end(words: list[str], prefix: str, start: int) -> int:
    """Where the words beginning with ``prefix`` (from ``start``) end."""
    if not prefix:
        return len(words)
    last = prefix[-1]
    if ord(last) == 0x10FFFF:
        return len(words)
    return bisect.bisect_left(words, prefix[:-1] + chr(ord(last) + 1), start)


class CJKCharTerm(wq.ExpandingTerm):
    """A lone CJK character: the unigram and every indexed bigram containing it.

    CJK text is indexed as overlapping bigrams, so a one-character query word
    would otherwise only find the character where it stands alone.
    """

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.text = text
        self.boost = boost

    def __eq__(self, other):
        return (
            other is not None
            and self.__class__ is other.__class__
            and self.fieldname == other.fieldname
            and self.text == other.text
            and self.boost == other.boost
        )

    def __hash__(self):
        return hash((self.__class__.__name__, self.fieldname, self.text, self.boost))

    def __repr__(self):
        return f"{self.__class__.__name__}({self.fieldname!r}, {self.text!r}, boost={self.boost})"

    def __unicode__(self):
        return f"{self.fieldname}:{self.text}"

    __str__ = __unicode__

    pinned: list[bytes] | None = None  # see pin_expansions

    def _btexts(self, ixreader):
        if self.pinned is not None:
            return iter(self.pinned)
        cache = _cache_for(ixreader)
        key = ("cjk-char", self.fieldname, self.text)
        if key not in cache["expansions"]:
            cache["expansions"][key] = self._expand(ixreader, cache)
        return iter(cache["expansions"][key])

    def _expand(self, ixreader, cache) -> list[bytes]:
        words = _lexicon(ixreader, cache, self.fieldname)
        char = self.text
        found: list[str] = []
        start = bisect.bisect_left(words, char)
        for word in itertools.islice(words, start, None):
            if not word.startswith(char):
                break
            if len(word) <= 2:
                found.append(word)  # the unigram itself and bigrams starting with it
        ends = cache["cjk_ends"].get(self.fieldname)
        if ends is None:
            ends = {}
            # Bigrams sort after every Latin word: skip straight to them.
            for word in itertools.islice(words, bisect.bisect_left(words, "\u1100"), None):
                if len(word) == 2 and CJK_RE.match(word[1]) and CJK_RE.match(word[0]):
                    ends.setdefault(word[1], []).append(word)
            cache["cjk_ends"][self.fieldname] = ends
        found.extend(w for w in ends.get(char, ()) if w[0] != char)
        return [w.encode("utf-8") for w in found[:MAX_EXPANSION]]


def cjk_word_query(fieldname: str, text: str, boost: float = 1.0) -> wq.Query:
    """What a CJK query word means: a bigram, a phrase of bigrams, or a lone character."""
    tokens = [t.text for t in ANALYZER(text, mode="query")]
    if not tokens:
        return wq.NullQuery
    if len(tokens) > 1:
        return wq.Phrase(fieldname, tokens, boost=boost)
    if len(tokens[0]) == 1 and is_cjk(tokens[0]):
        return CJKCharTerm(fieldname, tokens[0], boost=boost)
    return wq.Term(fieldname, tokens[0], boost=boost)


# Per-reader caches: the sorted lexicon of a field and fuzzy expansions, so a
# fuzzy query expands once per index generation, not once per use (Whoosh
# asks for the expansion when estimating, matching and highlighting).
_READER_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _cache_for(ixreader) -> dict:
    with _CACHE_LOCK:
        cache = _READER_CACHES.get(ixreader)
        if cache is None:
            cache = {"lexicons": {}, "expansions": {}, "cjk_ends": {}}
            _READER_CACHES[ixreader] = cache
        return cache


def pin_expansions(q: wq.Query, reader) -> None:
    """Expand the prefix, wildcard, fuzzy and lone-CJK-character words of
    ``q`` once, against the whole index (``reader``), for every segment and
    the highlighter to use (``leaf.pinned``, read by core.matching).

    Whoosh asks each segment for its own expansion: on 100,000 articles in
    50 segments, a first fuzzy query loaded 50 lexicons per field (~5 s,
    60 MB kept), and ``export*`` walked 50 term indexes twice (matching and
    highlighting). Words a segment lacks simply match nothing there.
    """
    for leaf in q.leaves():
        if isinstance(leaf, wq.MultiTerm):
            leaf.pinned = None
            words = _pattern_words(leaf, reader)
            leaf.pinned = words if words is not None else list(leaf._btexts(reader))


def _pattern_words(leaf: wq.MultiTerm, reader) -> list[bytes] | None:
    """A prefix's or wildcard's words, from the cached sorted lexicon (the
    one fuzzy words use; the TUI loads it after launch). Whoosh walks every
    segment's term index through a heap merge for these: ``*ing`` took 1.2 s
    on Reuters doing so. None for other terms, and for fields whose terms are
    not text (Whoosh expands those)."""
    kind = type(leaf)
    if kind is not wq.Prefix and kind is not wq.Wildcard:
        return None
    field = reader.schema[leaf.fieldname] if leaf.fieldname in reader.schema else None
    if not isinstance(field, (TEXT, KEYWORD, ID)):
        return None
    prefix = leaf.text if kind is wq.Prefix else leaf._find_prefix(leaf.text)
    # Partial lists are cached per first letter (a bounded number of them).
    words = _lexicon(reader, _cache_for(reader), leaf.fieldname, prefix[:1])
    start = bisect.bisect_left(words, prefix)
    stop = _prefix_end(words, prefix, start)
    if kind is wq.Prefix:
        return [w.encode("utf-8") for w in words[start:stop]]
    match = re.compile(leaf._get_pattern()).match
    return [w.encode("utf-8") for w in itertools.islice(words, start, stop) if match(w)]


def warm_lexicons(reader, fieldnames) -> None:
    """Load the index-wide lexicons (and RapidFuzz) the first fuzzy query would load."""
    import rapidfuzz.process  # noqa: F401

    cache = _cache_for(reader)
    for fieldname in fieldnames:
        _lexicon(reader, cache, fieldname)


def _lexicon(ixreader, cache: dict, fieldname: str, start: str = "") -> list[str]:
    """The sorted words of a field, loaded once per reader (a segment's
    straight from its term index; an index's merged from its segments').

    With ``start``, only the words beginning with it, unless the whole list
    is already loaded: a fuzzy word needs only the words sharing its first
    letter, a twentieth of the lexicon (the first fuzzy query on 100,000
    articles took 0.5-0.7 s to load all of it).
    """
    lexicons = cache["lexicons"]
    words = lexicons.get(fieldname)
    if words is not None:
        return words
    key = fieldname if not start else (fieldname, start)
    words = lexicons.get(key)
    if words is None:
        if ixreader.is_atomic():
            words = _segment_words(ixreader, fieldname, start)
            release_pages(ixreader)
        else:
            merged: set[str] | None = set()
            for leaf, _ in ixreader.leaf_readers():  # one segment's list alive at a time
                part = _segment_words(leaf, fieldname, start)
                if part is None:
                    merged = None
                    break
                merged.update(part)
                release_pages(leaf)
            words = None if merged is None else sorted(merged)
        if words is None:
            words = sorted(
                w for w in (b if isinstance(b, str) else b.decode("utf-8") for b in ixreader.lexicon(fieldname))
                if w.startswith(start)
            )
        lexicons[key] = words
    return words


def _stored_words(ixreader, fieldname: str) -> list[str] | None:
    """The words a bulk-built segment keeps beside its term index (see
    terms.write_lexicon): the term index's own words (deleting documents
    does not remove words from it either), read in one go."""
    try:
        segment = ixreader.segment()
        storage = ixreader._storage
    except AttributeError:
        return None
    from .terms import read_lexicon

    return read_lexicon(storage, segment, fieldname)


_KEY_LENGTHS = struct.Struct("!ii")  # a term-index entry: key length, value length


def _segment_words(ixreader, fieldname: str, begins: str = "") -> list[str] | None:
    """A segment's words of one field (those beginning with ``begins``), read
    straight from its term index.

    Whoosh's ``lexicon()`` makes three Python calls per term; reading the
    field's run of keys from one slice of the file is ~10x faster (the first
    fuzzy query on 100,000 articles loaded 50 segments' words in ~5 s).
    The keys are sorted (an ordered hash file), so the words come out sorted.
    None when ``ixreader`` is not a W3 segment reader.
    """
    stored = _stored_words(ixreader, fieldname)
    if stored is not None:
        if not begins:
            return stored
        lo = bisect.bisect_left(stored, begins)
        return stored[lo : _prefix_end(stored, begins, lo)]
    try:
        terms = ixreader._terms
        tindex = terms._tindex
        number = terms._fieldmap.get(fieldname)
        start, end = tindex.startofdata, tindex.endofdata
    except AttributeError:
        return None
    if number is None:
        return []
    prefix = number.to_bytes(2, "big") + begins.encode("utf-8")
    plen = len(prefix)
    pos = tindex.closest_key_pos(prefix)
    if pos is None:
        return []
    if pos < start:
        return None
    unpack = _KEY_LENGTHS.unpack_from
    words: list[str] = []
    chunk = 1 << 18  # read the field's run a slice at a time: the fields after it are not needed
    while pos < end:
        raw = tindex.dbfile.get(pos, min(chunk, end - pos))
        at, size = 0, len(raw)
        while at + 8 <= size:
            keylen, datalen = unpack(raw, at)
            if at + 8 + keylen > size:
                break  # the key runs past this slice
            if raw[at + 8 : at + 8 + plen] != prefix:
                return words
            words.append(raw[at + 10 : at + 8 + keylen].decode("utf-8"))
            at += 8 + keylen + datalen
        if at == 0:
            chunk *= 2  # one entry bigger than the slice
        pos += at
    return words


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


class _Parser(QueryParser):
    """A parser that searches multi-token words of text fields as phrases.

    The schema says so too (``multitoken_query="phrase"``); this covers an
    index whose stored schema predates that.
    """

    def multitoken_query(self, spec, texts, fieldname, termclass, boost):
        if fieldname in TEXT_FIELDS and spec == "default":
            spec = "phrase"
        return super().multitoken_query(spec, texts, fieldname, termclass, boost)


def make_parser(schema) -> QueryParser:
    # As whoosh.qparser.MultifieldParser (a factory function, not a class).
    parser = _Parser(None, schema)
    parser.add_plugin(MultifieldPlugin(list(SEARCH_FIELDS)))
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


def parse_query(parser: QueryParser, text: str, resolve: Resolver | None = None) -> wq.Query:
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
    if len(text) > MAX_CHARS:
        raise QueryError(f"query too long: more than {MAX_CHARS} characters")
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
    for m in re.finditer(r'(")?~(\d+)', "".join(_outside_quotes(text, closing='"'))):
        if m.group(1) and int(m.group(2)) > MAX_SLOP:  # "a b"~5: words at most 5 apart
            raise QueryError(f"phrase distance {m.group(2)} is too large (at most {MAX_SLOP})")
        if not m.group(1) and int(m.group(2)) > MAX_FUZZY:
            raise QueryError(f"fuzzy distance {m.group(2)} is too large (at most {MAX_FUZZY})")


def _outside_quotes(text: str, closing: str = "") -> Iterable[str]:
    """The characters of ``text`` outside "phrases" (each closing quote as ``closing``)."""
    inside = False
    for ch in text:
        if ch == '"':
            if inside and closing:
                yield closing
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
        if getattr(node, "fieldname", None) in TEXT_FIELDS and isinstance(node, _CJK_REWRITTEN):
            text = node.text
            if isinstance(text, str) and is_cjk(text) and (type(node) is not wq.Term or len(text) == 1):
                return cjk_word_query(node.fieldname, text, boost=node.boost)
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


# A lone-character term, a fuzzy term or a prefix whose text is all CJK.
_CJK_REWRITTEN = (wq.Term, wq.FuzzyTerm, wq.Prefix)


def _node_text(node: wq.Query) -> str | None:
    if isinstance(node, wq.Phrase):
        return " ".join(node.words)
    if isinstance(node, wq.Term) and not isinstance(node, (wq.Wildcard, wq.Prefix, wq.FuzzyTerm)):
        return node.text
    return None
