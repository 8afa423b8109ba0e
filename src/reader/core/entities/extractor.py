"""Organisation mention extraction: KB matching + CRF + acronym linking + canonical names.

Pipeline for one text:

1. in a hard-wrapped text, read the line breaks inside paragraphs as spaces
   (:func:`unwrap`); tokenise (``tokens.py``) and split sentences; flag
   all-caps headlines;
2. match KB aliases with an Aho-Corasick automaton, aligned to tokens, and
   absorb following legal suffixes ("Alibaba" + "Group Holding Ltd.");
3. run the CRF (``crf.py``) on windows around capitalised tokens (whole
   sentence for headlines) and keep its ORG spans; its PER/LOC/MISC spans veto
   KB matches they strictly contain ("Gerald Ford", "Boeing 747"); names
   after an image credit ("Photo: IC") are not taken;
4. acronym definitions "Long Name (ACR)" link ACR to the long name for the
   rest of the text (and, through ``learn``, of the corpus);
5. names seen as organisations are propagated to their other occurrences;
6. canonical name and kind: KB entry, else suffix-stripped surface and
   head-word rules (``kinds.py``); a generic word alone ("the Bank") takes
   the name of the organisation before it with that word, or is dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from ..sentences import wrapped
from .acronyms import long_form_before, looks_like_acronym, matches_initials
from .canonical import canonical_name, is_legal_suffix, lookup_key
from .crf import CrfTagger
from .kb import KnowledgeBase
from .kinds import classify
from .tokens import sentence_kind, sentences, tokenize

__all__ = ["EntityMention", "Entity", "EntityExtractor", "extract_entities"]


@dataclass(frozen=True, slots=True)
class EntityMention:
    text: str  # the exact surface text, == article_text[start:end]
    start: int  # character offsets into the input text
    end: int
    name: str  # canonical name
    kind: str  # "firm" | "agency" | "other"


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    kind: str
    aliases: tuple[str, ...]  # known surface forms/aliases, without the canonical name


class _M:
    """A mention under construction (token range [i, j))."""

    __slots__ = ("i", "j", "name", "kind", "src")

    def __init__(self, i: int, j: int, name: str, kind: str, src: str) -> None:
        self.i, self.j, self.name, self.kind, self.src = i, j, name, kind, src


_POSS = frozenset(("'s", "’s", "'S", "’S", "'", "’"))
_TRAILING_MARKS = frozenset(("<", ">", ",", "(", "-", "&", "/"))
_DETERMINERS = frozenset(("The", "A", "An", "In", "At", "On", "For", "But", "And", "By", "From", "With"))
# Capitalised words that do not by themselves call for the CRF (sentence starters).
_NO_TRIGGER = frozenset(
    w.capitalize()
    for w in """the a an it he she they we i in on at for but and or this that these those there if as after before
    while when its his her their our with by from under some all most one two three also other such no not so yet
    what which who how why where today yesterday however meanwhile separately earlier later last next each both
    many more much several since during about against among between both despite until unless although though
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december shares net revs shr avg qtr year said says asked""".split()
) | {"I", "A"}
_OPEN = frozenset(("(", "["))
_CLOSE = frozenset((")", "]"))


class EntityExtractor:
    """Finds organisation mentions; reusable and picklable (the CRF model is reopened on unpickling)."""

    propagate = True  # tag other occurrences of names the CRF found
    windowed = True  # run the CRF only on windows around capitalised tokens
    margin = 3  # context tokens on each side of a window

    def __init__(self, alias_file: Path | None = None, *, model: Path | None = None, use_crf: bool = True) -> None:
        self.kb = KnowledgeBase(alias_file)
        self.tagger = CrfTagger(model) if use_crf else None
        self._acronyms: dict[str, tuple[str, str]] = {}  # learned corpus-level ACR -> (name, kind)
        self._learned: dict[str, tuple[str, str, set[str]]] = {}  # key -> (name, kind, aliases)

    # ------------------------------------------------------------------ public API
    def extract(self, text: str) -> list[EntityMention]:
        text = unwrap(text)
        toks = tokenize(text)
        n = len(toks)
        if not n:
            return []
        words = [t[0] for t in toks]
        sents = sentences(text, toks)
        caps = bytearray(n)  # 1: all-caps headline, 2: Title Case headline (no CRF there)
        prose = bytearray(n)  # 1: sentence with lower-case content words
        for a, b in sents:
            kind = sentence_kind(words[a:b])
            if kind == 3:
                prose[a:b] = b"\x01" * (b - a)
            elif kind:
                caps[a:b] = bytes((kind,)) * (b - a)

        owner: list[_M | None] = [None] * n
        mentions: list[_M] = []

        def place(m: _M) -> None:
            for k in range(m.i, m.j):
                old = owner[k]
                if old is not None and old is not m:
                    old.src = "dead"
                    for q in range(old.i, old.j):
                        if owner[q] is old:
                            owner[q] = None
            for k in range(m.i, m.j):
                owner[k] = m
            mentions.append(m)

        kb_spans = self._kb_spans(text, toks, words, caps)
        crf_spans = []
        if self.tagger:
            # tokens that need no CRF window of their own: KB matches and known places standing alone in prose
            quiet = bytearray(n)
            places_cs = self.kb.place_words
            for i, j, _ in kb_spans:
                if _alone(words, i, j, n):
                    quiet[i:j] = b"\x01" * (j - i)
            if not places_cs.isdisjoint(words):
                for k, w in enumerate(words):
                    if w in places_cs and prose[k] and _alone(words, k, k + 1, n):
                        quiet[k] = 1
            crf_spans = self._crf_spans(words, sents, caps, quiet)
        veto = [(i, j) for i, j, lab in crf_spans if lab != "ORG"]

        # --- KB matches
        for i, j, idx in kb_spans:
            if any(a <= i and j <= b and (b - a) > (j - i) for a, b in veto):
                continue
            org = self.kb.orgs[idx]
            place(_M(i, j, org.name, org.kind, "kb"))

        # --- CRF ORG spans
        credits = [m.end() for m in _CREDIT_RX.finditer(text)] if crf_spans else None
        not_org = self.kb.not_org
        places = self.kb.places
        person_words = {words[k] for i, j, lab in crf_spans if lab == "PER" for k in range(i, j)}
        for i, j, lab in crf_spans:
            if lab != "ORG":
                continue
            while j > i and (words[j - 1] in _POSS or words[j - 1][:1].islower()):
                j -= 1
            while i < j and (words[i][:1].islower() or not words[i][:1].isalnum()):
                i += 1  # "<Philips Telecommunications ...": Reuters' ticker brackets are not the name
            while j > i and words[j - 1] in _TRAILING_MARKS:
                j -= 1
            if j <= i or words[i] in _POSS:
                continue
            surface = text[toks[i][1] : toks[j - 1][2]]
            key = lookup_key(surface)
            if key in not_org or not key or (key in places and prose[i]):
                continue
            if j - i == 1 and words[i] in person_words:
                continue  # "Jobs said" after "Steve Jobs"
            inside = {id(owner[k]): owner[k] for k in range(i, j) if owner[k] is not None}
            if inside:
                ms = list(inside.values())
                if len(ms) > 1 or ms[0].i < i or ms[0].j > j:
                    continue  # crosses or joins KB mentions: keep the KB
                if caps[i] == 1:
                    continue  # "FED SAYS" in a headline in capitals: the KB's "FED"
                if any(words[k][:1].islower() for k in range(i, j)):
                    continue
            name, kind, src = self._name_for(surface, key)
            if src != "kb" and credits and _in_credit(text, credits, toks[i][1]):
                continue  # "Photo: IC", "Credit: Unsplash/CC0": a picture's source, not in the story
            place(_M(i, j, name, kind, src))

        mentions = [m for m in mentions if m.src != "dead"]

        # --- acronym definitions "Long Name (ACR)"
        doc_acr: dict[str, tuple[str, str]] = {}
        for k in _positions_of(words, _OPEN, 1, n - 2):
            if words[k + 2] not in _CLOSE:
                continue
            acr = words[k + 1]
            if not looks_like_acronym(acr) or lookup_key(acr) in not_org:
                continue
            prev = owner[k - 1]
            if prev is not None and prev.src != "dead" and prev.j == k:
                long_words = words[prev.i : prev.j]
                if not (matches_initials(acr, long_words) or lookup_key(prev.name) == lookup_key(acr)
                        or self.kb.lookup(acr) == self.kb.lookup(prev.name) is not None):
                    continue
                target = (prev.name, prev.kind)
            else:
                lo = max(0, k - 10)
                # do not reach back into an existing mention or across a sentence end
                while lo < k and (owner[lo] is not None or "\n" in text[toks[lo][2] : toks[k - 1][1]]):
                    lo += 1
                got = long_form_before(words[lo:k], acr)
                if got is None:
                    continue
                i0 = k - got
                if any(owner[q] is not None for q in range(i0, k)):
                    continue
                surface = text[toks[i0][1] : toks[k - 1][2]]
                if lookup_key(surface) in not_org:
                    continue
                name, kind, src = self._name_for(surface, lookup_key(surface))
                m = _M(i0, k, name, kind, "acr")
                place(m)
                target = (name, kind)
            doc_acr.setdefault(acr, target)

        # --- bare acronyms: defined in this text, else learned from the corpus
        if doc_acr or self._acronyms:
            for k in range(n):
                w = words[k]
                t = doc_acr.get(w)
                if t is None:
                    t = self._acronyms.get(w)
                    if t is None or caps[k]:
                        continue
                cur = owner[k]
                if cur is None:
                    place(_M(k, k + 1, t[0], t[1], "acr"))
                elif cur.i == k and cur.j == k + 1 and cur.src != "kb":
                    cur.name, cur.kind = t

        # --- propagate names found by the CRF to their other occurrences
        tagged = set()
        for i, j, lab in crf_spans:
            if lab != "ORG":
                tagged.update(range(i, j))
        seen: dict[str, list[tuple[tuple[str, ...], _M]]] = {}
        for m in mentions:
            if m.src in ("crf", "acr") and not caps[m.i]:
                seq = tuple(words[m.i : m.j])
                if seq[0][:1].isupper():
                    seen.setdefault(seq[0], []).append((seq, m))
        if seen and self.propagate:
            for k in _positions_of(words, seen, 0, n):
                cands = seen[words[k]]
                if owner[k] is not None or caps[k]:
                    continue
                for seq, m in cands:
                    e = k + len(seq)
                    if tuple(words[k:e]) == seq and all(owner[q] is None and q not in tagged for q in range(k, e)):
                        if e < n and words[e][:1].isupper() and not is_legal_suffix(words[e]):
                            continue
                        if k > 0 and words[k - 1][:1].isupper() and words[k - 1] not in _DETERMINERS:
                            continue
                        place(_M(k, e, m.name, m.kind, "prop"))
                        break

        out = []
        for m in sorted((m for m in mentions if m.src != "dead"), key=lambda m: m.i):
            if all(is_legal_suffix(w) for w in words[m.i : m.j]):
                continue  # "Inc", "Co Inc": what is left of a name split at "and" or "(" is no firm
            s, e = toks[m.i][1], toks[m.j - 1][2]
            name, kind = m.name, m.kind
            if m.src != "kb" and name in _GENERIC_HEADS:
                # "the Bank said" after "the Bank of England": that bank; no such
                # name before it, it names no organisation a reader could pick.
                found = _antecedent(out, name)
                if found is None:
                    continue
                name, kind = found.name, found.kind
            out.append(EntityMention(text[s:e], s, e, name, kind))
        return out

    def resolve(self, alias: str) -> Entity | None:
        """Case-insensitive lookup of a name or alias (legal suffixes ignored)."""
        key = lookup_key(alias)
        idx = self.kb.index.get(key)
        if idx is not None:
            org = self.kb.orgs[idx]
            extra = self._learned.get(lookup_key(org.name))
            aliases = set(org.aliases) | (extra[2] if extra else set())
            aliases.discard(org.name)
            return Entity(org.name, org.kind, tuple(sorted(aliases)))
        hit = self._learned.get(key)
        if hit is None:
            acr = next((v for a, v in self._acronyms.items() if a.lower() == alias.strip().lower()), None)
            if acr is None:
                return None
            hit = self._learned.get(lookup_key(acr[0]), (acr[0], acr[1], {alias.strip()}))
        name, kind, aliases = hit
        return Entity(name, kind, tuple(sorted(a for a in aliases if a != name)))

    def learn(self, mentions: list[EntityMention]) -> None:
        """Remember aliases and acronym links seen in other articles (corpus-level linking)."""
        for m in mentions:
            key = lookup_key(m.name)
            if key in self.kb.index:
                org = self.kb.orgs[self.kb.index[key]]
                if m.text != org.name and lookup_key(m.text) not in self.kb.index:
                    self._learned.setdefault(key, (org.name, org.kind, set()))[2].add(m.text)
                    self._learned.setdefault(lookup_key(m.text), (org.name, org.kind, set()))
                continue
            entry = self._learned.setdefault(key, (m.name, m.kind, set()))
            if m.text != m.name:
                entry[2].add(m.text)
                tkey = lookup_key(m.text)
                if tkey != key:
                    self._learned.setdefault(tkey, entry)
            t = m.text
            if looks_like_acronym(t) and lookup_key(t) != key and t not in self._acronyms:
                self._acronyms[t] = (m.name, m.kind)

    # ------------------------------------------------------------------ internals
    def _name_for(self, surface: str, key: str) -> tuple[str, str, str]:
        idx = self.kb.index.get(key)
        if idx is not None:
            org = self.kb.orgs[idx]
            return org.name, org.kind, "kb"
        hit = self._learned.get(key)
        if hit is not None:
            return hit[0], hit[1], "crf"
        name = canonical_name(surface)
        return name, classify(name), "crf"

    def _kb_spans(self, text, toks, words, caps) -> list[tuple[int, int, int]]:
        starts = {t[1]: i for i, t in enumerate(toks)}
        ends = {t[2]: i for i, t in enumerate(toks)}
        cands = []
        for end, (idx, upper, length) in self.kb.automaton.iter(text):
            s = end + 1 - length
            i = starts.get(s)
            if i is None:
                continue
            j = ends.get(end + 1)
            if j is None:
                continue
            if upper and caps[i] != 1:
                continue
            cands.append((i, j + 1, idx))
        if not cands:
            return []
        cands.sort(key=lambda c: (c[0], c[0] - c[1]))
        out = []
        last = 0
        n = len(words)
        for i, j, idx in cands:
            if i < last or idx < 0:
                continue
            # absorb legal suffixes: "Group Holding Ltd.", "& Co", "Inc."
            while j < n:
                w = words[j]
                if w[:1].isupper() and is_legal_suffix(w):
                    j += 1
                elif w == "&" and j + 1 < n and words[j + 1].rstrip(".") in ("Co", "Cos", "CO"):
                    j += 2
                else:
                    break
            out.append((i, j, idx))
            last = j
        return out

    def _crf_spans(self, words, sents, caps, quiet) -> list[tuple[int, int, str]]:
        tag = self.tagger.tag_words
        labels: dict[int, str] = {}
        for a, b in sents:
            sw = words[a:b]
            if caps[a] == 2:
                continue
            if caps[a] or not self.windowed:
                windows = [(0, b - a)]
            else:
                windows = []
                for k, w in enumerate(sw):
                    c = w[0]
                    if quiet[a + k]:
                        continue
                    if (c.isupper() and w not in _NO_TRIGGER) or (c.isdigit() and not w.isdigit() and w.lower() != w):
                        lo, hi = max(0, k - self.margin), min(b - a, k + 1 + self.margin)
                        if windows and lo <= windows[-1][1]:
                            windows[-1] = (windows[-1][0], hi)
                        else:
                            windows.append((lo, hi))
            if not windows:
                continue
            is_caps = caps[a] == 1
            for lo, hi in windows:
                ys = tag(sw, is_caps, lo, hi)
                for k, y in enumerate(ys):
                    if y != "O":
                        labels[a + lo + k] = y
        spans = []
        cur = None
        for k in sorted(labels):
            y = labels[k]
            typ = y[2:]
            if cur is not None and y[0] == "I" and cur[2] == typ and cur[1] == k:
                cur[1] = k + 1
                continue
            if cur is not None:
                spans.append(tuple(cur))
            cur = [k, k + 1, typ]
        if cur is not None:
            spans.append(tuple(cur))
        return spans


_WRAP = re.compile(r"(?<=\S)\n(?=\S)")


def unwrap(text: str) -> str:
    """``text`` with the line breaks of a hard-wrapped document (most lines
    40-82 characters, like Reuters) that only wrap a paragraph made spaces:
    a break after a line of 40 characters or more, between two non-blank
    characters (a paragraph's indented first line, a blank line and a short
    line stay). The same length, so offsets hold. Names no longer break at
    a wrap ("Securities and Exchange" / "Commission", "World" / "Bank")."""
    if "\n" not in text or not wrapped(text):
        return text
    chars = list(text)
    for m in _WRAP.finditer(text):
        at = m.start()
        if at - (text.rfind("\n", 0, at) + 1) >= 40:
            chars[at] = " "
    return "".join(chars)


# Image credits: "Photo: IC", "Credit: Unsplash/CC0 Public Domain", "Photo by
# Jane Doe on Unsplash". A name after one on its line is where a picture came
# from; unless the knowledge base knows it (a news agency), it is not taken.
_CREDIT_RX = re.compile(
    r"\b(?:[Pp]hoto(?:graph)?s?|PHOTOS?|[Ii]mages?|IMAGES?|[Pp]ictures?|PICTURES?|[Cc]redits?|CREDITS?"
    r"|[Ii]llustrations?)(?:[ \t]*:|[ \t]+by\b)"
)


def _in_credit(text: str, credits: list[int], start: int) -> bool:
    """True if a credit marker (its end in ``credits``, ascending) comes
    before ``start`` on the same line."""
    k = bisect.bisect_right(credits, start)
    return k > 0 and "\n" not in text[credits[k - 1] : start]


# One generic word as a whole name: "the Bank", "the Commission", "the House".
_GENERIC_HEADS = frozenset(
    """Bank Commission House Union Association Fund Exchange Board Bureau Ministry Department Agency
    Authority Council Committee Trust Federation Corporation Company Group Government Party Court
    Organisation Organization Institute Administration Office Service Reserve Senate""".split()
)


def _antecedent(before: list[EntityMention], head: str) -> EntityMention | None:
    """The last organisation in ``before`` whose name has ``head`` as a word
    ("Bank of England" for "Bank"); never for "House" (after "the White
    House", "the House" is Congress's)."""
    if head == "House":
        return None
    low = head.lower()
    for m in reversed(before):
        if m.name != head and low in m.name.lower().split():
            return m
    return None


def _positions_of(words: list[str], wanted, lo: int, hi: int) -> list[int]:
    """The indexes k, lo <= k < hi, of the words in ``wanted``, in order
    (list.index scans in C: most texts hold few of them, or none)."""
    out: list[int] = []
    for w in wanted:
        k = lo - 1
        try:
            while True:
                k = words.index(w, k + 1, hi)
                out.append(k)
        except ValueError:
            pass
    if len(wanted) > 1:
        out.sort()
    return out


def _alone(words: list[str], i: int, j: int, n: int) -> bool:
    """True if words[i:j] has no capitalised or numeric neighbour (so cannot be part of a longer name)."""
    if i > 0:
        c = words[i - 1][0]
        if c.isupper() or c.isdigit() or c == "&":
            return False
    if j < n:
        c = words[j][0]
        if c.isupper() or c.isdigit() or c == "&":
            return False
    return True


_DEFAULT: EntityExtractor | None = None


def default_extractor() -> EntityExtractor:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EntityExtractor()
    return _DEFAULT


def extract_entities(text: str) -> list[EntityMention]:
    """Extract organisation mentions with a lazily built, cached default extractor."""
    return default_extractor().extract(text)
