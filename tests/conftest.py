"""Shared fixtures: a private copy of the bundled corpus and a fresh index per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

ID_000 = "000_d59e4f67651d1876"
ID_003 = "003_d743c37b6639f9e9"
ID_004 = "004_8aeb1d78dd88faa9"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus (articles and sidecars)."""
    target = tmp_path / "corpus"
    shutil.copytree(BUNDLED, target)
    return target


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled corpus indexed once per session (read-only use)."""
    from reader.core.index import update_index

    base = tmp_path_factory.mktemp("bundled")
    corpus = base / "corpus"
    shutil.copytree(BUNDLED, corpus)
    index = base / "index"
    update_index(corpus, index)
    return corpus, index


@pytest.fixture(scope="session")
def engine(built_index):
    from reader.core.entities_service import make_resolver
    from reader.core.search import SearchEngine

    corpus, index = built_index
    eng = SearchEngine(index, resolve=make_resolver(corpus))
    yield eng
    eng.close()
