"""The core must stay pure: importing it loads neither textual nor rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "src" / "reader" / "core"


def test_core_imports_no_ui_libraries():
    modules = sorted(
        "reader.core." + ".".join(p.relative_to(CORE).with_suffix("").parts).replace(".__init__", "")
        for p in CORE.rglob("*.py")
    )
    modules = [m.removesuffix(".__init__") for m in modules if not m.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported UI modules: {out.stdout}"


def test_core_source_has_no_ui_imports():
    for path in CORE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import textual", "from textual", "import rich", "from rich")), path


def test_starting_the_tui_imports_no_indexing_only_libraries():
    """What only reading files and extracting entities need (YAML, TOML,
    charset detection, HTML and feed parsers, the CRF) is imported when first
    used, not on the way to the first screen."""
    code = (
        "import sys\n"
        "import reader.cli, reader.ui.app\n"
        "heavy = ('yaml', 'tomllib', 'charset_normalizer', 'trafilatura', 'feedparser', 'lxml', 'pycrfsuite',"
        " 'ahocorasick', 'rapidfuzz', 'reader.core.encoding', 'reader.core.entities')\n"
        "print(','.join(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at startup: {out.stdout}"


def test_a_timeline_from_stored_events_imports_no_tagger():
    """The TUI's timeline is built from the events stored at index time: the
    temporal tagger (whose ~100 patterns take ~0.25 s to compile) and the
    segment builder stay out of it, as they stay out of a search."""
    code = (
        "import sys, datetime\n"
        "from reader.core.aggregate import Event\n"
        "from reader.core.timeline import build_timeline\n"
        "import reader.core.search\n"
        "ev = Event('a', datetime.date(2021, 7, 30), 'day', 'Friday', '2021-07-30', 0, 5, 'On Friday.', (), False)\n"
        "assert len(build_timeline([ev])) == 1\n"
        "heavy = ('reader.core.temporal', 'reader.core.segments')\n"
        "print(','.join(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported: {out.stdout}"
