"""Messages that widgets send up to the screen (the mediator)."""

from __future__ import annotations

from textual.message import Message


class OpenArticle(Message):
    """The user asked to read an article (optionally at a character offset)."""

    def __init__(self, article_id: str, offset: int | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.offset = offset


class RowsWanted(Message):
    """The results list needs rows it has not got yet."""

    def __init__(self, token: int, start: int, stop: int) -> None:
        super().__init__()
        self.token = token
        self.start = start
        self.stop = stop


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
