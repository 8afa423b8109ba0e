"""The active organisation filters, as removable chips (click × to remove)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from ..messages import EntityToggled


class FilterChips(Widget):
    filters: reactive[tuple[str, ...]] = reactive(())

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.filters:
            return text
        text.append("filters: ", style="dim")
        for name in self.filters:
            text.append(f" {name} ×", style="reverse")
            text.append(" ")
        text.append(" Esc clears", style="dim")
        return text

    def watch_filters(self, filters: tuple[str, ...]) -> None:
        self.display = bool(filters)

    def on_click(self, event: events.Click) -> None:
        x = len("filters: ")
        for name in self.filters:
            width = len(name) + 3
            if x <= event.x < x + width:
                self.post_message(EntityToggled(name))
                return
            x += width + 1
