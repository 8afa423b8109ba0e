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
        keys: list[tuple[str, str, bool]] = []
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action == "app.command_palette" or binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = (self.app.get_key_display(binding), binding.description or "palette", True)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((self.app.get_key_display(binding), binding.description, enabled))
        if not (palette is not None and self.app.ENABLE_COMMAND_PALETTE):
            palette = None

        def line(entries, gap: str, tail, more: bool = False) -> Text:
            text = Text(no_wrap=True, overflow="ellipsis")
            for key, description, enabled in entries:
                text.append(f" {key} ", style=key_style if enabled else off_style)
                text.append(f"{description}{gap}", style=text_style if enabled else off_style)
            if more:
                text.append(" …", style=text_style)
            if tail is not None:  # at the right edge (too long a line is refused by the caller)
                end = Text.assemble((f" {tail[0]} ", key_style), (f"{tail[1]} ", text_style))
                text.append(" " * max(1, self.size.width - text.cell_len - end.cell_len))
                text.append_text(end)
            return text

        # Narrow terminals: tighter spacing, then no palette hint, then whole
        # keys dropped from the end ("…"): never a key cut in the middle.
        width = self.size.width
        for gap, tail in ((" ", palette), ("", palette), ("", None)):
            text = line(keys, gap, tail)
            if text.cell_len <= width:
                return text
        for count in range(len(keys) - 1, 0, -1):
            text = line(keys[:count], "", None, more=True)
            if text.cell_len <= width:
                return text
        return line(keys[:1], "", None)
