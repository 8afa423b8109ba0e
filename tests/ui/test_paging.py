"""The results list reads only the rows on screen up front; the rest come
when the user gets to them."""

from __future__ import annotations

import re

from reader.ui.widgets.results import ResultsList
from ui.helpers import make_app, screen_text, see, settle

PLACEHOLDER = re.compile(r"│…[^│\w]*│")  # a row not read yet (spaces, maybe a scrollbar)


def results(app) -> ResultsList:
    return app.screen.query_one(ResultsList)


async def test_rows_below_the_first_screen_are_read_when_reached(corpus, index_dir):
    for i in range(120):
        (corpus / f"bulk-{i:03d}.txt").write_text(
            f"Bulk story number {i:03d}\n\nSome text about Tencent, story {i:03d}.\n", encoding="utf-8"
        )
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 123 and not app.screen.busy, timeout=60)
        await pilot.press("slash", *"bulk", "enter")
        await settle(pilot, lambda: results(app).total == 120 and app.focused is results(app))
        listed = results(app)
        assert len(listed._rows) < 50  # only about a screenful read so far
        await pilot.press("end")  # the last row: another page
        await settle(pilot, lambda: listed.cursor == 119 and listed.current is not None)
        last = listed.current.title
        await see(pilot, last)
        await pilot.press("home")
        await settle(pilot, lambda: listed.cursor == 0)
        for _ in range(30):  # down past the first screen, one row at a time
            await pilot.press("j")
        await settle(pilot, lambda: listed.cursor == 30 and listed.current is not None)
        await see(pilot, listed.current.title)
        await settle(pilot, lambda: not PLACEHOLDER.search(screen_text(app)))  # no row left as "…"
