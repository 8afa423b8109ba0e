"""Running a measured child process, and small statistics helpers.

A child's memory is reported two ways: the peak of the summed RSS of the
child and all its descendants (sampled every 50 ms from /proc; this is what
a build with worker processes costs the machine, shared pages counted once
per process), and the peak RSS of the largest single process (exact, from
``wait4``'s rusage, which covers the child and its reaped descendants).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class ChildRun:
    data: dict  # the JSON object the child printed last
    wall: float  # seconds from launch to exit
    tree_rss_mb: float  # peak of the summed RSS of the process tree (sampled)
    max_rss_mb: float  # peak RSS of the largest single process (exact)


class ChildFailed(RuntimeError):
    pass


def run_child(*args: str, timeout: float | None = None) -> ChildRun:
    """Run ``bench/child.py ARGS`` with this interpreter; it prints one JSON line last."""
    cmd = [sys.executable, str(BENCH / "child.py"), *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        deadline = None if timeout is None else started + timeout
        try:
            status, usage = _wait4(proc.pid, deadline)
        except TimeoutError:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise ChildFailed(f"{' '.join(args[:1])}: timed out after {timeout:.0f} s") from None
        finally:
            sampler.stop()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise ChildFailed(f"child {' '.join(args[:1])} exited with {proc.returncode}:\n{tail}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise ChildFailed(f"child {' '.join(args[:1])} printed no result:\n{stdout[-2000:]}{stderr[-2000:]}")
    return ChildRun(json.loads(lines[-1]), wall, max(sampler.peak_mb, usage.ru_maxrss / 1024), usage.ru_maxrss / 1024)


def _wait4(pid: int, deadline: float | None):
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG if deadline else 0)
        if done:
            return status, usage
        if time.perf_counter() > deadline:
            raise TimeoutError
        time.sleep(0.02)


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            total = sum(_rss_mb(p) for p in _tree(self.pid))
            self.peak_mb = max(self.peak_mb, total)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return pids


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_MB
    except (OSError, ValueError, IndexError):
        return 0.0


# -- statistics ----------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def vm_hwm_mb() -> float:
    """This process's peak RSS (VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
