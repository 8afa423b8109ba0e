"""Reading a corpus folder into :class:`Article` objects.

A corpus is a folder of ``.txt`` and ``.md`` files (any depth). Metadata the
text lacks comes, in order of precedence, from

1. a sidecar file next to the article, ``NAME.meta.toml`` (keys ``title``,
   ``date``, ``source``, ``url``), which never touches the article itself;
2. front matter at the top of the file: YAML between ``---`` lines or TOML
   between ``+++`` lines, with the same keys;
3. the text itself (see :mod:`reader.core.metadata`).

The article id is the path relative to the corpus root without extension.
Files that cannot be read become :class:`Skipped` entries with a reason; the
loader never raises for a bad file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .dates import parse_date
from .encoding import decode
from .metadata import clean_inline, guess_date, guess_source, guess_title
from .models import Article, Skipped
from .textsafe import clean_text, one_line

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")
SIDECAR_SUFFIX = ".meta.toml"
MAX_BYTES = 8 * 1024 * 1024


class CorpusError(Exception):
    """The corpus folder itself is unusable (missing, not a folder)."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found in the corpus, with the signature used for change detection."""

    id: str
    path: str  # relative, "/"-separated
    signature: str  # size and mtime of the file and of its sidecar


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
        names = {e.name for e in entries}
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
            signature = f"{st.st_size}:{st.st_mtime_ns}"
            sidecar = name.rsplit(".", 1)[0] + SIDECAR_SUFFIX
            if sidecar in names:
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
    """Read one article; any problem becomes a :class:`Skipped` with a reason."""
    path = root / source.path
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Skipped(source.path, f"too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB limit)")
        data = path.read_bytes()
    except FileNotFoundError:
        return Skipped(source.path, "vanished while reading")
    except PermissionError:
        return Skipped(source.path, "permission denied")
    except OSError as exc:
        return Skipped(source.path, f"unreadable: {exc.strerror or exc}")
    text = decode(data)
    if text is None:
        return Skipped(source.path, "binary or undecodable content")
    text = clean_text(text)
    meta, text = split_front_matter(text)
    meta.update(_read_sidecar(path))
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


def load_all(root: Path) -> tuple[list[Article], list[Skipped]]:
    """Every readable article under ``root``, and what was skipped."""
    files, skipped = scan(root)
    articles: list[Article] = []
    for source in files:
        result = load(root, source)
        if isinstance(result, Article):
            articles.append(result)
        else:
            skipped.append(result)
    return articles, skipped


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
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _toml(block: str) -> dict[str, object] | None:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError:
        return None


def _known_keys(meta: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key in ("title", "date", "source", "url"):
        value = meta.get(key)
        if value not in (None, ""):
            out[key] = clean_inline(str(value)) if key == "title" else value
    return out


def _read_sidecar(path: Path) -> dict[str, object]:
    sidecar = path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return _known_keys(data)
