"""Benchmark corpora: Reuters-21578 as a folder of Markdown files, and bigger
corpora made of copies of it.

Each story becomes ``NNN/<id>.md`` with TOML front matter (title, source,
date), the way a user's folder looks. A BRIEF story (headline only) gets its
headline as its text; the one story with neither headline nor text is written
as an empty file, which the reader skips. Corpora bigger than the source are
filled with copies that get new ids and dates drawn from a seeded shuffle of
the source's dates, so the same size and seed always give the same files.

:func:`read_article` is the plain loop body the baseline builds (Whoosh
without extraction, SQLite FTS5) use to read the same files back.
"""

from __future__ import annotations

import json
import random
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

SEED = 1987
REUTERS_STORIES = 21_578  # stories in Reuters-21578
PER_FOLDER = 1000


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    date: str  # yyyy-mm-dd or ""
    text: str


def load_stories(path: Path, limit: int | None = None) -> list[Story]:
    """The first ``limit`` stories of the Reuters-21578 JSONL file (all if None)."""
    stories = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(stories) >= limit:
                break
            doc = json.loads(line)
            title = " ".join((doc.get("title") or "").split())
            text = (doc.get("text") or "").strip() or title  # a BRIEF is its headline
            stories.append(Story(doc["id"], title, (doc.get("date") or "")[:10], text))
    return stories


def make_corpus(source: list[Story], size: int, seed: int = SEED) -> list[Story]:
    """``size`` stories: the source's first ones, then copies with new ids and shuffled dates."""
    if size <= len(source):
        return source[:size]
    rng = random.Random(seed)
    dates = [s.date for s in source if s.date]
    out = list(source)
    copy = 0
    while len(out) < size:
        copy += 1
        shuffled = dates[:]
        rng.shuffle(shuffled)
        for i, story in enumerate(source[: size - len(out)]):
            out.append(replace(story, id=f"{story.id}-copy{copy}", date=shuffled[i % len(shuffled)] if dates else ""))
    return out


def extra_stories(source: list[Story], count: int) -> list[Story]:
    """``count`` new stories (ids not in any corpus) for the "files added" update."""
    usable = [s for s in source if s.text] or source
    return [replace(usable[i % len(usable)], id=f"{usable[i % len(usable)].id}-added{i}") for i in range(count)]


def markdown(story: Story) -> str:
    if not story.text:
        return ""
    title = story.title.replace("\\", " ").replace('"', "'")
    date = f"date = {story.date}\n" if story.date else ""
    return f'+++\ntitle = "{title}"\nsource = "Reuters"\n{date}+++\n{story.text}\n'


def write_corpus(stories: list[Story], folder: Path, subfolder: str | None = None) -> None:
    """Write ``stories`` as Markdown files under ``folder`` (1,000 per subfolder)."""
    for n, story in enumerate(stories):
        sub = folder / (subfolder or f"{n // PER_FOLDER:03d}")
        if n % PER_FOLDER == 0 or subfolder:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{story.id}.md").write_text(markdown(story), encoding="utf-8")


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.md"))


def read_article(path: Path) -> tuple[str, str, str, str] | None:
    """(id, title, date, body) of one benchmark file; None if it has no text."""
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("+++\n"):
        end = text.find("\n+++\n", 3)
        if end != -1:
            meta = tomllib.loads(text[4:end])
            text = text[end + 5 :]
    body = text.strip()
    if not body:
        return None
    date = meta.get("date")
    return path.stem, str(meta.get("title", "")), date.isoformat() if date else "", body


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
