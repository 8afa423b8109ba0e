"""The status line: matches out of total, sort, filters, index state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    total: reactive[int] = reactive(0)
    matched: reactive[int] = reactive(0)
    sort: reactive[str] = reactive("relevance")
    filters: reactive[tuple[str, ...]] = reactive(())
    busy: reactive[str] = reactive("")

    def render(self) -> Text:
        left = Text(no_wrap=True, overflow="ellipsis")
        left.append(f"{self.matched:,} of {self.total:,} articles", style="bold")
        left.append(f"  ·  sort: {self.sort}")
        left.append("  ·  filters: ")
        left.append(", ".join(self.filters) if self.filters else "none")
        if self.busy:
            left.append(f"  ·  {self.busy}", style="italic")
        return left
