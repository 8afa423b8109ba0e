"""Crash safety and concurrency of ``reader index``, run as a user runs it.

Every scenario drives the real command line in subprocesses:

1. SIGKILL at any moment (timed kills across a measured build, and kills
   injected at exact points: after a commit, before the TOC or manifest
   rename, while extraction workers are busy) must leave an index that opens
   or is cleanly absent; the next run must end with exactly the corpus.
2. A stale Whoosh lock file (no holder) must not block; a held one must make
   ``reader index`` wait, then fail with one line, while search goes read-only.
3. Two ``reader index`` processes at once must not corrupt or duplicate.
4. Corrupt index files: the corpus is the truth, the next update rebuilds.

Children run in their own session (process group) and write to files, not
pipes: extraction workers orphaned by a SIGKILL would otherwise keep a pipe
open. The group is killed before its leader is reaped (a zombie leader keeps
the group id from being reused), so no worker outlives a test.

Known bugs are ``xfail(strict=True, raises=...)`` with a narrow exception type,
so that any other failure in the same test still fails.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.core.index import MANIFEST, IndexError_, open_index, update_index
from reader.core.pipeline import Analyser
from reader.core.search import SearchEngine

pytestmark = pytest.mark.skipif(
    not hasattr(os, "killpg") or not hasattr(os, "waitid"), reason="needs POSIX process groups and waitid"
)

FAST = Analyser(enabled=False)
BIG = 220  # >= PARALLEL_MIN (200): the build uses extraction worker processes
SMALL = 40
COMMIT_EVERY = 80  # patched into the child: at least 3 commits in mid-run (how many depends on batching)
LOCKED_MSG = "error: another reader process is updating this index; try again when it finishes"
TOC_NAME = re.compile(r"^_MAIN_(\d+)\.toc$")
SUMMARY = re.compile(r"(\d+) added, (\d+) updated, (\d+) removed, (\d+) unchanged, (\d+) skipped")


# -- known bugs (see the xfail reasons) -------------------------------------


class KnownBug(AssertionError):
    pass


class NotRebuilt(KnownBug):
    """A corrupt index survived `reader index`."""


class DuplicateArticles(KnownBug):
    """The same article id is indexed more than once."""


class LockIgnored(KnownBug):
    """`reader index` wrote to an index another process holds the write lock of."""


class OrphanedWorkers(KnownBug):
    """Extraction workers outlived their SIGKILLed parent."""


class RaceDamage(KnownBug):
    """Two concurrent updates left an index that is not exactly the corpus."""


# -- corpus -----------------------------------------------------------------


def word(i: int) -> str:
    """A made-up word unique to article ``i`` (letters only: one token)."""
    n, s = i + 26 * 26, ""
    while n:
        n, r = divmod(n, 26)
        s = chr(97 + r) + s
    return "zq" + s


def article_id(i: int) -> str:
    return f"a{i:04d}"


def file_of(article: str) -> str:
    """The corpus file of an article (the manifest is keyed by file path)."""
    return f"{article}.txt"


def write_article(corpus: Path, i: int) -> None:
    (corpus / f"{article_id(i)}.txt").write_text(
        f"Story {word(i)} headline number {i}\n\n"
        f"Reuters reported on 3 March 2021 that the Federal Reserve met officials of Goldman Sachs. "
        f"The {word(i)} matter was discussed at length. Common filler text gives the indexer work.\n",
        encoding="utf-8",
    )


def make_corpus(corpus: Path, n: int) -> set[str]:
    corpus.mkdir(parents=True)
    for i in range(n):
        write_article(corpus, i)
    return {article_id(i) for i in range(n)}


# -- child processes --------------------------------------------------------

# Runs the real CLI after test-only patches read from the environment (src has
# no hooks for these): a smaller COMMIT_EVERY for commits in mid-run, a fixed
# worker count, a slower writer, a probe of the write lock when the update
# starts, and a SIGKILL of the main process at an exact point.
BOOT = r"""
import os, signal, sys
import reader.core.index as index
import reader.cli as cli
if os.environ.get("READER_TEST_COMMIT_EVERY"):
    index.COMMIT_EVERY = int(os.environ["READER_TEST_COMMIT_EVERY"])
if os.environ.get("READER_TEST_WORKERS"):
    import functools
    cli.update_index = functools.partial(index.update_index, workers=int(os.environ["READER_TEST_WORKERS"]))
if os.environ.get("READER_TEST_SLOW"):  # hold the write lock longer: a pause per document
    import time
    import whoosh.writing as ww
    pause = float(os.environ["READER_TEST_SLOW"])
    slow_add = ww.SegmentWriter.add_document
    def add_document(self, **fields):
        time.sleep(pause)
        slow_add(self, **fields)
    ww.SegmentWriter.add_document = add_document
if os.environ.get("READER_TEST_PROBE_LOCK"):  # report whether the write lock is held on entry
    import fcntl
    real_update = cli.update_index
    def probed(corpus, index_dir, *a, **k):
        state = "unlocked"
        try:
            fd = os.open(os.path.join(index_dir, "MAIN_WRITELOCK"), os.O_RDONLY)
        except OSError:
            pass
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                state = "locked"
            os.close(fd)
        print("probe: " + state, file=sys.stderr, flush=True)
        return real_update(corpus, index_dir, *a, **k)
    cli.update_index = probed
crash = os.environ.get("READER_TEST_CRASH")
if crash:
    what, _, nth = crash.partition(":")
    seen = [0]
    def die():
        import multiprocessing  # say how many extraction workers see their parent die
        print(f"crash: {len(multiprocessing.active_children())} workers", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # this process only: workers live on
    def hit():
        seen[0] += 1
        if seen[0] == int(nth):
            die()
    import whoosh.writing as ww
    from whoosh.filedb.filestore import FileStorage
    if what == "progress":  # progress reported for n articles (workers busy with the rest)
        orig_progress = cli.ProgressBar.__call__
        def progress(self, done, total):
            orig_progress(self, done, total)
            if done >= int(nth):
                die()
        cli.ProgressBar.__call__ = progress
    elif what == "commit":  # the nth commit is on disk, its manifest is not
        orig_commit = ww.SegmentWriter.commit
        def commit(self, *a, **k):
            orig_commit(self, *a, **k)
            hit()
        ww.SegmentWriter.commit = commit
    elif what == "toc":  # segment files and a temp TOC written, not yet renamed into place
        orig_rename = FileStorage.rename_file
        def rename_file(self, frm, to, safe=False):
            if to.endswith(".toc"):
                hit()
            return orig_rename(self, frm, to, safe)
        FileStorage.rename_file = rename_file
    elif what == "manifest":  # manifest.json.tmp written and synced, not yet renamed
        orig_replace = os.replace
        def replace(src, dst, *a, **k):
            if str(dst).endswith("manifest.json"):
                hit()
            return orig_replace(src, dst, *a, **k)
        os.replace = replace
    else:
        raise SystemExit("bad READER_TEST_CRASH " + crash)
sys.exit(cli.main())
"""

# Holds the Whoosh write lock of an index (with one uncommitted document)
# until a line arrives on stdin, then commits.
HOLDER = r"""
import sys
from whoosh import index
ix = index.open_dir(sys.argv[1])
w = ix.writer()
# What another reader process writes: a document with a path and a signature.
w.add_document(id="held-doc", path="held-doc.txt", title="held", body="held document", sig="1:1")
print("locked", flush=True)
sys.stdin.readline()
w.commit()
print("committed", flush=True)
"""


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class Result:
    rc: int
    out: str
    err: str
    seconds: float


class Proc:
    """A child in its own session; output goes to files (see the module doc)."""

    count = 0  # numbers the output files

    def __init__(self, argv: list[str], tmp: Path, env: dict[str, str] | None = None, stdin=subprocess.DEVNULL):
        Proc.count += 1
        self.out_path = tmp / f"proc{Proc.count}.out"
        self.err_path = tmp / f"proc{Proc.count}.err"
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.started = time.perf_counter()
            self.p = subprocess.Popen(
                argv, stdout=out, stderr=err, stdin=stdin, env=env or child_env(), start_new_session=True
            )
        self.pid = self.p.pid
        self.reaped = False
        self.seconds = 0.0

    def exited(self) -> bool:
        """True once the leader has exited (it is left unreaped, as a zombie)."""
        if self.reaped:
            return True
        if os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is None:
            return False
        if not self.seconds:
            self.seconds = time.perf_counter() - self.started
        return True

    def wait_exit(self, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while not self.exited():
            if time.perf_counter() > deadline:
                self.finish()
                pytest.fail(f"child {self.p.args[:4]} still running after {timeout}s")
            time.sleep(0.01)

    def kill_group(self) -> None:
        if self.reaped:
            return
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def group_alive(self) -> list[int]:
        """Live (non-zombie) members of the child's process group (Linux /proc)."""
        members = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == self.pid and state != "Z":
                members.append(int(entry))
        return members

    def finish(self) -> Result:
        """Kill what is left of the group, reap the leader, return its output."""
        self.exited()
        self.kill_group()
        rc = self.p.wait()
        if self.p.stdin and not self.p.stdin.closed:
            with contextlib.suppress(OSError):
                self.p.stdin.close()
        self.reaped = True
        if not self.seconds:
            self.seconds = time.perf_counter() - self.started
        return Result(
            rc, self.out_path.read_text(errors="replace"), self.err_path.read_text(errors="replace"), self.seconds
        )


@pytest.fixture
def procs(tmp_path):
    """Start children; whatever happens, no child or worker outlives the test."""
    started: list[Proc] = []

    def start(argv: list[str], env: dict[str, str] | None = None, stdin=subprocess.DEVNULL) -> Proc:
        proc = Proc(argv, tmp_path, env, stdin)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.finish()


def reader_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "reader", *args]


def boot_argv(*args: str) -> list[str]:
    return [sys.executable, "-c", BOOT, *args]


def run(start, argv: list[str], timeout: float = 60, env: dict[str, str] | None = None) -> Result:
    proc = start(argv, env)
    proc.wait_exit(timeout)
    return proc.finish()


def index_cmd(start, corpus: Path, index: Path, timeout: float = 60) -> Result:
    return run(start, reader_argv("index", "--corpus", str(corpus), "--index", str(index)), timeout)


def search_cmd(start, corpus: Path, index: Path, query: str) -> Result:
    return run(start, reader_argv("search", query, "--json", "--corpus", str(corpus), "--index", str(index)))


def summary(result: Result) -> tuple[int, int, int, int, int]:
    match = SUMMARY.search(result.out)
    assert match, f"no summary in {result.out!r} (stderr {result.err!r})"
    return tuple(int(x) for x in match.groups())  # type: ignore[return-value]


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err


def assert_one_line_error(result: Result) -> None:
    assert_no_traceback(result)
    lines = result.err.strip().splitlines()
    assert result.rc == 2 and len(lines) == 1 and lines[0].startswith("error: "), (result.rc, result.err)


def assert_finds(result: Result, i: int) -> None:
    """A successful JSON search for word(i) found exactly article i."""
    assert_no_traceback(result)
    assert result.rc == 0, result.err
    data = json.loads(result.out)
    assert data["total"] == 1 and data["hits"][0]["id"] == article_id(i), data


# -- looking at an index in place -------------------------------------------


def has_toc(index: Path) -> bool:
    return index.is_dir() and any(p.name.startswith("_MAIN_") and p.name.endswith(".toc") for p in index.iterdir())


def has_generation(index: Path, generation: int) -> bool:
    try:
        return any((m := TOC_NAME.match(name)) and int(m[1]) >= generation for name in os.listdir(index))
    except FileNotFoundError:
        return False


def indexed_ids(index: Path) -> list[str]:
    ix = open_index(index)
    try:
        with ix.searcher() as searcher:
            return [fields["id"] for fields in searcher.all_stored_fields()]
    finally:
        ix.close()


def manifest_of(index: Path) -> dict | None:
    try:
        return json.loads((index / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def assert_consistent_after_kill(index: Path, corpus_ids: set[str]) -> None:
    """What a SIGKILL may leave: no index at all, or one that opens, holds a
    subset of the corpus once each, and a manifest never ahead of it."""
    if not has_toc(index):
        with pytest.raises(IndexError_):
            open_index(index)
        return
    ids = indexed_ids(index)
    assert len(ids) == len(set(ids)), "duplicate ids after a kill"
    assert set(ids) <= corpus_ids
    manifest = manifest_of(index)
    if manifest is not None:
        ix = open_index(index)
        try:
            latest = ix.latest_generation()
        finally:
            ix.close()
        assert manifest["generation"] <= latest
        if manifest["generation"] == latest:
            assert set(manifest["files"]) == {file_of(i) for i in ids}, "manifest at the index's generation lists other files"


def assert_complete(index: Path, corpus_ids: set[str]) -> None:
    ids = indexed_ids(index)
    if len(ids) != len(set(ids)):
        dupes = len(ids) - len(set(ids))
        raise DuplicateArticles(f"{dupes} duplicate documents among {len(ids)} (corpus: {len(corpus_ids)})")
    assert set(ids) == corpus_ids
    manifest = manifest_of(index)
    assert manifest is not None and set(manifest["files"]) == {file_of(i) for i in corpus_ids}


def lock_is_held(index: Path) -> bool:
    """Is the Whoosh write lock (an flock on MAIN_WRITELOCK) held by someone?"""
    try:
        fd = os.open(index / "MAIN_WRITELOCK", os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


# -- 1. SIGKILL at any moment -----------------------------------------------


@dataclass
class Build:
    corpus: Path
    ids: set[str]
    seconds: float  # the whole run, from process start
    generations: dict[int, float]  # when each TOC generation appeared (0: index created)

    def moment(self, phase: str) -> tuple[int | None, float]:
        """When to kill a build like the measured one, to land in ``phase``:
        once TOC generation N exists (None: from the start), wait this long.
        Anchoring on a generation keeps the start-up jitter (imports, worker
        spawning) out of the later delays."""
        gens = sorted(self.generations)  # 0 (created), then one per commit seen
        t = [self.generations[g] for g in gens]
        return {
            "starting": (None, t[0] / 2),  # imports, scan; no index folder yet
            "extracting": (gens[0], (t[1] - t[0]) / 2),  # workers busy, nothing committed
            "between-commits": (gens[1], (t[2] - t[1]) / 2),  # a batch committed, the next one coming
            "last-batch": (gens[-2], (t[-1] - t[-2]) / 2),  # all but the last batch committed
        }[phase]


SLOW_WRITER = "0.003"  # seconds per document in the writer: widens the windows between commits


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Build:
    """A corpus of BIG articles, and the timeline of one full (patched) build."""
    base = tmp_path_factory.mktemp("big")
    corpus = base / "corpus"
    ids = make_corpus(corpus, BIG)
    index = base / "index"
    proc = Proc(boot_argv("index", "--corpus", str(corpus), "--index", str(index)), base, boot_env())
    generations: dict[int, float] = {}
    try:
        deadline = time.perf_counter() + 120
        while not proc.exited() and time.perf_counter() < deadline:
            try:
                names = os.listdir(index)
            except FileNotFoundError:
                names = []
            for name in names:
                match = TOC_NAME.match(name)
                if match:
                    generations.setdefault(int(match[1]), time.perf_counter() - proc.started)
            time.sleep(0.002)
    finally:
        result = proc.finish()
    assert result.rc == 0, result.err
    assert summary(result) == (BIG, 0, 0, 0, 0)
    assert_complete(index, ids)
    # Created, then at least 3 commits (a poll may miss a TOC replaced at once).
    assert 0 in generations and len(generations) >= 4, generations
    return Build(corpus, ids, result.seconds, generations)


def boot_env(**extra: str) -> dict[str, str]:
    return child_env(
        READER_TEST_COMMIT_EVERY=str(COMMIT_EVERY), READER_TEST_WORKERS="2", READER_TEST_SLOW=SLOW_WRITER, **extra
    )


def recover_and_check(start, corpus: Path, index: Path, ids: set[str], search_first: bool, probe: int) -> None:
    """After a kill, one command recovers: either `reader search` (which must
    not traceback, and finds the probe) or `reader index` (which must end
    with exactly the corpus). The other half is checked in-process."""
    if search_first:
        assert_finds(search_cmd(start, corpus, index, word(probe)), probe)
        again = update_index(corpus, index, analyser=FAST)  # what `reader index` would do now
        assert not again.changed and again.unchanged == len(ids), again
    else:
        first = index_cmd(start, corpus, index)
        assert_no_traceback(first)
        assert first.rc == 0 and not first.err, first.err
        added, updated, removed, unchanged, skipped = summary(first)
        assert added + updated + unchanged == len(ids) and removed == skipped == 0
        assert search_in_process(index, word(probe)) == [article_id(probe)]
    assert_complete(index, ids)


def search_in_process(index: Path, query: str) -> list[str]:
    engine = SearchEngine(index)
    try:
        result = engine.search(query)
        return [hit.id for hit in engine.hits(result, 0, 10)]
    finally:
        engine.close()


@pytest.mark.parametrize(
    "phase, search_first",
    [("starting", True), ("extracting", False), ("between-commits", True), ("last-batch", False)],
)
def test_sigkill_process_group_at_a_moment_of_the_build(big, procs, tmp_path, phase, search_first):
    """Kill the whole process group (CLI and its workers) at a moment taken
    from the measured build's timeline (a kill that comes after the end only
    checks that a finished build stays finished)."""
    corpus, ids = big.corpus, big.ids
    index = tmp_path / "index"
    proc = procs(boot_argv("index", "--corpus", str(corpus), "--index", str(index)), boot_env())
    generation, delay = big.moment(phase)
    anchor = proc.started
    if generation is not None:
        while not has_generation(index, generation) and not proc.exited():
            time.sleep(0.002)
        anchor = time.perf_counter()
    while time.perf_counter() < anchor + delay and not proc.exited():
        time.sleep(0.002)
    proc.kill_group()
    proc.wait_exit(10)
    proc.finish()
    assert_consistent_after_kill(index, ids)
    recover_and_check(procs, corpus, index, ids, search_first, probe=len(phase) * 7)


@pytest.mark.parametrize(
    "crash, search_first",
    [
        ("manifest:1", False),  # index created, its first manifest never renamed into place
        ("commit:2", True),  # 160 documents committed, the manifest still says 80
        ("toc:3", False),  # second batch's segment written, its TOC not yet in place
    ],
)
def test_sigkill_at_an_exact_point(big, procs, tmp_path, crash, search_first):
    corpus, ids = big.corpus, big.ids
    index = tmp_path / "index"
    proc = procs(boot_argv("index", "--corpus", str(corpus), "--index", str(index)), boot_env(READER_TEST_CRASH=crash))
    proc.wait_exit(60)
    killed = proc.finish()  # also kills the workers it orphaned
    assert killed.rc == -signal.SIGKILL, (crash, killed.rc, killed.err)  # the crash point was reached
    assert_consistent_after_kill(index, ids)
    if crash == "commit:2":  # the manifest lists the first commit's files only
        listed, ids_now = set(manifest_of(index)["files"]), {file_of(i) for i in indexed_ids(index)}
        assert 0 < len(listed) < len(ids_now) < BIG and listed < ids_now, (len(listed), len(ids_now))
    recover_and_check(procs, corpus, index, ids, search_first, probe=BIG - 1)
    # What the killed run was writing does not stay behind.
    leftovers = [p.name for p in index.iterdir() if ".toc." in p.name or p.name.endswith(".tmp")]
    assert not leftovers, leftovers


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
def test_sigkill_of_the_parent_alone_while_workers_are_busy(big, procs, tmp_path):
    """SIGKILL only the CLI process (as the OOM killer would) mid-extraction:
    the orphaned workers must not block the next update, and must go away."""
    corpus, ids = big.corpus, big.ids
    index = tmp_path / "index"
    proc = procs(boot_argv("index", "--corpus", str(corpus), "--index", str(index)), boot_env(READER_TEST_CRASH="progress:100"))
    proc.wait_exit(60)  # the leader is dead (an unreaped zombie), its group may live on
    # Counted by the parent just before its SIGKILL: fixed workers exit at
    # once, so what is alive now proves nothing.
    crash = re.search(r"crash: (\d+) workers", proc.err_path.read_text())
    assert crash and int(crash[1]) > 0, "no worker was alive when the parent died: the scenario did not happen"
    assert_consistent_after_kill(index, ids)
    # The next update is not held up by the orphans (they hold no lock).
    recover_and_check(procs, corpus, index, ids, search_first=False, probe=7)
    deadline = time.perf_counter() + 2
    while proc.group_alive() and time.perf_counter() < deadline:
        time.sleep(0.05)
    left = proc.group_alive()
    if left:
        raise OrphanedWorkers(f"{len(left)} orphaned worker processes still alive: {left}")


ORPHAN = r"""
import os, sys, time
from reader.core.orphans import exit_with_parent
child = os.fork()
if child == 0:  # not a multiprocessing child: no sentinel, the getppid() poll must see the parent go
    exit_with_parent(poll=0.05)
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self/stat").exists(), reason="forks, reads /proc")
def test_exit_with_parent_without_a_multiprocessing_sentinel(procs, tmp_path):
    middle = procs([sys.executable, "-c", ORPHAN])
    deadline = time.perf_counter() + 30
    while not middle.out_path.read_text().strip():
        assert not middle.exited() and time.perf_counter() < deadline, middle.err_path.read_text()
        time.sleep(0.02)
    child = int(middle.out_path.read_text())
    assert sorted(middle.group_alive()) == sorted([middle.pid, child])
    os.kill(middle.pid, signal.SIGKILL)  # the middle process only
    middle.wait_exit(10)
    deadline = time.perf_counter() + 5
    while middle.group_alive() and time.perf_counter() < deadline:
        time.sleep(0.02)
    assert middle.group_alive() == [], "the child outlived its parent"


# -- 2. stale and held locks ------------------------------------------------


@pytest.fixture
def small(tmp_path):
    """A SMALL corpus and its index (built in-process, without extraction)."""
    corpus = tmp_path / "corpus"
    ids = make_corpus(corpus, SMALL)
    index = tmp_path / "index"
    update_index(corpus, index, analyser=FAST)
    return corpus, index, ids


def test_stale_lock_file_in_an_empty_index_folder(procs, tmp_path):
    corpus = tmp_path / "corpus"
    ids = make_corpus(corpus, SMALL)
    index = tmp_path / "index"
    index.mkdir()
    (index / "MAIN_WRITELOCK").write_bytes(b"")  # left behind, nobody holds it
    result = index_cmd(procs, corpus, index)
    assert result.rc == 0 and not result.err, result.err
    assert summary(result) == (SMALL, 0, 0, 0, 0)
    assert_complete(index, ids)


def test_lock_left_by_a_killed_writer_does_not_block(small, procs):
    corpus, index, ids = small
    holder = procs([sys.executable, "-c", HOLDER, str(index)], stdin=subprocess.PIPE)
    _wait_for_line(holder, "locked")
    holder.kill_group()
    holder.finish()
    assert (index / "MAIN_WRITELOCK").exists() and not lock_is_held(index)
    write_article(corpus, SMALL)
    result = index_cmd(procs, corpus, index)
    assert result.rc == 0 and not result.err, result.err
    assert summary(result) == (1, 0, 0, SMALL, 0)
    assert_complete(index, ids | {article_id(SMALL)})
    assert not any(p.suffix == ".tmp" for p in index.iterdir()), sorted(p.name for p in index.iterdir())


def _wait_for_line(proc: Proc, line: str, timeout: float = 30) -> None:
    deadline = time.perf_counter() + timeout
    while line not in proc.out_path.read_text():
        if proc.exited() or time.perf_counter() > deadline:
            result = proc.finish()
            pytest.fail(f"helper did not print {line!r}: rc={result.rc} {result.err}")
        time.sleep(0.02)


def test_held_lock_index_waits_then_fails_in_one_line_and_search_goes_read_only(small, procs):
    corpus, index, ids = small
    holder = procs([sys.executable, "-c", HOLDER, str(index)], stdin=subprocess.PIPE)
    _wait_for_line(holder, "locked")
    write_article(corpus, SMALL)  # there is something to write
    indexer = procs(reader_argv("index", "--corpus", str(corpus), "--index", str(index)))
    searcher = procs(reader_argv("search", word(3), "--json", "--corpus", str(corpus), "--index", str(index)))
    indexer.wait_exit(60)
    searcher.wait_exit(60)
    blocked, found = indexer.finish(), searcher.finish()

    assert blocked.rc == 2 and blocked.out == "", (blocked.rc, blocked.out)
    assert blocked.err.strip() == LOCKED_MSG, blocked.err
    assert blocked.seconds >= 4, f"gave up after {blocked.seconds:.1f}s without waiting for the lock"

    assert_finds(found, 3)
    notes = found.err.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("note: another reader process") and "read-only" in notes[0]
    assert sorted(indexed_ids(index)) == sorted(ids)  # nothing was written meanwhile

    # The holder commits a document the corpus does not have; the next
    # update removes it and adds the new article.
    holder.p.stdin.write(b"go\n")
    holder.p.stdin.close()
    _wait_for_line(holder, "committed")
    holder.finish()
    result = index_cmd(procs, corpus, index)
    assert result.rc == 0 and not result.err, result.err
    assert summary(result) == (1, 0, 1, SMALL, 0)
    assert_complete(index, ids | {article_id(SMALL)})


def test_rebuild_does_not_wipe_an_index_whose_lock_is_held(small, procs):
    corpus, index, ids = small
    holder = procs([sys.executable, "-c", HOLDER, str(index)], stdin=subprocess.PIPE)
    _wait_for_line(holder, "locked")
    (index / MANIFEST).unlink()  # forces a rebuild from scratch
    result = index_cmd(procs, corpus, index)
    assert_no_traceback(result)
    holder.p.stdin.write(b"go\n")
    holder.p.stdin.close()
    holder.wait_exit(30)
    held = holder.finish()
    if result.rc == 0 or held.rc != 0:
        raise LockIgnored(
            f"reader index: rc={result.rc} {result.out.strip()!r}; lock holder's commit: rc={held.rc} "
            f"{held.err.strip().splitlines()[-1:] or ''}"
        )
    assert_one_line_error(result)
    assert result.err.strip() == LOCKED_MSG


# -- 3. two updates at once -------------------------------------------------

CONCURRENCY_BUG = (
    "BUG: update_index reads the manifest (and may empty the folder for a rebuild) before taking the "
    "write lock; a second process that then waits for the lock adds every article again"
)


def test_two_index_processes_started_together(procs, tmp_path):
    corpus = tmp_path / "corpus"
    ids = make_corpus(corpus, SMALL)
    index = tmp_path / "index"
    argv = reader_argv("index", "--corpus", str(corpus), "--index", str(index))
    first, second = procs(argv), procs(argv)
    first.wait_exit(60)
    second.wait_exit(60)
    results = [first.finish(), second.finish()]
    for result in results:
        assert_no_traceback(result)
        if result.rc != 0:
            assert_one_line_error(result)
    problems = [r.err.strip() for r in results if r.rc != 0 and r.err.strip() != LOCKED_MSG]
    try:
        assert any(r.rc == 0 for r in results), "neither update succeeded"
        assert not problems, problems
        assert_complete(index, ids)
        again = update_index(corpus, index, analyser=FAST)  # what a third `reader index` would do
        assert not again.changed and again.unchanged == SMALL, again
    except AssertionError as exc:
        raise RaceDamage(f"{type(exc).__name__}: {exc}; outputs: {[(r.rc, r.out.strip()) for r in results]}") from exc


def test_second_index_process_waits_for_the_first(procs, tmp_path):
    """The second update starts while the first one holds the write lock."""
    corpus = tmp_path / "corpus"
    ids = make_corpus(corpus, SMALL)
    index = tmp_path / "index"
    argv = ["index", "--corpus", str(corpus), "--index", str(index)]
    first = procs(boot_argv(*argv), child_env(READER_TEST_SLOW="0.05"))  # holds the lock ~2s
    deadline = time.perf_counter() + 30
    while not lock_is_held(index):
        if first.exited() or time.perf_counter() > deadline:
            pytest.skip("the first update finished before its lock was observed")
        time.sleep(0.002)
    second = procs(boot_argv(*argv), child_env(READER_TEST_PROBE_LOCK="1"))
    first.wait_exit(60)
    second.wait_exit(60)
    done, waited = first.finish(), second.finish()
    assert done.rc == 0 and summary(done) == (SMALL, 0, 0, 0, 0), done.err
    assert_no_traceback(waited)
    probe, _, rest = waited.err.partition("\n")
    if probe != "probe: locked":
        pytest.skip(f"the second update started after the first one ({probe!r}): no overlap")
    waited = Result(waited.rc, waited.out, rest, waited.seconds)
    if waited.rc != 0:
        assert_one_line_error(waited)
        assert waited.err.strip() == LOCKED_MSG
        pytest.skip("the first update held the lock longer than the second one waits")
    assert_complete(index, ids)
    assert summary(waited) == (0, 0, 0, SMALL, 0), waited.out
    assert waited.err.strip() == "note: waited for another reader process to finish updating this index"


# -- 4. corrupt index files -------------------------------------------------


def _only(index: Path, suffix: str) -> Path:
    [path] = [p for p in index.iterdir() if p.suffix == suffix]
    return path


def _truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _garble(path: Path, at: float, n: int) -> None:
    data = bytearray(path.read_bytes())
    start = int(len(data) * at)
    data[start : start + n] = bytes(b ^ 0x5A for b in data[start : start + n])
    path.write_bytes(bytes(data))


TOC_BUG = (
    "BUG: _open_for_update calls whoosh.index.exists_in() outside its try, and exists_in reads the TOC: "
    "a damaged TOC raises (TypeError, UnpicklingError, ...) instead of triggering the rebuild"
)
SEGMENT_BUG = (
    "BUG: open_dir() reads only the TOC, so a damaged segment goes unnoticed: the manifest matches, "
    "nothing is rebuilt, and search fails until the index folder is deleted by hand"
)
CORRUPTIONS = {
    "toc-truncated": (lambda ix: _truncate(_only(ix, ".toc"), 0.5), TOC_BUG),
    "toc-garbled": (lambda ix: _garble(_only(ix, ".toc"), 0.3, 32), TOC_BUG),
    "segment-truncated": (lambda ix: _truncate(_only(ix, ".seg"), 0.5), SEGMENT_BUG),
    "segment-garbled": (lambda ix: _garble(_only(ix, ".seg"), 0.0, 64), SEGMENT_BUG),
}


@pytest.mark.parametrize("damage", list(CORRUPTIONS))
def test_corrupt_index_is_rebuilt_from_the_corpus(small, procs, tmp_path, damage):
    corpus, index, ids = small
    CORRUPTIONS[damage][0](index)
    other = tmp_path / "other-index"  # the same damage, met first by `reader search`
    shutil.copytree(index, other)

    indexer = procs(reader_argv("index", "--corpus", str(corpus), "--index", str(index)))
    searcher = procs(reader_argv("search", word(5), "--json", "--corpus", str(corpus), "--index", str(other)))
    indexer.wait_exit(60)
    searcher.wait_exit(60)
    rebuilt, searched = indexer.finish(), searcher.finish()

    # Search on the damaged index: the right article, or one line of error.
    if searched.rc == 0:
        assert_finds(searched, 5)
    else:
        assert_one_line_error(searched)
    # The update: never a traceback, and it ends with exactly the corpus.
    assert_no_traceback(rebuilt)
    if rebuilt.rc != 0:
        assert_one_line_error(rebuilt)
        raise NotRebuilt(f"reader index failed on a {damage} index: {rebuilt.err.strip()}")
    try:
        found = search_in_process(index, word(5))
        healthy = sorted(indexed_ids(index)) == sorted(ids)
    except Exception as exc:  # noqa: BLE001 - whatever the damage raises
        raise NotRebuilt(f"reader index said {rebuilt.out.strip().splitlines()[-1]!r}; then: {exc!r:.300}") from exc
    if not healthy:
        raise NotRebuilt(f"reader index said {rebuilt.out.strip().splitlines()[-1]!r}; the index differs from the corpus")
    assert found == [article_id(5)]
    assert_complete(index, ids)
