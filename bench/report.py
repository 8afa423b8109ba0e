"""The benchmark's one table: a row per measure, a column per corpus size."""

from __future__ import annotations

import os

from corpora import REUTERS_STORIES
from measure import median, percentile
from queries import BROAD, QUERIES
from table import Table, mb, ms, secs, verdict

TARGET_SPEEDUP = 1.5
TARGET_WORST_MS = 250


def render(results: list[dict], pool: int, repeat: int, rows: int) -> str:
    header = ["measure"] + [_column(r, pool) for r in results] + ["target"]
    t = Table(header)

    def row(label: str, cell, target: str = "") -> None:
        t.row(label, *[cell(r) for r in results], target)

    t.section("corpus: Markdown files with TOML front matter")
    row("files / articles indexed (empty files are skipped)", lambda r: f"{r['files']:,} / {r['ours'].data['indexed']:,}")
    row("words / size on disk", lambda r: f"{r['words']:,} / {mb(r['corpus_bytes'] / 1e6)}")

    t.section("cold build")
    row(f"ours: load + entities + timeline + index ({os.cpu_count()} workers)", lambda r: _build(r["ours"].data["seconds"], r["ours"].data["indexed"]))
    row("baseline: plain Whoosh, TEXT title+body, no extraction", lambda r: _build(r["baseline"].data["seconds"], r["baseline"].data["indexed"]))
    row("  builds again (baseline / ours, s)", lambda r: "; ".join(f"{b:.1f} / {o:.1f}" for b, o in r.get("pairs", [])[1:]) or "n/a")
    row("speed ours / baseline (articles/s)", _speedup, f"≥ {TARGET_SPEEDUP}×")
    row("peak RSS, ours: all processes (largest one)", lambda r: f"{mb(r['ours'].tree_rss_mb)} ({mb(r['ours'].max_rss_mb)})")
    row("peak RSS, baseline (one process)", lambda r: mb(r["baseline"].max_rss_mb))
    row("index size on disk: ours / baseline", lambda r: f"{mb(r['index_size'] / 1e6)} / {mb(r['baseline_size'] / 1e6)}")
    row("SQLite FTS5, same files, one transaction; db size", lambda r: f"{_build(r['fts_seconds'], r['fts_articles'])}; {mb(r['fts_size'] / 1e6)}")

    t.section("incremental update")
    row("after changing 1 file", lambda r: _update(r["update_1"], "updated", 1))
    row("after adding 100 files", lambda r: _update(r["update_100"], "added", 100))

    t.section("TUI on the built index (headless, 160×48)")
    row("launch to first results: total (python + imports)", _tui(lambda d: f"{ms(d['launch'])} ({ms(d['imports'])})"))
    row("  launched again", lambda r: "n/a" if r.get("tui_again") is None else
        f"{ms(r['tui_again'].data['launch'])} ({ms(r['tui_again'].data['imports'])})")
    row("peak RSS: launch, index check, searches, preview, timeline", _tui(lambda d: f"{mb(d['vm_hwm_mb'])} ({len(d['searches'])} searches)"))
    row("t on the start screen: the whole corpus's timeline shown", _tui(_tui_timeline))
    row("a search typed in the TUI: Enter to results shown, median / max", _tui(_tui_searches))

    t.section(f"search + top {rows} rows with snippets")
    t.row(f"query: warm median / p95 of {repeat} runs (cold: first run)", *["" for _ in results])
    for q in QUERIES:
        label = f"{q.label}: `{q.text}`" if q.text else q.label
        row(label, lambda r, q=q: _ours_query(r, q))
        row(f"  FTS5 median{': ' + q.fts.note if q.fts.note else ''}", lambda r, q=q: _fts_query(r, q))
    row("all queries, warm: median / p95", _all_warm)
    row("worst single query, warm", lambda r: _worst(r, "warm"), f"≤ {TARGET_WORST_MS} ms")
    row("worst single query, cold (first run, fresh engine)", lambda r: _worst(r, "cold"), f"≤ {TARGET_WORST_MS} ms")
    t.row("broad wildcards (not in the set above): warm median / max (cold)", *["" for _ in results])
    for q in BROAD:
        row(f"{q.label}: `{q.text}`", lambda r, q=q: _broad(r, q), f"≤ {TARGET_WORST_MS} ms")
    return t.render()


def _column(r: dict, pool: int) -> str:
    what = "with copies" if r["copies"] else ("Reuters-21578" if r["size"] == pool == REUTERS_STORIES else "Reuters slice")
    return f"{r['size']:,} articles ({what})"


def _build(seconds: float, articles: int) -> str:
    return f"{secs(seconds)}, {articles / seconds:,.0f} articles/s"


def _speedup(r: dict) -> str:
    """The ratio of the first pair; with more pairs, each pair's ratio and
    that of the fastest builds (the least disturbed by the host)."""
    ours_n, base_n = r["ours"].data["indexed"], r["baseline"].data["indexed"]
    pairs = r.get("pairs") or [(r["baseline"].data["seconds"], r["ours"].data["seconds"])]
    ratios = [(ours_n / ours_s) / (base_n / base_s) for base_s, ours_s in pairs]
    if len(pairs) == 1:
        return f"{ratios[0]:.2f}× ({verdict(ratios[0] >= TARGET_SPEEDUP)})"
    best = (ours_n / min(o for _, o in pairs)) / (base_n / min(b for b, _ in pairs))
    each = ", ".join(f"{x:.2f}" for x in ratios)
    return f"{best:.2f}× fastest of {len(pairs)} each ({verdict(best >= TARGET_SPEEDUP)}); pairs {each}×"


def _update(data: dict, key: str, expected: int) -> str:
    note = "" if data.get(key) == expected else f" (!{data.get(key)} {key})"
    return f"{ms(data['seconds'])}{note}"


def _tui(cell):
    return lambda r: "failed (see stderr)" if r["tui"] is None else cell(r["tui"].data)


def _tui_searches(data: dict) -> str:
    times = data["searches"]
    return f"{ms(median(times))} / {ms(max(times))}" if times else "n/a"


def _ours_query(r: dict, q) -> str:
    times = r["warm"][q.text]
    return f"{ms(median(times))} / {ms(percentile(times, 95))} (cold {ms(r['cold'][_index(q)])}), {r['hits'][q.text]:,} hits"


def _fts_query(r: dict, q) -> str:
    ours, theirs = median(r["warm"][q.text]), median(r["fts_warm"][q.text])
    return f"{ms(theirs)}, {r['fts_hits'][q.text]:,} hits; ours/FTS5 {ours / theirs:.1f}×"


def _all_warm(r: dict) -> str:
    times = [t for ts in r["warm"].values() for t in ts]
    return f"{ms(median(times))} / {ms(percentile(times, 95))}"


def _worst(r: dict, which: str) -> str:
    if which == "warm":
        worst, text = max((max(ts), text) for text, ts in r["warm"].items())
    else:
        worst, text = max((t, q.text) for t, q in zip(r["cold"], QUERIES))
    return f"{ms(worst)} (`{text}`; {verdict(worst * 1000 <= TARGET_WORST_MS)})"


def _broad(r: dict, q) -> str:
    data = (r.get("broad") or {}).get(q.text)
    if data is None:
        return "n/a"
    worst = max(data["warm"])
    return (f"{ms(median(data['warm']))} / {ms(worst)} (cold {ms(data['cold'])}), {data['hits']:,} hits "
            f"({verdict(worst * 1000 <= TARGET_WORST_MS)})")


def _index(q) -> int:
    return QUERIES.index(q)


def _tui_timeline(d) -> str:
    if d.get("timeline_seconds") is None:
        return "not shown within 300 s"
    return f"{ms(d['timeline_seconds'])}, {d['timeline_rows']:,} rows"
