"""The per-article analysis run at index time: organisations and dated events.

The result is stored in the index (JSON in stored fields, names in keyword
fields), so opening an existing index never re-extracts anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .models import Article


@dataclass(frozen=True, slots=True)
class Analysis:
    mentions: list[dict] = field(default_factory=list)  # {"start","end","name","kind"}
    events: list[dict] = field(default_factory=list)

    def names(self, kind: str | None = None) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            if kind is None or m["kind"] == kind:
                seen.setdefault(m["name"], None)
        return list(seen)

    def kinds(self) -> dict[str, str]:
        """Canonical name -> kind (the first kind seen)."""
        out: dict[str, str] = {}
        for m in self.mentions:
            out.setdefault(m["name"], m["kind"])
        return out

    def to_fields(self) -> dict[str, str]:
        return {
            "org": ",".join(n.replace(",", " ") for n in self.names()),
            "firm": ",".join(n.replace(",", " ") for n in self.names("firm")),
            "agency": ",".join(n.replace(",", " ") for n in self.names("agency")),
            "ents": ",".join(f"{kind}:{name.replace(',', ' ')}" for name, kind in self.kinds().items()),
            "entities": json.dumps(self.mentions, separators=(",", ":")),
            "events": json.dumps(self.events, separators=(",", ":")),
        }


# Entities and dates are looked for in the first this-many characters only.
# News articles are far shorter; the cap bounds the time and the stored JSON
# for a pathological file (a 2 MB one-line "article" took 12 s unbounded).
ANALYSE_CHARS = 200_000


class Analyser:
    """Runs entity extraction and temporal tagging on articles."""

    def __init__(self, alias_file=None, enabled: bool = True) -> None:
        self.alias_file = alias_file
        self._extractor = None
        self.enabled = enabled  # False: index text only (benchmarks, baselines)

    def analyse_all(self, articles: list[Article]) -> list[Analysis | str]:
        """The organisations and dated events of each article, a stage at a
        time (the organisations of all, then their dates: see
        ``index.STAGE_JOBS``). Where extraction fails, the error
        ("TypeError: ...") instead."""
        if not self.enabled:
            return [Analysis() for _ in articles]
        texts = [article.text[:ANALYSE_CHARS] for article in articles]
        mentions: list[list[dict] | str] = []
        for text in texts:
            try:
                mentions.append(self._mentions(text))
            except Exception as exc:  # kept as text: an exception would keep its frames alive
                mentions.append(f"{type(exc).__name__}: {exc}")
        out: list[Analysis | str] = []
        for article, text, found in zip(articles, texts, mentions):
            if isinstance(found, str):
                out.append(found)
                continue
            try:
                out.append(Analysis(mentions=found, events=self._events(article.id, text, article.date, found)))
            except Exception as exc:
                out.append(f"{type(exc).__name__}: {exc}")
        return out

    def _mentions(self, text: str) -> list[dict]:
        if self._extractor is None:
            from .entities_service import extractor

            self._extractor = extractor(self.alias_file)
        return [
            {"start": m.start, "end": m.end, "name": m.name, "kind": m.kind}
            for m in self._extractor.extract(text)
        ]

    def _events(self, article_id: str, text: str, date, mentions: list[dict]) -> list[dict]:
        from .timeline import extract_events  # imported on first use: keeps `reader search` startup light

        spans = [(m["start"], m["end"], m["name"], m["kind"]) for m in mentions]
        out = []
        for ev in extract_events(article_id, text, date, spans):
            out.append(
                {
                    "date": ev.date.isoformat(),
                    "granularity": ev.granularity,
                    "expression": ev.expression,
                    "value": ev.value,
                    "start": ev.start,
                    "end": ev.end,
                    "sentence": ev.sentence,
                    "entities": list(ev.entities),
                    "approximate": ev.approximate,
                }
            )
        return out
