"""Evaluate the temporal tagger and the timeline.

    python eval/temporal_eval.py [--split tbaq|platinum] [--meantime] [--no-speed] [--errors N]

1. Bundled corpus check (corpus/ 000, 003, 004): expected timeline rows, pass/fail each.
2. TempEval-3 TIMEX3 scores on TBAQ (TimeBank + AQUAINT, the tuning split; default) or on
   te3-platinum (``--split platinum``; reserved for the final measurement):
   strict / relaxed span P, R, F1; type accuracy; value accuracy and value F1.
   Matching follows the official TE3 scorer: a relaxed match is any character overlap
   (one-to-one, greedy in text order), a strict match is identical offsets.  Attribute
   accuracy is computed over relaxed matches and the attribute F1 is
   ``accuracy * relaxed F1`` -- which equals the F1 of "relaxed match with the correct
   value", since P_attr = correct/system and R_attr = correct/gold.  Value F1 is the TE3
   ranking measure (HeidelTime: 77.61 on platinum).
3. ``--meantime``: value accuracy of body DATE expressions of MEANTIME English
   (CREATION_TIME excluded; a gold DATE missed by the tagger counts as wrong; accuracy over
   matched ones printed too).
4. Speed: words/s of ``tag_timexes`` on Reuters-21578 (the index-time workload).

The shared data lives in ``<repo>/../shared/corpora``; if it is absent the corpus-based
parts are skipped with a message and the exit code is 0.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reader.core.temporal import tag_timexes  # noqa: E402
from reader.core.timeline import build_timeline, extract_events  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = SHARED / "corpora"

BUNDLED = [("000", "000_d59e4f67651d1876.txt", dt.date(2021, 9, 13)),
           ("003", "003_d743c37b6639f9e9.txt", dt.date(2021, 7, 30)),
           ("004", "004_8aeb1d78dd88faa9.txt", dt.date(2021, 7, 30))]
MIIT = "Ministry of Industry and Information Technology"
ENTITY_STRINGS = [(n, n, "firm") for n in ("Tencent", "ByteDance", "Alibaba", "Pinduoduo", "Meituan", "Xiaomi", "Didi")] + [
    ("Ministry of Industry and Information Technology", MIIT, "agency"),
    ("Ministry of Industry Information Technology", MIIT, "agency"),
    ("MIIT", MIIT, "agency"),
    ("Internet Society of China", "Internet Society of China", "agency"),
]


def entity_spans(text: str) -> list[tuple[int, int, str, str]]:
    out = []
    for s, canon, kind in ENTITY_STRINGS:
        for m in re.finditer(r"\b" + re.escape(s) + r"\b", text):
            out.append((m.start(), m.end(), canon, kind))
    return out


def bundled_check() -> bool:
    print("== Bundled corpus timeline check")
    events = []
    for aid, fname, dct in BUNDLED:
        text = (ROOT / "corpus" / fname).read_text(encoding="utf-8")
        events += extract_events(aid, text, dct, entity_spans(text))
    rows = build_timeline(events)

    def row_with(date, articles, entity=None):
        for r in rows:
            if r.date == date and r.granularity in ("day", "month") and set(articles) <= set(r.articles) and (
                    entity is None or entity in r.entities):
                return r
        return None

    checks = [
        ("2021-09-13 (000, MIIT)", row_with(dt.date(2021, 9, 13), ["000"], MIIT) is not None),
        ("2021-07-30 one row with 003+004, MIIT", row_with(dt.date(2021, 7, 30), ["003", "004"], MIIT) is not None),
        ("2021-07-28 one row with 003+004, Internet Society of China",
         row_with(dt.date(2021, 7, 28), ["003", "004"], "Internet Society of China") is not None),
        ("2021-07-26 (004, 'on Monday')", any(r.date == dt.date(2021, 7, 26) and "004" in r.articles for r in rows)),
        ("since July (000) -> 2021-07 month", any(r.date == dt.date(2021, 7, 1) and r.granularity == "month" and "000" in r.articles for r in rows)),
        ("no event on 2021-12-03 (retrieved ... citation)", not any(r.date == dt.date(2021, 12, 3) for r in rows)),
        ("no event from citation/copyright lines",
         not any(("citation" in e.sentence.lower() or "©" in e.sentence) for r in rows for e in r.events)),
        ("no year-only 2021 events (© lines)", not any(r.granularity == "year" for r in rows)),
        ("'a week after the MIIT launched' gives no precise date",
         not any("a week after" in e.sentence for r in rows for e in r.events)),
    ]
    ok = True
    for name, passed in checks:
        ok &= passed
        print(f"  [{'PASS' if passed else 'FAIL'}] {name}")
    print("  timeline rows:")
    for r in rows:
        print(f"    {r.date} {r.granularity:5s} {','.join(r.articles):8s} {r.expression!r:22s} {', '.join(r.entities)[:70]}")
    return ok


# ------------------------------------------------------------------------ TempEval-3

def _match(gold, pred):
    """One-to-one relaxed matching (any overlap), greedy in order; returns pairs."""
    pairs = []
    used = set()
    for g in gold:
        best = None
        for j, p in enumerate(pred):
            if j in used or p.end <= g["start"] or p.start >= g["end"]:
                continue
            ov = min(p.end, g["end"]) - max(p.start, g["start"])
            if best is None or ov > best[0]:
                best = (ov, j)
        if best is not None:
            used.add(best[1])
            pairs.append((g, pred[best[1]]))
    return pairs


def _prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def tempeval(split: str, show_errors: int) -> None:
    path = CORPORA / "tempeval3" / "tempeval3-timex.jsonl"
    if not path.exists():
        print(f"== TempEval-3: {path} not found, skipped")
        return
    want = "test" if split == "platinum" else "train"
    n_gold = n_pred = strict = relaxed = type_ok = value_ok = 0
    errors = []
    by_kind = Counter()
    docs = 0
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        if d["split"] != want:
            continue
        docs += 1
        dct = dt.date.fromisoformat(d["dct"][:10])
        pred = tag_timexes(d["text"], dct)
        gold = d["timexes"]
        n_gold += len(gold)
        n_pred += len(pred)
        gold_spans = {(g["start"], g["end"]) for g in gold}
        strict += sum(1 for p in pred if (p.start, p.end) in gold_spans)
        pairs = _match(gold, pred)
        relaxed += len(pairs)
        matched_pred = {id(p) for _, p in pairs}
        for g, p in pairs:
            type_ok += g["type"] == p.type
            if (p.value or "") == g["value"]:
                value_ok += 1
            else:
                errors.append(("VAL", d["id"], g["text"], g["value"], p.text, p.value, d["dct"]))
        matched_gold = {id(g) for g, _ in pairs}
        for g in gold:
            if id(g) not in matched_gold:
                errors.append(("FN", d["id"], g["text"], g["value"], "", "", d["dct"]))
                by_kind["FN"] += 1
        for p in pred:
            if id(p) not in matched_pred:
                ctx = d["text"][max(0, p.start - 30):p.end + 20].replace("\n", " ")
                errors.append(("FP", d["id"], p.text, p.value, ctx, "", d["dct"]))
                by_kind["FP"] += 1
    sp, sr, sf = _prf(strict, n_pred, n_gold)
    rp, rr, rf = _prf(relaxed, n_pred, n_gold)
    tacc = type_ok / relaxed if relaxed else 0.0
    vacc = value_ok / relaxed if relaxed else 0.0
    name = "te3-platinum (TEST)" if split == "platinum" else "TBAQ (TimeBank+AQUAINT, tuning)"
    print(f"== TempEval-3 TIMEX3, {name}: {docs} docs, {n_gold} gold, {n_pred} predicted")
    print(f"  strict  P {sp:.4f}  R {sr:.4f}  F1 {sf:.4f}")
    print(f"  relaxed P {rp:.4f}  R {rr:.4f}  F1 {rf:.4f}")
    print(f"  type  accuracy {tacc:.4f}   type  F1 {tacc * rf:.4f}")
    print(f"  value accuracy {vacc:.4f}   value F1 {vacc * rf:.4f}   (TE3 ranking measure = value acc x relaxed F1)")
    if show_errors:
        for e in errors[:show_errors]:
            print("   ", e)


# ------------------------------------------------------------------------ MEANTIME

def meantime() -> None:
    path = CORPORA / "meantime-en" / "meantime-en.jsonl"
    if not path.exists():
        print(f"== MEANTIME: {path} not found, skipped")
        return
    total = found = correct = 0
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        dct = dt.date.fromisoformat(d["date"][:10])
        pred = tag_timexes(d["text"], dct)
        gold = [t for t in d["timexes"] if t["type"] == "DATE" and t.get("functionInDocument") != "CREATION_TIME"
                and t.get("start") is not None]
        for g, p in _match(gold, pred):
            found += 1
            correct += (p.value or "") == g["value"]
        total += len(gold)
    print(f"== MEANTIME English body DATE expressions: {total} gold")
    print(f"  value accuracy {correct / total:.4f} ({correct}/{total}; missed ones count as wrong);"
          f" over matched {correct / max(found, 1):.4f} ({correct}/{found})")


# ------------------------------------------------------------------------ speed

def speed(limit_docs: int | None = None) -> None:
    path = CORPORA / "reuters21578" / "reuters21578.jsonl"
    if not path.exists():
        print(f"== Speed: {path} not found, skipped")
        return
    docs = []
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        docs.append((d.get("text") or "", dt.date.fromisoformat(d["date"][:10]) if d.get("date") else None))
        if limit_docs and len(docs) >= limit_docs:
            break
    words = sum(len(t.split()) for t, _ in docs)
    t0 = time.perf_counter()
    n = 0
    for text, dct in docs:
        n += len(tag_timexes(text, dct))
    el = time.perf_counter() - t0
    print(f"== Speed on Reuters-21578: {len(docs)} docs, {words:,} words, {n:,} timexes in {el:.1f}s "
          f"-> {words / el:,.0f} words/s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["tbaq", "platinum"], default="tbaq")
    ap.add_argument("--meantime", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--errors", type=int, default=0, help="print N TempEval errors (tbaq only)")
    args = ap.parse_args(argv)
    ok = bundled_check()
    if not CORPORA.exists():
        print(f"shared corpora folder {CORPORA} is absent: TempEval-3, MEANTIME and speed skipped.")
        return 0
    tempeval(args.split, args.errors if args.split == "tbaq" else 0)
    if args.meantime:
        meantime()
    if not args.no_speed:
        speed()
    print("bundled check:", "PASS" if ok else "FAIL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
