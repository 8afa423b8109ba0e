"""The results list: a virtual, line-rendered list of search hits.

Only the rows on screen are ever rendered, and their data is fetched in
pages on demand (the screen answers :class:`RowsWanted`), so a result of
100,000 articles costs one tuple of document numbers, not 100,000 widgets.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.models import Hit
from ..messages import HighlightedArticle, OpenArticle, RowsWanted
from ..textrender import blank, styled, to_strip

PAGE = 50


class ResultsList(ScrollView, can_focus=True):
    """Hits as three-line rows: title, source · date · hits, snippet."""

    ROW_HEIGHT = 3
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "open", "Open", show=True),
    ]
    COMPONENT_CLASSES = {
        "results--title",
        "results--meta",
        "results--snippet",
        "results--match",
        "results--cursor",
        "results--placeholder",
    }

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.token = 0
        self.total = 0
        self._rows: dict[int, Hit] = {}
        self._requested: set[int] = set()
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)  # rendered lines of this result

    # -- state pushed down by the screen -----------------------------------
    def show_result(
        self,
        token: int,
        total: int,
        rows: dict[int, Hit],
        keep_id: str | None = None,
        fallback: int | None = None,
        keep_view: bool = False,
    ) -> None:
        """Show a new result of ``total`` matches, of which ``rows`` (by
        position) are already read; the others are asked for when on screen.
        ``keep_id``: the article to keep selected, if among ``rows``;
        ``fallback``: the row to select instead (else the first);
        ``keep_view``: keep the selected row where it was on screen (the index
        changed under the user)."""
        screen_row = self.cursor * self.ROW_HEIGHT - int(self.scroll_y)
        height = self.scrollable_content_region.height
        self.token = token
        self.total = total
        self._rows = dict(rows)
        self._requested = set()
        self._strips.clear()
        self.virtual_size = Size(self.size.width, total * self.ROW_HEIGHT)
        index = next((i for i, h in self._rows.items() if h.id == keep_id), None) if keep_id else None
        if index is None:
            index = max(0, min(total - 1, fallback or 0))
        self.cursor = index
        if keep_view and 0 <= screen_row <= height - self.ROW_HEIGHT:
            self.scroll_to(y=max(0, index * self.ROW_HEIGHT - screen_row), animate=False)
        else:
            self.scroll_to(y=max(0, (index - 1) * self.ROW_HEIGHT), animate=False)
        self.refresh()

    def rows_in_view(self) -> int:
        """How many rows fit on screen (at least a few, when hidden)."""
        return max(10, -(-self.scrollable_content_region.height // self.ROW_HEIGHT) + 1)

    def add_rows(self, token: int, start: int, hits: list[Hit]) -> None:
        if token != self.token:
            return  # rows of an older result: drop them
        for i, hit in enumerate(hits, start):
            self._rows[i] = hit
        self.refresh()
        if self.cursor in range(start, start + len(hits)):
            self.post_message(HighlightedArticle(hits[self.cursor - start].id))

    @property
    def current(self) -> Hit | None:
        return self._rows.get(self.cursor)

    # -- actions -----------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_page(self, delta: int) -> None:
        per_page = max(1, self.scrollable_content_region.height // self.ROW_HEIGHT)
        self._move(self.cursor + delta * per_page)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self.total - 1)

    def action_open(self) -> None:
        hit = self.current
        if hit is not None:
            self.post_message(OpenArticle(hit.id))

    def _move(self, index: int) -> None:
        if not self.total:
            return
        self.cursor = max(0, min(self.total - 1, index))

    def watch_cursor(self, old: int, new: int) -> None:
        top = new * self.ROW_HEIGHT
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + self.ROW_HEIGHT > self.scroll_y + height:
            self.scroll_to(y=top + self.ROW_HEIGHT - height, animate=False)
        self.refresh()
        hit = self._rows.get(new)
        if hit is not None:
            self.post_message(HighlightedArticle(hit.id))

    def on_click(self, event) -> None:
        row = int(event.y + self.scroll_y) // self.ROW_HEIGHT
        if 0 <= row < self.total:
            self.focus()
            if row == self.cursor:
                self.action_open()
            self.cursor = row

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total * self.ROW_HEIGHT)

    # -- rendering ---------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + int(self.scroll_y)
        row, part = divmod(line, self.ROW_HEIGHT)
        if row >= self.total:
            return blank(width, self.rich_style)
        is_cursor = row == self.cursor
        hit = self._rows.get(row)
        # Lines are kept once rendered: a focus change or a cursor move
        # repaints the whole list, but only the cursor's rows change.
        key = (row, part, is_cursor, is_cursor and self.has_focus, width, self.app.theme)
        if hit is not None and (strip := self._strips.get(key)) is not None:
            return strip
        base = self.rich_style
        if is_cursor:
            cursor_style = self.get_component_rich_style("results--cursor")
            if not self.has_focus:
                cursor_style = Style(bgcolor=cursor_style.bgcolor, dim=False)
            base = base + cursor_style
        if hit is None:
            self._want(row)
            text = Text("…" if part == 0 else "", style=self.get_component_rich_style("results--placeholder"))
            return to_strip(text, width, self.app.console, base)
        strip = to_strip(self._row_text(hit, part, is_cursor), width, self.app.console, base).apply_style(base)
        self._strips[key] = strip
        return strip

    def _row_text(self, hit: Hit, part: int, is_cursor: bool) -> Text:
        marker = "▌" if is_cursor else " "
        if part == 0:
            title = styled(hit.title, base=self.get_component_rich_style("results--title"))
            return Text(marker, end="") + title
        if part == 1:
            bits = [b for b in (hit.source, hit.date_iso) if b]
            bits.append(f"{hit.hit_count} hit{'s' if hit.hit_count != 1 else ''}" if hit.hit_count else "")
            meta = " · ".join(b for b in bits if b)
            return Text(marker, end="") + styled(meta, base=self.get_component_rich_style("results--meta"))
        match = self.get_component_rich_style("results--match")
        snippet = styled(
            hit.snippet.text,
            ((s, e, match) for s, e in hit.snippet.spans),
            base=self.get_component_rich_style("results--snippet"),
        )
        return Text(marker, end="") + snippet

    def _want(self, row: int) -> None:
        """Ask for the rows of ``row``'s page that are not here yet (once)."""
        page = row // PAGE
        if page in self._requested:
            return
        self._requested.add(page)
        start, stop = page * PAGE, min(self.total, (page + 1) * PAGE)
        while start < stop and start in self._rows:
            start += 1
        if start < stop:
            self.post_message(RowsWanted(self.token, start, stop))
