"""The main screen: search box, results, article — and the mediator between them.

State flows down (reactives bound to child widgets, or explicit calls on a
child with the new state); widgets report up with messages. Every Whoosh call
runs in a thread worker and hands back plain dataclasses; a result whose
token is not the latest is dropped.
"""

from __future__ import annotations

import threading

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar, Static
from textual.worker import get_current_worker

from ...core.models import IndexReport
from ...core.query import QueryError
from ..backend import Backend
from ..messages import EntityToggled, HighlightedArticle, OpenArticle, OpenEvent, RowsWanted, ShowInTimeline
from ..widgets.article import ArticleView
from ..widgets.chips import FilterChips
from ..widgets.entities import EntityPanel
from ..widgets.results import PAGE, ResultsList
from ..widgets.timeline import TimelineView
from ..widgets.search_bar import QueryInput, QueryMessage
from ..widgets.status import StatusLine
from .date_range import DateRangeScreen
from .help import HelpScreen

NARROW = 110  # below this width, results and article take turns


class MainScreen(Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("escape", "back", "Back/clear"),
        Binding("s", "toggle_sort", "Sort"),
        Binding("t", "toggle_timeline", "Timeline"),
        Binding("e", "focus_entities", "Orgs"),
        Binding("d", "date_range", "Dates", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("ctrl+y", "accept_suggestion", "Use suggestion", show=False),
        Binding("o", "open_current", "Open", show=False),
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

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self._token = 0
        self._result = None
        self._debounce = None
        self._preview_id: str | None = None
        self._timeline_focus: str | None = None
        self._first_results = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="top"):
            yield QueryInput(placeholder="Search — / to focus, ? for help", id="query")
            yield QueryMessage(id="query-message")
            yield FilterChips(id="chips").data_bind(MainScreen.filters)
        with Horizontal(id="panes"):
            yield EntityPanel(id="entities")
            with Vertical(id="results-pane"):
                with Vertical(id="building"):
                    yield Static("Building the index…", id="building-label")
                    yield ProgressBar(id="progress", show_eta=True)
                yield ResultsList(id="results")
                yield TimelineView(id="timeline")
            yield ArticleView(id="article")
        yield StatusLine(id="status").data_bind(
            MainScreen.total, MainScreen.matched, MainScreen.sort, MainScreen.filters, MainScreen.busy
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#building").display = False
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

    # -- index lifecycle -----------------------------------------------------
    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def prepare_index(self) -> None:
        backend = self.backend
        if backend.has_index():
            backend.open()
            self.app.call_from_thread(self._engine_ready)
            # Let the first results reach the screen before scanning the corpus.
            self._first_results.wait(3.0)
            self.app.call_from_thread(setattr, self, "busy", "checking for changes…")
            report, notice = backend.update()
            backend.engine.warm()
        else:
            self.app.call_from_thread(self._show_building, True)
            report, notice = backend.update(progress=self._progress_from_thread)
            backend.open().warm()
            self.app.call_from_thread(self._show_building, False)
            self.app.call_from_thread(self._engine_ready)
            report = None  # first build: nothing to announce beyond the results
        self.app.call_from_thread(self._index_checked, report, notice)

    def _progress_from_thread(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._set_progress, done, total)

    def _set_progress(self, done: int, total: int) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#building-label", Static).update(f"Building the index: {done:,} of {total:,} articles")

    def _show_building(self, show: bool) -> None:
        self.query_one("#building").display = show
        self.busy = "building index…" if show else ""

    def _engine_ready(self) -> None:
        engine = self.backend.engine
        self.total = engine.doc_count if engine else 0
        self.run_search()

    def _index_checked(self, report: IndexReport | None, notice: str | None) -> None:
        self.busy = ""
        if notice:
            self.notify(notice, severity="warning", timeout=8)
        if report is None:
            return
        if report.changed:
            engine = self.backend.engine
            self.total = engine.doc_count if engine else 0
            self.notify(
                f"Index updated: {len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed",
                timeout=5,
            )
            self.run_search(keep_cursor=True)
        if report.skipped:
            names = ", ".join(f"{s.path} ({s.reason})" for s in report.skipped[:5])
            more = f" and {len(report.skipped) - 5} more" if len(report.skipped) > 5 else ""
            self.notify(f"Skipped {len(report.skipped)} file(s): {names}{more}", severity="warning", timeout=10)

    # -- searching -----------------------------------------------------------
    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.12, lambda: setattr(self, "query_text", event.value))

    @on(Input.Submitted, "#query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.query_one(ResultsList).focus()

    def watch_query_text(self) -> None:
        self.run_search()

    def watch_sort(self) -> None:
        self.run_search(keep_cursor=True)

    def run_search(self, keep_cursor: bool = False) -> None:
        if self.backend.engine is None:
            return
        self._token += 1
        current = self.query_one(ResultsList).current if keep_cursor else None
        self._search(
            self._token, self.query_text, self.sort, self.filters, current.id if current else None,
            self.view == "timeline", self.date_range,
        )

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, token, query, sort, filters, keep, timeline, date_range) -> None:
        engine = self.backend.engine
        try:
            result = engine.search(query, sort=sort, filters=filters)
            first = engine.hits(result, 0, PAGE)
        except QueryError as exc:
            self.app.call_from_thread(self._search_failed, token, str(exc))
            return
        except Exception as exc:  # a Whoosh failure must show, not kill the app
            self.app.call_from_thread(self._search_failed, token, f"search failed: {type(exc).__name__}: {exc}")
            return
        if get_current_worker().is_cancelled:
            return
        # Results first (the first usable screen), then the panel and timeline.
        self.app.call_from_thread(self._search_done, token, result, first, keep)
        facets = engine.facets(result)
        rows = engine.timeline(result, entities=filters, start=date_range[0], end=date_range[1]) if timeline else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._side_views_done, token, facets, rows)

    def _search_failed(self, token: int, message: str) -> None:
        if token != self._token:
            return
        message_line = self.query_one(QueryMessage)
        message_line.error = message
        message_line.suggestion = ""

    def _search_done(self, token: int, result, first, keep) -> None:
        if token != self._token:
            return  # a newer query is already on its way: drop this one
        self._result = result
        message_line = self.query_one(QueryMessage)
        message_line.error = ""
        message_line.suggestion = result.suggestion or ""
        self.matched = result.total
        self._preview_id = None  # new terms: the previewed article must be re-highlighted
        self.query_one(ResultsList).show_result(token, result.total, first, keep_cursor=keep)
        self._first_results.set()
        if not first:
            self.query_one(ArticleView).clear()
            self._preview_id = None

    def _side_views_done(self, token: int, facets, rows) -> None:
        if token != self._token:
            return
        self.query_one(EntityPanel).show_facets(facets, self.filters)
        if rows is not None:
            self.query_one(TimelineView).show_rows(rows, focus_article=self._timeline_focus, caption=self._timeline_caption(rows))
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
            self._fetch_rows(event.token, self._result, event.start, event.stop)

    @work(thread=True, group="rows", exit_on_error=False)
    def _fetch_rows(self, token: int, result, start: int, stop: int) -> None:
        hits = self.backend.engine.hits(result, start, stop)
        self.app.call_from_thread(self.query_one(ResultsList).add_rows, token, start, hits)

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
    def _load_article(self, article_id: str, offset: int | None, focus: bool, span=None) -> None:
        terms = self._result.terms if self._result is not None else frozenset()
        opened = self.backend.open_article(article_id, terms)
        if get_current_worker().is_cancelled or opened is None:
            return
        self.app.call_from_thread(self._show_article, opened, offset, focus, span)

    def _show_article(self, opened, offset: int | None, focus: bool, span=None) -> None:
        view = self.query_one(ArticleView)
        if focus:
            self.reading = True  # show the pane first, so the text wraps at its real width
        view.show_article(opened.article, opened.hits, opened.entities, opened.events, offset=offset, focus_span=span)
        if focus:
            view.focus()

    # -- actions -------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.reading = False
        self.query_one(QueryInput).focus()

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
        self.query_one(EntityPanel).focus()

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

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.key_sections()))

    def key_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        def rows(bindings) -> list[tuple[str, str]]:
            out = []
            for b in bindings:
                keys = " / ".join(_pretty_key(k) for k in b.key.split(","))
                out.append((keys, b.description or b.action))
            return out

        return [
            ("Everywhere", rows(self.BINDINGS) + [("tab / shift+tab", "Next / previous pane"), ("ctrl+p", "Command palette"), ("ctrl+q", "Quit")]),
            ("Results", rows(ResultsList.BINDINGS)),
            ("Article", rows(ArticleView.BINDINGS)),
            ("Organisations panel", rows(EntityPanel.BINDINGS) + [("letters", "Type to narrow the list"), ("esc", "Clear typed text, then filters")]),
            ("Timeline", rows(TimelineView.BINDINGS) + [("t", "Back to results"), ("d", "Date range")]),
        ]


def _pretty_key(key: str) -> str:
    return {
        "slash": "/",
        "question_mark": "?",
        "escape": "esc",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
    }.get(key, key)
