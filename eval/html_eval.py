#!/usr/bin/env python
"""Evaluate reader's HTML article extraction (``reader.core.formats.html.parse_html``).

    python eval/html_eval.py              # all 181 pages of the benchmark
    python eval/html_eval.py --limit 20   # the first 20 pages (sorted by id)
    python eval/html_eval.py --errors 10  # also list the 10 worst pages

Data: ``../shared/corpora/article-extraction-benchmark`` (Scrapinghub/Zyte article
extraction benchmark: ``html/<id>.html.gz`` saved pages and ``ground-truth.json``
with the gold ``articleBody`` of each page).  It is a development set: the
trafilatura options in ``html.py`` were tuned on it.

Scoring, per page: extracted body and gold body are tokenised as lowercase
``\\w+`` tokens and compared as bags of tokens (multiset overlap, counts
matter): precision = overlap / extracted tokens, recall = overlap / gold tokens.
A page where extraction fails (``FormatError``) scores P = R = F1 = 0.  Reported:
mean over pages of P, R and F1 (the target is mean F1 >= 0.90) and micro
averages (token counts summed over all pages).  The benchmark's own scorer
compares whitespace-token 4-gram shingles instead; its numbers are not directly
comparable.

Also reported: extraction time in ms/page (decompression and a first warm-up call
excluded), how many
pages got a date, and how many of those agree with the page's own
``article:published_time`` / ``datePublished`` metadata (its first 10
characters; "within a day" forgives UTC timestamps vs local dates in URLs;
placeholder values such as ``0001-01-01`` are not metadata).

Skips with exit status 0 when ``../shared`` is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCH = SHARED / "corpora" / "article-extraction-benchmark"
sys.path.insert(0, str(ROOT / "src"))

from reader.core.formats import FormatError  # noqa: E402
from reader.core.formats.html import parse_html  # noqa: E402

TOKEN = re.compile(r"\w+")
META_DATE = re.compile(
    rb"""(?:article:published_time|datePublished|pubdate)["']?\s*(?:content\s*=\s*|:\s*)["']"""
    rb"""((?:19|20)\d{2}-\d{2}-\d{2})""",  # not placeholders such as 0001-01-01
    re.IGNORECASE,
)


def tokens(text: str) -> Counter:
    return Counter(TOKEN.findall(text.lower()))


def score(pred: str, gold: str) -> tuple[int, int, int]:
    """(overlap, predicted tokens, gold tokens) of two texts as bags of tokens."""
    p, g = tokens(pred), tokens(gold)
    return sum((p & g).values()), sum(p.values()), sum(g.values())


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_pages(limit: int | None = None) -> list[tuple[str, bytes, str]]:
    """(id, page bytes, gold body) for the benchmark pages, sorted by id."""
    gold = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    return [(i, gzip.decompress((BENCH / "html" / f"{i}.html.gz").read_bytes()), gold[i]["articleBody"]) for i in ids]


def evaluate(pages: list[tuple[str, bytes, str]]) -> dict:
    rows = []
    elapsed = 0.0
    dated = agree = near = with_meta = 0
    if pages:  # warm-up, not timed: imports, jusText stoplists
        try:
            parse_html(pages[0][1])
        except FormatError:
            pass
    for page_id, data, gold in pages:
        t0 = time.perf_counter()
        try:
            entry = parse_html(data)
            text, date, error = entry.text, entry.date, None
        except FormatError as exc:
            text, date, error = "", None, str(exc)
        elapsed += time.perf_counter() - t0
        tp, n_pred, n_gold = score(text, gold)
        rows.append({"id": page_id, "tp": tp, "pred": n_pred, "gold": n_gold, "prf": prf(tp, n_pred, n_gold),
                     "error": error})
        m = META_DATE.search(data)
        dated += date is not None
        if m:
            with_meta += 1
            if date is not None:
                meta = dt.date.fromisoformat(m.group(1).decode())
                agree += date == meta
                near += abs((date - meta).days) <= 1
    tp = sum(r["tp"] for r in rows)
    micro = prf(tp, sum(r["pred"] for r in rows), sum(r["gold"] for r in rows))
    mean = tuple(statistics.fmean(r["prf"][k] for r in rows) for k in range(3))
    return {"rows": rows, "micro": micro, "mean": mean, "ms": 1000 * elapsed / max(1, len(rows)),
            "dated": dated, "with_meta": with_meta, "agree": agree, "near": near}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    ap.add_argument("--errors", type=int, default=0, help="print the N pages with the lowest F1")
    args = ap.parse_args()
    if not BENCH.is_dir():
        print(f"article-extraction benchmark not found at {BENCH}: skipping HTML extraction eval")
        return 0
    pages = load_pages(args.limit or None)
    res = evaluate(pages)
    rows = res["rows"]
    failed = [r for r in rows if r["error"]]
    print(f"== HTML article extraction: article-extraction-benchmark ({len(rows)} pages) ==")
    print("  mean  P {:.3f}  R {:.3f}  F1 {:.3f}".format(*res["mean"]))
    print("  micro P {:.3f}  R {:.3f}  F1 {:.3f}".format(*res["micro"]))
    print(f"  {res['ms']:.1f} ms/page; {len(failed)} pages with no text (FormatError)")
    print(f"  dates: {res['dated']}/{len(rows)} pages dated; of {res['with_meta']} pages with "
          f"article:published_time / datePublished, {res['agree']} same day, {res['near']} within a day")
    for r in sorted(rows, key=lambda r: r["prf"][2])[: args.errors]:
        p, rec, f = r["prf"]
        print(f"  {r['id'][:16]}  P {p:.2f} R {rec:.2f} F1 {f:.2f}  tokens {r['pred']}/{r['gold']}"
              + (f"  ({r['error']})" if r["error"] else ""))
    verdict = "PASS" if res["mean"][2] >= 0.90 else "FAIL"
    print(f"  mean F1 >= 0.90: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
