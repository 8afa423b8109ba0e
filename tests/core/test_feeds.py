"""RSS 2.0, RSS 1.0 and Atom feeds into Entry values, including hostile and broken feeds."""

from __future__ import annotations

import datetime as dt
import random
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from reader.core.formats import Entry, FormatError
from reader.core.formats import feeds
from reader.core.formats.feeds import html_to_text, is_feed, parse_feed

# feedparser warns when its deprecated key aliases are used (updated -> published).
pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning")

# --- builders -------------------------------------------------------------------------


def rss2(items: list[str], title: str = "Example News", prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + prolog
        + '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{title}</title><link>https://example.com/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def item(i: int, *, guid: bool = True, link: bool = True, date: str | None = "Fri, 01 Mar 2024 10:00:00 +0000") -> str:
    parts = [f"<title>Story {i}</title>", f"<description>Body of story {i}.</description>"]
    if link:
        parts.append(f"<link>https://example.com/{i}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">story-{i}</guid>')
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def rss1(items: str) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://rdf.example/"><title>RDF Wire</title><link>https://rdf.example/</link>'
        "<description>x</description></channel>" + items + "</rdf:RDF>"
    ).encode("utf-8")


def atom(entries: str, title: str = "Atom Daily") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:feed</id><updated>2024-01-02T00:00:00Z</updated>" + entries + "</feed>"
    ).encode("utf-8")


def all_text(entries: list[Entry]) -> str:
    return "\n".join(
        str(getattr(e, f) or "") for e in entries for f in ("text", "title", "source", "url", "author", "key")
    )


def parse_or_error(data: bytes) -> list[Entry] | FormatError:
    try:
        return parse_feed(data)
    except FormatError as exc:
        return exc


# --- field mapping --------------------------------------------------------------------


def test_rss2_fields():
    data = rss2(
        [
            "<item><title>Tencent &amp; ByteDance respond</title>"
            "<link>https://example.com/a?x=1&amp;y=2</link>"
            '<guid isPermaLink="false">guid-a</guid>'
            "<pubDate>Fri, 01 Mar 2024 23:30:00 -0500</pubDate>"
            "<author>desk@example.com (Jane Doe)</author>"
            "<description>Short teaser.</description>"
            "<content:encoded><![CDATA[<p>First paragraph with <b>bold</b> &amp; more.</p>"
            "<p>Second<br/>line two</p><script>alert(1)</script>]]></content:encoded></item>"
        ]
    )
    [e] = parse_feed(data)
    assert e.title == "Tencent & ByteDance respond"
    assert e.url == "https://example.com/a?x=1&y=2"
    assert e.key == "guid-a"
    assert e.source == "Example News"
    assert e.author == "Jane Doe"
    # The publisher's own calendar date, not the UTC one (2024-03-02).
    assert e.date == dt.date(2024, 3, 1)
    assert e.text == "First paragraph with bold & more.\n\nSecond\nline two"


def test_rss2_dc_creator_and_description_only():
    data = rss2(
        [
            "<item><title>T</title><dc:creator>Li Wei</dc:creator><guid>g</guid>"
            "<description>&lt;p&gt;One &amp;amp; &amp;eacute;&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;</description></item>"
        ]
    )
    [e] = parse_feed(data)
    assert e.author == "Li Wei"
    assert e.text == "One & é\n\nTwo"
    assert e.date is None


def test_plain_description_keeps_its_line_breaks():
    [e] = parse_feed(rss2(["<item><title>T</title><description>line one\nline two\n\nnext para</description></item>"]))
    assert e.text == "line one\nline two\n\nnext para"


def test_rss1_fields():
    data = rss1(
        '<item rdf:about="https://rdf.example/1"><title>First</title><link>https://rdf.example/1</link>'
        "<description>Desc &lt;b&gt;bold&lt;/b&gt;</description>"
        "<dc:date>2024-03-01T23:30:00-05:00</dc:date><dc:creator>Ann</dc:creator></item>"
        '<item rdf:about="https://rdf.example/2"><title>Second</title><link>https://rdf.example/2</link>'
        "<description>Two</description></item>"
    )
    a, b = parse_feed(data)
    assert (a.title, a.key, a.url, a.source, a.author) == (
        "First",
        "https://rdf.example/1",
        "https://rdf.example/1",
        "RDF Wire",
        "Ann",
    )
    assert a.text == "Desc bold"
    assert a.date == dt.date(2024, 3, 1)
    assert (b.title, b.text, b.date) == ("Second", "Two", None)


def test_atom_fields_and_longest_content():
    data = atom(
        "<entry><id>urn:uuid:1</id><title type='html'>A &lt;i&gt;big&lt;/i&gt; day &amp;amp; more</title>"
        '<link rel="alternate" href="https://atom.example/1"/>'
        "<published>2024-01-01T00:30:00+02:00</published><updated>2024-01-05T00:00:00Z</updated>"
        "<author><name>Bob Smith</name><email>bob@example.com</email></author>"
        "<summary>Summary only.</summary>"
        '<content type="html">&lt;h2&gt;Head&lt;/h2&gt;&lt;p&gt;Para one.&lt;/p&gt;'
        "&lt;ul&gt;&lt;li&gt;a&lt;/li&gt;&lt;li&gt;b&lt;/li&gt;&lt;/ul&gt;&lt;style&gt;p{}&lt;/style&gt;</content>"
        "</entry>"
        "<entry><id>urn:uuid:2</id><title>Only a title</title><updated>2024-01-03T10:00:00Z</updated></entry>"
        "<entry><id>urn:uuid:3</id><updated>2024-01-03T10:00:00Z</updated></entry>"
        '<entry><id>urn:uuid:4</id><title>Xhtml</title><content type="xhtml">'
        '<div xmlns="http://www.w3.org/1999/xhtml"><p>x<b>y</b></p><p>z</p></div></content></entry>'
    )
    first, second, fourth = parse_feed(data)
    assert first.title == "A big day & more"
    assert first.key == "urn:uuid:1"
    assert first.url == "https://atom.example/1"
    assert first.author == "Bob Smith"
    assert first.source == "Atom Daily"
    assert first.date == dt.date(2024, 1, 1)  # published wins over updated, in its own zone
    assert first.text == "Head\n\nPara one.\n\na\nb"
    # Only a title: the title is the text. No title and no text: dropped.
    assert (second.title, second.text, second.date) == ("Only a title", "Only a title", dt.date(2024, 1, 3))
    assert fourth.text == "xy\n\nz"


def test_order_kept_and_duplicate_keys_keep_first():
    data = rss2([item(3), item(1), item(2)] + [item(1).replace("Story 1", "Story 1 again")])
    entries = parse_feed(data)
    assert [e.title for e in entries] == ["Story 3", "Story 1", "Story 2"]


def test_key_falls_back_to_link_then_hash():
    entries = parse_feed(rss2([item(1, guid=False), item(2, guid=False, link=False), item(3, guid=False, link=False)]))
    assert entries[0].key == "https://example.com/1"
    assert entries[1].key.startswith("sha1:") and entries[2].key.startswith("sha1:")
    assert entries[1].key != entries[2].key


# --- stable keys ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["guid", "link", "hash"])
def test_keys_stable_across_parses_and_growth(kind: str):
    opts = {"guid": {}, "link": {"guid": False}, "hash": {"guid": False, "link": False}}[kind]
    old = rss2([item(i, **opts) for i in (2, 1)])
    new = rss2([item(i, **opts) for i in (3, 2, 1)])
    keys_a = [e.key for e in parse_feed(old)]
    keys_b = [e.key for e in parse_feed(old)]
    keys_new = [e.key for e in parse_feed(new)]
    assert keys_a == keys_b
    assert len(set(keys_a)) == 2 and None not in keys_a
    assert keys_new[1:] == keys_a
    assert keys_new[0] not in keys_a


def test_hash_key_depends_on_title_and_date():
    a = parse_feed(rss2([item(1, guid=False, link=False)]))[0].key
    b = parse_feed(rss2([item(1, guid=False, link=False, date="Sat, 02 Mar 2024 10:00:00 +0000")]))[0].key
    assert a != b


# --- hostile input --------------------------------------------------------------------

LAUGHS = "".join(
    f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">\n' for i in range(1, 10)
)  # lol9 = 10**9 x "lol"


def _timed(data: bytes, limit: float = 2.0) -> list[Entry] | FormatError:
    start = time.perf_counter()
    out = parse_or_error(data)
    assert time.perf_counter() - start < limit
    return out


@pytest.mark.parametrize("newline", ["\n", ""])
def test_billion_laughs_bounded(newline: str):
    prolog = '<!DOCTYPE rss [\n<!ENTITY lol "lol">\n' + LAUGHS.replace("\n", newline) + "]>\n"
    data = rss2(["<item><title>a &lol9; b</title><description>x &lol9; y</description></item>"], prolog=prolog)
    out = _timed(data)
    if isinstance(out, list):
        assert len(all_text(out)) < 1000
        assert "lollol" not in all_text(out)


def test_quadratic_blowup_bounded():
    # One flat entity referenced many times: "safe" for feedparser, which expands
    # it itself in its loose parser (12 KB of input gave 9 MB of text).
    n = 20_000
    prolog = f'<!DOCTYPE rss [\n<!ENTITY a "{"x" * n}">\n]>\n'
    data = rss2([f"<item><title>t</title><description>{'&a;' * n}</description></item>"], prolog=prolog)
    out = _timed(data, 5.0)
    if isinstance(out, list):
        assert len(all_text(out)) < 10 * len(data)
        assert "x" * 1000 not in all_text(out)


def _xxe_feeds(secret: Path) -> list[bytes]:
    uri = secret.as_uri()
    body = "<item><title>a &xxe; b</title><description>x &xxe; y</description><guid>g</guid></item>"
    return [
        rss2([body], prolog=f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{uri}">\n]>\n'),
        rss2([body], prolog=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{uri}">]>\n'),
        rss2([body], prolog=f'<!DOCTYPE rss [\n<!ENTITY % pe SYSTEM "{uri}">\n%pe;\n]>\n'),
        rss2([item(1)], prolog=f'<!DOCTYPE rss SYSTEM "{uri}">\n'),
        atom(f"<entry><id>e</id><title>a &xxe; b</title><content>&xxe;</content></entry>").replace(
            b"<feed", f'<!DOCTYPE feed [\n<!ENTITY xxe SYSTEM "{uri}">\n]>\n<feed'.encode(), 1
        ),
    ]


def test_external_entities_not_expanded(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242", encoding="utf-8")
    for data in _xxe_feeds(secret):
        out = _timed(data)
        if isinstance(out, list):
            assert "TOPSECRET" not in all_text(out)


def test_etc_passwd_not_expanded():
    body = "<item><title>a &xxe; b</title><description>x &xxe; y</description></item>"
    data = rss2([body], prolog='<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n')
    out = _timed(data)
    assert isinstance(out, FormatError) and "declares its own XML entities" in str(out)


def test_bytes_naming_a_file_are_not_opened(tmp_path: Path):
    secret = tmp_path / "feed.xml"
    secret.write_bytes(rss2([item(1)]))
    # feedparser.parse(b"/path") would open and parse that file.
    with pytest.raises(FormatError):
        parse_feed(str(secret).encode())


def test_no_network_access(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    calls: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise OSError("network disabled in test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    url = "http://127.0.0.1:9/evil"
    for data in (
        rss2([item(1)], prolog=f'<!DOCTYPE rss SYSTEM "{url}.dtd">\n'),
        rss2(["<item><title>&e;</title></item>"], prolog=f'<!DOCTYPE rss [\n<!ENTITY e SYSTEM "{url}">\n]>\n'),
        rss2(["<item><title>&e;</title></item>"], prolog=f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}"> %p;]>\n'),
        rss2([item(1)], prolog=f'<?xml-stylesheet href="{url}.xsl"?>\n'),
    ):
        parse_or_error(data)
    assert calls == []


def test_truncated_feed_keeps_earlier_entries():
    full = rss2([item(i) for i in range(1, 6)])
    cut = full[: full.index(b"<title>Story 4</title>") + 15]  # inside the 4th item
    entries = parse_feed(cut)
    assert [e.title for e in entries[:3]] == ["Story 1", "Story 2", "Story 3"]
    assert all(e.title != "Story 5" for e in entries)


def test_truncated_atom_keeps_earlier_entries():
    full = atom("".join(f"<entry><id>e{i}</id><title>E{i}</title><content>c{i}</content></entry>" for i in range(4)))
    entries = parse_feed(full[: full.index(b"<entry><id>e3") + 20])
    assert [e.title for e in entries[:3]] == ["E0", "E1", "E2"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        bytes(range(256)) * 20,
        random.Random(7).randbytes(50_000),
        b"\x00" * 1000,
        b"<html><head><title>x</title></head><body><p>not a feed</p></body></html>",
        b'{"title": "json, not a feed"}',
        b"<?xml version='1.0'?><note><to>x</to></note>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>',
        b'<?xml version="1.0"?><rss version="2.0"><chan',
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "',
        b"<!-- never closed <rss version='2.0'>",
    ],
)
def test_unusable_input_raises_format_error(data: bytes):
    with pytest.raises(FormatError) as info:
        parse_feed(data)
    assert "\n" not in str(info.value) and str(info.value)


def test_too_large_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 1000)
    with pytest.raises(FormatError, match="too large"):
        parse_feed(rss2([item(i) for i in range(50)]))


def test_mutated_feeds_never_raise_anything_else():
    base = rss2([item(i) for i in range(5)]) + atom("<entry><id>x</id><title>y</title></entry>")
    rng = random.Random(1234)
    tokens = [b"<", b">", b"&", b"&amp;", b"]]>", b"<![CDATA[", b"<!--", b'"', b"\x00", b"\xff\xfe", b"</item>"]
    for _ in range(100):
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[pos : pos + rng.randint(1, 40)] = b""
            elif choice < 0.8:
                data[pos:pos] = rng.choice(tokens)
            else:
                data[pos] = rng.randrange(256)
        out = parse_or_error(bytes(data))
        assert isinstance(out, (list, FormatError))
        if isinstance(out, list):
            assert all(isinstance(e, Entry) and (e.text or e.title) for e in out)


# --- encodings ------------------------------------------------------------------------


def test_wrong_declared_encodings_recover():
    good = rss2([item(1), "<item><title>Café €5</title><guid>u</guid><description>naïve</description></item>"])
    for declared in (b"utf-16", b"ascii", b"shift_jis"):
        data = good.replace(b'encoding="utf-8"', b'encoding="' + declared + b'"')
        titles = [e.title for e in parse_feed(data)]
        assert titles[0] == "Story 1"
        assert len(titles) == 2


def test_latin1_declared_and_utf16_bom():
    latin = rss2(["<item><title>Café</title></item>"]).replace(b'encoding="utf-8"', b'encoding="iso-8859-1"')
    latin = latin.replace("Café".encode("utf-8"), "Café".encode("latin-1"))
    assert parse_feed(latin)[0].title == "Café"
    utf16 = rss2(["<item><title>Ünïcode</title></item>"]).decode("utf-8").replace("utf-8", "utf-16")
    data = utf16.encode("utf-16")  # with BOM
    assert is_feed(data)
    assert parse_feed(data)[0].title == "Ünïcode"


def test_control_characters_are_removed():
    [e] = parse_feed(rss2(["<item><title>a&#x1b;[31mred</title><description>x&#x202e;y&#x7;z</description></item>"]))
    assert "\x1b" not in e.title and "\u202e" not in e.text and "\x07" not in e.text


# --- sniffing and HTML ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (rss2([item(1)]), True),
        (rss1(""), True),
        (atom(""), True),
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><?xml-stylesheet href="s.xsl"?><rss version="0.91">', True),
        (b'<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">', True),
        (b'<!DOCTYPE rss [<!ENTITY x "<feed>">]><rss version="2.0">', True),
        (b"<feed><entry/></feed>", False),  # not the Atom namespace
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><x/></rdf:RDF>', False),
        (b"<html><body>see our <rss> feed</body></html>", False),
        (b'<!DOCTYPE html><html><head><link type="application/rss+xml"></head></html>', False),
        (b"plain text that mentions <rss", False),
        (b"", False),
        (bytes(range(256)), False),
    ],
)
def test_is_feed(data: bytes, expected: bool):
    assert is_feed(data) is expected


def test_is_feed_is_cheap_on_huge_input():
    feed, comment = b"<rss>" + b"x" * 50_000_000, b"<!--" + b"x" * 50_000_000
    start = time.perf_counter()
    assert is_feed(feed)
    assert is_feed(comment) is False
    assert time.perf_counter() - start < 0.2


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two<br>three</p>", "One\n\nTwo\nthree"),
        ("a &amp; b &lt;c&gt; &eacute; &#233;&nbsp;x", "a & b <c> é é x"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("<script>var x = 1;</script><style>p {}</style>ok", "ok"),
        ("  spaced\n   out <b>words</b>  ", "spaced\nout words"),
        ("<pre>keep\n  indent</pre>", "keep\n  indent"),
        ("<!-- hidden --><p>shown", "shown"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str):
    assert html_to_text(html) == text


def test_html_to_text_linear_on_unterminated_tags():
    start = time.perf_counter()
    for junk in ("<a" * 100_000, "</" * 100_000, "<![" * 100_000, "<!--" + "x" * 100_000):
        assert isinstance(html_to_text(junk), str)
    assert time.perf_counter() - start < 2.0


def test_five_hundred_entries_quickly():
    body = "&lt;p&gt;A paragraph with &lt;b&gt;markup&lt;/b&gt; &amp;amp; an entity.&lt;/p&gt;" * 8
    items = [f"<item><title>S{i}</title><guid>g{i}</guid><description>{body}</description></item>" for i in range(500)]
    start = time.perf_counter()
    entries = parse_feed(rss2(items))
    elapsed = time.perf_counter() - start
    assert [e.key for e in entries] == [f"g{i}" for i in range(500)]
    assert entries[0].text.startswith("A paragraph with markup & an entity.\n\n")
    assert elapsed < 10  # about 0.5 s on an idle machine; generous for shared CI


def test_html_to_text_falls_back_when_lxml_fails(monkeypatch: pytest.MonkeyPatch):
    def boom(fragment: str) -> str:
        raise ValueError("lxml unhappy")

    monkeypatch.setattr(feeds, "_lxml_text", boom)
    assert html_to_text("<p>a &amp; <b>b</b></p>") == "a & b"
    [e] = parse_feed(rss2(["<item><title>T</title><description>&lt;p&gt;kept&lt;/p&gt;</description></item>"]))
    assert e.text == "kept"
