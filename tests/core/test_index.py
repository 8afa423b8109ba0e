"""Incremental updates, crash recovery and what a bad file must not break."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from whoosh import index as windex

from conftest import ID_003
from reader.core.index import MANIFEST, IndexError_, ensure_index, index_exists, update_index
from reader.core.pipeline import Analyser
from reader.core.search import SearchEngine

FAST = Analyser(enabled=False)  # these tests are about bookkeeping, not extraction


def count(index_dir: Path, q: str = "") -> int:
    eng = SearchEngine(index_dir)
    try:
        return eng.search(q).total
    finally:
        eng.close()


def test_first_build_then_nothing_to_do(corpus, index_dir):
    first = update_index(corpus, index_dir, analyser=FAST)
    assert len(first.added) == 3 and not first.updated and not first.removed
    second = update_index(corpus, index_dir, analyser=FAST)
    assert not second.changed and second.unchanged == 3


def test_add_change_delete(corpus, index_dir):
    update_index(corpus, index_dir, analyser=FAST)
    (corpus / "new.md").write_text("# Zebra news\n\nA zebra appeared.\n")
    report = update_index(corpus, index_dir, analyser=FAST)
    assert report.added == ["new"] and report.unchanged == 3
    assert count(index_dir, "zebra") == 1

    path = corpus / "new.md"
    path.write_text("# Giraffe news\n\nA giraffe appeared instead.\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    report = update_index(corpus, index_dir, analyser=FAST)
    assert report.updated == ["new"] and not report.added
    assert count(index_dir, "zebra") == 0 and count(index_dir, "giraffe") == 1

    path.unlink()
    report = update_index(corpus, index_dir, analyser=FAST)
    assert report.removed == ["new"]
    assert count(index_dir) == 3


def test_only_changed_files_are_read(corpus, index_dir, monkeypatch):
    update_index(corpus, index_dir, analyser=FAST)
    (corpus / "extra.txt").write_text("Extra headline here\n\nBody.\n")
    read = []
    import reader.core.index as index_module

    real_load = index_module.load
    monkeypatch.setattr(index_module, "load", lambda root, src: read.append(src.id) or real_load(root, src))
    update_index(corpus, index_dir, analyser=FAST)
    assert read == ["extra"]


def test_sidecar_change_reindexes_article(corpus, index_dir):
    update_index(corpus, index_dir, analyser=FAST)
    sidecar = corpus / "004_8aeb1d78dd88faa9.meta.toml"
    sidecar.write_text('date = 2020-01-01\nsource = "Bloomberg News"\n')
    report = update_index(corpus, index_dir, analyser=FAST)
    assert report.updated == ["004_8aeb1d78dd88faa9"]
    assert count(index_dir, "date:2020") == 1


def test_new_sidecar_for_article_without_one_is_read(corpus, index_dir):
    """An article's sidecar is read only if the scan saw one: a sidecar added
    later must still reach the index on the next update."""
    update_index(corpus, index_dir, analyser=FAST)
    (corpus / f"{ID_003}.meta.toml").write_text('date = 2019-05-06\nsource = "Sidecar Wire"\n')
    report = update_index(corpus, index_dir, analyser=FAST)
    assert report.updated == [ID_003]
    assert count(index_dir, "date:2019-05-06") == 1


def test_unreadable_file_keeps_its_indexed_version(corpus, index_dir):
    update_index(corpus, index_dir, analyser=FAST)
    path = corpus / f"{ID_003}.txt"
    path.write_bytes(b"\x00\x00binary now\x00")
    report = update_index(corpus, index_dir, analyser=FAST)
    assert [s.path for s in report.skipped] == [f"{ID_003}.txt"]
    assert count(index_dir, "Pinduoduo") == 1  # the old version is still searchable


def test_stale_manifest_after_crash_is_recovered(corpus, index_dir):
    """A crash between a commit and the manifest write leaves an old manifest:
    the next update must still end with exactly the corpus in the index."""
    update_index(corpus, index_dir, analyser=FAST)
    stale = json.loads((index_dir / MANIFEST).read_text())
    (corpus / "late.txt").write_text("Late headline words\n\nLate body.\n")
    update_index(corpus, index_dir, analyser=FAST)
    (index_dir / MANIFEST).write_text(json.dumps(stale))  # as if the manifest write never happened
    (corpus / "late.txt").unlink()
    report = update_index(corpus, index_dir, analyser=FAST)
    assert report.removed == ["late"]
    assert count(index_dir) == 3


def test_corrupt_manifest_rebuilds(corpus, index_dir):
    update_index(corpus, index_dir, analyser=FAST)
    (index_dir / MANIFEST).write_text("{not json")
    report = update_index(corpus, index_dir, analyser=FAST)
    assert len(report.added) == 3
    assert count(index_dir) == 3


def test_user_alias_file_takes_effect_on_next_update(corpus, index_dir):
    from reader.core.aggregate import entity_rows

    (corpus / "zz.txt").write_text("Frobnitz news today\n\nOfficials at the Frobnitz Bureau met on Friday.\n")
    update_index(corpus, index_dir)
    (corpus / "aliases.toml").write_text(
        '[[org]]\nname = "Frobnitz Regulatory Bureau"\nkind = "agency"\naliases = ["Frobnitz Bureau"]\n'
    )
    report = update_index(corpus, index_dir)
    assert len(report.updated) == 4  # every article analysed again
    eng = SearchEngine(index_dir)
    try:
        names = {r.name for r in entity_rows(eng.all_stored(["id", "body", "entities"]))}
    finally:
        eng.close()
    assert "Frobnitz Regulatory Bureau" in names and "Frobnitz Bureau" not in names
    assert not update_index(corpus, index_dir).changed


def test_empty_query_is_newest_first_on_many_articles(tmp_path, index_dir):
    import datetime as dt
    import random

    corpus = tmp_path / "many"
    corpus.mkdir()
    rng = random.Random(7)
    days = rng.sample(range(3000), 60)
    for i, day in enumerate(days):
        date = dt.date(2010, 1, 1) + dt.timedelta(days=day)
        (corpus / f"a{i:02d}.md").write_text(f"---\ntitle: Story {i}\ndate: {date}\n---\nCommon words and story {i}.\n")
    (corpus / "undated.md").write_text("# Undated story\n\nCommon words.\n")
    update_index(corpus, index_dir, analyser=FAST)
    eng = SearchEngine(index_dir)
    try:
        for result in (eng.search(""), eng.search("common", sort="date")):
            hits = eng.hits(result, 0, 100)
            dates = [h.date for h in hits if h.date]
            assert len(hits) == 61 and dates == sorted(dates, reverse=True)
            assert hits[-1].id == "undated"  # no date sorts last
    finally:
        eng.close()


# -- the write lock, rebuilds and damaged files ------------------------------


def _damage_segment(index_dir: Path) -> None:
    [seg] = [p for p in index_dir.iterdir() if p.suffix == ".seg"]
    data = seg.read_bytes()
    seg.write_bytes(data[: len(data) // 2])


def test_update_waits_for_the_write_lock_then_fails_without_touching_the_index(corpus, index_dir):
    """The lock is taken before the manifest is read: not even a rebuild
    (no manifest) may delete the lock file or the holder's files."""
    from reader.core.index import IndexLocked

    update_index(corpus, index_dir, analyser=FAST)
    (index_dir / MANIFEST).unlink()  # would force a rebuild
    holder = windex.open_dir(str(index_dir)).writer()  # an flock: excludes other open files, in-process too
    try:
        before = sorted(p.name for p in index_dir.iterdir())
        started = time.perf_counter()
        with pytest.raises(IndexLocked, match="another reader process is updating this index"):
            update_index(corpus, index_dir, analyser=FAST, wait=0.3)
        assert time.perf_counter() - started >= 0.3
        assert sorted(p.name for p in index_dir.iterdir()) == before
        holder.add_document(id="held", path="held.txt", title="held", body="held", sig="1:1")
    finally:
        holder.commit()  # the holder's commit still works: its files and lock were left alone
    report = update_index(corpus, index_dir, analyser=FAST)  # rebuilt: no manifest
    assert len(report.added) == 3
    assert count(index_dir) == 3


def test_ensure_index_goes_read_only_while_another_process_writes(corpus, index_dir):
    update_index(corpus, index_dir, analyser=FAST)
    (corpus / "new.md").write_text("# Zebra news\n\nA zebra appeared.\n")
    holder = windex.open_dir(str(index_dir)).writer()
    try:
        report, notice = ensure_index(corpus, index_dir)
    finally:
        holder.cancel()
    assert report is None and "another reader process" in notice and "read-only" in notice
    assert count(index_dir) == 3


def test_the_lock_is_held_for_the_whole_update_and_released_after(corpus, index_dir, monkeypatch):
    """No other writer can slip in between the intermediate commits."""
    import reader.core.index as index

    monkeypatch.setattr(index, "COMMIT_EVERY", 1)
    seen = []
    real = index._write_manifest

    def write_manifest(index_dir_, manifest, ix):
        real(index_dir_, manifest, ix)
        try:
            windex.open_dir(str(index_dir_)).writer(timeout=0).cancel()
            seen.append("free")
        except windex.LockError:
            seen.append("held")

    monkeypatch.setattr(index, "_write_manifest", write_manifest)
    update_index(corpus, index_dir, analyser=FAST)
    assert len(seen) >= 3 and set(seen) == {"held"}, seen
    windex.open_dir(str(index_dir)).writer(timeout=0).cancel()  # released at the end


def test_rebuild_moves_to_a_newer_generation(corpus, index_dir):
    """A rebuild never reuses a generation: a reader with the old index open sees the change."""
    update_index(corpus, index_dir, analyser=FAST)
    old = windex.open_dir(str(index_dir)).latest_generation()
    (index_dir / MANIFEST).unlink()
    update_index(corpus, index_dir, analyser=FAST)
    assert windex.open_dir(str(index_dir)).latest_generation() > old
    assert (index_dir / "MAIN_WRITELOCK").exists()
    assert count(index_dir) == 3


def test_damaged_segment_is_rebuilt_and_search_fails_in_one_line(corpus, index_dir, tmp_path):
    update_index(corpus, index_dir, analyser=FAST)
    _damage_segment(index_dir)
    other = tmp_path / "other"
    shutil.copytree(index_dir, other)
    assert index_exists(other)  # the TOC and manifest are fine: only reading tells
    with pytest.raises(IndexError_) as caught:
        SearchEngine(other).search("")
    message = str(caught.value)
    assert "\n" not in message and "cannot read the index" in message and "reader index" in message
    report = update_index(corpus, index_dir, analyser=FAST)
    assert len(report.added) == 3
    assert count(index_dir) == 3


def test_damaged_toc_is_not_an_index_and_is_rebuilt(corpus, index_dir):
    update_index(corpus, index_dir, analyser=FAST)
    [toc] = [p for p in index_dir.iterdir() if p.suffix == ".toc"]
    toc.write_bytes(toc.read_bytes()[:20])
    assert not index_exists(index_dir)
    with pytest.raises(IndexError_):
        SearchEngine(index_dir)
    report = update_index(corpus, index_dir, analyser=FAST)
    assert len(report.added) == 3
    assert count(index_dir) == 3


def test_an_unwritable_index_folder_is_used_read_only(corpus, index_dir, monkeypatch):
    import reader.core.index as index

    update_index(corpus, index_dir, analyser=FAST)

    def unwritable(index_dir_, wait):
        raise index.IndexUnwritable(f"cannot write to the index folder {index_dir_}: Read-only file system")

    monkeypatch.setattr(index, "_lock", unwritable)
    report, notice = ensure_index(corpus, index_dir)
    assert report is None and "Read-only file system" in notice and notice.endswith("(read-only)")
    assert count(index_dir) == 3


def test_an_index_path_that_is_a_file_is_one_clear_error(corpus, tmp_path):
    path = tmp_path / "not-a-folder"
    path.write_text("precious")
    with pytest.raises(IndexError_, match="is a file, not a folder"):
        update_index(corpus, path, analyser=FAST)
    assert path.read_text() == "precious"


def test_a_rebuild_deletes_only_index_files(corpus, index_dir):
    """An index folder given by mistake (a folder of the user's) keeps the user's files."""
    index_dir.mkdir()
    mine = {"notes.json": "{}", "todo.tmp": "x", "app.lock": "", "MAIN.txt": "main", "readme.seg.bak": "b"}
    for name, text in mine.items():
        (index_dir / name).write_text(text)
    update_index(corpus, index_dir, analyser=FAST)
    (index_dir / MANIFEST).unlink()  # the next update rebuilds
    update_index(corpus, index_dir, analyser=FAST)
    assert {name: (index_dir / name).read_text() for name in mine} == mine
    assert count(index_dir) == 3


def test_index_busy_only_while_a_writer_holds_the_lock(corpus, index_dir):
    from reader.core.index import index_busy

    assert not index_busy(index_dir) and not index_dir.exists()  # asks, creates nothing
    update_index(corpus, index_dir, analyser=FAST)
    assert not index_busy(index_dir)
    holder = windex.open_dir(str(index_dir)).writer()
    try:
        assert index_busy(index_dir)
    finally:
        holder.cancel()
    assert not index_busy(index_dir)


def test_retrying_a_skipped_file_writes_nothing(corpus, index_dir):
    """A bad file is tried again on every update (it may have been fixed), but
    when nothing changed no commit happens: no new generation, no merging."""
    (corpus / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    update_index(corpus, index_dir, analyser=FAST)
    generation = windex.open_dir(str(index_dir)).latest_generation()
    report = update_index(corpus, index_dir, analyser=FAST)
    assert [s.path for s in report.skipped] == ["junk.txt"] and not report.changed
    assert windex.open_dir(str(index_dir)).latest_generation() == generation
    assert count(index_dir) == 3


def test_updates_merge_only_small_segments(corpus, index_dir, monkeypatch):
    import reader.core.index as index_module

    monkeypatch.setattr(index_module, "SMALL_SEGMENT", 2)
    update_index(corpus, index_dir, analyser=FAST)  # one segment of 3: "big" here
    sizes = lambda: sorted(s.doc_count_all() for s in windex.open_dir(str(index_dir))._segments())  # noqa: E731
    assert sizes() == [3]
    for n in range(3):
        (corpus / f"n{n}.md").write_text(f"# Note {n}\n\nSmall update number {n}.\n")
        update_index(corpus, index_dir, analyser=FAST)
    # [3, 1] -> [3, 1, 1] -> the two small ones folded into the third update's: [3, 3];
    # the first (big) segment is never rewritten
    assert sizes() == [3, 3]
    assert count(index_dir) == 6


def test_a_manifest_left_behind_by_a_crash_is_written_again_even_with_nothing_to_do(corpus, index_dir):
    """A kill between a commit and the manifest's rename leaves the manifest
    of the generation before. The next update recovers it from the index;
    with nothing left to index it used to return without writing it, so the
    stale manifest stayed on disk (seen in the crash tests once builds got
    faster)."""
    update_index(corpus, index_dir, analyser=FAST)
    stale = (index_dir / MANIFEST).read_text(encoding="utf-8")
    (corpus / "later.md").write_text('+++\ntitle = "Later"\ndate = 2021-10-20\n+++\nTencent said.\n', encoding="utf-8")
    update_index(corpus, index_dir, analyser=FAST)
    (index_dir / MANIFEST).write_text(stale, encoding="utf-8")  # as if killed before the manifest's rename

    report = update_index(corpus, index_dir, analyser=FAST)
    assert not report.changed and report.unchanged == 4
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    assert "later.md" in manifest["files"]
    assert manifest["generation"] == windex.open_dir(str(index_dir)).latest_generation()
