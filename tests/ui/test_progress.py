"""Indexing progress: the throttled meter, and the bar with rate and ETA on screen."""

from __future__ import annotations

import time

import pytest

import reader.ui.backend as backend_module
from reader.ui.progress import Cancelled, ProgressMeter, ProgressState, format_seconds
from reader.ui.widgets.results import ResultsList
from ui.helpers import make_app, see, settle


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_meter_throttles_and_reports_rate_and_eta():
    clock, got = Clock(), []
    meter = ProgressMeter(got.append, interval=0.1, clock=clock)
    meter(0, 100)  # the first report always goes through
    for done in range(1, 50):
        clock.now += 0.01  # 100 articles/s, reported every 10 ms
        meter(done, 100)
    assert 4 <= len(got) <= 7  # about one in ten
    last = got[-1]
    assert last.rate == pytest.approx(100, rel=0.05)
    assert last.eta == pytest.approx((100 - last.done) / last.rate)
    clock.now += 0.001
    meter(100, 100)  # and so does the last
    assert got[-1].done == 100 and got[-1].finished


def test_meter_gives_no_rate_before_it_means_anything():
    clock, got = Clock(), []
    meter = ProgressMeter(got.append, clock=clock)
    meter(0, 10)
    clock.now += 0.01
    meter(1, 10)
    assert got[-1].rate is None and "articles/s" not in got[-1].describe()


def test_meter_stops_the_update_when_cancelled():
    meter = ProgressMeter(lambda s: None, cancelled=lambda: True)
    with pytest.raises(Cancelled):
        meter(3, 10)


def test_describe():
    state = ProgressState(1234, 5000, rate=210.4, eta=17.9)
    assert state.describe() == "1,234 of 5,000 articles · 210 articles/s · about 18 s left"
    assert format_seconds(75) == "1 min 15 s" and format_seconds(3700) == "1 h 01 min"


async def test_first_build_shows_a_progress_bar_with_rate_and_eta(corpus, index_dir, monkeypatch):
    for i in range(40):
        (corpus / f"bulk-{i:02d}.txt").write_text(f"Bulk article {i}\n\nSome text about Tencent number {i}.\n", encoding="utf-8")
    real = backend_module.update_index

    def slow_update(corpus, index_dir, progress=None, **kwargs):
        def slowed(done, total):
            time.sleep(0.05)  # about 2 s for the 43 articles: long enough to be seen
            progress(done, total)

        return real(corpus, index_dir, progress=slowed if progress else None, **kwargs)

    monkeypatch.setattr(backend_module, "update_index", slow_update)
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await see(pilot, "Building the index:", "of 43 articles", "articles/s", "left", timeout=10)
        await settle(pilot, lambda: app.screen.query_one(ResultsList).total == 43 and not app.screen.busy, timeout=10)
        assert not app.screen.query_one("#building").display
