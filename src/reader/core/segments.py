"""Bulk building of Whoosh segments, without Whoosh's per-posting machinery.

Whoosh's ``SegmentWriter`` spends most of a bulk build on bookkeeping, not on
analysis: every posting is a tuple pushed through a sorting pool (spilled to
temporary files and merged back), and at commit each posting is fed one by
one to the postings writer, with its field length looked up again in a
column. :class:`SegmentBuilder` keeps each field's postings in a dict
(term -> postings, already in document order) and writes each term's block(s)
with the codec's own block writer, so the files are exactly what Whoosh
writes (same codec, same block encoding) and any Whoosh reader opens them.

The text fields of :mod:`schema` are tokenised with a direct ``\\w+`` pass
when the text is plain ASCII (the analyzer's own fast path, without a Token
object per word); anything else goes through the field's analyzer. Segments
are built in worker processes, each into a folder of its own; the indexing
process moves the finished segment file into the index and lists it in the
next commit (see ``index.update_index``).
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from array import array
from collections import defaultdict
from functools import lru_cache, partial
from hashlib import md5
from operator import sub
from pathlib import Path
from pickle import dumps

from whoosh import formats
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC as MAGIC
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3TermInfo, _lenfield
from whoosh.analysis import IDAnalyzer, KeywordAnalyzer
from whoosh.fields import ID, KEYWORD
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_int, pack_long, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

from .cjk import CJKTokenizer
from .compression import isal_compress
from .terms import LEXICON_FIELDS, write_lexicon

_WORD = re.compile(r"\w+")
_COMMA_RUN = re.compile(r"[^,]+")  # CommaSeparatedTokenizer's expression
BLOCK = 128  # postings per block: W3Codec's default blocklimit
COMPRESSION = 3  # W3Codec's default zlib level (what a block's header records; readers only test it for 0)
# ISA-L's level 1 compresses as well as zlib's level 3 (41% of the size against 40%).
deflate = partial(isal_compress, level=1) if isal_compress else partial(zlib.compress, level=COMPRESSION)
COMPRESS_MIN = 256  # smaller blocks are stored uncompressed (see _write_terms)
# Pickle protocol of a block's data and of inlined postings. Whoosh writes
# protocol 2, where each posting's value (bytes: its positions) is pickled as
# a call to ``_codecs.encode`` on a latin-1 string; protocol 4 writes bytes as
# bytes. Readers only call ``pickle.loads``, which reads any protocol. On a
# Reuters segment: pickling 3.6x and unpickling 3.4x faster, compressed
# blocks a third smaller (so zlib has less to do too).
PICKLED = 4
_LENGTHS = struct.Struct("!ii")  # filetables: key and value lengths of a hash entry
TERMINFO = W3TermInfo._struct  # flags, total weight, doc freq, min/max length byte, max weight, first/last id


@lru_cache(maxsize=4096)
def _length_byte(length: int) -> int:
    return length_to_byte(length)


def _quantised(length: int) -> int:
    """The field length as a reader sees it (stored as one byte)."""
    return byte_to_length(length_to_byte(length))


def _positions(value: str, analyzer) -> tuple[dict[str, list[int]], int]:
    """term -> positions, and the token count, as the analyzer produces them."""
    poses: dict[str, list[int]] = {}
    if value.isascii() and isinstance(analyzer, CJKTokenizer) and analyzer.lowercase:
        # ASCII has no CJK or full-width characters and lowercases one
        # character to one: exactly the tokenizer's fast path.
        words = _WORD.findall(value.lower())
        ascii_poses: defaultdict[str, list[int]] = defaultdict(list)
        for pos, word in enumerate(words):
            ascii_poses[word].append(pos)
        return ascii_poses, len(words)
    n = 0
    for t in analyzer(value, positions=True, boosts=True, mode="index"):
        p = poses.get(t.text)
        if p is None:
            poses[t.text] = [t.pos]
        else:
            p.append(t.pos)
        n += 1
    return poses, n


# ``formats.Positions.encode([p])`` for the first positions: most terms
# occur once in an article.
_SINGLES = 4096
_SINGLE = [pack_uint(1) + dumps([p], 2) for p in range(_SINGLES)]


def _encode_positions(poslist: list[int]) -> bytes:
    """``formats.Positions.encode``."""
    if len(poslist) == 1:
        return pack_uint(1) + dumps(poslist, 2)
    deltas = [poslist[0]]
    deltas += map(sub, poslist[1:], poslist)
    return pack_uint(len(deltas)) + dumps(deltas, 2)


class SegmentBuilder:
    """Adds documents to one new segment in ``folder`` (a storage of its own)."""

    def __init__(self, folder: Path, schema, indexname: str = "MAIN") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.storage = FileStorage(str(folder))
        self.schema = schema
        self.codec = W3Codec()
        self.segment = self.codec.new_segment(self.storage, indexname)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        # Stored fields go through Whoosh's PickleColumn(CompressedBytesColumn),
        # whose writer calls ``self._compress(value, self._level)``.
        stored = getattr(self.perdoc, "_colwriters", {}).get("_stored")
        compressed = getattr(stored, "_child", None)
        if isal_compress and getattr(compressed, "_compress", None) is zlib.compress:
            compressed._compress, compressed._level = isal_compress, 1
        self.docnum = 0
        # How each indexed field is analysed here: "positions" (text fields,
        # tokenised by _positions), "id" (the whole value is the term),
        # "keywords"/"lower-keywords" (comma-separated), or "whoosh" (the
        # field's own index(); numbers and dates, cached per value).
        self.how: dict[str, str] = {}
        # field -> term -> postings as (docnum, weight, value bytes), in
        # document order; terms are str except for "whoosh" fields (bytes).
        self.postings: dict[str, dict] = {}
        self.lengths: dict[str, array] = {}  # field -> quantised length per document
        self._cache: dict[str, dict] = {}  # "whoosh" field -> value -> its terms
        self._column_adds: dict[str, object] = {}  # column name -> its writer's add (see _column)
        for name, field in schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"SegmentBuilder does not write vectors or spelling words ({name})")
            if not field.indexed:
                continue
            self.postings[name] = {}
            if field.scorable:
                self.lengths[name] = array("I")
            fmt = type(field.format)
            if fmt is formats.Positions and field.analyzer is not None:
                self.how[name] = "positions"
            elif isinstance(field, ID) and fmt is formats.Existence and field.analyzer == IDAnalyzer():
                self.how[name] = "id"
            elif isinstance(field, KEYWORD) and fmt is formats.Frequency and field.analyzer == KeywordAnalyzer(commas=True):
                self.how[name] = "keywords"
            elif isinstance(field, KEYWORD) and fmt is formats.Frequency and field.analyzer == KeywordAnalyzer(commas=True, lowercase=True):
                self.how[name] = "lower-keywords"
            else:
                self.how[name] = "whoosh"
                self._cache[name] = {}

    def add_document(self, **fields) -> None:
        """Like ``SegmentWriter.add_document`` (no ``_stored_``/boost fields)."""
        schema = self.schema
        perdoc = self.perdoc
        docnum = self.docnum
        perdoc.start_doc(docnum)
        for lengths in self.lengths.values():
            lengths.append(0)
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            how = self.how.get(fieldname)
            if how is not None and how != "whoosh" and not isinstance(value, str):
                raise ValueError(f"{value!r} is not a str")
            if how == "positions":
                terms = self.postings[fieldname]
                poses, length = _positions(value, field.analyzer)
                boost = field.format.field_boost
                for word, poslist in poses.items():
                    if len(poslist) == 1 and poslist[0] < _SINGLES:
                        posting = (docnum, boost, _SINGLE[poslist[0]])
                    else:
                        posting = (docnum, len(poslist) * boost, _encode_positions(poslist))
                    try:
                        terms[word].append(posting)
                    except KeyError:
                        terms[word] = [posting]
            elif how == "id":  # IDTokenizer: the value is the one term
                terms = self.postings[fieldname]
                entry = terms.get(value)
                if entry is None:
                    entry = terms[value] = []
                entry.append((docnum, field.format.field_boost, b""))
                length = 1
            elif how is not None and how != "whoosh":
                if value:
                    # CommaSeparatedTokenizer: runs of non-commas, stripped.
                    words = [w.strip() for w in _COMMA_RUN.findall(value)]
                    if how == "lower-keywords":
                        words = [w.lower() for w in words]
                    freqs: dict[str, int] = {}
                    for w in words:
                        freqs[w] = freqs.get(w, 0) + 1
                    terms = self.postings[fieldname]
                    boost = field.format.field_boost
                    for w, freq in freqs.items():
                        entry = terms.get(w)
                        if entry is None:
                            entry = terms[w] = []
                        entry.append((docnum, float(freq) * boost, pack_uint(freq)))
                    length = len(words)
            elif how == "whoosh":  # dates and numbers: the same few values again and again
                cache = self._cache[fieldname]
                try:
                    items = cache.get(value)
                except TypeError:  # unhashable
                    items = None
                if items is None:
                    items = list(field.index(value))
                    try:
                        cache[value] = items
                    except TypeError:
                        pass
                terms = self.postings[fieldname]
                for key, freq, weight, vbytes in items:
                    entry = terms.get(key)
                    if entry is None:
                        entry = terms[key] = []
                    entry.append((docnum, weight, vbytes))
                    length += freq
            if how is not None:
                if not field.scorable:
                    length = 0
                elif length:
                    self.lengths[fieldname][docnum] = _quantised(length)
            # W3PerDocWriter.add_field and add_column_value, without the
            # calls: the stored value, the length column, the field's column.
            if field.stored:
                perdoc._storedfields[fieldname] = value
            if length:
                self._column(_lenfield(fieldname), LENGTHS_COLUMN)(docnum, _length_byte(length))
                perdoc._fieldlengths[fieldname] += length
            column = field.column_type
            if column:
                self._column(fieldname, column)(docnum, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1

    def _column(self, name: str, column):
        """The ``add`` of the per-document writer's column ``name`` (created
        on first use, as ``add_column_value`` does)."""
        add = self._column_adds.get(name)
        if add is None:
            perdoc = self.perdoc
            if not perdoc._has_column(name):
                perdoc._create_column(name, column)
            add = self._column_adds[name] = perdoc._get_column(name).add
        return add

    def finish(self):
        """Write the postings, close the files, and assemble the compound
        segment file. Returns the segment (None if no document was added)."""
        self.perdoc.close()
        segment = self.segment
        segment.set_doc_count(self.docnum)
        writer = self.codec.field_writer(self.storage, segment)
        if not self.docnum:
            writer.close()
            return None
        for fieldname in sorted(self.postings):
            terms = self.postings[fieldname]
            if not terms:
                continue
            if fieldname in LEXICON_FIELDS and self.how[fieldname] == "positions":
                write_lexicon(self.storage, segment, fieldname, terms)
            field = self.schema[fieldname]
            writer.start_field(fieldname, field)
            _write_terms(writer, field, terms, self.lengths.get(fieldname), encode=self.how[fieldname] != "whoosh")
            writer.finish_field()
        writer.close()
        self.postings.clear()
        segment.create_compound_file(self.storage)
        return segment


def _write_terms(writer, field, terms: dict, lengths: array | None, encode: bool) -> None:
    """What ``start_term``/``add``.../``finish_term`` write for each term, a
    block at a time: the same block layout as ``W3PostingsWriter._write_block``
    and the same term info, except that

    - a word found in one document only keeps its posting inside its term
      info (W3TermInfo's "inlined" form, which every W3 reader reads; Whoosh
      writes it for lists shorter than its ``inlinelimit``). Most words are
      such: a wildcard's thousands of words are then read without a seek
      and an unpickled block header each;
    - a block whose pickle is under ``COMPRESS_MIN`` bytes is stored
      uncompressed (the block header says so; readers decompress only when
      it does). Whoosh compresses every block, and a ``zlib.compress`` call
      costs far more than it saves on the short blocks most words have."""
    postfile = writer._postfile
    table = _TermTable(writer._tindex)
    tindex_add = table.add
    prefix = writer._fieldid.to_bytes(2, "big")  # pack_ushort
    fixed = field.format.fixed_value_size()
    offset = postfile.tell()
    out: list[bytes] = []
    f32: dict[float, float] = {}  # weight -> as stored (float32)
    byte_of = _length_byte
    # str terms sort like their UTF-8 bytes (code point order)
    for key in sorted(terms):
        postings = terms[key]
        n = len(postings)
        if encode:
            key = key.encode("utf-8")
        if n == 1:  # most terms: inlined in the term info (see INLINE)
            docnum, weight, value = postings[0]
            fw = f32.get(weight)
            if fw is None:
                fw = f32[weight] = array("f", (weight,))[0]
            maxweight = weight if weight > 0 else 0
            lb = byte_of(lengths[docnum]) if lengths is not None else 0
            tindex_add(
                prefix + key,
                TERMINFO.pack(1, fw, 1, lb, lb, maxweight, docnum, docnum) + dumps(((docnum,), (fw,), (None if fixed == 0 else value,)), PICKLED),
            )
            continue
        ids, weights, values = map(list, zip(*postings))
        start_offset = offset
        total_weight = 0.0
        minlength = None
        maxlength = 0
        maxweight = 0
        out.append(MAGIC)
        offset += len(MAGIC)
        for start in range(0, n, BLOCK):
            end = min(start + BLOCK, n)
            block_ids = ids[start:end] if n > BLOCK else ids
            ws = weights[start:end] if n > BLOCK else weights
            fw = array("f", ws)
            total_weight += sum(fw)
            bmax = max(ws)
            if bmax < 0:
                bmax = 0
            if bmax > maxweight:
                maxweight = bmax
            if lengths is not None:
                ls = list(map(lengths.__getitem__, block_ids))
                nonzero = list(filter(None, ls))
                bmin = min(nonzero) if nonzero else None
                bmaxlen = max(ls)
            else:
                bmin, bmaxlen = None, 0
            if minlength is None:
                minlength = bmin
            elif bmin is not None:
                minlength = min(minlength, bmin)
            if bmaxlen > maxlength:
                maxlength = bmaxlen
            # The block's (ids, weights, values), minified as Whoosh does.
            deltas = [block_ids[0]]
            if len(block_ids) > 1:
                deltas.extend(map(sub, block_ids[1:], block_ids))
            if fw.count(1.0) == len(fw):
                mini_weights = None
            elif fw.count(fw[0]) == len(fw):
                mini_weights = fw[0]
            else:
                mini_weights = tuple(fw)
            vs = values[start:end] if n > BLOCK else values
            if fixed is None or fixed < 0:
                mini_values = tuple(filter(None, vs))
            elif fixed == 0:
                mini_values = None
            else:
                mini_values = b"".join(vs)
            data = dumps((tuple(deltas), mini_weights, mini_values), PICKLED)
            comp = 0
            if len(data) >= COMPRESS_MIN:
                comp = COMPRESSION
                data = deflate(data)
            info = dumps((end - start, block_ids[-1], bmax, comp, length_to_byte(bmin), length_to_byte(bmaxlen)), 2)
            size = len(info) + len(data)
            out.append(pack_int(-size if end == n else size))
            out.append(info)
            out.append(data)
            offset += 4 + size
        tindex_add(
            prefix + key,
            TERMINFO.pack(
                0,
                total_weight,
                n,
                0 if minlength is None else length_to_byte(minlength),
                length_to_byte(maxlength),
                maxweight,
                ids[0],
                ids[-1],
            )
            + pack_long(start_offset)
            + pack_int(offset - start_offset),
        )
        if len(out) > 4096:
            postfile.write(b"".join(out))
            out.clear()
    postfile.write(b"".join(out))
    table.flush()


class _TermTable:
    """``OrderedHashWriter.add`` for a field's terms: the same bytes and hash
    entries, with the file position counted here and one write at the end."""

    def __init__(self, tindex) -> None:
        if tindex.hashtype != 0:
            raise ValueError("expected an MD5 hash table")
        self.tindex = tindex
        self.pos = tindex.dbfile.tell()
        self.entries: list[bytes] = []
        self.append_index = tindex.index.append
        self.buckets = tindex.buckets
        self.last = tindex.lastkey

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.last:
            raise ValueError(f"Keys must increase: {self.last!r}..{key!r}")
        pos = self.pos
        self.append_index(pos)
        entry = _LENGTHS.pack(len(key), len(value)) + key + value
        self.entries.append(entry)
        self.pos = pos + len(entry)
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")  # filetables.md5_hash
        self.buckets[h & 255].append((h, pos))
        self.last = key

    def flush(self) -> None:
        self.tindex.dbfile.write(b"".join(self.entries))
        self.entries.clear()
        self.tindex.lastkey = self.last


_COUNTER = None  # in a bulk worker process: the shared count of analysed jobs


def bulk_worker(init, args: tuple, counter) -> None:
    """Initializer of a bulk worker process: ``init(*args)``, and keep the
    shared counter the worker adds its analysed jobs to (progress reports)."""
    global _COUNTER
    _COUNTER = counter
    init(*args)


def worker_counter():
    return _COUNTER


def build_segment(folder: Path, schema, documents) -> tuple[list, object]:
    """Index ``documents`` (an iterable of field dicts, or of other outcomes
    passed through: a ``Skipped``, ``None``) into a new segment in ``folder``.
    Returns the outcomes with each field dict replaced by its ``id``, and the
    segment (None if there was no document)."""
    builder = SegmentBuilder(folder, schema)
    outcomes = []
    for doc in documents:
        if isinstance(doc, dict):
            builder.add_document(**doc)
            outcomes.append(doc["id"])
        else:
            outcomes.append(doc)
    return outcomes, builder.finish()


def adopt(parts: Path, segment, index_dir: Path) -> None:
    """Move the files of ``segment`` (built somewhere under ``parts``) into
    the index folder, where the next commit lists it. Files of a segment that
    no TOC lists are deleted by Whoosh's next commit, so a crash in between
    leaves nothing behind for long."""
    prefix = f"{segment.indexname}_{segment.segid}"
    for path in parts.rglob(prefix + "*"):
        if path.is_file():
            os.replace(path, index_dir / path.name)
