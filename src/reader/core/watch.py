"""Watching a corpus folder for changes, for a live view of it.

:func:`watch_folder` yields a :class:`Batch` of changed paths whenever files
under the folder are added, changed or removed (grouped over a short quiet
period), until a ``stop_event`` is set. A batch is only a hint: the caller
runs the ordinary incremental index update, which compares signatures and
does the real work.

It uses file-system notifications (``watchfiles``). When those cannot be had
(the folder is missing or was deleted, too many watches, an unsupported file
system), it falls back to comparing the loader's scan signatures every couple
of seconds, and says so once in a batch ``notice``; when a deleted folder
comes back, notifications are tried again.

Pure: no UI imports. Runs in the caller's thread; it returns within about a
``step`` (notifications) or at once (polling) after ``stop_event`` is set.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .loader import CorpusError, scan

POLL_SECONDS = 2.0
ROOT = "."  # the path of the watched folder itself in a batch

# Dot-files and dot-folders are ignored, except the alias file, which changes
# what the index holds (see entities_service.alias_file_for).
_KEEP_DOTTED = (".reader/aliases.toml",)
# Editors' and downloaders' temporary files: never articles.
_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part", ".crdownload")


@dataclass(frozen=True, slots=True)
class Batch:
    """Changes seen together. ``paths`` are relative to the watched folder,
    "/"-separated and sorted (``"."`` is the folder itself); ``notice`` tells
    the user about a change of watching mode (and may come with no paths)."""

    paths: tuple[str, ...] = ()
    notice: str | None = None
    polling: bool = False


def is_relevant(rel: str) -> bool:
    """Whether a change at ``rel`` (relative, "/"-separated) may matter to the index."""
    if rel == ROOT:
        return True
    if rel in _KEEP_DOTTED:
        return True
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts):
        return False
    return not parts[-1].endswith(_TEMP_SUFFIXES)


def watch_folder(
    root: Path,
    stop_event: threading.Event,
    *,
    debounce_ms: int = 1500,
    step_ms: int = 200,
    poll_seconds: float = POLL_SECONDS,
    ignore: Sequence[Path] = (),
    force_polling: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> Iterator[Batch]:
    """Yield batches of changes under ``root`` until ``stop_event`` is set.

    ``ignore`` lists folders whose changes never count (for instance an
    index folder kept inside the corpus). ``debounce_ms`` is the longest a
    burst of changes is gathered; ``step_ms`` the quiet time that ends one.
    ``on_ready(mode)`` is called (from this thread) each time watching has
    started, with ``"notify"`` or ``"polling"``: a change made after that is seen.
    """
    root = Path(root)
    ignored = _ignored(root, ignore)
    notify_failed = force_polling
    ready = on_ready or (lambda mode: None)
    while not stop_event.is_set():
        if not notify_failed and root.is_dir():
            try:
                yield from _notify(root, stop_event, ignored, debounce_ms, step_ms, poll_seconds, ready)
            except Exception as exc:  # no inotify watches left, unsupported file system, ...
                notify_failed = True
                yield Batch(
                    (),
                    notice=f"cannot watch {root} for changes ({_describe(exc)}); checking every {poll_seconds:g} s instead",
                    polling=True,
                )
            else:
                if stop_event.is_set():
                    return
                if root.is_dir():  # replaced by another folder: watch that one
                    yield Batch((ROOT,))
                    continue
                yield Batch((ROOT,), notice=f"corpus folder {root} is gone; checking every {poll_seconds:g} s for it", polling=True)
        elif not root.is_dir() and not notify_failed:
            yield Batch((ROOT,), notice=f"corpus folder {root} not found; checking every {poll_seconds:g} s for it", polling=True)
        # Polling: until stopped, or (notifications permitting) until the folder is back.
        yield from _poll(root, stop_event, ignored, poll_seconds, until_back=not notify_failed, ready=ready)


class _FirstCheck:
    """``stop_event`` as handed to watchfiles: its first ``is_set()`` call
    comes from the watch loop, once the notifications are in place."""

    def __init__(self, event: threading.Event, first: Callable[[], None]) -> None:
        self._event = event
        self._first: Callable[[], None] | None = first

    def is_set(self) -> bool:
        if self._first is not None:
            first, self._first = self._first, None
            first()
        return self._event.is_set()


def _notify(
    root: Path,
    stop_event: threading.Event,
    ignored: Callable[[str], bool],
    debounce_ms: int,
    step_ms: int,
    check_ms: float,
    ready: Callable[[str], None],
) -> Iterator[Batch]:
    """Notification mode; returns when stopped or when ``root`` is gone."""
    import watchfiles

    base = os.path.abspath(root)
    bases = (base, os.path.realpath(base))
    identity = _identity(root)

    def keep(change, path: str) -> bool:
        rel = _relative(bases, path)
        return rel is not None and is_relevant(rel) and not ignored(rel)

    for changes in watchfiles.watch(
        base,
        stop_event=_FirstCheck(stop_event, lambda: ready("notify")),
        debounce=debounce_ms,
        step=step_ms,
        rust_timeout=int(check_ms * 1000),
        yield_on_timeout=True,  # a chance to notice that the folder itself went away
        watch_filter=keep,
        recursive=True,
        raise_interrupt=False,
    ):
        if stop_event.is_set():
            return
        if changes:
            rels = sorted({rel for _, path in changes if (rel := _relative(bases, path)) is not None})
            yield Batch(tuple(rels))
        if _identity(root) != identity:
            return  # deleted (or replaced): notifications on the old folder are over


def _poll(
    root: Path,
    stop_event: threading.Event,
    ignored: Callable[[str], bool],
    seconds: float,
    until_back: bool,
    ready: Callable[[str], None],
) -> Iterator[Batch]:
    """Polling mode: compare scan signatures every ``seconds``."""
    before = _snapshot(root, ignored)
    ready("polling")
    while not stop_event.wait(seconds):
        after = _snapshot(root, ignored)
        if after != before:
            if before is None or after is None:
                changed = {ROOT}
            else:
                changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
            back = before is None and after is not None
            notice = f"corpus folder {root} is back" if back else None
            yield Batch(tuple(sorted(changed)), notice=notice, polling=True)
            if until_back and back:
                return  # try notifications again
            before = after


def _snapshot(root: Path, ignored: Callable[[str], bool]) -> dict[str, str] | None:
    """Article path → signature (as the loader sees them), or None if the folder is missing."""
    try:
        files, skipped = scan(root)
    except (CorpusError, OSError):
        return None
    snap = {f.path: f.signature for f in files if not ignored(f.path)}
    snap.update({s.path: "skipped:" + s.reason for s in skipped if not ignored(s.path)})
    return snap


def _ignored(root: Path, ignore: Sequence[Path]) -> Callable[[str], bool]:
    """A test on relative paths for the ``ignore`` folders that lie inside ``root``."""
    prefixes: list[str] = []
    try:
        base = root.resolve()
    except OSError:
        base = root.absolute()
    for folder in ignore:
        try:
            rel = Path(folder).resolve().relative_to(base)
        except (OSError, ValueError):
            continue  # outside the corpus: nothing to ignore
        if rel.parts:
            prefixes.append("/".join(rel.parts))
    if not prefixes:
        return lambda rel: False
    return lambda rel: any(rel == p or rel.startswith(p + "/") for p in prefixes)


def _relative(bases: Sequence[str], path: str) -> str | None:
    """``path`` relative to the first of ``bases`` that holds it ("/"-separated)."""
    for base in bases:
        try:
            rel = os.path.relpath(path, base)
        except ValueError:
            continue
        if rel == os.curdir:
            return ROOT
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return rel.replace(os.sep, "/")
    return None


def _identity(root: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(root)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if os.path.isdir(root) else None


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:119] + "…"
