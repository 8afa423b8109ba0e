#!/usr/bin/env python
"""Train the CRF organisation tagger shipped with reader.

Usage (from the repository root)::

    .venv/bin/python scripts/train_ner.py            # writes src/reader/core/entities/data/ner.crfsuite
    .venv/bin/python scripts/train_ner.py --eval     # also prints token-level scores on eng.testa

Trains on CoNLL-2003 ``eng.train`` only (``../shared/corpora/conll2003/eng.train.iob2.txt``),
with the features of ``reader.core.entities.crf``.  L1 regularisation keeps the model small.
``eng.testb`` is never read here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pycrfsuite  # noqa: E402

from reader.core.entities.crf import sentence_items  # noqa: E402
from reader.core.entities.tokens import is_caps_sentence  # noqa: E402

CONLL = ROOT.parent / "shared" / "corpora" / "conll2003"
OUT = ROOT / "src" / "reader" / "core" / "entities" / "data" / "ner.crfsuite"


def read_conll(path: Path):
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            if words:
                yield words, tags
            words, tags = [], []
            continue
        parts = line.split()
        words.append(parts[0])
        tags.append(parts[-1])
    if words:
        yield words, tags


def spans(tags: list[str], kind: str = "ORG") -> set[tuple[int, int]]:
    out = set()
    start = None
    for i, t in enumerate(tags + ["O"]):
        if start is not None and not (t == "I-" + kind):
            out.add((start, i))
            start = None
        if t == "B-" + kind or (t == "I-" + kind and start is None):
            start = i
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--eval", action="store_true", help="score ORG spans of the raw CRF on eng.testa")
    args = ap.parse_args()
    train_file = CONLL / "eng.train.iob2.txt"
    if not train_file.exists():
        print(f"training data not found: {train_file}")
        return 1
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for words, tags in read_conll(train_file):
        trainer.append(sentence_items(words, is_caps_sentence(words)), tags)
        n += 1
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
        }
    )
    t0 = time.time()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    print(f"trained on {n} sentences in {time.time() - t0:.0f}s -> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    if args.eval:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(args.out))
        tp = fp = fn = 0
        for words, tags in read_conll(CONLL / "eng.testa.iob2.txt"):
            pred = tagger.tag(sentence_items(words, is_caps_sentence(words)))
            g, p = spans(tags), spans(pred)
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
        pr = tp / max(1, tp + fp)
        rc = tp / max(1, tp + fn)
        print(f"raw CRF ORG on testa: P={pr:.3f} R={rc:.3f} F1={2 * pr * rc / max(1e-9, pr + rc):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
