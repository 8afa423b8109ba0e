"""CRF named-entity tagger (python-crfsuite) and its feature extraction.

The model is trained by ``scripts/train_ner.py`` on CoNLL-2003 ``eng.train``
(BIO tags for PER/LOC/ORG/MISC) and shipped as ``data/ner.crfsuite``.
Features are deliberately lean and cached per word form, so that tagging is
mostly list concatenation plus the C++ Viterbi of crfsuite.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

__all__ = ["word_features", "sentence_items", "CrfTagger", "MODEL_NAME", "model_path", "model_attributes"]

MODEL_NAME = "ner.crfsuite"

def _shape(w: str) -> str:
    out = []
    last = ""
    for ch in w:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if c != last:
            out.append(c)
            last = c
    return "".join(out[:6])


_CACHE: dict[str, tuple] = {}
_CACHE_MAX = 300_000


def word_features(w: str) -> tuple:
    """Features of one word form: (own, as -1, as +1, as -2, as +2, as -3, as +3, lower-case form)."""
    f = _CACHE.get(w)
    if f is None:
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.clear()
        f = _CACHE[w] = _word_features(w)
    return f


def _word_features(w: str) -> tuple:
    low = w.lower()
    sh = _shape(w)
    own = ["w=" + low, "s=" + sh]
    if len(w) > 2:
        own.append("p3=" + low[:3])
        own.append("x3=" + low[-3:])
        if len(w) > 3:
            own.append("p4=" + low[:4])
        if len(w) > 4:
            own.append("x4=" + low[-4:])
    own.append("x2=" + low[-2:])
    if w[0].isupper():
        own.append("T")
        if w.isupper() and len(w) > 1:
            own.append("U")
    if not w.isupper() and w[1:] != w[1:].lower():
        own.append("M")  # mixed case, e.g. ByteDance, McDonald
    return (
        own,
        ["-1w=" + low, "-1s=" + sh],
        ["+1w=" + low, "+1s=" + sh],
        ["-2w=" + low, "-2s=" + sh],
        ["+2w=" + low, "+2s=" + sh],
        ["-3w=" + low],
        ["+3w=" + low],
        low,
    )


_BOS = (None, ["-1w=<s>"], None, ["-2w=<s>"], None, ["-3w=<s>"], None, "<s>")
_EOS = (None, None, ["+1w=</s>"], None, ["+2w=</s>"], None, ["+3w=</s>"], "</s>")


def sentence_items(words: list[str], caps: bool, first: int = 0, last: int | None = None, features=word_features,
                   pairs: tuple[set, set] | None = None) -> list[list[str]]:
    """CRF items for ``words[first:last]`` (context taken from the whole list).

    ``words`` is one sentence; ``caps`` flags a headline written in capitals;
    ``features`` gives a word's features (see :func:`word_features`);
    ``pairs``, if given, the (previous, this) and (this, next) lower-case word
    pairs whose bigram features may be known (see :class:`CrfTagger`): the
    others are left out.
    """
    n = len(words)
    if last is None:
        last = n
    off = first - 3
    feats = [features(words[k]) if 0 <= k < n else (_BOS if k < 0 else _EOS)
             for k in range(off, min(n, last + 3) + (3 if last + 3 > n else 0))]
    items = []
    # each word with the three before (b3 b2 b1) and after (a1 a2 a3) it
    for i, b3, b2, b1, cur, a1, a2, a3 in zip(range(first, last), feats, feats[1:], feats[2:], feats[3:], feats[4:], feats[5:], feats[6:]):
        low = cur[7]
        if pairs is None:
            item = [*cur[0], *b1[1], *a1[2], *b2[3], *a2[4], *b3[5], *a3[6], "b-=" + b1[7] + "|" + low, "b+=" + low + "|" + a1[7]]
        else:
            item = [*cur[0], *b1[1], *a1[2], *b2[3], *a2[4], *b3[5], *a3[6]]
            if (b1[7], low) in pairs[0]:
                item.append("b-=" + b1[7] + "|" + low)
            if (low, a1[7]) in pairs[1]:
                item.append("b+=" + low + "|" + a1[7])
        if i == 0:
            item.append("BOS")
        if caps:
            item.append("CAPS")
        items.append(item)
    return items


def model_path() -> Path:
    return Path(str(resources.files("reader.core.entities") / "data" / MODEL_NAME))


def model_attributes(path: Path) -> frozenset[str]:
    """The attribute (feature string) names a CRFsuite model knows.

    Read from the model file: its header (``crf1dm`` header_t: magic, size,
    type, version, 3 counts, then offsets; ``off_attrs`` is the 10th field)
    and the attributes' CQDB chunk, whose backward array gives, per id, the
    offset of a record (int32 id, uint32 key size, key with a NUL). The same
    set as ``Tagger.info().attributes``, which dumps the whole model as text
    and parses it (0.13 s against a few ms here).
    """
    data = Path(path).read_bytes()
    if data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ValueError(f"{path} is not a CRFsuite model")
    count, off = struct.unpack_from("<I8xI", data, 24)  # num_attrs, off_attrs
    if data[off : off + 4] != b"CQDB":
        raise ValueError(f"{path}: no attribute database where the header says")
    bwd_size, bwd_offset = struct.unpack_from("<II", data, off + 16)
    names = []
    for (at,) in struct.iter_unpack("<I", data[off + bwd_offset : off + bwd_offset + 4 * min(count, bwd_size)]):
        size = struct.unpack_from("<I", data, off + at + 4)[0]
        names.append(data[off + at + 8 : off + at + 7 + size].decode("utf-8"))
    return frozenset(names)


class CrfTagger:
    """Thin wrapper around a ``pycrfsuite.Tagger`` that can be pickled.

    :meth:`tag_words` gives the model only the features it has weights for:
    about a third of a word's feature strings and 97% of the word-pair ones
    are unknown to it (rare words, suffixes, contexts), and CRFsuite would
    look each of them up only to drop it. The labels are the same.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else model_path()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self._cache: dict[str, tuple] = {}
        # Read on first use (25 ms): resolving an org: query builds a tagger it never runs.
        self._known: frozenset[str] | None = None
        self._pairs: tuple[set, set] | None = None

    def _read_model_features(self) -> None:
        self._known = known = model_attributes(self.path)
        # Word pairs of the known bigram features ("b-=prev|this", "b+=this|next"):
        # 3% of a text's bigrams, so the rest are not even put together. A
        # pair is read at every "|" (a word may be "|" itself); the extra
        # pairs that gives are harmless, crfsuite drops an unknown feature.
        pairs: tuple[set, set] = (set(), set())
        for name in known:
            for prefix, into in (("b-=", pairs[0]), ("b+=", pairs[1])):
                if name.startswith(prefix):
                    body = name[len(prefix):]
                    into.update((body[:k], body[k + 1:]) for k, ch in enumerate(body) if ch == "|")
        self._pairs = pairs

    def _features(self, w: str) -> tuple:
        f = self._cache.get(w)
        if f is None:
            if self._known is None:
                self._read_model_features()
            known = self._known
            parts = _word_features(w)
            f = tuple([x for x in part if x in known] for part in parts[:7]) + (parts[7],)
            if len(self._cache) > _CACHE_MAX:
                self._cache.clear()
            self._cache[w] = f
        return f

    def tag_words(self, words: list[str], caps: bool, first: int = 0, last: int | None = None) -> list[str]:
        """Labels of ``words[first:last]``: see :func:`sentence_items`."""
        if self._pairs is None:
            self._read_model_features()
        return self._tagger.tag(sentence_items(words, caps, first, last, self._features, self._pairs))

    def __getstate__(self):
        return {"path": self.path}

    def __setstate__(self, state):
        self.__init__(state["path"])

    def tag(self, items: list[list[str]]) -> list[str]:
        return self._tagger.tag(items)


@lru_cache(maxsize=1)
def default_tagger() -> CrfTagger:
    return CrfTagger()
