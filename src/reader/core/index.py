"""Building and incrementally updating the Whoosh index of a corpus.

The index folder holds the Whoosh files and ``manifest.json``, which maps
each article id to the signature (size and mtime) of its file when it was
indexed. An update re-reads only files that were added or whose signature
changed, and deletes articles whose files are gone.

Crash safety: Whoosh commits are atomic (a new TOC is written last). The
manifest is written after each commit by atomic rename, with the index
generation it describes; if a crash leaves it behind the index, it is rebuilt
from the signatures stored in the index itself. Either way the next update
ends with a complete index.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as windex
from whoosh.index import LockError

from .entities_service import alias_file_for
from .loader import SourceFile, load, scan
from .models import Article, IndexReport, Skipped
from .pipeline import Analyser
from .schema import SCHEMA_VERSION, build_schema

MANIFEST = "manifest.json"
COMMIT_EVERY = 2000

Progress = Callable[[int, int], None]


class IndexError_(Exception):
    """The index cannot be opened or written (locked, corrupt, unwritable)."""


class IndexLocked(IndexError_):
    pass


@dataclass
class Manifest:
    generation: int
    files: dict[str, str]
    corpus: str = ""
    version: int = SCHEMA_VERSION
    alias_sig: str = ""  # the user alias file's signature when articles were analysed


def index_exists(index_dir: Path) -> bool:
    return windex.exists_in(str(index_dir)) and _read_manifest(index_dir) is not None


def open_index(index_dir: Path) -> windex.Index:
    """Open an existing index for reading."""
    try:
        return windex.open_dir(str(index_dir))
    except windex.EmptyIndexError as exc:
        raise IndexError_(f"no index in {index_dir}; run `reader index` first") from exc
    except Exception as exc:  # corrupt files surface as assorted errors
        raise IndexError_(f"cannot open index {index_dir}: {exc}") from exc


def update_index(
    corpus: Path,
    index_dir: Path,
    progress: Progress | None = None,
    analyser: Analyser | None = None,
    wait: float = 5.0,
    workers: int | None = None,
) -> IndexReport:
    """Bring the index in ``index_dir`` up to date with ``corpus``."""
    started = time.perf_counter()
    files, skipped = scan(corpus)
    ix, manifest = _open_for_update(corpus, index_dir)
    current = {f.id: f for f in files}
    to_remove = sorted(set(manifest.files) - set(current))
    alias_sig = _alias_signature(corpus)
    if alias_sig != manifest.alias_sig:
        # A new or edited alias file changes extraction: analyse everything again.
        manifest.files = {k: "" for k in manifest.files}
        manifest.alias_sig = alias_sig
    to_process = [f for f in files if manifest.files.get(f.id) != f.signature]
    unchanged = len(files) - len(to_process)
    added: list[str] = []
    updated: list[str] = []
    if not to_remove and not to_process:
        ix.close()
        return IndexReport(unchanged=unchanged, skipped=skipped, seconds=time.perf_counter() - started)

    writer = _writer(ix, wait)
    try:
        for article_id in to_remove:
            writer.delete_by_term("id", article_id)
            manifest.files.pop(article_id, None)
        pending: dict[str, str] = {}
        total = len(to_process)
        if progress:
            progress(0, total)
        docs = analysed(corpus, to_process, analyser, workers)
        for done, (source, doc) in enumerate(docs, 1):
            if isinstance(doc, Skipped):
                # Keep whatever version is indexed: a file that became
                # unreadable must not make its article disappear.
                skipped.append(doc)
            else:
                if source.id in manifest.files:
                    writer.update_document(**doc)
                    updated.append(source.id)
                else:
                    writer.add_document(**doc)  # new id: no delete-by-term lookup needed
                    added.append(source.id)
                pending[source.id] = source.signature
            if progress:
                progress(done, total)
            if len(pending) >= COMMIT_EVERY:
                writer.commit()
                manifest.files.update(pending)
                pending.clear()
                _write_manifest(index_dir, manifest, ix)
                writer = _writer(ix, wait)
        writer.commit()
        manifest.files.update(pending)
        _write_manifest(index_dir, manifest, ix)
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    return IndexReport(
        added=added,
        updated=updated,
        removed=to_remove,
        unchanged=unchanged,
        skipped=skipped,
        seconds=time.perf_counter() - started,
    )


PARALLEL_MIN = 200  # below this many files, worker processes cost more than they save


def analysed(corpus: Path, sources: list[SourceFile], analyser: Analyser | None, workers: int | None):
    """(source, document fields or Skipped) for each source, in order.

    Reading and extraction run in worker processes (one per core) when there
    is enough to do; the caller's thread only feeds the Whoosh writer.
    """
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if analyser is None:
        analyser = Analyser(alias_file_for(corpus))
    if workers <= 1 or len(sources) < PARALLEL_MIN:
        for source in sources:
            yield source, _prepare(corpus, source, analyser)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # safe beside the TUI's threads
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(analyser.alias_file, analyser.enabled)
    ) as pool:
        chunk = max(8, min(64, len(sources) // (workers * 8) or 8))
        for source, doc in zip(sources, pool.map(_work, [(corpus, s) for s in sources], chunksize=chunk)):
            yield source, doc


_WORKER_ANALYSER: Analyser | None = None


def _init_worker(alias_file, enabled: bool) -> None:
    global _WORKER_ANALYSER
    _WORKER_ANALYSER = Analyser(alias_file, enabled=enabled)


def _work(job: tuple[Path, SourceFile]):
    corpus, source = job
    return _prepare(corpus, source, _WORKER_ANALYSER)


def _prepare(corpus: Path, source: SourceFile, analyser: Analyser) -> dict | Skipped:
    result = load(corpus, source)
    if isinstance(result, Skipped):
        return result
    try:
        return _document(result, source, analyser)
    except Exception as exc:  # an extractor bug must not stop indexing
        return Skipped(source.path, f"analysis failed: {type(exc).__name__}: {exc}")


def _document(article: Article, source: SourceFile, analyser: Analyser) -> dict:
    analysis = analyser.analyse(article)
    date = article.date
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "body": article.text,
        "source": article.source or "",
        "date": dt.datetime(date.year, date.month, date.day) if date else None,
        "datekey": int(date.strftime("%Y%m%d")) if date else 0,
        "url": article.url,
        "sig": source.signature,
        **analysis.to_fields(),
    }


def _writer(ix: windex.Index, wait: float):
    try:
        return ix.writer(timeout=wait, limitmb=128)
    except LockError as exc:
        raise IndexLocked(
            "another reader process is updating this index; try again when it finishes"
        ) from exc


def _open_for_update(corpus: Path, index_dir: Path) -> tuple[windex.Index, Manifest]:
    manifest = _read_manifest(index_dir)
    fresh = manifest is None or manifest.version != SCHEMA_VERSION or not windex.exists_in(str(index_dir))
    if not fresh:
        try:
            ix = windex.open_dir(str(index_dir))
        except Exception:
            fresh = True  # unreadable index: rebuild it, the corpus is the truth
    if fresh:
        _reset_dir(index_dir)
        ix = windex.create_in(str(index_dir), build_schema())
        manifest = Manifest(
            generation=ix.latest_generation(), files={}, corpus=str(corpus.resolve()), alias_sig=_alias_signature(corpus)
        )
        _write_manifest(index_dir, manifest, ix)
        return ix, manifest
    assert manifest is not None
    if manifest.generation != ix.latest_generation():
        manifest = _manifest_from_index(ix, corpus)
    return ix, manifest


def _manifest_from_index(ix: windex.Index, corpus: Path) -> Manifest:
    """Recover the manifest from signatures stored in the index (after a crash)."""
    files: dict[str, str] = {}
    with ix.reader() as reader:
        for _, fields in reader.iter_docs():
            files[fields["id"]] = fields.get("sig", "")
    return Manifest(
        generation=ix.latest_generation(), files=files, corpus=str(corpus.resolve()), alias_sig=_alias_signature(corpus)
    )


def _alias_signature(corpus: Path) -> str:
    path = alias_file_for(corpus)
    if path is None:
        return ""
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{path.name}:{st.st_size}:{st.st_mtime_ns}"


def _read_manifest(index_dir: Path) -> Manifest | None:
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            generation=int(data["generation"]),
            files=dict(data["files"]),
            corpus=str(data.get("corpus", "")),
            version=int(data.get("version", 0)),
            alias_sig=str(data.get("alias_sig", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_manifest(index_dir: Path, manifest: Manifest, ix: windex.Index) -> None:
    manifest.generation = ix.latest_generation()
    tmp = index_dir / (MANIFEST + ".tmp")
    payload = {
        "version": manifest.version,
        "generation": manifest.generation,
        "corpus": manifest.corpus,
        "alias_sig": manifest.alias_sig,
        "files": manifest.files,
    }
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / MANIFEST)


def _reset_dir(index_dir: Path) -> None:
    """Empty the index folder, but only of what an index holds."""
    index_dir.mkdir(parents=True, exist_ok=True)
    for child in index_dir.iterdir():
        if child.suffix in (".toc", ".seg", ".pst", ".trm", ".fdt", ".fvz", ".dci", ".dcz", ".lock", ".json", ".tmp") or child.name.startswith(("_MAIN", "MAIN")):
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def ensure_index(
    corpus: Path, index_dir: Path, progress: Progress | None = None
) -> tuple[IndexReport | None, str | None]:
    """Update the index if possible; if another process holds the lock but an
    index exists, carry on read-only. Returns the report (None when read-only)
    and a notice for the user, if any."""
    try:
        return update_index(corpus, index_dir, progress=progress, wait=1.0), None
    except IndexLocked as exc:
        if index_exists(index_dir):
            return None, f"{exc}; using the index as it is (read-only)"
        raise
