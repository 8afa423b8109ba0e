"""CJK-aware tokenisation for the Whoosh index.

Chinese and Japanese are written without spaces, so a ``\\w+`` tokenizer
turns a whole clause into one token. :class:`CJKTokenizer` keeps the old
behaviour for everything else (``\\w+`` runs) but splits runs of CJK
characters (Han, Hiragana, Katakana, Hangul) into overlapping character
bigrams: ``阿里巴巴`` → ``阿里 里巴 巴巴`` at consecutive positions, so a
multi-character query word becomes a phrase of bigrams. A CJK character
standing alone is emitted as a unigram.

Full-width ASCII and half-width Katakana/Hangul are folded to their normal
forms first (one character to one character, so offsets are unchanged):
``Ｔｅｎｃｅｎｔ`` indexes as ``tencent``.

Text without any CJK or full-width character (the common case) takes a fast
path identical to ``RegexTokenizer(r"\\w+")``.
"""

from __future__ import annotations

import re
import unicodedata

from whoosh.analysis import Token, Tokenizer

# Characters that are tokenised as bigrams. Deliberately left out: CJK
# punctuation (3000-303F except the iteration/number marks), the Katakana
# middle dot ・ (30FB) and double hyphen ゠ (30A0), which separate words.
CJK_CLASS = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3005-\u3007"  # 々 〆 〇
    "\u3021-\u3029"  # Hangzhou numerals
    "\u3031-\u3035"  # Kana repeat marks
    "\u303b\u303c"  # 〻 〼
    "\u3041-\u309f"  # Hiragana (incl. (semi-)voiced sound marks)
    "\u30a1-\u30fa\u30fc-\u30ff"  # Katakana
    "\u3131-\u318e"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7a3"  # Hangul syllables
    "\ud7b0-\ud7ff"  # Hangul Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B-G, compatibility supplement
)
_WIDE_CLASS = "\uff01-\uffee"  # full-width ASCII, half-width Katakana/Hangul, symbols

CJK_RE = re.compile(f"[{CJK_CLASS}]")
_SPECIAL = re.compile(f"[{CJK_CLASS}{_WIDE_CLASS}]")
_WORD = re.compile(r"\w+")
# Group 1: a run of CJK characters; otherwise a run of other word characters.
_TOKEN = re.compile(f"([{CJK_CLASS}]+)|[^\\W{CJK_CLASS}]+")


def _fold_table() -> dict[int, str]:
    table = {}
    for cp in range(0xFF01, 0xFFEF):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            table[cp] = folded
    # The half-width (semi-)voiced marks fold to combining marks; the
    # spacing forms keep them inside a Katakana run.
    table[0xFF9E] = "\u309b"
    table[0xFF9F] = "\u309c"
    return table


_FOLD = _fold_table()


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def is_cjk(text: str) -> bool:
    """True if ``text`` is non-empty and made of CJK characters only."""
    return bool(text) and all(CJK_RE.match(ch) for ch in text)


def fold_width(text: str) -> str:
    """Full-width ASCII and half-width Kana/Hangul to their usual forms (same length)."""
    return text.translate(_FOLD)


class CJKTokenizer(Tokenizer):
    """``\\w+`` words, with CJK runs split into overlapping bigrams.

    Positions are consecutive across both kinds of token, and
    ``startchar``/``endchar`` (``chars=True``) point into the original text,
    so phrase queries and highlighting work on CJK text.
    """

    def __init__(self, lowercase: bool = True) -> None:
        # Lowercasing here rather than in a LowercaseFilter saves a generator
        # layer per token (~20% of the analysis time on English text).
        self.lowercase = lowercase

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lowercase == other.lowercase

    def __hash__(self):
        return hash((self.__class__.__name__, self.lowercase))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        assert isinstance(value, str), f"{value!r} is not a str"
        lower = self.lowercase
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = fold_width(value)
            t.text = t.original.lower() if lower else t.original
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return

        if _SPECIAL.search(value) is None:
            # Fast path: exactly RegexTokenizer(r"\w+").
            for pos, match in enumerate(_WORD.finditer(value), start_pos):
                text = match.group(0)
                t.text = text.lower() if lower else text
                t.boost = 1.0
                if keeporiginal:
                    t.original = text
                t.stopped = False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + match.start()
                    t.endchar = start_char + match.end()
                yield t
            return

        pos = start_pos
        for match in _TOKEN.finditer(fold_width(value)):
            run = match.group(1)
            if run is None or len(run) == 1:
                text = match.group(0)
                t.text = text.lower() if lower else text
                t.boost = 1.0
                if keeporiginal:
                    t.original = text
                t.stopped = False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + match.start()
                    t.endchar = start_char + match.end()
                pos += 1
                yield t
                continue
            base = start_char + match.start()
            for i in range(len(run) - 1):
                t.text = run[i : i + 2]
                t.boost = 1.0
                if keeporiginal:
                    t.original = t.text
                t.stopped = False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = base + i
                    t.endchar = base + i + 2
                pos += 1
                yield t


def cjk_analyzer() -> CJKTokenizer:
    """The index analyzer: CJK bigrams and lowercased ``\\w+`` words.

    Equivalent to ``CJKTokenizer(lowercase=False) | LowercaseFilter()``.
    """
    return CJKTokenizer(lowercase=True)
