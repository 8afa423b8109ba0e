"""Saved web pages (.html, .htm): article text and metadata, hostile and broken pages.

The last test scores extraction on pages of ../shared/corpora/article-extraction-benchmark
(skipped when it is absent); eval/html_eval.py scores all 181.
"""

from __future__ import annotations

import codecs
import datetime as dt
import importlib.util
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
from reader.core.formats import Entry, FormatError
from reader.core.formats import html as html_module
from reader.core.formats.html import MAX_ELEMENTS, MAX_TAG_ATTRIBUTES, parse_html
from reader.core.loader import load_all

BENCH = SHARED / "corpora" / "article-extraction-benchmark"

PARAS = [
    "The regulator told the largest technology companies on Monday to stop blocking links to rival services, "
    "saying the practice hurt consumers and had to end within weeks.",
    "Officials said firms that failed to comply would face penalties, and that a review of the sector's "
    "practices would continue into next year, according to a statement published by the ministry.",
    "Analysts said the move was the latest in a series of steps aimed at reining in the industry after "
    "years of rapid growth, and that investors had largely expected it.",
]


def page(
    body: str = "",
    head: str = "",
    *,
    paras: list[str] = PARAS,
    chrome: bool = True,
    charset: str = "utf-8",
    h1: str | None = "Headline of the story",
) -> str:
    """A news page: head metadata, navigation, the article, an ad, comments, footer.

    (A page's single ``<h1>`` is its title for trafilatura, before ``<title>``.)
    """
    article = (f"<h1>{h1}</h1>" if h1 else "") + "".join(f"<p>{p}</p>" for p in paras) + body
    nav = (
        '<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World navword</a></li>'
        '<li><a href="/tech">Technology</a></li></ul></nav>'
        '<div class="ad advertisement" id="ad-top">Buy adword now, limited offer</div>'
        if chrome
        else ""
    )
    tail = (
        '<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/x">Sidebarword story one</a></li>'
        '<li><a href="/y">Another sidebarword story</a></li></ul></aside>'
        '<section id="comments" class="comments"><h3>Comments</h3>'
        '<div class="comment"><p>Commentword: I totally disagree with this article, it is biased.</p></div>'
        '<div class="comment"><p>Commentword again from another reader who wrote a long reply here.</p></div>'
        "</section>"
        '<footer class="site-footer"><p>Footerword (c) 2021 Example Media. All rights reserved.</p>'
        '<a href="/privacy">Privacy</a></footer>'
        if chrome
        else ""
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">{head}</head>'
        f"<body>{nav}<main><article>{article}</article></main>{tail}"
        "</body></html>"
    )


def one_line_error(data: bytes) -> str:
    with pytest.raises(FormatError) as info:
        parse_html(data)
    reason = str(info.value)
    assert reason and "\n" not in reason
    return reason


# --- metadata ---------------------------------------------------------------------------


def test_open_graph_and_article_metadata():
    head = (
        "<title>Regulator acts | Example News</title>"
        '<meta property="og:title" content="Regulator orders tech firms to stop blocking links">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="og:url" content="https://news.example.com/2021/09/13/regulator-links">'
        '<meta property="article:published_time" content="2021-09-13T08:30:00+08:00">'
        '<meta name="author" content="Jane Doe">'
    )
    e = parse_html(page(head=head).encode())
    assert isinstance(e, Entry)
    assert e.title == "Regulator orders tech firms to stop blocking links"
    assert e.date == dt.date(2021, 9, 13)
    assert e.source == "Example News"
    assert e.url == "https://news.example.com/2021/09/13/regulator-links"
    assert e.author == "Jane Doe"


def test_json_ld_metadata():
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Tencent responds to the ministry", "datePublished": "2020-03-04T10:00:00Z",'
        ' "author": {"@type": "Person", "name": "Li Wei"},'
        ' "publisher": {"@type": "Organization", "name": "Global Wire"}}</script>'
    )
    e = parse_html(page(head=head).encode())
    assert e.title == "Tencent responds to the ministry"
    assert e.date == dt.date(2020, 3, 4)
    assert e.author == "Li Wei"
    assert e.source == "Global Wire"
    assert "ld+json" not in e.text and "datePublished" not in e.text


def test_date_from_time_element():
    body = '<p class="byline">Published <time datetime="2019-11-18T14:00:00Z" pubdate>Nov 18</time></p>'
    e = parse_html(page(body=body, head="<title>A story</title>").encode())
    assert e.date == dt.date(2019, 11, 18)
    assert e.title == "Headline of the story"  # a page's single <h1> beats its <title>


def test_no_date_is_invented():
    e = parse_html(page(head="<title>Undated</title>").encode())
    assert e.date is None  # not today's date, not a guess


# --- the body ---------------------------------------------------------------------------


def test_body_keeps_paragraphs_and_drops_page_chrome():
    e = parse_html(page(head="<title>T</title>").encode())
    for p in PARAS:
        assert p in e.text
    paragraphs = e.text.split("\n\n")
    assert all(any(p == q for q in paragraphs) for p in PARAS)  # a blank line between paragraphs
    for word in ("navword", "adword", "Sidebarword", "Commentword", "Footerword", "Privacy"):
        assert word not in e.text, word


def test_script_and_style_never_in_text():
    body = (
        "<script>var scriptword = 1; document.write('scriptword');</script>"
        "<style>.styleword { color: red }</style>"
        '<script type="application/ld+json">{"jsonword": 1}</script>'
        "<noscript><p>Enable noscriptword JavaScript</p></noscript>"
        "<p>Closing paragraph of the article, with a final quote from the minister.</p>"
    )
    head = "<script>var headscriptword;</script><style>body{}</style>"
    e = parse_html(page(body=body, head=head).encode())
    assert "Closing paragraph" in e.text
    for word in ("scriptword", "styleword", "jsonword", "color: red", "document.write"):
        assert word not in e.text, word


def test_markup_and_control_sequences_are_never_interpreted():
    hostile = (
        "Rich markup [bold red]x[/] and [link=https://evil.example]click[/link] stays literal. "
        "Clear \x1b[2J screen, clipboard \x1b]52;c;ZXZpbA==\x07 write, "
        "colour &#27;[31mred&#x1b;[0m, bell &#7; and &#x1b;]52;c;QQ==&#x07; end, "
        "bidi \u202eevil\u202c, C1 \x9b2J csi."
    )
    head = "<title>Title \x1b[31m[bold]t[/bold] &#27;]0;pwned&#7;</title>"
    e = parse_html(page(body=f"<p>{hostile}</p>", head=head, h1=None).encode())
    everything = "".join(str(v) for v in (e.text, e.title, e.source, e.author, e.url))
    assert "\x1b" not in everything and "\x07" not in everything and "\x9b" not in everything
    assert "\u202e" not in everything
    assert "[bold red]x[/]" in e.text and "[link=https://evil.example]click[/link]" in e.text
    assert PARAS[0] in e.text and "end, bidi" in e.text  # the paragraph was not dropped
    assert "[bold]t[/bold]" in e.title


def test_output_is_cleaned_even_if_the_extractor_lets_controls_through(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(html_module, "_body_text", lambda doc: "Body \x1b[2J text \x9b31m and \u202eevil [b]x[/b]")
    e = parse_html(page().encode())
    assert e.text.startswith("Body  text ") and e.text.endswith(" and evil [b]x[/b]")
    assert not any(c in e.text for c in "\x1b\x9b\u202e")


def test_html_in_text_is_not_markup():
    e = parse_html(page(body="<p>Use &lt;b&gt;bold&lt;/b&gt; and &lt;script&gt;alert(1)&lt;/script&gt; literally.</p>").encode())
    assert "<b>bold</b>" in e.text and "<script>alert(1)</script>" in e.text


# --- broken and hostile pages -------------------------------------------------------------


def test_malformed_html_still_yields_text():
    data = (
        "<html><head><title>Broken page</title><body><div><p>" + PARAS[0] + "<p>" + PARAS[1]
        + "<b><i>misnested</b></i> <table><tr><td>" + PARAS[2] + "</div></span></html></body>"
    ).encode()
    e = parse_html(data)
    assert PARAS[0] in e.text and "misnested" in e.text
    assert e.title == "Broken page"


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.8, 0.95])
def test_truncated_page_yields_text_or_a_clean_error(cut: float):
    data = page(head="<title>Cut</title>").encode()
    data = data[: int(len(data) * cut)]
    try:
        e = parse_html(data)
    except FormatError as exc:
        assert "\n" not in str(exc)
    else:
        assert PARAS[0][:40] in e.text


def test_truncated_inside_a_tag_and_an_attribute():
    data = page().encode()
    cut = data.index(PARAS[2].encode()) + 30
    e = parse_html(data[:cut] + b'<a href="https://exa')
    assert PARAS[0] in e.text and PARAS[1] in e.text


def test_internal_dtd_entity_bomb_is_not_expanded():
    lols = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        f'<!DOCTYPE html [<!ENTITY lol0 "lol">{lols}]><html><head><title>&lol9;</title></head>'
        f"<body><article><p>&lol9; {PARAS[0]}</p><p>{PARAS[1]}</p></article></body></html>"
    ).encode()
    started = time.perf_counter()
    try:
        e = parse_html(data)
    except FormatError as exc:
        assert "\n" not in str(exc)
    else:
        assert len(e.text) < 10 * len(data)
        assert e.text.count("lol") < 100
    assert time.perf_counter() - started < 5


def test_external_entities_and_doctype_urls_are_not_fetched(monkeypatch: pytest.MonkeyPatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError("network disabled in test")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            calls.append(("socket", args))
            raise OSError("network disabled in test")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    url = "http://127.0.0.1:9/evil"
    head = (
        f'<title>Offline</title><link rel="canonical" href="{url}/2021/05/06/story">'
        f'<meta property="og:url" content="{url}/og"><link rel="stylesheet" href="{url}.css">'
        f'<meta property="og:image" content="{url}.png"><script src="{url}.js"></script>'
        f'<link rel="alternate" type="application/rss+xml" href="{url}.rss">'
    )
    body = f'<img src="{url}.jpg"><iframe src="{url}"></iframe><p><a href="{url}/more">More</a></p>'
    for data in (
        page(body=body, head=head),
        f'<!DOCTYPE html SYSTEM "{url}.dtd">' + page(body=body, head=head)[15:],
        f'<!DOCTYPE html [<!ENTITY e SYSTEM "{url}">]><html><body><article><p>&e; {PARAS[0]}</p></article></body></html>',
    ):
        e = parse_html(data.encode())
        assert PARAS[0] in e.text
    assert calls == []


def test_too_many_elements_is_refused_with_a_reason():
    spans = "<span>x</span>" * (MAX_ELEMENTS + 1)
    started = time.perf_counter()
    reason = one_line_error(page(body=f"<p>{spans}</p>").encode())
    assert "too complex" in reason and "elements" in reason
    assert time.perf_counter() - started < 10


def test_attribute_flood_is_refused_before_parsing():
    # libxml2 checks duplicate attributes in quadratic time: 200,000 take minutes
    names = " ".join(f"a{i}='<'" for i in range(200_000))  # "<" in values does not hide them
    started = time.perf_counter()
    reason = one_line_error(page(body=f"<p {names}>flood</p>").encode())
    assert "attributes" in reason
    assert time.perf_counter() - started < 5


def test_many_attributes_below_the_limit_are_fine_and_scripts_are_not_tags():
    attrs = " ".join(f"data-x{i}=1" for i in range(MAX_TAG_ATTRIBUTES // 2))
    script = "<script>for (var i = 0; i < n; i++) { " + " ".join(f"v{i}" for i in range(5000)) + " }</script>"
    e = parse_html(page(body=f"<p {attrs}>Attribute-heavy paragraph here.</p>", head=script).encode())
    assert "Attribute-heavy paragraph" in e.text


def test_deep_nesting_is_bounded():
    data = page(body="<div>" * 50_000 + "deep" + "</div>" * 50_000).encode()
    started = time.perf_counter()
    try:
        parse_html(data)
    except FormatError as exc:
        assert "\n" not in str(exc)
    assert time.perf_counter() - started < 10


def test_library_failures_become_format_errors(monkeypatch: pytest.MonkeyPatch):
    import trafilatura

    for exc in (RuntimeError("boom\nsecond line"), RecursionError(), MemoryError(), KeyError("x")):

        def fail(*args, exc=exc, **kwargs):
            raise exc

        monkeypatch.setattr(trafilatura, "bare_extraction", fail)
        reason = one_line_error(page().encode())
        assert "boom" not in reason


def test_unparsable_tree_becomes_format_error(monkeypatch: pytest.MonkeyPatch):
    from lxml import html

    def fail(*args, **kwargs):
        raise ValueError("lxml refused")

    monkeypatch.setattr(html, "document_fromstring", fail)
    assert "unparsable" in one_line_error(page().encode())


# --- encodings ----------------------------------------------------------------------------

RU = ["Регулятор потребовал от крупнейших технологических компаний прекратить блокировку ссылок на сервисы конкурентов.",
      "Компании, которые не выполнят требование, будут оштрафованы, сообщили в министерстве в понедельник вечером."]
ZH = ["监管机构周一要求最大的科技公司停止屏蔽竞争对手服务的链接，称这种做法损害了消费者利益，必须在几周内结束。",
      "官员表示，不遵守规定的公司将面临处罚，对该行业做法的审查将持续到明年，部委发布的声明中说。"]


def test_meta_charset_gbk():
    data = page(paras=ZH, charset="gbk", head="<title>腾讯回应监管要求</title>", h1=None).encode("gbk")
    e = parse_html(data)
    assert e.title == "腾讯回应监管要求"
    assert ZH[0] in e.text and ZH[1] in e.text


def test_http_equiv_charset_cp1251():
    html = page(paras=RU, head="<title>Регулятор и компании</title>", h1=None).replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    )
    e = parse_html(html.encode("cp1251"))
    assert e.title == "Регулятор и компании"
    assert RU[0] in e.text


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                        (codecs.BOM_UTF8, "utf-8")])
def test_bom_marked_pages(bom: bytes, codec: str):
    html = page(paras=[PARAS[0], RU[0], ZH[0]], charset="utf-16", head="<title>Grüße, 腾讯</title>", h1=None)
    e = parse_html(bom + html.encode(codec))
    assert e.title == "Grüße, 腾讯"
    assert RU[0] in e.text and ZH[0] in e.text


def test_xhtml_with_an_xml_declaration():
    html = page(paras=[PARAS[0], "Ça coûte très cher, déclare le ministre à la presse vendredi dernier."],
                head="<title>Prix élevés</title>", h1=None)
    data = ('<?xml version="1.0" encoding="iso-8859-1"?>\n' + html.replace('<meta charset="utf-8">', "")).encode("latin-1")
    e = parse_html(data)
    assert e.title == "Prix élevés" and "Ça coûte très cher" in e.text


def test_declared_non_text_codecs_are_ignored():
    for label in ("utf-7", "unicode_escape", "punycode", "base64", "rot13"):
        html = page(head="<title>Codec</title>", body="<p>Literal +ADw-script+AD4- and \\x41 stay as written.</p>")
        e = parse_html(html.replace('charset="utf-8"', f'charset="{label}"').encode() + b"\xff")
        assert "+ADw-script+AD4-" in e.text and "\\x41" in e.text, label


# --- not a page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (b"Just a plain text file named .html\n\nWith two paragraphs, but no markup at all.\n", "no HTML markup"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        (b"<html><head><title>Only a title</title></head><body></body></html>", "no article text"),
        (b"<html><body><script>var x = 'not text';</script><style>p {}</style></body></html>", "no article text"),
    ],
)
def test_not_an_article(data: bytes, fragment: str):
    assert fragment in one_line_error(data)


def test_too_large(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(html_module, "MAX_BYTES", 1000)
    assert "too large" in one_line_error(page().encode())


# --- through the loader ---------------------------------------------------------------------


def test_loader_reads_saved_pages_and_skips_bad_ones(tmp_path: Path):
    root = tmp_path / "corpus"
    (root / "web").mkdir(parents=True)
    head = (
        "<title>Regulator acts - Example News</title>"
        '<meta property="og:title" content="Regulator orders tech firms to stop blocking links">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2021-09-13T08:30:00Z">'
    )
    (root / "web" / "story.html").write_text(page(head=head), encoding="utf-8")
    (root / "old.htm").write_bytes(page(paras=RU, charset="windows-1251", h1="Старая статья",
                                        head='<meta name="date" content="2020-01-02">').encode("cp1251"))
    (root / "plain.html").write_text("just some text, no markup\n")
    (root / "empty.html").write_bytes(b"")
    (root / "note.txt").write_text("A plain note\n\nWith a body line about goodword.\n")
    articles, skipped = load_all(root)
    by_id = {a.id: a for a in articles}
    assert sorted(by_id) == ["note", "old", "web/story"]
    story = by_id["web/story"]
    assert story.path == "web/story.html"
    assert story.title == "Regulator orders tech firms to stop blocking links"
    assert story.date == dt.date(2021, 9, 13)
    assert story.source == "Example News"
    assert PARAS[0] in story.text and "Commentword" not in story.text
    assert by_id["old"].title == "Старая статья" and by_id["old"].date == dt.date(2020, 1, 2)
    reasons = {s.path: s.reason for s in skipped}
    assert set(reasons) == {"plain.html", "empty.html"}
    assert "no HTML markup" in reasons["plain.html"] and "empty" in reasons["empty.html"]
    assert all("\n" not in r for r in reasons.values())


# --- the benchmark ----------------------------------------------------------------------------


@pytest.mark.skipif(not BENCH.is_dir(), reason="needs ../shared/corpora/article-extraction-benchmark")
def test_benchmark_pages_mean_f1():
    spec = importlib.util.spec_from_file_location("html_eval", ROOT / "eval" / "html_eval.py")
    html_eval = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(html_eval)
    result = html_eval.evaluate(html_eval.load_pages(limit=20))
    assert len(result["rows"]) == 20
    mean_p, mean_r, mean_f1 = result["mean"]
    assert mean_f1 >= 0.85, result["mean"]
    assert result["dated"] >= 15
