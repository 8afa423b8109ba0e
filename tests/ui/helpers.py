"""Driving the real app in tests."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from reader.ui.app import create_app


def make_app(corpus: Path, index: Path):
    return create_app(corpus=corpus, index_dir=index)


async def settle(pilot, condition=None, timeout: float = 20.0) -> None:
    """Let workers finish and the screen refresh; optionally wait for a condition."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if condition is None or condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def screen_text(app) -> str:
    """What a user sees: every line of the composed screen as plain text."""
    update = app.screen._compositor.render_full_update()
    lines = []
    for strips in update.strips:
        lines.append("".join(segment.text for strip in [strips] for segment in strip))
    return "\n".join(lines)
