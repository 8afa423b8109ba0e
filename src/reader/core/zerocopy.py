"""Read compound Whoosh segments in place instead of copying them into memory.

Whoosh memory-maps a segment's compound file, then wraps each part it opens
(postings, term index, stored fields, columns) in ``BufferFile``, whose
``BytesIO(memoryview)`` copies the part into the heap. Opening a searcher on
the 100,000-article benchmark index (490 MB, 25 segments) took the process
from 34 MB to 814 MB this way. :class:`MemoryFile` reads the mapped bytes
where they are: only the pages a search touches are loaded, and the kernel
can drop them again.

:func:`install` swaps it in; :mod:`reader.core.index` calls it on import.
"""

from __future__ import annotations

from whoosh.filedb import structfile


class MemoryFile:
    """A read-only, seekable file over a buffer (a memoryview of the map)."""

    __slots__ = ("_buf", "_pos", "_size")

    def __init__(self, buf) -> None:
        self._buf = memoryview(buf)
        self._pos = 0
        self._size = len(self._buf)

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._size if size is None or size < 0 else min(start + size, self._size)
        self._pos = max(start, end)
        return bytes(self._buf[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        limit = self._size if size is None or size < 0 else min(self._pos + size, self._size)
        start = self._pos
        end = start
        while end < limit:  # rarely used (no compound part is line-based)
            end += 1
            if self._buf[end - 1] == 10:
                break
        self._pos = end
        return bytes(self._buf[start:end])

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 1:
            offset += self._pos
        elif whence == 2:
            offset += self._size
        if offset < 0:
            raise ValueError("negative seek position")
        self._pos = offset
        return offset

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = memoryview(b"")
        self._size = self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True


def _buffer_file_init(self, buf, name=None, onclose=None) -> None:
    self._buf = buf
    self._name = name
    self.file = MemoryFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def install() -> None:
    """Make Whoosh's ``BufferFile`` read its buffer in place (idempotent)."""
    structfile.BufferFile.__init__ = _buffer_file_init


def release_pages(reader) -> None:
    """Let go of the mapped pages a one-off pass over ``reader`` touched.

    Reading every document's column (the organisation table, the events) or
    every word of a field maps tens of MB of index into the process (RSS);
    the kernel keeps them in its page cache either way, so dropping them from
    the process costs a search only a minor fault when it needs one again.
    """
    import mmap

    advice = getattr(mmap, "MADV_DONTNEED", None)
    if advice is None:
        return
    leaves = [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]
    for leaf in leaves:
        storage = getattr(leaf, "_storage", None)
        storage = getattr(storage, "a", storage)  # an OverlayStorage over the compound file
        source = getattr(storage, "_source", None)
        if isinstance(source, mmap.mmap):
            try:
                source.madvise(advice)
            except (OSError, ValueError):  # closed, or not supported here
                pass


def fixed_column_bytes(column, width: int) -> bytes | None:
    """The stored bytes of a fixed-width Whoosh column reader (``width`` bytes a
    document, for the documents that have one), read in one slice; None if
    ``column`` is not such a reader. Whoosh's own access is a few calls per
    document."""
    raw = getattr(column, "_dbfile", None)
    if raw is None or getattr(column, "_fixedlen", None) != width:
        return None
    return bytes(raw.get(column._basepos, column._count * width))
