"""The help screen: every key, collected from the live bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

QUERY_HELP = [
    ("tencent bytedance", "both words (AND is the default)"),
    ('"deep self-examination"', "a phrase"),
    ("tencent OR alibaba, NOT, ( )", "boolean logic and grouping"),
    ("title:china  source:bloomberg", "search one field"),
    ("tencnet~  tencnet~2", "fuzzy: up to 1 (or 2) typos; a swapped pair counts as one"),
    ("tenc*  te?cent", "wildcards"),
    ("date:2021-07  date:[2021-07-01 to 2021-07-31]  date:>2021-08", "dates and date ranges"),
    ("org:miit  firm:alibaba  agency:\"Internet Society of China\"", "organisations, by any alias"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-keys")

    def _table(self) -> Text:
        out = Text()
        out.append("reader — keys", style="bold")
        out.append("    (Esc or ? closes this screen)\n", style="dim")
        for title, rows in self.sections:
            out.append(f"\n{title}\n", style="bold underline")
            for key, desc in rows:
                out.append(f"  {key:<18}", style="bold cyan")
                out.append(f" {desc}\n")
        out.append("\nThe corpus folder\n", style="bold underline")
        out.append("  Files added, changed or removed while reader runs are picked up within a few seconds;\n")
        out.append("  files that could not be indexed are listed, with the reason, by S.\n")
        out.append("\nQuery syntax\n", style="bold underline")
        for example, desc in QUERY_HELP:
            out.append(f"  {example}\n", style="bold cyan")
            out.append(f"      {desc}\n", style="dim")
        return out
