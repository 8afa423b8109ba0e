"""Bulk builds: segments built by ``segments.SegmentBuilder`` (in worker
processes) must hold exactly what Whoosh's own writer would have written."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from whoosh import index as windex

import reader.core.index as index_module
from conftest import BUNDLED
from reader.core.index import update_index
from reader.core.schema import build_schema
from reader.core.search import SearchEngine
from reader.core.segments import SegmentBuilder, adopt

WORDS = "Apple IBM cocoa Lloyd's Bank of Japan prices rose fell U.S. Federal Reserve said on Monday March 3 1987".split()


def _docs() -> list[dict]:
    docs = []
    for i in range(300):
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(5 + i % 40)]
        docs.append(
            {
                "id": f"doc-{i}",
                "path": f"{i // 50}/doc {i}.md",
                "title": " ".join(words[:4]) + (" 阿里巴巴集团" if i % 9 == 0 else ""),
                "body": " ".join(words) + (" Ｔｅｎｃｅｎｔ İstanbul café" if i % 7 == 0 else ""),
                "source": ["Reuters", "", "Wire Ünï"][i % 3],
                "date": dt.datetime(1987, 3, 1 + i % 28) if i % 5 else None,
                "datekey": 19870301 + i % 28 if i % 5 else 0,
                "url": None if i % 2 else f"http://e/{i}",
                "org": ["", "apple,ibm", " Apple ,apple,, IBM Corp ,  ,X"][i % 3],
                "firm": ["", "apple", "A,a,A"][i % 3],
                "agency": "" if i % 4 else "federal reserve",
                "ents": "" if i % 3 else "firm:Apple,firm:Apple, agency:Federal Reserve",
                "entities": json.dumps([{"start": 0, "end": 5, "name": "Apple", "kind": "firm"}]),
                "events": "[]",
                "sig": f"1:{i}",
            }
        )
    docs.append(dict(docs[0], id="", path="", title="", body="", source="", org=",", firm=" "))
    return docs


def _postings(reader, field, term):
    m = reader.postings(field, term)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


def test_segment_builder_writes_what_whoosh_writes(tmp_path):
    docs = _docs()
    whoosh_dir, ours_dir = tmp_path / "whoosh", tmp_path / "ours"
    whoosh_dir.mkdir()
    ours_dir.mkdir()
    writer = windex.create_in(str(whoosh_dir), build_schema()).writer()
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    builder = SegmentBuilder(tmp_path / "parts", build_schema())
    for doc in docs:
        builder.add_document(**doc)
    segment = builder.finish()
    adopt(tmp_path / "parts", segment, ours_dir)
    windex.create_in(str(ours_dir), build_schema()).writer().commit(mergetype=lambda w, segs: [*segs, segment])

    a, b = windex.open_dir(str(whoosh_dir)).reader(), windex.open_dir(str(ours_dir)).reader()
    assert a.doc_count_all() == b.doc_count_all() == len(docs)
    assert list(a.all_stored_fields()) == list(b.all_stored_fields())
    for field in build_schema().names():
        if not a.schema[field].indexed:
            continue
        terms = list(a.lexicon(field))
        assert terms == list(b.lexicon(field)), field
        assert a.field_length(field) == b.field_length(field), field
        assert [a.doc_field_length(d, field) for d in range(len(docs))] == [
            b.doc_field_length(d, field) for d in range(len(docs))
        ], field
        for term in terms:
            ia, ib = a.term_info(field, term), b.term_info(field, term)
            assert (ia.weight(), ia.doc_frequency(), ia.min_length(), ia.max_length(), ia.max_weight()) == (
                ib.weight(), ib.doc_frequency(), ib.min_length(), ib.max_length(), ib.max_weight()
            ), (field, term)
            assert (ia.min_id(), ia.max_id()) == (ib.min_id(), ib.max_id()), (field, term)
            assert _postings(a, field, term) == _postings(b, field, term), (field, term)
        if a.has_column(field):
            assert list(a.column_reader(field)) == list(b.column_reader(field)), field
    assert any(len(_postings(b, "body", t)) > 128 for t in b.lexicon("body"))  # several blocks


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(BUNDLED, corpus)
    for i in range(24):
        (corpus / "more").mkdir(exist_ok=True)
        (corpus / "more" / f"m{i}.md").write_text(
            f'+++\ntitle = "Cocoa story {i}"\ndate = 1987-03-{i % 28 + 1:02d}\n+++\n'
            f"Apple Inc and IBM said on Monday cocoa prices rose {i} pct in March. The Federal Reserve met.\n",
            encoding="utf-8",
        )
    rows = [
        {"id": f"n-{i}", "title": f"Wire {i} about sugar", "date": f"1987-04-{i % 28 + 1:02d}", "text": f"Sugar story {i} from Tokyo."}
        for i in range(15)
    ]
    (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return corpus


def _view(index: Path) -> dict:
    engine = SearchEngine(index)
    try:
        out = {}
        for q in ("", "cocoa", "sugar", '"prices rose"', "apple", "title:story", "date:1987-03"):
            result = engine.search(q)
            out[q] = [h.id for h in engine.hits(result, 0, result.total)] if result.total else []
        out["facets"] = [(f.name, f.kind, f.count) for f in engine.facets()]
        out["timeline"] = [(r.date, r.granularity, r.articles) for r in engine.timeline()]
        out["stored"] = sorted(engine.all_stored(["id", "title", "body", "entities", "events", "sig"]), key=lambda d: d["id"])
        return out
    finally:
        engine.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_bulk_build_equals_one_writer_build(tmp_path, monkeypatch, workers):
    corpus = _corpus(tmp_path)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10**9)
    plain = update_index(corpus, tmp_path / "plain", workers=1)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(index_module, "COMMIT_EVERY", 7)  # several batches, a container across them
    reports: list[tuple[int, int]] = []
    bulk = update_index(corpus, tmp_path / "bulk", workers=workers, progress=lambda done, total: reports.append((done, total)))
    assert reports[0][0] == 0 and reports[-1][0] == reports[-1][1] == 3 + 24 + 15 + 1  # the container's end marker too
    assert [d for d, _ in reports] == sorted({d for d, _ in reports})  # rising, no repeats
    assert sorted(bulk.added) == sorted(plain.added) and len(bulk.added) == 3 + 24 + 15
    assert not bulk.skipped and not plain.skipped
    assert _view(tmp_path / "bulk") == _view(tmp_path / "plain")
    assert not list((tmp_path / "bulk").glob("*.tmp"))  # the segments' build folders are gone

    # A bulk update that replaces articles: old versions deleted, new ones in.
    (corpus / "more" / "m3.md").write_text("+++\ntitle = \"Changed\"\n+++\nNow about zinc.\n", encoding="utf-8")
    (corpus / "more" / "m4.md").unlink()
    stale = tmp_path / "bulk" / "segments-12345.tmp"  # a crashed build's segment folder
    (stale / "00000").mkdir(parents=True)
    report = update_index(corpus, tmp_path / "bulk", workers=workers)
    assert not stale.exists()
    assert len(report.updated) == 1 and len(report.removed) == 1
    engine = SearchEngine(tmp_path / "bulk")
    try:
        assert engine.search("").total == 3 + 23 + 15
        assert [h.id for h in engine.hits(engine.search("zinc"), 0, 5)] == report.updated
        assert engine.search("title:changed").total == 1
    finally:
        engine.close()
    assert not update_index(corpus, tmp_path / "bulk", workers=workers).changed


def test_bulk_segments_keep_their_words_for_fuzzy_queries(tmp_path, monkeypatch):
    """Each bulk-built segment writes its title/body words beside it: fuzzy
    expansion reads them instead of scanning the term index, with the same
    result. The file is inside the compound segment file, so it goes with it."""
    from reader.core import query as query_module
    from reader.core.index import open_index

    corpus = _corpus(tmp_path)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(index_module, "COMMIT_EVERY", 7)
    update_index(corpus, tmp_path / "ix", workers=1)
    ix = open_index(tmp_path / "ix")
    try:
        with ix.reader() as reader:
            leaves = [leaf for leaf, _ in reader.leaf_readers()]
            assert len(leaves) > 1
            for leaf in leaves:
                for field in ("title", "body"):
                    stored = query_module._stored_words(leaf, field)
                    assert stored is not None
                    with monkeypatch.context() as m:
                        m.setattr(query_module, "_stored_words", lambda *_: None)
                        scanned = query_module._segment_words(leaf, field)
                        scanned_c = query_module._segment_words(leaf, field, "c")
                    assert stored == scanned and scanned, field
                    assert query_module._segment_words(leaf, field, "c") == scanned_c
                    assert all(w.startswith("c") for w in scanned_c)
        assert not list((tmp_path / "ix").glob("*.words_*"))  # inside each segment's .seg
    finally:
        ix.close()
    _fuzzy_finds_the_word(tmp_path / "ix")
    # Merged into one segment by Whoosh's writer: no words file, the term index is scanned.
    ix = open_index(tmp_path / "ix")
    try:
        writer = ix.writer()
        writer.commit(optimize=True)
        with ix.reader() as reader:
            assert reader.is_atomic() and query_module._stored_words(reader, "body") is None
    finally:
        ix.close()
    _fuzzy_finds_the_word(tmp_path / "ix")


def _fuzzy_finds_the_word(index_dir) -> None:
    engine = SearchEngine(index_dir)
    try:
        assert engine.search("cocao~").total == engine.search("cocoa").total > 0
    finally:
        engine.close()


def test_a_bulk_worker_runs_without_cyclic_gc(tmp_path, monkeypatch):
    """In a worker process batches are built with the cyclic GC off, and it
    stays off (the process runs nothing else; a collection after each batch
    walked the word caches). Outside a worker (the TUI's own process) the GC
    is never touched."""
    import gc
    import multiprocessing

    from reader.core import segments
    from reader.core.index import Job, _work
    from reader.core.loader import scan
    from reader.core.pipeline import Analyser

    corpus = _corpus(tmp_path)
    files, _ = scan(corpus)
    jobs = [Job(f, None, f.signature, False, True) for f in files if f.path.endswith(".md")][:3]
    seen: list[bool] = []
    real_article = index_module._article
    monkeypatch.setattr(index_module, "_article", lambda *a: (seen.append(gc.isenabled()), real_article(*a))[1])
    analyser = Analyser(None)

    outcomes, segment = _work((corpus, tmp_path / "plain", jobs), analyser)
    assert seen == [True] * 3 and gc.isenabled() and segment is not None

    seen.clear()
    monkeypatch.setattr(segments, "_COUNTER", multiprocessing.get_context("spawn").Value("q", 0))
    try:
        outcomes, segment = _work((corpus, tmp_path / "worker", jobs), analyser)
        assert seen == [False] * 3 and not gc.isenabled()
        assert len(outcomes) == 3 and segment is not None and segments._COUNTER.value == 3
    finally:
        gc.enable()


def test_analysis_and_indexing_leave_no_reference_cycles(tmp_path):
    """What makes running workers without the cyclic GC safe: reading,
    analysing and indexing articles leaves no garbage that only the cyclic
    GC could free (a recursive closure in the acronym matcher used to leave
    one per definition like "Ministry of ... (MIIT)")."""
    import gc

    from reader.core.index import Job, _work
    from reader.core.loader import scan
    from reader.core.pipeline import Analyser

    corpus = _corpus(tmp_path)
    (corpus / "acronyms.md").write_text(
        '+++\ntitle = "Acronyms"\ndate = 2021-09-13\n+++\n'
        "The Ministry of Industry and Information Technology (MIIT) met Tencent Holdings Ltd. "
        "and the European Aeronautic Defence and Space Co. (EADS) on Friday, two days after "
        "the State Administration for Market Regulation (SAMR) spoke.\n",
        encoding="utf-8",
    )
    files, _ = scan(corpus)
    jobs = [Job(f, None, f.signature, False, True) for f in files]
    analyser = Analyser(None)
    _work((corpus, tmp_path / "warm", jobs), analyser)  # one-time set-up (caches, imports) first
    gc.collect()
    gc.disable()
    try:
        outcomes, segment = _work((corpus, tmp_path / "measured", jobs), analyser)
        del outcomes, segment
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_segments_compress_with_isal_into_what_zlib_reads(tmp_path):
    """Blocks and stored fields are deflated by ISA-L (when installed, as
    pyproject asks) and inflated by Whoosh with zlib: the hook on Whoosh's
    stored-fields writer must still take, and the result must read back."""
    import zlib

    from isal import isal_zlib

    from reader.core import segments

    builder = SegmentBuilder(tmp_path / "parts", build_schema())
    assert builder.perdoc._colwriters["_stored"]._child._compress is isal_zlib.compress
    data = bytes(range(256)) * 8
    assert segments.deflate(data) != zlib.compress(data, segments.COMPRESSION)  # not zlib's own output
    assert zlib.decompress(segments.deflate(data)) == data


def test_a_failing_extraction_skips_only_its_article_in_a_staged_batch(tmp_path):
    """A batch goes through each stage a few hundred articles at a time; an
    extractor that fails on one article (in either stage) skips that article
    with the error, and the others of its stage are indexed as usual."""
    from reader.core.index import STAGE_JOBS, Job, _work
    from reader.core.loader import scan
    from reader.core.models import Skipped
    from reader.core.pipeline import Analyser

    class Flaky(Analyser):
        def _mentions(self, text):
            if "boom" in text:
                raise ValueError("no organisations today")
            return super()._mentions(text)

        def _events(self, article_id, text, date, mentions):
            if "bang" in text:
                raise KeyError("no dates")
            return super()._events(article_id, text, date, mentions)

    corpus = tmp_path / "c"
    corpus.mkdir()
    count = STAGE_JOBS + 3
    for i in range(count):
        word = "boom" if i == 5 else "bang" if i == STAGE_JOBS + 1 else "calm"
        (corpus / f"a{i:04d}.md").write_text(
            f'+++\ntitle = "Story {i}"\ndate = 2021-09-13\n+++\nTencent said on Friday it was {word}.\n', encoding="utf-8"
        )
    files, _ = scan(corpus)
    jobs = [Job(f, None, f.signature, False, True) for f in files]
    outcomes, segment = _work((corpus, tmp_path / "seg", jobs), Flaky(None))
    skipped = {o.path: o.reason for o in outcomes if isinstance(o, Skipped)}
    assert skipped == {
        "a0005": "analysis failed: ValueError: no organisations today",
        f"a{STAGE_JOBS + 1:04d}": "analysis failed: KeyError: 'no dates'",
    }
    assert outcomes[6] == "a0006" and len([o for o in outcomes if isinstance(o, str)]) == count - 2
    assert segment is not None


def test_stages_are_bounded_by_count_and_by_text_size():
    """A bulk batch is analysed a stage at a time; a stage holds its
    articles' text, so it ends at STAGE_JOBS jobs or STAGE_BYTES of text (a
    bigger file gets a stage of its own), in the batch's order."""
    from reader.core.index import STAGE_BYTES, STAGE_JOBS, Job, _stages
    from reader.core.loader import SourceFile
    from reader.core.models import Article

    def job(name, size):
        return Job(SourceFile(name, f"{name}.md", f"{size}:1"), None, f"{size}:1", False, True)

    small = [job(f"s{i}", 1000) for i in range(STAGE_JOBS + 10)]
    assert [len(p) for p in _stages(small)] == [STAGE_JOBS, 10]
    big = [job("a", STAGE_BYTES // 2), job("b", STAGE_BYTES // 2), job("c", 10), job("huge", STAGE_BYTES * 2), job("d", 10)]
    assert [[j.source.id for j in p] for p in _stages(big)] == [["a", "b"], ["c"], ["huge"], ["d"]]
    entry = Article(id="w/1", path="w.jsonl", title="t", text="x" * (STAGE_BYTES - 5))
    container = SourceFile("w", "w.jsonl", f"{10 * STAGE_BYTES}:1")
    parts = list(_stages([Job(container, entry, "e", False, False), Job(container, None, "", False, True, marker=True), job("e", 10)]))
    assert [len(p) for p in parts] == [2, 1]  # an entry counts its text, a marker nothing
    assert [j for p in _stages(small) for j in p] == small
