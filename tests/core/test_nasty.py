"""A folder of nasty files, generated here: indexing reads what can be read,
skips the rest with a reason, and never stops, hangs or loses an article."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import reader.core.loader as loader_module
from reader.core.index import update_index
from reader.core.pipeline import Analyser
from reader.core.search import SearchEngine

FAST = Analyser(enabled=False)

GOOD = "Good headline {n}\n\nThe regulator told Tencent about goodword{n} on Friday.\n"
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>Bomb</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>
"""
HOSTILE = ("[bold red]Markup[/] \x1b]52;c;ZXZpbA==\x07headline \x1b[2J\u202eevil\n\n"
           "[link=https://evil.example]click[/link] body \x1b[31mred\x1b[0m hostileword.\n")


def make_nasty(root: Path) -> dict[str, str]:
    """Write the folder; return {path: expected reason fragment} for files that must be skipped."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(3):
        (root / f"good{n}.txt").write_text(GOOD.format(n=n), encoding="utf-8")
    (root / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    (root / "cyrillic.txt").write_bytes(
        ("Регулятор потребовал от компаний прекратить блокировку ссылок. " * 8 + "cyrword").encode("cp1251"))
    (root / "truncated.txt").write_bytes(("Truncated headline\n\nTencent 腾讯 truncword 要求" * 3).encode("utf-8")[:-1])
    expect = {
        "binary.txt": "binary",
        "png.md": "binary",
        "empty.txt": "empty",
        "blank.md": "empty",
        "huge.txt": "too large",
        "pipe.txt": "not a regular file",
        "loop-a.txt": "cannot stat",
        "loop-b.txt": "cannot stat",
        "dangling.txt": "cannot stat",
        "bomb.xml": "",
        "garbage.rss": "",
        "notafeed.xml": "",
        "bad.jsonl:2": "not valid JSON",
    }
    (root / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (root / "png.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000))
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_text("\n   \n\t\n")
    (root / "huge.txt").write_text("x" * 5000)  # over the (patched) size limit
    os.mkfifo(root / "pipe.txt")
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    os.symlink("nowhere.txt", root / "dangling.txt")
    os.symlink(".", root / "self")  # a folder loop
    (root / "bomb.xml").write_text(BOMB)
    (root / "garbage.rss").write_bytes(os.urandom(3000))
    (root / "notafeed.xml").write_text("<?xml version='1.0'?><config><x>1</x></config>")
    (root / "broken.html").write_text("<html><body><div><p>unclosed <b>tags brokenword <script>alert(1)</script>")
    (root / "bomb.html").write_text(BOMB.replace("<rss", "<html><body><p>&lol9;</p></body></html><rss"))
    (root / "bad.jsonl").write_text('{"id": "a", "title": "Line one", "text": "jsonlword here"}\n{"id": "b", "ti\n')
    (root / ".hidden.txt").write_text("never read")
    return expect


@pytest.fixture
def nasty(tmp_path, monkeypatch):
    monkeypatch.setattr(loader_module, "MAX_BYTES", 4096)
    root = tmp_path / "nasty"
    return root, make_nasty(root)


def test_index_skips_each_bad_file_with_a_reason(nasty, tmp_path):
    root, expect = nasty
    started = time.perf_counter()
    report = update_index(root, tmp_path / "ix", analyser=FAST)
    assert time.perf_counter() - started < 60
    reasons = {s.path: s.reason for s in report.skipped}
    for path, fragment in expect.items():
        assert path in reasons, f"{path} not reported as skipped: {reasons}"
        assert fragment in reasons[path] and "\n" not in reasons[path]
    assert ".hidden.txt" not in reasons
    eng = SearchEngine(tmp_path / "ix")
    try:
        for word in ("goodword0", "goodword2", "hostileword", "cyrword", "truncword", "jsonlword"):
            assert eng.search(word).total == 1, word
        article = eng.article("hostile")
        assert "\x1b" not in article.text + article.title and "\u202e" not in article.text + article.title
        assert "[bold red]Markup[/]" in article.title and "[link=https://evil.example]" in article.text
        assert "Регулятор" in eng.article("cyrillic").text
        assert "腾讯" in eng.article("truncated").text
        broken = eng.article("broken")  # malformed HTML: what can be read is read, scripts never
        assert broken is None or "alert" not in broken.text
    finally:
        eng.close()


def test_a_file_that_turns_bad_keeps_its_indexed_version(nasty, tmp_path):
    root, _ = nasty
    update_index(root, tmp_path / "ix", analyser=FAST)
    (root / "good1.txt").write_bytes(b"\x00\x01\x02" * 100)
    report = update_index(root, tmp_path / "ix", analyser=FAST)
    assert any(s.path == "good1.txt" and "binary" in s.reason for s in report.skipped)
    assert not report.removed
    eng = SearchEngine(tmp_path / "ix")
    try:
        assert eng.search("goodword1").total == 1
    finally:
        eng.close()


def test_a_file_vanishing_mid_run(tmp_path, monkeypatch):
    root = tmp_path / "c"
    root.mkdir()
    for n in range(3):
        (root / f"good{n}.txt").write_text(GOOD.format(n=n))
    real_scan = loader_module.scan

    def scan_then_delete(corpus):
        found = real_scan(corpus)
        (root / "good1.txt").unlink()
        return found

    import reader.core.index as index_module

    monkeypatch.setattr(index_module, "scan", scan_then_delete)
    report = update_index(root, tmp_path / "ix", analyser=FAST)
    assert [(s.path, s.reason) for s in report.skipped] == [("good1.txt", "vanished while reading")]
    assert sorted(report.added) == ["good0", "good2"]
