"""The `reader` command line, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ID_000, ID_003, ID_004


def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, input=input, timeout=120
    )


def test_index_prints_summary_then_nothing_to_do(corpus, index_dir):
    (corpus / "junk.txt").write_bytes(b"\x00\x01binary")
    first = run("index", "--corpus", str(corpus), "--index", str(index_dir))
    assert first.returncode == 0, first.stderr
    assert "3 added, 0 updated, 0 removed, 0 unchanged, 1 skipped" in first.stdout
    assert "skipped junk.txt: binary" in first.stdout
    second = run("index", "--corpus", str(corpus), "--index", str(index_dir))
    assert "0 added, 0 updated, 0 removed, 3 unchanged" in second.stdout


def test_search_json(corpus, index_dir):
    out = run("search", '"deep self-examination"', "--json", "--corpus", str(corpus), "--index", str(index_dir))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["query"] == '"deep self-examination"' and data["total"] == 1
    [hit] = data["hits"]
    assert set(hit) >= {"id", "title", "source", "date", "score", "snippet", "path"}
    assert (hit["id"], hit["source"], hit["date"]) == (ID_003, "AFP", "2021-07-30")


def test_search_sort_and_limit(corpus, index_dir):
    out = run("search", "china", "--sort", "date", "--limit", "2", "--json", "--corpus", str(corpus), "--index", str(index_dir))
    data = json.loads(out.stdout)
    assert data["total"] == 3 and [h["id"] for h in data["hits"]][0] == ID_000 and len(data["hits"]) == 2


def test_options_before_the_command_are_kept(corpus, index_dir):
    out = run("--corpus", str(corpus), "--index", str(index_dir), "search", "source:bloomberg", "--json")
    assert [h["id"] for h in json.loads(out.stdout)["hits"]] == [ID_004]


def test_show_json(corpus, index_dir):
    out = run("show", ID_004, "--json", "--corpus", str(corpus), "--index", str(index_dir))
    data = json.loads(out.stdout)
    assert set(data) == {"id", "title", "source", "date", "url", "path", "text"}
    assert data["date"] == "2021-07-30" and data["source"] == "Bloomberg"
    assert data["text"].startswith("China Orders 25 Tech Giants")


def test_bad_query_is_one_line_error_exit_2(corpus, index_dir):
    out = run("search", '"unclosed', "--corpus", str(corpus), "--index", str(index_dir))
    assert out.returncode == 2
    assert out.stderr.startswith("error: ") and out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr


def test_missing_corpus_is_one_line_error(tmp_path):
    out = run("search", "x", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "ix"))
    assert out.returncode == 2 and out.stderr == f"error: corpus folder not found: {tmp_path / 'nope'}\n"


def test_unknown_id(corpus, index_dir):
    out = run("show", "nope", "--corpus", str(corpus), "--index", str(index_dir))
    assert out.returncode == 2 and out.stderr.startswith("error: no article with id 'nope'")


def test_help_everywhere():
    for args in ([], ["index"], ["search"], ["show"], ["entities"], ["extract"], ["timeline"]):
        out = run(*args, "--help")
        assert out.returncode == 0 and "--corpus" in out.stdout and "--index" in out.stdout


def test_add_copies_indexes_and_refuses_what_it_cannot(corpus, index_dir, tmp_path):
    outside = tmp_path / "incoming"
    outside.mkdir()
    (outside / "zebra.txt").write_text("Zebra crossing headline\n\nA zebra walked into the newsroom.\n")
    (outside / "notes.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "zebra.txt").write_text("Another zebra file with the same name\n\nDifferent text.\n")
    out = run("add", str(outside / "zebra.txt"), str(outside / "notes.pdf"), str(tmp_path / "missing.txt"),
              "--corpus", str(corpus), "--index", str(index_dir))
    assert out.returncode == 0, out.stderr
    assert "zebra-1.txt" in out.stdout and "5 added" in out.stdout  # 3 bundled + the old zebra + the new one
    assert "not added" in out.stderr and "unsupported file type" in out.stderr and "no such file" in out.stderr
    assert "Traceback" not in out.stderr
    assert (corpus / "zebra.txt").read_text().startswith("Another")  # never overwritten
    again = run("add", str(outside / "zebra.txt"), "--corpus", str(corpus), "--index", str(index_dir))
    assert "0 file(s) copied" in again.stdout  # the identical file is already there
    found = run("search", "newsroom", "--json", "--corpus", str(corpus), "--index", str(index_dir))
    assert [h["id"] for h in json.loads(found.stdout)["hits"]] == ["zebra-1"]


def test_add_nothing_usable_fails(corpus, index_dir, tmp_path):
    out = run("add", str(tmp_path / "missing.txt"), "--corpus", str(corpus), "--index", str(index_dir))
    assert out.returncode == 2 and "no such file" in out.stderr


def test_index_a_jsonl_corpus(tmp_path, index_dir):
    folder = tmp_path / "wire"
    folder.mkdir()
    rows = [{"id": f"w{i}", "title": f"Wire story {i}", "date": "1987-02-26T15:01:01", "source": "Reuters",
             "text": f"Cocoa story number {i}."} for i in range(5)]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = run("search", "cocoa", "--json", "--limit", "10", "--corpus", str(folder), "--index", str(index_dir))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["total"] == 5 and {h["id"] for h in data["hits"]} == {f"wire/w{i}" for i in range(5)}
    assert {h["date"] for h in data["hits"]} == {"1987-02-26"}
