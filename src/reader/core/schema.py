"""The Whoosh schema and analyzer shared by indexing and searching."""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, FieldType, Schema

from .cjk import cjk_analyzer

# Bump when the schema or the analysis changes: an index with another
# version is rebuilt from scratch on the next update.
SCHEMA_VERSION = 9  # 5: manifest keyed by file path; containers. 6: CJK bigrams. 7: no term vectors. 8: ents/events columns. 9: no bare "Inc" firms (re-extract)

# Words (\w+ runs, lowercased), keeping inner apostrophes/dots out; runs of
# Chinese/Japanese/Korean characters as overlapping bigrams (see cjk.py). No
# stop words so that phrases stay exact and nothing a user types silently
# disappears.
ANALYZER = cjk_analyzer()

# Fields analysed with ANALYZER. A query word that analyses to several tokens
# (``阿里巴巴`` → 阿里 里巴 巴巴, ``e-mail`` → e mail) is searched as a phrase.
TEXT_FIELDS = ("title", "body", "source")


class COLUMN(FieldType):
    """A per-document string kept only in a column: neither indexed nor stored.

    Columns are read for every document in one pass (the facet and timeline
    tables) without unpickling each document's stored fields: on 100,000
    articles, the events took 39 s to gather from stored fields.
    """

    indexed = False
    stored = False
    scorable = False
    unique = False
    format = None
    analyzer = None
    vector = None

    def __init__(self) -> None:
        self.column_type = VarBytesColumn()

    def to_column_value(self, value) -> bytes:
        return value.encode("utf-8") if isinstance(value, str) else bytes(value or b"")

    def from_column_value(self, value) -> str:
        return value.decode("utf-8")


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),  # the column: ids of all documents at once
        path=ID(stored=True),
        title=TEXT(stored=True, analyzer=ANALYZER, field_boost=2.0, multitoken_query="phrase"),
        body=TEXT(stored=True, analyzer=ANALYZER, multitoken_query="phrase"),
        source=TEXT(stored=True, analyzer=ANALYZER, multitoken_query="phrase"),
        date=DATETIME(stored=True),
        # yyyymmdd, 0 when the article has no date: the "newest first" sort key.
        datekey=NUMERIC(int, bits=32, sortable=True, stored=False),
        url=STORED(),
        # Canonical organisation names, lowercased (filled by entity extraction).
        org=KEYWORD(commas=True, lowercase=True, scorable=True),
        firm=KEYWORD(commas=True, lowercase=True, scorable=True),
        agency=KEYWORD(commas=True, lowercase=True, scorable=True),
        # "kind:Canonical Name" per organisation, comma-separated, case kept: the facet source.
        ents=COLUMN(),
        # JSON: entity mentions (stored) and dated events (a column) of the article.
        entities=STORED(),
        events=COLUMN(),
        # Change-detection signature of the source file (see loader.scan).
        sig=STORED(),
    )


SEARCH_FIELDS = ("title", "body")
QUERY_FIELDS = ("title", "body", "source", "date", "id", "path", "org", "firm", "agency")
