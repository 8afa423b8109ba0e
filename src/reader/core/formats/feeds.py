"""RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds: bytes in, :class:`Entry` values out.

feedparser does the parsing, with guards around it:

* it is always given a byte stream, never a ``str`` (a ``str`` may be taken as
  a URL or file name and fetched) nor raw ``bytes`` (tried as a file path);
* an ASCII ``<?xml`` declaring UTF-16/32 is corrected to UTF-8 (feedparser
  believes the declaration and decodes the whole feed into CJK garbage);
* the prolog (DOCTYPE, internal DTD subset, comments, PIs) is removed before
  feedparser sees the document. feedparser keeps "safe" ``<!ENTITY>``
  declarations and its loose parser expands them without any limit, so a
  12 KB feed could otherwise grow to megabytes of text (quadratic blowup);
  expat already refuses external entities and nested "billion laughs";
* anything feedparser raises becomes a :class:`FormatError`.

feedparser's own HTML sanitizer is off (it is 60% of the parse time and pure
Python); HTML is turned into text by libxml2 in :func:`html_to_text`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import io
import re
import time
from collections.abc import Mapping
from typing import Any

from reader.core.formats import Entry, FormatError
from reader.core.textsafe import clean_text, one_line

MAX_FEED_BYTES = 32 * 1024 * 1024  # about 40 s of parsing; real feeds are far smaller
_SNIFF_BYTES = 8192

_ATOM_NS = (b"http://www.w3.org/2005/Atom", b"http://purl.org/atom/ns#")
_RSS1_NS = (b"http://purl.org/rss/1.0/", b"http://my.netscape.com/rdf/simple/0.9/")
_ROOT_NAME = re.compile(rb"<\s*([A-Za-z_][\w.:-]*)")


# --- sniffing and prolog --------------------------------------------------------


def _ascii_view(data: bytes) -> bytes:
    """UTF-16/32 input re-encoded so that markup can be matched as ASCII bytes."""
    for bom, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "ignore").encode("utf-8", "ignore")
    for start, codec in (
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<", "utf-16-be"),
        (b"<\x00", "utf-16-le"),
    ):
        if data.startswith(start):
            usable = len(data) - len(data) % (4 if "32" in codec else 2)
            return data[:usable].decode(codec, "ignore").encode("utf-8", "ignore")
    return data


_DECL_STOP = re.compile(rb"[\"'\[\]>]|<!--")


def _skip_markup_decl(data: bytes, i: int) -> int:
    """End (exclusive) of the ``<!...>`` starting at ``i``, minding quotes, ``[...]`` and comments; -1 if unterminated."""
    depth = 0
    i += 2
    while (m := _DECL_STOP.search(data, i)) is not None:
        token = m.group()
        if token in (b'"', b"'"):
            i = data.find(token, m.end())
            if i < 0:
                return -1
            i += 1
        elif token == b"<!--":
            i = data.find(b"-->", m.end())
            if i < 0:
                return -1
            i += 3
        elif token == b"[":
            depth, i = depth + 1, m.end()
        elif token == b"]":
            depth, i = max(0, depth - 1), m.end()
        elif depth == 0:  # ">"
            return m.end()
        else:
            i = m.end()
    return -1


def _root_start(data: bytes, *, strict: bool = False) -> int:
    """Offset of the root element's ``<``, skipping the prolog (and stray text unless strict); -1 if none."""
    n = len(data)
    i = 0
    while i < n:
        j = data.find(b"<", i)
        if j < 0 or (strict and data[i:j].strip(b" \t\r\n\xef\xbb\xbf")):
            return -1
        i = j
        if data.startswith(b"<?", i):
            end = data.find(b"?>", i + 2)
            i = -1 if end < 0 else end + 2
        elif data.startswith(b"<!--", i):
            end = data.find(b"-->", i + 4)
            i = -1 if end < 0 else end + 3
        elif data.startswith(b"<!", i):
            i = _skip_markup_decl(data, i)
        elif _ROOT_NAME.match(data, i):
            return i
        else:
            i += 1
        if i < 0:
            return -1
    return -1


def is_feed(data: bytes) -> bool:
    """Cheap sniff of the first few KB: an ``<rss>``, Atom ``<feed>`` or RSS 1.0 ``<rdf:RDF>`` root."""
    head = _ascii_view(data[: _SNIFF_BYTES * 4])[:_SNIFF_BYTES]
    start = _root_start(head, strict=True)
    if start < 0:
        return False
    m = _ROOT_NAME.match(head, start)
    assert m is not None
    name = m.group(1).lower()
    local = name.rsplit(b":", 1)[-1]
    if name == b"rss":
        return True
    if local == b"feed":
        return any(ns in head for ns in _ATOM_NS)
    if local == b"rdf":
        return any(ns in head for ns in _RSS1_NS)
    return False


_UNICODE_DECL = re.compile(
    rb"^(?:\xef\xbb\xbf)?(<\?xml[^>]*?encoding\s*=\s*)([\"'])(?:utf-?(?:16|32)[^\"']*|ucs-?[24]|unicode|"
    rb"iso-10646-ucs-[24]|csunicode|csucs4)\2",
    re.IGNORECASE,
)


def _fix_unicode_declaration(data: bytes) -> bytes:
    """An ASCII ``<?xml`` start that declares UTF-16/32 is lying (feedparser would believe it)."""
    return _UNICODE_DECL.sub(rb"\1\2utf-8\2", data[:1024], count=1) + data[1024:]


_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _without_prolog(utf8: bytes) -> bytes:
    """The document with everything before the root element replaced by a bare XML declaration."""
    start = _root_start(utf8)
    if start < 0:
        raise FormatError("not an RSS or Atom feed (no root element)")
    if _ENTITY_DECL.search(utf8, 0, start):
        # Real feeds never declare entities; an entity bomb or XXE does.
        raise FormatError("feed declares its own XML entities (a possible entity bomb); not read")
    return b"<?xml version='1.0' encoding='utf-8'?>\n" + utf8[start:]


# --- HTML to text ----------------------------------------------------------------

_BLOCK = frozenset(
    "address article aside blockquote caption dd div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol section table tbody thead tfoot tr ul".split()
)
_PARAGRAPH = frozenset({"p", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"})
_SKIP = frozenset({"script", "style", "template", "noscript", "head", "title"})
_HAS_BREAKS = re.compile(r"<\s*(?:p|br|div|li|tr|pre|h[1-6]|blockquote)\b", re.IGNORECASE)


_BR, _LINE, _PARA = "\x00b", "\x001", "\x002"
_MARKERS = re.compile(r"[ \t]*(?:\x00[b12][ \t]*)+")


def _breaks(m: re.Match[str]) -> str:
    run = m.group(0)
    block = 2 if _PARA in run else 1 if _LINE in run else 0
    return "\n" * min(2, max(block, run.count(_BR)))


def _block_marker(tag: str) -> str | None:
    if tag == "br":
        return _BR
    if tag in _PARAGRAPH:
        return _PARA
    if tag in _BLOCK:
        return _LINE
    return None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags removed, entities decoded, paragraphs as blank lines.

    libxml2's HTML parser (via lxml) does the tokenising: it is linear on any
    input, where ``html.parser`` goes quadratic on runs of unterminated tags.
    A fragment without any block tags keeps its own newlines (many feeds put
    plain text with line breaks in ``<description>``).
    """
    fragment = clean_text(fragment)
    if "<" not in fragment and "&" not in fragment:
        return _plain(re.sub(r"[ \t\f\v]*\n[ \t\f\v]*", "\n", re.sub(r"[ \t\f\v]+", " ", fragment)))
    try:
        return _lxml_text(fragment)
    except Exception:  # lxml failing on some input: drop tags crudely rather than lose the entry
        return _plain(re.sub(r"[ \t]+", " ", html.unescape(re.sub(r"<[^<>]*>", " ", fragment))))


def _lxml_text(fragment: str) -> str:
    from lxml import etree

    keep_newlines = not _HAS_BREAKS.search(fragment)
    parser = etree.HTMLParser(
        recover=True, no_network=True, remove_comments=True, remove_pis=True, encoding="utf-8"
    )
    doc = b"<html><body>" + fragment.encode("utf-8", "replace") + b"</body></html>"
    root = etree.fromstring(doc, parser)
    if root is None:
        return ""
    parts: list[str] = []
    skip = pre = 0

    def add(text: str | None) -> None:
        if not text or skip:
            return
        text = text.replace("\x00", "").replace("\xa0", " ")
        if pre:
            parts.append(text)
        elif keep_newlines:
            parts.append(re.sub(r"[ \t\f\v\r]+", " ", text).replace("\n", _BR))
        else:
            parts.append(re.sub(r"\s+", " ", text))

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP:
                skip += 1
            pre += tag == "pre"
            if not skip:
                parts.append(_block_marker(tag) or "")
            add(el.text)
        else:
            if tag in _SKIP:
                skip -= 1
            pre -= tag == "pre"
            if not skip and tag != "br":
                parts.append(_block_marker(tag) or "")
            add(el.tail)
    text = _MARKERS.sub(_breaks, "".join(parts))
    return _plain(text)


def _plain(text: str) -> str:
    text = re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.strip("\n ").split("\n"))


# --- entries ---------------------------------------------------------------------


def _get(d: Any, key: str) -> Any:
    """A real key of a feedparser dict: plain ``dict.get`` skips its deprecated aliases (updated -> published)."""
    return dict.get(d, key) if isinstance(d, dict) else None


def _detail_text(value: Any, detail: Any) -> str:
    if not isinstance(value, str) or not value:
        return ""
    kind = _get(detail, "type") or ""
    if "html" in str(kind):
        return html_to_text(value)
    return value.strip()


def _line(value: Any, limit: int = 300) -> str | None:
    if not isinstance(value, str):
        return None
    return one_line(value, limit) or None


def _entry_text(e: Mapping[str, Any]) -> str:
    contents = [c for c in _get(e, "content") or () if isinstance(_get(c, "value"), str)]
    if contents:
        best = max(contents, key=lambda c: len(_get(c, "value")))  # max keeps the first of equals
        text = _detail_text(_get(best, "value"), best)
        if text:
            return clean_text(text)
    return clean_text(_detail_text(_get(e, "summary"), _get(e, "summary_detail")))


def _local_date(raw: Any) -> dt.date | None:
    """The date as written by the publisher (its own time zone), for RFC 822 and ISO 8601 dates."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    raw = raw.strip()
    try:
        parts = email.utils.parsedate_tz(raw)
        if parts is not None and parts[0] > 0:
            return dt.date(parts[0], parts[1], parts[2])
    except (ValueError, TypeError, IndexError, OverflowError):
        pass
    try:
        return dt.datetime.fromisoformat(raw.replace("z", "Z")).date()
    except ValueError:
        return None


def _entry_date(e: Mapping[str, Any]) -> dt.date | None:
    for field in ("published", "updated", "created"):
        parsed = _get(e, field + "_parsed")
        if parsed is None and not _get(e, field):
            continue
        local = _local_date(_get(e, field))
        if local is not None:
            return local
        if isinstance(parsed, time.struct_time):
            try:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                pass
    return None


def _entry_key(e: Mapping[str, Any], title: str | None, date: dt.date | None, text: str) -> str:
    for field in ("id", "link"):
        value = _get(e, field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    seed = f"{title or ''}\x1f{date.isoformat() if date else ''}"
    if not title:
        seed += "\x1f" + text
    return "sha1:" + hashlib.sha1(seed.encode("utf-8", "replace")).hexdigest()[:20]


def _author(e: Mapping[str, Any]) -> str | None:
    return _line(_get(_get(e, "author_detail"), "name")) or _line(_get(e, "author"))


def _to_entry(e: Mapping[str, Any], source: str | None) -> Entry | None:
    title = _line(_detail_text(_get(e, "title"), _get(e, "title_detail")))
    text = _entry_text(e)
    if not text and not title:
        return None
    date = _entry_date(e)
    return Entry(
        text=text or title or "",
        title=title,
        date=date,
        source=source,
        url=_line(_get(e, "link"), 4096),
        author=_author(e),
        key=_entry_key(e, title, date, text),
    )


def _reason(exc: Any) -> str:
    if exc is None:
        return "unknown error"
    return one_line(str(exc) or type(exc).__name__, 160)


def _parse(data: bytes) -> list[Entry]:
    import feedparser
    from feedparser.encodings import convert_to_utf8

    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise FormatError("feed data must be bytes")
    data = bytes(data)
    if not data.strip():
        raise FormatError("empty file, not a feed")
    if len(data) > MAX_FEED_BYTES:
        raise FormatError(f"feed too large ({len(data) // 2**20} MB, limit {MAX_FEED_BYTES // 2**20} MB)")
    utf8 = convert_to_utf8({}, _fix_unicode_declaration(data), {})
    doc = _without_prolog(utf8)
    result = feedparser.parse(
        io.BytesIO(doc),  # a stream: feedparser never opens URLs or paths for it
        resolve_relative_uris=False,
        sanitize_html=False,  # html_to_text drops tags and <script>/<style> bodies itself
    )
    raw_entries = _get(result, "entries") or []
    version = _get(result, "version") or ""
    if not version and not is_feed(doc):
        raise FormatError("not an RSS or Atom feed")
    if not raw_entries:
        if _get(result, "bozo"):
            raise FormatError(f"malformed feed with no readable entries: {_reason(_get(result, 'bozo_exception'))}")
        raise FormatError("feed has no entries")
    feed = _get(result, "feed")
    source = _line(_detail_text(_get(feed, "title"), _get(feed, "title_detail")))
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in raw_entries:
        entry = _to_entry(raw, source)
        if entry is None or entry.key in seen:
            continue
        seen.add(entry.key or "")
        entries.append(entry)
    if not entries:
        raise FormatError("feed has no entries with a title or text")
    return entries


def parse_feed(data: bytes) -> list[Entry]:
    """Entries of an RSS or Atom feed, in feed order; :class:`FormatError` if unusable.

    Never raises anything else. Duplicate keys (guid/id) keep the first entry.
    """
    try:
        return _parse(data)
    except FormatError:
        raise
    except RecursionError:
        raise FormatError("feed nested too deeply") from None
    except MemoryError:
        raise FormatError("feed too large to parse") from None
    except Exception as exc:  # feedparser and its SGML fallback can raise nearly anything
        raise FormatError(f"unreadable feed: {_reason(exc) or type(exc).__name__}") from None
