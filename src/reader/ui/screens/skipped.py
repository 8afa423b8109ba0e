"""The skipped-files screen: which corpus files the index left out, and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...core.models import Skipped
from ...core.textsafe import one_line
from ..notices import plural


class SkippedScreen(ModalScreen[None]):
    """A list of path + reason. File names and reasons come from the corpus:
    they are shown as plain Text, never as markup."""

    BINDINGS = [Binding("escape,q,S", "dismiss", "Close")]

    def __init__(self, skipped: list[Skipped]) -> None:
        super().__init__()
        self.skipped = list(skipped)

    def compose(self) -> ComposeResult:
        count = len(self.skipped)
        with Vertical(id="skipped-body"):
            if count:
                title = Text(f"{plural(count, 'file')} skipped", style="bold")
                note = "Not in the index. Fix or remove them: changes are picked up while reader runs."
            else:
                title = Text("No files skipped", style="bold")
                note = "Every article file in the corpus folder is indexed."
            yield Static(title, id="skipped-title")
            yield Static(Text(note, style="dim"), id="skipped-note")
            table: DataTable = DataTable(id="skipped-table", cursor_type="row", zebra_stripes=True)
            table.display = bool(count)
            yield table
            yield Static(Text("Esc closes", style="dim"), id="skipped-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(Text("File"), Text("Why"))
        for item in sorted(self.skipped, key=lambda s: s.path):
            table.add_row(Text(one_line(item.path, 200)), Text(one_line(item.reason, 200)))
        table.focus()
