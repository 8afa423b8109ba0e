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
        await wait_for_workers(pilot)
        await pilot.pause()
        if condition is None or condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def wait_for_workers(pilot) -> None:
    """Wait for the workers that finish (searches, loads, index updates); the
    corpus-folder watcher runs until the app exits, so it is left out."""
    pending = [w for w in pilot.app.workers if w.group != "watch" and not w.is_finished]
    if pending:  # (an empty list would mean "every worker")
        await pilot.app.workers.wait_for_complete(pending)


def screen_text(app) -> str:
    """What a user sees: every line of the composed screen as plain text."""
    update = app.screen._compositor.render_full_update()
    lines = []
    for strips in update.strips:
        lines.append("".join(segment.text for strip in [strips] for segment in strip))
    return "\n".join(lines)


async def see(pilot, *needles: str, timeout: float = 20.0) -> str:
    """Wait until every needle is on screen (as a user would); return the screen text."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        text = screen_text(pilot.app)
        flat = " ".join(text.split())
        if all(n in text or " ".join(n.split()) in flat for n in needles):
            return text
        if time.monotonic() > deadline:
            missing = [n for n in needles if n not in text]
            raise AssertionError(f"not on screen: {missing}\n{text}")
        await asyncio.sleep(0.05)


async def gone(pilot, needle: str, timeout: float = 20.0) -> None:
    """Wait until ``needle`` is no longer on screen."""
    deadline = time.monotonic() + timeout
    while needle in screen_text(pilot.app):
        if time.monotonic() > deadline:
            raise AssertionError(f"still on screen: {needle}")
        await pilot.pause()
        await asyncio.sleep(0.05)


# What a terminal sends for the keys a burst may hold (the rest: their own character).
_KEY_CHARACTERS = {"backspace": "\x7f", "ctrl+u": "\x15", "slash": "/"}


def burst(app, keys) -> None:
    """Post ``keys`` at once, as a paste or a fast typist delivers them:
    nothing runs between them (``pilot.press`` waits after each key)."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, _KEY_CHARACTERS.get(key, key)))
