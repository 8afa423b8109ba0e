"""The article view: the full text, wrapped by us, with query hits, entity
mentions and dated events highlighted by character span.

Wrapping is done here (not by a Static) so that a character offset maps to
a line: ``n``/``N`` and links from the timeline scroll straight to it.
"""

from __future__ import annotations

from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.models import Article
from ..messages import ShowInTimeline
from ..textrender import blank, spans_in, styled, to_strip, wrap_offsets


class ArticleView(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "scroll_lines(1)", "Down", show=False),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False),
        Binding("space,pagedown", "scroll_page(1)", "Page down", show=False),
        Binding("b,pageup", "scroll_page(-1)", "Page up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("n", "next_hit(1)", "Next hit", show=True),
        Binding("N", "next_hit(-1)", "Prev hit", show=True),
        Binding("m", "next_mention(1)", "Next mention", show=True),
        Binding("M", "next_mention(-1)", "Prev mention", show=False),
        Binding("T", "show_in_timeline", "In timeline", show=True),
    ]
    COMPONENT_CLASSES = {
        "article--title",
        "article--meta",
        "article--match",
        "article--current",
        "article--firm",
        "article--agency",
        "article--other",
        "article--event",
        "article--focus",
        "article--empty",
    }

    hit_index: reactive[int] = reactive(-1)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self._doc = ""
        self._body_at = 0
        self._hits: list[tuple[int, int]] = []
        self._entities: list[dict] = []
        self._events: list[dict] = []
        self._focus_span: tuple[int, int] | None = None
        self._anchor: int | None = None
        self.selected_entities: tuple[str, ...] = ()
        self._mention_index = -1
        self._lines: list[tuple[int, int]] = []
        self._spans: list[tuple[int, int, Style]] = []
        self._wrapped_width = 0

    # -- state pushed down by the screen ------------------------------------
    def show_article(
        self,
        article: Article,
        hits: list[tuple[int, int]] = (),
        entities: list[dict] = (),
        events: list[dict] = (),
        offset: int | None = None,
        focus_span: tuple[int, int] | None = None,
        keep_place: bool = False,
    ) -> None:
        """Show an article. ``keep_place``: a new version of the one on screen
        (the file changed): stay at the same line and hit."""
        place = (self.scroll_y, self.hit_index) if keep_place and self.article is not None else None
        self.article = article
        meta = " · ".join(x for x in (article.source, article.date_iso or "undated", article.path) if x)
        header = f"{article.title}\n{meta}\n\n"
        self._doc = header + article.text
        self._body_at = len(header)
        self._title_end = len(article.title)
        self._meta_span = (len(article.title) + 1, len(article.title) + 1 + len(meta))
        self._hits = sorted(hits)
        self._entities = list(entities)
        self._events = list(events)
        self._focus_span = focus_span
        self._mention_index = -1
        self._anchor = None
        self._rewrap(force=True)
        self.hit_index = -1
        if place is not None:
            y, hit = place
            self.hit_index = hit if hit < len(self._hits) else -1
            self.scroll_to(y=min(y, self.max_scroll_y), animate=False, immediate=True)
        elif offset is not None:
            self.scroll_to_offset(offset)
        elif self._hits:
            self.hit_index = 0
        else:
            self.scroll_to(y=0, animate=False)

    def clear(self) -> None:
        self.article = None
        self._doc = ""
        self._lines = []
        self._hits = []
        self.virtual_size = Size(self.size.width, 0)
        self.refresh()

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so the line holding body character ``offset`` is near the top
        (kept there when the width changes and the text re-wraps)."""
        self._anchor = offset
        line = self._line_of(self._body_at + offset)
        self.scroll_to(y=max(0, line - 2), animate=False, immediate=True)

    # -- actions -------------------------------------------------------------
    def action_scroll_lines(self, delta: int) -> None:
        self._anchor = None
        self.scroll_to(y=self.scroll_y + delta, animate=False)

    def action_scroll_page(self, delta: int) -> None:
        self._anchor = None
        self.scroll_to(y=self.scroll_y + delta * max(1, self.size.height - 1), animate=False)

    def action_top(self) -> None:
        self._anchor = None
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self._anchor = None
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_next_hit(self, delta: int) -> None:
        if not self._hits:
            self.notify("No query matches in this article", severity="warning", timeout=2)
            return
        self.hit_index = (self.hit_index + delta) % len(self._hits)

    def _mentions_of_selected(self) -> list[dict]:
        names = set(self.selected_entities)
        return sorted((m for m in self._entities if m.get("name") in names), key=lambda m: m["start"])

    def action_next_mention(self, delta: int) -> None:
        mentions = self._mentions_of_selected()
        if not mentions:
            what = ", ".join(self.selected_entities) or "no organisation selected"
            self.notify(f"No mentions to jump to ({what}); select one in the side panel", severity="warning", timeout=3)
            return
        self._mention_index = (self._mention_index + delta) % len(mentions)
        mention = mentions[self._mention_index]
        self._focus_span = (mention["start"], mention["end"])
        line = self._line_of(self._body_at + mention["start"])
        height = max(1, self.size.height)
        if not (self.scroll_y <= line < self.scroll_y + height - 1):
            self.scroll_to(y=max(0, line - height // 3), animate=False)
        self._restyle()
        self.refresh()

    def action_show_in_timeline(self) -> None:
        if self.article is not None:
            self.post_message(ShowInTimeline(self.article.id))

    def watch_hit_index(self, index: int) -> None:
        if 0 <= index < len(self._hits):
            line = self._line_of(self._body_at + self._hits[index][0])
            height = max(1, self.size.height)
            if not (self.scroll_y <= line < self.scroll_y + height - 1):
                self.scroll_to(y=max(0, line - height // 3), animate=False)
        self._restyle()
        self.refresh()

    # -- layout and rendering ------------------------------------------------
    def on_resize(self) -> None:
        self._rewrap()

    def _rewrap(self, force: bool = False) -> None:
        width = max(10, self.scrollable_content_region.width - 1)  # one column of air before the scrollbar
        if not force and width == self._wrapped_width:
            return
        self._wrapped_width = width
        self._lines = wrap_offsets(self._doc, width) if self._doc else []
        self.virtual_size = Size(width, len(self._lines))
        self._restyle()
        if getattr(self, "_anchor", None) is not None:
            self.call_after_refresh(self.scroll_to_offset, self._anchor)
        self.refresh()

    def _restyle(self) -> None:
        if not self._doc:
            self._spans = []
            return
        at = self._body_at
        cs = self.get_component_rich_style
        spans: list[tuple[int, int, Style]] = [
            (0, self._title_end, cs("article--title")),
            (self._meta_span[0], self._meta_span[1], cs("article--meta")),
        ]
        for ev in self._events:
            spans.append((at + ev["start"], at + ev["end"], cs("article--event")))
        if self._focus_span:
            spans.append((at + self._focus_span[0], at + self._focus_span[1], cs("article--focus")))
        for m in self._entities:
            kind = m.get("kind", "other")
            spans.append((at + m["start"], at + m["end"], cs(f"article--{kind}" if kind in ("firm", "agency") else "article--other")))
        match, current = cs("article--match"), cs("article--current")
        for i, (s, e) in enumerate(self._hits):
            spans.append((at + s, at + e, current if i == self.hit_index else match))
        self._spans = spans

    def _line_of(self, offset: int) -> int:
        lo, hi = 0, len(self._lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._lines[mid][0] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return max(lo, 0)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_y)
        if not self._doc:
            if y == 1:
                return to_strip(styled("  Select an article and press Enter to read it.", base=self.get_component_rich_style("article--empty")), width, self.app.console, self.rich_style)
            return blank(width, self.rich_style)
        if index >= len(self._lines):
            return blank(width, self.rich_style)
        lo, hi = self._lines[index]
        text = styled(self._doc[lo:hi], spans_in(self._spans, lo, hi))
        return to_strip(text, width, self.app.console, self.rich_style).apply_style(self.rich_style)
