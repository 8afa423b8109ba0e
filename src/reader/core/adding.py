"""Bringing files into a corpus folder (``reader add``).

Files are copied (or symlinked) into the corpus root, never overwriting:
an identical file already there is left alone, a different one with the same
name gets a numbered name. Folders are walked for article files. Problems
are returned, one per file, with a reason.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

from .loader import ARTICLE_SUFFIXES, SIDECAR_SUFFIX
from .models import Skipped


def add_files(corpus: Path, sources: list[Path], link: bool = False) -> tuple[list[str], list[Skipped]]:
    """Copy or link ``sources`` (files or folders) into ``corpus``.

    Returns the corpus-relative paths written and the files not taken.
    """
    written: list[str] = []
    problems: list[Skipped] = []
    corpus_resolved = corpus.resolve()
    for source in sources:
        if not source.exists():
            problems.append(Skipped(str(source), "no such file or folder"))
            continue
        if source.is_dir():
            found = sorted(p for p in source.rglob("*") if p.is_file() and _wanted(p))
            if not found:
                problems.append(Skipped(str(source), "no article files in folder"))
            pairs = [(p, p.relative_to(source)) for p in found]
        elif not _wanted(source):
            problems.append(Skipped(str(source), f"unsupported file type (supported: {', '.join(ARTICLE_SUFFIXES)})"))
            continue
        else:
            pairs = [(source, Path(source.name))]
        for path, rel in pairs:
            try:
                if path.resolve().is_relative_to(corpus_resolved):
                    problems.append(Skipped(str(path), "already in the corpus"))
                    continue
                target = _free_name(corpus / rel, path)
                if target is None:
                    continue  # the same file is already there
                target.parent.mkdir(parents=True, exist_ok=True)
                if link:
                    os.symlink(path.resolve(), target)
                else:
                    shutil.copy2(path, target)
                    _copy_sidecar(path, target)
                written.append(target.relative_to(corpus).as_posix())
            except OSError as exc:
                problems.append(Skipped(str(path), f"cannot add: {exc.strerror or exc}"))
    return written, problems


def _wanted(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(ARTICLE_SUFFIXES) and not name.endswith(SIDECAR_SUFFIX) and not name.startswith(".")


def _free_name(target: Path, source: Path) -> Path | None:
    """``target``, or a numbered variant if a different file holds that name;
    None when an identical file is already there."""
    stem, suffix = target.name.split(".", 1) if "." in target.name else (target.name, "")
    candidate, n = target, 1
    while candidate.exists() or candidate.is_symlink():
        if candidate.is_file() and filecmp.cmp(candidate, source, shallow=False):
            return None
        candidate = target.with_name(f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}")
        n += 1
    return candidate


def _copy_sidecar(path: Path, target: Path) -> None:
    sidecar = path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
    if sidecar.is_file():
        shutil.copy2(sidecar, target.with_name(target.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX))
