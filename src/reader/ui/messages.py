"""Messages that widgets (and the screen's background workers) send up to
the screen, the mediator. Workers post them from their threads
(``post_message`` is thread-safe, and one sender's messages arrive in the
order they were sent); they carry plain data only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .backend import UpdateOutcome
    from .progress import ProgressState


class OpenArticle(Message):
    """The user asked to read an article (optionally at a character offset)."""

    def __init__(self, article_id: str, offset: int | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.offset = offset


class RowsWanted(Message):
    """The results list needs rows ``start:end`` (not ``stop``: that would
    hide ``Message.stop()``, which Textual calls while bubbling)."""

    def __init__(self, token: int, start: int, end: int) -> None:
        super().__init__()
        self.token = token
        self.start = start
        self.end = end


class HighlightedArticle(Message):
    """The cursor of the results list moved to an article."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class EntityToggled(Message):
    """The user selected or deselected an organisation in the side panel."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class OpenEvent(Message):
    """The user picked a timeline row: open its article at the sentence."""

    def __init__(self, article_id: str, start: int, end: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.start = start
        self.end = end


class ShowInTimeline(Message):
    """The user asked to see the current article's place in the timeline."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class CorpusChanged(Message):
    """The folder watcher saw changes under the corpus folder (paths relative
    to it), or has something to tell the user (``notice``)."""

    def __init__(self, paths: tuple[str, ...], notice: str | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.notice = notice


class WatchReady(Message):
    """The folder watcher is in place (``mode``: "notify" or "polling")."""

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode


class EngineReady(Message):
    """The index can be searched (opened at startup, or just built)."""


class IndexUpdateStarted(Message):
    """An index update began (``label`` says what it does, briefly);
    ``building``: the first build of a new index."""

    def __init__(self, label: str, building: bool = False) -> None:
        super().__init__()
        self.label = label
        self.building = building


class IndexProgress(Message):
    """The running index update moved on (a throttled report)."""

    def __init__(self, state: ProgressState) -> None:
        super().__init__()
        self.state = state


class IndexUpdated(Message):
    """An index update is over (the engine already reads the new index).
    ``startup``: the check at launch; ``built``: it built a new index."""

    def __init__(self, outcome: UpdateOutcome, startup: bool = False, built: bool = False) -> None:
        super().__init__()
        self.outcome = outcome
        self.startup = startup
        self.built = built
