"""CRF named-entity tagger (python-crfsuite) and its feature extraction.

The model is trained by ``scripts/train_ner.py`` on CoNLL-2003 ``eng.train``
(BIO tags for PER/LOC/ORG/MISC) and shipped as ``data/ner.crfsuite``.
Features are deliberately lean and cached per word form, so that tagging is
mostly list concatenation plus the C++ Viterbi of crfsuite.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

__all__ = ["word_features", "sentence_items", "CrfTagger", "MODEL_NAME", "model_path"]

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
    if f is not None:
        return f
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
    f = (
        own,
        ["-1w=" + low, "-1s=" + sh],
        ["+1w=" + low, "+1s=" + sh],
        ["-2w=" + low, "-2s=" + sh],
        ["+2w=" + low, "+2s=" + sh],
        ["-3w=" + low],
        ["+3w=" + low],
        low,
    )
    if len(_CACHE) > _CACHE_MAX:
        _CACHE.clear()
    _CACHE[w] = f
    return f


_BOS = (None, ["-1w=<s>"], None, ["-2w=<s>"], None, ["-3w=<s>"], None, "<s>")
_EOS = (None, None, ["+1w=</s>"], None, ["+2w=</s>"], None, ["+3w=</s>"], "</s>")


def sentence_items(words: list[str], caps: bool, first: int = 0, last: int | None = None) -> list[list[str]]:
    """CRF items for ``words[first:last]`` (context taken from the whole list).

    ``words`` is one sentence; ``caps`` flags a headline written in capitals.
    """
    n = len(words)
    if last is None:
        last = n
    off = first - 3
    feats = [word_features(words[k]) if 0 <= k < n else (_BOS if k < 0 else _EOS)
             for k in range(off, min(n, last + 3) + (3 if last + 3 > n else 0))]
    items = []
    for i in range(first, last):
        j = i - off
        cur = feats[j]
        p1, n1 = feats[j - 1], feats[j + 1]
        item = cur[0] + p1[1] + n1[2] + feats[j - 2][3] + feats[j + 2][4] + feats[j - 3][5] + feats[j + 3][6]
        item.append("b-=" + p1[7] + "|" + cur[7])
        item.append("b+=" + cur[7] + "|" + n1[7])
        if i == 0:
            item.append("BOS")
        if caps:
            item.append("CAPS")
        items.append(item)
    return items


def model_path() -> Path:
    return Path(str(resources.files("reader.core.entities") / "data" / MODEL_NAME))


class CrfTagger:
    """Thin wrapper around a ``pycrfsuite.Tagger`` that can be pickled."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else model_path()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))

    def __getstate__(self):
        return {"path": self.path}

    def __setstate__(self, state):
        self.__init__(state["path"])

    def tag(self, items: list[list[str]]) -> list[str]:
        return self._tagger.tag(items)


@lru_cache(maxsize=1)
def default_tagger() -> CrfTagger:
    return CrfTagger()
