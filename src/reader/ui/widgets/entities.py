"""The side panel of firms, agencies and other organisations.

Counts follow the current search (the screen pushes new facets after every
query). Move with j/k, toggle a filter with Enter or space, type to narrow
the list, Backspace to edit that filter, Esc to clear it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.facets import Facet
from ..messages import EntityToggled
from ..textrender import blank, styled, to_strip

SECTIONS = (("firm", "Firms"), ("agency", "Agencies"), ("other", "Other"))


@dataclass(frozen=True, slots=True)
class _Row:
    kind: str
    facet: Facet | None = None  # None: a section header
    count: int = 0


class EntityPanel(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("enter,space", "toggle", "Toggle filter", show=True),
        Binding("backspace", "edit_filter", "Edit list filter", show=False),
    ]
    COMPONENT_CLASSES = {"entities--header", "entities--count", "entities--selected", "entities--cursor", "entities--typed"}

    cursor: reactive[int] = reactive(0, always_update=True)
    typed: reactive[str] = reactive("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.facets: list[Facet] = []
        self.selected: tuple[str, ...] = ()
        self.expanded = {"firm": True, "agency": True, "other": False}
        self._rows: list[_Row] = []

    # -- state pushed down by the screen -------------------------------------
    def show_facets(self, facets: list[Facet], selected: tuple[str, ...]) -> None:
        current = self._current_name()
        self.facets = facets
        self.selected = selected
        self._rebuild(current)

    def _current_name(self) -> str | None:
        if 0 <= self.cursor < len(self._rows):
            row = self._rows[self.cursor]
            return row.facet.name if row.facet else f"#{row.kind}"
        return None

    def _rebuild(self, keep: str | None = None) -> None:
        needle = self.typed.lower()
        rows: list[_Row] = []
        for kind, _ in SECTIONS:
            members = [f for f in self.facets if f.kind == kind and (not needle or needle in f.name.lower())]
            # Selected filters stay visible even when the query leaves them no article.
            for name in self.selected:
                if not any(f.name == name for f in members) and (not needle or needle in name.lower()):
                    if any(f.name == name and f.kind == kind for f in self.facets) or self._kind_hint(name) == kind:
                        members.insert(0, Facet(name, kind, 0))
            rows.append(_Row(kind, None, len(members)))
            if self.expanded[kind] or needle:
                rows.extend(_Row(kind, f) for f in members)
        self._rows = rows
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        index = 0
        if needle:  # typing jumps to the first matching organisation
            keep = next((r.facet.name for r in rows if r.facet is not None), keep)
        if keep:
            for i, row in enumerate(rows):
                if (row.facet and row.facet.name == keep) or (not row.facet and f"#{row.kind}" == keep):
                    index = i
                    break
        self.cursor = min(index, max(0, len(rows) - 1))
        self.refresh()

    def _kind_hint(self, name: str) -> str | None:
        return next((f.kind for f in self.facets if f.name == name), None)

    # -- keys ----------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        if self._rows:
            self.cursor = max(0, min(len(self._rows) - 1, self.cursor + delta))

    def action_toggle(self) -> None:
        if not self._rows:
            return
        row = self._rows[self.cursor]
        if row.facet is None:
            self.expanded[row.kind] = not self.expanded[row.kind]
            self._rebuild(f"#{row.kind}")
        else:
            self.post_message(EntityToggled(row.facet.name))
            self.typed = ""  # back to normal keys once a choice is made

    def action_edit_filter(self) -> None:
        if self.typed:
            self.typed = self.typed[:-1]

    def clear_typed(self) -> bool:
        """Clear the type-to-filter text; False if there was none."""
        if not self.typed:
            return False
        self.typed = ""
        return True

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isprintable() and event.key not in ("j", "k", "space") and len(event.character) == 1:
            if event.character in "/?" or (event.character in "qstnNeT[]" and not self.typed):
                return  # leave global keys alone unless the user is typing a name
            self.typed += event.character
            event.stop()
            event.prevent_default()

    def watch_typed(self) -> None:
        self._rebuild(self._current_name())

    def watch_cursor(self, index: int) -> None:
        line = index + 1
        height = self.scrollable_content_region.height
        if line < self.scroll_y + 1:
            self.scroll_to(y=max(0, line - 1), animate=False)
        elif line >= self.scroll_y + height:
            self.scroll_to(y=line - height + 1, animate=False)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = int(event.y + self.scroll_y) - 1
        if 0 <= index < len(self._rows):
            self.focus()
            self.cursor = index
            self.action_toggle()

    # -- rendering -------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_y)
        base = self.rich_style
        if index == 0:
            if self.typed:
                text = Text("filter: ", style="dim") + styled(self.typed + "▏", base=self.get_component_rich_style("entities--typed"))
            else:
                text = Text("type to filter · Enter toggles", style="dim")
            return to_strip(text, width, self.app.console, base)
        index -= 1
        if index >= len(self._rows):
            return blank(width, base)
        row = self._rows[index]
        style = base
        if index == self.cursor and self.has_focus:
            style = base + self.get_component_rich_style("entities--cursor")
        if row.facet is None:
            title = dict(SECTIONS)[row.kind]
            arrow = "▾" if self.expanded[row.kind] or self.typed else "▸"
            text = Text(f"{arrow} {title} ({row.count})", style=self.get_component_rich_style("entities--header"))
            return to_strip(text, width, self.app.console, style).apply_style(style)
        facet = row.facet
        chosen = facet.name in self.selected
        mark = "● " if chosen else "  "
        count = f" {facet.count}"
        name_width = max(1, width - len(mark) - len(count))
        name = styled(facet.name, base=self.get_component_rich_style("entities--selected") if chosen else None)
        if len(facet.name) > name_width:
            name.truncate(name_width, overflow="ellipsis")
        else:
            name.pad_right(name_width - len(facet.name))
        text = Text(mark) + name + Text(count, style=self.get_component_rich_style("entities--count"))
        return to_strip(text, width, self.app.console, style).apply_style(style)
