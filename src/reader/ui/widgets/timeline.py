"""The timeline: dated events across the corpus, grouped by month.

Each row is one happening, possibly reported by several articles: its date,
how many sources, the organisations involved, and the sentence. Enter opens
the article at that sentence (again: the next source); ``[``/``]`` step to
the previous/next day.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..messages import OpenEvent
from ..textrender import blank, styled, to_strip


def fmt_date(date: dt.date, granularity: str) -> str:
    if granularity == "year":
        return f"{date.year}"
    if granularity == "month":
        return date.strftime("%b %Y")
    return date.strftime("%a %d %b %Y")


class TimelineView(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("enter", "open", "Open at sentence", show=True),
        Binding("left_square_bracket", "step_day(-1)", "Prev day", show=True),
        Binding("right_square_bracket", "step_day(1)", "Next day", show=True),
        Binding("home,g", "edge(0)", "First", show=False),
        Binding("end,G", "edge(1)", "Last", show=False),
    ]
    COMPONENT_CLASSES = {"timeline--month", "timeline--date", "timeline--meta", "timeline--sentence", "timeline--cursor", "timeline--approx"}

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list = []
        self._lines: list[tuple[int, int]] = []  # (row index or -1 for header, part / header row)
        self._row_line: list[int] = []
        self._source_turn = 0
        self.caption = ""

    def show_rows(self, rows: list, focus_article: str | None = None, caption: str = "", keep_place: bool = False) -> None:
        """Show timeline rows. ``focus_article``: select its first row;
        ``keep_place`` (the index changed under the user): stay on the same
        happening, at the same height on screen, or the nearest later one."""
        before = self.current if keep_place else None
        screen_line = self._row_line[self.cursor] - int(self.scroll_y) if before is not None else None
        self.rows = rows
        self.caption = caption
        lines: list[tuple[int, int]] = []
        row_line: list[int] = []
        month = None
        for i, row in enumerate(rows):
            key = (row.date.year, row.date.month)
            if key != month:
                month = key
                lines.append((-1, i))
            row_line.append(len(lines))
            lines.append((i, 0))
            lines.append((i, 1))
        self._lines, self._row_line = lines, row_line
        self.virtual_size = Size(self.size.width, len(lines) + 1)
        index = 0
        if focus_article:
            index = next((i for i, r in enumerate(rows) if focus_article in r.articles), 0)
        elif before is not None:
            index = _same_place(rows, before)
        self._source_turn = 0
        height = self.scrollable_content_region.height
        if screen_line is not None and rows and 0 <= screen_line < height - 2:
            self.scroll_to(y=max(0, row_line[index] - screen_line), animate=False, immediate=True)
        self.cursor = index
        self.refresh()

    @property
    def current(self):
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- keys --------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_edge(self, end: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if end else 0

    def action_step_day(self, delta: int) -> None:
        row = self.current
        if row is None:
            return
        i = self.cursor
        while 0 <= i + delta < len(self.rows):
            i += delta
            if self.rows[i].date != row.date:
                target = self.rows[i].date
                if delta < 0:  # land on the first row of that earlier day
                    while i > 0 and self.rows[i - 1].date == target:
                        i -= 1
                self.cursor = i
                return
        self.notify("No earlier day" if delta < 0 else "No later day", timeout=2)

    def action_open(self) -> None:
        row = self.current
        if row is None:
            return
        events_ = row.events
        event = events_[self._source_turn % len(events_)]
        self._source_turn += 1
        self.post_message(OpenEvent(event.article_id, event.start, event.end))

    def watch_cursor(self, index: int) -> None:
        self._source_turn = 0
        if not self._row_line or index >= len(self._row_line):
            self.refresh()
            return
        top = self._row_line[index] + 1
        height = self.scrollable_content_region.height
        if top - 1 < self.scroll_y:
            self.scroll_to(y=max(0, top - 2), animate=False)
        elif top + 2 > self.scroll_y + height:
            self.scroll_to(y=top + 2 - height, animate=False)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        line = int(event.y + self.scroll_y) - 1
        if 0 <= line < len(self._lines) and self._lines[line][0] >= 0:
            self.focus()
            row = self._lines[line][0]
            if row == self.cursor:
                self.action_open()
            self.cursor = row

    # -- rendering -----------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_y)
        base = self.rich_style
        if index == 0:
            caption = self.caption or f"{len(self.rows)} dated events"
            return to_strip(Text(caption, style="dim"), width, self.app.console, base)
        index -= 1
        if not self.rows and index == 1:
            return to_strip(Text("  No dated events match.", style="dim"), width, self.app.console, base)
        if index >= len(self._lines):
            return blank(width, base)
        row_index, part = self._lines[index]
        if row_index < 0:
            row = self.rows[part]
            title = row.date.strftime("%B %Y")
            return to_strip(Text(f"── {title} ", style=self.get_component_rich_style("timeline--month")), width, self.app.console, base)
        row = self.rows[row_index]
        style = base
        selected = row_index == self.cursor
        if selected:
            style = base + self.get_component_rich_style("timeline--cursor")
        marker = "▌" if selected else " "
        if part == 0:
            text = Text(marker)
            text.append(fmt_date(row.date, row.granularity), style=self.get_component_rich_style("timeline--date"))
            approx = any(e.approximate for e in row.events)
            if approx:
                text.append(" ~", style=self.get_component_rich_style("timeline--approx"))
            n = len(row.articles)
            text.append(f"  {n} source{'s' if n != 1 else ''}", style=self.get_component_rich_style("timeline--meta"))
            if row.entities:
                text.append("  " + ", ".join(row.entities), style=self.get_component_rich_style("timeline--meta"))
        else:
            text = Text(marker) + styled("  " + " ".join(row.sentence.split()), base=self.get_component_rich_style("timeline--sentence"))
        return to_strip(text, width, self.app.console, style).apply_style(style)


def _same_place(rows: list, before) -> int:
    """The row reporting one of ``before``'s events, else the first on or
    after its date, else the last."""
    reports = {(e.article_id, e.sentence) for e in before.events}
    for i, row in enumerate(rows):
        if any((e.article_id, e.sentence) in reports for e in row.events):
            return i
    return next((i for i, row in enumerate(rows) if row.date >= before.date), max(0, len(rows) - 1))
