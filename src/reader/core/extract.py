"""The article pipeline on one text, as ``reader extract`` prints it."""

from __future__ import annotations

import datetime as dt


def extract_text(text: str, date: dt.date | None) -> dict:
    """Entities and timexes with character offsets into ``text``."""
    entities = []
    try:
        from .entities_service import extractor

        for m in extractor(None).extract(text):
            entities.append({"text": m.text, "start": m.start, "end": m.end, "name": m.name, "kind": m.kind})
    except ImportError:
        pass
    timexes = []
    try:
        from .temporal import tag_timexes

        for t in tag_timexes(text, date):
            timexes.append({"text": t.text, "start": t.start, "end": t.end, "type": t.type, "value": t.value})
    except ImportError:
        pass
    return {"entities": entities, "timexes": timexes}
