"""The bottom line: the keys that work here, as one rendered line.

Textual's ``Footer`` composes a widget per key and recomposes them on every
change of focus or bindings; on the way to the first screen that cost about
200 ms (of ~800 ms on Reuters). This renders the same keys as text and only
repaints when the screen says its bindings changed.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        text_style = self.get_component_rich_style("keybar--description")
        off_style = self.get_component_rich_style("keybar--disabled")
        line = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action == "app.command_palette" or binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = (binding, enabled)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            line.append(f" {self.app.get_key_display(binding)} ", style=key_style if enabled else off_style)
            line.append(f"{binding.description} ", style=text_style if enabled else off_style)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            binding, enabled = palette
            tail = Text.assemble(
                (f" {self.app.get_key_display(binding)} ", key_style), (f"{binding.description or 'palette'} ", text_style)
            )
            room = self.size.width - tail.cell_len
            if room > 0:
                line.truncate(room, overflow="ellipsis", pad=True)
                line.append_text(tail)
        return line
