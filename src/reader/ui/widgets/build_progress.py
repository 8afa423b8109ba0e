"""The indexing progress box above the results: what is being done, a bar,
and the pace (articles per second, time left). Hidden when idle."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from ..progress import ProgressState


class BuildProgress(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="building-label", markup=False)
        yield Static(id="building-pace", markup=False)
        yield ProgressBar(id="progress", show_eta=False)

    def on_mount(self) -> None:
        self.display = False

    def start(self, verb: str) -> None:
        """Show the box before the first report (scanning the folder can take a while)."""
        self.query_one("#building-label", Static).update(f"{verb} the index…")
        self.query_one("#building-pace", Static).update("looking at the corpus folder")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.display = True

    def show_state(self, verb: str, state: ProgressState) -> None:
        pace = state.pace()
        if state.finished:
            pace = " · ".join(x for x in (pace, "writing the index…") if x)
        self.query_one("#building-label", Static).update(f"{verb} the index: {state.counts()}")
        self.query_one("#building-pace", Static).update(pace or "measuring the pace…")
        self.query_one(ProgressBar).update(total=max(state.total, 1), progress=state.done)
        self.display = True

    def hide(self) -> None:
        self.display = False
