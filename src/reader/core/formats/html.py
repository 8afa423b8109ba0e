"""Saved web pages: the main article text and its metadata, via trafilatura.

``parse_html`` turns the bytes of one saved HTML page into one :class:`Entry`:
the article body without navigation, ads or reader comments (paragraphs
separated by a blank line), plus title, publication date, site name, author
and canonical URL when the page declares them.

Safety and bounds (the page is untrusted input):

* no network access: trafilatura only ever gets an already parsed tree (never
  bytes, a string or a URL it could fetch), and htmldate is asked only for
  dates found in the page (``extensive_search`` off), so the file's date is
  never a guess from free text or from today's date;
* entity declarations in a DOCTYPE are never expanded (libxml2's HTML parser
  ignores internal subsets), comments and processing instructions are dropped;
* article text is never markup: control characters, ESC included, are removed
  from the page source and from the parsed tree (a ``&#27;`` reference), so
  ``"\x1b[2J"`` is left as the literal ``"[2J"``; every returned field also goes
  through :func:`reader.core.textsafe.clean_text`;
* work is bounded: inputs over :data:`MAX_BYTES`, trees over
  :data:`MAX_ELEMENTS` elements are refused (extraction costs about 0.1 ms an
  element, so the worst accepted page takes seconds, not minutes); above
  :data:`FAST_ELEMENTS` elements trafilatura's fallback extractors
  (readability, jusText, whose paragraph revision is quadratic) are skipped;
  libxml2 checks duplicate attributes in quadratic time, so a page with a
  start tag of over :data:`MAX_TAG_ATTRIBUTES` attributes is refused *before*
  parsing, and parsed elements keep at most :data:`MAX_ATTRIBUTES`; libxml2
  caps nesting depth at 256;
* every failure, including unexpected exceptions inside the libraries, ends
  as :class:`FormatError` with a one-line reason.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re

from reader.core.encoding import decode
from reader.core.formats import Entry, FormatError
from reader.core.textsafe import clean_text

MAX_BYTES = 16 * 1024 * 1024  # the loader refuses files over 8 MB anyway
MAX_ELEMENTS = 50_000  # after dropping scripts, styles, SVG...: a huge Wikipedia page has ~40k
FAST_ELEMENTS = 3_000  # the 181 benchmark pages have at most ~1,700 elements in all
MAX_ATTRIBUTES = 64  # per element; the benchmark pages have at most 64
# libxml2 needs ~1 ms for a tag of 1,000 attributes, ~20 s for 100,000
MAX_TAG_ATTRIBUTES = 1_000

# trafilatura options, tuned on the article-extraction benchmark (eval/html_eval.py):
# favor_precision drops more teasers, related-article lists and bylines than the
# balanced default (mean F1 0.965 vs 0.959; favor_recall 0.959, no tables 0.955);
# when it keeps under SHORT_CHARS characters the balanced mode is tried too.
# Comments are not the article.
SHORT_CHARS = 300
_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "with_metadata": True,
    "deduplicate": False,
}
# htmldate: publication date from markup/metadata/URL only, no free-text guessing.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9._:-]{1,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-zA-Z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
# WHATWG: these labels mean windows-1252 in browsers.
_LEGACY_LATIN = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "iso-ir-100"}
# declared charsets never used: UTF-7 smuggles markup past ASCII, UTF-16/32 without a BOM
# is a lie in an ASCII-readable header, the rest are not text codecs for web pages
_UNSAFE_CODECS = {
    "utf_7", "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be",
    "punycode", "idna", "unicode_escape", "raw_unicode_escape", "undefined",
}
# characters libxml2 refuses; ESC goes too, so "\x1b[31m" is left as the literal "[31m"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# an XML declaration naming an encoding makes lxml refuse an already decoded string
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]{0,300}\?>")
# a comment, or a start tag with its attributes, quote-aware (a quoted value may
# hold "<" or ">"): disjoint alternatives, possessive quantifiers, and an unclosed
# comment or quote runs to the end, so scanning a page is linear
_MARKUP = re.compile(
    r"""<!--.*?(?:-->|\Z)|<([a-zA-Z][^\s/<>"']*+)((?:[^"'>]++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+)""",
    re.DOTALL,
)
_QUOTED = re.compile(r""""[^"]*+"?|'[^']*+'?""")
_RAW_TEXT_END = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # not \t \n \f \r or ESC
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|title|meta|p|div|article|main|section|span|a|h[1-6]|br|table|ul|ol|li)[\s/>]",
    re.IGNORECASE,
)
# The extractors log every discarded page as a warning or error; without a handler of
# their own, Python's last-resort handler would print those to stderr under the TUI.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# removed before extraction: never article text, and they inflate the tree
# (scripts go too, but JSON-LD stays: it carries the date, author and headline)
_DROP_TAGS = ("style", "svg", "math", "template", "canvas", "iframe", "object", "embed", "noembed", "frameset")


def parse_html(data: bytes) -> Entry:
    """The article in a saved web page; :class:`FormatError` if there is none."""
    if len(data) > MAX_BYTES:
        raise FormatError(f"HTML page too large ({len(data) / 1e6:.1f} MB)")
    try:
        tree, elements = _parse(_decode(data))
        return _extract(tree, fast=elements > FAST_ELEMENTS)
    except FormatError:
        raise
    except RecursionError:
        raise FormatError("HTML page nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - third-party extractors on hostile input
        raise FormatError(f"HTML extraction failed ({type(exc).__name__})") from None


def _decode(data: bytes) -> str:
    if not data.strip():
        raise FormatError("empty HTML page")
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            break
    else:
        if data[:2] in (b"<\x00", b"\x00<") and data[2:4] in (b"!\x00", b"h\x00", b"H\x00", b"\x00!", b"\x00h", b"\x00H"):
            text = data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", errors="replace")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_declared(data)
    if text is None:
        head = data[:65536]
        if head.count(0) > 0.01 * len(head):
            raise FormatError("binary data, not an HTML page")
        text = decode(data.replace(b"\x00", b""))
    if text is None:
        raise FormatError("binary data, not an HTML page")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise FormatError("binary data, not an HTML page")
    if not _HTML_TAG.search(text, 0, 1_000_000):
        raise FormatError("no HTML markup found")
    return _INVALID_XML.sub("", _XML_DECL.sub("", text, count=1))


def _decode_declared(data: bytes) -> str | None:
    m = _META_CHARSET.search(data, 0, 8192)
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").lower()
    if label in _LEGACY_LATIN:
        label = "cp1252"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if info.name.replace("-", "_") in _UNSAFE_CODECS:
        return None
    try:
        return data.decode(info.name, errors="replace")
    except Exception:  # noqa: BLE001 - exotic codecs; base64, rot13, zlib are no text encodings
        return None


def _attribute_flood(text: str) -> bool:
    """True if a start tag has over MAX_TAG_ATTRIBUTES attributes (script and
    style bodies and comments are not tags)."""
    pos = 0
    while m := _MARKUP.search(text, pos):
        pos = m.end()
        name, attributes = m.group(1), m.group(2)
        if name is None:
            continue  # a comment
        # each attribute takes two characters at least: only long tags are counted
        if len(attributes) > 2 * MAX_TAG_ATTRIBUTES and len(_QUOTED.sub("", attributes).split()) > MAX_TAG_ATTRIBUTES:
            return True
        end = _RAW_TEXT_END.get(name.lower())
        if end is not None:
            found = end.search(text, pos)
            pos = found.end() if found else len(text)
    return False


def _parse(text: str):
    from lxml import etree, html

    parser = html.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        collect_ids=False,
        default_doctype=False,
        huge_tree=False,
    )
    if _attribute_flood(text):
        raise FormatError(f"HTML page too complex (a tag with over {MAX_TAG_ATTRIBUTES:,} attributes)")
    try:
        tree = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError, TypeError) as exc:
        # "Document is empty", or a string libxml2 will not take
        raise FormatError("unparsable HTML page") from exc
    except Exception as exc:  # noqa: BLE001 - lxml on hostile input
        raise FormatError(f"unparsable HTML page ({type(exc).__name__})") from exc
    if tree is None:
        raise FormatError("unparsable HTML page")
    for el in list(tree.iter(*_DROP_TAGS)):
        _drop(el)
    for el in list(tree.iter("script")):
        if "json" not in (el.get("type") or "").lower():
            _drop(el)
    count = 0
    for el in tree.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise FormatError(f"HTML page too complex (over {MAX_ELEMENTS:,} elements)")
        attrib = el.attrib
        if len(attrib) > MAX_ATTRIBUTES:
            for key in list(attrib.keys())[MAX_ATTRIBUTES:]:
                del attrib[key]
        # character references (&#27;) put controls back: drop them, or the
        # extractors' XML trees refuse the whole page
        if el.text and _INVALID_XML.search(el.text):
            el.text = _INVALID_XML.sub("", el.text)
        if el.tail and _INVALID_XML.search(el.tail):
            el.tail = _INVALID_XML.sub("", el.tail)
        for key, value in attrib.items():
            if _INVALID_XML.search(value):
                attrib[key] = _INVALID_XML.sub("", value)
    return tree, count


def _drop(el) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


def _extract(tree, fast: bool) -> Entry:
    import trafilatura

    def run(precision: bool):
        doc = trafilatura.bare_extraction(
            tree, fast=fast, favor_precision=precision, date_extraction_params=dict(_DATE_PARAMS), **_OPTIONS
        )
        return (doc, _body_text(doc)) if doc is not None else (None, "")

    doc, body = run(precision=True)
    if len(body) < SHORT_CHARS:
        # precision mode sometimes keeps only a snippet (a reprint notice) or nothing:
        # the balanced mode, with its own recall retry, gets a second chance
        doc2, body2 = run(precision=False)
        if len(body2) > len(body):
            doc, body = doc2, body2
    if doc is None or not body.strip():
        raise FormatError("no article text found in HTML page")
    return Entry(
        text=clean_text(body),
        title=_field(doc.title),
        date=_date(doc.date),
        source=_field(doc.sitename),
        url=_field(doc.url),
        author=_field(doc.author),
    )


def _body_text(doc) -> str:
    """Article text with a blank line between blocks (paragraphs, headings, lists, tables)."""
    body = getattr(doc, "body", None)
    try:
        from trafilatura.xml import xmltotxt
    except ImportError:  # pragma: no cover - internal helper moved
        xmltotxt = None
    if body is None or xmltotxt is None:
        lines = (doc.text or "").splitlines()
        return "\n\n".join(line.strip() for line in lines if line.strip())
    parts = []
    if body.text and body.text.strip():
        parts.append(body.text.strip())
    for child in body:
        part = "\n".join(line.strip() for line in xmltotxt(child, False).splitlines() if line.strip())
        if part:
            parts.append(part)
    return "\n\n".join(parts)


def _field(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(clean_text(value).split())
    return value or None


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
