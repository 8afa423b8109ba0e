"""What the user is told when the index changes: plain strings, shown with
``markup=False`` (ids and file names come from the corpus folder)."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.models import IndexReport, Skipped
from ..core.textsafe import one_line

NAMES_SHOWN = 3  # ids or file names named in one notification


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def change_summary(report: IndexReport, lead: str = "Corpus changed") -> str:
    """``Corpus changed: 2 added, 1 removed`` and a line naming each kind."""
    kinds = [(ids, what) for ids, what in ((report.added, "added"), (report.updated, "updated"), (report.removed, "removed")) if ids]
    lines = [f"{lead}: " + ", ".join(f"{len(ids):,} {what}" for ids, what in kinds)]
    lines.extend(f"{what}: {_names(ids)}" for ids, what in kinds)
    return "\n".join(lines)


def skipped_summary(count: int) -> str:
    return f"{plural(count, 'file')} skipped — press S to see why"


def newly_skipped(skipped: Sequence[Skipped]) -> str:
    return f"Skipped {_names([s.path for s in skipped])} — press S to see why"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(one_line(n, 60) for n in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} and {more:,} more" if more > 0 else shown


def describe(exc: BaseException) -> str:
    """An error in one line: our own errors are already worded for the user;
    anything else keeps its type, which is all a bug report needs."""
    from ..core.index import IndexError_

    if isinstance(exc, (IndexError_, OSError)):
        return one_line(str(exc))
    return one_line(f"{type(exc).__name__}: {exc}")
