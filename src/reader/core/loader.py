"""Reading a corpus folder into :class:`Article` objects.

A corpus is a folder of article files (any depth). Most hold one article:
plain text and Markdown (``.txt``, ``.md``), and saved web pages (``.html``,
``.htm``; the main text is extracted). *Container* files hold many: JSON Lines
(``.jsonl``, one article per line) and RSS/Atom feeds (``.xml``, ``.rss``,
``.atom``, one article per entry). Metadata the text lacks comes, in order of
precedence, from

1. a sidecar file next to the article, ``NAME.meta.toml`` (keys ``title``,
   ``date``, ``source``, ``url``), which never touches the article itself;
2. front matter at the top of the file: YAML between ``---`` lines or TOML
   between ``+++`` lines, with the same keys;
3. the text itself (see :mod:`reader.core.metadata`).

The article id is the path relative to the corpus root without extension;
an article inside a container file gets ``<file id>/<entry key>``. Files that cannot be read become :class:`Skipped` entries with a reason; the
loader never raises for a bad file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from .dates import parse_date
from .metadata import clean_inline, guess_date, guess_source, guess_title
from .formats import Entry, FormatError
from .models import Article, Skipped
from .textsafe import clean_text, one_line

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
JSONL_SUFFIXES = (".jsonl",)
CONTAINER_SUFFIXES = FEED_SUFFIXES + JSONL_SUFFIXES
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + CONTAINER_SUFFIXES
SIDECAR_SUFFIX = ".meta.toml"
MAX_BYTES = 8 * 1024 * 1024  # one article, a web page
MAX_FEED_BYTES = 32 * 1024 * 1024
MAX_JSONL_BYTES = 2 * 1024 * 1024 * 1024
_KEY = re.compile(r"[\w.-]{1,64}")


class CorpusError(Exception):
    """The corpus folder itself is unusable (missing, not a folder)."""


class SourceFile(NamedTuple):
    """A file found in the corpus, with the signature used for change detection.

    A named tuple: a scan makes one per file, and a frozen dataclass took
    three times as long to build (100 of the 700 ms of a 100,000-file scan)."""

    id: str
    path: str  # relative, "/"-separated
    signature: str  # size and mtime of the file and of its sidecar

    @property
    def size(self) -> int:
        """The file's size in bytes when scanned (the signature begins with
        it); 0 if the signature is not a scan's."""
        head = self.signature.split(":", 1)[0]
        return int(head) if head.isdigit() else 0

    @property
    def has_sidecar(self) -> bool:
        """True if the scan saw a sidecar (one added later changes the next
        scan's signature, so the file is read again then)."""
        return "|" in self.signature

    @property
    def container(self) -> bool:
        """True for files that hold many articles (JSONL, feeds)."""
        return self.path.lower().endswith(CONTAINER_SUFFIXES)


def scan(root: Path) -> tuple[list[SourceFile], list[Skipped]]:
    """List the article files under ``root`` (sorted) and the ones skipped.

    Runs on every start and every update, so it uses ``os.scandir`` and plain
    strings: one ``stat`` per article, sidecars found from the directory listing.
    """
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a folder: {root}")
    files: list[SourceFile] = []
    skipped: list[Skipped] = []
    seen_ids: dict[str, str] = {}
    seen_dirs: set[tuple[int, int]] = set()
    suffixes = ARTICLE_SUFFIXES

    def visit(directory: str, prefix: str) -> None:
        try:
            st = os.stat(directory)
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                return  # a symlink loop, or the same folder twice
            seen_dirs.add(key)
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(prefix.rstrip("/") or ".", f"unreadable folder: {exc.strerror or exc}"))
            return
        # sidecars of this folder (most folders have none: no lookup per file then)
        sidecars = {e.name for e in entries if e.name.lower().endswith(SIDECAR_SUFFIX)}
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = prefix + name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                visit(entry.path, rel + "/")
                continue
            lower = name.lower()
            if lower.endswith(SIDECAR_SUFFIX) or not lower.endswith(suffixes):
                continue
            article_id = rel.rsplit(".", 1)[0]
            if article_id in seen_ids:
                skipped.append(Skipped(rel, f"same id as {seen_ids[article_id]}"))
                continue
            try:
                st = entry.stat()
            except OSError as exc:
                skipped.append(Skipped(rel, f"cannot stat: {exc.strerror or exc}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                skipped.append(Skipped(rel, "not a regular file (pipe, socket or device)"))
                continue
            signature = f"{st.st_size}:{st.st_mtime_ns}"
            sidecar = name.rsplit(".", 1)[0] + SIDECAR_SUFFIX if sidecars else None
            if sidecar in sidecars:
                try:
                    sst = os.stat(os.path.join(directory, sidecar))
                    signature += f"|{sst.st_size}:{sst.st_mtime_ns}"
                except OSError:
                    pass
            seen_ids[article_id] = rel
            files.append(SourceFile(article_id, rel, signature))

    visit(str(root), "")
    return files, skipped


def load(root: Path, source: SourceFile) -> Article | Skipped:
    """Read a one-article file; any problem becomes a :class:`Skipped` with a reason."""
    data = _read(f"{root}{os.sep}{source.path}", source.path, MAX_BYTES)
    if isinstance(data, Skipped):
        return data
    if source.path.lower().endswith(HTML_SUFFIXES):
        return _load_html(data, source)
    from .encoding import decode  # imported when first needed: the TUI starts without it

    text = decode(data)
    if text is None:
        return Skipped(source.path, "binary or undecodable content")
    text = clean_text(text)
    meta, text = split_front_matter(text)
    if source.has_sidecar:  # no failed open() per article without one
        meta.update(_read_sidecar(root / source.path))
    if not text.strip():
        return Skipped(source.path, "empty file")
    title = meta.get("title") or guess_title(text) or source.id
    date = parse_date(meta.get("date")) if meta.get("date") else guess_date(text)
    src = meta.get("source") or guess_source(text)
    url = meta.get("url")
    return Article(
        id=source.id,
        path=source.path,
        title=one_line(str(title)),
        text=text,
        date=date,
        source=one_line(str(src)) if src else None,
        url=one_line(str(url)) if url else None,
    )


def load_container(root: Path, source: SourceFile) -> tuple[list[Article], list[Skipped]]:
    """Read a file holding many articles (JSONL, RSS/Atom).

    A file that cannot be used at all gives no articles and one ``Skipped``
    for the file; a bad line or entry gives a ``Skipped`` naming it.
    """
    lower = source.path.lower()
    path = root / source.path
    if lower.endswith(JSONL_SUFFIXES):
        return _load_jsonl(path, source)
    data = _read(path, source.path, MAX_FEED_BYTES)
    if isinstance(data, Skipped):
        return [], [data]
    from .formats.feeds import parse_feed

    try:
        entries = parse_feed(data)
    except FormatError as exc:
        return [], [Skipped(source.path, str(exc))]
    return _articles(entries, source), []


def load_any(root: Path, source: SourceFile) -> tuple[list[Article], list[Skipped]]:
    """Articles and skips from any corpus file."""
    if source.container:
        return load_container(root, source)
    result = load(root, source)
    return ([result], []) if isinstance(result, Article) else ([], [result])


def load_all(root: Path) -> tuple[list[Article], list[Skipped]]:
    """Every readable article under ``root``, and what was skipped."""
    files, skipped = scan(root)
    articles: list[Article] = []
    for source in files:
        found, problems = load_any(root, source)
        articles.extend(found)
        skipped.extend(problems)
    return articles, skipped


def entry_signature(article: Article) -> str:
    """A content hash of an article inside a container file: re-reading the
    file re-analyses only entries whose hash changed."""
    h = hashlib.blake2b(digest_size=10)
    for part in (article.title, article.text, article.date_iso or "", article.source or "", article.url or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return "entry:" + h.hexdigest()


def _read(path: Path | str, rel: str, limit: int) -> bytes | Skipped:
    try:
        # O_NONBLOCK: a file swapped for a pipe after the scan must not hang us.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return Skipped(rel, "vanished while reading")
    except PermissionError:
        return Skipped(rel, "permission denied")
    except OSError as exc:
        return Skipped(rel, f"unreadable: {exc.strerror or exc}")
    try:
        # Plain os.read on the descriptor: a file object around it cost more
        # than the read itself for a news article (~6 us of ~10).
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return Skipped(rel, "not a regular file (pipe, socket or device)")
        if st.st_size > limit:
            return Skipped(rel, f"too large ({st.st_size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit)")
        want = st.st_size + 1  # one byte more: a file that grew since is read on
        data = os.read(fd, want)  # (os.read allocates what it is asked for)
        if len(data) == want or 0 < len(data) < st.st_size:  # grew, or a short read
            parts = [data]
            size = len(data)
            while size <= limit and (more := os.read(fd, limit + 1 - size)):
                parts.append(more)
                size += len(more)
            data = b"".join(parts)
        if len(data) > limit:
            return Skipped(rel, f"too large (grew past the {limit / 1e6:.0f} MB limit while reading)")
        return data
    except OSError as exc:
        return Skipped(rel, f"unreadable: {exc.strerror or exc}")
    finally:
        os.close(fd)


def _load_html(data: bytes, source: SourceFile) -> Article | Skipped:
    from .formats.html import parse_html

    try:
        entry = parse_html(data)
    except FormatError as exc:
        return Skipped(source.path, str(exc))
    found = _article(entry, source.id, source.path)
    return found if found is not None else Skipped(source.path, "no article text found")


def _load_jsonl(path: Path, source: SourceFile) -> tuple[list[Article], list[Skipped]]:
    from .formats.jsonl import parse_jsonl

    try:
        size = path.stat().st_size
        if size > MAX_JSONL_BYTES:
            return [], [Skipped(source.path, f"too large ({size / 1e6:.0f} MB > {MAX_JSONL_BYTES / 1e6:.0f} MB limit)")]
        with open(path, "rb") as fh:
            entries, problems = parse_jsonl(fh)
    except FileNotFoundError:
        return [], [Skipped(source.path, "vanished while reading")]
    except PermissionError:
        return [], [Skipped(source.path, "permission denied")]
    except OSError as exc:
        return [], [Skipped(source.path, f"unreadable: {exc.strerror or exc}")]
    skipped = [Skipped(f"{source.path}:{line}", reason) for line, reason in problems]
    articles = _articles(entries, source)
    if not articles and not skipped:
        skipped.append(Skipped(source.path, "empty file"))
    return articles, skipped


def _articles(entries: list[Entry], source: SourceFile) -> list[Article]:
    out: list[Article] = []
    seen: set[str] = set()
    for entry in entries:
        key = _entry_key(entry)
        if key in seen:
            continue  # the first of two entries with one id wins
        seen.add(key)
        article = _article(entry, f"{source.id}/{key}", source.path)
        if article is not None:
            out.append(article)
    return out


def _entry_key(entry: Entry) -> str:
    key = (entry.key or "").strip()
    if _KEY.fullmatch(key):
        return key
    basis = key or f"{entry.title}\x00{entry.date}\x00{entry.text[:2000]}"
    return hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def _article(entry: Entry, article_id: str, path: str) -> Article | None:
    text = clean_text(entry.text).strip("\n")
    if not text.strip():
        return None
    title = clean_inline(entry.title) if entry.title else guess_title(text)
    src = entry.source or guess_source(text)
    return Article(
        id=article_id,
        path=path,
        title=one_line(title or article_id),
        text=text,
        date=entry.date or guess_date(text),
        source=one_line(src) if src else None,
        url=one_line(entry.url) if entry.url else None,
    )


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split YAML (``---``) or TOML (``+++``) front matter from the text."""
    stripped = text.lstrip("\n")
    for fence, parser in (("---", _yaml), ("+++", _toml)):
        if stripped.startswith(fence + "\n"):
            end = stripped.find("\n" + fence, len(fence))
            if end == -1:
                break
            meta = parser(stripped[len(fence) + 1 : end])
            if meta is None:
                break
            rest = stripped[end + len(fence) + 1 :]
            return _known_keys(meta), rest.lstrip("\n")
    return {}, text


def _yaml(block: str) -> dict[str, object] | None:
    import yaml  # ~30 ms to import: only for files with YAML front matter

    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _toml(block: str) -> dict[str, object] | None:
    simple = _simple_toml(block)
    if simple is not None:
        return simple
    import tomllib

    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError:
        return None


# One line of the front matter most files have: a bare key and a basic string
# without escapes, or a local date. tomllib (pure Python) took a third of the
# time of loading such an article.
_TOML_LINE = re.compile(
    r'[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"|(\d{4})-(\d\d)-(\d\d))[ \t]*'
)


def _simple_toml(block: str) -> dict[str, object] | None:
    """What ``tomllib.loads`` gives for a block made only of such lines;
    None for anything else (then tomllib parses it)."""
    out: dict[str, object] = {}
    for line in block.split("\n"):
        m = _TOML_LINE.fullmatch(line)
        if m is None:
            return None
        key, text, year = m.group(1, 2, 3)
        if key in out:
            return None  # a duplicate key is an error: tomllib says so
        if year is None:
            out[key] = text
        else:
            try:
                out[key] = dt.date(int(year), int(m[4]), int(m[5]))
            except ValueError:
                return None
    return out


def _known_keys(meta: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key in ("title", "date", "source", "url"):
        value = meta.get(key)
        if value not in (None, ""):
            out[key] = clean_inline(str(value)) if key == "title" else value
    return out


def _read_sidecar(path: Path) -> dict[str, object]:
    import tomllib

    sidecar = path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return _known_keys(data)
