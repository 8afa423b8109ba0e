"""The organisation extractor as the rest of the app uses it: one shared,
lazily built instance per alias file, and alias resolution for queries."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

_lock = threading.Lock()


def alias_file_for(corpus: Path) -> Path | None:
    """A user alias file in the corpus folder: ``aliases.toml`` or ``.reader/aliases.toml``."""
    for candidate in (corpus / "aliases.toml", corpus / ".reader" / "aliases.toml"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=4)
def _extractor(alias_file: Path | None, signature: tuple):
    from .entities import EntityExtractor

    return EntityExtractor(alias_file)


def extractor(alias_file: Path | None = None):
    """The shared extractor for this alias file (rebuilt when the file changes)."""
    signature: tuple = ()
    if alias_file is not None:
        try:
            st = alias_file.stat()
            signature = (st.st_size, st.st_mtime_ns)
        except OSError:
            signature = ("missing",)
    with _lock:
        return _extractor(alias_file, signature)


def make_resolver(corpus: Path):
    """A function alias -> canonical name (or None), for org:/firm:/agency: queries."""
    alias_file = alias_file_for(corpus)

    def resolve(alias: str) -> str | None:
        entity = extractor(alias_file).resolve(alias)
        return entity.name if entity else None

    return resolve
