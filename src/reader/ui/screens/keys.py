"""Every key, by pane, for the help screen (read from the bindings, so the
help never disagrees with what the keys do)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

from ..widgets.article import ArticleView
from ..widgets.entities import EntityPanel
from ..widgets.results import ResultsList
from ..widgets.timeline import TimelineView

_PRETTY = {
    "slash": "/",
    "question_mark": "?",
    "escape": "esc",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


def key_sections(screen_bindings: Iterable[Binding]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(keys, what they do)]) for the help screen."""
    return [
        ("Everywhere", _rows(screen_bindings) + [("tab / shift+tab", "Next / previous pane"), ("ctrl+p", "Command palette"), ("ctrl+q", "Quit")]),
        ("Results", _rows(ResultsList.BINDINGS)),
        ("Article", _rows(ArticleView.BINDINGS)),
        ("Organisations panel", _rows(EntityPanel.BINDINGS) + [("letters", "Type to narrow the list"), ("esc", "Clear typed text, then filters")]),
        ("Timeline", _rows(TimelineView.BINDINGS) + [("t", "Back to results"), ("d", "Date range")]),
    ]


def _rows(bindings: Iterable[Binding]) -> list[tuple[str, str]]:
    return [(" / ".join(_PRETTY.get(k, k) for k in b.key.split(",")), b.description or b.action) for b in bindings]
