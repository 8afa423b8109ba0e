"""Where things live: the bundled corpus and the per-corpus index folder."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from platformdirs import user_cache_dir


def bundled_corpus() -> Path:
    """The ``corpus/`` folder at the top of the project checkout."""
    return Path(__file__).resolve().parents[3] / "corpus"


def default_index_dir(corpus: Path) -> Path:
    """A folder under the user's cache directory, one per corpus path."""
    resolved = corpus.expanduser().resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", resolved.name)[:40] or "corpus"
    return Path(user_cache_dir("reader", appauthor=False)) / "indexes" / f"{slug}-{digest}"
