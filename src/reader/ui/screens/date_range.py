"""A small dialog to narrow the timeline to a date range."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...core.dateq import DateClauseError, period

DateRange = tuple[dt.date | None, dt.date | None]


def parse_range(text: str) -> DateRange:
    """``2021-07 to 2021-08``, ``2021-07-28``, ``to 2021``, ``2021 to``; empty clears."""
    text = text.strip()
    if not text:
        return (None, None)
    if " to " in f" {text} ":
        lo, _, hi = f" {text} ".partition(" to ")
    else:
        lo, hi = text, text
    lo, hi = lo.strip(), hi.strip()
    start = period(lo)[0].date() if lo else None
    end = period(hi)[1].date() if hi else None
    if start and end and start > end:
        raise DateClauseError(f"{lo} is after {hi}")
    return (start, end)


class DateRangeScreen(ModalScreen[DateRange | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: DateRange) -> None:
        super().__init__()
        start, end = current
        self.initial = " to ".join(d.isoformat() if d else "" for d in (start, end)).strip() if (start or end) else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="date-range"):
            yield Label("Timeline date range — e.g. 2021-07 to 2021-08, 2021-07-28, to 2021 (empty clears)")
            yield Input(value=self.initial, placeholder="YYYY[-MM[-DD]] to YYYY[-MM[-DD]]", id="date-range-input")
            yield Label("", id="date-range-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_range(event.value))
        except (DateClauseError, ValueError) as exc:
            self.query_one("#date-range-error", Label).update(f"✗ {exc}")

    def action_cancel(self) -> None:
        self.dismiss(None)
