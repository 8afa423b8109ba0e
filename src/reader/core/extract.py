"""The article pipeline on one text, as ``reader extract`` prints it."""

from __future__ import annotations

import datetime as dt

from .entities_service import extractor
from .temporal import tag_timexes


def extract_text(text: str, date: dt.date | None) -> dict:
    """Entities and timexes with character offsets into ``text``."""
    entities = [
        {"text": m.text, "start": m.start, "end": m.end, "name": m.name, "kind": m.kind}
        for m in extractor(None).extract(text)
    ]
    timexes = [
        {"text": t.text, "start": t.start, "end": t.end, "type": t.type, "value": t.value}
        for t in tag_timexes(text, date)
    ]
    return {"entities": entities, "timexes": timexes}
