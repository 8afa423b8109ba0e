"""The status line: matches out of total, sort, filters, index state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    COMPONENT_CLASSES = {"status--warning", "status--busy"}

    total: reactive[int] = reactive(0)
    matched: reactive[int] = reactive(0)
    sort: reactive[str] = reactive("relevance")
    filters: reactive[tuple[str, ...]] = reactive(())
    busy: reactive[str] = reactive("")
    skipped: reactive[int] = reactive(0)

    def render(self) -> Text:
        left = Text(no_wrap=True, overflow="ellipsis")
        left.append(f"{self.matched:,} of {self.total:,} articles", style="bold")
        if self.skipped:  # before the filters, so a narrow terminal still shows it
            left.append("  ·  ")
            left.append(f"{self.skipped:,} skipped (S)", style=self.get_component_rich_style("status--warning"))
        left.append(f"  ·  sort: {self.sort}")
        left.append("  ·  filters: ")
        left.append(", ".join(self.filters) if self.filters else "none")
        if self.busy:
            left.append(f"  ·  {self.busy}", style=self.get_component_rich_style("status--busy"))
        return left
