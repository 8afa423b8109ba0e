"""Turning file bytes into text: BOMs, UTF-8, UTF-16, then detection.

Legacy encodings are detected, not assumed. charset-normalizer proposes
candidates; on long texts its first choice is nearly always right, but on a
line or two it often is not (a GBK headline read as Shift-JIS half-width
Katakana, EUC-JP as Korean, cp1252 as a DOS Baltic code page). So every
candidate decoding is also scored here for plausibility, per byte: common
Han characters of the candidate's own standard (GB2312 level 1, Big5
frequent, JIS level 1), Kana in Japanese, KS X 1001 Hangul in Korean, whole
words of one alphabet with sensible letter case, typographic punctuation are
good; half-width Katakana, lone Jamo, control and private-use characters,
alphabets mixed inside a word are bad. Ties go to cp1252, then to
charset-normalizer's order.

Only a prefix of the data is examined, so large files cost no more than
small ones; the whole file is then decoded with the chosen codec.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Detection looks at this many leading bytes (charset-normalizer), and the
# plausibility score at this many.
SAMPLE_BYTES = 64 * 1024
SCORE_BYTES = 16 * 1024
# A text longer than this whose first candidate scores at least LONG_OK is
# taken as is: charset-normalizer is reliable on long texts.
LONG_TEXT = 2048
LONG_OK = 0.95
# Candidates within this score of the best count as equally good; among them
# cp1252 wins (a short Spanish line reads as well in cp1250, "espańol"), then
# charset-normalizer's order.
TIE = 0.03
# Bytes mostly non-ASCII that score below this in every candidate encoding
# are not text (a few odd bytes in ASCII text never make it binary).
FLOOR = 0.5
BINARY_SHARE = 0.3

# Codecs tried in addition to charset-normalizer's proposals, and the order
# of preference among codecs that charset-normalizer found to decode the
# sample identically.
EXTRA = ("gb18030", "big5", "cp950", "cp932", "euc_jp", "cp949", "cp1251", "koi8_r", "cp1252")
PREFERENCE = (
    "cp1252", "latin_1", "gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs",
    "cp932", "shift_jis", "euc_jp", "euc_jis_2004", "cp949", "euc_kr", "cp1251",
)
_UNICODE = ("utf_8", "utf_8_sig", "utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7")

_HIGH = bytes(range(0x80, 0x100))
_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def decode(data: bytes) -> str | None:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (with BOM) or a
    detected legacy encoding; None if the bytes are binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        mostly = _mostly_utf8(data, exc)
        if mostly is not None:
            return mostly
    return _detect(data)


def _mostly_utf8(data: bytes, exc: UnicodeDecodeError) -> str | None:
    """UTF-8 with a damaged tail (a file cut mid-character, a half-written
    download) or a rare bad byte is still UTF-8: keep it, don't re-detect."""
    if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
        try:
            return data[: exc.start].decode("utf-8")
        except UnicodeDecodeError:
            return None
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text[:200_000] if ord(ch) > 127) - bad
    return text if multibyte >= 20 and bad * 100 <= multibyte else None


def detect_encoding(data: bytes) -> str | None:
    """The codec name chosen for legacy (non-UTF) ``data``, or None if binary."""
    sample = data[:SAMPLE_BYTES]
    if len(_CONTROL.findall(sample[:8192])) > max(8, len(sample[:8192]) // 100):
        return None
    candidates = _candidates(sample)
    if not candidates:
        return None
    scored: list[tuple[float, str]] = []
    head = sample[:SCORE_BYTES]
    for i, encoding in enumerate(candidates):
        score = plausibility(head.decode(encoding, errors="replace"), encoding)
        if i == 0 and len(sample) >= LONG_TEXT and score >= LONG_OK:
            return encoding
        scored.append((score, encoding))
    best = max(score for score, _ in scored)
    if best < FLOOR and len(head) - len(head.translate(None, _HIGH)) > BINARY_SHARE * len(head):
        return None
    tied = [encoding for score, encoding in scored if score >= best - TIE]
    return "cp1252" if "cp1252" in tied else tied[0]


def _detect(data: bytes) -> str | None:
    encoding = detect_encoding(data)
    if encoding is None:
        return None
    return data.decode(encoding, errors="replace")


def _candidates(sample: bytes) -> list[str]:
    """Codec names to try: charset-normalizer's proposals in its order, then EXTRA."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is declared
        matches = []
    else:
        matches = from_bytes(sample)
    rank = _preference()
    names: list[str] = []
    for match in matches:
        group = [match.encoding, *match.could_be_from_charset]
        names.extend(sorted(dict.fromkeys(group), key=lambda n: rank.get(_norm(n), len(rank))))
    names.extend(EXTRA)
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        norm = _norm(name)
        if norm and norm not in seen and norm not in _UNICODE:
            seen.add(norm)
            out.append(norm)
    return out


@lru_cache(maxsize=1)
def _preference() -> dict[str, int]:
    return {_norm(name): i for i, name in enumerate(PREFERENCE)}


@lru_cache(maxsize=256)
def _norm(name: str) -> str:
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return ""


# -- plausibility ---------------------------------------------------------

_FAMILIES = {
    "gb": ("gb2312", "gbk", "gb18030", "hz"),
    "big5": ("big5", "cp950", "big5hkscs"),
    "jp": ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004", "euc_jisx0213"),
    "kr": ("cp949", "euc_kr", "johab"),
}


@lru_cache(maxsize=256)
def _family(encoding: str) -> str:
    for family, names in _FAMILIES.items():
        if encoding in names:
            return family
    return "single"


_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_ALPHABETS = {
    "latin": _LATIN,
    "cyrillic": "\u0400-\u04ff",
    "greek": "\u0370-\u03ff",
    "hebrew": "\u0590-\u05ff",
    "arabic": "\u0600-\u06ff",
    "thai": "\u0e00-\u0e7f",
}
# Two adjacent letters of different alphabets ("Cafй", "ÐîññèÿCity").
_MIXED_SCRIPT = re.compile(
    "|".join(
        f"[{chars}](?=[{''.join(v for k, v in _ALPHABETS.items() if k != name)}])"
        for name, chars in _ALPHABETS.items()
    )
)
# Capitals after a small letter inside a word, non-ASCII involved
# ("гЕОФТБМШ" is KOI8-R read as cp1251); "iPhone" and "WeChat" stay fine.
def _case_class(upper: bool) -> str:
    ranges = [(0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF)]
    cat = "Lu" if upper else "Ll"
    return "".join(
        chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1) if unicodedata.category(chr(cp)) == cat
    )


_UPPER, _LOWER = _case_class(True), _case_class(False)
_LOWER_UPPER = re.compile(f"(?<=[a-z{_LOWER}])[{_UPPER}][A-Z{_UPPER}]*|(?<=[{_LOWER}])[A-Z][A-Z{_UPPER}]*")
# Han characters separated by single spaces, as Korean words are: Korean
# read as GB2312 is all common Han characters, but spaced like Korean.
_SPACED_HAN = re.compile("(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
# A word of three or more letters none of which is ASCII, in Latin script:
# Western words always have plain letters (this is Cyrillic read as cp1252).
_NO_ASCII_WORD = re.compile("(?<![\\w])[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]{3,}(?![\\w])")
_KANA = re.compile("[\u3041-\u30ff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")

_GOOD_PUNCT = set("«»°§©®±·¡¿£¥¢€\u00a0")
# Latin-1 letters rare outside Icelandic: in Turkish read as cp1252 they stand for ş ğ.
_RARE_LATIN1 = set("ðþÐÞ")
# Letters of Latin Extended-A used by the languages of the Windows/ISO code
# pages (Central European, Turkish, Baltic, Romanian); other Ext-A letters
# come mostly from a wrong code page (cp775's ō for a quote mark).
_COMMON_EXT_A = set(
    "ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽľĺŕĽĹŔőűŐŰăşţĂŞŢđĐğıİĞāēīūģķļņĀĒĪŪĢĶĻŅėįųĖĮŲœŒ"
)
_RUSSIAN = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


# The accented letters of languages written in Latin script. A right
# decoding's accented letters nearly all belong to one of them; Spanish read
# as cp1250 has ń beside á é í ó, Turkish read as cp1252 has ý þ ð beside ü ç.
_LATIN_LANGUAGES = [
    set(letters) | set(letters.upper()) | set(extra)
    for letters, extra in (
        ("áéíóúüñ", ""),  # Spanish
        ("àâæçéèêëîïôœùûüÿ", ""),  # French
        ("äöüß", ""),  # German
        ("áâãàçéêíóôõú", ""),  # Portuguese
        ("àèéìíîòóùú", ""),  # Italian
        ("àçèéíïòóúü", ""),  # Catalan
        ("áéíóúëïöüèàç", ""),  # Dutch, Afrikaans
        ("åäöéæøàü", ""),  # Swedish, Danish, Norwegian, Finnish
        ("áðéíóúýþæö", ""),  # Icelandic
        ("ąćęłńóśźż", ""),  # Polish
        ("áčďéěíňóřšťúůýž", ""),  # Czech
        ("áäčďéíĺľňóôŕšťúýž", ""),  # Slovak
        ("áéíóöőúüű", ""),  # Hungarian
        ("ăâîșțşţ", ""),  # Romanian
        ("čćđšž", ""),  # Croatian, Slovene, Bosnian
        ("âçğıîöşüû", "İ"),  # Turkish
        ("āčēģīķļņšūž", ""),  # Latvian
        ("ąčęėįšųūž", ""),  # Lithuanian
        ("äöõüšž", ""),  # Estonian
        ("çë", ""),  # Albanian
    )
]
_LATIN_LETTER = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def _latin_incoherence(counts: Counter) -> int:
    """How many accented Latin letters no single language accounts for."""
    letters = {ch: n for ch, n in counts.items() if _LATIN_LETTER.match(ch)}
    if not letters:
        return 0
    total = sum(letters.values())
    covered = max(sum(n for ch, n in letters.items() if ch in lang) for lang in _LATIN_LANGUAGES)
    return total - covered


def plausibility(text: str, encoding: str) -> float:
    """How much ``text`` looks like real text decoded with the right codec:
    about 1.0 for a right decoding, lower (down to -1) for mojibake. Scored
    per byte of non-ASCII input, so single- and multi-byte codecs compare."""
    family = _family(encoding)
    total = good = 0.0
    counts = Counter(text)
    for ch, n in counts.items():
        if ch < "\x80":
            continue
        width, quality = _char(ch, encoding, family)
        total += n * width
        good += n * width * quality
    if not total:
        return 1.0
    bad = len(_MIXED_SCRIPT.findall(text)) + sum(len(m) for m in _LOWER_UPPER.findall(text))
    good -= 2.0 * bad
    if family != "single":
        good -= 4.0 * len(_SPACED_HAN.findall(text))
    if family == "single":
        good -= 2.0 * sum(len(m) for m in _NO_ASCII_WORD.findall(text))
        good -= _latin_incoherence(counts)
    elif family == "jp":
        han = len(_HAN.findall(text))
        if han >= 12 and not _KANA.search(text):
            good -= han  # Japanese prose without a single Kana: likely Chinese
    return max(-1.0, good / total)


@lru_cache(maxsize=65536)
def _char(ch: str, encoding: str, family: str) -> tuple[int, float]:
    """(bytes the character takes in ``encoding``, quality from -1 to 1)."""
    try:
        width = len(ch.encode(encoding))
    except (UnicodeEncodeError, LookupError):
        width = 1
    return width, _quality(ch, family)


def _quality(ch: str, family: str) -> float:
    cp = ord(ch)
    cjk = family != "single"
    cat = unicodedata.category(ch)
    if ch == "\ufffd" or cat in ("Cc", "Co", "Cn", "Cs"):
        return -1.0
    if 0xFF61 <= cp <= 0xFF9F:  # half-width Katakana: mojibake, not news
        return -1.0
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return _han(ch, family)
    if 0x3041 <= cp <= 0x30FF:
        return 1.0 if family == "jp" else 0.2
    if 0xAC00 <= cp <= 0xD7A3:
        if family != "kr":
            return 0.0
        try:  # the 2,350 syllables of KS X 1001 (not the 8-byte make-up sequences)
            return 1.0 if len(ch.encode("euc_kr")) == 2 else 0.2
        except UnicodeEncodeError:
            return 0.2
    if 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return -1.0
    if 0x3000 <= cp <= 0x303F or 0xFF01 <= cp <= 0xFF5E or 0xFFE0 <= cp <= 0xFFE6:
        return 1.0 if cjk else -1.0
    if 0x2010 <= cp <= 0x206F or 0x20A0 <= cp <= 0x20CF:  # dashes, quotes, …, €
        return 1.0
    if 0x2100 <= cp <= 0x214F:  # ℃ № ™
        return 0.5
    if 0x2190 <= cp <= 0x27BF:  # arrows, maths, box drawing, shapes, symbols
        return 0.0 if cjk else -0.5
    if 0xA0 <= cp <= 0xBF:
        return 1.0 if ch in _GOOD_PUNCT else 0.2
    if ch in "×÷":
        return 0.5
    if cat == "Mn":  # vowel signs and points of Thai, Hebrew, Arabic
        return 1.0 if 0x0590 <= cp <= 0x06FF or 0x0E00 <= cp <= 0x0E7F else 0.0
    if cat.startswith("L"):
        if 0x0400 <= cp <= 0x04FF:
            if cjk:
                return 0.3
            return 1.0 if ch in _RUSSIAN else 0.8
        if 0x0370 <= cp <= 0x03FF:
            return 0.3 if cjk else 1.0
        if cp <= 0xFF:
            return 0.5 if ch in _RARE_LATIN1 else 1.0
        if cp <= 0x017F:
            return 1.0 if ch in _COMMON_EXT_A else 0.5
        if cp <= 0x024F:
            return 1.0 if ch in "șțȘȚ" else 0.3
        if 0x1E00 <= cp <= 0x1EFF:  # Latin Extended Additional (Vietnamese, Welsh)
            return 0.5
        if 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:  # Arabic presentation forms
            return -0.5
        return 0.3 if cjk else 1.0
    return 0.0


def _han(ch: str, family: str) -> float:
    """Han characters: common ones of the family's own standard score high."""
    if family == "gb":
        lead = _lead(ch, "gb2312")
        return 1.0 if 0xB0 <= lead <= 0xD7 else 0.6 if lead else 0.1
    if family == "big5":
        try:
            code = int.from_bytes(ch.encode("big5"), "big")
        except UnicodeEncodeError:
            return 0.1
        return 1.0 if 0xA440 <= code <= 0xC67E else 0.6
    if family == "jp":
        lead = _lead(ch, "euc_jp")
        return 1.0 if 0xB0 <= lead <= 0xCF else 0.6 if lead else 0.1
    if family == "kr":
        return 0.3  # Hanja are rare in modern Korean
    return 0.0


def _lead(ch: str, encoding: str) -> int:
    try:
        raw = ch.encode(encoding)
    except UnicodeEncodeError:
        return 0
    return raw[0] if len(raw) == 2 else 0
