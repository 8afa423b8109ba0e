"""The query box and the line under it for errors and suggestions."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input


class QueryInput(Input):
    """The search box. Esc clears it (the screen decides what Esc does when empty)."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual runs an Input's bound keys (backspace, ctrl+u, arrows, enter)
        # only once the key has bubbled up to the app, while characters go in
        # at once: in a burst (a paste, a fast typist, "corn" ⌫⌫⌫⌫ "wheat")
        # the characters typed after a bound key were inserted before it, so
        # "wheat" became "w" (Textual issue #6605). The box's own bindings run
        # here, in order; the focused widget is first in the binding chain,
        # so the action is the one the app would have run.
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)


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
