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

import atexit
import datetime as dt
import gc
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as windex
from whoosh.index import LockError

from .entities_service import alias_file_for
from .loader import JSONL_SUFFIXES, SourceFile, entry_signature, load, load_container, scan
from .models import Article, IndexReport, Skipped
from .pipeline import Analyser, Analysis
from .schema import SCHEMA_VERSION, build_schema
from .zerocopy import install as _read_segments_in_place

_read_segments_in_place()

MANIFEST = "manifest.json"
# Articles per commit, and per segment of a bulk build: every segment costs
# each search a matcher per query word (100k articles in 50 segments of 2,000:
# `export*` 240 ms; in 18 of ~5,500: 134 ms), and a worker holds one
# segment's postings in memory while it builds it.
COMMIT_EVERY = 5000

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
    # Bad lines/entries of container files, kept so every run reports them.
    skips: dict[str, list[list[str]]] = field(default_factory=dict)


def index_exists(index_dir: Path, quick: bool = False) -> bool:
    """Whether ``index_dir`` holds an index to open: a readable TOC and a
    manifest. ``quick`` only checks that the manifest is there, not that it
    parses (6 MB of JSON at 100,000 articles: ~90 ms on the way to the first
    screen); the update that follows reads it anyway and rebuilds if needed."""
    try:
        if quick:
            # Only that a TOC and the manifest are there (Whoosh's exists_in
            # reads and unpickles the TOC, which opening reads again: ~50 ms at
            # 100,000 articles). A TOC that turns out unreadable fails the open,
            # and the caller then builds the index as if there were none.
            return _has_toc(index_dir) and (index_dir / MANIFEST).stat().st_size > 0
        if not windex.exists_in(str(index_dir)):
            return False
        return _read_manifest(index_dir) is not None
    except Exception:  # a damaged TOC raises assorted errors: not an index to use
        return False


def _has_toc(index_dir: Path) -> bool:
    prefix = f"_{INDEX_NAME}_"
    with os.scandir(index_dir) as entries:
        return any(
            e.name.startswith(prefix) and e.name.endswith(".toc") and e.name[len(prefix) : -4].isdigit() for e in entries
        )


def open_index(index_dir: Path) -> windex.Index:
    """Open an existing index for reading."""
    try:
        return windex.open_dir(str(index_dir))
    except windex.EmptyIndexError as exc:
        raise IndexError_(f"no index in {index_dir}; run `reader index` first") from exc
    except Exception as exc:  # corrupt files surface as assorted errors
        raise unreadable_index(index_dir, exc) from exc


def unreadable_index(index_dir: Path, exc: BaseException) -> IndexError_:
    """The one-line error for an index whose files cannot be read."""
    detail = " ".join(str(exc).split())
    detail = f"{type(exc).__name__}: {detail[:160]}" if detail else type(exc).__name__
    return IndexError_(f"cannot read the index in {index_dir} ({detail}); if it is damaged, `reader index` rebuilds it")


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
    # Takes the write lock first (waiting up to ``wait``) and keeps it until
    # ix.close(): the manifest is read, and a rebuild decided, under the lock.
    ix, manifest = _open_for_update(corpus, index_dir, wait)
    current = {f.path: f for f in files}
    gone = sorted(set(manifest.files) - set(current))
    alias_sig = _alias_signature(corpus)
    if alias_sig != manifest.alias_sig:
        # A new or edited alias file changes extraction: analyse everything again.
        manifest.files = {k: "" for k in manifest.files}
        manifest.alias_sig = alias_sig
        for f in files:
            if f.container and f.path in manifest.files:
                manifest.files[f.path] = REANALYSE
    to_process = [f for f in files if manifest.files.get(f.path) != f.signature]
    unchanged = len(files) - len(to_process)
    for path in sorted(set(manifest.skips) - {f.path for f in to_process}):
        if path in current:
            skipped.extend(Skipped(where, reason) for where, reason in manifest.skips[path])
    if not gone and not to_process:
        ix.close()
        return IndexReport(unchanged=unchanged, skipped=skipped, seconds=time.perf_counter() - started)

    added: list[str] = []
    updated: list[str] = []
    removed: list[str] = []
    writer = _writer(ix, wait)
    try:
        with ix.searcher() as searcher:
            for path in gone:
                removed.extend(_ids_for_path(searcher, path))
                writer.delete_by_term("path", path)
                manifest.files.pop(path, None)
                manifest.skips.pop(path, None)
            jobs = _plan(corpus, to_process, manifest, searcher, writer, skipped, removed)
        pending: dict[str, str] = {}
        since_commit = 0
        total = len(jobs)
        if progress:
            progress(0, total)
        parts: Path | None = None
        if len(jobs) >= PARALLEL_MIN:
            # A bulk update: batches are indexed into segments of their own
            # (in worker processes), built under ``parts``, moved into the
            # index when done, and listed in the TOC by the next commit.
            from .segments import adopt

            for stale in index_dir.glob("segments-*.tmp"):  # left by a crash; we hold the lock
                if stale.is_dir() and stale.name[len("segments-") : -len(".tmp")].isdigit():
                    shutil.rmtree(stale, ignore_errors=True)
            parts = index_dir / f"segments-{os.getpid()}.tmp"
        built: list = []  # segments moved into the index, not yet committed

        def commit(writer) -> None:
            if parts is None:
                writer.commit(mergetype=merge_small_only)
            else:
                # Segments as they are, in order: no merging (which would
                # move the merged documents to the end of the index).
                segments = list(built)
                built.clear()
                writer.commit(mergetype=lambda _writer, existing: list(existing) + segments)

        done = 0
        try:
            shown = 0  # the last progress reported
            for batch, outcomes, segment in analysed(corpus, jobs, analyser, workers, parts):
                if batch is None:  # progress only: jobs analysed so far
                    if progress and min(outcomes, total) > shown:
                        shown = min(outcomes, total)
                        progress(shown, total)
                    continue
                if segment is not None:
                    adopt(parts, segment, index_dir)
                    built.append(segment)
                for job, doc in zip(batch, outcomes):
                    if isinstance(doc, Skipped):
                        # Keep whatever version is indexed: a file that became
                        # unreadable must not make its article disappear.
                        skipped.append(doc)
                    elif doc is not None:
                        if isinstance(doc, str):  # already in a new segment
                            doc_id = doc
                            if job.replace:
                                writer.delete_by_term("id", doc_id)
                        else:
                            doc_id = doc["id"]
                            if job.replace:
                                writer.update_document(**doc)
                            else:
                                writer.add_document(**doc)  # new id: no delete-by-term lookup needed
                        (updated if job.replace else added).append(doc_id)
                        since_commit += 1
                        if job.last:
                            pending[job.source.path] = job.source.signature
                    elif job.last:  # a container's end marker
                        pending[job.source.path] = job.source.signature
                done += len(batch)
                if progress and done > shown:
                    shown = done
                    progress(done, total)
                # Commit only between files, so a container is never half-indexed.
                if batch[-1].last and (since_commit >= COMMIT_EVERY or built):
                    since_commit = 0
                    commit(writer)
                    manifest.files.update(pending)
                    pending.clear()
                    _write_manifest(index_dir, manifest, ix)
                    writer = _writer(ix, wait)
            if since_commit or built or removed:
                commit(writer)
            else:
                # Nothing to write (say, only skipped files were tried again):
                # no commit, so no new generation and no merge.
                writer.cancel()
            manifest.files.update(pending)
            _write_manifest(index_dir, manifest, ix)
        finally:
            if parts is not None:
                shutil.rmtree(parts, ignore_errors=True)
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    return IndexReport(
        added=added,
        updated=updated,
        removed=removed,
        unchanged=unchanged,
        skipped=skipped,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True, slots=True)
class Job:
    """One unit of analysis: a one-article file (read in the worker), or an
    article already read from a container file. ``last`` marks the final job
    of its file: the file's signature is recorded once that job is written."""

    source: SourceFile
    article: Article | None
    sig: str
    replace: bool
    last: bool
    marker: bool = False  # nothing to analyse: only records the file as done


def _plan(corpus, to_process, manifest, searcher, writer, skipped, removed) -> list[Job]:
    """The jobs for changed files. Container files are read here, and only
    their new or changed entries become jobs; a JSONL line that is gone is
    deleted (a feed entry that dropped out of the feed is kept)."""
    jobs: list[Job] = []
    for source in to_process:
        known = source.path in manifest.files
        if not source.container:
            jobs.append(Job(source, None, source.signature, replace=known, last=True))
            continue
        try:
            articles, problems = load_container(corpus, source)
        except Exception as exc:  # a parser bug must not stop indexing either
            articles, problems = [], [Skipped(source.path, f"could not be read: {type(exc).__name__}: {exc}")]
        skipped.extend(problems)
        manifest.skips.pop(source.path, None)
        if articles and problems:
            manifest.skips[source.path] = [[p.path, p.reason] for p in problems]
        if not articles:
            continue  # unusable now: keep what is indexed, try again next time
        existing = _entry_sigs(searcher, source.path) if known else {}
        if manifest.files.get(source.path) == REANALYSE:
            existing = dict.fromkeys(existing, "")  # every entry again, replacing its old version
        if source.path.lower().endswith(JSONL_SUFFIXES):
            for article_id in sorted(set(existing) - {a.id for a in articles}):
                writer.delete_by_term("id", article_id)
                removed.append(article_id)
        for article in articles:
            sig = entry_signature(article)
            if existing.get(article.id) != sig:
                jobs.append(Job(source, article, sig, replace=article.id in existing, last=False))
        jobs.append(Job(source, None, source.signature, replace=False, last=True, marker=True))
    return jobs


def _entry_sigs(searcher, path: str) -> dict[str, str]:
    reader = searcher.reader()
    out: dict[str, str] = {}
    for docnum in searcher.document_numbers(path=path):
        fields = reader.stored_fields(docnum)
        out[fields["id"]] = fields.get("sig", "")
    return out


def _ids_for_path(searcher, path: str) -> list[str]:
    reader = searcher.reader()
    return [reader.stored_fields(n)["id"] for n in searcher.document_numbers(path=path)]


REANALYSE = "reanalyse"  # manifest marker: analyse every entry of this container again
SMALL_SEGMENT = 1_000  # documents: segments below this are merged by an update's commit


def merge_small_only(writer, segments):
    """The merge policy of an update's commit: fold the small segments that
    earlier updates left into this commit's segment; never touch big ones.

    Whoosh's default (MERGE_SMALL) picks segments by a Fibonacci rule that, on
    a 100k-article index built as ~55 bulk segments, merged 20 of them on a
    one-file update (minutes, 1.9 GB). Here the work an update does is bounded
    by SMALL_SEGMENT x the number of small segments, which stays small since
    they are merged every time.
    """
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    if len(small) < 2:
        return list(segments)
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]


PARALLEL_MIN = 200  # below this many jobs, worker processes cost more than they save


def analysed(corpus: Path, jobs: list[Job], analyser: Analyser | None, workers: int | None, parts: Path | None = None):
    """(jobs, outcomes, segment) for each batch of jobs, in order.

    Without ``parts``: one job per batch, its outcome the document's fields
    (for the caller's writer), a Skipped, or None for a marker; no segment.

    With ``parts`` (a bulk update): batches of at most COMMIT_EVERY jobs,
    each read, analysed and indexed into a new segment of its own, built in a
    subfolder of ``parts`` (see segments.SegmentBuilder); an outcome is then
    the document's id instead of its fields. The batches run in worker
    processes (one per core) when there are several cores: extraction and
    indexing both use every core, and the caller only commits segments.
    """
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if analyser is None:
        analyser = Analyser(alias_file_for(corpus))
    if parts is None:
        for job in jobs:
            yield [job], [_run(corpus, job, analyser)], None
        return
    # Equal batches, as many as a multiple of the workers, so that they
    # finish together.
    count = -(-len(jobs) // COMMIT_EVERY)
    count = -(-count // workers) * workers
    size = -(-len(jobs) // count)
    batches = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    tasks = [(corpus, parts / f"{n:05d}", batch) for n, batch in enumerate(batches)]
    if workers <= 1:
        for task, batch in zip(tasks, batches):
            yield batch, *_work(task, analyser)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import TimeoutError as Pending

    from .segments import bulk_worker

    context = multiprocessing.get_context("spawn")  # safe beside the TUI's threads
    analysed_so_far = context.Value("q", 0)  # jobs the workers are through, for progress reports
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=bulk_worker,
        initargs=(_init_worker, (analyser.alias_file, analyser.enabled), analysed_so_far),
    )
    try:
        futures = [pool.submit(_work, task) for task in tasks]
        for batch, future in zip(batches, futures):
            while True:
                try:
                    outcomes, segment = future.result(timeout=0.25)
                    break
                except Pending:
                    # A batch takes seconds: meanwhile, (None, jobs analysed, None).
                    yield None, analysed_so_far.value, None
            yield batch, outcomes, segment
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER_ANALYSER: Analyser | None = None


def _init_worker(alias_file, enabled: bool) -> None:
    global _WORKER_ANALYSER
    # A worker's results are all sent (synchronously) before it is told to
    # stop; tearing down its interpreter (the entity models, the word-feature
    # cache) only held up the end of a build, by ~1.5 s on Reuters.
    atexit.register(os._exit, 0)
    from .orphans import exit_with_parent; exit_with_parent()  # noqa: E702 - a SIGKILLed parent must not orphan workers
    _WORKER_ANALYSER = Analyser(alias_file, enabled=enabled)


def _work(task: tuple[Path, Path, list[Job]], analyser: Analyser | None = None):
    """(outcomes, segment) of one batch of jobs: see :func:`analysed`."""
    from .segments import build_segment, worker_counter

    corpus, folder, batch = task
    analyser = analyser or _WORKER_ANALYSER
    counter = worker_counter()  # None outside a bulk worker process

    def documents():
        for part in _stages(batch):
            yield from _outcomes(corpus, part, analyser)  # all analysed before the first is indexed
            if counter is not None:
                with counter.get_lock():
                    counter.value += len(part)

    if counter is not None:
        # A worker process runs nothing but batches: no cyclic garbage
        # collection in it at all. A batch's postings are millions of live
        # objects that every collection walked again (4% of a Reuters build),
        # and a full collection after each batch walked the word caches
        # (0.1-0.2 s); analysis and indexing make no reference cycles (26
        # objects in all on Reuters' 21,578 articles; a test checks the
        # analysis), so there is nothing for it to free.
        gc.disable()
    return build_segment(folder, build_schema(), documents())


# Jobs a bulk batch takes through each stage together: all read, then the
# organisations of all, then their dates, then their fields, then indexed.
# One article at a time through every stage, each stage's code and data
# (regular expressions, the CRF model, word caches, the segment's tables)
# were evicted from the CPU's caches by the others': a Reuters batch took
# 1.59-1.68 ms of CPU per article that way, 1.39-1.41 ms staged by 256, 1.34-1.39 by 512.
STAGE_JOBS = 512
# ... and at most about this much text: a stage holds its articles' text and
# analysis (512 pages of 8 MB would be 4 GB).
STAGE_BYTES = 16 * 1024 * 1024


def _stages(batch: list[Job]):
    """``batch`` in consecutive parts of at most STAGE_JOBS jobs and, unless
    one job alone is bigger, STAGE_BYTES of text."""
    part: list[Job] = []
    size = 0
    for job in batch:
        n = 0 if job.marker else len(job.article.text) if job.article is not None else job.source.size
        if part and (len(part) >= STAGE_JOBS or size + n > STAGE_BYTES):
            yield part
            part, size = [], 0
        part.append(job)
        size += n
    if part:
        yield part


def _run(corpus: Path, job: Job, analyser: Analyser) -> dict | Skipped | None:
    """A job's outcome: the document's fields, a Skipped, or None for a marker."""
    return _outcomes(corpus, [job], analyser)[0]


def _outcomes(corpus: Path, jobs: list[Job], analyser: Analyser) -> list[dict | Skipped | None]:
    """The outcome of each of ``jobs`` (see :func:`_run`), a stage at a time."""
    read = [_article(corpus, job) for job in jobs]
    analyses = iter(analyser.analyse_all([a for a in read if isinstance(a, Article)]))
    out: list[dict | Skipped | None] = []
    for job, article in zip(jobs, read):
        if not isinstance(article, Article):
            out.append(article)
            continue
        analysis = next(analyses)
        if isinstance(analysis, str):  # an extractor bug must not stop indexing
            out.append(Skipped(article.id, f"analysis failed: {analysis}"))
            continue
        try:
            out.append(_fields(article, job.sig, analysis))
        except Exception as exc:
            out.append(Skipped(article.id, f"analysis failed: {type(exc).__name__}: {exc}"))
    return out


def _article(corpus: Path, job: Job) -> Article | Skipped | None:
    if job.marker:
        return None
    if job.article is not None:
        return job.article
    try:
        return load(corpus, job.source)
    except Exception as exc:  # a parser bug must not stop indexing either
        return Skipped(job.source.path, f"could not be read: {type(exc).__name__}: {exc}")


def _fields(article: Article, sig: str, analysis: Analysis) -> dict:
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
        "sig": sig,
        **analysis.to_fields(),
    }


def _writer(ix: windex.Index, wait: float):
    """A writer for ``ix``. An index from :func:`_open_for_update` already
    holds the write lock, so this never waits; otherwise wait up to ``wait``."""
    try:
        return ix.writer(timeout=wait, limitmb=128)
    except LockError as exc:
        raise IndexLocked(
            "another reader process is updating this index; try again when it finishes"
        ) from exc


INDEX_NAME = "MAIN"  # Whoosh's default index name: files _MAIN_<gen>.toc, MAIN_<id>.seg
LOCK_FILE = INDEX_NAME + "_WRITELOCK"  # Whoosh's write lock: an flock on this file


class IndexUnwritable(IndexError_):
    """The index folder cannot be written (permissions, read-only file system)."""


class _LockedIndex(windex.FileIndex):
    """An index opened for an update, holding its write lock until :meth:`close`.

    The lock is taken before anything in the folder is read (see
    :func:`_open_for_update`), so its writers must not take it again: a second
    flock on the file from this process would wait for the first."""

    def __init__(self, storage, lock) -> None:
        super().__init__(storage, indexname=INDEX_NAME)
        self._write_lock = lock

    def writer(self, procs=1, **kwargs):
        from whoosh.writing import SegmentWriter

        if self._write_lock is None:
            raise IndexError_("the index was closed")
        kwargs.pop("timeout", None)
        kwargs.pop("delay", None)
        return SegmentWriter(self, _lk=False, **kwargs)

    def close(self) -> None:
        lock, self._write_lock = self._write_lock, None
        _release(lock)


def _release(lock) -> None:
    if lock is not None and getattr(lock, "fd", None) is not None:
        lock.release()


def index_busy(index_dir: Path) -> bool:
    """Is another process updating the index in ``index_dir`` right now
    (holding its write lock)? For telling the user why an update waits."""
    from whoosh.filedb.filestore import FileStorage

    if not (index_dir / LOCK_FILE).is_file():
        return False
    try:
        lock = FileStorage(str(index_dir)).lock(LOCK_FILE)
        if lock.acquire():
            lock.release()
            return False
    except OSError:
        return False
    return True


def _lock(index_dir: Path, wait: float):
    """Take the write lock of the index in ``index_dir`` (creating the folder),
    waiting up to ``wait`` seconds for another process to release it. A lock
    file left by a crash is no obstacle: the lock is an flock, which dies
    with its process."""
    from whoosh.filedb.filestore import FileStorage

    deadline = time.monotonic() + max(wait, 0.0)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileStorage(str(index_dir)).lock(LOCK_FILE)
        while not lock.acquire():
            if time.monotonic() >= deadline:
                raise IndexLocked("another reader process is updating this index; try again when it finishes")
            time.sleep(0.05)
    except OSError as exc:
        if index_dir.exists() and not index_dir.is_dir():
            raise IndexUnwritable(f"the index path {index_dir} is a file, not a folder") from exc
        raise IndexUnwritable(f"cannot write to the index folder {index_dir}: {exc.strerror or exc}") from exc
    return lock


def _open_for_update(corpus: Path, index_dir: Path, wait: float = 0.0) -> tuple[windex.Index, Manifest]:
    """Take the write lock (see :func:`_lock`), then open the index, or build
    an empty one when there is none, it has another schema version, or it is
    damaged (the corpus is the truth). The index holds the lock until closed."""
    lock = _lock(index_dir, wait)
    try:
        _remove_leftovers(index_dir)
        manifest = _read_manifest(index_dir)
        if manifest is not None and manifest.version == SCHEMA_VERSION:
            ix = None
            try:
                from whoosh.filedb.filestore import FileStorage

                ix = _LockedIndex(FileStorage(str(index_dir)), lock)
                _check_index(ix)
                if manifest.generation != ix.latest_generation():
                    # Killed between a commit and the manifest's rename: the
                    # index is the truth. Kept at once (we hold the lock), or
                    # an update with nothing to do would leave the stale one.
                    manifest = _manifest_from_index(ix, corpus)
                    _write_manifest(index_dir, manifest, ix)
                return ix, manifest
            except Exception:  # unreadable index: rebuild it
                if ix is not None:
                    ix._write_lock = None  # the lock goes on to the new index
        return _recreate(corpus, index_dir, lock)
    except BaseException:
        _release(lock)
        raise


def _remove_leftovers(index_dir: Path) -> None:
    """Remove what a killed update was writing: TOCs (Whoosh never does),
    the manifest, temporary folders. Only under the write lock: nobody else
    is writing them."""
    for child in index_dir.iterdir():
        name = child.name
        if (name.startswith(f"_{INDEX_NAME}_") and ".toc." in name) or (name.endswith(".tmp") and _is_index_file(name)):
            try:
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
            except OSError:
                pass  # harmless: only clutter


def _recreate(corpus: Path, index_dir: Path, lock) -> tuple[windex.Index, Manifest]:
    """Replace whatever is in ``index_dir`` by an empty index, under the lock.

    Crash-safe: the manifest goes first (with no manifest, the next update
    rebuilds again); the empty TOC is written atomically, at a generation
    above any old one (so a reader that had the old index open sees a change);
    only then are the old files deleted, so that the latest TOC never names a
    missing segment. The lock file itself is never deleted."""
    from whoosh.filedb.filestore import FileStorage

    try:
        (index_dir / MANIFEST).unlink(missing_ok=True)
        storage = FileStorage(str(index_dir))
        generation = windex.TOC._latest_generation(storage, INDEX_NAME) + 1
        windex.TOC(build_schema(), [], generation).write(storage, INDEX_NAME)
        _reset_dir(index_dir, keep={windex.TOC._filename(INDEX_NAME, generation)})
        ix = _LockedIndex(storage, lock)
        manifest = Manifest(
            generation=generation, files={}, corpus=str(corpus.resolve()), alias_sig=_alias_signature(corpus)
        )
        _write_manifest(index_dir, manifest, ix)
    except OSError as exc:
        raise IndexUnwritable(f"cannot rebuild the index in {index_dir}: {exc.strerror or exc}") from exc
    return ix, manifest


def _check_index(ix: windex.Index) -> None:
    """Raise if the index is visibly damaged. Opening an index reads only its
    TOC; this opens every segment and touches its files: the document count,
    the stored fields of the first and last documents, and their ids in the
    term dictionary and postings. Cheap: a few reads per segment, not per
    document."""
    with ix.reader() as reader:
        for sub, _ in reader.leaf_readers():
            n = sub.doc_count_all()
            for docnum in sorted({0, n - 1}) if n else ():
                doc_id = sub.stored_fields(docnum)["id"]
                if not sub.is_deleted(docnum) and docnum not in set(sub.postings("id", doc_id).all_ids()):
                    raise ValueError(f"document {docnum} is not under its id {doc_id!r}")


def _manifest_from_index(ix: windex.Index, corpus: Path) -> Manifest:
    """Recover the manifest from signatures stored in the index (after a crash)."""
    files: dict[str, str] = {}
    with ix.reader() as reader:
        for _, fields in reader.iter_docs():
            sig = fields.get("sig", "")
            # A container's entries carry content hashes, not the file's
            # signature: mark the file for a re-read (cheap: unchanged
            # entries are not analysed again).
            files[fields["path"]] = "reread" if sig.startswith("entry:") else sig
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
            skips={str(k): [[str(a), str(b)] for a, b in v] for k, v in dict(data.get("skips", {})).items()},
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
        "skips": manifest.skips,
        "files": manifest.files,
    }
    text = json.dumps(payload)  # C encoder: json.dump() to a file encodes in Python, 5x slower
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / MANIFEST)


def _reset_dir(index_dir: Path, keep: set[str] | frozenset[str] = frozenset()) -> None:
    """Empty the index folder, but only of what an index holds (a folder given
    by mistake keeps its other files), and never of the write lock file (its
    holder would lose the lock: another process could lock a new file of the
    same name) or of the names in ``keep``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    for child in index_dir.iterdir():
        if child.name == LOCK_FILE or child.name in keep:
            continue
        if _is_index_file(child.name):
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _is_index_file(name: str) -> bool:
    """A file (or folder) that an index or an update creates in the index folder."""
    if name in (MANIFEST, MANIFEST + ".tmp", INDEX_NAME + ".tmp"):  # MAIN.tmp: Whoosh's temp storage
        return True
    if name.startswith(f"_{INDEX_NAME}_"):  # TOCs, and TOCs being written
        return True
    if name.startswith("segments-") and name.endswith(".tmp"):  # segments an update was building
        return True
    stem, dot, _ = name.partition(".")  # segment files: MAIN_<id>.seg, MAIN_<id>.trm, ...
    return bool(dot) and stem.startswith(f"{INDEX_NAME}_") and stem[len(INDEX_NAME) + 1 :].isalnum()


def ensure_index(
    corpus: Path, index_dir: Path, progress: Progress | None = None
) -> tuple[IndexReport | None, str | None]:
    """Update the index if possible; if another process holds the lock but an
    index exists, carry on read-only. Returns the report (None when read-only)
    and a notice for the user, if any."""
    try:
        return update_index(corpus, index_dir, progress=progress, wait=1.0), None
    except (IndexLocked, IndexUnwritable) as exc:  # being updated, or a read-only folder
        if index_exists(index_dir):
            return None, f"{exc}; using the index as it is (read-only)"
        raise
