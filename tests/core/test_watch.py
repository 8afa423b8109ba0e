"""The corpus-folder watcher, on its own (no UI)."""

from __future__ import annotations

import queue
import shutil
import threading
import time
from pathlib import Path

import pytest

from reader.core.watch import ROOT, Batch, is_relevant, watch_folder

WAIT = 10.0  # generous: a batch normally arrives within ~0.5 s


class Watcher:
    """watch_folder in a thread; batches and readiness through queues."""

    def __init__(self, root: Path, **options) -> None:
        self.stop = threading.Event()
        self.batches: queue.Queue[Batch] = queue.Queue()
        self.modes: queue.Queue[str] = queue.Queue()
        self.error: BaseException | None = None
        options.setdefault("debounce_ms", 300)
        options.setdefault("step_ms", 50)
        self.thread = threading.Thread(target=self._run, args=(root, options), daemon=True)
        self.thread.start()

    def _run(self, root: Path, options: dict) -> None:
        try:
            for batch in watch_folder(root, self.stop, on_ready=self.modes.put, **options):
                self.batches.put(batch)
        except BaseException as exc:  # surfaced by the test
            self.error = exc

    def ready(self) -> str:
        return self.modes.get(timeout=WAIT)

    def until(self, predicate, timeout: float = WAIT) -> list[Batch]:
        """Batches received until one satisfies ``predicate`` (all of them, in order)."""
        seen: list[Batch] = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching batch in {timeout} s; got {seen} (error: {self.error})")
            try:
                batch = self.batches.get(timeout=left)
            except queue.Empty:
                continue
            seen.append(batch)
            if predicate(batch):
                return seen

    def close(self) -> float:
        """Stop; how long it took the thread to end."""
        started = time.monotonic()
        self.stop.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive(), "watcher did not stop"
        return time.monotonic() - started


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "one.txt").write_text("One\n\nThe first article.\n", encoding="utf-8")
    return root


@pytest.fixture
def watcher_factory():
    made: list[Watcher] = []

    def make(root: Path, **options) -> Watcher:
        w = Watcher(root, **options)
        made.append(w)
        return w

    yield make
    for w in made:
        if w.thread.is_alive():
            w.close()


def test_batch_for_added_changed_and_removed_files(folder, watcher_factory):
    w = watcher_factory(folder)
    assert w.ready() == "notify"
    (folder / "sub").mkdir()
    w.until(lambda b: "sub" in b.paths)  # (a new folder is watched once it is seen)
    (folder / "sub" / "two.md").write_text("Two\n\nA second one.\n", encoding="utf-8")
    w.until(lambda b: "sub/two.md" in b.paths)
    (folder / "one.txt").write_text("One\n\nEdited.\n", encoding="utf-8")
    w.until(lambda b: "one.txt" in b.paths)
    (folder / "sub" / "two.md").unlink()
    batches = w.until(lambda b: "sub/two.md" in b.paths)
    assert all(b.notice is None and not b.polling for b in batches)
    assert w.error is None


def test_a_burst_of_changes_comes_as_few_batches(folder, watcher_factory):
    w = watcher_factory(folder, debounce_ms=1000, step_ms=300)
    w.ready()
    for i in range(20):
        (folder / f"burst-{i:02d}.txt").write_text(f"Burst {i}\n\nText.\n", encoding="utf-8")
    names = {f"burst-{i:02d}.txt" for i in range(20)}
    got: set[str] = set()
    batches = w.until(lambda b: (got.update(b.paths) or names <= got))
    assert len(batches) <= 3


def test_dot_files_and_ignored_folders_do_not_count(folder, watcher_factory):
    index = folder / "index"
    index.mkdir()
    w = watcher_factory(folder, ignore=[index])
    w.ready()
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    (folder / ".reader").mkdir()
    (folder / ".reader" / "cache.json").write_text("{}", encoding="utf-8")
    (folder / "index" / "MAIN_1.toc").write_text("x", encoding="utf-8")
    (folder / "draft.txt~").write_text("x", encoding="utf-8")
    (folder / "marker.txt").write_text("Marker\n\nText.\n", encoding="utf-8")
    batches = w.until(lambda b: "marker.txt" in b.paths)
    paths = {p for b in batches for p in b.paths}
    assert paths == {"marker.txt"}, paths


def test_is_relevant():
    assert is_relevant("a.txt") and is_relevant("deep/er/b.md") and is_relevant(ROOT)
    assert is_relevant("some-folder")  # a removed folder may have held articles
    assert is_relevant(".reader/aliases.toml")  # the alias file changes the index
    assert not is_relevant(".git/index") and not is_relevant("a/.hidden.txt") and not is_relevant(".reader/x")
    assert not is_relevant("a.txt~") and not is_relevant("a.txt.swp")


def test_stop_event_stops_it_quickly(folder, watcher_factory):
    w = watcher_factory(folder, step_ms=50)
    w.ready()
    assert w.close() < 1.0
    assert w.error is None


def test_stop_event_stops_polling_quickly(folder, watcher_factory):
    w = watcher_factory(folder, force_polling=True, poll_seconds=30.0)
    assert w.ready() == "polling"
    assert w.close() < 1.0


def test_polling_sees_added_changed_and_removed_articles(folder, watcher_factory):
    w = watcher_factory(folder, force_polling=True, poll_seconds=0.2)
    assert w.ready() == "polling"
    (folder / "two.txt").write_text("Two\n\nText.\n", encoding="utf-8")
    w.until(lambda b: b.paths == ("two.txt",) and b.polling)
    (folder / "one.txt").write_text("One\n\nA longer, edited text.\n", encoding="utf-8")
    w.until(lambda b: b.paths == ("one.txt",))
    (folder / "two.txt").unlink()
    w.until(lambda b: b.paths == ("two.txt",))


def test_deleted_folder_is_reported_and_watched_again_when_back(folder, watcher_factory):
    w = watcher_factory(folder, poll_seconds=0.2)
    assert w.ready() == "notify"
    shutil.rmtree(folder)
    gone = w.until(lambda b: b.notice is not None)
    assert "gone" in gone[-1].notice and gone[-1].polling
    assert w.ready() == "polling"
    folder.mkdir()
    (folder / "back.txt").write_text("Back\n\nAgain.\n", encoding="utf-8")
    back = w.until(lambda b: ROOT in b.paths)[-1]
    assert "is back" in back.notice
    assert w.ready() == "notify"
    (folder / "later.txt").write_text("Later\n\nText.\n", encoding="utf-8")
    w.until(lambda b: "later.txt" in b.paths)
    assert w.close() < 1.0


def test_missing_folder_is_reported_not_raised(tmp_path, watcher_factory):
    missing = tmp_path / "nowhere"
    w = watcher_factory(missing, poll_seconds=0.2)
    first = w.until(lambda b: b.notice is not None)
    assert "not found" in first[-1].notice
    assert w.ready() == "polling"
    assert w.close() < 1.0
    assert w.error is None


def test_unwatchable_folder_falls_back_to_polling(folder, watcher_factory, monkeypatch):
    import watchfiles

    def broken(*args, **kwargs):
        raise OSError("inotify watch limit reached")
        yield  # pragma: no cover

    monkeypatch.setattr(watchfiles, "watch", broken)
    w = watcher_factory(folder, poll_seconds=0.2)
    notice = w.until(lambda b: b.notice is not None)[-1]
    assert "inotify watch limit reached" in notice.notice and notice.polling
    assert w.ready() == "polling"
    (folder / "two.txt").write_text("Two\n\nText.\n", encoding="utf-8")
    w.until(lambda b: "two.txt" in b.paths)
