"""A segment's term index read as a sorted run of keys.

A Whoosh 3 term index is an ordered hash file: entries ``(key length, value
length, key, value)`` one after another in key order (a key is the field's
number as two bytes, then the word), followed by an array of the entries'
positions. Whoosh finds one word by hashing it (MD5) and probing buckets in
pure Python, ~8 us a word; a prefix query expanding to 8,000 words asked
that of every segment for every word, found or not (``co*`` on Reuters:
118,000 lookups, 55,000 of them hits, a third of its time).

:func:`words_in_run` reads the entries between the first and the last wanted
word in one slice instead, keeping the wanted ones: the words of a prefix are
adjacent in the file, and a word the segment lacks costs nothing.

A bulk-built segment also keeps its title and body words in a file of its
own (:func:`write_lexicon`): fuzzy words are looked for among them.
"""

from __future__ import annotations

import pickle
import struct

_LENGTHS = struct.Struct("!ii")


def _tindex(reader):
    """The ordered hash file of a W3 segment reader, or None."""
    try:
        tindex = reader._terms._tindex
        tindex.indexbase, tindex.indexlen, tindex._get_pos  # noqa: B018 - an OrderedHashReader's
    except AttributeError:
        return None
    return tindex


def key_index(tindex, key: bytes) -> int:
    """The number of keys before ``key`` (its rank in the file if present)."""
    indexbase, indexsize = tindex.indexbase, tindex.indexsize
    key_at, get_pos = tindex.key_at, tindex._get_pos
    lo, hi = 0, tindex.indexlen
    while lo < hi:
        mid = (lo + hi) // 2
        if key_at(get_pos(indexbase + mid * indexsize)) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def words_in_run(reader, fieldname: str, wanted: set[bytes], limit: int | None = None) -> list[tuple[bytes, bytes]] | None:
    """``(word, term info bytes)`` of the ``wanted`` words this segment has,
    in order: the entries from the least to the greatest wanted word are read
    in one slice and filtered as they are read (a broad wildcard keeps one
    entry in fifteen, and ``*ing`` on Reuters reads 100,000). None if
    ``reader`` is not a W3 segment, or if the run holds more than ``limit``
    words (then looking the wanted words up one by one is cheaper)."""
    if not wanted:
        return []
    tindex = _tindex(reader)
    number = _field_number(reader, fieldname)
    if tindex is None or number is None:
        return None
    prefix = number.to_bytes(2, "big")
    first, last = prefix + min(wanted), prefix + max(wanted)
    lo = key_index(tindex, first)
    hi = key_index(tindex, last)
    if hi < tindex.indexlen and _key(tindex, hi) == last:
        hi += 1  # past the last wanted word
    if limit is not None and hi - lo > limit:
        return None
    if lo >= hi:
        return []
    get_pos = tindex._get_pos
    indexbase, indexsize = tindex.indexbase, tindex.indexsize
    start = get_pos(indexbase + lo * indexsize)
    end = get_pos(indexbase + hi * indexsize) if hi < tindex.indexlen else tindex.endofdata
    raw = bytes(tindex.dbfile.get(start, end - start))
    plen = len(prefix)
    unpack = _LENGTHS.unpack_from
    out = []
    at = 0
    for _ in range(hi - lo):
        keylen, datalen = unpack(raw, at)
        key_end = at + 8 + keylen
        word = raw[at + 8 + plen : key_end]
        if word in wanted:
            out.append((word, raw[key_end : key_end + datalen]))
        at = key_end + datalen
    return out


def _field_number(reader, fieldname: str) -> int | None:
    try:
        return reader._terms._fieldmap.get(fieldname)
    except AttributeError:
        return None


def _key(tindex, n: int) -> bytes:
    return tindex.key_at(tindex._get_pos(tindex.indexbase + n * tindex.indexsize))


# W3TermInfo's bytes: flags (1: postings inlined), total weight, document
# frequency, lengths, max weight, first and last id (23 bytes); then the
# pickled postings if inlined, else their offset (8 bytes) and length.
_INFO_HEAD = struct.Struct("!BfI")
_INFO_SIZE = struct.calcsize("!BfIBBfII")  # W3TermInfo._struct
_OFFSET = struct.Struct("!Q")


def info_postings(info: bytes) -> tuple[int, tuple | None, int]:
    """(document frequency, inlined ``(ids, weights, values)`` or None, offset
    of the posting blocks) of a term info as stored: what a wide expansion
    needs of ``W3TermInfo.from_bytes``, without building one per word."""
    flags, _weight, df = _INFO_HEAD.unpack_from(info)
    if flags:
        return df, pickle.loads(info[_INFO_SIZE:]), -1
    return df, None, _OFFSET.unpack_from(info, _INFO_SIZE)[0]


# Fields whose sorted words are also written beside the segment (fuzzy
# expansion reads them in one go; see query._segment_words).
LEXICON_FIELDS = ("title", "body")


def lexicon_name(segment, fieldname: str) -> str:
    """``MAIN_<segment id>.words_<field>``: a segment file name, so Whoosh
    deletes it with its segment (and adopt() moves it with the others)."""
    return f"{segment.indexname}_{segment.segid}.words_{fieldname}"


def write_lexicon(storage, segment, fieldname: str, terms) -> None:
    """A field's words, sorted, one per line (none written if a word holds a
    line break: then readers scan the term index)."""
    words = sorted(terms)
    text = "\n".join(words)
    if text.count("\n") != len(words) - 1:
        return
    f = storage.create_file(lexicon_name(segment, fieldname))
    try:
        f.write(text.encode("utf-8"))
    finally:
        f.close()


def read_lexicon(storage, segment, fieldname: str) -> list[str] | None:
    """A segment's words of a field as written by :func:`write_lexicon`, or
    None when there is no such file (segments written by Whoosh)."""
    name = lexicon_name(segment, fieldname)
    try:
        if not storage.file_exists(name):
            return None
        f = storage.open_file(name)
        try:
            data = bytes(f.read())
        finally:
            f.close()
    except (OSError, AttributeError):
        return None
    return data.decode("utf-8").split("\n") if data else []
