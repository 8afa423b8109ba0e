"""Pilot tests of the organisations panel and the timeline."""

from __future__ import annotations

from conftest import ID_000, ID_003, ID_004
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.entities import EntityPanel
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.timeline import TimelineView
from ui.helpers import make_app, see, settle

MIIT = "Ministry of Industry and Information Technology"


def results(app) -> ResultsList:
    return app.screen.query_one(ResultsList)


async def test_panel_lists_firms_and_agencies_with_counts(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        panel = app.screen.query_one(EntityPanel)
        await settle(pilot, lambda: results(app).total == 3 and panel.facets)
        counts = {f.name: (f.kind, f.count) for f in panel.facets}
        assert counts["Tencent"] == ("firm", 3)
        assert counts["Pinduoduo"] == ("firm", 1)
        assert counts[MIIT] == ("agency", 3)
        assert counts["Internet Society of China"] == ("agency", 2)
        await see(pilot, "Firms (", "Agencies (")


async def test_select_entity_filters_results_and_escape_clears(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("e", *"pindu", "enter")
        await settle(pilot, lambda: results(app).total == 1)
        assert app.screen.filters == ("Pinduoduo",)
        await see(pilot, "Pinduoduo ×", "1 of 3 articles", "filters: Pinduoduo")  # chip and status line
        # facets follow the filtered result: only 003's organisations remain
        panel = app.screen.query_one(EntityPanel)
        await settle(pilot, lambda: "Didi" not in {f.name for f in panel.facets})
        assert {f.name for f in panel.facets} >= {"Pinduoduo", "Tencent"}
        await pilot.press("escape")
        await settle(pilot, lambda: results(app).total == 3)
        assert app.screen.filters == ()


async def test_two_entities_combine_with_and(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("e", *"xiaomi", "enter")
        await settle(pilot, lambda: results(app).total == 2)
        await pilot.press(*"didi", "enter")
        await settle(pilot, lambda: results(app).total == 1)
        assert results(app).current.id == ID_004


async def test_org_query_field_accepts_aliases(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("slash", *"agency:isc OR org:pinduoduo")
        await settle(pilot, lambda: app.screen.query_text.endswith("pinduoduo"))
        assert results(app).total == 1


async def test_timeline_open_row_lands_on_sentence_and_back(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("t")
        timeline = app.screen.query_one(TimelineView)
        await settle(pilot, lambda: len(timeline.rows) > 0)
        assert app.focused is timeline
        dates = [r.date.isoformat() for r in timeline.rows]
        assert dates == sorted(dates)
        row28 = next(i for i, r in enumerate(timeline.rows) if r.date.isoformat() == "2021-07-28")
        assert set(timeline.rows[row28].articles) == {ID_003, ID_004}
        while timeline.cursor < row28:
            await pilot.press("j")
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: view.article is not None and view._focus_span is not None)
        event = timeline.rows[row28].events[0]
        assert view.article.id == event.article_id
        await see(pilot, "Internet Society of China")  # the sentence is on screen
        await pilot.press("T")  # from the article back to its place in the timeline
        await settle(pilot, lambda: app.focused is timeline)
        assert event.article_id in timeline.current.articles


async def test_timeline_steps_days_and_follows_entity_filter(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("t")
        timeline = app.screen.query_one(TimelineView)
        await settle(pilot, lambda: len(timeline.rows) > 0)
        first = timeline.current.date
        await pilot.press("right_square_bracket")
        assert timeline.current.date > first
        await pilot.press("left_square_bracket")
        assert timeline.current.date == first
        app.screen.select_entity("Internet Society of China")
        await settle(pilot, lambda: all("Internet Society of China" in r.entities for r in timeline.rows) and timeline.rows)
        assert [r.date.isoformat() for r in timeline.rows] == ["2021-07-28"]


async def test_timeline_date_range_dialog(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("t")
        timeline = app.screen.query_one(TimelineView)
        await settle(pilot, lambda: len(timeline.rows) > 0)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"2021-09", "enter")
        await settle(pilot, lambda: timeline.rows and all(r.date.month == 9 for r in timeline.rows))
        await see(pilot, "from 2021-09-01 to 2021-09-30")


async def test_panel_in_narrow_layout(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        panel = app.screen.query_one(EntityPanel)
        assert panel.region.width == 0
        await pilot.press("e")
        await settle(pilot, lambda: panel.region.width > 40)
        await see(pilot, "Firms (")
        await pilot.press("escape")
        await settle(pilot, lambda: panel.region.width == 0 and results(app).region.width > 0)


async def test_narrow_timeline_opens_article_at_the_sentence(corpus, index_dir):
    app = make_app(corpus, index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: results(app).total == 3)
        await pilot.press("t")
        timeline = app.screen.query_one(TimelineView)
        await settle(pilot, lambda: len(timeline.rows) > 0)
        row = timeline.current
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        await settle(pilot, lambda: view.article is not None and view.region.width > 0)
        # the sentence's first words are on screen although the article is long
        await see(pilot, " ".join(row.sentence.split()[:6]))
