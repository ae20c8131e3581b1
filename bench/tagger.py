"""Throughput of the NLP tagger vs. spaCy's blank tokenizer vs. a naive substring keyword loop.

Run standalone: ``python bench/tagger.py [--words N]``. The corpus is built from the dev set
(titles + descriptions, recombined and numbered so it is not one text repeated) to ~200k words.
All three are measured on the same corpus in one run; the tagger is loaded (and warmed up on a
few records) before timing, so table loading is not counted.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def build_corpus(target_words: int, seed: int = 7) -> list[dict]:
    items = []
    for split in ("tune", "heldout"):
        path = REPO / "data" / "devset" / f"{split}.jsonl"
        items += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    rng = random.Random(seed)
    records, words, n = [], 0, 0
    while words < target_words:
        a, b, c = rng.choice(items), rng.choice(items), rng.choice(items)
        title = f"{a['title']} ({n})"
        summary = f"{a['description']} {b['description']} Sak {n}."
        text = f"{c['title']}. {c['description']} {b['title']}."
        records.append({"id": n, "title": title, "summary": summary, "text": text,
                        "source": a["source"]})
        words += len(title.split()) + len(summary.split()) + len(text.split())
        n += 1
    return records


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=200_000)
    args = ap.parse_args()

    import spacy

    from nlp.tagger import Tagger

    records = build_corpus(args.words)
    texts = [r[f] for r in records for f in ("title", "summary", "text")]
    n_words = sum(len(t.split()) for t in texts)

    tagger = Tagger.load()
    list(tagger.tag_many(records[:50]))  # load tables, detector and pipelines
    terms = sorted({p.lower() for spec in tagger.lexicon.labels.values() for t in spec["terms"]
                    for lang in ("nb", "nn", "en") for p in t[lang]})
    tok = spacy.blank("nb")

    def full() -> None:
        for _ in tagger.tag_many(records):
            pass

    def tokenizer() -> None:
        for _ in tok.tokenizer.pipe(texts, batch_size=256):
            pass

    def naive() -> None:
        for text in texts:
            low = text.lower()
            [term for term in terms if term in low]

    rows = []
    for name, fn in (("spaCy blank('nb') tokenizer", tokenizer),
                     ("naive substring loop", naive),
                     ("our full tagging", full)):
        secs = timed(fn)
        rows.append((name, secs, n_words / secs))
    base = rows[0][2]
    print(f"corpus: {len(records)} records, {n_words:,} words, {len(terms)} lexicon terms "
          f"(tagger {tagger.version})")
    print(f"{'pipeline':<30}{'seconds':>9}{'words/s':>12}{'x tokenizer':>13}")
    for name, secs, wps in rows:
        print(f"{name:<30}{secs:9.2f}{wps:12,.0f}{wps / base:13.2f}")
    ratio = rows[2][2] / base
    print(f"full tagging / tokenizer = {ratio:.2f} (target >= 0.30); "
          f"full tagging / naive loop = {rows[2][2] / rows[1][2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
