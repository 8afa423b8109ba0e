"""The query box and the line under it for errors and suggestions."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input


class QueryInput(Input):
    """The search box. Esc clears it (the screen decides what Esc does when empty)."""


class QueryMessage(Widget):
    """One line under the search box: an error, a suggestion, or a hint."""

    error: reactive[str] = reactive("")
    suggestion: reactive[str] = reactive("")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.error:
            text.append("✗ ", style="bold red")
            text.append(self.error, style="red")
        elif self.suggestion:
            text.append("Did you mean: ", style="italic")
            text.append(self.suggestion, style="bold")
            text.append("  (ctrl+y to use it)", style="dim")
        else:
            text.append(
                'fields title: source: date:[2021-07-01 to 2021-07-31] org:  "phrases"  AND OR NOT  fuzzy~  wild*',
                style="dim",
            )
        return text

    def watch_error(self) -> None:
        self.set_class(bool(self.error), "-error")
