"""Pilot tests: the real app on a private corpus, driven with keys."""

from __future__ import annotations

import pytest

from conftest import ID_003, ID_004
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.search_bar import QueryInput, QueryMessage
from reader.ui.widgets.status import StatusLine
from ui.helpers import burst, gone, make_app, see, settle

def results(app) -> ResultsList:
    return app.screen.query_one(ResultsList)


async def test_first_launch_builds_index_and_lists_all_newest_first(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        text = await see(pilot, "3 of 3 articles", "sort: relevance", "Tencent, ByteDance and Alibaba respond", "China presses tech giants")
        # newest first with an empty query: 000 (Sep) above 003/004 (Jul)
        assert text.index("Tencent, ByteDance and Alibaba respond") < text.index("China presses tech giants")


async def test_type_query_open_result_and_jump_between_hits(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("slash", *"pinduoduo")
        await settle(pilot, lambda: results(app).total == 1)
        await see(pilot, "1 of 3 articles", "China presses tech giants to conduct 'deep self-examination'")
        await pilot.press("enter")  # from the search box to the results
        await settle(pilot, lambda: app.focused is results(app))
        await pilot.press("enter")  # open
        view = app.screen.query_one(ArticleView)
        # (the wide layout previews 003 already: wait for the open itself, which focuses the article)
        await settle(pilot, lambda: view.article is not None and view.article.id == ID_003 and app.focused is view)
        assert view.hit_count == 1 and view.hit_index == 0
        await pilot.press("n")
        assert view.hit_index == 0  # one hit: n wraps to itself
        await see(pilot, "Pinduoduo were")


async def test_n_and_N_cycle_through_hits(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("slash", *"MIIT")
        await settle(pilot, lambda: results(app).total == 3 and app.screen.query_text == "MIIT")
        await pilot.press("enter", "enter")
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: view.article is not None and view.hit_count > 2 and app.focused is view)
        count = view.hit_count
        await pilot.press("n", "n")
        assert view.hit_index == 2
        await pilot.press("N", "N", "N")
        assert view.hit_index == count - 1


async def test_malformed_query_shows_inline_error_and_keeps_running(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("slash", *'"unclosed')
        message = app.screen.query_one(QueryMessage)
        await settle(pilot, lambda: bool(message.error))
        await see(pilot, "unclosed quote")
        for _ in range(9):
            await pilot.press("backspace")
        await settle(pilot, lambda: results(app).total == 3 and not message.error)


async def test_did_you_mean_and_accept(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("slash", *"pinduodou")
        message = app.screen.query_one(QueryMessage)
        await settle(pilot, lambda: message.suggestion == "pinduoduo")
        await see(pilot, "Did you mean: pinduoduo")
        await pilot.press("ctrl+y")
        await settle(pilot, lambda: results(app).total == 1)


async def test_sort_toggle_and_escape_clears(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("slash", *"bloomberg", "enter")
        await settle(pilot, lambda: results(app).total == 1)
        await settle(pilot, lambda: app.focused is results(app))
        await pilot.press("s")
        status = app.screen.query_one(StatusLine)
        await settle(pilot, lambda: status.sort == "date")
        await pilot.press("escape")  # results focused, no filters: clears the query
        await settle(pilot, lambda: results(app).total == 3)
        assert app.screen.query_one(QueryInput).value == ""


async def test_help_screen_lists_keys(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("question_mark")
        await see(pilot, "Next hit", "Sort", "Command palette", "date:[2021-07-01 to 2021-07-31]")
        await pilot.press("escape")
        await pilot.pause()
        await gone(pilot, "Command palette")


async def test_narrow_layout_shows_one_pane_at_a_time(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        view = app.screen.query_one(ArticleView)
        assert not view.display or not view.region.width
        await pilot.press("j", "j", "enter")
        await settle(pilot, lambda: view.article is not None and view.article.id == ID_004)
        await see(pilot, "China Orders 25 Tech Giants")
        await settle(pilot, lambda: results(app).region.width == 0)
        await pilot.press("escape")
        await settle(pilot, lambda: results(app).region.width > 0)


async def test_article_markup_is_shown_literally(corpus, index_dir):
    (corpus / "evil.txt").write_text("Evil [bold red]markup[/] headline here\n\nBody with [link=http://x]link[/link] and \x1b[2J escape.\n")
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 4)
        await pilot.press("slash", *"evil", "enter", "enter")
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: view.article is not None and view.article.id == "evil")
        await see(pilot, "Evil [bold red]markup[/] headline here", "[link=http://x]link[/link]")


async def test_keys_typed_in_one_burst_after_slash_reach_the_search_box(corpus, index_dir):
    """A fast typist or a paste: "/tencent/x" arrives at once; "t", "e" and "n"
    must be text in the box, not the timeline, organisations and next-hit keys."""
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3 and app.focused is results(app))
        burst(app, ["slash", *"tencent", "slash", "x"])
        box = app.screen.query_one(QueryInput)
        await settle(pilot, lambda: box.value == "tencent/x")
        assert app.focused is box and app.screen.view != "timeline"


async def test_editing_keys_in_a_burst_apply_in_order(corpus, index_dir):
    """A paste or a fast typist: "corn" ⌫⌫⌫⌫ "wheat" arrives at once. Textual
    ran the box's bound keys (backspace, ctrl+u) after the characters that
    followed them, which left "w" (Textual issue #6605)."""
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("slash", *"corn")
        box = app.screen.query_one(QueryInput)
        await settle(pilot, lambda: box.value == "corn")
        burst(app, ["backspace"] * 4 + list("tencent") + ["ctrl+u"] + list("xiaomi"))
        await settle(pilot, lambda: box.value == "xiaomi" and app.screen.query_text == "xiaomi")
        assert app.focused is box


async def test_keys_typed_in_one_burst_after_e_filter_the_organisations(corpus, index_dir):
    """"e" then a name at once: the name filters the panel (its letters must
    not go to the results list, where "t" opens the timeline); "e" in the
    search box and in the name filter stays text."""
    from reader.ui.widgets.entities import EntityPanel

    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3 and app.focused is results(app))
        panel = app.screen.query_one(EntityPanel)
        burst(app, "ealibabate")
        await settle(pilot, lambda: panel.typed == "alibabate")
        assert app.focused is panel and app.screen.view != "timeline"
        await pilot.press("slash", *"tencent")
        box = app.screen.query_one(QueryInput)
        await settle(pilot, lambda: box.value == "tencent")
        assert app.focused is box


async def test_key_bar_shows_the_keys_of_the_focused_pane(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await see(pilot, "⏎ Open", "/ Search", "t Timeline", "^p palette")
        await gone(pilot, "n Next hit")
        await pilot.press("tab")  # to the article pane: its keys join the bar
        await see(pilot, "n Next hit", "m Next mention", "/ Search")


def test_a_hung_up_terminal_is_noticed(monkeypatch):
    """The app quits when its terminal goes away (checked every second when
    not headless): a closed pty answers terminal requests with EIO."""
    import os
    import pty
    import sys

    from reader.ui import app as app_module

    master, slave = pty.openpty()
    stream = os.fdopen(slave, "r", closefd=True)
    try:
        monkeypatch.setattr(sys, "__stdin__", stream)
        assert app_module.terminal_present()
        os.close(master)
        assert not app_module.terminal_present()
    finally:
        stream.close()
