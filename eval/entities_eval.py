#!/usr/bin/env python
"""Evaluate reader's organisation extractor.

    python eval/entities_eval.py                 # bundled corpus + CoNLL testa + Reuters speed
    python eval/entities_eval.py --split testb   # final measurement only (reserved split)
    python eval/entities_eval.py --meantime      # add MEANTIME precision / recall
    python eval/entities_eval.py --speed-docs 0  # skip the speed run

Sections:
1. bundled corpus (``corpus/*.txt``): each expected firm/agency found as exactly one
   canonical entity with the right kind in the right articles, and none of the
   non-organisations;
2. CoNLL-2003 exact-span ORG precision/recall/F1: every document of the split is
   given to ``EntityExtractor.extract`` as its tokens joined by single spaces (one
   sentence per line, as in ``conll2003-docs.jsonl``); predicted character spans
   are mapped back to token boundaries, a prediction not on token boundaries
   counts as a false positive;
3. MEANTIME: recall = share of gold *named* ORG mentions (syntactic type NAM or
   PRE.NAM, or untyped mentions whose words are all capitalised, e.g. "Boeing",
   "General Motors"; pronouns and nominals excluded) overlapped by a predicted
   mention; precision = share of predicted mentions overlapping any gold ORG
   mention;
4. speed: words/s of ``extract`` over Reuters-21578 texts (``--speed-docs`` N,
   default all 21,578), words counted as whitespace-separated tokens.

Skips with exit status 0 when ``../shared`` is absent.  Tune only on testa;
``eng.testb`` and ``conllpp_test`` are reserved for the final measurement.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from reader.core.entities import EntityExtractor  # noqa: E402

EXPECTED = {  # canonical name -> (kind, article file prefixes)
    "Tencent": ("firm", {"000", "003", "004"}),
    "ByteDance": ("firm", {"000", "003", "004"}),
    "Alibaba": ("firm", {"000", "003", "004"}),
    "Pinduoduo": ("firm", {"003"}),
    "Meituan": ("firm", {"003", "004"}),
    "Xiaomi": ("firm", {"003", "004"}),
    "Didi": ("firm", {"004"}),
    "Ministry of Industry and Information Technology": ("agency", {"000", "003", "004"}),
    "Internet Society of China": ("agency", {"003", "004"}),
}
FORBIDDEN = ["China", "Beijing", "U.S.", "Xi Jinping", "Xi", "Zhao Zhiguo", "Zhao", "Monday", "Friday",
             "Wednesday", "Douyin", "Weishi", "Chinese"]
MEDIA_OK_OTHER = ["Global Times", "Xinhua Finance", "AFP", "Bloomberg"]


def bundled_check(ex: EntityExtractor) -> bool:
    print("== bundled corpus ==")
    files = sorted((ROOT / "corpus").glob("*.txt"))
    found: dict[str, dict[str, set]] = defaultdict(lambda: {"kinds": set(), "docs": set()})
    surfaces = defaultdict(set)
    for f in files:
        for m in ex.extract(f.read_text(encoding="utf-8")):
            found[m.name]["kinds"].add(m.kind)
            found[m.name]["docs"].add(f.name[:3])
            surfaces[m.text].add(m.name)
    ok_all = True
    for name, (kind, docs) in EXPECTED.items():
        got = found.get(name)
        ok = got is not None and got["kinds"] == {kind} and got["docs"] == docs
        ok_all &= ok
        print(f"  {'PASS' if ok else 'FAIL'} {name} [{kind}] {sorted(docs)}"
              + ("" if ok else f"  got {got and (sorted(got['kinds']), sorted(got['docs']))}"))
    # one canonical entity per expected organisation: no other name for its surface forms
    for name in EXPECTED:
        variants = {n for s, ns in surfaces.items() for n in ns if name in ns and s}
        if len(variants) > 1:
            ok_all = False
            print(f"  FAIL {name} split into {sorted(variants)}")
    for bad in FORBIDDEN:
        hit = bad in surfaces or bad in found
        ok_all &= not hit
        print(f"  {'PASS' if not hit else 'FAIL'} not an organisation: {bad}")
    for media in MEDIA_OK_OTHER:
        kinds = {k for n in surfaces.get(media, ()) for k in found[n]["kinds"]}
        ok = kinds <= {"other"}
        ok_all &= ok
        print(f"  {'PASS' if ok else 'FAIL'} media {media}: {sorted(kinds) or 'not found'}")
    extra = sorted(n for n in found if n not in EXPECTED)
    print(f"  other names found: {extra}")
    print(f"  bundled corpus: {'PASS' if ok_all else 'FAIL'}")
    return ok_all


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def conll_eval(ex: EntityExtractor, split: str, errors: int = 0) -> None:
    path = SHARED / "corpora" / "conll2003" / "conll2003-docs.jsonl"
    docs = [d for d in map(json.loads, path.open(encoding="utf-8")) if d["split"] == split]
    tp = fp = fn = 0
    sport = [0, 0, 0]
    fps, fns = [], []
    for d in docs:
        text = d["text"]
        tok_starts, tok_ends = set(), set()
        pos = 0
        for line in text.split("\n"):
            for tok in line.split(" "):
                tok_starts.add(pos)
                tok_ends.add(pos + len(tok))
                pos += len(tok) + 1
        gold = {(e["start"], e["end"]) for e in d["entities"] if e["type"] == "ORG"}
        pred = set()
        for m in ex.extract(text):
            if m.start in tok_starts and m.end in tok_ends:
                pred.add((m.start, m.end))
            else:
                pred.add((m.start, -m.end))  # off token boundaries: always wrong
        t, f_p, f_n = len(gold & pred), len(pred - gold), len(gold - pred)
        tp, fp, fn = tp + t, fp + f_p, fn + f_n
        if d["title"].split(" ")[0].isupper() and d["title"].split(" ")[0].isalpha() and " " in d["title"] and \
                d["title"].split(" ")[0] in SPORT_WORDS:
            sport[0] += t
            sport[1] += f_p
            sport[2] += f_n
        if errors:
            fps += [text[s:abs(e)] for s, e in pred - gold]
            fns += [text[s:e] for s, e in gold - pred]
    p, r, f = prf(tp, fp, fn)
    print(f"== CoNLL-2003 {split}: {len(docs)} docs, exact-span ORG ==")
    print(f"  P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={tp} fp={fp} fn={fn})")
    sp = prf(*sport)
    ns = prf(tp - sport[0], fp - sport[1], fn - sport[2])
    print(f"  sports docs:     P={sp[0]:.3f} R={sp[1]:.3f} F1={sp[2]:.3f}")
    print(f"  non-sports docs: P={ns[0]:.3f} R={ns[1]:.3f} F1={ns[2]:.3f}")
    if errors:
        from collections import Counter

        print("  top FP:", Counter(fps).most_common(errors))
        print("  top FN:", Counter(fns).most_common(errors))


SPORT_WORDS = set(
    """SOCCER CRICKET TENNIS GOLF BASEBALL BASKETBALL RUGBY ATHLETICS CYCLING BOXING MOTORCYCLING MOTOR
    HOCKEY NHL NBA NFL NCAA FOOTBALL HORSE SKIING SWIMMING SQUASH BADMINTON VOLLEYBALL HANDBALL ROWING
    SAILING YACHTING TABLE JUDO WRESTLING FORMULA ALPINE SNOOKER TRIATHLON""".split()
)
_PRONOUNS = {"we", "it", "its", "our", "us", "they", "their", "them", "which", "who", "that", "themselves",
             "itself", "ours", "theirs"}


def _is_named(x: dict) -> bool:
    st = x.get("syntactic_type")
    if st in ("NAM", "PRE.NAM"):
        return True
    if st not in (None, ""):
        return False
    words = [w for w in x["text"].split() if w not in ("(", ")", "and", "of", "&", "the", "The", "``", "''")]
    if not words or words[0].lower() in _PRONOUNS:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() for w in words)


def meantime_eval(ex: EntityExtractor, errors: int = 0) -> None:
    path = SHARED / "corpora" / "meantime-en" / "meantime-en.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    g_hit = g_tot = p_ok = p_tot = p_unjudged = 0
    misses, wrong = [], []
    for d in docs:
        text = d["text"]
        orgs = [x for x in d["entity_mentions"] if x["ent_type"] == "ORG"]
        named = {(x["start"], x["end"]) for x in orgs if _is_named(x)}
        all_org = [(x["start"], x["end"]) for x in orgs]
        any_ann = [(x["start"], x["end"]) for x in d["entity_mentions"]]
        pred = [(m.start, m.end) for m in ex.extract(text)]
        for s, e in named:
            g_tot += 1
            if any(ps < e and s < pe for ps, pe in pred):
                g_hit += 1
            elif errors:
                misses.append(text[s:e])
        for ps, pe in pred:
            p_tot += 1
            if any(ps < e and s < pe for s, e in all_org):
                p_ok += 1
            else:
                if not any(ps < e and s < pe for s, e in any_ann):
                    p_unjudged += 1
                if errors:
                    wrong.append(text[ps:pe])
    p = p_ok / p_tot if p_tot else 0.0
    r = g_hit / g_tot if g_tot else 0.0
    print(f"== MEANTIME (English, {len(docs)} docs): named ORG, span overlap ==")
    judged = p_tot - p_unjudged
    print(f"  P={p:.3f} ({p_ok}/{p_tot})  R={r:.3f} ({g_hit}/{g_tot})")
    print(f"  P on judged predictions={p_ok / max(1, judged):.3f} ({p_ok}/{judged}; {p_unjudged} predictions overlap"
          " no gold mention of any type: MEANTIME leaves many mentions, e.g. most 'Apple', unannotated)")
    if errors:
        from collections import Counter

        print("  top misses:", Counter(misses).most_common(errors))
        print("  top wrong: ", Counter(wrong).most_common(errors))


def speed(ex: EntityExtractor, limit: int) -> None:
    path = SHARED / "corpora" / "reuters21578" / "reuters21578.jsonl"
    texts = []
    for i, line in enumerate(path.open(encoding="utf-8")):
        if limit and i >= limit:
            break
        d = json.loads(line)
        texts.append((d.get("title") or "") + "\n" + (d.get("text") or ""))
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    n = 0
    for t in texts:
        n += len(ex.extract(t))
    dt = time.perf_counter() - t0
    print(f"== speed: Reuters-21578, {len(texts)} texts, {words:,} words ==")
    print(f"  {dt:.1f}s  {words / dt:,.0f} words/s  ({n:,} mentions)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="testa", choices=["testa", "testb", "conllpp_test", "train"])
    ap.add_argument("--meantime", action="store_true")
    ap.add_argument("--speed-docs", type=int, default=-1, help="Reuters texts for the speed run (0: skip, default all)")
    ap.add_argument("--errors", type=int, default=0, help="print the N most frequent errors")
    args = ap.parse_args()
    ex = EntityExtractor()
    ok = bundled_check(ex)
    if not SHARED.is_dir():
        print(f"shared corpora not found at {SHARED}: skipping CoNLL, MEANTIME and speed")
        return 0
    conll_eval(ex, args.split, args.errors)
    if args.meantime:
        meantime_eval(ex, args.errors)
    if args.speed_docs != 0:
        speed(ex, max(0, args.speed_docs))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
