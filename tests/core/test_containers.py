"""Container files (JSON Lines, RSS/Atom feeds): one file, many articles, updated entry by entry."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from conftest import SHARED
from reader.core.formats.jsonl import parse_jsonl
from reader.core.index import MANIFEST, update_index
from reader.core.loader import load_all, scan
from reader.core.pipeline import Analyser
from reader.core.search import SearchEngine

FAST = Analyser(enabled=False)


def row(i: int, word: str = "cocoa", **extra) -> dict:
    return {"id": f"n-{i}", "title": f"Story {i} about {word}", "date": f"2021-09-{i % 28 + 1:02d}T10:00:00",
            "source": "Wire", "text": f"Article {i} says {word} prices rose.", **extra}


def write(path: Path, rows: list, bump: int = 0) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    if bump:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 10_000_000))


def search(index_dir: Path, q: str) -> list[str]:
    eng = SearchEngine(index_dir)
    try:
        res = eng.search(q)
        return sorted(eng.hits(res, 0, res.total)[i].id for i in range(res.total)) if res.total else []
    finally:
        eng.close()


def test_parse_fields_and_bad_lines():
    lines = [json.dumps(row(1)).encode(), b"", b"{not json", b"[1, 2]", json.dumps({"id": "x"}).encode(),
             json.dumps({"title": "Only a title"}).encode(), json.dumps({"body": "Body key", "link": "http://e/1"}).encode()]
    entries, problems = parse_jsonl(lines)
    assert [p for p in problems] == [(3, "not valid JSON"), (4, "not a JSON object"), (5, "no text")]
    first = entries[0]
    assert (first.key, first.title, first.date, first.source) == ("n-1", "Story 1 about cocoa", dt.date(2021, 9, 2), "Wire")
    assert entries[1].text == "Only a title"
    assert entries[2].text == "Body key" and entries[2].url == "http://e/1" and entries[2].key is None


def test_loader_ids_and_skips(tmp_path):
    write(tmp_path / "wire.jsonl", [row(1), row(2), "{oops", row(1, "duplicate"), {"text": "no id here"}])
    articles, skipped = load_all(tmp_path)
    ids = [a.id for a in articles]
    assert ids[:2] == ["wire/n-1", "wire/n-2"] and len(ids) == 3  # the duplicate id is dropped
    assert ids[2].startswith("wire/") and len(ids[2]) == len("wire/") + 12  # content hash for a line without id
    assert [(s.path, s.reason) for s in skipped] == [("wire.jsonl:3", "not valid JSON")]
    assert all(a.path == "wire.jsonl" for a in articles)


def test_incremental_by_entry(tmp_path, monkeypatch):
    corpus, index = tmp_path / "c", tmp_path / "ix"
    corpus.mkdir()
    rows = [row(i) for i in range(10)]
    write(corpus / "wire.jsonl", rows)
    first = update_index(corpus, index, analyser=FAST)
    assert len(first.added) == 10 and search(index, "cocoa") == sorted(f"wire/n-{i}" for i in range(10))

    analysed = []
    import reader.core.index as index_module

    real = index_module._fields
    monkeypatch.setattr(index_module, "_fields", lambda a, sig, an: analysed.append(a.id) or real(a, sig, an))
    rows[3] = row(3, "coffee")
    rows.append(row(10, "sugar"))
    del rows[0]
    write(corpus / "wire.jsonl", rows, bump=1)
    report = update_index(corpus, index, analyser=FAST)
    assert sorted(analysed) == ["wire/n-10", "wire/n-3"]  # unchanged lines are not analysed again
    assert report.updated == ["wire/n-3"] and report.added == ["wire/n-10"] and report.removed == ["wire/n-0"]
    assert search(index, "coffee") == ["wire/n-3"] and search(index, "sugar") == ["wire/n-10"]
    assert "wire/n-0" not in search(index, "cocoa")

    (corpus / "wire.jsonl").unlink()
    report = update_index(corpus, index, analyser=FAST)
    assert len(report.removed) == 10 and search(index, "prices") == []


def test_bad_lines_reported_on_every_run(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "ix"
    corpus.mkdir()
    write(corpus / "w.jsonl", [row(1), "{bad"])
    assert [s.path for s in update_index(corpus, index, analyser=FAST).skipped] == ["w.jsonl:2"]
    again = update_index(corpus, index, analyser=FAST)
    assert not again.changed and [s.path for s in again.skipped] == ["w.jsonl:2"]
    write(corpus / "w.jsonl", [row(1)], bump=1)
    assert update_index(corpus, index, analyser=FAST).skipped == []
    assert update_index(corpus, index, analyser=FAST).skipped == []


def test_unusable_container_keeps_indexed_articles(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "ix"
    corpus.mkdir()
    write(corpus / "w.jsonl", [row(1), row(2)])
    update_index(corpus, index, analyser=FAST)
    write(corpus / "w.jsonl", ["{broken", "also broken"], bump=1)
    report = update_index(corpus, index, analyser=FAST)
    assert not report.removed and len(report.skipped) == 2
    assert search(index, "cocoa") == ["w/n-1", "w/n-2"]


def test_crash_recovery_rereads_containers(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "ix"
    corpus.mkdir()
    write(corpus / "w.jsonl", [row(1), row(2)])
    (corpus / "a.txt").write_text("Plain headline\n\nPlain body about cocoa.\n")
    update_index(corpus, index, analyser=FAST)
    manifest = json.loads((index / MANIFEST).read_text())
    manifest["generation"] = -1  # as if the process died between commit and manifest write
    (index / MANIFEST).write_text(json.dumps(manifest))
    report = update_index(corpus, index, analyser=FAST)
    assert not report.added and not report.updated and not report.removed  # re-read, nothing analysed
    assert search(index, "cocoa") == ["a", "w/n-1", "w/n-2"]


def test_mixed_folder_scan(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.jsonl").write_text("")
    (tmp_path / "c.html").write_text("x")
    (tmp_path / "d.rss").write_text("x")
    (tmp_path / "e.pdf").write_text("x")
    files, _ = scan(tmp_path)
    assert [(f.path, f.container) for f in files] == [("a.txt", False), ("b.jsonl", True), ("c.html", False), ("d.rss", True)]


@pytest.mark.skipif(not (SHARED / "corpora" / "bbc-news-2225").is_dir(), reason="needs ../shared/corpora")
def test_shared_jsonl_corpus_loads():
    articles, skipped = load_all(SHARED / "corpora" / "bbc-news-2225")
    assert len([a for a in articles if a.path.endswith(".jsonl")]) == 2225
    assert not [s for s in skipped if s.path.endswith(".jsonl")]


def rss(items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><pubDate>Fri, 03 Sep 2021 10:00:00 +0800</pubDate>"
        f"<link>https://example.com/{guid}</link><description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        for guid, title, text in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>{body}</channel></rss>'


def test_feed_reread_adds_only_new_entries_and_keeps_old_ones(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "ix"
    corpus.mkdir()
    feed = corpus / "wire.rss"
    feed.write_text(rss([("a1", "First story", "alpha text"), ("a2", "Second story", "beta text")]))
    first = update_index(corpus, index, analyser=FAST)
    assert first.added == ["wire/a1", "wire/a2"]
    eng = SearchEngine(index)
    try:
        article = eng.article("wire/a1")
        assert (article.title, article.source, article.date, article.url, article.text) == (
            "First story", "Example Wire", dt.date(2021, 9, 3), "https://example.com/a1", "alpha text")
    finally:
        eng.close()
    # The feed rolls: a1 drops out, a3 arrives, a2 is unchanged.
    feed.write_text(rss([("a3", "Third story", "gamma text"), ("a2", "Second story", "beta text")]))
    st = feed.stat()
    os.utime(feed, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    report = update_index(corpus, index, analyser=FAST)
    assert report.added == ["wire/a3"] and not report.updated and not report.removed
    assert search(index, "text") == ["wire/a1", "wire/a2", "wire/a3"]  # nothing lost
    feed.unlink()
    assert sorted(update_index(corpus, index, analyser=FAST).removed) == ["wire/a1", "wire/a2", "wire/a3"]
