"""Indexing progress for the screen: articles per second and time left.

:class:`ProgressMeter` is the ``progress`` callback handed to the index
update. It runs in the indexing thread, throttles to about ten reports a
second (the first and the last always get through) and hands each report on
as a plain :class:`ProgressState`.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

MIN_SECONDS_FOR_RATE = 0.3  # before this, a rate is mostly noise
WINDOW_SECONDS = 5.0  # the rate is measured over the last few seconds


class Cancelled(Exception):
    """Raised from the progress callback to stop an update (the app is closing)."""


@dataclass(frozen=True, slots=True)
class ProgressState:
    done: int
    total: int
    rate: float | None = None  # articles per second
    eta: float | None = None  # seconds left

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    def describe(self) -> str:
        """``1,234 of 5,000 articles · 210 articles/s · about 18 s left``."""
        return " · ".join(x for x in (self.counts(), self.pace()) if x)

    def counts(self) -> str:
        return f"{self.done:,} of {self.total:,} articles"

    def pace(self) -> str:
        """``210 articles/s · about 18 s left`` (empty before a rate is known)."""
        bits = []
        if self.rate is not None:
            bits.append(f"{self.rate:,.0f} articles/s" if self.rate >= 10 else f"{self.rate:.1f} articles/s")
        if self.eta is not None and not self.finished:
            bits.append(f"about {format_seconds(self.eta)} left")
        return " · ".join(bits)


def format_seconds(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class ProgressMeter:
    """A ``progress(done, total)`` callback that reports a :class:`ProgressState`
    through ``emit`` at most every ``interval`` seconds.

    The rate is measured over the last ``window`` seconds, from the first
    finished article on: the start-up of worker processes is not counted, and
    the estimate follows changes of pace.
    """

    def __init__(
        self,
        emit: Callable[[ProgressState], None],
        interval: float = 0.1,
        cancelled: Callable[[], bool] | None = None,
        clock: Callable[[], float] = time.monotonic,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self.emit = emit
        self.interval = interval
        self.cancelled = cancelled
        self.clock = clock
        self.window = window
        self.samples: deque[tuple[float, int]] = deque()  # (time, done), from the first article on
        self.last_emit: float | None = None
        self.last: ProgressState | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()
        now = self.clock()
        if done > 0 or self.samples:
            self.samples.append((now, done))
            while len(self.samples) > 2 and now - self.samples[1][0] >= self.window:
                self.samples.popleft()
        first = self.last_emit is None
        if not first and done < total and now - self.last_emit < self.interval:
            return
        rate = eta = None
        if self.samples:
            since, done_then = self.samples[0]
            span = now - since
            if span >= MIN_SECONDS_FOR_RATE and done > done_then:
                rate = (done - done_then) / span
                eta = (total - done) / rate
        self.last_emit = now
        self.last = ProgressState(done, total, rate, eta)
        self.emit(self.last)
