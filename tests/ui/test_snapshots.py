"""Snapshot tests of the layouts (update with `make snapshots`)."""

from __future__ import annotations

from ui.helpers import make_app, settle
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.results import ResultsList


def _results_ready(app, total):
    return lambda: app.screen.query_one(ResultsList).total == total and not app.screen.busy


def test_main_screen_wide(snap_compare, corpus, index_dir):
    app = make_app(corpus, index_dir)

    async def run_before(pilot):
        await settle(pilot, _results_ready(app, 3))
        await pilot.press("slash", *"tencent")
        await settle(pilot, lambda: app.screen.query_text == "tencent")
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: view.article is not None and view.hit_count > 0)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)


def test_main_screen_narrow_article(snap_compare, corpus, index_dir):
    app = make_app(corpus, index_dir)

    async def run_before(pilot):
        await settle(pilot, _results_ready(app, 3))
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: view.article is not None)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
