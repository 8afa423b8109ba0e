"""The live corpus folder and the skipped-files list, driven like a user would.

Each test waits (with a timeout) for what the user would see; nothing
sleeps blindly. The watcher reports when it is in place (``watch_mode``)
before a test touches the corpus folder.
"""

from __future__ import annotations

from conftest import ID_000, ID_003, ID_004
from reader.ui.screens.skipped import SkippedScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.entities import EntityPanel
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.search_bar import QueryInput
from reader.ui.widgets.status import StatusLine
from reader.ui.widgets.timeline import TimelineView
from ui.helpers import gone, make_app, see, settle

LIVE = 10.0  # seconds a change may take to show (it takes about 1-2 s)

NEW_ARTICLE = """Tencent Tencent Tencent: a brand-new story arrives

Tencent said on Tuesday that Tencent and its partners would open links to rival platforms, Tencent added.
"""


def results(app) -> ResultsList:
    return app.screen.query_one(ResultsList)


def result_ids(app) -> list[str]:
    rows = results(app)._rows
    return [rows[i].id for i in sorted(rows)]


async def search(pilot, text: str) -> None:
    """Type a query, Enter: its results on screen and focused."""
    app = pilot.app
    await pilot.press("slash", *text, "enter")
    await settle(pilot, lambda: app.screen.query_text == text and app.focused is results(app), timeout=LIVE)


async def ready(pilot, total: int) -> None:
    """Results on screen, the startup check done and the folder watched."""
    app = pilot.app
    await settle(
        pilot,
        lambda: results(app).total == total and not app.screen.busy and app.screen.watch_mode == "notify",
        timeout=LIVE,
    )


async def test_new_file_appears_and_the_user_keeps_their_place(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        await search(pilot, "tencent")
        before = result_ids(app)
        assert len(before) >= 2 and "new-story" not in before
        await pilot.press("j")  # select the second result
        selected = before[1]
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: results(app).current.id == selected and view.article is not None and view.article.id == selected)

        (corpus / "new-story.txt").write_text(NEW_ARTICLE, encoding="utf-8")

        await see(pilot, "a brand-new story arrives", timeout=LIVE)
        await see(pilot, "Corpus changed: 1 added", "new-story", timeout=LIVE)
        await settle(pilot, lambda: "new-story" in result_ids(app), timeout=LIVE)
        assert app.screen.query_one(QueryInput).value == "tencent"
        assert app.screen.query_text == "tencent"
        # The new article ranks first: the selection follows the article, not the row.
        assert result_ids(app)[0] == "new-story"
        assert results(app).current.id == selected
        assert view.article is not None and view.article.id == selected
        assert app.screen.query_one(StatusLine).total == 4


async def test_new_file_keeps_the_organisation_filter(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        await search(pilot, "tencent")
        await pilot.press("e", *"encent", "enter")  # filter by the firm, from the panel ("t" first would be the timeline key)
        await settle(pilot, lambda: app.screen.filters == ("Tencent",) and results(app).token == app.screen._token)
        await pilot.press("slash", "enter")  # back to the results
        await settle(pilot, lambda: app.focused is results(app))
        await pilot.press("j")
        selected = result_ids(app)[1]
        await settle(pilot, lambda: results(app).current.id == selected)

        (corpus / "new-story.txt").write_text(NEW_ARTICLE, encoding="utf-8")

        await see(pilot, "a brand-new story arrives", "Corpus changed: 1 added", timeout=LIVE)
        await settle(pilot, lambda: "new-story" in result_ids(app), timeout=LIVE)
        await see(pilot, "Tencent ×", "filters: Tencent")
        assert app.screen.filters == ("Tencent",)
        assert app.screen.query_one(QueryInput).value == "tencent"
        assert results(app).current.id == selected
        assert app.focused is results(app)
        panel = app.screen.query_one(EntityPanel)
        await settle(pilot, lambda: next(f.count for f in panel.facets if f.name == "Tencent") == 4)


async def test_timeline_keeps_its_row_when_an_earlier_event_arrives(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        await pilot.press("t")
        timeline = app.screen.query_one(TimelineView)
        await settle(pilot, lambda: len(timeline.rows) > 2 and app.focused is timeline)
        await pilot.press("j", "j")
        await settle(pilot, lambda: timeline.cursor == 2)
        before = timeline.current
        count = len(timeline.rows)

        (corpus / "early.txt").write_text(
            "Tencent looks back\n\nOn 3 March 2021, Tencent said it had opened a new office in Shenzhen.\n",
            encoding="utf-8",
        )

        await settle(pilot, lambda: len(timeline.rows) == count + 1, timeout=LIVE)
        assert timeline.rows[0].date.isoformat() == "2021-03-03"  # the new row comes first...
        assert timeline.current.date == before.date and timeline.current.articles == before.articles
        assert timeline.cursor == 3  # ...and the cursor stays on the same happening
        assert app.focused is timeline and app.screen.view == "timeline"


async def test_deleted_file_disappears(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        await see(pilot, "China presses tech giants to conduct")
        assert results(app).current.id == ID_000  # newest first; 003 is further down

        (corpus / f"{ID_003}.txt").unlink()

        await settle(pilot, lambda: results(app).total == 2, timeout=LIVE)
        await gone(pilot, "China presses tech giants to conduct", timeout=LIVE)
        await see(pilot, "Corpus changed: 1 removed", ID_003, "2 of 2 articles", timeout=LIVE)
        assert ID_003 not in result_ids(app)
        assert results(app).current.id == ID_000


async def test_changed_open_article_is_reloaded_in_place(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        await pilot.press("j", "j", "enter")  # open 004 (the oldest)
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: view.article is not None and view.article.id == ID_004 and app.focused is view)
        await pilot.press("j", "j", "j")  # read on a little
        await settle(pilot, lambda: view.scroll_y == 3)

        path = corpus / f"{ID_004}.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("Raft of Problems", "Raft of Freshly Edited Problems", 1), encoding="utf-8")

        await see(pilot, "Fix Raft of Freshly Edited", timeout=LIVE)
        await see(pilot, "Corpus changed: 1 updated", timeout=LIVE)
        await settle(pilot, lambda: "Freshly Edited" in view.article.title, timeout=LIVE)
        assert view.article.id == ID_004
        assert view.scroll_y == 3  # at the same place in it
        assert app.focused is view  # still reading
        assert results(app).current.id == ID_004


def _bad_files(corpus) -> None:
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8 + b"\x00" * 512)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "[bold]odd[red] name.md").write_bytes(b"\x00\x01\x02" * 100)


async def test_skipped_files_notice_and_list(corpus, index_dir):
    _bad_files(corpus)
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot, lambda: results(app).total == 3 and not app.screen.busy, timeout=LIVE)
        await see(pilot, "3 files skipped — press S to see why", "3 skipped (S)", "S Skipped files", timeout=LIVE)  # notice, status, footer
        await pilot.press("S")
        await settle(pilot, lambda: isinstance(app.screen, SkippedScreen))
        text = await see(pilot, "3 files skipped", "binary.txt", "empty.txt", "empty file", "binary or undecodable content")
        assert "[bold]odd[red] name.md" in text  # a file name is never markup
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, SkippedScreen))
        await gone(pilot, "binary or undecodable content")


async def test_skipped_list_from_the_command_palette_and_live(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        status = app.screen.query_one(StatusLine)
        assert status.skipped == 0
        await gone(pilot, "S Skipped files")  # not in the footer while nothing is skipped

        (corpus / "binary.txt").write_bytes(b"\x00\xff" * 2000)

        await see(pilot, "Skipped binary.txt — press S to see why", timeout=LIVE)
        await settle(pilot, lambda: status.skipped == 1)
        await see(pilot, "S Skipped files")
        await pilot.press("ctrl+p", *"skipped files")
        await see(pilot, "Corpus files left out of the index")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, SkippedScreen))
        await see(pilot, "1 file skipped", "binary.txt", "binary or undecodable content")
        await pilot.press("S")  # S closes it too
        await settle(pilot, lambda: not isinstance(app.screen, SkippedScreen))


async def test_help_lists_the_skipped_key(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("question_mark")
        await see(pilot, "Skipped files")
        help_text = str(app.screen.query_one("#help-keys").render())
        assert "picked up within a few seconds" in help_text


async def test_an_index_locked_by_another_process_is_tried_again(corpus, index_dir, monkeypatch):
    from whoosh import index as whoosh_index

    from reader.ui.screens import live_index

    monkeypatch.setattr(live_index, "RETRY_SECONDS", 0.5)
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        writer = whoosh_index.open_dir(str(index_dir)).writer()  # (as `reader index` elsewhere would)
        try:
            (corpus / "new-story.txt").write_text(NEW_ARTICLE, encoding="utf-8")
            await see(pilot, "another reader process is updating this index", "every 0.5 s", timeout=LIVE)
            assert results(app).total == 3  # the index as it is, still usable
        finally:
            writer.cancel()
        await see(pilot, "Corpus changed: 1 added", "new-story", timeout=LIVE)
        await settle(pilot, lambda: results(app).total == 4)


async def test_a_damaged_index_is_rebuilt_at_launch(corpus, index_dir):
    """A TOC that cannot be read (the quick launch check only sees that it is
    there): the app builds the index again and shows the articles."""
    from reader.core.index import update_index

    update_index(corpus, index_dir)
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"\x00garbage")
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot, 3)
        assert not any("cannot" in n.message for n in app._notifications)
