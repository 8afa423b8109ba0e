"""Turning untrusted plain text plus highlight spans into terminal lines.

Article text is always wrapped in :class:`rich.text.Text` as *plain* text
(never parsed as markup), and styles are applied by character span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

_WORD = re.compile(r"\S+\s*|\s+")


def styled(text: str, spans: Iterable[tuple[int, int, Style]] = (), base: Style | None = None) -> Text:
    """Plain text with styles applied to character spans (offsets into ``text``)."""
    out = Text(text, style=base or "", no_wrap=True, end="")
    for start, end, style in spans:
        if end > start:
            out.stylize(style, max(0, start), min(len(text), end))
    return out


def to_strip(text: Text, width: int, console: Console, fill: Style | None = None) -> Strip:
    """One terminal line: ``text`` cropped (with an ellipsis) or padded to ``width``."""
    if cell_len(text.plain) > width:
        text = text.copy()
        text.truncate(max(width, 1), overflow="ellipsis")
    segments = [s for s in text.render(console) if s.text != "\n"]
    return Strip(segments).extend_cell_length(width, fill or Style()).crop(0, width)


def blank(width: int, style: Style | None = None) -> Strip:
    return Strip([Segment(" " * width, style or Style())], width)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap: (start, end) character offsets of each display line.

    Newlines end lines (and are not part of them); words longer than the
    width are cut; cell widths are respected, so CJK text wraps correctly.
    """
    width = max(width, 8)
    lines: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        if not para:
            lines.append((pos, pos))
            pos += 1
            continue
        line_start = pos
        line_cells = 0
        for m in _WORD.finditer(para):
            word = m.group()
            wcells = cell_len(word.rstrip())
            start = pos + m.start()
            if line_cells and line_cells + wcells > width:
                lines.append((line_start, start))
                line_start, line_cells = start, 0
            while wcells > width:  # hard-break a word longer than a line
                cut = _cut(word, width)
                lines.append((start, start + cut))
                word, start = word[cut:], start + cut
                line_start = start
                wcells = cell_len(word.rstrip())
            line_cells += cell_len(word)
        lines.append((line_start, pos + len(para)))
        pos += len(para) + 1
    return lines


def _cut(word: str, width: int) -> int:
    cells = 0
    for i, ch in enumerate(word):
        cells += cell_len(ch)
        if cells > width:
            return max(i, 1)
    return len(word)


def spans_in(spans: Sequence[tuple[int, int, Style]], lo: int, hi: int) -> list[tuple[int, int, Style]]:
    """Spans overlapping [lo, hi), shifted to be relative to ``lo``."""
    return [(max(s, lo) - lo, min(e, hi) - lo, st) for s, e, st in spans if s < hi and e > lo]
