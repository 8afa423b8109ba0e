"""Worker processes that end when the process that started them dies.

A ``ProcessPoolExecutor`` worker (spawn context) waits for tasks on a pipe it
also holds the write end of, so it never sees end-of-file when its parent is
killed (SIGKILL, the OOM killer): it would block forever, holding the parent's
stdout/stderr and a share of memory. :func:`exit_with_parent` starts a daemon
thread that ends the worker as soon as the parent is gone.

The parent is watched through the sentinel pipe ``multiprocessing`` gives
every spawned child (it becomes readable when the parent dies), and, as a
fallback where there is none, by polling ``os.getppid()``: a re-parented
process has another parent pid.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

EXIT_CODE = 1
POLL_SECONDS = 1.0


def exit_with_parent(poll: float = POLL_SECONDS) -> None:
    """End this process (``os._exit``) when its parent process dies.

    Call it in the child, e.g. from a pool's ``initializer``. In a process
    that was not started by ``multiprocessing`` the parent is the one
    ``os.getppid()`` names now. Safe to call more than once (each call adds
    a watcher thread; they are cheap)."""
    parent = multiprocessing.parent_process()
    expected = parent.pid if parent is not None and parent.pid else os.getppid()
    sentinel = None
    if parent is not None:
        try:
            sentinel = parent.sentinel
        except (ValueError, AttributeError):
            sentinel = None
    if _parent_gone(expected, sentinel, 0):
        os._exit(EXIT_CODE)
    watcher = threading.Thread(
        target=_watch, args=(expected, sentinel, poll), name="exit-with-parent", daemon=True
    )
    watcher.start()


def _watch(expected: int, sentinel, poll: float) -> None:
    while not _parent_gone(expected, sentinel, poll):
        pass
    os._exit(EXIT_CODE)


def _parent_gone(expected: int, sentinel, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds; True once the parent is gone."""
    if sentinel is not None:
        from multiprocessing.connection import wait

        try:
            if wait([sentinel], timeout=timeout):
                return True  # the parent's end of the pipe closed: it died
        except (OSError, ValueError):
            sentinel = None  # cannot watch the pipe: the pid check still works
            threading.Event().wait(timeout)
    else:
        threading.Event().wait(timeout)
    return os.getppid() != expected
