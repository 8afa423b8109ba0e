"""The main screen: search box, results, article — and the mediator between them.

State flows down (reactives bound to child widgets, or explicit calls on a
child with the new state); widgets report up with messages. Every Whoosh call
runs in a thread worker and hands back plain dataclasses; a result whose
token is not the latest is dropped.

Opening, building and updating the index, and watching the corpus folder,
live in :mod:`.live_index` (a mixin of this screen). After an update the
search is run again with the query, filters, selected result, open article
and timeline row kept, so the user does not lose their place.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from ...core.models import IndexReport
from ...core.matching import SearchCancelled
from ...core.query import QueryError
from ..backend import Backend
from ..notices import describe
from ..messages import (
    EngineReady,
    EntityToggled,
    HighlightedArticle,
    OpenArticle,
    OpenEvent,
    RowsWanted,
    ShowInTimeline,
)
from ..widgets.article import ArticleView
from ..widgets.build_progress import BuildProgress
from ..widgets.chips import FilterChips
from ..widgets.entities import EntityPanel
from ..widgets.results import PAGE, ResultsList
from ..widgets.search_bar import QueryInput, QueryMessage
from ..widgets.status import StatusLine
from ..widgets.keybar import KeyBar
from ..widgets.timeline import TimelineView
from .date_range import DateRangeScreen
from .help import HelpScreen
from .keys import key_sections
from .live_index import LiveIndex
from .skipped import SkippedScreen

NARROW = 110  # below this width, results and article take turns


class MainScreen(LiveIndex, Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "Search", priority=True),  # before queued keys go to the old pane
        Binding("escape", "back", "Back/clear"),
        Binding("s", "toggle_sort", "Sort"),
        Binding("t", "toggle_timeline", "Timeline"),
        Binding("e", "focus_entities", "Orgs", priority=True),  # as "/": what is typed next goes to the panel
        Binding("d", "date_range", "Dates", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("ctrl+y", "accept_suggestion", "Use suggestion", show=False),
        Binding("o", "open_current", "Open", show=False),
        Binding("S", "skipped", "Skipped files"),  # in the key bar only when there are some
    ]

    query_text: reactive[str] = reactive("")
    sort: reactive[str] = reactive("relevance")
    filters: reactive[tuple[str, ...]] = reactive(())
    total: reactive[int] = reactive(0)
    matched: reactive[int] = reactive(0)
    busy: reactive[str] = reactive("")
    reading: reactive[bool] = reactive(False)
    view: reactive[str] = reactive("results")  # "results" | "timeline"
    date_range: reactive[tuple] = reactive((None, None))
    show_entities: reactive[bool] = reactive(False)  # narrow layout: panel shown on demand
    skipped_count: reactive[int] = reactive(0)

    def __init__(self, backend: Backend, watch: bool = True) -> None:
        super().__init__()
        self.backend = backend
        self._init_live_index(watch)
        self._token = 0  # of the latest search: results with another are dropped
        self._result = None
        self._result_engine = None  # the engine whose document numbers _result holds
        self._debounce = None
        self._preview_id: str | None = None
        self._timeline_focus: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="top"):
            yield QueryInput(placeholder="Search — / to focus, ? for help", id="query")
            yield QueryMessage(id="query-message")
            yield FilterChips(id="chips").data_bind(MainScreen.filters)
        with Horizontal(id="panes"):
            yield EntityPanel(id="entities")
            with Vertical(id="results-pane"):
                yield BuildProgress(id="building")
                yield ResultsList(id="results")
                yield TimelineView(id="timeline")
            yield ArticleView(id="article")
        yield StatusLine(id="status").data_bind(
            MainScreen.total,
            MainScreen.matched,
            MainScreen.sort,
            MainScreen.filters,
            MainScreen.busy,
            skipped=MainScreen.skipped_count,
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TimelineView).display = False
        self.query_one(ResultsList).focus()
        self._apply_layout(self.size.width)
        self.prepare_index()

    def on_resize(self, event) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    def watch_reading(self, reading: bool) -> None:
        self.set_class(reading, "-reading")

    def watch_show_entities(self, show: bool) -> None:
        self.set_class(show, "-entities")

    def watch_view(self, view: str) -> None:
        timeline = view == "timeline"
        self.query_one(ResultsList).display = not timeline
        self.query_one(TimelineView).display = timeline
        self.set_class(timeline, "-timeline")
        (self.query_one(TimelineView) if timeline else self.query_one(ResultsList)).focus()
        if timeline:
            self.run_search(keep_cursor=True)

    def watch_date_range(self) -> None:
        if self.view == "timeline":
            self.run_search(keep_cursor=True)

    # -- the index (see live_index.py for the rest) ---------------------------
    def on_engine_ready(self, event: EngineReady) -> None:
        engine = self.backend.engine
        self.total = engine.doc_count if engine else 0
        self.run_search()

    def _refresh_views(self, report: IndexReport) -> None:
        """The index changed under the user: search again without losing
        their place (query, filters, selected result, article, timeline row)."""
        engine = self.backend.engine
        self.total = engine.doc_count if engine else 0
        view = self.query_one(ArticleView)
        if view.article is not None:
            if view.article.id in report.updated:
                self._load_article(view.article.id, None, False, keep_place=True)
            elif view.article.id in report.removed:
                self.notify("The article on screen was removed from the corpus folder", severity="warning", timeout=6)
        self.run_search(keep_cursor=True, refresh=True)

    # -- searching -----------------------------------------------------------
    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.12, lambda: setattr(self, "query_text", event.value))

    @on(Input.Submitted, "#query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value  # the search worker starts now...
        # ...and the focus moves after the next frame: moving it re-lays out the
        # key bar (other keys), which held up the worker's start by ~20-40 ms.
        self.call_after_refresh(self.query_one(ResultsList).focus)

    def watch_query_text(self) -> None:
        self.run_search()

    def watch_sort(self) -> None:
        self.run_search(keep_cursor=True)

    def run_search(self, keep_cursor: bool = False, refresh: bool = False) -> None:
        """Search again. ``keep_cursor`` keeps the selected result (by id);
        ``refresh`` (the index changed) also keeps the article and the view."""
        if self.backend.engine is None:
            return
        self._token += 1
        results = self.query_one(ResultsList)
        current = results.current if keep_cursor else None
        keep = (current.id, results.cursor) if current else None
        self._search(
            self._token, self.query_text, self.sort, self.filters, keep, results.rows_in_view(),
            self.view == "timeline", self.date_range, refresh,
        )

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, token, query, sort, filters, keep, first_rows, timeline, date_range, refresh) -> None:
        """Only the rows on screen are read before the results show (snippets
        cost a few ms a row); the list asks for the others when it needs them."""
        worker = get_current_worker()
        engine = self.backend.engine
        try:
            result = engine.search(query, sort=sort, filters=filters, cancelled=lambda: worker.is_cancelled)
            rows = dict(enumerate(engine.hits(result, 0, first_rows)))
            if keep is not None and not any(h.id == keep[0] for h in rows.values()):
                # The kept result is further down: read the rows around where it was.
                start, stop = max(first_rows, keep[1] - PAGE), min(result.total, keep[1] + PAGE)
                rows.update(enumerate(engine.hits(result, start, stop), start))
        except SearchCancelled:
            return  # a newer query is on its way (a broad wildcard gave way to it)
        except QueryError as exc:
            self.app.call_from_thread(self._search_failed, token, str(exc))
            return
        except Exception as exc:  # a Whoosh failure must show, not kill the app
            self.app.call_from_thread(self._search_failed, token, f"search failed: {describe(exc)}")
            return
        if worker.is_cancelled:
            return
        # Results first (the first usable screen), then the panel and timeline.
        self.app.call_from_thread(self._search_done, token, engine, result, rows, keep, refresh)
        facets = engine.facets(result)
        if worker.is_cancelled:
            return
        timeline_rows = engine.timeline(result, entities=filters, start=date_range[0], end=date_range[1]) if timeline else None
        if not worker.is_cancelled:
            self.app.call_from_thread(self._side_views_done, token, facets, timeline_rows, refresh)

    def _search_failed(self, token: int, message: str) -> None:
        if token != self._token:
            return
        message_line = self.query_one(QueryMessage)
        message_line.error = message
        message_line.suggestion = ""

    def _search_done(self, token: int, engine, result, rows, keep, refresh: bool) -> None:
        if token != self._token:
            return  # a newer query is already on its way: drop this one
        self._result = result
        self._result_engine = engine
        message_line = self.query_one(QueryMessage)
        message_line.error = ""
        message_line.suggestion = result.suggestion or ""
        self.matched = result.total
        if not refresh:
            self._preview_id = None  # new terms: the previewed article must be re-highlighted
        keep_id, keep_index = keep if keep else (None, 0)
        results = self.query_one(ResultsList)
        results.show_result(
            token, result.total, rows, keep_id=keep_id, fallback=keep_index if refresh else None, keep_view=refresh
        )
        if refresh and self.reading and results.current is not None:
            # The user is reading: the cursor landing elsewhere must not replace the article.
            self._preview_id = results.current.id
        if not self._first_results.is_set():
            self._first_results.set()
            self._start_watching()
        if not result.total and not (refresh and self.reading):
            self.query_one(ArticleView).clear()
            self._preview_id = None

    def _side_views_done(self, token: int, facets, rows, refresh: bool) -> None:
        if token != self._token:
            return
        self.query_one(EntityPanel).show_facets(facets, self.filters)
        if rows is not None:
            self.query_one(TimelineView).show_rows(
                rows, focus_article=self._timeline_focus, caption=self._timeline_caption(rows), keep_place=refresh
            )
            self._timeline_focus = None

    def _timeline_caption(self, rows) -> str:
        bits = [f"{len(rows)} dated events"]
        start, end = self.date_range
        if start or end:
            bits.append(f"from {start or '…'} to {end or '…'}")
        if self.query_text:
            bits.append("matching the query")
        if self.filters:
            bits.append("with " + " + ".join(self.filters))
        return " · ".join(bits) + "   (d: date range)"

    @on(RowsWanted)
    def _rows_wanted(self, event: RowsWanted) -> None:
        if self._result is not None and event.token == self._token:
            self._fetch_rows(event.token, self._result_engine, self._result, event.start, event.end)

    @work(thread=True, group="rows", exit_on_error=False)
    def _fetch_rows(self, token: int, engine, result, start: int, stop: int) -> None:
        if token != self._token:
            return  # the user has moved on: do not keep the engine busy
        # Document numbers are only meaningful to the engine that produced them.
        hits = engine.hits(result, start, stop)
        self.app.call_from_thread(self._rows_fetched, token, start, hits)

    def _rows_fetched(self, token: int, start: int, hits) -> None:
        if token == self._token:  # not if the index changed meanwhile
            self.query_one(ResultsList).add_rows(token, start, hits)

    # -- articles ------------------------------------------------------------
    @on(HighlightedArticle)
    def _highlighted(self, event: HighlightedArticle) -> None:
        if self.view == "results" and not self.has_class("-narrow") and event.article_id != self._preview_id:
            self._preview_id = event.article_id
            self._load_article(event.article_id, None, False)

    @on(OpenArticle)
    def _open(self, event: OpenArticle) -> None:
        self._preview_id = event.article_id
        self._load_article(event.article_id, event.offset, True)

    @on(OpenEvent)
    def _open_event(self, event: OpenEvent) -> None:
        self._preview_id = event.article_id
        self._load_article(event.article_id, event.start, True, (event.start, event.end))

    @on(ShowInTimeline)
    def _show_in_timeline(self, event: ShowInTimeline) -> None:
        self.reading = False
        self._timeline_focus = event.article_id
        if self.view == "timeline":
            self.run_search(keep_cursor=True)
            self.query_one(TimelineView).focus()
        else:
            self.view = "timeline"

    @on(EntityToggled)
    def _entity_toggled(self, event: EntityToggled) -> None:
        if event.name in self.filters:
            self.filters = tuple(f for f in self.filters if f != event.name)
        else:
            self.filters = self.filters + (event.name,)

    def watch_filters(self) -> None:
        self.query_one(ArticleView).selected_entities = self.filters
        self.run_search()

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _load_article(self, article_id: str, offset: int | None, focus: bool, span=None, keep_place: bool = False) -> None:
        terms = self._result.terms if self._result is not None else frozenset()
        opened = self.backend.open_article(article_id, terms)
        if get_current_worker().is_cancelled or opened is None:
            return
        self.app.call_from_thread(self._show_article, opened, offset, focus, span, keep_place)

    def _show_article(self, opened, offset: int | None, focus: bool, span=None, keep_place: bool = False) -> None:
        view = self.query_one(ArticleView)
        if keep_place and (view.article is None or view.article.id != opened.article.id):
            return  # the user moved on while the new version was read
        if focus:
            self.reading = True  # show the pane first, so the text wraps at its real width
        view.show_article(
            opened.article, opened.hits, opened.entities, opened.events, offset=offset, focus_span=span, keep_place=keep_place
        )
        if focus:
            view.focus()

    # -- actions -------------------------------------------------------------
    def action_focus_search(self) -> None:
        box = self.query_one(QueryInput)
        self.reading = False
        # Focus now, not via focus()'s call_later: the keys typed right after
        # "/" (a fast typist, a paste) are already queued and must reach the box.
        self.set_focus(box)

    def action_open_current(self) -> None:
        self.query_one(ResultsList).action_open()

    def _list_pane(self):
        return self.query_one(TimelineView) if self.view == "timeline" else self.query_one(ResultsList)

    def action_back(self) -> None:
        focused = self.focused
        search = self.query_one(QueryInput)
        panel = self.query_one(EntityPanel)
        if isinstance(focused, ArticleView) or self.reading:
            self.reading = False
            self._list_pane().focus()
        elif focused is search and search.value:
            search.value = ""
        elif focused is search:
            self._list_pane().focus()
        elif focused is panel and panel.clear_typed():
            pass
        elif self.filters:
            self.filters = ()
        elif focused is panel and self.show_entities:
            self.show_entities = False
            self._list_pane().focus()
        elif self.view == "timeline" and any(self.date_range):
            self.date_range = (None, None)
        elif self.view == "timeline":
            self.view = "results"
        elif self.query_text:
            search.value = ""
            self.query_text = ""

    def action_toggle_timeline(self) -> None:
        self.reading = False
        self.view = "results" if self.view == "timeline" else "timeline"

    def action_focus_entities(self) -> None:
        self.reading = False
        self.show_entities = True
        self.set_focus(self.query_one(EntityPanel))  # now, as "/" does: the name typed next is queued

    def action_date_range(self) -> None:
        def apply(value) -> None:
            if value is not None:
                self.date_range = value
                if self.view != "timeline":
                    self.view = "timeline"

        self.app.push_screen(DateRangeScreen(self.date_range), apply)

    def select_entity(self, name: str) -> None:
        """Add an organisation filter (from the command palette)."""
        if name not in self.filters:
            self.filters = self.filters + (name,)

    def palette_commands(self):
        from textual.app import SystemCommand

        panel = self.query_one(EntityPanel)
        for facet in panel.facets[:300]:
            yield SystemCommand(
                f"Filter by {facet.kind}: {facet.name}",
                f"{facet.count} article(s) in the current results",
                lambda name=facet.name: self.select_entity(name),
            )
        yield SystemCommand("Timeline", "Show or hide the timeline (t)", self.action_toggle_timeline)
        yield SystemCommand("Timeline date range", "Narrow the timeline to dates (d)", self.action_date_range)
        yield SystemCommand("Organisations", "Focus the firms and agencies panel (e)", self.action_focus_entities)
        yield SystemCommand("Clear filters", "Remove every organisation filter", lambda: setattr(self, "filters", ()))

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"

    def action_accept_suggestion(self) -> None:
        suggestion = self.query_one(QueryMessage).suggestion
        if suggestion:
            self.query_one(QueryInput).value = suggestion
            self.query_text = suggestion

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skipped":
            return bool(self.skipped_count)  # (the command palette opens the list anyway)
        if action == "focus_search" and isinstance(self.focused, QueryInput):
            return False  # "/" is a priority key: in the box it must stay text ("a/b")
        if action == "focus_entities" and isinstance(self.focused, (QueryInput, EntityPanel)):
            return False  # "e" too: text in the box, and in the panel's name filter
        return True

    def watch_skipped_count(self) -> None:
        self.refresh_bindings()

    def action_skipped(self) -> None:
        self.app.push_screen(SkippedScreen(self.skipped))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(key_sections(self.BINDINGS)))
